import DataLoader from "dataloader";
import type { FieldNode } from "graphql";
import type { Store } from "../storage/store";
import type { ResponseBudget } from "../http/response-budget";
import { CompiledList, compileList, countNested, fetchByIds, fetchByIdWithRefs, fetchNestedPages, JoinedRef } from "../sql/list-query";
import { Page } from "../sql/pagination";
import type { Dialect } from "../storage/dialect";
import { after, allOf, MaybePromise } from "../storage/store";
import { RelationName, RelationSource, relationSource } from "../sql/relations";
import { ChildPlan, ListPlan, pageColumns, planConnection, planNode, probesPastPage, RefPlan, SelectionInfo } from "./planner";
import { NodeTypeName, SortKey, tablesByType } from "../sql/tables";
import { ListArgs } from "../inputs/list-args";

/** The loaders behind one nested connection field: its page and its count, per parent. */
export interface RelationLoaders<T> {
  order: SortKey[];
  page: DataLoader<number, Page<T>>;
  count: DataLoader<number, number>;
}

/** Pages fetched ahead for one relation field, by parent id, with the order they were fetched in. */
interface Prefetched {
  order: SortKey[];
  pages: Map<number, Page<unknown>>;
}

/** What a fetch ahead of a to-many field reads: its source, its compiled list and its columns. */
interface ChildQuery {
  /** The dialect the list was compiled for (a process may hold a SQLite and a PostgreSQL store). */
  dialect: Dialect;
  source: RelationSource<unknown>;
  list: CompiledList;
  columns: string[] | null;
}

/**
 * Child queries by plan. A plan kept for a repeated operation (see `planConnection`) is the same
 * object on every request, and so is what it compiles to: its arguments, order, page request and
 * columns do not change. A plan made for one request is dropped with it.
 */
const childQueries = new WeakMap<ChildPlan, ChildQuery>();

function childQuery(dialect: Dialect, child: ChildPlan): ChildQuery {
  let query = childQueries.get(child);
  if (!query || query.dialect !== dialect) {
    const source = relationSource(child.relation);
    const list = compileList(dialect, source.target.typeName, child.args);
    query = { dialect, source, list, columns: pageColumns(child.plan, list.order) };
    childQueries.set(child, query);
  }
  return query;
}

/**
 * Runs `read`, then `then` with its answer; a read that fails (throws or rejects) ends the chain
 * quietly: a fetch ahead that fails is left to the field's resolver, which reports the error
 * where it belongs.
 */
function unlessFailed<T>(read: () => MaybePromise<T>, then: (value: T) => MaybePromise<void>): MaybePromise<void> {
  let value: MaybePromise<T>;
  try {
    value = read();
  } catch {
    return;
  }
  if (value instanceof Promise) return value.then(then, () => undefined);
  return then(value);
}

/**
 * The per-request DataLoaders and row caches. A new set is built for every request (in the
 * context factory), as DataLoader's README advises, so one request's cache never serves
 * another's and a write is seen by the next request.
 *
 * Beyond batching, the loaders fetch ahead: when a page of rows arrives (a root list or one
 * level of a nested one), the relation fields selected below it are fetched at once for every
 * row, one statement per field, and kept by the field's nodes. The field resolvers then find
 * their rows already there and answer synchronously, so a nested query costs the executor no
 * promise per parent and per field, and still one statement per relation level.
 */
export class Loaders {
  private readonly byIdLoaders = new Map<NodeTypeName, DataLoader<number, unknown>>();
  private readonly relationLoaders = new Map<string, RelationLoaders<unknown>>();
  private readonly countLoaders = new Map<string, DataLoader<number, number>>();
  /** Whole rows by type and id, from by-id loads and fetches ahead, for synchronous look-ups. */
  private readonly rows = new Map<NodeTypeName, Map<number, unknown>>();
  private readonly prefetched = new Map<string, Prefetched>();
  /** Rows of to-one fields fetched ahead with only the columns their selection reads, by field. */
  private readonly prefetchedRefs = new Map<string, Map<number, unknown>>();
  private readonly nodeIds = new WeakMap<FieldNode, number>();
  private nextNodeId = 0;

