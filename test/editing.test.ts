import { toGlobalId as G } from "../src/model/global-id";
import {
  ADD_ARTICLE,
  ALICE,
  BOB,
  CREATE_ARTICLE,
  CREATE_COUNTRY,
  CREATE_ORGANIZATION,
  CREATE_PERSON,
  CREATE_POSITION,
  CREATE_QUOTE,
  DELETE_ARTICLE,
  DELETE_COUNTRY,
  DELETE_ORGANIZATION,
  DELETE_PERSON,
  DELETE_POSITION,
  DELETE_QUOTE,
  EDITORS,
  fingerprint,
  firstError,
  UPDATE_ARTICLE,
  UPDATE_COUNTRY,
  UPDATE_ORGANIZATION,
  UPDATE_PERSON,
  UPDATE_POSITION,
  UPDATE_QUOTE,
} from "./editing-helpers";
import { createTestServer, itOnPostgres, itOnSqlite, TestServer } from "./helpers";

const SEED_ARTICLE = G("Article", 1);
const RUSSIA = G("Country", 1);

interface Node {
  id: string;
  [field: string]: unknown;
}

interface EditNode {
  editor: string;
  action: string;
  mutation: string;
  entityType: string;
  entityId: string;
  before: Record<string, unknown> | null;
  after: Record<string, unknown> | null;
  createdAt: string;
}

const EDIT_FIELDS = "editor action mutation entityType entityId before after createdAt";

