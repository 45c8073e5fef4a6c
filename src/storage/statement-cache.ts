import type BetterSqlite3 from "better-sqlite3";

/**
 * How many prepared statements a connection keeps, least recently used dropped first. Statement
 * texts grow with the shapes of the filters clients send (each filter shape is its own SQL), and
 * one prepared statement holds up to a few hundred kilobytes, so the cache needs a bound; the
 * server's own statements number a few hundred. The reader processes keep as many (see `ReadPool`).
 */
export const STATEMENT_CACHE_ENTRIES = 500;

/**
 * The prepared statements of one connection, by SQL text, at most `capacity`: preparing is most
 * of the cost of a small read. The least recently used is dropped first, approximately (the
 * CLOCK policy, as `BoundedCache`): a hit only marks its statement as used, where moving it to
 * the back of the Map cost more than a microsecond per statement.
 */
export class StatementCache {
  private readonly statements = new Map<string, { statement: BetterSqlite3.Statement; used: boolean }>();

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
    const kept = this.statements.get(sql);
    if (kept) {
      kept.used = true;
      return kept.statement;
    }
    const statement = this.prepare(sql);
    this.statements.set(sql, { statement, used: false });
    while (this.statements.size > this.capacity) {
      const [oldest, entry] = this.statements.entries().next().value as [string, { statement: BetterSqlite3.Statement; used: boolean }];
      this.statements.delete(oldest);
      if (entry.used) {
        entry.used = false;
        this.statements.set(oldest, entry);
      }
    }
    return statement;
  }

  clear(): void {
    this.statements.clear();
  }
}
