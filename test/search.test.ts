import os from "node:os";
import BetterSqlite3 from "better-sqlite3";
import { Client } from "pg";
import type { QueryRunner } from "typeorm";
import { ConfigError, loadConfig } from "../src/config";
import { AddArticleBodySearch1796404969050 } from "../src/migrations/1796404969050-AddArticleBodySearch";
import { addBulkRows } from "./bulk";
import { createTestServer, itOnPostgres, itOnSqlite, TestServer } from "./helpers";
import { onPostgres } from "./postgres/template";

interface Hit {
  score: number;
  snippet: string;
  cursor: string;
  node: { __typename: string; name?: string; text?: string; title?: string; databaseId: number };
}
interface SearchPage {
  totalCount: number;
  edges: Hit[];
  pageInfo: { hasNextPage: boolean; hasPreviousPage: boolean; startCursor: string | null; endCursor: string | null };
}

const SEARCH = `query($q: String!, $types: [SearchType!], $first: Int, $after: String, $last: Int, $before: String) {
  search(query: $q, types: $types, first: $first, after: $after, last: $last, before: $before) {
    totalCount
    edges { cursor score snippet node {
      __typename
      ... on Person { name databaseId } ... on Quote { text databaseId }
      ... on Organization { name databaseId } ... on Article { title databaseId }
    } }
    pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
  }
}`;

