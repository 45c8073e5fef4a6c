/**
 * Runs the real server (`src/index.ts`, exactly what `npm start` runs) as a child process, for the
 * tests that need a process to kill, signal or back up from outside: crash safety, graceful
 * shutdown, online backup.
 *
 * The child runs JavaScript transpiled from the current sources into a cache keyed by their
 * content (`node_modules/.cache/news-kb-child/<hash>`), not `dist/` and not ts-node:
 * - ts-node transpiles every module again in every child, 5 to 9 s per start on this 2-core
 *   machine, and the crash test alone starts the server four times;
 * - `dist/` may be stale, `tsc -p tsconfig.build.json` takes about 20 s and fails on any type
 *   error in a file someone is editing, and jest workers building it at once would race.
 * Transpiling once per source change (one `transpileModule` per file, as ts-node and ts-jest do,
 * so the same emit the rest of the suite runs) takes about 3 s; a started child is serving in
 * 1 to 2 s. Type checking stays with `tsc --noEmit`.
 *
 * Also here, for the same tests: a bounded stream of createPerson mutations that records which
 * writes were acknowledged (`startWriting`), and a read-only look at a database file
 * (`inspectDatabase`).
 */
import { ChildProcess, spawn } from "node:child_process";
import crypto from "node:crypto";
import fs from "node:fs";
import http from "node:http";
import net from "node:net";
import path from "node:path";
import BetterSqlite3 from "better-sqlite3";
import ts from "typescript";
import { PROJECT_ROOT } from "../src/paths";

const CACHE_DIR = path.join(PROJECT_ROOT, "node_modules", ".cache", "news-kb-child");
/** Cached builds unused for this long belong to older sources and are removed. */
const CACHE_MAX_AGE_MS = 60 * 60 * 1000;

function sourceFiles(dir: string): string[] {
  const files: string[] = [];
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) files.push(...sourceFiles(full));
    else if (entry.name.endsWith(".ts") && !entry.name.endsWith(".d.ts")) files.push(full);
  }
  return files.sort();
}

function compilerOptions(): ts.CompilerOptions {
  const configFile = path.join(PROJECT_ROOT, "tsconfig.build.json");
  const parsed = ts.getParsedCommandLineOfConfigFile(configFile, {}, {
    ...ts.sys,
    onUnRecoverableConfigFileDiagnostic: (diagnostic) => {
      throw new Error(ts.flattenDiagnosticMessageText(diagnostic.messageText, "\n"));
    },
  });
  if (!parsed) throw new Error(`cannot read ${configFile}`);
  // Inline source maps and --enable-source-maps make a child's stack traces point at the .ts files.
  return { ...parsed.options, noEmit: false, sourceMap: false, inlineSourceMap: true, inlineSources: false, declaration: false };
}

function removeStaleBuilds(keep: string): void {
  for (const entry of fs.readdirSync(CACHE_DIR)) {
    const full = path.join(CACHE_DIR, entry);
    if (full === keep) continue;
    try {
      if (Date.now() - fs.statSync(full).mtimeMs > CACHE_MAX_AGE_MS) fs.rmSync(full, { recursive: true, force: true });
    } catch {
      // Another jest worker removed it first.
    }
  }
}

let built: string | undefined;

/**
 * The directory holding `src/**\/*.js` transpiled from the current sources; builds it unless a
 * build of exactly these sources is cached. Safe when several jest workers call it at once: each
 * writes its own temporary directory and renames it into place, and the loser of a race keeps
 * the winner's identical build.
 */
