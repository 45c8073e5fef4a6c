import { MigrationInterface, QueryRunner } from "typeorm";

/**
 * The full-text index and the triggers that keep it in step: one FTS5 table for people and
 * organizations (name and aliases as the title, description as the body), quotes (text) and
 * articles (title only; AddArticleBodySearch1796404969050 adds their bodies). Rows are keyed
 * `id * 8 + typeCode` (Article 1, Organization 2, Person 3, Quote 4).
 *
 * The SQL is written out here, frozen as this migration first ran it: a migration never imports
 * live code, so that `src/storage/fts.ts` (which builds the index as it is after every migration) can
 * change without changing what this migration did.
 */
export class AddSearchIndex1795862400000 implements MigrationInterface {
  name = "AddSearchIndex1795862400000";

  public async up(queryRunner: QueryRunner): Promise<void> {
    for (const statement of UP) await queryRunner.query(statement);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    for (const statement of DOWN) await queryRunner.query(statement);
  }
}

const UP = [
  // unicode61 folds case and diacritics; the prefix indexes make `negotiat*` a range look-up.
  `CREATE VIRTUAL TABLE "search_index" USING fts5(title, body, tokenize = 'unicode61 remove_diacritics 2', prefix = '2 3')`,
  `CREATE TRIGGER "article_search_insert" AFTER INSERT ON "article" BEGIN INSERT INTO "search_index" (rowid, title, body) VALUES (new.id * 8 + 1, new."title", ''); END`,
  `CREATE TRIGGER "article_search_delete" AFTER DELETE ON "article" BEGIN DELETE FROM "search_index" WHERE rowid = old.id * 8 + 1; END`,
  `CREATE TRIGGER "article_search_update" AFTER UPDATE OF "title" ON "article" BEGIN DELETE FROM "search_index" WHERE rowid = old.id * 8 + 1; INSERT INTO "search_index" (rowid, title, body) VALUES (new.id * 8 + 1, new."title", ''); END`,
  `INSERT INTO "search_index" (rowid, title, body) SELECT r.id * 8 + 1, r."title", '' FROM "article" r`,
  `CREATE TRIGGER "organization_search_insert" AFTER INSERT ON "organization" BEGIN INSERT INTO "search_index" (rowid, title, body) VALUES (new.id * 8 + 2, new."name" || ' ' || COALESCE((SELECT group_concat(value, ' ') FROM json_each(new."aliases")), ''), COALESCE(new."description", '')); END`,
  `CREATE TRIGGER "organization_search_delete" AFTER DELETE ON "organization" BEGIN DELETE FROM "search_index" WHERE rowid = old.id * 8 + 2; END`,
  `CREATE TRIGGER "organization_search_update" AFTER UPDATE OF "name", "aliases", "description" ON "organization" BEGIN DELETE FROM "search_index" WHERE rowid = old.id * 8 + 2; INSERT INTO "search_index" (rowid, title, body) VALUES (new.id * 8 + 2, new."name" || ' ' || COALESCE((SELECT group_concat(value, ' ') FROM json_each(new."aliases")), ''), COALESCE(new."description", '')); END`,
  `INSERT INTO "search_index" (rowid, title, body) SELECT r.id * 8 + 2, r."name" || ' ' || COALESCE((SELECT group_concat(value, ' ') FROM json_each(r."aliases")), ''), COALESCE(r."description", '') FROM "organization" r`,
  `CREATE TRIGGER "person_search_insert" AFTER INSERT ON "person" BEGIN INSERT INTO "search_index" (rowid, title, body) VALUES (new.id * 8 + 3, new."name" || ' ' || COALESCE((SELECT group_concat(value, ' ') FROM json_each(new."aliases")), ''), COALESCE(new."description", '')); END`,
  `CREATE TRIGGER "person_search_delete" AFTER DELETE ON "person" BEGIN DELETE FROM "search_index" WHERE rowid = old.id * 8 + 3; END`,
  `CREATE TRIGGER "person_search_update" AFTER UPDATE OF "name", "aliases", "description" ON "person" BEGIN DELETE FROM "search_index" WHERE rowid = old.id * 8 + 3; INSERT INTO "search_index" (rowid, title, body) VALUES (new.id * 8 + 3, new."name" || ' ' || COALESCE((SELECT group_concat(value, ' ') FROM json_each(new."aliases")), ''), COALESCE(new."description", '')); END`,
  `INSERT INTO "search_index" (rowid, title, body) SELECT r.id * 8 + 3, r."name" || ' ' || COALESCE((SELECT group_concat(value, ' ') FROM json_each(r."aliases")), ''), COALESCE(r."description", '') FROM "person" r`,
  `CREATE TRIGGER "quote_search_insert" AFTER INSERT ON "quote" BEGIN INSERT INTO "search_index" (rowid, title, body) VALUES (new.id * 8 + 4, '', new."text"); END`,
  `CREATE TRIGGER "quote_search_delete" AFTER DELETE ON "quote" BEGIN DELETE FROM "search_index" WHERE rowid = old.id * 8 + 4; END`,
  `CREATE TRIGGER "quote_search_update" AFTER UPDATE OF "text" ON "quote" BEGIN DELETE FROM "search_index" WHERE rowid = old.id * 8 + 4; INSERT INTO "search_index" (rowid, title, body) VALUES (new.id * 8 + 4, '', new."text"); END`,
  `INSERT INTO "search_index" (rowid, title, body) SELECT r.id * 8 + 4, '', r."text" FROM "quote" r`,
];

const DOWN = [
  `DROP TRIGGER IF EXISTS "article_search_insert"`,
  `DROP TRIGGER IF EXISTS "article_search_delete"`,
  `DROP TRIGGER IF EXISTS "article_search_update"`,
  `DROP TRIGGER IF EXISTS "organization_search_insert"`,
  `DROP TRIGGER IF EXISTS "organization_search_delete"`,
  `DROP TRIGGER IF EXISTS "organization_search_update"`,
  `DROP TRIGGER IF EXISTS "person_search_insert"`,
  `DROP TRIGGER IF EXISTS "person_search_delete"`,
  `DROP TRIGGER IF EXISTS "person_search_update"`,
  `DROP TRIGGER IF EXISTS "quote_search_insert"`,
  `DROP TRIGGER IF EXISTS "quote_search_delete"`,
  `DROP TRIGGER IF EXISTS "quote_search_update"`,
  `DROP TABLE IF EXISTS "search_index"`,
];
