import type BetterSqlite3 from "better-sqlite3";
import { ownRealm } from "../errors/normalize";
import { KeptAnswers } from "./kept-answers";

/** How many reads through a `ReadCache` were answered by reading, and how many from memory. */
export interface ReadStats {
  read: number;
  cached: number;
}

/**
 * A cache key naming a read: its kind and everything its answer depends on (the SQL text and its
 * parameters, or a search's query and page). A BigInt is written as an object, which no other
 * parameter becomes, so that it never names the same read as a number or a string.
 */
export function readKey(...parts: unknown[]): string {
  return JSON.stringify(parts, (_, value: unknown) => (typeof value === "bigint" ? { bigint: String(value) } : value));
}

/**
 * The statement that reads the stamp: this connection's changes and the other connections'
 * commits, in one row.
 */
export const STAMP_SQL = "SELECT total_changes() AS c, data_version AS v FROM pragma_data_version";

/**
 * The answers of the latest expensive reads (full-text ranking, list counts and grouped counts),
 * least recently used dropped first. Ranking a common phrase or counting a filtered list costs
 * tens of milliseconds, and the same read is asked again and again (a page reload, the next
 * visitor, the next page of a frontend's list with its `totalCount`), while answering it from
 * memory costs one trivial statement.
 *
 * The cache is never stale. Before every look-up it reads one stamp from the server's own
 * connection: `total_changes()`, which grows with every row this connection writes (whoever
 * writes through it: the API, the seeder, a test's raw SQL), and `PRAGMA data_version`, which
 * changes whenever any other connection, in this process or another, has committed. When the
 * stamp has moved, everything is dropped. An answer is kept only if the stamp did not move
 * while it was read and no transaction was open at either end, because the readers see
 * committed data only and an open transaction's changes would reach them unannounced. Answers
 * are frozen by their callers where they are objects, since every request shares them.
 */
export class ReadCache {
  private readonly entries: KeptAnswers;
  private stamped: string | null = null;
  private statement: BetterSqlite3.Statement | null = null;
  readonly stats: ReadStats = { read: 0, cached: 0 };

  constructor(
    private readonly connection: () => BetterSqlite3.Database,
    /** How many answers to keep; 0 turns the cache off. */
    readonly capacity: number,
    /**
     * Runs before every `cachedRead` and may throw to refuse it: the database's request deadline,
     * so that a request past its time limit is stopped on a kept answer as it would be by the
     * read itself, and the limit does not depend on whether the answer was kept.
     */
    private readonly beforeRead: () => void = () => {},
  ) {
    this.entries = new KeptAnswers(capacity);
  }

  /**
   * `throughAny` as the database offers it (`Database.cachedRead`): after `beforeRead`, and with
   * whatever the read or the stamp throws made an Error of this realm (see `ownRealm`). A read
   * that answers synchronously (on the server's own connection) is answered synchronously.
   */
  cachedRead<T>(key: string, read: () => T | Promise<T>): T | Promise<T> {
    this.beforeRead();
    try {
      const answer = this.throughAny(key, read);
      return answer instanceof Promise ? answer.catch((error: unknown) => Promise.reject(ownRealm(error))) : answer;
    } catch (error) {
      throw ownRealm(error);
    }
  }

  /** The stamp of the database's state, dropping every kept answer when it has moved. */
  private stamp(): string {
    this.statement ??= this.connection().prepare(STAMP_SQL);
    const { c, v } = this.statement.get() as { c: number; v: number };
    const stamp = `${c}:${v}`;
    if (stamp !== this.stamped) {
      this.entries.clear();
      this.stamped = stamp;
    }
    return stamp;
  }

  /**
   * The answer kept under `key`, or `read`'s, kept for next time. A read still running is kept
   * too, so identical requests arriving together share it instead of each ranking afresh; if it
   * fails (it belongs to the request that started it, and stops at that request's time limit),
   * the request waiting for it reads again within its own. For a read that runs here,
   * synchronously, on the server's own connection, nothing can change between the stamp and the
   * read, so the stamp is read once: a commit by another process in between makes the answer
   * newer than its stamp, and the next look-up, seeing the stamp moved, drops it. A read that
   * returns a promise is kept only if the stamp has not moved once it has settled.
   */
  private throughAny<T>(key: string, read: () => T | Promise<T>): T | Promise<T> {
    if (this.stepsAside()) return read();
    const before = this.stamp();
    const kept = this.entries.take(key);
    if (kept) {
      this.stats.cached += 1;
      if ("value" in kept) return kept.value as T;
      return (kept.promise as Promise<T>).catch(() => read());
    }
    this.stats.read += 1;
    const value = read();
    if (!(value instanceof Promise)) {
      this.entries.keep(key, { value });
      return value;
    }
    const entry = { promise: value };
    this.entries.keep(key, entry);
    return value.then(
      (answer) => {
        if (!this.unchangedSince(before)) this.entries.forget(key, entry);
        return answer;
      },
      (error: unknown) => {
        this.entries.forget(key, entry);
        throw error;
      },
    );
  }

  /**
   * Whether this read goes past the cache (counted as read): when it is off, and inside a
   * transaction on the server's connection, as the readers cannot see that transaction's
   * changes, and reading the stamp would fix its snapshot, so that its first write could fail
   * when another process commits meanwhile (SQLITE_BUSY_SNAPSHOT).
   */
  private stepsAside(): boolean {
    if (this.capacity > 0 && !this.connection().inTransaction) return false;
    this.stats.read += 1;
    return true;
  }

  /** Drops every kept answer (when the database closes). */
  clear(): void {
    this.entries.clear();
    this.stamped = null;
    this.statement = null;
  }

  /**
   * Whether an answer read since the stamp `before` may be kept: no transaction is open and
   * nothing has changed. A stamp that cannot be read keeps nothing, and does not fail a read that
   * succeeded.
   */
  private unchangedSince(before: string): boolean {
    try {
      return !this.connection().inTransaction && this.stamp() === before;
    } catch {
      return false;
    }
  }
}
