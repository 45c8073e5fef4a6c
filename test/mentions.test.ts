import { findMentions } from "../src/ingest/extract/mentions";
import { loadFixtures } from "../src/seed/fixture";
import { seedAll } from "../src/seed/seed";
import { ALICE, DELETE_PERSON, EDITORS } from "./editing-helpers";
import { createTestServer, TestServer } from "./helpers";
import { STORY } from "./ingest-readme";

interface MentionView {
  text: string;
  kind: string;
  evidence: { startOffset: number; endOffset: number; text: string };
  quote: { text: string; speaker: { name: string } | null } | null;
}

const HAFTAR_MENTIONS = `{
  person(name: "Khalifa Haftar") {
    id
    mentions(first: 100) {
      totalCount
      nodes { text kind evidence { startOffset endOffset text } quote { text speaker { name } } article { body } }
    }
  }
}`;

describe("mentions", () => {
  let kb: TestServer;
  beforeAll(async () => {
    kb = await createTestServer({ env: EDITORS });
  });
  afterAll(async () => {
    await kb.close();
  });

  it("records where the seed article names Haftar, by full name and by surname alone, with offsets into the body", async () => {
    const data = await kb.data<{ person: { mentions: { totalCount: number; nodes: Array<MentionView & { article: { body: string } }> } } }>(HAFTAR_MENTIONS);
    const { totalCount, nodes } = data.person.mentions;
    expect(totalCount).toBe(11);
    expect(nodes.map((m) => m.kind).sort()).toEqual(["NAME", ...Array(10).fill("ALIAS")].sort());
    for (const m of nodes) {
      expect(m.article.body.slice(m.evidence.startOffset, m.evidence.endOffset)).toBe(m.text);
      expect(m.evidence.text).toBe(m.text);
      expect(["Khalifa Haftar", "Haftar"]).toContain(m.text);
    }
    // Quotes that name him only by surname, some spoken by others.
    const inQuotes = nodes.filter((m) => m.quote !== null);
    expect(inQuotes.length).toBeGreaterThanOrEqual(3);
    expect(inQuotes.every((m) => m.text === "Haftar")).toBe(true);
    expect(inQuotes.some((m) => m.quote!.speaker?.name !== "Khalifa Haftar")).toBe(true);
  });

  it("filters quotes by the people they mention, whoever spoke them", async () => {
    const data = await kb.data<{ quotes: { nodes: Array<{ text: string; speaker: { name: string } | null; mentions: { nodes: Array<{ person: { name: string } | null }> } }> } }>(`{
      quotes(first: 100, filter: { mentions: { some: { person: { name: { eq: "Khalifa Haftar" } } } } }) {
        nodes { text speaker { name } mentions { nodes { person { name } } } }
      }
    }`);
    const quotes = data.quotes.nodes;
    expect(quotes.length).toBeGreaterThanOrEqual(3);
    for (const q of quotes) {
      expect(q.text).toContain("Haftar");
      expect(q.mentions.nodes.map((m) => m.person?.name)).toContain("Khalifa Haftar");
    }
    expect(quotes.some((q) => q.speaker?.name !== "Khalifa Haftar")).toBe(true);
    const none = await kb.data<{ quotes: { totalCount: number } }>(`{
      quotes(filter: { mentions: { none: { person: { name: { eq: "Khalifa Haftar" } } } } }) { totalCount }
    }`);
    const all = await kb.data<{ quotes: { totalCount: number } }>(`{ quotes { totalCount } }`);
    expect(none.quotes.totalCount + quotes.length).toBe(all.quotes.totalCount);
  });

  it("gives every article, quote, position, organization and country its mentions", async () => {
    const data = await kb.data<{
      articles: { nodes: Array<{ mentions: { totalCount: number; nodes: Array<{ kind: string }> } }> };
      organization: { mentions: { nodes: Array<{ text: string }> } };
      country: { mentions: { nodes: Array<{ text: string; kind: string }> } };
      positions: { nodes: Array<{ title: string; mentions: { nodes: Array<{ text: string; position: { title: string } }> } }> };
    }>(`{
      articles { nodes { mentions(first: 100) { totalCount nodes { kind } } } }
      organization(name: "Libyan National Army") { mentions { nodes { text } } }
      country(code: "RU") { mentions(first: 100) { nodes { text kind } } }
      positions(first: 100) { nodes { title mentions { nodes { text position { title } } } } }
    }`);
    const article = data.articles.nodes[0].mentions;
    const byKind: Record<string, number> = {};
    for (const m of article.nodes) byKind[m.kind] = (byKind[m.kind] ?? 0) + 1;
    expect(article.totalCount).toBe(66);
    expect(byKind).toEqual({ NAME: 37, ALIAS: 22, DEMONYM: 7 });
    expect(data.organization.mentions.nodes.map((m) => m.text)).toEqual(["Libyan National Army"]);
    expect(new Set(data.country.mentions.nodes.map((m) => m.text))).toEqual(new Set(["Russia", "Russian"]));
    for (const p of data.positions.nodes) for (const m of p.mentions.nodes) expect(m.position.title).toBe(p.title);
    expect(data.positions.nodes.some((p) => p.mentions.nodes.length > 0)).toBe(true);
  });

  it("reads nested mentions in one statement per level, whatever the number of rows", async () => {
    kb.db.statements.reset();
    kb.db.statements.record = true;
    const data = await kb.data<{ people: { nodes: Array<{ mentions: { nodes: Array<{ quote: { text: string } | null }> } }> } }>(`{
      people(first: 100) { nodes { name mentions(first: 50) { totalCount nodes { text kind quote { text } } } } }
    }`);
    kb.db.statements.record = false;
    expect(data.people.nodes.length).toBe(11);
    // people, mentions (page), mentions (counts), articles (for text), quotes.
    expect(kb.db.statements.count).toBeLessThanOrEqual(5);
  });

  it("finds names as whole words, case and all, and lets the longest overlapping name win", () => {
    const gazetteer = {
      people: [{ id: 1, name: "Khalifa Haftar", aliases: ["Haftar"], countryId: null, titles: [] }],
      organizations: [
        { id: 1, name: "United Nations", aliases: ["UN"], kind: "INTERGOVERNMENTAL", countryId: null },
        { id: 2, name: "Libyan National Army", aliases: ["LNA"], kind: "MILITARY", countryId: null },
      ],
      countries: [{ id: 1, name: "Libya", alpha2: "LY", alpha3: "LBY" }],
    };
    const text = "Khalifa Haftar’s Libyan National Army (LNA) was unhappy; Haftarism, un-Libyan, UNESCO and the UN; Libyans.";
    const found = findMentions(text, gazetteer).map((m) => [text.slice(m.start, m.end), m.kind]);
    expect(found).toEqual([
      ["Khalifa Haftar", "NAME"],
      ["Libyan National Army", "NAME"],
      ["LNA", "ALIAS"],
      // Not "Haftarism", "un-Libyan" (a country form after a hyphen is part of another word) or "UNESCO".
      ["UN", "ALIAS"],
      ["Libyans", "DEMONYM"],
    ]);
  });

  it("removes a person's mentions with them and reports only editable records as cascaded", async () => {
    const own = await createTestServer({ env: EDITORS });
    try {
      const { person } = await own.data<{ person: { id: string; positions: { nodes: Array<{ id: string }> } } }>(
        `{ person(name: "Khalifa Haftar") { id positions { nodes { id } } } }`,
      );
      const before = (await own.db.get<{ n: number }>(`SELECT COUNT(*) AS n FROM mention WHERE "personId" IS NOT NULL`))!.n;
      // Haftar speaks a quote, which blocks deleting him; take a person with a position and no quote.
      const { person: qaddafi } = await own.data<{ person: { id: string; positions: { nodes: Array<{ id: string }> } } }>(
        `{ person(name: "Moammar Qaddafi") { id positions { nodes { id } } } }`,
      );
      expect(person.id).toBeTruthy();
      const result = await own.dataAs<{ deletePerson: { deletedId: string; cascadedIds: string[] } }>(ALICE, DELETE_PERSON, { input: { id: qaddafi.id } });
      expect(result.deletePerson.cascadedIds).toEqual(qaddafi.positions.nodes.map((p) => p.id));
      const after = (await own.db.get<{ n: number }>(`SELECT COUNT(*) AS n FROM mention WHERE "personId" IS NOT NULL`))!.n;
      expect(before - after).toBe(2);
      expect((await own.db.get<{ n: number }>(`SELECT COUNT(*) AS n FROM edit WHERE "entityType" = 'Mention'`))!.n).toBe(0);
    } finally {
      await own.close();
    }
  });

  it("gives an accepted proposal's article its mentions in the same transaction", async () => {
    const own = await createTestServer({ env: EDITORS });
    try {
      const proposed = await own.dataAs<{ proposeArticle: { proposal: { id: string } } }>(
        ALICE,
        `mutation($input: ProposeArticleInput!) { proposeArticle(input: $input) { proposal { id } } }`,
        { input: { url: "https://example.com/lavrov-restraint", title: "Lavrov urges restraint", publisher: "Reuters", publishedAt: "2019-04-10", body: STORY } },
      );
      const accepted = await own.dataAs<{
        acceptProposal: { proposal: { article: { mentions: { nodes: Array<{ text: string; kind: string; person: { name: string } | null; quote: { text: string } | null }> } } } };
      }>(
        ALICE,
        `mutation($input: AcceptProposalInput!) { acceptProposal(input: $input) { proposal { article { mentions { nodes { text kind person { name } quote { text } } } } } } }`,
        { input: { proposalId: proposed.proposeArticle.proposal.id } },
      );
      const mentions = accepted.acceptProposal.proposal.article.mentions.nodes;
      expect(mentions).toEqual(
        expect.arrayContaining([
          expect.objectContaining({ text: "Sergei Lavrov", kind: "NAME", person: { name: "Sergei Lavrov" } }),
          expect.objectContaining({ text: "Libya", kind: "NAME" }),
          expect.objectContaining({ text: "Institute of Oriental Studies", kind: "NAME" }),
        ]),
      );
      // Anna Petrova is new: accepting her makes "Petrova" (her surname) a mention too.
      expect(mentions.filter((m) => m.person?.name === "Anna Petrova").map((m) => m.text)).toEqual(["Anna Petrova", "Petrova"]);
    } finally {
      await own.close();
    }
  });
});

