import { execFileSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { Writable } from "node:stream";
import BetterSqlite3 from "better-sqlite3";
import pino from "pino";
import { loadConfig } from "../src/config";
import { createContext } from "../src/context";
import { Database } from "../src/storage/database";
import { loadFixtures } from "../src/seed/fixture";
import { seedAll } from "../src/seed/seed";
import { AppServer, createServer } from "../src/server";
import { CREATE_ARTICLE, CREATE_PERSON, EDITORS, ALICE } from "./editing-helpers";
import { GqlResult, tempDir } from "./helpers";

/** A server over a database file, with its log lines kept for the test to read. */
interface Harness {
  file: string;
  db: Database;
  server: AppServer;
  url: string;
  logs: Array<Record<string, unknown>>;
  run(query: string, variables?: Record<string, unknown>): Promise<GqlResult>;
  close(): Promise<void>;
}

async function start(file: string, seed: boolean): Promise<Harness> {
  const config = loadConfig({ NODE_ENV: "test", DATABASE_PATH: file, ...EDITORS });
  const db = await Database.open(config.databasePath, { readWorkers: 0 });
  if (seed) await seedAll(db, loadFixtures());
  const logs: Array<Record<string, unknown>> = [];
  const sink = new Writable({
    write(chunk: Buffer, _encoding, callback): void {
      for (const line of chunk.toString("utf8").split("\n").filter(Boolean)) logs.push(JSON.parse(line) as Record<string, unknown>);
      callback();
    },
  });
  const server = await createServer({ config, db, logger: pino({ level: "info" }, sink) });
  const url = await server.listen(0, "127.0.0.1");
  return {
    file,
    db,
    server,
    url,
    logs,
    run: async (query, variables) => {
      const contextValue = createContext(db, config, `Bearer ${ALICE}`);
      const response = await server.apollo.executeOperation({ query, variables }, { contextValue });
      if (response.body.kind !== "single") throw new Error("expected a single result");
      return response.body.singleResult as GqlResult;
    },
    close: async () => {
      await server.stop();
      await db.close();
    },
  };
}

/** `/ready`'s status and body. */
async function ready(harness: Harness): Promise<{ status: number; body: Record<string, unknown> }> {
  const response = await fetch(new URL("/ready", harness.url));
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

type Failure = "stays open" | "rolled back";

/**
 * Makes the next COMMIT fail with `code`, as SQLite reports a full disk or an I/O error. SQLite
 * may leave the transaction open after such a failure (as it does for SQLITE_BUSY) or roll it
 * back by itself (as it may for SQLITE_FULL and SQLITE_IOERR): `failure` picks which. The fault
 * is injected where TypeORM's driver gets its prepared statement, so the error takes the real
 * path through TypeORM (a `QueryFailedError` around better-sqlite3's `SqliteError`).
 */
function failNextCommit(db: Database, code: string, failure: Failure): void {
  const runner = db.dataSource.driver.createQueryRunner("master") as unknown as { getStmt(query: string): Promise<unknown> };
  const original = runner.getStmt.bind(runner);
  runner.getStmt = async (query: string): Promise<unknown> => {
    if (query !== "COMMIT") return original(query);
    runner.getStmt = original;
    return {
      reader: false,
      run: (): never => {
        if (failure === "rolled back") db.sqlite.exec("ROLLBACK");
        throw new BetterSqlite3.SqliteError("database or disk is full", code);
      },
    };
  };
}

/** The names of the people in a database file, read by a connection of its own. */
function peopleOnDisk(file: string): string[] {
  const sqlite = new BetterSqlite3(file, { readonly: true, fileMustExist: true });
  try {
    return (sqlite.prepare("SELECT name FROM person ORDER BY id").all() as Array<{ name: string }>).map((row) => row.name);
  } finally {
    sqlite.close();
  }
}

async function createPerson(harness: Harness, name: string): Promise<GqlResult> {
  return harness.run(CREATE_PERSON, { input: { name } });
}

describe("a COMMIT that fails", () => {
  let harness: Harness;
  afterEach(async () => {
    await harness?.close();
  });

  for (const failure of ["stays open", "rolled back"] as const) {
    it(`reports STORAGE_FULL, stores nothing, and commits every later acknowledged write (transaction ${failure})`, async () => {
      harness = await start(path.join(tempDir(), "kb.sqlite"), true);
      failNextCommit(harness.db, "SQLITE_FULL", failure);

      const failed = await createPerson(harness, "Failed Writer");
      expect(failed.errors?.[0]?.extensions).toMatchObject({ code: "STORAGE_FULL", stored: false });
      expect(failed.errors?.[0]?.message).toMatch(/Nothing was stored/);
      expect(harness.db.sqlite.inTransaction).toBe(false);

      // The sequence: a mutation refused by validation, then ordinary writes.
      const refused = await createPerson(harness, "Sergei Lavrov");
      expect(refused.errors?.[0]?.extensions?.code).toBe("BAD_USER_INPUT");

      const acknowledged: string[] = [];
      for (let i = 1; i <= 5; i++) {
        const result = await createPerson(harness, `After Failure ${i}`);
        expect(result.errors).toBeUndefined();
        acknowledged.push(`After Failure ${i}`);
      }
      expect(harness.db.sqlite.inTransaction).toBe(false);

      const seenByAnother = peopleOnDisk(harness.file);
      expect(seenByAnother).toEqual(expect.arrayContaining(acknowledged));
      expect(seenByAnother).not.toContain("Failed Writer");

      await harness.close();
      harness = await start(harness.file, false);
      const afterRestart = peopleOnDisk(harness.file);
      expect(afterRestart).toEqual(expect.arrayContaining(acknowledged));
      expect(afterRestart).not.toContain("Failed Writer");
      const edits = harness.db.get<{ n: number }>("SELECT COUNT(*) AS n FROM edit WHERE mutation = 'createPerson' AND entityType = 'Person'");
      expect(edits?.n).toBe(5);
    });
  }

  it("reports an I/O error as STORAGE_UNAVAILABLE and nothing stored", async () => {
    harness = await start(path.join(tempDir(), "kb.sqlite"), true);
    failNextCommit(harness.db, "SQLITE_IOERR_WRITE", "rolled back");
    const failed = await createPerson(harness, "Unlucky Writer");
    expect(failed.errors?.[0]?.extensions).toMatchObject({ code: "STORAGE_UNAVAILABLE", stored: false });
    expect(peopleOnDisk(harness.file)).not.toContain("Unlucky Writer");
    expect((await createPerson(harness, "Lucky Writer")).errors).toBeUndefined();
    expect(peopleOnDisk(harness.file)).toContain("Lucky Writer");
  });

  it("reports a lock held past the busy timeout by another process as STORAGE_UNAVAILABLE", async () => {
    harness = await start(path.join(tempDir(), "kb.sqlite"), true);
    harness.db.sqlite.pragma("busy_timeout = 100");
    const other = new BetterSqlite3(harness.file);
    try {
      other.exec("BEGIN IMMEDIATE");
      const failed = await createPerson(harness, "Locked Out");
      expect(failed.errors?.[0]?.extensions).toMatchObject({ code: "STORAGE_UNAVAILABLE", stored: false });
      expect(harness.db.sqlite.inTransaction).toBe(false);
      other.exec("ROLLBACK");
    } finally {
      other.close();
    }
    expect((await createPerson(harness, "Let In")).errors).toBeUndefined();
    expect(peopleOnDisk(harness.file)).toEqual(expect.arrayContaining(["Let In"]));
    expect(peopleOnDisk(harness.file)).not.toContain("Locked Out");
  });

  it("makes /ready answer 503 until a write commits again, and logs the reason once", async () => {
    harness = await start(path.join(tempDir(), "kb.sqlite"), true);
    expect((await ready(harness)).status).toBe(200);

    failNextCommit(harness.db, "SQLITE_FULL", "rolled back");
    await createPerson(harness, "First Casualty");
    // Probes run at most once a second, so the next poll still sees the failure.
    const notReady = await ready(harness);
    expect(notReady.status).toBe(503);
    expect(notReady.body).toMatchObject({ status: "writes failing", code: "STORAGE_FULL" });
    expect(String(notReady.body.reason)).toMatch(/disk is full/);

    // A second failure of the same kind is not logged again.
    failNextCommit(harness.db, "SQLITE_FULL", "stays open");
    await createPerson(harness, "Second Casualty");
    expect((await ready(harness)).status).toBe(503);
    expect(harness.logs.filter((line) => String(line.msg).startsWith("not ready"))).toHaveLength(1);

    expect((await createPerson(harness, "Back In Business")).errors).toBeUndefined();
    expect((await ready(harness)).status).toBe(200);
    expect(harness.logs.filter((line) => String(line.msg).startsWith("ready again"))).toHaveLength(1);
  });

  it("lets /ready find out by itself that writes commit again", async () => {
    harness = await start(path.join(tempDir(), "kb.sqlite"), true);
    failNextCommit(harness.db, "SQLITE_FULL", "stays open");
    await createPerson(harness, "Only Casualty");
    expect((await ready(harness)).status).toBe(503);
    await new Promise((resolve) => setTimeout(resolve, 1100));
    // No client wrote since; the probe write commits, so the server is ready again.
    expect((await ready(harness)).status).toBe(200);
    expect(harness.db.health.current).toEqual([]);
  });
});

/** Whether this process may mount a tmpfs (CI runs as root; a developer's machine may not). */
function mountTmpfs(dir: string, size: string): string | null {
  try {
    execFileSync("mount", ["-t", "tmpfs", "-o", `size=${size}`, "tmpfs", dir], { stdio: "pipe" });
    return null;
  } catch (error) {
    return String((error as { stderr?: Buffer }).stderr ?? error).trim() || "mount failed";
  }
}

describe("a full disk", () => {
  const dir = tempDir("news-kb-tmpfs-");
  const why = mountTmpfs(dir, "24m");
  if (why) {
    // Printed so that a skipped run says why, as the issue asks.
    console.warn(`skipping the tmpfs test: cannot mount a tmpfs (${why})`);
  }
  afterAll(() => {
    if (!why) execFileSync("umount", ["-l", dir]);
  });

  (why ? it.skip : it)("loses no acknowledged write when the disk fills up and is freed again", async () => {
    const file = path.join(dir, "kb.sqlite");
    let harness = await start(file, true);
    const body = "A long article body that fills the disk. ".repeat(10_000); // About 420 KB.
    const filler = path.join(dir, "filler");
    const acknowledged: string[] = [];
    try {
      // Leave about 6 MB free, then write articles until the disk is full.
      const free = fs.statfsSync(dir).bavail * fs.statfsSync(dir).bsize;
      fs.writeFileSync(filler, Buffer.alloc(Math.max(0, free - 6 * 1024 * 1024)));
      let full: GqlResult | undefined;
      for (let i = 0; i < 100 && !full; i++) {
        const url = `https://example.org/fill-${i}`;
        const result = await harness.run(CREATE_ARTICLE, {
          input: { url, title: `Filler ${i}`, publisher: "Example", publishedAt: "2019-04-09", language: "en", body },
        });
        if (result.errors) full = result;
        else acknowledged.push(url);
      }
      expect(full?.errors?.[0]?.extensions).toMatchObject({ code: "STORAGE_FULL", stored: false });
      expect(acknowledged.length).toBeGreaterThan(0);
      expect((await ready(harness)).status).toBe(503);

      // Free the space, then the sequence: a refused mutation, then five people.
      fs.rmSync(filler);
      expect((await createPerson(harness, "Sergei Lavrov")).errors?.[0]?.extensions?.code).toBe("BAD_USER_INPUT");
      const people: string[] = [];
      for (let i = 1; i <= 5; i++) {
        const result = await createPerson(harness, `Survivor ${i}`);
        expect(result.errors).toBeUndefined();
        people.push(`Survivor ${i}`);
      }
      expect((await ready(harness)).status).toBe(200);

      const check = (): number => {
        const sqlite = new BetterSqlite3(file, { readonly: true, fileMustExist: true });
        try {
          const urls = new Set((sqlite.prepare("SELECT url FROM article").all() as Array<{ url: string }>).map((row) => row.url));
          const names = new Set((sqlite.prepare("SELECT name FROM person").all() as Array<{ name: string }>).map((row) => row.name));
          return acknowledged.filter((url) => !urls.has(url)).length + people.filter((name) => !names.has(name)).length;
        } finally {
          sqlite.close();
        }
      };
      expect(check()).toBe(0);
      await harness.close();
      harness = await start(file, false);
      expect(check()).toBe(0);
      expect(String(harness.db.sqlite.pragma("integrity_check", { simple: true }))).toBe("ok");
    } finally {
      await harness.close();
      fs.rmSync(filler, { force: true });
    }
  }, 120_000);
});
