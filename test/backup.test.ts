/**
 * Online backup (`src/backup/backup.ts`, `npm run backup`) of the database a running server
 * (a child process) keeps writing to, and the restore procedure the README gives.
 */
import { spawn } from "node:child_process";
import crypto from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { backupDatabase, BackupError } from "../src/backup/backup";
import {
  ChildServer,
  DatabaseState,
  inspectDatabase,
  killChildServers,
  send,
  startChildServer,
  startWriting,
  transpiledProject,
  WriteLoad,
} from "./child-server";
import { tempDir } from "./helpers";

const TOKEN = "backup-test-token";
const EDITORS = { EDITOR_TOKENS: `alice:${TOKEN}` };
const PREFIX = "Backup ";

interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs the backup CLI (transpiled like the child server) with `DATABASE_PATH`; at most 30 s. */
function runCli(args: string[], databasePath: string): Promise<CliResult> {
  const cli = path.join(transpiledProject(), "src", "backup", "cli.js");
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [cli, ...args], {
      env: { PATH: process.env.PATH ?? "", DATABASE_PATH: databasePath },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout.setEncoding("utf8").on("data", (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding("utf8").on("data", (chunk: string) => (stderr += chunk));
    const timer = setTimeout(() => child.kill("SIGKILL"), 30_000);
    child.once("error", reject);
    child.once("close", (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

function sha256(file: string): string {
  return crypto.createHash("sha256").update(fs.readFileSync(file)).digest("hex");
}

/**
 * What every backup must satisfy: intact, self-contained, holding every write acknowledged before
 * the backup started, and each mutation whole (the person iff its edit-log entry).
 */
function expectConsistentBackup(file: string, acknowledgedBefore: readonly string[], load: WriteLoad): DatabaseState {
  // A rollback-journal file (header bytes 18 and 19 are 1; WAL is 2): nothing to copy along.
  const header = Buffer.alloc(20);
  const fd = fs.openSync(file, "r");
  try {
    fs.readSync(fd, header, 0, 20, 0);
  } finally {
    fs.closeSync(fd);
  }
  expect([header[18], header[19]]).toEqual([1, 1]);
  const state = inspectDatabase(file, PREFIX, "alice");
  expect(state.integrity).toBe("ok");
  expect(fs.existsSync(`${file}-wal`) || fs.existsSync(`${file}-shm`)).toBe(false);
  expect(acknowledgedBefore.filter((name) => !state.people.has(name))).toEqual([]);
  const sent = new Set(load.sent);
  expect([...state.people.keys()].filter((name) => !sent.has(name))).toEqual([]);
  expect([...state.people].filter(([, person]) => person.creates !== 1)).toEqual([]);
  expect(state.orphanCreates).toBe(0);
  return state;
}

describe("an online backup of a server's database while it writes", () => {
  let dir: string;
  let databasePath: string;
  let server: ChildServer;
  let load: WriteLoad;
  let firstBackup: string;
  let firstState: DatabaseState;

  beforeAll(async () => {
    dir = tempDir("news-kb-backup-");
    databasePath = path.join(dir, "kb.sqlite");
    server = await startChildServer({ databasePath, env: EDITORS });
    load = startWriting(server.url, TOKEN, PREFIX.trim(), { sequential: 2, burst: 3, maxPerStream: 5000 });
    if (!(await load.waitForAcknowledged(20, 20_000))) throw new Error(`the writes did not get going:\n${server.output()}`);
  });
  afterAll(async () => {
    await load.stop();
    await killChildServers();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it("copies, through the library, every write acknowledged before it started and no half of any other", async () => {
    firstBackup = path.join(dir, "library.sqlite");
    const acknowledgedBefore = [...load.acknowledged];
    const report = await backupDatabase(databasePath, firstBackup);
    // The server kept taking writes during and after the copy.
    expect(await load.waitForAcknowledged(load.acknowledged.length + 10, 20_000)).toBe(true);
    expect(load.refused).toEqual([]);

    expect(report).toEqual({
      source: databasePath,
      destination: firstBackup,
      pages: expect.any(Number),
      pageSize: expect.any(Number),
      bytes: fs.statSync(firstBackup).size,
      milliseconds: expect.any(Number),
    });
    expect(report.pages * report.pageSize).toBe(report.bytes);
    firstState = expectConsistentBackup(firstBackup, acknowledgedBefore, load);
  });

  it("refuses to overwrite a file, to copy a database onto itself or from nowhere, and leaves no partial file", async () => {
    const existing = path.join(dir, "existing.sqlite");
    fs.writeFileSync(existing, "precious");
    await expect(backupDatabase(databasePath, existing)).rejects.toThrow(new BackupError(`${existing} already exists; pass --force to replace it`));
    expect(fs.readFileSync(existing, "utf8")).toBe("precious");
    await expect(backupDatabase(databasePath, databasePath, { force: true })).rejects.toThrow("is the database itself");
    await expect(backupDatabase(path.join(dir, "missing.sqlite"), path.join(dir, "x.sqlite"))).rejects.toThrow("there is no database at");
    await expect(backupDatabase(existing, path.join(dir, "y.sqlite"))).rejects.toThrow(`cannot read ${existing} as a SQLite database`);
    await expect(backupDatabase(databasePath, path.join(dir, "no-such-dir", "z.sqlite"))).rejects.toThrow("does not exist");
    // A file next to a -wal could be a live database: a copy renamed over it would meet that WAL.
    fs.writeFileSync(`${existing}-wal`, "");
    await expect(backupDatabase(databasePath, existing, { force: true })).rejects.toThrow("looks like a database in use");
    expect(fs.readdirSync(dir).filter((name) => name.includes(".partial-"))).toEqual([]);
    expect(fs.existsSync(path.join(dir, "x.sqlite")) || fs.existsSync(path.join(dir, "y.sqlite"))).toBe(false);
  });

  it("works from the command line, with a report, --force, and clear failures", async () => {
    const file = path.join(dir, "cli.sqlite");
    const acknowledgedBefore = [...load.acknowledged];
    const done = await runCli([file], databasePath);
    expect(done).toEqual({ code: 0, stdout: expect.stringMatching(/^ {2}\d+ pages of \d+ bytes, [\d.]+ KiB, in \d+ ms$/m), stderr: "" });
    expect(done.stdout).toContain(`Backed up ${databasePath}`);
    expectConsistentBackup(file, acknowledgedBefore, load);

    const copied = sha256(file);
    const refused = await runCli([file], databasePath);
    expect(refused).toEqual({ code: 1, stdout: "", stderr: `backup failed: ${file} already exists; pass --force to replace it\n` });
    expect(sha256(file)).toBe(copied);

    const acknowledgedBeforeForced = [...load.acknowledged];
    const forced = await runCli([file, "--force", "--json"], databasePath);
    expect(forced.code).toBe(0);
    expect(JSON.parse(forced.stdout)).toMatchObject({ source: databasePath, destination: file, bytes: fs.statSync(file).size });
    expectConsistentBackup(file, acknowledgedBeforeForced, load);

    const missing = await runCli([path.join(dir, "never.sqlite")], path.join(dir, "missing.sqlite"));
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/^backup failed: there is no database at .*missing\.sqlite/);
    expect(fs.existsSync(path.join(dir, "never.sqlite"))).toBe(false);

    const usage = await runCli([], databasePath);
    expect(usage.code).toBe(2);
    expect(usage.stderr).toContain("Usage: npm run backup -- <file> [--force]");
  });

  it("restores: the backup copied over DATABASE_PATH of the stopped server serves exactly what it holds", async () => {
    await load.stop();
    expect(await server.stop("SIGTERM")).toEqual({ code: 0, signal: null });
    fs.copyFileSync(firstBackup, databasePath);
    for (const suffix of ["-wal", "-shm"]) fs.rmSync(databasePath + suffix, { force: true });

    server = await startChildServer({ databasePath, env: EDITORS });
    const served = await send(server.url, `query($p: String!) { people(filter: { name: { startsWith: $p } }) { totalCount } }`, { p: PREFIX });
    expect(served).toEqual({ kind: "acknowledged", data: { people: { totalCount: firstState.people.size } } });
    const created = await send(server.url, `mutation { createPerson(input: { name: "After Restore" }) { person { name } } }`, {}, TOKEN);
    expect(created).toEqual({ kind: "acknowledged", data: { createPerson: { person: { name: "After Restore" } } } });
    expect(await server.stop("SIGTERM")).toEqual({ code: 0, signal: null });
  });
});