describe("mentions kept up to date by editing", () => {
  let kb: TestServer;
  beforeAll(async () => {
    kb = await createTestServer({ env: EDITORS });
  });
  afterAll(async () => {
    await kb.close();
  });

  const mentionsOf = (name: string): Promise<{ person: { mentions: { nodes: Array<{ text: string; kind: string }> } } | null }> =>
    kb.data(`query($name: String!) { person(name: $name) { mentions(first: 100) { nodes { text kind } } } }`, { name });

  it("leaves the mentions as they are when seeding again", async () => {
    const rows = async (): Promise<string> => JSON.stringify(await kb.db.all(`SELECT * FROM mention ORDER BY id`));
    const before = await rows();
    expect(JSON.parse(before)).not.toEqual([]);
    await seedAll(kb.db, loadFixtures());
    expect(await rows()).toBe(before);
  });

  it("finds a new alias in the articles", async () => {
    const { person } = await kb.data<{ person: { id: string } }>(`{ person(name: "Sergei Lavrov") { id } }`);
    const before = (await mentionsOf("Sergei Lavrov")).person!.mentions.nodes;
    expect(before).toEqual([{ text: "Sergei Lavrov", kind: "NAME" }]);
    await kb.dataAs(ALICE, `mutation($input: UpdatePersonInput!) { updatePerson(input: $input) { person { aliases } } }`, {
      input: { id: person.id, aliases: ["Foreign Minister Sergei Lavrov"] },
    });
    const after = (await mentionsOf("Sergei Lavrov")).person!.mentions.nodes;
    expect(after).toEqual([{ text: "Foreign Minister Sergei Lavrov", kind: "ALIAS" }]);
  });

  it("points mentions at a quote created around them", async () => {
    const { articles } = await kb.data<{ articles: { nodes: Array<{ id: string; body: string }> } }>(`{ articles { nodes { id body } } }`);
    const { id, body } = articles.nodes[0];
    const start = body.indexOf("United Arab Emirates");
    const end = body.indexOf(".", start);
    const text = body.slice(start, end);
    const created = await kb.dataAs<{ createQuote: { quote: { mentions: { nodes: Array<{ text: string }> } } } }>(
      ALICE,
      `mutation($input: CreateQuoteInput!) { createQuote(input: $input) { quote { mentions { nodes { text } } } } }`,
      { input: { text, kind: "PARAPHRASE", evidence: { articleId: id, startOffset: start, endOffset: end } } },
    );
    expect(created.createQuote.quote.mentions.nodes.map((m) => m.text)).toEqual(expect.arrayContaining(["United Arab Emirates", "Egypt"]));
  });
});

