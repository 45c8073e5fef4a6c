import { Context } from "../context";
import { ListArgs } from "../inputs/list-args";
import { ConnectionClasses, ConnectionLike } from "../types/connection";
import { compileFilter } from "./filters";
import { countRoot, fetchRootPage } from "./list-query";
import { resolveOrder } from "./orders";
import { pageRequest } from "./pagination";
import { RelationName, rootSource } from "./relations";
import { NodeTypeName, TableDef } from "./tables";

/**
 * Builds the connection for a root list (`people`, `quotes`…). The arguments are validated at
 * once, so a bad `first`, cursor or filter fails the field even when only `totalCount` is
 * selected; the page and the count run only when selected.
 */
export function rootConnection<T>(
  ctx: Context,
  classes: ConnectionClasses<T>,
  table: TableDef<T>,
  args: ListArgs,
): ConnectionLike<T> {
  const source = rootSource(table);
  const order = resolveOrder(table.typeName, args.orderBy);
  const request = pageRequest(args, order);
  const filter = compileFilter(table.typeName, args.filter);
  return classes.create({
    order,
    page: async () => fetchRootPage(ctx.db, source, filter, order, request),
    count: async () => countRoot(ctx.db, source, filter),
  });
}

/** Builds the connection for a to-many relation of one parent, batched across parents. */
export function relationConnection<T>(
  ctx: Context,
  classes: ConnectionClasses<T>,
  relation: RelationName,
  parentId: number,
  args: ListArgs,
): ConnectionLike<T> {
  const { page, count, order } = ctx.loaders.relation<T>(relation, args);
  return classes.create({
    order,
    page: () => page.load(parentId),
    count: () => count.load(parentId),
  });
}

/** Loads one row by primary key (batched), or null when it does not exist or the key is null. */
export async function loadById<T>(ctx: Context, typeName: NodeTypeName, id: number | null | undefined): Promise<T | null> {
  if (id === null || id === undefined) return null;
  return ctx.loaders.byId<T>(typeName).load(id);
}
