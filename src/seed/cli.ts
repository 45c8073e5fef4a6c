/** `npm run seed`: migrates the configured database and loads every fixture in `seeds/`. */
import "reflect-metadata";
import fs from "node:fs";
import path from "node:path";
import { loadConfig, redactUrl } from "../config";
import { openStore } from "../storage/open-store";
import { checkDatabaseFile, checkDatabaseSchema, DatabaseFileError } from "../storage/file-check";
import { createLogger } from "../logger";
import { loadFixtures } from "./fixture";
import { seedAll } from "./seed";

async function main(): Promise<void> {
  const config = loadConfig();
  const logger = createLogger({ logLevel: process.env.LOG_LEVEL ?? "info" });
  if (config.databaseUrl === null && config.databasePath !== ":memory:") {
    // The same refusals as the server's start-up: a bad file is left as it is (docs/operations.md, "Bad database files").
    checkDatabaseFile(config.databasePath);
    fs.mkdirSync(path.dirname(config.databasePath), { recursive: true });
    checkDatabaseSchema(config.databasePath);
  }
  const db = await openStore(config);
  try {
    const report = await seedAll(db, loadFixtures());
    logger.info({ database: config.databaseUrl !== null ? redactUrl(config.databaseUrl) : config.databasePath, ...report }, "seed applied");
  } finally {
    await db.close();
  }
}

main().catch((error: unknown) => {
  if (error instanceof DatabaseFileError || (error instanceof Error && error.name === "PostgresStartupError")) console.error(`seed failed: ${error.message}`);
  else console.error(error);
  process.exit(1);
});
