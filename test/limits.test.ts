import { Writable } from "node:stream";
import pino from "pino";
import { loadConfig } from "../src/config";
import { createContext } from "../src/context";
import { Database } from "../src/storage/database";
import type { Request, Response } from "express";
import { LIMITS, NODE_COUNT_CACHE, nodeCounts, TOKEN_COUNT_CACHE, tokenCountCache, tokenLimit } from "../src/http/limits";
import { loadFixtures } from "../src/seed/fixture";
import { seedAll } from "../src/seed/seed";
import { createServer } from "../src/server";
import { createTestServer, GqlResult, postGraphql, tempDir, TestServer } from "./helpers";
import path from "node:path";

/** A query `depth` levels deep: organization → parent → … → name. */
function deepQuery(depth: number, operationName = ""): string {
  let inner = "name";
  for (let i = 0; i < depth - 2; i += 1) inner = `parent { ${inner} }`;
  return `query ${operationName} { organization(name: "Center for Arab and Islamic Studies") { ${inner} } }`;
}

function codeOf(result: GqlResult): unknown {
  return result.errors?.[0]?.extensions?.code;
}

describe("request limits", () => {
  let kb: TestServer;
  let url: string;

  beforeAll(async () => {
    kb = await createTestServer();
    url = await kb.listen();
  });
  afterAll(async () => {
    await kb.close();
  });

  it("accepts a query exactly as deep as the limit and refuses one level more", async () => {
    const ok = await kb.run(deepQuery(LIMITS.maxDepth));
    expect(ok.errors).toBeUndefined();
    const over = await kb.run(deepQuery(LIMITS.maxDepth + 1));
    expect(codeOf(over)).toBe("QUERY_TOO_COMPLEX");
    expect(over.errors?.[0].message).toContain(`depth limit of ${LIMITS.maxDepth}`);
    expect(over.errors?.[0].message).not.toMatch(/Syntax Error/);
  });

  it("does not let an operation or fragment named __schema bypass the depth limit", async () => {
    const named = await kb.run(deepQuery(LIMITS.maxDepth + 5, "__schema"));
    expect(codeOf(named)).toBe("QUERY_TOO_COMPLEX");
    let inner = "name";
    for (let i = 0; i < LIMITS.maxDepth + 5; i += 1) inner = `parent { ${inner} }`;
    const fragment = await kb.run(`query { organization(name: "UN") { ...__schema } } fragment __schema on Organization { ${inner} }`);
    expect(codeOf(fragment)).toBe("QUERY_TOO_COMPLEX");
    const aliased = await kb.run(`query { __schema: organization(name: "UN") { ${inner} } }`);
    expect(codeOf(aliased)).toBe("QUERY_TOO_COMPLEX");
  });

  it("bounds the depth of introspection too, but lets GraphiQL's introspection query through", async () => {
    const { getIntrospectionQuery } = await import("graphql");
    expect((await kb.run(getIntrospectionQuery({ descriptions: true, inputValueDeprecation: true }))).errors).toBeUndefined();
    let inner = "name";
    for (let i = 0; i < LIMITS.maxDepth; i += 1) inner = i % 2 === 0 ? `type { ${inner} }` : `fields { ${inner} }`;
    const deep = await kb.run(`{ __schema { types { fields { ${inner} } } } }`);
    expect(codeOf(deep)).toBe("QUERY_TOO_COMPLEX");
  });

  it("accepts as many aliases as the limit and refuses one more", async () => {
    // graphql-armor does not count aliases of __typename, so alias a real field.
    const aliases = (n: number): string => `{ ${Array.from({ length: n }, (_, i) => `a${i}: countries(first: 1) { totalCount }`).join(" ")} }`;
    expect((await kb.run(aliases(LIMITS.maxAliases))).errors).toBeUndefined();
    expect(codeOf(await kb.run(aliases(LIMITS.maxAliases + 1)))).toBe("QUERY_TOO_COMPLEX");
  });

  it("accepts as many directives as the limit and refuses one more", async () => {
    const directives = (n: number): string => `{ ${Array.from({ length: n }, () => "__typename @include(if: true)").join(" ")} }`;
    expect((await kb.run(directives(LIMITS.maxDirectives))).errors).toBeUndefined();
    expect(codeOf(await kb.run(directives(LIMITS.maxDirectives + 1)))).toBe("QUERY_TOO_COMPLEX");
  });

  it("accepts a document of as many tokens as the limit and refuses one more", async () => {
    // `{ nodes ( ids : [` k strings `] ) { id } }` is k + 12 tokens. (Thousands of repeated
    // fields would trip graphql-js's own guard in overlapping-field validation instead.)
    const tokens = (n: number): string => `{ nodes(ids: [${Array.from({ length: n - 12 }, () => '"x"').join(" ")}]) { id } }`;
    const under = await postGraphql(url, { query: tokens(LIMITS.maxTokens) });
    expect(under.json.errors?.[0].extensions?.code).toBe("BAD_USER_INPUT");
    expect(under.json.errors?.[0].message).toMatch(/at most 100 IDs/);
    const over = await postGraphql(url, { query: tokens(LIMITS.maxTokens + 1) });
    expect(over.status).toBe(400);
    expect(over.json.errors?.[0].extensions?.code).toBe("QUERY_TOO_COMPLEX");
    expect(over.json.errors?.[0].message).toContain(`Token limit of ${LIMITS.maxTokens}`);
  });

  it("counts the nodes a request may touch before running it, GitHub-style", async () => {
    // 100 countries + 100 × 100 people + 100 × 100 × q quotes.
    const query = (q: number): string =>
      `{ countries(first: 100) { nodes { people(first: 100) { nodes { quotes(first: ${q}) { nodes { text } } } } } } }`;
    expect(100 + 10_000 + 10_000 * 48).toBeLessThanOrEqual(LIMITS.maxNodes);
    expect((await kb.run(query(48))).errors).toBeUndefined();
    const over = await kb.run(query(49));
    expect(codeOf(over)).toBe("QUERY_TOO_COMPLEX");
    expect(over.errors?.[0].extensions?.nodes).toBe(500_100);
  });

  it("counts page sizes given as variables and through fragments", async () => {
    const query = `query($n: Int) { countries(first: 100) { nodes { ...P } } }
      fragment P on Country { people(first: 100) { nodes { quotes(first: $n) { nodes { text } } } } }`;
    expect((await kb.run(query, { n: 48 })).errors).toBeUndefined();
    expect(codeOf(await kb.run(query, { n: 49 }))).toBe("QUERY_TOO_COMPLEX");
  });

  it("counts a page size left to a variable's default", async () => {
    const query = (n: number): string => `query($n: Int = ${n}) { countries(first: 100) { nodes { people(first: 100) { nodes { quotes(first: $n) { nodes { text } } } } } } }`;
    expect((await kb.run(query(48))).errors).toBeUndefined();
    const over = await kb.run(query(49));
    expect(codeOf(over)).toBe("QUERY_TOO_COMPLEX");
    expect(over.errors?.[0].extensions?.nodes).toBe(500_100);
    // A value given wins over the default.
    expect((await kb.run(query(49), { n: 48 })).errors).toBeUndefined();
  });

  it("answers a limit rejection over HTTP with status 400", async () => {
    const { status, json } = await postGraphql(url, { query: deepQuery(LIMITS.maxDepth + 1) });
    expect(status).toBe(400);
    expect(json.errors?.[0].extensions?.code).toBe("QUERY_TOO_COMPLEX");
  });

  it("accepts a page of 100 and refuses 101", async () => {
    expect((await kb.run(`{ people(first: 100) { totalCount } }`)).errors).toBeUndefined();
    expect(codeOf(await kb.run(`{ people(first: 101) { totalCount } }`))).toBe("BAD_USER_INPUT");
  });

  it("accepts a body just under the size limit and answers 413 just over it", async () => {
    const body = (size: number): string => {
      const skeleton = JSON.stringify({ query: "{ __typename }", variables: { pad: "" } });
      return JSON.stringify({ query: "{ __typename }", variables: { pad: "x".repeat(size - skeleton.length) } });
    };
    expect(body(LIMITS.maxBodyBytes).length).toBe(LIMITS.maxBodyBytes);
    const under = await postGraphql(url, body(LIMITS.maxBodyBytes));
    expect(under.status).toBe(200);
    const over = await postGraphql(url, body(LIMITS.maxBodyBytes + 1));
    expect(over.status).toBe(413);
    expect(over.json.errors?.[0].extensions?.code).toBe("BAD_USER_INPUT");
  });
});

