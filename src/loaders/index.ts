import DataLoader from "dataloader";
import { Database } from "../db/database";
import { countNested, fetchByIds, fetchNestedPages } from "../data/list-query";
import { Page, PageArgs, pageRequest } from "../data/pagination";
import { RelationName, relations } from "../data/relations";
import { NodeTypeName, tablesByType } from "../data/tables";

/**
 * The per-request DataLoaders. A new set is built for every request (in the context factory), as
 * DataLoader's README advises, so one request's cache never serves another's and a write is
 * seen by the next request.
 */
export class Loaders {
  private readonly byIdLoaders = new Map<NodeTypeName, DataLoader<number, unknown>>();
  private readonly pageLoaders = new Map<string, DataLoader<number, Page<unknown>>>();
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
   * Loads the same page of a relation for many parents: all parents asking with the same
   * arguments in one tick share one statement.
   */
  page<T>(relation: RelationName, args: PageArgs): DataLoader<number, Page<T>> {
    const source = relations[relation];
    const order = source.target.defaultOrder;
    const request = pageRequest(args, order);
    const cacheKey = `${relation}|${request.key}`;
    let loader = this.pageLoaders.get(cacheKey);
    if (!loader) {
      loader = new DataLoader<number, Page<unknown>>(async (parentIds) => {
        const pages = fetchNestedPages<unknown>(this.db, source, order, request, parentIds);
        return parentIds.map((id) => pages.get(id) as Page<unknown>);
      });
      this.pageLoaders.set(cacheKey, loader);
    }
    return loader as DataLoader<number, Page<T>>;
  }

  /** Counts a relation for many parents in one GROUP BY statement. */
  count(relation: RelationName): DataLoader<number, number> {
    let loader = this.countLoaders.get(relation);
    if (!loader) {
      const source = relations[relation];
      loader = new DataLoader<number, number>(async (parentIds) => {
        const counts = countNested(this.db, source, parentIds);
        return parentIds.map((id) => counts.get(id) ?? 0);
      });
      this.countLoaders.set(relation, loader);
    }
    return loader;
  }
}
