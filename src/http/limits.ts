import { ApolloServerPlugin } from "@apollo/server";
import { ApolloArmor } from "@escape.tech/graphql-armor";
import {
  FieldNode,
  FragmentDefinitionNode,
  getNamedType,
  GraphQLObjectType,
  GraphQLSchema,
  isObjectType,
  isInterfaceType,
  isUnionType,
  Kind,
  Lexer,
  Source,
  TokenKind,
  OperationDefinitionNode,
  SelectionSetNode,
  valueFromASTUntyped,
  GraphQLCompositeType,
  GraphQLNamedType,
  GraphQLError,
  DocumentNode,
  ValueNode,
} from "graphql";
import { Context } from "../context";
import { DEFAULT_PAGE_SIZE } from "../sql/pagination";
import type { RequestHandler } from "express";
import { ErrorCode, QueryTooComplexError } from "../errors";
import { BoundedCache } from "../schema/jit-executor";

/**
 * Every limit a request is held to, in one place (docs/operations.md lists them). Values follow
 * GitHub's public API where it has one (page sizes, 500,000 nodes) and graphql-armor's advice
 * elsewhere, with room for the deepest real query (countries → people → positions → organization
 * through edges is 11 levels) and for GraphiQL's own introspection query (15).
 */
export const LIMITS = {
  /** Field nesting, fragments expanded; introspection included (GraphiQL's needs 15). */
  maxDepth: 20,
  /** Aliased fields per operation. */
  maxAliases: 30,
  /** Directives per operation. */
  maxDirectives: 50,
  /** Lexical tokens per document. */
  maxTokens: 5000,
  /** Objects a request may touch, from `first`/`last` before execution (GitHub's rule). */
  maxNodes: 500_000,
  /** Request body, in bytes: larger bodies get HTTP 413. */
  maxBodyBytes: 1_000_000,
  /** Nesting of JSON variables: deep enough for any filter, far from overflowing the stack. */
  maxVariableDepth: 100,
} as const;

/** graphql-armor's depth, alias, directive and token limits (its cost limit is replaced by ours). */
export function armor(options: { blockFieldSuggestions: boolean }): ReturnType<ApolloArmor["protect"]> {
  return new ApolloArmor({
    maxDepth: { n: LIMITS.maxDepth, ignoreIntrospection: false, flattenFragments: true },
    maxAliases: { n: LIMITS.maxAliases },
    maxDirectives: { n: LIMITS.maxDirectives },
    // Counted in `tokenLimit` instead: armor's parser hook throws outside Apollo's error handling.
    maxTokens: { enabled: false },
    costLimit: { enabled: false },
    blockFieldSuggestion: { enabled: options.blockFieldSuggestions },
  }).protect();
}

/** Counts a document's lexical tokens, stopping as soon as the count passes `max`. */
export function countTokens(source: string, max: number): number {
  const lexer = new Lexer(new Source(source));
  let count = 0;
  try {
    while (lexer.advance().kind !== TokenKind.EOF) {
      count += 1;
      if (count > max) break;
    }
  } catch {
    // A lexing error is the parser's to report, with its position; count what was read.
  }
  return count;
}

/** How deeply a JSON value nests, counted without recursion so no input can overflow the stack. */
export function jsonDepth(value: unknown, max: number): number {
  let deepest = 0;
  const stack: Array<[unknown, number]> = [[value, 1]];
  while (stack.length > 0) {
    const [current, depth] = stack.pop() as [unknown, number];
    if (current === null || typeof current !== "object") continue;
    deepest = Math.max(deepest, depth);
    if (deepest > max) return deepest;
    for (const child of Object.values(current as Record<string, unknown>)) stack.push([child, depth + 1]);
  }
  return deepest;
}

/**
 * Bounds of the cache of token counts by query text (`tokenCounts`): a frontend sends the same
 * few documents over and over, and lexing one again on every request was a per-request cost that
 * does not depend on the request. A text is kept with its count, so the bytes bound the texts:
 * 1,000 entries and 2 MiB (a text over 2 MiB is never kept, and the body limit is 1 MB anyway).
 */
export const TOKEN_COUNT_CACHE = { entries: 1000, bytes: 2 * 2 ** 20 } as const;

/** A cache of token counts by query text, bounded by `TOKEN_COUNT_CACHE` (a string costs two bytes a character). */
export function tokenCountCache(): BoundedCache<number> {
  return new BoundedCache<number>(TOKEN_COUNT_CACHE.entries, TOKEN_COUNT_CACHE.bytes, (_count, text) => text.length * 2 + 64);
}

/**
 * Refuses, before GraphQL parses anything, a document with too many tokens (400,
 * QUERY_TOO_COMPLEX, like every other limit) and variables nested deeper than any real input
 * (400, BAD_USER_INPUT: graphql-js coerces variables recursively and would overflow the stack).
 * It sits in front of Apollo, for POST bodies and GET query strings alike. Counts are kept by
 * query text in `counts` (bounded, see `TOKEN_COUNT_CACHE`), so a repeated document is not
 * lexed again.
 */
