import { GraphQLError } from "graphql";
import { ErrorCode } from "../errors";

/** What a SQLite error says about the storage, when it is about the storage at all. */
export interface StorageFault {
  /** `OVERLOADED` only on PostgreSQL: every pooled connection stayed busy (see `postgresFault`). */
  code: ErrorCode.STORAGE_FULL | ErrorCode.STORAGE_UNAVAILABLE | ErrorCode.STORAGE_CORRUPT | ErrorCode.OVERLOADED;
  /** SQLite's own code, such as `SQLITE_IOERR_WRITE`, PostgreSQL's SQLSTATE, or `pool`. */
  driverCode: string;
  /** A sentence for operators, such as "the disk is full (SQLITE_FULL)". */
  reason: string;
}

/** The code a thrown value carries, looking through TypeORM's `QueryFailedError` to the driver's error. */
function driverCodeOf(error: unknown): string | undefined {
  const candidates = [error, (error as { driverError?: unknown } | null)?.driverError];
  for (const candidate of candidates) {
    const code = (candidate as { code?: unknown } | null)?.code;
    if (typeof code === "string" && code.startsWith("SQLITE_")) return code;
  }
  return undefined;
}

/**
 * Classifies an error raised by SQLite: a full disk, a storage that cannot be written (I/O
 * errors, a read-only file or directory, a lock held past the busy timeout, a file that cannot
 * be opened) or a damaged file. Anything else (a constraint, a syntax error) is not a storage
 * fault and gives undefined.
 */
export function storageFault(error: unknown): StorageFault | undefined {
  const driverCode = driverCodeOf(error);
  if (!driverCode) return undefined;
  const base = driverCode.replace(/^(SQLITE_[A-Z]+).*$/, "$1");
  switch (base) {
    case "SQLITE_FULL":
      return { code: ErrorCode.STORAGE_FULL, driverCode, reason: `the disk is full (${driverCode})` };
    case "SQLITE_IOERR":
      return { code: ErrorCode.STORAGE_UNAVAILABLE, driverCode, reason: `the storage reported an I/O error (${driverCode})` };
    case "SQLITE_READONLY":
      return { code: ErrorCode.STORAGE_UNAVAILABLE, driverCode, reason: `the database file cannot be written (${driverCode})` };
    case "SQLITE_BUSY":
    case "SQLITE_LOCKED":
      return { code: ErrorCode.STORAGE_UNAVAILABLE, driverCode, reason: `another connection held the database lock past the busy timeout (${driverCode})` };
    case "SQLITE_CANTOPEN":
    case "SQLITE_PERM":
    case "SQLITE_NOLFS":
    case "SQLITE_PROTOCOL":
      return { code: ErrorCode.STORAGE_UNAVAILABLE, driverCode, reason: `the database file cannot be used (${driverCode})` };
    case "SQLITE_CORRUPT":
    case "SQLITE_NOTADB":
      return { code: ErrorCode.STORAGE_CORRUPT, driverCode, reason: `the database file is damaged (${driverCode})` };
    default:
      return undefined;
  }
}

/** When a client should retry after the storage was too busy to answer (an `OVERLOADED` fault). */
const BUSY_RETRY_AFTER_S = 1;

/**
 * A request that failed because of the storage, not because of what it asked. For a mutation it
 * says that nothing of it was stored: the transaction was rolled back before the error was sent.
 */
export class StorageError extends GraphQLError {
  constructor(fault: StorageFault, what: "write" | "read") {
    const message =
      what === "write"
        ? `Nothing was stored: the write could not be committed because ${fault.reason}. Retry later.`
        : `The request could not be answered because ${fault.reason}.`;
    const busy = fault.code === ErrorCode.OVERLOADED;
    super(message, {
      extensions: {
        code: fault.code,
        ...(what === "write" ? { stored: false } : {}),
        ...(busy ? { retryAfter: BUSY_RETRY_AFTER_S } : {}),
        http: { status: 503, ...(busy ? { headers: new Map([["retry-after", String(BUSY_RETRY_AFTER_S)]]) } : {}) },
      },
    });
  }
}
