import type BetterSqlite3 from "better-sqlite3";
import { DataSource } from "typeorm";
import { entities } from "../entities";
import { migrations } from "../migrations";
import { applyPragmas, registerFunctions } from "./dialect";

export interface ConnectionOptions {
  /** Whether to run pending migrations once connected. */
  migrate: boolean;
  /** Called with every statement run on the connection (the statement counter), and its parameters. */
  onStatement: (sql: string, params: readonly unknown[]) => void;
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
    prepareDatabase: (db: BetterSqlite3.Database) => {
      applyPragmas(db, { inMemory });
      registerFunctions(db);
      countStatements(db, options.onStatement);
    },
  });
  await dataSource.initialize();
  if (options.migrate) await dataSource.runMigrations({ transaction: "each" });
  return dataSource;
}

type Execute = (...params: unknown[]) => unknown;

/**
 * Calls `onStatement` with the text of every statement the connection runs: each run of a
 * statement it prepares (ours and TypeORM's), and each `exec`. better-sqlite3's own `verbose`
 * option did this, but it builds every statement's text with its parameters filled in and calls
 * back from native code, on every read: about a tenth of a small request's time (issue 18).
 * Pragmas and `transaction()`'s own BEGIN and COMMIT are not seen (nothing here counts them).
 */
function countStatements(db: BetterSqlite3.Database, onStatement: (sql: string, params: readonly unknown[]) => void): void {
  const prepare = db.prepare.bind(db);
  const exec = db.exec.bind(db);
  db.prepare = ((source: string) => {
    const statement = prepare(source);
    const counted = statement as unknown as Record<"run" | "get" | "all" | "iterate", Execute>;
    for (const method of ["run", "get", "all", "iterate"] as const) {
      const execute = counted[method].bind(statement) as Execute;
      counted[method] = (...params: unknown[]) => {
        onStatement(source, params);
        return execute(...params);
      };
    }
    return statement;
  }) as BetterSqlite3.Database["prepare"];
  db.exec = (source: string) => {
    onStatement(source, []);
    return exec(source);
  };
}

/** The raw better-sqlite3 connection a DataSource uses. */
export function sqliteOf(dataSource: DataSource): BetterSqlite3.Database {
  return (dataSource.driver as unknown as { databaseConnection: BetterSqlite3.Database }).databaseConnection;
}
