/**
 * The generator's producer thread. It writes the synthetic world and its articles (all of the
 * text generation) and hands the rows to the main thread in compact batches. On the side, in a
 * scratch database of its own, it builds the full-text index of those rows, which the main thread
 * copies into the output at the end: on two cores, the main thread spends the run inserting rows
 * and building indexes while this one keeps it supplied and builds the search index.
 *
 * Run as a worker by `generate()`, never directly.
 */
import fs from "node:fs";
import { parentPort, workerData } from "node:worker_threads";
import BetterSqlite3 from "better-sqlite3";
import type { TableCounts } from "./tables";
import { ArticleBatch, ArticleWriter, GENERATED_AT, newArticleBatch, World } from "./content";

/** What `generate()` passes to the worker. */
export interface ProducerData {
  counts: TableCounts;
  seed: number;
  /** Scratch database for the search index (created here, removed by the main thread). */
  searchIndexFile: string;
  /** `createSearchIndexStatements()`: the index's table and fill statements are run on stand-in tables. */
  searchIndexStatements: string[];
  /** Articles per batch. */
  articlesPerBatch: number;
  /** Entity rows per message. */
  entitiesPerMessage: number;
  /** Batches sent ahead of the main thread at most: bounds the memory held in messages. */
  batchesAhead: number;
  /** `[0]`: article batches the main thread has finished with (it adds one and notifies). */
  flow: Int32Array;
}

/** Entity rows in their table's column order (see `COLUMNS` in `tables.ts`). */
export type EntityRow = Array<string | number | null>;

export type ProducerMessage =
  | { type: "rows"; table: "country" | "organization" | "person"; rows: EntityRow[] }
  | { type: "articles"; batch: ArticleBatch }
  /** Every row has been sent; the search index is still being built. */
  | { type: "generated" }
  /** The search index is complete in its scratch database, which is closed. */
  | { type: "search-index" }
  | { type: "error"; message: string; stack?: string };

/** Rows per INSERT statement into the scratch database. */
const ROWS_PER_STATEMENT = 100;

/** The scratch database: a file of this thread's own, deleted if anything fails, so no journal and no fsync. */
class Scratch {
  readonly db: BetterSqlite3.Database;
  private readonly statements = new Map<string, BetterSqlite3.Statement>();

  constructor(file: string) {
    for (const suffix of ["", "-journal", "-wal", "-shm"]) fs.rmSync(file + suffix, { force: true });
    this.db = new BetterSqlite3(file);
    this.db.unsafeMode(true);
    this.db.pragma("journal_mode = OFF");
    this.db.unsafeMode(false);
    this.db.pragma("synchronous = OFF");
    this.db.pragma("locking_mode = EXCLUSIVE");
    this.db.pragma("cache_size = -262144");
    this.db.pragma("foreign_keys = OFF");
  }

  /**
   * Inserts rows in one transaction, many to a statement: `values(i, row)` writes the `i`th row's
   * values, in `columns` order, into `row`.
   */
  insert(table: string, columns: readonly string[], count: number, values: (i: number, row: unknown[]) => void): void {
    const width = columns.length;
    const row = new Array<unknown>(width);
    const params: unknown[] = [];
    this.db.transaction(() => {
      for (let i = 0; i < count; i += 1) {
        values(i, row);
        for (const value of row) params.push(value);
        if (params.length === width * ROWS_PER_STATEMENT) {
          this.statement(table, columns, ROWS_PER_STATEMENT).run(params);
          params.length = 0;
        }
      }
      if (params.length > 0) this.statement(table, columns, params.length / width).run(params);
    })();
  }

  close(): void {
    if (this.db.open) this.db.close();
  }

  private statement(table: string, columns: readonly string[], rows: number): BetterSqlite3.Statement {
    const key = `${table} ${rows}`;
    let statement = this.statements.get(key);
    if (!statement) {
      const values = `(${columns.map(() => "?").join(", ")})`;
      statement = this.db.prepare(`INSERT INTO "${table}" (${columns.map((c) => `"${c}"`).join(", ")}) VALUES ${Array(rows).fill(values).join(", ")}`);
      this.statements.set(key, statement);
    }
    return statement;
  }
}

/**
 * Stand-ins for the searchable tables in the search index's scratch database, with just the
 * columns the index's statements read. A column missing here makes those statements fail loudly
 * rather than index something else.
 */
const STAND_INS = {
  organization: ["id", "name", "aliases", "description"],
  person: ["id", "name", "aliases", "description"],
  article: ["id", "title", "body"],
  quote: ["id", "text"],
} as const;

type StandIn = keyof typeof STAND_INS;

/**
 * Builds the search index in its scratch database. The rows go into the stand-in tables as they
 * are generated, and at the end the index's own fill statements (`INSERT INTO search_index …
 * SELECT … FROM <table>`, as the migration runs them) index each table in one pass. Indexing as
 * the rows came, through the triggers or chunk by chunk, costs more: FTS5 writes its pending terms
 * out as a new segment at every statement that could be rolled back on its own (a trigger's, a
 * multi-row insert's), then spends its time merging segments. In one pass per table, with room for
 * the pending terms in memory (`hashsize`, 512 MiB; the vocabulary is small, so a million quotes
 * take about a hundred), each table becomes one segment and nothing is merged. The index's
 * triggers are not created here: the output keeps its own.
 */
class SearchIndexBuilder {
  private readonly scratch: Scratch;
  private readonly fills: string[] = [];

