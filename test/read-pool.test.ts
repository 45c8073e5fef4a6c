import { spawn } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { READER_FOLD } from "../src/storage/dialect";
import { Database } from "../src/storage/database";
import { QueryTimeoutError } from "../src/errors";
import { READER_SOURCE, ReadDeadlineError, ReadPool } from "../src/storage/read-pool";
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

  /** A statement that never ends: SQLite counts an endless recursive sequence. */
  const ENDLESS = `WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c) SELECT COUNT(*) AS n FROM c`;

  it("stops a running read at its deadline by killing its reader, and answers the next read", async () => {
    const pool = new ReadPool(file, 1);
    await expect(pool.allParts(ENDLESS, [[]], Date.now() + 300)).rejects.toBeInstanceOf(ReadDeadlineError);
    expect(await pool.allParts(`SELECT 3 AS three`, [[]])).toEqual([[{ three: 3 }]]);
    await pool.close();
  });

  it("drops a queued read at its deadline without stopping the read ahead of it", async () => {
    const pool = new ReadPool(file, 1);
    const ahead = pool.allParts(`SELECT COUNT(*) AS n FROM numbers a, numbers b, numbers c`, [[]]);
    const queued = pool.allParts(`SELECT 1`, [[]], Date.now());
    await expect(queued).rejects.toBeInstanceOf(ReadDeadlineError);
    const rows = db.get<{ n: number }>(`SELECT COUNT(*) AS n FROM numbers`)?.n ?? 0;
    expect(await ahead).toEqual([[{ n: rows ** 3 }]]);
    await pool.close();
  });

  it("folds text in its readers as the server's own connection does", async () => {
    const pool = new ReadPool(file, 1);
    const [[row]] = await pool.allParts<{ folded: string }>(`SELECT kb_fold(?) AS folded`, [["ÉMILE Ａ Ангела"]]);
    expect(row.folded).toBe(db.get<{ folded: string }>(`SELECT kb_fold(?) AS folded`, ["ÉMILE Ａ Ангела"])?.folded);
    expect(row.folded).toBe("émile a ангела");
    await pool.close();
  });

  it("keeps the event loop free during a heavy read, and stops it at the request's time limit", async () => {
    const withPool = await Database.open(file, { readWorkers: 1, migrate: false });
    let ticks = 0;
    const ticker = setInterval(() => (ticks += 1), 10);
    try {
      const read = withPool.statements.perRequest.run({ count: 0, deadline: Date.now() + 400, limitMs: 400 }, () => withPool.heavyRead(ENDLESS, []));
      await expect(read).rejects.toBeInstanceOf(QueryTimeoutError);
      expect(ticks).toBeGreaterThan(0);
    } finally {
      clearInterval(ticker);
      await withPool.close();
    }
  });

  /** Whether a process has ended (gone, or a zombie its parent has not reaped yet). */
  function ended(pid: number): boolean {
    try {
      return /^\d+ \(.*\) Z/.test(fs.readFileSync(`/proc/${pid}/stat`, "utf8"));
    } catch {
      return true;
    }
  }

  async function waitUntil(condition: () => boolean, ms: number): Promise<boolean> {
    const until = Date.now() + ms;
    while (!condition() && Date.now() < until) await new Promise((resolve) => setTimeout(resolve, 50));
    return condition();
  }

  it("lets a read share another request's read, and reads again itself when that one is stopped at its deadline", async () => {
    const withPool = await Database.open(file, { readWorkers: 2, migrate: false });
    const slow = `WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < 10000000) SELECT COUNT(*) AS n FROM c`;
    const read = async (deadlineMs: number): Promise<unknown> =>
      withPool.statements.perRequest.run({ count: 0, deadline: Date.now() + deadlineMs, limitMs: deadlineMs }, () =>
        withPool.cachedRead("slow", () => withPool.heavyRead(slow, [])),
      );
    try {
      const [first, second] = await Promise.allSettled([read(50), read(60_000)]);
      expect(first).toMatchObject({ status: "rejected", reason: expect.any(QueryTimeoutError) });
      expect(second).toEqual({ status: "fulfilled", value: [{ n: 10_000_000 }] });
    } finally {
      await withPool.close();
    }
  });

  it("ends a busy reader whose server process died", async () => {
    // A stand-in server: starts one reader, gives it an endless statement, prints its pid.
    const server = spawn(
      process.execPath,
      [
        "-e",
        `const { spawn } = require("node:child_process");
         const reader = spawn(process.execPath, ["-e", process.env.SOURCE], { stdio: ["ignore", "ignore", "ignore", "ipc"], serialization: "advanced",
           env: { KB_READER_DRIVER: require.resolve("better-sqlite3"), KB_READER_PATH: process.env.DB, KB_READER_FOLD: process.env.FOLD, KB_READER_FOLD_NAME: process.env.FOLD_NAME } });
         reader.send({ id: 0, sql: process.env.SQL, params: [] });
         console.log(reader.pid);
         setInterval(() => {}, 1000);`,
      ],
      {
        cwd: path.join(__dirname, ".."),
        stdio: ["ignore", "pipe", "inherit"],
        env: { ...process.env, SOURCE: READER_SOURCE, DB: file, FOLD: READER_FOLD.source, FOLD_NAME: READER_FOLD.name, SQL: ENDLESS },
      },
    );
    const readerPid = await new Promise<number>((resolve) => server.stdout?.once("data", (data: Buffer) => resolve(Number(String(data).trim()))));
    // Give the reader time to load and start its statement, then kill the server outright.
    await new Promise((resolve) => setTimeout(resolve, 1000));
    expect(ended(readerPid)).toBe(false);
    server.kill("SIGKILL");
    const gone = await waitUntil(() => ended(readerPid), 5000);
    if (!gone) process.kill(readerPid, "SIGKILL");
    expect(gone).toBe(true);
  });

  it("runs a read elsewhere when its reader had died unnoticed", async () => {
    const pool = new ReadPool(file, 1);
    await pool.allParts(`SELECT 1`, [[]]);
    const [pid] = pool.pids;
    process.kill(pid, "SIGKILL");
    // Wait without yielding to the event loop, so the pool has not yet seen the reader exit.
    const until = Date.now() + 5000;
    while (!ended(pid) && Date.now() < until);
    expect(await pool.allParts(`SELECT 4 AS four`, [[]])).toEqual([[{ four: 4 }]]);
    expect(pool.pids).not.toContain(pid);
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
