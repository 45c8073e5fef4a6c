/**
 * Bad database files: the real server (`src/index.ts` in a child process, as `npm start` runs it)
 * started on a file it must not use refuses with exit code 1 and one line naming DATABASE_PATH
 * and what is wrong, and leaves the file byte for byte as it was, with no -wal or -shm file
 * created next to it. A file damaged in its middle is served, but `/ready` answers 503 with the
 * integrity check's findings. Other failures to start are one line too.
 *
 * Read-only places need more than permission bits when the tests run as root (CI does), since
 * root ignores them: a tmpfs remounted read-only and `chattr +i`. Where neither can be had, those
 * cases say why and check nothing.
 */
import { execFileSync } from "node:child_process";
import crypto from "node:crypto";
import fs from "node:fs";
import net from "node:net";
import path from "node:path";
import BetterSqlite3 from "better-sqlite3";
import { Database } from "../src/storage/database";
import { loadFixtures } from "../src/seed/fixture";
import { seedAll } from "../src/seed/seed";
import { ChildServer, killChildServers, runRefusedStart, startChildServer } from "./child-server";
import { tempDir } from "./helpers";

const PAGE_SIZE = 4096;
const isRoot = process.getuid?.() === 0;

let dir: string;
/** A seeded database built by the project's own code, closed cleanly: one self-contained file. */
let seeded: string;
let caseNumber = 0;

/** A fresh directory for one case. */
function caseDir(): string {
  caseNumber += 1;
  const directory = path.join(dir, `case-${caseNumber}`);
  fs.mkdirSync(directory);
  return directory;
}

/** A copy of the seeded database in a fresh directory. */
function seededCopy(): string {
  const file = path.join(caseDir(), "kb.sqlite");
  fs.copyFileSync(seeded, file);
  return file;
}

function sha256(file: string): string {
  return crypto.createHash("sha256").update(fs.readFileSync(file)).digest("hex");
}

/** The names in `file`'s directory: a refused file must have gained no -wal, -shm or -journal. */
function neighbours(file: string): string[] {
  return fs.readdirSync(path.dirname(file)).sort();
}

function run(command: string, args: string[]): string | null {
  try {
    execFileSync(command, args, { stdio: "pipe" });
    return null;
  } catch (error) {
    const stderr = (error as { stderr?: Buffer }).stderr?.toString().trim();
    return stderr || String(error);
  }
}

/**
 * Starts the server on `file`, expects the refusal, and checks what every refusal must be: exit
 * code 1, exactly one line of output naming DATABASE_PATH, the file's path and `problem`, no
 * stack trace, and the file and its directory unchanged. Returns the line.
 */
