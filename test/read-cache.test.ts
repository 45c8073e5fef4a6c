import BetterSqlite3 from "better-sqlite3";
import { Client } from "pg";
import { readKey } from "../src/storage/read-cache";
import { ALICE, EDITORS } from "./editing-helpers";
import { createTestServer, itOnPostgres, itOnSqlite, TestServer } from "./helpers";

const COUNT = `query($prefix: String!) { people(filter: { name: { startsWith: $prefix } }) { totalCount } }`;
const GROUPS = `{ personCounts(groupBy: COUNTRY) { count country { alpha2 } } }`;

interface Counted {
  people: { totalCount: number };
}

describe("the read cache for counts", () => {
  async function withServer(env: Record<string, string>, test: (kb: TestServer) => Promise<void>): Promise<void> {
    const kb = await createTestServer({ env: { ...EDITORS, ...env } });
    try {
      await test(kb);
    } finally {
      await kb.close();
    }
  }

  /** Runs a query, returning its data and the statements it ran. */
  async function traced<T>(kb: TestServer, query: string, variables?: Record<string, unknown>): Promise<{ data: T; log: string[] }> {
    kb.db.statements.reset();
    kb.db.statements.record = true;
    try {
      return { data: await kb.data<T>(query, variables), log: [...kb.db.statements.log] };
    } finally {
      kb.db.statements.record = false;
    }
  }

  const total = async (kb: TestServer, prefix: string): Promise<number> => (await kb.data<Counted>(COUNT, { prefix })).people.totalCount;

  it("answers a repeated totalCount from the cache, reading only the stamp", async () => {
    await withServer({}, async (kb) => {
      // A filtered count runs in a reader process, so the stamp is read before and after it: a
      // commit while it ran would make its answer too new or too old to keep. PostgreSQL checks
      // its stamp after the read too, but counts only the look-up before it as a statement of the
      // request (src/storage/postgres/read-cache.ts), so its log has no stamp after the count.
      const stampAfter = kb.kind === "sqlite" ? [kb.stampSql] : [];
      const first = await traced<Counted>(kb, COUNT, { prefix: "K" });
      expect(first.data.people.totalCount).toBeGreaterThan(0);
      expect(first.log).toEqual([kb.stampSql, expect.stringContaining("SELECT COUNT(*)"), ...stampAfter]);
      const again = await traced<Counted>(kb, COUNT, { prefix: "K" });
      expect(again).toEqual({ data: first.data, log: [kb.stampSql] });
      // Another filter is another count.
      const other = await traced<Counted>(kb, COUNT, { prefix: "V" });
      expect(other.log).toEqual([kb.stampSql, expect.stringContaining("SELECT COUNT(*)"), ...stampAfter]);
      expect(kb.db.readStats).toEqual({ read: 2, cached: 1 });
    });
  });

  it("counts again after a mutation through the API", async () => {
    await withServer({}, async (kb) => {
      const before = await total(kb, "Zeb");
      await kb.dataAs(ALICE, `mutation { createPerson(input: { name: "Zebulon Quartermaine" }) { person { id } } }`);
      expect(await total(kb, "Zeb")).toBe(before + 1);
    });
  });

  itOnSqlite("counts again after raw SQL on the server's connection and a commit by another process", async () => {
    await withServer({}, async (kb) => {
      const before = await total(kb, "Zeb");
      kb.sqlite.prepare(`INSERT INTO person (name, aliases) VALUES ('Zebulon Quartermaine', '[]')`).run();
      expect(await total(kb, "Zeb")).toBe(before + 1);
      const other = new BetterSqlite3(kb.config.databasePath);
      try {
        other.prepare(`DELETE FROM person WHERE name = 'Zebulon Quartermaine'`).run();
      } finally {
        other.close();
      }
      expect(await total(kb, "Zeb")).toBe(before);
    });
  });

  // PostgreSQL's counterpart: the server's pool and another connection, as another process would
  // write; each commit moves the change stamp (kb_version), which the cache reads before a count.
  itOnPostgres("counts again after raw SQL on the server's pool and a commit by another connection", async () => {
    await withServer({}, async (kb) => {
      const before = await total(kb, "Zeb");
      expect(await total(kb, "Zeb")).toBe(before);
      expect(kb.db.readStats).toEqual({ read: 1, cached: 1 });
      await kb.sql(`INSERT INTO person (name, aliases) VALUES ('Zebulon Quartermaine', '[]')`);
      expect(await total(kb, "Zeb")).toBe(before + 1);
      if (kb.config.databaseUrl === null) throw new Error("the PostgreSQL pass serves from DATABASE_URL");
      const other = new Client({ connectionString: kb.config.databaseUrl });
      await other.connect();
      try {
        await other.query(`DELETE FROM person WHERE name = 'Zebulon Quartermaine'`);
      } finally {
        await other.end();
      }
      expect(await total(kb, "Zeb")).toBe(before);
      expect(kb.db.readStats).toEqual({ read: 3, cached: 1 });
    });
  });

  // SQLite's one shared connection: raw SQL in a transaction it holds open is seen by the server.
  itOnSqlite("steps aside while this server has a transaction open", async () => {
    await withServer({}, async (kb) => {
      const before = await total(kb, "Zeb");
      kb.sqlite.exec("BEGIN");
      try {
        kb.sqlite.prepare(`INSERT INTO person (name, aliases) VALUES ('Zebulon Quartermaine', '[]')`).run();
        // The server's own connection sees its open transaction; nothing read now is kept.
        expect(await total(kb, "Zeb")).toBe(before + 1);
        expect(await total(kb, "Zeb")).toBe(before + 1);
        expect(kb.db.readStats).toEqual({ read: 3, cached: 0 });
      } finally {
        kb.sqlite.exec("ROLLBACK");
      }
      expect(await total(kb, "Zeb")).toBe(before);
    });
  });

  it("keeps grouped counts until the next change", async () => {
    await withServer({}, async (kb) => {
      type Groups = { personCounts: Array<{ count: number; country: { alpha2: string } | null }> };
      const first = await traced<Groups>(kb, GROUPS);
      const again = await traced<Groups>(kb, GROUPS);
      expect(again.data).toEqual(first.data);
      expect(again.log.some((sql) => sql.includes("GROUP BY"))).toBe(false);
      expect(first.log.some((sql) => sql.includes("GROUP BY"))).toBe(true);

      const libya = first.data.personCounts.find((g) => g.country?.alpha2 === "LY");
      expect(libya).toBeDefined();
      await kb.sql(`INSERT INTO person (name, aliases, "countryId") VALUES ('Zebulon Quartermaine', '[]', (SELECT id FROM country WHERE alpha2 = 'LY'))`);
      const after = await kb.data<Groups>(GROUPS);
      expect(after.personCounts.find((g) => g.country?.alpha2 === "LY")?.count).toBe((libya?.count ?? 0) + 1);
    });
  });

  it("stops a request past its time limit even when the count is kept", async () => {
    await withServer({}, async (kb) => {
      await total(kb, "K");
      const late = await kb.db.statements.perRequest.run({ count: 0, deadline: Date.now() - 1, limitMs: 1 }, () => kb.run(COUNT, { prefix: "K" }));
      expect(late.errors?.[0].extensions?.code).toBe("QUERY_TIMEOUT");
      expect(kb.db.readStats.cached).toBe(0);
    });
  });

  it("is off with READ_CACHE_ENTRIES=0", async () => {
    await withServer({ READ_CACHE_ENTRIES: "0" }, async (kb) => {
      for (let i = 0; i < 3; i++) {
        const { log } = await traced<Counted>(kb, COUNT, { prefix: "K" });
        expect(log).toEqual([expect.stringMatching(/^SELECT COUNT\(\*\)/)]);
      }
      expect(kb.db.readStats).toEqual({ read: 3, cached: 0 });
    });
  });
});

describe("readKey", () => {
  it("names a BigInt parameter apart from the same number and from any string", () => {
    const keys = [readKey("count", "sql", [5n]), readKey("count", "sql", [5]), readKey("count", "sql", ["5"]), readKey("count", "sql", ["5n"])];
    expect(new Set(keys).size).toBe(keys.length);
  });
});
