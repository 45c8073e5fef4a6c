/**
 * Positions (offices held) from the three ways wire copy states them:
 * a title before the name ("Russian Foreign Minister Sergei Lavrov", "UN envoy Ghassan Salame"),
 * an appositive after it ("Lavrov, Russia's foreign minister", "Kortunov, head of the Russian
 * International Affairs Council") and a title before a comma and the name ("Putin's spokesman,
 * Dmitry Peskov", "Its chief executive, Igor Sechin").
 */
import type { Span } from "../types";
import { countryForm } from "./countries";
import { nameKey, type Entities, type Entity } from "./entities";

/** A position found in the text, by entity index. */
export interface FoundPosition {
  person: number;
  title: string;
  organization: number | null;
  country: string | null;
  evidence: Span;
  rule: string;
  confidence: number;
  former: boolean;
}

const HEAD = "(?:chief (?:U\\.S\\. )?economist|prime minister|coordinator|chairperson|adviser|advisor|chief executive|director general|secretary-general|secretary general|editor-in-chief|head of state|press secretary|special representative|minister|president|spokesman|spokeswoman|spokesperson|head|chairman|chairwoman|chair|director|envoy|ambassador|representative|commander|secretary|governor|chancellor|mayor|ceo|premier|chief)";
const MODS = "(?:(?:deputy|vice|foreign|defense|defence|energy|finance|interior|economy|trade|justice|health|first|interim|acting|special|senior|oil|former|executive|chief|press|army|military|national|policy|infrastructure|agriculture|education|culture|transport|labor|labour|industry|information|communications|environment|water|housing|tourism|petroleum|mining|intelligence|security|development|planning|investment|digital)\\s+){0,3}";

/** Title Case for a title as the knowledge base keeps it ("editor-in-chief" → "Editor-in-Chief"). */
export function titleCase(words: string): string {
  return words
    .trim()
    .split(/\s+/)
    .map((w, i) => w.split("-").map((p, j) => ((p === "of" || p === "in" || p === "for" || p === "the") && (i > 0 || j > 0) ? p : p.charAt(0).toUpperCase() + p.slice(1).toLowerCase())).join("-"))
    .join(" ");
}

