import { Arg, Ctx, Mutation, Resolver, UseMiddleware } from "type-graphql";
import { EditorOnly } from "../../auth";
import { Context } from "../../context";
import { Quote } from "../../entities";
import { DeleteInputShape } from "../../inputs/common.input";
import { CreateQuoteInput, DeleteQuoteInput, UpdateQuoteInput } from "../../inputs/quote.input";
import { validateInput } from "../../inputs/validation";
import { runEdit } from "../../services/editing";
import { createQuote, deleteQuote, updateQuote } from "../../services/editing/quotes";
import { QuotePayloads, DeletePayloadShape } from "../../types/payloads";

const EDITORS_ONLY = " Needs an editor token.";

// Payloads are nullable, as GitHub's are: when one mutation of a request fails, the results of
// the others (already committed) still reach the client instead of a null `data`.

/** `createQuote`, `updateQuote` and `deleteQuote`. */
@Resolver()
@UseMiddleware(EditorOnly)
export class QuoteMutations {
  @Mutation(() => QuotePayloads.Create, { nullable: true, description: "Creates a quote with its evidence; the offsets must lie inside the article and a direct quote must equal its slice exactly." + EDITORS_ONLY })
  async createQuote(
    @Arg("input", () => CreateQuoteInput, { validateFn: validateInput, description: "The new quote." }) input: CreateQuoteInput,
    @Ctx() ctx: Context,
  ): Promise<{ clientMutationId: string | null; quote: Quote }> {
    const quote = await runEdit(ctx, "createQuote", (session) => createQuote(session, input));
    return { clientMutationId: input.clientMutationId ?? null, quote };
  }

  @Mutation(() => QuotePayloads.Update, { nullable: true, description: "Changes a quote; the result must still satisfy every rule (a direct quote still equals its evidence)." + EDITORS_ONLY })
  async updateQuote(
    @Arg("input", () => UpdateQuoteInput, { validateFn: validateInput, description: "The quote to change and the changes." }) input: UpdateQuoteInput,
    @Ctx() ctx: Context,
  ): Promise<{ clientMutationId: string | null; quote: Quote }> {
    const quote = await runEdit(ctx, "updateQuote", (session) => updateQuote(session, input));
    return { clientMutationId: input.clientMutationId ?? null, quote };
  }

  @Mutation(() => QuotePayloads.Delete, { nullable: true, description: "Deletes a quote." + EDITORS_ONLY })
  async deleteQuote(
    @Arg("input", () => DeleteQuoteInput, { validateFn: validateInput, description: "The quote to delete." }) input: DeleteInputShape,
    @Ctx() ctx: Context,
  ): Promise<DeletePayloadShape> {
    const result = await runEdit(ctx, "deleteQuote", (session) => deleteQuote(session, input));
    return { clientMutationId: input.clientMutationId ?? null, ...result };
  }
}
