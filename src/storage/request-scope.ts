import { AsyncLocalStorage } from "node:async_hooks";
import { QueryTimeoutError } from "../errors";

/** What the database knows about the request it is serving: its statement count and deadline. */
export interface RequestScope {
  count: number;
  /** `Date.now()` after which no further statement may start (the execution time limit). */
  deadline?: number;
  limitMs?: number;
  /** The request's ID, as sent in `X-Request-Id`, for logs and error reports. */
  requestId?: string;
}

/** Counts SQL statements, so tests and the benchmark can check that none grow with row counts. */
export class StatementCounter {
  count = 0;
  /** The statements themselves, kept only while `record` is on (tests use it to explain failures). */
  log: string[] = [];
  record = false;

  /**
   * The statement count of the request being served, if any: better-sqlite3 runs statements
   * synchronously inside the caller's async context, so each statement is charged to the request
   * that ran it even when many are in flight (the benchmark reads it per request).
   */
  readonly perRequest = new AsyncLocalStorage<RequestScope>();

  /** Counts one statement; while recording, logs it with its parameters filled in. */
  hit(sql: string, params: readonly unknown[] = []): void {
    this.count += 1;
    const request = this.perRequest.getStore();
    if (request) request.count += 1;
    if (this.record) this.log.push(expand(sql, params));
  }

  reset(): void {
    this.count = 0;
    this.log = [];
  }
}

/**
 * The execution time limit: SQLite statements cannot be interrupted from JavaScript, so a
 * request over its time stops before its next statement, and its remaining fields fail fast.
 * Throws QueryTimeoutError when the request being served is past its deadline.
 */
export function checkDeadline(statements: StatementCounter): void {
  const scope = statements.perRequest.getStore();
  if (scope?.deadline !== undefined && Date.now() >= scope.deadline) throw new QueryTimeoutError(scope.limitMs ?? 0);
}

/** A parameter as SQLite writes it into an expanded statement (an array as PostgreSQL's literal). */
function literal(value: unknown): string {
  if (value === null || value === undefined) return "NULL";
  if (Array.isArray(value)) return `'{${value.map((v) => (typeof v === "number" ? String(v) : JSON.stringify(String(v)))).join(",")}}'`;
  if (typeof value === "number" || typeof value === "bigint") return String(value);
  if (Buffer.isBuffer(value)) return `x'${value.toString("hex")}'`;
  return `'${String(value).replace(/'/g, "''")}'`;
}

/**
 * A statement's text with its positional parameters filled in (named ones are left as they
 * are), for the statement log that tests read to explain a count.
 */
export function expand(sql: string, params: readonly unknown[]): string {
  if (params.length === 0 || params.some((p) => typeof p === "object" && p !== null && !Buffer.isBuffer(p) && !Array.isArray(p))) return sql;
  let next = 0;
  return sql.replace(/'(?:[^']|'')*'|\?/g, (token) => (token === "?" && next < params.length ? literal(params[next++]) : token));
}
