/**
 * Checks of the database file made before the server uses it, so that a file it must not use is
 * refused with one sentence an operator can act on, and is left exactly as it was.
 *
 * SQLite itself is a poor judge here: opening a file that is not a database, a file cut short or
 * a file in a read-only place fails only at the first statement, with a bare "file is not a
 * database" or "unable to open database file", and by then the pragmas the server applies
 * (`journal_mode = WAL`) may have written to the file and created `-wal` and `-shm` files next to
 * it. So the file is first looked at as bytes (`checkDatabaseFile`): its type, its permissions,
 * its 100-byte header and its size. Only then is it opened, read-only, to see whose database it
 * is (`checkDatabaseSchema`): a SQLite database of another application is refused rather than
 * migrated and seeded into.
 */
import fs from "node:fs";
import path from "node:path";
import BetterSqlite3 from "better-sqlite3";
import { migrations } from "../migrations";

/**
 * A database file the server refuses to use. Its message is one line naming `DATABASE_PATH`, the
 * path and what is wrong, for the operator; the server prints it and exits with code 1.
 */
export class DatabaseFileError extends Error {
  constructor(
    readonly databasePath: string,
    /** What is wrong, as a clause that follows the path, such as "is a directory, not a file". */
    readonly problem: string,
  ) {
    super(`DATABASE_PATH ${databasePath} ${problem}`);
    this.name = "DatabaseFileError";
  }
}

/** The 16 bytes every SQLite 3 database file starts with. */
const SQLITE_MAGIC = Buffer.from("SQLite format 3\0", "latin1");
/** The size of the database header at the start of page 1. */
const HEADER_BYTES = 100;
/** The table where TypeORM records which migrations have run (its default name, which we keep). */
const MIGRATIONS_TABLE = "migrations";

/** The parts of the 100-byte header the checks read (https://sqlite.org/fileformat.html#the_database_header). */
interface Header {
  pageSize: number;
  /** The in-header database size in pages, or null when the header says it is not to be trusted. */
  pageCount: number | null;
}

function errorCode(error: unknown): string {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === "string" ? code : "unknown error";
}

function plural(n: number, word: string): string {
  return `${n.toLocaleString("en-US")} ${word}${n === 1 ? "" : "s"}`;
}

/** Why a directory cannot hold the database and its `-wal` and `-shm` files, if it cannot. */
function directoryProblem(directory: string): string | undefined {
  let stat: fs.Stats;
  try {
    stat = fs.statSync(directory);
  } catch (error) {
    return `is in ${directory}, which cannot be examined (${errorCode(error)})`;
  }
  if (!stat.isDirectory()) return `is in ${directory}, which is not a directory`;
  try {
    fs.accessSync(directory, fs.constants.W_OK | fs.constants.X_OK);
  } catch (error) {
    const code = errorCode(error);
    const why = code === "EROFS" ? "on a read-only file system" : `not writable (${code})`;
    return `is in ${directory}, which is ${why}: SQLite must create the database's -wal and -shm files there`;
  }
  return undefined;
}

/** The nearest directory that exists among `directory` and its parents: the one a new file's directories are created in. */
function nearestExisting(directory: string): string {
  let current = directory;
  while (!fs.existsSync(current)) {
    const parent = path.dirname(current);
    if (parent === current) break;
    current = parent;
  }
  return current;
}

/** Reads the header fields the checks need, or says what is wrong with them. */
function parseHeader(bytes: Buffer, fileSize: number): Header | string {
  if (bytes.length < SQLITE_MAGIC.length || !bytes.subarray(0, SQLITE_MAGIC.length).equals(SQLITE_MAGIC)) {
    return `is not a SQLite database: its first bytes are not the SQLite header "SQLite format 3"`;
  }
  if (bytes.length < HEADER_BYTES) {
    return `is truncated: it is ${plural(fileSize, "byte")} long, shorter than the 100-byte SQLite header`;
  }
  const rawPageSize = bytes.readUInt16BE(16);
  const pageSize = rawPageSize === 1 ? 65536 : rawPageSize;
  if (pageSize < 512 || pageSize > 65536 || (pageSize & (pageSize - 1)) !== 0) {
    return `has a corrupt SQLite header: its page size field holds ${rawPageSize}, which is not a power of two from 512 to 65536`;
  }
  const [writeVersion, readVersion, reserved, maxFraction, minFraction, leafFraction] = bytes.subarray(18, 24);
  if (readVersion !== 1 && readVersion !== 2) {
    return `has a corrupt SQLite header (or one from a future SQLite): its file format read version is ${readVersion}, not 1 or 2`;
  }
  if (writeVersion !== 1 && writeVersion !== 2) {
    return `has a corrupt SQLite header (or one from a future SQLite): its file format write version is ${writeVersion}, not 1 or 2`;
  }
  if (maxFraction !== 64 || minFraction !== 32 || leafFraction !== 32) {
    return `has a corrupt SQLite header: its payload fractions are ${maxFraction}/${minFraction}/${leafFraction}, not the fixed 64/32/32`;
  }
  if (pageSize - reserved < 480) {
    return `has a corrupt SQLite header: ${reserved} reserved bytes per page leave less than 480 usable bytes in a ${pageSize}-byte page`;
  }
  // The in-header size is valid only when the change counter matches "version-valid-for".
  const counted = bytes.readUInt32BE(24) === bytes.readUInt32BE(92) ? bytes.readUInt32BE(28) : 0;
  return { pageSize, pageCount: counted > 0 ? counted : null };
}

