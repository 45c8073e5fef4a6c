/**
 * The benchmark's memory step: sends many distinct small valid operations, each twice (so each
 * is compiled, see COMPILE_ON_RUN), to a freshly started server and reports its resident memory
 * before and after. Every cache the server keeps per operation is bounded, so the memory must
 * level off however many distinct operations arrive (before the bounds, 22,000 of them grew a
 * server from 110 MB to 3.8 GB). `npm run bench` runs it on the seed database; alone:
 * `node dist/bench/memory.js [--operations N] [--concurrency N]` (default 20,000 and 4).
 */
import { ChildProcess, fork } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { PROJECT_ROOT } from "../src/paths";

/** What one memory run measured; memory in MiB of the server process's resident set. */
export interface MemoryReport {
  operations: number;
  requests: number;
  errors: number;
  seconds: number;
  /** After start-up and one answered query. */
  rssBefore: number;
  /** Right after the last operation was answered. */
  rssAfter: number;
  /** After five idle seconds, when V8 has had a chance to give unused heap back. */
  rssIdle: number;
  /** The most the process ever held (Linux's VmHWM). */
  peak: number;
}

/**
 * The `i`th of a family of distinct, small, valid operations, the kind a client generating
 * queries sends: each has its own operation name and alias, so each is parsed, validated and
 * compiled on its own, and they vary in root field, page size and selection.
 */
export function distinctOperation(i: number): string {
  const n = 1 + (i % 7);
  const shapes = [
    `query M${i} { a${i}: countries(first: ${n}) { nodes { name alpha2 } } }`,
    `query M${i} { a${i}: people(first: ${n}) { totalCount nodes { name aliases country { name } } } }`,
    `query M${i} { a${i}: quotes(first: ${n}) { nodes { text kind speaker { name } } } }`,
    `query M${i} { a${i}: organizations(first: ${n}) { nodes { name kind parent { name } } } }`,
    `query M${i}($first: Int = ${n}) { a${i}: positions(first: $first) { nodes { title startDate person { name } } } }`,
    `query M${i} { a${i}: articles(first: 1) { nodes { title publisher } } b${i}: countries(first: ${n}) { totalCount } }`,
  ];
  return shapes[i % shapes.length];
}

/** A process's resident memory now (VmRSS) or at its highest (VmHWM), in MiB; NaN off Linux. */
export function residentMiB(pid: number, field: "VmRSS" | "VmHWM" = "VmRSS"): number {
  try {
    const status = fs.readFileSync(`/proc/${pid}/status`, "utf8");
    return Number(new RegExp(`${field}:\\s+(\\d+)`).exec(status)?.[1]) / 1024;
  } catch {
    return NaN;
  }
}

/** Posts one operation; null if it was answered without errors, else what went wrong. */
async function post(url: string, query: string): Promise<string | null> {
  try {
    const response = await fetch(url, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ query }) });
    const body = (await response.json()) as { errors?: unknown[] };
    return response.status === 200 && !body.errors ? null : `HTTP ${response.status}: ${JSON.stringify(body.errors).slice(0, 300)}`;
  } catch (error) {
    return String(error);
  }
}

/**
 * Sends `operations` distinct operations, each twice in a row, over `concurrency` connections to
 * the server at `url` (process `pid`), and measures its memory before, after and once idle. The
 * server must run without a rate budget (`RATE_LIMIT_POINTS=0`): 40,000 requests from one
 * address are far over it.
 */
export async function measureMemory(url: string, pid: number, options: { operations: number; concurrency: number }): Promise<MemoryReport> {
  const failed = await post(url, "{ __typename }");
  if (failed) throw new Error(`no answer from ${url}: ${failed}`);
  const rssBefore = residentMiB(pid);
  const started = process.hrtime.bigint();
  let next = 0;
  let errors = 0;
  const worker = async (): Promise<void> => {
    while (next < options.operations) {
      const query = distinctOperation(next);
      next += 1;
      for (let run = 0; run < 2; run++) {
        const error = await post(url, query);
        if (error && errors++ === 0) console.error(`memory: operation ${next - 1} failed: ${error}`);
      }
    }
  };
  await Promise.all(Array.from({ length: options.concurrency }, worker));
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  const rssAfter = residentMiB(pid);
  await new Promise((resolve) => setTimeout(resolve, 5000));
  return {
    operations: options.operations,
    requests: 2 * options.operations,
    errors,
    seconds,
    rssBefore,
    rssAfter,
    rssIdle: residentMiB(pid),
    peak: residentMiB(pid, "VmHWM"),
  };
}

/** One line for bench/RESULTS.md. */
export function memoryLine(report: MemoryReport): string {
  const mib = (value: number): string => `${value.toFixed(0)} MiB`;
  return (
    `- Memory: ${report.operations.toLocaleString("en")} distinct small operations, each sent twice (${report.requests.toLocaleString("en")} requests, ` +
    `${report.errors} errors, ${report.seconds.toFixed(0)} s): resident memory ${mib(report.rssBefore)} before, ${mib(report.rssAfter)} after, ` +
    `${mib(report.rssIdle)} after 5 s idle, peak ${mib(report.peak)} (goal: under 400 MiB after)`
  );
}

/** Starts `dist/src/index.js` in production mode on a new, seeded database, on `port`. */
async function startSeeded(port: number): Promise<{ child: ChildProcess; url: string }> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "kb-bench-memory-"));
  const child = fork(path.join(PROJECT_ROOT, "dist", "src", "index.js"), [], {
    env: { ...process.env, NODE_ENV: "production", LOG_LEVEL: "warn", PORT: String(port), HOST: "127.0.0.1", DATABASE_PATH: path.join(dir, "kb.sqlite"), EDITOR_TOKENS: "", RATE_LIMIT_POINTS: "0" },
    stdio: ["ignore", "ignore", "inherit", "ipc"],
  });
  const url = `http://127.0.0.1:${port}/graphql`;
  const deadline = Date.now() + 120_000;
  while ((await post(url, "{ __typename }")) !== null) {
    if (child.exitCode !== null || Date.now() > deadline) throw new Error("the server did not start");
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return { child, url };
}

async function main(): Promise<void> {
  const options = { operations: 20_000, concurrency: 4, port: 4105 };
  const argv = process.argv.slice(2);
  for (let i = 0; i < argv.length; i += 2) {
    if (argv[i] === "--operations") options.operations = Number(argv[i + 1]);
    else if (argv[i] === "--concurrency") options.concurrency = Number(argv[i + 1]);
    else if (argv[i] === "--port") options.port = Number(argv[i + 1]);
    else throw new Error(`unknown flag ${argv[i]}`);
  }
  const { child, url } = await startSeeded(options.port);
  try {
    console.log(memoryLine(await measureMemory(url, child.pid as number, options)));
  } finally {
    child.kill("SIGTERM");
  }
}

if (require.main === module) {
  main().catch((error: unknown) => {
    console.error(error);
    process.exit(1);
  });
}
