/**
 * Opening a PostgreSQL database (issue 17): start-up checks that change nothing, then a TypeORM
 * DataSource on the `postgres` driver, with read replicas when given, and the PostgreSQL
 * migrations. `PostgresDatabase` (the store the server serves from) opens through here.
 */
import { Client, type ClientConfig } from "pg";
import { DataSource } from "typeorm";
import { DATABASE_DEFAULTS, redactUrl } from "../../config";
import { entities } from "../../entities";
import { postgresMigrations } from "../../migrations/postgres";
import { alignInstantPrecision, mapSqliteTypes } from "./driver";

/** The table where TypeORM records which migrations have run (its default name, as on SQLite). */
export const MIGRATIONS_TABLE = "migrations";

/** How long a connection attempt may take before the server is called unreachable. */
const CONNECT_TIMEOUT_MS = 5000;

/** Serializes migrations between server processes starting at once on one database. */
const MIGRATION_LOCK = 1796454564;

/** Why a PostgreSQL database was refused at start-up. */
export type PostgresProblem = "bad-url" | "unreachable" | "credentials" | "no-database" | "foreign" | "unsupported" | "migration" | "refused";

/** The oldest PostgreSQL the migrations run on (SQL-standard function bodies: 14). */
const MIN_VERSION = 140000;

/**
 * A PostgreSQL database the server refuses to use. Its message is one line naming the setting,
 * the URL without its password and what is wrong, for the operator; the server prints it and
 * exits with code 1. Nothing was changed in the database.
 */
export class PostgresStartupError extends Error {
  constructor(
    readonly problem: PostgresProblem,
    message: string,
  ) {
    super(message);
    this.name = "PostgresStartupError";
  }
}

export interface PostgresOptions {
  /** The primary's URL (`DATABASE_URL`): every write and, without replicas, every read. */
  url: string;
  /** Read replicas (`DATABASE_REPLICA_URLS`); none by default. */
  replicaUrls?: readonly string[];
  /** Whether to run pending migrations once the checks pass (default true). */
  migrate?: boolean;
  /** The setting named in error messages (default `DATABASE_URL`). */
  setting?: string;
  /** Connections per pool (TypeORM's `poolSize`; `DATABASE_POOL_SIZE`, default 10). */
  poolSize?: number;
  /**
   * How long a check-out from a pool may wait, a new connection's handshake included
   * (`DATABASE_POOL_WAIT_MS`, default 30 s). The start-up checks keep their own 5 s: an
   * unreachable server is told at once, while a busy one later is waited for.
   */
  poolWaitMs?: number;
  /** Called with every statement TypeORM runs (the statement counter). */
  onStatement?: (sql: string) => void;
}

/** A URL as it may be printed: without its password (in the user part or a `password` parameter). */
export { redactUrl };

/** Refuses what is not a `postgres://` or `postgresql://` URL with a database name. */
export function parsePostgresUrl(url: string, setting = "DATABASE_URL"): URL {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new PostgresStartupError("bad-url", `${setting} is not a URL; expected postgres://user:password@host:port/database`);
  }
  if (parsed.protocol !== "postgres:" && parsed.protocol !== "postgresql:") {
    throw new PostgresStartupError("bad-url", `${setting} ${redactUrl(url)} is not a postgres:// URL; expected postgres://user:password@host:port/database`);
  }
  if (!parsed.hostname || parsed.pathname.length <= 1) {
    throw new PostgresStartupError("bad-url", `${setting} ${redactUrl(url)} names no host or no database; expected postgres://user:password@host:port/database`);
  }
  return parsed;
}

/** pg's connection settings for a URL, with our time-out and application name. */
export function clientConfig(url: string): ClientConfig {
  return { connectionString: url, connectionTimeoutMillis: CONNECT_TIMEOUT_MS, application_name: "news-kb" };
}

/** Network errors that mean nothing answered at that address. */
const UNREACHABLE = new Set(["ECONNREFUSED", "ENOTFOUND", "EAI_AGAIN", "ETIMEDOUT", "EHOSTUNREACH", "ENETUNREACH", "ECONNRESET"]);

/** Turns a failed connection into the one line an operator needs. */
export function connectionProblem(error: unknown, url: string, setting: string): PostgresStartupError {
  const parsed = new URL(url);
  const where = `${setting} ${redactUrl(url)}`;
  const at = `${parsed.hostname}:${parsed.port || "5432"}`;
  const e = error as { code?: string; message?: string };
  const code = e?.code ?? "";
  const message = String(e?.message ?? error).replace(/\s*\n\s*/g, " ");
  if (UNREACHABLE.has(code) || /timeout|terminated unexpectedly/i.test(message)) {
    return new PostgresStartupError("unreachable", `${where}: no PostgreSQL server answers at ${at} (${code || message}); is it running, and are the host and port right?`);
  }
  if (code === "28P01" || code === "28000") {
    return new PostgresStartupError("credentials", `${where}: PostgreSQL refused the login of user "${decodeURIComponent(parsed.username)}" (${message}); check the user name and password`);
  }
  if (code === "3D000") {
    return new PostgresStartupError("no-database", `${where}: ${message}; create it first (createdb) or fix the URL`);
  }
  return new PostgresStartupError("refused", `${where}: could not connect (${code ? `${code} ` : ""}${message})`);
}

