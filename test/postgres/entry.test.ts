/**
 * Choosing PostgreSQL at start-up (issue 17): `DATABASE_URL` and `DATABASE_REPLICA_URLS` in the
 * typed config, and the real server (`src/index.ts` in a child process, as `npm start` runs it)
 * started with them. The server cannot serve from PostgreSQL yet, so every start with
 * `DATABASE_URL` ends with exit code 1 and exactly one line on stderr: the refusal of a bad
 * setting, or, for a usable database, that serving from PostgreSQL is not available yet. Either
 * way no password is printed, the PostgreSQL database is left exactly as it was (its tables,
 * rows, extensions and functions), and the SQLite file of `DATABASE_PATH` is not created.
 *
 * The config cases and the start-ups that need no PostgreSQL (a bad scheme, replicas without a
 * primary, a port nothing listens on) always run; the others need `TEST_DATABASE_URL`.
 */
import fs from "node:fs";
import path from "node:path";
import { ConfigError, loadConfig } from "../../src/config";
import { openPostgres } from "../../src/storage/postgres";
import { ChildServer, killChildServers, runRefusedStart, startChildServer } from "../child-server";
import { postGraphql, tempDir } from "../helpers";
import { closedPort, createDatabase, describePostgres, dropDatabase, TEST_DATABASE_URL, withClient } from "./pg-env";

/** The ConfigError message `loadConfig(env)` fails with. */
function configRefusal(env: NodeJS.ProcessEnv): string {
  try {
    loadConfig(env);
  } catch (error) {
    if (error instanceof ConfigError) return error.message;
    throw error;
  }
  throw new Error(`loadConfig accepted ${JSON.stringify(env)}`);
}

describe("DATABASE_URL and DATABASE_REPLICA_URLS in the config", () => {
  it("are unset by default, and DATABASE_PATH is used as before", () => {
    const config = loadConfig({ DATABASE_PATH: "some/kb.sqlite" });
    expect(config.databaseUrl).toBeNull();
    expect(config.databaseReplicaUrls).toEqual([]);
    expect(config.databasePath).toBe(path.resolve("some/kb.sqlite"));
    expect(loadConfig({ DATABASE_URL: "", DATABASE_REPLICA_URLS: "" })).toMatchObject({ databaseUrl: null, databaseReplicaUrls: [] });
  });

  it("accept postgres:// and postgresql:// URLs, replicas comma-separated", () => {
    expect(loadConfig({ DATABASE_URL: "postgres://kb:pw@db.example:5432/kb" }).databaseUrl).toBe("postgres://kb:pw@db.example:5432/kb");
    const config = loadConfig({
      DATABASE_URL: " postgresql://kb@db.example/kb ",
      DATABASE_REPLICA_URLS: "postgres://kb:pw@replica-1/kb, postgresql://kb:pw@replica-2:6432/kb,",
    });
    expect(config.databaseUrl).toBe("postgresql://kb@db.example/kb");
    expect(config.databaseReplicaUrls).toEqual(["postgres://kb:pw@replica-1/kb", "postgresql://kb:pw@replica-2:6432/kb"]);
  });

  it.each([
    ["another scheme", "mysql://kb:s3cret-pw@db.example/kb", /got a "mysql:" URL$/],
    ["a file path", "data/kb-s3cret-pw.sqlite", /got something that is not a URL$/],
    ["no scheme (read as the scheme kb:)", "kb:s3cret-pw@db.example/kb", /got a "kb:" URL$/],
    ["no host", "postgres:kb:s3cret-pw@db.example/kb", /got a "postgres:" URL without a host$/],
    ["no database", "postgres://kb:s3cret-pw@db.example:5432", /got postgres:\/\/kb:\*\*\*@db\.example:5432$/],
    ["no database, password as a parameter", "postgres://kb@db.example?password=s3cret-pw", /got postgres:\/\/kb@db\.example\?password=\*\*\*$/],
  ])("refuse %s in one line naming DATABASE_URL and what is accepted, without the password", (_, value, got) => {
    const message = configRefusal({ DATABASE_URL: value });
    expect(message).toMatch(/^DATABASE_URL must be a postgres:\/\/ or postgresql:\/\/ URL naming a host and a database \(postgres:\/\/user:password@host:port\/database\), got /);
    expect(message).toMatch(got);
    expect(message).not.toContain("s3cret-pw");
    expect(message).not.toMatch(/\n/);
  });

  it("refuse a bad replica URL, naming which, without its password", () => {
    const message = configRefusal({ DATABASE_URL: "postgres://kb@db/kb", DATABASE_REPLICA_URLS: "postgres://kb@r1/kb,http://kb:s3cret-pw@r2/kb" });
    expect(message).toMatch(/^DATABASE_REPLICA_URLS\[1\] must be a postgres:\/\/ or postgresql:\/\/ URL .*, got a "http:" URL$/);
    expect(message).not.toContain("s3cret-pw");
  });

  it("refuse replicas without a primary", () => {
    expect(configRefusal({ DATABASE_REPLICA_URLS: "postgres://kb:s3cret-pw@replica/kb" })).toBe(
      "DATABASE_REPLICA_URLS needs DATABASE_URL: read replicas are only used with a PostgreSQL primary",
    );
  });

  it("refuse an empty pool and a pool wait that is not a whole number", () => {
    expect(configRefusal({ DATABASE_POOL_SIZE: "0" })).toBe('DATABASE_POOL_SIZE must be at least 1, got "0"');
    expect(configRefusal({ DATABASE_POOL_WAIT_MS: "1.5s" })).toBe('DATABASE_POOL_WAIT_MS must be a whole number of milliseconds, got "1.5s"');
  });

  it("read the pool settings, with pg's pool size and a 30 s wait by default", () => {
    expect(loadConfig({})).toMatchObject({ databasePoolSize: 10, databasePoolWaitMs: 30_000 });
    expect(loadConfig({ DATABASE_POOL_SIZE: "3", DATABASE_POOL_WAIT_MS: "250" })).toMatchObject({ databasePoolSize: 3, databasePoolWaitMs: 250 });
  });
});

