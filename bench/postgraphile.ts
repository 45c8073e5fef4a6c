/**
 * The side-by-side with PostGraphile of issue 17 ("How it is measured"): PostGraphile 4 serving a
 * PostgreSQL copy of a generated knowledge base, answering the closest equivalent of Q2
 * (countries → people → positions and quotes, 20 × 20), measured with autocannon next to our
 * server's Q2 on the SQLite file it was copied from. Our server does not serve PostgreSQL yet:
 * its row is SQLite, labelled so, a reference until it does.
 *
 *   npm run build && node dist/bench/postgraphile.js [--quotes 100000] [--duration 4]
 *
 * Steps: generates bench/kb-q<N>-s<seed>.sqlite if missing (as `npm run bench` does); copies it
 * with copy-db into the PostgreSQL database kb_bench_q<N>_s<seed> on the server of --url (the
 * local one of scripts/pg-local.sh by default), unless that database's comment says it already
 * holds this copy; starts bench/postgraphile/server.js (its own npm project: `npm ci --prefix
 * bench/postgraphile`) and our server; checks that PostGraphile and our server both answer Q2
 * with exactly what plain SQL over the SQLite file gives; then measures each target at
 * --connections (10) and at 1 connection, in turns, and prints a Markdown table.
 */
import "reflect-metadata";
import { execFileSync, fork } from "node:child_process";
import { isDeepStrictEqual } from "node:util";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import autocannon from "autocannon";
import BetterSqlite3 from "better-sqlite3";
import { Client } from "pg";
import { PROJECT_ROOT } from "../src/paths";
import { generate } from "../tools/generate/generate";
import { copyDatabase } from "../tools/copy-db/copy";
import { startServer, Started, stop, tableCounts, waitForAnswer } from "./processes";
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

/**
 * PostGraphile's closest equivalent of Q2, in both of its collection shapes. Each level is
 * ordered as our server orders it (bench/baseline.ts spells the same in SQL): countries and
 * people by name then id, positions and quotes by where they occur (article, offset, id); our
 * server's positions connection has a default page of 20, written out here.
 */
const POSTGRAPHILE_Q2_CONNECTIONS = `query Q2 {
  allCountries(first: 20, orderBy: [NAME_ASC, ID_ASC]) {
    nodes {
      name
      peopleByCountryId(first: 20, orderBy: [NAME_ASC, ID_ASC]) {
        nodes {
          name
          positionsByPersonId(first: 20, orderBy: [ARTICLE_ID_ASC, START_OFFSET_ASC, ID_ASC]) { nodes { title organizationByOrganizationId { name } } }
          quotesBySpeakerId(first: 5, orderBy: [ARTICLE_ID_ASC, START_OFFSET_ASC, ID_ASC]) { nodes { text } }
        }
      }
    }
  }
}`;

const POSTGRAPHILE_Q2_LISTS = `query Q2 {
  allCountriesList(first: 20, orderBy: [NAME_ASC, ID_ASC]) {
    name
    peopleByCountryIdList(first: 20, orderBy: [NAME_ASC, ID_ASC]) {
      name
      positionsByPersonIdList(first: 20, orderBy: [ARTICLE_ID_ASC, START_OFFSET_ASC, ID_ASC]) { title organizationByOrganizationId { name } }
      quotesBySpeakerIdList(first: 5, orderBy: [ARTICLE_ID_ASC, START_OFFSET_ASC, ID_ASC]) { text }
    }
  }
}`;

/** Q2's answer reduced to its data, whoever gave it: what the three must agree on. */
interface Country {
  name: string;
  people: Array<{ name: string; positions: Array<{ title: string; organization: string | null }>; quotes: string[] }>;
}

type Json = Record<string, unknown>;
const nodes = (connection: unknown): Json[] => (connection as { nodes: Json[] }).nodes;

function fromOurs(data: Json): Country[] {
  return nodes(data.countries).map((c) => ({
    name: c.name as string,
    people: nodes(c.people).map((p) => ({
      name: p.name as string,
      positions: nodes(p.positions).map((r) => ({ title: r.title as string, organization: (r.organization as Json | null)?.name as string | null ?? null })),
      quotes: nodes(p.quotes).map((q) => q.text as string),
    })),
  }));
}

function fromPostGraphile(data: Json, lists: boolean): Country[] {
  const items = (value: unknown): Json[] => (lists ? (value as Json[]) : nodes(value));
  return items(lists ? data.allCountriesList : data.allCountries).map((c) => ({
    name: c.name as string,
    people: items(lists ? c.peopleByCountryIdList : c.peopleByCountryId).map((p) => ({
      name: p.name as string,
      positions: items(lists ? p.positionsByPersonIdList : p.positionsByPersonId).map((r) => ({
        title: r.title as string,
        organization: (r.organizationByOrganizationId as Json | null)?.name as string | null ?? null,
      })),
      quotes: items(lists ? p.quotesBySpeakerIdList : p.quotesBySpeakerId).map((q) => q.text as string),
    })),
  }));
}

