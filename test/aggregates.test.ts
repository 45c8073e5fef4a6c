import { addBulkRows } from "./bulk";
import { createTestServer, TestServer } from "./helpers";

type Row = Record<string, unknown> & { id: number };

/** Groups rows by a key in plain TypeScript: the independent answer. */
function countBy(rows: Row[], key: (row: Row) => unknown): Map<unknown, number> {
  const counts = new Map<unknown, number>();
  for (const row of rows) counts.set(key(row), (counts.get(key(row)) ?? 0) + 1);
  return counts;
}

describe("grouped counts", () => {
  let kb: TestServer;
  /** Every row of a table, read through the store's own read path (the same values on either database). */
  const load = async (table: string): Promise<Row[]> => kb.db.all<Row>(`SELECT * FROM "${table}"`);

  beforeAll(async () => {
    kb = await createTestServer();
    await addBulkRows(kb, { peoplePerCountry: 7, positionsPerPerson: 3, quotesPerPerson: 4 });
    await kb.sql(`DELETE FROM quote WHERE "speakerId" IN (SELECT id FROM person WHERE name LIKE 'bulk person FR%') AND id % 2 = 0`);
  });
  afterAll(async () => {
    await kb.close();
  });

  it("counts quotes per speaker as the database holds them", async () => {
    const data = await kb.data<{ quoteCounts: Array<{ count: number; speaker: { databaseId: number } | null }> }>(
      `{ quoteCounts(groupBy: SPEAKER, first: 1000) { count speaker { databaseId } } }`,
    );
    const expected = countBy(await load("quote"), (q) => q.speakerId);
    expect(new Map(data.quoteCounts.map((g) => [g.speaker?.databaseId ?? null, g.count]))).toEqual(expected);
    const counts = data.quoteCounts.map((g) => g.count);
    expect(counts).toEqual([...counts].sort((a, b) => b - a));
  });

  it("counts filtered quotes per kind", async () => {
    const data = await kb.data<{ quoteCounts: Array<{ count: number; kind: string }> }>(
      `{ quoteCounts(groupBy: KIND, filter: { speaker: { country: { alpha2: { eq: "RU" } } } }) { count kind } }`,
    );
    const people = new Map((await load("person")).map((p) => [p.id, p]));
    const ru = ((await load("country")).find((c) => c.alpha2 === "RU") as Row).id;
    const expected = countBy((await load("quote")).filter((q) => people.get(q.speakerId as number)?.countryId === ru), (q) => q.kind);
    expect(new Map(data.quoteCounts.map((g) => [g.kind, g.count]))).toEqual(expected);
  });

  it("counts people per country", async () => {
    const data = await kb.data<{ personCounts: Array<{ count: number; country: { alpha2: string } | null }> }>(
      `{ personCounts(groupBy: COUNTRY) { count country { alpha2 } } }`,
    );
    const codes = new Map((await load("country")).map((c) => [c.id, c.alpha2]));
    const expected = countBy(await load("person"), (p) => (p.countryId === null ? null : codes.get(p.countryId as number)));
    expect(new Map(data.personCounts.map((g) => [g.country?.alpha2 ?? null, g.count]))).toEqual(expected);
  });

  it("counts positions per organization and per title, with a filter", async () => {
    const byOrg = await kb.data<{ positionCounts: Array<{ count: number; organization: { databaseId: number } | null }> }>(
      `{ positionCounts(groupBy: ORGANIZATION, first: 1000) { count organization { databaseId } } }`,
    );
    expect(new Map(byOrg.positionCounts.map((g) => [g.organization?.databaseId ?? null, g.count]))).toEqual(
      countBy(await load("position"), (p) => p.organizationId),
    );
    const byTitle = await kb.data<{ positionCounts: Array<{ count: number; title: string }> }>(
      `{ positionCounts(groupBy: TITLE, filter: { title: { startsWith: "bulk" } }) { count title } }`,
    );
    expect(new Map(byTitle.positionCounts.map((g) => [g.title, g.count]))).toEqual(
      countBy((await load("position")).filter((p) => (p.title as string).startsWith("bulk")), (p) => p.title),
    );
  });

  it("counts organizations per kind and per parent", async () => {
    const data = await kb.data<{ kinds: Array<{ count: number; kind: string }>; parents: Array<{ count: number; parent: { name: string } | null }> }>(
      `{ kinds: organizationCounts(groupBy: KIND) { count kind } parents: organizationCounts(groupBy: PARENT) { count parent { name } } }`,
    );
    expect(new Map(data.kinds.map((g) => [g.kind, g.count]))).toEqual(countBy(await load("organization"), (o) => o.kind));
    const names = new Map((await load("organization")).map((o) => [o.id, o.name]));
    expect(new Map(data.parents.map((g) => [g.parent?.name ?? null, g.count]))).toEqual(
      countBy(await load("organization"), (o) => (o.parentId === null ? null : names.get(o.parentId as number))),
    );
  });

  it("returns only the largest groups when asked, and bounds the number", async () => {
    const data = await kb.data<{ quoteCounts: Array<{ count: number }> }>(`{ quoteCounts(groupBy: SPEAKER, first: 3) { count } }`);
    const all = [...countBy(await load("quote"), (q) => q.speakerId).values()].sort((a, b) => b - a);
    expect(data.quoteCounts.map((g) => g.count)).toEqual(all.slice(0, 3));
    const tooMany = await kb.run(`{ quoteCounts(groupBy: SPEAKER, first: 5000) { count } }`);
    expect(tooMany.errors?.[0].extensions?.code).toBe("BAD_USER_INPUT");
  });

  it("computes totals in the database, never by loading rows", async () => {
    kb.db.statements.reset();
    kb.db.statements.record = true;
    const data = await kb.data<{ quotes: { totalCount: number } }>(`{ quotes(filter: { kind: { eq: DIRECT } }) { totalCount } }`);
    kb.db.statements.record = false;
    expect(data.quotes.totalCount).toBe((await load("quote")).filter((q) => q.kind === "DIRECT").length);
    const counted = kb.db.statements.log.filter((sql) => sql !== kb.stampSql);
    expect(counted).toHaveLength(1);
    expect(counted[0]).toMatch(/^SELECT COUNT\(\*\)/);
  });
});

