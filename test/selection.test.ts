import { addBulkRows } from "./bulk";
import { createTestServer, TestServer } from "./helpers";

interface PersonQuotes {
  id: string;
  name: string;
  quotes: { nodes: Array<{ text: string }> };
}

/**
 * The same person's quotes asked one person at a time, through `node(id:)`: the batched loader
 * path, which the nested fetch ahead must agree with.
 */
async function quotesOneByOne(kb: TestServer, id: string, selection: string): Promise<unknown> {
  const data = await kb.data<{ node: Record<string, unknown> }>(`query ($id: ID!) { node(id: $id) { ... on Person { ${selection} } } }`, { id });
  return data.node;
}

describe("selections: columns read and relations fetched ahead", () => {
  let kb: TestServer;

  beforeAll(async () => {
    kb = await createTestServer();
    await addBulkRows(kb, { peoplePerCountry: 6, positionsPerPerson: 2, quotesPerPerson: 7 });
  });
  afterAll(async () => {
    await kb.close();
  });

  async function logOf(query: string, variables?: Record<string, unknown>): Promise<{ data: unknown; log: string[] }> {
    kb.db.statements.reset();
    kb.db.statements.record = true;
    const data = await kb.data(query, variables);
    kb.db.statements.record = false;
    return { data, log: [...kb.db.statements.log] };
  }

  it("selects only the columns a nested query reads", async () => {
    const { log } = await logOf(`{ countries(first: 3) { nodes { name people(first: 3) { nodes { name quotes(first: 2) { nodes { text } } } } } } }`);
    // SQLite joins each parent's page of ids; PostgreSQL reads each parent's page in a LATERAL subquery.
    const quotes = log.find((sql) => sql.includes(`JOIN "quote" r`) || (sql.includes("LATERAL") && sql.includes(`FROM "quote" t`)));
    expect(quotes).toBeDefined();
    expect(quotes).toContain(`r."text"`);
    expect(quotes).not.toContain("r.*");
    expect(quotes).not.toContain(`"kind"`);
    expect(quotes).not.toContain(`"updatedAt"`);
    // Without edges or pageInfo no cursor is made, so the sort keys are not selected either.
    expect(quotes?.slice(0, quotes.indexOf(" FROM "))).not.toContain(`"articleId"`);
    const countries = log.find((sql) => sql.includes(`FROM "country" t`));
    expect(countries).toMatch(/^SELECT t\."id", t\."name" FROM/);
  });

  it("selects the columns behind node, relation and evidence fields", async () => {
    const { data, log } = await logOf(`{ quotes(first: 3) { nodes { id databaseId evidence { startOffset endOffset text } speaker { name } speakerCountry { name } } } }`);
    const page = log.find((sql) => sql.includes(`FROM "quote" t`)) ?? "";
    for (const column of ["id", "articleId", "startOffset", "endOffset", "speakerId", "speakerCountryId"]) {
      expect(page).toContain(`t."${column}"`);
    }
    expect(page).not.toContain(`t."text"`);
    const nodes = (data as { quotes: { nodes: Array<{ evidence: { text: string }; speaker: { name: string } | null }> } }).quotes.nodes;
    expect(nodes).toHaveLength(3);
    expect(nodes.every((n) => n.evidence.text.length > 0)).toBe(true);
  });

  it("fetches a to-one field ahead with only the columns its selection reads", async () => {
    const { data, log } = await logOf(`{ positions(first: 20) { nodes { title organization { name country { alpha2 } } } } }`);
    expect(log.find((sql) => sql.includes(`FROM "organization" t`))).toMatch(/^SELECT t\."id", t\."name", t\."countryId" FROM "organization" t WHERE t\.id IN/);
    expect(log.find((sql) => sql.includes(`FROM "country" t`))).toMatch(/^SELECT t\."id", t\."alpha2" FROM "country" t WHERE t\.id IN/);
    // positions, their organizations, the organizations' countries.
    expect(log).toHaveLength(3);
    const nodes = (data as { positions: { nodes: Array<{ organization: { name: string; country: { alpha2: string } | null } | null }> } }).positions.nodes;
    expect(nodes.some((n) => n.organization?.country?.alpha2)).toBe(true);
  });

  it.each([
    ["quotes", "Quote", "id text kind createdAt speaker { name } speakerCountry { alpha2 } speakerOrganization { name } article { title } evidence { startOffset endOffset text }"],
    ["positions", "Position", "id title startDate endDate person { name } organization { name } country { alpha2 } article { url } evidence { text }"],
    ["people", "Person", "id name aliases description wikidataId country { name alpha3 }"],
    ["organizations", "Organization", "id name aliases kind description country { alpha2 } parent { name }"],
  ])("reads every field of %s from a list as from the whole row", async (list, type, selection) => {
    const data = await kb.data<Record<string, { nodes: Array<{ id: string }> }>>(`{ ${list}(first: 100) { nodes { ${selection} } } }`);
    const nodes = data[list].nodes;
    expect(nodes.length).toBeGreaterThan(5);
    for (const node of nodes) {
      const whole = await kb.data<{ node: unknown }>(`query ($id: ID!) { node(id: $id) { ... on ${type} { ${selection} } } }`, { id: node.id });
      expect(node).toEqual(whole.node);
    }
  });

  it("reads node(id:) with its to-one fields in one statement, and what they select below one statement each", async () => {
    const { quotes } = await kb.data<{ quotes: { nodes: Array<{ id: string }> } }>(`{ quotes(first: 1, filter: { speaker: { name: { startsWith: "" } } }) { nodes { id } } }`);
    const selection = `text speaker { name country { name } quotes(first: 2) { nodes { text } } } article { title }`;
    const { data, log } = await logOf(`query ($id: ID!) { node(id: $id) { ... on Quote { ${selection} } } }`, { id: quotes.nodes[0].id });
    // The quote with its speaker and article; the speaker's country; the speaker's quotes.
    expect(log).toHaveLength(3);
    expect(log[0]).toMatch(/FROM "quote" t LEFT JOIN "person" r\d ON .* LEFT JOIN "article" r\d ON .* WHERE t\.id = /);
    const listed = await kb.data<{ quotes: { nodes: unknown[] } }>(`{ quotes(first: 1, filter: { speaker: { name: { startsWith: "" } } }) { nodes { ${selection} } } }`);
    expect((data as { node: unknown }).node).toEqual(listed.quotes.nodes[0]);
  });

  it("answers nested fields fetched ahead exactly as fields loaded one parent at a time", async () => {
    const selection = `id name quotes(first: 3, orderBy: [{ field: DATABASE_ID, direction: DESC }]) { totalCount nodes { text kind } pageInfo { hasNextPage endCursor } } positions { nodes { title organization { name } } }`;
    const data = await kb.data<{ countries: { nodes: Array<{ people: { nodes: PersonQuotes[] } }> } }>(
      `{ countries(first: 100) { nodes { people(first: 100) { nodes { ${selection} } } } } }`,
    );
    const people = data.countries.nodes.flatMap((c) => c.people.nodes);
    expect(people.length).toBeGreaterThan(20);
    for (const person of people) {
      expect(person).toEqual(await quotesOneByOne(kb, person.id, selection));
    }
  });

  it("runs one statement per relation level however many parents there are", async () => {
    const { log } = await logOf(
      `{ countries(first: 100) { nodes { people(first: 100) { nodes { name positions { nodes { title organization { name } } } quotes(first: 5) { nodes { text } } } } } } }`,
    );
    // countries, people, positions, their organizations, quotes.
    expect(log).toHaveLength(5);
  });

  it("fetches the row past a page only when pageInfo is asked for", async () => {
    const limits = (log: string[]): string[] => log.map((sql) => /LIMIT (\S+?)(?:\.0)?\)?(?: r)?(?: ORDER|$)/.exec(sql)?.[1] ?? "none");
    const bare = await logOf(`{ countries(first: 3) { nodes { people(first: 2) { nodes { name } } } } }`);
    expect(limits(bare.log)).toEqual(["3", "2"]);
    const paged = await logOf(`{ countries(first: 3) { pageInfo { hasNextPage } nodes { people(first: 2) { pageInfo { hasNextPage } nodes { name } } } } }`);
    expect(limits(paged.log)).toEqual(["4", "3"]);
    type Paged = { countries: { pageInfo: { hasNextPage: boolean }; nodes: Array<{ people: { pageInfo: { hasNextPage: boolean }; nodes: unknown[] } }> } };
    const data = paged.data as Paged;
    expect(data.countries.pageInfo.hasNextPage).toBe(true);
    // Every country has 6 bulk people and more from the seed, so a page of 2 always has a next one.
    expect(data.countries.nodes.map((c) => c.people.pageInfo.hasNextPage)).toEqual([true, true, true]);
    // The same pages as fetched without pageInfo.
    expect((bare.data as Paged).countries.nodes.map((c) => c.people.nodes)).toEqual(data.countries.nodes.map((c) => c.people.nodes));
  });

  it("keeps aliases, fragments and @include apart", async () => {
    const query = `query ($withKinds: Boolean!) {
      countries(first: 2) { nodes { people(first: 4) { nodes {
        id
        ...Texts
        latest: quotes(last: 2) { nodes { text } }
        kinds: quotes(first: 3) @include(if: $withKinds) { nodes { kind } }
      } } } }
    }
    fragment Texts on Person { first: quotes(first: 2) { edges { cursor node { text } } } }`;
    const without = await logOf(query, { withKinds: false });
    const withKinds = await logOf(query, { withKinds: true });
    expect(withKinds.log.length).toBe(without.log.length + 1);
    type Row = { id: string; first: unknown; latest: unknown; kinds?: unknown };
    const people = (withKinds.data as { countries: { nodes: Array<{ people: { nodes: Row[] } }> } }).countries.nodes.flatMap((c) => c.people.nodes);
    expect(people.length).toBeGreaterThan(0);
    for (const person of people) {
      const expected = await quotesOneByOne(
        kb,
        person.id,
        `id first: quotes(first: 2) { edges { cursor node { text } } } latest: quotes(last: 2) { nodes { text } } kinds: quotes(first: 3) { nodes { kind } }`,
      );
      expect(person).toEqual(expected);
    }
    const skipped = (without.data as { countries: { nodes: Array<{ people: { nodes: Row[] } }> } }).countries.nodes[0].people.nodes[0];
    // As sent over HTTP: the executor may leave a skipped field's key with no value, which JSON drops.
    expect(JSON.parse(JSON.stringify(skipped))).not.toHaveProperty("kinds");
  });

  it("serves a fragment reached twice with different selections from rows with every column each needs", async () => {
    type People = { nodes: Array<{ quotes: { nodes: Array<{ text?: string; kind?: string }> } }> };
    const data = await kb.data<{ a: People; b: People }>(`{
      a: people(first: 5) { nodes { ...Q } }
      b: people(first: 5) { nodes { ...Q quotes(first: 2) { nodes { kind } } } }
    }
    fragment Q on Person { quotes(first: 2) { nodes { text } } }`);
    const b = data.b.nodes.flatMap((p) => p.quotes.nodes);
    expect(b.length).toBeGreaterThan(0);
    expect(b.every((q) => typeof q.text === "string" && (q.kind === "DIRECT" || q.kind === "PARAPHRASE"))).toBe(true);
    const a = data.a.nodes.flatMap((p) => p.quotes.nodes);
    expect(a.map((q) => q.text)).toEqual(b.map((q) => q.text));
    expect(a.every((q) => !("kind" in q))).toBe(true);
  });

  it("reports an invalid nested argument on the nested field, not on its parent", async () => {
    const result = await kb.run(`{ countries(first: 2) { nodes { name people(first: 500) { nodes { name } } } } }`);
    expect(result.errors?.map((e) => [e.extensions?.code, e.path])).toEqual([
      ["BAD_USER_INPUT", ["countries", "nodes", 0, "people"]],
    ]);
  });

  it("pages on from the cursor of a nested page fetched ahead", async () => {
    const data = await kb.data<{ countries: { nodes: Array<{ people: { nodes: Array<{ id: string; quotes: { pageInfo: { endCursor: string } } }> } }> } }>(
      `{ countries(first: 1) { nodes { people(first: 1) { nodes { id quotes(first: 3) { pageInfo { endCursor } } } } } } }`,
    );
    const person = data.countries.nodes[0].people.nodes[0];
    const all = (await quotesOneByOne(kb, person.id, `quotes(first: 6) { nodes { text } }`)) as PersonQuotes;
    const rest = (await quotesOneByOne(kb, person.id, `quotes(first: 3, after: "${person.quotes.pageInfo.endCursor}") { nodes { text } }`)) as PersonQuotes;
    expect(rest.quotes.nodes).toEqual(all.quotes.nodes.slice(3, 6));
    expect(rest.quotes.nodes).toHaveLength(3);
  });
});
