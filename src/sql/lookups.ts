import type { Store } from "../storage/store";
import { foldText, likeEscape, SqlValue } from "../storage/dialect";
import { titleWordsSubquery } from "../storage/search-index";
import { normalizeUrl, trimText } from "../entities/common";
import { Article, Country, Organization, Person } from "../entities";
import { ArticleTable, CountryTable, everyColumn, OrganizationTable, PersonTable, RawRow, TableDef } from "./tables";

async function one<T>(db: Store, table: TableDef<T>, sql: string, params: SqlValue[]): Promise<T | null> {
  const row = await db.get<RawRow>(sql, params);
  return row ? table.hydrate(row) : null;
}

/** Finds a country by its ISO 3166-1 alpha-2 or alpha-3 code, in any case. */
export function findCountryByCode(db: Store, code: string): Promise<Country | null> {
  const upper = code.trim().toUpperCase();
  return one(db, CountryTable, `SELECT ${everyColumn(db.dialect, CountryTable, "t")} FROM "country" t WHERE t."alpha2" = ? OR t."alpha3" = ?`, [upper, upper]);
}

/** How a look-up candidate matched the name asked for. */
export type LookupMatchKind = "NAME" | "ALIAS" | "SURNAME" | "PART" | "ACRONYM" | "SIMILAR";

/** The kinds of record `lookupByName` finds. */
export type LookupType = "Person" | "Organization";

/** One candidate of a look-up: the record, how it matched, and the name or alias it matched in. */
export interface LookupCandidate<T = Person | Organization> {
  node: T;
  matchedBy: LookupMatchKind;
  matchedText: string;
}

/** Whether a look-up found one record, several, or none. */
export type LookupStatus = "FOUND" | "AMBIGUOUS" | "NOT_FOUND";

/** What a look-up found: the one record (or null), and every candidate it considered at the deciding step. */
export interface LookupOutcome<T = Person | Organization> {
  status: LookupStatus;
  match: T | null;
  candidates: Array<LookupCandidate<T>>;
}

/** The most candidates a look-up lists. */
export const MAX_LOOKUP_CANDIDATES = 10;

/** The longest name, in words and characters, looked for as a part of names (longer ones only as a whole name or alias). */
const MAX_PART_WORDS = 12;
const MAX_PART_LENGTH = 300;

/** Little words an acronym leaves out: "Institute of Oriental Studies" is IOS. */
const ACRONYM_SKIPS = new Set(["of", "the", "and", "for", "on", "in", "at", "to", "a", "an", "de", "du", "des", "la", "le", "el", "al"]);

/**
 * The words of a name as the look-up compares them: accents removed (the search index's
 * `remove_diacritics`), case folded (`foldText`), split on anything that is not a letter or a
 * digit ("al-Sarraj" is "al", "sarraj"), as the index's unicode61 tokenizer splits them.
 */
export function nameWords(text: string): string[] {
  return foldText(text.normalize("NFKD").replace(/\p{M}/gu, ""))
    .split(/[^\p{L}\p{N}]+/u)
    .filter((w) => w.length > 0);
}

/** Where `part` occurs as consecutive words of `whole`: -1 if nowhere. */
function wordIndex(whole: readonly string[], part: readonly string[]): number {
  for (let i = 0; i + part.length <= whole.length; i++) {
    if (part.every((w, j) => whole[i + j] === w)) return i;
  }
  return -1;
}

/** The aliases of a hydrated row (a JSON array in the table, parsed on hydration). */
function aliasesOf(row: Person | Organization): string[] {
  const aliases = (row as { aliases?: unknown }).aliases;
  return Array.isArray(aliases) ? aliases.filter((a): a is string => typeof a === "string") : [];
}

/** How a row matches `words` word-wise, if it does: a surname (a person's last names), or a part of its name or an alias. */
function partMatch(type: LookupType, row: Person | Organization, words: readonly string[]): LookupCandidate | null {
  const name = nameWords(row.name);
  const at = wordIndex(name, words);
  if (at >= 0) {
    // Every word of the name, written with other accents or punctuation ("Jose Alvarez").
    if (words.length === name.length) return { node: row, matchedBy: "NAME", matchedText: row.name };
    const surname = type === "Person" && at > 0 && at + words.length === name.length;
    return { node: row, matchedBy: surname ? "SURNAME" : "PART", matchedText: row.name };
  }
  for (const alias of aliasesOf(row)) {
    if (wordIndex(nameWords(alias), words) >= 0) return { node: row, matchedBy: "PART", matchedText: alias };
  }
  return null;
}

/** The acronyms a name answers to: the initials of all its words, and of all but the little ones. */
function acronymsOf(name: string): string[] {
  const words = nameWords(name);
  const all = words.map((w) => w[0]).join("");
  const significant = words.filter((w) => !ACRONYM_SKIPS.has(w)).map((w) => w[0]).join("");
  return [all, significant];
}

/** Rows of a type whose names or aliases hold the words (see `titleWordsSubquery`). */
async function indexedRows<T>(db: Store, table: TableDef<T>, type: LookupType, words: readonly string[], options: { prefix: boolean; limit: number }): Promise<T[]> {
  const ids = titleWordsSubquery(db, type, words, options);
  return (await db.all<RawRow>(`SELECT ${everyColumn(db.dialect, table, "t")} FROM "${table.table}" t WHERE t.id IN (${ids.sql}) ORDER BY t.id`, ids.params)).map((row) => table.hydrate(row));
}

