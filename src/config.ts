import os from "node:os";
import path from "node:path";

/** A named editor credential, parsed from `EDITOR_TOKENS`. */
export interface EditorToken {
  name: string;
  token: string;
}

/**
 * Everything the server reads from its environment, parsed once at start-up so that the rest of
 * the code never touches `process.env` and tests can build any configuration they need.
 */
export interface Config {
  port: number;
  host: string;
  /** The SQLite file the server serves from (`DATABASE_PATH`), unless `databaseUrl` is set. */
  databasePath: string;
  /**
   * The PostgreSQL primary (`DATABASE_URL`, a `postgres://` or `postgresql://` URL); null (the
   * default): SQLite at `databasePath`. Several server processes may share one (docs/postgres.md).
   */
  databaseUrl: string | null;
  /** PostgreSQL read replicas (`DATABASE_REPLICA_URLS`, comma-separated); only with `databaseUrl`. */
  databaseReplicaUrls: string[];
  /** Connections each PostgreSQL pool (the primary's, each replica's) opens at most (`DATABASE_POOL_SIZE`, default 10). */
  databasePoolSize: number;
  /**
   * How long a statement with no request deadline of its own (a write, a start-up read) waits for
   * a pooled PostgreSQL connection, a new connection's handshake included, before it fails
   * (`DATABASE_POOL_WAIT_MS`, default 30 s). A request's reads wait at most its time left.
   */
  databasePoolWaitMs: number;
  nodeEnv: string;
  isProduction: boolean;
  logLevel: string;
  editorTokens: EditorToken[];
  /** How long one GraphQL request may run before it is stopped (`QUERY_TIMEOUT_MS`). */
  queryTimeoutMs: number;
  /** Adds an `X-SQL-Statements` header to GraphQL responses (for the benchmark; off by default). */
  exposeQueryStats: boolean;
  /**
   * Reader processes for heavy reads (full-text search, filtered lists and counts), each with its
   * own read-only connection (`READ_WORKERS`; default: one per core, at most 4; 0 runs those
   * reads on the main thread).
   */
  readWorkers: number;
  /**
   * How many answers of expensive reads (search pages and counts, list counts, grouped counts)
   * the server keeps (`READ_CACHE_ENTRIES`, default 256; 0 turns the cache off). Any change to
   * the database empties it.
   */
  readCacheEntries: number;
  /**
   * Which web origins a browser may call the GraphQL endpoint from (`CORS_ORIGINS`): `*` (the
   * default, as the API is public and authenticates by bearer token, never by cookie), a list of
   * origins, or none at all (`none`).
   */
  corsOrigins: "*" | string[];
  /**
   * Each client's budget of cost points per window (`RATE_LIMIT_POINTS`, default 5,000, GitHub's
   * hourly budget; 0 turns the budget off, the default under `NODE_ENV=test`). A request costs
   * one point per 100 nodes it may touch, at least one (see `src/http/rate-limit.ts`).
   */
  rateLimitPoints: number;
  /** The length of a budget window in seconds (`RATE_LIMIT_WINDOW_S`, default 3,600). */
  rateLimitWindowS: number;
  /**
   * Whether the server sits behind one reverse proxy whose `X-Forwarded-For` names the client
   * (`TRUST_PROXY`, off by default): only then is that header used to tell clients apart, as any
   * client could otherwise claim any address.
   */
  trustProxy: boolean;
  /**
   * Open connections the server serves at once (`MAX_CONNECTIONS`, default 1,024; 0: no cap).
   * A request on a connection beyond it gets a quick 503 with `Retry-After` instead of a wait.
   */
  maxConnections: number;
  /** Connections the kernel queues before the server accepts them (`LISTEN_BACKLOG`, default 2,048). */
  listenBacklog: number;
  /** How long a client may take to send a whole request, headers and body (`REQUEST_TIMEOUT_MS`, default 30 s). */
  requestTimeoutMs: number;
  /** How long a client may take to send a request's headers (`HEADERS_TIMEOUT_MS`, default 10 s). */
  headersTimeoutMs: number;
  /** How long an idle keep-alive connection stays open (`KEEP_ALIVE_TIMEOUT_MS`, default 5 s). */
  keepAliveTimeoutMs: number;
  /**
   * How large one answer may grow, in bytes of JSON, before it is stopped with
   * RESPONSE_TOO_LARGE (`MAX_RESPONSE_BYTES`, default 16 MiB): counted while the answer is built,
   * so an oversized one never takes the memory, or the event loop, it would need.
   */
  maxResponseBytes: number;
  /**
   * How many operations each per-operation cache keeps (`OPERATION_CACHE_ENTRIES`, default
   * 500; 0 keeps none and compiles none): parsed documents, compiled operations and persisted
   * query texts, each also bounded by estimated bytes (see `src/schema/jit-executor.ts`).
   */
  operationCacheEntries: number;
  /**
   * Whether errors carry `extensions.stacktrace` (`STACK_TRACES=true`; off by default, and never
   * in production): a trace lists local file paths and buries the message in GraphiQL, so it is
   * for someone debugging the server, who asks for it.
   */
  stackTraces: boolean;
}

