/**
 * Our search syntax, which is FTS5's (docs/queries.md, "Search"), read here in JavaScript and
 * written out as the text of a PostgreSQL `tsquery` for `to_tsquery('kb_search', …)`.
 *
 * The parser follows FTS5's own grammar (sqlite's fts5parse.y and fts5_expr.c's tokenizer), so
 * that a query SQLite accepts is accepted here and a query it rejects is rejected here, with the
 * message FTS5 gives (`fts5: syntax error near "…"`, `no such column: …`, `unterminated string`,
 * `unknown special query: …`, `expected integer, got "…"`), which src/reads/search.ts turns into
 * the API's words on either database. `websearch_to_tsquery` is not used: it never fails, reads
 * `-` and `or` its own way, and knows neither `*`, parentheses nor columns.
 *
 * User text reaches the tsquery only inside quoted operands (`'…'`, a quote doubled and a
 * backslash escaped), which `to_tsquery` splits into words with the same parser as the indexed
 * text: no input can form tsquery syntax, and the statement takes the tsquery text as a bound
 * parameter, so none can form SQL either.
 */

/** The columns a term may match: the title (names, aliases, article titles), the body, both, or none. */
type Columns = { title: boolean; body: boolean };

const ALL_COLUMNS: Columns = { title: true, body: true };

/** One run of text of a phrase (a bareword or a quoted string), prefix-matched if followed by `*`. */
interface PhrasePart {
  text: string;
  prefix: boolean;
}

/** A parsed query: phrases joined by AND, OR and binary NOT. */
type Node =
  | { kind: "phrase"; parts: PhrasePart[]; columns: Columns }
  | { kind: "and" | "or"; items: Node[]; near?: true }
  | { kind: "not"; left: Node; right: Node };

/** A query FTS5 would reject, with FTS5's message for it. */
export class SearchQueryError extends Error {}

type TokenType = "STRING" | "LP" | "RP" | "LCP" | "RCP" | "COLON" | "COMMA" | "PLUS" | "STAR" | "MINUS" | "CARET" | "AND" | "OR" | "NOT" | "EOF";

interface Token {
  type: TokenType;
  /** The token's text as written (a quoted string with its quotes). */
  raw: string;
  /** A string's value: a bareword as is, a quoted string without its quotes, `""` undoubled. */
  value: string;
}

const PUNCTUATION: Record<string, TokenType> = {
  "(": "LP",
  ")": "RP",
  "{": "LCP",
  "}": "RCP",
  ":": "COLON",
  ",": "COMMA",
  "+": "PLUS",
  "*": "STAR",
  "-": "MINUS",
  "^": "CARET",
};

/** FTS5's barewords: ASCII letters, digits, `_`, 0x1A, and every non-ASCII character. */
function isBareword(c: string): boolean {
  const code = c.charCodeAt(0);
  return code >= 0x80 || code === 0x1a || /[0-9A-Za-z_]/.test(c);
}

/** FTS5's whitespace between tokens (other control characters are syntax errors there too). */
function isSpace(c: string): boolean {
  return c === " " || c === "\t" || c === "\n" || c === "\r";
}

/** Reads tokens one at a time, as FTS5 does: an error in the text is met only when reached. */
class Lexer {
  private at = 0;

  constructor(private readonly text: string) {}

  next(): Token {
    const text = this.text;
    while (this.at < text.length && isSpace(text[this.at])) this.at += 1;
    if (this.at >= text.length) return { type: "EOF", raw: "", value: "" };
    const start = this.at;
    const c = text[start];
    const punctuation = PUNCTUATION[c];
    if (punctuation) {
      this.at += 1;
      return { type: punctuation, raw: c, value: c };
    }
    if (c === '"') {
      let value = "";
      let i = start + 1;
      for (;;) {
        if (i >= text.length) throw new SearchQueryError("unterminated string");
        if (text[i] === '"') {
          if (text[i + 1] !== '"') break;
          value += '"';
          i += 2;
        } else {
          value += text[i];
          i += 1;
        }
      }
      this.at = i + 1;
      return { type: "STRING", raw: text.slice(start, this.at), value };
    }
    if (!isBareword(c)) throw new SearchQueryError(`fts5: syntax error near "${c}"`);
    let end = start;
    while (end < text.length && isBareword(text[end])) end += 1;
    this.at = end;
    const word = text.slice(start, end);
    const type: TokenType = word === "AND" || word === "OR" || word === "NOT" ? word : "STRING";
    return { type, raw: word, value: word };
  }
}

