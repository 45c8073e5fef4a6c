import { Context } from "../context";
import { ListArgs } from "../inputs/list-args";
import { ConnectionClasses, ConnectionLike } from "../types/connection-type";
import { compileList, countRoot, fetchRootPage } from "../sql/list-query";
import { RelationName, rootSource } from "../sql/relations";
import { SelectionInfo, pageColumns, probesPastPage } from "../loaders/planner";
import { NodeTypeName, TableDef } from "../sql/tables";
import { after, MaybePromise } from "../storage/store";

/**
 * Builds the connection for a root list (`people`, `quotes`…). The arguments are validated at
 * once, so a bad `first`, cursor or filter fails the field even when only `totalCount` is
 * selected; the page and the count run only when selected. The page selects only the columns
 * `info`'s selection reads, and fetches ahead the relations selected below it.
 */
export function rootConnection<T>(
  ctx: Context,
  classes: ConnectionClasses<T>,
  table: TableDef<T>,
  args: ListArgs,
  info: SelectionInfo,
): ConnectionLike<T> {
  const source = rootSource(table);
  const { order, request, filter, heavy } = compileList(ctx.db.dialect, table.typeName, args);
  return classes.create({
    order,
    page: async () => {
      const plan = ctx.loaders.plan(info, table.typeName);
      const page = await fetchRootPage(ctx.db, source, filter, order, request, pageColumns(plan, order), probesPastPage(plan), heavy);
      await ctx.loaders.prefetch(plan, page.rows as { id: number }[]);
      return page;
    },
    count: () => countRoot(ctx.db, source, filter),
  });
}

/**
 * Builds the connection for a to-many relation of one parent: from the page fetched ahead with
 * its parent's level when there is one (no promise), otherwise batched across parents.
 */
export function relationConnection<T>(
  ctx: Context,
  classes: ConnectionClasses<T>,
  relation: RelationName,
  parentId: number,
  args: ListArgs,
  info: SelectionInfo,
): ConnectionLike<T> {
  const count = (): Promise<number> => ctx.loaders.relation<T>(relation, args, info).count.load(parentId);
  const ahead = ctx.loaders.prefetchedPage<T>(info.fieldNodes, parentId);
  if (ahead) return classes.create({ order: ahead.order, page: () => ahead.page, count });
  const loaders = ctx.loaders.relation<T>(relation, args, info);
  return classes.create({ order: loaders.order, page: () => loaders.page.load(parentId), count });
}

/**
 * Loads one row by primary key (batched), or null when it does not exist or the key is null.
 * A row this request already holds is returned as is, without a promise.
 */
export function loadById<T>(ctx: Context, typeName: NodeTypeName, id: number | null | undefined): T | null | Promise<T | null> {
  if (id === null || id === undefined) return null;
  return ctx.loaders.cachedRow<T>(typeName, id) ?? ctx.loaders.byId<T>(typeName).load(id);
}

/**
 * Loads the node a field returns by primary key (`node(id:)`): a row this request already holds
 * as is, otherwise at once with only the columns the field's selection reads and what it selects
 * below fetched ahead (`Loaders.nodeById`). Null when it does not exist.
 */
export function loadNode<T>(ctx: Context, typeName: NodeTypeName, id: number, info: SelectionInfo): MaybePromise<T | null> {
  return ctx.loaders.cachedRow<T>(typeName, id) ?? ctx.loaders.nodeById<T>(typeName, id, info);
}

/**
 * Loads the row a to-one field points to: the row fetched ahead for this field with its
 * parent's level when there is one (no promise), otherwise as `loadById` does.
 */
export function loadRef<T>(ctx: Context, typeName: NodeTypeName, id: number | null | undefined, info: SelectionInfo): T | null | Promise<T | null> {
  if (id === null || id === undefined) return null;
  return ctx.loaders.prefetchedRef<T>(info.fieldNodes, id) ?? loadById<T>(ctx, typeName, id);
}

export type { MaybePromise };
export { after };
