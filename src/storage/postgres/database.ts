import { AsyncLocalStorage } from "node:async_hooks";
import type { Pool, PoolClient } from "pg";
import type { DataSource, EntityManager } from "typeorm";
import { DEFAULT_READ_CACHE_ENTRIES } from "../../config";
import { ErrorCode, QueryTimeoutError } from "../../errors";
import { ownRealm } from "../../errors/normalize";
import { Dialect, refuseNul, SqlValue } from "../dialect";
import type { ReadStats } from "../read-cache";
import { checkDeadline, RequestScope, StatementCounter } from "../request-scope";
import { StorageError, StorageFault } from "../storage-errors";
import { StorageHealth } from "../storage-health";
import type { MaybePromise, Store } from "../store";
import { postgresDialect } from "./dialect";
import { postgresCodeOf, postgresFault } from "./faults";
import { openPostgres } from "./open";
import { StampedReadCache } from "./read-cache";
import { hydrateInstantsAsUtc, installTypeParsers } from "./types";

/** When a probe write last ran, so that a polled `/ready` does not write on every poll. */
const PROBE_INTERVAL_MS = 1000;

/**
 * How long after this process's last commit every read goes to the primary: longer than a
 * streaming replica normally lags behind, so that a client that wrote and at once reads (another
 * request, perhaps on another connection) sees its write.
 */
export const READ_YOUR_WRITES_MS = 2000;

/**
 * The advisory lock every write transaction takes first (`pg_advisory_xact_lock`, released by
 * its commit or rollback): one writer at a time across every server process on the database.
 */
export const WRITE_LOCK = 1796454565;

/** The write transaction's first statement, not counted. */
const LOCK_SQL = `SELECT pg_advisory_xact_lock(${WRITE_LOCK})`;

/** `probeWrites`'s tiny real write: a row rewritten with its own value, not counted. */
const PROBE_SQL = `UPDATE "kb_version" SET "v" = "v" WHERE "id" = 1`;

/** The largest `statement_timeout` PostgreSQL takes, in ms (a 32-bit integer). */
const MAX_STATEMENT_TIMEOUT_MS = 2_147_483_647;

/** The statement that reads the change stamp (`kb_version`, see the PostgresChangeStamp migration). */
export const POSTGRES_STAMP_SQL = `SELECT "v" FROM "kb_version" WHERE "id" = 1`;

/**
 * How far past a request's deadline a read may run when its connection's `statement_timeout`,
 * set for an earlier read, is already that close to the time left: re-setting it costs a round
 * trip (see `PostgresDatabase.prepare`), and a request's reads, one after another, mostly get
 * the same pooled connection back.
 */
export const TIMEOUT_SLACK_MS = 25;

/** PostgreSQL's `query_canceled`: a statement stopped by `statement_timeout` (or a cancel request). */
const QUERY_CANCELED = "57014";

/** Statements TypeORM runs around a transaction, which SQLite's counter does not see either. */
const TRANSACTION_CONTROL = /^\s*(START TRANSACTION|BEGIN|COMMIT|ROLLBACK|SAVEPOINT|RELEASE SAVEPOINT|SET TRANSACTION)\b/i;

/** Whether TypeORM's statement `sql` is one the counter leaves out (see `PostgresDatabase.statements`). */
function uncounted(sql: string): boolean {
  return sql === LOCK_SQL || sql === PROBE_SQL || TRANSACTION_CONTROL.test(sql);
}

/** The part of TypeORM's `PostgresDriver` used here: its pg pools and how it checks clients out. */
interface PostgresDriverPools {
  master: Pool;
  slaves: Pool[];
  obtainMasterConnection(): Promise<[PoolClient, (error?: unknown) => void]>;
  obtainSlaveConnection(): Promise<[PoolClient, (error?: unknown) => void]>;
}

/** What `PostgresDatabase.open` takes besides the primary's URL. */
export interface PostgresDatabaseOptions {
  /** Read replicas (`DATABASE_REPLICA_URLS`). */
  replicaUrls?: readonly string[];
  /** Whether to run pending migrations (default true). */
  migrate?: boolean;
  /** How many answers of expensive reads to keep (`READ_CACHE_ENTRIES`); 0 turns the cache off. */
  readCacheEntries?: number;
  /** Connections per pool (`DATABASE_POOL_SIZE`, default 10). */
  poolSize?: number;
  /** How long a check-out without a request deadline waits for a connection (`DATABASE_POOL_WAIT_MS`, default 30 s). */
  poolWaitMs?: number;
  /** The setting named in start-up errors (default `DATABASE_URL`). */
  setting?: string;
}

