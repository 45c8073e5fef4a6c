import { toGlobalId } from "../src/model/global-id";
import { createTestServer, TestServer } from "./helpers";

const TYPES = ["Article", "Country", "Organization", "Person", "Position", "Quote"] as const;
const LISTS: Record<(typeof TYPES)[number], string> = {
  Article: "articles",
  Country: "countries",
  Organization: "organizations",
  Person: "people",
  Position: "positions",
  Quote: "quotes",
};

describe("the Node interface", () => {
  let kb: TestServer;

  beforeAll(async () => {
    kb = await createTestServer();
  });
  afterAll(async () => {
    await kb.close();
  });

  it.each(TYPES)("round-trips every %s through node(id:)", async (type) => {
    const list = await kb.data<Record<string, { nodes: Array<{ id: string; databaseId: number; __typename: string }> }>>(
      `{ list: ${LISTS[type]}(first: 100) { nodes { id databaseId __typename } } }`,
    );
    expect(list.list.nodes.length).toBeGreaterThan(0);
    for (const item of list.list.nodes) {
      expect(item.__typename).toBe(type);
      const fetched = await kb.data<{ node: { id: string; databaseId: number; __typename: string } }>(
        `query($id: ID!) { node(id: $id) { id __typename ... on ${type} { databaseId } } }`,
        { id: item.id },
      );
      expect(fetched.node).toEqual({ id: item.id, databaseId: item.databaseId, __typename: type });
    }
  });

  it("issues IDs that are unique across types and opaque", async () => {
    const data = await kb.data<Record<string, { nodes: Array<{ id: string }> }>>(
      `{ ${TYPES.map((t) => `${t}: ${LISTS[t]}(first: 100) { nodes { id } }`).join(" ")} }`,
    );
    const ids = Object.values(data).flatMap((list) => list.nodes.map((n) => n.id));
    expect(new Set(ids).size).toBe(ids.length);
    for (const id of ids) expect(id).not.toMatch(/^\d+$/);
  });

  it("fetches several nodes in the order asked, with null for unknown ones", async () => {
    const person = toGlobalId("Person", 1);
    const country = toGlobalId("Country", 1);
    const missing = toGlobalId("Quote", 999_999);
    const data = await kb.data<{ nodes: Array<{ id: string } | null> }>(
      `query($ids: [ID!]!) { nodes(ids: $ids) { id } }`,
      { ids: [country, missing, person] },
    );
    expect(data.nodes).toEqual([{ id: country }, null, { id: person }]);
  });

  it("returns null for a well-formed ID that names nothing", async () => {
    const result = await kb.run(`query($id: ID!) { node(id: $id) { id } }`, { id: toGlobalId("Person", 424242) });
    expect(result.errors).toBeUndefined();
    expect(result.data).toEqual({ node: null });
  });

  it.each([
    ["garbage", "not-an-id!"],
    ["base64 of nonsense", Buffer.from("hello world").toString("base64url")],
    ["an unknown type", Buffer.from("Spaceship:1").toString("base64url")],
    ["a non-numeric key", Buffer.from("Person:abc").toString("base64url")],
    ["a zero key", Buffer.from("Person:0").toString("base64url")],
    ["a raw database id", "1"],
    ["an empty string", ""],
  ])("rejects %s as a malformed ID with BAD_USER_INPUT", async (_label, id) => {
    const result = await kb.run(`query($id: ID!) { node(id: $id) { id } }`, { id });
    expect(result.data).toEqual({ node: null });
    expect(result.errors?.[0].extensions?.code).toBe("BAD_USER_INPUT");
    expect(result.errors?.[0].message).toMatch(/not a valid node ID/);
  });

  it("rejects more than a hundred IDs at once", async () => {
    const ids = Array.from({ length: 101 }, (_, i) => toGlobalId("Person", i + 1));
    const result = await kb.run(`query($ids: [ID!]!) { nodes(ids: $ids) { id } }`, { ids });
    expect(result.errors?.[0].extensions?.code).toBe("BAD_USER_INPUT");
  });
});
