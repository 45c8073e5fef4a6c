import { ClassType, FieldResolver, ID, Int, Resolver, Root } from "type-graphql";
import { toGlobalId } from "../model/global-id";
import { NodeTypeName } from "../sql/tables";

/**
 * The fields every node type shares, `id` and `databaseId`, as an abstract resolver the entity
 * resolvers extend (TypeGraphQL's resolver inheritance).
 */
export function NodeFieldsResolver<T extends { id: number }>(type: ClassType<T>, typeName: NodeTypeName) {
  @Resolver(() => type)
  abstract class NodeFields {
    @FieldResolver(() => ID, { description: `The globally unique, opaque ID of this ${typeName}.` })
    id(@Root() row: T): string {
      return toGlobalId(typeName, row.id);
    }

    @FieldResolver(() => Int, {
      description: `The primary key of this ${typeName} in the database: stable, but unique only among ${typeName}s.`,
    })
    databaseId(@Root() row: T): number {
      return row.id;
    }
  }
  return NodeFields;
}
