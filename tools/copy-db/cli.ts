/**
 * `npm run copy-db -- --from data/kb.sqlite --to postgres://…` (and back): copies a knowledge
 * base between SQLite and PostgreSQL with a progress bar, and verifies the copy by counts.
 */
import "reflect-metadata";
import path from "node:path";
import { parseArgs } from "node:util";
import { Presets, SingleBar } from "cli-progress";
import { PostgresStartupError } from "../../src/storage/postgres";
import { copyDatabase, CopyError, CopyReport, DEFAULT_BATCH_SIZE, isPostgresUrl } from "./copy";

const USAGE = `Usage: npm run copy-db -- --from SOURCE --to TARGET [options]

Copies a knowledge base between SQLite and PostgreSQL, either way. SOURCE and TARGET are a
SQLite file or a postgres://user:password@host:port/database URL. The target's schema is made
by its own migrations; every table is copied (in foreign-key order, in batches) and counted on
both sides at the end. A failed copy leaves the target as it was.

  --from SOURCE     the database to copy (left unchanged)
  --to TARGET       the database to copy into; must hold no data unless --replace
  --replace         overwrite a target that holds data
  --batch N         rows per batch (default ${DEFAULT_BATCH_SIZE})
  --quiet           no progress bar
  --json            print the report as JSON
  --help

Exit code 1 when the copy fails or a count differs.`;

function summary(report: CopyReport): string {
  const n = (value: number): string => Math.round(value).toLocaleString("en-US");
  const width = Math.max(6, ...report.tables.map((t) => n(Math.max(t.source, t.target)).length));
  const lines = [`Copied ${report.from} → ${report.to}`, `  ${"table".padEnd(13)}${"source".padStart(width)}  ${"target".padStart(width)}`];
  for (const t of report.tables) lines.push(`  ${t.table.padEnd(13)}${n(t.source).padStart(width)}  ${n(t.target).padStart(width)}${t.source === t.target ? "" : "  MISMATCH"}`);
  const s = report.search;
  lines.push(`  ${"(search)".padEnd(13)}${n(s.expected).padStart(width)}  ${n(s.target).padStart(width)}${s.expected === s.target ? "" : "  MISMATCH"}`);
  lines.push(`  ${n(report.rows)} rows in ${report.seconds.toFixed(1)} s (${n(report.rows / Math.max(report.seconds, 1e-9))} rows/s)`);
  const p = report.phases;
  lines.push(`  prepare ${p.prepare.toFixed(1)} s, copy rows ${p.load.toFixed(1)} s, indexes, keys and search ${p.finish.toFixed(1)} s, count ${p.verify.toFixed(1)} s`);
  lines.push(report.ok ? "  every count matches" : "  COUNTS DIFFER: the copy is not complete");
  return lines.join("\n");
}

async function main(argv: string[]): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: {
      from: { type: "string" },
      to: { type: "string" },
      replace: { type: "boolean", default: false },
      batch: { type: "string" },
      quiet: { type: "boolean", default: false },
      json: { type: "boolean", default: false },
      help: { type: "boolean", default: false },
    },
    strict: true,
    allowPositionals: false,
  });
  if (values.help) {
    console.log(USAGE);
    return 0;
  }
  if (!values.from || !values.to) throw new CopyError("--from and --to are required");
  let batchSize = DEFAULT_BATCH_SIZE;
  if (values.batch !== undefined) {
    batchSize = Number(values.batch);
    if (!/^\d+$/.test(values.batch) || batchSize < 1) throw new CopyError(`--batch must be a whole number ≥ 1, got "${values.batch}"`);
  }
  const location = (value: string): string => (isPostgresUrl(value) ? value : path.resolve(value));
  const bar =
    values.quiet || !process.stderr.isTTY
      ? null
      : new SingleBar(
          {
            stream: process.stderr,
            format: "{table} [{bar}] {percentage}% | {value}/{total} rows | {duration_formatted} elapsed, ETA {eta_formatted}",
            hideCursor: true,
            etaBuffer: 50,
          },
          Presets.shades_classic,
        );
  let started = false;
  let report: CopyReport;
  try {
    report = await copyDatabase({
      from: location(values.from),
      to: location(values.to),
      replace: values.replace,
      batchSize,
      onProgress: bar
        ? ({ table, rowsDone, rowsTotal }) => {
            if (!started) bar.start(rowsTotal, rowsDone, { table: table.padEnd(12) });
            else bar.update(rowsDone, { table: table.padEnd(12) });
            started = true;
          }
        : undefined,
    });
  } finally {
    bar?.stop();
  }
  console.log(values.json ? JSON.stringify(report, null, 2) : summary(report));
  return report.ok ? 0 : 1;
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    // A refused database or a usage mistake is one line; anything else is a bug worth its stack.
    if (error instanceof CopyError || error instanceof PostgresStartupError) {
      console.error(`copy-db: ${error.message}`);
    } else if (error instanceof TypeError && "code" in error && String(error.code).startsWith("ERR_PARSE_ARGS")) {
      console.error(`copy-db: ${error.message}\n\n${USAGE}`);
    } else {
      console.error(error);
    }
    process.exit(1);
  },
);
