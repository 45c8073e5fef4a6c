/**
 * The PostgreSQL migrations (src/migrations/postgres) against a real PostgreSQL: they give the
 * same tables, columns, foreign keys (with their delete rules), unique constraints and indexes as
 * every SQLite migration applied, and what PostgreSQL does its own way (case folding, trigram
 * indexes, tsvector search) works.
 */
import { DataSource } from "typeorm";
import { model } from "../../src/model/registry";
import { Database } from "../../src/storage/database";
import { postgresMigrations } from "../../src/migrations/postgres";
import { openPostgres } from "../../src/storage/postgres";
import { entityDiff } from "../../src/storage/postgres/schema-diff";
import { createDatabase, describePostgres, dropDatabase } from "./pg-env";

/** SQLite's column types as the PostgreSQL migrations make them. */
const PG_TYPE: Record<string, string> = {
  integer: "integer",
  text: "text",
  datetime: "timestamp with time zone",
  real: "double precision",
};

const DELETE_RULE: Record<string, string> = { a: "NO ACTION", r: "RESTRICT", c: "CASCADE", n: "SET NULL", d: "SET DEFAULT" };

interface Shape {
  columns: string[];
  foreignKeys: string[];
  uniques: string[];
  indexes: string[];
  checks: string[];
}

/** The schema of every entity table in the migrated SQLite database, in comparable lines. */
async function sqliteShape(): Promise<Shape> {
  const db = await Database.open(":memory:");
  try {
    const shape: Shape = { columns: [], foreignKeys: [], uniques: [], indexes: [], checks: [] };
    for (const { table } of model().types.values()) {
      const info = db.sqlite.prepare(`PRAGMA table_info("${table}")`).all() as Array<{ name: string; type: string; notnull: number; pk: number }>;
      for (const c of info) shape.columns.push(`${table}.${c.name} ${PG_TYPE[c.type.toLowerCase()] ?? `?${c.type}`}${c.notnull || c.pk ? " NOT NULL" : ""}`);
      const fks = db.sqlite.prepare(`PRAGMA foreign_key_list("${table}")`).all() as Array<{ table: string; from: string; to: string; on_delete: string }>;
      for (const fk of fks) shape.foreignKeys.push(`${table}.${fk.from} → ${fk.table}.${fk.to} ON DELETE ${fk.on_delete}`);
      const indexes = db.sqlite.prepare(`PRAGMA index_list("${table}")`).all() as Array<{ name: string; unique: number; origin: string }>;
      for (const index of indexes) {
        const columns = (db.sqlite.prepare(`PRAGMA index_info("${index.name}")`).all() as Array<{ name: string | null }>).map((c) => c.name ?? "(expression)");
        if (index.origin === "u") shape.uniques.push(`${table} (${columns.join(", ")})`);
        else if (index.origin === "c") shape.indexes.push(`${index.name} ON ${table} (${columns.join(", ")})`);
      }
      const sql = (db.sqlite.prepare(`SELECT sql FROM sqlite_master WHERE name = ?`).get(table) as { sql: string }).sql;
      for (const m of sql.matchAll(/CONSTRAINT "(\w+)" CHECK/g)) shape.checks.push(`${table}.${m[1]}`);
    }
    return sortShape(shape);
  } finally {
    await db.close();
  }
}

