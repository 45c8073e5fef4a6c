/**
 * copy-db's SQLite ends. A source is read in one read transaction (a consistent snapshot, even
 * while a server writes to it); a target is built in a new file beside the destination, made by
 * the SQLite migrations, loaded with one prepared INSERT per table in one transaction, its search
 * index rebuilt, its foreign keys checked, and only then renamed over the destination.
 */
import fs from "node:fs";
import BetterSqlite3 from "better-sqlite3";
import { migrations } from "../../src/migrations";
import { Database } from "../../src/storage/database";
import { createSearchIndexStatements, dropSearchIndexStatements } from "../../src/storage/fts";
import { BATCH_TEXT, columnList, CopyError, rowText, TablePlan } from "./plan";
import type { Row, SourceDb, TargetDb } from "./types";

const MIGRATIONS_TABLE = "migrations";

/** The sequence value of every table (`sqlite_sequence`): ids are never reused, even after deletes. */
function sequences(db: BetterSqlite3.Database): Map<string, number> {
  const exists = db.prepare(`SELECT 1 FROM sqlite_master WHERE name = 'sqlite_sequence'`).get();
  if (!exists) return new Map();
  const rows = db.prepare(`SELECT name, seq FROM sqlite_sequence`).all() as Array<{ name: string; seq: number }>;
  return new Map(rows.map((r) => [r.name, Number(r.seq)]));
}

/** Refuses a file that is not a database of ours with every migration run. */
function checkMigrated(db: BetterSqlite3.Database, path: string): void {
  const hasTable = db.prepare(`SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?`).get(MIGRATIONS_TABLE);
  if (!hasTable) throw new CopyError(`--from ${path} is not a knowledge base of this server (it has no "${MIGRATIONS_TABLE}" table)`);
  const ran = new Set((db.prepare(`SELECT "name" FROM "${MIGRATIONS_TABLE}"`).all() as Array<{ name: string }>).map((r) => r.name));
  const missing = migrations.map((m) => new m().name ?? m.name).filter((name) => !ran.has(name));
  if (missing.length > 0) throw new CopyError(`--from ${path} lacks migrations (${missing.join(", ")}): start the server on it once (npm start with DATABASE_PATH) to migrate it`);
}

export class SqliteSource implements SourceDb {
  readonly label: string;
  private readonly db: BetterSqlite3.Database;

  constructor(readonly path: string) {
    this.label = path;
    if (!fs.existsSync(path)) throw new CopyError(`--from ${path} does not exist`);
    try {
      this.db = new BetterSqlite3(path, { readonly: true, fileMustExist: true });
      this.db.pragma("busy_timeout = 5000");
      checkMigrated(this.db, path);
    } catch (error) {
      if (error instanceof CopyError) throw error;
      throw new CopyError(`--from ${path} is not a readable SQLite database (${(error as Error).message})`);
    }
    // One read transaction for the whole copy: every table as of the same moment.
    this.db.exec("BEGIN");
    this.db.prepare(`SELECT COUNT(*) FROM "${MIGRATIONS_TABLE}"`).get();
  }

  async count(table: string): Promise<number> {
    return (this.db.prepare(`SELECT COUNT(*) AS n FROM "${table}"`).get() as { n: number }).n;
  }

  async sequences(): Promise<Map<string, number>> {
    return sequences(this.db);
  }

  async *rows(plan: TablePlan, batchSize: number): AsyncIterable<Row[]> {
    const statement = this.db.prepare(`SELECT ${columnList(plan.columns)} FROM "${plan.table}" ORDER BY "id"`).raw(true);
    let batch: Row[] = [];
    let text = 0;
    for (const row of statement.iterate() as IterableIterator<Row>) {
      batch.push(row);
      text += rowText(row);
      if (batch.length >= batchSize || text >= BATCH_TEXT) {
        yield batch;
        batch = [];
        text = 0;
      }
    }
    if (batch.length > 0) yield batch;
  }

  async close(): Promise<void> {
    if (this.db.open) {
      if (this.db.inTransaction) this.db.exec("COMMIT");
      this.db.close();
    }
  }
}

/** Whether a file holds any row in the tables of the plan (or cannot be read as our database). */
function holdsData(path: string, plan: readonly TablePlan[]): string | null {
  if (!fs.existsSync(path)) return null;
  if (fs.statSync(path).size === 0) return null;
  let db: BetterSqlite3.Database | undefined;
  try {
    db = new BetterSqlite3(path, { readonly: true, fileMustExist: true });
    const tables = new Set((db.prepare(`SELECT name FROM sqlite_master WHERE type = 'table'`).all() as Array<{ name: string }>).map((r) => r.name));
    if (tables.size === 0) return null;
    const filled = plan.filter((p) => tables.has(p.table) && db!.prepare(`SELECT 1 FROM "${p.table}" LIMIT 1`).get());
    if (filled.length > 0) return `already holds data (${filled.map((p) => p.table).join(", ")})`;
    if (!tables.has(MIGRATIONS_TABLE)) return `holds tables of another application`;
    return null;
  } catch (error) {
    return `exists and is not a readable SQLite database (${(error as Error).message})`;
  } finally {
    db?.close();
  }
}

