import "reflect-metadata";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { Config, loadConfig } from "../src/config";
import { createContext } from "../src/context";
import type BetterSqlite3 from "better-sqlite3";
import { Database } from "../src/storage/database";
import { POSTGRES_STAMP_SQL, PostgresDatabase } from "../src/storage/postgres";
import { STAMP_SQL } from "../src/storage/read-cache";
import type { Store } from "../src/storage/store";
import { dropFreshDatabase, freshDatabase, onPostgres } from "./postgres/template";
import { createLogger } from "../src/logger";
import { loadFixtures } from "../src/seed/fixture";
import { seedAll } from "../src/seed/seed";
import { AppServer, createServer } from "../src/server";

/** The outcome of one GraphQL operation, flattened from Apollo's response. */
export interface GqlResult<T = Record<string, unknown>> {
  data?: T | null;
  errors?: Array<{ message: string; path?: ReadonlyArray<string | number>; locations?: Array<{ line: number; column: number }>; extensions?: Record<string, unknown> }>;
}

/**
 * A real server on a real database, for one test file: a SQLite file, or in the suite's
 * PostgreSQL pass (jest project `postgres`) a fresh PostgreSQL database of its own.
 */
export interface TestServer {
  db: Store;
  /** Which database the server runs on. */
  kind: Store["kind"];
  /** The statement the read cache reads its stamp with on this database (it shows in statement logs). */
  stampSql: string;
  /**
   * The SQLite connection, for tests that set up data or look at it in SQLite's own SQL; on
   * PostgreSQL it throws, naming the test as one that needs SQLite.
   */
  sqlite: BetterSqlite3.Database;
  /**
   * Runs one statement written with `?` placeholders on either database, outside the server's
   * request path (setting up data, looking at it), and returns its rows (none for a write).
   */
  sql<T = Record<string, unknown>>(sql: string, params?: readonly unknown[]): Promise<T[]>;
  server: AppServer;
  config: Config;
  /** Runs an operation through Apollo's full pipeline with a fresh per-request context. */
  run<T = Record<string, unknown>>(query: string, variables?: Record<string, unknown>): Promise<GqlResult<T>>;
  /**
   * Like `run`, as the holder of `token` (null: no Authorization header). The context is built
   * by `createContext` from an `Authorization: Bearer <token>` header, exactly as over HTTP.
   */
  runAs<T = Record<string, unknown>>(token: string | null, query: string, variables?: Record<string, unknown>): Promise<GqlResult<T>>;
  /** Like `runAs`, but fails the test on any error. */
  dataAs<T = Record<string, unknown>>(token: string | null, query: string, variables?: Record<string, unknown>): Promise<T>;
  /** Like `run`, but fails the test on any error. */
  data<T = Record<string, unknown>>(query: string, variables?: Record<string, unknown>): Promise<T>;
  /** Starts listening on a free port and returns the GraphQL URL. */
  listen(): Promise<string>;
  close(): Promise<void>;
}

/**
 * `it` in the SQLite pass, and a skipped test in the PostgreSQL pass: for what only SQLite has
 * (one shared connection, reader processes, pragmas, FTS5's exact scores). Skipped, not left out,
 * so the PostgreSQL pass lists what it did not run.
 */
export const itOnSqlite: jest.It = onPostgres() ? it.skip : it;

/** `it` in the PostgreSQL pass only, for what only PostgreSQL has (its counterparts of the above). */
export const itOnPostgres: jest.It = onPostgres() ? it : it.skip;

/** Makes a temporary directory that is removed with the process's other temp files. */
export function tempDir(prefix = "news-kb-"): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}

/**
 * Builds a server over a fresh database: a temp file (the default, as in production) or
 * `:memory:`, migrated and, unless `seed` is false, loaded with the seed fixture.
 */
