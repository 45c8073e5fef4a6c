/**
 * copy-db's PostgreSQL ends. A source is read in one REPEATABLE READ, READ ONLY transaction (a
 * consistent snapshot), in id-keyset batches. A target is checked and migrated by `openPostgres`
 * (the server's own start-up checks), then loaded in one transaction: its foreign keys and
 * secondary indexes dropped, every table streamed in with COPY FROM STDIN (pg-copy-streams), the
 * indexes rebuilt and the foreign keys added back (which checks every row once), the id sequences
 * set past the copied ids, and COMMIT. A failure rolls all of it back: the target is as it was.
 */
import { once } from "node:events";
import { Client } from "pg";
import { from as copyFrom } from "pg-copy-streams";
import { postgresMigrations } from "../../src/migrations/postgres";
import { checkOwnDatabase, connectClient, MIGRATIONS_TABLE, openPostgres, redactUrl } from "../../src/storage/postgres";
import { BATCH_TEXT, columnList, CopyError, rowText, TablePlan } from "./plan";
import type { Row, SourceDb, TargetDb } from "./types";

/** Tables with a generated `search` tsvector column (src/migrations/postgres). */
const SEARCHABLE = ["article", "person", "organization", "quote"];

/** One value in COPY's text format. */
function copyField(value: unknown): string {
  if (value === null || value === undefined) return "\\N";
  if (typeof value === "number" || typeof value === "bigint") return String(value);
  if (typeof value === "string") return value.replace(/[\\\t\n\r]/g, (c) => (c === "\\" ? "\\\\" : c === "\t" ? "\\t" : c === "\n" ? "\\n" : "\\r"));
  throw new CopyError(`cannot copy a value of type ${typeof value} (${Buffer.isBuffer(value) ? "a blob" : String(value)})`);
}

/** An instant as SQLite keeps it: UTC, to the second, with milliseconds only when there are some. */
const INSTANT_TEXT = (column: string): string => `to_char("${column}" AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI:SS.MS')`;

export class PostgresSource implements SourceDb {
  readonly label: string;
  private client: Client | null = null;

  constructor(private readonly url: string) {
    this.label = redactUrl(url);
  }

  async open(): Promise<void> {
    const client = await connectClient(this.url, "--from");
    this.client = client;
    await checkOwnDatabase(client, this.url, "--from");
    const ran = new Set((await client.query<{ name: string }>(`SELECT "name" FROM "${MIGRATIONS_TABLE}"`).catch(() => ({ rows: [] as Array<{ name: string }> }))).rows.map((r) => r.name));
    const missing = postgresMigrations.map((m) => new m().name ?? m.name).filter((name) => !ran.has(name));
    if (missing.length > 0) throw new CopyError(`--from ${this.label} lacks migrations (${missing.join(", ")}): it is empty or not migrated; nothing to copy`);
    await client.query(`BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY`);
  }

  async count(table: string): Promise<number> {
    return Number((await this.client!.query<{ n: string }>(`SELECT COUNT(*) AS n FROM "${table}"`)).rows[0].n);
  }

  async sequences(): Promise<Map<string, number>> {
    const result = new Map<string, number>();
    for (const table of await this.tables()) {
      const row = (await this.client!.query<{ seq: string | null }>(`SELECT pg_get_serial_sequence($1, 'id') AS seq`, [`"${table}"`])).rows[0];
      if (!row.seq) continue;
      const value = (await this.client!.query<{ last_value: string; is_called: boolean }>(`SELECT last_value, is_called FROM ${row.seq}`)).rows[0];
      result.set(table, value.is_called ? Number(value.last_value) : 0);
    }
    return result;
  }

  private async tables(): Promise<string[]> {
    return (await this.client!.query<{ name: string }>(`SELECT tablename AS name FROM pg_tables WHERE schemaname = current_schema()`)).rows.map((r) => r.name);
  }

  async *rows(plan: TablePlan, batchSize: number): AsyncIterable<Row[]> {
    const select = plan.columns.map((c) => (plan.instants.includes(c) ? `${INSTANT_TEXT(c)} AS "${c}"` : `"${c}"`)).join(", ");
    const instantIndexes = plan.columns.map((c, i) => (plan.instants.includes(c) ? i : -1)).filter((i) => i >= 0);
    let after = -Infinity;
    // Rows per read: batchSize, or fewer when rows are long (articles), going by the last batch.
    let limit = Math.min(batchSize, 100);
    for (;;) {
      const result = await this.client!.query({
        text: `SELECT ${select} FROM "${plan.table}" WHERE "id" > $1 ORDER BY "id" LIMIT ${Math.trunc(limit)}`,
        values: [Number.isFinite(after) ? after : -2147483648],
        rowMode: "array",
      });
      const rows = result.rows as Row[];
      if (rows.length === 0) return;
      for (const row of rows) for (const i of instantIndexes) if (typeof row[i] === "string") row[i] = (row[i] as string).replace(/\.000$/, "");
      yield rows;
      after = Number(rows[rows.length - 1][0]);
      if (rows.length < limit) return;
      const perRow = rows.reduce((n, row) => n + rowText(row), 0) / rows.length;
      limit = Math.max(1, Math.min(batchSize, Math.floor(BATCH_TEXT / Math.max(perRow, 1))));
    }
  }

  async close(): Promise<void> {
    if (!this.client) return;
    await this.client.query("COMMIT").catch(() => undefined);
    await this.client.end().catch(() => undefined);
    this.client = null;
  }
}

export class PostgresTarget implements TargetDb {
  readonly label: string;
  private client: Client | null = null;
  private foreignKeys: Array<{ table: string; name: string; definition: string }> = [];
  private indexes: Array<{ name: string; definition: string }> = [];

