/**
 * The ingestion step of `npm run bench`: how long proposing one article takes (the seed article,
 * 3,529 characters, into the seeded knowledge base), and how many articles a second
 * `npm run ingest` proposes from a folder of generated articles, run as the real command.
 */
import { execFile } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import BetterSqlite3 from "better-sqlite3";
import { Database } from "../src/storage/database";
import { PROJECT_ROOT } from "../src/paths";
import { loadFixtures } from "../src/seed/fixture";
import { seedAll } from "../src/seed/seed";
import { proposeArticle } from "../src/services/ingest/propose";

/** What the ingestion step measured. */
export interface IngestReport {
  /** Characters of the article proposed again and again. */
  singleChars: number;
  singleMedianMs: number;
  singleP95Ms: number;
  /** Articles the command proposed, and in how long (start-up included). */
  articles: number;
  seconds: number;
  perSecond: number;
}

const CLI_ENTRY = path.join(PROJECT_ROOT, "dist", "src", "ingest", "cli.js");

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))];
}

/** Builds a seeded knowledge base in a new folder `dir` and returns the file's path. */
async function seededDatabase(dir: string): Promise<string> {
  fs.mkdirSync(dir);
  const file = path.join(dir, "kb.sqlite");
  const db = await Database.open(file, { readWorkers: 0 });
  try {
    await seedAll(db, loadFixtures());
  } finally {
    await db.close();
  }
  return file;
}

/** Measures ingestion; `generatedDb` supplies the articles for the command's run. */
export async function measureIngestion(generatedDb: string, options: { articles?: number; runs?: number } = {}): Promise<IngestReport> {
  const articles = options.articles ?? 1000;
  const runs = options.runs ?? 30;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "news-kb-bench-ingest-"));
  try {
    const [fixture] = loadFixtures();
    const body = fixture.body;
    const single = await seededDatabase(path.join(dir, "single"));
    const db = await Database.open(single, { readWorkers: 0 });
    const times: number[] = [];
    try {
      for (let i = 0; i < runs; i++) {
        const started = process.hrtime.bigint();
        await proposeArticle(db, "bench", { url: `https://bench.example/single-${i}`, title: "Bench", publisher: "Bench", publishedAt: "2019-04-09", body });
        times.push(Number(process.hrtime.bigint() - started) / 1e6);
      }
    } finally {
      await db.close();
    }
    times.sort((a, b) => a - b);

    const folder = path.join(dir, "articles");
    fs.mkdirSync(folder);
    const source = new BetterSqlite3(generatedDb, { readonly: true, fileMustExist: true });
    try {
      const rows = source.prepare(`SELECT id, body FROM article ORDER BY id LIMIT ?`).all(articles) as Array<{ id: number; body: string }>;
      for (const row of rows) fs.writeFileSync(path.join(folder, `${String(row.id).padStart(6, "0")}.md`), row.body);
    } finally {
      source.close();
    }
    const many = await seededDatabase(path.join(dir, "many"));
    const started = process.hrtime.bigint();
    await promisify(execFile)(process.execPath, [CLI_ENTRY, folder, "--url-prefix", "https://bench.example/a/", "--published", "2019-01-01", "--editor", "bench"], {
      env: { ...process.env, DATABASE_PATH: many, LOG_LEVEL: "silent" },
      maxBuffer: 64 * 1024 * 1024,
    });
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    const proposed = new BetterSqlite3(many, { readonly: true });
    const count = (proposed.prepare(`SELECT COUNT(*) AS n FROM proposal`).get() as { n: number }).n;
    proposed.close();
    return {
      singleChars: body.length,
      singleMedianMs: percentile(times, 0.5),
      singleP95Ms: percentile(times, 0.95),
      articles: count,
      seconds,
      perSecond: count / seconds,
    };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** The report as Markdown lines for bench/RESULTS.md. */
export function ingestLines(report: IngestReport): string[] {
  return [
    `| Ingestion | median | p95 | goal |`,
    `| --- | --- | --- | --- |`,
    `| proposeArticle, one ${report.singleChars}-character article | ${report.singleMedianMs.toFixed(1)} ms | ${report.singleP95Ms.toFixed(1)} ms | < 200 ms |`,
    `| npm run ingest, ${report.articles} generated articles | ${report.perSecond.toFixed(1)} articles/s | ${report.seconds.toFixed(1)} s in all | ≥ 20 articles/s |`,
  ];
}
