import type BetterSqlite3 from "better-sqlite3";

/**
 * How many prepared statements a connection keeps, least recently used dropped first. Statement
 * texts grow with the shapes of the filters clients send (each filter shape is its own SQL), and
 * one prepared statement holds up to a few hundred kilobytes, so the cache needs a bound; the
 * server's own statements number a few hundred. The reader processes keep as many (see `ReadPool`).
 */
export const STATEMENT_CACHE_ENTRIES = 500;

/**
 * The prepared statements of one connection, by SQL text, at most `capacity`, least recently
 * used dropped first: preparing is most of the cost of a small read.
 */
export class StatementCache {
  private readonly statements = new Map<string, BetterSqlite3.Statement>();

  constructor(
    /** Prepares a statement on the connection (called on a miss). */
    private readonly prepare: (sql: string) => BetterSqlite3.Statement,
    readonly capacity: number = STATEMENT_CACHE_ENTRIES,
  ) {}

  /** How many prepared statements are kept now. */
  get size(): number {
    return this.statements.size;
  }

  /** The statement for `sql`, prepared now if it is not kept, and made the most recently used. */
  get(sql: string): BetterSqlite3.Statement {
    let statement = this.statements.get(sql);
    if (statement) this.statements.delete(sql);
    else statement = this.prepare(sql);
    this.statements.set(sql, statement);
    if (this.statements.size > this.capacity) this.statements.delete(this.statements.keys().next().value as string);
    return statement;
  }

  clear(): void {
    this.statements.clear();
  }
}
