/**
 * Unit tests of the filter compiler: the SQL and parameters `compileFilter` gives for a filter
 * input, with no server and no database (as Vendure's `parse-filter-params.spec.ts`). They pin
 * the statements the end-to-end tests in `filters.test.ts` and `filter-cost.test.ts` run, so a
 * change to how filters compile shows here as a diff of SQL text.
 */
import { GraphQLError } from "graphql";
import { compileFilter, FILTER_LIMITS } from "../src/sql/filter-compiler";
import { toGlobalId } from "../src/model/global-id";
import { sqliteDialect } from "../src/storage/dialect";

type TypeName = Parameters<typeof compileFilter>[1];

function compile(typeName: TypeName, filter: unknown, alias?: string, argument?: string): { sql: string; params: unknown[] } | null {
  return compileFilter(sqliteDialect, typeName, filter, alias, argument);
}

/** The error `compileFilter` throws, with its code and the argument path it names. */
function refusal(typeName: TypeName, filter: unknown, argument?: string): { message: string; code: unknown; argument: unknown } {
  try {
    compileFilter(sqliteDialect, typeName, filter, "t", argument);
  } catch (error) {
    expect(error).toBeInstanceOf(GraphQLError);
    const { message, extensions } = error as GraphQLError;
    return { message, code: extensions.code, argument: extensions.argument };
  }
  throw new Error("expected the filter to be refused");
}

/** `n` nested `not`s around `filter`. */
function nots(n: number, filter: Record<string, unknown>): Record<string, unknown> {
  return n === 0 ? filter : { not: nots(n - 1, filter) };
}

describe("compileFilter: no filter", () => {
  it("compiles null and undefined to no condition", () => {
    expect(compile("Person", null)).toBeNull();
    expect(compile("Person", undefined)).toBeNull();
  });

  it("compiles an empty filter, an empty operator set and null values to true", () => {
    expect(compile("Person", {})).toEqual({ sql: "TRUE", params: [] });
    expect(compile("Person", { name: {} })).toEqual({ sql: "TRUE", params: [] });
    expect(compile("Person", { name: null, country: undefined })).toEqual({ sql: "TRUE", params: [] });
    expect(compile("Person", { quotes: {} })).toEqual({ sql: "TRUE", params: [] });
  });

  it("uses the alias it is given", () => {
    expect(compile("Person", { name: { eq: "A" } }, "p")).toEqual({ sql: `p."name" = ?`, params: ["A"] });
  });
});

describe("compileFilter: string operators", () => {
  it("eq and in", () => {
    expect(compile("Person", { name: { eq: "Ann" } })).toEqual({ sql: `t."name" = ?`, params: ["Ann"] });
    expect(compile("Person", { name: { in: ["A", "B"] } })).toEqual({ sql: `t."name" IN (?, ?)`, params: ["A", "B"] });
  });

  it("in with an empty list matches nothing", () => {
    expect(compile("Person", { name: { in: [] } })).toEqual({ sql: "FALSE", params: [] });
  });

  it("contains and startsWith, joined by AND", () => {
    expect(compile("Person", { name: { contains: "nn", startsWith: "A" } })).toEqual({
      sql: `((instr(t."name", ?) > 0) AND (substr(t."name", 1, length(?)) = ?))`,
      params: ["nn", "A", "A"],
    });
  });

  it("the IgnoreCase variants of ASCII text use NOCASE and an escaped LIKE", () => {
    expect(compile("Person", { name: { eqIgnoreCase: "ann", containsIgnoreCase: "5%_\\", startsWithIgnoreCase: "an" } })).toEqual({
      sql: `((t."name" = ? COLLATE NOCASE) AND (t."name" LIKE ? ESCAPE '\\') AND (t."name" LIKE ? ESCAPE '\\'))`,
      params: ["ann", "%5\\%\\_\\\\%", "an%"],
    });
  });

  it("the IgnoreCase variants of other text compare folded text", () => {
    expect(compile("Person", { name: { eqIgnoreCase: "Ärger", containsIgnoreCase: "Ä", startsWithIgnoreCase: "Äa" } })).toEqual({
      sql: `((kb_fold(t."name") = ?) AND (instr(kb_fold(t."name"), ?) > 0) AND (substr(kb_fold(t."name"), 1, length(?)) = ?))`,
      params: ["ärger", "ä", "äa", "äa"],
    });
  });

  it("isNull true and false", () => {
    expect(compile("Person", { description: { isNull: true }, wikidataId: { isNull: false } })).toEqual({
      sql: `((t."description" IS NULL) AND (t."wikidataId" IS NOT NULL))`,
      params: [],
    });
  });
});

