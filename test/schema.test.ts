import fs from "node:fs";
import path from "node:path";
import { GraphQLSchema, isEnumType, isInputObjectType, isInterfaceType, isObjectType, isScalarType, isSpecifiedScalarType } from "graphql";
import { Database } from "../src/storage/database";
import { PROJECT_ROOT } from "../src/paths";
import { createSchema, schemaSdl } from "../src/schema";
import { DIRECT_RESOLVER } from "../src/schema/direct-resolvers";
import { tempDir } from "./helpers";

/** Lists every type, field, argument and enum value of our own that has no description. */
function undocumented(schema: GraphQLSchema): string[] {
  const missing: string[] = [];
  for (const type of Object.values(schema.getTypeMap())) {
    if (type.name.startsWith("__") || (isScalarType(type) && isSpecifiedScalarType(type))) continue;
    if (!type.description) missing.push(type.name);
    if (isObjectType(type) || isInterfaceType(type) || isInputObjectType(type)) {
      for (const field of Object.values(type.getFields())) {
        if (!field.description) missing.push(`${type.name}.${field.name}`);
        for (const arg of "args" in field ? field.args : []) {
          if (!arg.description) missing.push(`${type.name}.${field.name}(${arg.name})`);
        }
      }
    }
    if (isEnumType(type)) {
      for (const value of type.getValues()) if (!value.description) missing.push(`${type.name}.${value.name}`);
    }
  }
  return missing;
}

describe("the schema", () => {
  it("matches the committed schema.graphql (run `npm run schema` after changing the API)", async () => {
    const committed = fs.readFileSync(path.join(PROJECT_ROOT, "schema.graphql"), "utf8");
    expect(committed).toBe(schemaSdl(await createSchema()));
  });

  it("describes every type, field, argument and enum value", async () => {
    expect(undocumented(await createSchema())).toEqual([]);
  });
});

describe("the database schema", () => {
  let db: Database;

  beforeAll(async () => {
    db = await Database.open(path.join(tempDir(), "kb.sqlite"));
  });
  afterAll(async () => {
    await db.close();
  });

  it("is built by migrations that match the entities exactly", async () => {
    const pending = await db.dataSource.driver.createSchemaBuilder().log();
    expect(pending.upQueries.map((q) => q.query)).toEqual([]);
    expect(await db.dataSource.showMigrations()).toBe(false);
  });

  it("runs in WAL mode with foreign keys enforced", () => {
    expect(db.sqlite.pragma("journal_mode", { simple: true })).toBe("wal");
    expect(db.sqlite.pragma("foreign_keys", { simple: true })).toBe(1);
    expect(() =>
      db.sqlite.prepare(`INSERT INTO person (name, aliases, countryId) VALUES ('Ghost', '[]', 999)`).run(),
    ).toThrow(/FOREIGN KEY/);
  });

  it("indexes every foreign key", () => {
    const tables = (db.sqlite.prepare(`SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'`).all() as Array<{ name: string }>).map((t) => t.name);
    const unindexed: string[] = [];
    for (const table of tables) {
      const keys = db.sqlite.pragma(`foreign_key_list("${table}")`) as Array<{ from: string }>;
      const indexes = db.sqlite.pragma(`index_list("${table}")`) as Array<{ name: string }>;
      const leading = indexes.map((index) => (db.sqlite.pragma(`index_info("${index.name}")`) as Array<{ name: string; seqno: number }>).find((c) => c.seqno === 0)?.name);
      for (const key of keys) if (!leading.includes(key.from)) unindexed.push(`${table}.${key.from}`);
    }
    expect(unindexed).toEqual([]);
  });
});

describe("direct field resolvers", () => {
  let schema: GraphQLSchema;
  beforeAll(async () => {
    schema = await createSchema();
  });

  function isDirect(typeName: string, fieldName: string): boolean {
    const type = schema.getType(typeName);
    if (!isObjectType(type)) throw new Error(`${typeName} is not an object type`);
    const resolve = type.getFields()[fieldName].resolve as unknown as Record<symbol, unknown> | undefined;
    return resolve?.[DIRECT_RESOLVER] === true;
  }

  it("calls relation, evidence, ID and connection fields without TypeGraphQL's per-call wrapper", () => {
    for (const [type, field] of [
      ["Person", "quotes"],
      ["Person", "country"],
      ["Quote", "evidence"],
      ["Quote", "id"],
      ["Evidence", "text"],
      ["PersonConnection", "nodes"],
      ["QuoteConnection", "edges"],
    ]) {
      expect(`${type}.${field}: ${isDirect(type, field)}`).toBe(`${type}.${field}: true`);
    }
  });

  it("calls query fields directly too, and keeps TypeGraphQL's resolver on mutations and where a middleware guards the field", () => {
    expect(isDirect("Query", "node")).toBe(true);
    expect(isDirect("Query", "people")).toBe(true);
    expect(isDirect("Edit", "editor")).toBe(false);
    expect(isDirect("Mutation", "createPerson")).toBe(false);
  });
});
