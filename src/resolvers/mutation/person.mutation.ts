import { Arg, Ctx, Mutation, Resolver, UseMiddleware } from "type-graphql";
import { EditorOnly } from "../../auth";
import { Context } from "../../context";
import { Person } from "../../entities";
import { DeleteInputShape } from "../../inputs/common.input";
import { CreatePersonInput, DeletePersonInput, UpdatePersonInput } from "../../inputs/person.input";
import { validateInput } from "../../inputs/validation";
import { runEdit } from "../../services/editing";
import { createPerson, deletePerson, updatePerson } from "../../services/editing/people";
import { PersonPayloads, DeletePayloadShape } from "../../types/payloads";

const EDITORS_ONLY = " Needs an editor token.";

// Payloads are nullable, as GitHub's are: when one mutation of a request fails, the results of
// the others (already committed) still reach the client instead of a null `data`.

/** `createPerson`, `updatePerson` and `deletePerson`. */
@Resolver()
@UseMiddleware(EditorOnly)
export class PersonMutations {
  @Mutation(() => PersonPayloads.Create, { nullable: true, description: "Creates a person." + EDITORS_ONLY })
  async createPerson(
    @Arg("input", () => CreatePersonInput, { validateFn: validateInput, description: "The new person." }) input: CreatePersonInput,
    @Ctx() ctx: Context,
  ): Promise<{ clientMutationId: string | null; person: Person }> {
    const person = await runEdit(ctx, "createPerson", (session) => createPerson(session, input));
    return { clientMutationId: input.clientMutationId ?? null, person };
  }

  @Mutation(() => PersonPayloads.Update, { nullable: true, description: "Changes a person." + EDITORS_ONLY })
  async updatePerson(
    @Arg("input", () => UpdatePersonInput, { validateFn: validateInput, description: "The person to change and the changes." }) input: UpdatePersonInput,
    @Ctx() ctx: Context,
  ): Promise<{ clientMutationId: string | null; person: Person }> {
    const person = await runEdit(ctx, "updatePerson", (session) => updatePerson(session, input));
    return { clientMutationId: input.clientMutationId ?? null, person };
  }

  @Mutation(() => PersonPayloads.Delete, { nullable: true, description: "Deletes a person together with their positions; refused (`CONFLICT`, listing them) while quotes name them as speaker." + EDITORS_ONLY })
  async deletePerson(
    @Arg("input", () => DeletePersonInput, { validateFn: validateInput, description: "The person to delete." }) input: DeleteInputShape,
    @Ctx() ctx: Context,
  ): Promise<DeletePayloadShape> {
    const result = await runEdit(ctx, "deletePerson", (session) => deletePerson(session, input));
    return { clientMutationId: input.clientMutationId ?? null, ...result };
  }
}