export class SqliteTarget implements TargetDb {
  readonly label: string;
  private readonly temp: string;
  private db: BetterSqlite3.Database | null = null;
  private readonly inserted = new Map<string, number>();

  constructor(
    readonly path: string,
    private readonly replace: boolean,
  ) {
    this.label = path;
    this.temp = `${path}.copying-${process.pid}`;
  }

  async prepare(plan: readonly TablePlan[]): Promise<void> {
    const problem = holdsData(this.path, plan);
    if (problem && !this.replace) throw new CopyError(`--to ${this.path} ${problem}; add --replace to overwrite it`);
    this.removeTemp();
    // The schema exactly as the server makes it: the SQLite migrations.
    const made = await Database.open(this.temp, { readWorkers: 0 });
    await made.close();
    const db = new BetterSqlite3(this.temp);
    this.db = db;
    // A new file that is thrown away on any failure: no journal, no fsync until the end, and
    // foreign keys checked once, after every table is in (PRAGMA foreign_key_check).
    db.pragma("journal_mode = OFF");
    db.pragma("synchronous = OFF");
    db.pragma("foreign_keys = OFF");
    db.pragma("cache_size = -262144");
    // The search index is rebuilt at the end from the copied rows, as the generator does: one
    // pass instead of a trigger per inserted row.
    for (const sql of dropSearchIndexStatements()) db.exec(sql);
    db.exec("BEGIN");
  }

  async write(plan: TablePlan, batches: AsyncIterable<Row[]>, onBatch: (rows: number) => void): Promise<void> {
    const db = this.db!;
    const insert = db.prepare(`INSERT INTO "${plan.table}" (${columnList(plan.columns)}) VALUES (${plan.columns.map(() => "?").join(", ")})`);
    let n = 0;
    for await (const batch of batches) {
      for (const row of batch) insert.run(row);
      n += batch.length;
      onBatch(batch.length);
    }
    this.inserted.set(plan.table, n);
  }

  async finish(plan: readonly TablePlan[], sourceSequences: Map<string, number>): Promise<void> {
    const db = this.db!;
    // Ids are not reused: each table's sequence at least where the source's was.
    const update = db.prepare(`UPDATE sqlite_sequence SET seq = MAX(seq, ?) WHERE name = ?`);
    const insert = db.prepare(`INSERT INTO sqlite_sequence (name, seq) SELECT ?, ? WHERE NOT EXISTS (SELECT 1 FROM sqlite_sequence WHERE name = ?)`);
    for (const { table } of plan) {
      const seq = sourceSequences.get(table) ?? 0;
      update.run(seq, table);
      if (seq > 0) insert.run(table, seq, table);
    }
    for (const sql of createSearchIndexStatements()) db.exec(sql);
    const broken = db.pragma("foreign_key_check") as Array<{ table: string; rowid: number; parent: string }>;
    if (broken.length > 0) {
      const first = broken[0];
      throw new CopyError(`the copy breaks ${broken.length} foreign key(s), such as ${first.table} row ${first.rowid} → ${first.parent}; nothing was written to ${this.path}`);
    }
    db.exec("COMMIT");
    // No ANALYZE: the file is then what the server itself makes (no sqlite_stat1), table for table.
    db.pragma("journal_mode = WAL");
    db.close();
    this.db = null;
    for (const suffix of ["-wal", "-shm"]) fs.rmSync(`${this.path}${suffix}`, { force: true });
    fs.renameSync(this.temp, this.path);
  }

  async count(table: string): Promise<number> {
    const db = new BetterSqlite3(this.path, { readonly: true, fileMustExist: true });
    try {
      return (db.prepare(`SELECT COUNT(*) AS n FROM "${table}"`).get() as { n: number }).n;
    } finally {
      db.close();
    }
  }

  /** Rows in the search index, which should be one per article, person, organization and quote. */
  async searchRows(): Promise<number> {
    const db = new BetterSqlite3(this.path, { readonly: true, fileMustExist: true });
    try {
      return (db.prepare(`SELECT COUNT(*) AS n FROM "search_index"`).get() as { n: number }).n;
    } finally {
      db.close();
    }
  }

  async close(): Promise<void> {
    if (this.db?.open) this.db.close();
    this.db = null;
    this.removeTemp();
  }

  private removeTemp(): void {
    for (const suffix of ["", "-wal", "-shm", "-journal"]) fs.rmSync(`${this.temp}${suffix}`, { force: true });
  }
}
