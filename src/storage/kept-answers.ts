/** A kept answer: a read still running (shared by the requests that ask meanwhile), or its value. */
export type Kept = { promise: Promise<unknown> } | { value: unknown };

/**
 * The answers a read cache keeps, at most `capacity`, the least recently used dropped first (a
 * `Map` keeps insertion order, so the first key is the oldest). SQLite's `ReadCache` and
 * PostgreSQL's `StampedReadCache` share it; which change stamp the answers hold for is theirs.
 */
export class KeptAnswers {
  private readonly entries = new Map<string, Kept>();

  constructor(readonly capacity: number) {}

  /** The entry kept under `key`, made the most recently used. */
  take(key: string): Kept | undefined {
    const kept = this.entries.get(key);
    if (kept) {
      this.entries.delete(key);
      this.entries.set(key, kept);
    }
    return kept;
  }

  /** Keeps `entry` under `key`, dropping the least recently used answer when over capacity. */
  keep(key: string, entry: Kept): void {
    this.entries.set(key, entry);
    if (this.entries.size > this.capacity) this.entries.delete(this.entries.keys().next().value as string);
  }

  /** Replaces the running read `entry` by its value, unless it was dropped or replaced meanwhile. */
  settle(key: string, entry: Kept, value: unknown): void {
    if (this.entries.get(key) === entry) this.entries.set(key, { value });
  }

  /** Drops `entry`, unless another has taken its place under `key` meanwhile. */
  forget(key: string, entry: Kept): void {
    if (this.entries.get(key) === entry) this.entries.delete(key);
  }

  clear(): void {
    this.entries.clear();
  }
}
