/**
 * The recommended Apollo Client 4 cache set-up for this API: copy this file (and the two JSON
 * files it imports) into a frontend, or import it from this repository.
 *
 *   import { ApolloClient, HttpLink, InMemoryCache } from "@apollo/client";
 *   import { newsKbCacheConfig } from "./apollo";
 *   const client = new ApolloClient({
 *     link: new HttpLink({ uri: "http://localhost:4000/graphql" }),
 *     cache: new InMemoryCache(newsKbCacheConfig()),
 *   });
 *
 * Why it exists (see docs/frontends.md and test/apollo-client.test.ts):
 * - Apollo's `relayStylePagination` merges only `edges`. A query that selects `nodes` (the style
 *   the README uses) keeps only the last page after `fetchMore`, silently. `connectionPagination`
 *   merges pages whether the query selects `nodes`, `edges` or both.
 * - Without `possibleTypes`, the cache cannot tell that a `Person` is a `Node` or a
 *   `SearchResultItem`, and drops the fields of `... on Node { id }` from `node` and `search`
 *   results.
 *
 * `possibleTypes.json` and `connection-fields.json` are written by `npm run schema` from the
 * schema, and a test fails when they are stale.
 */
import type { FieldFunctionOptions, FieldMergeFunctionOptions, FieldPolicy, InMemoryCacheConfig, KeyArgsFunction, Reference, StoreObject, TypePolicies } from "@apollo/client/cache";
import { relayStylePagination } from "@apollo/client/utilities";
import possibleTypes from "../possibleTypes.json";
import connectionFields from "./connection-fields.json";

/** The arguments that choose a page; every other argument (filter, orderBy, query…) chooses the list. */
const PAGING_ARGUMENTS = new Set(["first", "after", "last", "before"]);

/**
 * The cache key of a connection field: its arguments minus the paging ones, so that the pages of
 * one list (same filter, same order) are merged into one, and different lists are kept apart.
 */
export const connectionKeyArgs: KeyArgsFunction = (args) => {
  const keys = Object.keys(args ?? {})
    .filter((name) => !PAGING_ARGUMENTS.has(name))
    .sort();
  return keys.length > 0 ? keys : false;
};

/** An edge as the cache stores it: the node is a reference to the normalized object. */
interface StoredEdge {
  cursor?: string;
  node?: Reference | unknown;
  [field: string]: unknown;
}

/** A page of a connection as the server sends it (only the selected fields are there). */
interface ConnectionPage {
  edges?: StoredEdge[];
  nodes?: unknown[];
  pageInfo?: { hasPreviousPage: boolean; hasNextPage: boolean; startCursor: string; endCursor: string };
  [field: string]: unknown;
}

/** The relay policy's own field functions, typed for the pages this API sends. */
type RelayPolicy = FieldPolicy<ConnectionPage | null, ConnectionPage | null, ConnectionPage | null>;

/**
 * A field policy for this API's connections: pages fetched with `fetchMore` (`after` or
 * `before`) are merged into one list, in order and without duplicates, whether the query
 * selects `nodes`, `edges` or both; `totalCount` and `pageInfo` are those of the latest page
 * (the last page's `hasNextPage` and `endCursor`).
 *
 * It is Apollo's `relayStylePagination` with `nodes` turned into edges on the way in and read
 * back out of them, since that policy merges `edges` only.
 */
export function connectionPagination(keyArgs: FieldPolicy["keyArgs"] = connectionKeyArgs): FieldPolicy<ConnectionPage | null> {
  const relay = relayStylePagination(keyArgs) as unknown as RelayPolicy;
  const relayRead = relay.read;
  const relayMerge = relay.merge;
  if (typeof relayRead !== "function" || typeof relayMerge !== "function") throw new Error("relayStylePagination has no read or merge function");
  return {
    keyArgs,
    read(existing: ConnectionPage | null | undefined, options: FieldFunctionOptions): ConnectionPage | null | undefined {
      const read = relayRead(existing ?? undefined, options);
      if (!read) return read;
      const edges = read.edges ?? [];
      return { ...read, nodes: edges.map((edge) => options.readField("node", edge as StoreObject)) };
    },
    merge(existing: ConnectionPage | null | undefined, incoming: ConnectionPage | null, options: FieldMergeFunctionOptions): ConnectionPage | null {
      if (!incoming) return relayMerge(existing, incoming, options);
      const { nodes, ...page } = incoming;
      // A page selected through `nodes` alone becomes edges without cursors; the relay policy
      // takes the first and last edge's cursors from `pageInfo`, which is all `after` needs.
      const asEdges = page.edges || !nodes ? page : { ...page, edges: nodes.map((node) => ({ node })) };
      return relayMerge(existing, asEdges, options);
    },
  };
}

/**
 * A type policy for every connection field of the schema (`connection-fields.json`, written by
 * `npm run schema`), each with `connectionPagination`.
 */
export function connectionTypePolicies(fields: Record<string, string[]> = connectionFields): TypePolicies {
  const policies: TypePolicies = {};
  for (const [typeName, names] of Object.entries(fields)) {
    policies[typeName] = { fields: Object.fromEntries(names.map((name) => [name, connectionPagination()])) };
  }
  return policies;
}

/** Which object types belong to each interface and union (`possibleTypes.json`, written by `npm run schema`). */
export const newsKbPossibleTypes: Record<string, string[]> = possibleTypes;

/** The options for `new InMemoryCache(...)`: this API's possible types and connection policies. */
export function newsKbCacheConfig(): InMemoryCacheConfig {
  return { possibleTypes: newsKbPossibleTypes, typePolicies: connectionTypePolicies() };
}