export function transpiledProject(): string {
  if (built && fs.existsSync(path.join(built, ".complete"))) return built;
  const options = compilerOptions();
  const files = sourceFiles(path.join(PROJECT_ROOT, "src"));
  const contents = files.map((file) => fs.readFileSync(file, "utf8"));
  const hash = crypto.createHash("sha256").update(ts.version).update(JSON.stringify(options));
  files.forEach((file, i) => hash.update(path.relative(PROJECT_ROOT, file)).update("\0").update(contents[i]).update("\0"));
  const target = path.join(CACHE_DIR, hash.digest("hex").slice(0, 20));
  if (fs.existsSync(path.join(target, ".complete"))) {
    // Marks the build as in use, so that pruning by age spares it.
    const now = new Date();
    fs.utimesSync(target, now, now);
  } else {
    fs.mkdirSync(CACHE_DIR, { recursive: true });
    const temporary = `${target}.tmp-${process.pid}-${crypto.randomBytes(4).toString("hex")}`;
    try {
      files.forEach((file, i) => {
        const relative = path.relative(PROJECT_ROOT, file);
        const output = ts.transpileModule(contents[i], { compilerOptions: options, fileName: file });
        const outFile = path.join(temporary, relative.replace(/\.ts$/, ".js"));
        fs.mkdirSync(path.dirname(outFile), { recursive: true });
        fs.writeFileSync(outFile, output.outputText);
      });
      fs.writeFileSync(path.join(temporary, ".complete"), new Date().toISOString());
      fs.renameSync(temporary, target);
    } catch (error) {
      fs.rmSync(temporary, { recursive: true, force: true });
      if (!fs.existsSync(path.join(target, ".complete"))) throw error;
    }
    removeStaleBuilds(target);
  }
  built = target;
  return target;
}

/** How a child process ended. */
export interface ChildExit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

/** A server running in a child process. */
export interface ChildServer {
  readonly child: ChildProcess;
  /** The GraphQL endpoint, e.g. `http://127.0.0.1:41234/graphql`. */
  readonly url: string;
  readonly port: number;
  /** Resolves when the process has exited, however it ended. */
  readonly exited: Promise<ChildExit>;
  /** Every log line (JSON, from stdout) the child wrote so far, parsed where it parses. */
  logs(): Array<Record<string, unknown>>;
  /** Everything the child wrote to stdout and stderr, for failure messages. */
  output(): string;
  /**
   * Sends `signal` and waits for the exit; if the process is still alive after `timeoutMs` it is
   * SIGKILLed and this rejects (a shutdown that hangs is a failure, whatever it hangs on).
   */
  stop(signal?: NodeJS.Signals, timeoutMs?: number): Promise<ChildExit>;
}

const running = new Set<ChildProcess>();

/** SIGKILLs every child this module started that is still running (for `afterAll`, after failures). */
export async function killChildServers(): Promise<void> {
  await Promise.all(
    [...running].map(
      (child) =>
        new Promise<void>((resolve) => {
          child.once("exit", () => resolve());
          if (!child.kill("SIGKILL")) resolve();
        }),
    ),
  );
}

/** Resolves with what `promise` gives, or with `fallback` if `ms` pass first. */
export function within<T, F>(promise: Promise<T>, ms: number, fallback: F): Promise<T | F> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<F>((resolve) => (timer = setTimeout(() => resolve(fallback), ms)));
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/**
 * Spawns `src/index.ts` on a database file with an environment built from scratch: the child
 * runs as in production on a kernel-chosen port of the loopback interface.
 */
function spawnServer(databasePath: string, env: Record<string, string>): ChildProcess {
  const entry = path.join(transpiledProject(), "src", "index.js");
  return spawn(process.execPath, ["--enable-source-maps", entry], {
    cwd: PROJECT_ROOT,
    env: {
      PATH: process.env.PATH ?? "",
      NODE_ENV: "production",
      LOG_LEVEL: "info",
      HOST: "127.0.0.1",
      PORT: "0",
      DATABASE_PATH: databasePath,
      ...env,
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
}

/**
 * Starts `src/index.ts` in a child process on a database file and resolves once it serves.
 * The environment is built from scratch (no inherited NODE_ENV=test: the child runs as in
 * production, Apollo's own signal handling included); `PORT=0` lets the kernel pick a free port,
 * which the child reports in its "serving GraphQL" log line.
 */
export async function startChildServer(options: {
  databasePath: string;
  env?: Record<string, string>;
  startTimeoutMs?: number;
}): Promise<ChildServer> {
  const child = spawnServer(options.databasePath, {
    // Production's rate budget (5,000 points an hour per client) would refuse the write loads
    // these tests send from one address; a test of the budget itself sets its own.
    RATE_LIMIT_POINTS: "0",
    ...options.env,
  });
  running.add(child);
  const exited = new Promise<ChildExit>((resolve) => {
    child.once("exit", (code, signal) => {
      running.delete(child);
      resolve({ code, signal });
    });
  });

  const lines: Array<Record<string, unknown>> = [];
  let output = "";
  let partial = "";
  let onLine: (line: Record<string, unknown>) => void = () => undefined;
  child.stdout?.setEncoding("utf8").on("data", (chunk: string) => {
    output += chunk;
    const parts = (partial + chunk).split("\n");
    partial = parts.pop() ?? "";
    for (const text of parts) {
      let line: Record<string, unknown>;
      try {
        line = JSON.parse(text) as Record<string, unknown>;
      } catch {
        line = { msg: text };
      }
      lines.push(line);
      onLine(line);
    }
  });
  child.stderr?.setEncoding("utf8").on("data", (chunk: string) => (output += chunk));

  const timeoutMs = options.startTimeoutMs ?? 20_000;
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill("SIGKILL");
      reject(new Error(`the server did not start within ${timeoutMs} ms:\n${output}`));
    }, timeoutMs);
    onLine = (line) => {
      if (typeof line.url !== "string") return;
      clearTimeout(timer);
      resolve(line.url);
    };
    void exited.then((exit) => {
      clearTimeout(timer);
      reject(new Error(`the server exited (${JSON.stringify(exit)}) before serving:\n${output}`));
    });
  });
  onLine = () => undefined;

  return {
    child,
    url,
    port: Number(new URL(url).port),
    exited,
    logs: () => [...lines],
    output: () => output,
    stop: async (signal: NodeJS.Signals = "SIGTERM", stopTimeoutMs = 15_000): Promise<ChildExit> => {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      const exit = await within(exited, stopTimeoutMs, null);
      if (exit) return exit;
      child.kill("SIGKILL");
      await exited;
      throw new Error(`the server did not exit within ${stopTimeoutMs} ms of ${signal}:\n${output}`);
    },
  };
}

