import { ORDER_FIELDS } from "../src/inputs/orders.input";
import { addBulkRows } from "./bulk";
import { createTestServer, itOnPostgres, itOnSqlite, TestServer } from "./helpers";

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
    for (let i = 0; i < 30; i += 1) {
      await kb.sql(`INSERT INTO article (url, title, publisher, "publishedAt", body) VALUES (?, ?, 'Test', ?, 'body')`, [
        `https://example.com/${i}`,
        `Headline ${i % 7}`,
        `2020-0${1 + (i % 4)}-01`,
      ]);
    }
    // Timestamps in small groups, so ties are common and the id tie-break is exercised: createdAt
    // 2020-01-01 plus (id % 7) days, updatedAt 2021-01-01 plus (id % 5) hours, computed here and
    // bound in the store's own parameter form.
    const instant = (text: string): unknown => kb.db.dialect.timestampParam(new Date(`${text}Z`));
    for (const table of Object.values(LISTS).map((l) => l.table)) {
      for (let day = 0; day < 7; day += 1) await kb.sql(`UPDATE "${table}" SET "createdAt" = ? WHERE id % 7 = ?`, [instant(`2020-01-0${1 + day}T00:00:00`), day]);
      for (let hour = 0; hour < 5; hour += 1) await kb.sql(`UPDATE "${table}" SET "updatedAt" = ? WHERE id % 5 = ?`, [instant(`2021-01-01T0${hour}:00:00`), hour]);
    }
    // Start years 1900 to 1949 ('19' and two digits), ends 2000-01 to 2019-09 ('20', two digits, '-0', one digit).
    await kb.sql(
      `UPDATE position SET "startDate" = CASE WHEN id % 4 = 0 THEN NULL ELSE CAST(1900 + id % 50 AS TEXT) END, "endDate" = CASE WHEN id % 3 = 0 THEN NULL ELSE CAST(2000 + id % 20 AS TEXT) || '-0' || CAST(1 + id % 9 AS TEXT) END WHERE title LIKE 'bulk%'`,
    );
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
    const rows = await kb.db.all<Row>(`SELECT * FROM "${LISTS[type].table}"`);
    const expected = expectedOrder(type, rows, orderBy);
    const size = Math.max(3, Math.ceil(expected.length / 12));
    expect(await walk(type, orderBy, size, false)).toEqual(expected);
    expect(await walk(type, orderBy, size, true)).toEqual(expected);
  });

  it("orders a nested connection per parent", async () => {
    const data = await kb.data<{ country: { people: { nodes: Array<{ databaseId: number }> } } }>(
      `{ country(code: "RU") { people(first: 100, orderBy: [{ field: CREATED_AT, direction: DESC }]) { nodes { databaseId } } } }`,
    );
    const rows = await kb.db.all<Row>(`SELECT * FROM person WHERE "countryId" = (SELECT id FROM country WHERE alpha2 = 'RU')`);
    expect(data.country.people.nodes.map((n) => n.databaseId)).toEqual(expectedOrder("Person", rows, [{ field: "CREATED_AT", direction: "DESC" }]));
  });

  /** The statement that reads the second page (after 50 rows) of a list in an order. */
  async function deepPageStatement(type: string, orderBy: Criterion[]): Promise<string> {
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
    const [sql] = kb.db.statements.log.filter((statement) => statement !== kb.stampSql);
    expect(sql).toBeDefined();
    return sql;
  }

  itOnSqlite.each(cases)("reads a deep page of %s ordered by %j from an index, never sorting the table", async (type, orderBy) => {
    const sql = await deepPageStatement(type, orderBy);
    // A page in a reader process is logged with its parameters unbound; the plan is the same for any.
    const unbound = (sql.match(/\?/g) ?? []).map(() => null);
    const plan = (kb.sqlite.prepare(`EXPLAIN QUERY PLAN ${sql}`).all(...unbound) as Array<{ detail: string }>).map((p) => p.detail).join("; ");
    if (orderBy.length === 1) expect(plan).not.toMatch(/TEMP B-TREE/);
    expect(plan).toMatch(/USING (INDEX|INTEGER PRIMARY KEY|COVERING INDEX)|^SCAN t$/);
  });

  /** The comma-separated items of an EXPLAIN line such as `Sort Key: a, COALESCE(b, ''::text), id`. */
  const keyItems = (plan: string, label: string): string[] => {
    const line = plan.split("\n").find((l) => l.trim().startsWith(`${label}:`));
    if (line === undefined) return [];
    const items: string[] = [];
    let depth = 0;
    let item = "";
    for (const c of line.slice(line.indexOf(":") + 1)) {
      if (c === "," && depth === 0) {
        items.push(item.trim());
        item = "";
        continue;
      }
      if (c === "(") depth += 1;
      if (c === ")") depth -= 1;
      item += c;
    }
    items.push(item.trim());
    return items;
  };

  // PostgreSQL's counterpart. Its planner sorts tables this small rather than read an index, so
  // the plan is asked for with sorts and sequential scans priced out (SET LOCAL, in a transaction
  // of its own): an index that gives the order is then used if there is one, and a Sort left in
  // the plan means no index can. PostgreSQL's indexes do not end in the row id as SQLite's do
  // (nor does its planner take a unique index as ordering the id too), so the id tie-break shows
  // as an Incremental Sort over the index order: allowed only when every ordered column but the
  // id comes presorted from the index, so that only rows tied on all of them are sorted.
  itOnPostgres.each(cases)("reads a deep page of %s ordered by %j from an index on PostgreSQL, never sorting the table", async (type, orderBy) => {
    const sql = await deepPageStatement(type, orderBy);
    // PostgreSQL's reads are logged with their parameters filled in.
    expect(sql).not.toMatch(/\?/);
    const plan = await kb.db.dataSource.transaction(async (manager) => {
      await manager.query(`SET LOCAL enable_sort = off`);
      await manager.query(`SET LOCAL enable_seqscan = off`);
      return ((await manager.query(`EXPLAIN ${sql}`)) as Array<{ "QUERY PLAN": string }>).map((row) => row["QUERY PLAN"]).join("\n");
    });
    expect(plan).toMatch(/Index (Only )?Scan/);
    if (orderBy.length > 1) return;
    expect(plan).not.toMatch(/(^|->)\s*Sort\s+\(/m);
    if (/Incremental Sort/.test(plan)) {
      const sorted = keyItems(plan, "Sort Key");
      const presorted = keyItems(plan, "Presorted Key");
      expect(presorted.length).toBeGreaterThan(0);
      expect(sorted.length).toBe(presorted.length + 1);
      expect(sorted[sorted.length - 1]).toMatch(/^(t\.)?id( DESC)?$/);
    }
  });

  it("rejects a cursor from another order and too many criteria", async () => {
    const byName = await kb.data<{ people: { pageInfo: { endCursor: string } } }>(`{ people(first: 1) { pageInfo { endCursor } } }`);
    const other = await kb.run(`query($after: String) { people(after: $after, orderBy: [{ field: CREATED_AT }]) { totalCount } }`, { after: byName.people.pageInfo.endCursor });
    expect(other.errors?.[0].extensions?.code).toBe("BAD_USER_INPUT");
    const many = await kb.run(`{ people(orderBy: [{field: NAME}, {field: CREATED_AT}, {field: UPDATED_AT}, {field: DATABASE_ID}, {field: NAME}, {field: NAME}]) { totalCount } }`);
    expect(many.errors?.[0].extensions?.code).toBe("BAD_USER_INPUT");
  });
});
