/**
 * openPostgres's start-up checks against a real PostgreSQL: an unreachable server, wrong
 * credentials, a missing database and another application's database are each refused with one
 * line (a PostgresStartupError, which the server prints before exiting with code 1), and nothing
 * is changed; an empty database is migrated, once, even by two processes starting together; read
 * replicas are used through TypeORM's replication.
 */
import { postgresMigrations } from "../../src/migrations/postgres";
import { openPostgres, PostgresStartupError } from "../../src/storage/postgres";
import { closedPort, createDatabase, describePostgres, dropDatabase, TEST_DATABASE_URL, withClient, withDatabase } from "./pg-env";

/** The PostgresStartupError `work` fails with. */
async function refusal(work: Promise<unknown>): Promise<PostgresStartupError> {
  const error = await work.then(
    () => null,
    (e: unknown) => e,
  );
  if (!(error instanceof PostgresStartupError)) throw new Error(`expected a PostgresStartupError, got ${error instanceof Error ? `${error.name}: ${error.message}` : String(error)}`);
  expect(error.message).not.toMatch(/\n/);
  return error;
}

/** The tables of a database's current schema. */
async function tablesOf(url: string): Promise<string[]> {
  return withClient(url, async (client) => (await client.query<{ t: string }>(`SELECT tablename AS t FROM pg_tables WHERE schemaname = current_schema() ORDER BY 1`)).rows.map((r) => r.t));
}

