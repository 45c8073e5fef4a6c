import { addBulkRows } from "./bulk";
import { createTestServer, GqlResult, TestServer } from "./helpers";

interface Edge {
  cursor: string;
  node: { id: string; databaseId: number };
}
interface ConnectionPage {
  totalCount: number;
  edges: Edge[];
  nodes: Array<{ id: string }>;
  pageInfo: { hasNextPage: boolean; hasPreviousPage: boolean; startCursor: string | null; endCursor: string | null };
}

/** The default order of each root list, computed independently of the server in plain TypeScript. */
const EXPECTED_ORDER: Record<string, { table: string; compare: (a: Row, b: Row) => number }> = {
  articles: { table: "article", compare: (a, b) => cmp(b.publishedAt, a.publishedAt) || b.id - a.id },
  countries: { table: "country", compare: (a, b) => cmp(a.name, b.name) || a.id - b.id },
  organizations: { table: "organization", compare: (a, b) => cmp(a.name, b.name) || a.id - b.id },
  people: { table: "person", compare: (a, b) => cmp(a.name, b.name) || a.id - b.id },
  positions: {
    table: "position",
    compare: (a, b) => a.articleId - b.articleId || a.startOffset - b.startOffset || a.id - b.id,
  },
  quotes: { table: "quote", compare: (a, b) => a.articleId - b.articleId || a.startOffset - b.startOffset || a.id - b.id },
};

interface Row {
  id: number;
  name: string;
  publishedAt: string;
  articleId: number;
  startOffset: number;
}

/**
 * Text in SQLite's order (byte by byte in UTF-8, which code unit order matches for these names):
 * the order the API gives on SQLite, and must give on PostgreSQL too for the same data.
 */
function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

const PAGE_FIELDS = `totalCount edges { cursor node { id databaseId } } nodes { id }
  pageInfo { hasNextPage hasPreviousPage startCursor endCursor }`;

