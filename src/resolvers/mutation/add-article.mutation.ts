import { Arg, Ctx, Mutation, Resolver, UseMiddleware } from "type-graphql";
import { EditorOnly } from "../../auth";
import { Context } from "../../context";
import { AddArticleInput } from "../../inputs/article.input";
import { validateInputWith } from "../../inputs/validate-input";
import { runEdit } from "../../services/editing";
import { addArticle, refProblems } from "../../services/editing/add-article";
import { AddArticlePayload } from "../../types/payloads";

/** `addArticle`: an article and everything it states, in one transaction. */
@Resolver()
@UseMiddleware(EditorOnly)
export class AddArticleMutation {
  @Mutation(() => AddArticlePayload, {
    nullable: true,
    description:
      "Adds an article together with the countries, organizations and people it introduces and the positions and quotes it states, atomically: every entry is checked by the rules of its own `createX` mutation, and if any is refused nothing is written. Needs an editor token.",
  })
  async addArticle(
    @Arg("input", () => AddArticleInput, { validateFn: validateInputWith(refProblems), description: "The article and its facts." })
    input: AddArticleInput,
    @Ctx() ctx: Context,
  ): Promise<AddArticlePayload> {
    const added = await runEdit(ctx, "addArticle", (session) => addArticle(session, input));
    return { clientMutationId: input.clientMutationId ?? null, ...added };
  }
}