describe("compileFilter: other scalar kinds", () => {
  it("int comparisons, in their input order", () => {
    expect(compile("Quote", { startOffset: { lt: 1, lte: 2, gt: 3, gte: 4, eq: 5, in: [6, 7] } })).toEqual({
      sql: `((t."startOffset" < ?) AND (t."startOffset" <= ?) AND (t."startOffset" > ?) AND (t."startOffset" >= ?) AND (t."startOffset" = ?) AND (t."startOffset" IN (?, ?)))`,
      params: [1, 2, 3, 4, 5, 6, 7],
    });
  });

  it("a date compares its text", () => {
    expect(compile("Article", { publishedAt: { gte: "2024-01-01", lt: "2025-01-01" } })).toEqual({
      sql: `((t."publishedAt" >= ?) AND (t."publishedAt" < ?))`,
      params: ["2024-01-01", "2025-01-01"],
    });
  });

  it("a partial date compares its text too", () => {
    expect(compile("Position", { startDate: { gte: "2020", lte: "2020-06" } })).toEqual({
      sql: `((t."startDate" >= ?) AND (t."startDate" <= ?))`,
      params: ["2020", "2020-06"],
    });
  });

  it("a datetime is written as stored: to the second, fractions only when there are some", () => {
    const filter = { createdAt: { gte: new Date("2026-11-28T20:07:03.000Z"), lt: new Date("2026-11-28T20:07:03.250Z") } };
    expect(compile("Article", filter)).toEqual({
      sql: `((t."createdAt" >= ?) AND (t."createdAt" < ?))`,
      params: ["2026-11-28 20:07:03", "2026-11-28 20:07:03.250"],
    });
  });

  it("an enum", () => {
    expect(compile("Quote", { kind: { eq: "DIRECT", in: ["DIRECT", "PARAPHRASE"] } })).toEqual({
      sql: `((t."kind" = ?) AND (t."kind" IN (?, ?)))`,
      params: ["DIRECT", "DIRECT", "PARAPHRASE"],
    });
  });

  it("an id takes global IDs and binds database IDs", () => {
    const filter = { id: { eq: toGlobalId("Person", 7), in: [toGlobalId("Person", 1), toGlobalId("Person", 2)] } };
    expect(compile("Person", filter)).toEqual({ sql: `((t."id" = ?) AND (t."id" IN (?, ?)))`, params: [7, 1, 2] });
  });

  it("an id of another type or no ID at all is refused at its path", () => {
    expect(refusal("Person", { id: { eq: toGlobalId("Country", 1) } })).toEqual({
      message: `"${toGlobalId("Country", 1)}" is the ID of a Country, not a Person`,
      code: "BAD_USER_INPUT",
      argument: "filter.id",
    });
    expect(refusal("Person", { country: { id: { eq: "garbage" } } })).toEqual({
      message: `"garbage" is not a valid node ID`,
      code: "BAD_USER_INPUT",
      argument: "filter.country.id",
    });
    expect(refusal("Person", { quotes: { some: { speaker: { id: { in: [toGlobalId("Quote", 1)] } } } } })).toEqual({
      message: `"${toGlobalId("Quote", 1)}" is the ID of a Quote, not a Person`,
      code: "BAD_USER_INPUT",
      argument: "filter.quotes.some.speaker.id",
    });
  });

  it("aliases: isNull asks about the list, the string operators about any entry", () => {
    expect(compile("Person", { aliases: { isNull: true } })).toEqual({ sql: `json_array_length(t."aliases") = 0`, params: [] });
    expect(compile("Person", { aliases: { isNull: false, eqIgnoreCase: "vvp" } })).toEqual({
      sql: `((json_array_length(t."aliases") > 0) AND (EXISTS (SELECT 1 FROM json_each(t."aliases") j WHERE j.value = ? COLLATE NOCASE)))`,
      params: ["vvp"],
    });
    expect(compile("Organization", { aliases: { contains: "UN" } })).toEqual({
      sql: `EXISTS (SELECT 1 FROM json_each(t."aliases") j WHERE instr(j.value, ?) > 0)`,
      params: ["UN"],
    });
  });

  it("an unknown operator is refused", () => {
    expect(refusal("Person", { name: { like: "x" } })).toEqual({ message: "Unknown filter operator like", code: "BAD_USER_INPUT", argument: "filter.name" });
  });
});

