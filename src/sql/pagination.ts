import { MAX_DATABASE_ID } from "../model/global-id";
import { model } from "../model/registry";
import { BadUserInputError } from "../errors";
import { SqlValue } from "../storage/database";
import { NodeTypeName, RawRow, SortKey, sortExpression } from "./tables";

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
  // Only a forged cursor holds a key of another kind than its column's. Compared with the
  // column, such a key would silently give the first page or none on SQLite, and fail the
  // statement on PostgreSQL ("invalid input syntax for type integer").
  const kinds = keyKinds(order);
  if (!values.every((value, i) => fitsKey(kinds[i], value))) throw invalid();
  return values as SqlValue[];
}

/** What a cursor may hold for one sort key: the kind of value its column compares with. */
type KeyKind = "integer" | "number" | "text" | "instant";

/**
 * The kind of each key of `order`, from the model: the list is named on the order's final key
 * (a type, or `Search`, whose other key is the relevance score). A key read as "" when null is text.
 */
function keyKinds(order: readonly SortKey[]): KeyKind[] {
  const list = order[order.length - 1]?.list;
  const columns = list === undefined ? undefined : model().types.get(list as NodeTypeName)?.columns;
  return order.map((key): KeyKind => {
    if (key.column === "id") return "integer";
    if (key.nullsAsEmpty) return "text";
    const type = columns?.get(key.column)?.type;
    if (type === "integer") return "integer";
    if (type === "datetime") return "instant";
    return type === undefined ? "number" : "text";
  });
}

/** An instant as both databases hand it out: SQLite's UTC text, to the second or finer. */
const INSTANT_TEXT = /^(\d{4})-(\d{2})-(\d{2}) (\d{2}):(\d{2}):(\d{2})(\.\d{1,6})?$/;

function fitsKey(kind: KeyKind, value: unknown): boolean {
  switch (kind) {
    // Integer keys (ids, offsets) are 32-bit columns on PostgreSQL.
    case "integer":
      return Number.isInteger(value) && Math.abs(value as number) <= MAX_DATABASE_ID;
    case "number":
      return typeof value === "number" && Number.isFinite(value);
    case "text":
      return typeof value === "string";
    case "instant": {
      const parts = typeof value === "string" ? INSTANT_TEXT.exec(value) : null;
      if (!parts) return false;
      // A real moment: a Date rolls 30 February over into March, which the round trip shows.
      // setUTCFullYear, unlike Date.UTC, takes years 0–99 as they are (not as 1900–1999).
      const [year, month, day, hour, minute, second] = parts.slice(1, 7).map(Number);
      const moment = new Date(0);
      moment.setUTCFullYear(year, month - 1, day);
      moment.setUTCHours(hour, minute, second);
      return year >= 1 && moment.getUTCFullYear() === year && moment.getUTCMonth() === month - 1 && moment.getUTCDate() === day && moment.getUTCHours() === hour && moment.getUTCMinutes() === minute;
    }
  }
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
