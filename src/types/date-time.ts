import { GraphQLError, GraphQLScalarType, Kind } from "graphql";
import { ErrorCode } from "../errors";

const SQLITE_TIMESTAMP = /^(\d{4}-\d{2}-\d{2}) (\d{2}:\d{2}:\d{2}(?:\.\d{1,3})?)$/;

function invalid(value: unknown): GraphQLError {
  return new GraphQLError(`DateTime must be an ISO 8601 timestamp with a time zone, got ${JSON.stringify(value)}`, {
    extensions: { code: ErrorCode.BAD_USER_INPUT },
  });
}

function parse(value: unknown): Date {
  if (typeof value !== "string" || !/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/.test(value)) throw invalid(value);
  const date = new Date(value);
  if (Number.isNaN(date.getTime())) throw invalid(value);
  return date;
}

/**
 * Timestamps as ISO 8601 strings in UTC. Rows read straight from SQLite keep TypeORM's
 * "YYYY-MM-DD HH:MM:SS" text and are converted only when a timestamp is actually selected, which
 * spares a Date object per row on every list.
 */
export const DateTimeScalar = new GraphQLScalarType({
  name: "DateTime",
  description: "A point in time as an ISO 8601 string in UTC, such as `2019-04-09T08:30:00.000Z`.",
  serialize(value: unknown): string {
    if (value instanceof Date) return value.toISOString();
    if (typeof value === "string") {
      const match = SQLITE_TIMESTAMP.exec(value);
      if (match) return new Date(`${match[1]}T${match[2]}Z`).toISOString();
    }
    throw new GraphQLError(`Cannot serialize ${JSON.stringify(value)} as a DateTime`);
  },
  parseValue: parse,
  parseLiteral(ast): Date {
    if (ast.kind !== Kind.STRING) throw invalid(ast.kind);
    return parse(ast.value);
  },
});
