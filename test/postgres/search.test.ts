/**
 * Full-text search on PostgreSQL (src/storage/postgres/search.ts and search-query.ts) against a
 * real PostgreSQL migrated by openPostgres: ranking, accents, prefixes, phrases, the operators,
 * columns, paging by cursor keys, types, counts, snippets, look-ups by title words, and queries:
 * those FTS5 rejects are rejected with FTS5's own messages (checked against FTS5 itself, on
 * SQLite in memory), and no input ever reaches PostgreSQL as anything but words.
 *
 * The PostgreSQL `Store` is being written elsewhere; a small stand-in around the DataSource does
 * what these functions need of one (`all` with `?` placeholders, `cachedRead`).
 */
import BetterSqlite3 from "better-sqlite3";
import type { DataSource } from "typeorm";
import { searchRowId, SearchableType, SearchRow, SearchSyntaxError, SearchWindow } from "../../src/storage/fts";
import type { SqlValue } from "../../src/storage/dialect";
import { openPostgres } from "../../src/storage/postgres/open";
import { postgresDialect } from "../../src/storage/postgres/dialect";
import { markHeadline, searchCount, searchPage, titleWordsSubquery } from "../../src/storage/postgres/search";
import { toTsquery } from "../../src/storage/postgres/search-query";
import type { Store } from "../../src/storage/store";
import { createDatabase, describePostgres, dropDatabase } from "./pg-env";

const ALL: SearchableType[] = ["Article", "Organization", "Person", "Quote"];
const FORWARD: SearchWindow = { after: null, before: null, backward: false };

/** The statements a test store ran, with their parameters. */
interface Ran {
  sql: string;
  params: readonly SqlValue[];
}

/** Enough of a PostgreSQL `Store` for search: reads with `?` placeholders, recorded, and a read cache that keeps nothing. */
function testStore(ds: DataSource, ran: Ran[]): Store {
  const store: Pick<Store, "kind" | "dialect" | "dataSource" | "all" | "get" | "heavyRead" | "cachedRead"> = {
    kind: "postgres",
    dialect: postgresDialect,
    dataSource: ds,
    async all<T>(sql: string, params: readonly SqlValue[] = []): Promise<T[]> {
      ran.push({ sql, params });
      return (await ds.query(postgresDialect.native(sql), [...params])) as T[];
    },
    async get<T>(sql: string, params: readonly SqlValue[] = []): Promise<T | undefined> {
      return (await store.all<T>(sql, params))[0];
    },
    heavyRead: async <T>(sql: string, params: readonly SqlValue[]): Promise<T[]> => store.all<T>(sql, params),
    cachedRead: (_key, read) => read(),
  };
  return store as Store;
}

