/**
 * The Express middleware that sets up each request before GraphQL runs: its ID, and the
 * database's request scope (statement count, deadline, ID) that everything after it runs in.
 */
import { randomUUID } from "node:crypto";
import type { RequestHandler } from "express";
import type { Store } from "../storage/store";
import type { RequestScope } from "../storage/request-scope";

/**
 * Gives every response an `X-Request-Id`: the client's own when it is sane (kept for tracing
 * across services), otherwise a fresh UUID.
 */
export function requestId(): RequestHandler {
  return (req, res, next) => {
    res.setHeader("x-request-id", requestIdFor(req.get("x-request-id")));
    next();
  };
}

/** The ID a request is known by: the client's `X-Request-Id` when it is sane, otherwise a fresh UUID. */
export function requestIdFor(given: string | string[] | undefined): string {
  // Express's `req.get` reads the first of repeated headers' values as Node joins them.
  const value = Array.isArray(given) ? given.join(", ") : given;
  return value && /^[\w.-]{1,64}$/.test(value) ? value : randomUUID();
}

/** The request scope `requestScope` opens: no statements yet, the deadline from now. */
export function scopeFor(queryTimeoutMs: number, requestId: string): RequestScope {
  return { count: 0, deadline: Date.now() + queryTimeoutMs, limitMs: queryTimeoutMs, requestId };
}


export interface RequestScopeOptions {
  db: Store;
  /** The execution time limit (`QUERY_TIMEOUT_MS`). */
  queryTimeoutMs: number;
}

/**
 * Runs everything the request does from here on in its own scope: its statement count, its
 * deadline (the execution time limit) and its ID for logs and error reports.
 */
export function requestScope(options: RequestScopeOptions): RequestHandler {
  const { db, queryTimeoutMs } = options;
  return (_req, res, next) => db.statements.perRequest.run(scopeFor(queryTimeoutMs, String(res.getHeader("x-request-id"))), next);
}
