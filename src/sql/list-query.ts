import type { Store } from "../storage/store";
import { SqlValue } from "../storage/database";
import type { Dialect, Sql } from "../storage/dialect";
import { after, MaybePromise } from "../storage/store";
import { readKey } from "../storage/read-cache";
import type { ListArgs } from "../inputs/list-args";
import { compileFilter } from "./filter-compiler";
import { resolveOrder } from "./orders";
import { Page, PageRequest, pageClauses, pageRequest, toPage } from "./pagination";
import type { RelationSource } from "./relations";
import { everyColumn, NodeTypeName, RawRow, SortKey, TableDef } from "./tables";

/** A list's arguments, checked and compiled: the order, the page request and the filter. */
export interface CompiledList {
  order: SortKey[];
  request: PageRequest;
  filter: Sql | null;
  /**
   * Whether the list's page may cost more than an index walk: it has a filter, or an order of
   * several criteria, which no index serves (sorting a million quotes by kind, then newest first,
   * takes 300 ms). Such a page is a heavy read (`Store.heavyRead`).
   */
  heavy: boolean;
}

/** Checks and compiles a list's arguments for a dialect; throws `BAD_USER_INPUT` for anything off. */
export function compileList(dialect: Dialect, typeName: NodeTypeName, args: ListArgs): CompiledList {
  const order = resolveOrder(typeName, args.orderBy);
  const filter = compileFilter(dialect, typeName, args.filter);
  return { order, request: pageRequest(args, order), filter, heavy: filter !== null || (args.orderBy?.length ?? 0) > 1 };
}

/** The select list for a table aliased `alias`: the given columns, or every column when null. */
function selectList(dialect: Dialect, target: TableDef<unknown>, columns: readonly string[] | null, alias: string): string {
  return columns ? columns.map((c) => `${alias}."${c}"`).join(", ") : everyColumn(dialect, target, alias);
}

/** Where the rows of a root list come from; the target table is aliased `t`. */
export interface ListSource<T> {
  target: TableDef<T>;
  from: string;
}

function whereSql(terms: string[]): string {
  return terms.length > 0 ? `WHERE ${terms.join(" AND ")}` : "";
}

/** The filter's condition, if any, with its parameters. */
function baseTerms(filter: Sql | null): { terms: string[]; params: SqlValue[] } {
  return filter ? { terms: [filter.sql], params: filter.params } : { terms: [], params: [] };
}

/**
 * Runs a list's statement: here when it is not `heavy` (its cost is then bounded by the indexes
 * of its order and relation), otherwise as a heavy read (`Store.heavyRead`): a filter can ask
 * for a condition on every quote's text, and that read must neither stall the event loop nor
 * outlive the request's time limit.
 */
function readList<R>(db: Store, heavy: boolean, sql: string, params: readonly SqlValue[]): MaybePromise<R[]> {
  return heavy ? db.heavyRead<R>(sql, params) : db.all<R>(sql, params);
}

/**
 * Fetches one page of a root list in one statement, selecting `columns` (null: every column;
 * the caller includes the sort keys and the primary key). With `probe` it fetches one row past
 * the page, which `toPage` turns into `hasNextPage`/`hasPreviousPage`; without, those are unknown.
 */
export async function fetchRootPage<T>(
  db: Store,
  source: ListSource<T>,
  filter: Sql | null,
  order: readonly SortKey[],
  request: PageRequest,
  columns: readonly string[] | null = null,
  probe = true,
  heavy = filter !== null,
): Promise<Page<T>> {
  const clauses = pageClauses(request, order);
  const base = baseTerms(filter);
  const terms = [...base.terms, ...clauses.where];
  const sql = `SELECT ${selectList(db.dialect, source.target, columns, "t")} FROM ${source.from} ${whereSql(terms)} ORDER BY ${clauses.orderBy} LIMIT ?`;
  const rows = await readList<RawRow>(db, heavy, sql, [...base.params, ...clauses.params, request.limit + (probe ? 1 : 0)]);
  return toPage(rows, request, source.target.hydrate);
}

/**
 * Counts a root list in one statement. The count is kept in the database's read cache until the
 * next change: a filtered count visits every match (a country's 15,000 people, each tested for a
 * position), and a frontend paging through a list asks for the same `totalCount` on every page.
 */