/**
 * One open PostgreSQL knowledge base (`DATABASE_URL`), the `Store` the app uses instead of
 * SQLite's `Database`: TypeORM's DataSource for entities, migrations and writes, and pg's pools
 * of that DataSource (the primary's and each replica's) queried directly by the read paths, which
 * skips TypeORM's query runner on every read.
 *
 * Routing. Writes, and reads inside a write (on the write's own transaction, so they see its
 * changes as SQLite's do), go to the primary. Other reads go to a replica, in turn, when there
 * are replicas, except for read-your-writes: a request that has written through this store, and
 * every read within `READ_YOUR_WRITES_MS` of this process's last commit, read the primary.
 * A process cannot know when another process's commit reaches a replica; the window covers
 * ordinary lag, and the read cache never keeps an answer read on a replica behind the stamp.
 *
 * Time limit. Each read is run with a server-side `statement_timeout` equal to the time the
 * request has left (`SET statement_timeout` on the checked-out connection, sent only when the
 * connection's is not already within `TIMEOUT_SLACK_MS` above it, so reads outside a request and
 * most later reads of a request pay nothing), and a
 * request already past its deadline is refused before it reads. A connection that TypeORM takes
 * from the pool with a time-out still set is reset to none first, so writes are never cut short.
 *
 * Statements are counted as on SQLite: every read statement, and every statement TypeORM runs
 * but its transaction control, the write lock, the probe and the change stamp.
 */
export class PostgresDatabase implements Store {
  readonly kind = "postgres";
  readonly dialect: Dialect = postgresDialect;
  /** Reads are split into parts only where parallel parts pay: not over one server's pool yet. */
  readonly parallelism = 1;
  /** What is wrong with the storage now, if anything (`/ready` reports it). */
  readonly health = new StorageHealth();

  /** The transaction of the write running in this async context, if any: its reads go through it. */
  private readonly inWrite = new AsyncLocalStorage<EntityManager>();
  /** The pool a cached read is pinned to, so that the stamps checked are those of its data. */
  private readonly pinned = new AsyncLocalStorage<Pool>();
  /** Each pooled connection's `statement_timeout` as last set here (absent: the server's default, none). */
  private readonly timeouts = new WeakMap<PoolClient, number>();
  /** Connections given the type parsers (see `installTypeParsers`). */
  private readonly typed = new WeakSet<PoolClient>();
  /** Requests that have written through this store: they read the primary from then on. */
  private readonly wrote = new WeakSet<RequestScope>();
  private readonly readCache: StampedReadCache;
  private tail: Promise<unknown> = Promise.resolve();
  private waiting = 0;
  private lastCommit = 0;
  private lastProbe = 0;
  private nextReplica = 0;

  private constructor(
    readonly dataSource: DataSource,
    readonly statements: StatementCounter,
    readCacheEntries: number,
  ) {
    this.readCache = new StampedReadCache(readCacheEntries, (counted) => this.stamp(this.pools.master, counted));
    this.prepareTypeOrmConnections();
    hydrateInstantsAsUtc(dataSource);
  }

  /**
   * Checks and opens the database with `openPostgres` (start-up checks, migrations under an
   * advisory lock; failures are one-line `PostgresStartupError`s), with the statement counter
   * on TypeORM's statements.
   */
  static async open(url: string, options: PostgresDatabaseOptions = {}): Promise<PostgresDatabase> {
    const statements = new StatementCounter();
    const dataSource = await openPostgres({
      url,
      replicaUrls: options.replicaUrls,
      migrate: options.migrate ?? true,
      poolSize: options.poolSize,
      poolWaitMs: options.poolWaitMs,
      setting: options.setting,
      onStatement: (sql) => {
        if (!uncounted(sql)) statements.hit(sql);
      },
    });
    return new PostgresDatabase(dataSource, statements, options.readCacheEntries ?? DEFAULT_READ_CACHE_ENTRIES);
  }

  private get pools(): PostgresDriverPools {
    return this.dataSource.driver as unknown as PostgresDriverPools;
  }

