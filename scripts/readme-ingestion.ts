/**
 * Writes the worked example of the Ingestion page (docs/ingestion.md, or whichever doc holds the
 * markers) from the server's real answers, between the markers `<!-- ingestion-example -->` and
 * `<!-- /ingestion-example -->`. Usage: `npx ts-node --transpile-only scripts/readme-ingestion.ts`.
 * `test/ingest-readme.test.ts` fails when the doc no longer shows what the server answers.
 */
import "reflect-metadata";
import fs from "node:fs";
import path from "node:path";
import { INGESTION_START, ingestionExampleLocation } from "../test/docs";
import { createTestServer } from "../test/helpers";
import { ingestionExample, markdown } from "../test/ingest-readme";
import { PROJECT_ROOT } from "../src/paths";

async function main(): Promise<void> {
  const kb = await createTestServer({ env: { EDITOR_TOKENS: "alice:s3cret" } });
  try {
    const steps = await ingestionExample((query) => kb.runAs("s3cret", query));
    const { file: doc, text, from, to } = ingestionExampleLocation();
    const file = path.join(PROJECT_ROOT, doc);
    fs.writeFileSync(file, `${text.slice(0, from + INGESTION_START.length)}\n${markdown(steps)}\n${text.slice(to)}`);
    console.log(`Wrote ${steps.length} steps into ${file}`);
  } finally {
    await kb.close();
  }
}

void main();
