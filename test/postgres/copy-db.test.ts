/**
 * copy-db against a real PostgreSQL: the seed (plus rows that test the corners: every table,
 * text with tabs, newlines and backslashes, non-ASCII names, milliseconds, a double, an
 * organization whose parent has a higher id, a deleted last id) goes SQLite → PostgreSQL →
 * SQLite and comes back identical, row for row, with the same schema, search index and id
 * sequences; a target holding data is refused unless replacing; a failed copy leaves the target
 * as it was.
 */
import { execFile } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import BetterSqlite3 from "better-sqlite3";
import { loadFixtures } from "../../src/seed/fixture";
import { seedAll } from "../../src/seed/seed";
import { Database } from "../../src/storage/database";
import { copyDatabase, CopyError } from "../../tools/copy-db/copy";
import { copyPlan } from "../../tools/copy-db/plan";
import { createDatabase, describePostgres, dropDatabase, withClient } from "./pg-env";

const ROOT = path.join(__dirname, "..", "..");
const TRICKY_TEXT = "tab\there, line\nbreak, carriage\rreturn, back\\slash \\N, quote \"'\u00a0, emoji 🗞️, Zoë Ångström, Ангела";
const EDIT_AT = "2026-12-05 07:11:09.895";

/** A seeded SQLite knowledge base with rows in every table and the corner cases above. */
async function seededSqlite(file: string): Promise<void> {
  const db = await Database.open(file, { readWorkers: 0 });
  try {
    await seedAll(db, loadFixtures());
    const s = db.sqlite;
    const article = (s.prepare(`SELECT id FROM article ORDER BY id LIMIT 1`).get() as { id: number }).id;
    const child = s.prepare(`INSERT INTO organization (name, kind) VALUES ('Child Org', 'government')`).run().lastInsertRowid;
    const parent = s.prepare(`INSERT INTO organization (name, kind, description) VALUES ('Parent Org', 'government', ?)`).run(TRICKY_TEXT).lastInsertRowid;
    s.prepare(`UPDATE organization SET "parentId" = ? WHERE id = ?`).run(parent, child);
    s.prepare(`INSERT INTO person (name, aliases, description) VALUES (?, ?, ?)`).run("Zoë Ångström-Ángel", JSON.stringify(["Ангела", "Zoe \"Z\" Angstrom"]), TRICKY_TEXT);
    s.prepare(`INSERT INTO edit (editor, action, mutation, "entityType", "entityId", before, after, "createdAt") VALUES ('alice', 'UPDATE', 'updatePerson', 'Person', 1, ?, NULL, ?)`).run(
      JSON.stringify({ name: TRICKY_TEXT }),
      EDIT_AT,
    );
    const proposal = s
      .prepare(`INSERT INTO proposal (url, title, publisher, "publishedAt", language, body, status, "proposedBy", "articleId") VALUES ('https://example.test/p', 'P', 'Pub', '2026-01-01', 'en', ?, 'PENDING', 'bob', ?)`)
      .run(TRICKY_TEXT, article).lastInsertRowid;
    s.prepare(`INSERT INTO candidate (proposalId, key, type, status, rule, confidence, "startOffset", "endOffset", data) VALUES (?, 'k1', 'PERSON', 'PENDING', 'rule', ?, 0, 3, ?)`).run(
      proposal,
      0.1234567890123457,
      JSON.stringify({ text: TRICKY_TEXT }),
    );
    // A deleted last quote: its id must not be handed out again on the copies.
    const lastQuote = (s.prepare(`SELECT MAX(id) AS id FROM quote`).get() as { id: number }).id;
    s.prepare(`DELETE FROM mention WHERE "quoteId" = ?`).run(lastQuote);
    s.prepare(`DELETE FROM quote WHERE id = ?`).run(lastQuote);
  } finally {
    await db.close();
  }
}

