import { ORDER_FIELDS } from "../src/inputs/orders.input";
import { addBulkRows } from "./bulk";
import { createTestServer, TestServer } from "./helpers";

type Row = { id: number } & Record<string, unknown>;

/** The columns behind each order field, restated here so the test does not trust the server's map. */
const COLUMNS: Record<string, Record<string, Array<{ column: string; nullable?: boolean }>>> = {
  Article: { PUBLISHED_AT: [{ column: "publishedAt" }], TITLE: [{ column: "title" }] },
  Country: { NAME: [{ column: "name" }], ALPHA2: [{ column: "alpha2" }], ALPHA3: [{ column: "alpha3" }] },
  Organization: { NAME: [{ column: "name" }], KIND: [{ column: "kind" }] },
  Person: { NAME: [{ column: "name" }] },
  Position: {
    ARTICLE_ORDER: [{ column: "articleId" }, { column: "startOffset" }],
    TITLE: [{ column: "title" }],
    START_DATE: [{ column: "startDate", nullable: true }],
    END_DATE: [{ column: "endDate", nullable: true }],
  },
  Quote: { ARTICLE_ORDER: [{ column: "articleId" }, { column: "startOffset" }], KIND: [{ column: "kind" }] },
  Mention: { ARTICLE_ORDER: [{ column: "articleId" }, { column: "startOffset" }], KIND: [{ column: "kind" }] },
};
const COMMON = { CREATED_AT: [{ column: "createdAt" }], UPDATED_AT: [{ column: "updatedAt" }], DATABASE_ID: [] };
const LISTS: Record<string, { field: string; table: string }> = {
  Article: { field: "articles", table: "article" },
  Country: { field: "countries", table: "country" },
  Organization: { field: "organizations", table: "organization" },
  Person: { field: "people", table: "person" },
  Position: { field: "positions", table: "position" },
  Quote: { field: "quotes", table: "quote" },
  Mention: { field: "mentions", table: "mention" },
};

interface Criterion {
  field: string;
  direction: "ASC" | "DESC";
}

function compareValues(a: unknown, b: unknown): number {
  if (typeof a === "number" && typeof b === "number") return a - b;
  const x = String(a);
  const y = String(b);
  return x < y ? -1 : x > y ? 1 : 0;
}

/** Sorts rows the way the API promises, in plain TypeScript. */
function expectedOrder(type: string, rows: Row[], criteria: Criterion[]): number[] {
  const keys: Array<{ column: string; nullable?: boolean; direction: "ASC" | "DESC" }> = [];
  for (const c of criteria) {
    for (const column of { ...COMMON, ...COLUMNS[type] }[c.field as keyof typeof COMMON]) {
      if (!keys.some((k) => k.column === column.column)) keys.push({ ...column, direction: c.direction });
    }
  }
  keys.push({ column: "id", direction: keys[0]?.direction ?? criteria[0].direction });
  return [...rows]
    .sort((a, b) => {
      for (const key of keys) {
        const value = (r: Row): unknown => (key.nullable ? (r[key.column] ?? "") : r[key.column]);
        const c = compareValues(value(a), value(b));
        if (c !== 0) return key.direction === "ASC" ? c : -c;
      }
      return 0;
    })
    .map((r) => r.id);
}