/** The organization entity a phrase names ("the Russian International Affairs Council", "Ethiopia's foreign ministry"). */
function orgNamed(ents: Entities, phrase: string): number | null {
  let text = phrase.trim().replace(/^the\s+/i, "");
  const poss = /^([\p{Lu}][\p{L}. ]*?)['’]s\s+(.*)$/u.exec(text);
  const country = poss ? countryForm(poss[1] ?? "") : undefined;
  if (poss && country) text = `${country.alpha2} ${poss[2] ?? ""}`;
  const key = nameKey(text);
  let best: number | null = null;
  let bestLen = 0;
  ents.list.forEach((e, i) => {
    if (e.type !== "ORGANIZATION") return;
    for (const f of e.forms) {
      let fk = nameKey(f);
      const dem = /^(\p{Lu}\p{L}+)\s/u.exec(f);
      const df = dem ? countryForm(dem[1] ?? "") : undefined;
      if (df && df.via === "demonym") fk = nameKey(`${df.alpha2} ${f.slice((dem?.[1] ?? "").length + 1)}`);
      if ((key === fk || key.startsWith(fk + " ") || key.startsWith(fk)) && fk.length > bestLen) {
        best = i;
        bestLen = fk.length;
      }
    }
  });
  return best;
}

/** The most recent organization mentioned before `offset` ("Its chief executive"). */
function lastOrgBefore(ents: Entities, offset: number): number | null {
  let best: number | null = null;
  for (const m of ents.mentions) {
    if (m.start >= offset) break;
    if (ents.list[m.entity]?.type === "ORGANIZATION") best = m.entity;
  }
  return best;
}

/** The office title of a person found so far ("President"), for "Putin's spokesman". */
function officeOf(found: FoundPosition[], person: number): FoundPosition | undefined {
  return found.find((p) => p.person === person);
}

/** Finds positions; fills each person's `titles` and `country` as a side effect for the sieves. */
export function findPositions(body: string, ents: Entities): FoundPosition[] {
  const found: FoundPosition[] = [];
  const add = (p: FoundPosition): void => {
    if (found.some((f) => f.person === p.person && nameKey(f.title) === nameKey(p.title))) return;
    found.push(p);
  };
  for (const pt of ents.preTitles) {
    if (!pt.office) continue;
    const words = pt.words.filter((w) => w.toLowerCase() !== "former");
    add({
      person: pt.person, title: titleCase(words.join(" ")), organization: pt.organization ?? (pt.organizationText ? orgNamed(ents, pt.organizationText) : null), country: pt.country,
      evidence: { start: pt.start, end: pt.end }, rule: "title-before-name", confidence: 0.9, former: pt.former,
    });
  }
  const appos = new RegExp(`^,\\s+(?:(?:a|an|the)\\s+)?(?:([\\p{Lu}][\\p{L}.]*(?:\\s[\\p{Lu}][\\p{L}]*)*)['’]s\\s+|([A-Z]{2,6})\\s+|([a-z]+)['’]s\\s+)?(${MODS}${HEAD})\\b((?:\\s+(?:of|for|at|to)\\s+(?:the\\s+)?[^,.;\\n]+))?`, "u");
  const before = new RegExp(`(?:(?:^|\\s)([Ii]ts|[Hh]is|[Hh]er|[Tt]heir|[Aa]n?)\\s+|(?:^|\\s)(?:([Tt]he)\\s+)?([\\p{Lu}][\\p{L}.’'-]*(?:[ ][\\p{Lu}][\\p{L}’'-]*)*)(?:['’]s|(?<=[Tt]he [\\p{Lu}][\\p{L} ]*))\\s+|(?:^|\\s)([Tt]he)\\s+([a-z]+)['’]s\\s+)(${MODS}${HEAD})(\\s+(?:for|of)\\s+([\\p{Lu}][\\p{L}-]*(?:\\s+[\\p{Lu}][\\p{L}-]*)*)|\\s+(?:to|for|of|at)\\s+(?:the\\s+)?[a-z-]+(?:\\s+[a-z-]+){0,2})?,\\s+(?:[\\p{Lu}][\\p{L}]+\\s+)?$`, "u");
  for (const m of ents.mentions) {
    const e = ents.list[m.entity];
    if (!e || e.type !== "PERSON") continue;
    // Appositive after the name.
    const after = body.slice(m.end, m.end + 160);
    const a = after.startsWith(",") ? appos.exec(after) : null;
    if (a) handleAppositive(ents, add, m, a);
    // "Volga Thermal Systems, a firm whose chief executive is Nikolai Peskov".
    const pre = body.slice(Math.max(0, m.start - 140), m.start);
    const whose = !/whose\s+[\s\S]*\sis\s+$/.test(pre) ? null : new RegExp(`([\\p{Lu}][\\p{L}-]*(?:[ ][\\p{Lu}][\\p{L}-]*)*),\\s+an?\\s+(?:[a-z]+\\s+){0,2}whose\\s+(${MODS}${HEAD})\\s+is\\s+$`, "u").exec(body.slice(Math.max(0, m.start - 140), m.start));
    if (whose) {
      const orgIdx = orgNamed(ents, whose[1] ?? "");
      if (orgIdx !== null) add({ person: m.entity, title: titleCase(whose[2] ?? ""), organization: orgIdx, country: null, evidence: { start: m.start - whose[0].length + (whose.index ?? 0) * 0, end: m.end }, rule: "whose-title-is-name", confidence: 0.75, former: false });
    }
    // A title, a comma, then the name.
    const b = /,\s+(?:[\p{Lu}][\p{L}]+\s+)?$/u.test(pre) ? before.exec(pre) : null;
    if (b) {
      const base = Math.max(0, m.start - 140);
      const det = b[1];
      const possessor = b[3];
      const lowPoss = b[5];
      const titleWords = (b[6] ?? "").toLowerCase().replace(/\s+/g, " ");
      const forWho = b[8];
      let organization: number | null = null;
      let country: string | null = null;
      let title = titleCase(titleWords);
      let start = base + (b.index ?? 0) + (/^\s/.test(b[0]) ? 1 : 0);
      if (det && /^(its|their)$/i.test(det)) organization = lastOrgBefore(ents, start);
      // "Her spokeswoman, Ulrike Demmer": the person before is the possessor.
      const ownerMention = det && /^(his|her)$/i.test(det) ? [...ents.mentions].reverse().find((x) => x.end <= start && ents.list[x.entity]?.type === "PERSON") : undefined;
      if (ownerMention) {
        const office = officeOf(found, ownerMention.entity);
        const boss = ents.list[ownerMention.entity];
        if (office) {
          title = `${title} for the ${office.title}`;
          country = office.country ?? boss?.country ?? null;
        }
      }
      const who = possessor ?? forWho;
      if (who) {
        const cf = countryForm(who);
        const orgIdx = orgNamed(ents, who);
        const personMention = ents.mentions.find((x) => x.start >= base && x.end <= m.start && ents.list[x.entity]?.type === "PERSON" && body.slice(x.start, x.end) === who.split(/\s+/).slice(-(body.slice(x.start, x.end).split(/\s+/).length)).join(" "));
        if (cf) country = cf.alpha2;
        else if (personMention) {
          const office = officeOf(found, personMention.entity);
          const boss = ents.list[personMention.entity];
          title = office ? `${title} for the ${office.title}` : `${title} for ${boss?.name ?? who}`;
          country = office?.country ?? boss?.country ?? null;
        } else if (orgIdx !== null) organization = orgIdx;
      }
      if (lowPoss) start = base + (b.index ?? 0) + (/^\s/.test(b[0]) ? 1 : 0);
      if (!/^(lawyer|wife|son|daughter)$/.test(titleWords)) {
        add({ person: m.entity, title, organization, country, evidence: { start, end: m.end }, rule: "title-comma-name", confidence: 0.8, former: /former/.test(titleWords) });
      }
    }
  }
  for (const p of found) {
    const e: Entity | undefined = ents.list[p.person];
    if (!e) continue;
    e.titles.push(p.title.toLowerCase());
    if (!e.country && p.country) e.country = p.country;
  }
  return found.sort((x, y) => x.evidence.start - y.evidence.start);
}

function handleAppositive(ents: Entities, add: (p: FoundPosition) => void, m: { start: number; end: number; entity: number }, a: RegExpExecArray): void {
  const possessor = a[1];
  const acronym = a[2];
  const lowPoss = a[3];
  let titleWords = (a[4] ?? "").toLowerCase().replace(/\s+/g, " ");
  const tail = a[5] ?? "";
  let organization: number | null = null;
  let country: string | null = null;
  if (possessor) {
    const cf = countryForm(possessor);
    if (cf) country = cf.alpha2;
    else organization = orgNamed(ents, possessor);
  }
  if (acronym) organization = orgNamed(ents, acronym);
  if (lowPoss) {
    const cap = lowPoss.charAt(0).toUpperCase() + lowPoss.slice(1);
    const idx = ents.list.findIndex((e) => e.type === "ORGANIZATION" && e.name.split(/\s+/).includes(cap));
    if (idx >= 0) organization = idx;
  }
  const former = /former/.test(titleWords);
  titleWords = titleWords.replace(/former\s+/, "");
  let end = m.end + a[0].length - tail.length;
  if (tail) {
    const t = /^(\s+(?:of|for|at|to)\s+)(.*)$/s.exec(tail);
    const restStart = end + (t?.[1] ?? "").length;
    const whole = t?.[2] ?? "";
    const bare = whole.replace(/^the\s+/i, "");
    const skip = whole.length - bare.length;
    // The longest organization name the tail starts with ("the Center for Arab and Islamic Studies at …").
    let bestOrg: number | null = null;
    let bestLen = 0;
    ents.list.forEach((e, i) => {
      if (e.type !== "ORGANIZATION") return;
      for (const f of e.forms) if (bare.startsWith(f) && !/^[\p{L}-]/u.test(bare.slice(f.length)) && f.length > bestLen) {
        bestOrg = i;
        bestLen = f.length;
      }
    });
    const rest = whole.replace(/\s+(who|which|where|in|on|and)\s.*$/s, "");
    const cf = countryForm(rest.replace(/^the\s+/i, ""));
    if (bestOrg !== null) {
      organization = bestOrg;
      end = restStart + skip + bestLen;
    } else {
      const orgIdx = orgNamed(ents, rest);
      if (orgIdx !== null) organization = orgIdx;
      else if (cf && /representative|envoy/.test(titleWords)) titleWords = `${titleWords} for ${rest}`;
      else if (cf) country = cf.alpha2;
      end = restStart + rest.length;
    }
  }
  add({ person: m.entity, title: titleCase(titleWords), organization, country, evidence: { start: m.start, end }, rule: "name-appositive-title", confidence: 0.85, former });
}
