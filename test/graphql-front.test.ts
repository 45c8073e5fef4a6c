/**
 * The `node:http` front of `POST /graphql` (src/http/graphql-front.ts) must answer exactly as the
 * Express route it bypasses: the same status, the headers a client reads and the same body.
 * Two servers on one database, one with the front and one with Express alone, get the same
 * requests side by side.
 */
import { createServer } from "../src/server";
import { createLogger } from "../src/logger";
import { LIMITS } from "../src/http/limits";
import { createTestServer, TestServer } from "./helpers";

/** Headers whose values must match; `x-request-id` is compared apart (a fresh UUID each time). */
const HEADERS = [
  "content-type",
  "content-length",
  "access-control-allow-origin",
  "access-control-allow-methods",
  "access-control-allow-headers",
  "access-control-expose-headers",
  "access-control-max-age",
  "access-control-allow-credentials",
  "vary",
  "x-sql-statements",
  "retry-after",
  "etag",
  "x-powered-by",
];

interface Answer {
  status: number;
  headers: Record<string, string | null>;
  body: string;
  requestId: string | null;
}

async function ask(url: string, init: RequestInit): Promise<Answer> {
  const response = await fetch(url, init);
  const headers: Record<string, string | null> = {};
  for (const name of HEADERS) headers[name] = response.headers.get(name);
  return { status: response.status, headers, body: await response.text(), requestId: response.headers.get("x-request-id") };
}

describe("the node:http front of POST /graphql", () => {
  let kb: TestServer;
  let front: string;
  let express: string;
  let stopExpress: () => Promise<void>;

  beforeAll(async () => {
    kb = await createTestServer({ env: { EXPOSE_QUERY_STATS: "true", CORS_ORIGINS: "https://app.example" } });
    front = await kb.listen();
    const plain = await createServer({ config: kb.config, db: kb.db, logger: createLogger(kb.config), graphqlFront: false });
    express = await plain.listen(0, "127.0.0.1");
    stopExpress = async () => {
      await plain.stop();
    };
  });
  afterAll(async () => {
    await stopExpress();
    await kb.close();
  });

  const origin = "https://app.example";
  const json = { "content-type": "application/json", origin };
  const cases: Array<[string, () => RequestInit, string]> = [
    ["a normal query", () => ({ method: "POST", headers: json, body: JSON.stringify({ query: "{ people(first: 2) { nodes { name } } }" }) }), ""],
    ["a query with variables and a query string", () => ({ method: "POST", headers: json, body: JSON.stringify({ query: "query($c: String!) { country(code: $c) { name } }", variables: { c: "US" } }) }), "?x=1"],
    ["a query with an error", () => ({ method: "POST", headers: json, body: JSON.stringify({ query: "{ nope }" }) }), ""],
    ["broken JSON", () => ({ method: "POST", headers: json, body: '{"query": "{ people { totalCount } ' }), ""],
    ["JSON that is not an object", () => ({ method: "POST", headers: json, body: '"x"' }), ""],
    ["an empty body", () => ({ method: "POST", headers: json, body: "" }), ""],
    ["a body over the limit", () => ({ method: "POST", headers: json, body: JSON.stringify({ query: `{ __typename }`, pad: "x".repeat(LIMITS.maxBodyBytes) }) }), ""],
    ["a document over the token limit", () => ({ method: "POST", headers: json, body: JSON.stringify({ query: `{ ${"__typename ".repeat(LIMITS.maxTokens + 1)}}` }) }), ""],
    ["a charset in the content type", () => ({ method: "POST", headers: { ...json, "content-type": "application/json; charset=utf-8" }, body: JSON.stringify({ query: "{ __typename }" }) }), ""],
    ["a content type that is not JSON", () => ({ method: "POST", headers: { "content-type": "text/plain", origin }, body: JSON.stringify({ query: "{ __typename }" }) }), ""],
    [
      "a CORS preflight",
      () => ({ method: "OPTIONS", headers: { origin, "access-control-request-method": "POST", "access-control-request-headers": "content-type, authorization" } }),
      "",
    ],
  ];

  it.each(cases)("answers %s as Express does", async (_name, init, search) => {
    const viaFront = await ask(front + search, init());
    const viaExpress = await ask(express + search, init());
    expect(viaFront.status).toBe(viaExpress.status);
    expect(viaFront.headers).toEqual(viaExpress.headers);
    expect(viaFront.body).toBe(viaExpress.body);
    expect(viaFront.requestId).toMatch(/^[\w-]{36}$/);
  });

  it("keeps a sane X-Request-Id from the client, as Express does", async () => {
    const init = (): RequestInit => ({ method: "POST", headers: { ...json, "x-request-id": "trace-42" }, body: JSON.stringify({ query: "{ __typename }" }) });
    expect((await ask(front, init())).requestId).toBe("trace-42");
    expect((await ask(express, init())).requestId).toBe("trace-42");
  });
});