describe("orderBy", () => {
  let kb: TestServer;

  beforeAll(async () => {
    kb = await createTestServer();
    await addBulkRows(kb, { peoplePerCountry: 15, positionsPerPerson: 2, quotesPerPerson: 2 });
    const insertArticle = kb.sqlite.prepare(`INSERT INTO article (url, title, publisher, publishedAt, body) VALUES (?, ?, 'Test', ?, 'body')`);
    for (let i = 0; i < 30; i += 1) insertArticle.run(`https://example.com/${i}`, `Headline ${i % 7}`, `2020-0${1 + (i % 4)}-01`);
    // Timestamps in small groups, so ties are common and the id tie-break is exercised.
    for (const table of Object.values(LISTS).map((l) => l.table)) {
      kb.sqlite.exec(`UPDATE "${table}" SET createdAt = datetime('2020-01-01', '+' || (id % 7) || ' days'), updatedAt = datetime('2021-01-01', '+' || (id % 5) || ' hours')`);
    }
    kb.sqlite.exec(`UPDATE position SET startDate = CASE WHEN id % 4 = 0 THEN NULL ELSE '19' || printf('%02d', id % 50) END, endDate = CASE WHEN id % 3 = 0 THEN NULL ELSE '20' || printf('%02d', id % 20) || '-0' || (1 + id % 9) END WHERE title LIKE 'bulk%'`);
  });
  afterAll(async () => {
    await kb.close();
  });

  async function walk(type: string, orderBy: Criterion[], size: number, backward: boolean): Promise<number[]> {
    const { field } = LISTS[type];
    const seen: number[] = [];
    let cursor: string | null = null;
    for (let i = 0; i < 500; i += 1) {
      const data: Record<string, { nodes: Array<{ databaseId: number }>; pageInfo: { hasNextPage: boolean; hasPreviousPage: boolean; startCursor: string; endCursor: string } }> =
        await kb.data(
          `query($orderBy: [${type}Order!], $first: Int, $after: String, $last: Int, $before: String) {
            list: ${field}(orderBy: $orderBy, first: $first, after: $after, last: $last, before: $before) {
              nodes { databaseId } pageInfo { hasNextPage hasPreviousPage startCursor endCursor } } }`,
          backward ? { orderBy, last: size, before: cursor } : { orderBy, first: size, after: cursor },
        );
      const ids = data.list.nodes.map((n) => n.databaseId);
      if (backward) seen.unshift(...ids);
      else seen.push(...ids);
      if (!(backward ? data.list.pageInfo.hasPreviousPage : data.list.pageInfo.hasNextPage)) return seen;
      cursor = backward ? data.list.pageInfo.startCursor : data.list.pageInfo.endCursor;
    }
    throw new Error("pagination did not end");
  }

  const cases: Array<[string, Criterion[]]> = [];
  for (const [type, fields] of Object.entries(ORDER_FIELDS)) {
    for (const field of Object.keys(fields)) {
      for (const direction of ["ASC", "DESC"] as const) cases.push([type, [{ field, direction }]]);
    }
  }
  cases.push(["Person", [{ field: "CREATED_AT", direction: "DESC" }, { field: "NAME", direction: "ASC" }]]);
  cases.push(["Position", [{ field: "START_DATE", direction: "ASC" }, { field: "END_DATE", direction: "DESC" }]]);
  cases.push(["Quote", [{ field: "KIND", direction: "DESC" }, { field: "UPDATED_AT", direction: "ASC" }]]);

  it.each(cases)("walks %s ordered by %j forward and backward without gaps or repeats", async (type, orderBy) => {
    const rows = kb.sqlite.prepare(`SELECT * FROM "${LISTS[type].table}"`).all() as Row[];
    const expected = expectedOrder(type, rows, orderBy);
    const size = Math.max(3, Math.ceil(expected.length / 12));
    expect(await walk(type, orderBy, size, false)).toEqual(expected);
    expect(await walk(type, orderBy, size, true)).toEqual(expected);
  });

  it("orders a nested connection per parent", async () => {
    const data = await kb.data<{ country: { people: { nodes: Array<{ databaseId: number }> } } }>(
      `{ country(code: "RU") { people(first: 100, orderBy: [{ field: CREATED_AT, direction: DESC }]) { nodes { databaseId } } } }`,
    );
    const rows = kb.sqlite.prepare(`SELECT * FROM person WHERE countryId = (SELECT id FROM country WHERE alpha2 = 'RU')`).all() as Row[];
    expect(data.country.people.nodes.map((n) => n.databaseId)).toEqual(expectedOrder("Person", rows, [{ field: "CREATED_AT", direction: "DESC" }]));
  });

  it.each(cases)("reads a deep page of %s ordered by %j from an index, never sorting the table", async (type, orderBy) => {
    const first = await kb.data<Record<string, { pageInfo: { endCursor: string } }>>(
      `query($orderBy: [${type}Order!]) { list: ${LISTS[type].field}(orderBy: $orderBy, first: 50) { pageInfo { endCursor } } }`,
      { orderBy },
    );
    kb.db.statements.reset();
    kb.db.statements.record = true;
    await kb.data(
      `query($orderBy: [${type}Order!], $after: String) { list: ${LISTS[type].field}(orderBy: $orderBy, first: 20, after: $after) { nodes { databaseId } } }`,
      { orderBy, after: first.list.pageInfo.endCursor },
    );
    kb.db.statements.record = false;
    const [sql] = kb.db.statements.log;
    // A page in a reader process is logged with its parameters unbound; the plan is the same for any.
    const unbound = (sql.match(/\?/g) ?? []).map(() => null);
    const plan = (kb.sqlite.prepare(`EXPLAIN QUERY PLAN ${sql}`).all(...unbound) as Array<{ detail: string }>).map((p) => p.detail).join("; ");
    if (orderBy.length === 1) expect(plan).not.toMatch(/TEMP B-TREE/);
    expect(plan).toMatch(/USING (INDEX|INTEGER PRIMARY KEY|COVERING INDEX)|^SCAN t$/);
  });

  it("rejects a cursor from another order and too many criteria", async () => {
    const byName = await kb.data<{ people: { pageInfo: { endCursor: string } } }>(`{ people(first: 1) { pageInfo { endCursor } } }`);
    const other = await kb.run(`query($after: String) { people(after: $after, orderBy: [{ field: CREATED_AT }]) { totalCount } }`, { after: byName.people.pageInfo.endCursor });
    expect(other.errors?.[0].extensions?.code).toBe("BAD_USER_INPUT");
    const many = await kb.run(`{ people(orderBy: [{field: NAME}, {field: CREATED_AT}, {field: UPDATED_AT}, {field: DATABASE_ID}, {field: NAME}, {field: NAME}]) { totalCount } }`);
    expect(many.errors?.[0].extensions?.code).toBe("BAD_USER_INPUT");
  });
});
