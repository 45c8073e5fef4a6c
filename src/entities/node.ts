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

/** The Relay/GitHub `Node` interface: anything with a stable, opaque global ID. */
@InterfaceType("Node", {
  description:
    "An object with a globally unique, opaque and stable ID. Fetch any node again with `node(id:)`; client caches (Apollo Client, Relay, urql) can normalize on `id`.",
  resolveType: (value: Typed) => value[NODE_TYPE],
})
export abstract class Node {
  @Field(() => ID, { description: "The globally unique, opaque ID of this object." })
  id!: string;
}
