import { execFile } from "node:child_process";
import path from "node:path";
import { promisify } from "node:util";
import { QueryTimeoutError } from "../../src/errors";
import { Country } from "../../src/entities";
import { POSTGRES_STAMP_SQL, PostgresDatabase } from "../../src/storage/postgres";
import { postgresFault } from "../../src/storage/postgres/faults";
import { instantText } from "../../src/storage/postgres/types";
import type { GraphQLError } from "graphql";
import type { Pool, PoolClient } from "pg";
import type { RequestScope } from "../../src/storage/request-scope";
import { createDatabase, describePostgres, dropDatabase, withClient } from "./pg-env";

const execFileAsync = promisify(execFile);

/** Runs `work` as if it served one request with this scope. */
function inScope<T>(db: PostgresDatabase, scope: RequestScope, work: () => T): T {
  return db.statements.perRequest.run(scope, work);
}

/** Adds a country through a write of `db` and returns its id. */
async function addCountry(db: PostgresDatabase, name: string, code: string): Promise<number> {
  return db.write(async (manager) => {
    const rows = (await manager.query(`INSERT INTO "country" ("name", "alpha2", "alpha3") VALUES ($1, $2, $3) RETURNING "id"`, [name, code.slice(0, 2), code])) as Array<{ id: number }>;
    return rows[0].id;
  });
}

