/**
 * Reader processes with read-only connections to the database file, for reads that can be
 * heavy: full-text ranking scores every match, and a filter on quote text reads a million rows.
 * Off the main process, such a read no longer stalls every other request, one read split into
 * parts (rowid ranges) runs on all cores at once, and a read that overruns its request's time
 * limit can be stopped: SQLite statements cannot be interrupted from JavaScript (better-sqlite3
 * has no `sqlite3_interrupt`), and a worker thread busy in native code cannot be terminated
 * either, but a process can be killed. A reader holds nothing but a read transaction, which
 * SQLite releases when the process dies, so killing one loses nothing.
 *
 * Each reader runs a fixed script (below, as source text, so it needs no build step and runs the
 * same under ts-jest and from `dist/`): it prepares the statements it is sent, caches them, and
 * answers with the rows or with the error's name, code and message. A reader runs one statement
 * at a time; the pool queues the rest, so that killing a reader stops only the statement that
 * overran.
 */
import { ChildProcess, spawn } from "node:child_process";
import { READER_FOLD, SqlValue } from "./dialect";
import { STATEMENT_CACHE_ENTRIES } from "./statement-cache";

export { STATEMENT_CACHE_ENTRIES };

/** The script a reader process runs (`node -e`), exported for tests that start one by hand. */
export const READER_SOURCE = `
// A statement runs synchronously, so "disconnect" cannot end a busy reader whose server died
// (killed, crashed, out of memory): a thread of its own watches the parent and ends the process.
const { Worker } = require("node:worker_threads");
new Worker("const parent = require('node:worker_threads').workerData; setInterval(() => { if (process.ppid !== parent) process.kill(process.pid, 'SIGKILL'); }, 500);", { eval: true, workerData: process.ppid });
const Sqlite = require(process.env.KB_READER_DRIVER);
const db = new Sqlite(process.env.KB_READER_PATH, { readonly: true, fileMustExist: true });
db.pragma("busy_timeout = 5000");
const fold = new Function("return (" + process.env.KB_READER_FOLD + ")")();
db.function(process.env.KB_READER_FOLD_NAME, { deterministic: true }, (text) => (typeof text === "string" ? fold(text) : text));
const statements = new Map();
process.on("message", ({ id, sql, params }) => {
  try {
    let statement = statements.get(sql);
    if (statement) statements.delete(sql);
    else statement = db.prepare(sql);
    // Least recently used first out: clients' filters make ever new statement texts.
    statements.set(sql, statement);
    if (statements.size > ${STATEMENT_CACHE_ENTRIES}) statements.delete(statements.keys().next().value);
    const rows = statement.all(...params);
    if (process.connected) process.send({ id, rows });
  } catch (error) {
    if (process.connected) process.send({ id, error: { name: error.name, code: error.code, message: error.message } });
  }
});
process.on("disconnect", () => process.exit(0));
`;

/** A SQL function the readers register, given as its name and its source text. */
export interface ReaderFunction {
  name: string;
  source: string;
}

/** Raised for a read stopped at its deadline, running (its reader killed) or still queued. */
export class ReadDeadlineError extends Error {
  constructor() {
    super("the read ran past its deadline and was stopped");
    this.name = "ReadDeadlineError";
  }
}

interface Job {
  sql: string;
  params: readonly SqlValue[];
  deadline: number | undefined;
  resolve(rows: unknown[]): void;
  reject(error: Error): void;
  timer?: NodeJS.Timeout;
  /** Whether the job was already given to another reader after its first one died. */
  retried?: boolean;
}

interface Reply {
  id: number;
  rows?: unknown[];
  error?: { name?: string; code?: string; message?: string };
}

/** One reader process and the statement it is running, if any. */
class Reader {
  private readonly child: ChildProcess;
  private running: { id: number; job: Job } | null = null;
  private nextId = 0;
  failed = false;

  constructor(
    databasePath: string,
    fold: ReaderFunction,
    private readonly onIdle: () => void,
    /** Takes back a job this reader could not start (it had died unnoticed), to run elsewhere. */
    private readonly requeue: (job: Job) => void,
  ) {
    this.child = spawn(process.execPath, ["-e", READER_SOURCE], {
      stdio: ["ignore", "inherit", "inherit", "ipc"],
      // BigInt parameters (FTS5 rowid bounds) survive only V8's structured serialization.
      serialization: "advanced",
      env: {
        PATH: process.env.PATH,
        KB_READER_DRIVER: require.resolve("better-sqlite3"),
        KB_READER_PATH: databasePath,
        KB_READER_FOLD: fold.source,
        KB_READER_FOLD_NAME: fold.name,
      },
    });
    this.idleRefs();
    this.child.on("message", (reply: Reply) => {
      const running = this.running;
      if (!running || running.id !== reply.id) return;
      this.finish();
      if (reply.error) {
        const error = new Error(reply.error.message ?? "read failed in a reader");
        error.name = reply.error.name ?? "Error";
        running.job.reject(reply.error.code === undefined ? error : Object.assign(error, { code: reply.error.code }));
      } else {
        running.job.resolve(reply.rows ?? []);
      }
      this.onIdle();
    });
    const fail = (error: Error): void => {
      if (this.failed) return;
      this.failed = true;
      const running = this.running;
      this.finish();
      // A reader that dies on its own (killed from outside, out of memory) may not even have
      // received its statement: that runs once more on another reader, and fails if it dies again.
      if (running && !running.job.retried) {
        running.job.retried = true;
        this.requeue(running.job);
      } else {
        running?.job.reject(error);
      }
      this.onIdle();
    };
    this.child.on("error", fail);
    this.child.on("exit", (code, signal) => fail(new Error(`a reader exited with ${signal ?? `code ${code}`}`)));
  }

