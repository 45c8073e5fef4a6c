/**
 * How values read from PostgreSQL look in JavaScript, per connection (never through pg's global
 * `types`, which every other pg user in the process shares): so that a row read from PostgreSQL
 * looks like the same row read from SQLite, and the read paths need no per-database code.
 *
 * | Type | pg's default | Here | Why |
 * | ---- | ------------ | ---- | --- |
 * | `int8` (`COUNT(*)`, `bigint`) | string | number | SQLite returns counts as numbers; no count nears 2^53 |
 * | `numeric` (`SUM`, `AVG` of integers) | string | number | the same |
 * | `timestamptz` | Date | `YYYY-MM-DD HH:MM:SS[.mmm]` in UTC | SQLite's stored text (see `timestampParam`) |
 */
import { types, type ClientBase } from "pg";
import type { DataSource } from "typeorm";
import { timestampParam } from "../dialect";

/** PostgreSQL's type OIDs of the types parsed here (`pg_type.oid`, fixed for built-in types). */
export const OID = { int8: 20, numeric: 1700, timestamptz: 1184 } as const;

/** pg's own parser of `timestamptz` text (any time zone offset, BC, infinity) into a Date. */
const parseInstant = types.getTypeParser(OID.timestamptz, "text") as (text: string) => unknown;

/**
 * A `timestamptz` as SQLite stores instants: UTC, a space for the `T`, milliseconds only when
 * they are not zero. Whatever the session's `TimeZone`, the same instant gives the same text.
 * A value that is no finite instant (`infinity`) is left as PostgreSQL wrote it.
 */
export function instantText(text: string): string {
  const date = parseInstant(text);
  return date instanceof Date && !Number.isNaN(date.getTime()) ? timestampParam(date) : text;
}

/** A number from PostgreSQL's text of an `int8` or a `numeric`. */
function numberOf(text: string): number {
  return Number(text);
}

/**
 * Gives one pg client (a pooled connection) the parsers above. They live in the client's own
 * type overrides, so pools of other DataSources and pg's global defaults are untouched.
 */
export function installTypeParsers(client: ClientBase): void {
  client.setTypeParser(OID.int8, "text", numberOf);
  client.setTypeParser(OID.numeric, "text", numberOf);
  client.setTypeParser(OID.timestamptz, "text", instantText);
}

/** SQLite's instant text, as `instantText` writes it, which `Date` would read as local time. */
const INSTANT_TEXT = /^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d(\.\d+)?$/;

/**
 * Makes TypeORM's entity hydration read `instantText`'s text as the UTC instant it is. TypeORM's
 * postgres driver accepts a string for a date column and passes it to `new Date(…)`, which reads
 * text without an offset as local time: entities would be off by the process's time zone
 * anywhere but in UTC. (TypeORM's SQLite driver appends the `Z` itself for the same text.)
 */
export function hydrateInstantsAsUtc(dataSource: DataSource): void {
  const driver = dataSource.driver as unknown as { prepareHydratedValue: (value: unknown, column: unknown) => unknown };
  const hydrate = driver.prepareHydratedValue.bind(driver);
  driver.prepareHydratedValue = (value, column) => hydrate(typeof value === "string" && INSTANT_TEXT.test(value) ? `${value.replace(" ", "T")}Z` : value, column);
}
