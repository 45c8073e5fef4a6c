import { ErrorCode } from "../../errors";
import type { StorageFault } from "../storage-errors";

/** Node's network errors: no PostgreSQL server answers, or the connection broke. */
const NETWORK = new Set(["ECONNREFUSED", "ECONNRESET", "ETIMEDOUT", "ENOTFOUND", "EAI_AGAIN", "EHOSTUNREACH", "ENETUNREACH", "EPIPE"]);

/** What pg says, without a code, when a connection fails or times out while connecting. */
const CONNECTION_LOST = /connection terminated|connection timeout|not queryable|Client has encountered a connection error/i;

/**
 * What pg-pool says when every connection of a full pool stayed checked out for its whole wait
 * (`DATABASE_POOL_WAIT_MS`): the server is busy, not unreachable (a new connection that cannot be
 * made in time says "connection timeout" instead).
 */
const POOL_EXHAUSTED = /timeout exceeded when trying to connect/i;

/** The SQLSTATE or Node error code of a thrown value, looking through TypeORM's `QueryFailedError`. */
export function postgresCodeOf(error: unknown): string | undefined {
  for (const candidate of [error, (error as { driverError?: unknown } | null)?.driverError]) {
    const code = (candidate as { code?: unknown } | null)?.code;
    if (typeof code === "string") return code;
  }
  return undefined;
}

/**
 * Classifies an error raised by PostgreSQL or pg as SQLite's `storageFault` does, so that clients
 * get the same coded errors from either database: a full disk (`53100 disk_full`) is
 * `STORAGE_FULL`; a server that cannot be reached or is going away (`08…` connection exceptions,
 * `57P01`–`57P03` shutdowns, network errors), out of resources (`53…`), read-only (`25006`, a
 * primary that became a standby) or failing its own I/O (`58…`) is `STORAGE_UNAVAILABLE`;
 * damaged data (`XX001`, `XX002`) is `STORAGE_CORRUPT`; a pool with every connection busy past its
 * wait is `OVERLOADED` (retry shortly). Anything else (a unique violation, a
 * syntax error, a user's error) is not a storage fault and gives undefined. The fault's
 * `driverCode` carries PostgreSQL's SQLSTATE.
 */
export function postgresFault(error: unknown): StorageFault | undefined {
  const code = postgresCodeOf(error);
  const unavailable = (reason: string): StorageFault => ({ code: ErrorCode.STORAGE_UNAVAILABLE, driverCode: code ?? "connection", reason: `${reason} (${code ?? "connection lost"})` });
  if (code === "53100") return { code: ErrorCode.STORAGE_FULL, driverCode: code, reason: `the database server's disk is full (${code})` };
  if (code === "XX001" || code === "XX002") return { code: ErrorCode.STORAGE_CORRUPT, driverCode: code, reason: `the database server found damaged data (${code})` };
  if (code !== undefined && (NETWORK.has(code) || code.startsWith("08") || code === "57P01" || code === "57P02" || code === "57P03")) {
    return unavailable("the database server cannot be reached or is shutting down");
  }
  if (code !== undefined && code.startsWith("53")) return unavailable("the database server is out of resources");
  if (code === "25006") return unavailable("the database server accepts no writes (read-only)");
  if (code !== undefined && code.startsWith("58")) return unavailable("the database server reported a system error");
  if (code === undefined && error instanceof Error && POOL_EXHAUSTED.test(error.message)) {
    return { code: ErrorCode.OVERLOADED, driverCode: "pool", reason: "every connection to the database server stayed busy for the whole wait (DATABASE_POOL_WAIT_MS)" };
  }
  if (code === undefined && error instanceof Error && CONNECTION_LOST.test(error.message)) return unavailable("the connection to the database server was lost");
  return undefined;
}
