/**
 * Quotes: DIRECT ones between quotation marks (curly, straight, «guillemets», split by "he said",
 * running over paragraphs) and PARAPHRASEs ("X said (that) …", "…, X said", "according to X",
 * "X criticized …"), each attributed by the sieves in speakers.ts.
 */
import type { Span } from "../types";
import type { Entities } from "./entities";
import { ACT_VERBS, CLAUSE_VERBS, CUE_VERBS, lexicon } from "./lexicon";
import { subjectAfter, subjectBefore, type SieveContext, type Speaker } from "./speakers";
import { sentenceAt, tokenFrom, type Doc } from "./text";

/** A quote found in the text, with its resolved speaker. */
export interface FoundQuote {
  kind: "DIRECT" | "PARAPHRASE";
  evidence: Span;
  speaker: Speaker | null;
  rule: string;
  confidence: number;
}

interface Previous {
  q: RawQuote;
  speaker: Speaker | null;
}

interface RawQuote extends Span {
  /** Offset of the opening mark. */
  open: number;
  /** Offset just past the closing mark, or the paragraph's end when the quote runs on. */
  close: number;
  paragraph: number;
  runsOn: boolean;
}

const PAIRS: Readonly<Record<string, string>> = lexicon({ "“": "”", "«": "»", '"': '"', "„": "“" });
const PARTICIPLES = new Set(["warning", "saying", "adding"]);
const SUBORDINATORS = /^(While|Although|Though|As|After|Before|Since|If|When|Because|Despite|Even as|Even though)\b/;

