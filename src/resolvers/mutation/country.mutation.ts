import { Arg, Ctx, Mutation, Resolver, UseMiddleware } from "type-graphql";
import { EditorOnly } from "../../auth";
import { Context } from "../../context";
import { Country } from "../../entities";
import { DeleteInputShape } from "../../inputs/common.input";
import { CreateCountryInput, DeleteCountryInput, UpdateCountryInput } from "../../inputs/country.input";
import { validateInput } from "../../inputs/validation";
import { runEdit } from "../../services/editing";
import { createCountry, deleteCountry, updateCountry } from "../../services/editing/countries";
import { CountryPayloads, DeletePayloadShape } from "../../types/payloads";

const EDITORS_ONLY = " Needs an editor token.";

// Payloads are nullable, as GitHub's are: when one mutation of a request fails, the results of
// the others (already committed) still reach the client instead of a null `data`.

/** `createCountry`, `updateCountry` and `deleteCountry`. */
@Resolver()
@UseMiddleware(EditorOnly)
export class CountryMutations {
  @Mutation(() => CountryPayloads.Create, { nullable: true, description: "Creates a country. Its name, ISO codes and Wikidata ID must not be taken." + EDITORS_ONLY })
  async createCountry(
    @Arg("input", () => CreateCountryInput, { validateFn: validateInput, description: "The new country." }) input: CreateCountryInput,
    @Ctx() ctx: Context,
  ): Promise<{ clientMutationId: string | null; country: Country }> {
    const country = await runEdit(ctx, "createCountry", (session) => createCountry(session, input));
    return { clientMutationId: input.clientMutationId ?? null, country };
  }

  @Mutation(() => CountryPayloads.Update, { nullable: true, description: "Changes a country." + EDITORS_ONLY })
  async updateCountry(
    @Arg("input", () => UpdateCountryInput, { validateFn: validateInput, description: "The country to change and the changes." }) input: UpdateCountryInput,
    @Ctx() ctx: Context,
  ): Promise<{ clientMutationId: string | null; country: Country }> {
    const country = await runEdit(ctx, "updateCountry", (session) => updateCountry(session, input));
    return { clientMutationId: input.clientMutationId ?? null, country };
  }

  @Mutation(() => CountryPayloads.Delete, { nullable: true, description: "Deletes a country; refused (`CONFLICT`, listing them) while any person, organization, position or quote refers to it." + EDITORS_ONLY })
  async deleteCountry(
    @Arg("input", () => DeleteCountryInput, { validateFn: validateInput, description: "The country to delete." }) input: DeleteInputShape,
    @Ctx() ctx: Context,
  ): Promise<DeletePayloadShape> {
    const result = await runEdit(ctx, "deleteCountry", (session) => deleteCountry(session, input));
    return { clientMutationId: input.clientMutationId ?? null, ...result };
  }
}
