import { Context } from "../context";
import { Candidate, Proposal, ProposalStatus, Row } from "../entities";
import { after, MaybePromise } from "../storage/store";
import { ConnectionArgs, ConnectionClasses, ConnectionLike } from "../types/connection-type";
import { countRoot, fetchRootPage } from "../sql/list-query";
import { pageRequest } from "../sql/pagination";
import { rootSource } from "../sql/relations";
import { CandidateTable, everyColumn, ProposalTable } from "../sql/tables";

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

/** Each request's candidates by proposal and key, read once per proposal (keyed by the request's context). */
const candidatesPerRequest = new WeakMap<Context, Map<number, MaybePromise<Map<string, Row<Candidate>>>>>();

/** The proposal's candidates by key, read once per proposal and request. */
export function candidatesByKey(ctx: Context, proposalId: number): MaybePromise<Map<string, Row<Candidate>>> {
  let cache = candidatesPerRequest.get(ctx);
  if (!cache) {
    cache = new Map();
    candidatesPerRequest.set(ctx, cache);
  }
  let byKey = cache.get(proposalId);
  if (!byKey) {
    const read = after(ctx.db.all<Row<Candidate>>(`SELECT ${everyColumn(ctx.db.dialect, CandidateTable, "t")} FROM "candidate" t WHERE t."proposalId" = ? ORDER BY t.id`, [proposalId]), (rows) => new Map(rows.map((row) => [row.key, row])));
    // Field resolvers of the same proposal's candidates share the read, even while it runs.
    byKey = read;
    cache.set(proposalId, read);
  }
  return byKey;
}