describe("full-text search", () => {
  let kb: TestServer;

  beforeAll(async () => {
    kb = await createTestServer();
  });
  afterAll(async () => {
    await kb.close();
  });

  const search = async (q: string, extra: Record<string, unknown> = {}): Promise<SearchPage> =>
    (await kb.data<{ search: SearchPage }>(SEARCH, { q, first: 100, ...extra })).search;

  it("finds a phrase and marks it in the snippet", async () => {
    const page = await search('"no military solution"', { types: ["QUOTE"] });
    expect(page.totalCount).toBe(1);
    expect(page.edges[0].node.text).toBe("there is no military solution to the Libya conflict.");
    expect(page.edges[0].snippet).toContain("<mark>no military solution</mark>");
  });

  it("does not match the words of a phrase out of order", async () => {
    expect((await search('"solution military no"')).totalCount).toBe(0);
  });

  it("finds words by prefix", async () => {
    const page = await search("negotiat*", { types: ["QUOTE"] });
    expect(page.edges.map((e) => e.node.text)).toEqual([expect.stringContaining("restart negotiations")]);
    expect(page.edges[0].snippet).toContain("<mark>negotiations</mark>");
  });

  it("combines terms with AND, OR and NOT", async () => {
    const or = await search("crusade OR bloodshed", { types: ["QUOTE"] });
    expect(or.edges.map((e) => e.node.text).sort()).toEqual([
      "crusade.",
      "to avoid any actions that could provoke bloodshed and the death of civilians,",
    ]);
    const and = await search("Egypt AND coordination", { types: ["QUOTE"] });
    expect(and.edges.map((e) => e.node.text)).toEqual([expect.stringMatching(/^Russia can do something in coordination with Egypt/)]);
    const not = await search("Haftar NOT forces");
    expect(not.edges.some((e) => (e.node.text ?? "").includes("forces"))).toBe(false);
    expect(not.totalCount).toBeLessThan((await search("Haftar")).totalCount);
  });

  it("searches names, aliases, descriptions and article titles", async () => {
    expect((await search("NATO")).edges.map((e) => e.node.name)).toContain("North Atlantic Treaty Organization");
    expect((await search("expert")).edges.map((e) => e.node.name)).toContain("Elena Suponina");
    expect((await search("Tripoli", { types: ["ARTICLE"] })).edges.map((e) => e.node.title)).toEqual([
      "Russia Makes Move on Libya Peace as Clashes Rage Near Tripoli",
    ]);
  });

  it("ranks a name match above mentions, best first", async () => {
    const page = await search("Haftar");
    expect(page.edges[0].node).toMatchObject({ __typename: "Person", name: "Khalifa Haftar" });
    const scores = page.edges.map((e) => e.score);
    expect(scores).toEqual([...scores].sort((a, b) => b - a));
    expect(page.totalCount).toBe(page.edges.length);
  });

  it("limits hits to the requested types", async () => {
    const page = await search("Haftar", { types: ["QUOTE"] });
    expect(page.edges.length).toBeGreaterThan(2);
    expect(new Set(page.edges.map((e) => e.node.__typename))).toEqual(new Set(["Quote"]));
  });

  it("pages through hits by cursor without gaps or repeats", async () => {
    const all = await search("Haftar OR Russia OR Libya");
    expect(all.totalCount).toBeGreaterThan(6);
    const seen: string[] = [];
    let after: string | null = null;
    for (;;) {
      const page: SearchPage = await search("Haftar OR Russia OR Libya", { first: 3, after });
      seen.push(...page.edges.map((e) => `${e.node.__typename}:${e.node.databaseId}`));
      if (!page.pageInfo.hasNextPage) break;
      after = page.pageInfo.endCursor;
    }
    expect(seen).toEqual(all.edges.map((e) => `${e.node.__typename}:${e.node.databaseId}`));
  });

  it("pages backward with last and before, as every list does", async () => {
    const q = "Haftar OR Russia OR Libya";
    const all = (await search(q)).edges.map((e) => `${e.node.__typename}:${e.node.databaseId}`);
    const seen: string[] = [];
    let before: string | null = null;
    let pages = 0;
    for (;;) {
      const page: SearchPage = await search(q, { first: null, last: 3, before });
      seen.unshift(...page.edges.map((e) => `${e.node.__typename}:${e.node.databaseId}`));
      expect(page.pageInfo.hasNextPage).toBe(before !== null);
      pages += 1;
      if (!page.pageInfo.hasPreviousPage) break;
      before = page.pageInfo.startCursor;
    }
    expect(seen).toEqual(all);
    expect(pages).toBe(Math.ceil(all.length / 3));

    // A window between two cursors, from either end.
    const first = await search(q, { first: 6 });
    const [from, to] = [first.edges[0].cursor, first.edges[5].cursor];
    const ids = (page: SearchPage): string[] => page.edges.map((e) => `${e.node.__typename}:${e.node.databaseId}`);
    const forward = await search(q, { first: 2, after: from, before: to });
    expect(ids(forward)).toEqual(all.slice(1, 3));
    expect(forward.pageInfo).toMatchObject({ hasNextPage: true, hasPreviousPage: true });
    const backward = await search(q, { first: null, last: 2, after: from, before: to });
    expect(ids(backward)).toEqual(all.slice(3, 5));
    expect(backward.pageInfo).toMatchObject({ hasNextPage: true, hasPreviousPage: true });
    expect((await kb.run(SEARCH, { q, first: 2, last: 2 })).errors?.[0].extensions?.code).toBe("BAD_USER_INPUT");
    expect((await kb.run(SEARCH, { q, last: 2, before: "nope" })).errors?.[0].extensions?.argument).toBe("before");
  });

  it.each([
    ["an unbalanced quote", 'bad"syntax'],
    ["a dangling operator", "Haftar AND"],
    ["an unknown column", "nosuchcolumn:word"],
    ["an empty query", "   "],
    ["an overlong query", "word ".repeat(200)],
  ])("rejects %s with BAD_USER_INPUT", async (_label, q) => {
    const result = await kb.run(SEARCH, { q });
    expect(result.errors?.[0].extensions?.code).toBe("BAD_USER_INPUT");
    expect(result.errors?.[0].extensions?.argument).toBe("query");
  });

  it.each([
    ["a word to leave out with -", "Haftar -forces", /"forces" followed by ":" or preceded by "-" names a column.*`a NOT b`/],
    ["a word ending in :", "Haftar:", /"Haftar" followed by ":"/],
    ["a dangling operator", "Haftar AND", /ends too early/],
    ["a doubled operator", "Haftar AND OR forces", /Unexpected "OR"/],
    ["an unbalanced quote", '"prisoner exchange', /quoted phrase is not closed/],
  ])("says what is wrong with %s, in the API's words", async (_label, q, message) => {
    const error = (await kb.run(SEARCH, { q })).errors?.[0];
    expect(error?.extensions?.code).toBe("BAD_USER_INPUT");
    expect(error?.message).toMatch(message);
    expect(error?.message).not.toMatch(/no such column|fts5:|search_index/);
  });

  it("limits a term to names and titles with title:, and to descriptions and quote text with body:", async () => {
    const title = await search("title:Haftar");
    const body = await search("body:Haftar");
    expect(title.edges.map((e) => e.node.__typename)).toEqual(expect.arrayContaining(["Person"]));
    expect(title.edges.every((e) => e.node.__typename !== "Quote")).toBe(true);
    expect(body.edges.some((e) => e.node.__typename === "Quote")).toBe(true);
    expect(title.totalCount + body.totalCount).toBeGreaterThanOrEqual((await search("Haftar")).totalCount);
  });

  it("rejects a malformed cursor and an oversize page", async () => {
    expect((await kb.run(SEARCH, { q: "Haftar", after: "nope" })).errors?.[0].extensions?.code).toBe("BAD_USER_INPUT");
    expect((await kb.run(SEARCH, { q: "Haftar", first: 101 })).errors?.[0].extensions?.code).toBe("BAD_USER_INPUT");
  });

  it("ranks a quote that repeats a term above one that mentions it once among many words", async () => {
    const [article] = await kb.sql<{ id: number }>(`SELECT id FROM article LIMIT 1`);
    const insert = (text: string, start: number): Promise<unknown> =>
      kb.sql(`INSERT INTO quote (text, kind, "articleId", "startOffset", "endOffset") VALUES (?, 'PARAPHRASE', ?, ?, ?)`, [text, article.id, start, start + 1]);
    await insert("ceasefire now, a ceasefire today, ceasefire", 90_000);
    await insert("the long report mentions a ceasefire once among very many other unrelated words about diplomacy and trade", 90_002);
    const page = await search("ceasefire");
    expect(page.edges.map((e) => e.node.text)).toEqual([
      "ceasefire now, a ceasefire today, ceasefire",
      "the long report mentions a ceasefire once among very many other unrelated words about diplomacy and trade",
    ]);
  });

  it("loads hits with only the columns their selection reads, and their speakers in one statement", async () => {
    const query = `query($q: String!) {
      search(query: $q, types: [QUOTE, PERSON], first: 100) {
        nodes { ... on Quote { text speaker { name } } ... on Person { name } }
      }
    }`;
    kb.db.statements.reset();
    kb.db.statements.record = true;
    const data = await kb.data<{ search: { nodes: Array<{ text?: string; name?: string; speaker?: { name: string } | null }> } }>(query, { q: "Haftar OR Lavrov" });
    kb.db.statements.record = false;
    const quotes = data.search.nodes.filter((n) => n.text !== undefined);
    expect(quotes.length).toBeGreaterThan(1);
    expect(quotes.some((q) => q.speaker?.name)).toBe(true);
    expect(data.search.nodes.some((n) => n.name !== undefined)).toBe(true);
    const selects = (table: string): string[] => kb.db.statements.log.filter((sql) => sql.includes(`FROM "${table}" t WHERE t.id IN`));
    // One statement per type of hit, and one for the speakers of every quote hit.
    expect(selects("quote")).toHaveLength(1);
    expect(selects("quote")[0]).not.toMatch(/t\.\*|startOffset/);
    expect(selects("quote")[0]).toContain('"speakerId"');
    expect(selects("person")).toHaveLength(2);
    expect(selects("person").every((sql) => !sql.includes("description"))).toBe(true);
  });

  it("escapes the snippet's text as HTML, so only real matches are marked", async () => {
    const [{ id }] = await kb.sql<{ id: number }>(`INSERT INTO person (name, aliases, description) VALUES (?, '[]', ?) RETURNING id`, [
      `Xssy <img src=x onerror=alert(1)>`,
      `a <b>bold</b> & "quoted" <mark>fake</mark> text`,
    ]);
    try {
      const byName = (await search("Xssy")).edges.map((e) => e.snippet);
      expect(byName).toEqual([`<mark>Xssy</mark> &lt;img src=x onerror=alert(1)&gt; `]);
      const byDescription = (await search("quoted fake")).edges.map((e) => e.snippet);
      expect(byDescription).toEqual([`a &lt;b&gt;bold&lt;/b&gt; &amp; &quot;<mark>quoted</mark>&quot; &lt;mark&gt;<mark>fake</mark>&lt;/mark&gt; text`]);
    } finally {
      await kb.sql(`DELETE FROM person WHERE id = ?`, [id]);
    }
  });

  it("keeps the index in step with inserts, updates and deletes", async () => {
    const [{ id }] = await kb.sql<{ id: number }>(
      `INSERT INTO person (name, aliases, description) VALUES ('Zebulon Quartermaine', '["Quartermaine"]', 'envoy') RETURNING id`,
    );
    expect((await search("Quartermaine")).edges.map((e) => e.node.name)).toEqual(["Zebulon Quartermaine"]);
    await kb.sql(`UPDATE person SET name = 'Zebulon Fairweather', aliases = '[]' WHERE id = ?`, [id]);
    expect((await search("Quartermaine")).totalCount).toBe(0);
    expect((await search("Fairweather")).edges.map((e) => e.node.name)).toEqual(["Zebulon Fairweather"]);
    await kb.sql(`DELETE FROM person WHERE id = ?`, [id]);
    expect((await search("Fairweather")).totalCount).toBe(0);

    const tables = ["person", "organization", "quote", "article"];
    if (kb.kind === "sqlite") {
      // SQLite's index is one FTS5 table that triggers keep in step: one entry per row, no more.
      const rows = tables.map((t) => (kb.sqlite.prepare(`SELECT COUNT(*) AS n FROM "${t}"`).get() as { n: number }).n).reduce((a, b) => a + b, 0);
      expect((kb.sqlite.prepare(`SELECT COUNT(*) AS n FROM search_index`).get() as { n: number }).n).toBe(rows);
    } else {
      // PostgreSQL's index is a generated tsvector column of each row: every row has one.
      for (const t of tables) expect(await kb.sql(`SELECT id FROM "${t}" WHERE "search" IS NULL`)).toEqual([]);
    }
  });
});

