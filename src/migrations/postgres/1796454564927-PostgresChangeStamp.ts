import { MigrationInterface, QueryRunner } from "typeorm";

/** Every table of the knowledge base, as of this migration: a later table adds its own trigger. */
const TABLES = ["article", "candidate", "country", "edit", "mention", "organization", "person", "position", "proposal", "quote"];

/**
 * The change stamp that lets several server processes on one database keep data-dependent
 * caches (the read cache, counts) exact: `kb_version.v` goes up with every statement that writes
 * to a table of the knowledge base, committed with it, so a process that reads a different
 * stamp from the one it kept an answer under knows the answer may be stale. It plays the part of
 * SQLite's `PRAGMA data_version` and `total_changes()` (src/storage/read-cache.ts).
 *
 * A version row rather than LISTEN/NOTIFY: it is part of the writing transaction (visible exactly
 * when the write is, never a window of stale answers after a commit), it needs no connection
 * kept listening per process and is not lost on a reconnect, and it can be read on a hot-standby
 * replica, where LISTEN cannot. Statement-level triggers, so a write of many rows bumps it once;
 * a statement that changes no row bumps it too, which costs an answer kept in memory, never a
 * stale one. Every writing transaction updates the one row, so writers queue on it: the server
 * serializes its writes anyway (one writer per database, as on SQLite). Imports nothing but
 * typeorm, like every migration.
 */
export class PostgresChangeStamp1796454564927 implements MigrationInterface {
  name = "PostgresChangeStamp1796454564927";

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE TABLE "kb_version" ("id" integer PRIMARY KEY CHECK ("id" = 1), "v" bigint NOT NULL)`);
    await queryRunner.query(`INSERT INTO "kb_version" ("id", "v") VALUES (1, 0)`);
    await queryRunner.query(
      `CREATE FUNCTION kb_bump_version() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN UPDATE "kb_version" SET "v" = "v" + 1 WHERE "id" = 1; RETURN NULL; END $$`,
    );
    for (const table of TABLES) {
      await queryRunner.query(
        `CREATE TRIGGER "${table}_bump_version" AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON "${table}" FOR EACH STATEMENT EXECUTE FUNCTION kb_bump_version()`,
      );
    }
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    for (const table of TABLES) await queryRunner.query(`DROP TRIGGER "${table}_bump_version" ON "${table}"`);
    await queryRunner.query(`DROP FUNCTION kb_bump_version()`);
    await queryRunner.query(`DROP TABLE "kb_version"`);
  }
}
