import { addBulkRows } from "./bulk";
import { createTestServer, TestServer } from "./helpers";

const NESTED = `{
  countries(first: 100) {
    nodes {
      name
      people(first: 100) {
        nodes {
          name
          country { name }
          positions { nodes { title organization { name } country { alpha2 } evidence { text } } }
          quotes { nodes { text speaker { name } } }
        }
      }
    }
  }
}`;

const WITH_COUNTS = `{
  countries(first: 100) {
    totalCount
    nodes {
      people(first: 100) {
        totalCount
        nodes { quotes(first: 5) { totalCount nodes { text } } organizations { totalCount nodes { name } } }
      }
    }
  }
}`;

describe("SQL statements per request", () => {
  let kb: TestServer;

  beforeAll(async () => {
    kb = await createTestServer();
  });
  afterAll(async () => {
    await kb.close();
  });

  async function countStatements(query: string): Promise<{ count: number; log: string[]; rows: string }> {
    kb.db.statements.reset();
    kb.db.statements.record = true;
    const data = await kb.data(query);
    kb.db.statements.record = false;
    return { count: kb.db.statements.count, log: [...kb.db.statements.log], rows: JSON.stringify(data) };
  }

  it("does not grow with the number of rows for a nested query", async () => {
    const before = await countStatements(NESTED);
    expect(before.rows).toContain("Khalifa Haftar");
    // One statement per list or to-one level: countries, people, person.country, positions,
    // organizations, position.country, articles (evidence text), quotes, quote.speaker.
    expect(before.count).toBeLessThanOrEqual(9);

    await addBulkRows(kb, { peoplePerCountry: 40, positionsPerPerson: 3, quotesPerPerson: 4 });
    const after = await countStatements(NESTED);
    expect(after.rows.length).toBeGreaterThan(before.rows.length * 5);
    expect(after.rows).toContain("bulk person RU 39");
    expect(after.count).toBe(before.count);
  });

  it("counts nested totals with one statement per level, only when asked", async () => {
    const withCounts = await countStatements(WITH_COUNTS);
    // countries page + count, people page + count, quotes page + count, organizations page + count,
    // and the read cache's stamp, looked up before the root count.
    expect(withCounts.count).toBe(9);
    expect(withCounts.log.filter((sql) => sql.includes("COUNT(*)"))).toHaveLength(4);
    expect(withCounts.log.filter((sql) => sql === kb.stampSql)).toHaveLength(1);
    // Asked again, the root count comes from the cache; nested counts depend on their parents and are counted again.
    const again = await countStatements(WITH_COUNTS);
    expect(again.count).toBe(8);
    expect(again.log.filter((sql) => sql.includes("COUNT(*)"))).toHaveLength(3);
    expect(again.rows).toBe(withCounts.rows);

    const withoutCounts = await countStatements(WITH_COUNTS.replace(/totalCount/g, ""));
    expect(withoutCounts.count).toBe(4);
    expect(withoutCounts.log.some((sql) => sql.includes("COUNT("))).toBe(false);
  });

  it("answers a count-only query without loading a row, and a repeat from the read cache", async () => {
    const first = await countStatements(`{ people { totalCount } }`);
    expect(first.log).toEqual([kb.stampSql, expect.stringMatching(/^SELECT COUNT\(\*\) AS n FROM "person"/)]);
    const again = await countStatements(`{ people { totalCount } }`);
    expect(again.log).toEqual([kb.stampSql]);
    expect(again.rows).toBe(first.rows);
  });
});
