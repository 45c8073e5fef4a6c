import { MigrationInterface, QueryRunner } from "typeorm";
import { createSearchIndexStatements, dropSearchIndexStatements } from "../db/fts";

/** The full-text index and the triggers that keep it in step (see `src/db/fts.ts`). */
export class AddSearchIndex1795862400000 implements MigrationInterface {
  name = "AddSearchIndex1795862400000";

  public async up(queryRunner: QueryRunner): Promise<void> {
    for (const statement of createSearchIndexStatements()) await queryRunner.query(statement);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    for (const statement of dropSearchIndexStatements()) await queryRunner.query(statement);
  }
}
