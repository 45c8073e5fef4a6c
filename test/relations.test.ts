import { createTestServer, TestServer } from "./helpers";

type Names = { nodes: Array<{ name: string }> };

describe("relations and look-ups", () => {
  let kb: TestServer;

  beforeAll(async () => {
    kb = await createTestServer();
  });
  afterAll(async () => {
    await kb.close();
  });

  it("finds a country by alpha-2 or alpha-3 code in any case", async () => {
    const data = await kb.data<Record<string, { name: string; wikidataId: string } | null>>(
      `{ a: country(code: "RU") { name wikidataId } b: country(code: "rus") { name wikidataId } c: country(code: "ZZ") { name wikidataId } }`,
    );
    expect(data.a).toEqual({ name: "Russia", wikidataId: "Q159" });
    expect(data.b).toEqual(data.a);
    expect(data.c).toBeNull();
  });

  it("finds people and organizations by name or alias, ignoring case", async () => {
    const data = await kb.data<Record<string, { name: string } | null>>(`{
      byAlias: person(name: "haftar") { name }
      byName: person(name: "Khalifa Haftar") { name }
      nobody: person(name: "Nobody") { name }
      nato: organization(name: "NATO") { name }
      un: organization(name: "un") { name }
    }`);
    expect(data.byAlias).toEqual({ name: "Khalifa Haftar" });
    expect(data.byName).toEqual({ name: "Khalifa Haftar" });
    expect(data.nobody).toBeNull();
    expect(data.nato).toEqual({ name: "North Atlantic Treaty Organization" });
    expect(data.un).toEqual({ name: "United Nations" });
  });

  it("answers who holds which office, in both directions", async () => {
    const data = await kb.data<{
      person: { positions: { nodes: Array<{ title: string; country: { name: string } | null; person: { name: string } }> } };
      organization: { members: Names; positions: { nodes: Array<{ title: string }> } };
      kortunov: { organizations: Names; country: { name: string } };
    }>(`{
      person(name: "Pompeo") { positions { nodes { title country { name } person { name } } } }
      organization(name: "Russian International Affairs Council") { members { nodes { name } } positions { nodes { title } } }
      kortunov: person(name: "Andrey Kortunov") { organizations { nodes { name } } country { name } }
    }`);
    // A surname finds the one person who has it (Pompeo has no alias "Pompeo").
    expect(data.person.positions.nodes).toEqual([{ title: "Secretary of State", country: { name: "United States" }, person: { name: "Michael Pompeo" } }]);
    expect(data.organization.members.nodes).toEqual([{ name: "Andrey Kortunov" }]);
    expect(data.organization.positions.nodes).toEqual([{ title: "Head" }]);
    expect(data.kortunov.organizations.nodes).toEqual([{ name: "Russian International Affairs Council" }]);
    expect(data.kortunov.country).toEqual({ name: "Russia" });

    const pompeo = await kb.data<{ person: { positions: { nodes: Array<{ title: string; country: { name: string } }> } } }>(
      `{ person(name: "Michael Pompeo") { positions { nodes { title country { name } } } } }`,
    );
    expect(pompeo.person.positions.nodes).toEqual([{ title: "Secretary of State", country: { name: "United States" } }]);
  });

  it("links organizations to their parent and their parts", async () => {
    const data = await kb.data<{
      center: { parent: { name: string }; country: { alpha2: string } };
      institute: { subOrganizations: Names; parent: null };
      un: { subOrganizations: Names };
    }>(`{
      center: organization(name: "Center for Arab and Islamic Studies") { parent { name } country { alpha2 } }
      institute: organization(name: "Institute of Oriental Studies") { subOrganizations { nodes { name } } parent { name } }
      un: organization(name: "UN") { subOrganizations { nodes { name } } }
    }`);
    expect(data.center).toEqual({ parent: { name: "Institute of Oriental Studies" }, country: { alpha2: "RU" } });
    expect(data.institute).toEqual({ subOrganizations: { nodes: [{ name: "Center for Arab and Islamic Studies" }] }, parent: null });
    expect(data.un.subOrganizations.nodes).toEqual([{ name: "United Nations Security Council" }]);
  });

  it("returns quotes in article order, from speaker to quote and back", async () => {
    const data = await kb.data<{
      person: { quotes: { nodes: Array<{ text: string; speaker: { name: string }; evidence: { startOffset: number } }> } };
      articles: { nodes: Array<{ quotes: { nodes: Array<{ evidence: { startOffset: number } }> } }> };
    }>(`{
      person(name: "Kortunov") { quotes { nodes { text speaker { name } evidence { startOffset } } } }
      articles { nodes { quotes(first: 100) { nodes { evidence { startOffset } } } } }
    }`);
    const quotes = data.person.quotes.nodes;
    expect(quotes).toHaveLength(2);
    expect(quotes.every((q) => q.speaker.name === "Andrey Kortunov")).toBe(true);
    expect(quotes[0].text).toMatch(/^an effort to demonstrate/);
    expect(quotes[1].text).toMatch(/^Russia can do something/);
    const offsets = data.articles.nodes[0].quotes.nodes.map((q) => q.evidence.startOffset);
    expect(offsets).toEqual([...offsets].sort((a, b) => a - b));
  });

  it("attributes statements to a country or an organization when the article does", async () => {
    const data = await kb.data<{
      country: { quotes: { nodes: Array<{ text: string; speaker: null; speakerCountry: { name: string } }> }; people: { totalCount: number } };
      organization: { quotes: { nodes: Array<{ kind: string; speakerOrganization: { name: string } }> } };
    }>(`{
      country(code: "RU") { quotes { nodes { text speaker { name } speakerCountry { name } } } people { totalCount } }
      organization(name: "Kremlin") { quotes { nodes { kind speakerOrganization { name } } } }
    }`);
    expect(data.country.quotes.nodes).toEqual([{ text: "all available means", speaker: null, speakerCountry: { name: "Russia" } }]);
    expect(data.country.people.totalCount).toBe(7);
    expect(data.organization.quotes.nodes).toEqual([{ kind: "PARAPHRASE", speakerOrganization: { name: "Kremlin" } }]);
  });

  it("gives each position's dates at the precision the article states", async () => {
    const data = await kb.data<{ person: { positions: { nodes: Array<{ title: string; startDate: string | null; endDate: string | null }> } } }>(
      `{ person(name: "Qaddafi") { positions { nodes { title startDate endDate } } } }`,
    );
    expect(data.person.positions.nodes).toEqual([{ title: "Dictator", startDate: null, endDate: "2011" }]);
  });

  it("finds an article by URL and lists the facts it states", async () => {
    const data = await kb.data<{ article: { title: string; quotes: { totalCount: number }; positions: { totalCount: number } } | null }>(
      `{ article(url: "https://www.themoscowtimes.com/2019/04/09/russia-makes-move-on-libya-peace-as-clashes-rage-near-tripoli-a65149") {
        title quotes { totalCount } positions { totalCount } } }`,
    );
    expect(data.article?.title).toMatch(/^Russia Makes Move/);
    expect(data.article?.quotes.totalCount).toBe(14);
    expect(data.article?.positions.totalCount).toBe(10);
  });
});
