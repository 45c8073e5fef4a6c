import type { Config } from "../config";
import { Database } from "./database";
import type { Store } from "./store";

/**
 * Opens the configured knowledge base for a command-line tool (`npm run seed`, `npm run ingest`):
 * PostgreSQL when `DATABASE_URL` is set (its start-up checks refuse a bad setting, then pending
 * migrations run), otherwise the SQLite file of `DATABASE_PATH`, migrated, without reader
 * processes. The server opens its database in `src/index.ts`, with its own refusals and health.
 */
export async function openStore(config: Config): Promise<Store> {
  if (config.databaseUrl !== null) {
    const { PostgresDatabase } = await import("./postgres");
    return PostgresDatabase.open(config.databaseUrl, {
      replicaUrls: config.databaseReplicaUrls,
      readCacheEntries: 0,
      poolSize: config.databasePoolSize,
      poolWaitMs: config.databasePoolWaitMs,
    });
  }
  return Database.open(config.databasePath, { readWorkers: 0 });
}