/** Finds the stretches between quotation marks, paragraph by paragraph. */
function rawQuotes(doc: Doc): RawQuote[] {
  const out: RawQuote[] = [];
  doc.paragraphs.forEach((p, pi) => {
    const text = doc.body.slice(p.start, p.end);
    if (/^(#|\*\*|\[|<|By |Related article)/.test(text)) return;
    let open = -1;
    let closer = "";
    for (let i = 0; i < text.length; i++) {
      const ch = text[i] ?? "";
      if (open < 0) {
        if (ch in PAIRS) {
          open = i;
          closer = PAIRS[ch] ?? "";
        }
      } else if (ch === closer) {
        if (i > open + 1) out.push({ start: p.start + open + 1, end: p.start + i, open: p.start + open, close: p.start + i + 1, paragraph: pi, runsOn: false });
        open = -1;
      }
    }
    // An unclosed quote runs to the end of its paragraph and on into the next one.
    if (open >= 0 && text.length > open + 1) {
      out.push({ start: p.start + open + 1, end: p.end, open: p.start + open, close: p.end, paragraph: pi, runsOn: true });
    }
  });
  return out;
}

/** How many tokens before and after a quote its attribution is looked for in. */
const ATTRIBUTION_WINDOW = 80;

/** Sentence bounds around a quote: from the sentence of its opening mark to that of its closing mark. */
function contextOf(doc: Doc, q: RawQuote): Span {
  const a = doc.sentences[sentenceAt(doc, q.open)];
  const b = doc.sentences[sentenceAt(doc, Math.max(q.open, q.close - 1))];
  return { start: Math.min(a?.start ?? q.open, q.open), end: Math.max(b?.end ?? q.close, q.close) };
}

function isCue(word: string): boolean {
  return CUE_VERBS.has(word.toLowerCase());
}

/** Resolves the speaker of one cue verb: after it ("said X") or before it ("X said"). */
function speakerOfVerb(ctx: SieveContext, v: number, floor: number, ceiling: number): Speaker | null {
  const after = subjectAfter(ctx, v, ceiling);
  if (after && after.type !== "NONE") return after;
  const before = subjectBefore(ctx, v, floor);
  return before ?? after;
}

/** Finds direct quotes and their speakers. */
export function findDirectQuotes(doc: Doc, ents: Entities): { quotes: FoundQuote[]; spans: Span[] } {
  const raws = rawQuotes(doc);
  const ctx: SieveContext = { doc, ents, quoteSpans: raws.map((r) => ({ start: r.open, end: r.close })) };
  const t = doc.tokens;
  // The quotes are in body order and do not overlap: a binary search finds the one around an offset.
  const inQuote = (offset: number): boolean => {
    let lo = 0;
    let hi = raws.length - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      const r = raws[mid];
      if (offset < r.open) hi = mid - 1;
      else if (offset >= r.close) lo = mid + 1;
      else return true;
    }
    return false;
  };
  const out: FoundQuote[] = [];
  let previous: Previous | null = null as Previous | null;
  for (const [i, q] of raws.entries()) {
    const c = contextOf(doc, q);
    // A sentence without full stops can be a whole paragraph (or a whole body of junk): the
    // attribution is looked for within a window of tokens around the quote, so that the work per
    // quote stays bounded and a body of thousands of quotes takes linear time.
    const floor = Math.max(tokenFrom(doc, c.start), tokenFrom(doc, q.open) - ATTRIBUTION_WINDOW);
    const ceiling = Math.min(tokenFrom(doc, c.end), tokenFrom(doc, q.close) + ATTRIBUTION_WINDOW);
    const afterClose = tokenFrom(doc, q.close);
    let speaker: Speaker | null = null;
    let rule = "quotation-marks";
    // 1. An attribution right after the closing mark ("…,” said Kortunov", "…,” the minister said").
    const following = raws[i + 1];
    const nextOpen = following && following.open >= q.close && following.open < c.end ? following : undefined;
    const limit = nextOpen ? tokenFrom(doc, nextOpen.open) : ceiling;
    for (let k = afterClose; k < Math.min(limit, afterClose + 9); k++) {
      const tok = t[k];
      if (!tok || /^[.!?]$/.test(tok.text)) break;
      if (isCue(tok.text) && !PARTICIPLES.has(tok.text.toLowerCase()) && (tok.pos === "VERB" || /^(said|says|told|added)$/i.test(tok.text))) {
        speaker = speakerOfVerb(ctx, k, afterClose, limit);
        if (speaker) rule = "cue-verb-after-quote";
        break;
      }
    }
    // 2. A cue verb earlier in the sentence ("Peskov said Russia is urging all sides “…”").
    if (!speaker) {
      const open = tokenFrom(doc, q.open);
      let participle = false;
      for (let k = open - 1; k >= floor; k--) {
        const tok = t[k];
        if (!tok || inQuote(tok.start) || !isCue(tok.text)) continue;
        const w = tok.text.toLowerCase();
        if (PARTICIPLES.has(w)) {
          participle = true;
          continue;
        }
        if (w === "call" || w === "calls" || w === "called") {
          // "what traders call the “OPEC put”" is naming; "called for" and a named caller are speech.
          const s = speakerOfVerb(ctx, k, floor, open);
          if (!s || s.type === "NONE") continue;
          speaker = s;
        } else speaker = speakerOfVerb(ctx, k, floor, open);
        if (speaker) {
          rule = participle ? "cue-verb-main-clause" : "cue-verb-before-quote";
          break;
        }
      }
      // "…, warning “…”" with no main verb before: the previous quote's speaker in the same sentence.
      if (!speaker && participle && previous && previous.q.close >= c.start) {
        speaker = previous.speaker;
        rule = "cue-verb-main-clause";
      }
    }
    // "Mr Powell was more upbeat: “…”": a quote after a colon belongs to the person the sentence is about.
    if (!speaker && /:\s*$/.test(doc.body.slice(Math.max(c.start, q.open - 3), q.open))) {
      const subject = ents.mentions.find((m) => m.start >= c.start && m.end <= q.open && ents.list[m.entity]?.type === "PERSON" && !inQuote(m.start));
      if (subject) {
        speaker = { type: "PERSON", entity: subject.entity, alpha2: null, rule: "colon-subject", confidence: 0.7 };
        rule = "colon-subject";
      }
    }
    // 3. A cue verb after the quote further on in the same sentence (“…” for X to say …) is rare; 4. continuation.
    if (!speaker && previous) {
      const sameParagraph = previous.q.paragraph === q.paragraph;
      const nextParagraph = previous.q.paragraph === q.paragraph - 1 && (previous.q.runsOn || doc.paragraphs[q.paragraph]?.start === q.open);
      if ((sameParagraph || nextParagraph) && previous.speaker && previous.speaker.type !== "NONE") {
        const prior: Speaker = previous.speaker;
        speaker = { ...prior, rule: "continuation", confidence: 0.8 };
        rule = "continuation";
      }
    }
    const text = doc.body.slice(q.start, q.end);
    const words = text.trim().split(/\s+/).length;
    const soCalled = /so-called\s*$/i.test(doc.body.slice(Math.max(0, q.open - 12), q.open));
    // Scare quotes and names in quotation marks: short, and nobody says them.
    // A cue verb with an unnamed subject ("diplomats said … “reopened issues”") still marks speech.
    if (soCalled || (words <= 4 && !speaker)) continue;
    let start = q.start;
    let end = q.end;
    while (start < end && /\s/.test(doc.body[start] ?? "")) start++;
    while (end > start && /\s/.test(doc.body[end - 1] ?? "")) end--;
    out.push({ kind: "DIRECT", evidence: { start, end }, speaker, rule, confidence: speaker && speaker.type !== "NONE" ? Math.min(0.95, speaker.confidence) : 0.6 });
    previous = { q, speaker };
  }
  return { quotes: out, spans: raws.map((r) => ({ start: r.open, end: r.close })) };
}

const DATELINE = /^(?:[A-Z]{2,30}[A-Z .'’-]{0,30}(?:,\s*[A-Z][a-z]+(?: [A-Z][a-z]+)?)?(?:\s*\([^)]*\))?|\([^)]*\))\s*(?:--|—|–|-)\s+/;

/** The start of a sentence's own words: past a dateline ("CAIRO (Reuters) - "). */
function clauseStart(doc: Doc, s: Span): number {
  const text = doc.body.slice(s.start, s.end);
  const m = DATELINE.exec(text);
  return s.start + (m ? m[0].length : 0);
}

/** Trims a span of trailing punctuation and spaces. */
function trimmed(body: string, start: number, end: number): Span {
  while (end > start && /[\s.,;:!?]/.test(body[end - 1] ?? "")) end--;
  while (start < end && /\s/.test(body[start] ?? "")) start++;
  return { start, end };
}

/** Reported speech in sentences that hold no direct quote. */
export function findParaphrases(doc: Doc, ents: Entities, direct: FoundQuote[], quoteSpans: Span[]): FoundQuote[] {
  const ctx: SieveContext = { doc, ents, quoteSpans };
  const t = doc.tokens;
  const out: FoundQuote[] = [];
  const body = doc.body;
  for (const s of doc.sentences) {
    if (direct.some((q) => q.evidence.start < s.end && q.evidence.end > s.start)) continue;
    const text = body.slice(s.start, s.end);
    if (s.heading) {
      // A headline in a link: "[Kremlin Says It Is Not Backing …]".
      for (const m of text.matchAll(/\[([^\]]+)\]/g)) {
        const inner = m[1] ?? "";
        const at = s.start + (m.index ?? 0) + 1;
        const verb = /^(.{1,80}?)\s+(Says|Said|Warns|Tells|Urges|Denies|Vows|Rejects)\s/.exec(inner);
        if (!verb) continue;
        const mention = ents.mentions.find((x) => x.start === at && x.end === at + (verb[1] ?? "").length);
        const e = mention ? ents.list[mention.entity] : undefined;
        if (!mention || !e) continue;
        out.push({
          kind: "PARAPHRASE", evidence: { start: at, end: at + inner.length }, rule: "headline-says", confidence: 0.7,
          speaker: { type: e.type, entity: mention.entity, alpha2: e.alpha2, rule: e.type === "PERSON" ? "name-cue" : e.type === "ORGANIZATION" ? "organization" : "country", confidence: 0.8 },
        });
      }
      continue;
    }
    const own = clauseStart(doc, s);
    const first = tokenFrom(doc, own);
    const last = s.last;
    for (let v = first; v < last; v++) {
      const tok = t[v];
      if (!tok) continue;
      const w = tok.text.toLowerCase();
      // "according to X"
      if (w === "according" && t[v + 1]?.text === "to") {
        const src = t[v + 2];
        const sp = src ? subjectAfter(ctx, /^the$/i.test(src.text) ? v + 2 : v + 1, last) : null;
        const speaker = sp ?? { type: "NONE" as const, entity: null, alpha2: null, rule: "unnamed-source", confidence: 0.5 };
        if (v === first) {
          // "According to X, CLAUSE."
          let k = v + 2;
          while (k < last && t[k]?.text !== ",") k++;
          // "According to Michael Feroli, chief economist at JPMorgan, the labor market …": past the appositive.
          if (/^[a-z]/.test(t[k + 1]?.text ?? "")) {
            let j = k + 1;
            while (j < last && t[j]?.text !== ",") j++;
            if (j < last - 2) k = j;
          }
          const span = trimmed(body, (t[k + 1]?.start ?? s.end), s.end);
          if (span.end > span.start) out.push({ kind: "PARAPHRASE", evidence: span, speaker, rule: "according-to", confidence: 0.75 });
        } else if (t[v - 1]?.text === ",") {
          const span = trimmed(body, leadStart(doc, own, t[v - 1]?.start ?? tok.start), t[v - 1]?.start ?? tok.start);
          if (span.end > span.start) out.push({ kind: "PARAPHRASE", evidence: span, speaker, rule: "according-to", confidence: 0.75 });
        }
        break;
      }
      if (!CUE_VERBS.has(w) || PARTICIPLES.has(w)) continue;
      // "The court has not said when …" reports no speech.
      if (/^(not|n’t|n't|never)$/.test(t[v - 1]?.text ?? "") || /^(declined|refused)$/.test(t[v - 2]?.text ?? "")) break;
      if (w === "called" && t[v + 1]?.text !== "for") continue;
      if (w === "call" || w === "calls") continue;
      // Trailing attribution: "CLAUSE, X said …" or "CLAUSE, said X".
      let comma = v - 1;
      while (comma > first && comma >= v - 12 && t[comma]?.text !== "," && /^(\p{Lu}|the$|\p{Ll}+$)/u.test(t[comma]?.text ?? "") && !isCue(t[comma]?.text ?? "")) comma--;
      const between = t.slice(comma + 1, v);
      const trailing = t[comma]?.text === "," && comma - first >= 4 && between.every((x) => /^\p{Lu}/u.test(x.text) || /^(the|a|an|two|three|several|officials|analysts|diplomats|delegates)$/i.test(x.text) || x.pos === "NOUN" || x.pos === "ADJ");
      const inverted = trailing && between.length === 0 ? subjectAfter(ctx, v, last) : null;
      if (trailing && CLAUSE_VERBS.has(w) && (between.length > 0 || inverted)) {
        const speaker = (between.length > 0 ? subjectBefore(ctx, v, comma + 1) : inverted) ?? { type: "NONE" as const, entity: null, alpha2: null, rule: "unnamed-source", confidence: 0.5 };
        const span = trimmed(body, leadStart(doc, own, t[comma]?.start ?? tok.start), t[comma]?.start ?? tok.start);
        if (span.end > span.start) out.push({ kind: "PARAPHRASE", evidence: span, speaker, rule: "cue-verb-after-clause", confidence: 0.8 });
        addParticiple(doc, ctx, out, v, last, s, speaker);
        break;
      }
      const speaker = subjectBefore(ctx, v, first);
      if (!speaker) continue;
      // "CLAUSE, its president, Dilma Rousseff, said.": the verb ends the sentence, the clause comes first.
      if (CLAUSE_VERBS.has(w) && /^[.!?]?$/.test(t[v + 1]?.text ?? ".") && v + 2 >= last) {
        let k = v - 1;
        const commas: number[] = [];
        while (k > first && commas.length < 3) {
          if (t[k]?.text === ",") commas.push(k);
          k--;
        }
        // The comma that opens the subject: before the name, and before a short title in front of it.
        let open = commas[1];
        if (open !== undefined && commas[2] !== undefined && commas[1] !== undefined && commas[1] - commas[2] <= 5 && /^[a-z]/.test(t[commas[2] + 1]?.text ?? "")) open = commas[2];
        if (open !== undefined && open - first >= 4) {
          const span = trimmed(body, leadStart(doc, own, t[open]?.start ?? tok.start), t[open]?.start ?? tok.start);
          if (span.end > span.start) out.push({ kind: "PARAPHRASE", evidence: span, speaker, rule: "cue-verb-after-clause", confidence: 0.7 });
        }
        break;
      }
      if (ACT_VERBS.has(w)) {
        if (speaker.type === "NONE") break;
        const span = trimmed(body, tok.start, s.end);
        if (body.slice(span.start, span.end).split(/\s+/).length < 3) break;
        out.push({ kind: "PARAPHRASE", evidence: span, speaker, rule: "speech-act-verb", confidence: 0.65 });
        break;
      }
      if (!CLAUSE_VERBS.has(w)) continue;
      // Skip the object and adverbials up to "that" ("told reporters in Abuja that …").
      let k = v + 1;
      let that = -1;
      for (let j = v + 1; j < Math.min(last, v + 14); j++) {
        const x = t[j];
        if (!x) break;
        if (x.text === "that" && (x.pos !== "DET" || j === v + 1 || /^(statement|interview|address|letter|post|briefing|conference|call|email|speech|report)$/.test(t[j - 1]?.text ?? ""))) {
          that = j;
          break;
        }
        if ((x.pos === "VERB" || x.pos === "AUX") && j > v + 1) break;
        if (x.text === ",") break;
      }
      if (that >= 0) k = that + 1;
      else if (w === "told" || w === "tells") continue;
      const span = trimmed(body, t[k]?.start ?? s.end, s.end);
      if (span.end - span.start < 8) break;
      out.push({ kind: "PARAPHRASE", evidence: span, speaker, rule: "cue-verb-clause", confidence: speaker.type === "NONE" ? 0.6 : 0.75 });
      break;
    }
  }
  return out;
}

/** A second clause of the same speaker: "…, while warning that CLAUSE" / "…, adding that CLAUSE". */
function addParticiple(doc: Doc, ctx: SieveContext, out: FoundQuote[], from: number, last: number, s: Span, speaker: Speaker): void {
  const t = doc.tokens;
  void ctx;
  for (let k = from + 1; k < last; k++) {
    if (PARTICIPLES.has((t[k]?.text ?? "").toLowerCase()) && t[k + 1]?.text === "that") {
      const span = trimmed(doc.body, t[k + 2]?.start ?? s.end, s.end);
      if (span.end > span.start) out.push({ kind: "PARAPHRASE", evidence: span, speaker, rule: "cue-participle-clause", confidence: 0.65 });
      return;
    }
  }
}

/** Where a fronted clause starts: past a subordinate clause ("While …, it’s providing …"). */
function leadStart(doc: Doc, own: number, limit: number): number {
  const text = doc.body.slice(own, limit);
  if (!SUBORDINATORS.test(text)) return own;
  const lastComma = text.lastIndexOf(", ");
  return lastComma >= 0 ? own + lastComma + 2 : own;
}