describe("the execution time limit", () => {
  it("stops a request that runs past QUERY_TIMEOUT_MS with a coded error", async () => {
    const slow = await createTestServer({ env: { QUERY_TIMEOUT_MS: "0" } });
    const url = await slow.listen();
    try {
      const { status, json } = await postGraphql(url, { query: "{ people { totalCount } }" });
      expect(status).toBe(200);
      expect(json.errors?.[0].extensions?.code).toBe("QUERY_TIMEOUT");
      expect(json.data).toBeNull();
    } finally {
      await slow.close();
    }
  });

  it("lets a request that finishes in time through", async () => {
    const fast = await createTestServer({ env: { QUERY_TIMEOUT_MS: "60000" } });
    const url = await fast.listen();
    try {
      const { json } = await postGraphql(url, { query: "{ people { totalCount } }" });
      expect(json).toEqual({ data: { people: { totalCount: 11 } } });
    } finally {
      await fast.close();
    }
  });
});

describe("error hygiene in production", () => {
  const lines: string[] = [];
  let db: Database;
  let url: string;
  let stop: () => Promise<void>;

  beforeAll(async () => {
    // The rate budget (on in production) would add `extensions.cost` to the answers compared here.
    const config = loadConfig({ NODE_ENV: "production", DATABASE_PATH: path.join(tempDir(), "kb.sqlite"), LOG_LEVEL: "info", RATE_LIMIT_POINTS: "0" });
    db = await Database.open(config.databasePath);
    await seedAll(db, loadFixtures());
    const sink = new Writable({
      write(chunk: Buffer, _encoding, callback): void {
        lines.push(...chunk.toString("utf8").split("\n").filter((l) => l.length > 0));
        callback();
      },
    });
    const server = await createServer({ config, db, logger: pino({ level: "info" }, sink) });
    url = await server.listen(0, "127.0.0.1");
    stop = async () => {
      await server.stop();
      await db.close();
    };
    expect(createContext(db, config).db).toBe(db);
  });
  afterAll(async () => {
    await stop();
  });

  it("hides an unexpected error's details from the client and logs them under the request ID", async () => {
    // Break the database behind the server's back: the next read fails inside SQLite.
    db.sqlite.exec(`ALTER TABLE "country" RENAME TO "country_gone"`);
    try {
      const response = await fetch(url, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ query: "{ countries { nodes { name } } }" }) });
      const text = await response.text();
      const json = JSON.parse(text) as GqlResult;
      const error = json.errors?.[0];
      expect(error?.message).toBe("Internal server error");
      expect(error?.extensions?.code).toBe("INTERNAL_SERVER_ERROR");
      const requestId = error?.extensions?.requestId as string;
      expect(requestId).toBe(response.headers.get("x-request-id"));
      expect(text).not.toMatch(/stack|SELECT|sqlite|country_gone|\.ts:|at /i);
      const logged = lines.map((l) => JSON.parse(l) as { requestId?: string; err?: { message?: string; stack?: string } }).find((l) => l.requestId === requestId);
      expect(logged?.err?.message).toMatch(/no such table/);
      expect(logged?.err?.stack).toBeDefined();
    } finally {
      db.sqlite.exec(`ALTER TABLE "country_gone" RENAME TO "country"`);
    }
  });

  it("gives no schema hints (\"Did you mean\") in production", async () => {
    const { json } = await postGraphql(url, { query: "{ countrie { nam } }" });
    expect(json.errors?.length).toBeGreaterThan(0);
    expect(JSON.stringify(json)).not.toMatch(/Did you mean|Suggestion hidden/);
    expect(json.errors?.[0].message).toBe(`Cannot query field "countrie" on type "Query".`);
    const typo = await postGraphql(url, { query: "{ quotes(filter: { kind: { eq: DIRCT } }) { totalCount } }" });
    expect(JSON.stringify(typo.json)).not.toMatch(/Did you mean/);
  });

  it("never sends a stack trace, even for coded errors", async () => {
    const { json } = await postGraphql(url, { query: `{ node(id: "garbage!") { id } }` });
    expect(json.errors?.[0].extensions?.code).toBe("BAD_USER_INPUT");
    expect(JSON.stringify(json)).not.toMatch(/stacktrace|\.ts:\d/);
  });

  it("keeps serving after an unexpected error", async () => {
    const { json } = await postGraphql(url, { query: "{ countries { totalCount } }" });
    expect(json).toEqual({ data: { countries: { totalCount: 6 } } });
  });
});