/** The same lines read from PostgreSQL's catalogs, without the objects only PostgreSQL has. */
async function postgresShape(ds: DataSource): Promise<Shape & { extraIndexes: string[]; extraColumns: string[] }> {
  const tables = [...model().types.values()].map((t) => t.table);
  const shape = { columns: [] as string[], foreignKeys: [] as string[], uniques: [] as string[], indexes: [] as string[], checks: [] as string[], extraIndexes: [] as string[], extraColumns: [] as string[] };
  const columns = (await ds.query(
    `SELECT table_name, column_name, data_type, is_nullable, is_generated FROM information_schema.columns
     WHERE table_schema = current_schema() AND table_name = ANY($1) ORDER BY table_name, ordinal_position`,
    [tables],
  )) as Array<{ table_name: string; column_name: string; data_type: string; is_nullable: string; is_generated: string }>;
  for (const c of columns) {
    const line = `${c.table_name}.${c.column_name} ${c.data_type}${c.is_nullable === "NO" ? " NOT NULL" : ""}`;
    if (c.column_name === "search") shape.extraColumns.push(`${line} ${c.is_generated}`);
    else shape.columns.push(line);
  }
  const constraints = (await ds.query(
    `SELECT t.relname AS "table", c.conname AS name, c.contype AS type, c.confdeltype AS "onDelete", r.relname AS target,
            ARRAY(SELECT a.attname FROM unnest(c.conkey) WITH ORDINALITY k(n, i) JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = k.n ORDER BY k.i)::text[] AS columns,
            ARRAY(SELECT a.attname FROM unnest(c.confkey) WITH ORDINALITY k(n, i) JOIN pg_attribute a ON a.attrelid = c.confrelid AND a.attnum = k.n ORDER BY k.i)::text[] AS "targetColumns"
     FROM pg_constraint c JOIN pg_class t ON t.oid = c.conrelid LEFT JOIN pg_class r ON r.oid = c.confrelid
     WHERE t.relname = ANY($1) AND t.relnamespace = current_schema()::regnamespace`,
    [tables],
  )) as Array<{ table: string; name: string; type: string; onDelete: string; target: string; columns: string[]; targetColumns: string[] }>;
  for (const c of constraints) {
    if (c.type === "f") shape.foreignKeys.push(`${c.table}.${c.columns[0]} → ${c.target}.${c.targetColumns[0]} ON DELETE ${DELETE_RULE[c.onDelete]}`);
    if (c.type === "u") shape.uniques.push(`${c.table} (${c.columns.join(", ")})`);
    if (c.type === "c") shape.checks.push(`${c.table}.${c.name}`);
  }
  const indexes = (await ds.query(
    `SELECT i.relname AS name, t.relname AS "table", am.amname AS method,
            ARRAY(SELECT CASE WHEN k.n = 0 THEN '(expression)' ELSE a.attname END FROM unnest(x.indkey::int2[]) WITH ORDINALITY k(n, i)
                  LEFT JOIN pg_attribute a ON a.attrelid = x.indrelid AND a.attnum = k.n ORDER BY k.i)::text[] AS columns
     FROM pg_index x JOIN pg_class i ON i.oid = x.indexrelid JOIN pg_class t ON t.oid = x.indrelid JOIN pg_am am ON am.oid = i.relam
     WHERE t.relname = ANY($1) AND t.relnamespace = current_schema()::regnamespace
       AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = x.indexrelid)`,
    [tables],
  )) as Array<{ name: string; table: string; method: string; columns: string[] }>;
  for (const index of indexes) {
    const line = `${index.name} ON ${index.table} (${index.columns.join(", ")})`;
    if (index.method === "btree" && !/_fold$/.test(index.name)) shape.indexes.push(line);
    else shape.extraIndexes.push(`${line} USING ${index.method}`);
  }
  return { ...sortShape(shape), extraIndexes: shape.extraIndexes.sort(), extraColumns: shape.extraColumns.sort() };
}

function sortShape(shape: Shape): Shape {
  return { columns: [...shape.columns].sort(), foreignKeys: [...shape.foreignKeys].sort(), uniques: [...shape.uniques].sort(), indexes: [...shape.indexes].sort(), checks: [...shape.checks].sort() };
}

