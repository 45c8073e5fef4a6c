/**
 * Copies a knowledge base between SQLite and PostgreSQL (either way, or between two of a kind):
 * the target's schema is made by its own migrations, the tables are copied in foreign-key order in
 * batches, and the copy is verified by counting every table on both sides.
 */
import { copyPlan, CopyError, TablePlan } from "./plan";
import { PostgresSource, PostgresTarget } from "./postgres";
import { SqliteSource, SqliteTarget } from "./sqlite";
import type { SourceDb, TargetDb } from "./types";

export { CopyError } from "./plan";

export interface CopyOptions {
  /** A SQLite file path, or a `postgres://` URL. */
  from: string;
  to: string;
  /** Overwrite a target that already holds data. */
  replace?: boolean;
  /** Rows per batch (one COPY chunk, one read). */
  batchSize?: number;
  /** Called once before the first row with the rows to copy, then after every batch. */
  onProgress?: (progress: { table: string; rowsDone: number; rowsTotal: number }) => void;
}

export interface TableReport {
  table: string;
  source: number;
  target: number;
}

export interface CopyReport {
  from: string;
  to: string;
  tables: TableReport[];
  /** Rows full-text search finds on the target, and how many it should (articles, people, organizations, quotes). */
  search: { target: number; expected: number };
  rows: number;
  seconds: number;
  /** Seconds spent checking and migrating both ends, copying rows, then indexes, keys and search on the target, then counting. */
  phases: { prepare: number; load: number; finish: number; verify: number };
  /** Whether every count matches. */
  ok: boolean;
}

export const DEFAULT_BATCH_SIZE = 5000;

export function isPostgresUrl(location: string): boolean {
  return /^postgres(ql)?:\/\//i.test(location);
}

const SEARCHABLE_TABLES = ["article", "person", "organization", "quote"];

export async function copyDatabase(options: CopyOptions): Promise<CopyReport> {
  if (options.from === options.to) throw new CopyError("--from and --to are the same database");
  const batchSize = options.batchSize ?? DEFAULT_BATCH_SIZE;
  const plan: TablePlan[] = copyPlan();
  const started = process.hrtime.bigint();
  const since = (from: bigint): number => Number(process.hrtime.bigint() - from) / 1e9;
  let source: SourceDb | null = null;
  let target: TargetDb | null = null;
  try {
    if (isPostgresUrl(options.from)) {
      const pg = new PostgresSource(options.from);
      source = pg;
      await pg.open();
    } else {
      source = new SqliteSource(options.from);
    }
    const counts = new Map<string, number>();
    for (const { table } of plan) counts.set(table, await source.count(table));
    const sequences = await source.sequences();
    target = isPostgresUrl(options.to) ? new PostgresTarget(options.to, options.replace ?? false) : new SqliteTarget(options.to, options.replace ?? false);
    await target.prepare(plan);
    const loading = process.hrtime.bigint();

    const rowsTotal = [...counts.values()].reduce((a, b) => a + b, 0);
    let rowsDone = 0;
    options.onProgress?.({ table: plan[0].table, rowsDone, rowsTotal });
    for (const table of plan) {
      await target.write(table, source.rows(table, batchSize), (rows) => {
        rowsDone += rows;
        options.onProgress?.({ table: table.table, rowsDone, rowsTotal });
      });
    }
    options.onProgress?.({ table: "indexes", rowsDone, rowsTotal });
    const finishing = process.hrtime.bigint();
    await target.finish(plan, sequences);
    const verifying = process.hrtime.bigint();

    const tables: TableReport[] = [];
    for (const { table } of plan) tables.push({ table, source: counts.get(table) ?? 0, target: await target.count(table) });
    const expected = SEARCHABLE_TABLES.reduce((n, t) => n + (counts.get(t) ?? 0), 0);
    const search = { target: await target.searchRows(), expected };
    const seconds = since(started);
    const phases = { prepare: since(started) - since(loading), load: since(loading) - since(finishing), finish: since(finishing) - since(verifying), verify: since(verifying) };
    return {
      from: source.label,
      to: target.label,
      tables,
      search,
      rows: rowsTotal,
      seconds,
      phases,
      ok: tables.every((t) => t.source === t.target) && search.target === search.expected,
    };
  } finally {
    await source?.close();
    await target?.close();
  }
}