  /** How many writes are queued or running. */
  get pendingWrites(): number {
    return this.waiting;
  }

  /**
   * Readies a connection for use: the type parsers once (per connection, so pg's global types and
   * other pools are untouched), and the statement time-out `timeout` (0: none). `SET
   * statement_timeout` is sent only when the connection's current one is not already `timeout`,
   * or for a read up to `TIMEOUT_SLACK_MS` more: it costs a round trip (about 0.05 ms on a local
   * server, a third of a trivial read), which a request's later reads on the same connection skip.
   */
  private async prepare(client: PoolClient, timeout: number): Promise<void> {
    if (!this.typed.has(client)) {
      installTypeParsers(client);
      this.typed.add(client);
    }
    const current = this.timeouts.get(client) ?? 0;
    const close = timeout === 0 ? current === 0 : current >= timeout && current <= timeout + TIMEOUT_SLACK_MS;
    if (!close) {
      await client.query(`SET statement_timeout = ${timeout}`);
      this.timeouts.set(client, timeout);
    }
  }

  /**
   * Makes TypeORM's own check-outs (writes, entity reads through the manager) go through
   * `prepare` with no time-out: TypeORM and the read path share the pools.
   */
  private prepareTypeOrmConnections(): void {
    const driver = this.pools;
    for (const method of ["obtainMasterConnection", "obtainSlaveConnection"] as const) {
      const obtain = driver[method].bind(driver);
      driver[method] = async () => {
        const [client, release] = await obtain();
        try {
          await this.prepare(client, 0);
        } catch (error) {
          release(error);
          throw error;
        }
        return [client, release];
      };
    }
  }

  /**
   * The pool a read outside a write goes to: the pinned one in a cached read, the primary without
   * replicas or for read-your-writes (see the class comment), otherwise the next replica.
   */
  private route(): Pool {
    const pinned = this.pinned.getStore();
    if (pinned) return pinned;
    const { master, slaves } = this.pools;
    if (slaves.length === 0) return master;
    const scope = this.statements.perRequest.getStore();
    if ((scope && this.wrote.has(scope)) || Date.now() - this.lastCommit < READ_YOUR_WRITES_MS) return master;
    this.nextReplica = (this.nextReplica + 1) % slaves.length;
    return slaves[this.nextReplica];
  }

  /** The time-out for the next statement of the request being served, in ms (0: none). */
  private timeLeft(): number {
    checkDeadline(this.statements);
    const scope = this.statements.perRequest.getStore();
    // No deadline, or one past what `statement_timeout` can hold (about 24 days): none.
    if (scope?.deadline === undefined || !Number.isFinite(scope.deadline)) return 0;
    const left = Math.floor(scope.deadline - Date.now());
    if (left < 1) throw new QueryTimeoutError(scope.limitMs ?? 0);
    return left > MAX_STATEMENT_TIMEOUT_MS ? 0 : left;
  }

  /** Runs one statement (already in PostgreSQL's form) on a connection of `pool`. */
  private async query<T>(pool: Pool, text: string, values: readonly SqlValue[], timeout: number): Promise<T[]> {
    let client: PoolClient;
    try {
      client = await this.checkOut(pool, timeout);
    } catch (error) {
      throw this.readError(error);
    }
    let broken: Error | undefined;
    try {
      await this.prepare(client, timeout);
      const result = await client.query({ text, values: values as unknown[] });
      return result.rows as T[];
    } catch (error) {
      if (postgresCodeOf(error) === QUERY_CANCELED && timeout > 0) {
        throw new QueryTimeoutError(this.statements.perRequest.getStore()?.limitMs ?? timeout);
      }
      const mapped = this.readError(error);
      // A connection that failed is not given back to the pool for the next read.
      if (mapped instanceof StorageError) broken = error instanceof Error ? error : new Error(String(error));
      throw mapped;
    } finally {
      client.release(broken);
    }
  }

