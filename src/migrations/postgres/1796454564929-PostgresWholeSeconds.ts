import { MigrationInterface, QueryRunner } from "typeorm";

/** The tables whose `createdAt` and `updatedAt` the database sets (the edit log sets its own time). */
const TABLES = ["article", "candidate", "country", "mention", "organization", "person", "position", "proposal", "quote"];

/**
 * Records' `createdAt` and `updatedAt` to the whole second, as SQLite keeps them (its defaults and
 * TypeORM's updates write `datetime('now')`): the API documents them "stored to the second", and a
 * filter on an instant a record returned must find it on both databases. `now()` and TypeORM's
 * `CURRENT_TIMESTAMP` carry microseconds, which `timestamp(3)` keeps to the millisecond; a trigger
 * cuts them, before every insert and update, as SQLite does (truncating, never rounding up into the
 * future). The edit log's `createdAt` is the mutation's own time, with its milliseconds, on both.
 * Imports nothing but typeorm, like every migration.
 */
export class PostgresWholeSeconds1796454564929 implements MigrationInterface {
  name = "PostgresWholeSeconds1796454564929";

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE FUNCTION kb_whole_seconds() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN ` +
        `NEW."createdAt" := date_trunc('second', NEW."createdAt"); NEW."updatedAt" := date_trunc('second', NEW."updatedAt"); RETURN NEW; END $$`,
    );
    for (const table of TABLES) {
      await queryRunner.query(`CREATE TRIGGER "${table}_whole_seconds" BEFORE INSERT OR UPDATE ON "${table}" FOR EACH ROW EXECUTE FUNCTION kb_whole_seconds()`);
      // Rows written before this migration (a copy from SQLite holds whole seconds already).
      await queryRunner.query(`UPDATE "${table}" SET "createdAt" = "createdAt" WHERE "createdAt" <> date_trunc('second', "createdAt") OR "updatedAt" <> date_trunc('second', "updatedAt")`);
    }
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    for (const table of TABLES) await queryRunner.query(`DROP TRIGGER "${table}_whole_seconds" ON "${table}"`);
    await queryRunner.query(`DROP FUNCTION kb_whole_seconds()`);
  }
}
