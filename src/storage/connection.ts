import type BetterSqlite3 from "better-sqlite3";
import { DataSource } from "typeorm";
import { entities } from "../entities";
import { migrations } from "../migrations";
import { applyPragmas, registerFunctions } from "./dialect";

export interface ConnectionOptions {
  /** Whether to run pending migrations once connected. */
  migrate: boolean;
  /** Called with every statement TypeORM runs (the statement counter). */
  onStatement: (sql: string) => void;
}

/**
 * Opens (creating if needed) the database file as a TypeORM DataSource on one better-sqlite3
 * connection, with our pragmas and SQL functions, and runs pending migrations, each in its own
 * transaction, when asked to.
 */
export async function openConnection(databasePath: string, options: ConnectionOptions): Promise<DataSource> {
  const inMemory = databasePath === ":memory:";
  const dataSource = new DataSource({
    type: "better-sqlite3",
    database: databasePath,
    entities,
    migrations,
    migrationsRun: false,
    synchronize: false,
    logging: false,
    verbose: (sql: unknown) => options.onStatement(String(sql)),
    prepareDatabase: (db: BetterSqlite3.Database) => {
      applyPragmas(db, { inMemory });
      registerFunctions(db);
    },
  });
  await dataSource.initialize();
  if (options.migrate) await dataSource.runMigrations({ transaction: "each" });
  return dataSource;
}

/** The raw better-sqlite3 connection a DataSource uses. */
export function sqliteOf(dataSource: DataSource): BetterSqlite3.Database {
  return (dataSource.driver as unknown as { databaseConnection: BetterSqlite3.Database }).databaseConnection;
}
