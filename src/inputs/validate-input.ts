import { validate, ValidationError } from "class-validator";
import { InputValidationError, ValidationProblem } from "../errors";

function flatten(errors: ValidationError[], path: string, out: ValidationProblem[]): ValidationProblem[] {
  for (const error of errors) {
    const field = /^\d+$/.test(error.property) ? `${path}[${error.property}]` : `${path}.${error.property}`;
    for (const [rule, message] of Object.entries(error.constraints ?? {})) {
      out.push({ field, rule, message });
    }
    if (error.children?.length) flatten(error.children, field, out);
  }
  return out;
}

/** Half of a surrogate pair without its other half (`String.prototype.isWellFormed` is ES2024). */
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

/**
 * Finds strings that are not well-formed Unicode (a lone half of a surrogate pair, which
 * JavaScript strings allow): SQLite would store each as replacement characters, so the text
 * would no longer be what was sent, nor equal its evidence. Also strings holding the NUL
 * character, which no text of the knowledge base has reason to hold and PostgreSQL cannot store
 * in a text column: refused alike on both databases.
 */
function illFormedText(value: unknown, path: string, out: ValidationProblem[]): ValidationProblem[] {
  if (typeof value === "string") {
    if (LONE_SURROGATE.test(value)) out.push({ field: path, rule: "wellFormedText", message: "must be well-formed Unicode text (it holds half of a surrogate pair)" });
    if (value.includes("\u0000")) out.push({ field: path, rule: "noNulCharacter", message: "must not hold the NUL character (U+0000)" });
  } else if (Array.isArray(value)) {
    value.forEach((item, i) => illFormedText(item, `${path}[${i}]`, out));
  } else if (value !== null && typeof value === "object" && !(value instanceof Date)) {
    for (const [key, item] of Object.entries(value)) illFormedText(item, `${path}.${key}`, out);
  }
  return out;
}

/**
 * Validates a mutation's `input` argument with the class-validator rules of its input classes
 * and throws one `BAD_USER_INPUT` error listing every broken rule with its field path
 * (`input.people[2].name`) and rule name. Used as the `validateFn` of each mutation's argument:
 * the schema turns validation off globally (reads need none), and TypeGraphQL's own
 * ArgumentValidationError would put whole class-validator objects, input values included, into
 * the response.
 */
export function validateInput(value: unknown): Promise<void> {
  return check(value);
}

/**
 * Like `validateInput`, and reports `more`'s problems of the input as a whole (such as
 * `addArticle`'s refs) with the others.
 */
export function validateInputWith<T>(more: (value: T) => ValidationProblem[]): (value: unknown) => Promise<void> {
  return (value) => check(value, more as (value: unknown) => ValidationProblem[]);
}

async function check(value: unknown, more?: (value: unknown) => ValidationProblem[]): Promise<void> {
  if (value === null || typeof value !== "object") return;
  const text = illFormedText(value, "input", []);
  if (text.length > 0) throw new InputValidationError(text);
  const errors = await validate(value, {
    // Presence is spelled out per field (see rules.ts), so nothing is skipped implicitly.
    skipMissingProperties: false,
    forbidUnknownValues: false,
    // One message per field: a null name is "cannot be null", not also "must be a string".
    stopAtFirstError: true,
    validationError: { target: false, value: false },
  });
  const problems = flatten(errors, "input", []);
  // Rules of the input as a whole (such as `addArticle`'s refs) are reported with the others.
  if (more) problems.push(...more(value));
  if (problems.length > 0) throw new InputValidationError(problems);
}
