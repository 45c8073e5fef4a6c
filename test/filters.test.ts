import { addBulkRows } from "./bulk";
import { createTestServer, TestServer } from "./helpers";

interface Row {
  id: number;
  [column: string]: unknown;
}

/** Every table loaded straight from SQLite, for computing expected answers in plain TypeScript. */
interface World {
  person: Row[];
  organization: Row[];
  country: Row[];
  position: Row[];
  quote: Row[];
  article: Row[];
}

type Case = [label: string, filter: Record<string, unknown>, expected: (row: Row, w: World) => boolean];

describe("filters", () => {
  let kb: TestServer;
  let w: World;

  beforeAll(async () => {
    kb = await createTestServer();
    await addBulkRows(kb, { peoplePerCountry: 12, positionsPerPerson: 2, quotesPerPerson: 2 });
    // Give some synthetic positions dates, some open-ended.
    // Years 2000 to 2019 as text ('20' followed by two digits), ends 2002-06 to 2021-06.
    await kb.sql(
      `UPDATE position SET "startDate" = CAST(2000 + id % 20 AS TEXT), "endDate" = CASE WHEN id % 3 = 0 THEN NULL ELSE CAST(2002 + id % 20 AS TEXT) || '-06' END WHERE title LIKE 'bulk%'`,
    );
    // Read through the store's own read path, which gives the same values on either database.
    const load = async (table: string): Promise<Row[]> => kb.db.all<Row>(`SELECT * FROM "${table}" ORDER BY id`);
    w = {
      person: await load("person"),
      organization: await load("organization"),
      country: await load("country"),
      position: await load("position"),
      quote: await load("quote"),
      article: await load("article"),
    };
  });
  afterAll(async () => {
    await kb.close();
  });

  const byId = (rows: Row[], id: unknown): Row | undefined => rows.find((r) => r.id === id);
  const countryCode = (id: unknown): string | undefined => byId(w.country, id)?.alpha2 as string | undefined;
  const positionsOf = (personId: number): Row[] => w.position.filter((p) => p.personId === personId);
  const quotesOf = (personId: number): Row[] => w.quote.filter((q) => q.speakerId === personId);
  const aliases = (row: Row): string[] => JSON.parse(row.aliases as string) as string[];

  /** Pages through a filtered root list and returns the ids and the total count. */
  async function fetchAll(field: string, filterType: string, filter: Record<string, unknown>): Promise<{ ids: number[]; totalCount: number }> {
    const ids: number[] = [];
    let after: string | null = null;
    let totalCount = -1;
    for (;;) {
      const data: Record<string, { totalCount: number; nodes: Array<{ databaseId: number }>; pageInfo: { hasNextPage: boolean; endCursor: string } }> =
        await kb.data(
          `query($filter: ${filterType}, $after: String) { list: ${field}(first: 100, after: $after, filter: $filter) {
            totalCount nodes { databaseId } pageInfo { hasNextPage endCursor } } }`,
          { filter, after },
        );
      totalCount = data.list.totalCount;
      ids.push(...data.list.nodes.map((n) => n.databaseId));
      if (!data.list.pageInfo.hasNextPage) return { ids, totalCount };
      after = data.list.pageInfo.endCursor;
    }
  }

  async function check(field: string, filterType: string, rows: Row[], filter: Record<string, unknown>, predicate: (row: Row, w: World) => boolean): Promise<void> {
    const expected = rows.filter((r) => predicate(r, w)).map((r) => r.id).sort((a, b) => a - b);
    const { ids, totalCount } = await fetchAll(field, filterType, filter);
    expect([...ids].sort((a, b) => a - b)).toEqual(expected);
    expect(totalCount).toBe(expected.length);
  }

  const personCases: Case[] = [
    ["name eq", { name: { eq: "Khalifa Haftar" } }, (p) => p.name === "Khalifa Haftar"],
    ["name eqIgnoreCase", { name: { eqIgnoreCase: "KHALIFA haftar" } }, (p) => p.name === "Khalifa Haftar"],
    ["name in", { name: { in: ["Sergei Lavrov", "Elena Suponina", "Nobody"] } }, (p) => ["Sergei Lavrov", "Elena Suponina"].includes(p.name as string)],
    ["name contains (case-sensitive)", { name: { contains: "ov" } }, (p) => (p.name as string).includes("ov")],
    ["name containsIgnoreCase", { name: { containsIgnoreCase: "OV" } }, (p) => (p.name as string).toLowerCase().includes("ov")],
    ["name startsWith", { name: { startsWith: "M" } }, (p) => (p.name as string).startsWith("M")],
    ["name startsWithIgnoreCase", { name: { startsWithIgnoreCase: "bulk PERSON ru" } }, (p) => (p.name as string).toLowerCase().startsWith("bulk person ru")],
    ["a LIKE wildcard is matched literally", { name: { containsIgnoreCase: "%" } }, (p) => (p.name as string).includes("%")],
    ["description isNull", { description: { isNull: true } }, (p) => p.description === null],
    ["description is not null", { description: { isNull: false } }, (p) => p.description !== null],
    ["any alias", { aliases: { eq: "Haftar" } }, (p) => aliases(p).includes("Haftar")],
    ["no alias at all", { aliases: { isNull: true } }, (p) => aliases(p).length === 0],
    ["some alias", { aliases: { isNull: false } }, (p) => aliases(p).length > 0],
    ["some alias, one starting with K", { aliases: { isNull: false, startsWith: "K" } }, (p) => aliases(p).some((a) => a.startsWith("K"))],
    ["an empty or: no alternative holds", { or: [] }, () => false],
    ["an empty and: nothing to meet", { and: [] }, () => true],
    ["not an empty or", { not: { or: [] } }, () => true],
    ["to-one country", { country: { alpha2: { eq: "RU" } } }, (p) => countryCode(p.countryId) === "RU"],
    ["not in a country, or in none", { not: { country: { alpha2: { eq: "RU" } } } }, (p) => countryCode(p.countryId) !== "RU"],
    ["in a country that does not exist", { country: { alpha2: { eq: "ZZ" } } }, () => false],
    ["not in a country that does not exist", { not: { country: { alpha2: { eq: "ZZ" } } } }, () => true],
    [
      "in a country that does not exist, or named with V",
      { or: [{ country: { alpha2: { eq: "ZZ" } } }, { name: { startsWith: "V" } }] },
      (p) => (p.name as string).startsWith("V"),
    ],
    [
      "every position in the organization named NATO",
      { positions: { every: { organization: { name: { eq: "NATO" } } } } },
      (p) => positionsOf(p.id).every((pos) => byId(w.organization, pos.organizationId)?.name === "NATO"),
    ],
    [
      "a position in an organization of country RU",
      { positions: { some: { organization: { country: { alpha2: { eq: "RU" } } } } } },
      (p) => positionsOf(p.id).some((pos) => countryCode(byId(w.organization, pos.organizationId)?.countryId) === "RU"),
    ],
    ["no positions at all", { positions: { none: {} } }, (p) => positionsOf(p.id).length === 0],
    ["every position titled Head (vacuously true)", { positions: { every: { title: { eq: "Head" } } } }, (p) => positionsOf(p.id).every((pos) => pos.title === "Head")],
    ["some direct quote", { quotes: { some: { kind: { eq: "DIRECT" } } } }, (p) => quotesOf(p.id).some((q) => q.kind === "DIRECT")],
    [
      "an organization named like council, through positions",
      { organizations: { some: { name: { containsIgnoreCase: "council" } } } },
      (p) => positionsOf(p.id).some((pos) => ((byId(w.organization, pos.organizationId)?.name as string) ?? "").toLowerCase().includes("council")),
    ],
    [
      "or",
      { or: [{ name: { startsWith: "V" } }, { country: { alpha2: { eq: "US" } } }] },
      (p) => (p.name as string).startsWith("V") || countryCode(p.countryId) === "US",
    ],
    [
      "and with not",
      { and: [{ country: { alpha2: { in: ["RU", "LY"] } } }, { not: { name: { startsWith: "bulk" } } }] },
      (p) => ["RU", "LY"].includes(countryCode(p.countryId) ?? "") && !(p.name as string).startsWith("bulk"),
    ],
    ["not on a missing value keeps the row", { not: { description: { eq: "Russian Foreign Minister" } } }, (p) => p.description !== "Russian Foreign Minister"],
    ["created in the past", { createdAt: { lt: new Date(Date.now() + 86_400_000).toISOString() } }, () => true],
    ["created in the future", { createdAt: { gt: new Date(Date.now() + 86_400_000).toISOString() } }, () => false],
    // Instants before year 1, which PostgreSQL's timestamps cannot hold (they failed its statement).
    ["created after the year 0", { createdAt: { gt: "0000-01-01T00:00:00Z" } }, () => true],
    ["created before a day of year 1 that is still year 0 in UTC", { createdAt: { lte: "0001-01-01T00:00:00+14:00" } }, () => false],
    ["created at an instant of year 0", { createdAt: { eq: "0000-06-01T00:00:00Z" } }, () => false],
  ];

  it.each(personCases)("filters people: %s", async (_label, filter, predicate) => {
    await check("people", "PersonFilter", w.person, filter, predicate);
  });

  const quoteCases: Case[] = [
    [
      "speaker has a position whose title contains minister",
      { speaker: { positions: { some: { title: { containsIgnoreCase: "minister" } } } } },
      (q) => positionsOf(q.speakerId as number).some((pos) => (pos.title as string).toLowerCase().includes("minister")),
    ],
    ["kind in", { kind: { in: ["PARAPHRASE"] } }, (q) => q.kind === "PARAPHRASE"],
    ["text contains", { text: { contains: "Haftar" } }, (q) => (q.text as string).includes("Haftar")],
    ["offset range", { startOffset: { gte: 1000, lt: 2000 } }, (q) => (q.startOffset as number) >= 1000 && (q.startOffset as number) < 2000],
    ["offset in", { endOffset: { in: [1383, 2233] } }, (q) => [1383, 2233].includes(q.endOffset as number)],
    ["attributed to no person", { not: { speaker: {} } }, (q) => q.speakerId === null],
    ["attributed to a country", { speakerCountry: { alpha3: { eq: "RUS" } } }, (q) => byId(w.country, q.speakerCountryId)?.alpha3 === "RUS"],
    ["in an article of a date", { article: { publishedAt: { eq: "2019-04-09" } } }, () => true],
  ];

  it.each(quoteCases)("filters quotes: %s", async (_label, filter, predicate) => {
    await check("quotes", "QuoteFilter", w.quote, filter, predicate);
  });

  /** Whether a position is held on a day, dates of reduced precision covering their whole period. */
  const heldOn = (p: Row, day: string): boolean => {
    const start = p.startDate as string | null;
    const end = p.endDate as string | null;
    return (start === null || start <= day.slice(0, start.length)) && (end === null || end >= day.slice(0, end.length));
  };

  const positionCases: Case[] = [
    ["activeAt while Qaddafi ruled", { activeAt: "2010-06-01" }, (p) => heldOn(p, "2010-06-01")],
    ["activeAt after Qaddafi", { activeAt: "2012-01-01" }, (p) => heldOn(p, "2012-01-01")],
    ["activeAt inside a year-precision end", { activeAt: "2011-12-31" }, (p) => heldOn(p, "2011-12-31")],
    ["activeAt in a month-precision end", { activeAt: "2005-06-30" }, (p) => heldOn(p, "2005-06-30")],
    ["activeOn with activeAt's rule by default", { activeOn: { date: "2010-06-01" } }, (p) => heldOn(p, "2010-06-01")],
    ["activeOn with known start dates only", { activeOn: { date: "2005-06-30", knownStartOnly: true } }, (p) => p.startDate !== null && heldOn(p, "2005-06-30")],
    ["activeOn with known end dates only", { activeOn: { date: "2010-06-01", knownEndOnly: true } }, (p) => p.endDate !== null && heldOn(p, "2010-06-01")],
    ["activeOn with known dates only", { activeOn: { date: "2008-01-01", knownStartOnly: true, knownEndOnly: true } }, (p) => p.startDate !== null && p.endDate !== null && heldOn(p, "2008-01-01")],
    ["endDate known", { endDate: { isNull: false } }, (p) => p.endDate !== null],
    ["startDate range", { startDate: { gte: "2005", lt: "2010" } }, (p) => p.startDate !== null && (p.startDate as string) >= "2005" && (p.startDate as string) < "2010"],
    ["organization kind", { organization: { kind: { in: ["RESEARCH", "MILITARY"] } } }, (p) => ["RESEARCH", "MILITARY"].includes(byId(w.organization, p.organizationId)?.kind as string)],
    ["person and country", { person: { name: { startsWith: "bulk" } }, country: { alpha2: { eq: "FR" } } }, (p) => (byId(w.person, p.personId)?.name as string).startsWith("bulk") && countryCode(p.countryId) === "FR"],
  ];

  it.each(positionCases)("filters positions: %s", async (_label, filter, predicate) => {
    await check("positions", "PositionFilter", w.position, filter, predicate);
  });

  const organizationCases: Case[] = [
    ["kind eq", { kind: { eq: "RESEARCH" } }, (o) => o.kind === "RESEARCH"],
    ["parent", { parent: { name: { eq: "Institute of Oriental Studies" } } }, (o) => byId(w.organization, o.parentId)?.name === "Institute of Oriental Studies"],
    ["has parts", { subOrganizations: { some: {} } }, (o) => w.organization.some((c) => c.parentId === o.id)],
    ["alias", { aliases: { in: ["NATO", "LNA"] } }, (o) => aliases(o).some((a) => ["NATO", "LNA"].includes(a))],
    ["members", { members: { some: { name: { eq: "Andrey Kortunov" } } } }, (o) => w.position.some((p) => p.organizationId === o.id && byId(w.person, p.personId)?.name === "Andrey Kortunov")],
    ["wikidata known", { wikidataId: { isNull: false } }, (o) => o.wikidataId !== null],
  ];

  it.each(organizationCases)("filters organizations: %s", async (_label, filter, predicate) => {
    await check("organizations", "OrganizationFilter", w.organization, filter, predicate);
  });

  const countryCases: Case[] = [
    ["has people", { people: { some: {} } }, (c) => w.person.some((p) => p.countryId === c.id)],
    ["makes statements", { quotes: { some: {} } }, (c) => w.quote.some((q) => q.speakerCountryId === c.id)],
    ["every person is synthetic", { people: { every: { name: { startsWith: "bulk" } } } }, (c) => w.person.filter((p) => p.countryId === c.id).every((p) => (p.name as string).startsWith("bulk"))],
  ];

  it.each(countryCases)("filters countries: %s", async (_label, filter, predicate) => {
    await check("countries", "CountryFilter", w.country, filter, predicate);
  });

  it("tells SQLite a to-one filter on a unique key matches one row, and no other", async () => {
    const plan = async (filter: Record<string, unknown>): Promise<string> => {
      kb.db.statements.reset();
      kb.db.statements.record = true;
      await kb.data(`query($filter: PersonFilter) { people(first: 5, filter: $filter) { nodes { name } } }`, { filter });
      kb.db.statements.record = false;
      return kb.db.statements.log.join("\n");
    };
    expect(await plan({ country: { alpha2: { eq: "RU" } } })).toContain(`t."countryId" = (SELECT`);
    expect(await plan({ country: { alpha2: { eq: "RU" }, name: { contains: "R" } } })).toContain(`t."countryId" = (SELECT`);
    expect(await plan({ country: { alpha2: { in: ["RU"] } } })).toContain(`t."countryId" IN (SELECT`);
    expect(await plan({ country: { name: { containsIgnoreCase: "russia" } } })).toContain(`t."countryId" IN (SELECT`);
    expect(await plan({ country: { or: [{ alpha2: { eq: "RU" } }, { alpha2: { eq: "LY" } }] } })).toContain(`t."countryId" IN (SELECT`);
  });

  it("filters articles by date and by their quotes", async () => {
    await check("articles", "ArticleFilter", w.article, { publishedAt: { gte: "2019-01-01", lte: "2019-12-31" }, quotes: { some: { text: { contains: "crusade" } } } }, (a) => a.publishedAt === "2019-04-09");
  });

  it("filters nested connections and counts the filtered set", async () => {
    const data = await kb.data<{ country: { people: { totalCount: number; nodes: Array<{ name: string; quotes: { totalCount: number } }> } } }>(`{
      country(code: "RU") {
        people(filter: { quotes: { some: { kind: { eq: DIRECT } } } }) {
          totalCount
          nodes { name quotes(filter: { kind: { eq: DIRECT } }) { totalCount } }
        }
      }
    }`);
    const ru = w.country.find((c) => c.alpha2 === "RU") as Row;
    const expected = w.person
      .filter((p) => p.countryId === ru.id && quotesOf(p.id).some((q) => q.kind === "DIRECT"))
      .map((p) => ({ name: p.name, quotes: { totalCount: quotesOf(p.id).filter((q) => q.kind === "DIRECT").length } }))
      .sort((a, b) => ((a.name as string) < (b.name as string) ? -1 : 1));
    expect(data.country.people.totalCount).toBe(expected.length);
    expect(data.country.people.nodes).toEqual(expected);
  });

  it("accepts a filter by global ID and rejects an ID of another type", async () => {
    const people = await kb.data<{ people: { nodes: Array<{ id: string; name: string }> } }>(`{ people(first: 2) { nodes { id name } } }`);
    const [first] = people.people.nodes;
    const found = await kb.data<{ people: { nodes: Array<{ name: string }> } }>(`query($id: ID!) { people(filter: { id: { eq: $id } }) { nodes { name } } }`, { id: first.id });
    expect(found.people.nodes).toEqual([{ name: first.name }]);
    const countries = await kb.data<{ countries: { nodes: Array<{ id: string }> } }>(`{ countries(first: 1) { nodes { id } } }`);
    const wrong = await kb.run(`query($id: ID!) { people(filter: { id: { eq: $id } }) { totalCount } }`, { id: countries.countries.nodes[0].id });
    expect(wrong.errors?.[0].extensions?.code).toBe("BAD_USER_INPUT");
  });

  it("rejects filters nested too deep, lists too long and too many conditions", async () => {
    let deep: Record<string, unknown> = { name: { eq: "x" } };
    for (let i = 0; i < 7; i += 1) deep = { not: deep };
    const tooDeep = await kb.run(`query($f: PersonFilter) { people(filter: $f) { totalCount } }`, { f: deep });
    expect(tooDeep.errors?.[0].extensions?.code).toBe("BAD_USER_INPUT");
    expect(tooDeep.errors?.[0].message).toMatch(/nest at most/);

    const longList = await kb.run(`query($f: PersonFilter) { people(filter: $f) { totalCount } }`, { f: { name: { in: Array.from({ length: 101 }, (_, i) => `n${i}`) } } });
    expect(longList.errors?.[0].extensions?.code).toBe("BAD_USER_INPUT");

    const many = await kb.run(`query($f: PersonFilter) { people(filter: $f) { totalCount } }`, { f: { or: Array.from({ length: 60 }, (_, i) => ({ name: { eq: `a${i}`, contains: "b" } })) } });
    expect(many.errors?.[0].extensions?.code).toBe("BAD_USER_INPUT");
    expect(many.errors?.[0].message).toMatch(/at most 100 conditions/);
  });

  it("keeps statement counts bounded with filters on nested connections", async () => {
    const query = `{ countries(filter: { people: { some: {} } }) { nodes { people(filter: { positions: { some: { title: { containsIgnoreCase: "e" } } } }) {
      totalCount nodes { quotes(filter: { kind: { eq: PARAPHRASE } }) { nodes { text } } } } } } }`;
    kb.db.statements.reset();
    await kb.data(query);
    const before = kb.db.statements.count;
    await addBulkRows(kb, { peoplePerCountry: 10, positionsPerPerson: 2, quotesPerPerson: 3, tag: "more" });
    kb.db.statements.reset();
    await kb.data(query);
    expect(kb.db.statements.count).toBe(before);
    expect(before).toBeLessThanOrEqual(4);
  });
});

