/**
 * `npm run generate -- --quotes 1000000 [--out bench/kb-1m.sqlite] [--seed 42] [--force]`:
 * writes a synthetic knowledge base for benchmarks into its own SQLite file.
 */
import "reflect-metadata";
import path from "node:path";
import { parseArgs } from "node:util";
import { Presets, SingleBar } from "cli-progress";
import { loadConfig } from "../../src/config";
import { PROJECT_ROOT } from "../../src/paths";
import { DEFAULT_RATIOS, DEFAULT_SEED, generate, GenerateError, GenerateOptions, GenerateReport, TABLES } from "./generate";

const USAGE = `Usage: npm run generate -- --quotes N [options]

Writes a synthetic knowledge base (every quote and position evidenced in a generated article body)
into a new SQLite file built by the project's migrations.

  --quotes N          quotes to generate (required); the other sizes scale from it
  --out FILE          database file (default bench/kb-<N>.sqlite in the project)
  --seed N            same seed, same database (default ${DEFAULT_SEED})
  --force             replace FILE if it exists
  --articles N        default quotes × ${DEFAULT_RATIOS.articles}
  --people N          default quotes × ${DEFAULT_RATIOS.people}
  --organizations N   default quotes × ${DEFAULT_RATIOS.organizations}
  --positions N       default quotes × ${DEFAULT_RATIOS.positions}
  --countries N       default √quotes / 4, at most 250
  --quiet             no progress bar
  --json              print the report as JSON instead of a table
  --help

Numbers may use a k or m suffix and underscores: 100k, 1m, 1_000_000.`;

/** "1m" → 1000000, "100k" → 100000, "2_000" → 2000. */
function parseCount(flag: string, value: string): number {
  const match = /^(\d+(?:\.\d+)?)([km]?)$/i.exec(value.replace(/_/g, ""));
  const multiplier = match?.[2].toLowerCase() === "m" ? 1_000_000 : match?.[2].toLowerCase() === "k" ? 1_000 : 1;
  const n = match ? Math.round(Number(match[1]) * multiplier) : NaN;
  if (!Number.isSafeInteger(n) || n < 0) throw new GenerateError(`--${flag} must be a whole number ≥ 0, got "${value}"`);
  return n;
}

/** 1000000 → "1m", 100000 → "100k", 2500 → "2500": the default file name's size label. */
function sizeLabel(n: number): string {
  if (n >= 1_000_000 && n % 1_000_000 === 0) return `${n / 1_000_000}m`;
  if (n >= 1_000 && n % 1_000 === 0) return `${n / 1_000}k`;
  return String(n);
}

function formatBytes(bytes: number): string {
  if (bytes >= 1024 ** 3) return `${(bytes / 1024 ** 3).toFixed(2)} GiB`;
  if (bytes >= 1024 ** 2) return `${(bytes / 1024 ** 2).toFixed(1)} MiB`;
  return `${(bytes / 1024).toFixed(1)} KiB`;
}

function summary(report: GenerateReport): string {
  const n = (value: number): string => Math.round(value).toLocaleString("en-US");
  const width = Math.max(...TABLES.map((table) => n(report.counts[table]).length), n(report.totalRows).length);
  const lines = [`Generated ${report.path} (seed ${report.seed})`];
  for (const table of TABLES) lines.push(`  ${table.padEnd(13)}${n(report.counts[table]).padStart(width)}`);
  lines.push(`  ${"total".padEnd(13)}${n(report.totalRows).padStart(width)} rows`);
  lines.push(`  ${report.seconds.toFixed(1)} s, ${n(report.rowsPerSecond)} rows/s, ${formatBytes(report.fileBytes)}`);
  const p = report.phases;
  lines.push(`  migrate ${p.migrate.toFixed(1)} s, generate and insert ${p.load.toFixed(1)} s, build indexes ${p.index.toFixed(1)} s, analyze ${p.analyze.toFixed(1)} s`);
  if (report.triggers.length > 0) lines.push(`  inserts fed the triggers ${report.triggers.join(", ")}`);
  return lines.join("\n");
}

async function main(argv: string[]): Promise<void> {
  const { values } = parseArgs({
    args: argv,
    options: {
      quotes: { type: "string" },
      out: { type: "string" },
      seed: { type: "string" },
      force: { type: "boolean", default: false },
      articles: { type: "string" },
      people: { type: "string" },
      organizations: { type: "string" },
      positions: { type: "string" },
      countries: { type: "string" },
      quiet: { type: "boolean", default: false },
      json: { type: "boolean", default: false },
      help: { type: "boolean", default: false },
    },
    strict: true,
    allowPositionals: false,
  });
  if (values.help) {
    console.log(USAGE);
    return;
  }
  if (values.quotes === undefined) throw new GenerateError("--quotes is required");
  const quotes = parseCount("quotes", values.quotes);
  const optional = (flag: "articles" | "people" | "organizations" | "positions" | "countries"): number | undefined =>
    values[flag] === undefined ? undefined : parseCount(flag, values[flag]);
  let seed = DEFAULT_SEED;
  if (values.seed !== undefined) {
    seed = Number(values.seed);
    if (!/^-?\d+$/.test(values.seed) || !Number.isSafeInteger(seed)) throw new GenerateError(`--seed must be an integer, got "${values.seed}"`);
  }
  const out = values.out !== undefined ? path.resolve(values.out) : path.join(PROJECT_ROOT, "bench", `kb-${sizeLabel(quotes)}.sqlite`);
  // The generator already refuses data/kb.sqlite; this also covers a DATABASE_PATH pointing elsewhere.
  const live = loadConfig().databasePath;
  if (out === live) throw new GenerateError(`refusing to generate into the configured DATABASE_PATH ${live}`);

  const bar =
    values.quiet || !process.stderr.isTTY
      ? null
      : new SingleBar(
          {
            stream: process.stderr,
            format: "{phase} [{bar}] {percentage}% | {value}/{total} rows | {duration_formatted} elapsed, ETA {eta_formatted}",
            hideCursor: true,
            etaBuffer: 50,
          },
          Presets.shades_classic,
        );
  let barStarted = false;
  const options: GenerateOptions = {
    out,
    quotes,
    articles: optional("articles"),
    people: optional("people"),
    organizations: optional("organizations"),
    positions: optional("positions"),
    countries: optional("countries"),
    seed,
    force: values.force,
    onProgress: bar
      ? ({ phase, rowsDone, rowsTotal }) => {
          if (!barStarted) bar.start(rowsTotal, rowsDone, { phase: phase.padEnd(12) });
          else bar.update(rowsDone, { phase: phase.padEnd(12) });
          barStarted = true;
        }
      : undefined,
  };
  let report: GenerateReport;
  try {
    report = await generate(options);
  } finally {
    bar?.stop();
  }
  console.log(values.json ? JSON.stringify(report, null, 2) : summary(report));
}

main(process.argv.slice(2)).catch((error: unknown) => {
  // Usage mistakes get one line and the usage; anything else is a bug worth its stack trace.
  if (error instanceof GenerateError || (error instanceof TypeError && "code" in error && String(error.code).startsWith("ERR_PARSE_ARGS"))) {
    console.error(`generate: ${error.message}\n\n${USAGE}`);
  } else {
    console.error(error);
  }
  process.exit(1);
});
