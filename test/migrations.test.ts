import { join } from "node:path";
import { Database } from "../src/storage/database";
import { migrationImportsOutside } from "./migration-imports";
import { createSearchIndexStatements, dropSearchIndexStatements } from "../src/storage/fts";

const MIGRATIONS_DIR = join(__dirname, "..", "src", "migrations");

/** Every schema object of a database, as `sqlite3 .schema` would show it, in name order. */
function schemaOf(db: Database): Array<{ type: string; name: string; sql: string | null }> {
  return db.sqlite.prepare(`SELECT type, name, sql FROM sqlite_master ORDER BY name, type`).all() as Array<{ type: string; name: string; sql: string | null }>;
}

describe("migrations", () => {
  it("bring a fresh database to the same schema as ever (snapshot taken before AddSearchIndex got its own SQL)", async () => {
    const db = await Database.open(":memory:");
    try {
      expect(schemaOf(db)).toMatchSnapshot();
    } finally {
      await db.close();
    }
  });

  it("end in the search index that src/storage/fts.ts builds now (the generator's index)", async () => {
    const db = await Database.open(":memory:");
    try {
      const migrated = schemaOf(db);
      for (const sql of [...dropSearchIndexStatements(), ...createSearchIndexStatements()]) db.sqlite.exec(sql);
      expect(schemaOf(db)).toEqual(migrated);
    } finally {
      await db.close();
    }
  });

  it("can be undone to the first and run again to the same schema", async () => {
    const db = await Database.open(":memory:");
    try {
      const migrated = schemaOf(db);
      const ran = (): number => (db.sqlite.prepare(`SELECT COUNT(*) AS n FROM "migrations"`).get() as { n: number }).n;
      while (ran() > 0) await db.dataSource.undoLastMigration({ transaction: "each" });
      await db.dataSource.runMigrations({ transaction: "each" });
      expect(schemaOf(db)).toEqual(migrated);
    } finally {
      await db.close();
    }
  });

  it("import nothing outside src/migrations but typeorm (a migration never changes with live code)", () => {
    expect(migrationImportsOutside(MIGRATIONS_DIR)).toEqual([]);
  });
});
