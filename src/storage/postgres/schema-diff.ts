/**
 * What TypeORM would change to bring a PostgreSQL database built by the PostgreSQL migrations in
 * line with the entities: empty while they agree, the SQL of the next migration otherwise (what
 * `scripts/generate-pg-migration.ts` writes; test/postgres/migrations.test.ts checks it is empty).
 * For throwaway databases only: TypeORM reads generated columns through its `typeorm_metadata`
 * table, which this creates.
 */
import type { DataSource } from "typeorm";

/**
 * What the PostgreSQL migrations add on purpose beyond the entities: the generated `search`
 * columns and their GIN indexes (src/migrations/postgres), which TypeORM would drop.
 */
const OWN_OBJECTS = [/^DROP INDEX "public"\."IDX_\w+_search"$/, /^ALTER TABLE "\w+" DROP COLUMN "search"$/, /^DELETE FROM "typeorm_metadata" /];

export interface SchemaDiff {
  up: string[];
  down: string[];
}

export async function entityDiff(dataSource: DataSource): Promise<SchemaDiff> {
  await dataSource.query(
    `CREATE TABLE IF NOT EXISTS "typeorm_metadata" ("type" varchar NOT NULL, "database" varchar, "schema" varchar, "table" varchar, "name" varchar, "value" text)`,
  );
  const sql = await dataSource.driver.createSchemaBuilder().log();
  const own = (query: string): boolean => OWN_OBJECTS.some((pattern) => pattern.test(query.trim()));
  const up = sql.upQueries.map((q) => q.query.trim());
  const keep = up.map((q) => !own(q));
  // Down queries pair with up queries one for one.
  const down = sql.downQueries.map((q) => q.query.trim());
  return { up: up.filter((_, i) => keep[i]), down: down.length === up.length ? down.filter((_, i) => keep[i]) : down.filter((q) => !/"search"/.test(q)) };
}
