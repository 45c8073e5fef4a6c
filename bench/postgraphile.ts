/**
 * The side-by-side with PostGraphile of issue 17 ("How it is measured"): PostGraphile 4 serving a
 * PostgreSQL copy of a generated knowledge base, answering the closest equivalent of Q2
 * (countries → people → positions and quotes, 20 × 20), measured with autocannon next to our
 * server's Q2 on the SQLite file it was copied from (labelled so). The comparison on the same
 * PostgreSQL database, our server started with DATABASE_URL, is part of `npm run bench -- --db
 * postgres` (bench/postgres.ts), which shares this script's copy and PostGraphile (bench/pg.ts).
 *
 *   npm run build && node dist/bench/postgraphile.js [--quotes 100000] [--duration 4]
 *
 * Steps: generates bench/kb-q<N>-s<seed>.sqlite if missing (as `npm run bench` does); copies it
 * with copy-db into the PostgreSQL database kb_bench_q<N>_s<seed> on the server of --url (the
 * local one of scripts/pg-local.sh by default), unless every table there already has the file's
 * count; starts bench/postgraphile/server.js (its own npm project: `npm ci --prefix
 * bench/postgraphile`) and our server; checks that PostGraphile and our server both answer Q2
 * with exactly what plain SQL over the SQLite file gives; then measures each target at
 * --connections (10) and at 1 connection, in turns, and prints a Markdown table.
 */
import "reflect-metadata";
import { execFileSync } from "node:child_process";
import { isDeepStrictEqual } from "node:util";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import autocannon from "autocannon";
import { Client } from "pg";
import { PROJECT_ROOT } from "../src/paths";
import { generate } from "../tools/generate/generate";
import { startServer, Started, stop, tableCounts } from "./processes";
import {
  benchDatabaseName,
  Country,
  describeQ2 as describe,
  ensurePostgresCopy,
  fromOurs,
  fromPostGraphile,
  fromSqlite,
  Json,
  POSTGRAPHILE_Q2_CONNECTIONS,
  POSTGRAPHILE_Q2_LISTS,
  postGraphileStatements,
  startPostGraphile,
} from "./pg";
import { Q2 } from "./queries";

interface Options {
  quotes: number;
  seed: number;
  /** Seconds of load per target at --connections; the single-connection run takes half. */
  duration: number;
  connections: number;
  /** A PostgreSQL URL whose role may create databases; the copy goes into a database of its own. */
  url: string;
  /** Copy again even if the marker says the database holds this copy. */
  recopy: boolean;
}

const USAGE = `Usage: node dist/bench/postgraphile.js [options]   (after npm run build)
  --quotes N        quotes in the generated database (default 100000: bench/kb-q<N>-s<seed>.sqlite)
  --seed N          generator seed (default 42)
  --duration S      seconds of load per target at --connections (default 4; 1 connection: half)
  --connections N   concurrent connections under load (default 10)
  --url URL         PostgreSQL server and role (default: scripts/pg-local.sh url); the copy goes
                    into the database kb_bench_q<N>_s<seed> there, made by this script
  --recopy          copy again even if that database already holds this copy
  --help`;

function parseArgs(argv: string[]): Options {
  const options: Options = { quotes: 100_000, seed: 42, duration: 4, connections: 10, url: "", recopy: false };
  for (let i = 0; i < argv.length; i += 1) {
    const [flag, value] = [argv[i], argv[i + 1]];
    if (flag === "--help" || flag === "-h") {
      console.log(USAGE);
      process.exit(0);
    } else if (flag === "--recopy") {
      options.recopy = true;
      continue;
    } else if (flag === "--quotes") options.quotes = Number(value);
    else if (flag === "--seed") options.seed = Number(value);
    else if (flag === "--duration") options.duration = Number(value);
    else if (flag === "--connections") options.connections = Number(value);
    else if (flag === "--url") options.url = value;
    else throw new Error(`unknown flag ${flag}\n${USAGE}`);
    i += 1;
  }
  if (!options.url) options.url = execFileSync(path.join(PROJECT_ROOT, "scripts", "pg-local.sh"), ["start"], { encoding: "utf8" }).trim();
  return options;
}

async function post(url: string, query: string): Promise<{ data: Json; statements: string | null }> {
  const response = await fetch(url, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ query }) });
  const text = await response.text();
  const parsed = JSON.parse(text) as { data?: Json; errors?: unknown[] };
  if (response.status !== 200 || parsed.errors || !parsed.data) throw new Error(`${url} failed (${response.status}): ${text.slice(0, 500)}`);
  return { data: parsed.data, statements: response.headers.get("x-sql-statements") };
}

interface Target {
  name: string;
  url: string;
  query: string;
  pid: number | undefined;
  /** Statements of one request: from our server's header, or PostGraphile's counter around one request. */
  statementsOf(): Promise<string>;
  /** For PostGraphile: statements over the whole load divided by its requests. */
  counter?: () => Promise<number>;
}

