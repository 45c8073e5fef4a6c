import { Writable } from "node:stream";
import pino from "pino";
import { authenticate } from "../src/auth";
import { ConfigError, loadConfig } from "../src/config";
import { createContext } from "../src/context";
import { toGlobalId } from "../src/model/global-id";
import { Database } from "../src/storage/database";
import { createServer } from "../src/server";
import { ALICE, BOB, CREATE_PERSON, EDITORS, fingerprint, firstError } from "./editing-helpers";
import { createTestServer, postGraphql, tempDir, TestServer } from "./helpers";

const SEED_ARTICLE = toGlobalId("Article", 1);
const PERSON = toGlobalId("Person", 1);

/** One call of every mutation, with valid input, so that only authentication can refuse it. */
const EVERY_MUTATION: Array<[string, string]> = [
  ["createArticle", `createArticle(input: { url: "https://example.com/a", title: "T", publisher: "P", publishedAt: "2020-01-01", body: "Body" }) { article { id } }`],
  ["updateArticle", `updateArticle(input: { id: "${SEED_ARTICLE}", title: "New" }) { article { id } }`],
  ["deleteArticle", `deleteArticle(input: { id: "${SEED_ARTICLE}" }) { deletedId }`],
  ["createCountry", `createCountry(input: { name: "Chad", alpha2: "TD", alpha3: "TCD" }) { country { id } }`],
  ["updateCountry", `updateCountry(input: { id: "${toGlobalId("Country", 1)}", name: "Rus" }) { country { id } }`],
  ["deleteCountry", `deleteCountry(input: { id: "${toGlobalId("Country", 6)}" }) { deletedId }`],
  ["createOrganization", `createOrganization(input: { name: "Org", kind: OTHER }) { organization { id } }`],
  ["updateOrganization", `updateOrganization(input: { id: "${toGlobalId("Organization", 1)}", name: "Org" }) { organization { id } }`],
  ["deleteOrganization", `deleteOrganization(input: { id: "${toGlobalId("Organization", 1)}" }) { deletedId }`],
  ["createPerson", `createPerson(input: { name: "Someone" }) { person { id } }`],
  ["updatePerson", `updatePerson(input: { id: "${PERSON}", description: "x" }) { person { id } }`],
  ["deletePerson", `deletePerson(input: { id: "${toGlobalId("Person", 11)}" }) { deletedId }`],
  ["createPosition", `createPosition(input: { personId: "${PERSON}", title: "T", evidence: { articleId: "${SEED_ARTICLE}", startOffset: 0, endOffset: 5 } }) { position { id } }`],
  ["updatePosition", `updatePosition(input: { id: "${toGlobalId("Position", 1)}", title: "T" }) { position { id } }`],
  ["deletePosition", `deletePosition(input: { id: "${toGlobalId("Position", 1)}" }) { deletedId }`],
  ["createQuote", `createQuote(input: { text: "x", kind: PARAPHRASE, evidence: { articleId: "${SEED_ARTICLE}", startOffset: 0, endOffset: 5 } }) { quote { id } }`],
  ["updateQuote", `updateQuote(input: { id: "${toGlobalId("Quote", 1)}", kind: PARAPHRASE }) { quote { id } }`],
  ["deleteQuote", `deleteQuote(input: { id: "${toGlobalId("Quote", 1)}" }) { deletedId }`],
  ["addArticle", `addArticle(input: { url: "https://example.com/b", title: "T", publisher: "P", publishedAt: "2020-01-01", body: "Body", people: [{ name: "New" }] }) { article { id } }`],
  ["proposeArticle", `proposeArticle(input: { url: "https://example.com/c", title: "T", publisher: "P", publishedAt: "2020-01-01", body: "Body" }) { proposal { id } }`],
  ["acceptCandidates", `acceptCandidates(input: { proposalId: "${toGlobalId("Proposal", 1)}", candidateIds: ["${toGlobalId("Candidate", 1)}"] }) { accepted { id } }`],
  ["acceptProposal", `acceptProposal(input: { proposalId: "${toGlobalId("Proposal", 1)}" }) { accepted { id } }`],
  ["rejectCandidates", `rejectCandidates(input: { proposalId: "${toGlobalId("Proposal", 1)}", candidateIds: ["${toGlobalId("Candidate", 1)}"] }) { rejected { id } }`],
  ["rejectProposal", `rejectProposal(input: { proposalId: "${toGlobalId("Proposal", 1)}" }) { rejected { id } }`],
];