  /**
   * A connection of `pool`. With a request deadline (`timeout` ms left; 0: none) the wait ends at
   * the deadline, with the request's time-limit error: a request that runs out of time waiting
   * for a busy pool, or for a new connection's handshake on a busy event loop, is told that,
   * not that the database is gone. The connection, when it comes, goes back to the pool. Without
   * a deadline the pool's own wait (`DATABASE_POOL_WAIT_MS`) applies.
   */
  private checkOut(pool: Pool, timeout: number): Promise<PoolClient> {
    const pending = pool.connect();
    if (timeout === 0) return pending;
    const limitMs = this.statements.perRequest.getStore()?.limitMs ?? timeout;
    return new Promise<PoolClient>((resolve, reject) => {
      let late = false;
      const timer = setTimeout(() => {
        late = true;
        pending.then(
          (client) => client.release(),
          () => undefined,
        );
        reject(new QueryTimeoutError(limitMs));
      }, timeout);
      pending.then(
        (client) => {
          if (late) return;
          clearTimeout(timer);
          resolve(client);
        },
        (error: unknown) => {
          if (late) return;
          clearTimeout(timer);
          reject(error);
        },
      );
    });
  }

  /** The error a failed read raises: a coded storage error when PostgreSQL blames the storage. */
  private readError(error: unknown): unknown {
    if (error instanceof QueryTimeoutError || error instanceof StorageError) return error;
    const fault = postgresFault(error);
    if (!fault) return ownRealm(error);
    if (fault.code === ErrorCode.STORAGE_CORRUPT) this.health.set("integrity", fault.code, fault.reason);
    return new StorageError(fault, "read");
  }

  /** A read: inside a write on its transaction (counted by TypeORM), otherwise on `route()`'s pool. */
  private async read<T>(sql: string, params: readonly SqlValue[]): Promise<T[]> {
    refuseNul(params);
    const text = this.dialect.native(sql);
    const manager = this.inWrite.getStore();
    if (manager) {
      checkDeadline(this.statements);
      try {
        return (await manager.query(text, [...params])) as T[];
      } catch (error) {
        throw this.readError(error);
      }
    }
    const timeout = this.timeLeft();
    this.statements.hit(sql, params);
    return this.query<T>(this.route(), text, params, timeout);
  }

  /** Runs a read and returns every row. */
  all<T>(sql: string, params: readonly SqlValue[] = []): Promise<T[]> {
    return this.read<T>(sql, params);
  }

  /** Runs a read and returns the first row, if any. */
  async get<T>(sql: string, params: readonly SqlValue[] = []): Promise<T | undefined> {
    const rows = await this.read<T>(sql, params);
    return rows[0];
  }

  /**
   * Runs a read that may be heavy. The server runs it in its own backend process and stops it at
   * the request's time limit (`statement_timeout`), so it needs nothing more than `all`.
   */
  heavyRead<T>(sql: string, params: readonly SqlValue[]): Promise<T[]> {
    return this.read<T>(sql, params);
  }

  /** Runs one read statement once per parameter set, each on a connection of its own, together. */
  allParts<T>(sql: string, paramSets: readonly (readonly SqlValue[])[]): Promise<T[][]> {
    return Promise.all(paramSets.map((params) => this.read<T>(sql, params)));
  }

  /**
   * Just runs `work`. SQLite groups a request's reads in one transaction because that is cheaper
   * there; on PostgreSQL it would cost a pinned connection and BEGIN and COMMIT round trips, so
   * each statement reads in its own snapshot (READ COMMITTED, autocommit). That is fine for the
   * read paths: each statement is consistent in itself, later levels read by the ids an earlier
   * one returned (a row deleted in between is simply missing, as a row deleted just before the
   * request would be), and SQLite's reader processes already read the parts of one read in
   * separate snapshots.
   */
  readTogether<T>(work: () => T): T {
    return work();
  }

  /** How many `cachedRead` reads were answered by reading, and how many from memory. */
  get readStats(): ReadStats {
    return { ...this.readCache.stats };
  }

  /**
   * The change stamp as one pool's server sees it. The look-up before a cached read is `counted`
   * as a statement of the request, as SQLite's is: it is the one round trip a repeated count
   * costs; the checks after a read and of a replica are not.
   */
  private async stamp(pool: Pool, counted = false): Promise<string> {
    if (counted) this.statements.hit(POSTGRES_STAMP_SQL);
    const timeout = this.timeLeft();
    const client = await this.checkOut(pool, timeout);
    try {
      await this.prepare(client, timeout);
      const { rows } = await client.query<{ v: number | string }>(POSTGRES_STAMP_SQL);
      return String(rows[0]?.v);
    } finally {
      client.release();
    }
  }

