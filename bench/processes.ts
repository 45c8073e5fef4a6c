/**
 * Starting and stopping the processes a benchmark measures: the real server (`npm start`'s entry
 * point, built) on a database file, and anything else that answers GraphQL over HTTP; and what
 * is in the database they serve.
 */
import { ChildProcess, fork } from "node:child_process";
import BetterSqlite3 from "better-sqlite3";
import path from "node:path";
import { PROJECT_ROOT } from "../src/paths";
import { toGlobalId } from "../src/model/global-id";
import { encodeCursor } from "../src/sql/pagination";
import { PersonTable } from "../src/sql/tables";

const SERVER_ENTRY = path.join(PROJECT_ROOT, "dist", "src", "index.js");

/** A started process and the GraphQL URL it answers on, with the time it took to answer first. */
export interface Started {
  child: ChildProcess;
  url: string;
  startupMs: number;
}

/** Waits until `url` answers `{ __typename }`; fails if the process exits first or the time runs out. */
export async function waitForAnswer(url: string, child: ChildProcess, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`process exited with ${child.exitCode} before answering`);
    try {
      const response = await fetch(url, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ query: "{ __typename }" }) });
      if (response.ok) return;
    } catch {
      // Not listening yet.
    }
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  throw new Error(`no answer from ${url} within ${timeoutMs} ms`);
}

/** Starts the real server (`npm start`'s entry point) and times it to its first answered query. */
export async function startServer(databasePath: string, port: number, env: Record<string, string> = {}): Promise<Started> {
  const started = process.hrtime.bigint();
  const child = fork(SERVER_ENTRY, [], {
    env: {
      ...process.env,
      NODE_ENV: "production",
      LOG_LEVEL: "warn",
      PORT: String(port),
      HOST: "127.0.0.1",
      DATABASE_PATH: databasePath,
      EXPOSE_QUERY_STATS: "true",
      EDITOR_TOKENS: "",
      // The load comes from one address and would spend a client's budget in a second; the
      // answers must also be byte for byte the baseline's, without `extensions.cost`.
      RATE_LIMIT_POINTS: "0",
      ...env,
    },
    stdio: ["ignore", "ignore", "inherit", "ipc"],
  });
  const url = `http://127.0.0.1:${port}/graphql`;
  await waitForAnswer(url, child, 120_000);
  return { child, url, startupMs: Number(process.hrtime.bigint() - started) / 1e6 };
}

/** Stops a started process with SIGTERM and waits for it to exit. */
export async function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return;
  const exited = new Promise((resolve) => child.once("exit", resolve));
  child.kill("SIGTERM");
  await exited;
}

/** Rows per table of a benchmark's database file. */
export function tableCounts(databasePath: string): Record<string, number> {
  const db = new BetterSqlite3(databasePath, { readonly: true });
  const counts: Record<string, number> = {};
  for (const table of ["article", "country", "organization", "person", "position", "quote"]) {
    counts[table] = (db.prepare(`SELECT COUNT(*) AS n FROM "${table}"`).get() as { n: number }).n;
  }
  db.close();
  return counts;
}

/** What the queries ask for, picked from the generated data (copy-db keeps ids, so it holds on PostgreSQL too). */
export interface BenchParameters {
  /** Q1's and Q6's person: the speaker of the most quotes. */
  personId: string;
  /** How deep Q4's deep page starts, and its cursor. */
  deep: number;
  deepCursor: string;
  /** Q5's country: the one with the most people. */
  countryCode: string;
}

/** Picks the queries' parameters from the SQLite file of the generated database. */
export function benchParameters(databasePath: string, counts: Record<string, number>): BenchParameters {
  const raw = new BetterSqlite3(databasePath, { readonly: true });
  try {
    const speaker = raw.prepare(`SELECT speakerId AS id FROM quote WHERE speakerId IS NOT NULL GROUP BY speakerId ORDER BY COUNT(*) DESC, speakerId LIMIT 1`).get() as { id: number };
    const deep = Math.min(50_000, counts.person - 21);
    const deepRow = raw.prepare(`SELECT name, id FROM person ORDER BY name, id LIMIT 1 OFFSET ?`).get(deep - 1) as { name: string; id: number };
    const country = raw.prepare(`SELECT c.alpha2 AS code FROM country c JOIN person p ON p.countryId = c.id GROUP BY c.id ORDER BY COUNT(*) DESC LIMIT 1`).get() as { code: string };
    return { personId: toGlobalId("Person", speaker.id), deep, deepCursor: encodeCursor(PersonTable.defaultOrder, deepRow), countryCode: country.code };
  } finally {
    raw.close();
  }
}