describe("authentication", () => {
  let kb: TestServer;
  let url: string;

  beforeAll(async () => {
    kb = await createTestServer({ env: EDITORS });
    url = await kb.listen();
  });
  afterAll(async () => {
    await kb.close();
  });

  it("covers every mutation of the schema in these tests", async () => {
    const data = await kb.data<{ __schema: { mutationType: { fields: Array<{ name: string }> } } }>(
      `{ __schema { mutationType { fields { name } } } }`,
    );
    expect(data.__schema.mutationType.fields.map((f) => f.name).sort()).toEqual(EVERY_MUTATION.map(([name]) => name).sort());
  });

  it("keeps reads public, with no token and with a wrong one", async () => {
    for (const token of [null, "wrong"]) {
      const result = await kb.runAs(token, `{ people { totalCount } }`);
      expect(result).toEqual({ data: { people: { totalCount: 11 } } });
    }
  });

  it.each(EVERY_MUTATION)("refuses %s without a token as UNAUTHENTICATED and changes nothing", async (name, call) => {
    const before = await fingerprint(kb.db);
    const result = await kb.runAs(null, `mutation { ${call} }`);
    expect(firstError(result).extensions.code).toBe("UNAUTHENTICATED");
    expect(result.data).toEqual({ [name]: null });
    expect(await fingerprint(kb.db)).toBe(before);
  });

  it.each(EVERY_MUTATION)("refuses %s with a wrong token as FORBIDDEN and changes nothing", async (name, call) => {
    const before = await fingerprint(kb.db);
    const result = await kb.runAs("not-the-token", `mutation { ${call} }`);
    expect(firstError(result).extensions.code).toBe("FORBIDDEN");
    expect(result.data).toEqual({ [name]: null });
    expect(await fingerprint(kb.db)).toBe(before);
  });

  it("checks the token before the input, so anonymous clients learn nothing from validation", async () => {
    const result = await kb.runAs(null, CREATE_PERSON, { input: { name: "", wikidataId: "nonsense" } });
    expect(firstError(result).extensions.code).toBe("UNAUTHENTICATED");
  });

  it("treats an Authorization header that is not a bearer token as no token", async () => {
    const query = `mutation { createPerson(input: { name: "Basic Person" }) { person { id } } }`;
    for (const authorization of ["Basic YWxpY2U6czNjcmV0", `Token ${ALICE}`, "Bearer", ""]) {
      const { json } = await postGraphql(url, { query }, { authorization });
      expect(firstError(json).extensions.code).toBe("UNAUTHENTICATED");
    }
  });

  it("accepts each editor's token over HTTP and records who made the change", async () => {
    const create = (name: string, token: string) =>
      postGraphql(url, { query: CREATE_PERSON, variables: { input: { name } } }, { authorization: `Bearer ${token}` });
    const byAlice = await create("Created By Alice", ALICE);
    const byBob = await create("Created By Bob", BOB);
    expect(byAlice.json.errors).toBeUndefined();
    expect(byBob.json.errors).toBeUndefined();
    const edits = await kb.dataAs<{ edits: { nodes: Array<{ editor: string; after: { name: string } }> } }>(
      ALICE,
      `{ edits(first: 2) { nodes { editor after } } }`,
    );
    expect(edits.edits.nodes.map((e) => [e.editor, e.after.name])).toEqual([
      ["bob", "Created By Bob"],
      ["alice", "Created By Alice"],
    ]);
  });

  it("accepts the scheme in any case and surrounding spaces", async () => {
    for (const header of [`bearer ${ALICE}`, `BEARER ${ALICE}`, `  Bearer   ${ALICE}  `]) {
      expect(authenticate(header, kb.config.editorTokens)).toEqual({ kind: "editor", name: "alice" });
    }
  });

  it("tells wrong tokens from right ones of any length, by whole token only", () => {
    const tokens = kb.config.editorTokens;
    expect(authenticate(`Bearer ${BOB}`, tokens)).toEqual({ kind: "editor", name: "bob" });
    for (const wrong of ["s3cre", "s3crett", "S3CRET", "x".repeat(10_000), `${ALICE}${BOB}`]) {
      expect(authenticate(`Bearer ${wrong}`, tokens)).toEqual({ kind: "invalid-token" });
    }
    expect(authenticate(undefined, tokens)).toEqual({ kind: "anonymous", reason: "no header" });
  });

  it("lets only editors read the edit log", async () => {
    await kb.dataAs(ALICE, CREATE_PERSON, { input: { name: "Logged Person" } });
    const anonymous = await kb.runAs(null, `{ edits { totalCount } }`);
    expect(firstError(anonymous).extensions.code).toBe("UNAUTHENTICATED");
    expect(anonymous.data).toBeNull();
    const wrong = await kb.runAs("wrong", `{ edits { totalCount } }`);
    expect(firstError(wrong).extensions.code).toBe("FORBIDDEN");
    const editor = await kb.dataAs<{ edits: { totalCount: number } }>(BOB, `{ edits { totalCount } }`);
    expect(editor.edits.totalCount).toBeGreaterThan(0);
  });

  it("hides the fields of an Edit fetched by node(id:) from anyone but editors", async () => {
    const query = `query($id: ID!) { node(id: $id) { id ... on Edit { editor before after } } }`;
    const variables = { id: toGlobalId("Edit", 1) };
    const anonymous = await kb.runAs(null, query, variables);
    expect(firstError(anonymous).extensions.code).toBe("UNAUTHENTICATED");
    expect(anonymous.data).toEqual({ node: null });
    const editor = await kb.dataAs<{ node: { id: string; editor: string } }>(ALICE, query, variables);
    expect(editor.node).toMatchObject({ id: variables.id, editor: "alice" });
  });

  it("does not tell anyone but editors whether an edit exists", async () => {
    const typename = `query($ids: [ID!]!) { node(id: ${JSON.stringify(toGlobalId("Edit", 1))}) { __typename } nodes(ids: $ids) { __typename } }`;
    for (const id of [1, 999_999]) {
      for (const token of [null, "wrong"]) {
        const result = await kb.runAs(token, typename, { ids: [toGlobalId("Edit", id)] });
        expect(result.errors?.map((e) => e.extensions?.code)).toEqual(Array(2).fill(token === null ? "UNAUTHENTICATED" : "FORBIDDEN"));
      }
    }
    const editor = await kb.dataAs<{ node: { __typename: string }; nodes: Array<{ __typename: string } | null> }>(ALICE, typename, { ids: [toGlobalId("Edit", 999_999)] });
    expect(editor).toEqual({ node: { __typename: "Edit" }, nodes: [null] });
  });
});

