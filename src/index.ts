/** `npm start`: migrates, seeds an empty database, and serves GraphQL until SIGTERM or SIGINT. */
import "reflect-metadata";
import fs from "node:fs";
import path from "node:path";
import { Config, ConfigError, loadConfig, redactUrl } from "./config";
import { Database } from "./storage/database";
import type { Store } from "./storage/store";
import { checkDatabaseFile, checkDatabaseSchema, DatabaseFileError } from "./storage/file-check";
import { BackgroundCheck, integrityReason, isCorruption, quickCheck, startIntegrityCheck } from "./storage/integrity-check";
import { storageFault } from "./storage/storage-errors";
import { ErrorCode } from "./errors";
import { createLogger, Logger } from "./logger";
import { loadFixtures } from "./seed/fixture";
import { isEmpty, seedAll } from "./seed/seed";
import { createServer } from "./server";

const SIGNALS = ["SIGTERM", "SIGINT"] as const;
/**
 * Longer than the HTTP drain's 10 s grace period plus the 5 s busy timeout the closing WAL
 * checkpoint may wait for another process's reader, so that both get to do their job first.
 */
const SHUTDOWN_TIMEOUT_MS = 20_000;

/** The server's logger, once the configuration is read: start-up failures are reported through it. */
let startupLogger: Logger | undefined;

/** A SQLite error raised while opening a file that passed the checks, as a one-line refusal. */
function refusal(databasePath: string, error: unknown): unknown {
  const fault = storageFault(error);
  if (!fault) return error;
  const message = error instanceof Error ? `: ${error.message}` : "";
  return new DatabaseFileError(databasePath, `cannot be opened: ${fault.reason}${message}`);
}

/**
 * When `error` says the file is damaged, runs the integrity check at once (before listening: the
 * file is known to be damaged, and `/ready` should give the check's findings from the first
 * request on), records the outcome in the database's health and returns true, so that the server
 * starts anyway and `/ready` tells why it is not ready. Returns false for any other error.
 */
function damaged(db: Database, log: Logger, error: unknown, during: string): boolean {
  if (!isCorruption(error)) return false;
  const report = quickCheck(db.sqlite);
  const message = error instanceof Error ? error.message : String(error);
  const reason = report.ok
    ? `the database file is damaged: ${during} failed (${message}) although its integrity check (PRAGMA quick_check) found nothing; restore it from a backup`
    : integrityReason(report);
  // A read that met the damage has recorded it already, in fewer words; nobody listens yet.
  db.health.clear("integrity");
  db.health.set("integrity", ErrorCode.STORAGE_CORRUPT, reason);
  log.error({ during, error: message, findings: report.findings, milliseconds: Math.round(report.milliseconds) }, reason);
  return true;
}

/**
 * Opens the configured database, refusing (with a `DatabaseFileError`) a file the server must not
 * use before SQLite writes anything to it: not a database, a damaged header, cut short, a
 * directory, in a read-only place, or another application's database (see `file-check.ts`).
 * Then migrates it; a file damaged in its middle is opened anyway, marked damaged in its health.
 */
async function openDatabase(config: Config, log: Logger): Promise<Database> {
  const file = config.databasePath;
  if (file !== ":memory:") {
    checkDatabaseFile(file);
    try {
      fs.mkdirSync(path.dirname(file), { recursive: true });
    } catch (error) {
      throw new DatabaseFileError(file, `is in ${path.dirname(file)}, which cannot be created (${(error as NodeJS.ErrnoException).code ?? String(error)})`);
    }
    checkDatabaseSchema(file);
  }
  let db: Database;
  try {
    db = await Database.open(file, { migrate: false, readWorkers: config.readWorkers, readCacheEntries: config.readCacheEntries });
  } catch (error) {
    throw refusal(file, error);
  }
  try {
    await db.dataSource.runMigrations({ transaction: "each" });
  } catch (error) {
    if (damaged(db, log, error, "running its migrations")) return db;
    await db.close().catch(() => undefined);
    throw refusal(file, error);
  }
  return db;
}

/**
 * With `DATABASE_URL` set: opens PostgreSQL (and the replicas of `DATABASE_REPLICA_URLS`) after
 * openPostgres's start-up checks, which refuse an unreachable server, wrong credentials, a server
 * too old or another application's database in one line before anything is changed, then runs
 * pending migrations. `DATABASE_PATH` is not touched. PostgreSQL's modules are loaded only here.
 */
async function openPostgresStore(config: Config): Promise<Store> {
  const postgres = await import("./storage/postgres");
  try {
    return await postgres.PostgresDatabase.open(config.databaseUrl as string, {
      replicaUrls: config.databaseReplicaUrls,
      readCacheEntries: config.readCacheEntries,
      poolSize: config.databasePoolSize,
      poolWaitMs: config.databasePoolWaitMs,
    });
  } catch (error) {
    // A refusal of the setting, printed as any other (see the end of this file).
    if (error instanceof postgres.PostgresStartupError) throw new ConfigError(error.message);
    throw error;
  }
}

async function main(): Promise<void> {
  const startedAt = process.hrtime.bigint();
  const config = loadConfig();
  const logger = createLogger(config);
  startupLogger = logger;
  const db: Store = config.databaseUrl !== null ? await openPostgresStore(config) : await openDatabase(config, logger);
  if (!db.health.get("integrity")) {
    try {
      if (await isEmpty(db)) {
        const report = await seedAll(db, loadFixtures());
        logger.info(report, "empty database: seed fixture loaded");
      }
    } catch (error) {
      if (!(db instanceof Database && damaged(db, logger, error, "looking for the seed"))) throw error;
    }
  }
  const server = await createServer({ config, db, logger });
  const url = await server.listen(config.port, config.host);
  const startupMs = Number(process.hrtime.bigint() - startedAt) / 1e6;
  const database = config.databaseUrl !== null ? redactUrl(config.databaseUrl) : config.databasePath;
  logger.info({ url, database, startupMs: Math.round(startupMs) }, `serving GraphQL at ${url}`);
  // After listening: on a large file the check takes seconds (docs/operations.md, "Bad database files").
  // A file found damaged while starting has been checked already.
  const integrity: BackgroundCheck | null =
    !(db instanceof Database) || config.databasePath === ":memory:" || db.health.get("integrity") ? null : startIntegrityCheck(config.databasePath, { health: db.health, log: logger });

  let stopping = false;
  const shutdown = async (signal: string): Promise<void> => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, "shutting down: finishing in-flight requests");
    integrity?.stop();
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

/**
 * A start-up that fails ends with exit code 1 and one line: for a file or a setting the operator
 * must fix (a PostgreSQL database refused at start-up included), the sentence saying which and why, on stderr (whatever LOG_LEVEL says); for anything
 * else, one fatal log line with the error and its stack, or its message on stderr when the log is
 * off or not yet set up.
 */
main().catch((error: unknown) => {
  const oneLine = (text: string): string => text.replace(/\s*\n\s*/g, " ");
  if (error instanceof DatabaseFileError || error instanceof ConfigError) {
    process.stderr.write(`The server did not start: ${oneLine(error.message)}\n`);
  } else if (startupLogger?.isLevelEnabled("fatal")) {
    startupLogger.fatal({ err: error }, `the server did not start: ${oneLine(error instanceof Error ? error.message : String(error))}`);
  } else {
    process.stderr.write(`The server did not start: ${oneLine(error instanceof Error ? `${error.name}: ${error.message}` : String(error))}\n`);
  }
  process.exit(1);
});
