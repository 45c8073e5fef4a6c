/**
 * Mentions: where an article's body refers to a person, an organization or a country the
 * knowledge base holds. One function for seeding, `addArticle` and accepting candidates, so every
 * article's mentions are found by the same rules:
 *
 * - a record's full name (`NAME`) and each alias (`ALIAS`), as written: case matters ("UN" is not
 *   "un"), and a form must stand as whole words (no letter or digit on either side);
 * - a person's surname alone (`SURNAME`, "Lavrov"), and a country's other spellings and codes
 *   ("U.S.", `ALIAS`) and demonyms ("Russian", `DEMONYM`) from the country forms the extractor
 *   knows, only where the form names exactly one known record;
 * - overlapping forms: the longest wins ("Libyan National Army" is the organization, not a
 *   demonym of Libya; "Khalifa Haftar" one mention, not two), then the earliest start.
 *
 * A form two records share ("Kim" for two people) is left out rather than guessed. Pronouns and
 * descriptions ("he", "the military leader") are not resolved: no rule here is sure of them.
 */
import type { Gazetteer } from "../types";
import { findCountryForms } from "./countries";
import { surnameOf } from "./names";

/** How a mention was recognized; the values of the `MentionKind` enum. */
export type MentionKindName = "NAME" | "ALIAS" | "SURNAME" | "DEMONYM";

/** One mention found in a text: a range of it and the record it refers to. */
export interface FoundMention {
  start: number;
  end: number;
  kind: MentionKindName;
  personId: number | null;
  organizationId: number | null;
  countryId: number | null;
}

type Target = { type: "person" | "organization" | "country"; id: number };

/** How sure a kind is: where one form could be several kinds for one record, the surer one stays. */
const KIND_RANK: Record<MentionKindName, number> = { NAME: 0, ALIAS: 1, SURNAME: 2, DEMONYM: 3 };

const LETTER_OR_DIGIT = /[\p{L}\p{N}]/u;

/** Every form with the records it names and how; a form naming more than one record is dropped. */
function formsOf(gazetteer: Gazetteer): Map<string, { target: Target; kind: MentionKindName } | null> {
  const forms = new Map<string, { target: Target; kind: MentionKindName } | null>();
  const add = (form: string, target: Target, kind: MentionKindName): void => {
    const text = form.trim();
    if (text.length < 2) return;
    if (!forms.has(text)) {
      forms.set(text, { target, kind });
      return;
    }
    const existing = forms.get(text);
    if (existing === null || existing === undefined) return;
    if (existing.target.type === target.type && existing.target.id === target.id) {
      if (KIND_RANK[kind] < KIND_RANK[existing.kind]) forms.set(text, { target, kind });
      return;
    }
    // Two records go by this form. A name beats another record's weaker form; otherwise it is ambiguous.
    if (kind === "NAME" && existing.kind !== "NAME") forms.set(text, { target, kind });
    else if (!(existing.kind === "NAME" && kind !== "NAME")) forms.set(text, null);
  };
  for (const p of gazetteer.people) {
    const target: Target = { type: "person", id: p.id };
    add(p.name, target, "NAME");
    for (const alias of p.aliases) add(alias, target, "ALIAS");
  }
  for (const o of gazetteer.organizations) {
    const target: Target = { type: "organization", id: o.id };
    add(o.name, target, "NAME");
    for (const alias of o.aliases) add(alias, target, "ALIAS");
  }
  for (const c of gazetteer.countries) add(c.name, { type: "country", id: c.id }, "NAME");
  // Surnames last: only where no name or alias (of anyone) already claims the word.
  for (const p of gazetteer.people) {
    const surname = surnameOf(p.name);
    if (surname !== p.name && /^\p{Lu}/u.test(surname)) add(surname, { type: "person", id: p.id }, "SURNAME");
  }
  return forms;
}