/**
 * The default of `OPERATION_CACHE_ENTRIES`: the distinct operations a set of frontends sends
 * number in the tens to hundreds. Full, the caches hold 26 MiB at most (estimated; see
 * `OPERATION_CACHE_BYTES_PER_ENTRY`), which V8's heap headroom turns into about 100 MB of
 * resident memory; 1,000 entries measured about 160 MB more than none.
 */
export const DEFAULT_OPERATION_CACHE_ENTRIES = 500;

/** The default of `MAX_RESPONSE_BYTES`: 16 MiB, about 120 times the benchmark's nested query. */
export const DEFAULT_MAX_RESPONSE_BYTES = 16 * 2 ** 20;

/**
 * The default of `READ_CACHE_ENTRIES`: an entry is one search page (at most 101 hits with their
 * snippets, about 30 KB), one count, or one set of grouped counts (at most 1,000 groups, about
 * 50 KB), so a full cache holds ten megabytes at worst.
 */
export const DEFAULT_READ_CACHE_ENTRIES = 256;

/** One reader per core, at most four: search parts beyond that wait on each other anyway. */
export function defaultReadWorkers(): number {
  return Math.min(4, os.availableParallelism());
}

/** Thrown when an environment variable holds a value the server cannot use. */
export class ConfigError extends Error {}

function parsePort(value: string | undefined): number {
  if (value === undefined || value === "") return 4000;
  const port = Number(value);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new ConfigError(`PORT must be an integer from 0 to 65535, got "${value}"`);
  }
  return port;
}

function parseNonNegative(name: string, value: string | undefined, fallback: number, unit = " of milliseconds"): number {
  if (value === undefined || value === "") return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0) throw new ConfigError(`${name} must be a whole number${unit}, got "${value}"`);
  return n;
}

function parsePositive(name: string, value: string | undefined, fallback: number, unit: string): number {
  const n = parseNonNegative(name, value, fallback, unit);
  if (n === 0) throw new ConfigError(`${name} must be at least 1, got "${value}"`);
  return n;
}

function parseEditorTokens(value: string | undefined): EditorToken[] {
  if (!value) return [];
  return value
    .split(",")
    .map((pair) => pair.trim())
    .filter((pair) => pair.length > 0)
    .map((pair) => {
      const colon = pair.indexOf(":");
      const name = colon > 0 ? pair.slice(0, colon).trim() : "";
      const token = colon > 0 ? pair.slice(colon + 1).trim() : "";
      if (!name || !token) {
        throw new ConfigError(`EDITOR_TOKENS entries must look like name:token, got "${pair}"`);
      }
      return { name, token };
    })
    .map((entry, i, all) => {
      // A repeated name would make the edit log ambiguous; a repeated token would make it lie.
      if (all.findIndex((other) => other.name === entry.name) !== i) {
        throw new ConfigError(`EDITOR_TOKENS names the editor "${entry.name}" twice`);
      }
      if (all.findIndex((other) => other.token === entry.token) !== i) {
        throw new ConfigError(`EDITOR_TOKENS gives "${entry.name}" a token another editor already has`);
      }
      return entry;
    });
}

function parseCorsOrigins(value: string | undefined): "*" | string[] {
  if (value === undefined || value.trim() === "" || value.trim() === "*") return "*";
  if (value.trim() === "none") return [];
  return value.split(",").map((entry) => {
    const origin = entry.trim();
    let parsed: URL | null = null;
    try {
      parsed = new URL(origin);
    } catch {
      // Reported below.
    }
    if (!parsed || !/^https?:$/.test(parsed.protocol) || parsed.origin !== origin) {
      throw new ConfigError(`CORS_ORIGINS must be *, none, or origins like https://example.org (scheme, host, optional port), got "${origin}"`);
    }
    return origin;
  });
}

