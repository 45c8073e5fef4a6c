import { Arg, Ctx, Query, Resolver } from "type-graphql";
import { Context } from "../context";
import { lookupByName } from "../sql/lookups";
import { OrganizationTable, PersonTable } from "../sql/tables";
import { LookupMatchKind, LookupResult, LookupStatus, LookupType } from "../types/lookup";

/**
 * `lookup`: the look-ups of `person(name:)` and `organization(name:)`, explained. Those keep
 * answering null for nothing or several (as they always have); this says which, and lists the
 * candidates with how each matched, without an error.
 */
@Resolver()
export class LookupResolver {
  @Query(() => LookupResult, {
    description:
      'Looks a person or organization up by name and says how: the record `person(name:)` / `organization(name:)` returns, whether it was FOUND, AMBIGUOUS or NOT_FOUND, and the candidates. The rule: an exact full name, then an alias (ignoring case; among several, the earliest recorded); otherwise a unique part of a name or alias, word-wise and ignoring case and accents (a surname such as "Lavrov"; for organizations also an acronym such as "RIAC"). Several records matching a part are AMBIGUOUS (null match).',
  })
  async lookup(
    @Arg("name", () => String, { description: 'A full name, an alias, or a part of one ("Lavrov", "Pompeo"); for organizations also an acronym.' }) name: string,
    @Arg("type", () => LookupType, { description: "Whether to look up a person or an organization." }) type: LookupType,
    @Ctx() ctx: Context,
  ): Promise<LookupResult> {
    const outcome = await (type === LookupType.PERSON
      ? lookupByName(ctx.db, PersonTable, "Person", name)
      : lookupByName(ctx.db, OrganizationTable, "Organization", name));
    return Object.assign(new LookupResult(), {
      name: name.trim(),
      status: outcome.status as LookupStatus,
      match: outcome.match,
      candidates: outcome.candidates.map((c) => ({ node: c.node, matchedBy: c.matchedBy as LookupMatchKind, matchedText: c.matchedText })),
    });
  }
}
