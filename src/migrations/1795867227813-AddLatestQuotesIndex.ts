import { MigrationInterface, QueryRunner } from "typeorm";

export class AddLatestQuotesIndex1795867227813 implements MigrationInterface {
  name = "AddLatestQuotesIndex1795867227813";

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE INDEX "IDX_quote_speaker_latest" ON "quote" ("speakerId", "createdAt") `);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "IDX_quote_speaker_latest"`);
  }
}
