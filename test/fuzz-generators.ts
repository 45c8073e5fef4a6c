/**
 * Generators for the HTTP fuzz test (`fuzz.test.ts`): a seeded PRNG, nasty strings, global IDs
 * and cursors, FTS5 search syntax, random GraphQL operations walked from the real schema, and
 * whole HTTP requests (broken JSON, wrong content types, huge bodies, deep nesting, bad headers).
 *
 * Everything is drawn from one `Rng`, synchronously and in order, so a seed and a request index
 * name exactly one request, however the responses interleave.
 */
import {
  getNamedType,
  GraphQLArgument,
  GraphQLCompositeType,
  GraphQLField,
  GraphQLInputType,
  GraphQLNamedType,
  GraphQLSchema,
  isAbstractType,
  isCompositeType,
  isEnumType,
  isInputObjectType,
  isInterfaceType,
  isLeafType,
  isListType,
  isNonNullType,
  isObjectType,
  isScalarType,
  isUnionType,
} from "graphql";

/** mulberry32: a tiny, fast 32-bit PRNG; good enough to drive a fuzzer and fully reproducible. */
export function mulberry32(seed: number): () => number {
  let state = seed >>> 0;
  return (): number => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Convenience draws over mulberry32. */
export class Rng {
  private readonly next: () => number;

  constructor(seed: number) {
    this.next = mulberry32(seed);
  }

  float(): number {
    return this.next();
  }

  /** An integer in [min, max], both included. */
  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }

  chance(probability: number): boolean {
    return this.next() < probability;
  }

  pick<T>(items: readonly T[]): T {
    return items[Math.floor(this.next() * items.length)];
  }

  /** Picks by weight; weights need not sum to 1. */
  weighted<T>(items: ReadonlyArray<readonly [number, T]>): T {
    const total = items.reduce((sum, [w]) => sum + w, 0);
    let roll = this.next() * total;
    for (const [weight, item] of items) {
      roll -= weight;
      if (roll < 0) return item;
    }
    return items[items.length - 1][1];
  }

  /** Up to `max` distinct items, in random order. */
  some<T>(items: readonly T[], max: number): T[] {
    const pool = [...items];
    const out: T[] = [];
    const n = Math.min(max, pool.length);
    for (let i = 0; i < n; i += 1) out.push(pool.splice(this.int(0, pool.length - 1), 1)[0]);
    return out;
  }
}

// ---------------------------------------------------------------------------------------------
// Strings
// ---------------------------------------------------------------------------------------------

const WORDS = [
  "Haftar", "Khalifa", "Libya", "Tripoli", "Russia", "Moscow", "Kortunov", "Putin", "Peskov", "Lavrov", "Sarraj",
  "Pompeo", "NATO", "LNA", "UN", "military", "solution", "negotiations", "terrorism", "peace", "Q159", "RU", "LY",
];

/** Strings that have broken parsers, SQL, JSON and Unicode handling elsewhere. */
export const NASTY_STRINGS: readonly string[] = [
  "", " ", "\t\n\r ", "'", '"', "\\", "\\\\", "%", "_", "%_%", "*", "' OR '1'='1", "'; DROP TABLE person; --",
  '") OR 1=1 --', "NULL", "null", "undefined", "NaN", "Infinity", "-0", "1e309", "__proto__", "constructor",
  "prototype", "toString", "hasOwnProperty", "${process.exit()}", "%s%s%n", "{{7*7}}", "<script>alert(1)</script>",
  "../../../etc/passwd", "\u0000", "a\u0000b", "\u0007\u0008\u001b[31m", "\u007f", "\u0085", "\u2028\u2029",
  "\ufeff", "\u200b\u200c\u200d", "\u202e\u2066evil", "\ufffe\uffff", "\ud800", "\udfff", "x\ud83dy", "😀",
  "👩‍👩‍👧‍👦", "🏳️‍🌈", "\u{10ffff}", "Ω≈ç√∫", "İıŞ", "ß", "ﬀ", "e\u0301\u0301\u0301", "Z̤͔ͧ̑̓ä͖̭̈̇lͮ̒ͫǧ̗͚̚o̙̔ͮ̇͐̇",
  "حفتر", "Хафтар", "哈夫塔尔", "ハフタル", "\u00a0", "\u3000", "\r\n\r\n", '"""', "#", "...", "$", "@", "{", "}",
];

/** One random code point, from a class chosen to stress a different layer each time. */
function randomChar(rng: Rng): string {
  switch (rng.int(0, 9)) {
    case 0:
      // C0 and C1 control characters, including NUL.
      return String.fromCharCode(rng.pick([rng.int(0, 31), rng.int(127, 159)]));
    case 1:
      // A lone surrogate half: not well-formed UTF-16.
      return String.fromCharCode(rng.int(0xd800, 0xdfff));
    case 2:
      return String.fromCodePoint(rng.int(0x10000, 0x10ffff));
    case 3:
      // Combining marks, zero-width and bidi controls.
      return String.fromCodePoint(rng.pick([rng.int(0x300, 0x36f), rng.int(0x200b, 0x200f), rng.int(0x202a, 0x202e), 0xfeff, 0xfffd]));
    case 4:
      return String.fromCodePoint(rng.pick([rng.int(0x4e00, 0x9fff), rng.int(0x0600, 0x06ff), rng.int(0x0400, 0x04ff)]));
    case 5:
      return String.fromCodePoint(rng.int(0xa0, 0xffff));
    default:
      return String.fromCharCode(rng.int(32, 126));
  }
}

/** A random string: words, nasty strings and random code points, up to about `maxLength` units. */
export function randomString(rng: Rng, maxLength = 40): string {
  const roll = rng.float();
  if (roll < 0.25) return rng.pick(NASTY_STRINGS);
  if (roll < 0.4) return rng.pick(WORDS);
  const length = rng.int(0, maxLength);
  let out = "";
  for (let i = 0; i < length && out.length < maxLength; i += 1) {
    const r = rng.float();
    out += r < 0.1 ? rng.pick(NASTY_STRINGS) : r < 0.2 ? `${rng.pick(WORDS)} ` : randomChar(rng);
  }
  return out;
}

/**
 * A string whose JSON encoding is about `bytes` bytes of UTF-8: a random chunk repeated, so a
 * 900 KB string costs a few thousand PRNG draws, not a million.
 */
export function hugeString(rng: Rng, bytes: number): string {
  let chunk = "";
  const chunkSize = rng.int(64, 4096);
  const ascii = rng.chance(0.5);
  while (chunk.length < chunkSize) chunk += ascii ? String.fromCharCode(rng.int(32, 126)) : randomChar(rng);
  const chunkBytes = Buffer.byteLength(JSON.stringify(chunk), "utf8") - 2;
  const repeats = Math.max(1, Math.floor(bytes / Math.max(chunkBytes, 1)));
  return chunk.repeat(repeats);
}

// ---------------------------------------------------------------------------------------------
// IDs, cursors and search syntax
// ---------------------------------------------------------------------------------------------

/** Real values read from the server before fuzzing, to build on and to tamper with. */
export interface Pools {
  /** Global IDs by type name (`Person`, `Quote`…). */
  idsByType: Record<string, string[]>;
  /** Cursors of real pages of several lists, and of a search. */
  cursors: string[];
}

const b64 = (text: string): string => Buffer.from(text, "utf8").toString("base64url");

/**
 * A global ID: a real one, one of another type, a well-formed one that names nothing, or one of
 * many malformed shapes. The fuzzer builds some from the "Type:id" layout on purpose: clients are
 * told IDs are opaque, but an attacker is not bound by that.
 */