describe("a server without editor tokens", () => {
  it("starts read-only, says so in its log and refuses every mutation", async () => {
    const lines: string[] = [];
    const sink = new Writable({
      write(chunk: Buffer, _encoding, done) {
        lines.push(chunk.toString());
        done();
      },
    });
    const config = loadConfig({ NODE_ENV: "test", DATABASE_PATH: `${tempDir()}/kb.sqlite` });
    const db = await Database.open(config.databasePath);
    const server = await createServer({ config, db, logger: pino({ level: "info" }, sink) });
    try {
      expect(lines.join("")).toMatch(/read-only/);
      const before = await fingerprint(db);
      for (const authorization of [undefined, "Bearer anything"]) {
        const response = await server.apollo.executeOperation(
          { query: `mutation { createPerson(input: { name: "Nobody" }) { person { id } } }` },
          { contextValue: createContext(db, config, authorization) },
        );
        const result = response.body.kind === "single" ? response.body.singleResult : null;
        expect(result?.errors?.[0].extensions?.code).toBe(authorization ? "FORBIDDEN" : "UNAUTHENTICATED");
        expect(result?.errors?.[0].message).toMatch(/read-only/);
      }
      expect(await fingerprint(db)).toBe(before);
    } finally {
      await server.stop();
      await db.close();
    }
  });
});

describe("EDITOR_TOKENS", () => {
  it("parses name:token pairs", () => {
    expect(loadConfig({ EDITOR_TOKENS: " alice:s3cret , bob:t0ken:with:colons " }).editorTokens).toEqual([
      { name: "alice", token: "s3cret" },
      { name: "bob", token: "t0ken:with:colons" },
    ]);
  });

  it.each([
    ["an entry without a token", "alice"],
    ["an entry without a name", ":s3cret"],
    ["a name given twice", "alice:one,alice:two"],
    ["a token given twice", "alice:same,bob:same"],
  ])("refuses %s", (_label, value) => {
    expect(() => loadConfig({ EDITOR_TOKENS: value })).toThrow(ConfigError);
  });
});
