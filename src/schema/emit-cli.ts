/**
 * Writes the emitted schema to `schema.graphql` at the repository root (`npm run schema`), and
 * the files clients generate their caches from: `possibleTypes.json` and
 * `client/connection-fields.json` (see `src/schema/client-files.ts`).
 */
import "reflect-metadata";
import fs from "node:fs";
import path from "node:path";
import { PROJECT_ROOT } from "../paths";
import { clientFiles } from "./client-files";
import { createSchema, schemaSdl } from "./index";

const SCHEMA_FILE = path.join(PROJECT_ROOT, "schema.graphql");

createSchema()
  .then((schema) => {
    fs.writeFileSync(SCHEMA_FILE, schemaSdl(schema));
    console.log(`Wrote ${SCHEMA_FILE}`);
    for (const [file, contents] of Object.entries(clientFiles(schema))) {
      fs.writeFileSync(file, contents);
      console.log(`Wrote ${file}`);
    }
  })
  .catch((error: unknown) => {
    console.error(error);
    process.exit(1);
  });