  constructor(file: string, statements: readonly string[]) {
    this.scratch = new Scratch(file);
    const db = this.scratch.db;
    for (const [table, columns] of Object.entries(STAND_INS)) {
      db.exec(`CREATE TABLE "${table}" (${columns.map((c) => (c === "id" ? `"id" INTEGER PRIMARY KEY` : `"${c}"`)).join(", ")})`);
    }
    for (const sql of statements) {
      if (/^CREATE VIRTUAL TABLE /.test(sql)) db.exec(sql);
      else if (/^INSERT INTO /.test(sql)) this.fills.push(sql);
      else if (!/^CREATE TRIGGER /.test(sql)) throw new Error(`unexpected search index statement: ${sql}`);
    }
    // These settings live in this file's config table only, which is not copied.
    const tables = db.prepare(`SELECT name FROM sqlite_master WHERE type = 'table' AND sql LIKE 'CREATE VIRTUAL TABLE%USING fts5%'`).pluck().all() as string[];
    for (const table of tables) {
      const t = `"${table.replace(/"/g, '""')}"`;
      db.exec(`INSERT INTO ${t} (${t}, rank) VALUES ('hashsize', ${2 ** 29})`);
      db.exec(`INSERT INTO ${t} (${t}, rank) VALUES ('automerge', 0)`);
    }
  }

  /** Stores `count` rows in a stand-in table (see `Scratch.insert`). */
  add(table: StandIn, count: number, values: (i: number, row: unknown[]) => void): void {
    this.scratch.insert(table, STAND_INS[table], count, values);
  }

  /** Indexes everything and closes the file. */
  finish(): void {
    for (const sql of this.fills) this.scratch.db.exec(sql);
    this.scratch.close();
  }

  close(): void {
    this.scratch.close();
  }
}

/** Produces everything, posting rows as they are ready; returns once the search index is complete. */
function produce(data: ProducerData, post: (message: ProducerMessage, transfer?: ArrayBuffer[]) => void): void {
  const { counts, seed, flow } = data;
  const search = new SearchIndexBuilder(data.searchIndexFile, data.searchIndexStatements);
  try {
    // Writes into the scratch database wait in this queue while there are rows to generate for
    // the main thread, and are done while it catches up.
    const searchWork: Array<() => void> = [];
    const step = (): boolean => {
      const next = searchWork.shift();
      next?.();
      return next !== undefined;
    };
    const send = (table: "country" | "organization" | "person", rows: EntityRow[]): void => {
      for (let first = 0; first < rows.length; first += data.entitiesPerMessage) {
        post({ type: "rows", table, rows: rows.slice(first, first + data.entitiesPerMessage) });
      }
    };
    const world = new World(counts, seed);
    send("country", world.countries.map((c) => [c.id, c.name, c.alpha2, c.alpha3, GENERATED_AT, GENERATED_AT]));
    world.makeOrganizations();
    send("organization", world.organizations.map((o) => [o.id, o.name, JSON.stringify(o.aliases), o.kind, o.description, o.countryId, o.parentId, GENERATED_AT, GENERATED_AT]));
    searchWork.push(() =>
      search.add("organization", world.organizations.length, (i, row) => {
        const o = world.organizations[i];
        row[0] = o.id;
        row[1] = o.name;
        row[2] = JSON.stringify(o.aliases);
        row[3] = o.description;
      }),
    );
    // People go out as they are made: the main thread inserts them meanwhile.
    world.makePeople((from, to) => {
      const people = world.people.slice(from, to).map((p) => [p.id, p.name, JSON.stringify(p.aliases), p.description, p.countryId, GENERATED_AT, GENERATED_AT]);
      send("person", people);
      searchWork.push(() =>
        search.add("person", people.length, (i, row) => {
          for (let c = 0; c < 4; c += 1) row[c] = people[i][c];
        }),
      );
    });

    const writer = new ArticleWriter(world, seed);
    const quotesPerArticle = writer.spread(counts.quote, counts.article);
    const positionsPerArticle = writer.spread(counts.position, counts.article);
    let sent = 0;
    for (let first = 0; first < counts.article; first += data.articlesPerBatch) {
      // Keep at most `batchesAhead` batches in flight; store queued rows while waiting.
      for (;;) {
        const done = Atomics.load(flow, 0);
        if (sent - done < data.batchesAhead) break;
        if (!step()) Atomics.wait(flow, 0, done);
      }
      const last = Math.min(counts.article, first + data.articlesPerBatch);
      let quotes = 0;
      for (let i = first; i < last; i += 1) quotes += quotesPerArticle[i];
      writer.startBatch(newArticleBatch(first + 1, writer.nextQuote, quotes));
      for (let i = first; i < last; i += 1) writer.write(i + 1, quotesPerArticle[i], positionsPerArticle[i]);
      const batch = writer.finishBatch();
      const texts = writer.quoteTexts;
      post({ type: "articles", batch }, [batch.quoteNumbers.buffer as ArrayBuffer]);
      sent += 1;
      searchWork.push(() =>
        search.add("quote", texts.length, (i, row) => {
          row[0] = batch.firstQuoteId + i;
          row[1] = texts[i];
        }),
      );
      searchWork.push(() =>
        search.add("article", batch.title.length, (i, row) => {
          row[0] = batch.firstArticleId + i;
          row[1] = batch.title[i];
          row[2] = batch.body[i];
        }),
      );
    }
    post({ type: "generated" });
    while (step());
    search.finish();
    post({ type: "search-index" });
  } finally {
    search.close();
  }
}

if (parentPort) {
  const port = parentPort;
  try {
    produce(workerData as ProducerData, (message, transfer) => port.postMessage(message, transfer));
  } catch (error) {
    const { message, stack } = error instanceof Error ? error : { message: String(error), stack: undefined };
    port.postMessage({ type: "error", message, stack } satisfies ProducerMessage);
  }
}