describe("timestamp filters", () => {
  let kb: TestServer;

  beforeAll(async () => {
    kb = await createTestServer({ env: { EDITOR_TOKENS: "alice:s3cret" } });
  });
  afterAll(async () => {
    await kb.close();
  });

  const count = async (createdAt: Record<string, unknown>): Promise<number> =>
    (await kb.data<{ people: { totalCount: number } }>(`query($f: PersonFilter) { people(filter: $f) { totalCount } }`, { f: { createdAt } })).people.totalCount;

  it("compares with the instant a record returns, to the second and below it", async () => {
    const created = await kb.dataAs<{ createPerson: { person: { databaseId: number; createdAt: string } } }>(
      "s3cret",
      `mutation { createPerson(input: { name: "Date Probe" }) { person { databaseId createdAt } } }`,
    );
    // Every other person is made a day older, so the new one is alone at its instant.
    // (Computed here, not with SQLite's datetime(): each stored instant, UTC text on either
    // database, a day earlier, written back in the store's own parameter form.)
    const older = await kb.db.all<{ id: number; createdAt: string }>(`SELECT id, "createdAt" FROM person WHERE id <> ?`, [created.createPerson.person.databaseId]);
    for (const row of older) {
      const stored = /(Z|[+-]\d\d(:?\d\d)?)$/.test(row.createdAt) ? row.createdAt : `${row.createdAt.replace(" ", "T")}Z`;
      expect(Number.isNaN(Date.parse(stored))).toBe(false);
      await kb.sql(`UPDATE person SET "createdAt" = ? WHERE id = ?`, [kb.db.dialect.timestampParam(new Date(Date.parse(stored) - 86_400_000)), row.id]);
    }
    const at = created.createPerson.person.createdAt;
    expect(at).toMatch(/\.000Z$/);
    const others = (await kb.data<{ people: { totalCount: number } }>(`{ people { totalCount } }`)).people.totalCount - 1;
    expect(others).toBe(older.length);
    expect(await count({ eq: at })).toBe(1);
    expect(await count({ gte: at })).toBe(1);
    expect(await count({ gt: at })).toBe(0);
    expect(await count({ lt: at })).toBe(others);
    expect(await count({ lte: at })).toBe(others + 1);
    // Half a second later is after the record, and half a second earlier before it.
    const later = new Date(Date.parse(at) + 500).toISOString();
    const earlier = new Date(Date.parse(at) - 500).toISOString();
    expect(await count({ eq: later })).toBe(0);
    expect(await count({ lt: later })).toBe(others + 1);
    expect(await count({ gt: earlier })).toBe(1);
    expect(await count({ gte: later })).toBe(0);
    expect(await count({ lte: earlier })).toBe(others);
  });
});

