import type BetterSqlite3 from "better-sqlite3";
import { DataSource, EntityManager } from "typeorm";
import { DEFAULT_READ_CACHE_ENTRIES, defaultReadWorkers } from "../config";
import { ErrorCode, QueryTimeoutError } from "../errors";
import { ownRealm } from "../errors/normalize";
import { openConnection, sqliteOf } from "./connection";
import { Dialect, refuseNul, sqliteDialect, SqlValue } from "./dialect";
import type { MaybePromise, Store } from "./store";
import { ReadCache, ReadStats } from "./read-cache";
import { ReadDeadlineError, ReadPool } from "./read-pool";
import { checkDeadline, StatementCounter } from "./request-scope";
import { StatementCache } from "./statement-cache";
import { StorageError, storageFault } from "./storage-errors";
import { StorageHealth } from "./storage-health";
import { WriteQueue } from "./write-queue";

// Kept importable from here, where they were first defined.
export { StatementCounter } from "./request-scope";
export type { RequestScope } from "./request-scope";
export type { SqlValue } from "./dialect";

/** When a probe write last ran, so that a polled `/ready` does not write on every poll. */
const PROBE_INTERVAL_MS = 1000;

/**
 * One open database: the TypeORM DataSource (entities, migrations, writes in transactions; see
 * `openConnection`) and a prepared-statement cache on the same better-sqlite3 connection for the
 * read paths, where skipping entity hydration is what keeps nested queries fast. Each read is
 * charged to the request being served (`RequestScope`) and stopped at its deadline.
 */
export class Database implements Store {
  readonly kind = "sqlite";
  readonly dialect: Dialect = sqliteDialect;

  /** Prepared statements of the read paths (see `StatementCache`). */
  private readonly cache = new StatementCache((sql) => this.sqlite.prepare(sql));

  /** How many prepared statements this connection keeps now (bounded by STATEMENT_CACHE_ENTRIES). */
  get cachedStatements(): number {
    return this.cache.size;
  }
  /** Serializes this database's writes; one queue per open database, never shared. */
  readonly writes: WriteQueue;
  /** The answers of the latest expensive reads (see `ReadCache`); one per open database. */
  private readonly readCache: ReadCache;
  /** What is wrong with the storage now, if anything (`/ready` reports it). */
  readonly health = new StorageHealth();

  private constructor(
    readonly dataSource: DataSource,
    readonly statements: StatementCounter,
    /** Reader processes for heavy reads; null for an in-memory database or when turned off. */
    private readonly pool: ReadPool | null,
    readCacheEntries: number,
  ) {
    this.writes = new WriteQueue(dataSource, () => this.sqlite, this.health);
    this.readCache = new ReadCache(() => this.sqlite, readCacheEntries, () => this.checkDeadline());
  }

  /**
   * Runs `work` in a transaction once every earlier write has finished (see `WriteQueue`).
   * Every write of the API goes through here; reads use `all` and `get` and never wait.
   */
  write<T>(work: (manager: EntityManager) => Promise<T>): Promise<T> {
    return this.writes.run(work);
  }

  /**
   * Opens (creating if needed) the database file, applies pragmas and, by default, runs
   * migrations. `readWorkers` sets how many reader processes serve heavy reads (`allParts`,
   * `heavyRead`), and `readCacheEntries` how many answers of expensive reads are kept
   * (`cachedRead`).
   */
  static async open(
    databasePath: string,
    options: { migrate?: boolean; readWorkers?: number; readCacheEntries?: number } = {},
  ): Promise<Database> {
    const statements = new StatementCounter();
    const inMemory = databasePath === ":memory:";
    const dataSource = await openConnection(databasePath, { migrate: options.migrate ?? true, onStatement: (sql, params) => statements.hit(sql, params) });
    const workers = inMemory ? 0 : (options.readWorkers ?? defaultReadWorkers());
    const pool = workers > 0 ? new ReadPool(databasePath, workers) : null;
    return new Database(dataSource, statements, pool, options.readCacheEntries ?? DEFAULT_READ_CACHE_ENTRIES);
  }

  /** The raw better-sqlite3 connection TypeORM uses. */
  get sqlite(): BetterSqlite3.Database {
    return sqliteOf(this.dataSource);
  }

  /**
   * The execution time limit: SQLite statements cannot be interrupted from JavaScript, so a
   * request over its time stops before its next statement, and its remaining fields fail fast.
   */
  private checkDeadline(): void {
    checkDeadline(this.statements);
  }

  /**
   * The error a failed read raises: a coded storage error when SQLite blames the storage (a
   * damaged file also marks `health`, so `/ready` says so), otherwise the error itself.
   */
  private readError(error: unknown): unknown {
    const fault = storageFault(error);
    if (!fault) return ownRealm(error);
    if (fault.code === ErrorCode.STORAGE_CORRUPT) this.health.set("integrity", fault.code, fault.reason);
    return new StorageError(fault, "read");
  }

  private lastProbe = 0;

  /**
   * While writes are failing, tries one tiny write (rewriting the schema's user version with its
   * own value, a real commit through the write queue) at most once a second from the failure on,
   * so that `health` clears once writes can commit again even if no client writes. Never throws:
   * the outcome is in `health`.
   */
  async probeWrites(): Promise<void> {
    const problem = this.health.get("writes");
    if (!problem || Date.now() - Math.max(this.lastProbe, problem.since.getTime()) < PROBE_INTERVAL_MS) return;
    this.lastProbe = Date.now();
    try {
      await this.writes.runRaw((sqlite) => {
        const version = Number(sqlite.pragma("user_version", { simple: true }));
        sqlite.pragma(`user_version = ${version}`);
      });
    } catch {
      // The write queue has recorded why.
    }
  }

