/**
 * Synthetic knowledge bases for benchmarks: countries, organizations, people, articles, positions
 * and quotes at any scale, deterministic for a seed, with every quote and position traced to real
 * text in its article body exactly as the seed fixture is. The schema comes from the project's own
 * migrations (`Database.open`); rows go in through raw prepared statements, because an ORM insert
 * per row would take hours at a million quotes.
 *
 * Two threads share the work. A worker (`worker.ts`) writes the text (`content.ts`)
 * and builds the full-text index in a scratch file; the main thread inserts the rows as batches
 * arrive (no journal, no foreign key checks, the secondary indexes and the search index's triggers
 * set aside), then builds the secondary indexes, copies the finished search index in, puts the
 * triggers back and analyzes: the result is the file the migrations and row-by-row inserts would
 * have made, in a fraction of the time.
 */
import fs from "node:fs";
import path from "node:path";
import { Worker } from "node:worker_threads";
import BetterSqlite3 from "better-sqlite3";
import { Database, SqlValue } from "../../src/storage/database";
import { createSearchIndexStatements } from "../../src/storage/fts";
import { QuoteKind } from "../../src/entities/enums";
import { PROJECT_ROOT } from "../../src/paths";
import { ArticleBatch, QUOTE_NUMBERS } from "./content";
import { COLUMNS, TableCounts, TableName, TABLES } from "./tables";
import type { ProducerData, ProducerMessage } from "./worker";

export { TABLES };
export type { TableCounts, TableName };

/** How many rows to generate: `quotes`, and any other size to set instead of scaling it from `quotes`. */
export interface GenerateSizes {
  quotes: number;
  articles?: number;
  people?: number;
  organizations?: number;
  countries?: number;
  positions?: number;
}

/** What to generate and where. */
export interface GenerateOptions extends GenerateSizes {
  /** The SQLite file to create. */
  out: string;
  /** Same seed, same database, row for row. Default 42. */
  seed?: number;
  /** Replace `out` if it exists (otherwise an existing file is an error). */
  force?: boolean;
  /** Called after every batch, for progress bars. */
  onProgress?: (progress: GenerateProgress) => void;
}

export interface GenerateProgress {
  /** The table being filled, then `index` (building the indexes) and `analyze` (statistics). */
  phase: TableName | "index" | "analyze";
  rowsDone: number;
  rowsTotal: number;
}

/** What a run produced and how fast. */
export interface GenerateReport {
  path: string;
  seed: number;
  counts: TableCounts;
  totalRows: number;
  /** Wall time of the whole run: migrations, generation, inserts, `ANALYZE` and checkpoint. */
  seconds: number;
  rowsPerSecond: number;
  /** Size of the database file once the WAL is checkpointed into it. */
  fileBytes: number;
  /** Triggers on the tables during the load (such as a full-text index), which every insert fed. */
  triggers: string[];
  /** Where the time went, in seconds. */
  phases: { migrate: number; load: number; index: number; analyze: number };
}

/** Thrown for options the generator refuses (bad sizes, an existing file, the live database). */
export class GenerateError extends Error {}

/**
 * Rows per quote for the other tables, from a news knowledge base's typical shape: about twenty
 * quotes per article, a person quoted ten times on average (very unevenly), one organization per
 * hundred quotes, one and a half offices per person.
 */
export const DEFAULT_RATIOS = { articles: 0.05, people: 0.1, organizations: 0.01, positions: 0.15 } as const;

/** There are about 250 countries; `countries` grows with the square root of `quotes` up to that. */
export const MAX_DEFAULT_COUNTRIES = 250;

/** Two-letter codes are what runs out first: 26 × 26. */
export const MAX_COUNTRIES = 26 * 26;

export const DEFAULT_SEED = 42;

