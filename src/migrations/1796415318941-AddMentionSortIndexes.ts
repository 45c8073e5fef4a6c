import { MigrationInterface, QueryRunner } from "typeorm";

export class AddMentionSortIndexes1796415318941 implements MigrationInterface {
  name = "AddMentionSortIndexes1796415318941";

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE INDEX "IDX_e762b2a8f226456665e6ab74c0" ON "mention" ("kind") `);
    await queryRunner.query(`CREATE INDEX "IDX_37d529934a04e21e58961f3ba2" ON "mention" ("createdAt") `);
    await queryRunner.query(`CREATE INDEX "IDX_908f4d360e821f99703a68dee1" ON "mention" ("updatedAt") `);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "IDX_908f4d360e821f99703a68dee1"`);
    await queryRunner.query(`DROP INDEX "IDX_37d529934a04e21e58961f3ba2"`);
    await queryRunner.query(`DROP INDEX "IDX_e762b2a8f226456665e6ab74c0"`);
  }
}
