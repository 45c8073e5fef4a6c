import { MigrationInterface, QueryRunner } from "typeorm";

export class AddMentions1796414249195 implements MigrationInterface {
  name = "AddMentions1796414249195";

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE TABLE "mention" ("id" integer PRIMARY KEY AUTOINCREMENT NOT NULL, "kind" text NOT NULL, "articleId" integer NOT NULL, "startOffset" integer NOT NULL, "endOffset" integer NOT NULL, "personId" integer, "organizationId" integer, "countryId" integer, "quoteId" integer, "positionId" integer, "createdAt" datetime NOT NULL DEFAULT (datetime('now')), "updatedAt" datetime NOT NULL DEFAULT (datetime('now')), CONSTRAINT "CHK_mention_one_record" CHECK (("personId" IS NOT NULL) + ("organizationId" IS NOT NULL) + ("countryId" IS NOT NULL) = 1))`);
    await queryRunner.query(`CREATE INDEX "IDX_mention_position_order" ON "mention" ("positionId", "articleId", "startOffset") `);
    await queryRunner.query(`CREATE INDEX "IDX_mention_quote_order" ON "mention" ("quoteId", "articleId", "startOffset") `);
    await queryRunner.query(`CREATE INDEX "IDX_mention_country_order" ON "mention" ("countryId", "articleId", "startOffset") `);
    await queryRunner.query(`CREATE INDEX "IDX_mention_organization_order" ON "mention" ("organizationId", "articleId", "startOffset") `);
    await queryRunner.query(`CREATE INDEX "IDX_mention_person_order" ON "mention" ("personId", "articleId", "startOffset") `);
    await queryRunner.query(`CREATE INDEX "IDX_mention_article_offset" ON "mention" ("articleId", "startOffset") `);
    await queryRunner.query(`DROP INDEX "IDX_mention_position_order"`);
    await queryRunner.query(`DROP INDEX "IDX_mention_quote_order"`);
    await queryRunner.query(`DROP INDEX "IDX_mention_country_order"`);
    await queryRunner.query(`DROP INDEX "IDX_mention_organization_order"`);
    await queryRunner.query(`DROP INDEX "IDX_mention_person_order"`);
    await queryRunner.query(`DROP INDEX "IDX_mention_article_offset"`);
    await queryRunner.query(`CREATE TABLE "temporary_mention" ("id" integer PRIMARY KEY AUTOINCREMENT NOT NULL, "kind" text NOT NULL, "articleId" integer NOT NULL, "startOffset" integer NOT NULL, "endOffset" integer NOT NULL, "personId" integer, "organizationId" integer, "countryId" integer, "quoteId" integer, "positionId" integer, "createdAt" datetime NOT NULL DEFAULT (datetime('now')), "updatedAt" datetime NOT NULL DEFAULT (datetime('now')), CONSTRAINT "CHK_mention_one_record" CHECK (("personId" IS NOT NULL) + ("organizationId" IS NOT NULL) + ("countryId" IS NOT NULL) = 1), CONSTRAINT "FK_1c2c9296760e34ee7388f91017b" FOREIGN KEY ("articleId") REFERENCES "article" ("id") ON DELETE CASCADE ON UPDATE NO ACTION, CONSTRAINT "FK_ab62a6efb311c2c2ee652f16b75" FOREIGN KEY ("personId") REFERENCES "person" ("id") ON DELETE CASCADE ON UPDATE NO ACTION, CONSTRAINT "FK_4f018d32b6d2e2c907833d0db11" FOREIGN KEY ("organizationId") REFERENCES "organization" ("id") ON DELETE CASCADE ON UPDATE NO ACTION, CONSTRAINT "FK_3e704b481d017128584bb4d7ccf" FOREIGN KEY ("countryId") REFERENCES "country" ("id") ON DELETE CASCADE ON UPDATE NO ACTION, CONSTRAINT "FK_4a62cb6b06e49d7d2ee2d9dda53" FOREIGN KEY ("quoteId") REFERENCES "quote" ("id") ON DELETE SET NULL ON UPDATE NO ACTION, CONSTRAINT "FK_e9b88a117a74aed94c3cf5a8fe8" FOREIGN KEY ("positionId") REFERENCES "position" ("id") ON DELETE SET NULL ON UPDATE NO ACTION)`);
    await queryRunner.query(`INSERT INTO "temporary_mention"("id", "kind", "articleId", "startOffset", "endOffset", "personId", "organizationId", "countryId", "quoteId", "positionId", "createdAt", "updatedAt") SELECT "id", "kind", "articleId", "startOffset", "endOffset", "personId", "organizationId", "countryId", "quoteId", "positionId", "createdAt", "updatedAt" FROM "mention"`);
    await queryRunner.query(`DROP TABLE "mention"`);
    await queryRunner.query(`ALTER TABLE "temporary_mention" RENAME TO "mention"`);
    await queryRunner.query(`CREATE INDEX "IDX_mention_position_order" ON "mention" ("positionId", "articleId", "startOffset") `);
    await queryRunner.query(`CREATE INDEX "IDX_mention_quote_order" ON "mention" ("quoteId", "articleId", "startOffset") `);
    await queryRunner.query(`CREATE INDEX "IDX_mention_country_order" ON "mention" ("countryId", "articleId", "startOffset") `);
    await queryRunner.query(`CREATE INDEX "IDX_mention_organization_order" ON "mention" ("organizationId", "articleId", "startOffset") `);
    await queryRunner.query(`CREATE INDEX "IDX_mention_person_order" ON "mention" ("personId", "articleId", "startOffset") `);
    await queryRunner.query(`CREATE INDEX "IDX_mention_article_offset" ON "mention" ("articleId", "startOffset") `);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "IDX_mention_article_offset"`);
    await queryRunner.query(`DROP INDEX "IDX_mention_person_order"`);
    await queryRunner.query(`DROP INDEX "IDX_mention_organization_order"`);
    await queryRunner.query(`DROP INDEX "IDX_mention_country_order"`);
    await queryRunner.query(`DROP INDEX "IDX_mention_quote_order"`);
    await queryRunner.query(`DROP INDEX "IDX_mention_position_order"`);
    await queryRunner.query(`ALTER TABLE "mention" RENAME TO "temporary_mention"`);
    await queryRunner.query(`CREATE TABLE "mention" ("id" integer PRIMARY KEY AUTOINCREMENT NOT NULL, "kind" text NOT NULL, "articleId" integer NOT NULL, "startOffset" integer NOT NULL, "endOffset" integer NOT NULL, "personId" integer, "organizationId" integer, "countryId" integer, "quoteId" integer, "positionId" integer, "createdAt" datetime NOT NULL DEFAULT (datetime('now')), "updatedAt" datetime NOT NULL DEFAULT (datetime('now')), CONSTRAINT "CHK_mention_one_record" CHECK (("personId" IS NOT NULL) + ("organizationId" IS NOT NULL) + ("countryId" IS NOT NULL) = 1))`);
    await queryRunner.query(`INSERT INTO "mention"("id", "kind", "articleId", "startOffset", "endOffset", "personId", "organizationId", "countryId", "quoteId", "positionId", "createdAt", "updatedAt") SELECT "id", "kind", "articleId", "startOffset", "endOffset", "personId", "organizationId", "countryId", "quoteId", "positionId", "createdAt", "updatedAt" FROM "temporary_mention"`);
    await queryRunner.query(`DROP TABLE "temporary_mention"`);
    await queryRunner.query(`CREATE INDEX "IDX_mention_article_offset" ON "mention" ("articleId", "startOffset") `);
    await queryRunner.query(`CREATE INDEX "IDX_mention_person_order" ON "mention" ("personId", "articleId", "startOffset") `);
    await queryRunner.query(`CREATE INDEX "IDX_mention_organization_order" ON "mention" ("organizationId", "articleId", "startOffset") `);
    await queryRunner.query(`CREATE INDEX "IDX_mention_country_order" ON "mention" ("countryId", "articleId", "startOffset") `);
    await queryRunner.query(`CREATE INDEX "IDX_mention_quote_order" ON "mention" ("quoteId", "articleId", "startOffset") `);
    await queryRunner.query(`CREATE INDEX "IDX_mention_position_order" ON "mention" ("positionId", "articleId", "startOffset") `);
    await queryRunner.query(`DROP INDEX "IDX_mention_article_offset"`);
    await queryRunner.query(`DROP INDEX "IDX_mention_person_order"`);
    await queryRunner.query(`DROP INDEX "IDX_mention_organization_order"`);
    await queryRunner.query(`DROP INDEX "IDX_mention_country_order"`);
    await queryRunner.query(`DROP INDEX "IDX_mention_quote_order"`);
    await queryRunner.query(`DROP INDEX "IDX_mention_position_order"`);
    await queryRunner.query(`DROP TABLE "mention"`);
  }
}
