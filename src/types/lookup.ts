import { createUnionType, Field, ObjectType, registerEnumType } from "type-graphql";
import { nodeTypeName, Organization, Person } from "../entities";

/** The kinds of record `lookup` finds (values are the tables' type names). */
export enum LookupType {
  PERSON = "Person",
  ORGANIZATION = "Organization",
}
registerEnumType(LookupType, {
  name: "LookupType",
  description: "What kind of record to look up by name.",
  valuesConfig: {
    PERSON: { description: "People, as `person(name:)` finds them." },
    ORGANIZATION: { description: "Organizations, as `organization(name:)` finds them." },
  },
});

/** How a candidate matched (the same words as `LookupMatchKind` in src/sql/lookups.ts). */
export enum LookupMatchKind {
  NAME = "NAME",
  ALIAS = "ALIAS",
  SURNAME = "SURNAME",
  PART = "PART",
  ACRONYM = "ACRONYM",
  SIMILAR = "SIMILAR",
}
registerEnumType(LookupMatchKind, {
  name: "LookupMatchKind",
  description: "How a look-up candidate matched the name asked for.",
  valuesConfig: {
    NAME: { description: "Its full name, ignoring case (and, when no name or alias matched exactly, accents and punctuation)." },
    ALIAS: { description: "One of its aliases, ignoring case." },
    SURNAME: { description: "The last word or words of a person's name (\"Lavrov\"), word-wise, ignoring case and accents." },
    PART: { description: "Other whole words of its name or of an alias, in order (\"Sergei\", \"Arab Emirates\"), ignoring case and accents." },
    ACRONYM: { description: "The initials of an organization's name, with or without little words such as \"of\" (\"RIAC\")." },
    SIMILAR: { description: "Only a suggestion when nothing matched: its words begin like the words asked for. Never the match." },
  },
});

/** Whether a look-up found one record, several, or none. */
export enum LookupStatus {
  FOUND = "FOUND",
  AMBIGUOUS = "AMBIGUOUS",
  NOT_FOUND = "NOT_FOUND",
}
registerEnumType(LookupStatus, {
  name: "LookupStatus",
  description: "What a look-up found.",
  valuesConfig: {
    FOUND: { description: "One record: `match`. (Several sharing an exact name or alias: the earliest recorded, and `candidates` lists them all.)" },
    AMBIGUOUS: { description: "Several records match a part of the name equally: `match` is null, `candidates` lists them." },
    NOT_FOUND: { description: "Nothing matches: `match` is null, `candidates` holds names that begin alike, if any." },
  },
});

/** A person or an organization, as a look-up returns them. */
export const LookupItem = createUnionType({
  name: "LookupItem",
  description: "A person or an organization found by name.",
  types: () => [Person, Organization] as const,
  resolveType: nodeTypeName,
});

/** One record a look-up considered. */
@ObjectType("LookupCandidate", { description: "A record a look-up considered, and how it matched the name asked for." })
export class LookupCandidate {
  @Field(() => LookupItem, { description: "The person or organization." })
  node!: Person | Organization;

  @Field(() => LookupMatchKind, { description: "How it matched." })
  matchedBy!: LookupMatchKind;

  @Field(() => String, { description: "The full name or alias it matched in." })
  matchedText!: string;
}

/** A look-up's answer with its reasons: what `person(name:)` and `organization(name:)` return, explained. */
@ObjectType("LookupResult", {
  description:
    "The answer of a look-up by name, explained: the record `person(name:)` or `organization(name:)` returns (or null), whether it was found, ambiguous or not found, and the candidates with how each matched.",
})
export class LookupResult {
  @Field(() => String, { description: "The name asked for, trimmed." })
  name!: string;

  @Field(() => LookupStatus, { description: "Whether one record, several, or none matched." })
  status!: LookupStatus;

  @Field(() => LookupItem, { nullable: true, description: "The record found, exactly what `person(name:)` or `organization(name:)` returns; null when none or several match." })
  match!: Person | Organization | null;

  @Field(() => [LookupCandidate], {
    description: "The records considered at the step that decided (at most 10), best first: exact names, aliases, surnames, acronyms, other parts; or suggestions when nothing matched.",
  })
  candidates!: LookupCandidate[];
}
