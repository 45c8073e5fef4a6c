/**
 * People, organizations and countries: name candidates from wink's tokens and tags, classified by
 * the words around them (titles, organization heads, country forms), then every mention of each.
 *
 * Discovery reads running text only; headings, bylines and link text are Title Case and would
 * turn every word into a name, so they only contribute mentions of entities found elsewhere (and
 * of well-known organizations and countries).
 */
import type { Gazetteer, Span } from "../types";
import { countryDemonym, countryForm, findCountryForms, type CountryHit } from "./countries";
import {
  CUE_VERBS, FEMALE_HONORIFICS, HONORIFICS, LEGAL_FORMS, NON_OFFICE, NOT_NAME, ORG_HEADS, ORG_KIND_BY_HEAD,
  ORG_KIND_BY_NOUN, ORG_NOUNS, PLACE_HEADS, PLACE_PREFIXES, TITLE_HEADS, TITLE_MODIFIERS, WELL_KNOWN_ORGS,
} from "./lexicon";
import type { Doc, Token } from "./text";
import { indexOf } from "./gazetteer-index";
import { nameKey, surnameOf } from "./names";

export { nameKey, surnameOf };

export type EntityType = "PERSON" | "ORGANIZATION" | "COUNTRY";

/** Where an entity is mentioned and how (its name, a surname, a demonym…). */
export interface Mention extends Span {
  entity: number;
  via: "name" | "alias" | "surname" | "demonym" | "code";
}

/** A title written before a name ("Russian Foreign Minister", "UN envoy", "Libyan dictator"). */
export interface PreTitle {
  /** The title words as written. */
  words: string[];
  /** Start of the whole prefix (country or organization included), end of the name. */
  start: number;
  end: number;
  country: string | null;
  organization: number | null;
  /** False for descriptors that are no office ("warlord", "expert"). */
  office: boolean;
  former: boolean;
  person: number;
  /** An acronym in front that names an organization found later ("RSF commander"). */
  organizationText: string | null;
}

/** An entity found in the article, before it becomes a candidate. */
export interface Entity {
  type: EntityType;
  name: string;
  forms: Set<string>;
  rule: string;
  confidence: number;
  alpha2: string | null;
  kind: string | null;
  country: string | null;
  parent: number | null;
  female: boolean;
  honorifics: Set<string>;
  /** Lower-case office titles, filled in by the positions module, for the description sieve. */
  titles: string[];
  description: string | null;
  mentions: Mention[];
  /** First offset the entity was discovered at, for ordering. */
  firstAt: number;
}

/** Everything the entity pass finds. */
export interface Entities {
  list: Entity[];
  /** All mentions, sorted by start. */
  mentions: Mention[];
  preTitles: PreTitle[];
  /** Cities standing for their country ("Moscow said"): not country mentions, but speakers. */
  capitals: CountryHit[];
}

const PARTICLES = new Set(["al", "el", "bin", "bint", "ibn", "de", "da", "van", "von", "der", "du", "la", "le", "abu", "di", "dos"]);
const isWord = (t: string): boolean => /^\p{L}/u.test(t);
const isCap = (t: string): boolean => /^\p{Lu}/u.test(t);
const lower = (t: string): string => t.toLowerCase();
const CONNECT = new Set(["of", "for", "and"]);
const escapeRe = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
/** Each well-known organization's forms as whole-word patterns, compiled once. */
const KNOWN_ORG_RES = WELL_KNOWN_ORGS.map((org) => ({
  org,
  res: [org.name, ...org.aliases].map((f) => new RegExp(`(?<![\\p{L}\\p{N}])${escapeRe(f)}(?![\\p{L}\\p{N}]|[.]\\p{L})`, "u")),
}));

interface Chunk {
  first: number;
  last: number;
}

/** Whether tokens `a` and `b` touch (no space between them). */
function touching(a: Token | undefined, b: Token | undefined): boolean {
  return a !== undefined && b !== undefined && a.end === b.start;
}

