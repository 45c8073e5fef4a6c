import { MigrationInterface, QueryRunner } from "typeorm";

/**
 * Article bodies become searchable: the search index's article rows get the full text as their
 * body, and the article triggers keep it in step when a body changes. The SQL is copied here on
 * purpose (a migration must stay what it was when it ran, whatever `src/storage/fts.ts` becomes):
 * article rows are keyed `id * 8 + 1` in `search_index`.
 */
export class AddArticleBodySearch1796404969050 implements MigrationInterface {
  name = "AddArticleBodySearch1796404969050";

  public async up(queryRunner: QueryRunner): Promise<void> {
    for (const statement of articleIndexStatements(`new."body"`, `r."body"`, `"title", "body"`)) await queryRunner.query(statement);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    for (const statement of articleIndexStatements(`''`, `''`, `"title"`)) await queryRunner.query(statement);
  }
}

/** Replaces the article triggers and re-indexes every article with the given body expression. */
function articleIndexStatements(newBody: string, rowBody: string, columns: string): string[] {
  return [
    `DROP TRIGGER IF EXISTS "article_search_insert"`,
    `DROP TRIGGER IF EXISTS "article_search_delete"`,
    `DROP TRIGGER IF EXISTS "article_search_update"`,
    `DELETE FROM "search_index" WHERE rowid IN (SELECT id * 8 + 1 FROM "article")`,
    `CREATE TRIGGER "article_search_insert" AFTER INSERT ON "article" BEGIN INSERT INTO "search_index" (rowid, title, body) VALUES (new.id * 8 + 1, new."title", ${newBody}); END`,
    `CREATE TRIGGER "article_search_delete" AFTER DELETE ON "article" BEGIN DELETE FROM "search_index" WHERE rowid = old.id * 8 + 1; END`,
    `CREATE TRIGGER "article_search_update" AFTER UPDATE OF ${columns} ON "article" BEGIN DELETE FROM "search_index" WHERE rowid = old.id * 8 + 1; INSERT INTO "search_index" (rowid, title, body) VALUES (new.id * 8 + 1, new."title", ${newBody}); END`,
    `INSERT INTO "search_index" (rowid, title, body) SELECT r.id * 8 + 1, r."title", ${rowBody} FROM "article" r`,
  ];
}
