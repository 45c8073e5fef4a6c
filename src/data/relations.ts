import { idList } from "../db/dialect";
import { ListSource } from "./list-query";
import {
  OrganizationTable,
  PersonTable,
  PositionTable,
  QuoteTable,
  TableDef,
} from "./tables";

function foreignKey<T>(target: TableDef<T>, column: string): ListSource<T> {
  return {
    target,
    from: `"${target.table}" t`,
    where: `t."${column}" IN ${idList()}`,
    parentKey: `t."${column}"`,
  };
}

/**
 * Every to-many relation, named `Type.field`. People and organizations are linked through the
 * positions people hold, so `members` and `organizations` read distinct pairs from `position`.
 */
export const relations = {
  "Article.quotes": foreignKey(QuoteTable, "articleId"),
  "Article.positions": foreignKey(PositionTable, "articleId"),
  "Country.people": foreignKey(PersonTable, "countryId"),
  "Country.organizations": foreignKey(OrganizationTable, "countryId"),
  "Country.positions": foreignKey(PositionTable, "countryId"),
  "Country.quotes": foreignKey(QuoteTable, "speakerCountryId"),
  "Organization.members": {
    target: PersonTable,
    from:
      `(SELECT DISTINCT "personId", "organizationId" FROM "position" WHERE "organizationId" IN ${idList()}) l ` +
      `JOIN "person" t ON t.id = l."personId"`,
    parentKey: `l."organizationId"`,
  },
  "Organization.positions": foreignKey(PositionTable, "organizationId"),
  "Organization.subOrganizations": foreignKey(OrganizationTable, "parentId"),
  "Organization.quotes": foreignKey(QuoteTable, "speakerOrganizationId"),
  "Person.positions": foreignKey(PositionTable, "personId"),
  "Person.quotes": foreignKey(QuoteTable, "speakerId"),
  "Person.organizations": {
    target: OrganizationTable,
    from:
      `(SELECT DISTINCT "personId", "organizationId" FROM "position" WHERE "personId" IN ${idList()}) l ` +
      `JOIN "organization" t ON t.id = l."organizationId"`,
    parentKey: `l."personId"`,
  },
} satisfies Record<string, ListSource<unknown>>;

/** The name of a to-many relation. */
export type RelationName = keyof typeof relations;

/** Root lists: every row of a table. */
export function rootSource<T>(target: TableDef<T>): ListSource<T> {
  return { target, from: `"${target.table}" t` };
}