export async function countRoot(db: Store, source: ListSource<unknown>, filter: Sql | null): Promise<number> {
  const base = baseTerms(filter);
  const sql = `SELECT COUNT(*) AS n FROM ${source.from} ${whereSql(base.terms)}`;
  const key = readKey("rootCount", sql, base.params);
  if (!filter) return db.cachedRead(key, () => after(db.get<{ n: number }>(sql, base.params), (row) => row?.n ?? 0));
  return db.cachedRead(key, async () => (await db.heavyRead<{ n: number }>(sql, base.params))[0]?.n ?? 0);
}

/**
 * Fetches the same page of a nested list for many parents in one statement. For each parent id
 * (from a JSON array) a correlated subquery picks that parent's page of ids through the index
 * and stops at the page size, so a parent with 20,000 children costs what one with 20 does, and
 * the statement count depends on the depth of the query, never on how many parents there are.
 * `probe` as for `fetchRootPage`. With a filter the statement is a heavy read, and the pages come
 * as a promise.
 */
export function fetchNestedPages<T>(
  db: Store,
  source: RelationSource<T>,
  filter: Sql | null,
  order: readonly SortKey[],
  request: PageRequest,
  parentIds: readonly number[],
  columns: readonly string[] | null = null,
  probe = true,
): Map<number, Page<T>> | Promise<Map<number, Page<T>>> {
  const clauses = pageClauses(request, order);
  const limit = request.limit + (probe ? 1 : 0);
  const table = `"${source.target.table}"`;
  const dialect = db.dialect;
  if (parentIds.length === 1) {
    // One parent (a frontend's single node): the plain page statement, without the JSON list
    // and the join, which cost a small request about half its SQL time (issue 18).
    const terms = [source.parentCondition("?"), ...(filter ? [filter.sql] : []), ...clauses.where];
    const sql = `SELECT ${selectList(dialect, source.target, columns, "t")} FROM ${table} t WHERE ${terms.join(" AND ")} ORDER BY ${clauses.orderBy} LIMIT ?`;
    const params: SqlValue[] = [parentIds[0], ...(filter?.params ?? []), ...clauses.params, limit];
    return after(readList<RawRow>(db, filter !== null, sql, params), (rows) => new Map([[parentIds[0], toPage(rows, request, source.target.hydrate)]]));
  }
  const terms = [source.parentCondition("p.value"), ...(filter ? [filter.sql] : []), ...clauses.where];
  // SQLite walks the index once per parent for the ids of its page, then reads those rows;
  // PostgreSQL plans that IN as a join over every child row, so there each parent's page is a
  // LATERAL subquery, which it runs per parent through the index, stopping at the page's end. The
  // subquery also selects the sort keys, which the outer ORDER BY reads and the rows leave out.
  const page = `FROM ${table} t WHERE ${terms.join(" AND ")} ORDER BY ${clauses.orderBy} LIMIT ?`;
  const pages =
    dialect.kind === "postgres"
      ? `CROSS JOIN LATERAL (SELECT ${selectList(dialect, source.target, columns && [...new Set([...columns, ...order.map((k) => k.column)])], "t")} ${page}) r`
      : `JOIN ${table} r ON r.id IN (SELECT t.id ${page})`;
  const sql = `SELECT ${selectList(dialect, source.target, columns, "r")}, p.value AS "__parent" FROM ${dialect.idRows("p")} ${pages} ORDER BY p.key, ${pageClauses(request, order, "r").orderBy}`;
  const params: SqlValue[] = [dialect.idListParam(parentIds), ...(filter?.params ?? []), ...clauses.params, limit];
  return after(readList<RawRow>(db, filter !== null, sql, params), (rows) => {
    const grouped = new Map<number, RawRow[]>();
    for (const row of rows) {
      // The row keeps its `__parent` column: deleting a property would turn every row object
      // into a slow dictionary-mode object, and no field reads it.
      const parent = row.__parent as number;
      const list = grouped.get(parent);
      if (list) list.push(row);
      else grouped.set(parent, [row]);
    }
    const pages = new Map<number, Page<T>>();
    for (const id of parentIds) pages.set(id, toPage(grouped.get(id) ?? [], request, source.target.hydrate));
    return pages;
  });
}