/**
 * A database URL as it may be printed: its password, in the user part or in a `password` query
 * parameter (which pg reads too), replaced by `***`. A URL without a host (`kb:s3cret@db`, read as
 * the scheme `kb:` and a path) is shown by its scheme only, as its password cannot be told apart.
 */
export function redactUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (!parsed.host) return `a "${parsed.protocol}" URL without a host`;
    if (parsed.password) parsed.password = "***";
    if (parsed.searchParams.has("password")) parsed.searchParams.set("password", "***");
    return parsed.toString();
  } catch {
    return "(not a URL)";
  }
}

const POSTGRES_URL_SHAPE = "a postgres:// or postgresql:// URL naming a host and a database (postgres://user:password@host:port/database)";

/** A PostgreSQL URL as given, or a ConfigError naming `name` and what is accepted (never the password). */
function parsePostgresSetting(name: string, value: string): string {
  let parsed: URL | null = null;
  try {
    parsed = new URL(value);
  } catch {
    // Not even a URL: its text is not repeated, as it may hold a password.
  }
  if (!parsed) throw new ConfigError(`${name} must be ${POSTGRES_URL_SHAPE}, got something that is not a URL`);
  if (parsed.protocol !== "postgres:" && parsed.protocol !== "postgresql:") {
    throw new ConfigError(`${name} must be ${POSTGRES_URL_SHAPE}, got a "${parsed.protocol}" URL`);
  }
  if (!parsed.hostname || parsed.pathname.length <= 1) throw new ConfigError(`${name} must be ${POSTGRES_URL_SHAPE}, got ${redactUrl(value)}`);
  return value;
}

/** `DATABASE_URL` and `DATABASE_REPLICA_URLS`: replicas need a primary. */
function parseDatabaseUrls(env: NodeJS.ProcessEnv): { databaseUrl: string | null; databaseReplicaUrls: string[] } {
  const primary = env.DATABASE_URL?.trim() ?? "";
  const databaseUrl = primary === "" ? null : parsePostgresSetting("DATABASE_URL", primary);
  const databaseReplicaUrls = (env.DATABASE_REPLICA_URLS ?? "")
    .split(",")
    .map((entry) => entry.trim())
    .filter((entry) => entry.length > 0)
    .map((entry, i) => parsePostgresSetting(`DATABASE_REPLICA_URLS[${i}]`, entry));
  if (databaseReplicaUrls.length > 0 && databaseUrl === null) {
    throw new ConfigError("DATABASE_REPLICA_URLS needs DATABASE_URL: read replicas are only used with a PostgreSQL primary");
  }
  return { databaseUrl, databaseReplicaUrls };
}

/** The defaults of the PostgreSQL pool settings (docs/postgres.md explains them). */
export const DATABASE_DEFAULTS = {
  poolSize: 10,
  poolWaitMs: 30_000,
} as const;

/** The defaults of the connection and rate settings (the README's Configuration table lists them). */
export const HTTP_DEFAULTS = {
  rateLimitPoints: 5000,
  rateLimitWindowS: 3600,
  maxConnections: 1024,
  listenBacklog: 2048,
  requestTimeoutMs: 30_000,
  headersTimeoutMs: 10_000,
  keepAliveTimeoutMs: 5000,
} as const;

function parseAtLeastOne(name: string, value: string | undefined, fallback: number, unit: string, hint = ""): number {
  const n = parseNonNegative(name, value, fallback, unit);
  if (n < 1) throw new ConfigError(`${name} must be at least 1${hint}, got "${value}"`);
  return n;
}

function parseFlag(value: string | undefined): boolean {
  return value === "true" || value === "1";
}