describe("mentions as nodes", () => {
  let kb: TestServer;
  beforeAll(async () => {
    kb = await createTestServer({ env: EDITORS });
  });
  afterAll(async () => {
    await kb.close();
  });

  it("are nodes, found again by their global ID", async () => {
    const { mentions } = await kb.data<{ mentions: { totalCount: number; nodes: Array<{ id: string; text: string }> } }>(`{ mentions(first: 1) { totalCount nodes { id text } } }`);
    expect(mentions.totalCount).toBe(66);
    const [first] = mentions.nodes;
    const { node } = await kb.data<{ node: { __typename: string; text: string; country: { name: string } | null } }>(
      `query($id: ID!) { node(id: $id) { __typename ... on Mention { text country { name } } } }`,
      { id: first.id },
    );
    expect(node).toEqual({ __typename: "Mention", text: first.text, country: { name: "Russia" } });
  });

  it("gives the other person a word two people shared once one of them is deleted", async () => {
    const created = await kb.dataAs<{ createPerson: { person: { id: string } } }>(ALICE, `mutation { createPerson(input: { name: "Ahmed Haftar", aliases: ["Haftar"] }) { person { id } } }`);
    const count = async (): Promise<number> =>
      (await kb.data<{ person: { mentions: { totalCount: number } } }>(`{ person(name: "Khalifa Haftar") { mentions { totalCount } } }`)).person.mentions.totalCount;
    // "Haftar" is now ambiguous: only the full name is sure.
    expect(await count()).toBe(1);
    await kb.dataAs(ALICE, DELETE_PERSON, { input: { id: created.createPerson.person.id } });
    expect(await count()).toBe(11);
  });
});