export function tokenLimit(counts: BoundedCache<number> = tokenCountCache()): RequestHandler {
  return (req, res, next) => {
    const refusal = tokenLimitRefusal(
      req.body as { query?: unknown; variables?: unknown } | undefined,
      { query: req.query.query, variables: req.query.variables },
      counts,
    );
    if (refusal) {
      res.status(refusal.status).json(refusal.body);
      return;
    }
    next();
  };
}

/** A refusal before GraphQL runs: the status and the coded JSON body to send. */
export interface Refusal {
  status: number;
  body: { errors: Array<{ message: string; extensions: Record<string, unknown> }> };
}

/**
 * What `tokenLimit` checks, apart from Express: the refusal for a body (or, for GET, query
 * string parameters) over the token or variable-nesting limits, or null. Shared by the Express
 * middleware and the `node:http` front (src/http/graphql-front.ts).
 */
export function tokenLimitRefusal(
  body: { query?: unknown; variables?: unknown } | undefined,
  search: { query?: unknown; variables?: unknown },
  counts: BoundedCache<number>,
): Refusal | null {
  let variables = body?.variables;
  if (variables === undefined && typeof search.variables === "string") {
    try {
      variables = JSON.parse(search.variables);
    } catch {
      // Apollo reports unparsable variables itself, with a code.
    }
  }
  if (jsonDepth(variables, LIMITS.maxVariableDepth) > LIMITS.maxVariableDepth) {
    return {
      status: 400,
      body: {
        errors: [{ message: `Variables may nest at most ${LIMITS.maxVariableDepth} levels deep.`, extensions: { code: ErrorCode.BAD_USER_INPUT, limit: LIMITS.maxVariableDepth } }],
      },
    };
  }
  const query = typeof body?.query === "string" ? body.query : typeof search.query === "string" ? search.query : undefined;
  let tokens = 0;
  if (query !== undefined) {
    const kept = counts.get(query);
    tokens = kept ?? countTokens(query, LIMITS.maxTokens);
    if (kept === undefined) counts.set(query, tokens);
  }
  if (tokens > LIMITS.maxTokens) {
    return {
      status: 400,
      body: { errors: [{ message: `Token limit of ${LIMITS.maxTokens} exceeded.`, extensions: { code: ErrorCode.QUERY_TOO_COMPLEX, limit: LIMITS.maxTokens } }] },
    };
  }
  return null;
}

/** Recognizes graphql-armor's rejections; it lives with the rest of error shaping, in src/errors/normalize.ts. */
export { isLimitError } from "../errors/normalize";

/** Whether a literal reads a variable anywhere in it (`$first`, `[$a, "b"]`, `{ x: $y }`). */
function hasVariable(value: ValueNode): boolean {
  if (value.kind === Kind.VARIABLE) return true;
  if (value.kind === Kind.LIST) return value.values.some(hasVariable);
  if (value.kind === Kind.OBJECT) return value.fields.some((field) => hasVariable(field.value));
  return false;
}

/**
 * Bounds of the cache of node counts (`operationNodes`): 1,000 operations, 256 KB (a count is a
 * number; its key, a query hash and an operation name, is most of an entry).
 */
export const NODE_COUNT_CACHE = { entries: 1000, bytes: 256 * 1024 } as const;

/**
 * Node counts of operations whose count reads no variable, by query hash and operation name.
 * `nodeLimit` and the rate budget both count every request; walking the same document again on
 * every request was a cost that does not depend on the request. One cache for the process: a
 * count depends only on the document and the schema, which every server here builds alike.
 */
export const nodeCounts = new BoundedCache<number>(NODE_COUNT_CACHE.entries, NODE_COUNT_CACHE.bytes, (_count, key) => key.length * 2 + 64);

/**
 * The node count of a request's operation (see `countNodes`), from `nodeCounts` when the
 * document was counted before and its count reads no variable. `queryHash` is Apollo's hash of
 * the query text (`GraphQLRequestContext.queryHash`).
 */
export function operationNodes(
  schema: GraphQLSchema,
  document: DocumentNode,
  operation: OperationDefinitionNode,
  variables: Record<string, unknown>,
  queryHash: string | undefined,
): number {
  const key = queryHash === undefined ? undefined : `${queryHash}:${operation.name?.value ?? ""}`;
  const kept = key === undefined ? undefined : nodeCounts.get(key);
  if (kept !== undefined) return kept;
  const fragments: Record<string, FragmentDefinitionNode> = {};
  for (const definition of document.definitions) {
    if (definition.kind === Kind.FRAGMENT_DEFINITION) fragments[definition.name.value] = definition;
  }
  const uses = { variables: false };
  const nodes = countNodes(schema, operation, fragments, variables, uses);
  if (key !== undefined && !uses.variables) nodeCounts.set(key, nodes);
  return nodes;
}

