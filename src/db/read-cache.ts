import type BetterSqlite3 from "better-sqlite3";

/** How many reads through a `ReadCache` were answered by reading, and how many from memory. */
export interface ReadStats {
  read: number;
  cached: number;
}

/**
 * The answers of the latest expensive reads (full-text ranking and counts), least recently used
 * dropped first. Ranking a common phrase costs tens of milliseconds, and the same search is asked
 * again and again (a page reload, the next visitor, the next page of a frontend's list), while
 * answering it from memory costs one trivial statement.
 *
 * The cache is never stale. Before every look-up it reads one stamp from the server's own
 * connection: `total_changes()`, which grows with every row this connection writes (whoever
 * writes through it: the API, the seeder, a test's raw SQL), and `PRAGMA data_version`, which
 * changes whenever any other connection, in this process or another, has committed. When the
 * stamp has moved, everything is dropped. An answer is kept only if the stamp did not move
 * while it was read and no transaction was open at either end, because the read workers see
 * committed data only and an open transaction's changes would reach them unannounced. Answers
 * are frozen by their callers where they are objects, since every request shares them.
 */
export class ReadCache {
  private readonly entries = new Map<string, Promise<unknown>>();
  private stamped: string | null = null;
  private statement: BetterSqlite3.Statement | null = null;
  readonly stats: ReadStats = { read: 0, cached: 0 };

  constructor(
    private readonly connection: () => BetterSqlite3.Database,
    /** How many answers to keep; 0 turns the cache off. */
    readonly capacity: number,
  ) {}

  /** The stamp of the database's state, dropping every kept answer when it has moved. */
  private stamp(): string {
    this.statement ??= this.connection().prepare("SELECT total_changes() AS c, data_version AS v FROM pragma_data_version");
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
   * too, so identical requests arriving together share it instead of each ranking afresh.
   * Answers are shared between requests, so callers must not change them.
   */
  async through<T>(key: string, read: () => Promise<T>): Promise<T> {
    // Inside a transaction on the server's connection the cache steps aside: the workers cannot
    // see that transaction's changes, and reading the stamp would fix its snapshot, so that its
    // first write could fail when another process commits meanwhile (SQLITE_BUSY_SNAPSHOT).
    if (this.capacity === 0 || this.connection().inTransaction) {
      this.stats.read += 1;
      return read();
    }
    const before = this.stamp();
    const kept = this.entries.get(key) as Promise<T> | undefined;
    if (kept) {
      this.entries.delete(key);
      this.entries.set(key, kept);
      this.stats.cached += 1;
      return kept;
    }
    this.stats.read += 1;
    const reading = read();
    this.entries.set(key, reading);
    if (this.entries.size > this.capacity) this.entries.delete(this.entries.keys().next().value as string);
    try {
      const value = await reading;
      if (!this.unchangedSince(before)) this.forget(key, reading);
      return value;
    } catch (error) {
      this.forget(key, reading);
      throw error;
    }
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

  private forget(key: string, entry: Promise<unknown>): void {
    if (this.entries.get(key) === entry) this.entries.delete(key);
  }
}
