import { Context } from "../context";
import { SqlValue } from "../storage/database";
import { Edit, EditAction } from "../entities";
import { ConnectionClasses, ConnectionLike, ConnectionArgs } from "../types/connection-type";
import { fromGlobalId } from "../model/global-id";
import { countRoot, fetchRootPage } from "../sql/list-query";
import { pageRequest } from "../sql/pagination";
import { rootSource } from "../sql/relations";
import { EditTable } from "../sql/tables";

/** The arguments of `edits`: Relay pagination and three optional equality conditions. */
export interface EditsArgs extends ConnectionArgs {
  entityId?: string | null;
  action?: EditAction | null;
  editor?: string | null;
}

/**
 * The edit log as a connection, newest first, optionally only one record's history, one kind of
 * action or one editor's edits. The conditions are bound parameters (the `edit` table has no
 * `XFilter` input type of its own; the history of one record is what editors ask for).
 */
export function editsConnection(ctx: Context, classes: ConnectionClasses<Edit>, args: EditsArgs): ConnectionLike<Edit> {
  const order = EditTable.defaultOrder;
  const request = pageRequest(args, order);
  const terms: string[] = [];
  const params: SqlValue[] = [];
  if (args.entityId != null) {
    // Any well-formed ID will do, including that of a record deleted long ago.
    const { typeName, databaseId } = fromGlobalId(args.entityId, "entityId");
    terms.push(`t."entityType" = ? AND t."entityId" = ?`);
    params.push(typeName, databaseId);
  }
  if (args.action != null) {
    terms.push(`t."action" = ?`);
    params.push(args.action);
  }
  if (args.editor != null) {
    terms.push(`t."editor" = ?`);
    params.push(args.editor);
  }
  const filter = terms.length > 0 ? { sql: terms.join(" AND "), params } : null;
  const source = rootSource(EditTable);
  return classes.create({
    order,
    page: async () => fetchRootPage(ctx.db, source, filter, order, request),
    count: async () => countRoot(ctx.db, source, filter),
  });
}
