/** The liveness and readiness endpoints (`/health`, `/ready`) for orchestrators and load balancers. */
import type { RequestHandler } from "express";
import type { Store } from "../storage/store";
import type { Logger } from "../logger";

/** `/health`: the process is up and answering. */
export function health(): RequestHandler {
  return (_req, res) => {
    res.json({ status: "ok" });
  };
}

export interface ReadinessOptions {
  db: Store;
  /** Where a failed check is logged. */
  logger: Logger;
}

/**
 * `/ready`: 200 when the database answers, writes commit and no migration is pending; otherwise
 * 503 with what is wrong (a damaged file, failing writes, pending migrations, no database).
 */
export function readiness(options: ReadinessOptions): RequestHandler {
  const { db, logger } = options;
  return async (_req, res) => {
    try {
      await db.probeWrites();
      const [problem] = db.health.current;
      if (problem) {
        res.status(503).json({
          status: problem.kind === "integrity" ? "database damaged" : "writes failing",
          code: problem.code,
          reason: problem.reason,
          since: problem.since.toISOString(),
        });
        return;
      }
      await db.get("SELECT 1");
      const pending = await db.dataSource.showMigrations();
      res.status(pending ? 503 : 200).json({ status: pending ? "migrations pending" : "ready" });
    } catch (error) {
      logger.error({ err: error }, "readiness check failed");
      res.status(503).json({ status: "database unreachable" });
    }
  };
}