describe("editing", () => {
  let kb: TestServer;

  beforeAll(async () => {
    kb = await createTestServer({ env: EDITORS });
  });
  afterAll(async () => {
    await kb.close();
  });

  /** Runs a mutation as alice and returns the payload of its one field. */
  async function edit<T = Record<string, Node>>(query: string, input: Record<string, unknown>, token = ALICE): Promise<T> {
    const data = await kb.dataAs<Record<string, T>>(token, query, { input });
    return Object.values(data)[0];
  }

  async function history(entityId: string): Promise<EditNode[]> {
    const data = await kb.dataAs<{ edits: { nodes: EditNode[] } }>(ALICE, `query($id: ID!) { edits(entityId: $id) { nodes { ${EDIT_FIELDS} } } }`, { id: entityId });
    return data.edits.nodes;
  }

  async function node(id: string): Promise<Node | null> {
    return (await kb.data<{ node: Node | null }>(`query($id: ID!) { node(id: $id) { id } }`, { id })).node;
  }

  describe("countries", () => {
    it("creates one, storing the ISO codes upper-case, and echoes the clientMutationId", async () => {
      const data = await kb.dataAs<{ createCountry: { clientMutationId: string; country: Node } }>(
        ALICE,
        `mutation($input: CreateCountryInput!) { createCountry(input: $input) { clientMutationId country { id name alpha2 alpha3 wikidataId } } }`,
        { input: { name: " Chad ", alpha2: "td", alpha3: "tcd", wikidataId: "Q657", clientMutationId: "abc" } },
      );
      expect(data.createCountry).toEqual({
        clientMutationId: "abc",
        country: { id: expect.any(String), name: "Chad", alpha2: "TD", alpha3: "TCD", wikidataId: "Q657" },
      });
      expect((await kb.data<{ country: Node }>(`{ country(code: "tcd") { id } }`)).country.id).toBe(data.createCountry.country.id);
    });

    it("changes only the fields given and clears a nullable one with null", async () => {
      const { country } = await edit(CREATE_COUNTRY, { name: "Niger", alpha2: "NE", alpha3: "NER", wikidataId: "Q1032" });
      const changed = await edit(UPDATE_COUNTRY, { id: country.id, wikidataId: null });
      expect(changed.country).toEqual({ id: country.id, name: "Niger", alpha2: "NE", alpha3: "NER", wikidataId: null });
    });

    it("deletes one nothing refers to", async () => {
      const { country } = await edit(CREATE_COUNTRY, { name: "Mali", alpha2: "ML", alpha3: "MLI" });
      expect(await edit(DELETE_COUNTRY, { id: country.id })).toEqual({ deletedId: country.id, cascadedIds: [] });
      expect(await node(country.id)).toBeNull();
    });
  });

  describe("organizations", () => {
    it("creates one inside another, in a country", async () => {
      const { organization: parent } = await edit(CREATE_ORGANIZATION, { name: "Parent Body", kind: "GOVERNMENT", countryId: RUSSIA });
      const { organization } = await edit(CREATE_ORGANIZATION, {
        name: "Child Body",
        aliases: ["CB", " CB ", "Child"],
        kind: "RESEARCH",
        description: "A part",
        parentId: parent.id,
        wikidataId: "Q999999991",
      });
      expect(organization).toMatchObject({ name: "Child Body", aliases: ["CB", "Child"], kind: "RESEARCH", parent: { name: "Parent Body" }, country: null });
      const nested = await kb.data<{ node: { subOrganizations: { nodes: Node[] } } }>(
        `query($id: ID!) { node(id: $id) { ... on Organization { subOrganizations { nodes { id } } } } }`,
        { id: parent.id },
      );
      expect(nested.node.subOrganizations.nodes).toEqual([{ id: organization.id }]);
    });

    it("moves one to another parent and clears its country", async () => {
      const { organization: parent } = await edit(CREATE_ORGANIZATION, { name: "New Home", kind: "OTHER" });
      const { organization } = await edit(CREATE_ORGANIZATION, { name: "Mover", kind: "OTHER", countryId: RUSSIA });
      const moved = await edit(UPDATE_ORGANIZATION, { id: organization.id, parentId: parent.id, countryId: null });
      expect(moved.organization).toMatchObject({ parent: { name: "New Home" }, country: null, kind: "OTHER" });
    });
  });

  describe("people", () => {
    it("drops an alias that is the name on update, whether the aliases or the name change", async () => {
      const { person } = await edit(CREATE_PERSON, { name: "Case Check", aliases: ["CC3", "Checker"] });
      const aliases = await edit(UPDATE_PERSON, { id: person.id, aliases: ["CASE CHECK", "CC2"] });
      expect(aliases.person).toMatchObject({ name: "Case Check", aliases: ["CC2"] });
      await edit(UPDATE_PERSON, { id: person.id, aliases: ["CC3", "Checker"] });
      const renamed = await edit(UPDATE_PERSON, { id: person.id, name: "cc3" });
      expect(renamed.person).toMatchObject({ name: "cc3", aliases: ["Checker"] });
      const untouched = await edit(UPDATE_PERSON, { id: person.id, name: "Case Check" });
      expect(untouched.person).toMatchObject({ name: "Case Check", aliases: ["Checker"] });
    });

    it("creates one with trimmed name and aliases, repeats and the name itself dropped ignoring case", async () => {
      const data = await edit<{ clientMutationId: string | null; person: Node }>(CREATE_PERSON, {
        name: "  Ada Example ",
        aliases: ["Ada", " Ada ", "ADA", "ada example", "A. Example"],
        description: " An example ",
        countryId: RUSSIA,
      });
      expect(data).toEqual({
        clientMutationId: null,
        person: { id: expect.any(String), name: "Ada Example", aliases: ["Ada", "A. Example"], description: "An example", wikidataId: null, country: { name: "Russia" } },
      });
    });

    it("changes one field and leaves the others as they were", async () => {
      const { person } = await edit(CREATE_PERSON, { name: "Partial Update", aliases: ["PU"], countryId: RUSSIA });
      const changed = await edit(UPDATE_PERSON, { id: person.id, description: "Now described" });
      expect(changed.person).toMatchObject({ name: "Partial Update", aliases: ["PU"], description: "Now described", country: { name: "Russia" } });
      const cleared = await edit(UPDATE_PERSON, { id: person.id, countryId: null, aliases: [] });
      expect(cleared.person).toMatchObject({ aliases: [], description: "Now described", country: null });
    });

    it("writes nothing, not even updatedAt or a log entry, for an update that changes nothing", async () => {
      const { person } = await edit(CREATE_PERSON, { name: "Unchanged", description: "Same" });
      const before = await fingerprint(kb.db);
      const result = await edit(UPDATE_PERSON, { id: person.id, name: " Unchanged ", description: "Same" });
      expect(result.person).toMatchObject({ name: "Unchanged", description: "Same" });
      expect(await fingerprint(kb.db)).toBe(before);
    });

    it("deletes one together with their positions, each logged", async () => {
      const { person } = await edit(CREATE_PERSON, { name: "Office Holder" });
      const { position } = await edit(CREATE_POSITION, { personId: person.id, title: "Minister", evidence: { articleId: SEED_ARTICLE, startOffset: 0, endOffset: 10 } });
      const deleted = await edit(DELETE_PERSON, { id: person.id });
      expect(deleted).toEqual({ deletedId: person.id, cascadedIds: [position.id] });
      expect(await node(position.id)).toBeNull();
      expect((await history(position.id)).map((e) => [e.action, e.mutation])).toEqual([
        ["DELETE", "deletePerson"],
        ["CREATE", "createPosition"],
      ]);
    });
  });

  describe("articles", () => {
    it("creates one with the body exactly as given and language en by default", async () => {
      const body = "\n  Indented first line.\nSecond line.  \n";
      const { article } = await edit(CREATE_ARTICLE, { url: "https://example.com/exact", title: " Exact ", publisher: "P", publishedAt: "2020-02-29", body });
      expect(article).toMatchObject({ url: "https://example.com/exact", title: "Exact", byline: null, publishedAt: "2020-02-29", body, language: "en" });
    });

    it("accepts a new body that keeps every quote and position true", async () => {
      const { article } = await edit(CREATE_ARTICLE, { url: "https://example.com/grow", title: "Grow", publisher: "P", publishedAt: "2020-01-01", body: "He said “yes.”" });
      await edit(CREATE_QUOTE, { text: "yes.", kind: "DIRECT", evidence: { articleId: article.id, startOffset: 9, endOffset: 13 } });
      const grown = await edit(UPDATE_ARTICLE, { id: article.id, body: "He said “yes.” Then he left.", byline: "By Someone" });
      expect(grown.article).toMatchObject({ body: "He said “yes.” Then he left.", byline: "By Someone" });
    });

    it("treats the scheme and host of a URL as case-insensitive, and its path as given", async () => {
      const fields = { title: "Case", publisher: "P", publishedAt: "2020-01-01", body: "Body." };
      const { article } = await edit(CREATE_ARTICLE, { ...fields, url: "HTTPS://News.EXAMPLE/Path?Q=1" });
      expect(article).toMatchObject({ url: "https://news.example/Path?Q=1" });
      const again = await kb.runAs(ALICE, CREATE_ARTICLE, { input: { ...fields, url: "https://NEWS.example/Path?Q=1" } });
      expect(firstError(again).extensions.validationErrors).toEqual([{ field: "input.url", rule: "unique", message: expect.any(String) }]);
      const found = await kb.data<{ article: { id: string } | null }>(`query($u: String!) { article(url: $u) { id } }`, { u: " https://NEWS.EXAMPLE/Path?Q=1 " });
      expect(found.article?.id).toBe(article.id);
      const otherPath = await edit(CREATE_ARTICLE, { ...fields, url: "https://news.example/path?Q=1" });
      expect(otherPath.article).toMatchObject({ url: "https://news.example/path?Q=1" });
    });

    it("refuses a new body that changes what a position or a paraphrase stands on", async () => {
      const body = "Minister Alpha said we would win.";
      const { article } = await edit(CREATE_ARTICLE, { url: "https://example.com/shift", title: "Shift", publisher: "P", publishedAt: "2020-01-01", body });
      const evidence = (startOffset: number, endOffset: number) => ({ articleId: article.id, startOffset, endOffset });
      await edit(CREATE_POSITION, { personId: G("Person", 1), title: "Minister", evidence: evidence(0, 8) });
      await edit(CREATE_QUOTE, { text: "we would win", kind: "PARAPHRASE", evidence: evidence(20, 32) });
      for (const changed of ["Ministry Alpha said we would win.", "Minister Alpha said we would lose", "Minister Alpha said we could win."]) {
        const refused = await kb.runAs(ALICE, UPDATE_ARTICLE, { input: { id: article.id, body: changed } });
        expect(firstError(refused).extensions.validationErrors).toEqual([{ field: "input.body", rule: "evidenceStillHolds", message: expect.any(String) }]);
      }
      // Text outside every range may change.
      const fixed = await edit(UPDATE_ARTICLE, { id: article.id, body: "Minister Beta! said we would win." });
      expect(fixed.article).toMatchObject({ body: "Minister Beta! said we would win." });
    });

    it("deletes one with its quotes and positions, each logged", async () => {
      const { article } = await edit(CREATE_ARTICLE, { url: "https://example.com/doomed", title: "Doomed", publisher: "P", publishedAt: "2020-01-01", body: "Alpha said “beta.”" });
      const evidence = (startOffset: number, endOffset: number) => ({ articleId: article.id, startOffset, endOffset });
      const { quote } = await edit(CREATE_QUOTE, { text: "beta.", kind: "DIRECT", speakerId: G("Person", 1), evidence: evidence(12, 17) });
      const { position } = await edit(CREATE_POSITION, { personId: G("Person", 1), title: "Alpha", evidence: evidence(0, 5) });
      const deleted = await edit(DELETE_ARTICLE, { id: article.id });
      expect(deleted).toEqual({ deletedId: article.id, cascadedIds: [quote.id, position.id] });
      for (const id of [article.id, quote.id, position.id]) {
        expect(await node(id)).toBeNull();
        expect((await history(id))[0]).toMatchObject({ action: "DELETE", mutation: "deleteArticle", after: null });
      }
    });
  });

  describe("quotes and positions", () => {
    it("creates a direct quote whose text is its evidence, and shows it from both sides", async () => {
      const { person } = await edit(CREATE_PERSON, { name: "Quoted Speaker" });
      const { quote } = await edit(CREATE_QUOTE, {
        text: "phone diplomacy",
        kind: "DIRECT",
        speakerId: person.id,
        evidence: { articleId: SEED_ARTICLE, startOffset: 2942, endOffset: 2957 },
      });
      expect(quote).toMatchObject({ text: "phone diplomacy", kind: "DIRECT", speaker: { name: "Quoted Speaker" }, evidence: { text: "phone diplomacy" } });
      const back = await kb.data<{ node: { quotes: { nodes: Node[] } } }>(`query($id: ID!) { node(id: $id) { ... on Person { quotes { nodes { id } } } } }`, { id: person.id });
      expect(back.node.quotes.nodes).toEqual([{ id: quote.id }]);
    });

    it("moves a quote to another range and speaker, and checks the result as a whole", async () => {
      const { quote } = await edit(CREATE_QUOTE, { text: "the so", kind: "PARAPHRASE", evidence: { articleId: SEED_ARTICLE, startOffset: 1100, endOffset: 1106 } });
      const moved = await edit(UPDATE_QUOTE, {
        id: quote.id,
        kind: "DIRECT",
        text: "off balance",
        speakerId: G("Person", 2),
        evidence: { articleId: SEED_ARTICLE, startOffset: 1156, endOffset: 1167 },
      });
      expect(moved.quote).toEqual({ id: quote.id, text: "off balance", kind: "DIRECT", speaker: { name: "Vladimir Putin" }, evidence: { startOffset: 1156, endOffset: 1167, text: "off balance" } });
      const shifted = await kb.runAs(ALICE, UPDATE_QUOTE, { input: { id: quote.id, evidence: { articleId: SEED_ARTICLE, startOffset: 1157, endOffset: 1168 } } });
      expect(firstError(shifted).extensions.validationErrors).toEqual([{ field: "input.text", rule: "matchesEvidence", message: expect.any(String) }]);
    });

    it("creates, changes and deletes a position with dates at any precision", async () => {
      const { position } = await edit(CREATE_POSITION, {
        personId: G("Person", 8),
        title: " Leader ",
        countryId: G("Country", 2),
        startDate: "1969-09",
        endDate: "2011-10-20",
        evidence: { articleId: SEED_ARTICLE, startOffset: 2339, endOffset: 2383 },
      });
      expect(position).toMatchObject({ title: "Leader", startDate: "1969-09", endDate: "2011-10-20", person: { name: "Moammar Qaddafi" }, country: { name: "Libya" } });
      const changed = await edit(UPDATE_POSITION, { id: position.id, startDate: "1969", endDate: null });
      expect(changed.position).toMatchObject({ title: "Leader", startDate: "1969", endDate: null });
      expect(await edit(DELETE_POSITION, { id: position.id })).toEqual({ deletedId: position.id, cascadedIds: [] });
      const { quote } = await edit(CREATE_QUOTE, { text: "x", kind: "PARAPHRASE", evidence: { articleId: SEED_ARTICLE, startOffset: 5, endOffset: 9 } });
      expect(await edit(DELETE_QUOTE, { id: quote.id })).toEqual({ deletedId: quote.id, cascadedIds: [] });
    });
  });

  describe("delete rules", () => {
    it("refuses to delete a country while anything refers to it, naming every kind of dependent", async () => {
      const before = await fingerprint(kb.db);
      const result = await kb.runAs(ALICE, DELETE_COUNTRY, { input: { id: RUSSIA } });
      const error = firstError(result);
      const counts = async (sql: string): Promise<number> => (await kb.db.get<{ n: number }>(sql, [1]))?.n ?? 0;
      expect(error.extensions.code).toBe("CONFLICT");
      expect(error.extensions.dependents).toEqual([
        { type: "Person", field: "country", count: await counts(`SELECT COUNT(*) AS n FROM person WHERE "countryId" = ?`), ids: expect.any(Array) },
        { type: "Organization", field: "country", count: await counts(`SELECT COUNT(*) AS n FROM organization WHERE "countryId" = ?`), ids: expect.any(Array) },
        { type: "Position", field: "country", count: await counts(`SELECT COUNT(*) AS n FROM position WHERE "countryId" = ?`), ids: expect.any(Array) },
        { type: "Quote", field: "speakerCountry", count: 1, ids: [G("Quote", 1)] },
      ]);
      expect(error.message).toMatch(/^Country "Russia" cannot be deleted while \d+ people \(as country\), \d+ organizations \(as country\), \d+ positions \(as country\), 1 quote \(as speakerCountry\) refer to it/);
      expect(result.data).toEqual({ deleteCountry: null });
      expect(await fingerprint(kb.db)).toBe(before);
    });

    it("refuses to delete an organization that has parts, positions or quotes", async () => {
      const un = firstError(await kb.runAs(ALICE, DELETE_ORGANIZATION, { input: { id: G("Organization", 2) } }));
      expect(un.extensions).toMatchObject({ code: "CONFLICT", dependents: [{ type: "Organization", field: "parent", count: 1, ids: [G("Organization", 3)] }] });
      const kremlin = firstError(await kb.runAs(ALICE, DELETE_ORGANIZATION, { input: { id: G("Organization", 1) } }));
      expect(kremlin.extensions.dependents).toEqual([{ type: "Quote", field: "speakerOrganization", count: 1, ids: [G("Quote", 8)] }]);
    });

    it("refuses to delete a person while quotes name them as speaker, and keeps their positions", async () => {
      const before = await fingerprint(kb.db);
      const error = firstError(await kb.runAs(ALICE, DELETE_PERSON, { input: { id: G("Person", 11) } }));
      expect(error.extensions).toMatchObject({ code: "CONFLICT", dependents: [{ type: "Quote", field: "speaker", count: 2, ids: [G("Quote", 13), G("Quote", 14)] }] });
      expect(error.message).toBe('Person "Elena Suponina" cannot be deleted while 2 quotes (as speaker) refer to it; change or delete them first');
      expect(await fingerprint(kb.db)).toBe(before);
    });

    it("deletes an organization once its dependents are gone", async () => {
      const { organization } = await edit(CREATE_ORGANIZATION, { name: "Short Lived", kind: "OTHER" });
      const { position } = await edit(CREATE_POSITION, { personId: G("Person", 3), title: "Member", organizationId: organization.id, evidence: { articleId: SEED_ARTICLE, startOffset: 10, endOffset: 20 } });
      expect(firstError(await kb.runAs(ALICE, DELETE_ORGANIZATION, { input: { id: organization.id } })).extensions.code).toBe("CONFLICT");
      await edit(DELETE_POSITION, { id: position.id });
      expect(await edit(DELETE_ORGANIZATION, { id: organization.id })).toEqual({ deletedId: organization.id, cascadedIds: [] });
    });

    it("never leaves a reference dangling: the database holds no orphan after all of this", async () => {
      const orphans = await kb.db.all(
        `SELECT 'position' AS t, id FROM position WHERE "personId" NOT IN (SELECT id FROM person) OR "articleId" NOT IN (SELECT id FROM article)
         UNION ALL SELECT 'quote', id FROM quote WHERE "articleId" NOT IN (SELECT id FROM article) OR "speakerId" NOT IN (SELECT id FROM person)
         UNION ALL SELECT 'organization', id FROM organization WHERE "parentId" NOT IN (SELECT id FROM organization)`,
      );
      expect(orphans).toEqual([]);
    });

    itOnSqlite("never leaves a reference dangling: SQLite's own foreign-key check finds nothing", async () => {
      expect(await kb.db.all(`PRAGMA foreign_key_check`)).toEqual([]);
    });

    // PostgreSQL checks every foreign key on every write and cannot be asked again afterwards;
    // what can be checked is that the keys are there and none was added unchecked (NOT VALID).
    itOnPostgres("never leaves a reference dangling: PostgreSQL's foreign keys are all in force", async () => {
      const keys = await kb.db.all<{ table: string; validated: boolean }>(
        `SELECT t.relname AS "table", k.convalidated AS validated FROM pg_constraint k JOIN pg_class t ON t.oid = k.conrelid WHERE k.contype = 'f' AND k.connamespace = 'public'::regnamespace`,
      );
      expect(keys.map((k) => k.table)).toEqual(expect.arrayContaining(["position", "quote", "organization"]));
      expect(keys.filter((k) => !k.validated)).toEqual([]);
    });
  });

  describe("addArticle", () => {
    const body = "Ann Able, head of the Able Group in Chad, said the plan was “workable.” Russia disagreed, Bo Baker reported.";
    const at = (text: string) => ({ startOffset: body.indexOf(text), endOffset: body.indexOf(text) + text.length });

    function input(extra: Record<string, unknown> = {}): Record<string, unknown> {
      return {
        url: "https://example.com/add-article",
        title: "Plan",
        publisher: "Example",
        publishedAt: "2021-03-04",
        body,
        countries: [{ ref: "chad", name: "Chad Republic", alpha2: "GA", alpha3: "GAB" }],
        organizations: [
          { ref: "group", name: "Able Group", kind: "COMPANY", country: { ref: "chad" } },
          { ref: "unit", name: "Able Group Unit", kind: "COMPANY", parent: { ref: "group" } },
        ],
        people: [
          { ref: "ann", name: "Ann Able", aliases: ["Able"], country: { ref: "chad" } },
          { ref: "bo", name: "Bo Baker", country: { id: RUSSIA } },
        ],
        positions: [{ person: { ref: "ann" }, title: "Head", organization: { ref: "group" }, evidence: at("Ann Able, head of the Able Group") }],
        quotes: [
          { text: "workable.", kind: "DIRECT", speaker: { ref: "ann" }, evidence: at("workable.") },
          { text: "Russia disagreed", kind: "PARAPHRASE", speakerCountry: { id: RUSSIA }, evidence: at("Russia disagreed") },
        ],
        ...extra,
      };
    }

    it("writes nothing at all when its last entry is refused", async () => {
      const before = await fingerprint(kb.db);
      const bad = input();
      (bad.quotes as Array<Record<string, unknown>>).push({ text: "not in the body", kind: "DIRECT", evidence: at("Bo Baker") });
      const result = await kb.runAs(ALICE, ADD_ARTICLE, { input: bad });
      expect(firstError(result).extensions.validationErrors).toEqual([{ field: "input.quotes[2].text", rule: "matchesEvidence", message: expect.any(String) }]);
      expect(await fingerprint(kb.db)).toBe(before);
    });

    it("adds an article with new and existing records in one transaction, returning them in input order", async () => {
      const added = await edit<Record<string, unknown>>(ADD_ARTICLE, input());
      expect(added).toMatchObject({
        article: { url: "https://example.com/add-article" },
        countries: [{ name: "Chad Republic" }],
        organizations: [{ name: "Able Group", parent: null }, { name: "Able Group Unit", parent: { name: "Able Group" } }],
        people: [{ name: "Ann Able", country: { name: "Chad Republic" } }, { name: "Bo Baker", country: { name: "Russia" } }],
        positions: [{ title: "Head", person: { name: "Ann Able" }, evidence: { text: "Ann Able, head of the Able Group" } }],
        quotes: [
          { text: "workable.", kind: "DIRECT", speaker: { name: "Ann Able" }, evidence: { text: "workable." } },
          { text: "Russia disagreed", kind: "PARAPHRASE", speaker: null, evidence: { text: "Russia disagreed" } },
        ],
      });
      const articleId = (added.article as Node).id;
      const nested = await kb.data<{ node: { quotes: { totalCount: number }; positions: { totalCount: number } } }>(
        `query($id: ID!) { node(id: $id) { ... on Article { quotes { totalCount } positions { totalCount } } } }`,
        { id: articleId },
      );
      expect(nested.node).toEqual({ quotes: { totalCount: 2 }, positions: { totalCount: 1 } });

      const log = await kb.dataAs<{ edits: { nodes: EditNode[] } }>(ALICE, `{ edits(first: 9) { nodes { ${EDIT_FIELDS} } } }`);
      expect(log.edits.nodes.map((e) => e.entityType).reverse()).toEqual(["Article", "Country", "Organization", "Organization", "Person", "Person", "Position", "Quote", "Quote"]);
      expect(new Set(log.edits.nodes.map((e) => `${e.mutation} ${e.editor} ${e.action} ${e.createdAt}`)).size).toBe(1);
      expect(log.edits.nodes[0].mutation).toBe("addArticle");
    });
  });

  describe("the edit log", () => {
    it("records who, when, what, and the record before and after each change", async () => {
      const started = Date.now();
      const { person } = await edit(CREATE_PERSON, { name: "Logged Once", countryId: RUSSIA });
      await edit(UPDATE_PERSON, { id: person.id, description: "Described" }, BOB);
      await edit(DELETE_PERSON, { id: person.id });
      const [deleted, updated, created] = await history(person.id);
      expect(created).toMatchObject({ editor: "alice", action: "CREATE", mutation: "createPerson", entityType: "Person", entityId: person.id, before: null });
      expect(created.after).toMatchObject({ id: person.id, name: "Logged Once", description: null, countryId: RUSSIA, aliases: [] });
      expect(updated).toMatchObject({ editor: "bob", action: "UPDATE", before: { description: null }, after: { description: "Described", name: "Logged Once" } });
      expect(deleted).toMatchObject({ editor: "alice", action: "DELETE", before: { description: "Described" }, after: null });
      for (const entry of [created, updated, deleted]) {
        expect(Date.parse(entry.createdAt)).toBeGreaterThanOrEqual(started - 1000);
        expect(Date.parse(entry.createdAt)).toBeLessThanOrEqual(Date.now());
      }
    });

    it("keeps deleted facts findable, with everything needed to re-create them", async () => {
      const original = await kb.data<{ node: { text: string } }>(`query($id: ID!) { node(id: $id) { ... on Quote { text } } }`, { id: G("Quote", 5) });
      await edit(DELETE_QUOTE, { id: G("Quote", 5) });
      const deletions = await kb.dataAs<{ edits: { nodes: EditNode[] } }>(ALICE, `{ edits(action: DELETE, first: 1) { nodes { ${EDIT_FIELDS} entity { id } } } }`);
      const [entry] = deletions.edits.nodes;
      expect(entry).toMatchObject({ entityType: "Quote", entityId: G("Quote", 5), entity: null });
      const before = entry.before as { text: string; kind: string; speakerId: string; evidence: Record<string, unknown> };
      expect(before.text).toBe(original.node.text);
      const restored = await edit(CREATE_QUOTE, { text: before.text, kind: before.kind, speakerId: before.speakerId, evidence: before.evidence });
      expect(restored.quote).toMatchObject({ text: "immediate halt", speaker: { name: "Michael Pompeo" }, evidence: { startOffset: 1565, endOffset: 1579 } });
    });

    it("lists edits newest first, page by page, and filters by editor", async () => {
      const all = await kb.dataAs<{ edits: { totalCount: number; nodes: Array<{ databaseId: number }> } }>(ALICE, `{ edits(first: 100) { totalCount nodes { databaseId } } }`);
      const ids = all.edits.nodes.map((n) => n.databaseId);
      expect(ids).toEqual([...ids].sort((a, b) => b - a));
      const first = await kb.dataAs<{ edits: { pageInfo: { endCursor: string } } }>(ALICE, `{ edits(first: 3) { pageInfo { endCursor } } }`);
      const next = await kb.dataAs<{ edits: { nodes: Array<{ databaseId: number }> } }>(ALICE, `query($after: String) { edits(first: 3, after: $after) { nodes { databaseId } } }`, {
        after: first.edits.pageInfo.endCursor,
      });
      expect(next.edits.nodes.map((n) => n.databaseId)).toEqual(ids.slice(3, 6));
      const bobs = await kb.dataAs<{ edits: { totalCount: number; nodes: EditNode[] } }>(BOB, `{ edits(editor: "bob") { totalCount nodes { editor } } }`);
      expect(bobs.edits.totalCount).toBeGreaterThan(0);
      expect(new Set(bobs.edits.nodes.map((n) => n.editor))).toEqual(new Set(["bob"]));
      expect(firstError(await kb.runAs(ALICE, `{ edits(entityId: "nonsense") { totalCount } }`)).extensions).toMatchObject({ code: "BAD_USER_INPUT", argument: "entityId" });
    });

    it("makes every edit a node that node(id:) fetches again", async () => {
      const data = await kb.dataAs<{ edits: { nodes: Array<{ id: string; databaseId: number }> } }>(ALICE, `{ edits(first: 1) { nodes { id databaseId } } }`);
      const [latest] = data.edits.nodes;
      const fetched = await kb.dataAs<{ node: { __typename: string; id: string; databaseId: number } }>(
        ALICE,
        `query($id: ID!) { node(id: $id) { __typename id ... on Edit { databaseId } } }`,
        { id: latest.id },
      );
      expect(fetched.node).toEqual({ __typename: "Edit", ...latest });
    });
  });

  describe("consistency after writes", () => {
    it("shows a write in counts, nested lists, look-ups and search in the next request", async () => {
      const counts = `{ people { totalCount } country(code: "RU") { people { totalCount nodes { name } } } }`;
      const before = await kb.data<{ people: { totalCount: number }; country: { people: { totalCount: number; nodes: Array<{ name: string }> } } }>(counts);
      const { person } = await edit(CREATE_PERSON, { name: "Zebulon Quaxley", aliases: ["Quax"], countryId: RUSSIA });
      const after = await kb.data<typeof before>(counts);
      expect(after.people.totalCount).toBe(before.people.totalCount + 1);
      expect(after.country.people.totalCount).toBe(before.country.people.totalCount + 1);
      expect(after.country.people.nodes.map((p) => p.name)).toContain("Zebulon Quaxley");
      expect((await kb.data<{ person: Node | null }>(`{ person(name: "quax") { id } }`)).person).toEqual({ id: person.id });

      const search = `{ search(query: "Quaxley") { totalCount } }`;
      expect(await kb.data(search)).toEqual({ search: { totalCount: 1 } });
      await edit(UPDATE_PERSON, { id: person.id, name: "Zebulon Renamed", aliases: [] });
      expect(await kb.data(search)).toEqual({ search: { totalCount: 0 } });
      expect((await kb.data<{ person: Node | null }>(`{ person(name: "quax") { id } }`)).person).toBeNull();
      await edit(DELETE_PERSON, { id: person.id });
      expect((await kb.data<typeof before>(counts)).people.totalCount).toBe(before.people.totalCount);
    });

    it("shows a write to the later fields of the same request, past the DataLoader caches", async () => {
      const { person } = await edit(CREATE_PERSON, { name: "Same Request", description: "old" });
      type Payload = { person: { description: string } };
      const data = await kb.dataAs<{ before: Payload; change: Payload; after: Payload; gone: { deletedId: string } }>(
        ALICE,
        `mutation($id: ID!) {
          before: updatePerson(input: { id: $id }) { person { description } }
          change: updatePerson(input: { id: $id, description: "new" }) { person { description } }
          after: updatePerson(input: { id: $id }) { person { description } }
          gone: deletePerson(input: { id: $id }) { deletedId }
        }`,
        { id: person.id },
      );
      expect(data).toEqual({
        before: { person: { description: "old" } },
        change: { person: { description: "new" } },
        after: { person: { description: "new" } },
        gone: { deletedId: person.id },
      });
      expect(await node(person.id)).toBeNull();
    });

    it("keeps the results of the mutations of a request that succeeded when a later one fails", async () => {
      const result = await kb.runAs(
        ALICE,
        `mutation { ok: createPerson(input: { name: "First Of Two" }) { person { name } } bad: createPerson(input: { name: "First Of Two" }) { person { name } } }`,
      );
      expect(result.data).toEqual({ ok: { person: { name: "First Of Two" } }, bad: null });
      expect(firstError(result).extensions.code).toBe("BAD_USER_INPUT");
      expect(await kb.db.all(`SELECT name FROM person WHERE name = 'First Of Two'`)).toEqual([{ name: "First Of Two" }]);
    });
  });
});
