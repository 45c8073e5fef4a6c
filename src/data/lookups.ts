import { Database, SqlValue } from "../db/database";
import { ignoringCase, nameOrAliasMatch } from "../db/dialect";
import { normalizeUrl, trimText } from "../entities/common";
import { Article, Country, Organization, Person } from "../entities";
import { ArticleTable, CountryTable, OrganizationTable, PersonTable, RawRow, TableDef } from "./tables";

function one<T>(db: Database, table: TableDef<T>, sql: string, params: SqlValue[]): T | null {
  const row = db.get<RawRow>(sql, params);
  return row ? table.hydrate(row) : null;
}

/** Finds a country by its ISO 3166-1 alpha-2 or alpha-3 code, in any case. */
export function findCountryByCode(db: Database, code: string): Country | null {
  const upper = code.trim().toUpperCase();
  return one(db, CountryTable, `SELECT t.* FROM "country" t WHERE t."alpha2" = ? OR t."alpha3" = ?`, [upper, upper]);
}

/**
 * Finds a row by full name or by any alias, ignoring case. An exact full-name match wins over an
 * alias match; among alias matches the oldest record wins.
 */
function findByNameOrAlias<T>(db: Database, table: TableDef<T>, name: string): T | null {
  const n = trimText(name);
  const match = nameOrAliasMatch("t", n);
  const exact = ignoringCase.equals(`t."name"`, n);
  return one(db, table, `SELECT t.* FROM "${table.table}" t WHERE ${match.sql} ORDER BY (${exact.sql}) DESC, t.id LIMIT 1`, [
    ...match.params,
    ...exact.params,
  ]);
}

/** Finds a person by full name or by any alias ("Haftar"), ignoring case (see `findByNameOrAlias`). */
export function findPersonByName(db: Database, name: string): Person | null {
  return findByNameOrAlias(db, PersonTable, name);
}

/** Finds an organization by full name or by any alias ("NATO"), ignoring case (see `findByNameOrAlias`). */
export function findOrganizationByName(db: Database, name: string): Organization | null {
  return findByNameOrAlias(db, OrganizationTable, name);
}

/** Finds an article by its URL. */
export function findArticleByUrl(db: Database, url: string): Article | null {
  return one(db, ArticleTable, `SELECT t.* FROM "article" t WHERE t."url" = ?`, [normalizeUrl(url)]);
}