describePostgres("search.test.ts")("full-text search on PostgreSQL", () => {
  let url: string;
  let ds: DataSource;
  let db: Store;
  const ran: Ran[] = [];
  const ids: Record<string, number> = {};

  async function insert(name: string, sql: string, params: SqlValue[]): Promise<number> {
    const rows = (await ds.query(postgresDialect.native(`${sql} RETURNING id`), params)) as Array<{ id: number }>;
    ids[name] = rows[0].id;
    return rows[0].id;
  }

  const person = (key: string, name: string, aliases: string[], description: string | null): Promise<number> =>
    insert(key, `INSERT INTO person (name, aliases, description) VALUES (?, ?, ?)`, [name, JSON.stringify(aliases), description]);
  const organization = (key: string, name: string, aliases: string[], description: string | null): Promise<number> =>
    insert(key, `INSERT INTO organization (name, aliases, kind, description) VALUES (?, ?, 'government', ?)`, [name, JSON.stringify(aliases), description]);
  const quote = (key: string, text: string, offset: number): Promise<number> =>
    insert(key, `INSERT INTO quote (text, kind, "articleId", "startOffset", "endOffset") VALUES (?, 'DIRECT', ?, ?, ?)`, [text, ids.article, offset, offset + 1]);

  beforeAll(async () => {
    url = await createDatabase("search");
    ds = await openPostgres({ url });
    db = testStore(ds, ran);
    await insert(
      "article",
      `INSERT INTO article (url, title, publisher, "publishedAt", body, language) VALUES ('https://example.test/a', ?, 'Test', '2019-04-10', ?, 'en')`,
      [
        "Clashes Rage Near Tripoli",
        "Moscow called for a ceasefire. Officials said there is no military solution to the conflict, singling out the strongman’s forces near Tripoli while Haftar advanced. " +
          "Many more words follow here so that the body is long enough to be cut in a snippet: diplomacy, trade, envoys, talks, statements, briefings and the rest.",
      ],
    );
    await person("haftar", "Khalifa Haftar", ["Hafter"], "Libyan military commander of the eastern forces.");
    await person("emile", "Émile Zola", ["Zola"], "French novelist.");
    await person("mentions", "Aguila Saleh", [], "Speaker of the parliament, an ally of Haftar and a critic of the Tripoli government.");
    await person("xss", "Xssy <img src=x onerror=alert(1)>", [], `a <b>bold</b> & "quoted" <mark>fake</mark> text`);
    await person("angela", "Ангела Меркель", ["Merkel"], "Chancellor of Germany.");
    await organization("nato", "North Atlantic Treaty Organization", ["NATO"], "A military alliance.");
    await organization("lna", "Libyan National Army", ["LNA"], "Forces commanded by Haftar.");
    await quote("solution", "there is no military solution to the Libya conflict.", 1);
    await quote("reversed", "the solution: no military one, a conflict of Libya.", 3);
    await quote("negotiations", "We must restart negotiations between the parties.", 5);
    await quote("repeat", "ceasefire now, a ceasefire today, ceasefire", 7);
    await quote("once", "the long report mentions a ceasefire once among very many other unrelated words about diplomacy and trade", 9);
    await quote("crusade", "crusade.", 11);
    await quote("bloodshed", "to avoid any actions that could provoke bloodshed and the death of civilians,", 13);
    await quote("egypt", "Russia can do something in coordination with Egypt on Haftar.", 15);
    await quote("haftarForces", "Haftar forces advanced on the capital.", 17);
    await quote("cafe", "Un café à Genève, déjà vu.", 19);
    // Many quotes with the same words, so that pages are many and scores tie.
    for (let i = 0; i < 23; i += 1) await quote(`bulk${i}`, i % 3 === 0 ? "bulk report on Haftar" : `bulk note number ${i} about Libya and Russia`, 100 + 2 * i);
  });

  afterAll(async () => {
    await ds?.destroy();
    if (url) await dropDatabase(url);
  });

  const rowid = (type: SearchableType, key: string): number => searchRowId(type, ids[key]);
  const page = (query: string, options: { types?: SearchableType[]; window?: SearchWindow; limit?: number } = {}): Promise<readonly SearchRow[]> =>
    searchPage(db, query, options.types ?? ALL, options.window ?? FORWARD, options.limit ?? 100);
  const hits = async (query: string, types: SearchableType[] = ALL): Promise<number[]> => (await page(query, { types })).map((row) => row.id);

  it("ranks a name match above mentions in descriptions and quotes, best (lowest score) first", async () => {
    const rows = await page("Haftar");
    expect(rows[0].id).toBe(rowid("Person", "haftar"));
    expect(rows.map((r) => r.id)).toEqual(expect.arrayContaining([rowid("Person", "mentions"), rowid("Organization", "lna"), rowid("Quote", "egypt"), rowid("Article", "article")]));
    const scores = rows.map((r) => r.score);
    expect(scores).toEqual([...scores].sort((a, b) => a - b));
    expect(scores.every((s) => s < 0)).toBe(true);
    // Rows tied on score are in rowid order, as the keyset assumes.
    for (let i = 1; i < rows.length; i += 1) {
      if (rows[i].score === rows[i - 1].score) expect(rows[i].id).toBeGreaterThan(rows[i - 1].id);
    }
  });

  it("finds a name by an alias, and weighs an alias like the name", async () => {
    expect((await hits("NATO"))[0]).toBe(rowid("Organization", "nato"));
    expect(await hits("Hafter")).toEqual([rowid("Person", "haftar")]);
  });

  it("ranks a quote that repeats a term above one that mentions it once among many words", async () => {
    const rows = await hits("ceasefire", ["Quote"]);
    expect(rows).toEqual([rowid("Quote", "repeat"), rowid("Quote", "once")]);
  });

  it("folds accents and case both ways", async () => {
    expect(await hits("emile")).toEqual([rowid("Person", "emile")]);
    expect(await hits("ÉMILE")).toEqual([rowid("Person", "emile")]);
    expect(await hits("geneve cafe")).toEqual([rowid("Quote", "cafe")]);
    expect(await hits("Genève")).toEqual([rowid("Quote", "cafe")]);
    expect(await hits("АНГЕЛА")).toEqual([rowid("Person", "angela")]);
  });

  it("finds words by prefix, and only by the beginning of a word", async () => {
    expect(await hits("negotiat*")).toEqual([rowid("Quote", "negotiations")]);
    expect(await hits("gotiat*")).toEqual([]);
    expect(await hits("negotiat")).toEqual([]);
    expect(await hits("Zol*")).toEqual([rowid("Person", "emile")]);
  });

  it("matches a phrase in order only, and a prefix phrase on its last word only", async () => {
    expect(await hits('"no military solution"', ["Quote"])).toEqual([rowid("Quote", "solution")]);
    expect(await hits('"solution military no"', ["Quote"])).toEqual([]);
    expect(await hits("no + military + solution", ["Quote"])).toEqual([rowid("Quote", "solution")]);
    expect(await hits('"restart negot"*')).toEqual([rowid("Quote", "negotiations")]);
    expect(await hits('"rest negotiations"*')).toEqual([]);
    // Words side by side need not be a phrase.
    expect((await hits("solution military no", ["Quote"])).sort()).toEqual([rowid("Quote", "solution"), rowid("Quote", "reversed")].sort());
  });

  it("does not match a phrase across the end of a name and the start of its description", async () => {
    // The alias "Hafter", then "Libyan military …": adjacent in the row's vector, not in one column.
    expect(await hits('"Hafter Libyan"')).toEqual([]);
    expect(await hits("Hafter Libyan")).toEqual([rowid("Person", "haftar")]);
    expect(await hits('"Haftar Hafter"')).toEqual([rowid("Person", "haftar")]);
  });

  it("combines terms with AND, OR and binary NOT, NOT binding tighter than AND and AND than OR", async () => {
    expect((await hits("crusade OR bloodshed")).sort()).toEqual([rowid("Quote", "crusade"), rowid("Quote", "bloodshed")].sort());
    expect(await hits("Egypt AND coordination")).toEqual([rowid("Quote", "egypt")]);
    const not = await hits("Haftar NOT forces");
    expect(not).not.toContain(rowid("Quote", "haftarForces"));
    expect(not).not.toContain(rowid("Person", "haftar"));
    expect(not).toContain(rowid("Quote", "egypt"));
    expect(not.length).toBeLessThan((await hits("Haftar")).length);
    // crusade OR (bloodshed AND (Egypt NOT Haftar)): the NOT leaves out the Egypt quote only.
    expect(await hits("crusade OR bloodshed AND Egypt NOT Haftar")).toEqual([rowid("Quote", "crusade")]);
    expect((await hits("(crusade OR Egypt) NOT Haftar")).sort()).toEqual([rowid("Quote", "crusade")]);
    // Lower-case operators are words.
    expect(await hits("crusade or bloodshed")).toEqual([]);
  });

  it("limits a term to titles with title: and to bodies with body:", async () => {
    expect(await hits("title:Haftar")).toEqual([rowid("Person", "haftar")]);
    const body = await hits("body:Haftar");
    expect(body).not.toContain(rowid("Person", "haftar"));
    expect(body).toEqual(expect.arrayContaining([rowid("Person", "mentions"), rowid("Quote", "egypt")]));
    expect(await hits("-title:Tripoli", ["Article"])).toEqual([rowid("Article", "article")]);
    expect(await hits('title:"Clashes Rage"')).toEqual([rowid("Article", "article")]);
    expect(await hits("{title}:(Clashes OR Zola)")).toHaveLength(2);
    expect(await hits("title:(body:Haftar)")).toEqual([]);
  });

  it("limits hits to the requested types, and counts every hit of them", async () => {
    const quotes = await page("Haftar", { types: ["Quote"] });
    expect(quotes.length).toBeGreaterThan(2);
    expect(quotes.every((r) => r.id % 8 === 4)).toBe(true);
    expect(await searchCount(db, "Haftar", ["Quote"])).toBe(quotes.length);
    expect(await searchCount(db, "Haftar", ALL)).toBe((await page("Haftar")).length);
    expect(await searchCount(db, "Haftar", ["Person", "Organization"])).toBe(3);
    expect(await searchCount(db, "nosuchwordanywhere", ALL)).toBe(0);
  });

  async function allPages(query: string, size: number, backward: boolean): Promise<number[]> {
    const seen: number[] = [];
    let cursor: [number, number] | null = null;
    for (let pages = 0; pages < 100; pages += 1) {
      const window: SearchWindow = backward ? { after: null, before: cursor, backward: true } : { after: cursor, before: null, backward: false };
      const rows = await page(query, { window, limit: size + 1 });
      const shown = rows.slice(0, size);
      if (backward) seen.unshift(...shown.map((r) => r.id).reverse());
      else seen.push(...shown.map((r) => r.id));
      if (rows.length <= size) return seen;
      const last = shown[shown.length - 1];
      cursor = [last.score, last.id];
    }
    throw new Error("too many pages");
  }

  it("pages through hits by cursor keys without gaps or repeats, forward and backward", async () => {
    const query = "Haftar OR Russia OR Libya OR bulk";
    const all = (await page(query)).map((r) => r.id);
    expect(all.length).toBeGreaterThan(20);
    expect(new Set(all).size).toBe(all.length);
    expect(await searchCount(db, query, ALL)).toBe(all.length);
    for (const size of [1, 3, 7]) {
      expect(await allPages(query, size, false)).toEqual(all);
      expect(await allPages(query, size, true)).toEqual(all);
    }
  });

  it("takes a window between two keys from either end", async () => {
    const query = "bulk";
    const all = await page(query);
    const key = (row: SearchRow): [number, number] => [row.score, row.id];
    const between = { after: key(all[1]), before: key(all[9]) };
    expect((await page(query, { window: { ...between, backward: false }, limit: 3 })).map((r) => r.id)).toEqual(all.slice(2, 5).map((r) => r.id));
    expect((await page(query, { window: { ...between, backward: true }, limit: 3 })).map((r) => r.id)).toEqual(all.slice(6, 9).map((r) => r.id).reverse());
  });

  it("marks matched words in snippets, a phrase as one mark, with the text HTML-escaped", async () => {
    const [solution] = await page('"no military solution"', { types: ["Quote"] });
    expect(solution.snippet).toBe("there is <mark>no military solution</mark> to the Libya conflict.");
    const [negotiations] = await page("negotiat*");
    expect(negotiations.snippet).toContain("<mark>negotiations</mark>");
    expect((await page("Genève"))[0].snippet).toBe("Un café à <mark>Genève</mark>, déjà vu.");
    const byName = await page("Xssy");
    expect(byName.map((r) => r.snippet)).toEqual([`<mark>Xssy</mark> &lt;img src=x onerror=alert(1)&gt; `]);
    const byDescription = await page("quoted fake");
    expect(byDescription.map((r) => r.snippet)).toEqual([`a &lt;b&gt;bold&lt;/b&gt; &amp; &quot;<mark>quoted</mark>&quot; &lt;mark&gt;<mark>fake</mark>&lt;/mark&gt; text`]);
  });

  it("makes a snippet of the column that matches, about 16 words of a long text with … where text is left out", async () => {
    const [article] = await page("strongman");
    expect(article.id).toBe(rowid("Article", "article"));
    expect(article.snippet).toContain("<mark>strongman</mark>’s forces");
    expect(article.snippet.startsWith("…")).toBe(true);
    expect(article.snippet.endsWith("…")).toBe(true);
    expect(article.snippet.replace(/<\/?mark>|…/g, "").split(/\s+/).filter(Boolean).length).toBeLessThanOrEqual(17);
    // Words side by side are marked one by one, as FTS5 marks them, unless the query holds a phrase.
    expect((await page("no military", { types: ["Quote"] }))[0].snippet).toBe("there is <mark>no</mark> <mark>military</mark> solution to the Libya conflict.");
    // A title match shows the title; a body match the body.
    expect((await page("Clashes"))[0].snippet).toBe("<mark>Clashes</mark> Rage Near Tripoli");
    expect((await page("novelist"))[0].snippet).toBe("French <mark>novelist</mark>.");
    expect((await page("Zola"))[0].snippet).toBe("Émile <mark>Zola</mark> <mark>Zola</mark>");
  });

  it("gives every hit of a page a snippet with a mark, and makes headlines for the page's rows only", async () => {
    const rows = await page("Haftar OR Libya", { limit: 5 });
    expect(rows).toHaveLength(5);
    for (const row of rows) expect(row.snippet).toContain("<mark>");
    const statement = ran[ran.length - 1];
    const plan = (await ds.query(`EXPLAIN (ANALYZE, VERBOSE, FORMAT JSON) ${postgresDialect.native(statement.sql)}`, [...statement.params])) as Array<{ "QUERY PLAN": unknown }>;
    const nodes: Array<{ output: string[]; rows: number }> = [];
    const walk = (node: Record<string, unknown>): void => {
      const computed = [...((node.Output as string[] | undefined) ?? []), String(node.Filter ?? ""), String(node["Join Filter"] ?? "")];
      nodes.push({ output: computed, rows: Number(node["Actual Rows"]) * Number(node["Actual Loops"] ?? 1) });
      for (const child of (node.Plans as Array<Record<string, unknown>> | undefined) ?? []) walk(child);
    };
    walk((plan[0]["QUERY PLAN"] as Array<{ Plan: Record<string, unknown> }>)[0].Plan);
    const headlines = nodes.filter((n) => n.output.some((o) => o.includes("ts_headline")));
    expect(headlines.length).toBeGreaterThan(0);
    for (const node of headlines) expect(node.rows).toBeLessThanOrEqual(5);
    expect(await searchCount(db, "Haftar OR Libya", ALL)).toBeGreaterThan(5);
  });

  it("finds rows of one type whose title holds words, in order, or by prefixes in any order", async () => {
    const lookup = async (type: SearchableType, words: string[], prefix: boolean): Promise<number[]> => {
      const sub = titleWordsSubquery(type, words, { prefix, limit: 10 });
      const rows = (await ds.query(postgresDialect.native(`SELECT id FROM (${sub.sql}) s ORDER BY id`), sub.params)) as Array<{ id: number }>;
      return rows.map((r) => r.id);
    };
    expect(await lookup("Person", ["haftar"], false)).toEqual([ids.haftar]);
    expect(await lookup("Person", ["khalifa", "haftar"], false)).toEqual([ids.haftar]);
    expect(await lookup("Person", ["haftar", "khalifa"], false)).toEqual([]);
    expect(await lookup("Person", ["haf", "kha"], true)).toEqual([ids.haftar]);
    expect(await lookup("Person", ["ZOLA"], false)).toEqual([ids.emile]);
    expect(await lookup("Person", ["emile"], false)).toEqual([ids.emile]);
    // A description is not a title, nor is another type's row.
    expect(await lookup("Person", ["libyan"], false)).toEqual([]);
    expect(await lookup("Organization", ["nato"], false)).toEqual([ids.nato]);
    expect(await lookup("Person", ["nato"], false)).toEqual([]);
    expect(await lookup("Person", ["o'brien", "\\", ":*", "a&b|!c"], true)).toEqual([]);
  });

  it.each([
    ["an unbalanced quote", 'bad"syntax', /unterminated string/],
    ["an unclosed phrase", '"prisoner exchange', /unterminated string/],
    ["a dangling operator", "Haftar AND", /^fts5: syntax error near ""$/],
    ["a doubled operator", "Haftar AND OR forces", /^fts5: syntax error near "OR"$/],
    ["a word to leave out with -", "Haftar -forces", /^no such column: forces$/],
    ["a word ending in :", "Haftar:", /^no such column: Haftar$/],
    ["an unknown column", "nosuchcolumn:word", /^no such column: nosuchcolumn$/],
    ["a leading *", "*word", /^unknown special query/],
    ["punctuation outside quotes", "don't", /^fts5: syntax error near "'"$/],
    ["a parenthesis after a word", "a (b)", /^fts5: syntax error near "a"$/],
    ["an unclosed parenthesis", "(Haftar OR Libya", /^fts5: syntax error near ""$/],
    ["a NEAR distance that is no number", "NEAR(a b, x)", /^expected integer, got "x"$/],
  ])("rejects %s with SearchSyntaxError in FTS5's words", async (_label, query, message) => {
    for (const run of [(): Promise<unknown> => page(query), (): Promise<unknown> => searchCount(db, query, ALL)]) {
      const error = await run().then(
        () => null,
        (e: unknown) => e,
      );
      expect(error).toBeInstanceOf(SearchSyntaxError);
      expect((error as Error).message).toMatch(message);
    }
  });

  it("finds the same rows as FTS5 over the same texts, for queries of every operator", async () => {
    // The texts as SQLite's search_index holds them: name and aliases as the title, and so on.
    const rows = (await ds.query(
      `SELECT id::int8 * 8 + 1 AS id, title, body FROM article
       UNION ALL SELECT id::int8 * 8 + 2, name || ' ' || COALESCE((SELECT string_agg(value, ' ') FROM json_array_elements_text(aliases::json)), ''), COALESCE(description, '') FROM organization
       UNION ALL SELECT id::int8 * 8 + 3, name || ' ' || COALESCE((SELECT string_agg(value, ' ') FROM json_array_elements_text(aliases::json)), ''), COALESCE(description, '') FROM person
       UNION ALL SELECT id::int8 * 8 + 4, '', text FROM quote`,
    )) as Array<{ id: string; title: string; body: string }>;
    const fts = new BetterSqlite3(":memory:");
    try {
      fts.exec(`CREATE VIRTUAL TABLE s USING fts5(title, body, tokenize = 'unicode61 remove_diacritics 2')`);
      const add = fts.prepare(`INSERT INTO s (rowid, title, body) VALUES (?, ?, ?)`);
      for (const row of rows) add.run(BigInt(row.id), row.title, row.body);
      const match = fts.prepare(`SELECT rowid AS id FROM s WHERE s MATCH ? ORDER BY rowid`);
      const words = ["haftar", "Hafter", "libya", "military", "solution", "no", "ceasefire", "forces", "russia", "bulk", "report", "Zola", "Émile", "geneve", "café", "tripoli", "the", "of", "a", "note", "egypt", "nato", "ЛЮБОЙ", "Ангела"];
      let seed = 7;
      const random = (n: number): number => {
        seed = (seed * 1103515245 + 12345) & 0x7fffffff;
        return seed % n;
      };
      const term = (): string => {
        const word = words[random(words.length)];
        switch (random(6)) {
          case 0:
            return `${word.slice(0, 3)}*`;
          case 1:
            return `"${word} ${words[random(words.length)]}"`;
          case 2:
            return `${["title", "body", "-title"][random(3)]}:${word}`;
          default:
            return word;
        }
      };
      const expression = (depth: number): string => {
        if (depth > 2 || random(3) === 0) return term();
        const left = expression(depth + 1);
        const right = expression(depth + 1);
        switch (random(5)) {
          case 0:
            return `${left} OR ${right}`;
          case 1:
            return `${left} AND ${right}`;
          case 2:
            return `${left} NOT ${right}`;
          case 3:
            return `(${left} OR ${right})`;
          default:
            return `${term()} ${term()}`;
        }
      };
      let nonEmpty = 0;
      const queries = ['"no military solution"', '"military solution" OR crusade', "title:(Haftar OR Zola)", "bulk NOT (Haftar OR Libya)", '"restart negot"*', "no + military"];
      for (let i = 0; i < 300; i += 1) queries.push(expression(0));
      for (const query of queries) {
        const expected = (match.all(query) as Array<{ id: bigint | number }>).map((r) => Number(r.id));
        const found = (await page(query, { limit: 1000 })).map((r) => r.id).sort((a, b) => a - b);
        if (expected.length > 0) nonEmpty += 1;
        expect({ query, found }).toEqual({ query, found: expected });
      }
      expect(nonEmpty).toBeGreaterThan(100);
    } finally {
      fts.close();
    }
  });

  it("never lets a query reach PostgreSQL as anything but words, however hostile", async () => {
    const hostile = [
      `"'; DROP TABLE person; --"`,
      `"a'b" "c''d" "e\\f" "\\'" "''" "\\\\"`,
      `"a:b" "a:*" "x:A" "!a" "a & b" "a | b" "a <-> b" "a <2> b" "(a" "a)"`,
      `"&|!<->():*'\\"`,
      `"" AND "" OR ""`,
      `Haftar NOT ""`,
      `"?" "$1" "$$" "\u0002\u0003" "\u0004"`,
      `title:"'" body:"\\"*`,
      `"${"x".repeat(5000)}"`,
      `${"word ".repeat(400)}`,
      `${"(".repeat(97)}a${")".repeat(97)}`,
      `${Array.from({ length: 300 }, (_, i) => `w${i}`).join(" OR ")}`,
      `"${"é".repeat(3000)}"*`,
      `"a${" ".repeat(3000)}b"`,
    ];
    for (const query of hostile) {
      await expect(page(query, { limit: 3 })).resolves.toBeDefined();
      await expect(searchCount(db, query, ALL)).resolves.toBeGreaterThanOrEqual(0);
    }
    // A NUL character ends the query, as in FTS5 (which reads a C string); PostgreSQL takes none.
    expect(await hits("Hafter\u0000 NOT Hafter")).toEqual([rowid("Person", "haftar")]);
    await expect(page('"Hafter\u0000"')).rejects.toThrow(new SearchSyntaxError("unterminated string"));
    expect(await searchCount(db, "person", ["Person"])).toBe(0);
    expect(Number((await ds.query(`SELECT count(*) AS n FROM person`))[0].n)).toBeGreaterThan(3);
    // A quoted word with tsquery syntax in it is still the words it holds.
    expect(await hits(`"Hafter:*"`, ["Person"])).toEqual([rowid("Person", "haftar")]);
    expect(await hits(`"Hafte:*"`, ["Person"])).toEqual([]);
    expect(await hits(`"Haftar & !Khalifa"`, ["Person"])).toEqual([]);
  });

});

