import DataLoader from "dataloader";
import { Database } from "../db/database";
import { compileFilter } from "../data/filters";
import { countNested, fetchByIds, fetchNestedPages } from "../data/list-query";
import { resolveOrder } from "../data/orders";
import { Page, pageRequest } from "../data/pagination";
import { RelationName, relations } from "../data/relations";
import { NodeTypeName, SortKey, tablesByType } from "../data/tables";
import { ListArgs } from "../inputs/list-args";

/** The loaders behind one nested connection field: its page and its count, per parent. */
export interface RelationLoaders<T> {
  order: SortKey[];
  page: DataLoader<number, Page<T>>;
  count: DataLoader<number, number>;
}

/**
 * The per-request DataLoaders. A new set is built for every request (in the context factory), as
 * DataLoader's README advises, so one request's cache never serves another's and a write is
 * seen by the next request.
 */
export class Loaders {
  private readonly byIdLoaders = new Map<NodeTypeName, DataLoader<number, unknown>>();
  private readonly relationLoaders = new Map<string, RelationLoaders<unknown>>();
  private readonly countLoaders = new Map<string, DataLoader<number, number>>();

  constructor(private readonly db: Database) {}

  /** Loads one row of a type by primary key, batching every such load of the same tick. */
  byId<T>(typeName: NodeTypeName): DataLoader<number, T | null> {
    let loader = this.byIdLoaders.get(typeName);
    if (!loader) {
      const table = tablesByType[typeName];
      loader = new DataLoader<number, unknown>(async (ids) => {
        const found = fetchByIds(this.db, table, ids);
        return ids.map((id) => found.get(id) ?? null);
      });
      this.byIdLoaders.set(typeName, loader);
    }
    return loader as DataLoader<number, T | null>;
  }

  /**
   * The page and count loaders of a relation under given arguments: every parent asking with the
   * same arguments in one tick shares one statement for its page and one for its count.
   */
  relation<T>(relation: RelationName, args: ListArgs): RelationLoaders<T> {
    // Field resolvers call this once per parent row: the key makes every call after the first
    // a map look-up instead of a new filter compilation.
    const key = `${relation}|${JSON.stringify([args.first, args.after, args.last, args.before, args.orderBy, args.filter])}`;
    const cached = this.relationLoaders.get(key);
    if (cached) return cached as RelationLoaders<T>;

    const source = relations[relation];
    const typeName = source.target.typeName;
    const order = resolveOrder(typeName, args.orderBy);
    const request = pageRequest(args, order);
    const filter = compileFilter(typeName, args.filter);
    const page = new DataLoader<number, Page<unknown>>(async (parentIds) => {
      const pages = fetchNestedPages<unknown>(this.db, source, filter, order, request, parentIds);
      return parentIds.map((id) => pages.get(id) as Page<unknown>);
    });
    // The count ignores paging and order, so lists that differ only in those share it.
    const countKey = `${relation}|${JSON.stringify(args.filter ?? null)}`;
    let count = this.countLoaders.get(countKey);
    if (!count) {
      count = new DataLoader<number, number>(async (parentIds) => {
        const counts = countNested(this.db, source, filter, parentIds);
        return parentIds.map((id) => counts.get(id) ?? 0);
      });
      this.countLoaders.set(countKey, count);
    }
    const loaders: RelationLoaders<unknown> = { order, page, count };
    this.relationLoaders.set(key, loaders);
    return loaders as RelationLoaders<T>;
  }
}