/**
 * Counts the objects a request may touch the way GitHub does: each connection (or paged list)
 * contributes its page size times the page sizes of every connection above it. `first` and
 * `last` come from the literal or the variables (with their defaults); a list without them
 * counts its default of 20.
 */
export function countNodes(
  schema: GraphQLSchema,
  operation: OperationDefinitionNode,
  fragments: Record<string, FragmentDefinitionNode>,
  given: Record<string, unknown>,
  /** Set to true when a counted argument reads a variable, so the count depends on the request. */
  uses: { variables: boolean } = { variables: false },
): number {
  // A variable the request leaves out takes its default, as it will when the operation runs. The
  // copy has no prototype: a variable named `constructor` or `toString` found Object's and kept
  // its default out, so its page size counted as 20 (four levels of 100 counted as 160,000).
  const variables: Record<string, unknown> = Object.assign(Object.create(null) as Record<string, unknown>, given);
  for (const definition of operation.variableDefinitions ?? []) {
    const name = definition.variable.name.value;
    if (variables[name] === undefined && definition.defaultValue) variables[name] = valueFromASTUntyped(definition.defaultValue);
  }
  const argument = (field: FieldNode, name: string): unknown => {
    const node = field.arguments?.find((a) => a.name.value === name);
    if (node && hasVariable(node.value)) uses.variables = true;
    return node ? valueFromASTUntyped(node.value, variables) : undefined;
  };
  const composite = (type: GraphQLNamedType | null | undefined): type is GraphQLCompositeType =>
    !!type && (isObjectType(type) || isInterfaceType(type) || isUnionType(type));
  // A selection's count is linear in the page sizes above it, so each one is counted once, as if
  // at the top, and multiplied in. In particular each fragment is counted once however often it
  // is spread: walking it again at every spread costs 2^n for n fragments that each spread the
  // previous one twice (30 such fragments, a 1 KB request, blocked the event loop for hours).
  const fragmentCounts = new Map<string, number>();
  const count = (selections: SelectionSetNode, parent: GraphQLCompositeType, seen: ReadonlySet<string>): number => {
    let total = 0;
    for (const selection of selections.selections) {
      if (selection.kind === Kind.FRAGMENT_SPREAD) {
        const name = selection.name.value;
        const fragment = fragments[name];
        if (!fragment || seen.has(name)) continue;
        let counted = fragmentCounts.get(name);
        if (counted === undefined) {
          const type = schema.getType(fragment.typeCondition.name.value);
          counted = composite(type) ? count(fragment.selectionSet, type, new Set([...seen, name])) : 0;
          fragmentCounts.set(name, counted);
        }
        total += counted;
      } else if (selection.kind === Kind.INLINE_FRAGMENT) {
        const type = selection.typeCondition ? schema.getType(selection.typeCondition.name.value) : parent;
        if (composite(type)) total += count(selection.selectionSet, type, seen);
      } else if (selection.selectionSet && !isUnionType(parent)) {
        const field = (parent as GraphQLObjectType).getFields()[selection.name.value];
        if (!field) continue;
        const named = getNamedType(field.type);
        // Only paged fields multiply: a connection's `nodes` and `edges` are the page itself.
        let size = 1;
        const paged = field.args.some((a) => a.name === "first" || a.name === "last");
        const ids = paged ? undefined : argument(selection, "ids");
        if (paged) {
          const first = argument(selection, "first");
          const last = argument(selection, "last");
          size = Math.max(typeof first === "number" ? first : typeof last === "number" ? last : DEFAULT_PAGE_SIZE, 1);
        } else if (Array.isArray(ids)) {
          size = ids.length;
        }
        if (paged || Array.isArray(ids)) total += size;
        if (composite(named)) total += size * count(selection.selectionSet, named, seen);
      }
    }
    return total;
  };
  const root = operation.operation === "mutation" ? schema.getMutationType() : schema.getQueryType();
  return root ? count(operation.selectionSet, root, new Set()) : 0;
}

/**
 * Rejects, before execution, a request whose node count is over the limit. It runs once the
 * operation is resolved so that page sizes given as variables count too.
 */
export function nodeLimit(): ApolloServerPlugin<Context> {
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ schema, document, operation, request, queryHash }) {
          if (!operation) return;
          if (operation.operation === "subscription") {
            // graphql-js would fail this only at execution, as an internal error.
            throw new GraphQLError("This server does not support subscriptions", {
              extensions: { code: "GRAPHQL_VALIDATION_FAILED", http: { status: 400 } },
            });
          }
          const nodes = operationNodes(schema, document, operation, request.variables ?? {}, queryHash);
          if (nodes > LIMITS.maxNodes) {
            throw new QueryTooComplexError(
              `This request could touch ${nodes.toLocaleString("en")} nodes, over the limit of ${LIMITS.maxNodes.toLocaleString("en")}; ask for smaller pages (first/last).`,
              { nodes, limit: LIMITS.maxNodes },
            );
          }
        },
      };
    },
  };
}
