/**
 * The rules that need the database or more than one field: uniqueness, references, evidence
 * offsets, date order, cycles and dependents. They run inside the mutation's transaction, so
 * what they check is what gets written.
 */
import { fromGlobalIdOfType, toGlobalId } from "../../model/global-id";
import { tablesByType } from "../../sql/tables";
import { foldText } from "../../storage/dialect";
import { QuoteKind } from "../../entities";
import { trimText } from "../../entities/common";
import { ConflictError, Dependents, InputValidationError } from "../../errors";
import { NodeTypeName, typeModel } from "../../model/registry";
import { EditableType, EditSession, Row } from "./session";

/** Throws one `BAD_USER_INPUT` problem. */
export function refuse(field: string, rule: string, message: string): never {
  throw new InputValidationError([{ field, rule, message }]);
}

/** Trims a name-like value (the entity transformers trim too; checks must see what is stored). */
export function trim<T extends string | null | undefined>(value: T): T {
  return (typeof value === "string" ? trimText(value) : value) as T;
}

/**
 * The aliases an update leaves a record with, cleaned against the name it leaves it with: the
 * aliases sent, or the stored ones when only the name changes (a new name that was an alias
 * stops being one). Undefined when the aliases stay as they are.
 */
export function aliasesAfterUpdate(
  before: { name: string; aliases: string[] },
  values: { name?: string; aliases?: string[] },
): string[] | undefined {
  const name = values.name ?? before.name;
  const aliases = values.aliases ?? (values.name !== undefined ? before.aliases : undefined);
  const cleaned = cleanAliases(aliases, name);
  return values.aliases === undefined && cleaned?.length === before.aliases.length ? undefined : cleaned;
}

/**
 * Trims aliases and drops blanks, repeats and the record's own name (`name`, when the input gives
 * one). Repeats and the name compare ignoring case, as every look-up by alias does: "X" beside
 * "x" would find nothing more. The first spelling of a repeat is kept.
 */
export function cleanAliases(aliases: readonly string[] | null | undefined, name?: string | null): string[] | undefined {
  if (aliases === null || aliases === undefined) return undefined;
  const seen = new Set<string>(typeof name === "string" ? [foldText(trimText(name))] : []);
  const kept: string[] = [];
  for (const alias of aliases.map(trimText)) {
    const folded = foldText(alias);
    if (alias.length === 0 || seen.has(folded)) continue;
    seen.add(folded);
    kept.push(alias);
  }
  return kept;
}

/**
 * Names the record that already holds a unique value: its global ID, or, when this same request
 * created it (an earlier entry of `addArticle`), says so, since the ID will not exist once the
 * refused request is rolled back.
 */
export function describeTaken(session: EditSession, type: EditableType, id: number): string {
  return session.createdHere(type, id) ? `an earlier ${type} of this same request` : `the ${type} ${toGlobalId(type, id)}`;
}

/**
 * Refuses a value already taken by another row of the table. Names compare ignoring case,
 * because every look-up by name does (`person(name:)`), so "vladimir putin" must not become a
 * second Vladimir Putin.
 */
export async function assertUnique(
  session: EditSession,
  type: EditableType,
  column: string,
  value: string | null | undefined,
  field: string,
  options: { ignoreCase?: boolean; exceptId?: number } = {},
): Promise<void> {
  if (value === null || value === undefined) return;
  const same = options.ignoreCase ? session.dialect.ignoringCase.equals(`t."${column}"`, value) : { sql: `t."${column}" = ?`, params: [value] };
  const [taken] = await session.select<{ id: number }>(
    `SELECT t.id FROM "${tablesByType[type].table}" t WHERE ${same.sql} AND t.id <> ? LIMIT 1`,
    [...same.params, options.exceptId ?? 0],
  );
  if (taken) {
    refuse(field, "unique", `${column} "${value}" is already used by ${describeTaken(session, type, taken.id)}`);
  }
}

/** A Wikidata item is one thing in the world, so its ID may appear on one country, organization or person only. */
export async function assertUniqueWikidataId(
  session: EditSession,
  value: string | null | undefined,
  field: string,
  self?: { type: EditableType; id: number },
): Promise<void> {
  if (value === null || value === undefined) return;
  for (const type of ["Country", "Organization", "Person"] as const) {
    const exceptId = self?.type === type ? self.id : undefined;
    await assertUnique(session, type, "wikidataId", value, field, { exceptId });
  }
}

/**
 * Resolves an ID field of an input to the database ID of an existing row; null and undefined
 * pass through (clearing or leaving a reference). Unknown IDs are `NOT_FOUND`.
 */
export async function reference(
  session: EditSession,
  type: EditableType,
  id: string | null | undefined,
  field: string,
): Promise<number | null | undefined> {
  if (id === null || id === undefined) return id;
  const databaseId = fromGlobalIdOfType(id, type, field);
  await session.load(type, databaseId, field);
  return databaseId;
}

/** The evidence of a fact, as stored. */
export interface EvidenceValues {
  articleId: number;
  startOffset: number;
  endOffset: number;
}