describe("connections", () => {
  let kb: TestServer;

  beforeAll(async () => {
    kb = await createTestServer();
    await addBulkRows(kb, { peoplePerCountry: 25, positionsPerPerson: 2, quotesPerPerson: 2 });
    // Several articles share a date, so the id tie-break matters.
    for (let i = 0; i < 23; i += 1) {
      await kb.sql(`INSERT INTO article (url, title, publisher, "publishedAt", body) VALUES (?, ?, 'Test', ?, 'body')`, [
        `https://example.com/${i}`,
        `Article ${i}`,
        `2020-01-${String(1 + (i % 5)).padStart(2, "0")}`,
      ]);
    }
  });
  afterAll(async () => {
    await kb.close();
  });

  async function page(field: string, args: Record<string, unknown>): Promise<ConnectionPage> {
    const data = await kb.data<Record<string, ConnectionPage>>(
      `query($first: Int, $after: String, $last: Int, $before: String) {
        list: ${field}(first: $first, after: $after, last: $last, before: $before) { ${PAGE_FIELDS} }
      }`,
      args,
    );
    return data.list;
  }

  async function walk(field: string, size: number, backward: boolean): Promise<number[]> {
    const seen: number[] = [];
    let cursor: string | null = null;
    for (let i = 0; i < 1000; i += 1) {
      const p: ConnectionPage = await page(field, backward ? { last: size, before: cursor } : { first: size, after: cursor });
      expect(p.edges.length).toBeLessThanOrEqual(size);
      expect(p.nodes.map((n) => n.id)).toEqual(p.edges.map((e) => e.node.id));
      expect(p.pageInfo.startCursor).toBe(p.edges[0]?.cursor ?? null);
      expect(p.pageInfo.endCursor).toBe(p.edges[p.edges.length - 1]?.cursor ?? null);
      const ids = p.edges.map((e) => e.node.databaseId);
      if (backward) seen.unshift(...ids);
      else seen.push(...ids);
      const more = backward ? p.pageInfo.hasPreviousPage : p.pageInfo.hasNextPage;
      if (!more) return seen;
      expect(p.edges).toHaveLength(size);
      cursor = backward ? p.pageInfo.startCursor : p.pageInfo.endCursor;
    }
    throw new Error("pagination did not end");
  }

  for (const [field, { table, compare }] of Object.entries(EXPECTED_ORDER)) {
    it(`pages ${field} forward and backward to the end without gaps or repeats`, async () => {
      const rows = await kb.db.all<Row>(`SELECT * FROM "${table}"`);
      const expected = rows.sort(compare).map((r) => r.id);
      expect(expected.length).toBeGreaterThan(5);
      const size = expected.length > 40 ? 17 : 2;
      const forward = await walk(field, size, false);
      const backward = await walk(field, size, true);
      expect(forward).toEqual(expected);
      expect(backward).toEqual(expected);
      expect((await page(field, { first: 1 })).totalCount).toBe(expected.length);
    });
  }

  it("pages a nested list per parent with its own cursors", async () => {
    const query = `query($after: String) { country(code: "RU") { people(first: 4, after: $after) {
      totalCount edges { cursor node { name } } pageInfo { hasNextPage endCursor } } } }`;
    const names: string[] = [];
    let after: string | null = null;
    for (;;) {
      const data: { country: { people: { totalCount: number; edges: Array<{ node: { name: string } }>; pageInfo: { hasNextPage: boolean; endCursor: string } } } } =
        await kb.data(query, { after });
      names.push(...data.country.people.edges.map((e) => e.node.name));
      if (!data.country.people.pageInfo.hasNextPage) {
        expect(names).toHaveLength(data.country.people.totalCount);
        break;
      }
      after = data.country.people.pageInfo.endCursor;
    }
    const expected = (await kb.db.all<{ name: string }>(`SELECT name FROM person WHERE "countryId" = (SELECT id FROM country WHERE alpha2 = 'RU')`))
      .map((r) => r.name)
      .sort(cmp);
    expect(names).toEqual(expected);
  });

  it("returns twenty items when neither first nor last is given", async () => {
    const data = await kb.data<{ people: { nodes: unknown[]; pageInfo: { hasNextPage: boolean } } }>(
      `{ people { nodes { id } pageInfo { hasNextPage } } }`,
    );
    expect(data.people.nodes).toHaveLength(20);
    expect(data.people.pageInfo.hasNextPage).toBe(true);
  });

  it("returns a hundred items when asked for the maximum", async () => {
    const data = await kb.data<{ people: { nodes: unknown[] } }>(`{ people(first: 100) { nodes { id } } }`);
    expect(data.people.nodes).toHaveLength(100);
  });

  async function errorOf(query: string, variables?: Record<string, unknown>): Promise<NonNullable<GqlResult["errors"]>[number]> {
    const result = await kb.run(query, variables);
    expect(result.errors).toBeDefined();
    return (result.errors ?? [])[0];
  }

  it.each([
    ["first: 101", "first"],
    ["first: 0", "first"],
    ["first: -1", "first"],
    ["last: 1000", "last"],
    ["first: 1, last: 1", "last"],
    ['after: "not a cursor!"', "after"],
    ['before: "eyJub3QiOiJhIGN1cnNvciJ9"', "before"],
  ])("rejects %s with BAD_USER_INPUT naming the argument", async (args, argument) => {
    const error = await errorOf(`{ people(${args}) { nodes { id } } }`);
    expect(error.extensions?.code).toBe("BAD_USER_INPUT");
    expect(error.extensions?.argument).toBe(argument);
  });

  it("rejects an oversize page on a nested list too", async () => {
    const error = await errorOf(`{ countries { nodes { people(first: 500) { nodes { id } } } } }`);
    expect(error.extensions?.code).toBe("BAD_USER_INPUT");
    expect(error.message).toMatch(/between 1 and 100/);
  });

  it.each([
    ["a text id", ["Person:name+,id+", "Egypt", "5"]],
    ["a fractional id", ["Person:name+,id+", "Egypt", 5.5]],
    ["a missing id", ["Person:name+,id+", "Egypt", null]],
  ])("rejects a forged cursor with %s", async (_label, values) => {
    const people = await page("people", { first: 1 });
    // The forged cursors use the genuine one's signature, so only the values are wrong.
    const signature = (JSON.parse(Buffer.from(people.pageInfo.endCursor as string, "base64url").toString()) as unknown[])[0];
    expect(signature).toBe(values[0]);
    const forged = Buffer.from(JSON.stringify(values)).toString("base64url");
    const error = await errorOf(`query($after: String) { people(after: $after) { nodes { id } } }`, { after: forged });
    expect(error.extensions?.code).toBe("BAD_USER_INPUT");
    expect(error.extensions?.argument).toBe("after");
  });

  /** A genuine cursor of `list` in `orderBy`, with its key values replaced by `values`. */
  async function forgedCursor(list: string, orderBy: string, values: unknown[]): Promise<string> {
    const data = await kb.data<Record<string, ConnectionPage>>(`{ list: ${list}(first: 1, orderBy: ${orderBy}) { ${PAGE_FIELDS} } }`);
    const genuine = JSON.parse(Buffer.from(data.list.pageInfo.endCursor as string, "base64url").toString()) as unknown[];
    expect(genuine).toHaveLength(values.length + 1);
    return Buffer.from(JSON.stringify([genuine[0], ...values])).toString("base64url");
  }

  it.each([
    ["a fractional article id", "quotes", "{ field: ARTICLE_ORDER }", [1.5, 0, 1]],
    ["a text offset", "positions", "{ field: ARTICLE_ORDER }", [1, "0", 1]],
    ["an offset past 32 bits", "quotes", "{ field: ARTICLE_ORDER }", [1, 2 ** 40, 1]],
    ["a number for a name", "countries", "{ field: NAME }", [5, 1]],
    ["a null name", "people", "{ field: NAME }", [null, 1]],
    ["a number for an instant", "people", "{ field: CREATED_AT }", [1733400000, 1]],
    ["a day that does not exist", "articles", "{ field: CREATED_AT }", ["2019-02-30 10:00:00", 1]],
    ["an instant of year 0", "articles", "{ field: CREATED_AT }", ["0000-06-01 10:00:00", 1]],
    ["an instant in another format", "quotes", "{ field: UPDATED_AT }", ["2019-04-09T10:00:00Z", 1]],
    ["a number for a date kept as text", "positions", "{ field: START_DATE }", [2019, 1]],
  ])("rejects a cursor holding %s for its column, on every database alike", async (_label, list, orderBy, values) => {
    const forged = await forgedCursor(list as string, orderBy as string, values as unknown[]);
    for (const argument of ["after", "before"]) {
      const error = await errorOf(`query($cursor: String) { ${list}(${argument}: $cursor, orderBy: ${orderBy}) { totalCount nodes { id } } }`, { cursor: forged });
      expect(error.extensions?.code).toBe("BAD_USER_INPUT");
      expect(error.extensions?.argument).toBe(argument);
    }
  });

  it("takes an instant key of any real moment from year 1 on, years 1 to 99 included", async () => {
    for (const instant of ["0001-01-01 00:00:00", "0050-03-01 12:30:00", "2019-02-28 23:59:59.5"]) {
      const cursor = await forgedCursor("people", "{ field: CREATED_AT }", [instant, 1]);
      const result = await kb.run(`query($cursor: String) { people(after: $cursor, first: 2, orderBy: { field: CREATED_AT }) { nodes { id } } }`, { cursor });
      expect(result.errors).toBeUndefined();
    }
  });

  it.each([
    ["quotes", "{ field: ARTICLE_ORDER }"],
    ["people", "{ field: CREATED_AT, direction: DESC }"],
    ["articles", "{ field: UPDATED_AT }"],
    ["positions", "[{ field: START_DATE }, { field: TITLE }]"],
    ["countries", "{ field: ALPHA3 }"],
  ])("takes back every cursor it gives out for %s in order %s", async (list, orderBy) => {
    const first = await kb.data<Record<string, ConnectionPage>>(`{ list: ${list}(first: 2, orderBy: ${orderBy}) { ${PAGE_FIELDS} } }`);
    for (const cursor of [first.list.pageInfo.startCursor, first.list.pageInfo.endCursor]) {
      const result = await kb.run(`query($cursor: String) { ${list}(after: $cursor, first: 2, orderBy: ${orderBy}) { nodes { id } } }`, { cursor });
      expect(result.errors).toBeUndefined();
    }
  });

  it("rejects a cursor taken from another kind of list sorted the same way", async () => {
    const countries = await page("countries", { first: 1 });
    for (const field of ["people", "organizations"]) {
      const error = await errorOf(`query($after: String) { ${field}(after: $after) { nodes { id } } }`, { after: countries.pageInfo.endCursor });
      expect(error.extensions?.code).toBe("BAD_USER_INPUT");
      expect(error.extensions?.argument).toBe("after");
    }
  });

  it("rejects a cursor taken from a list in another order", async () => {
    const quotes = await page("quotes", { first: 1 });
    const error = await errorOf(`query($after: String) { people(after: $after) { nodes { id } } }`, {
      after: quotes.pageInfo.endCursor,
    });
    expect(error.extensions?.code).toBe("BAD_USER_INPUT");
  });
});