/** Whether `text[start, end)` stands as whole words. */
function wholeWords(text: string, start: number, end: number): boolean {
  const before = start > 0 ? text[start - 1] : "";
  const after = end < text.length ? text[end] : "";
  if (before && LETTER_OR_DIGIT.test(before)) return false;
  if (after && LETTER_OR_DIGIT.test(after)) return false;
  return true;
}

const WORD = /[\p{L}\p{N}]+/gu;

interface Matcher {
  forms: ReturnType<typeof formsOf>;
  /** The forms that name one record, by their first word, each list longest first. */
  byFirstWord: Map<string, string[]>;
}

/** The forms of a gazetteer by first word, built once and kept as long as the gazetteer is (a whole ingestion run, or refreshing many articles). */
const matchers = new WeakMap<Gazetteer, Matcher>();

function matcherOf(gazetteer: Gazetteer): Matcher {
  const cached = matchers.get(gazetteer);
  if (cached) return cached;
  const forms = formsOf(gazetteer);
  const byFirstWord = new Map<string, string[]>();
  for (const [form, entry] of forms) {
    if (entry === null) continue;
    // A form must start with a letter or digit to stand as whole words.
    const first = /^[\p{L}\p{N}]+/u.exec(form)?.[0];
    if (!first) continue;
    const list = byFirstWord.get(first);
    if (list) list.push(form);
    else byFirstWord.set(first, [form]);
  }
  for (const list of byFirstWord.values()) list.sort((a, b) => b.length - a.length);
  const matcher = { forms, byFirstWord };
  matchers.set(gazetteer, matcher);
  return matcher;
}

/**
 * The mentions of the gazetteer's records in `body`, in text order, never overlapping. Offsets
 * are JavaScript string indices, so `body.slice(start, end)` is the mention's text.
 */
export function findMentions(body: string, gazetteer: Gazetteer): FoundMention[] {
  const { forms, byFirstWord } = matcherOf(gazetteer);
  type Hit = { start: number; end: number; target: Target; kind: MentionKindName };
  const hits: Hit[] = [];
  // At every word of the body, the longest form starting there that stands as whole words. A
  // look-up per word, not a pattern of every form: the cost follows the body, not the gazetteer.
  for (const word of body.matchAll(WORD)) {
    const start = word.index;
    for (const form of byFirstWord.get(word[0]) ?? []) {
      const end = start + form.length;
      if (!body.startsWith(form, start) || !wholeWords(body, start, end)) continue;
      const entry = forms.get(form)!;
      hits.push({ start, end, target: entry.target, kind: entry.kind });
      break;
    }
  }
  const countryIdByAlpha2 = new Map(gazetteer.countries.filter((c) => c.alpha2).map((c) => [c.alpha2 as string, c.id]));
  for (const hit of findCountryForms(body)) {
    const id = countryIdByAlpha2.get(hit.alpha2);
    // Capitals ("Moscow") are left out: a city is a place, not always its government.
    if (id === undefined || hit.via === "capital") continue;
    if (!wholeWords(body, hit.start, hit.end)) continue;
    hits.push({ start: hit.start, end: hit.end, target: { type: "country", id }, kind: hit.via === "demonym" ? "DEMONYM" : "ALIAS" });
  }
  // Longest first, then earliest, then the surer kind; keep what overlaps nothing kept.
  hits.sort((a, b) => b.end - b.start - (a.end - a.start) || a.start - b.start || KIND_RANK[a.kind] - KIND_RANK[b.kind]);
  const kept: Hit[] = [];
  for (const hit of hits) {
    if (kept.some((k) => hit.start < k.end && k.start < hit.end)) continue;
    kept.push(hit);
  }
  kept.sort((a, b) => a.start - b.start);
  return kept.map((h) => ({
    start: h.start,
    end: h.end,
    kind: h.kind,
    personId: h.target.type === "person" ? h.target.id : null,
    organizationId: h.target.type === "organization" ? h.target.id : null,
    countryId: h.target.type === "country" ? h.target.id : null,
  }));
}
