/** Writes the emitted schema to `schema.graphql` at the repository root (`npm run schema`). */
import "reflect-metadata";
import fs from "node:fs";
import path from "node:path";
import { PROJECT_ROOT } from "../paths";
import { createSchema, schemaSdl } from "./index";

const SCHEMA_FILE = path.join(PROJECT_ROOT, "schema.graphql");

createSchema()
  .then((schema) => {
    fs.writeFileSync(SCHEMA_FILE, schemaSdl(schema));
    console.log(`Wrote ${SCHEMA_FILE}`);
  })
  .catch((error: unknown) => {
    console.error(error);
    process.exit(1);
  });