describe("full-text search in article bodies", () => {
  let kb: TestServer;

  beforeAll(async () => {
    kb = await createTestServer();
  });
  afterAll(async () => {
    await kb.close();
  });

  const search = async (q: string, extra: Record<string, unknown> = {}): Promise<SearchPage> =>
    (await kb.data<{ search: SearchPage }>(SEARCH, { q, first: 100, ...extra })).search;

  it("finds a word that only the body of an article holds, with a snippet of the body around it", async () => {
    const page = await search("strongman");
    expect(page.edges.map((e) => e.node.title)).toEqual(["Russia Makes Move on Libya Peace as Clashes Rage Near Tripoli"]);
    expect(page.edges[0].snippet).toContain("<mark>strongman</mark>’s forces by the United");
    // FTS5's snippet starts a few words before the match; PostgreSQL's ts_headline (MaxFragments=0)
    // starts the snippet at the match, so the words before it are SQLite's only.
    if (kb.kind === "sqlite") expect(page.edges[0].snippet).toContain("singling out the <mark>strongman</mark>’s forces");
  });

  it("finds a phrase of the body with body:, and ranks the quote that says it above the whole article", async () => {
    const page = await search('body:"no military solution"');
    expect(page.edges.map((e) => e.node.__typename)).toEqual(["Quote", "Article"]);
    expect(page.edges[1].snippet).toContain("<mark>no military solution</mark>");
  });

  it("keeps article bodies in the index in step with inserts, updates and deletes", async () => {
    const [{ id }] = await kb.sql<{ id: number }>(
      `INSERT INTO article (url, title, publisher, "publishedAt", body, language) VALUES ('https://example.com/x', 'A test article', 'Test', '2019-04-10', 'The zeppelin landed.', 'en') RETURNING id`,
    );
    expect((await search("zeppelin")).edges.map((e) => e.node.databaseId)).toEqual([id]);
    await kb.sql(`UPDATE article SET body = 'The airship landed.' WHERE id = ?`, [id]);
    expect((await search("zeppelin")).totalCount).toBe(0);
    expect((await search("airship")).edges.map((e) => e.node.databaseId)).toEqual([id]);
    await kb.sql(`DELETE FROM article WHERE id = ?`, [id]);
    expect((await search("airship")).totalCount).toBe(0);
  });

  // A SQLite migration (FTS5 triggers); on PostgreSQL article bodies are in the generated `search`
  // column from the first search migration on (PostgresSearch), with nothing to add or undo.
  itOnSqlite("indexes the bodies of articles already stored when the migration runs, and forgets them when it is undone", async () => {
    const migration = new AddArticleBodySearch1796404969050();
    const runner = { query: async (sql: string): Promise<void> => void kb.sqlite.exec(sql) } as unknown as QueryRunner;
    await migration.down(runner);
    expect((await search("strongman")).totalCount).toBe(0);
    expect((await search("Tripoli", { types: ["ARTICLE"] })).totalCount).toBe(1);
    await migration.up(runner);
    expect((await search("strongman")).totalCount).toBe(1);
  });
});

