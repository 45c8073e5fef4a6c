import { Database, SqlValue } from "../db/database";
import { idList, idListParam } from "../db/dialect";
import { Sql } from "./filters";
import { Page, PageRequest, pageClauses, toPage } from "./pagination";
import { RawRow, SortKey, TableDef } from "./tables";

/**
 * Where the rows of a list come from. The target table is always aliased `t`. For a nested list
 * (a relation), `parentKey` is the SQL expression naming each row's parent, and `from`/`where`
 * contain exactly one `?` that is bound to the JSON array of parent ids.
 */
export interface ListSource<T> {
  target: TableDef<T>;
  from: string;
  where?: string;
  parentKey?: string;
}

function whereSql(terms: string[]): string {
  return terms.length > 0 ? `WHERE ${terms.join(" AND ")}` : "";
}

/** The source's own condition followed by the filter's, with the filter's parameters. */
function baseTerms(source: ListSource<unknown>, filter: Sql | null): { terms: string[]; params: SqlValue[] } {
  const terms = source.where ? [source.where] : [];
  if (filter) terms.push(filter.sql);
  return { terms, params: filter ? filter.params : [] };
}

/** Fetches one page of a root list in one statement. */
export function fetchRootPage<T>(
  db: Database,
  source: ListSource<T>,
  filter: Sql | null,
  order: readonly SortKey[],
  request: PageRequest,
): Page<T> {
  const clauses = pageClauses(request, order);
  const base = baseTerms(source, filter);
  const terms = [...base.terms, ...clauses.where];
  const sql = `SELECT t.* FROM ${source.from} ${whereSql(terms)} ORDER BY ${clauses.orderBy} LIMIT ?`;
  const rows = db.all<RawRow>(sql, [...base.params, ...clauses.params, request.limit + 1]);
  return toPage(rows, request, source.target.hydrate);
}

/** Counts a root list in one statement. */
export function countRoot(db: Database, source: ListSource<unknown>, filter: Sql | null): number {
  const base = baseTerms(source, filter);
  const sql = `SELECT COUNT(*) AS n FROM ${source.from} ${whereSql(base.terms)}`;
  return db.get<{ n: number }>(sql, base.params)?.n ?? 0;
}

/**
 * Fetches the same page of a nested list for many parents in one statement: the rows are
 * numbered per parent with ROW_NUMBER() and cut at the page size, so the statement count depends
 * on the depth of the query and never on how many parents there are.
 */
export function fetchNestedPages<T>(
  db: Database,
  source: ListSource<T>,
  filter: Sql | null,
  order: readonly SortKey[],
  request: PageRequest,
  parentIds: readonly number[],
): Map<number, Page<T>> {
  const parentKey = source.parentKey as string;
  const clauses = pageClauses(request, order);
  const base = baseTerms(source, filter);
  const terms = [...base.terms, ...clauses.where];
  const sql =
    `SELECT * FROM (SELECT t.*, ${parentKey} AS "__parent", ` +
    `ROW_NUMBER() OVER (PARTITION BY ${parentKey} ORDER BY ${clauses.orderBy}) AS "__rn" ` +
    `FROM ${source.from} ${whereSql(terms)}) WHERE "__rn" <= ? ORDER BY "__parent", "__rn"`;
  const params: SqlValue[] = [idListParam(parentIds), ...base.params, ...clauses.params, request.limit + 1];
  const grouped = new Map<number, RawRow[]>();
  for (const row of db.all<RawRow>(sql, params)) {
    const parent = row.__parent as number;
    delete row.__parent;
    delete row.__rn;
    const list = grouped.get(parent);
    if (list) list.push(row);
    else grouped.set(parent, [row]);
  }
  const pages = new Map<number, Page<T>>();
  for (const id of parentIds) pages.set(id, toPage(grouped.get(id) ?? [], request, source.target.hydrate));
  return pages;
}

/** Counts a nested list for many parents in one GROUP BY statement. */
export function countNested(
  db: Database,
  source: ListSource<unknown>,
  filter: Sql | null,
  parentIds: readonly number[],
): Map<number, number> {
  const parentKey = source.parentKey as string;
  const base = baseTerms(source, filter);
  const sql = `SELECT ${parentKey} AS "__parent", COUNT(*) AS n FROM ${source.from} ${whereSql(base.terms)} GROUP BY ${parentKey}`;
  const counts = new Map<number, number>();
  for (const row of db.all<{ __parent: number; n: number }>(sql, [idListParam(parentIds), ...base.params])) {
    counts.set(row.__parent, row.n);
  }
  return counts;
}

/** Loads rows of one table by primary key in one statement. */
export function fetchByIds<T>(db: Database, target: TableDef<T>, ids: readonly number[]): Map<number, T> {
  const rows = db.all<RawRow>(`SELECT t.* FROM "${target.table}" t WHERE t.id IN ${idList()}`, [idListParam(ids)]);
  return new Map(rows.map((row) => [row.id as number, target.hydrate(row)]));
}
