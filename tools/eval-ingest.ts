/**
 * `npm run eval:ingest`: scores the extractor against the annotated corpus (corpus/dev and
 * corpus/held-out) and prints one table per split.
 *
 * - People, organizations, countries: precision, recall and F1 on names, exact (the same name;
 *   countries by ISO code) and overlap (a shared name form or a name inside the other's).
 * - Positions: the same person and title, with the exact evidence span or an overlapping one.
 * - Quotes: exact and overlapping spans; speaker attribution as in BBC R&D's Citron (a quote
 *   counts only when its span and its speaker are both right).
 * - Linking, TAC-KBP style: of the gold entities the extractor found, the share linked to the
 *   right existing record or correctly left new, against a gazetteer built from the seed fixture.
 * - Speed: one 3,500-character article and articles per second over many.
 */
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { extract } from "../src/ingest/extract";
import type { EntityCandidate, Extraction, Gazetteer, Span } from "../src/ingest/types";

interface GoldEntity {
  name: string;
  aliases?: string[];
  alpha2?: string;
}
interface GoldPosition {
  person: string;
  title: string;
  startOffset: number;
  endOffset: number;
}
interface GoldQuote {
  text: string;
  kind: "DIRECT" | "PARAPHRASE";
  speaker: string | null;
  speakerCountry: string | null;
  speakerOrganization: string | null;
  startOffset: number;
  endOffset: number;
}
interface Gold {
  article: { bodyFile: string };
  people: GoldEntity[];
  organizations: GoldEntity[];
  countries: GoldEntity[];
  positions: GoldPosition[];
  quotes: GoldQuote[];
}

/** One annotated article. */
export interface Article {
  name: string;
  split: "dev" | "held-out";
  body: string;
  gold: Gold;
}

/** Counts behind a precision/recall/F1 triple. */
export interface Prf {
  tp: number;
  predicted: number;
  gold: number;
}

/** The scores of one split (or one article). */
export interface Scores {
  articles: number;
  people: { exact: Prf; overlap: Prf };
  organizations: { exact: Prf; overlap: Prf };
  countries: { exact: Prf; overlap: Prf };
  positions: { exact: Prf; overlap: Prf };
  quotes: { exact: Prf; overlap: Prf };
  /** Span (overlap) and speaker right, Citron style. */
  speaker: Prf;
  /** Span exact and speaker right. */
  speakerExact: Prf;
  linking: { correct: number; total: number };
}

const root = join(__dirname, "..", "corpus");
const SEED = "2019-04-09-russia-libya-peace";

/** Reads the corpus from disk. */
export function loadCorpus(): Article[] {
  const out: Article[] = [];
  for (const split of ["dev", "held-out"] as const) {
    for (const file of readdirSync(join(root, split)).filter((f) => f.endsWith(".json")).sort()) {
      const gold = JSON.parse(readFileSync(join(root, split, file), "utf8")) as Gold;
      const body = readFileSync(join(root, split, gold.article.bodyFile), "utf8");
      out.push({ name: file.replace(/\.json$/, ""), split, body, gold });
    }
  }
  return out;
}