/**
 * Every hit of a search, in ranking order, fetched `size` at a time: from the start with
 * `first` and `after`, or (`backward`) from the end with `last` and `before`.
 */
async function allPages(kb: TestServer, q: string, size = 7, backward = false): Promise<{ total: number; hits: string[] }> {
  const hits: string[] = [];
  let cursor: string | null = null;
  let total = 0;
  for (;;) {
    const variables = backward ? { q, last: size, before: cursor } : { q, first: size, after: cursor };
    const page: SearchPage = (await kb.data<{ search: SearchPage }>(SEARCH, variables)).search;
    total = page.totalCount;
    const found = page.edges.map((e) => `${e.node.__typename}:${e.node.databaseId}:${e.score}:${e.snippet}`);
    if (backward) hits.unshift(...found);
    else hits.push(...found);
    if (!(backward ? page.pageInfo.hasPreviousPage : page.pageInfo.hasNextPage)) break;
    cursor = backward ? page.pageInfo.startCursor : page.pageInfo.endCursor;
  }
  return { total, hits };
}

/**
 * SQLite's reader processes splitting one search into parts (`parallelism`, `allParts`). PostgreSQL
 * ranks each search in one statement (its parallelism is 1), so this runs on SQLite only; the
 * PostgreSQL pass runs the searches at once in "the search cache" below.
 */