/** The sizes a run will produce for these options. */
export function plannedCounts(options: GenerateSizes): TableCounts {
  const quotes = options.quotes;
  const scaled = (ratio: number): number => (quotes > 0 ? Math.max(1, Math.round(quotes * ratio)) : 0);
  const counts: TableCounts = {
    country: options.countries ?? (quotes > 0 ? Math.min(MAX_DEFAULT_COUNTRIES, Math.ceil(Math.sqrt(quotes) / 4)) : 0),
    organization: options.organizations ?? scaled(DEFAULT_RATIOS.organizations),
    person: options.people ?? scaled(DEFAULT_RATIOS.people),
    article: options.articles ?? scaled(DEFAULT_RATIOS.articles),
    position: options.positions ?? scaled(DEFAULT_RATIOS.positions),
    quote: quotes,
  };
  for (const table of TABLES) {
    const n = counts[table];
    if (!Number.isSafeInteger(n) || n < 0) throw new GenerateError(`the number of ${table} rows must be a whole number ≥ 0, got ${n}`);
  }
  if (counts.country > MAX_COUNTRIES) throw new GenerateError(`at most ${MAX_COUNTRIES} countries (two-letter codes run out), got ${counts.country}`);
  if (counts.article === 0 && counts.quote + counts.position > 0) {
    throw new GenerateError("quotes and positions need at least one article to be evidenced in");
  }
  if (counts.person === 0 && counts.position > 0) throw new GenerateError("positions need at least one person");
  return counts;
}

/** The production database's paths, which a benchmark file must never replace. */
function protectedPaths(): string[] {
  return [path.resolve(PROJECT_ROOT, "data", "kb.sqlite"), path.resolve("data", "kb.sqlite")];
}

const SIDE_FILES = ["-wal", "-shm", "-journal"];

function removeDatabaseFiles(file: string): void {
  for (const suffix of ["", ...SIDE_FILES]) fs.rmSync(file + suffix, { force: true });
}

/** The scratch database the worker builds the search index in, next to the output. */
function searchIndexFile(out: string): string {
  return `${out}-search`;
}

// --- Loading --------------------------------------------------------------------------------

/**
 * Buffers rows and inserts them many to a statement: one multi-row INSERT costs about as much as
 * a single-row one, so batching divides the per-statement overhead of better-sqlite3. Values are
 * written in place (`value`, then `endRow`), in the table's `COLUMNS` order.
 */
class BulkInsert {
  private readonly params: SqlValue[];
  private filled = 0;
  private readonly statements = new Map<number, BetterSqlite3.Statement>();
  private readonly columns: readonly string[];

  constructor(
    private readonly sqlite: BetterSqlite3.Database,
    private readonly table: TableName,
    private readonly rowsPerStatement = 64,
  ) {
    this.columns = COLUMNS[table];
    this.params = new Array<SqlValue>(this.columns.length * rowsPerStatement).fill(null);
  }

  value(value: SqlValue): void {
    this.params[this.filled++] = value;
  }

  endRow(): void {
    if (this.filled % this.columns.length !== 0) throw new Error(`a ${this.table} row needs ${this.columns.length} values`);
    if (this.filled === this.params.length) this.flush();
  }

  add(row: readonly SqlValue[]): void {
    for (const value of row) this.value(value);
    this.endRow();
  }

  flush(): void {
    const rows = this.filled / this.columns.length;
    if (rows === 0) return;
    this.statement(rows).run(rows === this.rowsPerStatement ? this.params : this.params.slice(0, this.filled));
    this.filled = 0;
  }

  private statement(rows: number): BetterSqlite3.Statement {
    let statement = this.statements.get(rows);
    if (!statement) {
      const placeholders = `(${this.columns.map(() => "?").join(", ")})`;
      statement = this.sqlite.prepare(
        `INSERT INTO "${this.table}" (${this.columns.map((c) => `"${c}"`).join(", ")}) VALUES ${Array(rows).fill(placeholders).join(", ")}`,
      );
      this.statements.set(rows, statement);
    }
    return statement;
  }
}

/** Articles per batch (and per transaction): about 25,000 rows at the default ratios. */
const ARTICLES_PER_BATCH = 1000;
/** Entity rows per transaction. */
const ENTITIES_PER_BATCH = 20_000;
/** Article batches the worker may run ahead of the inserts: enough that the main thread never waits. */
const BATCHES_AHEAD = 4;

/** `0`, the worker's "no id", back to NULL. */
const id = (n: number): number | null => (n === 0 ? null : n);