const key = (s: string): string => s.toLowerCase().replace(/[’`]/g, "'").replace(/^the\s+/, "").trim();

/** The gazetteer a knowledge base holding only the seed fixture gives the extractor. */
export function seedGazetteer(articles: Article[]): Gazetteer {
  const seed = articles.find((a) => a.name === SEED);
  if (!seed) throw new Error("the seed article is missing from corpus/dev");
  const g = seed.gold as unknown as {
    people: Array<{ name: string; aliases: string[] }>;
    organizations: Array<{ name: string; aliases: string[]; kind: string }>;
    countries: Array<{ name: string; alpha2: string; alpha3: string }>;
    positions: Array<{ person: string; title: string }>;
  };
  return {
    people: g.people.map((p, i) => ({ id: i + 1, name: p.name, aliases: p.aliases, countryId: null, titles: g.positions.filter((x) => x.person === p.name).map((x) => x.title) })),
    organizations: g.organizations.map((o, i) => ({ id: i + 1, name: o.name, aliases: o.aliases, kind: o.kind, countryId: null })),
    countries: g.countries.map((c, i) => ({ id: i + 1, name: c.name, alpha2: c.alpha2, alpha3: c.alpha3 })),
  };
}

const EMPTY: Gazetteer = { people: [], organizations: [], countries: [] };

function formsOf(g: GoldEntity): string[] {
  return [g.name, ...(g.aliases ?? [])].map(key);
}

function predForms(c: EntityCandidate): string[] {
  return [c.name, ...c.aliases].map(key);
}

/** Whether a predicted entity and a gold one name the same thing, exactly or by overlap. */
function entityMatch(p: EntityCandidate, g: GoldEntity, mode: "exact" | "overlap"): boolean {
  if (p.type === "COUNTRY") return p.alpha2 === g.alpha2;
  if (mode === "exact") return key(p.name) === key(g.name);
  const pf = predForms(p);
  const gf = formsOf(g);
  if (pf.some((x) => gf.includes(x))) return true;
  const pn = key(p.name);
  const gn = key(g.name);
  return (pn.length > 3 && gn.includes(pn)) || (gn.length > 3 && pn.includes(gn));
}

/** Greedy one-to-one alignment; returns pairs [predicted index, gold index]. */
function align<P, G>(pred: P[], gold: G[], match: (p: P, g: G) => boolean): Array<[number, number]> {
  const used = new Set<number>();
  const pairs: Array<[number, number]> = [];
  gold.forEach((g, gi) => {
    const pi = pred.findIndex((p, i) => !used.has(i) && match(p, g));
    if (pi >= 0) {
      used.add(pi);
      pairs.push([pi, gi]);
    }
  });
  return pairs;
}

const overlaps = (a: Span, b: Span): boolean => a.start < b.end && b.start < a.end;

function emptyScores(): Scores {
  const z = (): Prf => ({ tp: 0, predicted: 0, gold: 0 });
  return {
    articles: 0, people: { exact: z(), overlap: z() }, organizations: { exact: z(), overlap: z() }, countries: { exact: z(), overlap: z() },
    positions: { exact: z(), overlap: z() }, quotes: { exact: z(), overlap: z() }, speaker: z(), speakerExact: z(), linking: { correct: 0, total: 0 },
  };
}

function addPrf(into: Prf, tp: number, predicted: number, gold: number): void {
  into.tp += tp;
  into.predicted += predicted;
  into.gold += gold;
}

/** The gold name of the person a predicted key stands for (via the overlap alignment). */
function goldNameOf(x: Extraction, gold: Gold, predKey: string | null): string | null {
  if (predKey === null) return null;
  const all = [...x.people, ...x.organizations, ...x.countries];
  const c = all.find((e) => e.key === predKey);
  if (!c) return null;
  if (c.type === "COUNTRY") return c.alpha2;
  const list = c.type === "PERSON" ? gold.people : gold.organizations;
  const g = list.find((ge) => entityMatch(c, ge, "overlap"));
  return g ? g.name : `?${c.name}`;
}

/** Scores one article's extraction against its gold reading. */
export function scoreArticle(a: Article, x: Extraction, gazetteer: Gazetteer | null, into: Scores): void {
  into.articles += 1;
  const g = a.gold;
  for (const [type, pred, gold] of [
    ["people", x.people, g.people],
    ["organizations", x.organizations, g.organizations],
    ["countries", x.countries, g.countries],
  ] as const) {
    for (const mode of ["exact", "overlap"] as const) {
      const pairs = align(pred, gold, (p, ge) => entityMatch(p, ge, mode));
      addPrf(into[type][mode], pairs.length, pred.length, gold.length);
    }
    if (gazetteer) {
      const known = type === "people" ? gazetteer.people : type === "organizations" ? gazetteer.organizations : gazetteer.countries;
      for (const [pi, gi] of align(pred, gold, (p, ge) => entityMatch(p, ge, "overlap"))) {
        const ge = gold[gi];
        const p = pred[pi];
        if (!ge || !p) continue;
        const expected = known.find((k) => ("alpha2" in k && ge.alpha2 ? k.alpha2 === ge.alpha2 : key(k.name) === key(ge.name) || ("aliases" in k && k.aliases.map(key).includes(key(ge.name)))));
        into.linking.total += 1;
        if ((expected?.id ?? null) === (p.link?.id ?? null)) into.linking.correct += 1;
      }
    }
  }
  const personName = (k: string): string | null => goldNameOf(x, g, k);
  for (const mode of ["exact", "overlap"] as const) {
    const pairs = align(x.positions, g.positions, (p, gp) => {
      const span = { start: gp.startOffset, end: gp.endOffset };
      const spanOk = mode === "exact" ? p.evidence.start === span.start && p.evidence.end === span.end : overlaps(p.evidence, span);
      return spanOk && personName(p.personKey) === gp.person && key(p.title) === key(gp.title);
    });
    addPrf(into.positions[mode], pairs.length, x.positions.length, g.positions.length);
  }
  for (const mode of ["exact", "overlap"] as const) {
    const spanOk = (p: Span, q: GoldQuote): boolean => (mode === "exact" ? p.start === q.startOffset && p.end === q.endOffset : overlaps(p, { start: q.startOffset, end: q.endOffset }));
    const pairs = align(x.quotes, g.quotes, (p, q) => spanOk(p.evidence, q));
    addPrf(into.quotes[mode], pairs.length, x.quotes.length, g.quotes.length);
    const speakerOk = (p: Extraction["quotes"][number], q: GoldQuote): boolean =>
      spanOk(p.evidence, q) &&
      personName(p.speakerKey ?? "") === (q.speaker ?? null) &&
      goldNameOf(x, g, p.speakerOrganizationKey) === (q.speakerOrganization ?? null) &&
      goldNameOf(x, g, p.speakerCountryKey) === (q.speakerCountry ?? null);
    const right = align(x.quotes, g.quotes, speakerOk);
    addPrf(mode === "exact" ? into.speakerExact : into.speaker, right.length, x.quotes.length, g.quotes.length);
  }
}

const p = (s: Prf): number => (s.predicted ? s.tp / s.predicted : 1);
const r = (s: Prf): number => (s.gold ? s.tp / s.gold : 1);
const f = (s: Prf): number => (p(s) + r(s) ? (2 * p(s) * r(s)) / (p(s) + r(s)) : 0);

/** Precision, recall and F1 of a count triple. */
export function prf(s: Prf): { precision: number; recall: number; f1: number } {
  return { precision: p(s), recall: r(s), f1: f(s) };
}

/** Runs the extractor over `articles` and scores it. */
export function evaluate(articles: Article[], gazetteer: Gazetteer | null): Scores {
  const scores = emptyScores();
  for (const a of articles) {
    if (gazetteer && a.name === SEED) continue;
    scoreArticle(a, extract(a.body, gazetteer ?? EMPTY), gazetteer, scores);
  }
  return scores;
}

function table(title: string, s: Scores): string {
  const fmt = (n: number): string => n.toFixed(2);
  const row = (name: string, e: Prf, o: Prf): string =>
    `| ${name.padEnd(24)} | ${String(e.gold).padStart(4)} | ${String(e.predicted).padStart(4)} | ${fmt(p(e))} | ${fmt(r(e))} | ${fmt(f(e))} | ${fmt(p(o))} | ${fmt(r(o))} | ${fmt(f(o))} |`;
  const lines = [
    `### ${title} (${s.articles} articles)`,
    "",
    "| fact                     | gold | pred | P exact | R exact | F1 exact | P overlap | R overlap | F1 overlap |".replace(/ exact/g, "").replace(/ overlap/g, "~"),
    "|---|---|---|---|---|---|---|---|---|",
    row("people", s.people.exact, s.people.overlap),
    row("organizations", s.organizations.exact, s.organizations.overlap),
    row("countries", s.countries.exact, s.countries.overlap),
    row("positions", s.positions.exact, s.positions.overlap),
    row("quotes (span)", s.quotes.exact, s.quotes.overlap),
    row("quotes (span + speaker)", s.speakerExact, s.speaker),
    "",
    "(P/R/F1 = exact span or name; P~/R~/F1~ = overlapping span or name. Quote speaker scored as in Citron: span and speaker both right.)",
  ];
  if (s.linking.total) lines.push(`Linking accuracy (seed gazetteer, TAC-KBP style): ${s.linking.correct}/${s.linking.total} = ${fmt(s.linking.correct / s.linking.total)}`);
  return lines.join("\n");
}

