import crypto from "node:crypto";
import { createTestServer, postGraphql, TestServer } from "./helpers";
import { ConfigError, DEFAULT_OPERATION_CACHE_ENTRIES, loadConfig } from "../src/config";
import { CacheStats, COMPILE_ON_RUN, OperationCacheStats, RUN_COUNTS_PER_ENTRY } from "../src/schema/jit-executor";

/** A small bound, so that a few hundred requests overflow every cache. */
const BOUND = 20;

/** A distinct, tiny operation: small enough that the entry bound, not the byte bound, is what holds. */
const tiny = (i: number): string => `query Tiny${i} { t${i}: __typename }`;

/** A distinct operation of about 60 fields: compiled, each is estimated at over 100 KB. */
const large = (i: number): string => `query Large${i} {
  l${i}: people(first: 2) {
    totalCount
    nodes {
      id name aliases description
      country { id name alpha2 alpha3 }
      positions { nodes { id title startDate endDate organization { id name kind aliases parent { name } } evidence { startOffset endOffset text } } }
      quotes(first: 2) { nodes { id text kind speaker { name } article { id title url publisher } evidence { startOffset endOffset text } } }
    }
  }
  c${i}: countries(first: 2) { nodes { id name alpha2 people(first: 2) { nodes { name positions { nodes { title } } } } } }
}`;

/** graphql-jit's compiled operations build plain objects, graphql-js null-prototype ones. */
function compiled(data: unknown): boolean {
  return Object.getPrototypeOf(data) === Object.prototype;
}

function expectWithinBounds(cache: CacheStats): void {
  expect(cache.entries).toBeLessThanOrEqual(cache.maxEntries);
  expect(cache.bytes).toBeLessThanOrEqual(cache.maxBytes);
}

function expectAllWithinBounds(stats: OperationCacheStats): void {
  for (const cache of Object.values(stats)) expectWithinBounds(cache);
}

