/**
 * PostgreSQL for the benchmarks of issue 17 (bench/postgres.ts, bench/postgraphile.ts): the copy
 * of a generated knowledge base in a database `kb_bench_q<N>_s<seed>`, PostGraphile started on
 * it, PostGraphile's equivalents of Q2, and Q2's answer reduced to its data so that our server,
 * PostGraphile and plain SQL over the SQLite file can be compared.
 */
import { fork } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import BetterSqlite3 from "better-sqlite3";
import { Client } from "pg";
import { PROJECT_ROOT } from "../src/paths";
import { copyDatabase } from "../tools/copy-db/copy";
import { Started, waitForAnswer } from "./processes";

/**
 * PostGraphile's closest equivalent of Q2, in both of its collection shapes. Each level is
 * ordered as our server orders it (bench/baseline.ts spells the same in SQL): countries and
 * people by name then id, positions and quotes by where they occur (article, offset, id); our
 * server's positions connection has a default page of 20, written out here.
 */
export const POSTGRAPHILE_Q2_CONNECTIONS = `query Q2 {
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

/** PostGraphile's Q2 as lists (`simpleCollections`): no cursors, no connection objects, its cheapest shape. */
export const POSTGRAPHILE_Q2_LISTS = `query Q2 {
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
export interface Country {
  name: string;
  people: Array<{ name: string; positions: Array<{ title: string; organization: string | null }>; quotes: string[] }>;
}

/** A JSON object of a GraphQL answer. */
export type Json = Record<string, unknown>;
const nodes = (connection: unknown): Json[] => (connection as { nodes: Json[] }).nodes;

/** Our server's Q2 answer, reduced to its data. */
export function fromOurs(data: Json): Country[] {
  return nodes(data.countries).map((c) => ({
    name: c.name as string,
    people: nodes(c.people).map((p) => ({
      name: p.name as string,
      positions: nodes(p.positions).map((r) => ({ title: r.title as string, organization: (r.organization as Json | null)?.name as string | null ?? null })),
      quotes: nodes(p.quotes).map((q) => q.text as string),
    })),
  }));
}

/** PostGraphile's Q2 answer in either shape, reduced to its data. */
export function fromPostGraphile(data: Json, lists: boolean): Country[] {
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
export function fromSqlite(databasePath: string): Country[] {
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

/** How much a Q2 answer holds, in one line. */
export function describeQ2(countries: Country[]): string {
  const people = countries.flatMap((c) => c.people);
  const positions = people.reduce((n, p) => n + p.positions.length, 0);
  const quotes = people.reduce((n, p) => n + p.quotes.length, 0);
  return `${countries.length} countries, ${people.length} people, ${positions} positions, ${quotes} quotes`;
}

/** The same PostgreSQL URL naming another database on its server. */
export function withDatabase(url: string, database: string): string {
  const u = new URL(url);
  u.pathname = `/${database}`;
  return u.toString();
}

/** Where and what to copy for a benchmark on PostgreSQL. */
export interface CopyTarget {
  /** A PostgreSQL URL whose role may create databases (scripts/pg-local.sh's by default). */
  adminUrl: string;
  /** The generated SQLite file to copy. */
  databasePath: string;
  /** The database to hold the copy, always `kb_bench_q<quotes>_s<seed>` (benchDatabaseName). */
  database: string;
  /** Rows per table of the SQLite file (tableCounts). */
  counts: Record<string, number>;
  /** Copy again even if the database already holds the same counts. */
  recopy?: boolean;
}

/** The name of the PostgreSQL database that holds a copy of bench/kb-q<quotes>-s<seed>.sqlite. */
export function benchDatabaseName(quotes: number, seed: number): string {
  return `kb_bench_q${quotes}_s${seed}`;
}

/** Rows per table of a PostgreSQL database, or null when it has no such tables (not migrated). */
export async function postgresTableCounts(url: string): Promise<Record<string, number> | null> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    const counts: Record<string, number> = {};
    for (const table of BENCH_TABLES) {
      const r = await client.query<{ n: string }>(`SELECT COUNT(*)::text AS n FROM "${table}"`);
      counts[table] = Number(r.rows[0].n);
    }
    return counts;
  } catch {
    return null;
  } finally {
    await client.end();
  }
}

/** The tables whose counts say that a copy is the generated database's. */
const BENCH_TABLES = ["article", "country", "organization", "person", "position", "quote"];

/**
 * Makes `database` a copy of the SQLite file unless it exists and every table has the file's
 * count (the server may have run newer migrations on it since; they keep the rows). The database
 * is created with the C collation so that ORDER BY name sorts as SQLite's BINARY does and the
 * answers can be compared exactly (the server cluster's default is ICU's root collation, which
 * sorts case and accents apart from bytes); the copy is verified by copy-db's counts, then
 * ANALYZEd. Answers the database's URL and whether it was copied now.
 */
export async function ensurePostgresCopy(target: CopyTarget): Promise<{ url: string; copied: boolean }> {
  const { adminUrl, databasePath, database, counts } = target;
  if (!/^kb_bench_[a-z0-9_]+$/.test(database)) throw new Error(`not a benchmark database name: ${database}`);
  const url = withDatabase(adminUrl, database);
  const admin = new Client({ connectionString: adminUrl });
  await admin.connect();
  try {
    const found = await admin.query(`SELECT 1 FROM pg_database WHERE datname = $1`, [database]);
    if (found.rows.length > 0 && !target.recopy) {
      const existing = await postgresTableCounts(url);
      if (existing && BENCH_TABLES.every((t) => existing[t] === counts[t])) {
        console.error(`PostgreSQL: ${database} already holds this copy (every count matches); --recopy copies again`);
        return { url, copied: false };
      }
      console.error(`PostgreSQL: ${database} does not hold this copy (counts ${JSON.stringify(existing)}): copying again`);
    }
    if (found.rows.length > 0) await admin.query(`DROP DATABASE "${database}" WITH (FORCE)`);
    await admin.query(`CREATE DATABASE "${database}" TEMPLATE template0 ENCODING 'UTF8' LOCALE_PROVIDER libc LC_COLLATE 'C' LC_CTYPE 'C.UTF-8'`);
    console.error(`Copying ${path.relative(PROJECT_ROOT, databasePath)} into ${database} with copy-db …`);
    const report = await copyDatabase({ from: databasePath, to: url });
    if (!report.ok) throw new Error(`copy-db: the counts differ: ${JSON.stringify(report.tables)}`);
    console.error(`  ${report.rows.toLocaleString("en")} rows in ${report.seconds.toFixed(1)} s, every count matches`);
    const analyze = new Client({ connectionString: url });
    await analyze.connect();
    await analyze.query("ANALYZE");
    await analyze.end();
    await admin.query(`COMMENT ON DATABASE "${database}" IS ${escapeLiteral(`kb bench copy of ${path.basename(databasePath)}: ${JSON.stringify(counts)}`)}`);
    return { url, copied: true };
  } finally {
    await admin.end();
  }
}

function escapeLiteral(text: string): string {
  return `'${text.replace(/'/g, "''")}'`;
}

const POSTGRAPHILE_DIR = path.join(PROJECT_ROOT, "bench", "postgraphile");

/** Starts bench/postgraphile/server.js on one database and waits for its first answer. */
export async function startPostGraphile(databaseUrl: string, port: number): Promise<Started> {
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

/** The SQL statements PostGraphile's process has sent to PostgreSQL so far (server.js counts them). */
export async function postGraphileStatements(graphqlUrl: string): Promise<number> {
  const response = await fetch(graphqlUrl.replace(/\/graphql$/, "/statements"));
  return ((await response.json()) as { statements: number }).statements;
}