  constructor(
    private readonly url: string,
    private readonly replace: boolean,
  ) {
    this.label = redactUrl(url);
  }

  async prepare(plan: readonly TablePlan[]): Promise<void> {
    // The server's own checks (reachable, credentials, not another app's database), then its
    // migrations: the target's schema is what the server would make.
    const dataSource = await openPostgres({ url: this.url, setting: "--to" });
    await dataSource.destroy();
    const client = await connectClient(this.url, "--to");
    this.client = client;
    const filled: string[] = [];
    for (const { table } of plan) if ((await client.query(`SELECT 1 FROM "${table}" LIMIT 1`)).rowCount) filled.push(table);
    if (filled.length > 0 && !this.replace) throw new CopyError(`--to ${this.label} already holds data (${filled.join(", ")}); add --replace to overwrite it`);

    await client.query("BEGIN");
    // Instants without a zone (SQLite's text) are UTC.
    await client.query(`SET LOCAL TimeZone = 'UTC'`);
    await client.query(`SET LOCAL maintenance_work_mem = '256MB'`);
    const tables = plan.map((p) => p.table);
    if (filled.length > 0) await client.query(`TRUNCATE ${tables.map((t) => `"${t}"`).join(", ")} RESTART IDENTITY`);
    this.foreignKeys = (
      await client.query<{ table: string; name: string; definition: string }>(
        `SELECT c.conrelid::regclass::text AS "table", c.conname AS name, pg_get_constraintdef(c.oid) AS definition
         FROM pg_constraint c JOIN pg_class t ON t.oid = c.conrelid JOIN pg_namespace n ON n.oid = t.relnamespace
         WHERE c.contype = 'f' AND n.nspname = current_schema() AND t.relname = ANY($1) ORDER BY c.conname`,
        [tables],
      )
    ).rows;
    // Secondary indexes only: those behind primary keys and unique constraints stay (they are the
    // constraints, and a duplicate must fail the copy).
    this.indexes = (
      await client.query<{ name: string; definition: string }>(
        `SELECT i.relname AS name, pg_get_indexdef(x.indexrelid) AS definition
         FROM pg_index x JOIN pg_class i ON i.oid = x.indexrelid JOIN pg_class t ON t.oid = x.indrelid JOIN pg_namespace n ON n.oid = t.relnamespace
         WHERE n.nspname = current_schema() AND t.relname = ANY($1)
           AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = x.indexrelid)
         ORDER BY i.relname`,
        [tables],
      )
    ).rows;
    for (const fk of this.foreignKeys) await client.query(`ALTER TABLE ${fk.table} DROP CONSTRAINT "${fk.name}"`);
    for (const index of this.indexes) await client.query(`DROP INDEX "${index.name}"`);
  }

  async write(plan: TablePlan, batches: AsyncIterable<Row[]>, onBatch: (rows: number) => void): Promise<void> {
    const stream = this.client!.query(copyFrom(`COPY "${plan.table}" (${columnList(plan.columns)}) FROM STDIN`));
    let failure: Error | null = null;
    stream.on("error", (error: Error) => (failure ??= error));
    const done = new Promise<void>((resolve, reject) => {
      stream.on("finish", resolve);
      stream.on("error", reject);
    });
    done.catch(() => undefined);
    for await (const batch of batches) {
      if (failure) break;
      const text = batch.map((row) => row.map(copyField).join("\t")).join("\n") + "\n";
      if (!stream.write(text)) await Promise.race([once(stream, "drain"), done]);
      onBatch(batch.length);
    }
    if (!failure) stream.end();
    try {
      await done;
    } catch (error) {
      throw new CopyError(`copying table ${plan.table} into ${this.label} failed: ${(error as Error).message}`);
    }
  }

  async finish(plan: readonly TablePlan[], sourceSequences: Map<string, number>): Promise<void> {
    const client = this.client!;
    for (const index of this.indexes) await client.query(index.definition);
    for (const fk of this.foreignKeys) {
      try {
        await client.query(`ALTER TABLE ${fk.table} ADD CONSTRAINT "${fk.name}" ${fk.definition}`);
      } catch (error) {
        throw new CopyError(`the copy breaks the foreign key ${fk.name} of ${fk.table} (${(error as Error).message}); nothing was written to ${this.label}`);
      }
    }
    // The next id past both the copied ids and the source's sequence (ids are never reused).
    for (const { table } of plan) {
      const seq = sourceSequences.get(table) ?? 0;
      await client.query(
        `SELECT setval(pg_get_serial_sequence($1, 'id'), GREATEST(COALESCE((SELECT MAX("id") FROM "${table}"), 0), $2::bigint, 1), GREATEST(COALESCE((SELECT MAX("id") FROM "${table}"), 0), $2::bigint) > 0)`,
        [`"${table}"`, seq],
      );
    }
    await client.query("COMMIT");
    await client.query(`ANALYZE ${plan.map((p) => `"${p.table}"`).join(", ")}`);
  }

  async count(table: string): Promise<number> {
    return Number((await this.client!.query<{ n: string }>(`SELECT COUNT(*) AS n FROM "${table}"`)).rows[0].n);
  }

  async searchRows(): Promise<number> {
    let n = 0;
    for (const table of SEARCHABLE) n += Number((await this.client!.query<{ n: string }>(`SELECT COUNT(*) AS n FROM "${table}" WHERE "search" IS NOT NULL`)).rows[0].n);
    return n;
  }

  async close(): Promise<void> {
    if (!this.client) return;
    await this.client.query("ROLLBACK").catch(() => undefined);
    await this.client.end().catch(() => undefined);
    this.client = null;
  }
}
