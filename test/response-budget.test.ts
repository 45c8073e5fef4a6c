import { Writable } from "node:stream";
import pino from "pino";
import { createContext } from "../src/context";
import { RequestScope } from "../src/storage/database";
import { loggedStringify } from "../src/http/plugins/response-budget.plugin";
import { COMPILE_ON_RUN } from "../src/schema/jit-executor";
import { addBulkRows } from "./bulk";
import { createTestServer, GqlResult, postGraphql, TestServer } from "./helpers";

/** graphql-jit's compiled operations build plain objects, graphql-js null-prototype ones. */
function compiled(data: unknown): boolean {
  return Object.getPrototypeOf(data) === Object.prototype;
}

const LIMIT = 50_000;

/** Every quote with its article's body: the body, a plain column with no resolver, is the bulk. */
const BODIES = `{ quotes(first: 100) { nodes { text article { body } } } }`;

/** Nested lists answered from rows fetched ahead: many fields, all resolved without waiting. */
const HEAVY = `{
  articles(first: 1) { nodes { quotes(first: 100) { nodes { id article { quotes(first: 100) { nodes { id text kind startOffset: databaseId article { title } } } } } } } }
}`;

describe("the response budget", () => {
  let kb: TestServer;

  beforeAll(async () => {
    kb = await createTestServer({ env: { MAX_RESPONSE_BYTES: String(LIMIT) } });
    // About 150 quotes in the seed article, so that BODIES is far over the limit.
    await addBulkRows(kb, { peoplePerCountry: 6, positionsPerPerson: 0, quotesPerPerson: 4 });
  });
  afterAll(async () => {
    await kb.close();
  });

  it("refuses an answer over MAX_RESPONSE_BYTES with RESPONSE_TOO_LARGE alone, on graphql-js and on the compiled operation", async () => {
    const runs: GqlResult[] = [];
    for (let i = 0; i < COMPILE_ON_RUN + 1; i++) runs.push(await kb.run(BODIES));
    for (const run of runs) {
      expect(run.data).toBeNull();
      expect(run.errors).toHaveLength(1);
      expect(run.errors?.[0].extensions).toMatchObject({ code: "RESPONSE_TOO_LARGE", limitBytes: LIMIT });
    }
  });

  it("counts the answer's bytes close to its JSON size under both executors", async () => {
    const query = `{ quotes(first: 8) { totalCount nodes { id text kind article { title body } evidence { startOffset text } } } }`;
    const measured: Array<{ compiled: boolean; ratio: number }> = [];
    for (let i = 0; i < COMPILE_ON_RUN + 1; i++) {
      const contextValue = createContext(kb.db, kb.config);
      const response = await kb.server.apollo.executeOperation({ query }, { contextValue });
      if (response.body.kind !== "single") throw new Error("expected a single result");
      const { data, errors } = response.body.singleResult;
      expect(errors).toBeUndefined();
      measured.push({ compiled: compiled(data), ratio: contextValue.budget.used / JSON.stringify(data).length });
    }
    expect(measured.map((m) => m.compiled)).toEqual(measured.map((_, i) => i + 1 >= COMPILE_ON_RUN));
    for (const { ratio } of measured) {
      expect(ratio).toBeGreaterThan(0.8);
      expect(ratio).toBeLessThan(1.5);
    }
  });

  it("lets an answer under the limit through whole", async () => {
    const { data, errors } = await kb.run<{ quotes: { nodes: Array<{ article: { body: string } }> } }>(`{ quotes(first: 5) { nodes { article { body } } } }`);
    expect(errors).toBeUndefined();
    expect(data?.quotes.nodes).toHaveLength(5);
  });

  it("answers over HTTP with status 200, data null and the one coded error", async () => {
    const url = await kb.listen();
    const { status, json } = await postGraphql(url, { query: BODIES });
    expect(status).toBe(200);
    expect(json).toEqual({ data: null, errors: [{ message: expect.stringContaining(`${LIMIT} bytes`), extensions: { code: "RESPONSE_TOO_LARGE", limitBytes: LIMIT } }] });
  });

  it("runs no more statements once the request is over the limit", async () => {
    // Three levels of lists whose rows all come from one fetch ahead, and a filtered list below
    // (fetched per level, after the rows above): over the limit, the filtered level is never read.
    const query = `{ articles(first: 1) { nodes { body quotes(first: 100) { nodes { article { body quotes(first: 100, filter: { kind: { eq: PARAPHRASE } }) { nodes { text } } } } } } } }`;
    kb.db.statements.reset();
    kb.db.statements.record = true;
    const over = await kb.run(query);
    kb.db.statements.record = false;
    expect(over.errors?.[0].extensions?.code).toBe("RESPONSE_TOO_LARGE");
    expect(kb.db.statements.log.some((sql) => sql.includes("PARAPHRASE") || /"kind" = \?/.test(sql))).toBe(false);
  });
});