/** The searchable columns by name, as FTS5 compares them (ignoring ASCII case). */
function columnNamed(token: Token): keyof Columns {
  const name = token.value.toLowerCase();
  if (name === "title" || name === "body") return name;
  throw new SearchQueryError(`no such column: ${token.value}`);
}

/**
 * FTS5's parser keeps at most this many grammar symbols on its stack (Lemon's YYSTACKDEPTH 100,
 * less the initial state): a query nested deeper is "fts5: parser stack overflow" on SQLite,
 * reached by about 33 levels of `a OR (…)` or 97 bare parentheses.
 */
const PARSER_STACK = 99;

/** FTS5's deepest expression tree (SQLITE_FTS5_MAX_EXPR_DEPTH): phrases are leaves, AND and OR n-ary. */
const MAX_TREE_DEPTH = 256;

/**
 * A recursive-descent reading of FTS5's LALR grammar, with its precedence: OR < AND < NOT <
 * juxtaposition. Each method takes `d`, how many symbols FTS5's parser would hold on its stack
 * below the construct being read, so that a query too deep for FTS5 is refused here with its
 * message, at the same token.
 */
class Parser {
  private readonly lexer: Lexer;
  private token: Token;
  private lookahead: Token | null = null;

  constructor(text: string) {
    this.lexer = new Lexer(text);
    this.token = this.lexer.next();
  }

  parse(): Node {
    const node = this.or(ALL_COLUMNS, 0);
    if (!this.is("EOF")) this.fail();
    if (treeDepth(node) > MAX_TREE_DEPTH) throw new SearchQueryError(`fts5 expression tree is too large (maximum depth ${MAX_TREE_DEPTH})`);
    return node;
  }

  /** Whether the current token is of a type (a method, so that TypeScript does not narrow across reads). */
  private is(type: TokenType): boolean {
    return this.token.type === type;
  }

  /** FTS5's parser pushing a symbol that makes its stack `depth` deep. */
  private push(depth: number): void {
    if (depth > PARSER_STACK) throw new SearchQueryError("fts5: parser stack overflow");
  }

  /** Takes the current token (pushed at `depth`) and reads the next. */
  private shift(depth: number): Token {
    this.push(depth);
    const token = this.token;
    this.token = this.lookahead ?? this.lexer.next();
    this.lookahead = null;
    return token;
  }

  /** The token after the current one, read ahead (FTS5's parser needs one more at `word :` and `word (`). */
  private peek(): Token {
    this.lookahead ??= this.lexer.next();
    return this.lookahead;
  }

  private fail(token: Token = this.token): never {
    throw new SearchQueryError(`fts5: syntax error near "${token.raw}"`);
  }

  private expect(type: TokenType, depth: number): Token {
    if (this.token.type !== type) this.fail();
    return this.shift(depth);
  }

  private or(columns: Columns, d: number): Node {
    const items = [this.and(columns, d)];
    while (this.is("OR")) {
      this.shift(d + 2);
      items.push(this.and(columns, d + 2));
    }
    return items.length === 1 ? items[0] : { kind: "or", items };
  }

  private and(columns: Columns, d: number): Node {
    const items = [this.not(columns, d)];
    while (this.is("AND")) {
      this.shift(d + 2);
      items.push(this.not(columns, d + 2));
    }
    return items.length === 1 ? items[0] : { kind: "and", items };
  }

  private not(columns: Columns, d: number): Node {
    let node = this.primary(columns, d);
    while (this.is("NOT")) {
      this.shift(d + 2);
      node = { kind: "not", left: node, right: this.primary(columns, d + 2) };
    }
    return node;
  }

  /** `( expr )`, `colset : ( expr )`, or terms side by side (an implicit AND). */
  private primary(columns: Columns, d: number): Node {
    if (this.is("LP")) {
      this.shift(d + 1);
      const node = this.or(columns, d + 1);
      this.expect("RP", d + 3);
      return node;
    }
    const items: Node[] = [];
    for (;;) {
      const t = this.token.type;
      if (t !== "STRING" && t !== "MINUS" && t !== "LCP" && t !== "CARET") break;
      // Terms already read are one symbol on FTS5's stack (its exprlist).
      const below = items.length > 0 ? d + 1 : d;
      if (t === "STRING") this.push(below + 1);
      const startsColset = t === "MINUS" || t === "LCP" || (t === "STRING" && this.peek().type === "COLON");
      if (startsColset) {
        const inner = intersect(columns, this.colset(below));
        this.expect("COLON", below + 2);
        if (this.is("LP")) {
          // `colset : ( expr )` is a whole expression of its own, never one of several side by side.
          if (items.length > 0) this.fail();
          this.shift(below + 3);
          const node = this.or(inner, below + 3);
          this.expect("RP", below + 5);
          return node;
        }
        items.push(this.nearset(inner, below + 2));
      } else {
        items.push(this.nearset(columns, below));
      }
    }
    if (items.length === 0) this.fail();
    return items.length === 1 ? items[0] : { kind: "and", items };
  }

