/**
 * Online backup of the SQLite database with SQLite's backup API (better-sqlite3's `backup()`),
 * safe while the server runs and writes: the copy is one consistent snapshot, holding every
 * transaction committed before the copy started and nothing of any later or unfinished one.
 */
import crypto from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import BetterSqlite3 from "better-sqlite3";

/** A backup that was refused or failed; the message says why, for people. */
export class BackupError extends Error {}

export interface BackupOptions {
  /** Replace `destination` if it exists (otherwise that is refused). */
  force?: boolean;
}

export interface BackupReport {
  /** Absolute paths of the database copied and of the copy. */
  source: string;
  destination: string;
  /** Pages copied and the page size: `pages × pageSize` is the database's size. */
  pages: number;
  pageSize: number;
  /** Size of the written file. */
  bytes: number;
  milliseconds: number;
}

/**
 * A `-wal` or `-shm` next to the destination means a SQLite connection uses or used it as a live
 * database. Renaming a copy over it would pair the copy with that other database's WAL, which
 * SQLite would replay into it on the next open: corruption. Refused even with `force`.
 */
function refuseLiveDestination(destination: string): void {
  for (const suffix of ["-wal", "-shm"]) {
    if (fs.existsSync(destination + suffix)) {
      throw new BackupError(
        `${destination}${suffix} exists: ${destination} looks like a database in use. Stop whatever uses it ` +
          `and remove ${destination}-wal and ${destination}-shm, or choose another destination`,
      );
    }
  }
}

/** Makes a rename durable: on Linux the directory entry itself must be synced. */
function syncDirectory(directory: string): void {
  let fd: number | undefined;
  try {
    fd = fs.openSync(directory, "r");
    fs.fsyncSync(fd);
  } catch {
    // Some platforms (Windows) cannot open a directory; the rename is as durable as they allow.
  } finally {
    if (fd !== undefined) fs.closeSync(fd);
  }
}

/**
 * Copies the SQLite database at `source` to a new file `destination`.
 *
 * The source is opened read-only, in this process, next to whatever else uses it: in WAL mode
 * readers never block the server's writers, nor they it. All pages are copied in one step of the
 * backup API, that is inside one read transaction: a copy made page range by page range would
 * restart from scratch whenever the server commits in between, and under a steady stream of
 * writes might never finish. The copy is written to a temporary file next to `destination`,
 * switched from WAL to a rollback journal (so the backup is one self-contained file), checked
 * with `PRAGMA quick_check`, synced and only then renamed into place: a failed or interrupted
 * backup leaves no half-written file under the destination's name.
 */
export async function backupDatabase(source: string, destination: string, options: BackupOptions = {}): Promise<BackupReport> {
  const startedAt = process.hrtime.bigint();
  const from = path.resolve(source);
  const to = path.resolve(destination);
  if (!fs.existsSync(from)) throw new BackupError(`there is no database at ${from} (set DATABASE_PATH to the server's database)`);
  if (fs.existsSync(to)) {
    if (fs.realpathSync(to) === fs.realpathSync(from)) throw new BackupError(`the destination ${to} is the database itself`);
    if (!options.force) throw new BackupError(`${to} already exists; pass --force to replace it`);
    if (!fs.statSync(to).isFile()) throw new BackupError(`${to} exists and is not a file`);
  }
  refuseLiveDestination(to);
  const directory = path.dirname(to);
  if (!fs.existsSync(directory) || !fs.statSync(directory).isDirectory()) {
    throw new BackupError(`the destination's directory ${directory} does not exist`);
  }

  const temporary = path.join(directory, `.${path.basename(to)}.partial-${process.pid}-${crypto.randomBytes(4).toString("hex")}`);
  let sourceDb: BetterSqlite3.Database | undefined;
  try {
    try {
      sourceDb = new BetterSqlite3(from, { readonly: true, fileMustExist: true });
      // Reading the header makes a file that is not a database fail here, with a clear message.
      sourceDb.pragma("schema_version");
    } catch (error) {
      throw new BackupError(`cannot read ${from} as a SQLite database: ${(error as Error).message}`);
    }
    const pageSize = Number(sourceDb.pragma("page_size", { simple: true }));
    // The first step only measures; returning the largest step makes the second copy everything.
    const result = await sourceDb.backup(temporary, { progress: () => 0x7fffffff });
    sourceDb.close();
    sourceDb = undefined;

    const copy = new BetterSqlite3(temporary, { fileMustExist: true });
    try {
      copy.pragma("journal_mode = DELETE");
      const check = copy.pragma("quick_check", { simple: true });
      if (check !== "ok") throw new BackupError(`the copy failed its quick_check: ${String(check)}`);
    } finally {
      copy.close();
    }
    const fd = fs.openSync(temporary, "r+");
    try {
      fs.fsyncSync(fd);
    } finally {
      fs.closeSync(fd);
    }
    // Checked again just before the rename: the copy may have taken a while.
    if (!options.force && fs.existsSync(to)) throw new BackupError(`${to} already exists; pass --force to replace it`);
    refuseLiveDestination(to);
    fs.renameSync(temporary, to);
    syncDirectory(directory);
    return {
      source: from,
      destination: to,
      pages: result.totalPages,
      pageSize,
      bytes: fs.statSync(to).size,
      milliseconds: Number(process.hrtime.bigint() - startedAt) / 1e6,
    };
  } catch (error) {
    if (error instanceof BackupError) throw error;
    throw new BackupError(`backup of ${from} to ${to} failed: ${(error as Error).message}`);
  } finally {
    sourceDb?.close();
    for (const file of [temporary, `${temporary}-journal`, `${temporary}-wal`, `${temporary}-shm`]) fs.rmSync(file, { force: true });
  }
}