describe("compileFilter: and, or, not", () => {
  it("combines the top-level keys with AND, an or list with OR, and not as IS NOT TRUE", () => {
    const filter = { name: { eq: "A" }, or: [{ name: { eq: "B" } }, { description: { isNull: true } }], not: { wikidataId: { eq: "Q1" } } };
    expect(compile("Person", filter)).toEqual({
      sql: `((t."name" = ?) AND (((t."name" = ?) OR (t."description" IS NULL))) AND ((t."wikidataId" = ?) IS NOT TRUE))`,
      params: ["A", "B", "Q1"],
    });
  });

  it("an empty and is true, an empty or false", () => {
    expect(compile("Person", { and: [] })).toEqual({ sql: "TRUE", params: [] });
    expect(compile("Person", { or: [] })).toEqual({ sql: "FALSE", params: [] });
  });

  it("a list of one is its only entry", () => {
    expect(compile("Person", { and: [{ name: { eq: "A" } }] })).toEqual({ sql: `t."name" = ?`, params: ["A"] });
  });
});

describe("compileFilter: to-one relations", () => {
  it("IN a subquery when the nested filter may match many rows", () => {
    expect(compile("Person", { country: { alpha2: { in: ["RU"] } } })).toEqual({
      sql: `t."countryId" IN (SELECT f1.id FROM "country" f1 WHERE f1."alpha2" IN (?))`,
      params: ["RU"],
    });
  });

  it("= a scalar subquery when the nested filter pins a unique column with eq", () => {
    expect(compile("Person", { country: { alpha2: { eq: "RU" } } })).toEqual({
      sql: `t."countryId" = (SELECT f1.id FROM "country" f1 WHERE f1."alpha2" = ?)`,
      params: ["RU"],
    });
    expect(compile("Person", { country: { id: { eq: toGlobalId("Country", 3) } } })).toEqual({
      sql: `t."countryId" = (SELECT f1.id FROM "country" f1 WHERE f1."id" = ?)`,
      params: [3],
    });
  });

  it("nests, each table with a fresh alias", () => {
    expect(compile("Quote", { speaker: { country: { alpha2: { eq: "RU" } } } })).toEqual({
      sql: `t."speakerId" IN (SELECT f1.id FROM "person" f1 WHERE f1."countryId" = (SELECT f2.id FROM "country" f2 WHERE f2."alpha2" = ?))`,
      params: ["RU"],
    });
  });
});