/**
 * Why the server must not open the file at `databasePath`, as a clause that follows the path
 * ("is a directory, not a database file"), or undefined when it may: a SQLite database whose
 * header and size are whole, or no file at all or an empty one (a new database), in a place the
 * server can write. Reads at most the first 100 bytes and writes nothing, so a refused file stays
 * byte for byte as it was, with nothing created next to it.
 */
export function databaseFileProblem(databasePath: string): string | undefined {
  let stat: fs.Stats;
  try {
    stat = fs.statSync(databasePath);
  } catch (error) {
    const code = errorCode(error);
    if (code === "ENOTDIR") return `is not a usable path: part of it is a file, not a directory`;
    if (code !== "ENOENT") return `cannot be examined (${code})`;
    // No file yet: a new database, created where its directory is (or will be made).
    return directoryProblem(nearestExisting(path.dirname(databasePath)));
  }
  if (stat.isDirectory()) return "is a directory, not a database file";
  if (!stat.isFile()) return "is not a regular file (a device, a socket or a pipe cannot hold the database)";

  try {
    fs.accessSync(databasePath, fs.constants.R_OK);
  } catch (error) {
    return `cannot be read (${errorCode(error)})`;
  }
  // What the file holds comes first: a file that is not a database is not fixed by making it writable.
  return (stat.size > 0 ? contentProblem(databasePath, stat.size) : undefined) ?? placeProblem(databasePath);
}

/** Why the server could not write the existing file at `databasePath` and its -wal and -shm files, if it could not. */
function placeProblem(databasePath: string): string | undefined {
  try {
    fs.accessSync(databasePath, fs.constants.W_OK);
  } catch (error) {
    const code = errorCode(error);
    if (code === "EROFS") return "is on a read-only file system: the server must be able to write the database";
    if (code === "EPERM") return "is immutable (chattr +i): the server must be able to write the database";
    return `is read-only (${code}): the server must be able to write the database`;
  }
  return directoryProblem(path.dirname(databasePath));
}

/** What is wrong with the header and size of the non-empty file at `databasePath`, if anything. */
function contentProblem(databasePath: string, size: number): string | undefined {
  const bytes = Buffer.alloc(Math.min(HEADER_BYTES, size));
  let read: number;
  try {
    const fd = fs.openSync(databasePath, "r");
    try {
      read = fs.readSync(fd, bytes, 0, bytes.length, 0);
    } finally {
      fs.closeSync(fd);
    }
  } catch (error) {
    return `cannot be read (${errorCode(error)})`;
  }
  const header = parseHeader(bytes.subarray(0, read), size);
  if (typeof header === "string") return header;

  // Pages committed to the write-ahead log but not yet copied into the file are part of the
  // database too (a crash between commit and checkpoint leaves them there, and the file may then
  // be shorter than its header says): SQLite reads them, so the size says nothing then.
  const walPath = `${databasePath}-wal`;
  if (fs.existsSync(walPath) && fs.statSync(walPath).size > 0) return undefined;
  if (size % header.pageSize !== 0) {
    return `is truncated or damaged: its size, ${plural(size, "byte")}, is not a whole number of its ${header.pageSize}-byte pages`;
  }
  if (header.pageCount !== null && size < header.pageCount * header.pageSize) {
    return (
      `is truncated: its header counts ${plural(header.pageCount, "page")} of ${header.pageSize} bytes ` +
      `(${plural(header.pageCount * header.pageSize, "byte")}) but the file has ${plural(size, "byte")}`
    );
  }
  return undefined;
}

/** Throws a `DatabaseFileError` when `databaseFileProblem` finds the file unusable. */
export function checkDatabaseFile(databasePath: string): void {
  const problem = databaseFileProblem(databasePath);
  if (problem) throw new DatabaseFileError(databasePath, problem);
}