describe("the time limit", () => {
  let kb: TestServer;

  beforeAll(async () => {
    kb = await createTestServer();
    await addBulkRows(kb, { peoplePerCountry: 10, positionsPerPerson: 0, quotesPerPerson: 2 });
  });
  afterAll(async () => {
    await kb.close();
  });

  it("stops work past QUERY_TIMEOUT_MS with QUERY_TIMEOUT even when no statement runs after the deadline", async () => {
    // The same operation twice: the first counts its statements, the second's deadline passes
    // the moment its last statement has run, so only the resolvers' own checks can stop it.
    const first = await kb.run(HEAVY);
    expect(first.errors).toBeUndefined();
    kb.db.statements.reset();
    await kb.run(HEAVY);
    const statements = kb.db.statements.count;

    // A deadline far off, as a real request's scope has one (`scopeFor`), until the last statement.
    const scope: RequestScope = { count: 0, deadline: Date.now() + 60_000, limitMs: 25 };
    const hit = kb.db.statements.hit.bind(kb.db.statements);
    const spy = jest.spyOn(kb.db.statements, "hit").mockImplementation((sql) => {
      hit(sql);
      if (scope.count === statements) scope.deadline = Date.now();
    });
    try {
      const late = await kb.db.statements.perRequest.run(scope, () => kb.run(HEAVY));
      expect(scope.count).toBe(statements);
      expect(late.data).toBeNull();
      expect(late.errors).toEqual([expect.objectContaining({ extensions: expect.objectContaining({ code: "QUERY_TIMEOUT", limitMs: 25 }) })]);
    } finally {
      spy.mockRestore();
    }
  });
});

describe("a long request", () => {
  let kb: TestServer;

  beforeAll(async () => {
    kb = await createTestServer();
    await addBulkRows(kb, { peoplePerCountry: 10, positionsPerPerson: 0, quotesPerPerson: 2 });
  });
  afterAll(async () => {
    await kb.close();
  });

  it("lets a cheap request that arrives while it runs finish first", async () => {
    const cheapQuery = `{ country(code: "RU") { name } }`;
    // Connections opened beforehand: on PostgreSQL a request may otherwise wait for a new pooled
    // connection's handshake, which is not what this test is about (the turns the heavy request
    // gives others).
    await Promise.all([kb.run(cheapQuery), kb.run(cheapQuery), kb.run(cheapQuery)]);
    const order: string[] = [];
    kb.db.statements.reset();
    const heavy = kb.run(HEAVY).then((result) => {
      order.push("heavy");
      return result;
    });
    // Waits for the heavy request to have read its rows: from then on it only resolves fields,
    // which without turns would run to the end before this macrotask gets its turn.
    while (kb.db.statements.count === 0) await new Promise((resolve) => setImmediate(resolve));
    const cheap = kb.run(cheapQuery).then((result) => {
      order.push("cheap");
      return result;
    });
    const [heavyResult, cheapResult] = await Promise.all([heavy, cheap]);
    expect(heavyResult.errors).toBeUndefined();
    expect(cheapResult).toEqual({ data: { country: { name: "Russia" } } });
    expect(order).toEqual(["cheap", "heavy"]);
  });

  it("reads with one statement per relation level even when it is paused between turns", async () => {
    // A clock that runs 6 ms per look makes the request pause every other field; the counts
    // below every speaker are loader batches, which must still be one statement each.
    const query = `{ articles(first: 1) { nodes { quotes(first: 100) { totalCount nodes { speaker { quotes { totalCount } positions { totalCount } } } } } } }`;
    const expected = 6; // articles, quotes, their count, speakers, the speakers' two counts
    kb.db.statements.reset();
    expect((await kb.run(query)).errors).toBeUndefined();
    expect(kb.db.statements.count).toBe(expected);
    let now = Date.now();
    const clock = jest.spyOn(Date, "now").mockImplementation(() => (now += 6));
    try {
      for (let i = 0; i < 2; i++) {
        kb.db.statements.reset();
        const result = await kb.run(query);
        expect(result.errors).toBeUndefined();
        expect(kb.db.statements.count).toBe(expected);
      }
    } finally {
      clock.mockRestore();
    }
  });
});

describe("an answer that cannot be serialized", () => {
  it("is logged with its request ID before Apollo answers HTTP 500", async () => {
    const lines: string[] = [];
    const sink = new Writable({
      write(chunk: Buffer, _encoding, callback): void {
        lines.push(chunk.toString("utf8"));
        callback();
      },
    });
    const kb = await createTestServer({ seed: false });
    try {
      const stringify = loggedStringify(kb.db, pino({ level: "info" }, sink));
      const scope: RequestScope = { count: 0, requestId: "req-500" };
      expect(() => kb.db.statements.perRequest.run(scope, () => stringify({ data: { big: BigInt(1) as unknown as number } }))).toThrow(TypeError);
      expect(lines.join("")).toContain('"requestId":"req-500"');
      const body = kb.db.statements.perRequest.run(scope, () => stringify({ errors: [{ message: "Internal server error", extensions: { code: "INTERNAL_SERVER_ERROR" } }] }));
      expect(JSON.parse(body)).toEqual({ errors: [{ message: "Internal server error", extensions: { code: "INTERNAL_SERVER_ERROR", requestId: "req-500" } }] });
    } finally {
      await kb.close();
    }
  });
});

describe("a mutation whose answer is over the budget", () => {
  it("says that its write was committed, so that a client does not write it again", async () => {
    const kb = await createTestServer({ env: { MAX_RESPONSE_BYTES: "3000", EDITOR_TOKENS: "alice:s3cret" } });
    try {
      const body = "x".repeat(5000);
      const result = await kb.runAs(
        "s3cret",
        `mutation($body: String!) { createArticle(input: { url: "https://example.org/big", title: "Big", publisher: "P", publishedAt: "2020-01-01", body: $body }) { article { id body } } }`,
        { body },
      );
      expect(result.data).toBeNull();
      expect(result.errors).toHaveLength(1);
      expect(result.errors?.[0]?.extensions).toMatchObject({ code: "RESPONSE_TOO_LARGE", committed: ["createArticle"] });
      expect(result.errors?.[0]?.message).toMatch(/stored: createArticle/);
      expect((await kb.db.get<{ n: number }>(`SELECT COUNT(*) AS n FROM article WHERE url = 'https://example.org/big'`))?.n).toBe(1);
    } finally {
      await kb.close();
    }
  });
});
