import { Database } from "../src/storage/database";
import { STATEMENT_CACHE_ENTRIES } from "../src/storage/read-pool";
import { createTestServer } from "./helpers";

describe("the prepared-statement cache", () => {
  it("keeps at most STATEMENT_CACHE_ENTRIES statements, however many texts clients cause", async () => {
    const db = await Database.open(":memory:");
    try {
      for (let i = 0; i < STATEMENT_CACHE_ENTRIES + 200; i++) expect(db.get<{ n: number }>(`SELECT ${i} AS n`)?.n).toBe(i);
      expect(db.cachedStatements).toBe(STATEMENT_CACHE_ENTRIES);
    } finally {
      await db.close();
    }
  });

  it("stays bounded when clients send ever new filter shapes", async () => {
    const t = await createTestServer({ env: { READ_WORKERS: "0" } });
    try {
      // Each length of an `and` list, on each of six operators, is a statement text of its own.
      const operators = ["contains", "startsWith", "eq", "containsIgnoreCase", "startsWithIgnoreCase", "eqIgnoreCase"];
      for (const operator of operators) {
        for (let n = 1; n <= 100; n++) {
          const conditions = Array.from({ length: n }, () => `{ name: { ${operator}: "a" } }`).join(", ");
          await t.data(`{ people(filter: { and: [${conditions}] }) { totalCount } }`);
        }
      }
      expect((t.db as Database).cachedStatements).toBeGreaterThan(STATEMENT_CACHE_ENTRIES - 50);
      expect((t.db as Database).cachedStatements).toBeLessThanOrEqual(STATEMENT_CACHE_ENTRIES);
    } finally {
      await t.close();
    }
  }, 60_000);
});
