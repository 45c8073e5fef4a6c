/**
 * `npm run bench`: generates (or reuses) a synthetic knowledge base, starts the server and the raw
 * baseline on it as child processes, drives both over HTTP with autocannon, and prints and writes
 * a Markdown table (bench/RESULTS.md). Flags: --quotes N (default 100000), --seed N, --duration
 * seconds per query (default 10), --connections N (default 10), --out FILE, --help; `--db postgres`
 * (or `both`) measures the server on PostgreSQL instead (bench/postgres.ts).
 */
import "reflect-metadata";
import { fork } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import BetterSqlite3 from "better-sqlite3";
import { toGlobalId } from "../src/model/global-id";
import { quickCheck } from "../src/storage/integrity-check";
import { PROJECT_ROOT } from "../src/paths";
import { generate } from "../tools/generate/generate";
import { ingestLines, measureIngestion } from "./ingest";
import { measureMemory, memoryLine, MemoryReport } from "./memory";
import { describeAttack, measureAttack } from "./attack";
import { benchParameters, startServer, Started, stop, tableCounts } from "./processes";
import { Q1, Q2, Q3, Q4, Q5, Q6 } from "./queries";
import { measure, Measured, NOTES_MARKER, post, Request, Target } from "./measure";
import { runPostgres } from "./postgres";

interface Options {
  quotes: number;
  seed: number;
  duration: number;
  connections: number;
  out: string;
  /** Only this query (`--only Q6`): its targets alone, printed and not written to `out`. */
  only: string | null;
  /** Which database the server serves from: the full SQLite run, or the PostgreSQL run (bench/postgres.ts). */
  db: "sqlite" | "postgres" | "both";
  /** PostgreSQL server and role for `--db postgres` (default: scripts/pg-local.sh's). */
  url: string;
  /** Copy the SQLite file into PostgreSQL again even if the database holds it. */
  recopy: boolean;
}

const USAGE = `Usage: npm run bench -- [options]
  --quotes N        quotes in the generated database (default 100000; generated once into bench/kb-q<N>-s<seed>.sqlite)
  --seed N          generator seed (default 42)
  --duration S      seconds of load per query (default 10)
  --connections N   concurrent connections under load (default 10)
  --out FILE        where to write the Markdown results (default bench/RESULTS.md)
  --only Q6         measure only Q6 (server, Express baseline, raw node:http) and print it; writes nothing
  --db D            sqlite (default: the full run), postgres (the server with DATABASE_URL on a copy of
                    the generated file in the database kb_bench_q<N>_s<seed>: Q1–Q5, Q2 against
                    PostGraphile, 2 processes vs 1; written to its own section of the notes), or both
                    (the same, with the server on SQLite in turns in the Q1–Q5 table)
  --url URL         PostgreSQL server and role that may create databases, for --db postgres/both
                    (default: scripts/pg-local.sh start)
  --recopy          copy into PostgreSQL again even if the database already holds the same counts
  --help            print this and exit`;

function parseArgs(argv: string[]): Options {
  const options: Options = { quotes: 100_000, seed: 42, duration: 10, connections: 10, out: path.join(PROJECT_ROOT, "bench", "RESULTS.md"), only: null, db: "sqlite", url: "", recopy: false };
  for (let i = 0; i < argv.length; i += 1) {
    const [flag, value] = [argv[i], argv[i + 1]];
    if (flag === "--help" || flag === "-h") {
      console.log(USAGE);
      process.exit(0);
    } else if (flag === "--recopy") {
      options.recopy = true;
      continue;
    } else if (flag === "--quotes") options.quotes = Number(value);
    else if (flag === "--url") options.url = value;
    else if (flag === "--db") {
      if (value !== "sqlite" && value !== "postgres" && value !== "both") throw new Error(`--db takes sqlite, postgres or both, not ${value}`);
      options.db = value;
    }
    else if (flag === "--seed") options.seed = Number(value);
    else if (flag === "--duration") options.duration = Number(value);
    else if (flag === "--connections") options.connections = Number(value);
    else if (flag === "--out") options.out = path.resolve(value);
    else if (flag === "--only") {
      if (value !== "Q6") throw new Error(`--only takes Q6, not ${value}`);
      options.only = value;
    }
    else throw new Error(`unknown flag ${flag}`);
    i += 1;
  }
  return options;
}

