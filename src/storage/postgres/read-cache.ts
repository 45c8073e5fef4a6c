import { KeptAnswers } from "../kept-answers";
import type { ReadStats } from "../read-cache";

/**
 * PostgreSQL's counterpart of SQLite's `ReadCache`: the answers of the latest expensive reads
 * (searches, counts), least recently used dropped first, never stale. Its stamp is the change
 * stamp `kb_version.v` (the `PostgresChangeStamp` migration), which every committed write of any
 * process moves, read from the primary once per cached read: "a version row read per request",
 * the cross-process invalidation chosen over LISTEN/NOTIFY (see that migration's comment). When
 * the stamp has moved, everything is dropped. An answer is kept only if the stamp did not move
 * while it was read, and `read` may refuse to be kept (a replica behind the stamp).
 */
export class StampedReadCache {
  private readonly entries: KeptAnswers;
  private stamped: string | null = null;
  readonly stats: ReadStats = { read: 0, cached: 0 };

  constructor(
    /** How many answers to keep; 0 turns the cache off. */
    readonly capacity: number,
    /**
     * Reads the change stamp from the primary: `counted` for the look-up before a cached read,
     * which is a statement of the request like SQLite's; not for the check after a read.
     */
    private readonly readStamp: (counted: boolean) => Promise<string>,
  ) {
    this.entries = new KeptAnswers(capacity);
  }

  /**
   * The answer kept under `key`, or `read`'s, kept for next time when `read` says it may be
   * (`keep`) and the stamp did not move meanwhile. `read` gets the stamp read before it.
   */
  async through<T>(key: string, read: (stamp: string) => Promise<{ value: T; keep: boolean }>, uncached: () => Promise<T>): Promise<T> {
    if (this.capacity <= 0) {
      this.stats.read += 1;
      return uncached();
    }
    const before = await this.stamp(true);
    const kept = this.entries.take(key);
    if (kept) {
      this.stats.cached += 1;
      if ("value" in kept) return kept.value as T;
      try {
        return (await kept.promise) as T;
      } catch {
        // The read belongs to the request that started it and stops at that request's time
        // limit, which may come long before this one's: read again, within this request's own.
        return uncached();
      }
    }
    this.stats.read += 1;
    const running = read(before);
    const entry = { promise: running.then((r) => r.value) };
    // Only requests sharing the read wait on this promise; with none, its failure is this one's.
    entry.promise.catch(() => undefined);
    this.entries.keep(key, entry);
    try {
      const { value, keep } = await running;
      if (!keep || !(await this.unchangedSince(before))) this.entries.forget(key, entry);
      else this.entries.settle(key, entry, value);
      return value;
    } catch (error) {
      this.entries.forget(key, entry);
      throw error;
    }
  }

  /** Counts a read that went past the cache (inside a write transaction). */
  countRead(): void {
    this.stats.read += 1;
  }

  /** The stamp now, dropping every kept answer when it has moved. */
  private async stamp(counted = false): Promise<string> {
    const stamp = await this.readStamp(counted);
    if (stamp !== this.stamped) {
      this.entries.clear();
      this.stamped = stamp;
    }
    return stamp;
  }

  /** Whether the stamp is still `before`; a stamp that cannot be read keeps nothing. */
  private async unchangedSince(before: string): Promise<boolean> {
    try {
      return (await this.stamp()) === before;
    } catch {
      return false;
    }
  }

  /** Drops every kept answer (when the database closes). */
  clear(): void {
    this.entries.clear();
    this.stamped = null;
  }
}