/** The outcome of one mutation sent over HTTP: acknowledged, refused, or lost with the connection. */
export type SendResult =
  | { kind: "acknowledged"; data: Record<string, unknown> }
  | { kind: "answered"; status: number; body: string }
  | { kind: "connection-error"; message: string };

/**
 * Posts a GraphQL operation. A write counts as acknowledged only for a complete HTTP 200 JSON
 * answer with data and no errors; anything else the server answered is `answered`, and a request
 * that never got an answer (refused, reset, cut off mid-response) is a `connection-error`.
 */
export async function send(
  url: string,
  query: string,
  variables: Record<string, unknown>,
  token?: string,
): Promise<SendResult> {
  let response: Response;
  let body: string;
  try {
    response = await fetch(url, {
      method: "POST",
      headers: { "content-type": "application/json", ...(token ? { authorization: `Bearer ${token}` } : {}) },
      body: JSON.stringify({ query, variables }),
    });
    body = await response.text();
  } catch (error) {
    return { kind: "connection-error", message: String((error as { cause?: unknown }).cause ?? error) };
  }
  if (response.status === 200) {
    try {
      const json = JSON.parse(body) as { data?: Record<string, unknown> | null; errors?: unknown[] };
      if (json.data && !json.errors) return { kind: "acknowledged", data: json.data };
    } catch {
      // Not JSON: reported as answered below.
    }
  }
  return { kind: "answered", status: response.status, body };
}