describe("input shapes that would hurt the server", () => {
  let kb: TestServer;
  let url: string;

  beforeAll(async () => {
    kb = await createTestServer();
    url = await kb.listen();
  });
  afterAll(async () => {
    await kb.close();
  });

  it("accepts variables nested to the limit and refuses deeper ones with BAD_USER_INPUT", async () => {
    const nested = (depth: number): string => `${'{"not":'.repeat(depth - 1)}{}${"}".repeat(depth - 1)}`;
    const body = (depth: number): string => `{"query":"query($f: PersonFilter) { people(filter: $f) { totalCount } }","variables":{"f":${nested(depth - 1)}}}`;
    const under = await postGraphql(url, body(LIMITS.maxVariableDepth));
    expect(under.status).not.toBe(500);
    expect(under.json.errors?.[0].extensions?.code).toBe("BAD_USER_INPUT");
    expect(under.json.errors?.[0].message).toMatch(/nest at most 6 levels/);
    const over = await postGraphql(url, body(LIMITS.maxVariableDepth + 1));
    expect(over.status).toBe(400);
    expect(over.json.errors?.[0].message).toMatch(/Variables may nest at most/);
    const absurd = await postGraphql(url, body(20_000));
    expect(absurd.status).toBe(400);
    expect(absurd.json.errors?.[0].extensions?.code).toBe("BAD_USER_INPUT");
  });

  it("answers a subscription with GRAPHQL_VALIDATION_FAILED, not an internal error", async () => {
    const { status, json } = await postGraphql(url, { query: "subscription { people { totalCount } }" });
    expect(status).toBe(400);
    expect(json.errors?.[0].extensions?.code).toBe("GRAPHQL_VALIDATION_FAILED");
  });
});

