/**
 * Writes a new migration with the SQL that brings a database built by the existing migrations in
 * line with the entities: what `typeorm migration:generate` does, without needing a CLI data
 * source file. Usage: `npx ts-node scripts/generate-migration.ts Name`.
 */
import "reflect-metadata";
import fs from "node:fs";
import path from "node:path";
import { Database } from "../src/storage/database";

async function main(): Promise<void> {
  const name = process.argv[2];
  if (!name || !/^[A-Z][A-Za-z0-9]*$/.test(name)) throw new Error("usage: generate-migration PascalCaseName");
  const db = await Database.open(":memory:");
  const sql = await db.dataSource.driver.createSchemaBuilder().log();
  await db.close();
  if (sql.upQueries.length === 0) {
    console.log("The entities match the migrations; nothing to generate.");
    return;
  }
  const timestamp = Date.now();
  const className = `${name}${timestamp}`;
  const quote = (q: string): string => "`" + q.replace(/`/g, "\\`").replace(/\$\{/g, "\\${") + "`";
  const up = sql.upQueries.map((q) => `    await queryRunner.query(${quote(q.query)});`).join("\n");
  const down = sql.downQueries
    .reverse()
    .map((q) => `    await queryRunner.query(${quote(q.query)});`)
    .join("\n");
  const file = `import { MigrationInterface, QueryRunner } from "typeorm";

export class ${className} implements MigrationInterface {
  name = "${className}";

  public async up(queryRunner: QueryRunner): Promise<void> {
${up}
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
${down}
  }
}
`;
  const target = path.join(__dirname, "..", "src", "migrations", `${timestamp}-${name}.ts`);
  fs.writeFileSync(target, file);
  console.log(`Wrote ${path.relative(process.cwd(), target)}; add ${className} to src/migrations/index.ts.`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
