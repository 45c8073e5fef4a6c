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

const SIGNALS = ["SIGTERM", "SIGINT"] as const;
/**
 * Longer than the HTTP drain's 10 s grace period plus the 5 s busy timeout the closing WAL
 * checkpoint may wait for another process's reader, so that both get to do their job first.
 */
const SHUTDOWN_TIMEOUT_MS = 20_000;

async function main(): Promise<void> {
  const startedAt = process.hrtime.bigint();
  const config = loadConfig();
  const logger = createLogger(config);
  if (config.databasePath !== ":memory:") fs.mkdirSync(path.dirname(config.databasePath), { recursive: true });
  const db = await Database.open(config.databasePath, { readWorkers: config.readWorkers, readCacheEntries: config.readCacheEntries });
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
    // Apollo's drain cuts requests still running after 10 s; should anything else hang (a stuck
    // write, a close that never returns), exit anyway rather than wait for a SIGKILL. SQLite needs
    // no clean close to stay consistent: committed writes are in the WAL, the rest rolls back.
    // The timer is not unref'd: a shutdown that stalls must end in exit code 1, not in a silent 0
    // when the event loop happens to run dry.
    setTimeout(() => {
      logger.error({ timeoutMs: SHUTDOWN_TIMEOUT_MS }, "shutdown timed out: exiting without a clean close");
      process.exit(1);
    }, SHUTDOWN_TIMEOUT_MS);
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
  for (const signal of SIGNALS) process.on(signal, () => void shutdown(signal));
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
