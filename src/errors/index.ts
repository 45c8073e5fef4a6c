import { GraphQLError } from "graphql";

/** Every `extensions.code` the API returns; clients can switch on these. */
export enum ErrorCode {
  BAD_USER_INPUT = "BAD_USER_INPUT",
  NOT_FOUND = "NOT_FOUND",
  UNAUTHENTICATED = "UNAUTHENTICATED",
  FORBIDDEN = "FORBIDDEN",
  QUERY_TOO_COMPLEX = "QUERY_TOO_COMPLEX",
  INTERNAL_SERVER_ERROR = "INTERNAL_SERVER_ERROR",
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

/** A look-up named something that does not exist where existence was required. */
export class NotFoundError extends GraphQLError {
  constructor(message: string) {
    super(message, { extensions: { code: ErrorCode.NOT_FOUND } });
  }
}
