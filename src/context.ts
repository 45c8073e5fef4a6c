import { Config } from "./config";
import { Database } from "./db/database";
import { Loaders } from "./loaders";

/** What every resolver gets: the database and this request's own DataLoaders. */
export interface Context {
  db: Database;
  config: Config;
  loaders: Loaders;
}

/** Builds a fresh context for one request. */
export function createContext(db: Database, config: Config): Context {
  return { db, config, loaders: new Loaders(db) };
}