/** Connects one client, or throws the one-line `PostgresStartupError`. */
export async function connectClient(url: string, setting = "DATABASE_URL"): Promise<Client> {
  parsePostgresUrl(url, setting);
  const client = new Client(clientConfig(url));
  // A connection that fails later (server stopped) must not crash the process as an unhandled event.
  client.on("error", () => undefined);
  try {
    await client.connect();
  } catch (error) {
    await client.end().catch(() => undefined);
    throw connectionProblem(error, url, setting);
  }
  return client;
}

/**
 * Refuses a database that belongs to another application: one whose current schema holds tables
 * but no migrations table, or a migrations table that records migrations this server does not
 * know (another app's, or those of a newer version of this server). Reads only.
 */
export async function checkOwnDatabase(client: Client, url: string, setting = "DATABASE_URL"): Promise<string[]> {
  const where = `${setting} ${redactUrl(url)}`;
  const tables = (
    await client.query<{ name: string }>(
      `SELECT c.relname AS name FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
       WHERE n.nspname = current_schema() AND c.relkind IN ('r', 'p', 'v', 'm', 'f') ORDER BY c.relname`,
    )
  ).rows.map((r) => r.name);
  if (tables.length === 0) return [];
  const listed = (names: string[]): string => (names.length > 5 ? `${names.slice(0, 5).join(", ")}…` : names.join(", "));
  if (!tables.includes(MIGRATIONS_TABLE)) {
    throw new PostgresStartupError(
      "foreign",
      `${where}: the database holds ${tables.length} table(s) (${listed(tables)}) but no "${MIGRATIONS_TABLE}" table of ours; it belongs to another application: use an empty database`,
    );
  }
  let ran: string[];
  try {
    ran = (await client.query<{ name: string }>(`SELECT "name" FROM "${MIGRATIONS_TABLE}" ORDER BY "id"`)).rows.map((r) => r.name);
  } catch (error) {
    throw new PostgresStartupError("foreign", `${where}: its "${MIGRATIONS_TABLE}" table is not TypeORM's (${(error as Error).message}); the database belongs to another application`);
  }
  const known = new Set(postgresMigrations.map((m) => new m().name ?? m.name));
  const unknown = ran.filter((name) => !known.has(name));
  if (unknown.length > 0) {
    throw new PostgresStartupError(
      "foreign",
      `${where}: its "${MIGRATIONS_TABLE}" table records migrations this server does not know (${listed(unknown)}); it belongs to another application or to a newer version of this server`,
    );
  }
  if (ran.length === 0 && tables.length > 1) {
    throw new PostgresStartupError("foreign", `${where}: the database holds tables (${listed(tables.filter((t) => t !== MIGRATIONS_TABLE))}) but no migration has run; it belongs to another application`);
  }
  return ran;
}

/**
 * Refuses a server the migrations cannot run on: older than PostgreSQL 14, built without ICU
 * (the `und-x-icu` collation `kb_fold` folds with), or without the contrib extensions pg_trgm
 * and unaccent. Reads only.
 */
export async function checkServerSupport(client: Client, url: string, setting = "DATABASE_URL"): Promise<string> {
  const where = `${setting} ${redactUrl(url)}`;
  const { rows } = await client.query<{ version: string; num: string; icu: boolean; extensions: string[] }>(
    `SELECT current_setting('server_version') AS version, current_setting('server_version_num') AS num,
            EXISTS (SELECT 1 FROM pg_collation WHERE collname = 'und-x-icu') AS icu,
            ARRAY(SELECT name FROM pg_available_extensions WHERE name IN ('pg_trgm', 'unaccent') ORDER BY name)::text[] AS extensions`,
  );
  const server = rows[0];
  if (Number(server.num) < MIN_VERSION) throw new PostgresStartupError("unsupported", `${where}: PostgreSQL ${server.version} is too old; the schema needs PostgreSQL 14 or later`);
  if (!server.icu) throw new PostgresStartupError("unsupported", `${where}: PostgreSQL ${server.version} was built without ICU (no "und-x-icu" collation), which case folding needs`);
  const missing = ["pg_trgm", "unaccent"].filter((name) => !server.extensions.includes(name));
  if (missing.length > 0) {
    throw new PostgresStartupError("unsupported", `${where}: the extension(s) ${missing.join(", ")} are not installed on the server; install PostgreSQL's contrib modules (Debian: postgresql-contrib)`);
  }
  return server.version;
}

/**
 * The DataSource options for a primary and its replicas: TypeORM's `replication` sends writes,
 * transactions and migrations to the primary (`master`) and plain reads to the replicas (`slaves`).
 */
