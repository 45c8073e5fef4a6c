import { MigrationInterface, QueryRunner } from "typeorm";

export class AddProposals1796400999945 implements MigrationInterface {
  name = "AddProposals1796400999945";

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE TABLE "proposal" ("id" integer PRIMARY KEY AUTOINCREMENT NOT NULL, "url" text NOT NULL, "title" text NOT NULL, "publisher" text NOT NULL, "byline" text, "publishedAt" text NOT NULL, "language" text NOT NULL, "body" text NOT NULL, "status" text NOT NULL, "proposedBy" text NOT NULL, "articleId" integer, "createdAt" datetime NOT NULL DEFAULT (datetime('now')), "updatedAt" datetime NOT NULL DEFAULT (datetime('now')))`);
    await queryRunner.query(`CREATE INDEX "IDX_348e537092cc5222988d972161" ON "proposal" ("url") `);
    await queryRunner.query(`CREATE INDEX "IDX_02db1db1164f68f57ea6ee8d2a" ON "proposal" ("status") `);
    await queryRunner.query(`CREATE INDEX "IDX_56d9b0d15af8b4dc9cf53d4d8a" ON "proposal" ("articleId") `);
    await queryRunner.query(`CREATE TABLE "candidate" ("id" integer PRIMARY KEY AUTOINCREMENT NOT NULL, "proposalId" integer NOT NULL, "key" text NOT NULL, "type" text NOT NULL, "status" text NOT NULL, "rule" text NOT NULL, "confidence" real NOT NULL, "startOffset" integer NOT NULL, "endOffset" integer NOT NULL, "data" text NOT NULL, "recordId" integer, "createdAt" datetime NOT NULL DEFAULT (datetime('now')), "updatedAt" datetime NOT NULL DEFAULT (datetime('now')), CONSTRAINT "UQ_candidate_key" UNIQUE ("proposalId", "key"))`);
    await queryRunner.query(`CREATE INDEX "IDX_candidate_proposal_type" ON "candidate" ("proposalId", "type", "id") `);
    await queryRunner.query(`DROP INDEX "IDX_348e537092cc5222988d972161"`);
    await queryRunner.query(`DROP INDEX "IDX_02db1db1164f68f57ea6ee8d2a"`);
    await queryRunner.query(`DROP INDEX "IDX_56d9b0d15af8b4dc9cf53d4d8a"`);
    await queryRunner.query(`CREATE TABLE "temporary_proposal" ("id" integer PRIMARY KEY AUTOINCREMENT NOT NULL, "url" text NOT NULL, "title" text NOT NULL, "publisher" text NOT NULL, "byline" text, "publishedAt" text NOT NULL, "language" text NOT NULL, "body" text NOT NULL, "status" text NOT NULL, "proposedBy" text NOT NULL, "articleId" integer, "createdAt" datetime NOT NULL DEFAULT (datetime('now')), "updatedAt" datetime NOT NULL DEFAULT (datetime('now')), CONSTRAINT "FK_56d9b0d15af8b4dc9cf53d4d8ac" FOREIGN KEY ("articleId") REFERENCES "article" ("id") ON DELETE SET NULL ON UPDATE NO ACTION)`);
    await queryRunner.query(`INSERT INTO "temporary_proposal"("id", "url", "title", "publisher", "byline", "publishedAt", "language", "body", "status", "proposedBy", "articleId", "createdAt", "updatedAt") SELECT "id", "url", "title", "publisher", "byline", "publishedAt", "language", "body", "status", "proposedBy", "articleId", "createdAt", "updatedAt" FROM "proposal"`);
    await queryRunner.query(`DROP TABLE "proposal"`);
    await queryRunner.query(`ALTER TABLE "temporary_proposal" RENAME TO "proposal"`);
    await queryRunner.query(`CREATE INDEX "IDX_348e537092cc5222988d972161" ON "proposal" ("url") `);
    await queryRunner.query(`CREATE INDEX "IDX_02db1db1164f68f57ea6ee8d2a" ON "proposal" ("status") `);
    await queryRunner.query(`CREATE INDEX "IDX_56d9b0d15af8b4dc9cf53d4d8a" ON "proposal" ("articleId") `);
    await queryRunner.query(`DROP INDEX "IDX_candidate_proposal_type"`);
    await queryRunner.query(`CREATE TABLE "temporary_candidate" ("id" integer PRIMARY KEY AUTOINCREMENT NOT NULL, "proposalId" integer NOT NULL, "key" text NOT NULL, "type" text NOT NULL, "status" text NOT NULL, "rule" text NOT NULL, "confidence" real NOT NULL, "startOffset" integer NOT NULL, "endOffset" integer NOT NULL, "data" text NOT NULL, "recordId" integer, "createdAt" datetime NOT NULL DEFAULT (datetime('now')), "updatedAt" datetime NOT NULL DEFAULT (datetime('now')), CONSTRAINT "UQ_candidate_key" UNIQUE ("proposalId", "key"), CONSTRAINT "FK_cc0d1a8b7adb1b13c922f0d0ac1" FOREIGN KEY ("proposalId") REFERENCES "proposal" ("id") ON DELETE CASCADE ON UPDATE NO ACTION)`);
    await queryRunner.query(`INSERT INTO "temporary_candidate"("id", "proposalId", "key", "type", "status", "rule", "confidence", "startOffset", "endOffset", "data", "recordId", "createdAt", "updatedAt") SELECT "id", "proposalId", "key", "type", "status", "rule", "confidence", "startOffset", "endOffset", "data", "recordId", "createdAt", "updatedAt" FROM "candidate"`);
    await queryRunner.query(`DROP TABLE "candidate"`);
    await queryRunner.query(`ALTER TABLE "temporary_candidate" RENAME TO "candidate"`);
    await queryRunner.query(`CREATE INDEX "IDX_candidate_proposal_type" ON "candidate" ("proposalId", "type", "id") `);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "IDX_candidate_proposal_type"`);
    await queryRunner.query(`ALTER TABLE "candidate" RENAME TO "temporary_candidate"`);
    await queryRunner.query(`CREATE TABLE "candidate" ("id" integer PRIMARY KEY AUTOINCREMENT NOT NULL, "proposalId" integer NOT NULL, "key" text NOT NULL, "type" text NOT NULL, "status" text NOT NULL, "rule" text NOT NULL, "confidence" real NOT NULL, "startOffset" integer NOT NULL, "endOffset" integer NOT NULL, "data" text NOT NULL, "recordId" integer, "createdAt" datetime NOT NULL DEFAULT (datetime('now')), "updatedAt" datetime NOT NULL DEFAULT (datetime('now')), CONSTRAINT "UQ_candidate_key" UNIQUE ("proposalId", "key"))`);
    await queryRunner.query(`INSERT INTO "candidate"("id", "proposalId", "key", "type", "status", "rule", "confidence", "startOffset", "endOffset", "data", "recordId", "createdAt", "updatedAt") SELECT "id", "proposalId", "key", "type", "status", "rule", "confidence", "startOffset", "endOffset", "data", "recordId", "createdAt", "updatedAt" FROM "temporary_candidate"`);
    await queryRunner.query(`DROP TABLE "temporary_candidate"`);
    await queryRunner.query(`CREATE INDEX "IDX_candidate_proposal_type" ON "candidate" ("proposalId", "type", "id") `);
    await queryRunner.query(`DROP INDEX "IDX_56d9b0d15af8b4dc9cf53d4d8a"`);
    await queryRunner.query(`DROP INDEX "IDX_02db1db1164f68f57ea6ee8d2a"`);
    await queryRunner.query(`DROP INDEX "IDX_348e537092cc5222988d972161"`);
    await queryRunner.query(`ALTER TABLE "proposal" RENAME TO "temporary_proposal"`);
    await queryRunner.query(`CREATE TABLE "proposal" ("id" integer PRIMARY KEY AUTOINCREMENT NOT NULL, "url" text NOT NULL, "title" text NOT NULL, "publisher" text NOT NULL, "byline" text, "publishedAt" text NOT NULL, "language" text NOT NULL, "body" text NOT NULL, "status" text NOT NULL, "proposedBy" text NOT NULL, "articleId" integer, "createdAt" datetime NOT NULL DEFAULT (datetime('now')), "updatedAt" datetime NOT NULL DEFAULT (datetime('now')))`);
    await queryRunner.query(`INSERT INTO "proposal"("id", "url", "title", "publisher", "byline", "publishedAt", "language", "body", "status", "proposedBy", "articleId", "createdAt", "updatedAt") SELECT "id", "url", "title", "publisher", "byline", "publishedAt", "language", "body", "status", "proposedBy", "articleId", "createdAt", "updatedAt" FROM "temporary_proposal"`);
    await queryRunner.query(`DROP TABLE "temporary_proposal"`);
    await queryRunner.query(`CREATE INDEX "IDX_56d9b0d15af8b4dc9cf53d4d8a" ON "proposal" ("articleId") `);
    await queryRunner.query(`CREATE INDEX "IDX_02db1db1164f68f57ea6ee8d2a" ON "proposal" ("status") `);
    await queryRunner.query(`CREATE INDEX "IDX_348e537092cc5222988d972161" ON "proposal" ("url") `);
    await queryRunner.query(`DROP INDEX "IDX_candidate_proposal_type"`);
    await queryRunner.query(`DROP TABLE "candidate"`);
    await queryRunner.query(`DROP INDEX "IDX_56d9b0d15af8b4dc9cf53d4d8a"`);
    await queryRunner.query(`DROP INDEX "IDX_02db1db1164f68f57ea6ee8d2a"`);
    await queryRunner.query(`DROP INDEX "IDX_348e537092cc5222988d972161"`);
    await queryRunner.query(`DROP TABLE "proposal"`);
  }
}
