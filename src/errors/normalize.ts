/**
 * Error normalization: the one place that turns whatever was thrown into what the client sees,
 * an error with a code in `extensions.code` (see `ErrorCode`), as Apollo's `errorNormalize.ts`
 * does for its own errors. Each layer that catches errors calls in here:
 *
 * - the database (`ownRealm`): a native module's error becomes an Error of this realm;
 * - the editing service (`constraintError`): SQLite's constraint errors become coded ones;
 * - the executor (`withGraphQLErrors`): graphql-jit's errors become graphql-js's;
 * - Apollo (`formatError`): every GraphQL error gets its final code and message;
 * - HTTP, before GraphQL runs (`httpErrorResponse`, `clientErrorResponse`): a body Express could
 *   not read, or a request Node's parser refused, gets the same coded JSON.
 *
 * This module imports nothing of the server's own but the codes and messages beside it, so that
 * every layer, the database included, can use it without an import cycle.
 */
import { ExecutionResult, GraphQLError, GraphQLFormattedError, GraphQLSchema } from "graphql";
import { QueryFailedError } from "typeorm";
import { ConflictError, ErrorCode, InputValidationError } from "./index";
import { clarifyMessage } from "./messages";

/**
 * Makes sure a thrown value is an Error of this realm. better-sqlite3 is a native module, loaded
 * once per process; when a host runs code in several realms (jest's per-file contexts), its
 * errors fail `instanceof Error` there, and graphql-js would report them as "Unexpected error
 * value" without their message.
 */
export function ownRealm(error: unknown): unknown {
  if (error instanceof Error) return error;
  const { name, message, code } = (error ?? {}) as { name?: unknown; message?: unknown; code?: unknown };
  const copy = new Error(String(message ?? error));
  copy.name = typeof name === "string" ? name : "Error";
  return Object.assign(copy, code === undefined ? {} : { code });
}

/**
 * SQLite's own constraint errors, should one get past the editing checks (they name no field, so
 * the checks run first): reported as coded errors instead of an internal error with SQL in it.
 * Any other error is returned as it is.
 */
export function constraintError(error: unknown): unknown {
  if (!(error instanceof QueryFailedError)) return error;
  const code = (error.driverError as { code?: string } | undefined)?.code ?? "";
  if (code === "SQLITE_CONSTRAINT_UNIQUE" || code === "SQLITE_CONSTRAINT_PRIMARYKEY") {
    return new InputValidationError([{ field: "input", rule: "unique", message: "a record with the same unique values already exists" }]);
  }
  if (code === "SQLITE_CONSTRAINT_FOREIGNKEY") {
    return new ConflictError("the change would leave a reference to a record that does not exist", []);
  }
  return error;
}

/**
 * graphql-jit reports errors with its own error class, which has no `extensions` unless the
 * thrown error had some; Apollo and `formatError` expect graphql-js's own, which always has them
 * and takes the code of the error a resolver threw.
 */
export function withGraphQLErrors(result: ExecutionResult): ExecutionResult {
  if (!result.errors?.length) return result;
  const errors = result.errors.map((e) => {
    const error = new GraphQLError(e.message, { path: e.path, originalError: e.originalError ?? undefined });
    return Object.assign(error, { locations: e.locations });
  });
  return { ...result, errors };
}

/** Whether an error is one we did not mean to raise (a bug, a broken database), as opposed to a coded one. */
export function isUnexpected(code: unknown): boolean {
  return code === undefined || code === ErrorCode.INTERNAL_SERVER_ERROR;
}

/** graphql-armor's rejections (its depth, alias and directive limits), which carry no code of their own. */
const ARMOR_MESSAGES = /^Syntax Error: (Query depth limit|Aliases limit|Directives limit)/;

/** Recognizes graphql-armor's rejections, which carry no code of their own. */
export function isLimitError(message: string): boolean {
  return ARMOR_MESSAGES.test(message);
}

/** graphql-js's own error when more than 50 variable values fail to coerce; it has no code. */
const TOO_MANY_VARIABLE_ERRORS = "Too many errors processing variables, error limit reached. Execution aborted.";

/**
 * The code of an error that Apollo or graphql-js raise without one although the request is at
 * fault: graphql-js's cap on variable errors, and Apollo's persisted-query errors (a hash that
 * does not match the query, an unsupported version), which carry HTTP 400 but no code. Without
 * this they would read as INTERNAL_SERVER_ERROR.
 */
export function clientFaultCode(formatted: GraphQLFormattedError, error: unknown): string | undefined {
  if (formatted.message === TOO_MANY_VARIABLE_ERRORS) return ErrorCode.BAD_USER_INPUT;
  const status = error instanceof GraphQLError ? (error.extensions.http as { status?: unknown } | undefined)?.status : undefined;
  return typeof status === "number" && status >= 400 && status < 500 ? ErrorCode.BAD_REQUEST : undefined;
}

/** What `formatError` needs to know of the server. */
export interface FormatErrorOptions {
  /** In production an unexpected error is reduced to its code, and suggestions are removed. */
  isProduction: boolean;
  /** The schema, for clearer messages about refused values (see `clarifyMessage`). */
  schema: GraphQLSchema;
}

