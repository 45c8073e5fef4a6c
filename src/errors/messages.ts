import { GraphQLError, GraphQLSchema, isEnumType } from "graphql";

/** How a LocalDate is written, said wherever a date is refused. */
const LOCAL_DATE_FORMAT = 'a LocalDate is written YYYY-MM-DD, such as "2019-04-09"';

/** graphql-scalars' and graphql-js's words for a value refused as a LocalDate (not other errors naming the type). */
const LOCAL_DATE_REFUSED = /not a valid LocalDate|as local dates but got|of type "LocalDate!?"/;

/** graphql-js's words for a quoted string where an enum value belongs (a literal in the query). */
const QUOTED_ENUM = /^Enum "(\w+)" cannot represent non-enum value: "((?:[^"\\]|\\.)*)"\./;

/** The name of the argument or input field whose value starts at `offset` in `body`, and whether it sits in a list. */
function fieldBefore(body: string, offset: number): { name: string; inList: boolean } | null {
  const match = /([_A-Za-z][_0-9A-Za-z]*)\s*:\s*(\[[^\]]*)?$/.exec(body.slice(Math.max(0, offset - 200), offset));
  return match ? { name: match[1], inList: match[2] !== undefined } : null;
}

/** Where the offending value starts in the query text, when graphql-js recorded it. */
function valueOffset(error: unknown): { body: string; offset: number } | null {
  if (!(error instanceof GraphQLError)) return null;
  const node = error.nodes?.[0];
  const body = error.source?.body ?? node?.loc?.source.body;
  const offset = node?.loc?.start ?? error.positions?.[0];
  return body !== undefined && offset !== undefined ? { body, offset } : null;
}

/**
 * Rewrites graphql-js's and graphql-scalars' messages for the two input mistakes newcomers make
 * most, so the message says what to send instead: a date in another format ("9 April 2019" only
 * got "not a valid LocalDate") and an enum value in quotes (`kind: "DIRECT"` got "cannot
 * represent non-enum value ... Did you mean the enum value "DIRECT"?", naming the very value
 * sent). Every other message is returned as it is; codes are not touched.
 */
export function clarifyMessage(message: string, error: unknown, schema: GraphQLSchema): string {
  const quoted = QUOTED_ENUM.exec(message);
  if (quoted) {
    const [, enumName, rawValue] = quoted;
    const value = rawValue.replace(/\\(.)/g, "$1");
    const type = schema.getType(enumName);
    const values = isEnumType(type) ? type.getValues().map((v) => v.name) : [];
    const at = valueOffset(error);
    const field = at ? fieldBefore(at.body, at.offset) : null;
    const written = (v: string): string => (field ? `${field.name}: ${field.inList ? `[${v}]` : v}` : v);
    if (values.includes(value)) {
      return `Enum values are written without quotes: ${written(value)}, not ${written(JSON.stringify(value))} (${enumName} is an enum)`;
    }
    const listed = values.length > 0 && values.length <= 20 ? `; the ${enumName} values are ${values.join(", ")}` : "";
    return `${JSON.stringify(value)} is not a ${enumName} value, and enum values are written without quotes, such as ${written(values[0] ?? "VALUE")}${listed}`;
  }
  if (LOCAL_DATE_REFUSED.test(message) && !message.includes("YYYY-MM-DD")) {
    return `${message.replace(/\.?\s*$/, "")} (${LOCAL_DATE_FORMAT})`;
  }
  return message;
}