/** The same from the SQLite file with plain SQL, one statement per level. */
function fromSqlite(databasePath: string): Country[] {
  const db = new BetterSqlite3(databasePath, { readonly: true, fileMustExist: true });
  try {
    const people = db.prepare(`SELECT id, name FROM person WHERE countryId = ? ORDER BY name, id LIMIT 20`);
    const positions = db.prepare(
      `SELECT p.title, o.name AS organization FROM position p LEFT JOIN organization o ON o.id = p.organizationId
       WHERE p.personId = ? ORDER BY p.articleId, p.startOffset, p.id LIMIT 20`,
    );
    const quotes = db.prepare(`SELECT text FROM quote WHERE speakerId = ? ORDER BY articleId, startOffset, id LIMIT 5`).pluck();
    const countries = db.prepare(`SELECT id, name FROM country ORDER BY name, id LIMIT 20`).all() as Array<{ id: number; name: string }>;
    return countries.map((c) => ({
      name: c.name,
      people: (people.all(c.id) as Array<{ id: number; name: string }>).map((p) => ({
        name: p.name,
        positions: positions.all(p.id) as Array<{ title: string; organization: string | null }>,
        quotes: quotes.all(p.id) as string[],
      })),
    }));
  } finally {
    db.close();
  }
}

function describe(countries: Country[]): string {
  const people = countries.flatMap((c) => c.people);
  const positions = people.reduce((n, p) => n + p.positions.length, 0);
  const quotes = people.reduce((n, p) => n + p.quotes.length, 0);
  return `${countries.length} countries, ${people.length} people, ${positions} positions, ${quotes} quotes`;
}

function withDatabase(url: string, database: string): string {
  const u = new URL(url);
  u.pathname = `/${database}`;
  return u.toString();
}

/**
 * Makes `database` a copy of the SQLite file, unless its comment (the marker, written only after
 * a copy verified by counts) names this file with these counts. The database is created with the
 * C collation so that ORDER BY name sorts as SQLite's BINARY does and the answers can be compared
 * exactly (the server cluster's default is ICU's root collation, which sorts case and accents
 * apart from bytes).
 */
async function ensureCopy(options: Options, databasePath: string, database: string, counts: Record<string, number>): Promise<string> {
  const marker = `kb bench copy of ${path.basename(databasePath)}: ${JSON.stringify(counts)}`;
  const target = withDatabase(options.url, database);
  const admin = new Client({ connectionString: options.url });
  await admin.connect();
  try {
    const found = await admin.query<{ comment: string | null }>(`SELECT shobj_description(oid, 'pg_database') AS comment FROM pg_database WHERE datname = $1`, [database]);
    if (!options.recopy && found.rows[0]?.comment === marker) {
      console.error(`PostgreSQL: ${database} already holds this copy (its comment says so); --recopy copies again`);
      return target;
    }
    if (found.rows.length > 0) await admin.query(`DROP DATABASE "${database}" WITH (FORCE)`);
    await admin.query(`CREATE DATABASE "${database}" TEMPLATE template0 ENCODING 'UTF8' LOCALE_PROVIDER libc LC_COLLATE 'C' LC_CTYPE 'C.UTF-8'`);
    console.error(`Copying ${path.relative(PROJECT_ROOT, databasePath)} into ${database} with copy-db …`);
    const report = await copyDatabase({ from: databasePath, to: target });
    if (!report.ok) throw new Error(`copy-db: the counts differ: ${JSON.stringify(report.tables)}`);
    console.error(`  ${report.rows.toLocaleString("en")} rows in ${report.seconds.toFixed(1)} s, every count matches`);
    const analyze = new Client({ connectionString: target });
    await analyze.connect();
    await analyze.query("ANALYZE");
    await analyze.end();
    await admin.query(`COMMENT ON DATABASE "${database}" IS ${escapeLiteral(marker)}`);
    return target;
  } finally {
    await admin.end();
  }
}

function escapeLiteral(text: string): string {
  return `'${text.replace(/'/g, "''")}'`;
}

const POSTGRAPHILE_DIR = path.join(PROJECT_ROOT, "bench", "postgraphile");

async function startPostGraphile(databaseUrl: string, port: number): Promise<Started> {
  if (!fs.existsSync(path.join(POSTGRAPHILE_DIR, "node_modules", "postgraphile"))) {
    throw new Error("PostGraphile is not installed: run `npm ci --prefix bench/postgraphile` first");
  }
  const child = fork(path.join(POSTGRAPHILE_DIR, "server.js"), [databaseUrl, String(port)], {
    cwd: POSTGRAPHILE_DIR,
    env: { ...process.env, NODE_ENV: "production" },
    stdio: ["ignore", "ignore", "inherit", "ipc"],
  });
  const started = process.hrtime.bigint();
  const url = `http://127.0.0.1:${port}/graphql`;
  await waitForAnswer(url, child, 120_000);
  return { child, url, startupMs: Number(process.hrtime.bigint() - started) / 1e6 };
}

async function post(url: string, query: string): Promise<{ data: Json; statements: string | null }> {
  const response = await fetch(url, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ query }) });
  const text = await response.text();
  const parsed = JSON.parse(text) as { data?: Json; errors?: unknown[] };
  if (response.status !== 200 || parsed.errors || !parsed.data) throw new Error(`${url} failed (${response.status}): ${text.slice(0, 500)}`);
  return { data: parsed.data, statements: response.headers.get("x-sql-statements") };
}

/** The SQL statements PostGraphile's process has sent to PostgreSQL so far (server.js counts them). */
async function postGraphileStatements(graphqlUrl: string): Promise<number> {
  const response = await fetch(graphqlUrl.replace(/\/graphql$/, "/statements"));
  return ((await response.json()) as { statements: number }).statements;
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
  const database = `kb_bench_q${options.quotes}_s${options.seed}`;
  const pgUrl = await ensureCopy(options, databasePath, database, counts);

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
