import { ListSource } from "./list-query";
import { CandidateTable, OrganizationTable, PersonTable, PositionTable, QuoteTable, TableDef } from "./tables";

/**
 * A to-many relation: the target table (aliased `t`) and the condition tying a row to one parent,
 * given the SQL expression of the parent's id.
 */
export interface RelationSource<T> {
  target: TableDef<T>;
  parentCondition(parent: string): string;
}

function foreignKey<T>(target: TableDef<T>, column: string): RelationSource<T> {
  return { target, parentCondition: (parent) => `t."${column}" = ${parent}` };
}

/** People and organizations are linked through the positions people hold. */
function throughPositions<T>(target: TableDef<T>, own: string, other: string): RelationSource<T> {
  return {
    target,
    parentCondition: (parent) => `t.id IN (SELECT l."${other}" FROM "position" l WHERE l."${own}" = ${parent})`,
  };
}

/** Every to-many relation, named `Type.field`. */
export const relations = {
  "Article.quotes": foreignKey(QuoteTable, "articleId"),
  "Article.positions": foreignKey(PositionTable, "articleId"),
  "Country.people": foreignKey(PersonTable, "countryId"),
  "Country.organizations": foreignKey(OrganizationTable, "countryId"),
  "Country.positions": foreignKey(PositionTable, "countryId"),
  "Country.quotes": foreignKey(QuoteTable, "speakerCountryId"),
  "Organization.members": throughPositions(PersonTable, "organizationId", "personId"),
  "Organization.positions": foreignKey(PositionTable, "organizationId"),
  "Organization.subOrganizations": foreignKey(OrganizationTable, "parentId"),
  "Organization.quotes": foreignKey(QuoteTable, "speakerOrganizationId"),
  "Person.positions": foreignKey(PositionTable, "personId"),
  "Person.quotes": foreignKey(QuoteTable, "speakerId"),
  "Person.organizations": throughPositions(OrganizationTable, "personId", "organizationId"),
  "Proposal.candidates": foreignKey(CandidateTable, "proposalId"),
} satisfies Record<string, RelationSource<unknown>>;

/** The name of a to-many relation. */
export type RelationName = keyof typeof relations;

/** Root lists: every row of a table. */
export function rootSource<T>(target: TableDef<T>): ListSource<T> {
  return { target, from: `"${target.table}" t` };
}
