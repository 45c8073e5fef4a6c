/** `npm start`: migrates, seeds an empty database, and serves GraphQL until SIGTERM or SIGINT. */
import "reflect-metadata";
import fs from "node:fs";
import path from "node:path";
import { loadConfig } from "./config";
import { Database } from "./db/database";
import { createLogger } from "./logger";
import { loadFixtures } from "./seed/fixture";
import { isEmpty, seedAll } from "./seed/seed";
import { createServer } from "./server";

async function main(): Promise<void> {
  const startedAt = process.hrtime.bigint();
  const config = loadConfig();
  const logger = createLogger(config);
  if (config.databasePath !== ":memory:") fs.mkdirSync(path.dirname(config.databasePath), { recursive: true });
  const db = await Database.open(config.databasePath);
  if (isEmpty(db)) {
    const report = await seedAll(db, loadFixtures());
    logger.info(report, "empty database: seed fixture loaded");
  }
  const server = await createServer({ config, db, logger });
  const url = await server.listen(config.port, config.host);
  const startupMs = Number(process.hrtime.bigint() - startedAt) / 1e6;
  logger.info({ url, database: config.databasePath, startupMs: Math.round(startupMs) }, `serving GraphQL at ${url}`);

  let stopping = false;
  const shutdown = async (signal: string): Promise<void> => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, "shutting down: finishing in-flight requests");
    try {
      await server.stop();
      await db.close();
      logger.info("stopped cleanly");
      process.exit(0);
    } catch (error) {
      logger.error({ err: error }, "error while shutting down");
      process.exit(1);
    }
  };
  process.on("SIGTERM", () => void shutdown("SIGTERM"));
  process.on("SIGINT", () => void shutdown("SIGINT"));
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