/** How a start-up ended and what it printed. */
interface Start {
  code: number | null;
  stdout: string;
  lines: string[];
}

let dir: string | undefined;

/** Starts the real server with `env` on a DATABASE_PATH in a fresh directory, and checks that the directory stays empty. */
async function start(env: Record<string, string>): Promise<Start> {
  dir ??= tempDir("news-kb-pg-entry-");
  const sqliteDir = fs.mkdtempSync(path.join(dir, "case-"));
  const { exit, stdout, stderr } = await runRefusedStart({ databasePath: path.join(sqliteDir, "kb.sqlite"), env });
  expect(fs.readdirSync(sqliteDir)).toEqual([]);
  expect(exit.signal).toBeNull();
  return { code: exit.code, stdout, lines: stderr.split("\n").filter((line) => line.trim() !== "") };
}

/**
 * Expects what every start with DATABASE_URL must end with: exit code 1, nothing on stdout (the
 * JSON log), exactly one line on stderr, no stack trace, no `password`. Returns the line.
 */
function oneLine(started: Start, password: string): string {
  expect({ code: started.code, stdout: started.stdout, lines: started.lines.length }).toEqual({ code: 1, stdout: "", lines: 1 });
  const [line] = started.lines;
  expect(line).toMatch(/^The server did not start: /);
  expect(line).not.toMatch(/\sat \S+ \([^)]*:\d+:\d+\)/);
  expect(line).not.toContain(password);
  return line;
}

afterAll(async () => {
  await killChildServers();
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
});

describe("starting the server with DATABASE_URL, no PostgreSQL needed", () => {
  it("refuses a URL that is not postgres:// in one line", async () => {
    const line = oneLine(await start({ DATABASE_URL: "mysql://kb:s3cret-pw@127.0.0.1/kb" }), "s3cret-pw");
    expect(line).toBe(
      `The server did not start: DATABASE_URL must be a postgres:// or postgresql:// URL naming a host and a database (postgres://user:password@host:port/database), got a "mysql:" URL`,
    );
  });

  it("refuses replicas without a primary in one line", async () => {
    const line = oneLine(await start({ DATABASE_REPLICA_URLS: "postgres://kb:s3cret-pw@127.0.0.1/kb" }), "s3cret-pw");
    expect(line).toBe("The server did not start: DATABASE_REPLICA_URLS needs DATABASE_URL: read replicas are only used with a PostgreSQL primary");
  });

  it("refuses a port nothing listens on in one line naming host and port", async () => {
    const port = await closedPort();
    const line = oneLine(await start({ DATABASE_URL: `postgres://kb:s3cret-pw@127.0.0.1:${port}/kb` }), "s3cret-pw");
    expect(line).toBe(
      `The server did not start: DATABASE_URL postgres://kb:***@127.0.0.1:${port}/kb: no PostgreSQL server answers at 127.0.0.1:${port} (ECONNREFUSED); is it running, and are the host and port right?`,
    );
  });
});