/** The issue's seed-article targets: people, invented people, countries, person-speaker quotes. */
export function seedTargets(articles: Article[]): { people: string; invented: number; countries: string; directPersonQuotes: string; personQuotes: string } {
  const seed = articles.find((a) => a.name === SEED);
  if (!seed) throw new Error("no seed");
  const x = extract(seed.body, EMPTY);
  const peoplePairs = align(x.people, seed.gold.people, (pp, ge) => entityMatch(pp, ge, "exact"));
  const countryPairs = align(x.countries, seed.gold.countries, (pp, ge) => entityMatch(pp, ge, "exact"));
  const right = (kind: "DIRECT" | null): string => {
    const gold = seed.gold.quotes.filter((q) => q.speaker !== null && (kind === null || q.kind === kind));
    const ok = gold.filter((q) => x.quotes.some((pq) => pq.evidence.start === q.startOffset && pq.evidence.end === q.endOffset && goldNameOf(x, seed.gold, pq.speakerKey) === q.speaker));
    return `${ok.length}/${gold.length}`;
  };
  return {
    people: `${peoplePairs.length}/${seed.gold.people.length}`,
    invented: x.people.length - peoplePairs.length,
    countries: `${countryPairs.length}/${seed.gold.countries.length}`,
    directPersonQuotes: right("DIRECT"),
    personQuotes: right(null),
  };
}