const describeOnSqlite = onPostgres() ? describe.skip : describe;

describeOnSqlite("full-text search on read workers", () => {
  let parallel: TestServer;
  let inline: TestServer;

  beforeAll(async () => {
    parallel = await createTestServer({ env: { READ_WORKERS: "3" } });
    await addBulkRows(parallel, { peoplePerCountry: 4, positionsPerPerson: 1, quotesPerPerson: 5 });
    // The same file through a second connection that ranks on the main thread, in one part.
    inline = await createTestServer({ seed: false, databasePath: parallel.config.databasePath, env: { READ_WORKERS: "0" } });
  });
  afterAll(async () => {
    await inline.close();
    await parallel.close();
  });

  it("ranks in parts exactly as in one, through every page", async () => {
    expect(parallel.db.parallelism).toBe(3);
    expect(inline.db.parallelism).toBe(1);
    for (const q of ["bulk", "bulk quote", "Haftar OR Russia", "negotiat*"]) {
      const split = await allPages(parallel, q);
      const whole = await allPages(inline, q);
      expect(split.hits.length).toBeGreaterThan(0);
      expect(split).toEqual(whole);
      expect(new Set(split.hits).size).toBe(split.total);
      expect(await allPages(parallel, q, 7, true)).toEqual(whole);
      expect(await allPages(inline, q, 7, true)).toEqual(whole);
    }
  });

  it("splits a read only over the workers that are idle", async () => {
    const reading = parallel.db.allParts<{ n: number }>("SELECT 1 AS n", [[]]);
    expect(parallel.db.parallelism).toBe(2);
    expect(await reading).toEqual([[{ n: 1 }]]);
    expect(parallel.db.parallelism).toBe(3);
  });

  it("ranks searches that run at once, in however many parts, exactly as in one", async () => {
    const queries = ["bulk", "bulk quote", "Haftar OR Russia", "negotiat*"];
    // Another page size than the test above, so that nothing comes from the cache.
    const before = parallel.db.readStats;
    const together = await Promise.all(queries.map((q) => allPages(parallel, q, 4)));
    expect(parallel.db.readStats.read - before.read).toBeGreaterThan(queries.length * 2);
    for (const [i, q] of queries.entries()) expect(together[i]).toEqual(await allPages(inline, q, 4));
  });

  it("binds each part's rowid bounds as integers, the only bounds FTS5 seeks to", async () => {
    inline.db.statements.reset();
    inline.db.statements.record = true;
    await inline.data(SEARCH, { q: "bulk OR Haftar", first: 3 });
    inline.db.statements.record = false;
    // Statements run on the main connection are logged with their values bound in.
    const bounds = inline.db.statements.log.flatMap((sql) => [...sql.matchAll(/rowid (?:>=|<) ([^\s),]+)/g)].map((m) => m[1]));
    expect(bounds.length).toBeGreaterThanOrEqual(4);
    for (const bound of bounds) expect(bound).toMatch(/^\d+$/);
  });

  it("reports a query FTS5 rejects in a worker as BAD_USER_INPUT", async () => {
    const result = await parallel.run(SEARCH, { q: '"unterminated', first: 5 });
    expect(result.errors?.[0].extensions?.code).toBe("BAD_USER_INPUT");
  });
});

