/**
 * Rules for the PostgreSQL migrations that need no database (they run without TEST_DATABASE_URL):
 * like the SQLite ones, they import nothing but typeorm, and the two lists stay apart.
 */
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { migrations } from "../../src/migrations";
import { postgresMigrations } from "../../src/migrations/postgres";
import { migrationImportsOutside } from "../migration-imports";

const DIR = join(__dirname, "..", "..", "src", "migrations", "postgres");

describe("PostgreSQL migrations (without a database)", () => {
  it("import nothing outside src/migrations/postgres but typeorm (a migration never changes with live code)", () => {
    expect(readdirSync(DIR).filter((f) => f.endsWith(".ts")).length).toBeGreaterThan(1);
    expect(migrationImportsOutside(DIR)).toEqual([]);
  });

  it("are listed apart from SQLite's, oldest first, each file listed once", () => {
    const names = postgresMigrations.map((m) => new m().name);
    expect(names.filter((n) => migrations.some((s) => new s().name === n))).toEqual([]);
    const timestamps = names.map((n) => Number(/(\d{13})$/.exec(n ?? "")?.[1]));
    expect(timestamps).toEqual([...timestamps].sort((a, b) => a - b));
    const files = readdirSync(DIR).filter((f) => /^\d{13}-.*\.ts$/.test(f));
    expect(files.map((f) => f.slice(0, 13)).sort()).toEqual(timestamps.map(String));
    // The SQLite list does not import the PostgreSQL folder.
    expect(readFileSync(join(__dirname, "..", "..", "src", "migrations", "index.ts"), "utf8")).not.toMatch(/postgres/);
  });
});
