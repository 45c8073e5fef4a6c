/**
 * What is wrong with the storage right now, if anything, as `/ready` reports it: writes that
 * cannot commit (a full disk, an I/O error, a read-only file, a lock held past the busy timeout)
 * and a database file that failed its integrity check. Each problem is set when it is found and
 * cleared when it is over (a write commits again); listeners hear of every change once, so the
 * log says why the server is not ready once, not once per request.
 */
export type StorageProblemKind = "writes" | "integrity";

/** One current problem: what it is about, its code for clients and a sentence for operators. */
export interface StorageProblem {
  kind: StorageProblemKind;
  /** The error code clients get for it (`STORAGE_FULL`, `STORAGE_UNAVAILABLE`, `STORAGE_CORRUPT`). */
  code: string;
  reason: string;
  since: Date;
}

/** A change of a problem: set (`problem` given) or cleared (`problem` null). */
export type StorageHealthListener = (kind: StorageProblemKind, problem: StorageProblem | null) => void;

/** The storage's current problems; one per open database, never shared. */
export class StorageHealth {
  private readonly problems = new Map<StorageProblemKind, StorageProblem>();
  private readonly listeners: StorageHealthListener[] = [];

  /**
   * Records a problem; listeners hear of it only if it is new or its code changed. A later
   * reason for the same problem (the integrity check's findings after a read hit the damage)
   * replaces the earlier one quietly.
   */
  set(kind: StorageProblemKind, code: string, reason: string): void {
    const current = this.problems.get(kind);
    if (current && current.code === code) {
      current.reason = reason;
      return;
    }
    const problem: StorageProblem = { kind, code, reason, since: new Date() };
    this.problems.set(kind, problem);
    for (const listener of this.listeners) listener(kind, problem);
  }

  /** Clears a problem; listeners hear of it only if there was one. */
  clear(kind: StorageProblemKind): void {
    if (!this.problems.delete(kind)) return;
    for (const listener of this.listeners) listener(kind, null);
  }

  /** The problem of one kind, if any. */
  get(kind: StorageProblemKind): StorageProblem | undefined {
    return this.problems.get(kind);
  }

  /** Every current problem, integrity first (it is the one that needs an operator). */
  get current(): StorageProblem[] {
    return [...this.problems.values()].sort((a, b) => (a.kind === b.kind ? 0 : a.kind === "integrity" ? -1 : 1));
  }

  /** Calls `listener` on every later change. */
  onChange(listener: StorageHealthListener): void {
    this.listeners.push(listener);
  }
}
