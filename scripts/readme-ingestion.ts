/**
 * Writes the worked example of the README's "Ingestion" section from the server's real answers,
 * between the markers `<!-- ingestion-example -->` and `<!-- /ingestion-example -->`. Usage:
 * `npx ts-node --transpile-only scripts/readme-ingestion.ts`. `test/ingest-readme.test.ts`
 * fails when the README no longer shows what the server answers.
 */
import "reflect-metadata";
import fs from "node:fs";
import path from "node:path";
import { createTestServer } from "../test/helpers";
import { ingestionExample, markdown } from "../test/ingest-readme";
import { PROJECT_ROOT } from "../src/paths";

async function main(): Promise<void> {
  const kb = await createTestServer({ env: { EDITOR_TOKENS: "alice:s3cret" } });
  try {
    const steps = await ingestionExample((query) => kb.runAs("s3cret", query));
    const file = path.join(PROJECT_ROOT, "README.md");
    const readme = fs.readFileSync(file, "utf8");
    const start = "<!-- ingestion-example -->";
    const end = "<!-- /ingestion-example -->";
    const from = readme.indexOf(start);
    const to = readme.indexOf(end);
    if (from < 0 || to < from) throw new Error("README.md has no ingestion example markers");
    fs.writeFileSync(file, `${readme.slice(0, from + start.length)}\n${markdown(steps)}\n${readme.slice(to)}`);
    console.log(`Wrote ${steps.length} steps into ${file}`);
  } finally {
    await kb.close();
  }
}

void main();
