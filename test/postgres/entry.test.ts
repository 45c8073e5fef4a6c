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
import { killChildServers, runRefusedStart } from "../child-server";
import { tempDir } from "../helpers";
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

  it("on an empty database: says it is usable but not served from yet, and creates nothing", async () => {
    const url = await fresh("entry_empty");
    const line = await refusedOn(url, { DATABASE_URL: url });
    expect(line).toMatch(
      new RegExp(
        `^The server did not start: DATABASE_URL ${escape(shown(url))}: PostgreSQL \\d+\\.\\d+.* answers and the database is usable \\(empty, the migrations would create the schema\\), ` +
          `but serving from PostgreSQL is not available yet \\(issue 17: it comes with the asynchronous read path\\); unset DATABASE_URL to serve from SQLite \\(DATABASE_PATH\\)$`,
      ),
    );
    expect((await snapshot(url)).rows).toEqual({});
  });

  it("on a database this server migrated, with a replica: says so, and changes nothing", async () => {
    const url = await fresh("entry_migrated");
    const ds = await openPostgres({ url });
    await ds.query(`INSERT INTO country (name, alpha2, alpha3) VALUES ('Libya', 'LY', 'LBY')`);
    await ds.destroy();
    const line = await refusedOn(url, { DATABASE_URL: url, DATABASE_REPLICA_URLS: url });
    expect(line).toContain(`the database is usable (this server's, fully migrated; 1 replica(s) of DATABASE_REPLICA_URLS answer), but serving from PostgreSQL is not available yet`);
    expect(line).toMatch(/unset DATABASE_URL and DATABASE_REPLICA_URLS to serve from SQLite \(DATABASE_PATH\)$/);
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

/** `text` as a literal part of a regular expression. */
function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}
