import type { TablePlan } from "./plan";

/** One row as an array of values in the plan's column order. */
export type Row = unknown[];

export interface SourceDb {
  /** The database as it may be printed (a PostgreSQL URL without its password). */
  readonly label: string;
  count(table: string): Promise<number>;
  /** Each table's id sequence: the highest id ever handed out, deleted rows included. */
  sequences(): Promise<Map<string, number>>;
  /** The table's rows in id order, in batches. */
  rows(plan: TablePlan, batchSize: number): AsyncIterable<Row[]>;
  close(): Promise<void>;
}

export interface TargetDb {
  readonly label: string;
  /** Makes the schema (the target's migrations) and refuses data already there unless replacing. */
  prepare(plan: readonly TablePlan[]): Promise<void>;
  write(plan: TablePlan, batches: AsyncIterable<Row[]>, onBatch: (rows: number) => void): Promise<void>;
  /** Sequences, search index, foreign keys checked, commit: after this the copy is in place. */
  finish(plan: readonly TablePlan[], sourceSequences: Map<string, number>): Promise<void>;
  count(table: string): Promise<number>;
  /** Rows that full-text search finds: one per article, person, organization and quote. */
  searchRows(): Promise<number>;
  close(): Promise<void>;
}