/** The target name of the server started with its search cache off. */
const NO_CACHE = "server, no cache";
/** The target name of the baseline on plain node:http, without Express: the limit for a small request. */
const RAW = "raw node:http";

const BASELINE_ENTRY = path.join(PROJECT_ROOT, "dist", "bench", "baseline.js");

async function startBaseline(databasePath: string, port: number, flavour: "express" | "raw" = "express"): Promise<Started> {
  const started = process.hrtime.bigint();
  const child = fork(BASELINE_ENTRY, [databasePath, String(port), flavour], { stdio: ["ignore", "ignore", "inherit", "ipc"] });
  await new Promise<void>((resolve, reject) => {
    child.once("message", () => resolve());
    child.once("exit", (code) => reject(new Error(`baseline exited with ${code}`)));
  });
  return { child, url: `http://127.0.0.1:${port}/graphql`, startupMs: Number(process.hrtime.bigint() - started) / 1e6 };
}

/** The notes of an existing results file, from `NOTES_MARKER` on, or nothing. */
function keptNotes(file: string): string {
  const text = fs.existsSync(file) ? fs.readFileSync(file, "utf8") : "";
  const at = text.indexOf(NOTES_MARKER);
  return at === -1 ? "" : `\n${text.slice(at)}`;
}

/**
 * Reads the database file once, so that its pages are in the operating system's cache before
 * anything is timed: otherwise whichever target runs first pays the disk reads.
 */
function warmFileCache(file: string): void {
  const buffer = Buffer.alloc(8 * 2 ** 20);
  const fd = fs.openSync(file, "r");
  try {
    while (fs.readSync(fd, buffer, 0, buffer.length, null) > 0);
  } finally {
    fs.closeSync(fd);
  }
}