export function randomId(rng: Rng, pools: Pools): string {
  const types = Object.keys(pools.idsByType);
  const real = (): string => rng.pick(pools.idsByType[rng.pick(types)]);
  switch (rng.int(0, 13)) {
    case 0:
    case 1:
    case 2:
      return real();
    case 3:
      return b64(`${rng.pick(types)}:${rng.pick([999999, 2 ** 31, 2 ** 53 - 1, 123456789])}`);
    case 4:
      // Type names every object answers through its prototype (`toString`, `constructor`) once
      // passed an `in` check and failed as INTERNAL_SERVER_ERROR.
      return b64(
        `${rng.pick(["Nope", "Edit", "Node", "Query", "person", "__proto__", "Evidence", "toString", "constructor", "hasOwnProperty", "valueOf", "isPrototypeOf", "__defineGetter__"])}:${rng.int(0, 30)}`,
      );
    case 5:
      return b64(`${rng.pick(types)}:${rng.pick(["0", "-1", "01", "1.5", "1e3", "99999999999999999999", " 1", "0x1", ""])}`);
    case 6: {
      // A real ID with one character changed, dropped or added.
      const id = real();
      const at = rng.int(0, id.length - 1);
      const edit = rng.int(0, 2);
      if (edit === 0) return id.slice(0, at) + id.slice(at + 1);
      if (edit === 1) return `${id.slice(0, at)}${String.fromCharCode(rng.int(33, 126))}${id.slice(at + 1)}`;
      return `${id}${rng.pick(["=", "==", "A", "-", "_", " ", "\n", "%3D"])}`;
    }
    case 7:
      return Buffer.from(`${rng.pick(types)}:${rng.int(1, 12)}`).toString("base64");
    case 8:
      return real().toLowerCase();
    case 9:
      return "A".repeat(rng.pick([0, 63, 64, 65, 1000, 100_000]));
    case 10:
      return randomString(rng, 30);
    case 11:
      return b64(randomString(rng, 20));
    case 12:
      return String(rng.pick([0, 1, -1, 42, 2 ** 53]));
    default:
      return b64(`${rng.pick(types)}:${rng.int(1, 12)}:${rng.int(1, 12)}`);
  }
}

/** A cursor: a real one, one from another list, or a tampered or forged one. */
export function randomCursor(rng: Rng, pools: Pools): string {
  const real = (): string => rng.pick(pools.cursors);
  const forge = (value: unknown): string => b64(JSON.stringify(value));
  switch (rng.int(0, 14)) {
    case 0:
    case 1:
    case 2:
      return real();
    case 3: {
      const c = real();
      return c.slice(0, rng.int(0, c.length - 1));
    }
    case 4: {
      const c = real();
      const at = rng.int(0, c.length - 1);
      return `${c.slice(0, at)}${rng.pick(["A", "_", "-", "z", "+", "/", "="])}${c.slice(at + 1)}`;
    }
    case 5: {
      // A real cursor's JSON with its values replaced.
      let decoded: unknown;
      try {
        decoded = JSON.parse(Buffer.from(real(), "base64url").toString("utf8"));
      } catch {
        decoded = [];
      }
      const list = Array.isArray(decoded) ? [...(decoded as unknown[])] : [];
      const junk: unknown[] = [null, -1, 0, 1.5, 1e308, -1e308, "", "x", "'", true, [], {}, [1], { a: 1 }, "9".repeat(400), randomString(rng, 20)];
      for (let i = 1; i < list.length; i += 1) if (rng.chance(0.5)) list[i] = rng.pick(junk);
      if (rng.chance(0.2)) list.push(rng.pick(junk));
      if (rng.chance(0.1)) list.pop();
      return forge(list);
    }
    case 6:
      // Raw JSON text, so that numbers JSON.stringify cannot write (1e400) get through.
      return b64(rng.pick(["null", "1", '"x"', "{}", "[]", "[null]", '["search"]', '["search","1",1]', '["search",1e400,1.5]', '["search",-1,-1]', '["search",1,1e400]']));
    case 7:
      return forge(["search", rng.pick([0, -1, 1e308, -1e308, 0.5]), rng.pick([0, 1, -1, 2 ** 53, 2 ** 63, 7, 12])]);
    case 8:
      return b64(randomString(rng, 40));
    case 9:
      return "A".repeat(rng.pick([0, 1, 2047, 2048, 2049, 5000]));
    case 10:
      return randomString(rng, 30);
    case 11:
      return forge([randomString(rng, 10), ...Array.from({ length: rng.int(0, 6) }, () => rng.int(-5, 100))]);
    case 12:
      // Deeply nested JSON inside the cursor.
      return b64(`${"[".repeat(rng.int(100, 1000))}${"]".repeat(rng.int(100, 1000))}`);
    case 13:
      return Buffer.from(real(), "base64url").toString("base64");
    default:
      return `${real()}${real()}`;
  }
}

const SEARCH_TOKENS = [
  ...WORDS, "AND", "OR", "NOT", "NEAR", "NEAR(", "(", ")", '"', "*", "^", "-", "+", ":", "title:", "body:", "{title body}:",
  "{", "}", "''", "\\", "%", "_", "NEAR(Haftar Libya, 2)", "NEAR(a b, -1)", "NEAR(a, 999999999999)", "negotiat*", "*a", "a**",
  '"no military solution"', '"unclosed', "rowid:", "search_index:", "col:x", "AND AND", "OR OR", "NOT NOT", ",", ".", "''''",
];

/** A full-text query in (and mostly not quite in) FTS5 syntax. */
export function randomSearch(rng: Rng): string {
  const roll = rng.float();
  if (roll < 0.1) return randomString(rng, 60);
  if (roll < 0.15) return rng.pick(["", " ", "*", '"', "(", ")", "NEAR", "AND", "-", "^", "\u0000", "x".repeat(rng.int(490, 600))]);
  const n = rng.int(1, 8);
  const parts: string[] = [];
  for (let i = 0; i < n; i += 1) parts.push(rng.chance(0.85) ? rng.pick(SEARCH_TOKENS) : randomString(rng, 8));
  return parts.join(rng.pick([" ", "", "  "]));
}

// ---------------------------------------------------------------------------------------------
// GraphQL values and operations from the schema
// ---------------------------------------------------------------------------------------------

/** An enum value in a generated GraphQL value: printed bare in a literal, as a string in JSON. */
export class EnumValue {
  constructor(readonly name: string) {}
}

/** A generated GraphQL input value. */
export type GValue = null | boolean | number | string | EnumValue | GValue[] | { [field: string]: GValue };

const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

/**
 * Prints a value as a GraphQL literal. Lone surrogates become U+FFFD: GraphQL refuses them in
 * string literals, so keeping them would make most literals parse errors and hide the layers
 * behind the parser (they still reach the server through variables and corrupted text).
 */
export function printLiteral(value: GValue): string {
  if (value === null) return "null";
  if (value instanceof EnumValue) return value.name;
  if (typeof value === "string") return JSON.stringify(value.replace(LONE_SURROGATE, "\ufffd"));
  if (typeof value === "number") return Number.isFinite(value) ? String(value) : "1e999";
  if (typeof value === "boolean") return String(value);
  if (Array.isArray(value)) return `[${value.map(printLiteral).join(", ")}]`;
  return `{${Object.entries(value)
    .map(([k, v]) => `${k}: ${printLiteral(v)}`)
    .join(", ")}}`;
}

/** Converts a value to the JSON a client would send as a variable. */
export function toJson(value: GValue): unknown {
  if (value instanceof EnumValue) return value.name;
  if (Array.isArray(value)) return value.map(toJson);
  if (value !== null && typeof value === "object") return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, toJson(v)]));
  return value;
}

/** A generated operation, ready to be sent as a POST body or GET parameters. */
export interface Operation {
  query: string;
  variables?: Record<string, unknown>;
  operationName?: string;
}

/** Strings that look like dates and times, valid and not. */
const DATES = [
  "2019-04-09", "2019-04", "2019", "2011", "0000-00-00", "2019-02-30", "2019-13-01", "2019-4-9", "19-04-09", "2019/04/09",
  "2019-04-09T08:30:00.000Z", "2019-04-09T25:61:61Z", "1970-01-01T00:00:00Z", "+275760-09-13T00:00:00.000Z",
  "-271821-04-20T00:00:00.000Z", "9999-12-31", "0001-01-01", "now", "", "2019-04-09 ", " 2019", "1e3", "2019-00", "2019-W15",
];

