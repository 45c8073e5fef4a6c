import { MigrationInterface, QueryRunner } from "typeorm";

export class AddEditLog1795862662207 implements MigrationInterface {
  name = "AddEditLog1795862662207";

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE TABLE "edit" ("id" integer PRIMARY KEY AUTOINCREMENT NOT NULL, "editor" text NOT NULL, "action" text NOT NULL, "mutation" text NOT NULL, "entityType" text NOT NULL, "entityId" integer NOT NULL, "before" text, "after" text, "createdAt" datetime NOT NULL)`);
    await queryRunner.query(`CREATE INDEX "IDX_16ff4f21ef10647cf63cb87530" ON "edit" ("editor") `);
    await queryRunner.query(`CREATE INDEX "IDX_edit_entity" ON "edit" ("entityType", "entityId") `);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "IDX_edit_entity"`);
    await queryRunner.query(`DROP INDEX "IDX_16ff4f21ef10647cf63cb87530"`);
    await queryRunner.query(`DROP TABLE "edit"`);
  }
}
