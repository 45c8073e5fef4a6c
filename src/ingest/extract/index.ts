/**
 * The extractor: article text in, candidate facts out, pure and synchronous.
 *
 * Pipeline: wink-nlp segments and tags the body (text.ts); name candidates become people,
 * organizations and countries (entities.ts, countries.ts); titles become positions
 * (positions.ts); quotation marks and cue verbs become quotes whose speakers the ordered sieves
 * resolve (quotes.ts, speakers.ts); everything is linked to the knowledge base's records
 * (link.ts). Every candidate carries evidence spans, the rule that found it and a confidence.
 * See README.md beside this file for what it catches and misses.
 */
import type { EntityCandidate, Extraction, Gazetteer, PositionCandidate, QuoteCandidate } from "../types";
import { countryInfo } from "./countries";
import { findEntities, type Entity } from "./entities";
import { TITLE_HEADS, TITLE_MODIFIERS } from "./lexicon";
import { linkCountry, linkOrganization, linkPerson } from "./link";
import { findPositions } from "./positions";
import { findDirectQuotes, findParaphrases } from "./quotes";
import { segment } from "./text";

/** Extracts candidate people, organizations, countries, positions and quotes from `body`. */
export function extract(body: string, gazetteer: Gazetteer): Extraction {
  const doc = segment(body);
  const ents = findEntities(doc, gazetteer);
  const positions = findPositions(body, ents);
  const direct = findDirectQuotes(doc, ents);
  const paraphrases = findParaphrases(doc, ents, direct.quotes, direct.spans);

  // Keys in order of first mention, per type.
  const order = ents.list.map((e, i) => ({ e, i, at: e.mentions[0]?.start ?? e.firstAt })).sort((a, b) => a.at - b.at);
  const keyOf = new Map<number, string>();
  const counters = { PERSON: 0, ORGANIZATION: 0, COUNTRY: 0 };
  const prefix = { PERSON: "person", ORGANIZATION: "organization", COUNTRY: "country" };
  for (const { e, i } of order) keyOf.set(i, `${prefix[e.type]}:${counters[e.type]++}`);
  const countryKey = (alpha2: string | null): string | null => {
    if (!alpha2) return null;
    const idx = ents.list.findIndex((e) => e.type === "COUNTRY" && e.alpha2 === alpha2);
    return idx >= 0 ? keyOf.get(idx) ?? null : null;
  };

  // A person's description from the first appositive after a mention ("Elena Suponina, a Moscow-based Middle East expert").
  for (const e of ents.list) {
    if (e.type !== "PERSON" || e.description) continue;
    for (const m of e.mentions) {
      const a = /^,\s+((?:a|an|the)\s+)?([^,.;:“”"«»()\n]{2,100}?)\s*[,.;]/u.exec(body.slice(m.end, m.end + 130));
      if (!a || direct.spans.some((q) => m.start >= q.start && m.start < q.end)) continue;
      // An appositive starts with an article or a title ("head of …"), not with a clause ("because …").
      const firstWord = (a[2] ?? "").split(/\s+/)[0]?.toLowerCase() ?? "";
      if (!a[1] && !TITLE_HEADS.has(firstWord) && !TITLE_MODIFIERS.has(firstWord) && !/^[A-Z][\p{L}.]*[’']s$/u.test((a[2] ?? "").split(/\s+/)[0] ?? "")) continue;
      if (/^(who|which|whose|where|said|told|and|but)$/.test(firstWord) || /[’']s\s+(been|not|a|an|the)\b|\b(is|was|are|were|has|had)\b/.test(a[2] ?? "")) continue;
      // "the chamber’s president" keeps its article; "a Moscow-based … expert" does not need it.
      const text = (/^the\s/i.test(a[1] ?? "") && /[’']s\s/.test(a[2] ?? "") ? `the ${a[2] ?? ""}` : a[2] ?? "").trim();
      e.description = text.charAt(0).toUpperCase() + text.slice(1);
      break;
    }
  }

  const candidate = (e: Entity, i: number): EntityCandidate => {
    const mentions = e.mentions.map((m) => ({ start: m.start, end: m.end }));
    const texts = [...new Set(e.mentions.map((m) => body.slice(m.start, m.end)))];
    const info = e.type === "COUNTRY" && e.alpha2 ? countryInfo(e.alpha2) : undefined;
    const name = info?.name ?? e.name;
    const onlyDemonym = e.mentions.length > 0 && e.mentions.every((m) => m.via === "demonym");
    const link = e.type === "PERSON" ? linkPerson(e, gazetteer) : e.type === "ORGANIZATION" ? linkOrganization(e, gazetteer) : linkCountry(e, gazetteer, onlyDemonym);
    return {
      key: keyOf.get(i) ?? "",
      type: e.type,
      rule: e.rule,
      confidence: e.confidence,
      name,
      aliases: texts.filter((x) => x !== name),
      mentions,
      description: e.description,
      countryKey: e.type === "COUNTRY" ? null : countryKey(e.country),
      organizationKind: e.type === "ORGANIZATION" ? e.kind : null,
      parentKey: e.parent === null ? null : keyOf.get(e.parent) ?? null,
      alpha2: info?.alpha2 ?? null,
      alpha3: info?.alpha3 ?? null,
      link,
    };
  };
  const all = order.map(({ e, i }) => candidate(e, i));
  const byType = (type: EntityCandidate["type"]): EntityCandidate[] => all.filter((c) => c.type === type);

  const positionCandidates: PositionCandidate[] = positions.map((p, n) => ({
    key: `position:${n}`,
    type: "POSITION",
    rule: p.rule,
    confidence: p.confidence,
    personKey: keyOf.get(p.person) ?? "",
    title: p.title,
    organizationKey: p.organization === null ? null : keyOf.get(p.organization) ?? null,
    countryKey: countryKey(p.country),
    evidence: p.evidence,
  }));

  const quotes = [...direct.quotes, ...paraphrases].sort((a, b) => a.evidence.start - b.evidence.start);
  const quoteCandidates: QuoteCandidate[] = quotes.map((q, n) => {
    const sp = q.speaker;
    const entityKey = sp && sp.entity !== null ? keyOf.get(sp.entity) ?? null : null;
    return {
      key: `quote:${n}`,
      type: "QUOTE",
      kind: q.kind,
      rule: q.rule,
      confidence: q.confidence,
      text: body.slice(q.evidence.start, q.evidence.end),
      evidence: q.evidence,
      speakerKey: sp?.type === "PERSON" ? entityKey : null,
      speakerOrganizationKey: sp?.type === "ORGANIZATION" ? entityKey : null,
      speakerCountryKey: sp?.type === "COUNTRY" ? entityKey ?? countryKey(sp.alpha2) : null,
      speakerRule: sp && sp.type !== "NONE" ? sp.rule : null,
    };
  });

  return { people: byType("PERSON"), organizations: byType("ORGANIZATION"), countries: byType("COUNTRY"), positions: positionCandidates, quotes: quoteCandidates };
}
