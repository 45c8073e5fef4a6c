import crypto from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import BetterSqlite3 from "better-sqlite3";
import { Database } from "../src/storage/database";
import { createSearchIndexStatements, dropSearchIndexStatements } from "../src/storage/fts";
import { PROJECT_ROOT } from "../src/paths";
import { generate, GenerateError, GenerateProgress, GenerateReport, plannedCounts, TABLES, TableName } from "../tools/generate/generate";
import { isPartialDate } from "../src/types/partial-date";
import { createTestServer, tempDir } from "./helpers";

const QUOTES = 2000;
const SEED = 7;

/** A digest of every row of every generated table, to compare two databases' contents. */
function contents(file: string): Record<TableName, string> {
  const sqlite = new BetterSqlite3(file, { readonly: true });
  try {
    const digests = {} as Record<TableName, string>;
    for (const table of TABLES) {
      const hash = crypto.createHash("sha256");
      for (const row of sqlite.prepare(`SELECT * FROM "${table}" ORDER BY id`).raw().iterate()) hash.update(JSON.stringify(row));
      digests[table] = hash.digest("hex");
    }
    return digests;
  } finally {
    sqlite.close();
  }
}

/** The schema objects a database holds, minus SQLite's own (statistics, sequences). */
function schema(sqlite: BetterSqlite3.Database): Array<{ type: string; name: string; sql: string | null }> {
  return sqlite
    .prepare(`SELECT type, name, sql FROM sqlite_master WHERE name NOT LIKE 'sqlite_%' ORDER BY type, name`)
    .all() as Array<{ type: string; name: string; sql: string | null }>;
}