const URLS = [
  "https://example.com/a", "http://localhost/", "https://www.themoscowtimes.com/", "ftp://example.com/x", "javascript:alert(1)",
  "https://", "//example.com", "not a url", "http://[::1]/", "https://exa mple.com", `https://example.com/${"a".repeat(3000)}`,
  "data:text/html,<script>", "file:///etc/passwd", "http://127.0.0.1:0/",
];

const INTS = [0, 1, -1, 2, 3, 5, 20, 99, 100, 101, 1000, -2147483648, 2147483647, 2147483648, 4294967296, 2 ** 53, -(2 ** 53)];

/** How wild the generator may be, per operation. */
export interface ValueOptions {
  /** Probability that any one value is of the wrong type or shape. */
  wrongRate: number;
  /** How deep input objects (filters) may nest. */
  maxInputDepth: number;
}

/**
 * Builds random operations by walking the schema: root fields with random arguments (mostly
 * well-typed, some not), random selections of subfields, inline fragments on abstract types.
 */
export class OperationFuzzer {
  constructor(
    private readonly schema: GraphQLSchema,
    private readonly rng: Rng,
    private readonly pools: Pools,
  ) {}

  /** A random value for an input type. `name` is the argument or field it is for. */
  value(type: GraphQLInputType, name: string, depth: number, options: ValueOptions): GValue {
    const rng = this.rng;
    if (rng.chance(options.wrongRate)) return this.wrongValue();
    if (isNonNullType(type)) return this.value(type.ofType, name, depth, options);
    if (rng.chance(0.03)) return null;
    if (isListType(type)) {
      const length = rng.weighted<number>([
        [6, rng.int(0, 3)],
        [1, rng.int(4, 20)],
        [0.2, rng.int(90, 130)],
      ]);
      return Array.from({ length }, () => this.value(type.ofType, name, depth + 1, options));
    }
    if (isEnumType(type)) {
      if (rng.chance(0.05)) return new EnumValue(rng.pick(["NOPE", "asc", "__proto__", "NULL", "true"]));
      return new EnumValue(rng.pick(type.getValues()).name);
    }
    if (isInputObjectType(type)) {
      const fields = Object.values(type.getFields());
      const out: { [field: string]: GValue } = {};
      for (const field of fields) {
        const required = isNonNullType(field.type);
        const nested = isInputObjectType(getNamedType(field.type));
        const wanted = required ? !rng.chance(0.03) : depth < options.maxInputDepth && rng.chance(nested ? 0.15 : 0.3);
        if (wanted) out[field.name] = this.value(field.type, field.name, depth + 1, options);
      }
      if (rng.chance(0.03)) out[rng.pick(["zzUnknown", "__proto__", "constructor", "id_", "Name"])] = this.scalar("String", "x");
      return out;
    }
    return this.scalar(getNamedType(type).name, name);
  }

  /** A value of some other type than wanted: the input validation's job. */
  wrongValue(): GValue {
    const rng = this.rng;
    return rng.pick<() => GValue>([
      () => rng.pick(INTS),
      () => rng.pick([1.5, -0.0001, 1e308, Number.POSITIVE_INFINITY]),
      () => rng.chance(0.5),
      () => randomString(rng, 20),
      () => null,
      () => [],
      () => [[rng.int(0, 9)]],
      () => ({}),
      () => ({ a: 1 }),
      () => new EnumValue(rng.pick(["NOPE", "ASC", "DIRECT", "true", "null"])),
    ])();
  }

  /** A value for a scalar, steered by the argument's name (IDs, cursors, page sizes, search). */
  scalar(typeName: string, name: string): GValue {
    const rng = this.rng;
    if (name === "after" || name === "before") return randomCursor(rng, this.pools);
    if (name === "first" || name === "last") return rng.chance(0.8) ? rng.pick([1, 2, 3, 5]) : rng.pick(INTS);
    if (name === "query") return randomSearch(rng);
    if (typeName === "ID" || /Id$|^id$|^ids$|^entityId$/.test(name)) return randomId(rng, this.pools);
    switch (typeName) {
      case "Int":
        return rng.chance(0.7) ? rng.int(-3, 3000) : rng.pick(INTS);
      case "Float":
        return rng.pick([0, 1.5, -1, 1e308, 3.331796977577424]);
      case "Boolean":
        return rng.chance(0.5);
      case "LocalDate":
      case "PartialDate":
      case "DateTime":
        return rng.chance(0.8) ? rng.pick(DATES) : randomString(rng, 12);
      case "URL":
        return rng.chance(0.8) ? rng.pick(URLS) : randomString(rng, 30);
      case "JSONObject":
        return rng.pick<GValue>([{}, { a: 1 }, "x", 1, []]);
      default:
        if (name === "code" || name === "alpha2" || name === "alpha3") {
          return rng.pick(["RU", "ru", "LY", "US", "RUS", "XX", "", "R", "RUSS", "  ", "Ru", "ÜS"]);
        }
        if (name === "wikidataId") return rng.pick(["Q159", "Q0", "q159", "Q", "159", "Q159 ", `Q${"9".repeat(40)}`]);
        if (name === "language") return rng.pick(["en", "pt-BR", "xx-INVALID", "", "en_US", "i-klingon"]);
        return rng.chance(0.1) ? randomString(rng, 2000) : randomString(rng, 40);
    }
  }

  /** Arguments for a field: required ones (nearly) always, optional ones sometimes. */
  private args(field: GraphQLField<unknown, unknown>, options: ValueOptions, vars: VariableSink): string {
    const rng = this.rng;
    const parts: string[] = [];
    for (const arg of field.args) {
      const required = isNonNullType(arg.type);
      if (!(required ? !rng.chance(0.03) : rng.chance(0.35))) continue;
      parts.push(`${arg.name}: ${this.argValue(arg, options, vars)}`);
    }
    if (rng.chance(0.02)) parts.push(`${rng.pick(["zz", "limit", "offset", "where"])}: ${printLiteral(this.wrongValue())}`);
    return parts.length ? `(${parts.join(", ")})` : "";
  }

  private argValue(arg: GraphQLArgument, options: ValueOptions, vars: VariableSink): string {
    const value = this.value(arg.type, arg.name, 0, options);
    if (!vars.enabled || !this.rng.chance(0.4)) return printLiteral(value);
    return vars.add(arg.type.toString(), toJson(value), this.rng);
  }

  /** A selection set for a composite type, within a field budget and a depth. */
  selection(type: GraphQLCompositeType, depth: number, budget: { fields: number }, options: ValueOptions, vars: VariableSink): string {
    const rng = this.rng;
    if (!isAbstractType(type)) return this.fields(Object.values(type.getFields()), depth, budget, options, vars);
    const parts = ["__typename"];
    for (const concrete of rng.some(this.schema.getPossibleTypes(type), rng.int(1, 3))) {
      parts.push(`... on ${concrete.name} { ${this.selection(concrete, depth + 1, budget, options, vars)} }`);
    }
    if (isInterfaceType(type)) parts.push(this.fields(Object.values(type.getFields()), depth, budget, options, vars));
    return parts.join(" ");
  }

  private fields(
    fields: ReadonlyArray<GraphQLField<unknown, unknown>>,
    depth: number,
    budget: { fields: number },
    options: ValueOptions,
    vars: VariableSink,
  ): string {
    const rng = this.rng;
    const parts: string[] = [];
    const preferred = fields.filter((f) => ["nodes", "edges", "totalCount", "pageInfo", "id", "name", "text"].includes(f.name));
    const chosen = rng.some(rng.chance(0.5) && preferred.length ? preferred : fields, rng.int(1, 4));
    for (const field of chosen) {
      if (budget.fields <= 0) break;
      budget.fields -= 1;
      const named = getNamedType(field.type);
      const alias = rng.chance(0.05) ? `${rng.pick(["a", "b", "x_", "__a"])}${rng.int(0, 99)}: ` : "";
      const args = this.args(field, options, vars);
      if (isLeafType(named)) {
        parts.push(`${alias}${field.name}${args}`);
      } else if (depth >= 4 || budget.fields <= 0) {
        parts.push(`${alias}${field.name}${args} { __typename }`);
      } else {
        parts.push(`${alias}${field.name}${args} { ${this.selection(named as GraphQLCompositeType, depth + 1, budget, options, vars)} }`);
      }
    }
    return parts.length ? parts.join(" ") : "__typename";
  }