/** The request and headers time limits; Node refuses a headers limit longer than the request's. */
function parseRequestTimeouts(env: NodeJS.ProcessEnv): { requestTimeoutMs: number; headersTimeoutMs: number } {
  const requestTimeoutMs = parseNonNegative("REQUEST_TIMEOUT_MS", env.REQUEST_TIMEOUT_MS, HTTP_DEFAULTS.requestTimeoutMs);
  const headersTimeoutMs = parseNonNegative(
    "HEADERS_TIMEOUT_MS",
    env.HEADERS_TIMEOUT_MS,
    requestTimeoutMs > 0 ? Math.min(HTTP_DEFAULTS.headersTimeoutMs, requestTimeoutMs) : HTTP_DEFAULTS.headersTimeoutMs,
  );
  if (requestTimeoutMs > 0 && headersTimeoutMs > requestTimeoutMs) {
    throw new ConfigError(`HEADERS_TIMEOUT_MS (${headersTimeoutMs}) must not be longer than REQUEST_TIMEOUT_MS (${requestTimeoutMs})`);
  }
  return { requestTimeoutMs, headersTimeoutMs };
}

/** Reads the configuration from an environment (by default the process's own). */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const nodeEnv = env.NODE_ENV ?? "development";
  const databasePath = env.DATABASE_PATH ?? path.join("data", "kb.sqlite");
  return {
    port: parsePort(env.PORT),
    host: env.HOST ?? "0.0.0.0",
    databasePath: databasePath === ":memory:" ? databasePath : path.resolve(databasePath),
    ...parseDatabaseUrls(env),
    databasePoolSize: parseAtLeastOne("DATABASE_POOL_SIZE", env.DATABASE_POOL_SIZE, DATABASE_DEFAULTS.poolSize, ""),
    databasePoolWaitMs: parseAtLeastOne("DATABASE_POOL_WAIT_MS", env.DATABASE_POOL_WAIT_MS, DATABASE_DEFAULTS.poolWaitMs, " of milliseconds"),
    nodeEnv,
    isProduction: nodeEnv === "production",
    logLevel: env.LOG_LEVEL ?? (nodeEnv === "test" ? "silent" : "info"),
    editorTokens: parseEditorTokens(env.EDITOR_TOKENS),
    queryTimeoutMs: parseNonNegative("QUERY_TIMEOUT_MS", env.QUERY_TIMEOUT_MS, 10_000),
    exposeQueryStats: env.EXPOSE_QUERY_STATS === "true" || env.EXPOSE_QUERY_STATS === "1",
    readWorkers: Math.min(64, parseNonNegative("READ_WORKERS", env.READ_WORKERS, defaultReadWorkers(), "")),
    readCacheEntries: parseNonNegative("READ_CACHE_ENTRIES", env.READ_CACHE_ENTRIES, DEFAULT_READ_CACHE_ENTRIES, ""),
    corsOrigins: parseCorsOrigins(env.CORS_ORIGINS),
    rateLimitPoints: parseNonNegative("RATE_LIMIT_POINTS", env.RATE_LIMIT_POINTS, nodeEnv === "test" ? 0 : HTTP_DEFAULTS.rateLimitPoints, ""),
    rateLimitWindowS: parseAtLeastOne("RATE_LIMIT_WINDOW_S", env.RATE_LIMIT_WINDOW_S, HTTP_DEFAULTS.rateLimitWindowS, " of seconds", " (RATE_LIMIT_POINTS=0 turns the budget off)"),
    trustProxy: parseFlag(env.TRUST_PROXY),
    maxConnections: parseNonNegative("MAX_CONNECTIONS", env.MAX_CONNECTIONS, HTTP_DEFAULTS.maxConnections, ""),
    listenBacklog: parseAtLeastOne("LISTEN_BACKLOG", env.LISTEN_BACKLOG, HTTP_DEFAULTS.listenBacklog, ""),
    ...parseRequestTimeouts(env),
    keepAliveTimeoutMs: parseNonNegative("KEEP_ALIVE_TIMEOUT_MS", env.KEEP_ALIVE_TIMEOUT_MS, HTTP_DEFAULTS.keepAliveTimeoutMs),
    maxResponseBytes: parsePositive("MAX_RESPONSE_BYTES", env.MAX_RESPONSE_BYTES, DEFAULT_MAX_RESPONSE_BYTES, " of bytes"),
    operationCacheEntries: parseNonNegative("OPERATION_CACHE_ENTRIES", env.OPERATION_CACHE_ENTRIES, DEFAULT_OPERATION_CACHE_ENTRIES, ""),
    stackTraces: nodeEnv !== "production" && parseFlag(env.STACK_TRACES),
  };
}
