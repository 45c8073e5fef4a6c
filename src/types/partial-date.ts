import { GraphQLError, GraphQLScalarType, Kind } from "graphql";
import { ErrorCode } from "../errors";

const PARTIAL_DATE = /^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$/;

/**
 * Returns whether a string is a calendar date of year, month or day precision ("2011",
 * "2011-10", "2011-10-20") that actually exists.
 */
export function isPartialDate(value: string): boolean {
  const match = PARTIAL_DATE.exec(value);
  if (!match) return false;
  const [, year, month, day] = match;
  if (month === undefined) return true;
  const m = Number(month);
  if (m < 1 || m > 12) return false;
  if (day === undefined) return true;
  const d = Number(day);
  const daysInMonth = new Date(Date.UTC(Number(year), m, 0)).getUTCDate();
  return d >= 1 && d <= daysInMonth;
}

function parse(value: unknown): string {
  if (typeof value !== "string" || !isPartialDate(value)) {
    throw new GraphQLError(
      `PartialDate must be YYYY, YYYY-MM or YYYY-MM-DD and a real date, got ${JSON.stringify(value)}`,
      { extensions: { code: ErrorCode.BAD_USER_INPUT } },
    );
  }
  return value;
}

/**
 * A date known to the precision the source gives: news says "in 2011" as often as it gives a day,
 * and the knowledge base must not invent the missing month and day (Wikidata does the same with
 * its time precision).
 */
export const PartialDateScalar = new GraphQLScalarType({
  name: "PartialDate",
  description:
    'An ISO 8601 calendar date at the precision the source states: a year ("2011"), a month ("2011-10") or a day ("2011-10-20").',
  serialize: (value) => value,
  parseValue: parse,
  parseLiteral: (ast) => {
    if (ast.kind !== Kind.STRING) {
      throw new GraphQLError("PartialDate must be a string", {
        extensions: { code: ErrorCode.BAD_USER_INPUT },
      });
    }
    return parse(ast.value);
  },
});