  private prepare(sql: string, params: readonly SqlValue[]): BetterSqlite3.Statement {
    this.checkDeadline();
    refuseNul(params);
    return this.cache.get(sql);
  }

  /** `readTogether`'s transaction, made once (better-sqlite3 prepares its BEGIN and COMMIT). */
  private together: ((work: () => unknown) => unknown) | null = null;

  /**
   * Runs `work`, reads that never wait for anything (no promise), in one read transaction: each
   * statement outside a transaction takes and releases SQLite's WAL read lock on its own, which
   * cost a small request's three reads about a third of their time (issue 18). Inside a write
   * transaction of this connection it just runs. The transaction's own BEGIN and COMMIT are not
   * counted as statements.
   */
  readTogether<T>(work: () => T): T {
    const sqlite = this.sqlite;
    if (sqlite.inTransaction) return work();
    this.together ??= sqlite.transaction((run: () => unknown) => run());
    return this.together(work) as T;
  }

  /** Runs a read and returns every row. */
  all<T>(sql: string, params: readonly SqlValue[] = []): T[] {
    try {
      return this.prepare(sql, params).all(...params) as T[];
    } catch (error) {
      throw this.readError(error);
    }
  }

  /** How many `cachedRead` reads were answered by reading, and how many from memory. */
  get readStats(): ReadStats {
    return { ...this.readCache.stats };
  }

  /**
   * The answer kept under `key` if the database has not changed since it was read, otherwise
   * `read`'s, kept for next time (see `ReadCache`). The key must name everything the read
   * depends on, and callers must not change the answer: it is shared between requests. A
   * request past its time limit is stopped here too, as it would be by the read itself, so the
   * limit does not depend on whether the answer was kept. A read that answers at once (`get`,
   * `all`) is answered at once.
   */
  cachedRead<T>(key: string, read: () => MaybePromise<T>): MaybePromise<T> {
    return this.readCache.cachedRead(key, read);
  }

  /**
   * Into how many parts to split a read for `allParts` now: one per idle reader, at least
   * one. Every part pays a fixed cost again (bm25 takes its statistics from the whole index, about
   * as long as ranking thousands of matches), so splitting pays off only on readers that would
   * otherwise wait; under load, one part per read spends the cores on other requests instead.
   */
  get parallelism(): number {
    return this.pool ? Math.max(1, this.pool.idle) : 1;
  }

  /**
   * Runs one read statement once per parameter set (the parts of one read, such as rowid
   * ranges), on the readers in parallel when there are any, otherwise here one after another.
   * Readers see committed data only; one still running at the request's deadline is killed.
   */
  async allParts<T>(sql: string, paramSets: readonly (readonly SqlValue[])[]): Promise<T[][]> {
    if (!this.pool) return paramSets.map((params) => this.all<T>(sql, params));
    this.checkDeadline();
    for (const params of paramSets) refuseNul(params);
    for (let i = 0; i < paramSets.length; i++) this.statements.hit(sql);
    const scope = this.statements.perRequest.getStore();
    try {
      return await this.pool.allParts<T>(sql, paramSets, scope?.deadline);
    } catch (error) {
      if (error instanceof ReadDeadlineError) throw new QueryTimeoutError(scope?.limitMs ?? 0);
      throw ownRealm(error);
    }
  }

  /**
   * Runs a read that may be heavy (any read with a client's filter: a condition on quote text
   * reads every quote) in a reader process when there are any and this connection is not in a
   * transaction (a reader sees committed data only), otherwise here. In a reader it keeps the
   * event loop free for other requests, and it is stopped at the request's time limit rather
   * than only kept from starting after it.
   */
  async heavyRead<T>(sql: string, params: readonly SqlValue[]): Promise<T[]> {
    if (!this.pool || this.sqlite.inTransaction) return this.all<T>(sql, params);
    const [rows] = await this.allParts<T>(sql, [params]);
    return rows;
  }

  /** Runs a read and returns the first row, if any. */
  get<T>(sql: string, params: readonly SqlValue[] = []): T | undefined {
    try {
      return this.prepare(sql, params).get(...params) as T | undefined;
    } catch (error) {
      throw this.readError(error);
    }
  }

  /**
   * Waits for queued writes, then closes the connection with the WAL checkpointed into the main
   * file and truncated to zero bytes. SQLite does that by itself only when the last connection to
   * the file closes; the explicit checkpoint also leaves an empty WAL when another process (a
   * backup, a monitoring tool) has the file open, so a stopped server leaves a self-contained file.
   */
  async close(): Promise<void> {
    await this.writes.idle();
    await this.pool?.close();
    this.cache.clear();
    this.readCache.clear();
    if (!this.dataSource.isInitialized) return;
    try {
      // Waits up to busy_timeout for other processes' readers; if one still holds an old snapshot
      // the checkpoint stops short (it reports busy, it does not fail) and the WAL keeps the
      // remaining frames for the next start. The close goes ahead either way.
      this.sqlite.pragma("wal_checkpoint(TRUNCATE)");
    } finally {
      await this.dataSource.destroy();
    }
  }
}