  /** `title`, `-title`, `{title body}` or `-{title body}`: the columns a term is limited to. */
  private colset(d: number): Columns {
    const minus = this.is("MINUS");
    let depth = d;
    if (minus) this.shift(++depth);
    const named: Columns = { title: false, body: false };
    if (this.is("LCP")) {
      this.shift(++depth);
      if (!this.is("STRING")) this.fail();
      // The first name, then each further one on top of the list so far.
      named[columnNamed(this.shift(depth + 1))] = true;
      while (this.is("STRING")) named[columnNamed(this.shift(depth + 2))] = true;
      this.expect("RCP", depth + 2);
    } else if (this.is("STRING")) {
      named[columnNamed(this.shift(depth + 1))] = true;
    } else {
      this.fail();
    }
    return minus ? { title: !named.title, body: !named.body } : named;
  }

  /** A phrase, `^phrase` (read as the phrase: a tsquery cannot ask for the first word), or `NEAR(…)`. */
  private nearset(columns: Columns, d: number): Node {
    if (this.is("CARET")) {
      this.shift(d + 1);
      return this.phrase(columns, d + 1);
    }
    if (this.is("STRING") && this.peek().type === "LP") {
      // FTS5 reads any `word (` as a NEAR group and checks the word once the group is read.
      const near = this.shift(d + 1);
      this.shift(d + 2);
      const phrases: Node[] = [this.phrase(columns, d + 2)];
      while (this.is("STRING")) phrases.push(this.phrase(columns, d + 3));
      if (this.is("COMMA")) {
        this.shift(d + 4);
        const distance = this.expect("STRING", d + 5);
        const bad = [...distance.raw].find((c) => c < "0" || c > "9");
        if (bad !== undefined) throw new SearchQueryError(`expected integer, got "${distance.raw}"`);
      } else {
        // The empty distance is a symbol of its own.
        this.push(d + 4);
      }
      this.expect("RP", d + 5);
      if (near.raw !== "NEAR") this.fail(near);
      // tsquery has exact distances only (`<N>`); the phrases must all be there, in any order.
      return phrases.length === 1 ? phrases[0] : { kind: "and", items: phrases, near: true };
    }
    return this.phrase(columns, d);
  }

  /** `string [*] [+ string [*]]…`: one phrase. */
  private phrase(columns: Columns, d: number): Node {
    const parts: PhrasePart[] = [];
    // The phrase so far is one symbol; each further part sits on it and a `+`.
    let below = d;
    for (;;) {
      const text = this.expect("STRING", below + 1).value;
      const prefix = this.is("STAR");
      // A `*`, or the empty symbol standing for its absence.
      if (prefix) this.shift(below + 2);
      else this.push(below + 2);
      parts.push({ text, prefix });
      if (!this.is("PLUS")) break;
      this.shift(d + 2);
      below = d + 2;
    }
    return { kind: "phrase", parts, columns };
  }
}

/**
 * The height of FTS5's tree for a query: phrases and NEAR groups are leaves; an AND or OR takes
 * in the children of a child of its own kind.
 */
function treeDepth(node: Node): number {
  if (node.kind === "phrase" || ("near" in node && node.near)) return 0;
  switch (node.kind) {
    case "and":
    case "or":
      return 1 + Math.max(...node.items.map((item) => (item.kind === node.kind && !item.near ? treeDepth(item) - 1 : treeDepth(item))));
    case "not":
      return 1 + Math.max(treeDepth(node.left), treeDepth(node.right));
  }
}

function intersect(a: Columns, b: Columns): Columns {
  return { title: a.title && b.title, body: a.body && b.body };
}

/** A string as a quoted tsquery operand: `to_tsquery` splits it into words with the index's parser. */
function operand(text: string): string {
  // An empty operand (`''`) is a tsquery syntax error; a space is one without words, which
  // to_tsquery leaves out, as FTS5 leaves out an empty phrase.
  const body = text.length === 0 ? " " : text;
  return `'${body.replace(/\\/g, "\\\\").replace(/'/g, "''")}'`;
}

