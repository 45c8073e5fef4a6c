import { ConfigError, loadConfig } from "../src/config";
import { createTestServer, postGraphql, TestServer } from "./helpers";

describe("the HTTP server", () => {
  let kb: TestServer;
  let url: string;

  beforeAll(async () => {
    kb = await createTestServer();
    url = await kb.listen();
  });
  afterAll(async () => {
    await kb.close();
  });

  it("answers a nested query over plain HTTP", async () => {
    const { status, json } = await postGraphql(url, {
      query: `query($code: String!) { country(code: $code) { name people(first: 2) { nodes { name } } } }`,
      variables: { code: "US" },
    });
    expect(status).toBe(200);
    expect(json.data).toEqual({ country: { name: "United States", people: { nodes: [{ name: "Michael Pompeo" }] } } });
  });

  it("does not hash GraphQL answers for an ETag", async () => {
    const response = await fetch(url, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ query: "{ people { totalCount } }" }) });
    expect(response.status).toBe(200);
    expect(response.headers.get("etag")).toBeNull();
  });

  it("serves GraphiQL to a browser, with every asset from the server itself", async () => {
    const response = await fetch(url, { headers: { accept: "text/html" } });
    expect(response.status).toBe(200);
    const html = await response.text();
    expect(html).toContain("GraphiQL");
    const sources = [...html.matchAll(/(?:src|href)="([^"]+)"/g)].map((m) => m[1]).filter((s) => !s.startsWith("data:"));
    expect(sources.length).toBeGreaterThanOrEqual(4);
    for (const source of sources) {
      expect(source.startsWith("/")).toBe(true);
      const asset = await fetch(new URL(source, url));
      expect(asset.status).toBe(200);
      expect((await asset.arrayBuffer()).byteLength).toBeGreaterThan(1000);
    }
  });

  it("keeps CSRF prevention on for simple GET requests", async () => {
    const response = await fetch(`${url}?query=${encodeURIComponent("{ people { totalCount } }")}`);
    expect(response.status).toBe(400);
    expect(await response.text()).toMatch(/CSRF/);
    const allowed = await fetch(`${url}?query=${encodeURIComponent("{ people { totalCount } }")}`, {
      headers: { "apollo-require-preflight": "true" },
    });
    expect(allowed.status).toBe(200);
  });

  it("answers broken JSON with a coded 400 error", async () => {
    const { status, json } = await postGraphql(url, '{"query": "{ people { totalCount } ');
    expect(status).toBe(400);
    expect(json.errors?.[0].extensions?.code).toBe("BAD_USER_INPUT");
    expect(json.errors?.[0].message).toBe("The request body is not valid JSON");
  });

  it.each(["null", '"x"', "42"])("answers a JSON body that is not an object (%s) with a coded 400 error saying so", async (body) => {
    const { status, json } = await postGraphql(url, body);
    expect(status).toBe(400);
    expect(json.errors?.[0].extensions?.code).toBe("BAD_USER_INPUT");
    expect(json.errors?.[0].message).toMatch(/^The request body must be a JSON object/);
  });

  it("answers a malformed query with a coded error and keeps serving", async () => {
    const bad = await postGraphql(url, { query: "{ people { nodes { name } " });
    expect(bad.status).toBe(400);
    expect(bad.json.errors?.[0].extensions?.code).toBe("GRAPHQL_PARSE_FAILED");
    const wrongType = await postGraphql(url, { query: "query($n: Int) { people(first: $n) { totalCount } }", variables: { n: "ten" } });
    expect(wrongType.status).toBe(400);
    expect(wrongType.json.errors?.[0].extensions?.code).toBe("BAD_USER_INPUT");
    const good = await postGraphql(url, { query: "{ people { totalCount } }" });
    expect(good.json.data).toEqual({ people: { totalCount: 11 } });
  });

  it("reports liveness and readiness", async () => {
    const base = new URL(url).origin;
    expect(await (await fetch(`${base}/health`)).json()).toEqual({ status: "ok" });
    const ready = await fetch(`${base}/ready`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toEqual({ status: "ready" });
  });

  it("answers unknown paths with a coded 404", async () => {
    const response = await fetch(new URL("/nope", url));
    expect(response.status).toBe(404);
    expect(((await response.json()) as { errors: Array<{ extensions: { code: string } }> }).errors[0].extensions.code).toBe("NOT_FOUND");
  });
});

describe("calls from a browser on another origin (CORS)", () => {
  const preflight = (url: string, origin: string): Promise<Response> =>
    fetch(url, {
      method: "OPTIONS",
      headers: { origin, "access-control-request-method": "POST", "access-control-request-headers": "content-type, authorization" },
    });
  const post = (url: string, origin: string): Promise<Response> =>
    fetch(url, { method: "POST", headers: { origin, "content-type": "application/json" }, body: JSON.stringify({ query: "{ people { totalCount } }" }) });

  it("lets any origin call the public API by default, with its bearer token", async () => {
    const kb = await createTestServer();
    try {
      const url = await kb.listen();
      const answer = await preflight(url, "https://news.example");
      expect(answer.status).toBe(204);
      expect(answer.headers.get("access-control-allow-origin")).toBe("*");
      expect(answer.headers.get("access-control-allow-methods")).toBe("GET,POST");
      expect(answer.headers.get("access-control-allow-headers")?.split(",")).toEqual(expect.arrayContaining(["content-type", "authorization"]));
      const response = await post(url, "https://news.example");
      expect(response.status).toBe(200);
      expect(response.headers.get("access-control-allow-origin")).toBe("*");
      expect(response.headers.get("access-control-expose-headers")).toContain("x-request-id");
      expect(await response.json()).toEqual({ data: { people: { totalCount: expect.any(Number) } } });
    } finally {
      await kb.close();
    }
  });

  it("lets only the origins in CORS_ORIGINS call it, and none with CORS_ORIGINS=none", async () => {
    const listed = await createTestServer({ env: { CORS_ORIGINS: "https://news.example, http://localhost:3000" } });
    try {
      const url = await listed.listen();
      expect((await preflight(url, "http://localhost:3000")).headers.get("access-control-allow-origin")).toBe("http://localhost:3000");
      expect((await post(url, "https://news.example")).headers.get("access-control-allow-origin")).toBe("https://news.example");
      expect((await preflight(url, "https://elsewhere.example")).headers.get("access-control-allow-origin")).toBeNull();
      expect((await post(url, "https://elsewhere.example")).headers.get("access-control-allow-origin")).toBeNull();
    } finally {
      await listed.close();
    }
    const none = await createTestServer({ env: { CORS_ORIGINS: "none" } });
    try {
      const url = await none.listen();
      expect((await preflight(url, "https://news.example")).headers.get("access-control-allow-origin")).toBeNull();
    } finally {
      await none.close();
    }
  });

  it.each(["news.example", "https://news.example/path", "ftp://news.example", "https://a.example,"])("refuses CORS_ORIGINS=%s", (value) => {
    expect(() => loadConfig({ CORS_ORIGINS: value })).toThrow(ConfigError);
  });
});