export function dataSourceOptions(options: PostgresOptions): ConstructorParameters<typeof DataSource>[0] {
  const replicas = options.replicaUrls ?? [];
  const connection = replicas.length > 0 ? { replication: { master: { url: options.url }, slaves: replicas.map((url) => ({ url })) } } : { url: options.url };
  return {
    type: "postgres",
    ...connection,
    entities,
    migrations: postgresMigrations,
    migrationsRun: false,
    synchronize: false,
    // TypeORM's own logger would print a failed migration itself; openPostgres reports it in one line.
    logging: options.onStatement ? ["query"] : false,
    logger: {
      logQuery: (sql: string) => options.onStatement?.(sql),
      logQueryError: () => undefined,
      logQuerySlow: () => undefined,
      logSchemaBuild: () => undefined,
      logMigration: () => undefined,
      log: () => undefined,
    },
    applicationName: "news-kb",
    // No JIT compilation: it pays off for long analytical queries, and our statements are short
    // index walks, where its half second of compiling per statement would be most of the time.
    extra: { options: "-c jit=off" },
    connectTimeoutMS: options.poolWaitMs ?? DATABASE_DEFAULTS.poolWaitMs,
    poolSize: options.poolSize ?? DATABASE_DEFAULTS.poolSize,
    installExtensions: false,
  };
}

/** What the start-up checks found on a database they passed. */
export interface PostgresCheck {
  /** The primary's PostgreSQL version (`server_version`). */
  version: string;
  /** Our migrations the database records as run (0: an empty database). */
  migrationsRun: number;
  /** Our migrations not run yet, which the server would run on start. */
  migrationsPending: number;
  /** How many replicas answered (all of those given). */
  replicas: number;
}

/**
 * The checks, with `primary` connected: its server able to run the migrations, its schema ours or
 * empty, every replica reachable with its credentials. Reads only.
 */
async function runChecks(primary: Client, options: PostgresOptions, setting: string): Promise<PostgresCheck> {
  const version = await checkServerSupport(primary, options.url, setting);
  const ran = await checkOwnDatabase(primary, options.url, setting);
  const replicas = options.replicaUrls ?? [];
  for (const [i, replica] of replicas.entries()) {
    const client = await connectClient(replica, `DATABASE_REPLICA_URLS[${i}]`);
    await client.end();
  }
  return { version, migrationsRun: ran.length, migrationsPending: postgresMigrations.length - ran.length, replicas: replicas.length };
}

/**
 * openPostgres's checks alone, changing nothing (no DataSource, no migration, no lock): for a
 * look at a database before anything touches it. Each failure is one
 * `PostgresStartupError` line; on success, what was found.
 */
export async function checkPostgres(options: Omit<PostgresOptions, "migrate">): Promise<PostgresCheck> {
  const setting = options.setting ?? "DATABASE_URL";
  const primary = await connectClient(options.url, setting);
  try {
    return await runChecks(primary, options, setting);
  } finally {
    await primary.end().catch(() => undefined);
  }
}

/**
 * Checks the primary and every replica (reachable, credentials, the primary's server able to run
 * the migrations and its schema ours or empty), each failure one `PostgresStartupError` line, before anything is changed; then opens a
 * DataSource and, by default, runs pending migrations on the primary, one transaction each,
 * holding an advisory lock so that server processes starting together migrate once.
 */
export async function openPostgres(options: PostgresOptions): Promise<DataSource> {
  const setting = options.setting ?? "DATABASE_URL";
  const primary = await connectClient(options.url, setting);
  try {
    await runChecks(primary, options, setting);
    const dataSource = new DataSource(dataSourceOptions(options));
    mapSqliteTypes(dataSource);
    try {
      await dataSource.initialize();
    } catch (error) {
      throw connectionProblem(error, options.url, setting);
    }
    alignInstantPrecision(dataSource);
    if (options.migrate ?? true) {
      try {
        await primary.query(`SELECT pg_advisory_lock($1)`, [MIGRATION_LOCK]);
        await dataSource.runMigrations({ transaction: "each" });
      } catch (error) {
        await dataSource.destroy().catch(() => undefined);
        if (error instanceof PostgresStartupError) throw error;
        // Each migration runs in its own transaction: the failed one left nothing behind.
        const ran = (await primary.query<{ name: string }>(`SELECT "name" FROM "${MIGRATIONS_TABLE}"`).catch(() => ({ rows: [] as Array<{ name: string }> }))).rows.map((r) => r.name);
        const failed = postgresMigrations.map((m) => new m().name ?? m.name).find((name) => !ran.includes(name)) ?? "a migration";
        const message = (error instanceof Error ? error.message : String(error)).replace(/\s*\n\s*/g, " ");
        throw new PostgresStartupError("migration", `${setting} ${redactUrl(options.url)}: migration ${failed} failed and was rolled back (${message})`);
      } finally {
        await primary.query(`SELECT pg_advisory_unlock($1)`, [MIGRATION_LOCK]).catch(() => undefined);
      }
    }
    return dataSource;
  } finally {
    await primary.end().catch(() => undefined);
  }
}
