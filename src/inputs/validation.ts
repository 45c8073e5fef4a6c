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

/**
 * Validates a mutation's `input` argument with the class-validator rules of its input classes
 * and throws one `BAD_USER_INPUT` error listing every broken rule with its field path
 * (`input.people[2].name`) and rule name. Used as the `validateFn` of each mutation's argument:
 * the schema turns validation off globally (reads need none), and TypeGraphQL's own
 * ArgumentValidationError would put whole class-validator objects, input values included, into
 * the response.
 */
export async function validateInput(value: unknown): Promise<void> {
  if (value === null || typeof value !== "object") return;
  const errors = await validate(value, {
    // Presence is spelled out per field (see rules.ts), so nothing is skipped implicitly.
    skipMissingProperties: false,
    forbidUnknownValues: false,
    // One message per field: a null name is "cannot be null", not also "must be a string".
    stopAtFirstError: true,
    validationError: { target: false, value: false },
  });
  if (errors.length > 0) throw new InputValidationError(flatten(errors, "input", []));
}