// A repeated document is not lexed or counted again (issue 18): the counts are cached, bounded
// by entries and bytes, and a cached count refuses what a fresh one would.
describe("the per-document count caches", () => {
  let kb: TestServer;
  let url: string;

  beforeAll(async () => {
    kb = await createTestServer();
    url = await kb.listen();
  });
  afterAll(async () => {
    await kb.close();
  });

  it("refuses a document over the token limit every time, not only when it is first lexed", async () => {
    const query = `{ nodes(ids: [${Array.from({ length: LIMITS.maxTokens }, () => '"x"').join(" ")}]) { id } }`;
    for (let i = 0; i < 3; i += 1) {
      const { status, json } = await postGraphql(url, { query });
      expect(status).toBe(400);
      expect(json.errors?.[0].extensions?.code).toBe("QUERY_TOO_COMPLEX");
    }
  });

  it("refuses a document over the node limit every time, and counts variables afresh", async () => {
    const literal = `{ countries(first: 100) { nodes { people(first: 100) { nodes { quotes(first: 49) { nodes { text } } } } } } }`;
    for (let i = 0; i < 3; i += 1) expect(codeOf(await kb.run(literal))).toBe("QUERY_TOO_COMPLEX");
    const variable = `query($n: Int) { countries(first: 100) { nodes { people(first: 100) { nodes { quotes(first: $n) { nodes { text } } } } } } }`;
    for (const n of [48, 49, 48, 49]) {
      const result = await kb.run(variable, { n });
      expect(codeOf(result)).toBe(n === 49 ? "QUERY_TOO_COMPLEX" : undefined);
    }
  });

  it("keeps at most its bound of token counts, in entries and bytes", () => {
    const counts = tokenCountCache();
    const middleware = tokenLimit(counts);
    let passed = 0;
    const send = (query: string): void => {
      const req = { body: { query }, query: {} } as unknown as Request;
      const res = { status: () => res, json: () => res } as unknown as Response;
      middleware(req, res, () => (passed += 1));
    };
    for (let i = 0; i < TOKEN_COUNT_CACHE.entries + 500; i += 1) send(`{ person(name: "${i}") { id } }`);
    let stats = counts.stats();
    expect(passed).toBe(TOKEN_COUNT_CACHE.entries + 500);
    expect(stats.entries).toBe(TOKEN_COUNT_CACHE.entries);
    expect(stats.evictions).toBe(500);
    // A repeat is answered from the cache.
    send(`{ person(name: "${TOKEN_COUNT_CACHE.entries + 499}") { id } }`);
    expect(counts.stats().hits).toBe(stats.hits + 1);
    // Large texts are bounded by bytes long before the entry count.
    const large = "#".repeat(200_000);
    for (let i = 0; i < 20; i += 1) send(`${large}${i}\n{ __typename }`);
    stats = counts.stats();
    expect(stats.bytes).toBeLessThanOrEqual(TOKEN_COUNT_CACHE.bytes);
    expect(stats.entries).toBeLessThan(TOKEN_COUNT_CACHE.entries);
  });

  it("keeps at most its bound of node counts, in entries and bytes", async () => {
    const before = nodeCounts.stats();
    for (let i = 0; i < NODE_COUNT_CACHE.entries + 50; i += 1) {
      expect((await kb.run(`query Op${i} { people(first: 1) { nodes { id } } }`)).errors).toBeUndefined();
    }
    const after = nodeCounts.stats();
    expect(after.entries).toBe(NODE_COUNT_CACHE.entries);
    expect(after.bytes).toBeLessThanOrEqual(NODE_COUNT_CACHE.bytes);
    expect(after.evictions - before.evictions).toBeGreaterThanOrEqual(50);
    // A count that reads a variable is never kept: it depends on the request.
    const entries = after.entries;
    const misses = after.misses;
    await kb.run(`query Fresh($n: Int) { people(first: $n) { nodes { id } } }`, { n: 1 });
    expect(nodeCounts.stats().misses).toBe(misses + 1);
    expect(nodeCounts.stats().entries).toBe(entries);
  });
});
