import type { ApolloServerOptionsWithGateway } from "@apollo/server";
import {
  DocumentNode,
  execute,
  ExecutionResult,
  getNamedType,
  GraphQLInputObjectType,
  GraphQLSchema,
  isInputObjectType,
  OperationDefinitionNode,
  printSchema,
  typeFromAST,
} from "graphql";
import type { CompiledQuery, CompilerOptions } from "graphql-jit";
import { DEFAULT_OPERATION_CACHE_ENTRIES } from "../config";
import type { Context } from "../context";
import { withGraphQLErrors } from "../errors/normalize";

/** Apollo Server's gateway interface: the one supported way to give it another executor. */
type Gateway = NonNullable<ApolloServerOptionsWithGateway<Context>["gateway"]>;
type Executor = NonNullable<Awaited<ReturnType<Gateway["load"]>>["executor"]>;

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
 * What one parsed document is estimated to hold per lexical token: graphql-js keeps every token
 * (a linked list hanging off the document's locations), a location per AST node and the nodes
 * themselves, measured at 230 to 350 bytes per token on this schema's operations. Apollo's own
 * estimate, the document's JSON, is about a fifth of that.
 */
const DOCUMENT_BYTES_PER_TOKEN = 350;
/**
 * What a compiled operation is estimated to hold per character of the JavaScript graphql-jit
 * generated for it, on top of its document: V8 keeps the source, its bytecode once run, and the
 * closures (a resolve-info function per field), measured at 2 to 4 bytes per character.
 */
const COMPILED_BYTES_PER_SOURCE_CHAR = 4;
/** A compiled operation's cost that does not grow with its source: its closures and bookkeeping. */
const COMPILED_BASE_BYTES = 8 * 1024;
/** A compiled operation whose source graphql-jit did not report is counted at this, a large one. */
const COMPILED_FALLBACK_BYTES = 256 * 1024;

/**
 * The byte bounds, per entry of `OPERATION_CACHE_ENTRIES`. With the default 500 entries: 8 MiB
 * of parsed documents, 16 MiB of compiled operations, 2 MiB of persisted query texts. A small
 * operation (a dozen fields: a 10 KB document, compiled about 50 KB with it) fills the compiled
 * operations' bytes at about 300 entries, a large one sooner. The bounds are this tight because
 * V8 lets its heap grow to three or four times what is live before it collects (its default
 * on a machine with 16 GB or more), and cache entries pushed out are garbage that waits for that
 * collection: with 1,000 entries and twice these bytes, 20,000 distinct operations left the
 * server at 420 MB resident with 85 MB live, against 260 MB for a server that caches nothing.
 */
export const OPERATION_CACHE_BYTES_PER_ENTRY = { documents: 16 * 1024, compiled: 32 * 1024, persistedQueries: 4 * 1024 } as const;
/**
 * How many more operations are remembered as run once than are kept compiled: an operation is
 * compiled on its second run only if its first is still remembered, so a flood of one-off
 * operations pushes out other one-offs' counts, never the compiled operations of repeated ones.
 */
export const RUN_COUNTS_PER_ENTRY = 10;
/** The estimated bytes of a remembered run count, besides its key (a hash and operation name). */
const RUN_COUNT_BYTES = 100;

/** Entry count and estimated bytes of a bounded cache, with its bounds and its use so far. */
export interface CacheStats {
  entries: number;
  bytes: number;
  maxEntries: number;
  maxBytes: number;
  hits: number;
  misses: number;
  evictions: number;
}

/**
 * A cache bounded both by entries and by the estimated bytes its values hold (`sizeOf`): an
 * entry count alone lets a few huge values through, a byte size alone lets millions of tiny ones
 * pile up their per-entry overhead. A value larger than the whole byte bound is not kept.
 *
 * What it drops first is the least recently used entry, approximately (the CLOCK or "second
 * chance" policy): a hit only marks its entry as used, and an entry is dropped when it comes up
 * oldest without having been used since it was last passed over; a used one goes to the back
 * instead. Moving every hit to the back of the Map (a delete and a set) cost about 1.6 us per
 * hit on a query text, several times per request (issue 18).
 */
export class BoundedCache<V> {
  private readonly map = new Map<string, { value: V; bytes: number; used: boolean }>();
  private bytes = 0;
  private hits = 0;
  private misses = 0;
  private evictions = 0;

  constructor(
    readonly maxEntries: number,
    readonly maxBytes: number,
    private readonly sizeOf: (value: V, key: string) => number,
  ) {}

  get(key: string): V | undefined {
    const entry = this.map.get(key);
    if (!entry) {
      this.misses += 1;
      return undefined;
    }
    this.hits += 1;
    entry.used = true;
    return entry.value;
  }

  /** Keeps `value`, dropping entries over either bound (see the class comment); false if it is not kept. */
  set(key: string, value: V): boolean {
    this.delete(key);
    const bytes = Math.max(0, this.sizeOf(value, key));
    if (this.maxEntries <= 0 || bytes > this.maxBytes) return false;
    this.map.set(key, { value, bytes, used: false });
    this.bytes += bytes;
    // Each used entry is passed over once (and marked unused), so this ends.
    while (this.map.size > this.maxEntries || this.bytes > this.maxBytes) {
      const [oldest, entry] = this.map.entries().next().value as [string, { value: V; bytes: number; used: boolean }];
      if (entry.used && oldest !== key) {
        entry.used = false;
        this.map.delete(oldest);
        this.map.set(oldest, entry);
        continue;
      }
      this.delete(oldest);
      if (oldest === key) return false;
      this.evictions += 1;
    }
    return true;
  }

  delete(key: string): boolean {
    const entry = this.map.get(key);
    if (!entry) return false;
    this.map.delete(key);
    this.bytes -= entry.bytes;
    return true;
  }

  stats(): CacheStats {
    return {
      entries: this.map.size,
      bytes: this.bytes,
      maxEntries: this.maxEntries,
      maxBytes: this.maxBytes,
      hits: this.hits,
      misses: this.misses,
      evictions: this.evictions,
    };
  }
}

/** The fast lane's key of an operation: the operation name the client sent (if any) and the query text. */
function preparedKey(query: string, operationName: string | null | undefined): string {
  return `${operationName ?? ""}\n${query}`;
}

/** Apollo's cache interface (`documentStore`, `persistedQueries.cache`): asynchronous get, set and delete. */
export interface KeyValueStore<V> {
  get(key: string): Promise<V | undefined>;
  set(key: string, value: V): Promise<void>;
  delete(key: string): Promise<boolean>;
}

function keyValueStore<V>(cache: BoundedCache<V>): KeyValueStore<V> {
  return {
    get: async (key) => cache.get(key),
    // A time to live (persisted queries ask for one) is not kept: entries leave by the bounds.
    set: async (key, value) => void cache.set(key, value),
    delete: async (key) => cache.delete(key),
  };
}

/** The estimated bytes a parsed document holds: its tokens and its source text (see DOCUMENT_BYTES_PER_TOKEN). */
export function documentBytes(document: DocumentNode): number {
  const source = document.loc?.source.body ?? "";
  let tokens = 0;
  for (let token = document.loc?.startToken ?? null; token; token = token.next) tokens += 1;
  // A document parsed without locations keeps no tokens; count its nodes instead.
  if (!document.loc) tokens = JSON.stringify(document).length / 20;
  return Math.round(tokens * DOCUMENT_BYTES_PER_TOKEN + source.length * 2);
}

/** The estimated bytes of a compiled operation: its generated source's cost plus the document it holds on to. */
function compiledBytes(sourceLength: number | undefined, document: DocumentNode): number {
  const own = sourceLength === undefined ? COMPILED_FALLBACK_BYTES : COMPILED_BASE_BYTES + sourceLength * COMPILED_BYTES_PER_SOURCE_CHAR;
  return own + documentBytes(document);
}

/** Every per-operation cache's entries and estimated bytes, for tests, the benchmark and operators. */
export interface OperationCacheStats {
  /** Parsed and validated documents by query text (Apollo's `documentStore`). */
  documents: CacheStats;
  /** Operations compiled by graphql-jit, by query text and operation name. */
  compiled: CacheStats;
  /** How often each recent operation ran, to compile it on its second run. */
  runCounts: CacheStats;
  /** Query texts of automatic persisted queries, by hash (Apollo's `persistedQueries.cache`). */
  persistedQueries: CacheStats;
  /** Compiled read operations by query text and operation name, for the fast lane. */
  prepared: CacheStats;
}

/**
 * A read operation that Apollo has parsed, validated and run compiled, ready to run again without
 * Apollo (the fast lane, src/http/fast-lane.ts): its compiled function, its document and
 * operation (for the node count), and Apollo's hash of its text (the node count's cache key).
 */
export interface PreparedOperation {
  query: CompiledQuery;
  document: DocumentNode;
  operation: OperationDefinitionNode;
  queryHash: string;
}

/** The executor and every cache Apollo keeps per operation, each bounded (see `jitGateway`). */
export interface JitGateway extends Gateway {
  /** For Apollo's `documentStore` option. */
  readonly documentStore: KeyValueStore<DocumentNode>;
  /** For Apollo's `persistedQueries: { cache }` option. */
  readonly persistedQueryCache: KeyValueStore<string>;
  /**
   * The prepared read operation for a query text and the operation name the client sent, if
   * one ran compiled before and is still compiled; null otherwise (Apollo must answer).
   */
  prepared(query: string, operationName: string | undefined): PreparedOperation | null;
  /**
   * Makes the executor answer the request with this context with `result`, already computed by
   * the fast lane, rather than run it again: Apollo then shapes its errors and runs its plugins
   * over it as over any answer.
   */
  handOver(context: Context, result: ExecutionResult): void;
  stats(): OperationCacheStats;
}

/** A compiled operation (null: graphql-jit cannot compile it, so it runs on graphql-js) and what it holds. */
interface Compiled {
  query: CompiledQuery | null;
  bytes: number;
}

type CompiledWithSource = CompiledQuery & { __DO_NOT_USE_THIS_OR_YOU_WILL_BE_FIRED_compilation?: string };

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
 * ever new documents cannot make the server compile each one. An operation graphql-jit cannot
 * compile runs on graphql-js, as do requests whose variables do not coerce, so that their errors
 * are graphql-js's own.
 *
 * Every cache kept per operation lives here, each bounded by `entries` (`OPERATION_CACHE_ENTRIES`;
 * 0 keeps nothing and compiles nothing) and by estimated bytes: parsed documents (handed to
 * Apollo as its `documentStore`), compiled operations, run counts and persisted query texts.
 * Compiled operations were kept per parsed document, in a WeakMap, while Apollo's document store
 * was sized by the documents' JSON (30 MiB of it): about 13,000 small documents, each holding a
 * 50 KB compiled operation the sizing never saw, so 22,000 distinct operations grew the process
 * by gigabytes. Now a compiled operation is counted with the document it holds on to.
 */
export function jitGateway(schema: GraphQLSchema, options: { entries: number } = { entries: DEFAULT_OPERATION_CACHE_ENTRIES }): JitGateway {
  const { entries } = options;
  const documents = new BoundedCache<DocumentNode>(entries, entries * OPERATION_CACHE_BYTES_PER_ENTRY.documents, (document, key) => documentBytes(document) + key.length * 2);
  const compiled = new BoundedCache<Compiled>(entries, entries * OPERATION_CACHE_BYTES_PER_ENTRY.compiled, (entry, key) => entry.bytes + key.length * 2);
  const runCounts = new BoundedCache<{ runs: number }>(
    entries * RUN_COUNTS_PER_ENTRY,
    entries * RUN_COUNTS_PER_ENTRY * (RUN_COUNT_BYTES + 256),
    (_count, key) => RUN_COUNT_BYTES + key.length * 2,
  );
  const persistedQueries = new BoundedCache<string>(entries, entries * OPERATION_CACHE_BYTES_PER_ENTRY.persistedQueries, (query, key) => (query.length + key.length) * 2 + 100);
  // An entry holds a key into `compiled` and the operation's parse, which the compiled entry
  // holds on to (and counts) already: its own cost is its key, the query text, and bookkeeping.
  const prepared = new BoundedCache<{ compiledKey: string; document: DocumentNode; operation: OperationDefinitionNode; queryHash: string }>(
    entries,
    entries * OPERATION_CACHE_BYTES_PER_ENTRY.documents,
    (_entry, key) => key.length * 2 + 200,
  );
  const handedOver = new WeakMap<object, ExecutionResult>();
  const cyclic = cyclicInputTypes(schema);
  const compilable = (operation: OperationDefinitionNode): boolean =>
    (operation.variableDefinitions ?? []).every((definition) => {
      const type = typeFromAST(schema, definition.type);
      return !type || !cyclic.has(getNamedType(type).name);
    });

  const compile = (document: DocumentNode, operationName: string | null): Compiled => {
    const { compileQuery, isCompiledQuery } = jit();
    try {
      // `debug` makes graphql-jit report the source it generated, whose length sizes the entry.
      const options = { disablingCapturingStackErrors: true, debug: true } as Partial<CompilerOptions>;
      const result = compileQuery(schema, document, operationName ?? undefined, options);
      if (!isCompiledQuery(result)) return { query: null, bytes: 0 };
      const query = result as CompiledWithSource;
      const sourceLength = query.__DO_NOT_USE_THIS_OR_YOU_WILL_BE_FIRED_compilation?.length;
      delete query.__DO_NOT_USE_THIS_OR_YOU_WILL_BE_FIRED_compilation;
      return { query, bytes: compiledBytes(sourceLength, document) };
    } catch {
      // A document graphql-jit cannot handle still has graphql-js, which answers every valid one.
      return { query: null, bytes: 0 };
    }
  };

  const compiledFor = (key: string, document: DocumentNode, operation: OperationDefinitionNode, operationName: string | null): CompiledQuery | null => {
    const kept = compiled.get(key);
    if (kept) return kept.query;
    const count = runCounts.get(key) ?? { runs: 0 };
    count.runs += 1;
    if (count.runs < COMPILE_ON_RUN) {
      runCounts.set(key, count);
      return null;
    }
    const entry = compilable(operation) ? compile(document, operationName) : { query: null, bytes: 0 };
    // One too large to keep runs compiled this once, and on graphql-js from then on: compiling
    // it again on every run would cost more than it saves.
    if (!compiled.set(key, entry)) compiled.set(key, { query: null, bytes: 0 });
    runCounts.delete(key);
    return entry.query;
  };

  const executor: Executor = async (request) => {
    const { document, operation, operationName, context, queryHash } = request;
    const computed = handedOver.get(context);
    if (computed) {
      handedOver.delete(context);
      return withGraphQLErrors(computed);
    }
    const variables = request.request.variables ?? {};
    const compiledKey = `${queryHash}:${operationName ?? ""}`;
    // Without an operation (several and no name, or an unknown name) graphql-js reports the error.
    const query = operation ? compiledFor(compiledKey, document, operation, operationName) : null;
    if (query) {
      const result = await query.query(undefined, context, variables);
      if (result.data !== undefined || !result.errors?.length) {
        if (operation?.operation === "query" && request.source !== undefined) {
          prepared.set(preparedKey(request.source, request.request.operationName), { compiledKey, document, operation, queryHash });
        }
        return withGraphQLErrors(result);
      }
    }
    return execute({ schema, document, contextValue: context, variableValues: variables, operationName: request.request.operationName });
  };

  return {
    documentStore: keyValueStore(documents),
    persistedQueryCache: keyValueStore(persistedQueries),
    prepared: (query, operationName) => {
      const key = preparedKey(query, operationName);
      const entry = prepared.get(key);
      if (!entry) return null;
      const kept = compiled.get(entry.compiledKey);
      if (!kept?.query) {
        prepared.delete(key);
        return null;
      }
      return { query: kept.query, document: entry.document, operation: entry.operation, queryHash: entry.queryHash };
    },
    handOver: (context, result) => void handedOver.set(context, result),
    stats: () => ({
      documents: documents.stats(),
      compiled: compiled.stats(),
      runCounts: runCounts.stats(),
      persistedQueries: persistedQueries.stats(),
      prepared: prepared.stats(),
    }),
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