  /** A random query from the schema's root fields. */
  query(options: ValueOptions, useVariables: boolean): Operation {
    const vars = new VariableSink(useVariables);
    const queryType = this.schema.getQueryType();
    if (!queryType) throw new Error("the schema has no query type");
    const selection = this.selection(queryType, 0, { fields: this.rng.int(2, 25) }, options, vars);
    return vars.wrap("query", selection, this.rng);
  }

  /**
   * A random mutation. With `mustFail`, its input is poisoned so that the server has to refuse it
   * even from an editor: an ID that is malformed, unknown or of another type, or a blank name,
   * title or text (every create input has one that must not be blank).
   */
  mutation(options: ValueOptions, useVariables: boolean, mustFail: boolean): Operation & { field: string } {
    const rng = this.rng;
    const mutationType = this.schema.getMutationType();
    if (!mutationType) throw new Error("the schema has no mutation type");
    const field = rng.pick(Object.values(mutationType.getFields()));
    const vars = new VariableSink(useVariables);
    const inputArg = field.args.find((a) => a.name === "input");
    let args = "";
    if (inputArg) {
      let input = this.value(inputArg.type, "input", 0, options);
      if (mustFail) input = this.poison(field.name, inputArg.type, input);
      args = `(input: ${vars.enabled && rng.chance(0.4) ? vars.add(inputArg.type.toString(), toJson(input), rng) : printLiteral(input)})`;
    }
    const payload = getNamedType(field.type);
    const body = isCompositeType(payload) ? ` { ${this.selection(payload, 1, { fields: rng.int(1, 8) }, options, vars)} }` : "";
    return { ...vars.wrap("mutation", `${field.name}${args}${body}`, rng), field: field.name };
  }

  private poison(mutation: string, type: GraphQLInputType, input: GValue): GValue {
    const rng = this.rng;
    const object: { [field: string]: GValue } =
      input !== null && typeof input === "object" && !Array.isArray(input) && !(input instanceof EnumValue) ? { ...input } : {};
    if (/^(update|delete)/.test(mutation)) {
      const target = mutation.replace(/^(update|delete)/, "");
      const others = Object.keys(this.pools.idsByType).filter((t) => t !== target);
      object.id = rng.pick<() => string>([
        () => b64(`${target}:${rng.pick([999999, 123456789, 2 ** 40])}`),
        () => rng.pick(this.pools.idsByType[rng.pick(others)]),
        () => rng.pick(["", "x", "!!", "A".repeat(65), b64(`${target}:0`), b64(`${target}:-1`), b64(`${target}:01`)]),
      ])();
      return object;
    }
    const named = getNamedType(type);
    const blankable = isInputObjectType(named) ? ["name", "title", "text"].find((f) => f in named.getFields()) : undefined;
    // Every create input has one of these; should one ever lack them, an unknown field is refused.
    if (blankable) object[blankable] = rng.pick(["", " ", "\t\n ", "\u00a0", "\u3000\u2003"]);
    else object.zzNotAField = "x";
    return object;
  }
}

/** Collects variables while an operation is generated, and wraps the operation around them. */
export class VariableSink {
  private readonly definitions: string[] = [];
  // No prototype: a variable may be named `__proto__`, which a plain object would take as its prototype.
  private readonly values: Record<string, unknown> = Object.create(null) as Record<string, unknown>;

  constructor(readonly enabled: boolean) {}

  /**
   * Declares a variable (sometimes with a wrong type, or unset, or named like a property every
   * object inherits, which once hid a variable's default from the node count) and returns its
   * reference.
   */
  add(typeName: string, value: unknown, rng: Rng): string {
    const inherited = rng.chance(0.05) ? rng.pick(["constructor", "toString", "__proto__", "valueOf", "hasOwnProperty"]) : null;
    const name = inherited && !Object.hasOwn(this.values, inherited) && !this.definitions.some((d) => d.startsWith(`$${inherited}:`)) ? inherited : `v${this.definitions.length}`;
    const declared = rng.chance(0.05) ? rng.pick(["String", "Int!", "ID", "[String]", "Boolean!", "Nope", typeName.replace(/!$/, "")]) : typeName;
    this.definitions.push(`$${name}: ${declared}`);
    if (!rng.chance(0.03)) this.values[name] = value;
    return `$${name}`;
  }

  wrap(kind: "query" | "mutation", selection: string, rng: Rng): Operation {
    const named = rng.chance(0.3);
    const operationName = named ? rng.pick(["Q", "Fuzz", "__schema", "query", "A_1"]) : undefined;
    const defs = this.definitions.length ? `(${this.definitions.join(", ")})` : "";
    const query = `${kind}${operationName ? ` ${operationName}` : ""}${defs} { ${selection} }`;
    const operation: Operation = { query };
    if (this.definitions.length) operation.variables = this.values;
    if (operationName && rng.chance(0.7)) operation.operationName = rng.chance(0.9) ? operationName : "Other";
    return operation;
  }
}

/** Corrupts a document's text: a deleted, duplicated, swapped or inserted piece. */
export function corruptText(rng: Rng, text: string): string {
  const at = rng.int(0, Math.max(0, text.length - 1));
  const span = rng.int(1, 12);
  switch (rng.int(0, 5)) {
    case 0:
      return text.slice(0, at) + text.slice(at + span);
    case 1:
      return text.slice(0, at) + text.slice(at, at + span).repeat(rng.int(2, 50)) + text.slice(at);
    case 2:
      return text.slice(0, at) + rng.pick(["{", "}", "(", ")", "[", "]", ":", "$", "@", "!", "...", '"', '"""', "#", "\u0000", "\ufeff", "0x", "=", "|", "&"]) + text.slice(at);
    case 3:
      return text.slice(0, at);
    case 4:
      return text.slice(0, at) + randomChar(rng) + text.slice(at);
    default:
      return text.replace(/[{}]/g, (c) => (rng.chance(0.1) ? (c === "{" ? "}" : "{") : c));
  }
}

/** Names of the schema's types, for fragments on unknown and known types. */
export function typeNames(schema: GraphQLSchema): string[] {
  return Object.values(schema.getTypeMap())
    .filter((t: GraphQLNamedType) => !t.name.startsWith("__") && (isObjectType(t) || isScalarType(t) || isUnionType(t)))
    .map((t) => t.name);
}

// ---------------------------------------------------------------------------------------------
// Whole HTTP requests
// ---------------------------------------------------------------------------------------------

/** One request to send, and what its answer must be beyond the rules every answer obeys. */
export interface FuzzRequest {
  category: string;
  method: string;
  /** Path and query string, relative to the server's origin. */
  path: string;
  headers: Record<string, string>;
  body?: Buffer;
  /** The status the answer must have (a body over the limit must get 413). */
  expectStatus?: number;
  /** A mutation that must be refused: the answer carries errors and no result for this field. */
  refusedMutation?: string;
}

/** What the request generators need: the PRNG, the schema walker, real IDs, tokens and limits. */
export interface RequestContext {
  rng: Rng;
  ops: OperationFuzzer;
  pools: Pools;
  schema: GraphQLSchema;
  /** The one valid editor token; only sent with mutations that must be refused. */
  editorToken: string;
  /** The largest body the server accepts, in bytes. */
  maxBodyBytes: number;
  /** How many fragments a "billion laughs" chain may have (each spreads the one before twice). */
  maxFragmentChain: number;
}

const JSON_HEADERS = { "content-type": "application/json" };

