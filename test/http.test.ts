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
