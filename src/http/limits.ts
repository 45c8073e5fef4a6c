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
} from "graphql";
import { Context } from "../context";
import { DEFAULT_PAGE_SIZE } from "../data/pagination";
import type { RequestHandler } from "express";
import { ErrorCode, QueryTooComplexError } from "../errors";

/**
 * Every limit a request is held to, in one place (the README lists them). Values follow
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

const ARMOR_MESSAGES = /^Syntax Error: (Query depth limit|Aliases limit|Directives limit)/;

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
 * Refuses, before GraphQL parses anything, a document with too many tokens (400,
 * QUERY_TOO_COMPLEX, like every other limit) and variables nested deeper than any real input
 * (400, BAD_USER_INPUT: graphql-js coerces variables recursively and would overflow the stack).
 * It sits in front of Apollo, for POST bodies and GET query strings alike.
 */
export function tokenLimit(): RequestHandler {
  return (req, res, next) => {
    const body = req.body as { query?: unknown; variables?: unknown } | undefined;
    let variables = body?.variables;
    if (variables === undefined && typeof req.query.variables === "string") {
      try {
        variables = JSON.parse(req.query.variables);
      } catch {
        // Apollo reports unparsable variables itself, with a code.
      }
    }
    if (jsonDepth(variables, LIMITS.maxVariableDepth) > LIMITS.maxVariableDepth) {
      res.status(400).json({
        errors: [{ message: `Variables may nest at most ${LIMITS.maxVariableDepth} levels deep.`, extensions: { code: ErrorCode.BAD_USER_INPUT, limit: LIMITS.maxVariableDepth } }],
      });
      return;
    }
    const query = typeof body?.query === "string" ? body.query : typeof req.query.query === "string" ? req.query.query : undefined;
    if (query !== undefined && countTokens(query, LIMITS.maxTokens) > LIMITS.maxTokens) {
      res.status(400).json({
        errors: [{ message: `Token limit of ${LIMITS.maxTokens} exceeded.`, extensions: { code: ErrorCode.QUERY_TOO_COMPLEX, limit: LIMITS.maxTokens } }],
      });
      return;
    }
    next();
  };
}

/** Recognizes graphql-armor's rejections, which carry no code of their own. */
export function isLimitError(message: string): boolean {
  return ARMOR_MESSAGES.test(message);
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
        async didResolveOperation({ schema, document, operation, request }) {
          if (!operation) return;
          if (operation.operation === "subscription") {
            // graphql-js would fail this only at execution, as an internal error.
            throw new GraphQLError("This server does not support subscriptions", {
              extensions: { code: "GRAPHQL_VALIDATION_FAILED", http: { status: 400 } },
            });
          }
          const fragments: Record<string, FragmentDefinitionNode> = {};
          for (const definition of document.definitions) {
            if (definition.kind === Kind.FRAGMENT_DEFINITION) fragments[definition.name.value] = definition;
          }
          const nodes = countNodes(schema, operation, fragments, request.variables ?? {});
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