/** The translator and the snippet markup, which need no database: they run with or without PostgreSQL. */
describe("the search query translator and snippet markup for PostgreSQL", () => {
  it("turns stray sentinels into balanced marks and escapes every special character", () => {
    expect(markHeadline("\u0002a\u0002 b\u0003\u0003 <&>\"' \u0004x\u0005", false)).toBe("<mark>a b</mark> &lt;&amp;&gt;&quot;&#39; &lt;x&gt;");
    expect(markHeadline("\u0002open", false)).toBe("<mark>open</mark>");
    expect(markHeadline("\u0002a\u0003  \u0002b\u0003", true)).toBe("<mark>a  b</mark>");
    expect(markHeadline("\u0002a\u0003  \u0002b\u0003", false)).toBe("<mark>a</mark>  <mark>b</mark>");
    expect(markHeadline("\u0002a\u0003, \u0002b\u0003", true)).toBe("<mark>a</mark>, <mark>b</mark>");
  });

  it("accepts and rejects exactly the queries FTS5 does, with the same messages", () => {
    const fts = new BetterSqlite3(":memory:");
    try {
      fts.exec(`CREATE VIRTUAL TABLE s USING fts5(title, body, tokenize = 'unicode61 remove_diacritics 2')`);
      const match = fts.prepare(`SELECT rowid FROM s WHERE s MATCH ?`);
      const atoms = ["\u0000", "a", "b", "é", "AND", "OR", "NOT", "NEAR", "NEAR(", "(", ")", "{", "}", ":", ",", "+", "*", "-", "^", '"', '"a b"', '"title"', "title", "body", "TITLE", "5", ".", "'", "\\", "_", "\t", "\f", " ", " ", " "];
      let seed = 17;
      const random = (n: number): number => {
        seed = (seed * 1103515245 + 12345) & 0x7fffffff;
        return seed % n;
      };
      let rejected = 0;
      for (let i = 0; i < 5000; i += 1) {
        let query = "";
        for (let j = random(8); j >= 0; j -= 1) query += atoms[random(atoms.length)] + (random(2) === 0 ? " " : "");
        const ftsError = ((): string | null => {
          try {
            match.all(query);
            return null;
          } catch (e) {
            return (e as Error).message;
          }
        })();
        const ourError = ((): string | null => {
          try {
            toTsquery(query);
            return null;
          } catch (e) {
            return (e as Error).message;
          }
        })();
        if (ftsError !== null) rejected += 1;
        expect({ query, error: ourError }).toEqual({ query, error: ftsError });
      }
      // Both kinds were tried.
      expect(rejected).toBeGreaterThan(500);
      expect(rejected).toBeLessThan(4500);
    } finally {
      fts.close();
    }
  });

  it("refuses a query nested too deep for FTS5's parser or tree exactly where FTS5 does", () => {
    const fts = new BetterSqlite3(":memory:");
    try {
      fts.exec(`CREATE VIRTUAL TABLE s USING fts5(title, body)`);
      const match = fts.prepare(`SELECT rowid FROM s WHERE s MATCH ?`);
      const nested = (open: string, inner: string) => (n: number): string => open.repeat(n) + inner + ")".repeat(n);
      const chain = (term: (i: number) => string) => (n: number): string => Array.from({ length: 3 * n }, (_, i) => term(i)).join(" NOT ");
      const patterns = [
        nested("(", "a"),
        nested("(", "a + b*"),
        nested("(", "x y NEAR(a + b* c, 12)"),
        nested("a OR b AND (", "a"),
        nested("-{title body}:(", "a"),
        nested("(", "x -title:a"),
        chain((i) => `w${i}`),
        chain((i) => `(w${i} OR (x AND y))`),
      ];
      const outcome = (run: () => unknown): string => {
        try {
          run();
          return "ok";
        } catch (e) {
          return (e as Error).message;
        }
      };
      const refused = new Set<string>();
      for (const pattern of patterns) {
        for (let n = 1; n <= 100; n += 1) {
          const query = pattern(n);
          const expected = outcome(() => match.all(query));
          if (expected !== "ok") refused.add(expected);
          expect({ n, query: query.slice(0, 40), outcome: outcome(() => toTsquery(query)) }).toEqual({ n, query: query.slice(0, 40), outcome: expected });
        }
      }
      expect([...refused].sort()).toEqual(["fts5 expression tree is too large (maximum depth 256)", "fts5: parser stack overflow"]);
    } finally {
      fts.close();
    }
  });

  it("writes the query as a tsquery of quoted words with FTS5's meaning", () => {
    expect(toTsquery("Haftar")).toBe(`'Haftar'`);
    expect(toTsquery("negotiat*")).toBe(`'negotiat':*`);
    expect(toTsquery('"no military solution"')).toBe(`('no military solution':A | 'no military solution':B)`);
    expect(toTsquery("a OR b c")).toBe(`('a' | ('b' & 'c'))`);
    expect(toTsquery("a NOT b")).toBe(`('a' & !'b')`);
    expect(toTsquery("title:a body:b*")).toBe(`('a':A & 'b':*B)`);
    expect(toTsquery(`"it's \\ x"`)).toBe(`('it''s \\\\ x':A | 'it''s \\\\ x':B)`);
  });
});
