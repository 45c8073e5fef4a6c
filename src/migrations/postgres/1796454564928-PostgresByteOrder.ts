import { MigrationInterface, QueryRunner } from "typeorm";

/**
 * Every text column compares and sorts by bytes (`COLLATE "C"`), as SQLite's text does, so that
 * a list ordered by name, title or date text comes back in the same order on both databases and
 * keyset cursors compare as the order runs. A database's default collation (an ICU or libc
 * locale: "a, Al Sarraj, al-Sarraj, B" under ICU's root, "Al Sarraj, B, a, al-Sarraj" by bytes)
 * would otherwise decide, and differ from server to server. Comparisons that ignore case do not
 * depend on it: they go through `kb_fold` (PostgresSearch).
 *
 * PostgreSQL cannot change the collation of a column a generated column reads, so the `search`
 * vectors and their indexes are dropped first and made again afterwards, with the same
 * expressions as PostgresSearch1796454564926 (copied here: a migration stays what it was). Other
 * indexes on the columns are rebuilt by PostgreSQL itself. Imports nothing but typeorm.
 */
export class PostgresByteOrder1796454564928 implements MigrationInterface {
  name = "PostgresByteOrder1796454564928";

  public async up(queryRunner: QueryRunner): Promise<void> {
    for (const statement of [...dropSearch(), ...collate('"C"'), ...addSearch()]) await queryRunner.query(statement);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    for (const statement of [...dropSearch(), ...collate("pg_catalog.default"), ...addSearch()]) await queryRunner.query(statement);
  }
}

const TEXT_COLUMNS: Record<string, string[]> = {
  article: ["url", "title", "publisher", "byline", "publishedAt", "body", "language"],
  candidate: ["key", "type", "status", "rule", "data"],
  country: ["name", "alpha2", "alpha3", "wikidataId"],
  edit: ["editor", "action", "mutation", "entityType", "before", "after"],
  mention: ["kind"],
  organization: ["name", "aliases", "kind", "description", "wikidataId"],
  person: ["name", "aliases", "description", "wikidataId"],
  position: ["title", "startDate", "endDate"],
  proposal: ["url", "title", "publisher", "byline", "publishedAt", "language", "body", "status", "proposedBy"],
  quote: ["text", "kind"],
};

const collate = (collation: string): string[] =>
  Object.entries(TEXT_COLUMNS).map(
    ([table, columns]) => `ALTER TABLE "${table}" ${columns.map((c) => `ALTER COLUMN "${c}" TYPE text COLLATE ${collation}`).join(", ")}`,
  );

/** A weighted tsvector of a text expression in the `kb_search` configuration (as PostgresSearch). */
const vector = (expression: string, weight: "A" | "B"): string => `setweight(to_tsvector('kb_search'::regconfig, ${expression}), '${weight}')`;
const namedSearch = `${vector(`"name"`, "A")} || ${vector(`"aliases"::json`, "A")} || ${vector(`COALESCE("description", '')`, "B")}`;
const SEARCH_COLUMNS: Array<{ table: string; expression: string }> = [
  { table: "article", expression: `${vector(`"title"`, "A")} || ${vector(`"body"`, "B")}` },
  { table: "organization", expression: namedSearch },
  { table: "person", expression: namedSearch },
  { table: "quote", expression: vector(`"text"`, "B") },
];

const dropSearch = (): string[] => SEARCH_COLUMNS.flatMap(({ table }) => [`DROP INDEX "IDX_${table}_search"`, `ALTER TABLE "${table}" DROP COLUMN "search"`]);
const addSearch = (): string[] =>
  SEARCH_COLUMNS.flatMap(({ table, expression }) => [
    `ALTER TABLE "${table}" ADD "search" tsvector GENERATED ALWAYS AS (${expression}) STORED`,
    `CREATE INDEX "IDX_${table}_search" ON "${table}" USING gin ("search")`,
  ]);
