/**
 * The start-up integrity check: `PRAGMA quick_check` on the database file, so that a file damaged
 * in its middle (pages overwritten by a failing disk, a bad copy) is reported by `/ready` (503,
 * `STORAGE_CORRUPT`, with SQLite's own findings) instead of surfacing as an error on every query
 * that happens to touch a damaged page.
 *
 * quick_check reads every page of the file: about 0.8 s for a 150 MiB database (200,000 quotes)
 * and 4 to 5 s for a 760 MiB one (1,000,000 quotes) on the 2-core benchmark machine, too long to
 * hold up start-up. So it runs in the background, after the server listens, in a child process
 * with its own read-only connection: better-sqlite3 is synchronous, and the check run on the main
 * thread would stall every request for seconds. A process rather than a worker thread, because a
 * thread busy in native code can be neither terminated nor left behind: the server's exit would
 * wait for the check to finish. A process is killed at shutdown, and a watchdog thread inside it
 * ends it should the server die first. It runs at a lower priority (niceness 10) than the server.
 */
import { ChildProcess, spawn } from "node:child_process";
import os from "node:os";
import type BetterSqlite3 from "better-sqlite3";
import { ErrorCode } from "../errors";
import { storageFault } from "./storage-errors";
import type { StorageHealth } from "./storage-health";

/** The checking process's niceness (0 is normal, 19 the lowest priority). */
const CHECK_NICENESS = 10;

/** At most this many of SQLite's findings are collected; the first one or two say enough. */
const MAX_FINDINGS = 10;

/** What one integrity check found. */
export interface IntegrityReport {
  ok: boolean;
  /** SQLite's findings, such as "Page 12: btreeInitPage() returns error code 11"; empty when ok. */
  findings: string[];
  milliseconds: number;
}

/**
 * The check itself, as source text so that the checking process runs exactly this (see
 * `READER_SOURCE` in read-pool.ts for why source text): `PRAGMA quick_check`, its rows as one
 * finding per line (a row may hold several, the first naming the schema; a clean file gives the
 * single row "ok"). quick_check gives up with SQLITE_CORRUPT instead of listing findings when
 * the damage stops its scan of a table's rows (a table's root page overwritten, say); then each
 * table is checked on its own, so the findings still say which tables are damaged and where.
 */
const CHECK_FUNCTION_SOURCE = `(db, max) => {
  const lines = (rows) => rows
    .flatMap((row) => String(Object.values(row)[0]).split("\\n"))
    .map((line) => line.trim())
    .filter((line) => line !== "" && line !== "ok" && !/^\\*\\*\\* in database \\S+ \\*\\*\\*$/.test(line));
  const corrupt = (error) => /^SQLITE_(CORRUPT|NOTADB)/.test(String(error && error.code));
  try {
    return lines(db.pragma("quick_check(" + max + ")"));
  } catch (error) {
    if (!corrupt(error)) throw error;
    let tables;
    try {
      tables = db.prepare("SELECT name FROM sqlite_schema WHERE type = 'table' ORDER BY rootpage").all().map((row) => row.name);
    } catch (schemaError) {
      if (!corrupt(schemaError)) throw schemaError;
      return ["the schema cannot be read: " + schemaError.message];
    }
    const findings = [];
    for (const table of tables) {
      if (findings.length >= max) break;
      try {
        findings.push(...lines(db.pragma("quick_check('" + table.replace(/'/g, "''") + "')")));
      } catch (tableError) {
        if (!corrupt(tableError)) throw tableError;
        findings.push("table " + table + ": " + tableError.message);
      }
    }
    return findings.length > 0 ? findings.slice(0, max) : [error.message];
  }
}`;

/** The check, compiled for this process. */
const runCheck = new Function(`return ${CHECK_FUNCTION_SOURCE}`)() as (db: BetterSqlite3.Database, max: number) => string[];

/**
 * Runs the integrity check (`PRAGMA quick_check`) on an open connection, on this thread, for as
 * long as it takes: for a file already known to be damaged, whose findings should be in `/ready`
 * from the first request on.
 */
export function quickCheck(sqlite: BetterSqlite3.Database): IntegrityReport {
  const started = process.hrtime.bigint();
  const findings = runCheck(sqlite, MAX_FINDINGS);
  return { ok: findings.length === 0, findings, milliseconds: Number(process.hrtime.bigint() - started) / 1e6 };
}

/**
 * Whether an error says the database file is damaged: SQLite's own SQLITE_CORRUPT or
 * SQLITE_NOTADB, or the coded `STORAGE_CORRUPT` error the database raises for them.
 */
export function isCorruption(error: unknown): boolean {
  if (storageFault(error)?.code === ErrorCode.STORAGE_CORRUPT) return true;
  const extensions = (error as { extensions?: { code?: unknown } } | null)?.extensions;
  return extensions?.code === ErrorCode.STORAGE_CORRUPT;
}

/**
 * The sentence `/ready` and the log give for a failed check: what ran, what it found (the first
 * findings, SQLite's wording) and what to do.
 */
export function integrityReason(report: IntegrityReport): string {
  const shown = report.findings.slice(0, 3).map((line) => line.replace(/\s+/g, " "));
  const more = report.findings.length > shown.length ? ` (and ${report.findings.length - shown.length} more)` : "";
  return `the database file failed its integrity check (PRAGMA quick_check): ${shown.join("; ")}${more}; restore it from a backup`;
}