/**
 * Counts a nested list for many parents in one statement, each count through the index; with a
 * filter, as a heavy read.
 */
export async function countNested(
  db: Store,
  source: RelationSource<unknown>,
  filter: Sql | null,
  parentIds: readonly number[],
): Promise<Map<number, number>> {
  const terms = [source.parentCondition("p.value"), ...(filter ? [filter.sql] : [])];
  const sql =
    `SELECT p.value AS "__parent", (SELECT COUNT(*) FROM "${source.target.table}" t WHERE ${terms.join(" AND ")}) AS n ` +
    `FROM ${db.dialect.idRows("p")}`;
  const counts = new Map<number, number>();
  // The subquery's parameters come first in the text, so they are bound first.
  for (const row of await readList<{ __parent: number; n: number }>(db, filter !== null, sql, [...(filter?.params ?? []), db.dialect.idListParam(parentIds)])) {
    counts.set(row.__parent, row.n);
  }
  return counts;
}

/** Loads rows of one table by primary key in one statement, selecting `columns` (null: every column). */
export function fetchByIds<T>(db: Store, target: TableDef<T>, ids: readonly number[], columns: readonly string[] | null = null): MaybePromise<Map<number, T>> {
  const select = selectList(db.dialect, target, columns, "t");
  // One id (a frontend's single node): a plain look-up by primary key, without the id list.
  const rows =
    ids.length === 1
      ? db.all<RawRow>(`SELECT ${select} FROM "${target.table}" t WHERE t.id = ?`, [ids[0]])
      : db.all<RawRow>(`SELECT ${select} FROM "${target.table}" t WHERE t.id IN ${db.dialect.idList()}`, [db.dialect.idListParam(ids)]);
  return after(rows, (found) => new Map(found.map((row) => [row.id as number, target.hydrate(row)])));
}

/** A to-one relation read in the same statement as the row that points to it (see `fetchByIdWithRefs`). */
export interface JoinedRef {
  target: TableDef<unknown>;
  /** The foreign key column of the row, among its selected columns. */
  column: string;
  /** The columns of the referenced row to select; the primary key first. */
  columns: readonly string[];
}

/**
 * Loads one row by primary key with the rows its to-one relations point to, in one statement
 * (a LEFT JOIN per relation), selecting `columns` of the row and each relation's own columns.
 * A frontend's small request (a node and its country) then costs one statement less. Returns the
 * row, or undefined, and for each relation the row it points to, or null.
 */
export function fetchByIdWithRefs<T>(
  db: Store,
  target: TableDef<T>,
  id: number,
  columns: readonly string[],
  refs: readonly JoinedRef[],
): MaybePromise<{ row: T | undefined; refs: Array<unknown | null> }> {
  const select = [selectList(db.dialect, target, columns, "t")];
  const joins: string[] = [];
  refs.forEach((ref, i) => {
    select.push(ref.columns.map((c) => `r${i}."${c}" AS "r${i}.${c}"`).join(", "));
    joins.push(`LEFT JOIN "${ref.target.table}" r${i} ON r${i}.id = t."${ref.column}"`);
  });
  return after(db.all<RawRow>(`SELECT ${select.join(", ")} FROM "${target.table}" t ${joins.join(" ")} WHERE t.id = ?`, [id]), (rows) => joinedRow(target, rows[0], columns, refs));
}

/** Splits a row read with its joined to-one relations (`fetchByIdWithRefs`) into its own row and theirs. */
function joinedRow<T>(
  target: TableDef<T>,
  raw: RawRow | undefined,
  columns: readonly string[],
  refs: readonly JoinedRef[],
): { row: T | undefined; refs: Array<unknown | null> } {
  if (raw === undefined) return { row: undefined, refs: refs.map(() => null) };
  const own: RawRow = {};
  for (const c of columns) own[c] = raw[c];
  return {
    row: target.hydrate(own),
    refs: refs.map((ref, i) => {
      if (raw[`r${i}.id`] === null) return null;
      const row: RawRow = {};
      for (const c of ref.columns) row[c] = raw[`r${i}.${c}`];
      return ref.target.hydrate(row);
    }),
  };
}
