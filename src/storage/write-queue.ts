import type BetterSqlite3 from "better-sqlite3";
import { DataSource, EntityManager } from "typeorm";
import { ErrorCode } from "../errors";
import { StorageError, StorageFault, storageFault } from "./storage-errors";
import { StorageHealth } from "./storage-health";

/** The part of TypeORM's query runner that tracks its transaction, which a failed COMMIT can leave wrong. */
interface TransactionState {
  isTransactionActive: boolean;
  transactionDepth: number;
}

/** What is known when the connection is still inside a transaction that cannot be rolled back. */
const STUCK: StorageFault = {
  code: ErrorCode.STORAGE_UNAVAILABLE,
  driverCode: "SQLITE_ERROR",
  reason: "the write connection is stuck in a transaction that cannot be rolled back",
};

/**
 * Runs writes one at a time, each in its own transaction, and acknowledges a write only once it
 * is committed.
 *
 * TypeORM's better-sqlite3 driver has a single connection and a single query runner, so two
 * `dataSource.transaction()` calls that overlap fail with "cannot start a transaction within a
 * transaction" (or TypeORM's TransactionAlreadyStartedError). The queue chains every write onto
 * the previous one, so they never overlap; a write that fails rolls back and the next one starts
 * from a clean state. Reads do not go through the queue and never wait for it.
 *
 * A clean state is checked, not assumed. When COMMIT fails (a full disk, an I/O error, a lock held
 * past the busy timeout), SQLite may or may not have rolled the transaction back by itself, and
 * TypeORM's own bookkeeping does not survive either case: its ROLLBACK fails when SQLite already
 * rolled back, its transaction depth stays at one, and every later write becomes a savepoint
 * inside a transaction that never commits, acknowledged and then lost. So before and after every
 * write the queue asks better-sqlite3 (`inTransaction`) whether the connection is in a
 * transaction, rolls back if it is, and resets TypeORM's depth; a write is acknowledged only if
 * the connection is out of any transaction after its commit. Storage faults reach the client as
 * `STORAGE_FULL` or `STORAGE_UNAVAILABLE` (nothing was stored) and mark `health` until a write
 * commits again.
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

  constructor(
    private readonly dataSource: DataSource,
    private readonly connection: () => BetterSqlite3.Database,
    private readonly health: StorageHealth,
  ) {}

  /** How many writes are queued or running (for tests and diagnostics). */
  get pending(): number {
    return this.waiting;
  }

  /** Queues `work`; resolves with its result once its transaction has committed. */
  run<T>(work: (manager: EntityManager) => Promise<T>): Promise<T> {
    this.waiting += 1;
    const result = this.tail.then(() => this.commit(work));
    // The chain must survive a failed write, or one bad mutation would block all later ones.
    this.tail = result.then(
      () => this.done(),
      () => this.done(),
    );
    return result;
  }

  /**
   * Runs `work` on the raw connection in its own transaction, behind every queued write, with the
   * same checks as `run` (for writes that do not go through TypeORM, such as a readiness probe).
   */
  runRaw<T>(work: (sqlite: BetterSqlite3.Database) => T): Promise<T> {
    return this.run(async () => work(this.connection()));
  }

  /** Resolves once every write queued so far has finished (closing the database waits for it). */
  async idle(): Promise<void> {
    while (this.waiting > 0) await this.tail;
  }

  private done(): void {
    this.waiting -= 1;
  }

  private async commit<T>(work: (manager: EntityManager) => Promise<T>): Promise<T> {
    // A connection left in a transaction by anything else must not swallow this write.
    if (!this.settle()) throw this.fail(STUCK);
    let result: T;
    try {
      result = await this.dataSource.transaction((manager) => work(manager));
    } catch (error) {
      const clean = this.settle();
      const fault = storageFault(error) ?? (clean ? undefined : STUCK);
      if (fault) throw this.fail(fault);
      throw error;
    }
    // TypeORM reported a commit; the connection must agree, or the write is not durable.
    if (this.connection().inTransaction) {
      this.settle();
      throw this.fail({ ...STUCK, reason: "the commit left the write connection inside a transaction" });
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
   * Brings the connection and TypeORM's query runner out of any transaction, rolling back what
   * is open. Returns false if the connection is still inside one afterwards.
   */
  private settle(): boolean {
    const sqlite = this.connection();
    if (sqlite.inTransaction) {
      try {
        sqlite.exec("ROLLBACK");
      } catch {
        // Checked below: SQLite may have ended the transaction itself, or refuse to.
      }
    }
    const runner = this.dataSource.driver.createQueryRunner("master") as unknown as TransactionState;
    runner.isTransactionActive = false;
    runner.transactionDepth = 0;
    return !sqlite.inTransaction;
  }
}