/** Everything of a database a start-up could change: tables with their rows, extensions, functions, types. */
async function snapshot(url: string): Promise<Record<string, unknown>> {
  return withClient(url, async (client) => {
    const tables = (await client.query<{ t: string }>(`SELECT tablename AS t FROM pg_tables WHERE schemaname = current_schema() ORDER BY 1`)).rows.map((r) => r.t);
    const rows: Record<string, string[]> = {};
    for (const table of tables) {
      rows[table] = (await client.query<{ r: string }>(`SELECT t::text AS r FROM "${table}" t ORDER BY 1`)).rows.map((r) => r.r);
    }
    const names = async (sql: string): Promise<string[]> => (await client.query<{ n: string }>(sql)).rows.map((r) => r.n);
    return {
      rows,
      extensions: await names(`SELECT extname AS n FROM pg_extension ORDER BY 1`),
      functions: await names(`SELECT p.proname AS n FROM pg_proc p JOIN pg_namespace s ON s.oid = p.pronamespace WHERE s.nspname = current_schema() ORDER BY 1`),
      types: await names(`SELECT t.typname AS n FROM pg_type t JOIN pg_namespace s ON s.oid = t.typnamespace WHERE s.nspname = current_schema() ORDER BY 1`),
      textSearch: await names(`SELECT cfgname AS n FROM pg_ts_config c JOIN pg_namespace s ON s.oid = c.cfgnamespace WHERE s.nspname = current_schema() ORDER BY 1`),
    };
  });
}