/** Every definition of the schema, to compare a schema before and after undoing migrations. */
async function schemaDump(ds: DataSource): Promise<string[]> {
  const rows = (await ds.query(
    `SELECT 'column ' || table_name || '.' || column_name || ' ' || data_type || ' ' || is_nullable || ' ' || COALESCE(column_default, '') || ' ' || COALESCE(generation_expression, '') AS line
       FROM information_schema.columns WHERE table_schema = current_schema()
     UNION ALL SELECT 'index ' || indexdef FROM pg_indexes WHERE schemaname = current_schema()
     UNION ALL SELECT 'constraint ' || conrelid::regclass::text || ' ' || conname || ' ' || pg_get_constraintdef(oid) FROM pg_constraint WHERE connamespace = current_schema()::regnamespace
     UNION ALL SELECT 'function ' || proname || ' ' || pg_get_functiondef(oid) FROM pg_proc WHERE pronamespace = current_schema()::regnamespace AND prokind = 'f' AND proname = 'kb_fold'
     UNION ALL SELECT 'ts config ' || cfgname FROM pg_ts_config WHERE cfgnamespace = current_schema()::regnamespace`,
  )) as Array<{ line: string }>;
  return rows.map((r) => r.line).sort();
}

describePostgres("test/postgres/migrations.test.ts")("PostgreSQL migrations", () => {
  let url: string;
  let ds: DataSource;

  beforeAll(async () => {
    url = await createDatabase("migrations");
    ds = await openPostgres({ url });
  });

  afterAll(async () => {
    await ds?.destroy();
    if (url) await dropDatabase(url);
  });

  it("give every table, column, foreign key, unique constraint, index and check of the SQLite migrations", async () => {
    const sqlite = await sqliteShape();
    const pg = await postgresShape(ds);
    expect(pg.columns).toEqual(sqlite.columns);
    expect(pg.foreignKeys).toEqual(sqlite.foreignKeys);
    expect(pg.uniques).toEqual(sqlite.uniques);
    expect(pg.indexes).toEqual(sqlite.indexes);
    expect(pg.checks).toEqual(sqlite.checks);
    // Sanity: the comparison is not of two empty lists.
    expect(sqlite.foreignKeys.length).toBeGreaterThan(15);
    expect(sqlite.indexes.length).toBeGreaterThan(40);
  });

  it("add what PostgreSQL does its own way: folded-name, trigram and tsvector indexes, generated search columns", async () => {
    const pg = await postgresShape(ds);
    expect(pg.extraColumns).toEqual([
      "article.search tsvector ALWAYS",
      "organization.search tsvector ALWAYS",
      "person.search tsvector ALWAYS",
      "quote.search tsvector ALWAYS",
    ]);
    expect(pg.extraIndexes).toEqual([
      "IDX_article_search ON article (search) USING gin",
      "IDX_country_name_fold ON country ((expression)) USING btree",
      "IDX_organization_aliases_trgm ON organization ((expression)) USING gin",
      "IDX_organization_name_fold ON organization ((expression)) USING btree",
      "IDX_organization_name_trgm ON organization ((expression)) USING gin",
      "IDX_organization_search ON organization (search) USING gin",
      "IDX_person_aliases_trgm ON person ((expression)) USING gin",
      "IDX_person_name_fold ON person ((expression)) USING btree",
      "IDX_person_name_trgm ON person ((expression)) USING gin",
      "IDX_person_search ON person (search) USING gin",
      "IDX_position_title_fold ON position ((expression)) USING btree",
      "IDX_quote_search ON quote (search) USING gin",
    ]);
  });

  it("give every table of the model, the change stamp, and TypeORM's migrations table with every migration recorded", async () => {
    const tables = ((await ds.query(`SELECT tablename FROM pg_tables WHERE schemaname = current_schema() ORDER BY 1`)) as Array<{ tablename: string }>).map((r) => r.tablename);
    expect(tables).toEqual([...[...model().types.values()].map((t) => t.table), "kb_version", "migrations"].sort());
    const ran = ((await ds.query(`SELECT name FROM migrations ORDER BY id`)) as Array<{ name: string }>).map((r) => r.name);
    expect(ran).toEqual(["PostgresInitial1796454564925", "PostgresSearch1796454564926", "PostgresChangeStamp1796454564927", "PostgresByteOrder1796454564928", "PostgresWholeSeconds1796454564929"]);
  });

  it("bump the change stamp with every committed write to any table of the model, from any connection, and not with a rolled-back one", async () => {
    const stamp = async (source: DataSource): Promise<number> => Number(((await source.query(`SELECT v FROM kb_version`)) as Array<{ v: string }>)[0].v);
    // Every table of the model has the trigger (a table added later must get one too).
    const triggered = ((await ds.query(`SELECT DISTINCT event_object_table AS t FROM information_schema.triggers WHERE trigger_name LIKE '%_bump_version' ORDER BY 1`)) as Array<{ t: string }>).map((r) => r.t);
    expect(triggered).toEqual([...model().types.values()].map((t) => t.table).sort());
    const other = new DataSource({ type: "postgres", url });
    await other.initialize();
    try {
      const before = await stamp(ds);
      await other.query(`INSERT INTO country (name, alpha2, alpha3) VALUES ('Stampland', 'SX', 'SXX')`);
      const afterInsert = await stamp(ds);
      expect(afterInsert).toBeGreaterThan(before);
      await other.query(`UPDATE country SET name = 'Stampland II' WHERE alpha2 = 'SX'`);
      const afterUpdate = await stamp(ds);
      expect(afterUpdate).toBeGreaterThan(afterInsert);
      const runner = other.createQueryRunner();
      await runner.startTransaction();
      await runner.query(`DELETE FROM country WHERE alpha2 = 'SX'`);
      // Not committed: another connection still reads the old stamp.
      expect(await stamp(ds)).toBe(afterUpdate);
      await runner.rollbackTransaction();
      await runner.release();
      expect(await stamp(ds)).toBe(afterUpdate);
      await other.query(`DELETE FROM country WHERE alpha2 = 'SX'`);
      expect(await stamp(ds)).toBeGreaterThan(afterUpdate);
    } finally {
      await other.destroy();
    }
  });

  it("fold case in every script as foldText does, and the folded-name index serves an equality look-up", async () => {
    const [{ folded }] = (await ds.query(`SELECT kb_fold($1) AS folded`, ["ÉMILE Ångström АНГЕЛА ﬁ ＡＢＣ"])) as Array<{ folded: string }>;
    expect(folded).toBe("ÉMILE Ångström АНГЕЛА ﬁ ＡＢＣ".normalize("NFKC").toLowerCase());
    const plan = await ds.transaction(async (manager) => {
      await manager.query(`SET LOCAL enable_seqscan = off`);
      return ((await manager.query(`EXPLAIN SELECT id FROM person WHERE kb_fold(name) = kb_fold($1)`, ["Émile"])) as Array<{ "QUERY PLAN": string }>).map((r) => r["QUERY PLAN"]).join("\n");
    });
    expect(plan).toMatch(/IDX_person_name_fold/);
  });

  it("serve substring matches of folded names from the trigram index (LIKE works: no nondeterministic collation)", async () => {
    await ds.query(`INSERT INTO person (name, aliases) VALUES ($1, $2), ($3, $4)`, ["Émile Zola", JSON.stringify(["Zola"]), "Ангела Меркель", "[]"]);
    const rows = (await ds.query(`SELECT name FROM person WHERE kb_fold(name) LIKE '%' || kb_fold($1) || '%' ORDER BY name`, ["МЕРК"])) as Array<{ name: string }>;
    expect(rows.map((r) => r.name)).toEqual(["Ангела Меркель"]);
    const plan = await ds.transaction(async (manager) => {
      await manager.query(`SET LOCAL enable_seqscan = off`);
      return ((await manager.query(`EXPLAIN SELECT id FROM person WHERE kb_fold(name) LIKE '%mil%'`)) as Array<{ "QUERY PLAN": string }>).map((r) => r["QUERY PLAN"]).join("\n");
    });
    expect(plan).toMatch(/IDX_person_name_trgm/);
    await ds.query(`DELETE FROM person`);
  });

  it("index names, aliases and descriptions for search, ignoring case and accents, with titles weighing more", async () => {
    await ds.query(`INSERT INTO person (name, aliases, description) VALUES ($1, $2, $3), ($4, $5, $6)`, [
      "Khalifa Haftar",
      JSON.stringify(["Haftar", "Ḫalīfa"]),
      "Libyan commander",
      "Andrei Kortunov",
      "[]",
      "Expert on Haftar",
    ]);
    const hits = (await ds.query(
      `SELECT name, ts_rank(search, q) AS rank FROM person, websearch_to_tsquery('kb_search', $1) q WHERE search @@ q ORDER BY rank DESC, name`,
      ["HAFTAR"],
    )) as Array<{ name: string; rank: number }>;
    expect(hits.map((h) => h.name)).toEqual(["Khalifa Haftar", "Andrei Kortunov"]);
    const accent = (await ds.query(`SELECT name FROM person WHERE search @@ websearch_to_tsquery('kb_search', $1)`, ["halifa"])) as Array<{ name: string }>;
    expect(accent.map((h) => h.name)).toEqual(["Khalifa Haftar"]);
    const prefix = (await ds.query(`SELECT name FROM person WHERE search @@ to_tsquery('kb_search', 'kortu:*')`)) as Array<{ name: string }>;
    expect(prefix.map((h) => h.name)).toEqual(["Andrei Kortunov"]);
    await ds.query(`DELETE FROM person`);
  });

  it("keep the mention check: exactly one of person, organization and country", async () => {
    const [{ id: article }] = (await ds.query(`INSERT INTO article (url, title, publisher, "publishedAt", body) VALUES ('https://x.test/a', 'T', 'P', '2020-01-01', 'Body') RETURNING id`)) as Array<{ id: number }>;
    const [{ id: country }] = (await ds.query(`INSERT INTO country (name, alpha2, alpha3) VALUES ('Libya', 'LY', 'LBY') RETURNING id`)) as Array<{ id: number }>;
    await expect(ds.query(`INSERT INTO mention (kind, "articleId", "startOffset", "endOffset") VALUES ('NAME', $1, 0, 1)`, [article])).rejects.toThrow(/CHK_mention_one_record/);
    await ds.query(`INSERT INTO mention (kind, "articleId", "startOffset", "endOffset", "countryId") VALUES ('NAME', $1, 0, 1, $2)`, [article, country]);
    await ds.query(`DELETE FROM article`);
    expect(Number(((await ds.query(`SELECT COUNT(*) AS n FROM mention`)) as Array<{ n: string }>)[0].n)).toBe(0);
    await ds.query(`DELETE FROM country`);
  });

  it("agree with the entities: TypeORM finds nothing to change (what scripts/generate-pg-migration.ts would write)", async () => {
    expect((await entityDiff(ds)).up).toEqual([]);
    // And the comparison does see a difference: a missing index.
    await ds.query(`DROP INDEX "IDX_quote_speaker_latest"`);
    try {
      expect((await entityDiff(ds)).up).toEqual([`CREATE INDEX "IDX_quote_speaker_latest" ON "quote"  ("speakerId", "createdAt")`]);
    } finally {
      await ds.query(`CREATE INDEX "IDX_quote_speaker_latest" ON "quote" ("speakerId", "createdAt")`);
    }
    await ds.query(`DROP TABLE "typeorm_metadata"`);
  });

  it("can be undone to nothing and run again to the same schema", async () => {
    const before = await schemaDump(ds);
    for (let i = 0; i < postgresMigrations.length; i++) await ds.undoLastMigration({ transaction: "each" });
    const empty = (await ds.query(`SELECT tablename FROM pg_tables WHERE schemaname = current_schema()`)) as Array<{ tablename: string }>;
    expect(empty.map((r) => r.tablename)).toEqual(["migrations"]);
    await ds.runMigrations({ transaction: "each" });
    expect(await schemaDump(ds)).toEqual(before);
  });
});
