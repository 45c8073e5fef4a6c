/**
 * The Express middleware that sets up each request before GraphQL runs: its ID, and the
 * database's request scope (statement count, deadline, ID) that everything after it runs in.
 */
import { randomUUID } from "node:crypto";
import type { RequestHandler } from "express";
import type { Database } from "../storage/database";

/**
 * Gives every response an `X-Request-Id`: the client's own when it is sane (kept for tracing
 * across services), otherwise a fresh UUID.
 */
export function requestId(): RequestHandler {
  return (req, res, next) => {
    const given = req.get("x-request-id");
    res.setHeader("x-request-id", given && /^[\w.-]{1,64}$/.test(given) ? given : randomUUID());
    next();
  };
}

export interface RequestScopeOptions {
  db: Database;
  /** The execution time limit (`QUERY_TIMEOUT_MS`). */
  queryTimeoutMs: number;
}

/**
 * Runs everything the request does from here on in its own scope: its statement count, its
 * deadline (the execution time limit) and its ID for logs and error reports.
 */
export function requestScope(options: RequestScopeOptions): RequestHandler {
  const { db, queryTimeoutMs } = options;
  return (_req, res, next) =>
    db.statements.perRequest.run(
      {
        count: 0,
        deadline: Date.now() + queryTimeoutMs,
        limitMs: queryTimeoutMs,
        requestId: String(res.getHeader("x-request-id")),
      },
      next,
    );
}