function jsonBody(value: unknown): Buffer {
  return Buffer.from(JSON.stringify(value), "utf8");
}

function post(category: string, body: unknown, headers: Record<string, string> = {}): FuzzRequest {
  return { category, method: "POST", path: "/graphql", headers: { ...JSON_HEADERS, ...headers }, body: Buffer.isBuffer(body) ? body : jsonBody(body) };
}

/** Options for a generated operation: mostly near-valid, sometimes wild. */
function valueOptions(rng: Rng): ValueOptions {
  return { wrongRate: rng.pick([0, 0, 0.02, 0.05, 0.2]), maxInputDepth: rng.int(1, 8) };
}

/** Wrong tokens: absent parts, near misses, other schemes, odd whitespace. Never the real one. */
function wrongAuthorization(rng: Rng, token: string): string {
  return rng.pick([
    "Bearer nope",
    `Bearer ${token.toUpperCase()}`,
    `Bearer ${token.slice(0, -1)}`,
    `Bearer ${token}x`,
    `Bearer ${token} ${token}`,
    `Basic ${Buffer.from(`alice:${token}`).toString("base64")}`,
    `Token ${token}`,
    token,
    "Bearer",
    "Bearer ",
    "bearer",
    `Bearer\t${"a".repeat(rng.int(1, 4000))}`,
    `Bearer alice:${token}`,
    `Bearer ${randomString(rng, 20).replace(/[^\t\x20-\x7e]/g, "")}`,
    "Bearer \u00ff\u00fe",
    "",
  ]);
}

/** A random read operation from the schema as a POST body. */
function schemaQuery(c: RequestContext): FuzzRequest {
  const operation = c.ops.query(valueOptions(c.rng), c.rng.chance(0.4));
  return post("schema-query", operation, c.rng.chance(0.2) ? { accept: c.rng.pick(["application/graphql-response+json", "*/*", "application/json"]) } : {});
}

/** A schema query with its text corrupted: syntax errors in every position. */
function corruptedQuery(c: RequestContext): FuzzRequest {
  const operation = c.ops.query(valueOptions(c.rng), c.rng.chance(0.3));
  let query = operation.query;
  for (let i = c.rng.int(1, 3); i > 0; i -= 1) query = corruptText(c.rng, query);
  return post("corrupted-query", { ...operation, query });
}

/** A read over GET, with and without the header that satisfies CSRF prevention. */
function getQuery(c: RequestContext): FuzzRequest {
  const { rng } = c;
  const operation = rng.chance(0.15) ? c.ops.mutation(valueOptions(rng), false, false) : c.ops.query(valueOptions(rng), rng.chance(0.3));
  const params = new URLSearchParams();
  if (!rng.chance(0.05)) params.set("query", operation.query);
  if (operation.variables) params.set("variables", rng.chance(0.9) ? JSON.stringify(operation.variables) : randomString(rng, 20));
  if (operation.operationName) params.set("operationName", operation.operationName);
  if (rng.chance(0.05)) params.append("query", "{ __typename }");
  if (rng.chance(0.05)) params.set("extensions", rng.pick(["{", "[]", '{"persistedQuery":{"version":1,"sha256Hash":"00"}}']));
  const headers: Record<string, string> = {};
  if (rng.chance(0.7)) headers["apollo-require-preflight"] = "true";
  if (rng.chance(0.3)) headers.accept = rng.pick(["application/json", "application/graphql-response+json", "text/html", "*/*", "text/plain"]);
  return { category: "get-query", method: "GET", path: `/graphql?${params.toString()}`, headers };
}

/** A mutation without a token, or with a wrong one: must be refused whatever its input. */
function refusedMutation(c: RequestContext, withToken: "none" | "wrong"): FuzzRequest {
  const op = c.ops.mutation(valueOptions(c.rng), c.rng.chance(0.4), false);
  const headers: Record<string, string> = {};
  if (withToken === "wrong") headers.authorization = wrongAuthorization(c.rng, c.editorToken);
  const { field, ...body } = op;
  return { ...post(`mutation-${withToken === "none" ? "anonymous" : "wrong-token"}`, body, headers), refusedMutation: field };
}

/** A mutation with the editor's token and an input the server has to refuse. */
function editorMutation(c: RequestContext): FuzzRequest {
  const op = c.ops.mutation(valueOptions(c.rng), c.rng.chance(0.4), true);
  const { field, ...body } = op;
  return { ...post("mutation-editor-invalid", body, { authorization: `Bearer ${c.editorToken}` }), refusedMutation: field };
}

/** Bodies that are not the JSON object GraphQL over HTTP wants. */
function brokenJson(c: RequestContext): FuzzRequest {
  const { rng } = c;
  const valid = JSON.stringify(c.ops.query(valueOptions(rng), rng.chance(0.3)));
  const bodies: Array<() => Buffer | string> = [
    () => valid.slice(0, rng.int(0, valid.length - 1)),
    () => valid.slice(rng.int(1, valid.length)),
    () => corruptText(rng, valid),
    () => rng.pick(["", "null", "0", "-1", "true", '"{ __typename }"', "[]", "[null]", "[[]]", "{}", "[{}]", "{,}", "{'query':'{ __typename }'}"]),
    () => rng.pick(['{"query":"{ __typename }",}', '{"query":"{ __typename }"} trailing', '{"query":"{ __typename }" /* c */}', '{"query":NaN}']),
    () => rng.pick(['{"query":"{ __typename }","query":"{ people { totalCount } }"}', '{"__proto__":{"query":"{ __typename }"}}']),
    () => `{"query":"{ __typename }","variables":{"__proto__":{"isAdmin":true},"constructor":{"prototype":{"x":1}}}}`,
    () => `\ufeff${valid}`,
    () => Buffer.concat([Buffer.from('{"query":"{ person(name: \\"'), Buffer.from([0xff, 0xfe, 0xc3, 0x28, 0xed, 0xa0, 0x80, 0xf8]), Buffer.from('\\") { name } }"}')]),
    () => Buffer.from(Array.from({ length: rng.int(1, 300) }, () => rng.int(0, 255))),
    () => `{"query": ${rng.pick(["1", "true", "[]", "{}", "null", '["{ __typename }"]'])}}`,
    () => `{"query":"{ __typename }","variables":${rng.pick(["1", '"x"', "[]", "true", '"{\\"a\\":1}"'])}}`,
    () => `{"query":"{ __typename }","operationName":${rng.pick(["1", "[]", "{}", "true"])}}`,
    () => `{"query":"{ __typename }","extensions":${rng.pick(["1", '"x"', "[]", '{"persistedQuery":1}', '{"persistedQuery":{"version":2}}'])}}`,
    () => `{"query":"{ __typename }", "variables": {"a": ${"[".repeat(rng.int(10, 5000))}${"]".repeat(rng.int(10, 5000))}}}`,
    () => `${"[".repeat(rng.int(1000, 100_000))}${rng.chance(0.5) ? "]".repeat(rng.int(1000, 100_000)) : ""}`,
    () => `${'{"a":'.repeat(rng.int(1000, 50_000))}1${"}".repeat(rng.int(1000, 50_000))}`,
    () => `{"query":"${"\\u0000".repeat(rng.int(1, 100))}"}`,
    () => `{"query":"\\ud800 { __typename }"}`,
    () => JSON.stringify({ query: "{ __typename }", [randomString(rng, 10)]: randomString(rng, 10) }),
  ];
  const body = rng.pick(bodies)();
  return post("broken-json", Buffer.isBuffer(body) ? body : Buffer.from(body, "utf8"));
}

