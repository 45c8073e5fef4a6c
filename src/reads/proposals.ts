import { Context } from "../context";
import { Proposal, ProposalStatus } from "../entities";
import { ConnectionArgs, ConnectionClasses, ConnectionLike } from "../types/connection-type";
import { countRoot, fetchRootPage } from "../sql/list-query";
import { pageRequest } from "../sql/pagination";
import { rootSource } from "../sql/relations";
import { ProposalTable } from "../sql/tables";

/** The arguments of `proposals`: Relay pagination and an optional status. */
export interface ProposalsArgs extends ConnectionArgs {
  status?: ProposalStatus | null;
}

/** Proposals as a connection, newest first, optionally only those of one status. */
export function proposalsConnection(ctx: Context, classes: ConnectionClasses<Proposal>, args: ProposalsArgs): ConnectionLike<Proposal> {
  const order = ProposalTable.defaultOrder;
  const request = pageRequest(args, order);
  const filter = args.status != null ? { sql: `t."status" = ?`, params: [args.status] } : null;
  const source = rootSource(ProposalTable);
  return classes.create({
    order,
    page: async () => fetchRootPage(ctx.db, source, filter, order, request),
    count: async () => countRoot(ctx.db, source, filter),
  });
}
