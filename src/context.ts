import { Auth, authenticate } from "./auth";
import { Config } from "./config";
import { Database } from "./db/database";
import { Loaders } from "./loaders";

/** What every resolver gets: the database and this request's own DataLoaders. */
export interface Context {
  db: Database;
  config: Config;
  /**
   * This request's DataLoaders. Mutations replace them after each write, so the fields a
   * mutation returns, and any later field of the same request, never read a cached pre-write row.
   */
  loaders: Loaders;
  /** Who sent the request, from its `Authorization` header; reads ignore it. */
  auth: Auth;
}

/**
 * Builds a fresh context for one request. `authorization` is the request's `Authorization`
 * header; tests pass one to act as an editor through the same code path as HTTP.
 */
export function createContext(db: Database, config: Config, authorization?: string): Context {
  return { db, config, loaders: new Loaders(db), auth: authenticate(authorization, config.editorTokens) };
}
