import type { DataSource, EntityManager } from "typeorm";
import { Dialect, sqliteDialect, SqlValue } from "./dialect";
import { postgresDialect } from "./postgres/dialect";
import type { ReadStats } from "./read-cache";
import type { StatementCounter } from "./request-scope";
import type { StorageHealth } from "./storage-health";

/** A value now, or a promise of it: what a read returns on a store that may answer either way. */
export type MaybePromise<T> = T | Promise<T>;

/**
 * Applies `then` to a value now, or when its promise settles. The read paths chain with it so
 * that SQLite, whose reads answer synchronously, pays no promise per read, while PostgreSQL's
 * asynchronous reads go through the same code.
 */
export function after<A, B>(value: MaybePromise<A>, then: (a: A) => MaybePromise<B>): MaybePromise<B> {
  return value instanceof Promise ? value.then(then) : then(value);
}

/** Waits for every value of a list that is a promise; a list of plain values comes back as is. */
export function allOf<T>(values: readonly MaybePromise<T>[]): MaybePromise<T[]> {
  return values.some((v) => v instanceof Promise) ? Promise.all(values) : (values as T[]);
}

/** Which database a store runs on. */
export type StoreKind = "sqlite" | "postgres";

/**
 * One open knowledge base, whatever database holds it: what the read paths, the services and the
 * HTTP layer need from storage. SQLite (`Database`, embedded, the default) answers reads
 * synchronously; PostgreSQL (`PostgresDatabase`, `DATABASE_URL`) answers them with promises.
 * SQL is written with `?` placeholders and the store's `dialect` for what differs.
 */
export interface Store {
  readonly kind: StoreKind;
  /** The SQL that differs between the databases (case folding, id lists, JSON arrays). */
  readonly dialect: Dialect;
  /** The TypeORM DataSource: entities, migrations, writes in transactions. */
  readonly dataSource: DataSource;
  /** Counts statements and holds each request's scope (count, deadline). */
  readonly statements: StatementCounter;
  /** What is wrong with the storage now, if anything (`/ready` reports it). */
  readonly health: StorageHealth;
  /** Into how many parts a read may be split for `allParts` now (at least one). */
  readonly parallelism: number;
  /** How many `cachedRead` reads were answered by reading, and how many from memory. */
  readonly readStats: ReadStats;

  /** Runs a read and returns every row. */
  all<T>(sql: string, params?: readonly SqlValue[]): MaybePromise<T[]>;
  /** Runs a read and returns the first row, if any. */
  get<T>(sql: string, params?: readonly SqlValue[]): MaybePromise<T | undefined>;
  /** Runs a read that may be heavy (a client's filter) where it cannot stall other requests. */
  heavyRead<T>(sql: string, params: readonly SqlValue[]): Promise<T[]>;
  /** Runs one read statement once per parameter set (the parts of one read), in parallel where it can. */
  allParts<T>(sql: string, paramSets: readonly (readonly SqlValue[])[]): Promise<T[][]>;
  /** Runs `work`, a few reads, so that they see one snapshot where the store can do that cheaply. */
  readTogether<T>(work: () => T): T;
  /**
   * The answer kept under `key` if the data has not changed since it was read, otherwise
   * `read`'s, kept for next time. The key must name everything the read depends on; callers
   * must not change the answer, which is shared between requests.
   */
  cachedRead<T>(key: string, read: () => MaybePromise<T>): MaybePromise<T>;
  /**
   * Runs `work` in a transaction once every earlier write has finished. Every write of the API
   * goes through here; the promise settles once the write has committed, or with a coded error.
   */
  write<T>(work: (manager: EntityManager) => Promise<T>): Promise<T>;
  /** While writes are failing, tries a tiny write now and then, so that `health` clears by itself. */
  probeWrites(): Promise<void>;
  /** Waits for queued writes and closes every connection. */
  close(): Promise<void>;
}

/** The dialect of the database a DataSource (or a transaction's EntityManager) talks to. */
export function dialectFor(source: DataSource | EntityManager): Dialect {
  const connection = "connection" in source ? source.connection : source;
  return connection.options.type === "postgres" ? postgresDialect : sqliteDialect;
}
