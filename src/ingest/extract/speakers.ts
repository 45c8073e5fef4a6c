/**
 * Speaker sieves: who is the subject of a cue verb. Ordered from the surest to the least sure,
 * after the multi-pass sieve design of quote attribution systems (Muzny et al., Citron):
 * a named entity next to the verb (`name-cue`, `title-name`, `organization`, `country`),
 * a relative pronoun to its antecedent (`relative-pronoun`), a personal pronoun to the nearest
 * person before it (`pronoun`), a description ("the minister", "the German diplomat") to the
 * person whose office fits (`description`). A subject that is a common noun ("analysts") is an
 * explicit unnamed source: no speaker, but the quote stays.
 */
import { countryForm } from "./countries";
import type { Entities, Mention } from "./entities";
import { DESCRIPTIONS, PERSON_PRONOUNS } from "./lexicon";
import { sentenceAt, type Doc } from "./text";

/** Who said it, as the sieves resolved it. */
export interface Speaker {
  type: "PERSON" | "ORGANIZATION" | "COUNTRY" | "NONE";
  entity: number | null;
  /** For a city standing for its state ("Moscow said"). */
  alpha2: string | null;
  rule: string;
  confidence: number;
}

/** Nouns that stand for an organization named before ("the ministry said"). */
const ORG_DESCRIPTIONS = new Set(["party", "bloc", "ministry", "company", "firm", "agency", "court", "council", "commission", "committee", "bank", "department", "authority", "alliance", "union", "institute"]);

const NONE: Speaker = { type: "NONE", entity: null, alpha2: null, rule: "unnamed-source", confidence: 0.5 };
const SKIP_BACK = new Set([
  "also", "later", "late", "separately", "on", "monday", "tuesday", "wednesday", "thursday", "friday",
  "saturday", "sunday", "has", "had", "have", "will", "would", "earlier", "again", "last", "week",
  "repeatedly", "previously", "then", "publicly", "privately", "only", "already", "once", "had", "is",
]);

/** Everything a sieve needs: the document, its entities and the spans of direct quotes. */
export interface SieveContext {
  doc: Doc;
  ents: Entities;
  quoteSpans: Array<{ start: number; end: number }>;
}

/** Whether `offset` is inside a direct quote; the spans are sorted and disjoint. */
function insideQuote(ctx: SieveContext, offset: number): boolean {
  const spans = ctx.quoteSpans;
  let lo = 0;
  let hi = spans.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const q = spans[mid];
    if (!q) break;
    if (offset < q.start) hi = mid - 1;
    else if (offset >= q.end) lo = mid + 1;
    else return true;
  }
  return false;
}

/** The entity mention ending exactly at `end` (the longest), if any. */
function mentionEndingAt(ctx: SieveContext, end: number): Mention | undefined {
  let best: Mention | undefined;
  for (const m of ctx.ents.mentions) {
    if (m.start >= end) break;
    if (m.end === end && (!best || m.start < best.start)) best = m;
  }
  return best;
}

/** The entity mention starting exactly at `start`, if any. */
function mentionStartingAt(ctx: SieveContext, start: number): Mention | undefined {
  return ctx.ents.mentions.find((m) => m.start === start);
}

/** Whether a mention sits in a prepositional phrase ("diplomats from France, Britain and Germany"). */
function inPrepositionalPhrase(ctx: SieveContext, m: Mention): boolean {
  const t = ctx.doc.tokens;
  let k = tokenIndexAt(ctx, m.start) - 1;
  // Walk back over a coordinated list of entity names: "analysts at Goldman Sachs" speak for the
  // bank, "diplomats from France, Britain and Germany" for no single one of them.
  let list = false;
  for (let guard = 0; guard < 12 && k >= 0; guard++) {
    const w = t[k]?.text ?? "";
    if (w === "," || w === "and" || w === "or") list = true;
    if (w === "," || w === "and" || w === "or" || /^\p{Lu}/u.test(w) || w === "the") k--;
    else break;
  }
  return list && /^(from|of|in|at|with|by|for|to|between|among|including|against|on)$/.test(t[k]?.text ?? "");
}