describePostgres("test/postgres/database.test.ts")("PostgresDatabase", () => {
  let url: string;
  let db: PostgresDatabase;

  beforeAll(async () => {
    url = await createDatabase("store");
    db = await PostgresDatabase.open(url, { poolSize: 4 });
  });

  afterAll(async () => {
    await db?.close();
    if (url) await dropDatabase(url);
  });

  beforeEach(async () => {
    await withClient(url, (client) => client.query(`TRUNCATE "country" CASCADE`));
  });

  it("translates ? placeholders and binds JavaScript arrays as PostgreSQL arrays", async () => {
    expect(await db.get<{ n: number; q: string }>(`SELECT ?::int + ? AS n, '?' AS q`, [2, 3])).toEqual({ n: 5, q: "?" });
    expect(await db.all<{ value: number }>(`SELECT value FROM unnest(?::int[]) WITH ORDINALITY u(value, key) WHERE value > ? ORDER BY key`, [[5, 1, 9], 2])).toEqual([{ value: 5 }, { value: 9 }]);
    const texts = await db.all<{ value: string }>(`SELECT value FROM ${db.dialect.textRows("t")} ORDER BY value`, [db.dialect.textListParam(["b", "a"])]);
    expect(texts.map((r) => r.value)).toEqual(["a", "b"]);
    expect(await db.get(`SELECT 1 AS one WHERE FALSE`)).toBeUndefined();
  });

  it("reads counts and sums as numbers and instants as SQLite's UTC text", async () => {
    const row = await db.get<{ c: unknown; s: unknown; a: unknown; b: unknown }>(
      `SELECT count(*) AS c, sum(x) AS s, '2026-11-28 20:07:03+00'::timestamptz AS a, '2026-11-28 21:07:03.5+01'::timestamptz AS b FROM (VALUES (1), (2)) v(x)`,
    );
    expect(row).toEqual({ c: 2, s: 3, a: "2026-11-28 20:07:03", b: "2026-11-28 20:07:03.500" });
    expect(instantText("2026-11-28 15:07:03.123-05")).toBe("2026-11-28 20:07:03.123");
    expect(instantText("infinity")).toBe("infinity");
  });

  it("leaves pg's global type parsers alone", async () => {
    const { types } = await import("pg");
    expect(types.getTypeParser(20, "text")("12")).toBe("12");
  });

  it("reads instants as the same text whatever the session's time zone", async () => {
    const row = await db.write(async (manager) => {
      await manager.query(`SET LOCAL TimeZone = 'Asia/Kolkata'`);
      return db.get<{ a: string }>(`SELECT '2026-11-28 20:07:03.25+00'::timestamptz AS a`);
    });
    expect(row?.a).toBe("2026-11-28 20:07:03.250");
  });

  it("hydrates entities through TypeORM with the right instants, on the primary and a replica, in any process time zone", async () => {
    const id = await addCountry(db, "Chile", "CHL");
    const { createdAt } = (await db.get<{ createdAt: string }>(`SELECT "createdAt" FROM "country" WHERE "id" = ?`, [id]))!;
    expect(createdAt).toMatch(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d(\.\d{3})?$/);
    // Jest's process.env is a copy, so a time zone other than UTC needs a process of its own.
    const script = `
      const { PostgresDatabase } = require("./src/storage/postgres");
      const { Country } = require("./src/entities");
      (async () => {
        const out = { offset: new Date().getTimezoneOffset() };
        for (const replicaUrls of [[], [process.env.KB_URL]]) {
          const db = await PostgresDatabase.open(process.env.KB_URL, { migrate: false, replicaUrls });
          const country = await db.dataSource.manager.findOne(Country, { where: { id: Number(process.env.KB_ID) } });
          out[replicaUrls.length ? "replica" : "primary"] = country.createdAt.getTime();
          await db.close();
        }
        console.log(JSON.stringify(out));
      })().catch((error) => { console.error(error); process.exit(1); });`;
    const { stdout } = await execFileAsync(process.execPath, ["-r", "ts-node/register/transpile-only", "-r", "reflect-metadata", "-e", script], {
      cwd: path.resolve(__dirname, "../.."),
      env: { ...process.env, TZ: "America/New_York", KB_URL: url, KB_ID: String(id) },
    });
    const seen = JSON.parse(stdout.trim().split("\n").pop()!) as { offset: number; primary: number; replica: number };
    const instant = Date.parse(`${createdAt.replace(" ", "T")}Z`);
    expect(seen.offset).not.toBe(0);
    expect(seen).toEqual({ offset: seen.offset, primary: instant, replica: instant });
    const here = await db.dataSource.manager.findOne(Country, { where: { id } });
    expect(here?.createdAt.getTime()).toBe(instant);
  });

  it("counts every read and written statement and the cached read's stamp look-up, but not the transaction's control statements", async () => {
    db.statements.reset();
    db.statements.record = true;
    const scope: RequestScope = { count: 0 };
    try {
      await inScope(db, scope, async () => {
        await db.all(`SELECT 1 AS one`);
        await db.get(`SELECT ? AS two`, [2]);
        await db.allParts(`SELECT ? AS part`, [[1], [2]]);
        await addCountry(db, "Peru", "PER");
        await db.cachedRead("countries", () => db.get(`SELECT count(*) AS c FROM "country"`));
      });
    } finally {
      db.statements.record = false;
    }
    // The stamp is read before the cached read (counted, as on SQLite) and checked after it (not).
    expect(db.statements.log.filter((sql) => sql === POSTGRES_STAMP_SQL)).toHaveLength(1);
    const others = db.statements.log.filter((sql) => sql !== POSTGRES_STAMP_SQL);
    expect(others).toHaveLength(6);
    expect(others.join("\n")).not.toMatch(/TRANSACTION|COMMIT|BEGIN|advisory|kb_version|statement_timeout/i);
    expect(scope.count).toBe(7);
    expect(db.statements.count).toBe(7);
  });

  it("stops a read at the request's time limit with PostgreSQL's statement_timeout and keeps the connection usable", async () => {
    const started = Date.now();
    const scope: RequestScope = { count: 0, deadline: Date.now() + 200, limitMs: 200 };
    const failure = await inScope(db, scope, () => db.get(`SELECT pg_sleep(2)`)).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(QueryTimeoutError);
    expect((failure as QueryTimeoutError).extensions).toMatchObject({ code: "QUERY_TIMEOUT", limitMs: 200 });
    expect(Date.now() - started).toBeLessThan(1500);
    // Past the deadline nothing runs at all.
    await expect(inScope(db, scope, () => db.get(`SELECT 1`))).rejects.toBeInstanceOf(QueryTimeoutError);
    // Every connection of the pool, reads and writes alike, is back without a time-out.
    const sleeps = await Promise.all([1, 2, 3, 4].map(() => db.get<{ ok: number }>(`SELECT 1 AS ok FROM pg_sleep(0.3)`)));
    expect(sleeps).toEqual([{ ok: 1 }, { ok: 1 }, { ok: 1 }, { ok: 1 }]);
    await expect(db.write(async (manager) => manager.query(`SELECT pg_sleep(0.3)`))).resolves.toBeDefined();
  });

  it("answers a cached read from memory until another process writes", async () => {
    const other = await PostgresDatabase.open(url, { migrate: false });
    try {
      const count = (): Promise<number> => db.cachedRead("count", async () => (await db.get<{ c: number }>(`SELECT count(*) AS c FROM "country"`))!.c);
      const before = db.readStats;
      expect(await count()).toBe(0);
      expect(await count()).toBe(0);
      expect(db.readStats).toEqual({ read: before.read + 1, cached: before.cached + 1 });
      await addCountry(other, "Ghana", "GHA");
      expect(await count()).toBe(1);
      expect(db.readStats).toEqual({ read: before.read + 2, cached: before.cached + 1 });
      expect(await count()).toBe(1);
      expect(db.readStats.cached).toBe(before.cached + 2);
    } finally {
      await other.close();
    }
  });

  it("keeps no answer when the data changed while it was read", async () => {
    const before = db.readStats;
    const read = (): Promise<number> =>
      db.cachedRead("changing", async () => {
        const { c } = (await db.get<{ c: number }>(`SELECT count(*) AS c FROM "country"`))!;
        await withClient(url, (client) => client.query(`INSERT INTO "country" ("name", "alpha2", "alpha3") VALUES ($1, $2, $3)`, [`C${c}`, `C${c}`, `CC${c}`]));
        return c;
      });
    expect(await read()).toBe(0);
    expect(await read()).toBe(1);
    expect(db.readStats).toEqual({ read: before.read + 2, cached: before.cached });
  });

  it("serializes writes across processes, so that read-modify-write loses no update", async () => {
    const other = await PostgresDatabase.open(url, { migrate: false });
    try {
      await withClient(url, async (client) => {
        await client.query(`CREATE TABLE IF NOT EXISTS "counter" ("n" integer NOT NULL)`);
        await client.query(`TRUNCATE "counter"; INSERT INTO "counter" VALUES (0)`);
      });
      const increment = (store: PostgresDatabase): Promise<void> =>
        store.write(async (manager) => {
          const [{ n }] = (await manager.query(`SELECT "n" FROM "counter"`)) as Array<{ n: number }>;
          await new Promise((resolve) => setTimeout(resolve, 10));
          await manager.query(`UPDATE "counter" SET "n" = $1`, [n + 1]);
        });
      await Promise.all(Array.from({ length: 8 }, (_, i) => increment(i % 2 === 0 ? db : other)));
      expect(await db.get(`SELECT "n" FROM "counter"`)).toEqual({ n: 8 });
    } finally {
      await other.close();
    }
  });

  it("rolls back a write whose work throws and passes its error on", async () => {
    const mistake = new Error("the work changed its mind");
    const failed = db.write(async (manager) => {
      await manager.query(`INSERT INTO "country" ("name", "alpha2", "alpha3") VALUES ('Fiji', 'FJ', 'FJI')`);
      expect(await db.get(`SELECT "name" FROM "country"`)).toEqual({ name: "Fiji" });
      throw mistake;
    });
    await expect(failed).rejects.toBe(mistake);
    expect(await db.get(`SELECT count(*) AS c FROM "country"`)).toEqual({ c: 0 });
    expect(db.health.current).toEqual([]);
  });

  it("passes a unique violation on as it is", async () => {
    await addCountry(db, "Togo", "TGO");
    const failure = await addCountry(db, "Togo", "TGX").catch((error: unknown) => error);
    expect((failure as { driverError?: { code?: string } }).driverError?.code).toBe("23505");
    expect(db.health.current).toEqual([]);
  });

  it("reports a lost connection as STORAGE_UNAVAILABLE, marks health, and clears it on the next commit", async () => {
    const failure = await db
      .write(async (manager) => {
        await manager.query(`INSERT INTO "country" ("name", "alpha2", "alpha3") VALUES ('Mali', 'ML', 'MLI')`);
        await manager.query(`SELECT pg_terminate_backend(pg_backend_pid())`);
      })
      .catch((error: unknown) => error);
    expect((failure as { extensions?: { code?: string } }).extensions).toMatchObject({ code: "STORAGE_UNAVAILABLE", stored: false });
    expect(db.health.get("writes")?.code).toBe("STORAGE_UNAVAILABLE");
    expect(await db.get(`SELECT count(*) AS c FROM "country"`)).toEqual({ c: 0 });
    await addCountry(db, "Niger", "NER");
    expect(db.health.current).toEqual([]);
  });

  it("probes writes while they fail, at most once a second", async () => {
    db.health.set("writes", "STORAGE_UNAVAILABLE", "a test");
    await db.probeWrites();
    expect(db.health.get("writes")).toBeDefined();
    (db.health.get("writes") as { since: Date }).since = new Date(Date.now() - 2000);
    await db.probeWrites();
    expect(db.health.current).toEqual([]);
  });

  it("classifies PostgreSQL's faults as SQLite's are", () => {
    expect(postgresFault({ code: "53100" })?.code).toBe("STORAGE_FULL");
    expect(postgresFault({ driverError: { code: "57P01" } })?.code).toBe("STORAGE_UNAVAILABLE");
    expect(postgresFault({ code: "08006" })?.code).toBe("STORAGE_UNAVAILABLE");
    expect(postgresFault({ code: "ECONNREFUSED" })?.code).toBe("STORAGE_UNAVAILABLE");
    expect(postgresFault(new Error("Connection terminated unexpectedly"))?.code).toBe("STORAGE_UNAVAILABLE");
    expect(postgresFault({ code: "23505" })).toBeUndefined();
    expect(postgresFault(new Error("the work changed its mind"))).toBeUndefined();
    // pg-pool's words for a full pool whose connections all stayed busy: busy, not gone.
    expect(postgresFault(new Error("timeout exceeded when trying to connect"))?.code).toBe("OVERLOADED");
    expect(postgresFault(new Error("Connection terminated due to connection timeout"))?.code).toBe("STORAGE_UNAVAILABLE");
  });

  describe("with every pooled connection busy", () => {
    let busy: PostgresDatabase;
    let held: PoolClient | undefined;

    beforeAll(async () => {
      busy = await PostgresDatabase.open(url, { migrate: false, poolSize: 1, poolWaitMs: 300 });
    });

    afterEach(() => {
      held?.release();
      held = undefined;
    });

    afterAll(async () => {
      await busy?.close();
    });

    /** Checks out the pool's only connection, as a long statement of another request would hold it. */
    async function holdTheOnlyConnection(): Promise<void> {
      held = await (busy.dataSource.driver as unknown as { master: Pool }).master.connect();
    }

    it("stops a read that runs out of time waiting with its time limit, and gives the connection back when it comes", async () => {
      await holdTheOnlyConnection();
      const started = Date.now();
      const failure = await inScope(busy, { count: 0, deadline: Date.now() + 100, limitMs: 100 }, () => busy.all(`SELECT 1 AS one`)).catch((error: unknown) => error);
      expect(failure).toBeInstanceOf(QueryTimeoutError);
      expect((failure as QueryTimeoutError).extensions).toMatchObject({ code: "QUERY_TIMEOUT", limitMs: 100 });
      // Stopped at the request's deadline, not at the pool's wait.
      expect(Date.now() - started).toBeLessThan(300);
      held?.release();
      held = undefined;
      // The one connection reached the abandoned check-out first; it went back to the pool.
      expect(await busy.all(`SELECT 2 AS two`)).toEqual([{ two: 2 }]);
    });

    it("refuses a write that waits past the pool's wait as OVERLOADED, stores nothing, and keeps writes healthy", async () => {
      await holdTheOnlyConnection();
      const failure = await addCountry(busy, "Nauru", "NRU").catch((error: unknown) => error);
      expect((failure as GraphQLError).extensions).toMatchObject({ code: "OVERLOADED", stored: false, retryAfter: 1 });
      expect(busy.health.current).toEqual([]);
      held?.release();
      held = undefined;
      expect(await busy.all(`SELECT count(*) AS c FROM "country" WHERE "name" = ?`, ["Nauru"])).toEqual([{ c: 0 }]);
      await addCountry(busy, "Nauru", "NRU");
      expect(await busy.all(`SELECT count(*) AS c FROM "country" WHERE "name" = ?`, ["Nauru"])).toEqual([{ c: 1 }]);
    });
  });

  it("keeps no cached answer read on a replica behind the primary's change stamp", async () => {
    const behind = await createDatabase("behind");
    try {
      await (await PostgresDatabase.open(behind)).close();
      await withClient(behind, (client) => client.query(`UPDATE "kb_version" SET "v" = "v" - 1`));
      const lagging = await PostgresDatabase.open(url, { replicaUrls: [behind], migrate: false });
      try {
        const read = (): Promise<unknown> => lagging.cachedRead("c", () => lagging.get(`SELECT count(*) AS c FROM "country"`));
        await read();
        await read();
        expect(lagging.readStats).toEqual({ read: 2, cached: 0 });
      } finally {
        await lagging.close();
      }
    } finally {
      await dropDatabase(behind);
    }
  });

  describe("with a replica", () => {
    let replicated: PostgresDatabase;

    beforeAll(async () => {
      replicated = await PostgresDatabase.open(url, { replicaUrls: [url], migrate: false });
    });

    afterAll(async () => {
      await replicated?.close();
    });

    it("reads from the replica, keeps cached answers read there, and reads its own write at once from the primary", async () => {
      const cached = (): Promise<unknown> => replicated.cachedRead("c", () => replicated.get(`SELECT count(*) AS c FROM "country"`));
      expect(await cached()).toEqual({ c: 0 });
      expect(await cached()).toEqual({ c: 0 });
      expect(replicated.readStats).toEqual({ read: 1, cached: 1 });
      const { master, slaves } = replicated.dataSource.driver as unknown as { master: Pool; slaves: Pool[] };
      const onPrimary = jest.spyOn(master, "connect");
      const onReplica = jest.spyOn(slaves[0], "connect");
      expect(await replicated.get(`SELECT count(*) AS c FROM "country"`)).toEqual({ c: 0 });
      expect(onReplica).toHaveBeenCalledTimes(1);
      const id = await addCountry(replicated, "Oman", "OMN");
      onPrimary.mockClear();
      onReplica.mockClear();
      expect(await replicated.get(`SELECT "name" FROM "country" WHERE "id" = ?`, [id])).toEqual({ name: "Oman" });
      // Right after this process's commit, reads go to the primary (read-your-writes).
      expect(onReplica).not.toHaveBeenCalled();
      expect(onPrimary).toHaveBeenCalledTimes(1);
      onPrimary.mockRestore();
      onReplica.mockRestore();
      const { createdAt } = (await replicated.get<{ createdAt: string }>(`SELECT "createdAt" FROM "country" WHERE "id" = ?`, [id]))!;
      const country = await replicated.dataSource.manager.findOne(Country, { where: { id } });
      expect(country?.createdAt.getTime()).toBe(Date.parse(`${createdAt.replace(" ", "T")}Z`));
      expect(await cached()).toEqual({ c: 1 });
      expect(replicated.readStats).toEqual({ read: 2, cached: 1 });
    });
  });
});
