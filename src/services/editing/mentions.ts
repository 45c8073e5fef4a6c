import { findMentions, FoundMention } from "../../ingest/extract/mentions";
import { surnameOf } from "../../ingest/extract/names";
import type { Gazetteer } from "../../ingest/types";
import type { Dialect, SqlValue } from "../../storage/dialect";

/**
 * Runs SQL (written with `?` placeholders) in the caller's transaction: an `EditSession`, or the
 * seeder's EntityManager, with the dialect of the database it writes to.
 */
export interface SqlSession {
  readonly dialect: Dialect;
  select<T>(sql: string, params?: readonly SqlValue[]): Promise<T[]>;
}

/** What refreshing an article's mentions changed. */
export interface MentionChanges {
  inserted: number;
  deleted: number;
}

/** The knowledge base's names as the transaction sees them, including records it has just created. */
async function gazetteerIn(run: SqlSession): Promise<Gazetteer> {
  const aliases = (value: unknown): string[] => JSON.parse(String(value ?? "[]")) as string[];
  const people = (await run.select(`SELECT id, name, aliases FROM "person" ORDER BY id`, [])) as Array<{ id: number; name: string; aliases: string }>;
  const organizations = (await run.select(`SELECT id, name, aliases, kind FROM "organization" ORDER BY id`, [])) as Array<{ id: number; name: string; aliases: string; kind: string }>;
  const countries = (await run.select(`SELECT id, name, alpha2, alpha3 FROM "country" ORDER BY id`, [])) as Gazetteer["countries"];
  return {
    people: people.map((p) => ({ id: p.id, name: p.name, aliases: aliases(p.aliases), countryId: null, titles: [] })),
    organizations: organizations.map((o) => ({ id: o.id, name: o.name, aliases: aliases(o.aliases), kind: o.kind, countryId: null })),
    countries,
  };
}

function keyOf(m: { startOffset: number; endOffset: number; kind: string; personId: number | null; organizationId: number | null; countryId: number | null }): string {
  return [m.startOffset, m.endOffset, m.kind, m.personId, m.organizationId, m.countryId].join(":");
}

/**
 * Brings an article's mentions in line with its body and the knowledge base's names (the rules of
 * `findMentions`), in the caller's transaction, then points each at the narrowest quote and
 * position whose evidence holds it. Mentions are derived data, not edits: they are not in the
 * edit log. Rows that still hold are left as they are, so running it twice changes nothing.
 */
export async function refreshMentions(run: SqlSession, articleId: number, body: string, gazetteer?: Gazetteer): Promise<MentionChanges> {
  const found: FoundMention[] = findMentions(body, gazetteer ?? (await gazetteerIn(run)));
  const existing = (await run.select(
    `SELECT id, "startOffset", "endOffset", kind, "personId", "organizationId", "countryId" FROM "mention" WHERE "articleId" = ?`,
    [articleId],
  )) as Array<{ id: number; startOffset: number; endOffset: number; kind: string; personId: number | null; organizationId: number | null; countryId: number | null }>;
  const wanted = new Map(found.map((m) => [keyOf({ ...m, startOffset: m.start, endOffset: m.end }), m]));
  const stale = existing.filter((row) => !wanted.delete(keyOf(row))).map((row) => row.id);
  for (let i = 0; i < stale.length; i += 500) {
    const ids = stale.slice(i, i + 500);
    await run.select(`DELETE FROM "mention" WHERE id IN (${ids.map(() => "?").join(", ")})`, ids);
  }
  const fresh = [...wanted.values()];
  // SQLite takes at most 32,766 bound values per statement; a mention has 7.
  for (let i = 0; i < fresh.length; i += 500) {
    const rows = fresh.slice(i, i + 500);
    await run.select(
      `INSERT INTO "mention" ("articleId", "startOffset", "endOffset", kind, "personId", "organizationId", "countryId") VALUES ${rows.map(() => "(?, ?, ?, ?, ?, ?, ?)").join(", ")}`,
      rows.flatMap((m) => [articleId, m.start, m.end, m.kind, m.personId, m.organizationId, m.countryId]),
    );
  }
  await linkMentions(run, articleId);
  return { inserted: fresh.length, deleted: stale.length };
}

/** The narrowest row of `table` in the same article whose evidence holds the mention `m`. */
function narrowest(table: "quote" | "position"): string {
  return (
    `(SELECT e.id FROM "${table}" e WHERE e."articleId" = m."articleId" AND e."startOffset" <= m."startOffset" AND e."endOffset" >= m."endOffset" ` +
    `ORDER BY e."endOffset" - e."startOffset", e.id LIMIT 1)`
  );
}

/**
 * Points every mention of an article at the narrowest quote and position whose evidence holds it
 * (none: null), writing only the rows that change. Run after an article's quotes or positions
 * are added, moved or deleted.
 */
export async function linkMentions(run: SqlSession, articleId: number): Promise<void> {
  await run.select(
    `UPDATE "mention" AS m SET "quoteId" = ${narrowest("quote")}, "positionId" = ${narrowest("position")}, "updatedAt" = ? ` +
      `WHERE m."articleId" = ? AND ("quoteId" IS DISTINCT FROM ${narrowest("quote")} OR "positionId" IS DISTINCT FROM ${narrowest("position")})`,
    // Stored to the second, as the column's default writes it.
    [run.dialect.timestampParam(new Date(Math.floor(Date.now() / 1000) * 1000)), articleId],
  );
}

/**
 * Refreshes the mentions of every article whose body contains one of `forms` (a record's old and
 * new names and aliases, after an edit), or of every article (`forms` null: a country's demonyms
 * and spellings are not its names). Returns how many articles it looked at.
 */
export async function refreshArticlesNaming(run: SqlSession, forms: ReadonlyArray<string | null | undefined> | null): Promise<number> {
  const words = forms === null ? null : [...new Set(forms.filter((f): f is string => typeof f === "string" && f.trim().length >= 2).map((f) => f.trim()))];
  if (words !== null && words.length === 0) return 0;
  const ids = new Set<number>();
  if (words === null) {
    for (const row of (await run.select(`SELECT id FROM "article" ORDER BY id`, [])) as Array<{ id: number }>) ids.add(row.id);
  } else {
    for (let i = 0; i < words.length; i += 100) {
      const chunk = words.slice(i, i + 100);
      const rows = (await run.select(`SELECT id FROM "article" WHERE ${chunk.map(() => run.dialect.contains("body")).join(" OR ")}`, chunk)) as Array<{ id: number }>;
      for (const row of rows) ids.add(row.id);
    }
  }
  if (ids.size === 0) return 0;
  const gazetteer = await gazetteerIn(run);
  for (const id of [...ids].sort((a, b) => a - b)) {
    const [article] = (await run.select(`SELECT body FROM "article" WHERE id = ?`, [id])) as Array<{ body: string }>;
    if (article) await refreshMentions(run, id, article.body, gazetteer);
  }
  return ids.size;
}

/** A person's, organization's or country's names as they stand in text, for `refreshArticlesNaming`. */
export function namesOf(row: { name?: unknown; aliases?: unknown } | null | undefined): string[] {
  if (!row) return [];
  const aliases = Array.isArray(row.aliases) ? (row.aliases as unknown[]) : [];
  const name = typeof row.name === "string" ? row.name : null;
  return [...(name ? [name, surnameOf(name)] : []), ...aliases.filter((a): a is string => typeof a === "string")];
}
