import BetterSqlite3 from "better-sqlite3";
import { readKey, STAMP_SQL } from "../src/storage/read-cache";
import { ALICE, EDITORS } from "./editing-helpers";
import { createTestServer, TestServer } from "./helpers";

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
      // commit while it ran would make its answer too new or too old to keep.
      const first = await traced<Counted>(kb, COUNT, { prefix: "K" });
      expect(first.data.people.totalCount).toBeGreaterThan(0);
      expect(first.log).toEqual([STAMP_SQL, expect.stringContaining("SELECT COUNT(*)"), STAMP_SQL]);
      const again = await traced<Counted>(kb, COUNT, { prefix: "K" });
      expect(again).toEqual({ data: first.data, log: [STAMP_SQL] });
      // Another filter is another count.
      const other = await traced<Counted>(kb, COUNT, { prefix: "V" });
      expect(other.log).toHaveLength(3);
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

  it("counts again after raw SQL on the server's connection and a commit by another process", async () => {
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

  it("steps aside while this server has a transaction open", async () => {
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
      kb.sqlite.prepare(`INSERT INTO person (name, aliases, countryId) VALUES ('Zebulon Quartermaine', '[]', (SELECT id FROM country WHERE alpha2 = 'LY'))`).run();
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