  get busy(): boolean {
    return this.running !== null;
  }

  get pid(): number | undefined {
    return this.child.pid;
  }

  run(job: Job): void {
    const id = this.nextId++;
    this.running = { id, job };
    this.child.ref();
    (this.child.channel as { ref?: () => void } | undefined)?.ref?.();
    if (job.deadline !== undefined) {
      job.timer = setTimeout(() => this.stop(new ReadDeadlineError()), Math.max(0, job.deadline - Date.now()));
    }
    this.child.send({ id, sql: job.sql, params: job.params }, (error) => {
      if (!error || this.running?.id !== id) return;
      // The process was gone before the statement reached it (its exit not yet seen): the job
      // never started, so it goes back to the queue rather than failing.
      if (job.timer) clearTimeout(job.timer);
      this.running = null;
      this.failed = true;
      this.child.kill("SIGKILL");
      this.requeue(job);
    });
  }

  /** Kills the process, failing the statement it runs with `error`. */
  stop(error: Error): void {
    if (this.failed) return;
    this.failed = true;
    const running = this.running;
    this.finish();
    this.child.kill("SIGKILL");
    running?.job.reject(error);
    this.onIdle();
  }

  private finish(): void {
    if (this.running?.job.timer) clearTimeout(this.running.job.timer);
    this.running = null;
    if (!this.failed) this.idleRefs();
  }

  /** An idle reader must not keep a CLI or a test process alive. */
  private idleRefs(): void {
    this.child.unref();
    (this.child.channel as { unref?: () => void } | undefined)?.unref?.();
  }

  close(): Promise<void> {
    if (this.child.exitCode !== null || this.child.signalCode !== null) return Promise.resolve();
    const exited = new Promise<void>((resolve) => this.child.once("exit", () => resolve()));
    this.stop(new Error("the read pool was closed"));
    return exited;
  }
}

/** A fixed number of reader processes on one database file, started on first use. */
export class ReadPool {
  private readers: Reader[] = [];
  private readonly queue: Job[] = [];

  constructor(
    private readonly databasePath: string,
    /** How many readers, and so into how many parts a read is split. */
    readonly size: number,
    /** The folding function our SQL calls, registered on every reader. */
    private readonly fold: ReaderFunction = READER_FOLD,
  ) {}

  /**
   * Runs one read statement per parameter set (the parts of one read), each on its own reader
   * when enough are free, all at once. Past `deadline` (a `Date.now()` value) a part still
   * queued is dropped and a running one is stopped by killing its reader; the read then fails
   * with `ReadDeadlineError`, and a fresh reader takes the killed one's place.
   */
  async allParts<T>(sql: string, paramSets: readonly (readonly SqlValue[])[], deadline?: number): Promise<T[][]> {
    return Promise.all(paramSets.map((params) => this.enqueue<T>(sql, params, deadline)));
  }

  /**
   * How many readers have nothing to do right now (all of them before the first read). A read
   * split into more parts than this would only queue its parts behind other reads' parts.
   */
  get idle(): number {
    return Math.max(0, this.size - this.readers.filter((r) => !r.failed && r.busy).length - this.queue.length);
  }

  /** The process IDs of the live readers (for operators' tools and tests). */
  get pids(): number[] {
    return this.readers.filter((r) => !r.failed && r.pid !== undefined).map((r) => r.pid as number);
  }

  private enqueue<T>(sql: string, params: readonly SqlValue[], deadline: number | undefined): Promise<T[]> {
    return new Promise<T[]>((resolve, reject) => {
      const job: Job = { sql, params, deadline, resolve: resolve as (rows: unknown[]) => void, reject };
      if (deadline !== undefined) {
        // Dropped from the queue at its deadline; once running, its reader's timer takes over.
        job.timer = setTimeout(() => {
          const at = this.queue.indexOf(job);
          if (at >= 0) {
            this.queue.splice(at, 1);
            reject(new ReadDeadlineError());
          }
        }, Math.max(0, deadline - Date.now()));
      }
      this.queue.push(job);
      this.dispatch();
    });
  }

  private dispatch(): void {
    this.readers = this.readers.filter((r) => !r.failed);
    while (this.queue.length > 0) {
      let reader = this.readers.find((r) => !r.busy);
      if (!reader && this.readers.length < this.size) {
        reader = new Reader(
          this.databasePath,
          this.fold,
          () => this.dispatch(),
          (job) => {
            this.queue.unshift(job);
            this.dispatch();
          },
        );
        this.readers.push(reader);
      }
      if (!reader) return;
      const job = this.queue.shift() as Job;
      if (job.timer) clearTimeout(job.timer);
      if (job.deadline !== undefined && Date.now() >= job.deadline) job.reject(new ReadDeadlineError());
      else reader.run(job);
    }
  }

  /** Stops every reader; a later read starts new ones. */
  async close(): Promise<void> {
    const readers = this.readers;
    this.readers = [];
    for (const job of this.queue.splice(0)) {
      if (job.timer) clearTimeout(job.timer);
      job.reject(new Error("the read pool was closed"));
    }
    await Promise.all(readers.map((r) => r.close()));
  }
}