/**
 * Checks that an evidence range lies inside the article body and, for a direct quote, that the
 * slice is exactly the quote's text (character for character, curly quotes included).
 */
export function assertEvidence(
  body: string,
  evidence: EvidenceValues,
  field: string,
  quote?: { kind: QuoteKind; text: string; textField: string },
): void {
  const { startOffset, endOffset } = evidence;
  if (!(startOffset >= 0 && endOffset > startOffset && endOffset <= body.length)) {
    refuse(
      `${field}.endOffset`,
      "withinArticle",
      `the range ${startOffset}..${endOffset} must lie inside the article body, which has ${body.length} characters`,
    );
  }
  // An offset between the two halves of a surrogate pair (an emoji, a rare CJK character) would
  // leave half a character in the evidence, which no text can equal once stored.
  const splits = (offset: number): boolean =>
    offset > 0 && offset < body.length && /[\ud800-\udbff]/.test(body[offset - 1]) && /[\udc00-\udfff]/.test(body[offset]);
  for (const [name, offset] of [["startOffset", startOffset], ["endOffset", endOffset]] as const) {
    if (splits(offset)) {
      refuse(`${field}.${name}`, "wholeCharacters", `offset ${offset} falls inside a character (between the two UTF-16 units of a surrogate pair)`);
    }
  }
  if (quote?.kind === QuoteKind.DIRECT) {
    const slice = body.slice(startOffset, endOffset);
    if (slice !== quote.text) {
      const shown = slice.length > 80 ? `${slice.slice(0, 80)}…` : slice;
      refuse(quote.textField, "matchesEvidence", `a direct quote must equal its evidence exactly; the article says "${shown}" at ${startOffset}..${endOffset}`);
    }
  }
}

/**
 * Refuses an end date before the start date. Partial dates compare at the coarser precision of
 * the two, so "2011" may end a term that started "2011-05": the year does not say otherwise.
 */
export function assertDateOrder(startDate: string | null | undefined, endDate: string | null | undefined, field: string): void {
  if (!startDate || !endDate) return;
  const n = Math.min(startDate.length, endDate.length);
  if (endDate.slice(0, n) < startDate.slice(0, n)) {
    refuse(field, "endNotBeforeStart", `endDate ${endDate} is before startDate ${startDate}`);
  }
}

/** Refuses a quote attributed to more than one of a person, a country and an organization. */
export function assertOneSpeaker(values: { speakerId?: number | null; speakerCountryId?: number | null; speakerOrganizationId?: number | null }, field: string): void {
  const given = [values.speakerId, values.speakerCountryId, values.speakerOrganizationId].filter((v) => v !== null && v !== undefined);
  if (given.length > 1) {
    refuse(field, "oneSpeaker", "a quote has at most one of speaker, speakerCountry and speakerOrganization");
  }
}

/** Refuses a parent that is the organization itself or one of its own parts. */
export async function assertNoCycle(session: EditSession, organizationId: number, parentId: number | null | undefined, field: string): Promise<void> {
  let current = parentId ?? null;
  const seen = new Set<number>();
  while (current !== null && !seen.has(current)) {
    if (current === organizationId) {
      refuse(field, "noCycle", "an organization cannot be its own parent or be part of one of its own parts");
    }
    seen.add(current);
    const [row] = await session.select<{ parentId: number | null }>(`SELECT t."parentId" FROM "organization" t WHERE t.id = ?`, [current]);
    current = row?.parentId ?? null;
  }
}

/** How many dependents an error lists by ID (the count is always complete). */
const LISTED = 10;

/**
 * Refuses to delete a row that others still refer to, naming how many of each kind and the
 * first of their IDs. (The foreign keys would refuse too, but with an uncoded SQLite error.)
 */
export async function assertNoDependents(session: EditSession, type: EditableType, row: Row, label: string): Promise<void> {
  const dependents: Dependents[] = [];
  const referrers = typeModel(type).referrers;
  for (const referrer of referrers) {
    const rows = await session.select<{ id: number; n: number }>(
      `SELECT t.id, COUNT(*) OVER () AS n FROM "${tablesByType[referrer.type].table}" t WHERE t."${referrer.column}" = ? ORDER BY t.id LIMIT ${LISTED}`,
      [row.id],
    );
    if (rows.length > 0) {
      dependents.push({
        type: referrer.type,
        field: referrer.field,
        count: rows[0].n,
        ids: rows.map((r) => toGlobalId(referrer.type, r.id)),
      });
    }
  }
  if (dependents.length === 0) return;
  const list = dependents.map((d) => {
    const noun = d.count === 1 ? d.type.toLowerCase() : typeModel(d.type as NodeTypeName).plural;
    return `${d.count} ${noun} (as ${d.field})`;
  });
  const one = dependents.length === 1 && dependents[0].count === 1;
  throw new ConflictError(
    `${type} ${label} cannot be deleted while ${list.join(", ")} ${one ? "refers" : "refer"} to it; change or delete ${one ? "it" : "them"} first`,
    dependents,
  );
}
