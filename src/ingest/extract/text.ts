/**
 * Tokens, sentences and paragraphs of an article body, with string offsets into the body.
 *
 * wink-nlp with its English lite model does the tokenizing, part-of-speech tagging and sentence
 * splitting (see README.md for why wink and not compromise). Its tokens carry no offsets, so they
 * are found again in the body in order; sentences are then cut at blank lines too, because the
 * model happily runs a Markdown heading into the paragraph after it.
 */
import winkNLP, { type ItemSentence } from "wink-nlp";
import model from "wink-eng-lite-web-model";
import type { Span } from "../types";

/** One token: its text, where it is in the body and wink's universal part-of-speech tag. */
export interface Token {
  text: string;
  start: number;
  end: number;
  pos: string;
}

/** A sentence: its span, its first and one-past-last token and its paragraph. */
export interface Sentence extends Span {
  first: number;
  last: number;
  paragraph: number;
  /** A Markdown heading, a link line, a byline or a dateline-only line: not running text. */
  heading: boolean;
}

/** The segmented body every other module of the extractor works on. */
export interface Doc {
  body: string;
  tokens: Token[];
  sentences: Sentence[];
  paragraphs: Span[];
}

const nlp = winkNLP(model);
const its = nlp.its;

/** Splits `body` into paragraphs (runs of text between blank lines). */
function paragraphsOf(body: string): Span[] {
  const out: Span[] = [];
  const re = /\n[ \t]*\n/g;
  let start = 0;
  let m: RegExpExecArray | null;
  const push = (s: number, e: number): void => {
    while (s < e && /\s/.test(body[s] ?? "")) s++;
    while (e > s && /\s/.test(body[e - 1] ?? "")) e--;
    if (e > s) out.push({ start: s, end: e });
  };
  while ((m = re.exec(body)) !== null) {
    push(start, m.index);
    start = m.index + m[0].length;
  }
  push(start, body.length);
  return out;
}

/** Tokenizes, tags and splits `body`; pure apart from wink's own caches. */
export function segment(body: string): Doc {
  // wink slows down quadratically on very long tokens (a pasted blob, a long URL): every 64th
  // character of a run without spaces is fed to it as a space. The replacement keeps every
  // offset, and token texts are read back from the real body.
  const fed = body.replace(/\S{64,}/g, (run) => run.replace(/([^]{63})[^]/g, "$1 "));
  const wdoc = nlp.readDoc(fed.length === body.length ? fed : body);
  const values = wdoc.tokens().out() as string[];
  const tags = wdoc.tokens().out(its.pos) as string[];
  const tokens: Token[] = [];
  const tokenAt: number[] = [];
  let cursor = 0;
  const source = fed.length === body.length ? fed : body;
  values.forEach((value, i) => {
    const at = source.indexOf(value, cursor);
    // A token wink normalized (rare) is dropped rather than placed at a wrong offset.
    if (at < 0 || at - cursor > 200) {
      tokenAt.push(tokens.length);
      return;
    }
    tokenAt.push(tokens.length);
    tokens.push({ text: body.slice(at, at + value.length), start: at, end: at + value.length, pos: tags[i] ?? "X" });
    cursor = at + value.length;
  });
  const paragraphs = paragraphsOf(body);
  const paragraphOf = (offset: number): number => {
    let lo = 0;
    let hi = paragraphs.length - 1;
    let best = 0;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      if ((paragraphs[mid]?.start ?? 0) <= offset) {
        best = mid;
        lo = mid + 1;
      } else hi = mid - 1;
    }
    return best;
  };
  const spans: Array<[number, number]> = [];
  wdoc.sentences().each((s: ItemSentence) => {
    const [a, b] = s.out(its.span) as unknown as [number, number];
    spans.push([tokenAt[a] ?? 0, (tokenAt[b] ?? tokens.length - 1) + 1]);
  });
  const sentences: Sentence[] = [];
  for (const [a, b] of spans) {
    let first = a;
    for (let i = a; i <= b; i++) {
      const breakHere = i === b || (i > first && paragraphOf(tokens[i]?.start ?? 0) !== paragraphOf(tokens[first]?.start ?? 0));
      if (!breakHere) continue;
      let f = first;
      let l = i;
      while (f < l && /^\s+$/.test(tokens[f]?.text ?? "")) f++;
      while (l > f && /^\s+$/.test(tokens[l - 1]?.text ?? "")) l--;
      if (l > f) {
        const start = tokens[f]?.start ?? 0;
        const end = tokens[l - 1]?.end ?? start;
        const paragraph = paragraphOf(start);
        const para = paragraphs[paragraph];
        const paraText = para ? body.slice(para.start, para.end) : "";
        const heading = /^(#|\*\*|By |Related article|Original url|<http|\[)/.test(paraText) || !/[.?!:”"»]\s*$/.test(paraText);
        sentences.push({ start, end, first: f, last: l, paragraph, heading });
      }
      first = i;
    }
  }
  return { body, tokens, sentences, paragraphs };
}

/** The index of the sentence holding `offset`, or -1. */
export function sentenceAt(doc: Doc, offset: number): number {
  let lo = 0;
  let hi = doc.sentences.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const s = doc.sentences[mid];
    if (!s) break;
    if (offset < s.start) hi = mid - 1;
    else if (offset >= s.end) lo = mid + 1;
    else return mid;
  }
  return -1;
}

/** The index of the first token starting at or after `offset`. */
export function tokenFrom(doc: Doc, offset: number): number {
  let lo = 0;
  let hi = doc.tokens.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if ((doc.tokens[mid]?.start ?? 0) < offset) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