/** Inserts one batch of articles, their positions and their quotes, in one transaction. */
function insertArticles(sqlite: BetterSqlite3.Database, batch: ArticleBatch, inserts: { article: BulkInsert; position: BulkInsert; quote: BulkInsert }): void {
  const { article, position, quote } = inserts;
  const first = batch.firstArticleId;
  const articles = batch.body.length;
  const quotes = batch.quoteNumbers.length / QUOTE_NUMBERS;
  sqlite.transaction(() => {
    for (let i = 0; i < articles; i += 1) {
      const stamp = batch.stamp[i];
      article.value(first + i);
      article.value(batch.url[i]);
      article.value(batch.title[i]);
      article.value(batch.publisher[i]);
      article.value(batch.byline[i]);
      article.value(batch.publishedAt[i]);
      article.value(batch.body[i]);
      article.value("en");
      article.value(stamp);
      article.value(stamp);
      article.endRow();
    }
    article.flush();
    for (const row of batch.positions) position.add(row);
    position.flush();
    const q = batch.quoteNumbers;
    for (let i = 0; i < quotes; i += 1) {
      const at = i * QUOTE_NUMBERS;
      const index = q[at + 4] - first;
      const stamp = batch.stamp[index];
      quote.value(batch.firstQuoteId + i);
      // The quote's text is its evidence: the body between its offsets.
      quote.value(batch.body[index].slice(q[at + 5], q[at + 6]));
      quote.value(q[at] === 1 ? QuoteKind.DIRECT : QuoteKind.PARAPHRASE);
      quote.value(id(q[at + 1]));
      quote.value(id(q[at + 2]));
      quote.value(id(q[at + 3]));
      quote.value(q[at + 4]);
      quote.value(q[at + 5]);
      quote.value(q[at + 6]);
      quote.value(stamp);
      quote.value(stamp);
      quote.endRow();
    }
    quote.flush();
  })();
}

/**
 * The worker thread, as a queue of its messages. A failure in the worker (an exception, a crash,
 * an early exit) rejects the pending and every later `next()`.
 */
class Producer {
  private readonly worker: Worker;
  private readonly messages: ProducerMessage[] = [];
  private waiting: { resolve: (message: ProducerMessage) => void; reject: (error: Error) => void } | null = null;
  private failure: Error | null = null;

  constructor(data: ProducerData) {
    // Compiled, the worker is a .js file beside this one; under ts-node or jest, it is TypeScript.
    const file = path.join(__dirname, `worker${path.extname(__filename)}`);
    // Most of what the worker allocates is dead within a batch: a young generation large enough
    // to hold a few batches saves it most of its garbage collection.
    const options = { workerData: data, resourceLimits: { maxYoungGenerationSizeMb: 192 } };
    this.worker = file.endsWith(".ts")
      ? new Worker(`require(${JSON.stringify(require.resolve("ts-node"))}).register({ transpileOnly: true }); require(${JSON.stringify(file)});`, { ...options, eval: true })
      : new Worker(file, options);
    this.worker.on("message", (message: ProducerMessage) => {
      if (message.type === "error") {
        const error = new Error(`generator worker: ${message.message}`);
        if (message.stack) error.stack = message.stack;
        this.fail(error);
      } else if (this.waiting) {
        this.waiting.resolve(message);
        this.waiting = null;
      } else {
        this.messages.push(message);
      }
    });
    this.worker.on("error", (error) => this.fail(error));
    this.worker.on("exit", (code) => this.fail(new Error(`the generator's worker exited (code ${code}) before it finished`)));
  }

  next(): Promise<ProducerMessage> {
    const message = this.messages.shift();
    if (message) return Promise.resolve(message);
    if (this.failure) return Promise.reject(this.failure);
    return new Promise((resolve, reject) => {
      this.waiting = { resolve, reject };
    });
  }

  /** Waits for the next message, which must be of that type. */
  async expect<T extends ProducerMessage["type"]>(type: T): Promise<Extract<ProducerMessage, { type: T }>> {
    const message = await this.next();
    if (message.type !== type) throw new Error(`the generator's worker sent "${message.type}" where "${type}" was expected`);
    return message as Extract<ProducerMessage, { type: T }>;
  }

