import path from "node:path";
import { Database } from "../src/db/database";
import { ReadPool } from "../src/db/read-pool";
import { tempDir } from "./helpers";

describe("the read pool", () => {
  let file: string;
  let db: Database;

  beforeAll(async () => {
    file = path.join(tempDir(), "kb.sqlite");
    db = await Database.open(file, { readWorkers: 0 });
    db.sqlite.exec(`CREATE TABLE numbers (n INTEGER PRIMARY KEY); WITH RECURSIVE s(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM s WHERE n < 100) INSERT INTO numbers (n) SELECT n FROM s`);
  });
  afterAll(async () => {
    await db.close();
  });

  it("answers each part on its own worker, in the order the parts were given", async () => {
    const pool = new ReadPool(file, 3);
    const parts = await pool.allParts<{ n: number }>(`SELECT n FROM numbers WHERE n >= ? AND n < ? ORDER BY n`, [
      [1, 40],
      [40, 70],
      [70, 101],
    ]);
    expect(parts.map((rows) => rows.length)).toEqual([39, 30, 31]);
    expect(parts.flat().map((row) => row.n)).toEqual(Array.from({ length: 100 }, (_, i) => i + 1));
    await pool.close();
  });

  it("sees rows committed after it started", async () => {
    const pool = new ReadPool(file, 1);
    expect(await pool.allParts(`SELECT COUNT(*) AS c FROM numbers`, [[]])).toEqual([[{ c: 100 }]]);
    db.sqlite.exec(`INSERT INTO numbers (n) VALUES (1000)`);
    expect(await pool.allParts(`SELECT COUNT(*) AS c FROM numbers`, [[]])).toEqual([[{ c: 101 }]]);
    await pool.close();
  });

  it("reports SQLite's errors by name and code, and keeps serving", async () => {
    const pool = new ReadPool(file, 2);
    await expect(pool.allParts(`SELECT nope FROM numbers`, [[]])).rejects.toMatchObject({ name: "SqliteError", code: "SQLITE_ERROR" });
    expect(await pool.allParts(`SELECT 1 AS one`, [[]])).toEqual([[{ one: 1 }]]);
    await pool.close();
  });

  it("refuses to write: its connections are read-only", async () => {
    const pool = new ReadPool(file, 1);
    await expect(pool.allParts(`INSERT INTO numbers (n) VALUES (2000) RETURNING n`, [[]])).rejects.toMatchObject({ code: "SQLITE_READONLY" });
    await pool.close();
  });

  it("starts new workers for reads after it was closed", async () => {
    const pool = new ReadPool(file, 2);
    await pool.allParts(`SELECT 1`, [[], []]);
    await pool.close();
    expect(await pool.allParts(`SELECT 2 AS two`, [[]])).toEqual([[{ two: 2 }]]);
    await pool.close();
  });
});