interface Measured {
  target: Target;
  rps: number;
  p50: number;
  p99: number;
  aloneRps: number;
  aloneP50: number;
  aloneP99: number;
  statements: string;
  /** Statements counted over every loaded request, per request (PostGraphile only). */
  statementsUnderLoad: number | null;
  peakMiB: number | null;
  errors: number;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

function peakMemoryMiB(pid: number | undefined): number | null {
  try {
    const kb = Number(/VmHWM:\s+(\d+)/.exec(fs.readFileSync(`/proc/${pid}/status`, "utf8"))?.[1]);
    return Number.isFinite(kb) ? kb / 1024 : null;
  } catch {
    return null;
  }
}

/**
 * Every target in turns (two turns at --connections, then two at one connection), as bench/run.ts
 * does: on a shared machine the speed available drifts, and turns compare like with like.
 */
async function measure(targets: Target[], options: Options): Promise<Measured[]> {
  const load = async (t: Target, connections: number, duration: number): Promise<autocannon.Result> => {
    const result = await autocannon({ url: t.url, method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ query: t.query }), connections, duration });
    await post(t.url, t.query); // answered after the requests still in flight: the next turn starts idle
    return result;
  };
  const statements = new Map<Target, string>();
  for (const t of targets) statements.set(t, await t.statementsOf());
  for (const t of targets) await load(t, options.connections, 1); // warm-up
  const rounds = 2;
  const turn = Math.max(1, Math.round(options.duration / rounds));
  const loaded = new Map<Target, autocannon.Result[]>(targets.map((t) => [t, []]));
  const alone = new Map<Target, autocannon.Result[]>(targets.map((t) => [t, []]));
  const counted = new Map<Target, { statements: number; requests: number }>(targets.map((t) => [t, { statements: 0, requests: 0 }]));
  for (const [connections, runs, seconds] of [
    [options.connections, loaded, turn],
    [1, alone, Math.max(1, Math.round(turn / 2))],
  ] as const) {
    for (let i = 0; i < rounds; i++) {
      for (const t of targets) {
        const before = t.counter ? await t.counter() : 0;
        const result = await load(t, connections, seconds);
        if (t.counter) {
          const c = counted.get(t) as { statements: number; requests: number };
          // The load's requests (answered or not) and the one `load` sends after it.
          c.statements += (await t.counter()) - before;
          c.requests += result.requests.sent + 1;
        }
        (runs.get(t) as autocannon.Result[]).push(result);
      }
    }
  }
  return targets.map((t) => {
    const runs = loaded.get(t) as autocannon.Result[];
    const single = alone.get(t) as autocannon.Result[];
    const c = counted.get(t) as { statements: number; requests: number };
    const m: Measured = {
      target: t,
      rps: runs.reduce((sum, r) => sum + r.requests.total, 0) / runs.reduce((sum, r) => sum + r.duration, 0),
      p50: median(runs.map((r) => r.latency.p50)),
      p99: median(runs.map((r) => r.latency.p99)),
      aloneRps: single.reduce((sum, r) => sum + r.requests.total, 0) / single.reduce((sum, r) => sum + r.duration, 0),
      aloneP50: median(single.map((r) => r.latency.p50)),
      aloneP99: median(single.map((r) => r.latency.p99)),
      statements: statements.get(t) ?? "–",
      statementsUnderLoad: t.counter && c.requests > 0 ? c.statements / c.requests : null,
      peakMiB: peakMemoryMiB(t.pid),
      errors: [...runs, ...single].reduce((sum, r) => sum + r.errors + r.non2xx + r.timeouts, 0),
    };
    console.error(`  ${t.name.padEnd(44)} ${m.rps.toFixed(0).padStart(6)} req/s  p50 ${m.p50} ms  p99 ${m.p99} ms  alone p50 ${m.aloneP50} ms  statements ${m.statements}`);
    return m;
  });
}

/** Transactions committed in one database so far, from pg_stat_database. */
async function xactCommit(adminUrl: string, database: string): Promise<number> {
  const client = new Client({ connectionString: adminUrl });
  await client.connect();
  try {
    const r = await client.query<{ n: string }>(`SELECT xact_commit::text AS n FROM pg_stat_database WHERE datname = $1`, [database]);
    return Number(r.rows[0].n);
  } finally {
    await client.end();
  }
}