async function expectRefused(file: string, problem: RegExp): Promise<string> {
  const isFile = fs.existsSync(file) && fs.statSync(file).isFile();
  const before = isFile ? sha256(file) : null;
  const around = fs.existsSync(path.dirname(file)) ? neighbours(file) : null;
  const { exit, stdout, stderr } = await runRefusedStart({ databasePath: file });
  const lines = `${stdout}${stderr}`.split("\n").filter((line) => line.trim() !== "");
  expect({ exit, lines }).toEqual({ exit: { code: 1, signal: null }, lines: [expect.stringContaining("DATABASE_PATH")] });
  const [line] = lines;
  expect(line).toContain(file);
  expect(line).toMatch(problem);
  expect(line).not.toMatch(/\n|\s+at\s+\S+\s+\(/);
  if (before !== null) expect(sha256(file)).toBe(before);
  if (around !== null) expect(neighbours(file)).toEqual(around);
  return line;
}

/** Polls `/ready` until it answers 503 or `timeoutMs` passes; returns the last answer. */
async function readyUntilUnavailable(graphqlUrl: string, timeoutMs: number): Promise<{ status: number; body: Record<string, unknown> }> {
  const url = new URL("/ready", graphqlUrl);
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const response = await fetch(url);
    const answer = { status: response.status, body: (await response.json()) as Record<string, unknown> };
    if (answer.status === 503 || Date.now() >= deadline) return answer;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** A page of a database file and the table (or the table of the index) it belongs to. */
interface Page {
  pageno: number;
  table: string;
}

/**
 * Overwrites five pages of `file` with random bytes, never page 1: the pages of the tables in
 * `including` (and of their indexes), and the rest spread over the middle of the eligible pages
 * (fewer than five when none are eligible). Returns their
 * numbers. The file is closed and self-contained (no -wal), so the damage is what SQLite reads.
 */
function damage(file: string, eligible: (page: Page) => boolean, including: string[] = []): number[] {
  const inspect = new BetterSqlite3(file, { readonly: true });
  const pages = inspect
    .prepare(
      `SELECT d.pageno, coalesce(s.tbl_name, d.name) AS "table" FROM dbstat d LEFT JOIN sqlite_schema s ON s.name = d.name
       WHERE d.pageno > 1 ORDER BY d.pageno`,
    )
    .all() as Page[];
  inspect.close();
  const chosen = pages.filter((page) => including.includes(page.table)).map((page) => page.pageno);
  if (chosen.length === 0 && including.length > 0) throw new Error(`no page of ${including.join(", ")} in ${file}`);
  if (chosen.length > 5) chosen.length = 5;
  const candidates = pages.filter((page) => eligible(page) && !chosen.includes(page.pageno)).map((page) => page.pageno);
  const middle = candidates.slice(Math.floor(candidates.length / 4), Math.ceil((3 * candidates.length) / 4));
  while (chosen.length < 5 && middle.length > 0) chosen.push(middle[Math.floor(((chosen.length + 1) * middle.length) / 6)]);
  expect(new Set(chosen).size).toBe(chosen.length);
  const fd = fs.openSync(file, "r+");
  for (const page of chosen) fs.writeSync(fd, crypto.randomBytes(PAGE_SIZE), 0, PAGE_SIZE, (page - 1) * PAGE_SIZE);
  fs.closeSync(fd);
  return chosen;
}

/**
 * Expects `/ready` to answer 503 with the integrity check's findings (within seconds: the check
 * may run in the background) and the log to say so in one error line, then stops the server.
 */
async function expectDamageReported(server: ChildServer, pages: number[], table = "article"): Promise<void> {
  const ready = await readyUntilUnavailable(server.url, 15_000);
  expect(ready).toEqual({
    status: 503,
    body: expect.objectContaining({
      status: "database damaged",
      code: "STORAGE_CORRUPT",
      reason: expect.stringMatching(/^the database file failed its integrity check \(PRAGMA quick_check\): .*; restore it from a backup$/),
    }),
  });
  // SQLite names a damaged page, or the table whose rows it could not read past the damage.
  expect(String(ready.body.reason)).toMatch(new RegExp(`[Pp]age (${pages.join("|")})\\b|table ${table}: database disk image is malformed`));
  // The log line and the HTTP answer travel separately: the line may come a moment later.
  const deadline = Date.now() + 2000;
  while (!server.logs().some((line) => line.level === 50) && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 20));
  const errors = server.logs().filter((line) => line.level === 50);
  expect(errors).toEqual([expect.objectContaining({ msg: expect.stringContaining(String(ready.body.reason)) })]);
  expect(pages.length).toBe(5);
  expect(await server.stop()).toEqual({ code: 0, signal: null });
}

describe("starting the server on a bad database file", () => {
  beforeAll(async () => {
    dir = tempDir("news-kb-bad-db-");
    seeded = path.join(dir, "seeded.sqlite");
    const db = await Database.open(seeded, { readWorkers: 0 });
    await seedAll(db, loadFixtures());
    await db.close();
    expect(fs.existsSync(`${seeded}-wal`) ? fs.statSync(`${seeded}-wal`).size : 0).toBe(0);
    expect(fs.statSync(seeded).size % PAGE_SIZE).toBe(0);
  });

  afterAll(async () => {
    await killChildServers();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it("refuses a file that is not SQLite, leaving it untouched", async () => {
    const file = path.join(caseDir(), "kb.sqlite");
    fs.writeFileSync(file, "id,name\n1,Vladimir Putin\n".repeat(500));
    await expectRefused(file, /is not a SQLite database/);
  });

  it("refuses a file whose SQLite header is corrupt, leaving it untouched", async () => {
    const file = seededCopy();
    const fd = fs.openSync(file, "r+");
    // The page size and the format bytes after it: garbage where SQLite expects fixed values.
    fs.writeSync(fd, Buffer.from([0x12, 0x34, 0x07, 0x09, 0x00, 0x99, 0x01, 0x02]), 0, 8, 16);
    fs.closeSync(fd);
    await expectRefused(file, /corrupt SQLite header: its page size field holds 4660/);
  });

  it("refuses a file cut short at a page boundary, leaving it untouched", async () => {
    const file = seededCopy();
    const pages = fs.statSync(file).size / PAGE_SIZE;
    fs.truncateSync(file, Math.floor(pages / 2) * PAGE_SIZE);
    await expectRefused(file, new RegExp(`is truncated: its header counts ${pages} pages`));
  });

  it("refuses a file cut short in the middle of a page, leaving it untouched", async () => {
    const file = seededCopy();
    fs.truncateSync(file, Math.floor(fs.statSync(file).size / 2) + 1000);
    await expectRefused(file, /is truncated or damaged: its size, [\d,]+ bytes, is not a whole number of its 4096-byte pages/);
  });

  it("refuses a file shorter than the SQLite header, leaving it untouched", async () => {
    const file = seededCopy();
    fs.truncateSync(file, 60);
    await expectRefused(file, /is truncated: it is 60 bytes long/);
  });

  it("refuses a directory, leaving it untouched", async () => {
    const file = path.join(caseDir(), "kb.sqlite");
    fs.mkdirSync(file);
    await expectRefused(file, /is a directory, not a database file/);
    expect(fs.readdirSync(file)).toEqual([]);
  });

  it("refuses another application's SQLite database, neither migrating nor seeding into it", async () => {
    const file = path.join(caseDir(), "app.sqlite");
    const other = new BetterSqlite3(file);
    other.exec(`CREATE TABLE customer (id INTEGER PRIMARY KEY, name TEXT); INSERT INTO customer (name) VALUES ('Ada');`);
    other.close();
    await expectRefused(file, /holds another application's SQLite database \(tables customer, and no migrations table\)/);
  });

  it("refuses another application's database in WAL mode without leaving -wal or -shm files next to it", async () => {
    const file = path.join(caseDir(), "app.sqlite");
    const other = new BetterSqlite3(file);
    other.pragma("journal_mode = WAL");
    other.exec(`CREATE TABLE invoice (id INTEGER PRIMARY KEY, total REAL); CREATE TABLE line (id INTEGER PRIMARY KEY);`);
    other.close();
    expect(neighbours(file)).toEqual(["app.sqlite"]);
    await expectRefused(file, /holds another application's SQLite database \(tables invoice, line, and no migrations table\)/);
  });

  it("refuses a database file on a read-only file system, leaving it untouched", async () => {
    const mountPoint = path.join(caseDir(), "ro");
    fs.mkdirSync(mountPoint);
    if (!isRoot) {
      // Without root no file system can be mounted, but permission bits do hold.
      const file = path.join(mountPoint, "kb.sqlite");
      fs.copyFileSync(seeded, file);
      fs.chmodSync(mountPoint, 0o555);
      try {
        await expectRefused(file, /which is not writable \(EACCES\)/);
      } finally {
        fs.chmodSync(mountPoint, 0o755);
      }
      return;
    }
    const failure = run("mount", ["-t", "tmpfs", "-o", "size=4m", "tmpfs", mountPoint]);
    if (failure) {
      console.log(`skipped: running as root, where permission bits do not hold, and a tmpfs cannot be mounted (${failure})`);
      return;
    }
    try {
      const file = path.join(mountPoint, "kb.sqlite");
      fs.copyFileSync(seeded, file);
      const remount = run("mount", ["-o", "remount,ro", mountPoint]);
      if (remount) throw new Error(`cannot remount ${mountPoint} read-only: ${remount}`);
      await expectRefused(file, /is on a read-only file system/);
      // A new database there is refused as well, before anything is created.
      const missing = path.join(mountPoint, "new", "kb.sqlite");
      await expectRefused(missing, /is in .*, which is on a read-only file system/);
      expect(fs.readdirSync(mountPoint)).toEqual(["kb.sqlite"]);
    } finally {
      run("umount", [mountPoint]);
    }
  });

  it("refuses a read-only database file, leaving it untouched", async () => {
    const file = seededCopy();
    if (!isRoot) {
      fs.chmodSync(file, 0o444);
      await expectRefused(file, /is read-only \(EACCES\)/);
      return;
    }
    const failure = run("chattr", ["+i", file]);
    if (failure) {
      console.log(`skipped: running as root, where permission bits do not hold, and chattr +i is not available (${failure})`);
      return;
    }
    try {
      await expectRefused(file, /is immutable \(chattr \+i\)/);
    } finally {
      run("chattr", ["-i", file]);
    }
  });

  it("starts on an empty file as on a new database and seeds it", async () => {
    const file = path.join(caseDir(), "kb.sqlite");
    fs.writeFileSync(file, "");
    const server = await startChildServer({ databasePath: file });
    const response = await fetch(server.url, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ query: `{ country(code: "RU") { name } }` }),
    });
    expect(await response.json()).toEqual(expect.objectContaining({ data: { country: { name: "Russia" } } }));
    expect(await server.stop()).toEqual({ code: 0, signal: null });
  });

  it("refuses a file whose schema is damaged, leaving it untouched", async () => {
    // The schema's pages beyond page 1: no statement can run without the schema.
    const file = seededCopy();
    damage(file, () => false, ["sqlite_schema"]);
    await expectRefused(file, /is damaged: SQLite cannot read its schema, so no statement can run \(SQLITE_CORRUPT[^)]*\); restore it from a backup/);
  });

  it("serves a file damaged in its middle, with /ready answering 503 and the integrity check's findings", async () => {
    // Pages of the quotes, positions and their indexes, which starting the server does not read:
    // the background check finds the damage.
    const file = seededCopy();
    const pages = damage(file, (page) => !["article", "migrations", "sqlite_schema"].includes(page.table));
    const server = await startChildServer({ databasePath: file });
    await expectDamageReported(server, pages);
  });

  it("serves a file whose damage starting it runs into, with /ready answering 503 and the integrity check's findings", async () => {
    // The pages of the article table and its indexes among them: looking for the seed meets the
    // damage, so the check runs at once, before the server listens.
    const file = seededCopy();
    const pages = damage(file, (page) => !["migrations", "sqlite_schema"].includes(page.table), ["article"]);
    const server = await startChildServer({ databasePath: file });
    // Reported before the server listened, so by the time it serves.
    const serving = server.logs().findIndex((line) => typeof line.url === "string");
    expect(server.logs().findIndex((line) => line.level === 50)).toBeLessThan(serving);
    await expectDamageReported(server, pages);
  });
});

describe("other failures to start", () => {
  let startDir: string;

  beforeAll(() => {
    startDir = tempDir("news-kb-start-");
  });
  afterAll(async () => {
    await killChildServers();
    fs.rmSync(startDir, { recursive: true, force: true });
  });

  it("reports a setting it cannot use in one line and exits with code 1", async () => {
    const { exit, stdout, stderr } = await runRefusedStart({ databasePath: path.join(startDir, "kb.sqlite"), env: { PORT: "eighty" } });
    expect({ exit, stdout, stderr }).toEqual({
      exit: { code: 1, signal: null },
      stdout: "",
      stderr: `The server did not start: PORT must be an integer from 0 to 65535, got "eighty"\n`,
    });
  });

  it("reports an unexpected failure (a port already in use) in one fatal log line and exits with code 1", async () => {
    const taken = net.createServer();
    await new Promise<void>((resolve) => taken.listen(0, "127.0.0.1", resolve));
    const { port } = taken.address() as net.AddressInfo;
    try {
      const { exit, stdout, stderr } = await runRefusedStart({ databasePath: path.join(startDir, "kb.sqlite"), env: { PORT: String(port) } });
      expect(exit).toEqual({ code: 1, signal: null });
      expect(stderr).toBe("");
      const fatal = stdout
        .split("\n")
        .filter((line) => line !== "")
        .map((line) => JSON.parse(line) as { level: number; msg: string })
        .filter((line) => line.level >= 50);
      expect(fatal).toEqual([expect.objectContaining({ level: 60, msg: expect.stringMatching(/^the server did not start: listen EADDRINUSE/) })]);
    } finally {
      await new Promise((resolve) => taken.close(resolve));
    }
  });
});