describePostgres("test/postgres/startup.test.ts")("openPostgres start-up checks", () => {
  const made: string[] = [];
  const fresh = async (prefix: string): Promise<string> => {
    const url = await createDatabase(prefix);
    made.push(url);
    return url;
  };

  afterAll(async () => {
    for (const url of made) await dropDatabase(url);
  });

  it("refuses an unreachable host and port in one line naming them, without the password", async () => {
    const url = new URL(TEST_DATABASE_URL);
    url.port = String(await closedPort());
    url.password = "s3cret-in-url";
    const error = await refusal(openPostgres({ url: url.toString() }));
    expect(error.problem).toBe("unreachable");
    expect(error.message).toContain(`127.0.0.1:${url.port}`);
    expect(error.message).toMatch(/^DATABASE_URL postgres:\/\/.*: no PostgreSQL server answers/);
    expect(error.message).not.toContain("s3cret-in-url");
  });

  it("refuses an unknown host name as unreachable", async () => {
    const error = await refusal(openPostgres({ url: "postgres://kb:kb@no-such-host.invalid:5432/kb" }));
    expect(error.problem).toBe("unreachable");
    expect(error.message).toContain("no-such-host.invalid:5432");
  });

  it("refuses a wrong password as wrong credentials (the server must ask for passwords over TCP, as scripts/pg-local.sh's does)", async () => {
    const url = new URL(TEST_DATABASE_URL);
    url.password = "certainly-not-the-password";
    const error = await refusal(openPostgres({ url: url.toString() }));
    expect(error.problem).toBe("credentials");
    expect(error.message).toContain(`refused the login of user "${decodeURIComponent(url.username)}"`);
    expect(error.message).not.toContain("certainly-not-the-password");
  });

  it("refuses a database that does not exist", async () => {
    const error = await refusal(openPostgres({ url: withDatabase(TEST_DATABASE_URL, "kbtest_no_such_database") }));
    expect(error.problem).toBe("no-database");
    expect(error.message).toContain(`database "kbtest_no_such_database" does not exist`);
  });

  it("refuses what is not a postgres:// URL", async () => {
    const error = await refusal(openPostgres({ url: "mysql://kb:kb@127.0.0.1/kb" }));
    expect(error.problem).toBe("bad-url");
    expect(error.message).not.toContain(":kb@");
  });

  it("refuses another application's database (tables, no migrations table) and changes nothing", async () => {
    const url = await fresh("foreign");
    await withClient(url, (client) => client.query(`CREATE TABLE customers (id serial PRIMARY KEY, name text); INSERT INTO customers (name) VALUES ('Ada')`));
    const error = await refusal(openPostgres({ url }));
    expect(error.problem).toBe("foreign");
    expect(error.message).toContain("customers");
    expect(error.message).toContain("another application");
    expect(await tablesOf(url)).toEqual(["customers"]);
    expect(await withClient(url, async (c) => (await c.query(`SELECT extname FROM pg_extension WHERE extname IN ('pg_trgm', 'unaccent')`)).rowCount)).toBe(0);
  });

  it("refuses a database whose migrations table records migrations it does not know, and changes nothing", async () => {
    const url = await fresh("othermigrations");
    await withClient(url, (client) =>
      client.query(
        `CREATE TABLE migrations (id serial PRIMARY KEY, "timestamp" bigint NOT NULL, name varchar NOT NULL);
         INSERT INTO migrations ("timestamp", name) VALUES (1700000000000, 'CreateInvoices1700000000000');
         CREATE TABLE invoices (id serial PRIMARY KEY)`,
      ),
    );
    const error = await refusal(openPostgres({ url }));
    expect(error.problem).toBe("foreign");
    expect(error.message).toContain("CreateInvoices1700000000000");
    expect(await tablesOf(url)).toEqual(["invoices", "migrations"]);
  });

  it("reports a failed migration in one line, naming it; the failed migration leaves nothing behind", async () => {
    const url = await fresh("failedmigration");
    // Not a table, so the database passes for empty; PostgresSearch then cannot create its function.
    await withClient(url, (client) => client.query(`CREATE FUNCTION kb_fold(text) RETURNS text LANGUAGE sql IMMUTABLE RETURN $1`));
    const error = await refusal(openPostgres({ url }));
    expect(error.problem).toBe("migration");
    expect(error.message).toMatch(/: migration PostgresSearch1796454564926 failed and was rolled back \(function "kb_fold" already exists[^)]*\)$/);
    const ran = await withClient(url, async (client) => (await client.query<{ name: string }>(`SELECT name FROM migrations`)).rows.map((r) => r.name));
    expect(ran).toEqual(["PostgresInitial1796454564925"]);
    expect(await withClient(url, async (c) => (await c.query(`SELECT 1 FROM pg_ts_config WHERE cfgname = 'kb_search'`)).rowCount)).toBe(0);
  });

  it("migrates an empty database once, even when two processes start on it together, and opens it again", async () => {
    const url = await fresh("empty");
    const [a, b] = await Promise.all([openPostgres({ url }), openPostgres({ url })]);
    try {
      const ran = (await a.query(`SELECT name FROM migrations ORDER BY id`)) as Array<{ name: string }>;
      expect(ran.map((r) => r.name)).toEqual(postgresMigrations.map((m) => new m().name));
    } finally {
      await a.destroy();
      await b.destroy();
    }
    const again = await openPostgres({ url });
    try {
      expect(Number(((await again.query(`SELECT COUNT(*) AS n FROM migrations`)) as Array<{ n: string }>)[0].n)).toBe(postgresMigrations.length);
    } finally {
      await again.destroy();
    }
  });

  it("reads through replicas and writes through the primary (TypeORM replication)", async () => {
    const url = await fresh("replicas");
    // The primary itself stands in for a replica: what is checked is the wiring.
    const ds = await openPostgres({ url, replicaUrls: [url] });
    try {
      expect(ds.driver.options).toHaveProperty("replication.slaves.0.url", url);
      const slave = ds.createQueryRunner("slave");
      try {
        expect(await slave.query(`SELECT current_database() AS db`)).toEqual([{ db: new URL(url).pathname.slice(1) }]);
      } finally {
        await slave.release();
      }
      await ds.query(`INSERT INTO country (name, alpha2, alpha3) VALUES ('Libya', 'LY', 'LBY')`);
      expect(await ds.getRepository("Country").count()).toBe(1);
    } finally {
      await ds.destroy();
    }
  });

  it("refuses an unreachable replica before migrating the primary", async () => {
    const url = await fresh("badreplica");
    const replica = new URL(TEST_DATABASE_URL);
    replica.port = String(await closedPort());
    const error = await refusal(openPostgres({ url, replicaUrls: [replica.toString()] }));
    expect(error.problem).toBe("unreachable");
    expect(error.message).toMatch(/^DATABASE_REPLICA_URLS\[0\] /);
    expect(await tablesOf(url)).toEqual([]);
  });
});