/** The script the checking process runs (`node -e`). */
const CHECK_SOURCE = `
const { Worker } = require("node:worker_threads");
// The check runs synchronously: only a thread of its own can notice that the server died.
new Worker("const parent = require('node:worker_threads').workerData; setInterval(() => { if (process.ppid !== parent) process.kill(process.pid, 'SIGKILL'); }, 500);", { eval: true, workerData: process.ppid });
const Sqlite = require(process.env.KB_CHECK_DRIVER);
const check = new Function("return (" + process.env.KB_CHECK_FUNCTION + ")")();
let reply;
try {
  const db = new Sqlite(process.env.KB_CHECK_PATH, { readonly: true, fileMustExist: true });
  db.pragma("busy_timeout = 5000");
  const started = process.hrtime.bigint();
  const findings = check(db, Number(process.env.KB_CHECK_MAX));
  reply = { findings, milliseconds: Number(process.hrtime.bigint() - started) / 1e6 };
  db.close();
} catch (error) {
  reply = { error: { code: error.code, message: error.message } };
}
process.send(reply, () => process.exit(0));
`;

interface CheckReply {
  findings?: string[];
  milliseconds?: number;
  error?: { code?: string; message?: string };
}

/** A check running in its own process. */
export interface BackgroundCheck {
  /** Resolves with the report, or rejects when the check could not run (or was stopped). */
  readonly done: Promise<IntegrityReport>;
  /** Kills the checking process if it still runs (at shutdown). */
  stop(): void;
}

/**
 * Starts `PRAGMA quick_check` on the file at `databasePath` in a child process with its own
 * read-only connection, leaving this process's event loop free. The child sees the database as
 * last committed; writes go on meanwhile (WAL readers do not block writers).
 */
export function quickCheckInBackground(databasePath: string): BackgroundCheck {
  const child: ChildProcess = spawn(process.execPath, ["-e", CHECK_SOURCE], {
    stdio: ["ignore", "inherit", "inherit", "ipc"],
    env: {
      PATH: process.env.PATH,
      KB_CHECK_DRIVER: require.resolve("better-sqlite3"),
      KB_CHECK_PATH: databasePath,
      KB_CHECK_MAX: String(MAX_FINDINGS),
      KB_CHECK_FUNCTION: CHECK_FUNCTION_SOURCE,
    },
  });
  try {
    // Below the server's own priority: on a busy machine, requests come first.
    if (child.pid !== undefined) os.setPriority(child.pid, CHECK_NICENESS);
  } catch {
    // Not allowed here (some containers): the check runs at the server's priority.
  }
  let settled = false;
  const done = new Promise<IntegrityReport>((resolve, reject) => {
    child.once("message", (reply: CheckReply) => {
      settled = true;
      if (reply.error) {
        reject(Object.assign(new Error(reply.error.message ?? "the integrity check failed to run"), { code: reply.error.code }));
        return;
      }
      const findings = reply.findings ?? [];
      resolve({ ok: findings.length === 0, findings, milliseconds: reply.milliseconds ?? 0 });
    });
    child.once("error", (error) => {
      settled = true;
      reject(error);
    });
    child.once("exit", (code, signal) => {
      if (settled) return;
      settled = true;
      reject(new Error(`the integrity check process exited with ${signal ?? `code ${code}`} before answering`));
    });
  });
  return {
    done,
    stop: () => {
      if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
    },
  };
}

/** Where the background check reports: the database's health record and the log. */
export interface IntegrityCheckTarget {
  health: Pick<StorageHealth, "set" | "get">;
  log: {
    info(fields: Record<string, unknown>, message: string): void;
    error(fields: Record<string, unknown>, message: string): void;
    warn(fields: Record<string, unknown>, message: string): void;
  };
}

/**
 * Runs the integrity check in the background and reports its outcome. A damaged file is recorded
 * in `health` as an `integrity` problem (`STORAGE_CORRUPT`, so `/ready` answers 503 with the
 * reason); the server's health listener logs that, once. If a read found the damage first (its
 * problem is already recorded, and `set` keeps it), the check's findings are logged here instead.
 * A clean file is logged with the time the check took. A check that could not run at all (the
 * process failed to start) is logged as a warning and changes nothing: it proves nothing.
 */
export function startIntegrityCheck(databasePath: string, target: IntegrityCheckTarget): BackgroundCheck {
  const check = quickCheckInBackground(databasePath);
  let stopped = false;
  const report = (result: IntegrityReport): void => {
    if (result.ok) {
      target.log.info({ milliseconds: Math.round(result.milliseconds) }, "integrity check passed (PRAGMA quick_check)");
      return;
    }
    const reason = integrityReason(result);
    if (target.health.get("integrity")) target.log.error({ findings: result.findings, milliseconds: Math.round(result.milliseconds) }, reason);
    else target.health.set("integrity", ErrorCode.STORAGE_CORRUPT, reason);
  };
  void check.done.then(report, (error: unknown) => {
    if (stopped) return;
    // SQLite's own verdict that the file is damaged, from the check's first read, is a finding too.
    if (isCorruption(error)) report({ ok: false, findings: [error instanceof Error ? error.message : String(error)], milliseconds: 0 });
    else target.log.warn({ err: error }, "the integrity check could not run");
  });
  return {
    done: check.done,
    stop: () => {
      stopped = true;
      check.stop();
    },
  };
}