/** Rows of `a` not in `b` and of `b` not in `a`, for every copied table, the sequences and the search index. */
function differences(a: string, b: string): Record<string, [number, number]> {
  const db = new BetterSqlite3(a, { readonly: true });
  try {
    db.exec(`ATTACH '${b.replace(/'/g, "''")}' AS other`);
    const result: Record<string, [number, number]> = {};
    const compare = (name: string, select: (schema: string) => string): void => {
      const count = (x: string, y: string): number => (db.prepare(`SELECT COUNT(*) AS n FROM (${select(x)} EXCEPT ${select(y)})`).get() as { n: number }).n;
      result[name] = [count("main", "other"), count("other", "main")];
    };
    for (const { table } of copyPlan()) compare(table, (schema) => `SELECT * FROM ${schema}."${table}"`);
    compare("sqlite_sequence", (schema) => `SELECT name, seq FROM ${schema}.sqlite_sequence`);
    compare("search_index", (schema) => `SELECT rowid, title, body FROM ${schema}.search_index`);
    compare("schema", (schema) => `SELECT type, name, tbl_name, sql FROM ${schema}.sqlite_master`);
    return result;
  } finally {
    db.close();
  }
}

function counts(file: string): Record<string, number> {
  const db = new BetterSqlite3(file, { readonly: true });
  try {
    return Object.fromEntries(copyPlan().map(({ table }) => [table, (db.prepare(`SELECT COUNT(*) AS n FROM "${table}"`).get() as { n: number }).n]));
  } finally {
    db.close();
  }
}

