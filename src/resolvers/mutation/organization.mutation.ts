import { Arg, Ctx, Mutation, Resolver, UseMiddleware } from "type-graphql";
import { EditorOnly } from "../../auth";
import { Context } from "../../context";
import { Organization } from "../../entities";
import { DeleteInputShape } from "../../inputs/common.input";
import { CreateOrganizationInput, DeleteOrganizationInput, UpdateOrganizationInput } from "../../inputs/organization.input";
import { validateInput } from "../../inputs/validation";
import { runEdit } from "../../services/editing";
import { createOrganization, deleteOrganization, updateOrganization } from "../../services/editing/organizations";
import { OrganizationPayloads, DeletePayloadShape } from "../../types/payloads";

const EDITORS_ONLY = " Needs an editor token.";

// Payloads are nullable, as GitHub's are: when one mutation of a request fails, the results of
// the others (already committed) still reach the client instead of a null `data`.

/** `createOrganization`, `updateOrganization` and `deleteOrganization`. */
@Resolver()
@UseMiddleware(EditorOnly)
export class OrganizationMutations {
  @Mutation(() => OrganizationPayloads.Create, { nullable: true, description: "Creates an organization." + EDITORS_ONLY })
  async createOrganization(
    @Arg("input", () => CreateOrganizationInput, { validateFn: validateInput, description: "The new organization." }) input: CreateOrganizationInput,
    @Ctx() ctx: Context,
  ): Promise<{ clientMutationId: string | null; organization: Organization }> {
    const organization = await runEdit(ctx, "createOrganization", (session) => createOrganization(session, input));
    return { clientMutationId: input.clientMutationId ?? null, organization };
  }

  @Mutation(() => OrganizationPayloads.Update, { nullable: true, description: "Changes an organization; a new parent must not make it part of itself." + EDITORS_ONLY })
  async updateOrganization(
    @Arg("input", () => UpdateOrganizationInput, { validateFn: validateInput, description: "The organization to change and the changes." }) input: UpdateOrganizationInput,
    @Ctx() ctx: Context,
  ): Promise<{ clientMutationId: string | null; organization: Organization }> {
    const organization = await runEdit(ctx, "updateOrganization", (session) => updateOrganization(session, input));
    return { clientMutationId: input.clientMutationId ?? null, organization };
  }

  @Mutation(() => OrganizationPayloads.Delete, { nullable: true, description: "Deletes an organization; refused (`CONFLICT`, listing them) while any sub-organization, position or quote refers to it." + EDITORS_ONLY })
  async deleteOrganization(
    @Arg("input", () => DeleteOrganizationInput, { validateFn: validateInput, description: "The organization to delete." }) input: DeleteInputShape,
    @Ctx() ctx: Context,
  ): Promise<DeletePayloadShape> {
    const result = await runEdit(ctx, "deleteOrganization", (session) => deleteOrganization(session, input));
    return { clientMutationId: input.clientMutationId ?? null, ...result };
  }
}