describe("ignoring case in any script", () => {
  let kb: TestServer;

  beforeAll(async () => {
    kb = await createTestServer({ env: { EDITOR_TOKENS: "alice:s3cret" } });
    const insert = (name: string, aliases: string): Promise<unknown> => kb.sql(`INSERT INTO person (name, aliases) VALUES (?, ?)`, [name, aliases]);
    await insert("Émile Zoë", JSON.stringify(["ÉMILE"]));
    await insert("Ангела Меркель", "[]");
    // A combining accent: "e" followed by U+0301, which reads as "é".
    await insert("Zoe\u0301 Combining", "[]");
  });
  afterAll(async () => {
    await kb.close();
  });

  const names = async (filter: Record<string, unknown>): Promise<string[]> =>
    (await kb.data<{ people: { nodes: Array<{ name: string }> } }>(`query($f: PersonFilter) { people(filter: $f, first: 100) { nodes { name } } }`, { f: filter })).people.nodes
      .map((p) => p.name)
      .sort();

  it("filters with eqIgnoreCase, containsIgnoreCase and startsWithIgnoreCase beyond ASCII", async () => {
    expect(await names({ name: { eqIgnoreCase: "émile zoë" } })).toEqual(["Émile Zoë"]);
    expect(await names({ name: { containsIgnoreCase: "ÉMILE" } })).toEqual(["Émile Zoë"]);
    expect(await names({ name: { startsWithIgnoreCase: "АНГЕЛА" } })).toEqual(["Ангела Меркель"]);
    expect(await names({ name: { containsIgnoreCase: "меркель" } })).toEqual(["Ангела Меркель"]);
    expect(await names({ aliases: { eqIgnoreCase: "émile" } })).toEqual(["Émile Zoë"]);
    // A precomposed "é" finds the combining one, and the reverse.
    expect(await names({ name: { containsIgnoreCase: "ZOÉ COMB" } })).toEqual(["Zoe\u0301 Combining"]);
    expect(await names({ name: { containsIgnoreCase: "zoë" } })).toEqual(["Émile Zoë"]);
    // ASCII values still match ASCII names ignoring case, and never a different letter.
    expect(await names({ name: { eqIgnoreCase: "VLADIMIR PUTIN" } })).toEqual(["Vladimir Putin"]);
    expect(await names({ name: { containsIgnoreCase: "emile" } })).toEqual([]);
  });

  it("looks people up by name or alias beyond ASCII", async () => {
    const lookup = async (name: string): Promise<string | null> =>
      (await kb.data<{ person: { name: string } | null }>(`query($n: String!) { person(name: $n) { name } }`, { n: name })).person?.name ?? null;
    expect(await lookup("ÉMILE ZOË")).toBe("Émile Zoë");
    expect(await lookup("émile")).toBe("Émile Zoë");
    expect(await lookup("ангела меркель")).toBe("Ангела Меркель");
  });

  it("refuses a second person whose name differs only in case, in any script", async () => {
    for (const name of ["émile zoë", "АНГЕЛА МЕРКЕЛЬ"]) {
      const result = await kb.runAs("s3cret", `mutation($n: String!) { createPerson(input: { name: $n }) { person { id } } }`, { n: name });
      expect(result.errors?.[0].extensions?.code).toBe("BAD_USER_INPUT");
      expect(JSON.stringify(result.errors?.[0].extensions?.validationErrors)).toContain("unique");
    }
  });
});
