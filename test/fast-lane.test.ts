/**
 * The fast lane (src/http/fast-lane.ts) answers a repeated read operation without Apollo's
 * pipeline; it must answer exactly as Apollo does. Two servers on one database, one with the
 * fast lane and one without, get the same requests side by side, each three times (the second
 * run compiles an operation, the third can take the fast lane), and must give the same status,
 * headers and bytes. The fast lane's cache statistics show which requests it answered.
 */
import { AppServer, createServer } from "../src/server";
import { createLogger } from "../src/logger";
import { Database } from "../src/storage/database";
import { PostgresDatabase } from "../src/storage/postgres";
import type { Store } from "../src/storage/store";
import { createTestServer, TestServer } from "./helpers";

/** Headers whose values must match (`x-request-id` and `date` differ by nature). */
const HEADERS = ["content-type", "content-length", "x-sql-statements", "x-ratelimit-limit", "x-ratelimit-remaining", "x-ratelimit-used", "retry-after"];

interface Answer {
  status: number;
  headers: Record<string, string | null>;
  body: string;
}

async function ask(url: string, body: unknown, headers: Record<string, string> = {}): Promise<Answer> {
  const response = await fetch(url, { method: "POST", headers: { "content-type": "application/json", ...headers }, body: JSON.stringify(body) });
  const kept: Record<string, string | null> = {};
  for (const name of HEADERS) kept[name] = response.headers.get(name);
  // The budget's reset time is the clock's: the same to the second, not to the millisecond.
  const text = (await response.text()).replace(/"resetAt":"[^"]*"/g, '"resetAt":"…"');
  return { status: response.status, headers: kept, body: text };
}

interface Case {
  name: string;
  /** The body of each send (one body: the same three times). */
  bodies: unknown[];
  headers?: Record<string, string>;
  /** Who answers the last send: the fast lane, Apollo with the fast lane's answer, or Apollo alone. */
  lane: "answered" | "handedOver" | "apollo";
}