async function main(): Promise<void> {
  const options = parseArgs(process.argv.slice(2));
  if (options.db !== "sqlite") {
    await runPostgres({ ...options, both: options.db === "both" });
    return;
  }
  fs.mkdirSync(path.join(PROJECT_ROOT, "bench"), { recursive: true });
  const databasePath = path.join(PROJECT_ROOT, "bench", `kb-q${options.quotes}-s${options.seed}.sqlite`);
  let generation = "reused";
  if (!fs.existsSync(databasePath)) {
    console.error(`Generating ${options.quotes} quotes into ${path.relative(PROJECT_ROOT, databasePath)} …`);
    const report = await generate({ out: databasePath, quotes: options.quotes, seed: options.seed });
    generation = `${report.totalRows.toLocaleString("en")} rows in ${report.seconds.toFixed(1)} s (${Math.round(report.rowsPerSecond).toLocaleString("en")} rows/s)`;
  }
  const counts = tableCounts(databasePath);
  if (options.only === "Q6") {
    await onlyQ6(databasePath, options);
    return;
  }

  // Start-up on the seed: an empty database file, migrated and seeded on start.
  const seedDir = fs.mkdtempSync(path.join(os.tmpdir(), "kb-bench-seed-"));
  const seedServer = await startServer(path.join(seedDir, "kb.sqlite"), 4101);
  await stop(seedServer.child);
  const seedAgain = await startServer(path.join(seedDir, "kb.sqlite"), 4101);
  await stop(seedAgain.child);
  // Memory on a fresh server: 20,000 distinct operations, each twice (see memory.ts).
  const memoryServer = await startServer(path.join(seedDir, "kb.sqlite"), 4101);
  let memory: MemoryReport;
  try {
    memory = await measureMemory(memoryServer.url, memoryServer.child.pid as number, { operations: 20_000, concurrency: 4 });
  } finally {
    await stop(memoryServer.child);
  }

  const server = await startServer(databasePath, 4102);
  // The integrity check the server has just started in the background (README, "Bad database
  // files"), timed here on the same file: it also waits out the server's, which would otherwise
  // share the cores with the first measurements.
  const checking = new BetterSqlite3(databasePath, { readonly: true });
  const integrity = quickCheck(checking);
  checking.close();
  const baseline = await startBaseline(databasePath, 4103);
  const rawBaseline = await startBaseline(databasePath, 4105, "raw");
  try {
    const { personId, deep, deepCursor, countryCode } = benchParameters(databasePath, counts);

    const q1: Request = { query: Q1, variables: { id: personId } };
    const q2: Request = { query: Q2 };
    // A phrase that matches about 1% of quotes, as most searches do, and the single most common
    // content word (about 20% of quotes), the worst case for ranking: bm25 scores every match.
    const phrase: Request = { query: Q3, variables: { q: '"prisoner exchange"' } };
    const commonWord: Request = { query: Q3, variables: { q: "negotiations" } };
    const identical: string[] = [];
    const compare = async (name: string, serverUrl: string, request: Request, baselineUrl = baseline.url): Promise<void> => {
      const a = await post(serverUrl, request);
      const b = await post(baselineUrl, request);
      const same = a.body.equals(b.body);
      identical.push(`${name}: ${same ? "identical" : "DIFFERENT"} (${a.body.length.toLocaleString("en")} bytes)`);
      if (!same) {
        const at = [...a.body].findIndex((byte, i) => byte !== b.body[i]);
        console.error(`${name} differs at byte ${at}:\nserver:   ${a.body.subarray(Math.max(0, at - 80), at + 80).toString()}\nbaseline: ${b.body.subarray(Math.max(0, at - 80), at + 80).toString()}`);
        process.exitCode = 1;
      }
    };
    await compare("Q1", server.url, q1);
    await compare("Q2", server.url, q2);
    const q6: Request = { query: Q6, variables: { id: personId } };
    await compare("Q6", server.url, q6);
    await compare("Q6 on plain node:http", server.url, q6, rawBaseline.url);

    console.error(`Measuring: ${options.duration} s per query and target, ${options.connections} connections`);
    warmFileCache(databasePath);
    const rows: Measured[] = [];
    const ours: Target = { target: "server", url: server.url, pid: server.child.pid };
    const base: Target = { target: "baseline", url: baseline.url, pid: baseline.child.pid };
    const plain: Target = { target: RAW, url: rawBaseline.url, pid: rawBaseline.child.pid };
    rows.push(...(await measure("Q1 person + 20 quotes", [ours, base], q1, options)));
    rows.push(...(await measure("Q2 nested 20×20", [ours, base], q2, options)));
    // A frontend's small request: SQL is a few index look-ups, so this is the rest of the stack.
    rows.push(...(await measure("Q6 small node", [ours, base, plain], q6, options)));
    // The server answers a search asked before from its cache; a second server with the cache
    // off shows what ranking afresh costs, which every new search pays, side by side with the
    // baseline's single statement.
    rows.push(...(await measure("Q3 search, 20 snippets", [ours], phrase, options)));
    const uncached = await startServer(databasePath, 4104, { READ_CACHE_ENTRIES: "0" });
    try {
      // Against the server without a cache, so that the cached one's first probe still ranks.
      await compare("Q3", uncached.url, phrase);
      const fresh: Target = { target: NO_CACHE, url: uncached.url, pid: uncached.child.pid };
      rows.push(...(await measure("Q3 search, 20 snippets", [fresh, base], phrase, options)));
      rows.push(...(await measure("Q3 search, most common word", [fresh, base], commonWord, options, true)));
      rows.push(...(await measure("Q4 people, first page", [ours], { query: Q4, variables: { after: null } }, options)));
      rows.push(...(await measure(`Q4 people, ${deep.toLocaleString("en")} deep`, [ours], { query: Q4, variables: { after: deepCursor } }, options)));
      // The count is kept in the read cache like a search; the second server shows it counted afresh.
      rows.push(...(await measure("Q5 relation filter + count", [ours, fresh], { query: Q5, variables: { code: countryCode } }, options)));
    } finally {
      await stop(uncached.child);
    }
    // Q1 for one client while another loops a query whose answer would be gigabytes (attack.ts).
    const attack = await measureAttack(server.url, q1, { duration: options.duration, pid: server.child.pid });
    rows.push({
      name: "Attack: Q1 while one client loops the attack query",
      target: "server",
      rps: attack.attacked.rps,
      p50: attack.attacked.p50,
      p99: attack.attacked.p99,
      aloneP50: attack.alone.p50,
      aloneP99: attack.alone.p99,
      statements: "–",
      peakMiB: attack.peakRssMiB,
      errors: attack.cheapErrors,
    });

    // Ingestion (ingest.ts): one article proposed, and `npm run ingest` over 1,000 generated ones.
    const ingestion = await measureIngestion(databasePath, { articles: 1000 });

    const ratio = (name: string, target = "server", against = "baseline"): string => {
      const s = rows.find((r) => r.name.startsWith(name) && r.target === target) as Measured;
      const b = rows.find((r) => r.name.startsWith(name) && r.target === against) as Measured;
      return `${((100 * s.rps) / b.rps).toFixed(0)}% of ${against} throughput, p50 ${(s.p50 / Math.max(b.p50, 0.01)).toFixed(1)}×`;
    };
    const deepRatio = (() => {
      const first = rows.find((r) => r.name === "Q4 people, first page") as Measured;
      const deepRowM = rows.find((r) => r.name.startsWith("Q4 people,") && r.name.endsWith("deep")) as Measured;
      return `${(deepRowM.p50 / Math.max(first.p50, 0.01)).toFixed(2)}× the first page's p50`;
    })();

    const q3 = rows.find((r) => r.name === "Q3 search, 20 snippets" && r.target === "server") as Measured;
    const q3Fresh = rows.find((r) => r.name === "Q3 search, 20 snippets" && r.target === NO_CACHE) as Measured;
    const q5 = rows.find((r) => r.name.startsWith("Q5") && r.target === "server") as Measured;
    const q5Fresh = rows.find((r) => r.name.startsWith("Q5") && r.target === NO_CACHE) as Measured;
    const cpu = os.cpus();
    const lines = [
      `# Benchmark results`,
      ``,
      `Run ${new Date().toISOString()} with \`npm run bench -- --quotes ${options.quotes} --duration ${options.duration} --connections ${options.connections}\`.`,
      ``,
      `- Machine: ${cpu.length} cores (${cpu[0]?.model ?? "unknown"}), ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB, Node.js ${process.version}, ${os.platform()} ${os.release()}`,
      `- Database: ${Object.entries(counts).map(([t, n]) => `${n.toLocaleString("en")} ${t}`).join(", ")} (${(fs.statSync(databasePath).size / 2 ** 20).toFixed(0)} MiB); generation: ${generation}`,
      `- Server: \`node dist/src/index.js\` with NODE_ENV=production; baseline: hand-written better-sqlite3 + JSON.stringify on the same Express stack (Q3: one statement on the main thread, no cache); raw node:http: the same on plain \`node:http\` with no framework (Q6); load: autocannon in this process`,
      `- Identical response bytes: ${identical.join("; ")}`,
      ``,
      `Requests/s, p50 and p99 are under load (${options.connections} connections); "alone" is one connection, the latency a single client sees. SQL statements are those of one request, "first → repeated" where a repeat costs less (a search or a count answered from the read cache; "server, no cache" runs with \`READ_CACHE_ENTRIES=0\`).`,
      ``,
      `| Query | Target | Requests/s | p50 (ms) | p99 (ms) | p50 alone (ms) | p99 alone (ms) | SQL statements | Peak RSS (MiB) | Errors |`,
      `| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |`,
      ...rows.map(
        (r) =>
          `| ${r.name} | ${r.target} | ${r.rps.toFixed(0)} | ${r.p50} | ${r.p99} | ${r.aloneP50} | ${r.aloneP99} | ${r.statements} | ${r.peakMiB?.toFixed(0) ?? "–"} | ${r.errors} |`,
      ),
      ``,
      `- Q1: ${ratio("Q1")}`,
      `- Q2: ${ratio("Q2")}`,
      `- Q6: ${ratio("Q6", "server", RAW)} (the limit); ${ratio("Q6")} on Express; the Express baseline itself: ${ratio("Q6", "baseline", RAW)}`,
      `- Q3: a search asked before (from the cache): p50 ${q3.aloneP50} ms for one client, ${q3.p50} ms under load; ranked afresh (\`READ_CACHE_ENTRIES=0\`): p50 ${q3Fresh.aloneP50} ms for one client, ${q3Fresh.p50} ms under load; ranked afresh against the baseline's one statement: ${ratio("Q3 search, 20", NO_CACHE)} (the most common word: ${ratio("Q3 search, most", NO_CACHE)})`,
      `- Q4: the deep page costs ${deepRatio}`,
      `- Q5: with its count from the cache, p50 ${q5.aloneP50} ms for one client, ${q5.p50} ms under load; counted afresh, p50 ${q5Fresh.aloneP50} ms for one client, ${q5Fresh.p50} ms under load`,
      `- ${describeAttack(attack)}`,
      `- Start-up to the first answered query: ${seedServer.startupMs.toFixed(0)} ms on an empty database (migrate + seed), ${seedAgain.startupMs.toFixed(0)} ms on the seeded one, ${server.startupMs.toFixed(0)} ms on the generated one.`,
      memoryLine(memory),
      `- Integrity check (\`PRAGMA quick_check\`, run by the server in a child process after it listens): ${integrity.milliseconds.toFixed(0)} ms on the generated database${integrity.ok ? "" : `, which FAILED it: ${integrity.findings[0]}`}.`,
      ``,
      ...ingestLines(ingestion),
      ``,
    ];
    const markdown = lines.join("\n");
    console.log(markdown);
    fs.writeFileSync(options.out, `${markdown}${keptNotes(options.out)}`);
    console.error(`Wrote ${path.relative(process.cwd(), options.out)}`);
  } finally {
    await stop(server.child);
    await stop(baseline.child);
    await stop(rawBaseline.child);
  }
}

