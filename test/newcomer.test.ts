/**
 * What a newcomer meets first, over HTTP as GraphiQL sends it: no stack traces unless
 * asked for, a refused date that names its format, and a quoted enum value that says to drop the
 * quotes. Codes stay those of graphql-js and Apollo.
 */
import { createTestServer, postGraphql, TestServer } from "./helpers";

async function withServer(env: NodeJS.ProcessEnv, body: (url: string) => Promise<void>): Promise<void> {
  const server = await createTestServer({ env: { LOG_LEVEL: "silent", RATE_LIMIT_POINTS: "0", ...env } });
  try {
    await body(await server.listen());
  } finally {
    await server.close();
  }
}

describe("stack traces in errors", () => {
  const badQuery = { query: '{ node(id: "not-an-id") { id } nope }' };
  const malformedId = { query: '{ node(id: "not-an-id") { id } }' };

  it("are left out in the default development run", async () => {
    await withServer({ NODE_ENV: "development" }, async (url) => {
      for (const body of [badQuery, malformedId]) {
        const { json } = await postGraphql(url, body);
        expect(json.errors?.length).toBeGreaterThan(0);
        expect(JSON.stringify(json)).not.toMatch(/stacktrace|\.ts:\d/);
      }
    });
  });

  it("are included when STACK_TRACES=true", async () => {
    await withServer({ NODE_ENV: "development", STACK_TRACES: "true" }, async (url) => {
      const { json } = await postGraphql(url, malformedId);
      expect(json.errors?.[0].extensions?.code).toBe("BAD_USER_INPUT");
      expect(json.errors?.[0].extensions?.stacktrace).toEqual(expect.arrayContaining([expect.stringMatching(/^\s+at /)]));
    });
  });

  it("are never included in production, even when STACK_TRACES=true", async () => {
    await withServer({ NODE_ENV: "production", STACK_TRACES: "true" }, async (url) => {
      const { json } = await postGraphql(url, malformedId);
      expect(json.errors?.[0].extensions?.code).toBe("BAD_USER_INPUT");
      expect(JSON.stringify(json)).not.toMatch(/stacktrace/);
    });
  });
});

describe("input mistakes", () => {
  let server: TestServer;
  let url: string;
  beforeAll(async () => {
    server = await createTestServer();
    url = await server.listen();
  });
  afterAll(async () => {
    await server.close();
  });

  async function firstError(query: string, variables?: Record<string, unknown>): Promise<{ message: string; code: unknown }> {
    const { json } = await postGraphql(url, { query, variables });
    const error = json.errors?.[0];
    if (!error) throw new Error(`expected an error, got ${JSON.stringify(json)}`);
    return { message: error.message, code: error.extensions?.code };
  }

  it("names the YYYY-MM-DD format when a date is written in words in the query", async () => {
    const error = await firstError('{ positions(filter: { activeAt: "9 April 2019" }) { totalCount } }');
    expect(error.code).toBe("GRAPHQL_VALIDATION_FAILED");
    expect(error.message).toContain("9 April 2019");
    expect(error.message).toContain('written YYYY-MM-DD, such as "2019-04-09"');
  });

  it("names the YYYY-MM-DD format when a date in a variable is refused", async () => {
    const error = await firstError("query ($day: LocalDate) { positions(filter: { activeAt: $day }) { totalCount } }", { day: "9 April 2019" });
    expect(error.code).toBe("BAD_USER_INPUT");
    expect(error.message).toContain('written YYYY-MM-DD, such as "2019-04-09"');
  });

  it("says to drop the quotes when an enum value is sent as a string", async () => {
    const error = await firstError('{ quotes(filter: { kind: { eq: "DIRECT" } }) { totalCount } }');
    expect(error.code).toBe("GRAPHQL_VALIDATION_FAILED");
    expect(error.message).toBe('Enum values are written without quotes: eq: DIRECT, not eq: "DIRECT" (QuoteKind is an enum)');
  });

  it("writes the list when a quoted enum value sits in a list", async () => {
    const error = await firstError('{ quotes(filter: { kind: { in: ["PARAPHRASE"] } }) { totalCount } }');
    expect(error.message).toBe('Enum values are written without quotes: in: [PARAPHRASE], not in: ["PARAPHRASE"] (QuoteKind is an enum)');
  });

  it("lists the values when a quoted string is not a value of the enum at all", async () => {
    const error = await firstError('{ quotes(filter: { kind: { eq: "direct" } }) { totalCount } }');
    expect(error.code).toBe("GRAPHQL_VALIDATION_FAILED");
    expect(error.message).toBe('"direct" is not a QuoteKind value, and enum values are written without quotes, such as eq: DIRECT; the QuoteKind values are DIRECT, PARAPHRASE');
  });

  it("still answers an unquoted enum value", async () => {
    const { json } = await postGraphql(url, { query: "{ quotes(filter: { kind: { eq: DIRECT } }) { totalCount } }" });
    expect(json.errors).toBeUndefined();
  });
});

describe("the Query type as the playground's docs list it", () => {
  it("lists the main entry points first and the grouped counts last", async () => {
    const server = await createTestServer({ seed: false });
    try {
      const { json } = await postGraphql(await server.listen(), { query: "{ __schema { queryType { fields { name } } } }" });
      const names = (json.data as { __schema: { queryType: { fields: Array<{ name: string }> } } }).__schema.queryType.fields.map((field) => field.name);
      expect(names.slice(0, 4)).toEqual(["person", "people", "search", "quotes"]);
      const firstCount = names.findIndex((name) => name.endsWith("Counts"));
      expect(firstCount).toBeGreaterThan(names.indexOf("nodes"));
      expect(names.slice(firstCount).every((name) => name.endsWith("Counts"))).toBe(true);
    } finally {
      await server.close();
    }
  });
});
