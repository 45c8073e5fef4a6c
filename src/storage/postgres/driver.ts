/**
 * What TypeORM's `postgres` driver needs to read our entities, which are written for SQLite: the
 * column types SQLite accepts and PostgreSQL does not have are mapped here, for PostgreSQL only,
 * so the entities (and the SQLite schema they generate) stay as they are.
 *
 * | Entity type | SQLite        | PostgreSQL          | Why |
 * | ----------- | ------------- | ------------------- | --- |
 * | `datetime`, create and update dates | `datetime` (UTC text) | `timestamp with time zone` | an instant whatever the session's time zone |
 * | `real`      | `real` (8 B)  | `double precision`  | PostgreSQL's `real` is 4 bytes and would round a copied value |
 *
 * Every other type (`text`, `integer`, `simple-json` as `text`) maps by TypeORM's own rules.
 * The PostgreSQL migrations (`src/migrations/postgres`) create these types.
 */
import type { DataSource } from "typeorm";

export const INSTANT = "timestamp with time zone";

/** The fractional digits instants keep: milliseconds, as JavaScript dates and SQLite's text. */
export const INSTANT_PRECISION = 3;

const MAPPED: Record<string, string> = {
  datetime: INSTANT,
  real: "double precision",
};

/** Makes a DataSource's postgres driver accept and map the SQLite-only column types above. */
export function mapSqliteTypes(dataSource: DataSource): void {
  const driver = dataSource.driver as unknown as {
    normalizeType: (column: { type?: unknown }) => string;
    mappedDataTypes: { createDate: string; updateDate: string };
  };
  if (dataSource.options.type !== "postgres") throw new Error(`mapSqliteTypes is for the postgres driver, not ${dataSource.options.type}`);
  driver.mappedDataTypes.createDate = INSTANT;
  driver.mappedDataTypes.updateDate = INSTANT;
  const normalize = driver.normalizeType.bind(driver);
  driver.normalizeType = (column) => (typeof column.type === "string" && column.type in MAPPED ? MAPPED[column.type] : normalize(column));
}

/** The collation of every text column: bytes, as SQLite compares text (PostgresByteOrder1796454564928). */
export const TEXT_COLLATION = "C";

/**
 * Gives every instant column of an initialized DataSource the precision the migrations create
 * (`timestamp(3) with time zone`), and every text column their collation (`"C"`), so that
 * TypeORM's schema comparison (the migration generator, `scripts/generate-pg-migration.ts`) finds
 * the entities and the tables alike.
 */
export function alignInstantPrecision(dataSource: DataSource): void {
  for (const entity of dataSource.entityMetadatas) {
    for (const column of entity.columns) {
      const type = dataSource.driver.normalizeType(column);
      if (type === INSTANT) column.precision = INSTANT_PRECISION;
      if (type === "text") column.collation = TEXT_COLLATION;
    }
  }
}
