import { MAX_DATABASE_ID } from "../model/global-id";
import { BadUserInputError } from "../errors";
import { SqlValue } from "../storage/database";
import { RawRow, SortKey, sortExpression } from "./tables";

/** The page size when a client gives neither `first` nor `last`. */
export const DEFAULT_PAGE_SIZE = 20;
/** The largest page a client may ask for (GitHub's limit). */
export const MAX_PAGE_SIZE = 100;

/** The Relay pagination arguments as a client sends them. */
export interface PageArgs {
  first?: number | null;
  after?: string | null;
  last?: number | null;
  before?: string | null;
}

/** Pagination arguments after validation: one direction, one size, decoded cursors. */
export interface PageRequest {
  limit: number;
  backward: boolean;
  after: SqlValue[] | null;
  before: SqlValue[] | null;
  /** A stable string naming this request, for DataLoader cache keys. */
  key: string;
}

/** One page of rows plus what Relay's `pageInfo` needs. */
export interface Page<T> {
  rows: T[];
  /** The raw rows behind `rows`, kept for their sort-key values (cursors are made on demand). */
  raw: RawRow[];
  hasNextPage: boolean;
  hasPreviousPage: boolean;
}

function signature(order: readonly SortKey[]): string {
  const keys = order.map((k) => `${k.column}${k.direction === "DESC" ? "-" : "+"}`).join(",");
  const list = order.find((k) => k.list !== undefined)?.list;
  return list === undefined ? keys : `${list}:${keys}`;
}


/**
 * Encodes the sort-key values of a row as an opaque cursor. Cursors carry the key, never an
 * offset, so a page deep in a large table is found by index and never skips or repeats a row
 * when rows are inserted before it. The order's signature is included so that a cursor from one
 * ordering cannot be silently misread under another.
 */
export function encodeCursor(order: readonly SortKey[], row: RawRow): string {
  const values = order.map((k) => row[k.column] ?? (k.nullsAsEmpty ? "" : null));
  return Buffer.from(JSON.stringify([signature(order), ...values]), "utf8").toString("base64url");
}

function decodeCursor(cursor: string, order: readonly SortKey[], argument: string): SqlValue[] {
  const invalid = (): BadUserInputError =>
    new BadUserInputError(`\`${argument}\` is not a valid cursor for this list`, argument);
  if (!/^[A-Za-z0-9_-]{1,2048}$/.test(cursor)) throw invalid();
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(cursor, "base64url").toString("utf8"));
  } catch {
    throw invalid();
  }
  if (!Array.isArray(parsed) || parsed.length !== order.length + 1 || parsed[0] !== signature(order)) {
    throw invalid();
  }
  const values = parsed.slice(1) as unknown[];
  // Integer keys (ids, offsets) are 32-bit columns on PostgreSQL; other numbers (search scores) finite.
  const number = (v: number): boolean => Number.isFinite(v) && (!Number.isInteger(v) || Math.abs(v) <= MAX_DATABASE_ID);
  if (!values.every((v) => v === null || typeof v === "string" || (typeof v === "number" && number(v)))) throw invalid();
  // Only a forged cursor holds a key of the wrong kind: every order ends with the row's integer
  // id, and a key read as "" when null is text. Compared with them, such a key would silently
  // give the first page, or none.
  const ok = order.every((key, i) =>
    key.column === "id" ? Number.isSafeInteger(values[i]) : !key.nullsAsEmpty || typeof values[i] === "string",
  );
  if (!ok) throw invalid();
  return values as SqlValue[];
}

function checkSize(value: number | null | undefined, argument: string): void {
  if (value === null || value === undefined) return;
  if (!Number.isInteger(value) || value < 1 || value > MAX_PAGE_SIZE) {
    throw new BadUserInputError(
      `\`${argument}\` must be between 1 and ${MAX_PAGE_SIZE}, got ${value}`,
      argument,
    );
  }
}

/** Validates pagination arguments against an order, throwing `BAD_USER_INPUT` for anything off. */
export function pageRequest(args: PageArgs, order: readonly SortKey[]): PageRequest {
  checkSize(args.first, "first");
  checkSize(args.last, "last");
  if (args.first != null && args.last != null) {
    throw new BadUserInputError("Passing both `first` and `last` is not supported", "last");
  }
  const backward = args.last != null;
  const limit = (backward ? args.last : args.first) ?? DEFAULT_PAGE_SIZE;
  const after = args.after != null ? decodeCursor(args.after, order, "after") : null;
  const before = args.before != null ? decodeCursor(args.before, order, "before") : null;
  const key = JSON.stringify([limit, backward, args.after ?? null, args.before ?? null]);
  return { limit, backward, after, before, key };
}

/**
 * The condition "row comes after (or before) these key values" in the given order. A uniform
 * direction uses a row-value comparison, which SQLite answers with one index range scan.
 */
function keysetCondition(order: readonly SortKey[], values: SqlValue[], after: boolean): { sql: string; params: SqlValue[] } {
  const op = (k: SortKey): string => ((k.direction === "ASC") === after ? ">" : "<");
  const uniform = order.every((k) => k.direction === order[0].direction);
  if (uniform) {
    const columns = order.map((k) => sortExpression(k)).join(", ");
    return { sql: `(${columns}) ${op(order[0])} (${order.map(() => "?").join(", ")})`, params: values };
  }
  const clauses: string[] = [];
  const params: SqlValue[] = [];
  order.forEach((key, i) => {
    const parts = order.slice(0, i).map((k) => `${sortExpression(k)} = ?`);
    parts.push(`${sortExpression(key)} ${op(key)} ?`);
    clauses.push(`(${parts.join(" AND ")})`);
    params.push(...values.slice(0, i), values[i]);
  });
  return { sql: `(${clauses.join(" OR ")})`, params };
}

/** The WHERE terms and ORDER BY for one page request. */
export function pageClauses(
  request: PageRequest,
  order: readonly SortKey[],
  alias = "t",
): { where: string[]; params: SqlValue[]; orderBy: string } {
  const where: string[] = [];
  const params: SqlValue[] = [];
  if (request.after) {
    const c = keysetCondition(order, request.after, true);
    where.push(c.sql);
    params.push(...c.params);
  }
  if (request.before) {
    const c = keysetCondition(order, request.before, false);
    where.push(c.sql);
    params.push(...c.params);
  }
  const flip = (d: SortKey["direction"]): SortKey["direction"] =>
    request.backward ? (d === "ASC" ? "DESC" : "ASC") : d;
  const orderBy = order.map((k) => `${sortExpression(k, alias)} ${flip(k.direction)}`).join(", ");
  return { where, params, orderBy };
}

/** Turns the `limit + 1` rows a page query fetched into a page, in the list's own order. */
export function toPage<T>(raw: RawRow[], request: PageRequest, hydrate: (row: RawRow) => T): Page<T> {
  const more = raw.length > request.limit;
  const kept = more ? raw.slice(0, request.limit) : raw;
  if (request.backward) kept.reverse();
  return {
    rows: kept.map(hydrate),
    raw: kept,
    hasNextPage: request.backward ? request.before !== null : more || request.before !== null,
    hasPreviousPage: request.backward ? more || request.after !== null : request.after !== null,
  };
}