function tokenIndexAt(ctx: SieveContext, offset: number): number {
  const t = ctx.doc.tokens;
  let lo = 0;
  let hi = t.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if ((t[mid]?.start ?? 0) < offset) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

function fromMention(ctx: SieveContext, m: Mention): Speaker | null {
  const e = ctx.ents.list[m.entity];
  if (!e) return null;
  if (e.type !== "PERSON" && inPrepositionalPhrase(ctx, m)) return null;
  // A country after a preposition is a place or an origin ("diplomats from France"), not a speaker.
  const before = ctx.doc.tokens[tokenIndexAt(ctx, m.start) - 1]?.text ?? "";
  if (e.type === "COUNTRY" && /^(in|from|of|at|to|on|for|with)$/.test(before)) return null;
  if (e.type === "PERSON") {
    const titled = ctx.ents.preTitles.some((p) => p.person === m.entity && p.end === m.end);
    return { type: "PERSON", entity: m.entity, alpha2: null, rule: titled ? "title-name" : "name-cue", confidence: 0.95 };
  }
  if (e.type === "ORGANIZATION") return { type: "ORGANIZATION", entity: m.entity, alpha2: null, rule: "organization", confidence: 0.85 };
  // A demonym as subject ("Russian officials said") is not the state speaking.
  if (m.via === "demonym") return null;
  return { type: "COUNTRY", entity: m.entity, alpha2: e.alpha2, rule: "country", confidence: 0.8 };
}

/** The nearest person mentioned before `offset`, outside quotes, of a compatible gender. */
export function nearestPerson(ctx: SieveContext, offset: number, gender: "f" | "m" | null): number | null {
  // Prefer a subject: the first person named in this sentence before the pronoun, else in the
  // sentences before ("Senator Elizabeth Warren, a critic of Powell, said … “…,” she said").
  const here = sentenceAt(ctx.doc, offset);
  for (let s = here; s >= 0 && s >= here - 2; s--) {
    const sent = ctx.doc.sentences[s];
    if (!sent) continue;
    const limit = s === here ? offset : sent.end;
    // A possessor ("Putin’s spokesman") is not the subject.
    const first = ctx.ents.mentions.find((m) => m.start >= sent.start && m.start < limit && !insideQuote(ctx, m.start) && ctx.ents.list[m.entity]?.type === "PERSON" && !/^[’']s\b/.test(ctx.doc.body.slice(m.end, m.end + 3)));
    const e = first ? ctx.ents.list[first.entity] : undefined;
    if (first && e && !(gender === "m" && e.female)) return first.entity;
  }
  let best: number | null = null;
  for (const m of ctx.ents.mentions) {
    if (m.start >= offset) break;
    const e = ctx.ents.list[m.entity];
    if (!e || e.type !== "PERSON" || insideQuote(ctx, m.start)) continue;
    if (gender === "m" && e.female) continue;
    best = m.entity;
  }
  return best;
}

/** The person a description ("the minister", "the German diplomat") refers to, nearest first. */
export function describedPerson(ctx: SieveContext, head: string, modifier: string | null, offset: number): number | null {
  const fits = DESCRIPTIONS[head];
  if (!fits) return null;
  // "A senior official, who asked not to be named, said … “…,” the official said": that official has no name.
  const before = ctx.doc.body.slice(0, offset);
  const unnamed = new RegExp(`\\b(?:an?|another)\\s+(?:[\\p{L}-]+\\s+){0,3}${head}\\b`, "giu");
  let lastUnnamed = -1;
  for (const m of before.matchAll(unnamed)) lastUnnamed = m.index ?? lastUnnamed;
  const country = modifier ? countryForm(modifier)?.alpha2 ?? null : null;
  let best: number | null = null;
  let bestAt = -1;
  for (const m of ctx.ents.mentions) {
    if (m.start >= offset) break;
    const e = ctx.ents.list[m.entity];
    if (!e || e.type !== "PERSON" || insideQuote(ctx, m.start)) continue;
    const ok = e.titles.some((t) => fits.some((f) => t.includes(f))) || [...e.honorifics].some((h) => fits.includes(h));
    if (!ok) continue;
    if (country && e.country && e.country !== country) continue;
    best = m.entity;
    bestAt = m.start;
  }
  return lastUnnamed > bestAt ? null : best;
}

/** The organization a description ("the ministry", "the company") refers to, most recent first. */
export function describedOrganization(ctx: SieveContext, head: string, offset: number): number | null {
  const word = head.charAt(0).toUpperCase() + head.slice(1);
  let best: number | null = null;
  for (const m of ctx.ents.mentions) {
    if (m.start >= offset) break;
    const e = ctx.ents.list[m.entity];
    if (!e || e.type !== "ORGANIZATION" || insideQuote(ctx, m.start)) continue;
    const kindFits = ((head === "company" || head === "firm") && e.kind === "COMPANY") || (head === "bank" && e.kind === "CENTRAL_BANK") || (head === "party" && e.kind === "POLITICAL") || (head === "bloc" && e.kind === "INTERGOVERNMENTAL");
    if (e.name.split(/\s+/).includes(word) || kindFits) best = m.entity;
  }
  return best;
}

/**
 * Resolves the subject ending at token index `last` (inclusive), looking back over adverbs, time
 * phrases and one appositive or relative clause set off by commas.
 */
export function subjectBefore(ctx: SieveContext, verb: number, floor: number): Speaker | null {
  const t = ctx.doc.tokens;
  let k = verb - 1;
  while (k >= floor && SKIP_BACK.has((t[k]?.text ?? "").toLowerCase())) k--;
  if (k < floor) return null;
  if (t[k]?.text === ",") {
    // "Lavrov, who discussed …, criticized": skip a lower-case appositive or relative clause.
    let c = k - 1;
    while (c >= floor && t[c]?.text !== "," && !/^[“”"«»]$/.test(t[c]?.text ?? "")) c--;
    const segFirst = t[c + 1];
    const direct = mentionEndingAt(ctx, t[k - 1]?.end ?? -1);
    const seg = t.slice(c + 1, k);
    const isAppositive = segFirst !== undefined && (/^[a-z\d]/.test(segFirst.text) || seg.some((x) => x.text === "’s" || x.text === "'s" || /^(minister|spokesman|spokeswoman|head|chief|president|expert|envoy|ambassador|director|chairman|commander|secretary|representative)$/.test(x.text)));
    if (direct && !(isAppositive && direct.start > (segFirst?.start ?? 0))) {
      return fromMention(ctx, direct) ?? NONE;
    }
    if (c >= floor && t[c]?.text === "," && isAppositive) {
      const who = t[c + 1]?.text.toLowerCase();
      const m = mentionEndingAt(ctx, t[c - 1]?.end ?? -1);
      if (m) {
        const s = fromMention(ctx, m);
        if (s && who === "who") return { ...s, rule: "relative-pronoun" };
        return s ?? NONE;
      }
      return subjectAt(ctx, c - 1, floor);
    }
    return null;
  }
  // "Lavrov attended in his place and told the leaders …": the subject of the first verb.
  if (t[k]?.text === "and" && t[k]?.pos === "CCONJ") {
    const first = ctx.ents.mentions.find((m) => m.start >= (t[floor]?.start ?? 0) && m.start <= (t[floor + 6]?.start ?? 0) && m.via !== "demonym");
    const firstVerb = t.slice(floor, k).findIndex((x) => x.pos === "VERB");
    if (first && firstVerb >= 0 && (t[floor + firstVerb]?.start ?? 0) > first.end) {
      const s = fromMention(ctx, first);
      if (s) return { ...s, confidence: 0.75 };
    }
    return null;
  }
  return subjectAt(ctx, k, floor);
}

/** The subject whose last token is `k`. */
function subjectAt(ctx: SieveContext, k: number, floor: number): Speaker | null {
  const t = ctx.doc.tokens;
  const tok = t[k];
  if (!tok) return null;
  const m = mentionEndingAt(ctx, tok.end);
  // "Borrell and Varhelyi said in a joint statement": nobody alone.
  if (m && ctx.ents.list[m.entity]?.type === "PERSON") {
    const titled = ctx.ents.preTitles.find((p) => p.person === m.entity && p.end === m.end);
    const k0 = tokenIndexAt(ctx, titled ? titled.start : m.start) - 1;
    if (t[k0]?.text === "and" && mentionEndingAt(ctx, t[k0 - 1]?.end ?? -1)) return { ...NONE, rule: "joint-speakers" };
  }
  // "The American Chamber of Commerce in Hong Kong said": the place is not the subject.
  if (m && t[tokenIndexAt(ctx, m.start) - 1]?.text === "in" && ctx.ents.list[m.entity]?.type === "COUNTRY") {
    const inner = subjectAt(ctx, tokenIndexAt(ctx, m.start) - 2, floor);
    if (inner) return inner;
  }
  if (m) return fromMention(ctx, m) ?? NONE;
  const capital = ctx.ents.capitals.find((c) => c.end === tok.end);
  if (capital) return { type: "COUNTRY", entity: null, alpha2: capital.alpha2, rule: "country", confidence: 0.7 };
  const w = tok.text.toLowerCase();
  // "It also said": the organization spoken of last.
  if (w === "it") {
    let org: number | null = null;
    const para = ctx.doc.paragraphs.findIndex((p) => tok.start >= p.start && tok.start < p.end);
    const from = ctx.doc.paragraphs[Math.max(0, para - 1)]?.start ?? 0;
    for (const x of ctx.ents.mentions) {
      if (x.start >= tok.start) break;
      if (x.start >= from && ctx.ents.list[x.entity]?.type === "ORGANIZATION" && !insideQuote(ctx, x.start)) org = x.entity;
    }
    return org === null ? null : { type: "ORGANIZATION", entity: org, alpha2: null, rule: "pronoun", confidence: 0.65 };
  }
  if (w in PERSON_PRONOUNS) {
    if (w === "who") {
      // "Lavrov, who later told": the antecedent before the comma.
      if (t[k - 1]?.text === ",") {
        const a = mentionEndingAt(ctx, t[k - 2]?.end ?? -1);
        if (a) {
          const s = fromMention(ctx, a);
          if (s) return { ...s, rule: "relative-pronoun", confidence: 0.85 };
        }
      }
      return null;
    }
    const p = nearestPerson(ctx, tok.start, PERSON_PRONOUNS[w] ?? null);
    return p === null ? NONE : { type: "PERSON", entity: p, alpha2: null, rule: "pronoun", confidence: 0.8 };
  }
  if (w in DESCRIPTIONS) {
    // "the minister", "the German diplomat", "The junta leader".
    let j = k - 1;
    let modifier: string | null = null;
    while (j >= floor && /^\p{L}/u.test(t[j]?.text ?? "") && !/^(the|a|an)$/i.test(t[j]?.text ?? "") && k - j < 3) {
      modifier = modifier ?? t[j]?.text ?? null;
      j--;
    }
    if (j >= floor && /^the$/i.test(t[j]?.text ?? "")) {
      const p = describedPerson(ctx, w, modifier, tok.start);
      return p === null ? NONE : { type: "PERSON", entity: p, alpha2: null, rule: "description", confidence: 0.75 };
    }
  }
  if (ORG_DESCRIPTIONS.has(w) && (/^the$/i.test(t[k - 1]?.text ?? "") || (/^the$/i.test(t[k - 2]?.text ?? "") && /^\p{Ll}/u.test(t[k - 1]?.text ?? "")))) {
    const o = describedOrganization(ctx, w, tok.start);
    return o === null ? NONE : { type: "ORGANIZATION", entity: o, alpha2: null, rule: "organization", confidence: 0.7 };
  }
  if (/^(NOUN|PROPN|PRON)$/.test(tok.pos)) return NONE;
  return null;
}

/** The speaker right after an inverted cue verb ("said Peskov", "said the minister"), if any. */
export function subjectAfter(ctx: SieveContext, verb: number, ceiling: number): Speaker | null {
  const t = ctx.doc.tokens;
  const first = t[verb + 1];
  if (!first || verb + 1 >= ceiling) return null;
  // "said Peskov." is the speaker; "said Russia is urging …" is the start of what was said.
  const ends = (m: Mention): boolean => /^[ \t]*(?:[,.;:!?)]|\n|$)/.test(ctx.doc.body.slice(m.end, m.end + 3));
  const direct = mentionStartingAt(ctx, first.start);
  if (direct && ends(direct)) return fromMention(ctx, direct);
  // Titles before the name ("said Russian Foreign Minister Sergei Lavrov").
  for (let k = verb + 1; k < Math.min(ceiling, verb + 8); k++) {
    const tok = t[k];
    if (!tok || tok.text === "," || !/^\p{Lu}/u.test(tok.text)) break;
    const m = mentionStartingAt(ctx, tok.start);
    if (m && ctx.ents.list[m.entity]?.type === "PERSON" && ends(m)) return fromMention(ctx, m);
  }
  const w = first.text.toLowerCase();
  const endsAt = (k: number): boolean => /^[,.;:!?)]?$/.test(t[k]?.text ?? "") || k >= ceiling;
  if ((w === "he" || w === "she") && endsAt(verb + 2)) {
    const p = nearestPerson(ctx, first.start, PERSON_PRONOUNS[w] ?? null);
    return p === null ? NONE : { type: "PERSON", entity: p, alpha2: null, rule: "pronoun", confidence: 0.8 };
  }
  if (w === "the" && ORG_DESCRIPTIONS.has((t[verb + 2]?.text ?? "").toLowerCase()) && endsAt(verb + 3)) {
    const o = describedOrganization(ctx, (t[verb + 2]?.text ?? "").toLowerCase(), first.start);
    if (o !== null) return { type: "ORGANIZATION", entity: o, alpha2: null, rule: "organization", confidence: 0.7 };
  }
  if (w === "the") {
    let k = verb + 2;
    let modifier: string | null = null;
    while (k < ceiling && k < verb + 5) {
      const x = (t[k]?.text ?? "").toLowerCase();
      if (x in DESCRIPTIONS) {
        if (!endsAt(k + 1)) return null;
        const p = describedPerson(ctx, x, modifier, first.start);
        return p === null ? NONE : { type: "PERSON", entity: p, alpha2: null, rule: "description", confidence: 0.75 };
      }
      modifier = modifier ?? t[k]?.text ?? null;
      k++;
    }
  }
  return null;
}