/** The runs of letters and digits of a text: roughly the words PostgreSQL's parser finds in it. */
const WORD_RUN = /[\p{L}\p{N}\p{M}]+/gu;

/**
 * One part of a phrase as tsquery operands joined by `<->`, with the weight suffix. FTS5 makes
 * only the last word of a prefix part a prefix (`"peace talk"*`), while `'peace talk':*` would
 * make both, so the last word is an operand of its own.
 */
function partOperands(part: PhrasePart, weight: string): string[] {
  if (!part.prefix) return [`${operand(part.text)}${weight ? `:${weight}` : ""}`];
  const runs = [...part.text.matchAll(WORD_RUN)];
  const last = runs[runs.length - 1];
  if (!last || last.index === undefined) return [`${operand(part.text)}:*${weight}`];
  const head = part.text.slice(0, last.index);
  const tail = `${operand(last[0])}:*${weight}`;
  return runs.length > 1 ? [`${operand(head)}${weight ? `:${weight}` : ""}`, tail] : [tail];
}

/** A phrase limited to one weight (`A` titles, `B` bodies; empty for any). */
function phraseText(parts: readonly PhrasePart[], weight: string): string {
  const operands = parts.flatMap((part) => partOperands(part, weight));
  return operands.length === 1 ? operands[0] : `(${operands.join(" <-> ")})`;
}

/** The tsquery text of a parsed query. */
function emit(node: Node): string {
  switch (node.kind) {
    case "phrase": {
      const { title, body } = node.columns;
      // Weight C is never stored (titles are A, bodies B): a term limited to no column matches nothing.
      if (!title && !body) return phraseText(node.parts, "C");
      if (!title || !body) return phraseText(node.parts, title ? "A" : "B");
      // The index puts a row's body right after its title, so an unlimited phrase of several
      // words must match within one of them, as FTS5's separate columns do.
      const words = node.parts.reduce((n, part) => n + (part.text.match(WORD_RUN)?.length ?? 0), 0);
      return words > 1 ? `(${phraseText(node.parts, "A")} | ${phraseText(node.parts, "B")})` : phraseText(node.parts, "");
    }
    case "and":
    case "or":
      return `(${node.items.map(emit).join(node.kind === "and" ? " & " : " | ")})`;
    case "not":
      return `(${emit(node.left)} & !${emit(node.right)})`;
  }
}

/**
 * The text of a `tsquery` (for `to_tsquery('kb_search', ?)`) with the meaning FTS5 gives the
 * query: words and phrases (all must match), `word*` as `word:*`, phrases with `<->`, `OR`,
 * `AND`, binary `NOT`, parentheses, and `title:`/`body:` as weights A/B. Throws
 * `SearchQueryError` with FTS5's message for every query FTS5 rejects.
 */
export function toTsquery(query: string): string {
  return translateQuery(query).tsquery;
}

/** A query as a tsquery, and whether it holds a phrase of several words. */
export interface TranslatedQuery {
  tsquery: string;
  /** Whether a phrase of several words is asked for (whose marks in a snippet are one, on SQLite). */
  phrases: boolean;
}

/** `toTsquery`, and whether the query holds a phrase of several words. */
export function translateQuery(query: string): TranslatedQuery {
  // FTS5 reads its query as a C string: a NUL character ends it (and PostgreSQL takes none).
  const text = query.split("\0")[0];
  // FTS5 reads a query that starts with `*` as a command of its own, and knows none we could run.
  if (text.startsWith("*")) throw new SearchQueryError(`unknown special query: ${text.slice(1).replace(/^ +/, "").split(" ")[0]}`);
  const node = new Parser(text).parse();
  return { tsquery: emit(node), phrases: hasPhrase(node) };
}

function hasPhrase(node: Node): boolean {
  switch (node.kind) {
    case "phrase":
      return node.parts.reduce((n, part) => n + (part.text.match(WORD_RUN)?.length ?? 0), 0) > 1;
    case "and":
    case "or":
      return node.items.some(hasPhrase);
    case "not":
      return hasPhrase(node.left);
  }
}

/**
 * The tsquery text of words that must all be in a row's title (weight A): in order, as whole
 * words, or (`prefix`) each as the beginning of a word in any order. For look-ups by a part of
 * a name (src/sql/lookups.ts).
 */
export function titleWordsTsquery(words: readonly string[], prefix: boolean): string {
  if (prefix) return words.map((word) => phraseText([{ text: word, prefix: true }], "A")).join(" & ");
  return phraseText([{ text: words.join(" "), prefix: false }], "A");
}