/** Capitalized runs of tokens in one sentence, joined across particles, hyphens and "of"/"for"/"and" in organization names. */
function chunksOf(doc: Doc, first: number, last: number): Chunk[] {
  const t = doc.tokens;
  const out: Chunk[] = [];
  let i = first;
  const capRunEnd = (k: number): number => {
    let j = k;
    while (j < last && isWord(t[j]?.text ?? "") && isCap(t[j]?.text ?? "")) j++;
    return j;
  };
  while (i < last) {
    const tok = t[i];
    if (!tok || !isWord(tok.text) || !isCap(tok.text) || NOT_NAME.has(lower(tok.text))) {
      i++;
      continue;
    }
    let j = i + 1;
    for (;;) {
      const nx = t[j];
      if (!nx || j >= last) break;
      if (isWord(nx.text) && isCap(nx.text) && !/\n/.test(doc.body.slice(t[j - 1]?.end ?? 0, nx.start))) {
        j++;
        continue;
      }
      // "Nord Stream 2 AG": a number inside a name followed by another capitalized word.
      if (/^\d+$/.test(nx.text) && isCap(t[j + 1]?.text ?? "") && !/\n/.test(doc.body.slice(nx.end, t[j + 1]?.start ?? nx.end))) {
        j += 2;
        continue;
      }
      if (PARTICLES.has(nx.text) && (isCap(t[j + 1]?.text ?? "") || t[j + 1]?.text === "-")) {
        j++;
        continue;
      }
      if (nx.text === "-" && touching(t[j - 1], nx) && touching(nx, t[j + 1]) && (isCap(t[j + 1]?.text ?? "") || PARTICLES.has(t[j + 1]?.text ?? ""))) {
        j++;
        continue;
      }
      if (nx.text === "of" && TITLE_HEADS.has(lower(t[j - 1]?.text ?? "")) && /^(State|Defense|Defence|Staff)$/.test(t[j + 1]?.text ?? "")) {
        j += 2;
        continue;
      }
      if (CONNECT.has(nx.text)) {
        let k = j + 1;
        if (t[k]?.text === "the") k++;
        const end = capRunEnd(k);
        const prevWord = lower(t[j - 1]?.text ?? "");
        const lastWord = lower(t[end - 1]?.text ?? "");
        const orgLike = ORG_HEADS.has(lastWord) || (nx.text !== "and" && (ORG_HEADS.has(prevWord) || (TITLE_HEADS.has(prevWord) && nx.text === "of" && end - k === 1)));
        const run = chunkText(doc, k, end);
        const standalone = countryForm(run) !== undefined || WELL_KNOWN_ORGS.some((o) => o.name === run || o.aliases.includes(run));
        if (end > k && orgLike && !standalone) {
          j = end;
          continue;
        }
      }
      break;
    }
    out.push({ first: i, last: j });
    i = j;
  }
  return out;
}

interface Builder {
  doc: Doc;
  list: Entity[];
  byKey: Map<string, number>;
  preTitles: PreTitle[];
}

function newEntity(b: Builder, type: EntityType, name: string, rule: string, confidence: number, at: number): number {
  const key = `${type}:${nameKey(name)}`;
  const found = b.byKey.get(key);
  if (found !== undefined) {
    const e = b.list[found];
    if (e && confidence > e.confidence) {
      e.confidence = confidence;
      e.rule = rule;
    }
    return found;
  }
  b.list.push({
    type, name, forms: new Set([name]), rule, confidence, alpha2: null, kind: null, country: null, parent: null,
    female: false, honorifics: new Set(), titles: [], description: null, mentions: [], firstAt: at,
  });
  b.byKey.set(key, b.list.length - 1);
  return b.list.length - 1;
}

function orgFromKnown(b: Builder, name: string, at: number): number {
  const known = WELL_KNOWN_ORGS.find((o) => o.name === name || o.aliases.includes(name));
  const idx = newEntity(b, "ORGANIZATION", known?.name ?? name, known ? "well-known-organization" : "organization-name", known ? 0.95 : 0.85, at);
  const e = b.list[idx];
  if (e && known) {
    e.kind = known.kind;
    e.country = known.country;
    for (const a of known.aliases) e.forms.add(a);
    if (known.parent) e.parent = orgFromKnown(b, known.parent, at);
  }
  return idx;
}

/** The words of a chunk as written, joining hyphenated parts. */
function chunkText(doc: Doc, a: number, z: number): string {
  const s = doc.tokens[a]?.start ?? 0;
  const e = doc.tokens[z - 1]?.end ?? s;
  return doc.body.slice(s, e);
}

/** Word groups of a chunk: tokens joined by hyphens or particles count as one word. */
function wordsOf(doc: Doc, c: Chunk): Array<{ text: string; first: number; last: number }> {
  const out: Array<{ text: string; first: number; last: number }> = [];
  let k = c.first;
  while (k < c.last) {
    let z = k + 1;
    while (z < c.last && (doc.tokens[z]?.text === "-" || doc.tokens[z - 1]?.text === "-")) z++;
    out.push({ text: chunkText(doc, k, z), first: k, last: z });
    k = z;
  }
  return out;
}

function isOrgHeadWord(w: string): boolean {
  return ORG_HEADS.has(lower(w));
}