describe("the fast lane for repeated read operations", () => {
  let kb: TestServer;
  let withLane: string;
  let laneServer: AppServer;
  let withoutLane: string;
  let smallWith: string;
  let smallWithout: string;
  const stops: Array<() => Promise<void>> = [];
  let personId: string;

  beforeAll(async () => {
    kb = await createTestServer({ env: { EXPOSE_QUERY_STATS: "true", RATE_LIMIT_POINTS: "5000" } });
    // Each server has a connection of its own to the one database (kb's SQLite file, or in the
    // PostgreSQL pass kb's PostgreSQL database): a shared connection would share its read
    // cache, and the second server to ask would read a count from memory.
    const start = async (options: { fastLane: boolean; maxResponseBytes?: number }): Promise<{ url: string; server: AppServer }> => {
      const config = { ...kb.config, maxResponseBytes: options.maxResponseBytes ?? kb.config.maxResponseBytes };
      const db: Store =
        kb.kind === "postgres"
          ? await PostgresDatabase.open(config.databaseUrl as string, { migrate: false, readCacheEntries: config.readCacheEntries })
          : await Database.open(config.databasePath, { readWorkers: config.readWorkers, readCacheEntries: config.readCacheEntries });
      const server = await createServer({ config, db, logger: createLogger(config), fastLane: options.fastLane });
      stops.push(async () => {
        await server.stop();
        await db.close();
      });
      return { url: await server.listen(0, "127.0.0.1"), server };
    };
    withoutLane = (await start({ fastLane: false })).url;
    // The server with the fast lane, on its own connection too, for the same reason.
    ({ url: withLane, server: laneServer } = await start({ fastLane: true }));
    smallWith = (await start({ fastLane: true, maxResponseBytes: 400 })).url;
    smallWithout = (await start({ fastLane: false, maxResponseBytes: 400 })).url;
    const people = await kb.data<{ people: { nodes: Array<{ id: string }> } }>(`{ people(first: 1, orderBy: { field: NAME }) { nodes { id } } }`);
    personId = people.people.nodes[0].id;
  });
  afterAll(async () => {
    for (const stop of stops) await stop();
    await kb.close();
  });

  const small = `query Small($id: ID!) { node(id: $id) { ... on Person { id name description country { name } quotes(first: 5) { nodes { text } } } } }`;
  const paged = `query Paged($n: Int!) { people(first: $n) { totalCount nodes { name quotes(first: $n) { nodes { text } } } pageInfo { hasNextPage endCursor } } }`;
  const deep = `query Deep($n: Int!) { countries(first: $n) { nodes { people(first: $n) { nodes { quotes(first: $n) { nodes { text } } } } } } }`;
  const twoOperations = `query A { countries(first: 1) { nodes { name } } } query B { people(first: 1) { nodes { name } } }`;
  const cases = (): Case[] => [
    { name: "a small node query with variables", bodies: [{ query: small, variables: { id: personId } }], lane: "answered" },
    { name: "page sizes given as variables", bodies: [{ query: paged, variables: { n: 3 } }, { query: paged, variables: { n: 2 } }, { query: paged, variables: { n: 4 } }], lane: "answered" },
    { name: "an unknown ID (null, no error)", bodies: [{ query: small, variables: { id: "UGVyc29uOjk5OTk5" } }], lane: "answered" },
    { name: "a malformed ID (an error, shaped by Apollo)", bodies: [{ query: small, variables: { id: "not an id" } }], lane: "handedOver" },
    { name: "variables that do not coerce", bodies: [{ query: paged, variables: { n: "three" } }], lane: "apollo" },
    {
      name: "a page size over the node limit after two small ones",
      bodies: [{ query: deep, variables: { n: 3 } }, { query: deep, variables: { n: 3 } }, { query: deep, variables: { n: 100 } }],
      lane: "apollo",
    },
    { name: "an Accept header asking for application/graphql-response+json", bodies: [{ query: small, variables: { id: personId } }], headers: { accept: "application/graphql-response+json, application/json;q=0.9" }, lane: "answered" },
    { name: "Accept: */*", bodies: [{ query: `{ countries(first: 2) { nodes { name } } }` }], headers: { accept: "*/*" }, lane: "answered" },
    {
      name: "a document of two operations and an operation name",
      bodies: ["B", "A", "B", "A", "B"].map((operationName) => ({ query: twoOperations, operationName })),
      lane: "answered",
    },
    { name: "extensions a client library sends", bodies: [{ query: `{ countries(first: 3) { nodes { name } } }`, extensions: { clientLibrary: { name: "@apollo/client" } } }], lane: "answered" },
    { name: "a mutation (never the fast lane)", bodies: [{ query: `mutation { deleteQuote(id: "UXVvdGU6MQ") { deletedId } }` }], lane: "apollo" },
  ];

  it("answers every request as Apollo does, bytes and headers, and answers repeated reads itself", async () => {
    for (const testCase of cases()) {
      const bodies = testCase.bodies.length === 1 ? [testCase.bodies[0], testCase.bodies[0], testCase.bodies[0]] : testCase.bodies;
      let before = laneServer.fastLane() ?? { answered: 0, handedOver: 0 };
      for (const [i, body] of bodies.entries()) {
        if (i === bodies.length - 1) before = laneServer.fastLane() ?? before;
        const mine = await ask(withLane, body, testCase.headers);
        const apollos = await ask(withoutLane, body, testCase.headers);
        expect({ case: testCase.name, send: i + 1, ...mine }).toEqual({ case: testCase.name, send: i + 1, ...apollos });
      }
      const after = laneServer.fastLane() ?? { answered: 0, handedOver: 0 };
      const lane = after.answered > before.answered ? "answered" : after.handedOver > before.handedOver ? "handedOver" : "apollo";
      expect({ case: testCase.name, lane }).toEqual({ case: testCase.name, lane: testCase.lane });
    }
  });

  it("hands an answer over its byte budget to Apollo, which sends RESPONSE_TOO_LARGE alone", async () => {
    const body = { query: `{ quotes(first: 20) { nodes { text } } }` };
    for (let i = 0; i < 3; i++) {
      const mine = await ask(smallWith, body);
      const apollos = await ask(smallWithout, body);
      expect(mine).toEqual(apollos);
      expect(JSON.parse(mine.body)).toMatchObject({ data: null, errors: [{ extensions: { code: "RESPONSE_TOO_LARGE" } }] });
    }
  });

  it("charges the rate budget once per request, as Apollo's plugin does", async () => {
    const body = { query: small, variables: { id: personId } };
    const used: number[] = [];
    for (let i = 0; i < 4; i++) {
      const answer = await ask(withLane, body);
      used.push(Number(answer.headers["x-ratelimit-used"]));
      expect(JSON.parse(answer.body).extensions.cost).toMatchObject({ requestedCost: 1, actualCost: 1 });
    }
    expect(used.slice(1).map((n, i) => n - used[i])).toEqual([1, 1, 1]);
  });
});