/** Good bodies under wrong, odd or missing content types and encodings. */
function wrongContentType(c: RequestContext): FuzzRequest {
  const { rng } = c;
  const query = JSON.stringify(c.ops.query(valueOptions(rng), false));
  const request = post("content-type", Buffer.from(query, "utf8"));
  const type = rng.pick([
    undefined, "", "text/plain", "text/plain; charset=utf-8", "application/x-www-form-urlencoded", "multipart/form-data; boundary=x",
    "application/graphql", "application/graphql-response+json", "application/xml", "application/json; charset=utf-16",
    "application/json; charset=latin1", "application/json; charset=\"utf-8\"", "application/json;charset=UTF-8", "APPLICATION/JSON",
    "application/jsonx", "application/json, text/plain", "application/*", "*/*", "application/json; boundary=x; charset=utf-8",
    "application/vnd.api+json", "application/json; charset=", "json", "application/ld+json",
  ]);
  if (type === undefined) delete request.headers["content-type"];
  else request.headers["content-type"] = type;
  if (rng.chance(0.15)) request.headers["content-encoding"] = rng.pick(["gzip", "deflate", "br", "identity", "x-nope", "gzip, gzip"]);
  if (rng.chance(0.1)) request.body = Buffer.from(`query=${encodeURIComponent("{ __typename }")}`, "utf8");
  if (rng.chance(0.1)) request.body = Buffer.from("{ people { totalCount } }", "utf8");
  if (rng.chance(0.2)) request.headers.accept = rng.pick(["application/xml", "text/html", "image/png", "multipart/mixed", "application/json;q=0", "*/*;q=0.1", "", "text/event-stream"]);
  return request;
}

/** Operations whose variables have the wrong types, shapes or names. */
function wrongVariables(c: RequestContext): FuzzRequest {
  const { rng } = c;
  const op = c.ops.query({ wrongRate: 0, maxInputDepth: 3 }, true);
  const variables: Record<string, unknown> = { ...(op.variables ?? {}) };
  const keys = Object.keys(variables);
  for (const key of keys) if (rng.chance(0.6)) variables[key] = toJson(c.ops.wrongValue());
  if (rng.chance(0.3) || keys.length === 0) variables[rng.pick(["v0", "v9", "__proto__", "", "$v0"])] = toJson(c.ops.wrongValue());
  const fixed = rng.pick([
    { query: "query($n: Int) { people(first: $n) { totalCount } }", variables: { n: rng.pick<unknown>(["ten", 1.5, 2 ** 31, [], {}, true, "1"]) } },
    { query: "query($id: ID!) { node(id: $id) { id } }", variables: { id: rng.pick<unknown>([null, 1, [], {}, true, 1.5]) } },
    { query: "query($ids: [ID!]!) { nodes(ids: $ids) { id } }", variables: { ids: rng.pick<unknown>(["x", [null], [[1]], Array.from({ length: rng.int(99, 2000) }, () => randomId(rng, c.pools))]) } },
    { query: "query($f: PersonFilter) { people(filter: $f) { totalCount } }", variables: { f: rng.pick<unknown>(["x", [], { name: "x" }, { name: { eq: 1 } }, { zz: 1 }, { and: {} }]) } },
    { query: "query($o: [PersonOrder!]) { people(orderBy: $o) { totalCount } }", variables: { o: rng.pick<unknown>([[{ field: "NOPE" }], [{}], "NAME", [{ field: "NAME", direction: "UP" }], Array.from({ length: 9 }, () => ({ field: "NAME" }))]) } },
  ]);
  return post("wrong-variables", rng.chance(0.5) ? { ...op, variables } : fixed);
}

/** A request body of about `bytes` bytes, with one huge string in a place chosen at random. */
function bodyWithHugeString(c: RequestContext, bytes: number): Buffer {
  const { rng } = c;
  const huge = hugeString(rng, bytes - 200);
  const shapes: Array<() => unknown> = [
    () => ({ query: `query($s: String!) { person(name: $s) { id } }`, variables: { s: huge } }),
    () => ({ query: `query($s: String!) { search(query: $s) { totalCount } }`, variables: { s: huge } }),
    () => ({ query: `query($s: String) { people(filter: { name: { containsIgnoreCase: $s } }) { totalCount } }`, variables: { s: huge } }),
    () => ({ query: `{ person(name: ${JSON.stringify(huge)}) { id } }` }),
    () => ({ query: `{ __typename } # ${huge.replace(/[\r\n]/g, " ")}` }),
    () => ({ query: "{ __typename }", extensions: { junk: huge } }),
    () => ({ query: "{ __typename }", operationName: huge }),
    () => ({ query: `query($id: ID!) { node(id: $id) { id } }`, variables: { id: huge } }),
    () => ({
      query: "mutation($i: CreateArticleInput!) { createArticle(input: $i) { article { id } } }",
      variables: { i: { url: "https://example.com/huge", title: "Huge", publisher: "P", publishedAt: "2019-04-09", body: huge } },
    }),
  ];
  return jsonBody(rng.pick(shapes)());
}

/** Bodies close to the limit (must be served or refused with a code) and over it (413). */
function hugeBody(c: RequestContext): FuzzRequest {
  const { rng } = c;
  const over = rng.chance(0.35);
  const bytes = over ? Math.floor(c.maxBodyBytes * (1.02 + rng.float() * 0.5)) : rng.int(Math.floor(c.maxBodyBytes * 0.3), Math.floor(c.maxBodyBytes * 0.9));
  let body = bodyWithHugeString(c, bytes);
  if (over && body.length <= c.maxBodyBytes) body = Buffer.concat([body, Buffer.alloc(c.maxBodyBytes - body.length + 1000, 0x20)]);
  // A huge mutation body goes out without a token, or with a wrong one: it must change nothing.
  const headers: Record<string, string> = rng.chance(0.5) ? { authorization: wrongAuthorization(rng, c.editorToken) } : {};
  const request = post(over ? "over-limit" : "huge-string", body, headers);
  if (over) request.expectStatus = 413;
  return request;
}

/** Chains of relations that loop back on themselves, for selections nested as deep as wanted. */
const CYCLES: ReadonlyArray<{ root: string; step: (inner: string) => string; leaf: string }> = [
  { root: "people(first: 1)", step: (inner) => `nodes { country { people(first: 1) { ${inner} } } }`, leaf: "totalCount" },
  { root: "quotes(first: 1)", step: (inner) => `nodes { speaker { quotes(first: 1) { ${inner} } } }`, leaf: "totalCount" },
  { root: 'organization(name: "Center for Arab and Islamic Studies")', step: (inner) => `parent { ${inner} }`, leaf: "name" },
  { root: "positions(first: 1)", step: (inner) => `edges { node { person { positions(first: 1) { ${inner} } } } }`, leaf: "totalCount" },
  { root: "__schema", step: (inner) => `types { fields { type { ofType { ofType { name } } } } queryType { ${inner} }`, leaf: "name" },
];

/** Deep selections, fragment chains, alias floods and other query shapes that cost a lot. */
function deepQuery(c: RequestContext): FuzzRequest {
  const { rng } = c;
  const shape = rng.int(0, 6);
  let query: string;
  if (shape <= 1) {
    const cycle = rng.pick(CYCLES);
    const depth = rng.weighted<number>([
      [5, rng.int(1, 12)],
      [3, rng.int(13, 40)],
      [1, rng.int(41, 400)],
    ]);
    let inner = cycle.leaf;
    for (let i = 0; i < depth; i += 1) inner = cycle.step(inner);
    query = `{ ${cycle.root} { ${inner} } }`;
  } else if (shape === 2) {
    // Fragments that each spread the previous one twice ("billion laughs").
    const n = rng.int(2, c.maxFragmentChain);
    const defs = Array.from({ length: n }, (_, i) => `fragment F${i + 1} on Query { ...F${i} ...F${i} }`).join(" ");
    query = `{ ...F${n} } fragment F0 on Query { people(first: ${rng.int(1, 100)}) { totalCount nodes { name } } } ${defs}`;
    if (rng.chance(0.2)) query += ` fragment F${n + 1} on Query { ...F${n + 1} }`;
  } else if (shape === 3) {
    const n = rng.weighted<number>([
      [3, rng.int(1, 40)],
      [1, rng.int(41, 3000)],
    ]);
    query = `{ ${Array.from({ length: n }, (_, i) => `a${i}: people(first: ${rng.int(1, 100)}) { totalCount nodes { name } }`).join(" ")} }`;
  } else if (shape === 4) {
    const n = rng.int(1, 200);
    query = `{ people { totalCount ${Array.from({ length: n }, () => `@${rng.pick(["include(if: true)", "skip(if: false)", "deprecated", "nope"])}`).join(" ")} } }`;
  } else if (shape === 5) {
    // Large page sizes all the way down: the node count limit's business.
    query = `{ people(first: 100) { nodes { quotes(first: 100) { nodes { speaker { positions(first: 100) { nodes { title } } } } } } } countries(first: 100) { nodes { people(first: 100) { nodes { organizations: positions(first: 100) { totalCount } } } } } }`;
  } else {
    // Unbalanced or endless nesting in the text itself.
    const n = rng.pick([100, 1000, 3000, 10_000, 60_000]);
    query = rng.pick([`${"{ a ".repeat(n)}${"}".repeat(n)}`, `{ people(filter: ${"[".repeat(n)}) { totalCount } }`, `{${"(".repeat(n)}`, `${"{".repeat(n)}`]);
  }
  return post("deep-query", { query });
}