function byKindThenName(a: LookupCandidate, b: LookupCandidate): number {
  const order: LookupMatchKind[] = ["NAME", "ALIAS", "SURNAME", "ACRONYM", "PART", "SIMILAR"];
  return order.indexOf(a.matchedBy) - order.indexOf(b.matchedBy) || a.node.name.localeCompare(b.node.name) || a.node.id - b.node.id;
}

/**
 * Looks a person or organization up by a name as a researcher would type it, in this order:
 *
 * 1. The full name or an alias, ignoring case and accents' encoding (`ignoringCase`): a full
 *    name wins over an alias, and among several the earliest recorded, as `person(name:)` has
 *    always answered. Every record matched at this step is a candidate.
 * 2. Otherwise a part of a name, word-wise (whole words, in order, ignoring case and accents):
 *    a surname ("Lavrov"), a first name, or any run of words of the name or an alias; for an
 *    organization also an acronym of its name ("RIAC", with or without the little words). Exactly
 *    one record matching is the match; several are AMBIGUOUS, and the match is null.
 * 3. Otherwise NOT_FOUND, and the candidates are names whose words begin like the words asked
 *    for ("Lavrof" suggests Lavrov), as suggestions only.
 *
 * Each step is one or two statements whatever the table's size: names are found through the
 * search index's title column (names and aliases, tokenized like `nameWords`; see
 * `titleWordsSubquery`), which the triggers keep in step, and checked word by word here.
 */
export async function lookupByName<T extends Person | Organization>(db: Store, table: TableDef<T>, type: LookupType, name: string): Promise<LookupOutcome<T>> {
  const n = trimText(name);
  const words = nameWords(n);
  if (n.length === 0) return { status: "NOT_FOUND", match: null, candidates: [] };

  const match = db.dialect.nameOrAliasMatch("t", n);
  const exact = db.dialect.ignoringCase.equals(`t."name"`, n);
  const direct = (
    await db.all<RawRow>(`SELECT ${everyColumn(db.dialect, table, "t")} FROM "${table.table}" t WHERE ${match.sql} ORDER BY (${exact.sql}) DESC, t.id LIMIT ${MAX_LOOKUP_CANDIDATES}`, [
      ...match.params,
      ...exact.params,
    ])
  ).map((row) => table.hydrate(row));
  if (direct.length > 0) {
    const folded = foldText(n);
    const candidates = direct.map((row): LookupCandidate<T> => {
      if (foldText(row.name) === folded) return { node: row, matchedBy: "NAME", matchedText: row.name };
      const alias = aliasesOf(row).find((a) => foldText(a) === folded) ?? n;
      return { node: row, matchedBy: "ALIAS", matchedText: alias };
    });
    return { status: "FOUND", match: direct[0], candidates };
  }
  // No name has that many words: a long text is not worth a search for its parts.
  if (words.length === 0 || words.length > MAX_PART_WORDS || n.length > MAX_PART_LENGTH) return { status: "NOT_FOUND", match: null, candidates: [] };

  const found = new Map<number, LookupCandidate<T>>();
  for (const row of await indexedRows(db, table, type, words, { prefix: false, limit: 100 })) {
    const part = partMatch(type, row, words);
    if (part) found.set(row.id, part as LookupCandidate<T>);
  }
  if (type === "Organization" && words.length === 1 && /^\p{L}{2,12}$/u.test(words[0])) {
    // Names whose words start with the letters in order: a LIKE per name, on a short pattern.
    const pattern = [...words[0]].map((c) => `${likeEscape(c)}%`).join(" ");
    const rows = await db.all<RawRow>(`SELECT ${everyColumn(db.dialect, table, "t")} FROM "${table.table}" t WHERE ${db.dialect.ignoringCase.like(`t."name"`)} ORDER BY t.id LIMIT 100`, [pattern]);
    for (const row of rows.map((r) => table.hydrate(r))) {
      if (!found.has(row.id) && acronymsOf(row.name).includes(words[0])) found.set(row.id, { node: row, matchedBy: "ACRONYM", matchedText: row.name });
    }
  }
  if (found.size > 0) {
    const candidates = [...found.values()].sort(byKindThenName).slice(0, MAX_LOOKUP_CANDIDATES);
    return found.size === 1 ? { status: "FOUND", match: candidates[0].node, candidates } : { status: "AMBIGUOUS", match: null, candidates };
  }

  // Suggestions: every word cut to its first 60% (at least two letters), as a prefix.
  const prefixes = words.map((w) => w.slice(0, Math.max(2, Math.ceil(w.length * 0.6))));
  const similar = await indexedRows(db, table, type, prefixes, { prefix: true, limit: MAX_LOOKUP_CANDIDATES });
  const candidates = similar
    .map((row): LookupCandidate<T> => ({ node: row, matchedBy: "SIMILAR", matchedText: row.name }))
    .sort(byKindThenName);
  return { status: "NOT_FOUND", match: null, candidates };
}

/** Finds a person by name, alias or a unique part of either (see `lookupByName`); null when none or several match. */
export async function findPersonByName(db: Store, name: string): Promise<Person | null> {
  return (await lookupByName(db, PersonTable, "Person", name)).match;
}

/** Finds an organization by name, alias, acronym or a unique part (see `lookupByName`); null when none or several match. */
export async function findOrganizationByName(db: Store, name: string): Promise<Organization | null> {
  return (await lookupByName(db, OrganizationTable, "Organization", name)).match;
}

/** Finds an article by its URL. */
export function findArticleByUrl(db: Store, url: string): Promise<Article | null> {
  return one(db, ArticleTable, `SELECT ${everyColumn(db.dialect, ArticleTable, "t")} FROM "article" t WHERE t."url" = ?`, [normalizeUrl(url)]);
}
