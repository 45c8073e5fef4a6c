import { GraphQLError } from "graphql";

/** Every `extensions.code` the API returns; clients can switch on these. */
export enum ErrorCode {
  BAD_USER_INPUT = "BAD_USER_INPUT",
  /** A request the HTTP layer cannot use (Apollo's own code, e.g. a persisted-query hash mismatch). */
  BAD_REQUEST = "BAD_REQUEST",
  NOT_FOUND = "NOT_FOUND",
  UNAUTHENTICATED = "UNAUTHENTICATED",
  FORBIDDEN = "FORBIDDEN",
  QUERY_TOO_COMPLEX = "QUERY_TOO_COMPLEX",
  QUERY_TIMEOUT = "QUERY_TIMEOUT",
  INTERNAL_SERVER_ERROR = "INTERNAL_SERVER_ERROR",
  /** A mutation refused because of what the knowledge base holds (a delete with dependents). */
  CONFLICT = "CONFLICT",
  /** A write that could not be committed because the disk is full; nothing of it was stored. */
  STORAGE_FULL = "STORAGE_FULL",
  /** A write that could not be committed (an I/O error, a read-only file, a lock held too long); nothing of it was stored. */
  STORAGE_UNAVAILABLE = "STORAGE_UNAVAILABLE",
  /** The database file failed its integrity check; the operator must restore it from a backup. */
  STORAGE_CORRUPT = "STORAGE_CORRUPT",
  /** An answer that grew past `MAX_RESPONSE_BYTES` while it was built; it was not sent. */
  RESPONSE_TOO_LARGE = "RESPONSE_TOO_LARGE",
  /** A client over its budget of cost points for the current window; `retryAfter` says when to come back. */
  RATE_LIMITED = "RATE_LIMITED",
  /**
   * The server is at a capacity limit: its connection cap (`MAX_CONNECTIONS`), or, on PostgreSQL,
   * every pooled database connection busy for the whole wait (`DATABASE_POOL_WAIT_MS`; a write
   * then says `stored: false`). HTTP 503; `retryAfter` says when to come back.
   */
  OVERLOADED = "OVERLOADED",
}

/**
 * The client sent something the API cannot accept: a malformed ID or cursor, a page size out of
 * range, an invalid value. `argument` names the offending argument so clients can point at it.
 */
export class BadUserInputError extends GraphQLError {
  constructor(message: string, argument?: string) {
    super(message, {
      extensions: { code: ErrorCode.BAD_USER_INPUT, ...(argument ? { argument } : {}) },
    });
  }
}

/**
 * A look-up named something that does not exist where existence was required. `field` names the
 * input field that held the unknown ID, when there is one.
 */
export class NotFoundError extends GraphQLError {
  constructor(message: string, field?: string) {
    super(message, { extensions: { code: ErrorCode.NOT_FOUND, ...(field ? { field } : {}) } });
  }
}

/** One broken rule of a mutation input, as listed in `extensions.validationErrors`. */
export interface ValidationProblem {
  /** The path of the offending field inside the argument, such as `input.people[2].name`. */
  field: string;
  /** The name of the rule it breaks, such as `maxLength`, `isWikidataId` or `unique`. */
  rule: string;
  /** A sentence for humans. */
  message: string;
}

/**
 * A mutation input that breaks one or more rules. Every problem names its field and rule, so a
 * form can show each message next to its field; the message joins them for humans.
 */
export class InputValidationError extends GraphQLError {
  readonly problems: ValidationProblem[];

  constructor(problems: ValidationProblem[], argument = "input") {
    super(problems.map((p) => `${p.field}: ${p.message} (${p.rule})`).join("; "), {
      extensions: { code: ErrorCode.BAD_USER_INPUT, argument, validationErrors: problems },
    });
    this.problems = problems;
  }
}

/** The request carries no editor token, and the operation needs one. */
export class UnauthenticatedError extends GraphQLError {
  constructor(message: string) {
    super(message, { extensions: { code: ErrorCode.UNAUTHENTICATED } });
  }
}

/** The request carries a token that is not an editor's, and the operation needs an editor. */
export class ForbiddenError extends GraphQLError {
  constructor(message: string) {
    super(message, { extensions: { code: ErrorCode.FORBIDDEN } });
  }
}

/** What refers to a record that someone tried to delete, by kind. */
export interface Dependents {
  /** The GraphQL type of the referring records, such as `Quote`. */
  type: string;
  /** The field of those records that refers, such as `speaker`. */
  field: string;
  /** How many there are. */
  count: number;
  /** The global IDs of the first few of them. */
  ids: string[];
}

/**
 * A delete refused because other records still refer to the one to delete: the input is fine,
 * the state of the knowledge base is not. Clients fix or delete the dependents named in
 * `extensions.dependents` and retry.
 */
export class ConflictError extends GraphQLError {
  constructor(message: string, dependents: Dependents[]) {
    super(message, { extensions: { code: ErrorCode.CONFLICT, dependents } });
  }
}

/** A request over one of the documented limits (depth, aliases, tokens, nodes). */
export class QueryTooComplexError extends GraphQLError {
  constructor(message: string, details: Record<string, unknown> = {}) {
    super(message, { extensions: { code: ErrorCode.QUERY_TOO_COMPLEX, ...details, http: { status: 400 } } });
  }
}

/**
 * A client over its budget of cost points for the current window (`RATE_LIMIT_POINTS` per
 * `RATE_LIMIT_WINDOW_S`): nothing of the request ran. HTTP 429 with a `Retry-After` header;
 * `retryAfter` says the same in seconds, `resetAt` when the budget is full again.
 */
export class RateLimitedError extends GraphQLError {
  constructor(message: string, retryAfter: number, resetAt: string) {
    super(message, {
      extensions: {
        code: ErrorCode.RATE_LIMITED,
        retryAfter,
        resetAt,
        http: { status: 429, headers: new Map([["retry-after", String(retryAfter)]]) },
      },
    });
  }
}

/** A request that ran past the execution time limit; what had not run yet was not run. */
export class QueryTimeoutError extends GraphQLError {
  constructor(limitMs: number) {
    super(`The request ran longer than the limit of ${limitMs} ms and was stopped`, {
      extensions: { code: ErrorCode.QUERY_TIMEOUT, limitMs },
    });
  }
}

/**
 * An answer that grew past `MAX_RESPONSE_BYTES` while it was being built: it was stopped there,
 * so the memory it would have taken was never spent, and none of it is sent.
 */
export class ResponseTooLargeError extends GraphQLError {
  constructor(limitBytes: number) {
    super(
      `The answer grew past the limit of ${limitBytes} bytes and was stopped; ask for fewer fields, smaller pages or fewer nested lists`,
      { extensions: { code: ErrorCode.RESPONSE_TOO_LARGE, limitBytes } },
    );
  }
}