/** Resolves true once a new TCP connection to the port is refused, false if it never was. */
export async function refusesConnections(port: number, attempts = 100, intervalMs = 20): Promise<boolean> {
  for (let i = 0; i < attempts; i += 1) {
    const refused = await new Promise<boolean>((resolve) => {
      const socket = net.connect({ host: "127.0.0.1", port });
      socket.once("connect", () => {
        socket.destroy();
        resolve(false);
      });
      socket.once("error", (error: NodeJS.ErrnoException) => resolve(error.code === "ECONNREFUSED"));
    });
    if (refused) return true;
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
  return false;
}

/** A complete HTTP answer read by `holdRequest`. */
export interface HttpAnswer {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: string;
}

/** A request whose body is only partly sent: the server has it in flight until `finish()`. */
export interface HeldRequest {
  /** Sends the rest of the body; resolves with the complete answer. */
  finish(): Promise<HttpAnswer>;
  /** Whether any answer (or error) came back before `finish()`. */
  settled(): boolean;
}

/**
 * Opens a new connection (no keep-alive pool), sends the headers and the first half of a GraphQL
 * POST body, and resolves once the connection is up and that much is written. The server is
 * then reading the request and will not answer before `finish()` sends the rest.
 */
export async function holdRequest(url: string, payload: unknown, token?: string): Promise<HeldRequest> {
  const body = Buffer.from(JSON.stringify(payload));
  const half = Math.floor(body.length / 2);
  let settled = false;
  const request = http.request(url, {
    method: "POST",
    agent: false,
    headers: {
      "content-type": "application/json",
      "content-length": String(body.length),
      ...(token ? { authorization: `Bearer ${token}` } : {}),
    },
  });
  const answer = new Promise<HttpAnswer>((resolve, reject) => {
    request.once("response", (response) => {
      let text = "";
      response.setEncoding("utf8");
      response.on("data", (chunk: string) => (text += chunk));
      response.once("end", () => resolve({ status: response.statusCode ?? 0, headers: response.headers, body: text }));
      response.once("error", reject);
    });
    request.once("error", reject);
  }).finally(() => (settled = true));
  // Keeps an early failure from being an unhandled rejection; `finish()` still reports it.
  answer.catch(() => undefined);
  await new Promise<void>((resolve, reject) => {
    request.once("error", reject);
    request.write(body.subarray(0, half), (error) => (error ? reject(error) : resolve()));
  });
  return {
    finish: () => {
      request.end(body.subarray(half));
      return answer;
    },
    settled: () => settled,
  };
}

/** The createPerson mutation the write streams send. */
export const CREATE_PERSON = `mutation($input: CreatePersonInput!) { createPerson(input: $input) { person { id name } } }`;

/** A stream of createPerson mutations with unique names, and what became of each. */
export interface WriteLoad {
  /** Names in the order they were sent. */
  readonly sent: string[];
  /** Names in the order their creation was acknowledged. */
  readonly acknowledged: string[];
  /** Answers that were not acknowledgements (none are expected while the server lives). */
  readonly refused: Array<{ name: string; result: SendResult }>;
  /** Requests that got no answer at all (the server died or went away). */
  readonly lost: string[];
  /** Requests sent and not yet answered or failed. */
  inFlight(): number;
  /** Resolves true once `count` writes are acknowledged; false if the load ends or `timeoutMs` passes first. */
  waitForAcknowledged(count: number, timeoutMs: number): Promise<boolean>;
  /** Stops sending and resolves once every request has an outcome. */
  stop(): Promise<void>;
}

/**
 * Starts sending createPerson mutations as `token`: `sequential` streams that each wait for an
 * answer before sending the next, plus one stream sending `burst` at a time in parallel. A
 * stream ends at its first write not acknowledged (the server is gone, or refused it: a failure
 * the test then reports at once), when stopped, or after `maxPerStream` requests, so the load is
 * bounded even if nobody stops it.
 */
export function startWriting(
  url: string,
  token: string,
  prefix: string,
  options: { sequential?: number; burst?: number; maxPerStream?: number } = {},
): WriteLoad {
  const { sequential = 2, burst = 4, maxPerStream = 2000 } = options;
  const sent: string[] = [];
  const acknowledged: string[] = [];
  const refused: Array<{ name: string; result: SendResult }> = [];
  const lost: string[] = [];
  let inFlight = 0;
  let stopped = false;
  let waiters: Array<() => void> = [];
  const notify = (): void => {
    const current = waiters;
    waiters = [];
    for (const wake of current) wake();
  };

  /** Sends one write; resolves false unless it was acknowledged (the stream should then end). */
  const write = async (name: string): Promise<boolean> => {
    sent.push(name);
    inFlight += 1;
    const result = await send(url, CREATE_PERSON, { input: { name } }, token);
    inFlight -= 1;
    if (result.kind === "acknowledged") {
      const person = (result.data.createPerson as { person?: { name?: string } } | null)?.person;
      if (person?.name === name) acknowledged.push(name);
      else refused.push({ name, result });
    } else if (result.kind === "answered") {
      refused.push({ name, result });
    } else {
      lost.push(name);
    }
    notify();
    return result.kind === "acknowledged";
  };

  const streams: Array<Promise<void>> = [];
  for (let s = 0; s < sequential; s += 1) {
    streams.push(
      (async () => {
        for (let i = 0; i < maxPerStream && !stopped; i += 1) {
          if (!(await write(`${prefix} s${s} ${i}`))) return;
        }
      })(),
    );
  }
  if (burst > 0) {
    streams.push(
      (async () => {
        for (let i = 0; i < maxPerStream && !stopped; i += burst) {
          const names = Array.from({ length: burst }, (_, j) => `${prefix} b ${i + j}`);
          const alive = await Promise.all(names.map(write));
          if (alive.includes(false)) return;
        }
      })(),
    );
  }
  const done = Promise.all(streams).then(() => {
    stopped = true;
    notify();
  });

  return {
    sent,
    acknowledged,
    refused,
    lost,
    inFlight: () => inFlight,
    waitForAcknowledged: async (count, timeoutMs) => {
      const deadline = Date.now() + timeoutMs;
      while (acknowledged.length < count) {
        if (stopped || Date.now() >= deadline) return false;
        await within(new Promise<void>((resolve) => waiters.push(resolve)), deadline - Date.now(), undefined);
      }
      return true;
    },
    stop: async () => {
      stopped = true;
      await done;
    },
  };
}

/** What a database file holds of the people a test created, read with its own connection. */
export interface DatabaseState {
  /** `PRAGMA integrity_check`: "ok" or the first problem found. */
  integrity: string;
  /** Every person whose name starts with the prefix, by name, with its number of CREATE edits. */
  people: Map<string, { id: number; creates: number }>;
  /** CREATE edits of people by `editor` whose person does not exist (half of a mutation). */
  orphanCreates: number;
}

/**
 * Opens `file` read-only (next to a running server if there is one: WAL readers see the last
 * committed state) and reads the people named `prefix…` and their edit-log entries.
 */
export function inspectDatabase(file: string, prefix: string, editor: string): DatabaseState {
  const sqlite = new BetterSqlite3(file, { readonly: true, fileMustExist: true });
  try {
    const integrity = String(sqlite.pragma("integrity_check", { simple: true }));
    const rows = sqlite
      .prepare(
        `SELECT p.id, p.name,
           (SELECT COUNT(*) FROM edit e WHERE e.entityType = 'Person' AND e.action = 'CREATE' AND e.entityId = p.id) AS creates
         FROM person p WHERE substr(p.name, 1, ?) = ?`,
      )
      .all(prefix.length, prefix) as Array<{ id: number; name: string; creates: number }>;
    const { orphans } = sqlite
      .prepare(
        `SELECT COUNT(*) AS orphans FROM edit e
         WHERE e.editor = ? AND e.entityType = 'Person' AND e.action = 'CREATE'
           AND NOT EXISTS (SELECT 1 FROM person p WHERE p.id = e.entityId)`,
      )
      .get(editor) as { orphans: number };
    return { integrity, people: new Map(rows.map((r) => [r.name, { id: r.id, creates: r.creates }])), orphanCreates: orphans };
  } finally {
    sqlite.close();
  }
}

/** The size of a database's WAL file, 0 when there is none. */
export function walSize(file: string): number {
  return fs.existsSync(`${file}-wal`) ? fs.statSync(`${file}-wal`).size : 0;
}

/** What a child server that was expected to refuse to start did: how it ended and all it wrote. */
export interface RefusedStart {
  exit: ChildExit;
  stdout: string;
  stderr: string;
}

/**
 * Starts `src/index.ts` exactly as `startChildServer` does, for a start-up expected to fail, and
 * resolves with its exit and everything it wrote once it has exited. Rejects (after a SIGKILL)
 * if it is still running after `timeoutMs`: a server that starts where it should refuse is a
 * failure the test reports with the output.
 */
export async function runRefusedStart(options: { databasePath: string; env?: Record<string, string>; timeoutMs?: number }): Promise<RefusedStart> {
  const child = spawnServer(options.databasePath, options.env ?? {});
  running.add(child);
  let stdout = "";
  let stderr = "";
  child.stdout?.setEncoding("utf8").on("data", (chunk: string) => (stdout += chunk));
  child.stderr?.setEncoding("utf8").on("data", (chunk: string) => (stderr += chunk));
  const exited = new Promise<ChildExit>((resolve) => {
    // "close" rather than "exit": it comes once the output streams are read to their end.
    child.once("close", (code, signal) => {
      running.delete(child);
      resolve({ code, signal });
    });
  });
  const exit = await within(exited, options.timeoutMs ?? 20_000, null);
  if (exit) return { exit, stdout, stderr };
  child.kill("SIGKILL");
  await exited;
  throw new Error(`the server was still running ${options.timeoutMs ?? 20_000} ms after it started:\n${stdout}${stderr}`);
}
