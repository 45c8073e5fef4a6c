/**
 * `npm run bench -- --db postgres` (issue 17, "How it is measured"): the server on PostgreSQL.
 * Copies the generated SQLite file into the database `kb_bench_q<N>_s<seed>` when it does not
 * hold it yet (bench/pg.ts), starts the server with `DATABASE_URL` pointing at it, and measures
 * Q1–Q5 as the SQLite run does (with `--db both`, the server on the SQLite file takes turns with
 * it in the same table); then Q2 side by side with PostGraphile 4 on the same database; then two
 * server processes against one on that database. Prints Markdown and keeps it in the notes of
 * bench/RESULTS.md, between markers of its own, which a full SQLite run keeps.
 */
import { execFileSync } from "node:child_process";
import { isDeepStrictEqual } from "node:util";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import autocannon from "autocannon";
import { Client } from "pg";
import { PROJECT_ROOT } from "../src/paths";
import { generate } from "../tools/generate/generate";
import { answeredWithoutErrors, LoadOptions, measure, Measured, median, NOTES_MARKER, peakMemoryMiB, post, Request, Target } from "./measure";
import {
  benchDatabaseName,
  describeQ2,
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
import { benchParameters, startServer, Started, stop, tableCounts } from "./processes";
import { Q1, Q2, Q3, Q4, Q5 } from "./queries";

/** The options of a run on PostgreSQL (run.ts parses them). */
export interface PostgresOptions extends LoadOptions {
  quotes: number;
  seed: number;
  /** A PostgreSQL URL whose role may create databases; empty: scripts/pg-local.sh's, started if stopped. */
  url: string;
  /** Also the server on the SQLite file, in turns with the one on PostgreSQL. */
  both: boolean;
  /** Copy again even if the database already holds the generated data. */
  recopy: boolean;
  /** The results file whose notes keep the PostgreSQL section. */
  out: string;
}

/** Where the section of this run starts and ends in the notes of bench/RESULTS.md. */
const SECTION_START = "<!-- PostgreSQL section: rewritten by npm run bench -- --db postgres. -->";
const SECTION_END = "<!-- End of the PostgreSQL section. -->";

/** A row of the Q1–Q5 table: a measurement and the database its target served from. */
interface DbRow extends Measured {
  db: string;
  /** Set when the target was not put under load: one request alone took this many ms. */
  tooSlowMs?: number;
  /** Set when the target failed the query: its error, short. */
  failed?: string;
}

/** A request slower than this alone is not put under load (it would finish nothing in a turn). */
const SLOW_MS = 2000;
/** A request slower than this alone is loaded in one long turn, as measure()'s `slow` queries are. */
const LONG_TURN_MS = 250;

/**
 * Sends a request twice alone, as measure() probes it: fails on an HTTP error or GraphQL
 * `errors`, else answers the second request's time and the statements of both.
 */
async function probe(url: string, request: Request): Promise<{ ms: number; statements: string }> {
  const counts: Array<string | null> = [];
  let ms = 0;
  for (let i = 0; i < 2; i++) {
    const started = process.hrtime.bigint();
    const r = await post(url, request);
    ms = Number(process.hrtime.bigint() - started) / 1e6;
    const text = r.body.toString("utf8");
    if (r.status !== 200 || !answeredWithoutErrors(text)) throw new Error(`HTTP ${r.status} after ${(ms / 1000).toFixed(1)} s: ${text.slice(0, 300)}`);
    counts.push(r.statements);
  }
  return { ms, statements: counts[0] === counts[1] ? (counts[0] ?? "–") : `${counts[0]} → ${counts[1]}` };
}

/** A query that failed on a target instead of being measured. */
interface Failure {
  name: string;
  db: string;
  error: string;
}

/** One side of the scale comparison: requests/s and latency of one or two processes. */
interface ScaleRow {
  name: string;
  processes: number;
  rps: number;
  p50: number;
  p99: number;
  errors: number;
}

/**
 * Q2 (or any query) on one server process and on two, in turns: the same connections in total,
 * split evenly over the two processes' ports by two autocannon instances running at once (the
 * load generator alternating between ports, without a proxy's extra hop on the same two cores).
 * For two processes p50 and p99 are the larger of the two instances' own.
 */
async function measureScale(name: string, one: Started, two: [Started, Started], request: Request, options: LoadOptions): Promise<ScaleRow[]> {
  const body = JSON.stringify(request);
  const run = (url: string, connections: number, duration: number): Promise<autocannon.Result> =>
    autocannon({ url, method: "POST", headers: { "content-type": "application/json" }, body, connections, duration, ...(options.verifyAnswers ? { verifyBody: answeredWithoutErrors } : {}) });
  const settle = async (): Promise<void> => {
    for (const s of two) await post(s.url, request);
  };
  for (const s of two) await run(s.url, options.connections, 1); // warm-up, each process
  await settle();
  const rounds = Math.max(1, Math.min(3, Math.floor(options.duration / 2)));
  const turn = Math.max(1, Math.round(options.duration / rounds));
  const single: autocannon.Result[] = [];
  const pairs: Array<[autocannon.Result, autocannon.Result]> = [];
  const half = Math.max(1, Math.floor(options.connections / 2));
  for (let i = 0; i < rounds; i++) {
    single.push(await run(one.url, options.connections, turn));
    await settle();
    pairs.push(await Promise.all([run(two[0].url, options.connections - half, turn), run(two[1].url, half, turn)]));
    await settle();
  }
  const errors = (r: autocannon.Result): number => r.errors + r.non2xx + r.timeouts + (r.mismatches ?? 0);
  const answered = (r: autocannon.Result): number => r.requests.total - (r.mismatches ?? 0);
  const rows: ScaleRow[] = [
    {
      name,
      processes: 1,
      rps: single.reduce((n, r) => n + answered(r), 0) / single.reduce((n, r) => n + r.duration, 0),
      p50: median(single.map((r) => r.latency.p50)),
      p99: median(single.map((r) => r.latency.p99)),
      errors: single.reduce((n, r) => n + errors(r), 0),
    },
    {
      name,
      processes: 2,
      rps: pairs.reduce((n, [a, b]) => n + answered(a) + answered(b), 0) / pairs.reduce((n, [a]) => n + a.duration, 0),
      p50: median(pairs.map(([a, b]) => Math.max(a.latency.p50, b.latency.p50))),
      p99: median(pairs.map(([a, b]) => Math.max(a.latency.p99, b.latency.p99))),
      errors: pairs.reduce((n, [a, b]) => n + errors(a) + errors(b), 0),
    },
  ];
  for (const r of rows) console.error(`  ${name.padEnd(28)} ${r.processes} process(es) ${r.rps.toFixed(0).padStart(6)} req/s  p50 ${r.p50} ms  p99 ${r.p99} ms`);
  return rows;
}

/** The error of a failed measurement in one line, at most 300 characters. */
function oneLine(error: unknown): string {
  const text = error instanceof Error ? error.message : String(error);
  return text.replace(/\s+/g, " ").slice(0, 300);
}

/** The GraphQL error code of a failed probe (QUERY_TIMEOUT, say), or its first words. */
function shortError(error: unknown): string {
  const text = oneLine(error);
  const code = /"code":"([A-Z_]+)"/.exec(text)?.[1];
  const after = /after ([\d.]+ s)/.exec(text)?.[1];
  return code ? `${code}${after ? ` after ${after}` : ""}` : text.slice(0, 80);
}

/** Replaces this run's section in the notes of `file`, or puts it first among them. */
function writeSection(file: string, section: string): void {
  const text = fs.existsSync(file) ? fs.readFileSync(file, "utf8") : "";
  const block = `${SECTION_START}\n\n${section.trim()}\n\n${SECTION_END}`;
  const start = text.indexOf(SECTION_START);
  const end = text.indexOf(SECTION_END);
  let next: string;
  if (start !== -1 && end > start) next = `${text.slice(0, start)}${block}${text.slice(end + SECTION_END.length)}`;
  else if (text.includes(NOTES_MARKER)) {
    const at = text.indexOf(NOTES_MARKER) + NOTES_MARKER.length;
    next = `${text.slice(0, at)}\n\n${block}\n${text.slice(at)}`;
  } else next = `${text}${text.endsWith("\n") || text === "" ? "" : "\n"}\n${NOTES_MARKER}\n\n${block}\n`;
  fs.writeFileSync(file, next);
}

/** Runs the benchmark on PostgreSQL (see the module's comment), prints it and writes its section. */
export async function runPostgres(options: PostgresOptions): Promise<void> {
  const loadBefore = os.loadavg();
  const databasePath = path.join(PROJECT_ROOT, "bench", `kb-q${options.quotes}-s${options.seed}.sqlite`);
  if (!fs.existsSync(databasePath)) {
    console.error(`Generating ${options.quotes} quotes into ${path.relative(PROJECT_ROOT, databasePath)} …`);
    await generate({ out: databasePath, quotes: options.quotes, seed: options.seed });
  }
  const counts = tableCounts(databasePath);
  const adminUrl = options.url || execFileSync(path.join(PROJECT_ROOT, "scripts", "pg-local.sh"), ["start"], { encoding: "utf8" }).trim();
  const database = benchDatabaseName(options.quotes, options.seed);
  const copyStarted = Date.now();
  const { url: pgUrl, copied } = await ensurePostgresCopy({ adminUrl, databasePath, database, counts, recopy: options.recopy });
  const copyNote = copied ? `copied now with copy-db (${((Date.now() - copyStarted) / 1000).toFixed(0)} s, counts verified, ANALYZEd)` : "reused (every table's count equals the SQLite file's)";
  const versionClient = new Client({ connectionString: pgUrl });
  await versionClient.connect();
  const pgVersion = (await versionClient.query<{ v: string }>("SELECT current_setting('server_version') AS v")).rows[0].v;
  await versionClient.end();

  // The requests' parameters, as the SQLite run picks them (copy-db keeps ids).
  const { personId, deep, deepCursor, countryCode } = benchParameters(databasePath, counts);
  const q1: Request = { query: Q1, variables: { id: personId } };
  const q2: Request = { query: Q2 };
  const phrase: Request = { query: Q3, variables: { q: '"prisoner exchange"' } };
  const commonWord: Request = { query: Q3, variables: { q: "negotiations" } };
  const q4First: Request = { query: Q4, variables: { after: null } };
  const q4Deep: Request = { query: Q4, variables: { after: deepCursor } };
  const q5: Request = { query: Q5, variables: { code: countryCode } };

  const pgEnv = { DATABASE_URL: pgUrl };
  const started: Started[] = [];
  const start = async (port: number, env: Record<string, string>): Promise<Started> => {
    const s = await startServer(databasePath, port, env);
    started.push(s);
    return s;
  };
  try {
    const pgServer = await start(4121, pgEnv);
    const pgFresh = await start(4122, { ...pgEnv, READ_CACHE_ENTRIES: "0" });
    const sqliteServer = options.both ? await start(4123, {}) : null;
    const sqliteFresh = options.both ? await start(4124, { READ_CACHE_ENTRIES: "0" }) : null;

    // Answers: Q2 reduced to its data against plain SQL over the SQLite file; with --db both,
    // every request's bytes on PostgreSQL against SQLite's.
    const expected = fromSqlite(databasePath);
    const checks: string[] = [];
    const failures: Failure[] = [];
    try {
      const answer = JSON.parse((await post(pgServer.url, q2)).body.toString("utf8")) as { data: Json | null };
      if (!answer.data) throw new Error(shortError(new Error(JSON.stringify(answer))));
      const ours = fromOurs(answer.data);
      checks.push(`Q2 on PostgreSQL ${isDeepStrictEqual(ours, expected) ? "equals" : "DIFFERS from"} plain SQL over the SQLite file (${describeQ2(expected)})`);
    } catch (error) {
      checks.push(`Q2 on PostgreSQL could not be checked: ${oneLine(error)}`);
    }
    if (sqliteServer && sqliteFresh) {
      const same: string[] = [];
      for (const [name, request, a, b] of [
        ["Q1", q1, sqliteServer, pgServer],
        ["Q2", q2, sqliteServer, pgServer],
        ["Q3", phrase, sqliteFresh, pgFresh],
        ["Q4", q4First, sqliteServer, pgServer],
        ["Q4 deep", q4Deep, sqliteServer, pgServer],
        ["Q5", q5, sqliteFresh, pgFresh],
      ] as const) {
        const x = await post(a.url, request);
        const y = await post(b.url, request);
        same.push(`${name} ${x.body.equals(y.body) ? "identical" : "different"}`);
      }
      checks.push(`response bytes, SQLite vs PostgreSQL: ${same.join(", ")}`);
    }
    console.error(checks.join("\n"));

    console.error(`Measuring Q1–Q5: ${options.duration} s per query and target, ${options.connections} connections`);
    const rows: DbRow[] = [];
    const pgTarget: Target = { target: "server", url: pgServer.url, pid: pgServer.child.pid };
    const pgFreshTarget: Target = { target: "server, no cache", url: pgFresh.url, pid: pgFresh.child.pid };
    const sqliteTarget: Target | null = sqliteServer ? { target: "server", url: sqliteServer.url, pid: sqliteServer.child.pid } : null;
    const sqliteFreshTarget: Target | null = sqliteFresh ? { target: "server, no cache", url: sqliteFresh.url, pid: sqliteFresh.child.pid } : null;
    const dbOf = (t: Target): string => (t === sqliteTarget || t === sqliteFreshTarget ? "SQLite" : "PostgreSQL");
    const load: LoadOptions = { duration: options.duration, connections: options.connections, verifyAnswers: true };
    const run = async (name: string, targets: Array<Target | null>, request: Request, slow = false): Promise<void> => {
      // Each target probed alone first: one that fails is recorded, one too slow to load is shown
      // with its time alone, the others measured in turns.
      const ready: Target[] = [];
      let long = slow;
      const present = targets.filter((x): x is Target => x !== null);
      for (const t of present) {
        try {
          const p = await probe(t.url, request);
          if (p.ms > LONG_TURN_MS) long = true;
          if (p.ms <= SLOW_MS) ready.push(t);
          else {
            const row: DbRow = { name, target: t.target, db: dbOf(t), rps: 0, p50: 0, p99: 0, aloneP50: p.ms, aloneP99: p.ms, statements: p.statements, peakMiB: peakMemoryMiB(t.pid), errors: 0, tooSlowMs: p.ms };
            rows.push(row);
            console.error(`  ${name} on ${dbOf(t)}: not loaded, one request alone takes ${p.ms.toFixed(0)} ms`);
          }
        } catch (error) {
          failures.push({ name, db: dbOf(t), error: oneLine(error) });
          rows.push({ name, target: t.target, db: dbOf(t), rps: 0, p50: 0, p99: 0, aloneP50: 0, aloneP99: 0, statements: "–", peakMiB: null, errors: 0, failed: shortError(error) });
          console.error(`  ${name} on ${dbOf(t)}: FAILED: ${oneLine(error)}`);
        }
      }
      if (ready.length > 0) {
        const measured = await measure(name, ready, request, load, long);
        rows.push(...measured.map((m, i) => ({ ...m, db: dbOf(ready[i]) })));
      }
      // SQLite's row first, as in the targets, whichever was measured or failed first.
      const own = rows.filter((r) => r.name === name && r.target === present[0].target);
      rows.splice(rows.length - own.length, own.length, ...own.sort((x, y) => (x.db === y.db ? 0 : x.db === "SQLite" ? -1 : 1)));
    };
    await run("Q1 person + 20 quotes", [sqliteTarget, pgTarget], q1);
    await run("Q2 nested 20×20", [sqliteTarget, pgTarget], q2);
    await run("Q3 search, 20 snippets", [sqliteTarget, pgTarget], phrase);
    await run("Q3 search, 20 snippets", [sqliteFreshTarget, pgFreshTarget], phrase);
    await run("Q3 search, most common word", [sqliteFreshTarget, pgFreshTarget], commonWord, true);
    await run("Q4 people, first page", [sqliteTarget, pgTarget], q4First);
    await run(`Q4 people, ${deep.toLocaleString("en")} deep`, [sqliteTarget, pgTarget], q4Deep);
    await run("Q5 relation filter + count", [sqliteTarget, pgTarget], q5);
    await run("Q5 relation filter + count", [sqliteFreshTarget, pgFreshTarget], q5);
    for (const s of [sqliteFresh, pgFresh]) if (s) await stop(s.child);

    // Q2 side by side with PostGraphile on the same database, in turns.
    const pgRows: Array<{ name: string; m: Measured; statements: string }> = [];
    let postGraphileCheck = "";
    const postgraphile = await startPostGraphile(pgUrl, 4126);
    started.push(postgraphile);
    try {
      const answers: Array<[string, string, boolean]> = [
        ["connections", POSTGRAPHILE_Q2_CONNECTIONS, false],
        ["lists", POSTGRAPHILE_Q2_LISTS, true],
      ];
      const same: string[] = [];
      for (const [name, query, lists] of answers) {
        const r = await post(postgraphile.url, { query });
        const parsed = JSON.parse(r.body.toString("utf8")) as { data: Json };
        same.push(`PostGraphile, ${name}: ${isDeepStrictEqual(fromPostGraphile(parsed.data, lists), expected) ? "the same" : "DIFFERENT"}`);
      }
      postGraphileCheck = same.join("; ");
      const counted = async (query: string): Promise<string> => {
        const before = await postGraphileStatements(postgraphile.url);
        await post(postgraphile.url, { query });
        return String((await postGraphileStatements(postgraphile.url)) - before);
      };
      const statements = new Map<string, string>([
        ["connections", await counted(POSTGRAPHILE_Q2_CONNECTIONS)],
        ["lists", await counted(POSTGRAPHILE_Q2_LISTS)],
      ]);
      const pgLists: Target = { target: "PostGraphile, lists", url: postgraphile.url, pid: postgraphile.child.pid };
      const pgConnections: Target = { target: "PostGraphile, connections", url: postgraphile.url, pid: postgraphile.child.pid };
      console.error(`Q2 side by side with PostGraphile 4 (${postGraphileCheck})`);
      const candidates: Array<[string, Target, Request]> = [
        ["our server on PostgreSQL", pgTarget, q2],
        ["PostGraphile 4.14.1, lists", pgLists, { query: POSTGRAPHILE_Q2_LISTS }],
        ["PostGraphile 4.14.1, connections", pgConnections, { query: POSTGRAPHILE_Q2_CONNECTIONS }],
      ];
      if (sqliteTarget) candidates.push(["our server on SQLite (reference)", sqliteTarget, q2]);
      const ready: Array<[string, Target, Request]> = [];
      for (const c of candidates) {
        try {
          await probe(c[1].url, c[2]);
          ready.push(c);
        } catch (error) {
          failures.push({ name: `Q2 side by side with PostGraphile, ${c[0]}`, db: c[1] === sqliteTarget ? "SQLite" : "PostgreSQL", error: oneLine(error) });
          console.error(`  ${c[0]}: FAILED: ${oneLine(error)}`);
        }
      }
      const requestOf = new Map(ready.map(([, t, r]) => [t, r]));
      const measured = await measure("Q2 nested 20×20", [...requestOf.keys()], (t) => requestOf.get(t) as Request, load);
      ready.forEach(([name, t], i) => {
        const own = t === pgLists ? statements.get("lists") : t === pgConnections ? statements.get("connections") : measured[i].statements;
        pgRows.push({ name, m: measured[i], statements: own ?? "–" });
      });
    } catch (error) {
      failures.push({ name: "Q2 side by side with PostGraphile", db: "PostgreSQL", error: oneLine(error) });
      console.error(`  PostGraphile: FAILED: ${oneLine(error)}`);
    } finally {
      await stop(postgraphile.child);
    }

    if (sqliteServer) await stop(sqliteServer.child);

    // Two server processes against one, on the same database.
    const scale: ScaleRow[] = [];
    const second = await start(4125, pgEnv);
    for (const [name, request] of [
      ["Q2 nested 20×20", q2],
      ["Q1 person + 20 quotes", q1],
      ["Q4 people, first page", q4First],
    ] as const) {
      try {
        for (const s of [pgServer, second]) await probe(s.url, request);
        scale.push(...(await measureScale(name, pgServer, [pgServer, second], request, load)));
      } catch (error) {
        failures.push({ name: `${name}, 2 processes vs 1`, db: "PostgreSQL", error: oneLine(error) });
        console.error(`  ${name}, 2 processes vs 1: FAILED: ${oneLine(error)}`);
      }
    }

    const loadAfter = os.loadavg();
    const cpu = os.cpus();
    const ours = pgRows.find((r) => r.name === "our server on PostgreSQL");
    const best = pgRows.filter((r) => r.name.startsWith("PostGraphile")).sort((a, b) => b.m.rps - a.m.rps)[0];
    const gain = (name: string): string => {
      const [one, two] = [scale.find((r) => r.name === name && r.processes === 1), scale.find((r) => r.name === name && r.processes === 2)];
      return one && two ? `${(two.rps / one.rps).toFixed(2)}× requests/s, p99 ${one.p99} → ${two.p99} ms` : "–";
    };
    const reference = pgRows.find((r) => r.name.startsWith("our server on SQLite"));
    const connectionsRow = pgRows.find((r) => r.name.endsWith("connections"));
    const ratioLine = [
      ours && best
        ? `Ours / PostGraphile's best (${best.name.replace("PostGraphile 4.14.1, ", "")}): **${(ours.m.rps / best.m.rps).toFixed(2)}×** requests/s (goal ≥ 1)${connectionsRow ? `; ours / connections: ${(ours.m.rps / connectionsRow.m.rps).toFixed(2)}×` : ""}.`
        : `No ratio on PostgreSQL: ${best ? "our server did not answer Q2 there (see Failed above)" : "PostGraphile did not run"}.`,
      reference && best ? ` For reference, our server on the SQLite file / PostGraphile's best: ${(reference.m.rps / best.m.rps).toFixed(2)}×.` : "",
    ].join("");
    const flags = `--db ${options.both ? "both" : "postgres"} --quotes ${options.quotes} --duration ${options.duration} --connections ${options.connections}`;
    const lines = [
      `## Issue 17: the server on PostgreSQL (\`npm run bench -- --db postgres\`)`,
      ``,
      `Run ${new Date().toISOString()} with \`npm run bench -- ${flags}\`.`,
      ``,
      `- Machine: ${cpu.length} cores (${cpu[0]?.model ?? "unknown"}), Node.js ${process.version}; PostgreSQL ${pgVersion} on the same machine (scripts/pg-local.sh, default settings); load average ${loadBefore[0].toFixed(2)} at the start, ${loadAfter[0].toFixed(2)} at the end (1 min)`,
      `- Database: \`${database}\`, ${Object.entries(counts).map(([t, n]) => `${n.toLocaleString("en")} ${t}`).join(", ")}; ${copyNote}; C collation, as SQLite's BINARY sorts`,
      `- Servers: \`node dist/src/index.js\` with \`DATABASE_URL\` (NODE_ENV=production)${options.both ? `, in turns with the same on the SQLite file` : ""}; "server, no cache" has \`READ_CACHE_ENTRIES=0\`; load: autocannon in the bench process, on the same two cores as the servers and PostgreSQL`,
      `- Checks: ${checks.join("; ")}`,
      ``,
      `| Query | DB | Target | Requests/s | p50 (ms) | p99 (ms) | p50 alone (ms) | p99 alone (ms) | SQL statements | Peak RSS (MiB) | Errors |`,
      `| --- | --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |`,
      ...rows.map((r) =>
        r.failed !== undefined
          ? `| ${r.name} | ${r.db} | ${r.target} | – | – | – | – | – | – | – | FAILED: ${r.failed} |`
          : r.tooSlowMs !== undefined
          ? `| ${r.name} | ${r.db} | ${r.target} | – | – | – | ${r.tooSlowMs.toFixed(0)} (one request) | – | ${r.statements} | ${r.peakMiB?.toFixed(0) ?? "–"} | not loaded: over ${SLOW_MS / 1000} s alone |`
          : `| ${r.name} | ${r.db} | ${r.target} | ${r.rps.toFixed(0)} | ${r.p50} | ${r.p99} | ${r.aloneP50} | ${r.aloneP99} | ${r.statements} | ${r.peakMiB?.toFixed(0) ?? "–"} | ${r.errors} |`,
      ),
      ``,
      ...(failures.length > 0 ? [`Failed (not measured):`, ``, ...failures.map((f) => `- ${f.name}${f.name.includes(f.db) ? "" : ` (${f.db})`}: ${f.error}`), ``] : []),
      `### Q2 side by side with PostGraphile (same database, in turns)`,
      ``,
      `Answers reduced to their data, against plain SQL over the SQLite file: ${postGraphileCheck || "not checked"}. PostGraphile's statements: every query its pg client sent for one request.`,
      ``,
      `| Q2, 20 × 20 | Requests/s (${options.connections} conn.) | p50 (ms) | p99 (ms) | p50 alone (ms) | p99 alone (ms) | SQL statements per request | Peak RSS (MiB) | Errors |`,
      `| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |`,
      ...pgRows.map((r) => `| ${r.name} | ${r.m.rps.toFixed(0)} | ${r.m.p50} | ${r.m.p99} | ${r.m.aloneP50} | ${r.m.aloneP99} | ${r.statements} | ${r.m.peakMiB?.toFixed(0) ?? "–"} | ${r.m.errors} |`),
      ``,
      ratioLine,
      ``,
      `### Two server processes against one (same database)`,
      ``,
      `The same ${options.connections} connections in total; for 2 processes, split evenly over the two ports by two autocannon instances at once, p50 and p99 the larger of the two; turns of 1 and 2 processes alternate.`,
      ``,
      `| Query | Processes | Requests/s | p50 (ms) | p99 (ms) | Errors |`,
      `| --- | ---: | ---: | ---: | ---: | ---: |`,
      ...scale.map((r) => `| ${r.name} | ${r.processes} | ${r.rps.toFixed(0)} | ${r.p50} | ${r.p99} | ${r.errors} |`),
      ``,
      `Gain from a second process: Q2 ${gain("Q2 nested 20×20")}; Q1 ${gain("Q1 person + 20 quotes")}; Q4 ${gain("Q4 people, first page")}.`,
    ];
    const markdown = lines.join("\n");
    console.log(markdown);
    writeSection(options.out, markdown);
    console.error(`Wrote the PostgreSQL section of ${path.relative(process.cwd(), options.out)}`);
    if (failures.length > 0) process.exitCode = 1;
  } finally {
    for (const s of started) await stop(s.child);
  }
}

