/**
 * Graceful shutdown (the real `src/index.ts` in a child process, sent SIGTERM or SIGINT) and
 * the health checks.
 */
import fs from "node:fs";
import http from "node:http";
import path from "node:path";
import BetterSqlite3 from "better-sqlite3";
import { loadConfig } from "../src/config";
import { Database } from "../src/storage/database";
import { createLogger } from "../src/logger";
import { AppServer, createServer } from "../src/server";
import {
  CREATE_PERSON,
  HeldRequest,
  holdRequest,
  inspectDatabase,
  killChildServers,
  refusesConnections,
  startChildServer,
  startWriting,
  walSize,
  within,
} from "./child-server";
import { tempDir } from "./helpers";

const TOKEN = "shutdown-test-token";
const EDITORS = { EDITOR_TOKENS: `alice:${TOKEN}` };
const NESTED = `{
  countries(first: 10) {
    nodes {
      name
      people(first: 10) {
        totalCount
        nodes { name positions { nodes { title organization { name } } } quotes(first: 5) { nodes { text evidence { startOffset endOffset } } } }
      }
    }
  }
}`;

/** GETs a path on a new connection (no keep-alive pool) and resolves with the status code. */
function probe(url: string): Promise<number> {
  return new Promise((resolve, reject) => {
    http
      .get(url, { agent: false }, (response) => {
        response.resume();
        response.once("end", () => resolve(response.statusCode ?? 0));
      })
      .once("error", reject);
  });
}

describe.each(["SIGTERM", "SIGINT"] as const)("on %s the server", (signal) => {
  let dir: string;

  beforeAll(() => {
    dir = tempDir("news-kb-shutdown-");
  });
  afterAll(async () => {
    await killChildServers();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it("answers every request in flight, refuses new connections, exits with 0 and leaves the file intact and checkpointed", async () => {
    const databasePath = path.join(dir, "kb.sqlite");
    const server = await startChildServer({ databasePath, env: EDITORS });
    const origin = new URL(server.url).origin;
    // Another process holding the file open, as a monitoring tool or a backup might: the server's
    // connection is then not the last one, and only its explicit checkpoint empties the WAL.
    const observer = new BetterSqlite3(databasePath, { readonly: true, fileMustExist: true });
    const load = startWriting(server.url, TOKEN, `Shutdown ${signal}`, { sequential: 2, burst: 3, maxPerStream: 2000 });
    const heldNames = [0, 1, 2].map((i) => `Held ${signal} ${i}`);
    try {
      observer.prepare(`SELECT COUNT(*) FROM person`).get();
      if (!(await load.waitForAcknowledged(10, 20_000))) throw new Error(`the writes did not get going:\n${server.output()}`);

      // Requests the server is in the middle of reading: each waits for the rest of its body.
      const held: HeldRequest[] = await Promise.all([
        ...heldNames.map((name) => holdRequest(server.url, { query: CREATE_PERSON, variables: { input: { name } } }, TOKEN)),
        holdRequest(server.url, { query: NESTED }),
      ]);
      // Connections are accepted in order and the held requests' bytes arrived before this
      // probe's, so once it is answered the server has read their headers: they are in flight.
      expect(await probe(`${origin}/health`)).toBe(200);

      server.child.kill(signal);
      // The listening socket closes at once, while the held requests are still unanswered.
      expect(await refusesConnections(server.port)).toBe(true);
      expect(held.map((h) => h.settled())).toEqual([false, false, false, false]);
      expect(server.child.exitCode).toBeNull();

      const answers = await Promise.all(held.map((h) => h.finish()));
      for (const answer of answers) {
        expect(answer.status).toBe(200);
        expect(JSON.parse(answer.body)).not.toHaveProperty("errors");
      }
      expect(answers.slice(0, 3).map((a) => JSON.parse(a.body).data.createPerson.person.name)).toEqual(heldNames);
      expect(JSON.parse(answers[3].body).data.countries.nodes.length).toBeGreaterThan(0);

      const exit = await within(server.exited, 10_000, null);
      expect(exit).toEqual({ code: 0, signal: null });
      expect(server.logs().map((line) => line.msg)).toEqual(expect.arrayContaining(["shutting down: finishing in-flight requests", "stopped cleanly"]));
      await load.stop();
      // Streamed writes either got their acknowledgement or no answer at all, never an error.
      expect(load.refused).toEqual([]);
      expect(await probe(`${origin}/health`).catch((error: NodeJS.ErrnoException) => error.code)).toBe("ECONNREFUSED");

      expect(walSize(databasePath)).toBe(0);
    } finally {
      observer.close();
      await load.stop();
    }
    const streamed = inspectDatabase(databasePath, `Shutdown ${signal}`, "alice");
    expect(streamed.integrity).toBe("ok");
    expect(load.acknowledged.filter((name) => !streamed.people.has(name))).toEqual([]);
    const heldState = inspectDatabase(databasePath, `Held ${signal}`, "alice");
    expect([...heldState.people.keys()].sort()).toEqual([...heldNames].sort());
    expect(streamed.orphanCreates).toBe(0);
    expect([...streamed.people.values(), ...heldState.people.values()].every((person) => person.creates === 1)).toBe(true);
  });
});

describe("the health checks", () => {
  let dir: string;
  let db: Database;
  let server: AppServer;
  let origin: string;

  beforeAll(async () => {
    dir = tempDir("news-kb-ready-");
    const config = loadConfig({ NODE_ENV: "test", DATABASE_PATH: path.join(dir, "kb.sqlite") });
    db = await Database.open(config.databasePath, { migrate: false });
    server = await createServer({ config, db, logger: createLogger(config) });
    origin = new URL(await server.listen(0, "127.0.0.1")).origin;
  });
  afterAll(async () => {
    await server.stop();
    await db.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  async function get(pathname: string): Promise<{ status: number; json: unknown }> {
    const response = await fetch(`${origin}${pathname}`);
    return { status: response.status, json: await response.json() };
  }

  it("report alive but not ready while migrations are pending, and ready once they have run", async () => {
    expect(await get("/health")).toEqual({ status: 200, json: { status: "ok" } });
    expect(await get("/ready")).toEqual({ status: 503, json: { status: "migrations pending" } });
    await db.dataSource.runMigrations({ transaction: "each" });
    expect(await get("/ready")).toEqual({ status: 200, json: { status: "ready" } });
  });

  it("report not ready once the database is closed, while the process stays alive", async () => {
    await db.close();
    expect(await get("/ready")).toEqual({ status: 503, json: { status: "database unreachable" } });
    expect(await get("/health")).toEqual({ status: 200, json: { status: "ok" } });
  });
});