describe("the synthetic data generator", () => {
  let dir: string;
  let file: string;
  let report: GenerateReport;
  let sqlite: BetterSqlite3.Database;
  let bodies: Map<number, string>;
  const progress: GenerateProgress[] = [];

  beforeAll(async () => {
    dir = tempDir("news-kb-generate-");
    file = path.join(dir, "kb.sqlite");
    report = await generate({ out: file, quotes: QUOTES, seed: SEED, onProgress: (p) => progress.push(p) });
    sqlite = new BetterSqlite3(file, { readonly: true });
    bodies = new Map(
      (sqlite.prepare(`SELECT id, body FROM article`).all() as Array<{ id: number; body: string }>).map((a) => [a.id, a.body]),
    );
  });

  afterAll(() => {
    sqlite.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it("scales every table from the number of quotes", () => {
    expect(report.counts).toEqual({ country: 12, organization: 20, person: 200, article: 100, position: 300, quote: QUOTES });
    for (const table of TABLES) {
      const { n } = sqlite.prepare(`SELECT COUNT(*) AS n FROM "${table}"`).get() as { n: number };
      expect({ table, n }).toEqual({ table, n: report.counts[table] });
    }
    expect(report.totalRows).toBe(2632);
    expect(report.fileBytes).toBe(fs.statSync(file).size);
  });

  it("reports its progress table by table up to every row", () => {
    const done = progress.map((p) => p.rowsDone);
    expect(done).toEqual([...done].sort((a, b) => a - b));
    expect(progress.every((p) => p.rowsTotal === report.totalRows)).toBe(true);
    expect(progress[progress.length - 1]).toEqual({ phase: "analyze", rowsDone: report.totalRows, rowsTotal: report.totalRows });
    expect([...new Set(progress.map((p) => p.phase))]).toEqual([...TABLES, "index", "analyze"]);
  });

  it("takes explicit sizes over the scaled ones and refuses sizes it cannot honor", () => {
    expect(plannedCounts({ quotes: 1_000_000 })).toEqual({
      country: 250,
      organization: 10_000,
      person: 100_000,
      article: 50_000,
      position: 150_000,
      quote: 1_000_000,
    });
    expect(plannedCounts({ quotes: 100, people: 3, articles: 1 })).toMatchObject({ person: 3, article: 1, quote: 100 });
    expect(() => plannedCounts({ quotes: 10, articles: 0 })).toThrow(GenerateError);
    expect(() => plannedCounts({ quotes: 10, people: 0 })).toThrow(GenerateError);
    expect(() => plannedCounts({ quotes: 10, countries: 1000 })).toThrow(GenerateError);
    expect(() => plannedCounts({ quotes: -1 })).toThrow(GenerateError);
  });

  it("slices every quote's text out of its article body, direct quotes between curly quotation marks", () => {
    const quotes = sqlite.prepare(`SELECT id, text, kind, articleId, startOffset, endOffset FROM quote`).all() as Array<{
      id: number;
      text: string;
      kind: string;
      articleId: number;
      startOffset: number;
      endOffset: number;
    }>;
    const wrong = quotes.filter((q) => {
      const body = bodies.get(q.articleId) as string;
      if (body.slice(q.startOffset, q.endOffset) !== q.text) return true;
      return q.kind === "DIRECT" && (body[q.startOffset - 1] !== "“" || body[q.endOffset] !== "”");
    });
    expect(wrong).toEqual([]);
    // Paraphrases are the article's own words, never inside quotation marks.
    const paraphrases = quotes.filter((q) => q.kind === "PARAPHRASE");
    expect(paraphrases.filter((q) => q.text.includes("“") || q.text.includes("”"))).toEqual([]);
  });

  it("mixes direct quotes and paraphrases, by people, states, organizations and nobody named", () => {
    const mix = sqlite
      .prepare(
        `SELECT kind,
                CASE WHEN speakerId IS NOT NULL THEN 'person' WHEN speakerCountryId IS NOT NULL THEN 'country'
                     WHEN speakerOrganizationId IS NOT NULL THEN 'organization' ELSE 'nobody' END AS speaker,
                COUNT(*) AS n
         FROM quote GROUP BY 1, 2`,
      )
      .all() as Array<{ kind: string; speaker: string; n: number }>;
    const share = (predicate: (row: { kind: string; speaker: string }) => boolean): number =>
      mix.filter(predicate).reduce((sum, row) => sum + row.n, 0) / QUOTES;
    expect(share((r) => r.kind === "DIRECT")).toBeGreaterThan(0.5);
    expect(share((r) => r.kind === "PARAPHRASE")).toBeGreaterThan(0.3);
    expect(share((r) => r.speaker === "person")).toBeGreaterThan(0.8);
    for (const speaker of ["country", "organization", "nobody"]) expect(share((r) => r.speaker === speaker)).toBeGreaterThan(0);
    // A quote has at most one kind of speaker.
    const { n } = sqlite
      .prepare(
        `SELECT COUNT(*) AS n FROM quote WHERE (speakerId IS NOT NULL) + (speakerCountryId IS NOT NULL) + (speakerOrganizationId IS NOT NULL) > 1`,
      )
      .get() as { n: number };
    expect(n).toBe(0);
  });

  it("writes quotes with the topics of the news, the common ones far more often than the rare ones", () => {
    const count = (word: string): number =>
      (sqlite.prepare(`SELECT COUNT(*) AS n FROM quote WHERE text LIKE ?`).get(`%${word}%`) as { n: number }).n;
    const negotiations = count("negotiations");
    expect(negotiations).toBeGreaterThan(count("ceasefire"));
    expect(count("ceasefire")).toBeGreaterThan(count("prisoner exchange"));
    expect(count("military solution")).toBeGreaterThan(0);
    const { texts } = sqlite.prepare(`SELECT COUNT(DISTINCT text) AS texts FROM quote`).get() as { texts: number };
    expect(texts).toBeGreaterThan(QUOTES * 0.7);
  });

  it("slices every position's evidence out of its article body: the title and the person's name", () => {
    const positions = sqlite
      .prepare(
        `SELECT p.id, p.title, p.articleId, p.startOffset, p.endOffset, p.organizationId, p.countryId, p.startDate, p.endDate,
                person.name, person.aliases
         FROM position p JOIN person ON person.id = p.personId`,
      )
      .all() as Array<{
      id: number;
      title: string;
      articleId: number;
      startOffset: number;
      endOffset: number;
      organizationId: number | null;
      countryId: number | null;
      startDate: string | null;
      endDate: string | null;
      name: string;
      aliases: string;
    }>;
    const wrong = positions.filter((p) => {
      const words = (bodies.get(p.articleId) as string).slice(p.startOffset, p.endOffset);
      // Ignoring case: at the start of a sentence "van Beneov" is written "Van Beneov".
      const lower = words.toLowerCase();
      const names = [p.name, ...(JSON.parse(p.aliases) as string[])].map((name) => name.toLowerCase());
      return !lower.includes(p.title.toLowerCase()) || !names.some((name) => lower.includes(name));
    });
    expect(wrong).toEqual([]);

    const badDates = positions.filter((p) => {
      if (p.startDate !== null && !isPartialDate(p.startDate)) return true;
      if (p.endDate !== null && !isPartialDate(p.endDate)) return true;
      if (p.startDate === null || p.endDate === null) return false;
      // Compared at the coarser of the two precisions: "2011" is not before "2011-10-20".
      const length = Math.min(p.startDate.length, p.endDate.length);
      return p.endDate.slice(0, length) < p.startDate.slice(0, length);
    });
    expect(badDates).toEqual([]);
    const precisions = new Set(positions.flatMap((p) => [p.startDate, p.endDate]).filter((d) => d !== null).map((d) => (d as string).length));
    expect([...precisions].sort((a, b) => a - b)).toEqual([4, 7, 10]);
    expect(positions.filter((p) => p.startDate !== null && p.endDate === null).length).toBeGreaterThan(0);
    expect(positions.filter((p) => p.endDate !== null).length).toBeGreaterThan(0);
    expect(positions.filter((p) => p.organizationId !== null).length).toBeGreaterThan(0);
    expect(positions.filter((p) => p.countryId !== null && p.organizationId === null).length).toBeGreaterThan(0);
  });

  it("gives people up to three aliases, and organizations kinds, aliases, countries and parents", () => {
    const people = sqlite.prepare(`SELECT name, aliases FROM person`).all() as Array<{ name: string; aliases: string }>;
    const aliasCounts = new Set(people.map((p) => (JSON.parse(p.aliases) as string[]).length));
    expect([...aliasCounts].sort((a, b) => a - b)).toEqual([0, 1, 2, 3]);
    expect(people.filter((p) => (JSON.parse(p.aliases) as string[]).includes(p.name))).toEqual([]);

    const organizations = sqlite.prepare(`SELECT kind, aliases, countryId, parentId FROM organization`).all() as Array<{
      kind: string;
      aliases: string;
      countryId: number | null;
      parentId: number | null;
    }>;
    expect(new Set(organizations.map((o) => o.kind)).size).toBeGreaterThan(3);
    expect(organizations.some((o) => (JSON.parse(o.aliases) as string[]).length > 0)).toBe(true);
    expect(organizations.some((o) => o.countryId !== null)).toBe(true);

    const countries = sqlite.prepare(`SELECT name, alpha2, alpha3 FROM country`).all() as Array<{ name: string; alpha2: string; alpha3: string }>;
    expect(countries.filter((c) => !/^[A-Z]{2}$/.test(c.alpha2) || !/^[A-Z]{3}$/.test(c.alpha3))).toEqual([]);
  });

  it("gives some organizations a parent in their own country", async () => {
    const more = path.join(dir, "more-organizations.sqlite");
    await generate({ out: more, quotes: 100, organizations: 200 });
    const db = new BetterSqlite3(more, { readonly: true });
    try {
      const { n } = db.prepare(`SELECT COUNT(*) AS n FROM organization WHERE parentId IS NOT NULL`).get() as { n: number };
      expect(n).toBeGreaterThan(0);
      const { elsewhere } = db
        .prepare(`SELECT COUNT(*) AS elsewhere FROM organization o JOIN organization parent ON parent.id = o.parentId WHERE parent.countryId IS NOT o.countryId`)
        .get() as { elsewhere: number };
      expect(elsewhere).toBe(0);
    } finally {
      db.close();
    }
  });

  it("leaves every foreign key valid and passes SQLite's integrity check", () => {
    expect(sqlite.pragma("foreign_key_check")).toEqual([]);
    expect(sqlite.pragma("integrity_check")).toEqual([{ integrity_check: "ok" }]);
  });

  it("builds exactly the schema the migrations build, analyzed and checkpointed", async () => {
    const reference = path.join(dir, "reference.sqlite");
    const db = await Database.open(reference);
    try {
      expect(schema(sqlite)).toEqual(schema(db.sqlite));
    } finally {
      await db.close();
    }
    const { n } = sqlite.prepare(`SELECT COUNT(*) AS n FROM sqlite_stat1`).get() as { n: number };
    expect(n).toBeGreaterThan(0);
    expect(sqlite.pragma("journal_mode", { simple: true })).toBe("wal");
    expect(fs.existsSync(`${file}-wal`) ? fs.statSync(`${file}-wal`).size : 0).toBe(0);
  });

  it("leaves every full-text index internally consistent", () => {
    const writable = new BetterSqlite3(file);
    try {
      const fts = writable
        .prepare(`SELECT name FROM sqlite_master WHERE type = 'table' AND sql LIKE 'CREATE VIRTUAL TABLE%USING fts5%'`)
        .pluck()
        .all() as string[];
      // FTS5's own check: its index matches the text it stores (throws SQLITE_CORRUPT_VTAB otherwise).
      for (const table of fts) writable.prepare(`INSERT INTO "${table}" ("${table}") VALUES ('integrity-check')`).run();
    } finally {
      writable.close();
    }
  });

  it("fills the search index with exactly what the migrations' statements put there, and leaves no scratch file", () => {
    // Rebuilt from the generated rows by the index's own statements, on a copy.
    const rebuilt = path.join(dir, "rebuilt.sqlite");
    fs.copyFileSync(file, rebuilt);
    const copy = new BetterSqlite3(rebuilt);
    try {
      for (const sql of [...dropSearchIndexStatements(), ...createSearchIndexStatements()]) copy.exec(sql);
      const rows = (db: BetterSqlite3.Database): unknown[] => db.prepare(`SELECT rowid, title, body FROM search_index ORDER BY rowid`).raw().all();
      const expected = rows(copy);
      expect(expected.length).toBe(report.counts.article + report.counts.organization + report.counts.person + report.counts.quote);
      expect(rows(sqlite)).toEqual(expected);
      const match = (db: BetterSqlite3.Database): unknown[] =>
        db.prepare(`SELECT rowid FROM search_index WHERE search_index MATCH 'negotiat*' ORDER BY rowid`).pluck().all();
      expect(match(sqlite).length).toBeGreaterThan(0);
      expect(match(sqlite)).toEqual(match(copy));
    } finally {
      copy.close();
    }
    // Beside the file, only what SQLite keeps for the open read-only connection.
    const base = path.basename(file);
    expect(fs.readdirSync(dir).filter((name) => name.startsWith(base) && ![base, `${base}-wal`, `${base}-shm`].includes(name))).toEqual([]);
  });

  it("produces identical tables for the same seed and different ones for another seed", async () => {
    const again = path.join(dir, "again.sqlite");
    const other = path.join(dir, "other.sqlite");
    await generate({ out: again, quotes: QUOTES, seed: SEED });
    await generate({ out: other, quotes: QUOTES, seed: SEED + 1 });
    const first = contents(file);
    expect(contents(again)).toEqual(first);
    const different = contents(other);
    for (const table of TABLES) expect({ table, same: different[table] === first[table] }).toEqual({ table, same: false });
  });

  it("refuses to overwrite an existing file unless forced", async () => {
    const existing = path.join(dir, "existing.sqlite");
    fs.writeFileSync(existing, "not a database");
    await expect(generate({ out: existing, quotes: 10 })).rejects.toThrow(/already exists/);
    expect(fs.readFileSync(existing, "utf8")).toBe("not a database");
    const forced = await generate({ out: existing, quotes: 10, force: true });
    expect(forced.counts.quote).toBe(10);
    await expect(generate({ out: dir, quotes: 10, force: true })).rejects.toThrow(/directory/);
  });

  it("never writes into the server's default database", async () => {
    const live = path.join(PROJECT_ROOT, "data", "kb.sqlite");
    const before = fs.existsSync(live) ? fs.statSync(live).mtimeMs : null;
    await expect(generate({ out: live, quotes: 10, force: true })).rejects.toThrow(/refusing/);
    expect(fs.existsSync(live) ? fs.statSync(live).mtimeMs : null).toBe(before);
  });

  it("serves the generated database through the GraphQL server", async () => {
    const server = await createTestServer({ databasePath: file, seed: false });
    try {
      const country = sqlite
        .prepare(`SELECT c.alpha2, COUNT(*) AS people FROM country c JOIN person p ON p.countryId = c.id GROUP BY c.id ORDER BY people DESC LIMIT 1`)
        .get() as { alpha2: string; people: number };
      const data = await server.data<{
        quotes: { totalCount: number; nodes: Array<{ text: string; kind: string; evidence: { text: string } }> };
        country: {
          people: {
            totalCount: number;
            nodes: Array<{ name: string; positions: { nodes: Array<{ title: string; evidence: { text: string } }> } }>;
          };
        };
      }>(
        `query ($code: String!) {
          quotes(first: 10) { totalCount nodes { text kind speaker { name } evidence { startOffset endOffset text } } }
          country(code: $code) {
            name
            people(first: 5) {
              totalCount
              nodes { name positions(first: 3) { nodes { title evidence { text } } } quotes(first: 2) { nodes { text } } }
            }
          }
        }`,
        { code: country.alpha2 },
      );
      expect(data.quotes.totalCount).toBe(QUOTES);
      expect(data.quotes.nodes).toHaveLength(10);
      for (const quote of data.quotes.nodes) expect(quote.evidence.text).toBe(quote.text);
      expect(data.country.people.totalCount).toBe(country.people);
      for (const person of data.country.people.nodes) {
        for (const position of person.positions.nodes) expect(position.evidence.text.toLowerCase()).toContain(position.title.toLowerCase());
      }
    } finally {
      await server.close();
    }
  });
});