describePostgres("test/postgres/entry.test.ts")("starting the server with DATABASE_URL on a real PostgreSQL", () => {
  const made: string[] = [];
  const fresh = async (prefix: string): Promise<string> => {
    const url = await createDatabase(prefix);
    made.push(url);
    return url;
  };
  /**
   * TEST_DATABASE_URL's password as it would show in a URL, which no output may hold (scripts/pg-local.sh's
   * is `kb`, also the user's and the database's name, so the bare word is no test).
   */
  const password = `:${new URL(TEST_DATABASE_URL || "postgres://x/x").password}@`;
  const shown = (url: string): string => {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = "***";
    return parsed.toString();
  };

  afterAll(async () => {
    for (const url of made) await dropDatabase(url);
  });

  /** Starts the server with `env` and expects one line and `database` unchanged; returns the line. */
  async function refusedOn(database: string, env: Record<string, string>, secret = password): Promise<string> {
    const before = await snapshot(database);
    const line = oneLine(await start(env), secret);
    expect(await snapshot(database)).toEqual(before);
    return line;
  }

  /** Starts the real server on `env` with a SQLite path in a fresh directory, which must stay empty. */
  async function serving(env: Record<string, string>): Promise<{ server: ChildServer; sqliteDir: string }> {
    dir ??= tempDir("news-kb-pg-entry-");
    const sqliteDir = fs.mkdtempSync(path.join(dir, "serve-"));
    const server = await startChildServer({ databasePath: path.join(sqliteDir, "kb.sqlite"), env });
    return { server, sqliteDir };
  }

  it("on an empty database: migrates it, loads the seed and serves it, leaving DATABASE_PATH alone", async () => {
    const url = await fresh("entry_empty");
    const { server, sqliteDir } = await serving({ DATABASE_URL: url });
    try {
      const answer = await ask(server.url, `{ person(name: "Lavrov") { name country { name } } countries { totalCount } }`);
      expect(answer.json).toEqual({ data: { person: { name: "Sergei Lavrov", country: { name: "Russia" } }, countries: { totalCount: 6 } } });
      const started = server.logs().find((line) => line.msg === `serving GraphQL at ${server.url}`);
      expect(started?.database).toBe(shown(url));
      expect(fs.readdirSync(sqliteDir)).toEqual([]);
    } finally {
      await server.stop();
    }
    expect(Object.keys((await snapshot(url)).rows as Record<string, unknown>)).toEqual(expect.arrayContaining(["article", "person", "quote", "kb_version", "migrations"]));
  });

  it("with a replica: serves the database's own rows, and writes through the primary", async () => {
    const url = await fresh("entry_migrated");
    const ds = await openPostgres({ url });
    await ds.query(`INSERT INTO country (name, alpha2, alpha3) VALUES ('Libya', 'LY', 'LBY')`);
    // An article makes the database "not empty": the server does not seed it.
    await ds.query(`INSERT INTO article (url, title, publisher, "publishedAt", body) VALUES ('https://example.org/a', 'A', 'Test', '2019-04-09', 'Body.')`);
    await ds.destroy();
    const { server } = await serving({ DATABASE_URL: url, DATABASE_REPLICA_URLS: url, EDITOR_TOKENS: "alice:s3cret" });
    try {
      expect((await ask(server.url, `{ countries { nodes { name alpha3 } } }`)).json).toEqual({ data: { countries: { nodes: [{ name: "Libya", alpha3: "LBY" }] } } });
      const created = await ask(server.url, `mutation { createCountry(input: { name: "Chad", alpha2: "TD", alpha3: "TCD" }) { country { name } } }`, "s3cret");
      expect(created.json).toEqual({ data: { createCountry: { country: { name: "Chad" } } } });
      expect((await ask(server.url, `{ countries { totalCount } }`)).json).toEqual({ data: { countries: { totalCount: 2 } } });
    } finally {
      await server.stop();
    }
  });

  it("runs two server processes on one database: a write through one is read through the other at once, past its caches", async () => {
    const url = await fresh("entry_two");
    // The first process migrates and seeds; the second finds the database ready.
    const one = await serving({ DATABASE_URL: url, EDITOR_TOKENS: "alice:s3cret" });
    const two = await serving({ DATABASE_URL: url, EDITOR_TOKENS: "alice:s3cret" });
    try {
      const count = `{ people { totalCount } quoteCounts(groupBy: SPEAKER, first: 100) { count } }`;
      // Asked twice, so that the second process answers from its read cache and its fast lane.
      const before = (await ask(two.server.url, count)).json;
      expect((await ask(two.server.url, count)).json).toEqual(before);
      const people = (before as { data: { people: { totalCount: number } } }).data.people.totalCount;
      const created = await ask(one.server.url, `mutation { createPerson(input: { name: "Written Through One" }) { person { name } } }`, "s3cret");
      expect(created.json).toEqual({ data: { createPerson: { person: { name: "Written Through One" } } } });
      const after = (await ask(two.server.url, `{ people { totalCount } person(name: "Written Through One") { name } }`)).json;
      expect(after).toEqual({ data: { people: { totalCount: people + 1 }, person: { name: "Written Through One" } } });
    } finally {
      await Promise.all([one.server.stop(), two.server.stop()]);
    }
  });

  it("refuses a wrong password in one line, showing neither password", async () => {
    const url = await fresh("entry_password");
    await withClient(url, (client) => client.query(`CREATE TABLE kept (id int PRIMARY KEY); INSERT INTO kept VALUES (1)`));
    const wrong = new URL(url);
    wrong.password = "certainly-not-the-password";
    const line = await refusedOn(url, { DATABASE_URL: wrong.toString() }, "certainly-not-the-password");
    expect(line).toContain(`DATABASE_URL ${shown(url)}: PostgreSQL refused the login of user "${decodeURIComponent(wrong.username)}"`);
    expect(line).not.toContain(password);
  });

  it("refuses another application's database (a table of its own) in one line, and changes nothing", async () => {
    const url = await fresh("entry_foreign");
    await withClient(url, (client) => client.query(`CREATE TABLE customers (id serial PRIMARY KEY, name text); INSERT INTO customers (name) VALUES ('Ada'), ('Grace')`));
    const line = await refusedOn(url, { DATABASE_URL: url });
    expect(line).toBe(
      `The server did not start: DATABASE_URL ${shown(url)}: the database holds 1 table(s) (customers) but no "migrations" table of ours; it belongs to another application: use an empty database`,
    );
  });

  it("refuses a database that does not exist in one line", async () => {
    const url = new URL(TEST_DATABASE_URL);
    url.pathname = "/kbtest_entry_no_such_database";
    const line = oneLine(await start({ DATABASE_URL: url.toString() }), password);
    expect(line).toContain(`database "kbtest_entry_no_such_database" does not exist`);
  });

  it("refuses an unreachable replica in one line naming it, and leaves the primary unchanged", async () => {
    const url = await fresh("entry_replica");
    const replica = new URL(TEST_DATABASE_URL);
    replica.port = String(await closedPort());
    const line = await refusedOn(url, { DATABASE_URL: url, DATABASE_REPLICA_URLS: replica.toString() });
    expect(line).toMatch(new RegExp(`^The server did not start: DATABASE_REPLICA_URLS\\[0\\] ${escape(shown(replica.toString()))}: no PostgreSQL server answers at 127\\.0\\.0\\.1:${replica.port} `));
  });
});

/** Posts a query to a server, as the editor holding `token` when given. */
function ask(url: string, query: string, token?: string): Promise<{ status: number; json: unknown }> {
  return postGraphql(url, { query }, token ? { authorization: `Bearer ${token}` } : {});
}

/** `text` as a literal part of a regular expression. */
function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}
