import { Arg, ClassType, Ctx, Mutation, Resolver, UseMiddleware } from "type-graphql";
import { EditorOnly } from "../../auth";
import { Context } from "../../context";
import { DeleteInputShape, MutationInput } from "../../inputs/common.input";
import { validateInput } from "../../inputs/validate-input";
import { EditSession, runEdit } from "../../services/editing";
import { DeleteResult } from "../../services/editing/common";
import { EditableType } from "../../services/editing/session";
import { DeletePayloadShape, PayloadClasses } from "../../types/payloads";

const EDITORS_ONLY = " Needs an editor token.";

/** What one editable type's `createX`, `updateX` and `deleteX` are built from. */
export interface CrudMutationOptions<TCreate extends MutationInput, TUpdate extends MutationInput, TRecord> {
  /**
   * The GraphQL type, e.g. `"Article"`: it names the mutations (`createArticle`), the edit log's
   * entries, and, lowercased, the payload's record field (`article`) and the input descriptions.
   */
  typeName: EditableType;
  /** The `CreateXInput`, `UpdateXInput` and `DeleteXInput` classes. */
  inputs: { create: ClassType<TCreate>; update: ClassType<TUpdate>; delete: ClassType<DeleteInputShape> };
  /** The `CreateXPayload`, `UpdateXPayload` and `DeleteXPayload` classes (`types/payloads.ts`). */
  payloads: PayloadClasses;
  /** The editing services that do the work inside the mutation's transaction. */
  services: {
    create: (session: EditSession, input: TCreate) => Promise<TRecord>;
    update: (session: EditSession, input: TUpdate) => Promise<TRecord>;
    delete: (session: EditSession, input: DeleteInputShape) => Promise<DeleteResult>;
  };
  /** The mutations' descriptions, without the closing "Needs an editor token." that every one gets. */
  descriptions: { create: string; update: string; delete: string };
}

/**
 * Builds the resolver of one type's `createX`, `updateX` and `deleteX`, as type-graphql's
 * `examples/resolvers-inheritance` builds one resolver per resource: the three mutations of every
 * editable type work alike and differ only in their classes, services and descriptions.
 *
 * Payloads are nullable, as GitHub's are: when one mutation of a request fails, the results of
 * the others (already committed) still reach the client instead of a null `data`.
 */
export function createCrudMutations<TCreate extends MutationInput, TUpdate extends MutationInput, TRecord>(
  options: CrudMutationOptions<TCreate, TUpdate, TRecord>,
): ClassType {
  const { typeName, inputs, payloads, services, descriptions } = options;
  const noun = typeName.charAt(0).toLowerCase() + typeName.slice(1);
  const names = { create: `create${typeName}`, update: `update${typeName}`, delete: `delete${typeName}` };

  @Resolver()
  @UseMiddleware(EditorOnly)
  class CrudMutations {
    @Mutation(() => payloads.Create, { name: names.create, nullable: true, description: descriptions.create + EDITORS_ONLY })
    async create(
      @Arg("input", () => inputs.create, { validateFn: validateInput, description: `The new ${noun}.` }) input: TCreate,
      @Ctx() ctx: Context,
    ): Promise<Record<string, unknown>> {
      const record = await runEdit(ctx, names.create, (session) => services.create(session, input));
      return { clientMutationId: input.clientMutationId ?? null, [noun]: record };
    }

    @Mutation(() => payloads.Update, { name: names.update, nullable: true, description: descriptions.update + EDITORS_ONLY })
    async update(
      @Arg("input", () => inputs.update, { validateFn: validateInput, description: `The ${noun} to change and the changes.` }) input: TUpdate,
      @Ctx() ctx: Context,
    ): Promise<Record<string, unknown>> {
      const record = await runEdit(ctx, names.update, (session) => services.update(session, input));
      return { clientMutationId: input.clientMutationId ?? null, [noun]: record };
    }

    @Mutation(() => payloads.Delete, { name: names.delete, nullable: true, description: descriptions.delete + EDITORS_ONLY })
    async delete(
      @Arg("input", () => inputs.delete, { validateFn: validateInput, description: `The ${noun} to delete.` }) input: DeleteInputShape,
      @Ctx() ctx: Context,
    ): Promise<DeletePayloadShape> {
      const result = await runEdit(ctx, names.delete, (session) => services.delete(session, input));
      return { clientMutationId: input.clientMutationId ?? null, ...result };
    }
  }

  // Every call declares the same class; the name tells them apart in stack traces and debuggers.
  Object.defineProperty(CrudMutations, "name", { value: `${typeName}Mutations` });
  return CrudMutations;
}