  /** How the loaders schedule their batches: around the request's pauses, when it has a budget. */
  private readonly options: DataLoader.Options<number, never> | undefined;

  /**
   * `budget` is the request's response budget: batches wait while the request lets others run
   * (so a pause never splits a batch into two statements), and nothing is read once the request
   * has failed (over its budget or past its deadline).
   */
  constructor(
    private readonly db: Store,
    private readonly budget?: ResponseBudget,
  ) {
    this.options = budget ? { batchScheduleFn: budget.scheduleBatch } : undefined;
  }

  /**
   * A key naming a field as the executor groups it: the identities of its field nodes. Two
   * fields with the same key have the same arguments and selection in this request.
   */
  fieldKey(fieldNodes: readonly FieldNode[]): string {
    let key = "";
    for (const node of fieldNodes) {
      let id = this.nodeIds.get(node);
      if (id === undefined) {
        id = this.nextNodeId++;
        this.nodeIds.set(node, id);
      }
      key = key ? `${key},${id}` : String(id);
    }
    return key;
  }

  /** Plans a connection field from its resolver's info; null (whole rows, nothing ahead) if it cannot. */
  plan(info: SelectionInfo, typeName: NodeTypeName): ListPlan | null {
    try {
      return planConnection(info, typeName, info.fieldNodes, info.returnType);
    } catch {
      return null;
    }
  }

  /** A row already loaded in this request, if any: lets to-one fields answer without a promise. */
  cachedRow<T>(typeName: NodeTypeName, id: number): T | undefined {
    return this.rows.get(typeName)?.get(id) as T | undefined;
  }

  private remember(typeName: NodeTypeName, found: Map<number, unknown>): void {
    let cache = this.rows.get(typeName);
    if (!cache) {
      cache = new Map();
      this.rows.set(typeName, cache);
    }
    for (const [id, row] of found) cache.set(id, row);
  }

  /** Loads one row of a type by primary key, batching every such load of the same tick. */
  byId<T>(typeName: NodeTypeName): DataLoader<number, T | null> {
    let loader = this.byIdLoaders.get(typeName);
    if (!loader) {
      const table = tablesByType[typeName];
      loader = new DataLoader<number, unknown>(async (ids) => {
        this.budget?.throwIfFailed();
        const found = await fetchByIds(this.db, table, ids);
        this.remember(typeName, found);
        return ids.map((id) => found.get(id) ?? null);
      }, this.options);
      this.byIdLoaders.set(typeName, loader);
    }
    return loader as DataLoader<number, T | null>;
  }

  /**
   * Loads rows of one type by primary key for a list field that reaches them through `info`
   * (search hits), in one statement with only the columns its selection reads, and fetches
   * ahead what it selects below them. Without `info`, or when the selection cannot be planned,
   * it loads whole rows, as `byId` does.
   */
  nodesByIds<T>(typeName: NodeTypeName, ids: readonly number[], info: SelectionInfo | null): MaybePromise<Map<number, T>> {
    if (ids.length === 0) return new Map();
    const plan = info ? this.plan(info, typeName) : null;
    const columns = pageColumns(plan, []);
    return after(fetchByIds(this.db, tablesByType[typeName], ids, columns), (found) => {
      if (columns === null) this.remember(typeName, found);
      return after(this.prefetch(plan, [...found.values()] as { id: number }[]), () => found as Map<number, T>);
    });
  }

