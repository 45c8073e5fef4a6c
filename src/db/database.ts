import type BetterSqlite3 from "better-sqlite3";
import { DataSource } from "typeorm";
import { entities } from "../entities";
import { migrations } from "../migrations";
import { applyPragmas } from "./dialect";

/** Counts SQL statements, so tests and the benchmark can check that none grow with row counts. */
export class StatementCounter {
  count = 0;
  /** The statements themselves, kept only while `record` is on (tests use it to explain failures). */
  log: string[] = [];
  record = false;

  hit(sql: string): void {
    this.count += 1;
    if (this.record) this.log.push(sql);
  }

  reset(): void {
    this.count = 0;
    this.log = [];
  }
}

/** A value that can be bound to a SQLite statement parameter. */
export type SqlValue = string | number | bigint | null | Buffer;

/**
 * One open database: the TypeORM DataSource (entities, migrations, writes in transactions) and a
 * prepared-statement cache on the same better-sqlite3 connection for the read paths, where
 * skipping entity hydration is what keeps nested queries fast.
 */
export class Database {
  private readonly cache = new Map<string, BetterSqlite3.Statement>();

  private constructor(
    readonly dataSource: DataSource,
    readonly statements: StatementCounter,
  ) {}

  /** Opens (creating if needed) the database file, applies pragmas and, by default, runs migrations. */
  static async open(databasePath: string, options: { migrate?: boolean } = {}): Promise<Database> {
    const statements = new StatementCounter();
    const inMemory = databasePath === ":memory:";
    const dataSource = new DataSource({
      type: "better-sqlite3",
      database: databasePath,
      entities,
      migrations,
      migrationsRun: false,
      synchronize: false,
      logging: false,
      verbose: (sql: unknown) => statements.hit(String(sql)),
      prepareDatabase: (db: BetterSqlite3.Database) => applyPragmas(db, { inMemory }),
    });
    await dataSource.initialize();
    if (options.migrate ?? true) await dataSource.runMigrations({ transaction: "each" });
    return new Database(dataSource, statements);
  }

  /** The raw better-sqlite3 connection TypeORM uses. */
  get sqlite(): BetterSqlite3.Database {
    return (this.dataSource.driver as unknown as { databaseConnection: BetterSqlite3.Database })
      .databaseConnection;
  }

  private prepare(sql: string): BetterSqlite3.Statement {
    let statement = this.cache.get(sql);
    if (!statement) {
      statement = this.sqlite.prepare(sql);
      this.cache.set(sql, statement);
    }
    return statement;
  }

  /** Runs a read and returns every row. */
  all<T>(sql: string, params: readonly SqlValue[] = []): T[] {
    return this.prepare(sql).all(...params) as T[];
  }

  /** Runs a read and returns the first row, if any. */
  get<T>(sql: string, params: readonly SqlValue[] = []): T | undefined {
    return this.prepare(sql).get(...params) as T | undefined;
  }

  async close(): Promise<void> {
    this.cache.clear();
    if (this.dataSource.isInitialized) await this.dataSource.destroy();
  }
}