describe("the per-operation caches", () => {
  let kb: TestServer;
  let url: string;

  beforeAll(async () => {
    kb = await createTestServer({ env: { OPERATION_CACHE_ENTRIES: String(BOUND) } });
    url = await kb.listen();
  });
  afterAll(async () => {
    await kb.close();
  });

  /** Posts an operation over HTTP and fails the test unless it is answered without errors. */
  const post = async (body: Record<string, unknown>): Promise<unknown> => {
    const { status, json } = await postGraphql(url, body);
    expect({ status, errors: json.errors }).toEqual({ status: 200, errors: undefined });
    return json.data;
  };

  it("keep at most their bound of documents and compiled operations however many distinct operations arrive", async () => {
    for (let i = 0; i < 3 * BOUND; i++) {
      for (let run = 0; run < COMPILE_ON_RUN; run++) await post({ query: tiny(i) });
      expectAllWithinBounds(kb.server.operationCaches());
    }
    const { documents, compiled: operations } = kb.server.operationCaches();
    expect([documents.maxEntries, operations.maxEntries]).toEqual([BOUND, BOUND]);
    // Full, not empty: the entry bound is what holds, and each operation was kept until pushed out.
    expect([documents.entries, operations.entries]).toEqual([BOUND, BOUND]);
    expect(documents.evictions).toBeGreaterThanOrEqual(2 * BOUND);
    expect(operations.evictions).toBeGreaterThanOrEqual(2 * BOUND);
  });

  it("still reuse the parsed document and the compiled operation of a repeated operation", async () => {
    const query = `query Repeated { countries(first: 3) { nodes { name alpha2 } } }`;
    const runs: unknown[] = [];
    for (let run = 0; run < COMPILE_ON_RUN; run++) runs.push(await post({ query }));
    const before = kb.server.operationCaches();
    runs.push(await post({ query }));
    const after = kb.server.operationCaches();
    // Over HTTP the repeated read takes the fast lane: the compiled operation, found by its
    // text, without Apollo parsing (or looking up) the document again.
    expect(after.prepared.hits).toBe(before.prepared.hits + 1);
    expect(after.compiled.hits).toBe(before.compiled.hits + 1);
    expect(after.documents.hits).toBe(before.documents.hits);
    expect(runs.map((data) => JSON.stringify(data))).toEqual(runs.map(() => JSON.stringify(runs[0])));
    // Through Apollo's whole pipeline, the answer comes from the compiled operation.
    const result = await kb.run(query);
    expect(result.errors).toBeUndefined();
    expect(compiled(result.data)).toBe(true);
  });

  it("compile an operation still on its second run after a flood of others", async () => {
    for (let i = 0; i < 3 * BOUND; i++) for (let run = 0; run < COMPILE_ON_RUN; run++) await post({ query: tiny(1000 + i) });
    // The flood's latest operations are still compiled; its first ones were pushed out.
    const latest = await kb.run(tiny(1000 + 3 * BOUND - 1));
    expect(compiled(latest.data)).toBe(true);
    const first = await kb.run(tiny(1000));
    expect(compiled(first.data)).toBe(false);
    const fresh = `query Fresh { countries(first: 1) { totalCount } }`;
    const runs = [];
    for (let run = 0; run < COMPILE_ON_RUN + 1; run++) runs.push(await kb.run(fresh));
    expect(runs.map((r) => compiled(r.data))).toEqual(runs.map((_, i) => i + 1 >= COMPILE_ON_RUN));
  });

  it("keep large compiled operations within their byte bound", async () => {
    for (let i = 0; i < BOUND; i++) {
      for (let run = 0; run < COMPILE_ON_RUN; run++) await post({ query: large(i) });
      expectAllWithinBounds(kb.server.operationCaches());
    }
    const { compiled: operations } = kb.server.operationCaches();
    // The bytes, not the entry count, are what holds: fewer than BOUND large operations fit.
    expect(operations.entries).toBeGreaterThan(0);
    expect(operations.entries).toBeLessThan(BOUND);
    expect(operations.bytes).toBeGreaterThan(operations.maxBytes / 2);
  });

  it("remember a bounded number of operations run once", async () => {
    const count = (RUN_COUNTS_PER_ENTRY + 2) * BOUND;
    for (let i = 0; i < count; i++) await post({ query: tiny(5000 + i) });
    const { runCounts } = kb.server.operationCaches();
    expectWithinBounds(runCounts);
    expect(runCounts.maxEntries).toBe(RUN_COUNTS_PER_ENTRY * BOUND);
    expect(runCounts.entries).toBe(RUN_COUNTS_PER_ENTRY * BOUND);
  });

  it("keep a bounded number of persisted query texts, and answer a hash it still has", async () => {
    const persisted = (query: string): Record<string, unknown> => ({
      extensions: { persistedQuery: { version: 1, sha256Hash: crypto.createHash("sha256").update(query).digest("hex") } },
    });
    for (let i = 0; i < 3 * BOUND; i++) {
      const query = tiny(9000 + i);
      await post({ query, ...persisted(query) });
      expectWithinBounds(kb.server.operationCaches().persistedQueries);
    }
    const { persistedQueries } = kb.server.operationCaches();
    expect(persistedQueries.maxEntries).toBe(BOUND);
    expect(persistedQueries.entries).toBe(BOUND);
    const last = tiny(9000 + 3 * BOUND - 1);
    expect(await post(persisted(last))).toEqual({ [`t${9000 + 3 * BOUND - 1}`]: "Query" });
    const { json } = await postGraphql(url, persisted(tiny(9000)));
    expect(json.errors?.[0]?.extensions?.code).toBe("PERSISTED_QUERY_NOT_FOUND");
  });
});

describe("OPERATION_CACHE_ENTRIES", () => {
  it("defaults to 500 and refuses what is not a whole number", () => {
    expect(loadConfig({}).operationCacheEntries).toBe(DEFAULT_OPERATION_CACHE_ENTRIES);
    expect(DEFAULT_OPERATION_CACHE_ENTRIES).toBe(500);
    expect(loadConfig({ OPERATION_CACHE_ENTRIES: "0" }).operationCacheEntries).toBe(0);
    expect(() => loadConfig({ OPERATION_CACHE_ENTRIES: "-1" })).toThrow(ConfigError);
    expect(() => loadConfig({ OPERATION_CACHE_ENTRIES: "many" })).toThrow(ConfigError);
  });

  it("at 0 keeps nothing and runs every operation on graphql-js", async () => {
    const kb = await createTestServer({ env: { OPERATION_CACHE_ENTRIES: "0" } });
    try {
      const query = `{ countries(first: 2) { nodes { name } } }`;
      const runs = [];
      for (let run = 0; run < COMPILE_ON_RUN + 1; run++) runs.push(await kb.run(query));
      expect(runs.map((r) => r.errors)).toEqual(runs.map(() => undefined));
      expect(runs.map((r) => compiled(r.data))).toEqual(runs.map(() => false));
      const stats = kb.server.operationCaches();
      expect(Object.values(stats).map((cache) => cache.entries)).toEqual([0, 0, 0, 0, 0]);
    } finally {
      await kb.close();
    }
  });
});