  /**
   * The answer kept under `key` if no process has written since it was read, otherwise `read`'s,
   * kept for next time (see `StampedReadCache`: the change stamp is read from the primary once
   * per cached read, and again after a read that was not kept). The key must name everything the
   * read depends on, and callers must not change the answer. The reads of `read` are pinned to
   * one pool; on a replica the answer is kept only if that replica had caught up with the
   * primary's stamp before the read. A request past its time limit is stopped here, kept answer
   * or not. Inside a write the cache is passed by (its transaction's changes are not committed).
   */
  cachedRead<T>(key: string, read: () => MaybePromise<T>): Promise<T> {
    try {
      checkDeadline(this.statements);
    } catch (error) {
      return Promise.reject(error);
    }
    const uncached = async (): Promise<T> => read();
    if (this.inWrite.getStore()) {
      this.readCache.countRead();
      return uncached();
    }
    return this.readCache
      .through<T>(
        key,
        async (stamp) => {
          const pool = this.route();
          const caughtUp = pool === this.pools.master || (await this.stamp(pool).catch(() => null)) === stamp;
          const value = await this.pinned.run(pool, async () => read());
          return { value, keep: caughtUp };
        },
        uncached,
      )
      .catch((error: unknown) => Promise.reject(this.readError(error)));
  }

  /**
   * Runs `work` in one transaction once every earlier write of this process has finished (a
   * promise queue), holding `pg_advisory_xact_lock` from the transaction's first statement to
   * its end so that no other process's write interleaves with the editing service's
   * read-then-check-then-write. The promise settles once the commit has succeeded; a commit
   * that fails is never reported as success. Storage faults become the same coded errors as on
   * SQLite and mark `health` until a write commits again; other errors (a unique violation, the
   * work's own) are passed on as they are, with everything rolled back.
   */
  write<T>(work: (manager: EntityManager) => Promise<T>): Promise<T> {
    this.waiting += 1;
    const scope = this.statements.perRequest.getStore();
    const result = this.tail.then(() => this.commit(work, scope));
    this.tail = result.then(
      () => this.done(),
      () => this.done(),
    );
    return result;
  }

  private done(): void {
    this.waiting -= 1;
  }

  private async commit<T>(work: (manager: EntityManager) => Promise<T>, scope: RequestScope | undefined): Promise<T> {
    let result: T;
    try {
      result = await this.dataSource.transaction(async (manager) => {
        await manager.query(LOCK_SQL);
        return this.inWrite.run(manager, () => work(manager));
      });
    } catch (error) {
      const fault = postgresFault(error);
      // A pool too busy to lend a connection says nothing about whether writes can commit.
      if (fault?.code === ErrorCode.OVERLOADED) throw new StorageError(fault, "write");
      if (fault) throw this.fail(fault);
      throw error;
    } finally {
      // Whether or not it committed, the next reads go to the primary (a failed COMMIT may have
      // reached the server).
      this.lastCommit = Date.now();
      if (scope) this.wrote.add(scope);
    }
    this.health.clear("writes");
    return result;
  }

  /** Records a storage fault for `/ready` and turns it into the client's coded error. */
  private fail(fault: StorageFault): StorageError {
    this.health.set("writes", fault.code, fault.reason);
    return new StorageError(fault, "write");
  }

  /**
   * While writes are failing, tries one tiny real write (the change stamp's row rewritten with
   * its own value, through the write queue and its lock) at most once a second from the failure
   * on, so that `health` clears once writes can commit again even if no client writes. Never
   * throws: the outcome is in `health`.
   */
  async probeWrites(): Promise<void> {
    const problem = this.health.get("writes");
    if (!problem || Date.now() - Math.max(this.lastProbe, problem.since.getTime()) < PROBE_INTERVAL_MS) return;
    this.lastProbe = Date.now();
    try {
      await this.write(async (manager) => {
        await manager.query(PROBE_SQL);
      });
    } catch {
      // `write` has recorded why.
    }
  }

  /** Waits for queued writes, then closes every connection of every pool. */
  async close(): Promise<void> {
    while (this.waiting > 0) await this.tail;
    this.readCache.clear();
    if (this.dataSource.isInitialized) await this.dataSource.destroy();
  }
}