  async stop(): Promise<void> {
    this.failure ??= new Error("stopped");
    await this.worker.terminate();
  }

  private fail(error: Error): void {
    this.failure ??= error;
    if (this.waiting) {
      this.waiting.reject(this.failure);
      this.waiting = null;
    }
  }
}

/** What the migrations made that the load sets aside, to put back exactly as they wrote it. */
interface Schema {
  /** The search index's triggers on the generated tables: dropped for the load, then recreated. */
  searchTriggers: Array<{ name: string; sql: string }>;
  /** The FTS5 tables the search index statements create, whose content comes from the scratch file. */
  searchTables: string[];
  /** Secondary indexes of the generated tables: dropped for the load, then built once at the end. */
  indexes: Array<{ name: string; sql: string }>;
}

const quoteName = (name: string): string => `"${name.replace(/"/g, '""')}"`;

/** The names of `CREATE <kind> "name"` statements among `statements`. */
function createdNames(statements: readonly string[], kind: "TRIGGER" | "VIRTUAL TABLE"): Set<string> {
  const pattern = new RegExp(`^CREATE ${kind} "((?:[^"]|"")+)"`);
  return new Set(statements.map((sql) => pattern.exec(sql)?.[1]?.replace(/""/g, '"')).filter((name): name is string => name !== undefined));
}

function readSchema(sqlite: BetterSqlite3.Database, searchStatements: readonly string[]): Schema {
  const inTables = `tbl_name IN (${TABLES.map(() => "?").join(", ")})`;
  const searchTriggerNames = createdNames(searchStatements, "TRIGGER");
  const searchTriggers = (
    sqlite.prepare(`SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND ${inTables} ORDER BY rowid`).all(...TABLES) as Array<{ name: string; sql: string }>
  ).filter((t) => searchTriggerNames.has(t.name));
  // Indexes behind UNIQUE constraints have no SQL of their own: they stay, and check the
  // generated data as it goes in.
  const indexes = sqlite
    .prepare(`SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL AND ${inTables} ORDER BY rowid`)
    .all(...TABLES) as Array<{ name: string; sql: string }>;
  return { searchTriggers, searchTables: [...createdNames(searchStatements, "VIRTUAL TABLE")], indexes };
}

/**
 * Opens the migrated file for the bulk load with durability off: no journal, no fsync, one
 * connection holding the file, a large page cache. The file is new and is deleted if the run
 * fails, so a crash costs nothing; the end of `generate` puts back what the server expects.
 */
function openForLoad(file: string): BetterSqlite3.Database {
  const sqlite = new BetterSqlite3(file);
  // The generator only refers to rows it has already made, and checking every reference would
  // cost a tenth of the load (the tests check the generated files' keys with foreign_key_check).
  sqlite.pragma("foreign_keys = OFF");
  // better-sqlite3 runs SQLite in defensive mode, which refuses journal_mode = OFF.
  sqlite.unsafeMode(true);
  sqlite.pragma("journal_mode = OFF");
  sqlite.unsafeMode(false);
  sqlite.pragma("synchronous = OFF");
  sqlite.pragma("locking_mode = EXCLUSIVE");
  sqlite.pragma("cache_size = -1048576"); // 1 GiB, in KiB: the whole file stays in memory.
  // Not temp_store = MEMORY: with it, SQLite's sorter (CREATE INDEX) allocates every key on its
  // own and sorts one huge linked list, a third slower than with its default bulk buffers.
  sqlite.pragma("temp_store = FILE");
  return sqlite;
}

/**
 * Fills the (empty) FTS5 tables of the output with the scratch database's: their shadow tables
 * hold the whole index, and both files created them with the same statement, so row for row
 * copies make the same index the fill statements would have built here. SQLite copies the records
 * as they are (its "transfer optimization": no decoding, every b-tree filled in order). Shadow
 * tables are read-only in better-sqlite3's defensive mode, hence the unsafe mode around it.
 */
