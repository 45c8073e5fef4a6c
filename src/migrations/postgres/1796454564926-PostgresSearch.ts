import { MigrationInterface, QueryRunner } from "typeorm";

/**
 * What SQLite does with a JavaScript function (`kb_fold`) and FTS5, on PostgreSQL with its own
 * tools (docs/postgres.md says why each):
 *
 * - **Case folding.** `kb_fold(text)` is the SQL twin of `foldText` in `src/storage/dialect.ts`:
 *   NFKC-normalized, then lower-cased by the ICU root collation, so that every script folds
 *   (`lower()` under the C locale folds ASCII only). It is IMMUTABLE, so expression indexes on
 *   it serve `kb_fold(col) = $1` look-ups of names and titles. Deterministic collations only:
 *   a nondeterministic (case-insensitive) ICU collation would reject LIKE. Uniqueness stays as
 *   on SQLite (the `UNIQUE` constraints compare exactly; the editing service refuses a name that
 *   differs only by case).
 * - **Substring and prefix matching** of names and aliases (`contains`, `startsWith`) use pg_trgm
 *   GIN indexes on the folded text, which serve `LIKE '%…%'` and `LIKE '…%'` alike.
 * - **Full-text search.** SQLite's one FTS5 table `search_index` (title, body; unicode61 with
 *   diacritics removed; titles weigh 10, bodies 1) becomes a generated `search` tsvector column
 *   on each searchable table, with a GIN index: titles weight A, bodies weight B, through the
 *   text search configuration `kb_search` (the `simple` parser and dictionary, no stemming, as
 *   unicode61, after `unaccent`). People and organizations: name and aliases (the JSON strings
 *   only) as the title, description as the body; quotes: text as the body; articles: title and
 *   full text. Generated columns need no triggers and cannot drift from their rows.
 *
 * Needs the pg_trgm and unaccent extensions (PostgreSQL's contrib, trusted: a database owner may
 * create them) and PostgreSQL built with ICU (the `und-x-icu` collation). Imports nothing but
 * typeorm, like every migration.
 */
export class PostgresSearch1796454564926 implements MigrationInterface {
  name = "PostgresSearch1796454564926";

  public async up(queryRunner: QueryRunner): Promise<void> {
    for (const statement of UP) await queryRunner.query(statement);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    for (const statement of DOWN) await queryRunner.query(statement);
  }
}

/** A weighted tsvector of a text expression in the `kb_search` configuration. */
const vector = (expression: string, weight: "A" | "B"): string => `setweight(to_tsvector('kb_search'::regconfig, ${expression}), '${weight}')`;

/** Name and aliases as the title, description as the body (people and organizations). */
const namedSearch = `${vector(`"name"`, "A")} || ${vector(`"aliases"::json`, "A")} || ${vector(`COALESCE("description", '')`, "B")}`;

const SEARCH_COLUMNS: Array<{ table: string; expression: string }> = [
  { table: "article", expression: `${vector(`"title"`, "A")} || ${vector(`"body"`, "B")}` },
  { table: "organization", expression: namedSearch },
  { table: "person", expression: namedSearch },
  { table: "quote", expression: vector(`"text"`, "B") },
];

/** Folded-name indexes: btree for equality, trigram GIN for substrings and prefixes. */
const FOLDED: Array<{ name: string; table: string; column: string; trigram: boolean }> = [
  { name: "IDX_country_name_fold", table: "country", column: "name", trigram: false },
  { name: "IDX_person_name_fold", table: "person", column: "name", trigram: false },
  { name: "IDX_organization_name_fold", table: "organization", column: "name", trigram: false },
  { name: "IDX_position_title_fold", table: "position", column: "title", trigram: false },
  { name: "IDX_person_name_trgm", table: "person", column: "name", trigram: true },
  { name: "IDX_person_aliases_trgm", table: "person", column: "aliases", trigram: true },
  { name: "IDX_organization_name_trgm", table: "organization", column: "name", trigram: true },
  { name: "IDX_organization_aliases_trgm", table: "organization", column: "aliases", trigram: true },
];

const UP = [
  `CREATE EXTENSION IF NOT EXISTS pg_trgm`,
  `CREATE EXTENSION IF NOT EXISTS unaccent`,
  `CREATE FUNCTION kb_fold(text) RETURNS text LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE RETURN lower(normalize($1, NFKC) COLLATE "und-x-icu")`,
  `CREATE TEXT SEARCH CONFIGURATION kb_search (COPY = simple)`,
  `ALTER TEXT SEARCH CONFIGURATION kb_search ALTER MAPPING FOR asciiword, asciihword, hword_asciipart, word, hword, hword_part WITH unaccent, simple`,
  ...FOLDED.map(({ name, table, column, trigram }) =>
    trigram ? `CREATE INDEX "${name}" ON "${table}" USING gin (kb_fold("${column}") gin_trgm_ops)` : `CREATE INDEX "${name}" ON "${table}" (kb_fold("${column}"))`,
  ),
  ...SEARCH_COLUMNS.flatMap(({ table, expression }) => [
    `ALTER TABLE "${table}" ADD "search" tsvector GENERATED ALWAYS AS (${expression}) STORED`,
    `CREATE INDEX "IDX_${table}_search" ON "${table}" USING gin ("search")`,
  ]),
];

const DOWN = [
  ...SEARCH_COLUMNS.flatMap(({ table }) => [`DROP INDEX "IDX_${table}_search"`, `ALTER TABLE "${table}" DROP COLUMN "search"`]),
  ...FOLDED.map(({ name }) => `DROP INDEX "${name}"`),
  `DROP TEXT SEARCH CONFIGURATION kb_search`,
  `DROP FUNCTION kb_fold(text)`,
  // The extensions stay: other objects of the database may use them.
];
