/**
 * Worker threads with read-only connections to the database file, for reads heavy enough to
 * block the event loop: full-text ranking scores every match, and a common word matches a fifth
 * of all quotes. Off the main thread, such a read no longer stalls every other request, and one
 * read split into parts (rowid ranges) runs on all cores at once.
 *
 * Each worker runs a fixed script (below, as source text, so it needs no build step and runs the
 * same under ts-jest and from `dist/`): it prepares the statements it is sent, caches them, and
 * answers with the rows or with the error's name, code and message.
 */
import { Worker } from "node:worker_threads";
import type { SqlValue } from "./database";

const WORKER_SOURCE = `
const { parentPort, workerData } = require("node:worker_threads");
const Sqlite = require(workerData.driver);
const db = new Sqlite(workerData.path, { readonly: true, fileMustExist: true });
db.pragma("busy_timeout = 5000");
const statements = new Map();
parentPort.on("message", ({ id, sql, params }) => {
  try {
    let statement = statements.get(sql);
    if (!statement) {
      statement = db.prepare(sql);
      statements.set(sql, statement);
    }
    parentPort.postMessage({ id, rows: statement.all(...params) });
  } catch (error) {
    parentPort.postMessage({ id, error: { name: error.name, code: error.code, message: error.message } });
  }
});
`;

interface Pending {
  resolve(rows: unknown[]): void;
  reject(error: Error): void;
}

interface Reply {
  id: number;
  rows?: unknown[];
  error?: { name?: string; code?: string; message?: string };
}

/** One worker and the requests it has not answered yet. */
class ReadWorker {
  private readonly worker: Worker;
  private readonly pending = new Map<number, Pending>();
  private nextId = 0;
  failed = false;

  constructor(databasePath: string) {
    this.worker = new Worker(WORKER_SOURCE, {
      eval: true,
      workerData: { driver: require.resolve("better-sqlite3"), path: databasePath },
    });
    // An idle pool must not keep a CLI or a test process alive.
    this.worker.unref();
    this.worker.on("message", (reply: Reply) => {
      const waiting = this.pending.get(reply.id);
      if (!waiting) return;
      this.pending.delete(reply.id);
      if (reply.error) {
        const error = new Error(reply.error.message ?? "read failed in a worker");
        error.name = reply.error.name ?? "Error";
        waiting.reject(reply.error.code === undefined ? error : Object.assign(error, { code: reply.error.code }));
      } else {
        waiting.resolve(reply.rows ?? []);
      }
    });
    const fail = (error: Error): void => {
      this.failed = true;
      for (const waiting of this.pending.values()) waiting.reject(error);
      this.pending.clear();
    };
    this.worker.on("error", fail);
    this.worker.on("exit", (code) => fail(new Error(`a read worker exited with code ${code}`)));
  }

  get load(): number {
    return this.pending.size;
  }

  all<T>(sql: string, params: readonly SqlValue[]): Promise<T[]> {
    return new Promise<T[]>((resolve, reject) => {
      if (this.failed) {
        reject(new Error("a read worker has stopped"));
        return;
      }
      const id = this.nextId++;
      this.pending.set(id, { resolve: resolve as (rows: unknown[]) => void, reject });
      this.worker.ref();
      this.worker.postMessage({ id, sql, params });
    }).finally(() => {
      if (this.pending.size === 0) this.worker.unref();
    });
  }

  async terminate(): Promise<void> {
    this.failed = true;
    await this.worker.terminate();
  }
}

/** A fixed number of read workers on one database file, started on first use. */
export class ReadPool {
  private workers: ReadWorker[] = [];

  constructor(
    private readonly databasePath: string,
    /** How many workers, and so into how many parts a read is split. */
    readonly size: number,
  ) {}

  /** Runs one read statement per parameter set, each on its own worker, all at once. */
  async allParts<T>(sql: string, paramSets: readonly (readonly SqlValue[])[]): Promise<T[][]> {
    const workers = this.ready();
    // The least busy workers first, so two requests' parts interleave instead of queueing.
    const order = [...workers].sort((a, b) => a.load - b.load);
    return Promise.all(paramSets.map((params, i) => order[i % order.length].all<T>(sql, params)));
  }

  /**
   * How many workers have nothing to do right now (all of them before the first read). A read
   * split into more parts than this would only queue its parts behind other reads' parts.
   */
  get idle(): number {
    return this.size - this.workers.filter((w) => !w.failed && w.load > 0).length;
  }

  private ready(): ReadWorker[] {
    this.workers = this.workers.filter((w) => !w.failed);
    while (this.workers.length < this.size) this.workers.push(new ReadWorker(this.databasePath));
    return this.workers;
  }

  /** Stops every worker; a later read starts new ones. */
  async close(): Promise<void> {
    const workers = this.workers;
    this.workers = [];
    await Promise.all(workers.map((w) => w.terminate()));
  }
}