function copySearchIndex(sqlite: BetterSqlite3.Database, file: string, tables: readonly string[]): void {
  sqlite.unsafeMode(true);
  sqlite.prepare(`ATTACH DATABASE ? AS scratch`).run(file);
  try {
    sqlite.transaction(() => {
      for (const table of tables) {
        sqlite.exec(`DELETE FROM main.${quoteName(table)}`);
        sqlite.exec(`INSERT INTO main.${quoteName(table)} SELECT * FROM scratch.${quoteName(table)}`);
      }
    })();
  } finally {
    sqlite.exec("DETACH DATABASE scratch");
    sqlite.unsafeMode(false);
  }
}

/** The tables holding an FTS5 table's index and content (its `_config` keeps the output's own settings). */
function shadowTables(sqlite: BetterSqlite3.Database, searchTables: readonly string[]): string[] {
  const exists = sqlite.prepare(`SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?`).pluck();
  return searchTables.flatMap((table) => ["_data", "_idx", "_content", "_docsize"].map((suffix) => table + suffix)).filter((name) => exists.get(name));
}

/**
 * Generates a knowledge base into a new SQLite file. The file is built by the project's
 * migrations, filled with durability relaxed (a half-written file is deleted, never used), its
 * indexes built once at the end, then analyzed and switched back to WAL so it opens like any other
 * database.
 */
