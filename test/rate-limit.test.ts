import { ConfigError, loadConfig } from "../src/config";
import { clientAddress, costOf } from "../src/http/rate-limit";
import { createTestServer, GqlResult, TestServer } from "./helpers";

interface Answer {
  status: number;
  headers: Headers;
  json: GqlResult & { extensions?: { cost?: Record<string, unknown> } };
}

async function post(url: string, body: unknown, headers: Record<string, string> = {}): Promise<Answer> {
  const response = await fetch(url, { method: "POST", headers: { "content-type": "application/json", ...headers }, body: typeof body === "string" ? body : JSON.stringify(body) });
  return { status: response.status, headers: response.headers, json: (await response.json()) as Answer["json"] };
}

/** 100 nodes: one point. */
const ONE_POINT = { query: "{ people(first: 100) { nodes { name } } }" };
/** 100 people and two quotes each: 300 nodes, three points. */
const THREE_POINTS = { query: "{ people(first: 100) { nodes { quotes(first: 2) { nodes { text } } } } }" };

describe("the per-client budget of cost points", () => {
  let kb: TestServer;
  let url: string;

  beforeAll(async () => {
    kb = await createTestServer({ env: { RATE_LIMIT_POINTS: "5", EDITOR_TOKENS: "alice:s3cret", TRUST_PROXY: "true" } });
    url = await kb.listen();
  });
  afterAll(async () => {
    await kb.close();
  });

  // Each test is its own client, by a forwarded address (TRUST_PROXY is on here).
  const as = (client: string): Record<string, string> => ({ "x-forwarded-for": client });

  it("charges one point per 100 nodes, at least one, and says so in extensions.cost and GitHub's headers", async () => {
    const first = await post(url, ONE_POINT, as("10.0.0.1"));
    expect(first.status).toBe(200);
    expect(first.json.errors).toBeUndefined();
    expect(first.json.extensions?.cost).toEqual({ requestedCost: 1, actualCost: 1, nodeCount: 100, limit: 5, remaining: 4, resetAt: expect.any(String) });
    const resetAt = Date.parse(String(first.json.extensions?.cost?.resetAt));
    expect(resetAt).toBeGreaterThan(Date.now());
    expect(resetAt).toBeLessThanOrEqual(Date.now() + 3600_000);
    expect(first.headers.get("x-ratelimit-limit")).toBe("5");
    expect(first.headers.get("x-ratelimit-remaining")).toBe("4");
    expect(first.headers.get("x-ratelimit-used")).toBe("1");
    expect(Number(first.headers.get("x-ratelimit-reset")) * 1000).toBeGreaterThanOrEqual(resetAt - 1000);

    const second = await post(url, THREE_POINTS, as("10.0.0.1"));
    expect(second.json.extensions?.cost).toMatchObject({ requestedCost: 3, actualCost: 3, nodeCount: 300, remaining: 1 });
    const tiny = await post(url, { query: "{ people { totalCount } }" }, as("10.0.0.1"));
    expect(tiny.json.extensions?.cost).toMatchObject({ requestedCost: 1, actualCost: 1, remaining: 0 });
  });

  it("refuses a request over the budget left with 429, RATE_LIMITED, retryAfter and Retry-After, running nothing", async () => {
    await post(url, THREE_POINTS, as("10.0.0.2"));
    const refused = await post(url, THREE_POINTS, as("10.0.0.2"));
    expect(refused.status).toBe(429);
    expect(refused.json.data).toBeUndefined();
    const error = refused.json.errors?.[0];
    expect(error?.extensions).toMatchObject({ code: "RATE_LIMITED", retryAfter: expect.any(Number), resetAt: expect.any(String) });
    const retryAfter = error?.extensions?.retryAfter as number;
    expect(retryAfter).toBeGreaterThan(0);
    expect(retryAfter).toBeLessThanOrEqual(3600);
    expect(refused.headers.get("retry-after")).toBe(String(retryAfter));
    expect(error?.message).toMatch(/costs 3 points and 2 of this client's 5 are left/);
    // A refused request pays the minimum of one point, not its cost.
    expect(refused.json.extensions?.cost).toMatchObject({ requestedCost: 3, actualCost: 1, remaining: 1 });
    // What is left still buys a cheap request.
    const cheap = await post(url, ONE_POINT, as("10.0.0.2"));
    expect(cheap.status).toBe(200);
    expect(cheap.json.extensions?.cost).toMatchObject({ remaining: 0 });
  });

  it("refuses every request of a client with nothing left before reading it, with 429 and the same shape", async () => {
    for (let i = 0; i < 5; i++) await post(url, ONE_POINT, as("10.0.0.3"));
    for (const body of [ONE_POINT, "{ not json", { query: "{ syntax error" }]) {
      const refused = await post(url, body, as("10.0.0.3"));
      expect(refused.status).toBe(429);
      expect(refused.json.errors?.[0].extensions).toMatchObject({ code: "RATE_LIMITED", retryAfter: expect.any(Number) });
      expect(refused.headers.get("retry-after")).toBe(String(refused.json.errors?.[0].extensions?.retryAfter));
      expect(refused.json.extensions?.cost).toMatchObject({ limit: 5, remaining: 0 });
    }
  });

  it("charges a request that never runs (a syntax error) the minimum of one point", async () => {
    const broken = await post(url, { query: "{ people { " }, as("10.0.0.4"));
    expect(broken.status).toBe(400);
    expect(broken.json.extensions?.cost).toMatchObject({ requestedCost: 1, actualCost: 1, nodeCount: null, remaining: 4 });
  });

  it("charges a body that is not even JSON the minimum of one point", async () => {
    expect((await post(url, "{ not json", as("10.0.0.9"))).status).toBe(400);
    const next = await post(url, ONE_POINT, as("10.0.0.9"));
    expect(next.json.extensions?.cost).toMatchObject({ remaining: 3 });
  });

  it("refuses a request that costs more than the whole budget as QUERY_TOO_COMPLEX, since waiting would not help", async () => {
    const huge = await post(url, { query: "{ people(first: 100) { nodes { quotes(first: 100) { nodes { text } } } } }" }, as("10.0.0.5"));
    expect(huge.status).toBe(400);
    expect(huge.json.errors?.[0].extensions).toMatchObject({ code: "QUERY_TOO_COMPLEX", cost: 101, limit: 5 });
    expect(huge.json.extensions?.cost).toMatchObject({ requestedCost: 101, actualCost: 1, remaining: 4 });
  });

  it("gives an editor its own budget, by name, while an invalid token spends the address's", async () => {
    for (let i = 0; i < 5; i++) await post(url, ONE_POINT, as("10.0.0.6"));
    expect((await post(url, ONE_POINT, as("10.0.0.6"))).status).toBe(429);
    const editor = await post(url, ONE_POINT, { ...as("10.0.0.6"), authorization: "Bearer s3cret" });
    expect(editor.status).toBe(200);
    expect(editor.json.extensions?.cost).toMatchObject({ remaining: 4 });
    // The same editor from elsewhere draws on the same budget.
    const elsewhere = await post(url, ONE_POINT, { ...as("10.0.0.7"), authorization: "Bearer s3cret" });
    expect(elsewhere.json.extensions?.cost).toMatchObject({ remaining: 3 });
    expect((await post(url, ONE_POINT, { ...as("10.0.0.6"), authorization: "Bearer wrong" })).status).toBe(429);
  });

  it("counts mutations too", async () => {
    const mutation = await post(url, { query: `mutation { createCountry(input: { name: "Atlantis" }) { country { id } } }` }, as("10.0.0.8"));
    expect(mutation.json.extensions?.cost).toMatchObject({ actualCost: 1, remaining: 4 });
  });

  it("does not limit operations run in-process, without an HTTP request", async () => {
    for (let i = 0; i < 10; i++) {
      const result = (await kb.run(THREE_POINTS.query)) as GqlResult & { extensions?: unknown };
      expect(result.errors).toBeUndefined();
      expect(result.extensions).toBeUndefined();
    }
  });
});

describe("telling clients apart", () => {
  it("uses the peer's address and ignores X-Forwarded-For unless TRUST_PROXY is set", async () => {
    const kb = await createTestServer({ env: { RATE_LIMIT_POINTS: "2" } });
    try {
      const url = await kb.listen();
      await post(url, ONE_POINT, { "x-forwarded-for": "10.1.0.1" });
      await post(url, ONE_POINT, { "x-forwarded-for": "10.1.0.2" });
      expect((await post(url, ONE_POINT, { "x-forwarded-for": "10.1.0.3" })).status).toBe(429);
    } finally {
      await kb.close();
    }
  });

  it("takes the address the proxy added (the last one) with TRUST_PROXY, and a whole IPv6 /64 as one client", () => {
    const socket = { remoteAddress: "::ffff:127.0.0.1" } as never;
    expect(clientAddress({ headers: {}, socket }, false)).toBe("127.0.0.1");
    expect(clientAddress({ headers: { "x-forwarded-for": "1.2.3.4" }, socket }, false)).toBe("127.0.0.1");
    expect(clientAddress({ headers: { "x-forwarded-for": "6.6.6.6, 203.0.113.9" }, socket }, true)).toBe("203.0.113.9");
    expect(clientAddress({ headers: { "x-forwarded-for": "not an address" }, socket }, true)).toBe("127.0.0.1");
    expect(clientAddress({ headers: { "x-forwarded-for": "2001:db8:1:2:aaaa::1" }, socket }, true)).toBe("2001:db8:1:2::/64");
    expect(clientAddress({ headers: { "x-forwarded-for": "2001:DB8:1:2:bbbb:cccc:dddd:eeee" }, socket }, true)).toBe("2001:db8:1:2::/64");
    expect(clientAddress({ headers: { "x-forwarded-for": "2001:db8::1" }, socket }, true)).toBe("2001:db8:0:0::/64");
    expect(clientAddress({ headers: {}, socket: { remoteAddress: "::1" } as never }, false)).toBe("0:0:0:0::/64");
  });
});

describe("the budget's window and settings", () => {
  it("fills the budget again when the window ends", async () => {
    const kb = await createTestServer({ env: { RATE_LIMIT_POINTS: "1", RATE_LIMIT_WINDOW_S: "1" } });
    try {
      const url = await kb.listen();
      expect((await post(url, ONE_POINT)).status).toBe(200);
      const refused = await post(url, ONE_POINT);
      expect(refused.status).toBe(429);
      expect(refused.headers.get("retry-after")).toBe("1");
      const deadline = Date.now() + 10_000;
      let status = refused.status;
      while (status === 429 && Date.now() < deadline) {
        await new Promise((resolve) => setTimeout(resolve, 200));
        status = (await post(url, ONE_POINT)).status;
      }
      expect(status).toBe(200);
    } finally {
      await kb.close();
    }
  });

  it("keeps RATE_LIMITED, its message and retryAfter in production, where other details are hidden", async () => {
    const kb = await createTestServer({ env: { NODE_ENV: "production", LOG_LEVEL: "silent", RATE_LIMIT_POINTS: "3" } });
    try {
      const url = await kb.listen();
      expect((await post(url, ONE_POINT)).status).toBe(200);
      const refused = await post(url, THREE_POINTS);
      expect(refused.status).toBe(429);
      expect(refused.json.errors?.[0]).toMatchObject({ message: expect.stringMatching(/costs 3 points and 2 of this client's 3 are left/), extensions: { code: "RATE_LIMITED", retryAfter: expect.any(Number) } });
      expect(refused.json.errors?.[0].extensions?.stacktrace).toBeUndefined();
    } finally {
      await kb.close();
    }
  });

  it("is off with RATE_LIMIT_POINTS=0: no limit, no extensions.cost, no headers", async () => {
    const kb = await createTestServer({ env: { RATE_LIMIT_POINTS: "0" } });
    try {
      const url = await kb.listen();
      for (let i = 0; i < 5; i++) {
        const answer = await post(url, THREE_POINTS);
        expect(answer.status).toBe(200);
        expect(answer.json.extensions).toBeUndefined();
        expect(answer.headers.get("x-ratelimit-limit")).toBeNull();
      }
    } finally {
      await kb.close();
    }
  });

  it("defaults to GitHub's 5,000 points an hour, and to off under NODE_ENV=test", () => {
    expect(loadConfig({ NODE_ENV: "production" })).toMatchObject({ rateLimitPoints: 5000, rateLimitWindowS: 3600, trustProxy: false });
    expect(loadConfig({})).toMatchObject({ rateLimitPoints: 5000 });
    expect(loadConfig({ NODE_ENV: "test" })).toMatchObject({ rateLimitPoints: 0 });
    expect(() => loadConfig({ RATE_LIMIT_WINDOW_S: "0" })).toThrow(ConfigError);
    expect(() => loadConfig({ RATE_LIMIT_POINTS: "-1" })).toThrow(ConfigError);
  });

  it("costs a request its nodes divided by 100, rounded up, at least one", () => {
    expect([0, 1, 100, 101, 300, 500_000].map(costOf)).toEqual([1, 1, 1, 2, 3, 5000]);
  });
});
