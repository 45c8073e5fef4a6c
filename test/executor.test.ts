import { execute, GraphQLSchema, parse } from "graphql";
import { addBulkRows } from "./bulk";
import { createTestServer, TestServer } from "./helpers";
import { createContext } from "../src/context";
import { createSchema } from "../src/schema";
import { COMPILE_ON_RUN } from "../src/schema/jit-executor";

/**
 * graphql-js builds results as null-prototype objects; graphql-jit's compiled operations build
 * plain ones. That tells which executor answered.
 */
function compiled(data: unknown): boolean {
  return Object.getPrototypeOf(data) === Object.prototype;
}

const NESTED = `query Nested($first: Int!) {
  countries(first: 3) {
    totalCount
    pageInfo { hasNextPage endCursor }
    nodes {
      id name alpha2
      people(first: $first) {
        totalCount
        edges { cursor node {
          __typename id name aliases
          country { name }
          positions { nodes { title startDate organization { name aliases kind parent { name } } evidence { startOffset endOffset text } } }
          latest: quotes(last: 2) { nodes { text kind speaker { name } } }
          ... on Node { id }
        } }
      }
    }
  }
  node(id: "Q291bnRyeTox") { __typename ... on Country { name } }
  search(query: "Haftar", first: 3) { edges { score snippet node { __typename ... on Person { name } ... on Quote { text } } } }
}`;

describe("the executor", () => {
  let kb: TestServer;
  let schema: GraphQLSchema;

  beforeAll(async () => {
    kb = await createTestServer();
    await addBulkRows(kb, { peoplePerCountry: 4, positionsPerPerson: 2, quotesPerPerson: 3 });
    schema = await createSchema();
  });
  afterAll(async () => {
    await kb.close();
  });

  it("compiles an operation on its second run and answers exactly as graphql-js did", async () => {
    const runs = [];
    for (let i = 0; i < COMPILE_ON_RUN + 1; i++) runs.push(await kb.run(NESTED, { first: 3 }));
    expect(runs.map((r) => r.errors)).toEqual(runs.map(() => undefined));
    expect(runs.map((r) => compiled(r.data))).toEqual(runs.map((_, i) => i + 1 >= COMPILE_ON_RUN));
    const reference = await execute({
      schema,
      document: parse(NESTED),
      variableValues: { first: 3 },
      contextValue: createContext(kb.db, kb.config),
    });
    expect(reference.errors).toBeUndefined();
    for (const run of runs) expect(JSON.stringify(run.data)).toBe(JSON.stringify(reference.data));
  });

  it("runs an operation with a variable of a self-nesting input type on graphql-js", async () => {
    // graphql-jit unrolls a variable's input type to coerce it, which never ends for `PersonFilter`.
    const result = await kb.run(`query ($f: PersonFilter) { people(filter: $f) { totalCount } }`, {
      f: { or: [{ name: { eq: "Khalifa Haftar" } }, { not: { name: { startsWith: "K" } } }] },
    });
    expect(result.errors).toBeUndefined();
    expect(compiled(result.data)).toBe(false);
    const byHand = await kb.data<{ people: { totalCount: number } }>(`{ all: people { totalCount } k: people(filter: { name: { startsWith: "K" } }) { totalCount } }`);
    const counts = byHand as unknown as { all: { totalCount: number }; k: { totalCount: number } };
    expect((result.data as { people: { totalCount: number } }).people.totalCount).toBe(counts.all.totalCount - counts.k.totalCount + 1);
  });

  it("keeps a resolver's error code, path and location in compiled operations", async () => {
    const query = `query ($id: ID!) {\n  node(id: $id) { id }\n}`;
    const first = await kb.run(query, { id: "not-an-id" });
    const result = await kb.run(query, { id: "not-an-id" });
    expect(compiled(result.data)).toBe(true);
    const shown = (errors: typeof first.errors): unknown =>
      errors?.map(({ message, path, locations, extensions }) => ({ message, path, locations, code: extensions?.code }));
    expect(shown(result.errors)).toEqual(shown(first.errors));
    expect(result.errors?.[0]).toMatchObject({
      path: ["node"],
      locations: [{ line: 2, column: 3 }],
      extensions: { code: "BAD_USER_INPUT" },
    });
  });

  it("reports an unexpected error in a compiled operation as INTERNAL_SERVER_ERROR", async () => {
    const broken = await createTestServer({ seed: false });
    try {
      // A closed database makes every read throw a plain Error, with no code of its own.
      await broken.db.close();
      const query = `{ people(first: 1) { nodes { name } } }`;
      await broken.run(query);
      const result = await broken.run(query);
      expect(result.data).toBeNull();
      expect(result.errors?.[0].extensions?.code).toBe("INTERNAL_SERVER_ERROR");
      const reference = await execute({ schema, document: parse(query), contextValue: createContext(broken.db, broken.config) });
      expect(result.errors?.map((e) => [e.message, e.path])).toEqual(reference.errors?.map((e) => [e.message, e.path]));
    } finally {
      await broken.server.stop();
    }
  });

  it("leaves documents with several operations and no name to graphql-js's error", async () => {
    const result = await kb.run(`query A { __typename } query B { __typename }`);
    expect(result.errors?.[0].message).toMatch(/Must provide operation name/);
  });
});