describePostgres("test/postgres/copy-db.test.ts")("copy-db between SQLite and PostgreSQL", () => {
  // Made in beforeAll, which a skipped file never runs.
  let dir: string;
  let source: string;
  let back: string;
  const made: string[] = [];
  let pgUrl: string;

  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "copy-db-"));
    source = path.join(dir, "source.sqlite");
    back = path.join(dir, "back.sqlite");
    await seededSqlite(source);
    pgUrl = await createDatabase("copy");
    made.push(pgUrl);
  });

  afterAll(async () => {
    for (const url of made) await dropDatabase(url);
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it("has a source with rows in every table", () => {
    const n = counts(source);
    for (const [table, rows] of Object.entries(n)) expect([table, rows > 0]).toEqual([table, true]);
  });

  it("copies SQLite into PostgreSQL with identical counts, values and search, and ids that are not reused", async () => {
    const report = await copyDatabase({ from: source, to: pgUrl, batchSize: 7 });
    expect(report.ok).toBe(true);
    expect(report.tables.map((t) => [t.table, t.target])).toEqual(Object.entries(counts(source)));
    expect(report.search.target).toBe(report.search.expected);

    const sqlite = new BetterSqlite3(source, { readonly: true });
    try {
      await withClient(pgUrl, async (pg) => {
        // Values as PostgreSQL holds them, not only after a round trip.
        const edit = (await pg.query(`SELECT before, "createdAt" = $1::timestamptz AS same FROM edit WHERE editor = 'alice'`, [`${EDIT_AT}Z`])).rows[0];
        expect(edit).toEqual({ before: JSON.stringify({ name: TRICKY_TEXT }), same: true });
        expect((await pg.query(`SELECT confidence FROM candidate`)).rows).toEqual([{ confidence: 0.1234567890123457 }]);
        expect((await pg.query(`SELECT description FROM person WHERE name = $1`, ["Zoë Ångström-Ángel"])).rows).toEqual([{ description: TRICKY_TEXT }]);
        const seeded = sqlite.prepare(`SELECT id, text FROM quote ORDER BY id LIMIT 1`).get() as { id: number; text: string };
        expect((await pg.query(`SELECT text FROM quote WHERE id = $1`, [seeded.id])).rows).toEqual([{ text: seeded.text }]);
        const created = sqlite.prepare(`SELECT "createdAt" AS at FROM quote ORDER BY id LIMIT 1`).get() as { at: string };
        expect((await pg.query(`SELECT to_char("createdAt" AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI:SS') AS at FROM quote WHERE id = $1`, [seeded.id])).rows).toEqual([{ at: created.at }]);
        // Search finds what SQLite's FTS5 finds, ignoring case and accents.
        const hits = (await pg.query(`SELECT name FROM person WHERE search @@ websearch_to_tsquery('kb_search', 'angstrom')`)).rows;
        expect(hits).toEqual([{ name: "Zoë Ångström-Ángel" }]);
        // The next quote gets an id past the deleted last one (not inserted here: the copy back must match).
        const seq = (sqlite.prepare(`SELECT seq FROM sqlite_sequence WHERE name = 'quote'`).get() as { seq: number }).seq;
        const maxId = (sqlite.prepare(`SELECT MAX(id) AS id FROM quote`).get() as { id: number }).id;
        expect(seq).toBe(maxId + 1);
        const sequence = (await pg.query(`SELECT last_value, is_called FROM quote_id_seq`)).rows[0];
        expect([Number(sequence.last_value), sequence.is_called]).toEqual([seq, true]);
      });
    } finally {
      sqlite.close();
    }
  });

  it("copies PostgreSQL back into a new SQLite file identical to the source: every row, sequence, search index row and schema object", async () => {
    const report = await copyDatabase({ from: pgUrl, to: back, batchSize: 11 });
    expect(report.ok).toBe(true);
    const diff = differences(source, back);
    expect(Object.values(diff).every(([x, y]) => x === 0 && y === 0) ? "identical" : diff).toBe("identical");
    expect(fs.readdirSync(dir).filter((f) => f.includes(".copying-"))).toEqual([]);
  });

  it("refuses a target that holds data, in one line, unless --replace, and then replaces it", async () => {
    await expect(copyDatabase({ from: source, to: pgUrl })).rejects.toThrow(/^--to postgres:\/\/.*already holds data \(article, .*\); add --replace to overwrite it$/);
    await expect(copyDatabase({ from: pgUrl, to: back })).rejects.toThrow(CopyError);
    const report = await copyDatabase({ from: source, to: pgUrl, replace: true });
    expect(report.ok).toBe(true);
    const again = await copyDatabase({ from: pgUrl, to: back, replace: true });
    expect(again.ok).toBe(true);
    expect(Object.values(differences(source, back)).every(([x, y]) => x === 0 && y === 0)).toBe(true);
  });

  it("leaves the target as it was when the copy fails (a broken foreign key in the source)", async () => {
    const broken = path.join(dir, "broken.sqlite");
    fs.copyFileSync(source, broken);
    const db = new BetterSqlite3(broken);
    db.pragma("foreign_keys = OFF");
    db.prepare(`UPDATE quote SET "articleId" = 999999 WHERE id = (SELECT MIN(id) FROM quote)`).run();
    db.close();
    const empty = await createDatabase("copyfail");
    made.push(empty);
    await expect(copyDatabase({ from: broken, to: empty })).rejects.toThrow(/breaks the foreign key FK_66ceb0c846089e0860b10010737 of quote/);
    await withClient(empty, async (pg) => {
      expect(Number((await pg.query(`SELECT COUNT(*) AS n FROM article`)).rows[0].n)).toBe(0);
      // Foreign keys and indexes dropped for the load are back (the transaction rolled back).
      expect(Number((await pg.query(`SELECT COUNT(*) AS n FROM pg_constraint WHERE contype = 'f' AND connamespace = current_schema()::regnamespace`)).rows[0].n)).toBe(19);
    });
    const target = path.join(dir, "never.sqlite");
    await expect(copyDatabase({ from: broken, to: target })).rejects.toThrow(/breaks 1 foreign key/);
    expect(fs.existsSync(target)).toBe(false);
    expect(fs.readdirSync(dir).filter((f) => f.includes(".copying-"))).toEqual([]);
  });

  it("runs as `npm run copy-db`'s command line: one line and exit code 1 for a refused target", async () => {
    const run = promisify(execFile);
    const cli = path.join(ROOT, "node_modules", ".bin", "ts-node");
    const failure = await run(cli, ["--transpile-only", path.join(ROOT, "tools", "copy-db", "cli.ts"), "--from", source, "--to", pgUrl], { cwd: ROOT }).then(
      () => null,
      (error: { code: number; stderr: string }) => error,
    );
    expect(failure?.code).toBe(1);
    expect(failure?.stderr.trim().split("\n")).toEqual([expect.stringMatching(/^copy-db: --to postgres:\/\/\S+:\*\*\*@.* already holds data/)]);
  });
});