/**
 * Shapes every error the client sees (Apollo's `formatError`): graphql-armor's limit rejections
 * get the QUERY_TOO_COMPLEX code, and in production an unexpected error is reduced to its code
 * and request ID (the log has the details), so no stack trace, SQL or internal message leaks.
 */
export function formatError(options: FormatErrorOptions): (formatted: GraphQLFormattedError, error: unknown) => GraphQLFormattedError {
  const { isProduction, schema } = options;
  return (formatted, error) => {
    // A refused date names its format, and a quoted enum value says to drop the quotes.
    const clarified = clarifyMessage(formatted.message, error, schema);
    if (clarified !== formatted.message) formatted = { ...formatted, message: clarified };
    if (isLimitError(formatted.message)) {
      // graphql-armor words its limits as syntax errors; the query's syntax is fine.
      const message = formatted.message.replace(/^Syntax Error: /, "");
      return { ...formatted, message, extensions: { ...formatted.extensions, code: ErrorCode.QUERY_TOO_COMPLEX } };
    }
    const clientCode = isUnexpected(formatted.extensions?.code) ? clientFaultCode(formatted, error) : undefined;
    if (clientCode) formatted = { ...formatted, extensions: { ...formatted.extensions, code: clientCode } };
    if (!isProduction) return formatted;
    if (isUnexpected(formatted.extensions?.code)) {
      return { message: "Internal server error", path: formatted.path, extensions: { code: ErrorCode.INTERNAL_SERVER_ERROR } };
    }
    // graphql-armor replaces field suggestions with a placeholder; enum values and arguments have
    // their own suggestions. Neither is left in the message.
    return { ...formatted, message: formatted.message.replace(/ ?Did you mean [^?]*\?/g, "").replace(/ ?\[Suggestion hidden\]\??/g, "") };
  };
}

/** A GraphQL-shaped error body with one coded error, as every HTTP-level refusal sends. */
export interface ErrorBody {
  errors: Array<{ message: string; extensions: { code: ErrorCode } }>;
}

/** One coded error as the body of an HTTP response. */
export function errorBody(message: string, code: ErrorCode): ErrorBody {
  return { errors: [{ message, extensions: { code } }] };
}

/** An error HTTP middleware raised before GraphQL ran, as Express passes it on. */
export interface HttpLayerError {
  type?: string;
  status?: number;
  limit?: number;
  body?: unknown;
}

/** The answer to an error raised before GraphQL runs; `unexpected` when it is worth logging. */
export interface HttpErrorResponse {
  status: number;
  body: ErrorBody;
  unexpected: boolean;
}

/**
 * The coded answer to an error raised before GraphQL runs (a body that is not JSON, a body over
 * the limit), instead of Express's HTML error page.
 */
export function httpErrorResponse(error: HttpLayerError): HttpErrorResponse {
  if (error.type === "entity.parse.failed") {
    // The JSON parser refuses valid JSON that is not an object or array (`null`, `"x"`) too.
    let json = false;
    try {
      JSON.parse(String(error.body));
      json = true;
    } catch {
      // Not JSON at all.
    }
    const message = json
      ? `The request body must be a JSON object, such as {"query": "{ people { totalCount } }"}`
      : "The request body is not valid JSON";
    return { status: 400, body: errorBody(message, ErrorCode.BAD_USER_INPUT), unexpected: false };
  }
  if (error.type === "entity.too.large") {
    return {
      status: 413,
      body: errorBody(`The request body is larger than the limit of ${error.limit} bytes`, ErrorCode.BAD_USER_INPUT),
      unexpected: false,
    };
  }
  if (typeof error.status === "number" && error.status >= 400 && error.status < 500) {
    return { status: error.status, body: errorBody("The request could not be read", ErrorCode.BAD_USER_INPUT), unexpected: false };
  }
  return { status: 500, body: errorBody("Internal server error", ErrorCode.INTERNAL_SERVER_ERROR), unexpected: true };
}

/**
 * The raw HTTP response to what Node's HTTP parser refuses before Express runs (a URL and headers
 * over 16 KB, a malformed request line): the same coded JSON as every other error, where Node
 * would send a bare status line. Null when the connection is gone and there is no one to answer.
 */
export function clientErrorResponse(error: NodeJS.ErrnoException): string | null {
  if (error.code === "ECONNRESET") return null;
  const [status, message] =
    error.code === "HPE_HEADER_OVERFLOW"
      ? ["431 Request Header Fields Too Large", "The request's URL and headers are larger than the server accepts"]
      : error.code === "ERR_HTTP_REQUEST_TIMEOUT"
        ? ["408 Request Timeout", "The request took too long to arrive"]
        : ["400 Bad Request", "The request is not valid HTTP"];
  const body = JSON.stringify(errorBody(message, ErrorCode.BAD_USER_INPUT));
  return `HTTP/1.1 ${status}\r\ncontent-type: application/json; charset=utf-8\r\ncontent-length: ${Buffer.byteLength(body)}\r\nconnection: close\r\n\r\n${body}`;
}