async function main(): Promise<void> {
  const options = parseArgs(process.argv.slice(2));
  const databasePath = path.join(PROJECT_ROOT, "bench", `kb-q${options.quotes}-s${options.seed}.sqlite`);
  if (!fs.existsSync(databasePath)) {
    console.error(`Generating ${options.quotes} quotes into ${path.relative(PROJECT_ROOT, databasePath)} …`);
    await generate({ out: databasePath, quotes: options.quotes, seed: options.seed });
  }
  const counts = tableCounts(databasePath);
  const database = benchDatabaseName(options.quotes, options.seed);
  const { url: pgUrl } = await ensurePostgresCopy({ adminUrl: options.url, databasePath, database, counts, recopy: options.recopy });

  const postgraphile = await startPostGraphile(pgUrl, 4111);
  let ours: Started | undefined;
  try {
    ours = await startServer(databasePath, 4112);
    // The three answers, reduced to their data, must be the same.
    const expected = fromSqlite(databasePath);
    const answers: Array<[string, Country[]]> = [
      ["our server (SQLite)", fromOurs((await post(ours.url, Q2)).data)],
      ["PostGraphile, connections", fromPostGraphile((await post(postgraphile.url, POSTGRAPHILE_Q2_CONNECTIONS)).data, false)],
      ["PostGraphile, lists", fromPostGraphile((await post(postgraphile.url, POSTGRAPHILE_Q2_LISTS)).data, true)],
    ];
    const checks: string[] = [];
    for (const [name, answer] of answers) {
      const same = isDeepStrictEqual(answer, expected);
      checks.push(`${name}: ${same ? "the same" : "DIFFERENT"}`);
      if (!same) {
        console.error(`${name} differs from SQLite:\n  ${describe(answer)}\n  SQLite: ${describe(expected)}`);
        process.exitCode = 1;
      }
    }
    console.error(`Q2 from plain SQL over SQLite: ${describe(expected)}; ${checks.join("; ")}`);

    const pgCounter = (): Promise<number> => postGraphileStatements(postgraphile.url);
    const perRequest = async (query: string): Promise<string> => {
      const before = await pgCounter();
      await post(postgraphile.url, query);
      return String((await pgCounter()) - before);
    };
    const server = ours;
    const targets: Target[] = [
      { name: "PostGraphile 4 on PostgreSQL, connections", url: postgraphile.url, query: POSTGRAPHILE_Q2_CONNECTIONS, pid: postgraphile.child.pid, statementsOf: () => perRequest(POSTGRAPHILE_Q2_CONNECTIONS), counter: pgCounter },
      { name: "PostGraphile 4 on PostgreSQL, lists", url: postgraphile.url, query: POSTGRAPHILE_Q2_LISTS, pid: postgraphile.child.pid, statementsOf: () => perRequest(POSTGRAPHILE_Q2_LISTS), counter: pgCounter },
      { name: "our server on SQLite (reference)", url: server.url, query: Q2, pid: server.child.pid, statementsOf: async () => (await post(server.url, Q2)).statements ?? "–" },
    ];
    const commitsBefore = await xactCommit(options.url, database);
    const sentBefore = await pgCounter();
    console.error(`Measuring Q2: about ${options.duration} s per target at ${options.connections} connections, then half that at 1, in turns`);
    const rows = await measure(targets, options);
    const sent = (await pgCounter()) - sentBefore;
    // PostgreSQL publishes a backend's transaction counts at most once a second, and an idle
    // backend's only after about 10 s (PGSTAT_IDLE_INTERVAL): wait them out once.
    await new Promise((resolve) => setTimeout(resolve, 11_000));
    const commits = (await xactCommit(options.url, database)) - commitsBefore;

    const cpu = os.cpus();
    const lines = [
      `Q2 side by side, ${new Date().toISOString()}: \`node dist/bench/postgraphile.js --quotes ${options.quotes} --duration ${options.duration} --connections ${options.connections}\``,
      ``,
      `- Machine: ${cpu.length} cores (${cpu[0]?.model ?? "unknown"}), Node.js ${process.version}; load from autocannon in the benchmark's process, on the same cores`,
      `- Data: ${Object.entries(counts).map(([t, n]) => `${n.toLocaleString("en")} ${t}`).join(", ")}; Q2 answers ${describe(expected)}: ${checks.join("; ")} as plain SQL over the SQLite file`,
      `- PostgreSQL: \`${database}\`, a copy-db copy (C collation, ANALYZEd); PostGraphile 4.14.1 (bench/postgraphile/server.js, pool of 10); our server does not serve PostgreSQL yet, so its row is Q2 on the SQLite file`,
      `- Statements per request: our server's \`x-sql-statements\`; PostGraphile's, every query its pg client sent for one request, and (under load) over every request of the load; PostgreSQL's own count: ${commits.toLocaleString("en")} transactions committed in \`${database}\` while PostGraphile's process sent ${sent.toLocaleString("en")} statements`,
      ``,
      `| Q2, 20 × 20 | Requests/s (${options.connections} conn.) | p50 (ms) | p99 (ms) | Requests/s (1 conn.) | p50 alone (ms) | p99 alone (ms) | SQL statements per request | Peak RSS (MiB) | Errors |`,
      `| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |`,
      ...rows.map(
        (r) =>
          `| ${r.target.name} | ${r.rps.toFixed(0)} | ${r.p50} | ${r.p99} | ${r.aloneRps.toFixed(0)} | ${r.aloneP50} | ${r.aloneP99} | ${r.statements}${r.statementsUnderLoad === null ? "" : ` (${r.statementsUnderLoad.toFixed(2)} under load)`} | ${r.peakMiB?.toFixed(0) ?? "–"} | ${r.errors} |`,
      ),
      ``,
    ];
    console.log(lines.join("\n"));
  } finally {
    if (ours) await stop(ours.child);
    await stop(postgraphile.child);
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
