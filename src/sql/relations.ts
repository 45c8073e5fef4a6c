import { model, NodeTypeName, ToManyModel } from "../model/registry";
import { ListSource } from "./list-query";
import { TableDef, tablesByType } from "./tables";

/**
 * A to-many relation: the target table (aliased `t`) and the condition tying a row to one parent,
 * given the SQL expression of the parent's id.
 */
export interface RelationSource<T> {
  target: TableDef<T>;
  parentCondition(parent: string): string;
}

/** The name of a to-many relation: `Type.field`. */
export type RelationName = `${NodeTypeName}.${string}`;

function source(relation: ToManyModel): RelationSource<unknown> {
  const target = tablesByType[relation.target];
  const { through } = relation;
  if (through) {
    // People and organizations are linked through the positions people hold.
    return {
      target,
      parentCondition: (parent) => `t.id IN (SELECT l."${through.other}" FROM "${through.table}" l WHERE l."${through.own}" = ${parent})`,
    };
  }
  return { target, parentCondition: (parent) => `t."${relation.column}" = ${parent}` };
}

/** Every to-many relation of the model, by name: a view of the model registry. */
export const relations: ReadonlyMap<RelationName, RelationSource<unknown>> = new Map(
  [...model().types.values()].flatMap((type) =>
    [...type.toMany.values()].map((relation) => [`${type.name}.${relation.field}` as RelationName, source(relation)] as const),
  ),
);

/** The to-many relation of that name; throws for one the model does not have. */
export function relationSource(name: RelationName): RelationSource<unknown> {
  const found = relations.get(name);
  if (!found) throw new Error(`${name} is not a to-many relation of the model`);
  return found;
}

/** Root lists: every row of a table. */
export function rootSource<T>(target: TableDef<T>): ListSource<T> {
  return { target, from: `"${target.table}" t` };
}
