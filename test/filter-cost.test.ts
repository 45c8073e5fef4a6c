import path from "node:path";
import BetterSqlite3 from "better-sqlite3";
import { compileFilter, FILTER_LIMITS } from "../src/sql/filter-compiler";
import { NodeTypeName } from "../src/sql/tables";
import { registerFunctions, sqliteDialect } from "../src/storage/dialect";
import { generate, TableCounts } from "../tools/generate/generate";
import { createTestServer, tempDir, TestServer } from "./helpers";

/**
 * Relation filters nested inside relation filters, on a generated knowledge base: what they
 * return, checked against plain JavaScript over the tables, and what they cost, checked through
 * SQLite's plans and by counting the rows each level of the filter visits.
 */

interface Row {
  id: number;
  [column: string]: unknown;
}

type Filter = Record<string, unknown>;

/** Every table read straight from the file, with the relations indexed both ways. */
class World {
  readonly person: Row[];
  readonly organization: Row[];
  readonly country: Row[];
  readonly position: Row[];
  readonly quote: Row[];
  private readonly byId = new Map<string, Map<number, Row>>();

  constructor(raw: BetterSqlite3.Database) {
    const load = (table: string): Row[] => raw.prepare(`SELECT * FROM "${table}" ORDER BY id`).all() as Row[];
    this.person = load("person");
    this.organization = load("organization");
    this.country = load("country");
    this.position = load("position");
    this.quote = load("quote");
    for (const [table, rows] of Object.entries({ person: this.person, organization: this.organization, country: this.country })) {
      this.byId.set(table, new Map(rows.map((r) => [r.id, r])));
    }
  }

  /** The row of `table` a foreign key points to; undefined for a null key. */
  private one(table: string, id: unknown): Row | undefined {
    return id === null || id === undefined ? undefined : this.byId.get(table)?.get(id as number);
  }

  countryOf = (row: Row): Row | undefined => this.one("country", row.countryId);
  organizationOf = (position: Row): Row | undefined => this.one("organization", position.organizationId);
  speakerOf = (quote: Row): Row | undefined => this.one("person", quote.speakerId);
  personOf = (position: Row): Row | undefined => this.one("person", position.personId);

  positionsOf = (person: Row): Row[] => this.position.filter((p) => p.personId === person.id);
  quotesOf = (person: Row): Row[] => this.quote.filter((q) => q.speakerId === person.id);
  /** `Person.organizations`: through the person's positions that name one. */
  organizationsOf = (person: Row): Row[] => this.positionsOf(person).flatMap((p) => this.organizationOf(p) ?? []);
  /** `Organization.members`: the people holding its positions. */
  membersOf = (org: Row): Row[] => this.position.filter((p) => p.organizationId === org.id).map((p) => this.one("person", p.personId) as Row);
  orgPositionsOf = (org: Row): Row[] => this.position.filter((p) => p.organizationId === org.id);
  orgQuotesOf = (org: Row): Row[] => this.quote.filter((q) => q.speakerOrganizationId === org.id);
  peopleOf = (country: Row): Row[] => this.person.filter((p) => p.countryId === country.id);
  organizationsIn = (country: Row): Row[] => this.organization.filter((o) => o.countryId === country.id);
  countryQuotesOf = (country: Row): Row[] => this.quote.filter((q) => q.speakerCountryId === country.id);
}

const has = (text: unknown, part: string): boolean => typeof text === "string" && text.toLowerCase().includes(part.toLowerCase());
/** `every` and `none` as the filters define them: over no rows, every holds and none holds. */
const every = <T>(rows: T[], p: (r: T) => boolean): boolean => rows.every(p);
const some = <T>(rows: T[], p: (r: T) => boolean): boolean => rows.some(p);
const none = <T>(rows: T[], p: (r: T) => boolean): boolean => !rows.some(p);

type Root = "people" | "organizations" | "countries" | "quotes" | "positions";
const FILTER_TYPES: Record<Root, string> = {
  people: "PersonFilter",
  organizations: "OrganizationFilter",
  countries: "CountryFilter",
  quotes: "QuoteFilter",
  positions: "PositionFilter",
};
type Case = [label: string, root: Root, filter: Filter, expected: (row: Row, w: World) => boolean];

