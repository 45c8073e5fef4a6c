import { Auth, authenticate } from "./auth";
import { Config } from "./config";
import type { Store } from "./storage/store";
import { ResponseBudget } from "./http/response-budget";
import { Loaders } from "./loaders";

/** What every resolver gets: the database and this request's own DataLoaders. */
export interface Context {
  db: Store;
  config: Config;
  /**
   * This request's DataLoaders. Mutations replace them after each write, so the fields a
   * mutation returns, and any later field of the same request, never read a cached pre-write row.
   */
  loaders: Loaders;
  /** Who sent the request, from its `Authorization` header; reads ignore it. */
  auth: Auth;
  /**
   * This request's budget of answer bytes (`MAX_RESPONSE_BYTES`) and time (`QUERY_TIMEOUT_MS`),
   * which every field resolver charges and checks (see `ResponseBudget`).
   */
  budget: ResponseBudget;
  /**
   * The mutation fields of this request whose writes have committed, in order: if the answer
   * then fails (over its byte budget, past its time limit), the client is told what was stored.
   */
  committed: string[];
}

/**
 * Builds a fresh context for one request. `authorization` is the request's `Authorization`
 * header; tests pass one to act as an editor through the same code path as HTTP.
 */
export function createContext(db: Store, config: Config, authorization?: string): Context {
  // The request's scope (set up by the HTTP layer, or by a test) holds its deadline.
  const scope = db.statements.perRequest.getStore();
  const budget = new ResponseBudget(config.maxResponseBytes, scope);
  return { db, config, loaders: new Loaders(db, budget), auth: authenticate(authorization, config.editorTokens), budget, committed: [] };
}