describe("compileFilter: to-many relations", () => {
  it("some at the top level is a correlated EXISTS", () => {
    expect(compile("Person", { quotes: { some: { kind: { eq: "DIRECT" } } } })).toEqual({
      sql: `EXISTS (SELECT 1 FROM "quote" f1 WHERE f1."speakerId" = t.id AND f1."kind" = ?)`,
      params: ["DIRECT"],
    });
  });

  it("every and none at the top level are NOT EXISTS", () => {
    expect(compile("Person", { quotes: { every: { kind: { eq: "DIRECT" } }, none: { text: { contains: "x" } } } })).toEqual({
      sql:
        `((NOT EXISTS (SELECT 1 FROM "quote" f1 WHERE f1."speakerId" = t.id AND (f1."kind" = ?) IS NOT TRUE)) AND ` +
        `(NOT EXISTS (SELECT 1 FROM "quote" f3 WHERE f3."speakerId" = t.id AND instr(f3."text", ?) > 0)))`,
      params: ["DIRECT", "x"],
    });
  });

  it("a relation through positions joins the link table", () => {
    expect(compile("Person", { organizations: { some: { name: { eq: "UN" } } } })).toEqual({
      sql: `EXISTS (SELECT 1 FROM "position" f2 JOIN "organization" f1 ON f1.id = f2."organizationId" WHERE f2."personId" = t.id AND f1."name" = ?)`,
      params: ["UN"],
    });
    expect(compile("Organization", { members: { some: { name: { eq: "Ann" } } } })).toEqual({
      sql: `EXISTS (SELECT 1 FROM "position" f2 JOIN "person" f1 ON f1.id = f2."personId" WHERE f2."organizationId" = t.id AND f1."name" = ?)`,
      params: ["Ann"],
    });
  });

  it("some inside another to-many is a membership test in an uncorrelated subquery", () => {
    expect(compile("Country", { people: { some: { quotes: { some: { kind: { eq: "DIRECT" } } } } } })).toEqual({
      sql: `EXISTS (SELECT 1 FROM "person" f1 WHERE f1."countryId" = t.id AND f1.id IN (SELECT f3."speakerId" FROM "quote" f3 WHERE f3."kind" = ? AND f3."speakerId" IS NOT NULL))`,
      params: ["DIRECT"],
    });
    expect(compile("Person", { organizations: { some: { members: { some: { name: { eq: "Ann" } } } } } })).toEqual({
      sql:
        `EXISTS (SELECT 1 FROM "position" f2 JOIN "organization" f1 ON f1.id = f2."organizationId" WHERE f2."personId" = t.id AND ` +
        `f1.id IN (SELECT f4."organizationId" FROM "position" f4 JOIN "person" f3 ON f3.id = f4."personId" WHERE f3."name" = ? AND f4."organizationId" IS NOT NULL))`,
      params: ["Ann"],
    });
  });

  it("every and none inside another to-many are NOT IN", () => {
    expect(compile("Person", { organizations: { some: { members: { every: { name: { eq: "Ann" } }, none: { name: { eq: "Bob" } } } } } })).toEqual({
      sql:
        `EXISTS (SELECT 1 FROM "position" f2 JOIN "organization" f1 ON f1.id = f2."organizationId" WHERE f2."personId" = t.id AND ` +
        `((f1.id NOT IN (SELECT f4."organizationId" FROM "position" f4 JOIN "person" f3 ON f3.id = f4."personId" WHERE (f3."name" = ?) IS NOT TRUE AND f4."organizationId" IS NOT NULL)) AND ` +
        `(f1.id NOT IN (SELECT f6."organizationId" FROM "position" f6 JOIN "person" f5 ON f5.id = f6."personId" WHERE f5."name" = ? AND f6."organizationId" IS NOT NULL))))`,
      params: ["Ann", "Bob"],
    });
  });

  it("a to-one inside a to-many starts afresh: its own to-many is an EXISTS again", () => {
    expect(compile("Country", { people: { some: { country: { quotes: { some: { kind: { eq: "DIRECT" } } } } } } })).toEqual({
      sql:
        `EXISTS (SELECT 1 FROM "person" f1 WHERE f1."countryId" = t.id AND f1."countryId" IN ` +
        `(SELECT f3.id FROM "country" f3 WHERE EXISTS (SELECT 1 FROM "quote" f4 WHERE f4."speakerCountryId" = f3.id AND f4."kind" = ?)))`,
      params: ["DIRECT"],
    });
  });
});

describe("compileFilter: activeAt and activeOn", () => {
  const open = `((t."startDate" IS NULL OR t."startDate" <= substr(?, 1, length(t."startDate"))) AND (t."endDate" IS NULL OR t."endDate" >= substr(?, 1, length(t."endDate"))))`;

  it("activeAt counts an unknown start or end as held", () => {
    expect(compile("Position", { activeAt: "2020-05-01" })).toEqual({ sql: open, params: ["2020-05-01", "2020-05-01"] });
  });

  it("activeOn without flags is activeAt", () => {
    expect(compile("Position", { activeOn: { date: "2020-05-01" } })).toEqual({ sql: open, params: ["2020-05-01", "2020-05-01"] });
  });

  it("activeOn with knownStartOnly and knownEndOnly drops the unknown bounds", () => {
    expect(compile("Position", { activeOn: { date: "2020-05-01", knownStartOnly: true, knownEndOnly: true } })).toEqual({
      sql: `((t."startDate" <= substr(?, 1, length(t."startDate"))) AND (t."endDate" >= substr(?, 1, length(t."endDate"))))`,
      params: ["2020-05-01", "2020-05-01"],
    });
    expect(compile("Position", { activeOn: { date: "2020-05-01", knownStartOnly: true } })).toEqual({
      sql: `((t."startDate" <= substr(?, 1, length(t."startDate"))) AND (t."endDate" IS NULL OR t."endDate" >= substr(?, 1, length(t."endDate"))))`,
      params: ["2020-05-01", "2020-05-01"],
    });
  });
});

