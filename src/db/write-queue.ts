import { DataSource, EntityManager } from "typeorm";

/**
 * Runs writes one at a time, each in its own transaction.
 *
 * TypeORM's better-sqlite3 driver has a single connection and a single query runner, so two
 * `dataSource.transaction()` calls that overlap fail with "cannot start a transaction within a
 * transaction" (or TypeORM's TransactionAlreadyStartedError). The queue chains every write onto
 * the previous one, so they never overlap; a write that fails rolls back and the next one starts
 * from a clean state. Reads do not go through the queue and never wait for it.
 *
 * Because better-sqlite3 is synchronous, a transaction here only ever awaits microtasks, so no
 * other HTTP request gets to run (and read its uncommitted rows on the shared connection) while
 * it is open. Write functions must keep it that way: no timers, network or file I/O inside.
 * Operations started in the same turn of the event loop (several `executeOperation` calls at
 * once) do interleave at every await; that is exactly when unqueued transactions collide, and
 * the queue is what keeps them apart.
 */
export class WriteQueue {
  private tail: Promise<unknown> = Promise.resolve();
  private waiting = 0;

  constructor(private readonly dataSource: DataSource) {}

  /** How many writes are queued or running (for tests and diagnostics). */
  get pending(): number {
    return this.waiting;
  }

  /** Queues `work`; resolves with its result once its transaction has committed. */
  run<T>(work: (manager: EntityManager) => Promise<T>): Promise<T> {
    this.waiting += 1;
    const result = this.tail.then(() => this.dataSource.transaction((manager) => work(manager)));
    // The chain must survive a failed write, or one bad mutation would block all later ones.
    this.tail = result.then(
      () => this.done(),
      () => this.done(),
    );
    return result;
  }

  /** Resolves once every write queued so far has finished (closing the database waits for it). */
  async idle(): Promise<void> {
    while (this.waiting > 0) await this.tail;
  }

  private done(): void {
    this.waiting -= 1;
  }
}