/**
 * `--only Q6`: the small request alone, on the server and both baselines, in turns as in the full
 * run; a minute instead of the full run's several. Prints the rows and the ratios.
 */
async function onlyQ6(databasePath: string, options: Options): Promise<void> {
  const server = await startServer(databasePath, 4102);
  const baseline = await startBaseline(databasePath, 4103);
  const rawBaseline = await startBaseline(databasePath, 4105, "raw");
  try {
    const raw = new BetterSqlite3(databasePath, { readonly: true });
    const speaker = raw.prepare(`SELECT speakerId AS id FROM quote WHERE speakerId IS NOT NULL GROUP BY speakerId ORDER BY COUNT(*) DESC, speakerId LIMIT 1`).get() as { id: number };
    raw.close();
    const q6: Request = { query: Q6, variables: { id: toGlobalId("Person", speaker.id) } };
    const a = await post(server.url, q6);
    const b = await post(rawBaseline.url, q6);
    if (!a.body.equals(b.body)) {
      console.error(`Q6 differs:\nserver: ${a.body.toString()}\nraw:    ${b.body.toString()}`);
      process.exitCode = 1;
    }
    warmFileCache(databasePath);
    const targets: Target[] = [
      { target: "server", url: server.url, pid: server.child.pid },
      { target: "baseline", url: baseline.url, pid: baseline.child.pid },
      { target: RAW, url: rawBaseline.url, pid: rawBaseline.child.pid },
    ];
    const rows = await measure("Q6 small node", targets, q6, options);
    const [ours, base, plain] = rows;
    console.log(`| Query | Target | Requests/s | p50 (ms) | p99 (ms) | p50 alone (ms) | p99 alone (ms) | SQL statements | Peak RSS (MiB) | Errors |`);
    console.log(`| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |`);
    for (const r of rows) {
      console.log(`| ${r.name} | ${r.target} | ${r.rps.toFixed(0)} | ${r.p50} | ${r.p99} | ${r.aloneP50} | ${r.aloneP99} | ${r.statements} | ${r.peakMiB?.toFixed(0) ?? "–"} | ${r.errors} |`);
    }
    console.log(
      `\nQ6 (${a.body.length} bytes, ${a.body.equals(b.body) ? "identical" : "DIFFERENT"}): server at ${((100 * ours.rps) / plain.rps).toFixed(0)}% of raw node:http, ${((100 * ours.rps) / base.rps).toFixed(0)}% of the Express baseline; the Express baseline at ${((100 * base.rps) / plain.rps).toFixed(0)}% of raw`,
    );
  } finally {
    await stop(server.child);
    await stop(baseline.child);
    await stop(rawBaseline.child);
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