/** Milliseconds for the seed article (3,529 characters) and articles per second over the corpus. */
export function speed(articles: Article[], rounds: number): { seedMs: number; perSecond: number } {
  const seed = articles.find((a) => a.name === SEED);
  for (const a of articles) extract(a.body, EMPTY);
  const t0 = process.hrtime.bigint();
  if (seed) for (let i = 0; i < 10; i++) extract(seed.body, EMPTY);
  const seedMs = Number(process.hrtime.bigint() - t0) / 1e6 / 10;
  const t1 = process.hrtime.bigint();
  let n = 0;
  for (let i = 0; i < rounds; i++) for (const a of articles) {
    extract(a.body, EMPTY);
    n++;
  }
  const perSecond = n / (Number(process.hrtime.bigint() - t1) / 1e9);
  return { seedMs, perSecond };
}

function main(): void {
  const articles = loadCorpus();
  const verbose = process.argv.includes("--verbose");
  const splits = [["dev", articles.filter((a) => a.split === "dev")], ["held-out", articles.filter((a) => a.split === "held-out")], ["all", articles]] as const;
  const seedGaz = seedGazetteer(articles);
  for (const [name, list] of splits) {
    console.log(table(`${name}: empty knowledge base`, evaluate(list, null)));
    console.log("");
    console.log(table(`${name}: seed knowledge base (articles other than the seed)`, evaluate(list, seedGaz)));
    console.log("");
  }
  const t = seedTargets(articles);
  console.log(`Seed article into an empty KB: people ${t.people} (${t.invented} invented), countries ${t.countries}, person-speaker quotes right ${t.personQuotes} (direct ${t.directPersonQuotes})`);
  const sp = speed(articles, 20);
  console.log(`Speed: seed article (3,529 chars) ${sp.seedMs.toFixed(1)} ms; ${sp.perSecond.toFixed(0)} articles/s over ${articles.length * 20} extractions`);
  if (verbose) {
    // Only the dev split is shown in detail: the held-out articles are scored, never studied.
    for (const a of articles.filter((x) => x.split === "dev")) {
      const x = extract(a.body, EMPTY);
      console.log(`\n== ${a.split}/${a.name}`);
      for (const g of a.gold.quotes) {
        const m = x.quotes.find((q) => overlaps(q.evidence, { start: g.startOffset, end: g.endOffset }));
        const who = m ? goldNameOf(x, a.gold, m.speakerKey) ?? goldNameOf(x, a.gold, m.speakerOrganizationKey) ?? goldNameOf(x, a.gold, m.speakerCountryKey) : "-";
        const want = g.speaker ?? g.speakerOrganization ?? g.speakerCountry;
        const exact = m && m.evidence.start === g.startOffset && m.evidence.end === g.endOffset;
        if (!m || who !== want || !exact) console.log(`  GOLD ${g.kind} ${JSON.stringify(g.text.slice(0, 60))} want=${want} got=${m ? `${who} (${m.rule}/${m.speakerRule}) ${exact ? "" : "SPAN " + JSON.stringify(m.text.slice(0, 60))}` : "MISSING"}`);
      }
      for (const q of x.quotes) if (!a.gold.quotes.some((g) => overlaps(q.evidence, { start: g.startOffset, end: g.endOffset }))) console.log(`  EXTRA ${q.kind} ${JSON.stringify(q.text.slice(0, 70))} (${q.rule})`);
      for (const pp of x.people) if (!a.gold.people.some((g) => entityMatch(pp, g, "exact"))) console.log(`  PERSON? ${pp.name} [${pp.aliases.join("|")}] (${pp.rule})`);
      for (const g of a.gold.people) if (!x.people.some((pp) => entityMatch(pp, g, "exact"))) console.log(`  MISSED PERSON ${g.name}`);
      for (const o of x.organizations) if (!a.gold.organizations.some((g) => entityMatch(o, g, "exact"))) console.log(`  ORG? ${o.name} [${o.aliases.join("|")}] (${o.rule})`);
      for (const g of a.gold.organizations) if (!x.organizations.some((o) => entityMatch(o, g, "exact"))) console.log(`  MISSED ORG ${g.name}`);
      for (const c of x.countries) if (!a.gold.countries.some((g) => entityMatch(c, g, "exact"))) console.log(`  COUNTRY? ${c.name}`);
      for (const g of a.gold.countries) if (!x.countries.some((c) => entityMatch(c, g, "exact"))) console.log(`  MISSED COUNTRY ${g.name}`);
      for (const g of a.gold.positions) {
        const m = x.positions.find((pp) => goldNameOf(x, a.gold, pp.personKey) === g.person && key(pp.title) === key(g.title));
        const exact = m && m.evidence.start === g.startOffset && m.evidence.end === g.endOffset;
        if (!exact) console.log(`  POSITION ${g.person} / ${g.title}: ${m ? "SPAN " + JSON.stringify(a.body.slice(m.evidence.start, m.evidence.end)) : "MISSING"}`);
      }
      for (const pp of x.positions) if (!a.gold.positions.some((g) => goldNameOf(x, a.gold, pp.personKey) === g.person && key(pp.title) === key(g.title))) console.log(`  POSITION? ${goldNameOf(x, a.gold, pp.personKey)} / ${pp.title} ${JSON.stringify(a.body.slice(pp.evidence.start, pp.evidence.end))}`);
    }
  }
}

if (require.main === module) main();