  /**
   * Loads one node by primary key for a field that returns it (`node(id:)`), at once: one
   * statement with only the columns its selection reads, then what it selects below fetched
   * ahead, one statement per relation, so that its field resolvers answer without a promise. A
   * frontend's small request (a node, a few fields, a short list) spent more time scheduling
   * three DataLoader batches one after the other than reading its three rows (issue 18).
   */
  nodeById<T>(typeName: NodeTypeName, id: number, info: SelectionInfo): MaybePromise<T | null> {
    this.budget?.throwIfFailed();
    let plan: ListPlan | null;
    try {
      plan = planNode(info, typeName);
    } catch {
      plan = null;
    }
    const columns = pageColumns(plan, []);
    // The node and everything fetched ahead below it, read in one go (see `readTogether`).
    return this.db.readTogether(() => {
      // Its to-one relations whose columns are known come in the node's own statement.
      const joined = plan && columns ? plan.refs.filter((ref) => ref.plan.columns !== null) : [];
      if (!plan || !columns || joined.length === 0) {
        return after(fetchByIds(this.db, tablesByType[typeName], [id], columns), (found) => {
          if (columns === null) this.remember(typeName, found);
          const row = found.get(id);
          if (row === undefined) return null;
          return after(this.prefetch(plan, [row as { id: number }]), () => row as T);
        });
      }
      const refs: JoinedRef[] = joined.map((ref) => ({ target: tablesByType[ref.typeName], column: ref.column, columns: pageColumns(ref.plan, []) ?? [] }));
      return after(fetchByIdWithRefs(this.db, tablesByType[typeName], id, columns, refs), (found) => {
        if (found.row === undefined) return null;
        const below: MaybePromise<void>[] = [];
        joined.forEach((ref, i) => {
          const target = found.refs[i] as { id: number } | null;
          if (!target) return;
          const key = this.fieldKey(ref.fieldNodes);
          let kept = this.prefetchedRefs.get(key);
          if (!kept) {
            kept = new Map();
            this.prefetchedRefs.set(key, kept);
          }
          kept.set(target.id, target);
          below.push(this.prefetch(ref.plan, [target]));
        });
        below.push(this.prefetch(plan, [found.row as { id: number }], new Set(joined)));
        return after(allOf(below), () => found.row as T);
      });
    });
  }

  /** The page a relation field's parent got from a fetch ahead, if it got one. */
  prefetchedPage<T>(fieldNodes: readonly FieldNode[], parentId: number): { order: SortKey[]; page: Page<T> } | undefined {
    const entry = this.prefetched.get(this.fieldKey(fieldNodes));
    const page = entry?.pages.get(parentId);
    return entry && page ? { order: entry.order, page: page as Page<T> } : undefined;
  }

  /** The row a to-one field's parent points to, if it was fetched ahead for this field. */
  prefetchedRef<T>(fieldNodes: readonly FieldNode[], id: number): T | undefined {
    return this.prefetchedRefs.get(this.fieldKey(fieldNodes))?.get(id) as T | undefined;
  }

  /**
   * Fetches ahead what the plan selects below these rows: each relation field's pages for all
   * rows in one statement, and each to-one field's rows in one statement, with only the columns
   * their selections read (and, recursively, what those select). A field whose arguments are
   * invalid, or whose fetch fails, is left to its resolver, which reports the error where it
   * belongs. To-one fields in `fetched` came with the rows already.
   */
  prefetch(plan: ListPlan | null, rows: readonly { id: number }[], fetched?: ReadonlySet<RefPlan>): MaybePromise<void> {
    // A request that has failed reads nothing more: its remaining resolvers throw anyway.
    if (!plan || rows.length === 0 || this.budget?.failure) return;
    const pending: Promise<void>[] = [];
    for (const child of plan.children) {
      if (!child.plan.wantsRows) continue;
      const done = this.prefetchChild(child, rows);
      if (done instanceof Promise) pending.push(done);
    }
    for (const ref of plan.refs) {
      if (fetched?.has(ref)) continue;
      const done = this.prefetchRef(ref, rows);
      if (done instanceof Promise) pending.push(done);
    }
    // On PostgreSQL the fields' statements run at once, each on its own pooled connection.
    if (pending.length > 0) return Promise.all(pending).then(() => undefined);
  }

