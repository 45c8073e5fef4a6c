/**
 * Writes a new PostgreSQL migration (src/migrations/postgres) with the SQL that brings a database
 * built by the existing PostgreSQL migrations in line with the entities, as
 * scripts/generate-migration.ts does for SQLite. Needs a PostgreSQL whose role may create
 * databases; it migrates a throwaway database and drops it:
 *
 *   TEST_DATABASE_URL=$(scripts/pg-local.sh start) npx ts-node --transpile-only scripts/generate-pg-migration.ts Name
 *
 * Review what it writes: case folding, trigram and search objects are hand-written (see
 * 1796454564926-PostgresSearch.ts), and a SQLite migration's intent may need them too.
 */
import "reflect-metadata";
import { randomBytes } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { Client } from "pg";
import { openPostgres } from "../src/storage/postgres";
import { entityDiff } from "../src/storage/postgres/schema-diff";

async function main(): Promise<void> {
  const name = process.argv[2];
  if (!name || !/^[A-Z][A-Za-z0-9]*$/.test(name)) throw new Error("usage: generate-pg-migration PascalCaseName (with TEST_DATABASE_URL set)");
  const base = process.env.TEST_DATABASE_URL;
  if (!base) throw new Error("set TEST_DATABASE_URL to a PostgreSQL whose role may create databases (scripts/pg-local.sh start prints one)");
  const database = `kb_generate_${randomBytes(4).toString("hex")}`;
  const admin = new Client({ connectionString: base });
  await admin.connect();
  await admin.query(`CREATE DATABASE "${database}"`);
  const url = new URL(base);
  url.pathname = `/${database}`;
  try {
    const dataSource = await openPostgres({ url: url.toString() });
    const diff = await entityDiff(dataSource);
    await dataSource.destroy();
    if (diff.up.length === 0) {
      console.log("The entities match the PostgreSQL migrations; nothing to generate.");
      return;
    }
    const timestamp = Date.now();
    const className = `Postgres${name}${timestamp}`;
    const quote = (q: string): string => "`" + q.replace(/`/g, "\\`").replace(/\$\{/g, "\\${") + "`";
    const lines = (queries: string[]): string => queries.map((q) => `    await queryRunner.query(${quote(q)});`).join("\n");
    const file = `import { MigrationInterface, QueryRunner } from "typeorm";

export class ${className} implements MigrationInterface {
  name = "${className}";

  public async up(queryRunner: QueryRunner): Promise<void> {
${lines(diff.up)}
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
${lines([...diff.down].reverse())}
  }
}
`;
    const target = path.join(__dirname, "..", "src", "migrations", "postgres", `${timestamp}-Postgres${name}.ts`);
    fs.writeFileSync(target, file);
    console.log(`Wrote ${path.relative(process.cwd(), target)}; add ${className} to src/migrations/postgres/index.ts.`);
  } finally {
    await admin.query(`DROP DATABASE IF EXISTS "${database}" WITH (FORCE)`);
    await admin.end();
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