describe("full-text search at once on PostgreSQL", () => {
  let kb: TestServer;

  beforeAll(async () => {
    kb = await createTestServer();
    await addBulkRows(kb, { peoplePerCountry: 4, positionsPerPerson: 1, quotesPerPerson: 5 });
  });
  afterAll(async () => {
    await kb.close();
  });

  // The counterpart of "ranks searches that run at once, in however many parts, exactly as in one":
  // PostgreSQL ranks each search in one statement, on connections of a pool, read side by side.
  itOnPostgres("ranks searches that run at once exactly as one at a time, through every page", async () => {
    expect(kb.db.parallelism).toBe(1);
    const queries = ["bulk", "bulk quote", "Haftar OR Russia", "negotiat*"];
    const together = await Promise.all(queries.map((q) => allPages(kb, q, 4)));
    expect(kb.db.readStats.read).toBeGreaterThan(queries.length * 2);
    for (const [i, q] of queries.entries()) {
      expect(together[i].hits.length).toBeGreaterThan(0);
      expect(new Set(together[i].hits).size).toBe(together[i].total);
      // One at a time, with another page size (nothing from the cache), forward and backward.
      expect(await allPages(kb, q, 7)).toEqual(together[i]);
      expect(await allPages(kb, q, 7, true)).toEqual(together[i]);
    }
  });
});