  private prefetchRef(ref: RefPlan, rows: readonly { id: number }[]): MaybePromise<void> {
    const key = this.fieldKey(ref.fieldNodes);
    let found = this.prefetchedRefs.get(key);
    const ids = new Set<number>();
    for (const row of rows) {
      const id = (row as unknown as Record<string, unknown>)[ref.column];
      if (typeof id === "number" && !found?.has(id)) ids.add(id);
    }
    if (ids.size === 0) return;
    return unlessFailed(
      () => fetchByIds(this.db, tablesByType[ref.typeName], [...ids], pageColumns(ref.plan, [])),
      (fetched) => {
        found ??= this.prefetchedRefs.get(key);
        if (!found) {
          found = new Map();
          this.prefetchedRefs.set(key, found);
        }
        for (const [id, row] of fetched) found.set(id, row);
        return this.prefetch(ref.plan, [...fetched.values()] as { id: number }[]);
      },
    );
  }

  private prefetchChild(child: ChildPlan, rows: readonly { id: number }[]): MaybePromise<void> {
    const key = this.fieldKey(child.fieldNodes);
    const entry = this.prefetched.get(key);
    const parentIds = [...new Set(rows.map((row) => row.id))].filter((id) => !entry?.pages.has(id));
    if (parentIds.length === 0) return;
    let query: ChildQuery;
    try {
      query = childQuery(this.db.dialect, child);
    } catch {
      return;
    }
    const { source, list, columns } = query;
    // A filtered list is a heavy read, which runs off this thread: the field's loader fetches
    // it, batched across parents, when the field is resolved.
    if (list.filter) return;
    return unlessFailed(
      () => fetchNestedPages<unknown>(this.db, source, list.filter, list.order, list.request, parentIds, columns, probesPastPage(child.plan)),
      (pages) => {
        const kept = this.prefetched.get(key);
        if (kept) for (const [id, page] of pages) kept.pages.set(id, page);
        else this.prefetched.set(key, { order: list.order, pages });
        return this.prefetch(child.plan, [...pages.values()].flatMap((page) => page.rows as { id: number }[]));
      },
    );
  }

  /**
   * The page and count loaders of a relation field: every parent reaching the same field (the
   * same field nodes) in one tick shares one statement for its page and one for its count.
   * `info` plans the columns to select and what to fetch ahead below the rows.
   */
  relation<T>(relation: RelationName, args: ListArgs, info: SelectionInfo): RelationLoaders<T> {
    const key = `${relation}|${this.fieldKey(info.fieldNodes)}`;
    const cached = this.relationLoaders.get(key);
    if (cached) return cached as RelationLoaders<T>;

    const source = relationSource(relation);
    const typeName = source.target.typeName;
    const { order, request, filter } = compileList(this.db.dialect, typeName, args);
    const plan = this.plan(info, typeName);
    const page = new DataLoader<number, Page<unknown>>(async (parentIds) => {
      this.budget?.throwIfFailed();
      const pages = await fetchNestedPages<unknown>(this.db, source, filter, order, request, parentIds, pageColumns(plan, order), probesPastPage(plan));
      await this.prefetch(plan, [...pages.values()].flatMap((p) => p.rows as { id: number }[]));
      return parentIds.map((id) => pages.get(id) as Page<unknown>);
    }, this.options);
    // The count ignores paging, order and selection, so lists that differ only in those share it.
    const countKey = `${relation}|${JSON.stringify(args.filter ?? null)}`;
    let count = this.countLoaders.get(countKey);
    if (!count) {
      count = new DataLoader<number, number>(async (parentIds) => {
        this.budget?.throwIfFailed();
        const counts = await countNested(this.db, source, filter, parentIds);
        return parentIds.map((id) => counts.get(id) ?? 0);
      }, this.options);
      this.countLoaders.set(countKey, count);
    }
    const loaders: RelationLoaders<unknown> = { order, page, count };
    this.relationLoaders.set(key, loaders);
    return loaders as RelationLoaders<T>;
  }
}