/** The names our migrations are recorded under in the `migrations` table. */
function ourMigrationNames(): Set<string> {
  return new Set(migrations.map((Migration) => new Migration().name ?? Migration.name));
}

/** Removes the `-wal` and `-shm` files a read-only connection created next to a file that had none. */
function removeCreatedSidecars(databasePath: string, existedBefore: ReadonlySet<string>): void {
  for (const suffix of ["-wal", "-shm"]) {
    const sidecar = `${databasePath}${suffix}`;
    if (existedBefore.has(sidecar)) continue;
    try {
      // A -wal file with content is never removed: it would hold commits (none can come from a
      // read-only connection, but another process may have opened the database meanwhile).
      if (suffix === "-wal" && fs.statSync(sidecar).size > 0) continue;
      fs.rmSync(sidecar);
    } catch {
      // Not created, or already gone.
    }
  }
}

/**
 * Why the SQLite database at `databasePath` is not ours to open, as a clause that follows the
 * path, or undefined when it is ours (it has our `migrations` table) or holds no tables at all (a
 * new database). Another application's database has tables and no `migrations` table, or a
 * `migrations` table recording none of our migrations; migrating and seeding into it would mix
 * our tables into someone else's data. A file whose schema SQLite cannot read is refused too:
 * no statement could run on it. Reads through a read-only connection and, for a refused file,
 * removes the `-wal` and `-shm` files that connection creates next to a WAL-mode file, so it is
 * left as it was. Call it after `databaseFileProblem` found nothing wrong.
 */
export function databaseSchemaProblem(databasePath: string): string | undefined {
  if (!fs.existsSync(databasePath) || fs.statSync(databasePath).size === 0) return undefined;
  const existedBefore = new Set([`${databasePath}-wal`, `${databasePath}-shm`].filter((file) => fs.existsSync(file)));
  let sqlite: BetterSqlite3.Database | undefined;
  let problem: string | undefined;
  try {
    sqlite = new BetterSqlite3(databasePath, { readonly: true, fileMustExist: true });
    problem = schemaProblem(sqlite);
  } catch (error) {
    const code = errorCode(error);
    const message = error instanceof Error ? error.message : String(error);
    problem = /^SQLITE_(CORRUPT|NOTADB)/.test(code)
      ? `is damaged: SQLite cannot read its schema, so no statement can run (${code}: ${message}); restore it from a backup`
      : `cannot be read as a SQLite database (${code}: ${message})`;
  } finally {
    sqlite?.close();
  }
  // The -wal and -shm files of a database the server goes on to open stay: it uses them at once,
  // and another process may already have opened them too.
  if (problem) removeCreatedSidecars(databasePath, existedBefore);
  return problem;
}

/** `databaseSchemaProblem`'s look at the tables, on a read-only connection. */
function schemaProblem(sqlite: BetterSqlite3.Database): string | undefined {
  const tables = (
    sqlite.prepare(`SELECT name FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\' ORDER BY name`).all() as Array<{ name: string }>
  ).map((row) => row.name);
  if (tables.length === 0) return undefined;
  const listed = tables.length > 5 ? `${tables.slice(0, 5).join(", ")} and ${tables.length - 5} more` : tables.join(", ");
  if (!tables.includes(MIGRATIONS_TABLE)) {
    return `holds another application's SQLite database (tables ${listed}, and no ${MIGRATIONS_TABLE} table): refusing to migrate and seed into it; point DATABASE_PATH at a new file`;
  }
  let recorded: string[];
  try {
    recorded = (sqlite.prepare(`SELECT name FROM "${MIGRATIONS_TABLE}"`).all() as Array<{ name: unknown }>).map((row) => String(row.name));
  } catch (error) {
    // Damage in our own table's pages: the server starts and reports it (see integrity-check.ts).
    if (/^SQLITE_(CORRUPT|NOTADB)/.test(errorCode(error))) return undefined;
    throw error;
  }
  const ours = ourMigrationNames();
  if (recorded.length > 0 && !recorded.some((name) => ours.has(name))) {
    return `holds another application's SQLite database (its ${MIGRATIONS_TABLE} table records none of this server's migrations, such as ${recorded[0]}): refusing to migrate and seed into it; point DATABASE_PATH at a new file`;
  }
  return undefined;
}

/** Throws a `DatabaseFileError` when `databaseSchemaProblem` finds another application's database. */
export function checkDatabaseSchema(databasePath: string): void {
  const problem = databaseSchemaProblem(databasePath);
  if (problem) throw new DatabaseFileError(databasePath, problem);
}
