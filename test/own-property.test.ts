import { sqliteDialect } from "../src/storage/dialect";
import { compileFilter } from "../src/sql/filter-compiler";
import { resolveOrder } from "../src/sql/orders";
import { BadUserInputError } from "../src/errors";
import type { OrderInput } from "../src/inputs/orders.input";
import { createTestServer, postGraphql, TestServer } from "./helpers";

/**
 * Names that every plain JavaScript object answers through its prototype. A look-up keyed by
 * client input (`name in map`, `map[name]`) once took them for real entries: `node(id:)` with the
 * ID of a `toString` answered INTERNAL_SERVER_ERROR with a stack trace in the log.
 */
const PROTOTYPE_NAMES = ["toString", "constructor", "hasOwnProperty", "valueOf", "isPrototypeOf", "__proto__"] as const;

/** A global ID in the server's own layout ("Type:id" in base64url) naming a prototype property. */
const idOf = (name: string): string => Buffer.from(`${name}:1`, "utf8").toString("base64url");

describe("input naming a property every object inherits", () => {
  let kb: TestServer;
  let url: string;

  beforeAll(async () => {
    kb = await createTestServer({ env: { EDITOR_TOKENS: "alice:s3cret" } });
    url = await kb.listen();
  });
  afterAll(async () => {
    await kb.close();
  });

  it.each(PROTOTYPE_NAMES)("refuses a node ID of the type %s as malformed, with BAD_USER_INPUT", async (name) => {
    const result = await kb.run(`query($id: ID!) { node(id: $id) { id } }`, { id: idOf(name) });
    expect(result.errors?.map((e) => e.extensions?.code)).toEqual(["BAD_USER_INPUT"]);
    expect(result.errors?.[0].message).toMatch(/not a valid node ID/);
    expect(result.data).toEqual({ node: null });
  });

  it.each(PROTOTYPE_NAMES)("refuses such an ID (%s) among others in nodes(ids:), with BAD_USER_INPUT", async (name) => {
    const result = await kb.run(`query($ids: [ID!]!) { nodes(ids: $ids) { id } }`, { ids: [idOf(name)] });
    expect(result.errors?.map((e) => e.extensions?.code)).toEqual(["BAD_USER_INPUT"]);
  });

  it.each(PROTOTYPE_NAMES)("refuses such an ID (%s) in a filter, the edit log and a mutation, with BAD_USER_INPUT", async (name) => {
    const filtered = await kb.run(`query($id: ID!) { quotes(filter: { speaker: { id: { eq: $id } } }) { totalCount } }`, { id: idOf(name) });
    expect(filtered.errors?.map((e) => e.extensions?.code)).toEqual(["BAD_USER_INPUT"]);
    const edits = await kb.runAs("s3cret", `query($id: ID!) { edits(entityId: $id) { totalCount } }`, { id: idOf(name) });
    expect(edits.errors?.map((e) => e.extensions?.code)).toEqual(["BAD_USER_INPUT"]);
    const deleted = await kb.runAs("s3cret", `mutation($id: ID!) { deletePerson(input: { id: $id }) { deletedId } }`, { id: idOf(name) });
    expect(deleted.errors?.map((e) => e.extensions?.code)).toEqual(["BAD_USER_INPUT"]);
  });

  it.each(PROTOTYPE_NAMES)("refuses such an ID (%s) over HTTP with a 200 and BAD_USER_INPUT, not a 500", async (name) => {
    const { status, json } = await postGraphql(url, { query: `query($id: ID!) { node(id: $id) { id } }`, variables: { id: idOf(name) } });
    expect(status).toBe(200);
    expect(json.errors?.[0].extensions?.code).toBe("BAD_USER_INPUT");
  });

  it.each(PROTOTYPE_NAMES)("counts the default page size of a variable named $%s toward the node limit", async (name) => {
    const query = `query($${name}: Int = 49) { countries(first: 100) { nodes { people(first: 100) { nodes { quotes(first: $${name}) { nodes { text } } } } } } }`;
    const over = await kb.run(query);
    expect(over.errors?.[0].extensions).toMatchObject({ code: "QUERY_TOO_COMPLEX", nodes: 500_100 });
  });

  it.each(PROTOTYPE_NAMES)("answers a playground asset named %s with the coded JSON 404", async (name) => {
    const response = await fetch(new URL(`/playground/${name}`, url));
    expect(response.status).toBe(404);
    const body = (await response.json()) as { errors?: Array<{ extensions?: { code?: string } }> };
    expect(body.errors?.[0].extensions?.code).toBe("NOT_FOUND");
  });
});

// GraphQL's own validation keeps such names out of filters and orders today (they are input
// fields and enum values); the compilers must not depend on that to stay safe.
describe("the filter and order compilers, given inherited names directly", () => {
  it.each(PROTOTYPE_NAMES)("ignore a filter key named %s, as any key that is not a condition", (name) => {
    const filter = JSON.parse(`{"${name}": {"eq": "x"}, "name": {"eq": "Vladimir Putin"}}`) as unknown;
    expect(compileFilter(sqliteDialect, "Person", filter)).toEqual(compileFilter(sqliteDialect, "Person", { name: { eq: "Vladimir Putin" } }));
  });

  it.each(PROTOTYPE_NAMES)("refuse an order field named %s with BAD_USER_INPUT", (name) => {
    expect(() => resolveOrder("Person", [{ field: name, direction: "ASC" } as unknown as OrderInput])).toThrow(BadUserInputError);
  });
});