/**
 * Cases where a relation filter sits inside another one, two or three levels down, each with
 * its meaning in plain JavaScript. The strings are picked so that most cases split the rows;
 * some match nothing or everything on purpose.
 */
const CASES: Case[] = [
  [
    "people in an organization with a member whose name has 'zzz' (the audit's request: nobody)",
    "people",
    { organizations: { some: { members: { some: { name: { containsIgnoreCase: "zzz" } } } } } },
    (p, w) => some(w.organizationsOf(p), (o) => some(w.membersOf(o), (m) => has(m.name, "zzz"))),
  ],
  [
    "people in an organization with a member whose name has 'ov'",
    "people",
    { organizations: { some: { members: { some: { name: { containsIgnoreCase: "ov" } } } } } },
    (p, w) => some(w.organizationsOf(p), (o) => some(w.membersOf(o), (m) => has(m.name, "ov"))),
  ],
  [
    "people all of whose organizations have a member whose name has 'an'",
    "people",
    { organizations: { every: { members: { some: { name: { containsIgnoreCase: "an" } } } } } },
    (p, w) => every(w.organizationsOf(p), (o) => some(w.membersOf(o), (m) => has(m.name, "an"))),
  ],
  [
    "people in no organization all of whose members are from one country",
    "people",
    { organizations: { none: { members: { every: { country: { alpha2: { eq: "AR" } } } } } } },
    (p, w) => none(w.organizationsOf(p), (o) => every(w.membersOf(o), (m) => w.countryOf(m)?.alpha2 === "AR")),
  ],
  [
    "people in an organization none of whose members holds a minister's position",
    "people",
    { organizations: { some: { members: { none: { positions: { some: { title: { containsIgnoreCase: "minister" } } } } } } } },
    (p, w) => some(w.organizationsOf(p), (o) => none(w.membersOf(o), (m) => some(w.positionsOf(m), (x) => has(x.title, "minister")))),
  ],
  [
    "people all of whose organizations have only members every one of whose positions names an organization (null keys)",
    "people",
    { organizations: { every: { members: { every: { positions: { every: { organization: {} } } } } } } },
    (p, w) => every(w.organizationsOf(p), (o) => every(w.membersOf(o), (m) => every(w.positionsOf(m), (x) => w.organizationOf(x) !== undefined))),
  ],
  [
    "people with a position whose organization has a paraphrased quote",
    "people",
    { positions: { some: { organization: { quotes: { some: { kind: { eq: "PARAPHRASE" } } } } } } },
    (p, w) => some(w.positionsOf(p), (x) => some(w.organizationOf(x) ? w.orgQuotesOf(w.organizationOf(x) as Row) : [], (q) => q.kind === "PARAPHRASE")),
  ],
  [
    "people with a position whose organization has a member quoted directly with 'the'",
    "people",
    { positions: { some: { organization: { members: { some: { quotes: { some: { kind: { eq: "DIRECT" }, text: { containsIgnoreCase: " the " } } } } } } } } },
    (p, w) =>
      some(w.positionsOf(p), (x) => {
        const o = w.organizationOf(x);
        return o !== undefined && some(w.membersOf(o), (m) => some(w.quotesOf(m), (q) => q.kind === "DIRECT" && has(q.text, " the ")));
      }),
  ],
  [
    "people with no position in an organization whose members are all quoted",
    "people",
    { not: { positions: { some: { organization: { members: { every: { quotes: { some: {} } } } } } } } },
    (p, w) => !some(w.positionsOf(p), (x) => w.organizationOf(x) !== undefined && every(w.membersOf(w.organizationOf(x) as Row), (m) => w.quotesOf(m).length > 0)),
  ],
  [
    "people in an organization that does not have every member holding a position of its own (everything true inside)",
    "people",
    { organizations: { some: { not: { members: { every: { positions: { some: {} } } } } } } },
    (p, w) => some(w.organizationsOf(p), (o) => !every(w.membersOf(o), (m) => w.positionsOf(m).length > 0)),
  ],
  [
    "people all of whose organizations have some member (everybody)",
    "people",
    { organizations: { every: { members: { some: {} } } } },
    (p, w) => every(w.organizationsOf(p), (o) => w.membersOf(o).length > 0),
  ],
  [
    "people in an organization with a member matching no alternative (nobody)",
    "people",
    { organizations: { some: { members: { some: { or: [] } } } } },
    () => false,
  ],
  [
    "people quoted by a speaker in an organization with a member whose name starts with 'A' (three levels through a to-one)",
    "people",
    { quotes: { some: { speaker: { organizations: { some: { members: { some: { name: { startsWith: "A" } } } } } } } } },
    (p, w) => w.quotesOf(p).length > 0 && some(w.organizationsOf(p), (o) => some(w.membersOf(o), (m) => (m.name as string).startsWith("A"))),
  ],
  [
    "quotes whose speaker is in an organization with a member from another country (null speakers never match)",
    "quotes",
    { speaker: { organizations: { some: { members: { some: { not: { country: { alpha2: { eq: "AR" } } } } } } } } },
    (q, w) => {
      const s = w.speakerOf(q);
      return s !== undefined && some(w.organizationsOf(s), (o) => some(w.membersOf(o), (m) => w.countryOf(m)?.alpha2 !== "AR"));
    },
  ],
  [
    "quotes whose speaker is not in such an organization (null speakers match)",
    "quotes",
    { not: { speaker: { organizations: { some: { members: { some: { name: { containsIgnoreCase: "el" } } } } } } } },
    (q, w) => {
      const s = w.speakerOf(q);
      return !(s !== undefined && some(w.organizationsOf(s), (o) => some(w.membersOf(o), (m) => has(m.name, "el"))));
    },
  ],
  [
    "organizations with a member all of whose positions name an organization with 'a' in its name (null keys)",
    "organizations",
    { members: { some: { positions: { every: { organization: { name: { contains: "a" } } } } } } },
    (o, w) => some(w.membersOf(o), (m) => every(w.positionsOf(m), (x) => (w.organizationOf(x)?.name as string | undefined)?.includes("a") === true)),
  ],
  [
    "organizations with no member quoted about 'minister' and every position held by someone in a country",
    "organizations",
    {
      members: { none: { quotes: { some: { text: { containsIgnoreCase: "minister" } } } } },
      positions: { every: { person: { country: { people: { some: { positions: { some: {} } } } } } } },
    },
    (o, w) =>
      none(w.membersOf(o), (m) => some(w.quotesOf(m), (q) => has(q.text, "minister"))) &&
      every(w.orgPositionsOf(o), (x) => {
        const c = w.countryOf(w.personOf(x) as Row);
        return c !== undefined && some(w.peopleOf(c), (p) => w.positionsOf(p).length > 0);
      }),
  ],
  [
    "countries with a person in an organization whose positions are all dated (three levels, every)",
    "countries",
    { people: { some: { organizations: { some: { positions: { every: { startDate: { isNull: false } } } } } } } },
    (c, w) => some(w.peopleOf(c), (p) => some(w.organizationsOf(p), (o) => every(w.orgPositionsOf(o), (x) => x.startDate !== null))),
  ],
  [
    "countries none of whose organizations has a member with a quote attributed to an organization",
    "countries",
    { organizations: { none: { members: { some: { quotes: { some: { speakerOrganization: { name: { contains: "" } } } } } } } } },
    (c, w) => none(w.organizationsIn(c), (o) => some(w.membersOf(o), (m) => some(w.quotesOf(m), (q) => q.speakerOrganizationId !== null))),
  ],
  [
    "countries all of whose speakers' quotes come from people holding no position titled 'Leader'",
    "countries",
    { quotes: { every: { speaker: { positions: { none: { title: { eq: "Leader" } } } } } } },
    (c, w) =>
      every(w.countryQuotesOf(c), (q) => {
        const s = w.speakerOf(q);
        return s !== undefined && none(w.positionsOf(s), (x) => x.title === "Leader");
      }),
  ],
  [
    "positions whose organization's country has an organization with a member named with 'a' (to-one, to-one, to-many, to-many)",
    "positions",
    { organization: { country: { organizations: { some: { members: { some: { name: { contains: "a" } } } } } } } },
    (x, w) => {
      const c = w.organizationOf(x) && w.countryOf(w.organizationOf(x) as Row);
      return c !== undefined && some(w.organizationsIn(c), (o) => some(w.membersOf(o), (m) => (m.name as string).includes("a")));
    },
  ],
];

