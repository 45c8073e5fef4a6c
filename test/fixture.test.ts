import fs from "node:fs";
import path from "node:path";
import { fixtureProblems, loadFixtures, SEEDS_DIR } from "../src/seed/fixture";
import { seedAll } from "../src/seed/seed";
import { createTestServer, TestServer } from "./helpers";

const ARTICLE_FILE = path.join(SEEDS_DIR, "2019-04-09-russia-libya-peace.md");

interface QuoteRow {
  text: string;
  kind: "DIRECT" | "PARAPHRASE";
  speaker: { name: string } | null;
  speakerCountry: { alpha2: string } | null;
  speakerOrganization: { name: string } | null;
  evidence: { startOffset: number; endOffset: number; text: string; article: { body: string } };
}

interface PositionRow {
  title: string;
  organization: { name: string } | null;
  person: { name: string; aliases: string[] };
  evidence: { startOffset: number; endOffset: number; text: string; article: { body: string } };
}

describe("the seed fixture", () => {
  let kb: TestServer;
  let body: string;

  beforeAll(async () => {
    kb = await createTestServer();
    body = fs.readFileSync(ARTICLE_FILE, "utf8");
  });
  afterAll(async () => {
    await kb.close();
  });

  it("stores the article body byte for byte as in the seed file", async () => {
    const data = await kb.data<{ articles: { nodes: Array<{ body: string; title: string; publishedAt: string }> } }>(
      `{ articles { nodes { body title publishedAt } } }`,
    );
    expect(data.articles.nodes).toHaveLength(1);
    expect(data.articles.nodes[0].body).toBe(body);
    expect(data.articles.nodes[0].title).toBe("Russia Makes Move on Libya Peace as Clashes Rage Near Tripoli");
    expect(data.articles.nodes[0].publishedAt).toBe("2019-04-09");
  });

  it("slices every quote's offsets to exactly its text", async () => {
    const data = await kb.data<{ quotes: { nodes: QuoteRow[] } }>(`{
      quotes(first: 100) { nodes { text kind evidence { startOffset endOffset text article { body } } } }
    }`);
    expect(data.quotes.nodes.length).toBeGreaterThanOrEqual(14);
    for (const quote of data.quotes.nodes) {
      expect(body.slice(quote.evidence.startOffset, quote.evidence.endOffset)).toBe(quote.text);
      expect(quote.evidence.text).toBe(quote.text);
      expect(quote.evidence.article.body).toBe(body);
    }
  });

  it("keeps every direct quote verbatim between the article's own quotation marks", async () => {
    const data = await kb.data<{ quotes: { nodes: QuoteRow[] } }>(`{
      quotes(first: 100) { nodes { text kind evidence { startOffset endOffset text article { body } } } }
    }`);
    const direct = data.quotes.nodes.filter((q) => q.kind === "DIRECT");
    expect(direct.length).toBeGreaterThanOrEqual(10);
    for (const quote of direct) {
      expect(body[quote.evidence.startOffset - 1]).toBe("“");
      expect(body[quote.evidence.endOffset]).toBe("”");
    }
    // Every pair of curly quotation marks in the article is a direct quote in the fixture.
    const marked = [...body.matchAll(/“([^”]*)”/g)].map((m) => m[1]);
    expect(direct.map((q) => q.text).sort()).toEqual(marked.sort());
    // The article's curly apostrophes are kept, not normalized.
    expect(direct.some((q) => q.text.includes("he’s a factor"))).toBe(true);
  });

  it("attributes each quote to the right speaker", async () => {
    const data = await kb.data<{ quotes: { nodes: QuoteRow[] } }>(`{
      quotes(first: 100) { nodes { text kind speaker { name } speakerCountry { alpha2 } speakerOrganization { name } } }
    }`);
    const who = (fragment: string): string | null => {
      const quote = data.quotes.nodes.find((q) => q.text.includes(fragment));
      if (!quote) throw new Error(`no quote contains "${fragment}"`);
      return quote.speaker?.name ?? quote.speakerCountry?.alpha2 ?? quote.speakerOrganization?.name ?? null;
    };
    expect(who("all available means")).toBe("RU");
    expect(who("bloodshed")).toBe("Dmitry Peskov");
    expect(who("terrorism")).toBe("Khalifa Haftar");
    expect(who("bargaining chips")).toBe("Andrey Kortunov");
    expect(who("immediate halt")).toBe("Michael Pompeo");
    expect(who("no military solution")).toBe("Michael Pompeo");
    expect(who("air strikes")).toBe("Sergei Lavrov");
    expect(who("Not Backing")).toBe("Kremlin");
    expect(who("coordination with Egypt")).toBe("Andrey Kortunov");
    expect(who("crusade")).toBe("Vladimir Putin");
    expect(who("providing training")).toBeNull();
    expect(who("not ready to compromise")).toBe("Vasily Kuznetsov");
    expect(who("aren’t high")).toBe("Elena Suponina");
    expect(who("restart negotiations")).toBe("Elena Suponina");
  });

  it("places every position's evidence inside the article, naming its holder", async () => {
    const data = await kb.data<{ positions: { nodes: PositionRow[] } }>(`{
      positions(first: 100) { nodes { title organization { name } person { name aliases } evidence { startOffset endOffset text article { body } } } }
    }`);
    expect(data.positions.nodes).toHaveLength(10);
    for (const position of data.positions.nodes) {
      const { startOffset, endOffset, text } = position.evidence;
      expect(startOffset).toBeGreaterThanOrEqual(0);
      expect(endOffset).toBeGreaterThan(startOffset);
      expect(endOffset).toBeLessThanOrEqual(body.length);
      expect(text).toBe(body.slice(startOffset, endOffset));
      const names = [position.person.name, ...position.person.aliases];
      expect(names.some((name) => text.includes(name))).toBe(true);
      // The words name the office itself, or the organization it is held in.
      const office = [position.title.toLowerCase().split(" ")[0], position.organization?.name.toLowerCase()];
      expect(office.some((word) => word !== undefined && text.toLowerCase().includes(word))).toBe(true);
    }
  });

  it("holds all eleven people, no two sharing a name", async () => {
    const data = await kb.data<{ people: { totalCount: number; nodes: Array<{ name: string }> } }>(
      `{ people(first: 100) { totalCount nodes { name } } }`,
    );
    const names = data.people.nodes.map((p) => p.name);
    expect(new Set(names).size).toBe(names.length);
    expect(names.sort()).toEqual(
      [
        "Andrey Kortunov",
        "Dmitry Peskov",
        "Elena Suponina",
        "Fayez al-Sarraj",
        "Khalifa Haftar",
        "Michael Pompeo",
        "Mikhail Bogdanov",
        "Moammar Qaddafi",
        "Sergei Lavrov",
        "Vasily Kuznetsov",
        "Vladimir Putin",
      ].sort(),
    );
    for (const name of names) expect(body).toContain(name);
  });

  it("holds the six countries and every organization the article names", async () => {
    const data = await kb.data<{
      countries: { nodes: Array<{ alpha2: string; alpha3: string }> };
      organizations: { nodes: Array<{ name: string; aliases: string[] }> };
    }>(`{ countries { nodes { alpha2 alpha3 } } organizations(first: 100) { nodes { name aliases } } }`);
    expect(data.countries.nodes.map((c) => c.alpha2).sort()).toEqual(["AE", "EG", "FR", "LY", "RU", "US"]);
    const organizations = data.organizations.nodes.map((o) => o.name);
    for (const name of [
      "Kremlin",
      "United Nations",
      "United Nations Security Council",
      "Libyan National Army",
      "Russian International Affairs Council",
      "North Atlantic Treaty Organization",
      "Center for Arab and Islamic Studies",
      "Institute of Oriental Studies",
      "Bloomberg",
    ]) {
      expect(organizations).toContain(name);
      expect(body).toContain(name);
    }
  });

  it("changes nothing when seeded a second time", async () => {
    const snapshot = async (): Promise<string> => {
      const tables: unknown[] = [];
      for (const table of ["article", "country", "organization", "person", "position", "quote"]) tables.push(await kb.db.all(`SELECT * FROM "${table}" ORDER BY id`));
      return JSON.stringify(tables);
    };
    const before = await snapshot();
    const report = await seedAll(kb.db, loadFixtures());
    expect(report).toEqual({ inserted: 0, updated: 0, keptEdited: 0 });
    expect(await snapshot()).toBe(before);
  });

  it("brings seeded records back in line when seeded again, but leaves those editors changed", async () => {
    const edited = await createTestServer({ env: { EDITOR_TOKENS: "alice:s3cret" } });
    try {
      const un = await edited.db.get<{ id: number; aliases: string }>(`SELECT id, aliases FROM organization WHERE name = 'United Nations'`);
      const kremlin = await edited.db.get<{ id: number; aliases: string }>(`SELECT id, aliases FROM organization WHERE name = 'Kremlin'`);
      await edited.dataAs("s3cret", `mutation($id: ID!) { updateOrganization(input: { id: $id, aliases: ["UN", "U.N."] }) { organization { id } } }`, {
        id: Buffer.from(`Organization:${un?.id}`).toString("base64url"),
      });
      // A change outside the API leaves no edit behind: the fixture wins there.
      await edited.sql(`UPDATE organization SET aliases = '["changed by hand"]' WHERE id = ?`, [kremlin?.id]);
      const report = await seedAll(edited.db, loadFixtures());
      expect(report).toEqual({ inserted: 0, updated: 1, keptEdited: 1 });
      expect((await edited.db.get<{ aliases: string }>(`SELECT aliases FROM organization WHERE id = ?`, [un?.id as number]))?.aliases).toBe('["UN","U.N."]');
      expect((await edited.db.get<{ aliases: string }>(`SELECT aliases FROM organization WHERE id = ?`, [kremlin?.id as number]))?.aliases).toBe(kremlin?.aliases);
    } finally {
      await edited.close();
    }
  });

  it("refuses a fixture whose quote does not match its offsets", () => {
    const [fixture] = loadFixtures();
    expect(fixtureProblems(fixture)).toEqual([]);
    const broken = { ...fixture, quotes: [{ ...fixture.quotes[0], startOffset: fixture.quotes[0].startOffset + 1 }] };
    expect(fixtureProblems(broken).join("\n")).toMatch(/is not the article slice/);
  });
});