/** Finds people, organizations and countries in `doc`, consulting `gazetteer` for single names. */
export function findEntities(doc: Doc, gazetteer: Gazetteer): Entities {
  const b: Builder = { doc, list: [], byKey: new Map(), preTitles: [] };
  const t = doc.tokens;
  const capitals: CountryHit[] = [];
  const singles: Array<{ text: string; at: number; strong: boolean }> = [];
  const acronyms: Array<{ text: string; at: number }> = [];

  // Countries first: they are prefixes of titles and parts of organization names.
  const countryHits = findCountryForms(doc.body);
  for (const hit of countryHits) {
    if (hit.via === "capital") {
      capitals.push(hit);
      continue;
    }
    const idx = newEntity(b, "COUNTRY", hit.alpha2, "country-" + hit.via, hit.via === "demonym" ? 0.85 : 0.95, hit.start);
    const e = b.list[idx];
    if (e) e.alpha2 = hit.alpha2;
  }

  for (const s of doc.sentences) {
    if (s.heading) continue;
    for (const c of chunksOf(doc, s.first, s.last)) {
      const first = t[c.first];
      if (!first) continue;
      // A capitalized sentence opener that wink does not tag as a proper noun is an ordinary word.
      if (c.first === s.first && first.pos !== "PROPN" && c.last - c.first === 1 && !countryForm(first.text)) continue;
      classify(b, c, s.first, singles, gazetteer, acronyms);
    }
  }

  // Single names: a surname or first name of someone already found, a known person, or a name in a person's place.
  // A company's name without its legal form is an alias ("Gazprom" for "Gazprom PJSC").
  for (const e of b.list) {
    if (e.type !== "ORGANIZATION") continue;
    const parts = e.name.split(/\s+/);
    if (parts.length > 1 && LEGAL_FORMS.has(lower(parts[parts.length - 1] ?? ""))) e.forms.add(parts.slice(0, -1).join(" "));
  }
  const orgForm = (text: string): boolean => b.list.some((e) => e.type === "ORGANIZATION" && e.forms.has(text));
  const paragraphOf = (offset: number): number => doc.paragraphs.findIndex((p) => offset >= p.start && offset < p.end);
  for (const sgl of singles) {
    if (matchesPerson(b, sgl.text) || orgForm(sgl.text)) continue;
    // "Chinese President Xi Jinping … Xi said", "Luiz Inacio Lula da Silva … Lula said": another part
    // of one name used nearby (same or previous paragraph) and by nobody else.
    const here = paragraphOf(sgl.at);
    const near = b.list.filter((e) => e.type === "PERSON" && e.name.split(/\s+/).includes(sgl.text) && here - paragraphOf(e.firstAt) <= 1 && here >= paragraphOf(e.firstAt));
    if (near.length === 1 && near[0]) {
      near[0].forms.add(sgl.text);
      continue;
    }
    const known = indexOf(gazetteer).peopleBySurnameOrAlias.get(sgl.text)?.[0];
    if (known) newEntity(b, "PERSON", known.name, "known-person-surname", 0.8, sgl.at);
    else if (sgl.strong) newEntity(b, "PERSON", sgl.text, "single-name-in-person-context", 0.6, sgl.at);
  }

  // Acronyms in parentheses after an organization ("Libyan National Army (LNA)").
  for (const m of doc.body.matchAll(/([\p{Lu}][\p{L}’' -]{1,80}?)\s+\(([A-Z]{2,6})\)/gu)) {
    const org = b.byKey.get(`ORGANIZATION:${nameKey(m[1] ?? "")}`) ?? [...b.byKey.entries()].find(([k]) => k.startsWith("ORGANIZATION:") && nameKey(m[1] ?? "").endsWith(k.slice(13)))?.[1];
    if (org !== undefined) b.list[org]?.forms.add(m[2] ?? "");
  }
  // Acronyms standing for an organization found in the text ("RSF" for "Rapid Support Forces").
  for (const m of doc.body.matchAll(/(?<![\p{L}])(\p{Lu}{2,6})(?![\p{L}])/gu)) {
    const acr = m[1] ?? "";
    if (countryForm(acr) || WELL_KNOWN_ORGS.some((o) => o.aliases.includes(acr))) continue;
    const org = b.list.find((e) => e.type === "ORGANIZATION" && e.name.split(/\s+/).filter((x) => !/^(of|the|for|and)$/.test(x)).map((x) => x.charAt(0)).join("") === acr);
    if (org) org.forms.add(acr);
  }
  // Other acronyms in running text are organizations ("an analyst at ICIS").
  for (const a of acronyms) {
    if (countryForm(a.text) || orgForm(a.text) || matchesPerson(b, a.text)) continue;
    const idx = newEntity(b, "ORGANIZATION", a.text, "acronym", 0.6, a.at);
    const e = b.list[idx];
    if (e) e.kind = e.kind ?? null;
  }
  // Known organizations by any form, anywhere (headings and datelines included).
  for (const { org, res } of KNOWN_ORG_RES) {
    for (const re of res) {
      const at = doc.body.search(re);
      if (at >= 0) {
        orgFromKnown(b, org.name, at);
        break;
      }
    }
  }

  const mentions = collectMentions(b, countryHits);
  const list = b.list;
  // Entities only ever mentioned inside a longer name ("Kremlin" in "Kremlin Says…") stay; ones with no mention go.
  const counts = new Array<number>(list.length).fill(0);
  for (const m of mentions) counts[m.entity] = (counts[m.entity] ?? 0) + 1;
  const keep = list.map((e, i) => (counts[i] ?? 0) > 0 || e.type === "PERSON");
  const remap = new Map<number, number>();
  const kept: Entity[] = [];
  list.forEach((e, i) => {
    if (keep[i]) {
      remap.set(i, kept.length);
      kept.push(e);
    }
  });
  for (const e of kept) e.parent = e.parent === null ? null : remap.get(e.parent) ?? null;
  const finalMentions = mentions.filter((m) => remap.has(m.entity)).map((m) => ({ ...m, entity: remap.get(m.entity) ?? 0 }));
  for (const e of kept) e.mentions = [];
  for (const m of finalMentions) kept[m.entity]?.mentions.push(m);
  const preTitles = b.preTitles.filter((p) => remap.has(p.person)).map((p) => ({ ...p, person: remap.get(p.person) ?? 0, organization: p.organization === null ? null : remap.get(p.organization) ?? null }));
  return { list: kept, mentions: finalMentions, preTitles, capitals };
}

/** Whether `text` is already a form of a person (surname, first name of an Arabic name, tail). */
function matchesPerson(b: Builder, text: string): boolean {
  const key = nameKey(text);
  for (const e of b.list) {
    if (e.type !== "PERSON") continue;
    if ([...e.forms].some((f) => nameKey(f) === key)) return true;
    const parts = e.name.split(/\s+/);
    if (nameKey(surnameOf(e.name)) === key.replace(/^(al|el)-/, "")) return true;
    if (parts.length > 2 && /\b(bin|bint|ibn)\b/.test(e.name) && nameKey(parts[0] ?? "") === key) return true;
    if (nameKey(parts.slice(-key.split(" ").length).join(" ")) === key) return true;
  }
  return false;
}

/** Reads one capitalized chunk: organization, title + person, or single name. */
function classify(
  b: Builder, c: Chunk, sentenceFirst: number, singles: Array<{ text: string; at: number; strong: boolean }>, gazetteer: Gazetteer,
  acronyms: Array<{ text: string; at: number }>,
): void {
  const doc = b.doc;
  const t = doc.tokens;
  let words = wordsOf(doc, c);
  const full = chunkText(doc, c.first, c.last);
  const start = t[c.first]?.start ?? 0;
  const lastWord = words[words.length - 1]?.text ?? "";
  const next = t[c.last];
  const next2 = t[c.last + 1];
  const prev = t[c.first - 1];
  const prev2 = t[c.first - 2];

  // Well-known organizations by name or alias, also when the chunk stops inside a longer name.
  if (WELL_KNOWN_ORGS.some((o) => o.name === full || o.aliases.includes(full))) {
    orgFromKnown(b, full, start);
    return;
  }
  const longer = WELL_KNOWN_ORGS.find((o) => o.name.length > full.length && o.name.startsWith(full) && doc.body.startsWith(o.name, start));
  if (longer) {
    orgFromKnown(b, longer.name, start);
    return;
  }
  // Whole chunk a country form: counted already. A dateline ("HONG KONG (Reuters) -") names nobody.
  if (countryForm(full)) return;
  if (c.first === sentenceFirst && words.every((x) => !/\p{Ll}/u.test(x.text)) && /^\s*(?:\(|,|--|—|–|-\s)/.test(doc.body.slice(t[c.last - 1]?.end ?? 0, (t[c.last - 1]?.end ?? 0) + 3))) return;
  // "UN-backed", "Kremlin-funded": a prefix naming an organization or country.
  const hyph = /^([\p{Lu}][\p{L}.]*)-(backed|led|hosted|recognized|recognised|funded|run|allied|based|born)$/u.exec(words[0]?.text ?? "");
  if (hyph) words = words.slice(1);
  if (words.length === 0) return;

  // Organizations: a head word at the end, or a noun that says so ("the Kommersant newspaper", "company Rosatom").
  const orgName = words.map((w) => w.text).join(" ");
  if (isOrgHeadWord(lastWord) && words.length > 1) {
    // "Azerbaijan’s Foreign Ministry" is the Azerbaijani Foreign Ministry.
    const possessed = prev && /^[’']s$/.test(prev.text) ? countryForm(prev2?.text ?? "") : undefined;
    const demonym = possessed && possessed.via === "name" ? countryDemonym(possessed.alpha2) : null;
    // Only a generic name ("Foreign Ministry", "Energy Ministry") needs its country to be one organization.
    const generic = words.slice(0, -1).every((w) => TITLE_MODIFIERS.has(lower(w.text)));
    const fullName = demonym && generic && !countryForm(words[0]?.text ?? "") ? `${demonym} ${orgName}` : orgName.replace(/^The /, "");
    const idx = newEntity(b, "ORGANIZATION", fullName, "organization-head-word", 0.85, start);
    if (fullName !== orgName) b.list[idx]?.forms.add(`${prev2?.text ?? ""}${prev?.text ?? ""} ${orgName}`);
    const e = b.list[idx];
    if (e) {
      e.kind = e.kind ?? ORG_KIND_BY_HEAD[lower(lastWord)] ?? null;
      const dem = words.map((w) => countryForm(w.text)).find((f) => f !== undefined);
      if (dem && !e.country) e.country = dem.alpha2;
      // "ECOWAS Commission": a known organization's name in front is its parent.
      const head = words[0]?.text ?? "";
      const known = WELL_KNOWN_ORGS.find((o) => o.name === head || o.aliases.includes(head));
      if (known && words.length === 2) e.parent = orgFromKnown(b, known.name, start);
      // "X at the Y": Y is X's parent.
      if (next?.text === "at" && t[c.last + 1]?.text === "the") {
        const after = chunksOf(doc, c.last + 2, Math.min(t.length, c.last + 12))[0];
        if (after && after.first === c.last + 2) {
          const afterWords = wordsOf(doc, after);
          if (isOrgHeadWord(afterWords[afterWords.length - 1]?.text ?? "")) {
            const p = newEntity(b, "ORGANIZATION", afterWords.map((w) => w.text).join(" "), "organization-head-word", 0.85, t[after.first]?.start ?? 0);
            const pe = b.list[p];
            if (pe) pe.kind = pe.kind ?? ORG_KIND_BY_HEAD[lower(afterWords[afterWords.length - 1]?.text ?? "")] ?? null;
            e.parent = p;
          }
        }
      }
    }
    return;
  }
  const nounAfter = next && ORG_NOUNS.has(lower(next.text)) ? lower(next.text) : null;
  const nounBefore = prev && ORG_NOUNS.has(lower(prev.text)) ? lower(prev.text) : prev?.text === "," && prev2 && ORG_NOUNS.has(lower(prev2.text)) ? lower(prev2.text) : null;
  const atFirm = prev?.text === "at" && prev2 && /^(analysts?|economists?|strategists?|researchers?|fellows?)$/i.test(prev2.text);
  if ((nounAfter || nounBefore || atFirm) && words.length <= 3 && !words.some((w) => TITLE_HEADS.has(lower(w.text)))) {
    const idx = newEntity(b, "ORGANIZATION", orgName, "organization-noun", 0.75, start);
    const e = b.list[idx];
    if (e) e.kind = e.kind ?? ORG_KIND_BY_NOUN[nounAfter ?? nounBefore ?? ""] ?? "COMPANY";
    return;
  }
  // Places: a place word at the end or right after ("Blue Nile", "El Dabaa nuclear plant", "St. Petersburg").
  if ((words.length > 1 && PLACE_PREFIXES.has(lower(words[0]?.text ?? ""))) || PLACE_HEADS.has(lower(lastWord)) || (next && PLACE_HEADS.has(lower(next.text))) || (next && next2 && /^[a-z\d]/.test(next.text) && PLACE_HEADS.has(lower(next2.text)))) return;

  // A title and honorifics in front of a name.
  let w = 0;
  let country: string | null = null;
  let organization: number | null = null;
  if (hyph) {
    const pre = hyph[1] ?? "";
    const cf = countryForm(pre);
    if (cf) country = cf.alpha2;
    else if (WELL_KNOWN_ORGS.some((o) => o.aliases.includes(pre) || o.name === pre)) organization = orgFromKnown(b, pre, start);
  }
  // The longest country form in front ("South African President …").
  let prefixLen = 0;
  let firstForm: ReturnType<typeof countryForm>;
  for (let n = Math.min(3, words.length - 1); n >= 1 && !firstForm; n--) {
    const f = countryForm(words.slice(0, n).map((x) => x.text).join(" "));
    if (f && f.via !== "capital") {
      firstForm = f;
      prefixLen = n;
    }
  }
  if (firstForm && words.length > prefixLen) {
    country = firstForm.alpha2;
    w = prefixLen;
  } else if (words.length > 1 && WELL_KNOWN_ORGS.some((o) => o.aliases.includes(words[0]?.text ?? "") || o.name === words[0]?.text)) {
    organization = orgFromKnown(b, words[0]?.text ?? "", start);
    w = 1;
  }
  const titleWords: string[] = [];
  let titleEnd = w;
  for (let k = w; k < words.length - 1; k++) {
    const lw = lower(words[k]?.text ?? "");
    if (TITLE_MODIFIERS.has(lw) || TITLE_HEADS.has(lw) || (lw === "of" && titleWords.length > 0)) {
      titleWords.push(words[k]?.text ?? "");
      if (TITLE_HEADS.has(lw) || lw === "state") titleEnd = k + 1;
    } else break;
  }
  let titleList = titleWords.slice(0, titleEnd - w);
  // "Police Commissioner Stephen Lo", "House Speaker Nancy Pelosi": capitalized words before a title head.
  if (!titleList.some((x) => TITLE_HEADS.has(lower(x)))) {
    for (let h = w + 1; h < words.length - 1; h++) {
      const lw = lower(words[h]?.text ?? "");
      if (!TITLE_HEADS.has(lw) || HONORIFICS.has(lw)) continue;
      const mods = words.slice(w, h);
      if (mods.length <= 2 && mods.every((x) => /^\p{Lu}\p{Ll}+$/u.test(x.text) && !NOT_NAME.has(lower(x.text)) && !countryForm(x.text))) {
        titleList = words.slice(w, h + 1).map((x) => x.text);
        titleEnd = h + 1;
      }
      break;
    }
  }
  const hasHead = titleList.some((x) => TITLE_HEADS.has(lower(x)));
  let nameFrom = hasHead ? titleEnd : w;
  const honorifics: string[] = [];
  while (nameFrom < words.length - 1 && HONORIFICS.has(lower(words[nameFrom]?.text ?? ""))) honorifics.push(lower(words[nameFrom++]?.text ?? ""));
  // A title head that is really an honorific ("General Abdourahamane Tiani") is not an office.
  const nameWords = words.slice(nameFrom);
  if (nameWords.length === 0) return;
  const name = nameWords.map((x) => x.text).join(" ");
  if (nameWords.some((x) => countryForm(x.text) || isOrgHeadWord(x.text) || TITLE_HEADS.has(lower(x.text)) || NOT_NAME.has(lower(x.text)))) return;
  const nameStart = t[nameWords[0]?.first ?? c.first]?.start ?? start;
  const nameEnd = t[(nameWords[nameWords.length - 1]?.last ?? c.last) - 1]?.end ?? nameStart;

  // A lower-case title in front ("Libyan dictator", "UN envoy", "Kremlin spokesman", "Press secretary").
  let lowTitle: string[] = [];
  let lowStart = -1;
  let former = false;
  let organizationText: string | null = null;
  if (!hasHead && nameFrom === 0) {
    let k = c.first - 1;
    const acc: number[] = [];
    while (k >= sentenceFirst && acc.length < 4) {
      const lw = lower(t[k]?.text ?? "");
      if (/^[a-z]/.test(t[k]?.text ?? "") && (TITLE_HEADS.has(lw) || TITLE_MODIFIERS.has(lw) || NON_OFFICE.has(lw) || lw === "of" || lw === "state")) {
        acc.unshift(k);
        k--;
      } else break;
    }
    // "Press secretary": a capitalized title word opening the sentence.
    if (acc.length > 0 && k >= sentenceFirst && TITLE_MODIFIERS.has(lower(t[k]?.text ?? "")) && isCap(t[k]?.text ?? "") && !countryForm(t[k]?.text ?? "")) {
      acc.unshift(k);
      k--;
    }
    if (acc.length > 0 && acc.some((i) => TITLE_HEADS.has(lower(t[i]?.text ?? "")) || NON_OFFICE.has(lower(t[i]?.text ?? "")))) {
      lowTitle = acc.map((i) => t[i]?.text ?? "");
      lowStart = t[acc[0] ?? 0]?.start ?? 0;
      const before = t[k];
      // "Foreign Ministry spokesman": an organization found just before the title.
      let orgRunStart = k;
      while (orgRunStart - 1 >= sentenceFirst && isCap(t[orgRunStart - 1]?.text ?? "") && k - orgRunStart < 6) orgRunStart--;
      for (let from = orgRunStart; from < k && before; from++) {
        const runOrg = b.byKey.get(`ORGANIZATION:${nameKey(chunkText(doc, from, k + 1))}`);
        if (runOrg !== undefined) {
          organization = runOrg;
          lowStart = t[from]?.start ?? lowStart;
          break;
        }
      }
      if (organization === null && before && isWord(before.text) && isCap(before.text)) {
        const cf = countryForm(before.text);
        const org = WELL_KNOWN_ORGS.find((o) => o.aliases.includes(before.text) || o.name === before.text);
        const orgId = b.byKey.get(`ORGANIZATION:${nameKey(before.text)}`);
        if (cf) {
          country = cf.alpha2;
          lowStart = before.start;
        } else if (org) {
          organization = orgFromKnown(b, before.text, before.start);
          lowStart = before.start;
        } else if (orgId !== undefined) {
          organization = orgId;
          lowStart = before.start;
        } else if (/^\p{Lu}{2,6}$/u.test(before.text)) {
          organizationText = before.text;
          lowStart = before.start;
        }
        const bb = t[k - 1];
        if (bb?.text === "former") former = true;
      } else if (before?.text === "former") {
        former = true;
      }
      // "Its director general": that is an appositive, handled by the positions module.
      if (before && /^(its|his|her|their|the|a|an)$/i.test(before.text)) lowTitle = [];
    }
  }

  const ctxAfter = t.slice(c.last, c.last + 3).map((x) => lower(x.text));
  const ctxBefore = t.slice(Math.max(0, c.first - 2), c.first).map((x) => lower(x.text));
  const cueWord = (w: string): boolean => CUE_VERBS.has(w) && !/^call/.test(w);
  // "said Peskov." names a speaker; "said European gas storage …" does not.
  const cueBefore = cueWord(ctxBefore[1] ?? "") && /^[,.;:)]?$/.test(ctxAfter[0] ?? "");
  const cueNear = cueWord(ctxAfter[0] ?? "") || cueBefore || ctxAfter[0] === "administration" || (ctxAfter[0] === "," && (ctxAfter[1] === "who" || /^\d+$/.test(ctxAfter[1] ?? "") || ctxAfter[1] === "head" || ctxAfter[1] === "a" || ctxAfter[1] === "an" || ctxAfter[1] === "the" || ctxAfter[1] === "its"));
  const apposBefore = ctxBefore[1] === "," && /^[a-z]/.test(t[c.first - 2]?.text ?? "") && (TITLE_HEADS.has(ctxBefore[0] ?? "") || ["counterpart", "lawyer", "spokesman", "spokeswoman", "chief", "editor-in-chief", "president", "executive"].includes(ctxBefore[0] ?? ""));
  const strong = hasHead || honorifics.length > 0 || lowTitle.length > 0 || cueNear || apposBefore;

  if (nameWords.length === 1) {
    // A single word: only a person in a person's place, or a form of someone found elsewhere.
    // An all-capitals word is an acronym, unless it is a dateline's city ("CAIRO (Reuters) -").
    const dateline = c.first === sentenceFirst && /^\s*(?:\(|,|--|—|–|-\s)/.test(doc.body.slice(nameEnd, nameEnd + 3));
    if (/^\p{Lu}{2,6}$/u.test(name) && words.length === 1 && !dateline) acronyms.push({ text: name, at: nameStart });
    if (!/^\p{Lu}\p{Ll}/u.test(name)) return;
    // A single capitalized word opening a sentence ("Traders call …") is too often a common noun.
    const opener = c.first === sentenceFirst;
    if (nameWords[0]?.text !== words[0]?.text || strong || gazetteer.people.length > 0) singles.push({ text: name, at: nameStart, strong: hasHead || honorifics.length > 0 || lowTitle.length > 0 || (cueNear && !opener) });
    if (hasHead || lowTitle.length > 0) recordPreTitle(b, name, nameStart, nameEnd, start, titleList, lowTitle, lowStart, hasHead, country, organization, former, honorifics, organizationText);
    return;
  }
  // Two words or more: a person, unless it is the tail of someone already found ("Al Thani").
  if (matchesPerson(b, name)) {
    if (hasHead || lowTitle.length > 0) recordPreTitle(b, name, nameStart, nameEnd, start, titleList, lowTitle, lowStart, hasHead, country, organization, former, honorifics, organizationText);
    return;
  }
  // A name used as a modifier ("the Hang Seng index") with nothing else saying it is a person.
  if (!strong && next && /^\p{Ll}/u.test(next.text) && next.pos === "NOUN") return;
  const idx = newEntity(b, "PERSON", name, strong ? (hasHead || lowTitle.length ? "title-name" : "name-in-person-context") : "capitalized-name", strong ? 0.9 : 0.7, nameStart);
  const e = b.list[idx];
  if (e) {
    for (const h of honorifics) {
      e.honorifics.add(h);
      if (FEMALE_HONORIFICS.has(h)) e.female = true;
    }
    if (country && !e.country) e.country = country;
  }
  if (hasHead || lowTitle.length > 0) recordPreTitle(b, name, nameStart, nameEnd, start, titleList, lowTitle, lowStart, hasHead, country, organization, former, honorifics, organizationText);
}

function recordPreTitle(
  b: Builder, name: string, nameStart: number, nameEnd: number, chunkStart: number, titleList: string[], lowTitle: string[],
  lowStart: number, hasHead: boolean, country: string | null, organization: number | null, former: boolean, honorifics: string[],
  organizationText: string | null,
): void {
  const words = hasHead ? titleList : lowTitle;
  // An office needs a title head that is not a mere descriptor ("chief" is one, "warlord" is not).
  const office = words.some((x) => TITLE_HEADS.has(lower(x)) && !NON_OFFICE.has(lower(x)));
  let person = b.byKey.get(`PERSON:${nameKey(name)}`);
  if (person === undefined) {
    person = b.list.findIndex((e) => e.type === "PERSON" && (nameKey(surnameOf(e.name)) === nameKey(name) || e.name.endsWith(" " + name)));
  }
  if (person === undefined || person < 0) return;
  for (const h of honorifics) b.list[person]?.honorifics.add(h);
  const start = hasHead ? chunkStart : lowStart;
  b.preTitles.push({ words, start: Math.min(start, nameStart), end: nameEnd, country, organization, organizationText, office, former, person });
}

/** Every mention of every entity: names and their forms, surnames, first names of Arabic names. */
function collectMentions(b: Builder, countryHits: CountryHit[]): Mention[] {
  const body = b.doc.body;
  const out: Mention[] = [];
  const forms: Array<{ text: string; entity: number; via: Mention["via"] }> = [];
  b.list.forEach((e, i) => {
    if (e.type === "COUNTRY") return;
    for (const f of e.forms) forms.push({ text: f, entity: i, via: f === e.name ? "name" : "alias" });
    if (e.type === "PERSON") {
      const parts = e.name.split(/\s+/);
      if (parts.length > 1) {
        const sur = surnameOf(e.name);
        forms.push({ text: sur, entity: i, via: "surname" });
        const last = parts[parts.length - 1] ?? "";
        if (last !== sur) forms.push({ text: last.charAt(0).toUpperCase() + last.slice(1), entity: i, via: "surname" });
        for (let k = 1; k < parts.length - 1; k++) {
          if (/^(al|Al|el|El)$/.test(parts[k] ?? "")) forms.push({ text: parts.slice(k).join(" "), entity: i, via: "surname" });
        }
        if (/\b(bin|bint|ibn)\b/.test(e.name)) forms.push({ text: parts[0] ?? "", entity: i, via: "alias" });
      }
    }
  });
  forms.sort((x, y) => y.text.length - x.text.length);
  // Surnames shared by two people go to the nearest full-name mention before them.
  const bySurname = new Map<string, Set<number>>();
  for (const f of forms) if (f.via === "surname") bySurname.set(f.text, (bySurname.get(f.text) ?? new Set()).add(f.entity));
  // One pass with every form, longest first, so "Dmitry Peskov" wins over "Peskov".
  const byText = new Map<string, Array<{ entity: number; via: Mention["via"] }>>();
  for (const f of forms) {
    if (f.text.length < 2) continue;
    const list = byText.get(f.text) ?? [];
    list.push({ entity: f.entity, via: f.via });
    byText.set(f.text, list);
  }
  if (byText.size > 0) {
    const re = new RegExp(`(?<![\\p{L}\\p{N}-])(?:${[...byText.keys()].map(escapeRe).join("|")})(?![\\p{L}\\p{N}]|-\\p{Lu})`, "gu");
    for (const m of body.matchAll(re)) {
      const s = m.index ?? 0;
      const e = s + m[0].length;
      const options = byText.get(m[0]) ?? [];
      const f = options[0];
      if (!f) continue;
      let entity = f.entity;
      const sharing = bySurname.get(m[0]);
      if (f.via === "surname" && sharing && sharing.size > 1) {
        let best = -1;
        for (const o of out) if (sharing.has(o.entity) && o.via === "name" && o.start < s && o.start > best) {
          best = o.start;
          entity = o.entity;
        }
      }
      out.push({ start: s, end: e, entity, via: f.via });
    }
  }
  // Countries: names, codes and demonyms, wherever no other entity's name covers them.
  for (const hit of countryHits) {
    if (hit.via === "capital") continue;
    const entity = b.byKey.get(`COUNTRY:${nameKey(hit.alpha2)}`);
    if (entity === undefined) continue;
    out.push({ start: hit.start, end: hit.end, entity, via: hit.via === "demonym" ? "demonym" : hit.via === "code" ? "code" : "name" });
  }
  return out.sort((x, y) => x.start - y.start);
}