export async function generate(options: GenerateOptions): Promise<GenerateReport> {
  const started = process.hrtime.bigint();
  const counts = plannedCounts(options);
  const seed = options.seed ?? DEFAULT_SEED;
  if (!Number.isSafeInteger(seed)) throw new GenerateError(`the seed must be an integer, got ${seed}`);
  if (!options.out || options.out === ":memory:") throw new GenerateError("the output must be a file path");
  const out = path.resolve(options.out);
  if (protectedPaths().includes(out)) throw new GenerateError(`refusing to generate into the server's database ${out}`);
  if (fs.existsSync(out)) {
    if (fs.statSync(out).isDirectory()) throw new GenerateError(`${out} is a directory`);
    if (!options.force) throw new GenerateError(`${out} already exists (pass --force to replace it)`);
  }
  removeDatabaseFiles(out);
  fs.mkdirSync(path.dirname(out), { recursive: true });

  const totalRows = TABLES.reduce((sum, table) => sum + counts[table], 0);
  let rowsDone = 0;
  const progress = (phase: GenerateProgress["phase"], rows: number): void => {
    rowsDone += rows;
    options.onProgress?.({ phase, rowsDone, rowsTotal: totalRows });
  };

  const clock = process.hrtime.bigint;
  const since = (start: bigint): number => Number(clock() - start) / 1e9;
  let phaseStart = clock();
  const phases = { migrate: 0, load: 0, index: 0, analyze: 0 };
  const scratch = searchIndexFile(out);
  const searchStatements = createSearchIndexStatements();
  let producer: Producer | null = null;
  let db: Database | null = null;
  let sqlite: BetterSqlite3.Database | null = null;
  try {
    // The worker starts writing the world while the migrations run.
    const flow = new Int32Array(new SharedArrayBuffer(4));
    producer = new Producer({
      counts,
      seed,
      searchIndexFile: scratch,
      searchIndexStatements: searchStatements,
      articlesPerBatch: ARTICLES_PER_BATCH,
      entitiesPerMessage: ENTITIES_PER_BATCH,
      batchesAhead: BATCHES_AHEAD,
      flow,
    });
    db = await Database.open(out);
    const schema = readSchema(db.sqlite, searchStatements);
    await db.close();
    db = null;
    // The load runs on a connection of its own: TypeORM's has a statement logger, for which
    // better-sqlite3 expands every statement with its values (article bodies included).
    sqlite = openForLoad(out);
    phases.migrate = since(phaseStart);

    phaseStart = clock();
    for (const trigger of schema.searchTriggers) sqlite.exec(`DROP TRIGGER ${quoteName(trigger.name)}`);
    for (const index of schema.indexes) sqlite.exec(`DROP INDEX ${quoteName(index.name)}`);
    const triggers = sqlite
      .prepare(`SELECT name FROM sqlite_master WHERE type = 'trigger' AND tbl_name IN (${TABLES.map(() => "?").join(", ")}) ORDER BY name`)
      .pluck()
      .all(...TABLES) as string[];

    const inserts = { article: new BulkInsert(sqlite, "article"), position: new BulkInsert(sqlite, "position"), quote: new BulkInsert(sqlite, "quote") };
    const entityInserts = new Map<TableName, BulkInsert>();
    for (;;) {
      const message = await producer.next();
      if (message.type === "generated") break;
      if (message.type === "rows") {
        let insert = entityInserts.get(message.table);
        if (!insert) entityInserts.set(message.table, (insert = new BulkInsert(sqlite, message.table)));
        const entities = insert;
        sqlite.transaction(() => {
          for (const row of message.rows) entities.add(row);
          entities.flush();
        })();
        progress(message.table, message.rows.length);
      } else if (message.type === "articles") {
        const { batch } = message;
        insertArticles(sqlite, batch, inserts);
        Atomics.add(flow, 0, 1);
        Atomics.notify(flow, 0);
        progress("article", batch.body.length);
        progress("position", batch.positions.length);
        progress("quote", batch.quoteNumbers.length / QUOTE_NUMBERS);
      } else {
        throw new Error(`the generator's worker sent "${message.type}" before all the rows`);
      }
    }
    if (rowsDone !== totalRows) throw new Error(`the generator's worker sent ${rowsDone} of ${totalRows} rows`);
    phases.load = since(phaseStart);

    options.onProgress?.({ phase: "index", rowsDone, rowsTotal: totalRows });
    phaseStart = clock();
    // The secondary indexes, while the worker finishes the search index.
    for (const index of schema.indexes) sqlite.exec(index.sql);
    // ANALYZE table by table gives the same statistics as one ANALYZE of everything: the tables
    // that are complete now go first, in case the worker still has work to do on the search index.
    const searchShadows = shadowTables(sqlite, schema.searchTables);
    const tables = sqlite
      .prepare(`SELECT name FROM sqlite_master WHERE type = 'table' AND substr(name, 1, 7) <> 'sqlite_' AND sql NOT LIKE 'CREATE VIRTUAL TABLE%' ORDER BY rowid`)
      .pluck()
      .all() as string[];
    let analyzing = clock();
    for (const table of tables.filter((t) => !searchShadows.includes(t))) sqlite.exec(`ANALYZE ${quoteName(table)}`);
    phases.analyze = since(analyzing);
    await producer.expect("search-index");
    copySearchIndex(sqlite, scratch, searchShadows);
    removeDatabaseFiles(scratch);
    for (const trigger of schema.searchTriggers) sqlite.exec(trigger.sql);
    phases.index = since(phaseStart) - phases.analyze;

    options.onProgress?.({ phase: "analyze", rowsDone, rowsTotal: totalRows });
    analyzing = clock();
    for (const table of searchShadows) sqlite.exec(`ANALYZE ${quoteName(table)}`);
    // Back to what the server expects of the file: WAL mode, and no lock held.
    sqlite.pragma("locking_mode = NORMAL");
    sqlite.unsafeMode(true);
    const journal = sqlite.pragma("journal_mode = WAL", { simple: true });
    sqlite.unsafeMode(false);
    if (journal !== "wal") throw new Error(`could not switch ${out} back to WAL mode (got ${String(journal)})`);
    sqlite.close();
    sqlite = null;
    phases.analyze += since(analyzing);

    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    return {
      path: out,
      seed,
      counts,
      totalRows,
      seconds,
      rowsPerSecond: totalRows / seconds,
      fileBytes: fileSize(out),
      triggers,
      phases,
    };
  } catch (error) {
    // Clean up as far as possible, and report what went wrong, not what the cleanup hit.
    await producer?.stop().catch(() => undefined);
    try {
      sqlite?.close();
      await db?.close().catch(() => undefined);
      removeDatabaseFiles(out);
      removeDatabaseFiles(scratch);
    } catch {
      // The original error matters more.
    }
    throw error;
  } finally {
    await producer?.stop().catch(() => undefined);
  }
}

function fileSize(file: string): number {
  let bytes = 0;
  for (const suffix of ["", "-wal"]) {
    if (fs.existsSync(file + suffix)) bytes += fs.statSync(file + suffix).size;
  }
  return bytes;
}