export async function createTestServer(
  options: { seed?: boolean; databasePath?: string; env?: NodeJS.ProcessEnv } = {},
): Promise<TestServer> {
  // A test that names a SQLite file needs SQLite; every other one runs on PostgreSQL in that pass.
  const postgresUrl = onPostgres() && options.databasePath === undefined ? await freshDatabase(options.seed ?? true) : null;
  const databasePath = options.databasePath ?? path.join(tempDir(), "kb.sqlite");
  const config = loadConfig({ NODE_ENV: "test", DATABASE_PATH: databasePath, ...(postgresUrl ? { DATABASE_URL: postgresUrl } : {}), ...options.env });
  const db: Store = postgresUrl
    ? await PostgresDatabase.open(postgresUrl, {
        migrate: false,
        readCacheEntries: config.readCacheEntries,
        poolSize: config.databasePoolSize,
        poolWaitMs: config.databasePoolWaitMs,
      })
    : await Database.open(config.databasePath, { readWorkers: config.readWorkers, readCacheEntries: config.readCacheEntries });
  if ((options.seed ?? true) && !postgresUrl) await seedAll(db, loadFixtures());
  const server = await createServer({ config, db, logger: createLogger(config) });
  const runAs = async <T>(token: string | null, query: string, variables?: Record<string, unknown>): Promise<GqlResult<T>> => {
    const contextValue = createContext(db, config, token === null ? undefined : `Bearer ${token}`);
    const response = await server.apollo.executeOperation({ query, variables }, { contextValue });
    if (response.body.kind !== "single") throw new Error("expected a single result");
    return response.body.singleResult as GqlResult<T>;
  };
  const run = <T>(query: string, variables?: Record<string, unknown>): Promise<GqlResult<T>> => runAs<T>(null, query, variables);
  return {
    db,
    kind: db.kind,
    stampSql: db.kind === "postgres" ? POSTGRES_STAMP_SQL : STAMP_SQL,
    get sqlite(): BetterSqlite3.Database {
      if (db instanceof Database) return db.sqlite;
      throw new Error("this test reads or writes SQLite directly: it runs on SQLite only (KB_TEST_DB=postgres gives it PostgreSQL)");
    },
    sql: async <T>(sql: string, params: readonly unknown[] = []): Promise<T[]> => {
      if (db instanceof Database) {
        const statement = db.sqlite.prepare(sql);
        if (statement.reader) return statement.all(...params) as T[];
        statement.run(...params);
        return [];
      }
      return (await db.dataSource.query(db.dialect.native(sql), [...params])) as T[];
    },
    server,
    config,
    run,
    runAs,
    dataAs: async <T>(token: string | null, query: string, variables?: Record<string, unknown>): Promise<T> => {
      const result = await runAs<T>(token, query, variables);
      if (result.errors?.length) throw new Error(`GraphQL errors: ${JSON.stringify(result.errors, null, 2)}`);
      return result.data as T;
    },
    data: async <T>(query: string, variables?: Record<string, unknown>): Promise<T> => {
      const result = await run<T>(query, variables);
      if (result.errors?.length) throw new Error(`GraphQL errors: ${JSON.stringify(result.errors, null, 2)}`);
      return result.data as T;
    },
    listen: () => server.listen(0, "127.0.0.1"),
    close: async () => {
      await server.stop();
      await db.close();
      if (postgresUrl) await dropFreshDatabase(postgresUrl);
    },
  };
}

/** Posts a GraphQL request over real HTTP. */
export async function postGraphql(
  url: string,
  body: unknown,
  headers: Record<string, string> = {},
): Promise<{ status: number; json: GqlResult & Record<string, unknown> }> {
  const response = await fetch(url, {
    method: "POST",
    headers: { "content-type": "application/json", ...headers },
    body: typeof body === "string" ? body : JSON.stringify(body),
  });
  return { status: response.status, json: (await response.json()) as GqlResult & Record<string, unknown> };
}

/**
 * An answer as the README shows it: no stack traces (they depend on the machine and vanish
 * under NODE_ENV=production) and record timestamps as "…" (they depend on the clock).
 */
export function shown(result: GqlResult): unknown {
  return JSON.parse(
    JSON.stringify(result, (key, value: unknown) => {
      if (key === "stacktrace") return undefined;
      if ((key === "createdAt" || key === "updatedAt") && typeof value === "string") return "…";
      return value;
    }),
  );
}
