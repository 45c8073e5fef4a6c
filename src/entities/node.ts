import { Field, ID, InterfaceType } from "type-graphql";

/**
 * The hidden marker every row carries so that `Node` and search results can tell their GraphQL
 * type without `instanceof` (rows are plain objects read straight from SQL, not class instances).
 */
export const NODE_TYPE = Symbol("nodeType");

/** Rows tagged with their GraphQL type name. */
export interface Typed {
  [NODE_TYPE]?: string;
}

/** The GraphQL type name a row is tagged with: how `Node` and search results resolve their type. */
export function nodeTypeName(value: unknown): string | undefined {
  return (value as Typed)[NODE_TYPE];
}

/** The Relay/GitHub `Node` interface: anything with a stable, opaque global ID. */
@InterfaceType("Node", {
  description:
    "An object with a globally unique, opaque and stable ID. Fetch any node again with `node(id:)`; client caches (Apollo Client, Relay, urql) can normalize on `id`.",
  resolveType: nodeTypeName,
})
export abstract class Node {
  @Field(() => ID, { description: "The globally unique, opaque ID of this object." })
  id!: string;
}

/**
 * An object as field resolvers receive it in `@Root()`: rows are plain objects, not entity
 * instances. The type is a mapped type, so the design type TypeScript emits for the parameter is
 * `Object`; with the entity class there, TypeGraphQL would copy every row into a new instance of
 * the class on every call (`convertToType`), which on nested lists is once per row and field.
 */
export type Row<T> = Readonly<T>;
