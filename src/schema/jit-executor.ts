import type { ApolloServerOptionsWithGateway } from "@apollo/server";
import {
  DocumentNode,
  execute,
  ExecutionResult,
  getNamedType,
  GraphQLError,
  GraphQLInputObjectType,
  GraphQLSchema,
  isInputObjectType,
  OperationDefinitionNode,
  printSchema,
  typeFromAST,
} from "graphql";
import type { CompiledQuery } from "graphql-jit";
import type { Context } from "../context";

/** Apollo Server's gateway interface: the one supported way to give it another executor. */
type Gateway = NonNullable<ApolloServerOptionsWithGateway<Context>["gateway"]>;
type Executor = NonNullable<Awaited<ReturnType<Gateway["load"]>>["executor"]>;

/**
 * graphql-jit reports errors with its own error class, which has no `extensions` unless the
 * thrown error had some; Apollo and our error formatting expect graphql-js's own, which always
 * has them and takes the code of the error a resolver threw.
 */
function withGraphQLErrors(result: ExecutionResult): ExecutionResult {
  if (!result.errors?.length) return result;
  const errors = result.errors.map((e) => {
    const error = new GraphQLError(e.message, { path: e.path, originalError: e.originalError ?? undefined });
    return Object.assign(error, { locations: e.locations });
  });
  return { ...result, errors };
}

/**
 * The input object types from which a cycle can be reached (`PersonFilter` nests itself in
 * `and`, `or` and `not`). graphql-jit compiles variable coercion by unrolling the variable's type,
 * which for such a type never ends, so operations with a variable of one run on graphql-js.
 */
function cyclicInputTypes(schema: GraphQLSchema): Set<string> {
  const cyclic = new Set<string>();
  const reachable = (from: GraphQLInputObjectType): Set<string> => {
    const seen = new Set<string>();
    const stack = [from];
    while (stack.length) {
      for (const field of Object.values((stack.pop() as GraphQLInputObjectType).getFields())) {
        const named = getNamedType(field.type);
        if (isInputObjectType(named) && !seen.has(named.name)) {
          seen.add(named.name);
          stack.push(named);
        }
      }
    }
    return seen;
  };
  const types = Object.values(schema.getTypeMap()).filter(isInputObjectType);
  const selfReaching = new Set(types.filter((t) => reachable(t).has(t.name)).map((t) => t.name));
  for (const type of types) {
    if (selfReaching.has(type.name) || [...reachable(type)].some((name) => selfReaching.has(name))) cyclic.add(type.name);
  }
  return cyclic;
}

/**
 * graphql-jit, loaded when the first operation is compiled: with the JSON serializer and schema
 * validator it brings along it takes about 100 ms to load, which start-up need not wait for.
 */
function jit(): typeof import("graphql-jit") {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- a deliberate lazy load.
  return require("graphql-jit") as typeof import("graphql-jit");
}

/** Which run of an operation compiles it; the runs before go through graphql-js. */
export const COMPILE_ON_RUN = 2;

/**
 * Executes operations with graphql-jit, which compiles each operation once into a function that
 * resolves its fields and builds plain result objects, instead of graphql-js walking the
 * selection set field by field on every request. On the benchmark's nested query (about 5,000
 * fields) that was about a third of the request's time, and graphql-js's null-prototype result
 * objects also made the response slower to stringify.
 *
 * An operation is compiled the second time it runs (`COMPILE_ON_RUN`): compiling costs from about
 * a millisecond to tens (GraphiQL's introspection query), which pays off for the queries a
 * frontend sends on every page view but not for a one-off research query, and a client sending
 * ever new documents cannot make the server compile each one. Compiled operations are kept per
 * parsed document, which Apollo caches per query text, so a document Apollo evicts takes its
 * compiled operations with it. An operation graphql-jit cannot compile runs on graphql-js, as do
 * requests whose variables do not coerce, so that their errors are graphql-js's own.
 */
export function jitGateway(schema: GraphQLSchema): Gateway {
  const compiled = new WeakMap<DocumentNode, Map<string, { runs: number; query: CompiledQuery | null | undefined }>>();
  const cyclic = cyclicInputTypes(schema);
  const compilable = (operation: OperationDefinitionNode): boolean =>
    (operation.variableDefinitions ?? []).every((definition) => {
      const type = typeFromAST(schema, definition.type);
      return !type || !cyclic.has(getNamedType(type).name);
    });

  const compile = (document: DocumentNode, operationName: string | null): CompiledQuery | null => {
    const { compileQuery, isCompiledQuery } = jit();
    try {
      const result = compileQuery(schema, document, operationName ?? undefined, { disablingCapturingStackErrors: true });
      return isCompiledQuery(result) ? result : null;
    } catch {
      // A document graphql-jit cannot handle still has graphql-js, which answers every valid one.
      return null;
    }
  };

  const compiledFor = (document: DocumentNode, operation: OperationDefinitionNode, operationName: string | null): CompiledQuery | null => {
    let operations = compiled.get(document);
    if (!operations) {
      operations = new Map();
      compiled.set(document, operations);
    }
    const key = operationName ?? "";
    const entry = operations.get(key) ?? { runs: 0, query: undefined };
    operations.set(key, entry);
    entry.runs += 1;
    if (entry.query === undefined && entry.runs >= COMPILE_ON_RUN) entry.query = compilable(operation) ? compile(document, operationName) : null;
    return entry.query ?? null;
  };

  const executor: Executor = async (request) => {
    const { document, operation, operationName, context } = request;
    const variables = request.request.variables ?? {};
    // Without an operation (several and no name, or an unknown name) graphql-js reports the error.
    const query = operation ? compiledFor(document, operation, operationName) : null;
    if (query) {
      const result = await query.query(undefined, context, variables);
      if (result.data !== undefined || !result.errors?.length) return withGraphQLErrors(result);
    }
    return execute({ schema, document, contextValue: context, variableValues: variables, operationName: request.request.operationName });
  };

  return {
    load: async () => ({ executor }),
    onSchemaLoadOrUpdate: (callback) => {
      // Only Apollo's schema reporting reads the SDL, which this server does not use (without a
      // gateway Apollo passes none at all), so it is printed only if something asks.
      callback({
        apiSchema: schema,
        get coreSupergraphSdl(): string {
          return printSchema(schema);
        },
      });
      return () => undefined;
    },
    stop: async () => undefined,
  };
}
