import { MigrationInterface, QueryRunner } from "typeorm";

export class AddSortIndexes1795862079258 implements MigrationInterface {
  name = "AddSortIndexes1795862079258";

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE INDEX "IDX_fca3cb9ba4963678f564f22e7a" ON "article" ("title") `);
    await queryRunner.query(`CREATE INDEX "IDX_8b69c034798885f5761cc54a9c" ON "article" ("createdAt") `);
    await queryRunner.query(`CREATE INDEX "IDX_a7bda33f448037ee10279e8919" ON "article" ("updatedAt") `);
    await queryRunner.query(`CREATE INDEX "IDX_0f3d4c915928a15aa26768facd" ON "country" ("createdAt") `);
    await queryRunner.query(`CREATE INDEX "IDX_dd74ffb0a0e5baa62acb60fbc8" ON "country" ("updatedAt") `);
    await queryRunner.query(`CREATE INDEX "IDX_6adcbca2fe346f3f07750f4a40" ON "organization" ("kind") `);
    await queryRunner.query(`CREATE INDEX "IDX_73be7101def830fe0f1932acd7" ON "organization" ("createdAt") `);
    await queryRunner.query(`CREATE INDEX "IDX_487aed0cd7d22d78762cd9af17" ON "organization" ("updatedAt") `);
    await queryRunner.query(`CREATE INDEX "IDX_db4ea75ef504a464b3fbad2441" ON "person" ("createdAt") `);
    await queryRunner.query(`CREATE INDEX "IDX_2925497ddfc32befd5ea32f261" ON "person" ("updatedAt") `);
    await queryRunner.query(`CREATE INDEX "IDX_person_country_name" ON "person" ("countryId", "name") `);
    await queryRunner.query(`CREATE INDEX "IDX_126be1a4aa082c8233773407e0" ON "position" ("title") `);
    await queryRunner.query(`CREATE INDEX "IDX_62ffe596577bbff01d9127c0b1" ON "position" ("createdAt") `);
    await queryRunner.query(`CREATE INDEX "IDX_b88335aff0ee9ab84b128a6e60" ON "position" ("updatedAt") `);
    await queryRunner.query(`CREATE INDEX "IDX_position_person_order" ON "position" ("personId", "articleId", "startOffset") `);
    await queryRunner.query(`CREATE INDEX "IDX_cacbf7431b4a19ef3af8914e34" ON "quote" ("kind") `);
    await queryRunner.query(`CREATE INDEX "IDX_e0ee16d858a10512866c5f80c0" ON "quote" ("createdAt") `);
    await queryRunner.query(`CREATE INDEX "IDX_70a4027ca74752d49e4d09ba9e" ON "quote" ("updatedAt") `);
    await queryRunner.query(`CREATE INDEX "IDX_quote_speaker_order" ON "quote" ("speakerId", "articleId", "startOffset") `);
    // Expression indexes TypeORM cannot declare: sorting positions by a nullable date.
    await queryRunner.query(`CREATE INDEX "IDX_position_start_sort" ON "position" (COALESCE("startDate", ''))`);
    await queryRunner.query(`CREATE INDEX "IDX_position_end_sort" ON "position" (COALESCE("endDate", ''))`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "IDX_position_end_sort"`);
    await queryRunner.query(`DROP INDEX "IDX_position_start_sort"`);
    await queryRunner.query(`DROP INDEX "IDX_quote_speaker_order"`);
    await queryRunner.query(`DROP INDEX "IDX_70a4027ca74752d49e4d09ba9e"`);
    await queryRunner.query(`DROP INDEX "IDX_e0ee16d858a10512866c5f80c0"`);
    await queryRunner.query(`DROP INDEX "IDX_cacbf7431b4a19ef3af8914e34"`);
    await queryRunner.query(`DROP INDEX "IDX_position_person_order"`);
    await queryRunner.query(`DROP INDEX "IDX_b88335aff0ee9ab84b128a6e60"`);
    await queryRunner.query(`DROP INDEX "IDX_62ffe596577bbff01d9127c0b1"`);
    await queryRunner.query(`DROP INDEX "IDX_126be1a4aa082c8233773407e0"`);
    await queryRunner.query(`DROP INDEX "IDX_person_country_name"`);
    await queryRunner.query(`DROP INDEX "IDX_2925497ddfc32befd5ea32f261"`);
    await queryRunner.query(`DROP INDEX "IDX_db4ea75ef504a464b3fbad2441"`);
    await queryRunner.query(`DROP INDEX "IDX_487aed0cd7d22d78762cd9af17"`);
    await queryRunner.query(`DROP INDEX "IDX_73be7101def830fe0f1932acd7"`);
    await queryRunner.query(`DROP INDEX "IDX_6adcbca2fe346f3f07750f4a40"`);
    await queryRunner.query(`DROP INDEX "IDX_dd74ffb0a0e5baa62acb60fbc8"`);
    await queryRunner.query(`DROP INDEX "IDX_0f3d4c915928a15aa26768facd"`);
    await queryRunner.query(`DROP INDEX "IDX_a7bda33f448037ee10279e8919"`);
    await queryRunner.query(`DROP INDEX "IDX_8b69c034798885f5761cc54a9c"`);
    await queryRunner.query(`DROP INDEX "IDX_fca3cb9ba4963678f564f22e7a"`);
  }
}