describe("compileFilter: limits", () => {
  it("are as documented", () => {
    expect(FILTER_LIMITS).toEqual({ depth: 6, conditions: 100, listItems: 100, stringLength: 10_000 });
  });

  it("nesting: 6 levels compile, 7 are refused at the level past the limit", () => {
    expect(compile("Person", nots(5, { name: { eq: "x" } }))).toEqual({
      sql: `(((((t."name" = ?) IS NOT TRUE) IS NOT TRUE) IS NOT TRUE) IS NOT TRUE) IS NOT TRUE`,
      params: ["x"],
    });
    expect(refusal("Person", nots(6, { name: { eq: "x" } }))).toEqual({
      message: "Filters may nest at most 6 levels deep",
      code: "BAD_USER_INPUT",
      argument: "filter.not.not.not.not.not.not",
    });
  });

  it("nesting counts relation levels too, and the path names the argument given", () => {
    expect(refusal("Person", { quotes: { some: nots(4, { speaker: { name: { eq: "a" } } }) } })).toEqual({
      message: "Filters may nest at most 6 levels deep",
      code: "BAD_USER_INPUT",
      argument: "filter.quotes.some.not.not.not.not.speaker",
    });
    expect(refusal("Person", nots(6, {}), "where").argument).toBe("where.not.not.not.not.not.not");
  });

  it("conditions: 100 compile, the 101st is refused where it stands", () => {
    const hundred = Array.from({ length: 100 }, () => ({ name: { eq: "a" } }));
    expect(compile("Person", { or: hundred })?.params).toHaveLength(100);
    expect(refusal("Person", { or: hundred, description: { eq: "b" } })).toEqual({
      message: "A filter may hold at most 100 conditions",
      code: "BAD_USER_INPUT",
      argument: "filter.description",
    });
  });

  it("list items: 100 compile, 101 are refused, in and/or lists and in `in`", () => {
    expect(compile("Person", { and: Array.from({ length: 100 }, () => ({})) })?.sql).toBe(`(${Array.from({ length: 100 }, () => "(TRUE)").join(" AND ")})`);
    expect(refusal("Person", { and: Array.from({ length: 101 }, () => ({})) })).toEqual({
      message: "A list in a filter may hold at most 100 items",
      code: "BAD_USER_INPUT",
      argument: "filter.and",
    });
    expect(refusal("Person", { name: { in: Array.from({ length: 101 }, (_, i) => `n${i}`) } })).toEqual({
      message: "A list in a filter may hold at most 100 items",
      code: "BAD_USER_INPUT",
      argument: "filter.name.in",
    });
  });

  it("string length: 10,000 characters compile, 10,001 are refused at the operator", () => {
    const longest = "x".repeat(10_000);
    expect(compile("Person", { name: { eq: longest } })).toEqual({ sql: `t."name" = ?`, params: [longest] });
    expect(refusal("Person", { or: [{ name: { eq: "a" } }, { name: { contains: `${longest}x` } }] })).toEqual({
      message: "A string in a filter may be at most 10000 characters long",
      code: "BAD_USER_INPUT",
      argument: "filter.or[1].name.contains",
    });
    expect(refusal("Person", { name: { in: ["ok", `${longest}x`] } })).toEqual({
      message: "A string in a filter may be at most 10000 characters long",
      code: "BAD_USER_INPUT",
      argument: "filter.name.in",
    });
  });
});

describe("compileFilter: keys every object inherits", () => {
  it("ignores constructor, toString, hasOwnProperty and __proto__ as filter keys", () => {
    expect(compile("Person", { constructor: { eq: 1 }, toString: { eq: 1 }, name: { eq: "A" } })).toEqual({ sql: `t."name" = ?`, params: ["A"] });
    const parsed: unknown = JSON.parse(`{"__proto__": {"eq": 1}, "hasOwnProperty": {"eq": 2}, "name": {"eq": "A"}}`);
    expect(compile("Person", parsed)).toEqual({ sql: `t."name" = ?`, params: ["A"] });
    expect(compile("Position", { valueOf: "2020-01-01", activeAt: "2020-01-01" })?.params).toEqual(["2020-01-01", "2020-01-01"]);
  });
});