describe("grouped counts with empty groups", () => {
  let kb: TestServer;
  /** Every row of a table, read through the store's own read path (the same values on either database). */
  const load = async (table: string): Promise<Row[]> => kb.db.all<Row>(`SELECT * FROM "${table}"`);
  type CountryGroup = { count: number; country: { name: string } | null };

  beforeAll(async () => {
    kb = await createTestServer();
  });
  afterAll(async () => {
    await kb.close();
  });

  it("leaves out countries with no people by default, as it always has", async () => {
    const data = await kb.data<{ personCounts: CountryGroup[] }>(`{ personCounts(groupBy: COUNTRY) { count country { name } } }`);
    expect(data.personCounts.every((g) => g.count > 0)).toBe(true);
    expect(data.personCounts.map((g) => g.country?.name)).not.toContain("Egypt");
  });

  it("counts countries with no people as 0 after the others when includeEmpty is true", async () => {
    const data = await kb.data<{ personCounts: CountryGroup[] }>(`{ personCounts(groupBy: COUNTRY, includeEmpty: true) { count country { name } } }`);
    const people = countBy(await load("person"), (p) => p.countryId);
    const expected = new Map((await load("country")).map((c) => [c.name, people.get(c.id) ?? 0]));
    if (people.has(null)) expected.set(null, people.get(null) as number);
    expect(new Map(data.personCounts.map((g) => [g.country?.name ?? null, g.count]))).toEqual(expected);
    expect(data.personCounts.filter((g) => g.count === 0).map((g) => g.country?.name)).toEqual(expect.arrayContaining(["Egypt", "France"]));
    const counts = data.personCounts.map((g) => g.count);
    expect(counts).toEqual([...counts].sort((a, b) => b - a));
  });

  it("counts every kind, a kind no organization has as 0, when includeEmpty is true", async () => {
    const data = await kb.data<{ organizationCounts: Array<{ count: number; kind: string }> }>(
      `{ organizationCounts(groupBy: KIND, includeEmpty: true) { count kind } }`,
    );
    const kinds = ((await kb.data<{ __type: { enumValues: Array<{ name: string }> } }>(`{ __type(name: "OrganizationKind") { enumValues { name } } }`)).__type
      .enumValues).map((v) => v.name);
    expect(data.organizationCounts.map((g) => g.kind).sort()).toEqual([...kinds].sort());
    const expected = countBy(await load("organization"), (o) => o.kind);
    for (const g of data.organizationCounts) expect(g.count).toBe(expected.get(g.kind) ?? 0);
    expect(data.organizationCounts.some((g) => g.count === 0)).toBe(true);
  });

  it("counts the speakers none of whose quotes match a filter as 0", async () => {
    const data = await kb.data<{ quoteCounts: Array<{ count: number; speaker: { databaseId: number } | null }> }>(
      `{ quoteCounts(groupBy: SPEAKER, filter: { kind: { eq: DIRECT } }, includeEmpty: true, first: 1000) { count speaker { databaseId } } }`,
    );
    const direct = countBy((await load("quote")).filter((q) => q.kind === "DIRECT"), (q) => q.speakerId);
    const expected = new Map<unknown, number>((await load("person")).map((p) => [p.id, direct.get(p.id) ?? 0]));
    if (direct.has(null)) expected.set(null, direct.get(null) as number);
    expect(new Map(data.quoteCounts.map((g) => [g.speaker?.databaseId ?? null, g.count]))).toEqual(expected);
  });

  it("has no empty groups to add for a free-text grouping", async () => {
    const query = (empty: boolean): string => `{ positionCounts(groupBy: TITLE, includeEmpty: ${empty}) { count title } }`;
    expect(await kb.data(query(true))).toEqual(await kb.data(query(false)));
  });

  it("counts empty groups in the same one statement, however many rows there are", async () => {
    const statements = async (): Promise<number> => {
      kb.db.statements.reset();
      kb.db.statements.record = true;
      await kb.data(`{ personCounts(groupBy: COUNTRY, includeEmpty: true, first: 1000) { count country { name } } }`);
      kb.db.statements.record = false;
      return kb.db.statements.log.filter((sql) => sql !== kb.stampSql).length;
    };
    const before = await statements();
    await addBulkRows(kb, { peoplePerCountry: 3, positionsPerPerson: 1, quotesPerPerson: 1 });
    expect(await statements()).toBe(before);
    expect(before).toBeLessThanOrEqual(2);
  });
});