const rootRows = (root: Root, w: World): Row[] =>
  ({ people: w.person, organizations: w.organization, countries: w.country, quotes: w.quote, positions: w.position })[root];

describe("the cost of nested relation filters", () => {
  let file: string;
  let counts: TableCounts;
  let kb: TestServer;
  let raw: BetterSqlite3.Database;
  let w: World;
  /** Calls of `kb_visit` per alias, for counting the rows a statement looks at. */
  const visits = new Map<string, number>();

  beforeAll(async () => {
    file = path.join(tempDir(), "kb.sqlite");
    counts = (await generate({ out: file, quotes: 2000, seed: 3 })).counts;
    kb = await createTestServer({ databasePath: file, seed: false });
    raw = new BetterSqlite3(file, { readonly: true });
    registerFunctions(raw);
    raw.function("kb_visit", (alias: unknown) => {
      visits.set(alias as string, (visits.get(alias as string) ?? 0) + 1);
      return 1;
    });
    w = new World(raw);
  });
  afterAll(async () => {
    raw?.close();
    await kb?.close();
  });

  /** Pages through a filtered root list and returns the ids and the total count. */
  async function fetchAll(root: Root, filter: Filter): Promise<{ ids: number[]; totalCount: number }> {
    const ids: number[] = [];
    let after: string | null = null;
    for (;;) {
      const data: Record<string, { totalCount: number; nodes: Array<{ databaseId: number }>; pageInfo: { hasNextPage: boolean; endCursor: string } }> =
        await kb.data(
          `query($filter: ${FILTER_TYPES[root]}, $after: String) { list: ${root}(first: 100, after: $after, filter: $filter) {
            totalCount nodes { databaseId } pageInfo { hasNextPage endCursor } } }`,
          { filter, after },
        );
      ids.push(...data.list.nodes.map((n) => n.databaseId));
      if (!data.list.pageInfo.hasNextPage) return { ids, totalCount: data.list.totalCount };
      after = data.list.pageInfo.endCursor;
    }
  }

  /** The query plan of a filter on `table` rows as SQLite prints it: id, parent id, detail. */
  function plan(typeName: NodeTypeName, table: string, filter: Filter): Array<{ id: number; parent: number; detail: string }> {
    const where = compileFilter(sqliteDialect, typeName, filter);
    if (!where) throw new Error("no filter");
    return raw.prepare(`EXPLAIN QUERY PLAN SELECT t.id FROM "${table}" t WHERE ${where.sql}`).all(...where.params) as Array<{ id: number; parent: number; detail: string }>;
  }

  /**
   * The correlated subqueries of a plan that run once per row of another correlated subquery:
   * those with a correlated ancestor and no uncorrelated subquery in between. An uncorrelated
   * one (SQLite prints "LIST SUBQUERY" or "SCALAR SUBQUERY" without "CORRELATED") runs once per
   * statement, wherever it stands, so what is inside it starts afresh.
   */
  function correlatedInCorrelated(rows: Array<{ id: number; parent: number; detail: string }>): string[] {
    const byId = new Map(rows.map((r) => [r.id, r]));
    const nested: string[] = [];
    for (const row of rows) {
      if (!row.detail.startsWith("CORRELATED")) continue;
      for (let up = byId.get(row.parent); up; up = byId.get(up.parent)) {
        if (up.detail.startsWith("CORRELATED")) {
          nested.push(`${row.detail} inside ${up.detail}`);
          break;
        }
        if (up.detail.includes("SUBQUERY")) break;
      }
    }
    return nested;
  }

  /**
   * Runs a filter's statement with each `<name|title|text> IS NOT NULL` condition (true of every
   * row: the columns are NOT NULL) replaced by a call counting the rows of its alias looked at.
   */
  function countVisits(typeName: NodeTypeName, filter: Filter, statement: (where: string) => string): Map<string, number> {
    const where = compileFilter(sqliteDialect, typeName, filter);
    if (!where) throw new Error("no filter");
    const marked = where.sql.replace(/\b(t|f\d+)\."(name|title|text)" IS NOT NULL/g, "kb_visit('$1')");
    expect(marked).not.toBe(where.sql);
    visits.clear();
    raw.prepare(statement(marked)).all(...where.params);
    return new Map(visits);
  }

  const marker = { name: { isNull: false } };

  it.each(CASES)("returns what plain JavaScript over the tables does: %s", async (_label, root, filter, expected) => {
    const want = rootRows(root, w)
      .filter((r) => expected(r, w))
      .map((r) => r.id)
      .sort((a, b) => a - b);
    const { ids, totalCount } = await fetchAll(root, filter);
    expect([...ids].sort((a, b) => a - b)).toEqual(want);
    expect(totalCount).toBe(want.length);
  });

  it("splits the rows in most of those cases, so that they can tell right from wrong", () => {
    const split = CASES.filter(([, root, , expected]) => {
      const n = rootRows(root, w).filter((r) => expected(r, w)).length;
      return n > 0 && n < rootRows(root, w).length;
    });
    expect(split.length).toBeGreaterThanOrEqual(CASES.length - 5);
    // And the generated data has the null keys the cases are about.
    expect(w.position.some((p) => p.organizationId === null)).toBe(true);
    expect(w.quote.some((q) => q.speakerId === null)).toBe(true);
  });

  it("answers a two-level relation filter in one uncorrelated pass", () => {
    const audit = { organizations: { some: { members: { some: { name: { containsIgnoreCase: "zzz" } } } } } };
    const rows = plan("Person", "person", audit);
    expect(correlatedInCorrelated(rows)).toEqual([]);
    // The inner relation is a list built once: SQLite prints it without CORRELATED.
    expect(rows.some((r) => r.detail.startsWith("LIST SUBQUERY"))).toBe(true);
  });

  it("keeps every level of a three-level relation filter out of correlated subqueries", () => {
    for (const filter of [
      { organizations: { some: { members: { every: { positions: { none: { title: { eq: "Leader" } } } } } } } },
      { quotes: { some: { speaker: { organizations: { some: { members: { some: { name: { startsWith: "A" } } } } } } } } },
      { positions: { every: { organization: { members: { none: { organizations: { some: { name: { contains: "a" } } } } } } } } },
    ]) {
      expect(correlatedInCorrelated(plan("Person", "person", filter))).toEqual([]);
    }
    expect(correlatedInCorrelated(plan("Country", "country", { organizations: { none: { members: { some: { quotes: { some: {} } } } } } }))).toEqual([]);
  });

  it("keeps a relation filter that is not inside another one a correlated EXISTS", () => {
    const where = compileFilter(sqliteDialect, "Person", { country: { alpha2: { eq: "RU" } }, positions: { some: { title: { containsIgnoreCase: "minister" } } } });
    expect(where?.sql).toMatch(/^\(\(t\."countryId" = \(SELECT .*\)\) AND \(EXISTS \(SELECT 1 FROM "position" f2 WHERE f2\."personId" = t\.id AND /);
  });

  it("looks at each row a bounded number of times, however many members an organization has", () => {
    const filter = { ...marker, organizations: { some: { ...marker, members: { some: { ...marker, name: { isNull: false, containsIgnoreCase: "zzz" } } } } } };
    const seen = countVisits("Person", filter, (where) => `SELECT t.id FROM person t WHERE ${where}`);
    // t: each person once; f1: each organization once per position naming it; f3: each member
    // once per position tying it to an organization, in the one pass building the list.
    expect(seen.get("t") ?? 0).toBeLessThanOrEqual(counts.person);
    expect(seen.get("f1") ?? 0).toBeLessThanOrEqual(counts.position);
    expect(seen.get("f3") ?? 0).toBeLessThanOrEqual(counts.position);
    expect(seen.get("f3") ?? 0).toBeGreaterThan(0);
  });

  it("looks at each row a bounded number of times at three levels", () => {
    const filter = {
      organizations: { some: { members: { some: { ...marker, organizations: { every: { ...marker, members: { none: { ...marker, name: { isNull: false, contains: "zzz" } } } } } } } } },
    };
    const seen = countVisits("Person", filter, (where) => `SELECT t.id FROM person t WHERE ${where}`);
    for (const [alias, n] of seen) expect([alias, n <= counts.position]).toEqual([alias, true]);
    expect(seen.size).toBe(3);
  });

  it("runs a to-one relation's subquery once, even inside a to-many one, so a to-many inside it stays a plain EXISTS", () => {
    const filter = { positions: { every: { organization: { ...marker, members: { none: { ...marker, organizations: { some: { name: { contains: "a" } } } } } } } } };
    const rows = plan("Person", "person", filter);
    expect(correlatedInCorrelated(rows)).toEqual([]);
    // The organizations' list is uncorrelated and holds the members' correlated EXISTS.
    const byId = new Map(rows.map((r) => [r.id, r]));
    const inner = rows.filter((r) => r.detail.startsWith("CORRELATED") && byId.get(r.parent)?.detail.startsWith("LIST SUBQUERY"));
    expect(inner).toHaveLength(1);
    for (const statement of [
      (where: string) => `SELECT t.id FROM person t WHERE ${where}`,
      (where: string) => `SELECT c.id, (SELECT COUNT(*) FROM person t WHERE t."countryId" = c.id AND ${where}) AS n FROM country c`,
    ]) {
      const seen = countVisits("Person", filter, statement);
      // f3: each organization once in all; f4: each member once per position tying it to one.
      expect(seen.get("f3") ?? 0).toBeGreaterThan(0);
      expect(seen.get("f3") ?? 0).toBeLessThanOrEqual(counts.organization);
      expect(seen.get("f4") ?? 0).toBeLessThanOrEqual(counts.position);
    }
  });

  it("builds the inner lists once per statement when the filter runs once per parent", () => {
    // As a nested list's count does: the filter inside a subquery correlated with each parent.
    const filter = { organizations: { some: { members: { some: { ...marker, name: { isNull: false, containsIgnoreCase: "zzz" } } } } } };
    const seen = countVisits("Person", filter, (where) => `SELECT c.id, (SELECT COUNT(*) FROM person t WHERE t."countryId" = c.id AND ${where}) AS n FROM country c`);
    expect(counts.country).toBeGreaterThan(1);
    expect(seen.get("f3") ?? 0).toBeGreaterThan(0);
    expect(seen.get("f3") ?? 0).toBeLessThanOrEqual(counts.position);
  });

  describe("counting relation conditions toward the limit", () => {
    const run = (filter: Filter): ReturnType<TestServer["run"]> => kb.run(`query($f: PersonFilter) { people(first: 1, filter: $f) { totalCount } }`, { f: filter });
    /** `n` relation conditions with no other condition in them, in lists of at most 100. */
    const relations = (n: number): Filter => {
      const items = Array.from({ length: n }, (_, i) => [{ country: {} }, { positions: { some: {} } }, { quotes: { every: {} } }, { organizations: { none: {} } }][i % 4]);
      return { or: items.slice(0, 100), and: items.slice(100).length > 0 ? [{ or: items.slice(100) }] : undefined };
    };

    it("accepts 100 relation conditions and refuses 101", async () => {
      expect(FILTER_LIMITS.conditions).toBe(100);
      const ok = await run(relations(100));
      expect(ok.errors).toBeUndefined();
      const over = await run(relations(101));
      expect(over.errors?.[0].extensions?.code).toBe("BAD_USER_INPUT");
      expect(over.errors?.[0].message).toMatch(/at most 100 conditions/);
    });

    it("counts a to-one key and the condition inside it as two", async () => {
      const ru = { country: { alpha2: { eq: "RU" } } };
      expect((await run({ or: Array.from({ length: 50 }, () => ru) })).errors).toBeUndefined();
      const over = await run({ or: Array.from({ length: 50 }, () => ru), and: [{ positions: { some: {} } }] });
      expect(over.errors?.[0].extensions?.code).toBe("BAD_USER_INPUT");
    });

    it("counts each quantifier of a to-many relation", async () => {
      const all = { positions: { some: {}, every: {}, none: { title: { eq: "x" } } } };
      expect((await run({ or: Array.from({ length: 25 }, () => all) })).errors).toBeUndefined();
      const over = await run({ or: [...Array.from({ length: 25 }, () => all), { country: {} }] });
      expect(over.errors?.[0].extensions?.code).toBe("BAD_USER_INPUT");
    });
  });
});