/** Filters nested deep or wide, inline and in variables. */
function deepFilter(c: RequestContext): FuzzRequest {
  const { rng } = c;
  const depth = rng.weighted<number>([
    [4, rng.int(1, 8)],
    [2, rng.int(9, 100)],
    [1, rng.int(101, 3000)],
    [0.7, rng.int(3001, 40_000)],
  ]);
  const key = rng.pick(["not", "and", "or", "country.people.some", "quotes.some.speaker", "positions.every.organization.parent"]);
  const leaf = rng.pick(['{ name: { eq: "Khalifa Haftar" } }', "{}", '{ name: { in: ["a", "b"] } }', '{ id: { eq: "x" } }', '{ name: { isNull: true } }']);
  const wrap = (inner: string): string => {
    if (key === "not") return `{ not: ${inner} }`;
    if (key === "and" || key === "or") return `{ ${key}: [${inner}${rng.chance(0.2) ? ", {}" : ""}] }`;
    if (key === "country.people.some") return `{ country: { people: { some: ${inner} } } }`;
    if (key === "quotes.some.speaker") return `{ quotes: { some: { speaker: ${inner} } } }`;
    return `{ positions: { every: { organization: { parent: ${inner} } } } }`;
  };
  // The text is built by repetition, not by recursion, so that 40,000 levels cost nothing here.
  const opening = wrap("\u0001").split("\u0001");
  const literal = `${opening[0].repeat(depth)}${leaf}${opening[1].repeat(depth)}`;
  const list = key === "positions.every.organization.parent" ? "organizations" : "people";
  if (rng.chance(0.5)) return post("deep-filter", { query: `{ ${list}(filter: ${literal}) { totalCount } }` });
  // In variables the same nesting is JSON: quote the field names.
  const json = literal.replace(/([{,]\s*)([A-Za-z]+)\s*:/g, '$1"$2":');
  const type = list === "organizations" ? "OrganizationFilter" : "PersonFilter";
  const body = `{"query":${JSON.stringify(`query($f: ${type}) { ${list}(filter: $f) { totalCount } }`)},"variables":{"f":${json}}}`;
  return post("deep-filter", Buffer.from(body, "utf8"));
}

/** Unknown fields, types, arguments, directives, fragments and operations. */
function unknownThings(c: RequestContext): FuzzRequest {
  const { rng } = c;
  const types = typeNames(c.schema);
  const queries = [
    () => `{ ${randomString(rng, 10).replace(/[^A-Za-z_]/g, "") || "nope"} }`,
    () => `{ people { nodes { ${rng.pick(["password", "email", "__proto__", "constructor", "databaseid", "Name"])} } } }`,
    () => `{ people(${rng.pick(["where", "offset", "limit", "skip", "take", "sort"])}: 1) { totalCount } }`,
    () => `{ ... on ${rng.pick([...types, "Nope", "Mutation", "String"])} { __typename } }`,
    () => `{ people { nodes { ... on ${rng.pick([...types, "Nope"])} { __typename } } } }`,
    () => `{ people @${rng.pick(["nope", "include", "skip(if: 1)", "defer", "stream", "live", "cacheControl(maxAge: 1)"])} { totalCount } }`,
    () => `{ ...Nope }`,
    () => `fragment F on Nope { x } { ...F }`,
    () => `query A { __typename } query A { __typename }`,
    () => `query A { __typename } query B { __typename }`,
    () => `subscription { ${rng.pick(["people", "x", "__typename"])} }`,
    () => `mutation { __typename }`,
    () => `mutation { ${rng.pick(["nope", "createNope", "deleteEverything"])}(input: {}) { x } }`,
    () => `{ __type(name: ${JSON.stringify(rng.chance(0.5) ? rng.pick(types) : randomString(rng, 20))}) { name fields { name args { name } } } }`,
    () => `{ __schema { ${rng.pick(["types { name }", "directives { name }", "nope", "queryType { fields { name } }"])} } }`,
    () => `query($x: ${rng.pick(["Nope", "PersonFilter", "[[[Int]]]", "String!!", "Person"])}) { __typename }`,
    () => `{ people { nodes { name(${rng.pick(["x: 1", "format: UPPER"])}) } } }`,
    () => `{ people { nodes { country } } }`,
    () => `{ people { totalCount { x } } }`,
    () => `{ node(id: "x") }`,
    () => `{ __typename(x: 1) }`,
    () => `extend type Query { x: Int } { __typename }`,
    () => `type X { a: Int } schema { query: X }`,
    () => `directive @x on FIELD { __typename }`,
  ];
  const query = rng.pick(queries)();
  const operationName = rng.chance(0.3) ? rng.pick(["A", "B", "C", "", "__typename"]) : undefined;
  return post("unknown", operationName === undefined ? { query } : { query, operationName });
}

/** Look-ups and filters by global ID, with good, unknown and malformed IDs. */
function globalIds(c: RequestContext): FuzzRequest {
  const { rng } = c;
  const id = (): string => randomId(rng, c.pools);
  const types = Object.keys(c.pools.idsByType);
  const shapes: Array<() => unknown> = [
    () => ({ query: `query($id: ID!) { node(id: $id) { id __typename } }`, variables: { id: id() } }),
    () => ({ query: `query($ids: [ID!]!) { nodes(ids: $ids) { id } }`, variables: { ids: Array.from({ length: rng.int(0, rng.chance(0.1) ? 150 : 8) }, id) } }),
    () => ({ query: `{ node(id: ${JSON.stringify(id())}) { id ... on ${rng.pick(types)} { databaseId } } }` }),
    () => ({ query: `query($id: ID) { people(filter: { id: { eq: $id } }) { totalCount } }`, variables: { id: id() } }),
    () => ({ query: `query($ids: [ID!]) { quotes(filter: { id: { in: $ids } }) { totalCount } }`, variables: { ids: Array.from({ length: rng.int(0, 10) }, id) } }),
    () => ({ query: `query($id: ID) { quotes(filter: { speaker: { id: { eq: $id } } }) { totalCount } }`, variables: { id: id() } }),
  ];
  return post("global-id", rng.pick(shapes)());
}

const LISTS = ["people", "organizations", "countries", "positions", "quotes", "articles"];

/** Paging with forged, stale, foreign and broken cursors, and odd page sizes. */
function cursors(c: RequestContext): FuzzRequest {
  const { rng } = c;
  const args: string[] = [];
  const cursor = (): string => JSON.stringify(randomCursor(rng, c.pools));
  if (rng.chance(0.7)) args.push(`after: ${cursor()}`);
  if (rng.chance(0.4)) args.push(`before: ${cursor()}`);
  if (rng.chance(0.5)) args.push(`first: ${rng.pick(INTS)}`);
  if (rng.chance(0.3)) args.push(`last: ${rng.pick(INTS)}`);
  if (rng.chance(0.3)) args.push(`orderBy: [{ field: ${rng.pick(["NAME", "DATABASE_ID", "CREATED_AT", "TITLE", "START_OFFSET"])}, direction: ${rng.pick(["ASC", "DESC"])} }]`);
  const list = rng.pick(LISTS);
  const a = args.length ? `(${args.join(", ")})` : "";
  const query = rng.pick([
    `{ ${list}${a} { totalCount pageInfo { hasNextPage hasPreviousPage startCursor endCursor } edges { cursor } } }`,
    `{ people(first: 2) { nodes { quotes${a} { totalCount edges { cursor } } } } }`,
    `{ search(query: ${JSON.stringify(randomSearch(rng))}${rng.chance(0.8) ? `, after: ${cursor()}` : ""}${rng.chance(0.3) ? `, first: ${rng.pick(INTS)}` : ""}) { totalCount edges { cursor score } } }`,
  ]);
  return post("cursor", { query });
}

/** Look-ups and string filters with random Unicode, control characters and injection strings. */
function unicodeStrings(c: RequestContext): FuzzRequest {
  const { rng } = c;
  const s = (): string => randomString(rng, rng.chance(0.1) ? 5000 : 60);
  const op = rng.pick(["eq", "eqIgnoreCase", "contains", "containsIgnoreCase", "startsWith", "startsWithIgnoreCase"]);
  const shapes: Array<() => unknown> = [
    () => ({ query: `query($s: String!) { person(name: $s) { id name } }`, variables: { s: s() } }),
    () => ({ query: `query($s: String!) { organization(name: $s) { id } }`, variables: { s: s() } }),
    () => ({ query: `query($s: String!) { country(code: $s) { id } }`, variables: { s: s() } }),
    () => ({ query: `query($s: String!) { article(url: $s) { id } }`, variables: { s: s() } }),
    () => ({ query: `query($s: String) { quotes(filter: { text: { ${op}: $s } }) { totalCount } }`, variables: { s: s() } }),
    () => ({ query: `query($s: [String!]) { people(filter: { aliases: { in: $s } }) { totalCount } }`, variables: { s: Array.from({ length: rng.int(0, 5) }, s) } }),
    () => ({ query: `{ people(filter: { name: { ${op}: ${JSON.stringify(s())} } }) { totalCount } }` }),
    () => ({ query: `{ person(name: "${s().replace(/["\\]/g, "")}") { id } }` }),
    () => ({ query: `{ person(name: """${s().replace(/"""/g, "")}""") { id } }` }),
    () => ({ query: `query($d: LocalDate) { articles(filter: { publishedAt: { eq: $d } }) { totalCount } }`, variables: { d: rng.chance(0.5) ? rng.pick(DATES) : s() } }),
    () => ({ query: `query($d: PartialDate) { positions(filter: { activeAt: $d }) { totalCount } }`, variables: { d: rng.chance(0.5) ? rng.pick(DATES) : s() } }),
    () => ({ query: `query($d: DateTime) { people(filter: { createdAt: { gt: $d } }) { totalCount } }`, variables: { d: rng.chance(0.5) ? rng.pick(DATES) : s() } }),
  ];
  return post("unicode", rng.pick(shapes)(), rng.chance(0.1) ? { "x-request-id": randomString(rng, 80).replace(/[^\t\x20-\x7e]/g, "") } : {});
}

/** Full-text search with random syntax. */
function search(c: RequestContext): FuzzRequest {
  const { rng } = c;
  const types = rng.chance(0.3) ? `, types: [${rng.some(["ARTICLE", "PERSON", "QUOTE", "ORGANIZATION"], rng.int(0, 4)).join(", ")}]` : "";
  const first = rng.chance(0.2) ? `, first: ${rng.pick(INTS)}` : "";
  const q = randomSearch(rng);
  const selection = "totalCount edges { score snippet cursor node { __typename ... on Quote { text } ... on Person { name } } }";
  if (rng.chance(0.5)) return post("search", { query: `query($q: String!) { search(query: $q${types}${first}) { ${selection} } }`, variables: { q } });
  return post("search", { query: `{ search(query: ${JSON.stringify(q)}${types}${first}) { ${selection} } }` });
}

/** Methods, paths, headers, batching, persisted queries: the HTTP layer around GraphQL. */
function httpMisc(c: RequestContext): FuzzRequest {
  const { rng } = c;
  const simple = jsonBody({ query: "{ people { totalCount } }" });
  const shapes: Array<() => FuzzRequest> = [
    () => ({ category: "http", method: rng.pick(["PUT", "DELETE", "PATCH", "OPTIONS", "HEAD", "TRACE", "PROPFIND"]), path: "/graphql", headers: JSON_HEADERS, body: simple }),
    () => ({
      category: "http",
      method: rng.pick(["GET", "POST"]),
      path: rng.pick(["/graphql/", "/graphql/x", "/GraphQL", "/graphql%00", "/%", "/..%2f..%2fetc%2fpasswd", "/playground/../../package.json", "/playground/%2e%2e/%2e%2e/package.json", "/playground/nope.js", "//graphql", "/graphql?query=%", "/graphql;x", "/health?x", "/ready", `/${"a".repeat(5000)}`]),
      headers: { ...JSON_HEADERS, "apollo-require-preflight": "1" },
      body: simple,
    }),
    () => post("http", [{ query: "{ __typename }" }, { query: "{ people { totalCount } }" }]),
    () => post("http", { query: "{ __typename }", extensions: { persistedQuery: { version: 1, sha256Hash: rng.pick(["00", "x", "a".repeat(64)]) } } }),
    () => post("http", { extensions: { persistedQuery: { version: rng.pick([1, 2, "1", null]), sha256Hash: "a".repeat(64) } } }),
    () => post("http", { query: "query A { __typename } query B { people { totalCount } }", operationName: rng.pick([undefined, "A", "C", "", null]) }),
    () => post("http", { query: "{ people { totalCount } }" }, { authorization: wrongAuthorization(rng, c.editorToken) }),
    () => post("http", { query: "{ edits { totalCount nodes { before after } } }" }, rng.chance(0.5) ? { authorization: wrongAuthorization(rng, c.editorToken) } : {}),
    () => post("http", { query: "{ people { totalCount } }" }, { [rng.pick(["x-forwarded-for", "x-request-id", "origin", "referer", "cookie", "x-apollo-operation-name"])]: "a".repeat(rng.int(1, 12_000)) }),
    () => post("http", { query: "{ people { totalCount } }" }, { accept: rng.pick(["multipart/mixed", "multipart/mixed; deferSpec=20220824", "text/event-stream", "application/graphql-response+json;q=0, application/json;q=0", "application/json;q=abc"]) }),
    () => ({ category: "http", method: "GET", path: "/graphql", headers: { accept: rng.pick(["text/html", "*/*", "application/json", ""]) } }),
    () => ({ category: "http", method: "POST", path: "/graphql", headers: { ...JSON_HEADERS, "content-length": "0" } }),
  ];
  return rng.pick(shapes)();
}

/** Every category, with its weight in the mix. */
export const CATEGORIES: ReadonlyArray<readonly [number, (c: RequestContext) => FuzzRequest]> = [
  [20, schemaQuery],
  [6, corruptedQuery],
  [4, getQuery],
  [6, (c) => refusedMutation(c, "none")],
  [5, (c) => refusedMutation(c, "wrong")],
  [7, editorMutation],
  [7, brokenJson],
  [5, wrongContentType],
  [6, wrongVariables],
  [1.2, hugeBody],
  [4, deepQuery],
  [4, deepFilter],
  [4, unknownThings],
  [5, globalIds],
  [5, cursors],
  [5, unicodeStrings],
  [6, search],
  [4, httpMisc],
];

/**
 * The `index`-th request of a run. The first requests go through every category once, so even a
 * short run covers them all; after that, categories are drawn by weight.
 */
export function generateRequest(c: RequestContext, index: number): FuzzRequest {
  const generate = index < CATEGORIES.length ? CATEGORIES[index][1] : c.rng.weighted(CATEGORIES);
  return generate(c);
}