describe("the search cache", () => {
  const PAGE = `query($q: String!) { search(query: $q, first: 5) { edges { score node { __typename ... on Person { name } ... on Quote { text } } } } }`;

  async function withServer(env: Record<string, string>, test: (kb: TestServer) => Promise<void>): Promise<void> {
    const kb = await createTestServer({ env });
    try {
      await test(kb);
    } finally {
      await kb.close();
    }
  }

  it("answers a repeated search from the cache, with the same hits and no search statement", async () => {
    await withServer({ READ_WORKERS: "2" }, async (kb) => {
      // What a search statement reads: FTS5's table on SQLite, the tsvector columns on PostgreSQL.
      const searching = (sql: string): boolean => sql.includes(kb.kind === "sqlite" ? "search_index" : `"search" @@`);
      kb.db.statements.reset();
      kb.db.statements.record = true;
      const first = await kb.data(SEARCH, { q: "Haftar", first: 5 });
      kb.db.statements.record = false;
      expect(kb.db.statements.log.filter(searching)).not.toEqual([]);
      const before = kb.db.readStats;
      kb.db.statements.reset();
      kb.db.statements.record = true;
      const again = await kb.data(SEARCH, { q: "Haftar", first: 5 });
      kb.db.statements.record = false;
      expect(again).toEqual(first);
      // The page and totalCount, neither read again.
      expect(kb.db.readStats).toEqual({ read: before.read, cached: before.cached + 2 });
      expect(kb.db.statements.log.filter(searching)).toEqual([]);
      // Another page size is another read; the count is the same and stays cached.
      await kb.data(SEARCH, { q: "Haftar", first: 6 });
      expect(kb.db.readStats).toEqual({ read: before.read + 1, cached: before.cached + 3 });
    });
  });

  it("shares one ranking between identical searches that arrive together", async () => {
    await withServer({ READ_WORKERS: "2" }, async (kb) => {
      const pages = await Promise.all([1, 2, 3].map(() => kb.data(PAGE, { q: "Haftar" })));
      expect(pages[1]).toEqual(pages[0]);
      expect(pages[2]).toEqual(pages[0]);
      expect(kb.db.readStats).toEqual({ read: 1, cached: 2 });
    });
  });

  // SQLite's one shared connection with a transaction open: PostgreSQL's pool has no such state.
  itOnSqlite("does not keep a search read while this server had a transaction open", async () => {
    await withServer({ READ_WORKERS: "2" }, async (kb) => {
      kb.sqlite.exec("BEGIN");
      kb.sqlite.prepare(`INSERT INTO person (name, aliases) VALUES ('Zebulon Quartermaine', '[]')`).run();
      // A savepoint makes FTS5 write its pending index entries now, not at the commit, so the
      // commit itself changes nothing the cache could notice.
      kb.sqlite.exec("SAVEPOINT flush; RELEASE flush");
      // The workers see committed data only.
      expect((await kb.data<{ search: { edges: unknown[] } }>(PAGE, { q: "Quartermaine" })).search.edges).toEqual([]);
      kb.sqlite.exec("COMMIT");
      const after = await kb.data<{ search: { edges: Array<{ node: { name: string } }> } }>(PAGE, { q: "Quartermaine" });
      expect(after.search.edges.map((e) => e.node.name)).toEqual(["Zebulon Quartermaine"]);
    });
  });

  it("forgets cached searches when this server commits", async () => {
    await withServer({ READ_WORKERS: "2" }, async (kb) => {
      expect((await kb.data<{ search: { edges: unknown[] } }>(PAGE, { q: "Quartermaine" })).search.edges).toEqual([]);
      await kb.sql(`INSERT INTO person (name, aliases) VALUES ('Zebulon Quartermaine', '[]')`);
      const after = await kb.data<{ search: { edges: Array<{ node: { name: string } }> } }>(PAGE, { q: "Quartermaine" });
      expect(after.search.edges.map((e) => e.node.name)).toEqual(["Zebulon Quartermaine"]);
    });
  });

  itOnSqlite("does not answer from a search that was being read when this server or another process wrote", async () => {
    await withServer({ READ_WORKERS: "2" }, async (kb) => {
      const names = async (reading: Promise<{ search: { edges: Array<{ node: { name: string } }> } }>): Promise<string[]> =>
        (await reading).search.edges.map((e) => e.node.name);
      const first = kb.data<{ search: { edges: Array<{ node: { name: string } }> } }>(PAGE, { q: "Quartermaine" });
      kb.sqlite.prepare(`INSERT INTO person (name, aliases) VALUES ('Zebulon Quartermaine', '[]')`).run();
      await first;
      expect(await names(kb.data(PAGE, { q: "Quartermaine" }))).toEqual(["Zebulon Quartermaine"]);

      const second = kb.data<{ search: { edges: Array<{ node: { name: string } }> } }>(PAGE, { q: "Quartermaine" });
      const other = new BetterSqlite3(kb.config.databasePath);
      try {
        other.prepare(`UPDATE person SET name = 'Zebulon Fairweather' WHERE name = 'Zebulon Quartermaine'`).run();
      } finally {
        other.close();
      }
      await second;
      expect(await names(kb.data(PAGE, { q: "Quartermaine" }))).toEqual([]);
    });
  });

  itOnSqlite("forgets cached searches when another process commits", async () => {
    await withServer({ READ_WORKERS: "2" }, async (kb) => {
      const before = await kb.data<{ search: { edges: Array<{ node: { name: string } }> } }>(PAGE, { q: "Haftar" });
      expect(before.search.edges.map((e) => e.node.name)).toContain("Khalifa Haftar");
      const other = new BetterSqlite3(kb.config.databasePath);
      try {
        other.prepare(`UPDATE person SET name = 'Khalifa Belqasim', aliases = '[]', description = NULL WHERE name = 'Khalifa Haftar'`).run();
      } finally {
        other.close();
      }
      const after = await kb.data<{ search: { edges: Array<{ node: { name: string } }> } }>(PAGE, { q: "Haftar" });
      expect(after.search.edges.map((e) => e.node.name)).not.toContain("Khalifa Haftar");
      expect(after.search.edges.map((e) => e.node.name)).not.toContain("Khalifa Belqasim");
    });
  });

  /** Runs one statement through a connection of its own, as another process would write. */
  async function otherConnection(kb: TestServer, sql: string): Promise<void> {
    if (kb.config.databaseUrl === null) throw new Error("the PostgreSQL pass serves from DATABASE_URL");
    const other = new Client({ connectionString: kb.config.databaseUrl });
    await other.connect();
    try {
      await other.query(sql);
    } finally {
      await other.end();
    }
  }

  // PostgreSQL's counterparts of the two tests above: another connection commits, which moves the
  // change stamp (kb_version) that the cache reads before a search and checks after one.
  itOnPostgres("does not answer from a search that was being read when this server or another connection wrote", async () => {
    await withServer({}, async (kb) => {
      const names = async (reading: Promise<{ search: { edges: Array<{ node: { name: string } }> } }>): Promise<string[]> =>
        (await reading).search.edges.map((e) => e.node.name);
      const first = kb.data<{ search: { edges: Array<{ node: { name: string } }> } }>(PAGE, { q: "Quartermaine" });
      await kb.sql(`INSERT INTO person (name, aliases) VALUES ('Zebulon Quartermaine', '[]')`);
      await first;
      expect(await names(kb.data(PAGE, { q: "Quartermaine" }))).toEqual(["Zebulon Quartermaine"]);

      const second = kb.data<{ search: { edges: Array<{ node: { name: string } }> } }>(PAGE, { q: "Quartermaine" });
      await otherConnection(kb, `UPDATE person SET name = 'Zebulon Fairweather' WHERE name = 'Zebulon Quartermaine'`);
      await second;
      expect(await names(kb.data(PAGE, { q: "Quartermaine" }))).toEqual([]);
    });
  });

  itOnPostgres("forgets cached searches when another connection commits", async () => {
    await withServer({}, async (kb) => {
      const before = await kb.data<{ search: { edges: Array<{ node: { name: string } }> } }>(PAGE, { q: "Haftar" });
      expect(before.search.edges.map((e) => e.node.name)).toContain("Khalifa Haftar");
      // Asked again, from the cache: the change below is all that can make it read again.
      expect(await kb.data(PAGE, { q: "Haftar" })).toEqual(before);
      expect(kb.db.readStats).toEqual({ read: 1, cached: 1 });
      await otherConnection(kb, `UPDATE person SET name = 'Khalifa Belqasim', aliases = '[]', description = NULL WHERE name = 'Khalifa Haftar'`);
      const after = await kb.data<{ search: { edges: Array<{ node: { name: string } }> } }>(PAGE, { q: "Haftar" });
      expect(after.search.edges.map((e) => e.node.name)).not.toContain("Khalifa Haftar");
      expect(after.search.edges.map((e) => e.node.name)).not.toContain("Khalifa Belqasim");
      expect(kb.db.readStats).toEqual({ read: 2, cached: 1 });
    });
  });

  it("keeps at most READ_CACHE_ENTRIES answers, the most recently used", async () => {
    await withServer({ READ_WORKERS: "1", READ_CACHE_ENTRIES: "1" }, async (kb) => {
      for (const q of ["Haftar", "Russia", "Haftar"]) await kb.data(PAGE, { q });
      expect(kb.db.readStats).toEqual({ read: 3, cached: 0 });
    });
    await withServer({ READ_WORKERS: "1", READ_CACHE_ENTRIES: "2" }, async (kb) => {
      for (const q of ["Haftar", "Russia", "Haftar"]) await kb.data(PAGE, { q });
      expect(kb.db.readStats).toEqual({ read: 2, cached: 1 });
    });
  });

  it("is off with READ_CACHE_ENTRIES=0", async () => {
    await withServer({ READ_WORKERS: "1", READ_CACHE_ENTRIES: "0" }, async (kb) => {
      for (let i = 0; i < 3; i++) await kb.data(PAGE, { q: "Haftar" });
      expect(kb.db.readStats).toEqual({ read: 3, cached: 0 });
    });
    expect(loadConfig({}).readCacheEntries).toBe(256);
    expect(() => loadConfig({ READ_CACHE_ENTRIES: "-1" })).toThrow(ConfigError);
  });
});

describe("READ_WORKERS", () => {
  it("defaults to one worker per core, at most four, and accepts 0", () => {
    expect(loadConfig({}).readWorkers).toBe(Math.min(4, os.availableParallelism()));
    expect(loadConfig({ READ_WORKERS: "0" }).readWorkers).toBe(0);
    expect(loadConfig({ READ_WORKERS: "3" }).readWorkers).toBe(3);
  });

  it.each(["-1", "two", "1.5"])("refuses %s", (value) => {
    expect(() => loadConfig({ READ_WORKERS: value })).toThrow(ConfigError);
  });
});
