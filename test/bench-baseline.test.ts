import fs from "node:fs";
import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
import path from "node:path";
import BetterSqlite3 from "better-sqlite3";
import { Baseline, createBaseline } from "../bench/baseline";
import { Q1, Q2, Q3, Q6 } from "../bench/queries";
import { toGlobalId } from "../src/model/global-id";
import { generate } from "../tools/generate/generate";
import { createTestServer, tempDir, TestServer } from "./helpers";

/** Posts one request and returns the response body exactly as sent. */
async function bodyOf(url: string, request: { query: string; variables?: Record<string, unknown> }): Promise<string> {
  const response = await fetch(url, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(request) });
  expect(response.status).toBe(200);
  return response.text();
}

// The benchmark's ratios mean something only if the raw baseline does the server's work: the
// runner checks the bytes on the benchmark's database, and this test on a small one, every run.
describe("the benchmark's raw baseline", () => {
  let dir: string;
  let kb: TestServer;
  let serverUrl: string;
  let baseline: Baseline;
  let listening: Server;
  let baselineUrl: string;
  let rawUrl: string;
  let speakerId: number;
  let countrylessId: number;
  let speakerSurname: string;
  let titleWords: string;

  beforeAll(async () => {
    dir = tempDir("news-kb-baseline-");
    const file = path.join(dir, "kb.sqlite");
    await generate({ out: file, quotes: 2000, seed: 3 });
    const sqlite = new BetterSqlite3(file, { readonly: true });
    const top = sqlite
      .prepare(`SELECT p.id, p.name FROM quote q JOIN person p ON p.id = q.speakerId GROUP BY p.id ORDER BY COUNT(*) DESC, p.id LIMIT 1`)
      .get() as { id: number; name: string };
    countrylessId = (sqlite.prepare(`SELECT id FROM person WHERE countryId IS NULL ORDER BY id LIMIT 1`).get() as { id: number }).id;
    const { title } = sqlite.prepare(`SELECT title FROM article ORDER BY id LIMIT 1`).get() as { title: string };
    sqlite.close();
    titleWords = `"${title.replace(/"/g, "")}"`;
    speakerId = top.id;
    speakerSurname = top.name.split(" ").pop() as string;
    kb = await createTestServer({ databasePath: file, seed: false });
    serverUrl = await kb.listen();
    baseline = createBaseline(file);
    listening = await new Promise<Server>((resolve) => {
      const s = baseline.app.listen(0, "127.0.0.1", () => resolve(s));
    });
    baselineUrl = `http://127.0.0.1:${(listening.address() as AddressInfo).port}/graphql`;
    await new Promise<void>((resolve) => baseline.raw.listen(0, "127.0.0.1", resolve));
    rawUrl = `http://127.0.0.1:${(baseline.raw.address() as AddressInfo).port}/graphql`;
  });

  afterAll(async () => {
    await new Promise((resolve) => listening.close(resolve));
    await new Promise((resolve) => baseline.raw.close(resolve));
    baseline.close();
    await kb.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it("answers Q1 with the server's bytes", async () => {
    const request = { query: Q1, variables: { id: toGlobalId("Person", speakerId) } };
    const ours = await bodyOf(serverUrl, request);
    expect((JSON.parse(ours) as { data: { node: { quotes: { nodes: unknown[] } } } }).data.node.quotes.nodes).toHaveLength(20);
    expect(await bodyOf(baselineUrl, request)).toBe(ours);
  });

  it("answers Q6, the small node query, with the server's bytes on Express and on plain node:http", async () => {
    const request = { query: Q6, variables: { id: toGlobalId("Person", speakerId) } };
    const ours = await bodyOf(serverUrl, request);
    const node = (JSON.parse(ours) as { data: { node: { country: unknown; quotes: { nodes: unknown[] } } } }).data.node;
    expect(node.quotes.nodes).toHaveLength(5);
    expect(node.country).not.toBeNull();
    expect(await bodyOf(baselineUrl, request)).toBe(ours);
    expect(await bodyOf(rawUrl, request)).toBe(ours);
    // An unknown ID of the right shape, and a person without a country, come out the same too.
    const personless = { query: Q6, variables: { id: toGlobalId("Person", 999_999_999) } };
    expect(await bodyOf(rawUrl, personless)).toBe(await bodyOf(serverUrl, personless));
    const stateless = { query: Q6, variables: { id: toGlobalId("Person", countrylessId) } };
    const answer = await bodyOf(serverUrl, stateless);
    expect((JSON.parse(answer) as { data: { node: { country: unknown } } }).data.node.country).toBeNull();
    expect(await bodyOf(rawUrl, stateless)).toBe(answer);
  });

  it("answers Q1 on plain node:http with the server's bytes too", async () => {
    const request = { query: Q1, variables: { id: toGlobalId("Person", speakerId) } };
    expect(await bodyOf(rawUrl, request)).toBe(await bodyOf(serverUrl, request));
  });

  it("answers Q2 with the server's bytes", async () => {
    const ours = await bodyOf(serverUrl, { query: Q2 });
    expect((JSON.parse(ours) as { data: { countries: { nodes: unknown[] } } }).data.countries.nodes.length).toBeGreaterThan(0);
    expect(await bodyOf(baselineUrl, { query: Q2 })).toBe(ours);
  });

  it("answers Q3 with the server's bytes, for hits of every kind", async () => {
    const kinds = new Set<string>();
    for (const q of ['"prisoner exchange"', "negotiations", speakerSurname, titleWords, "ministry OR herald"]) {
      const request = { query: Q3, variables: { q } };
      const ours = await bodyOf(serverUrl, request);
      const edges = (JSON.parse(ours) as { data: { search: { edges: Array<{ node: { __typename: string } }> } } }).data.search.edges;
      expect(edges.length).toBeGreaterThan(0);
      for (const edge of edges) kinds.add(edge.node.__typename);
      expect(await bodyOf(baselineUrl, request)).toBe(ours);
    }
    expect([...kinds].sort()).toEqual(["Article", "Organization", "Person", "Quote"]);
  });
});
