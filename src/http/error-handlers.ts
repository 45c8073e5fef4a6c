/**
 * The HTTP layer's error handlers: what goes wrong before GraphQL runs is answered with the same
 * coded JSON as every GraphQL error. The shaping itself is in `src/errors/normalize.ts`; these
 * only hand it the error and send what it returns.
 */
import type { Duplex } from "node:stream";
import type { ErrorRequestHandler, RequestHandler } from "express";
import { ErrorCode } from "../errors";
import { clientErrorResponse, errorBody, HttpLayerError, httpErrorResponse } from "../errors/normalize";
import type { Logger } from "../logger";

/**
 * Turns errors raised before GraphQL runs (a body that is not JSON, a body over the limit) into
 * GraphQL-shaped JSON errors with a code, instead of Express's HTML error page. Unexpected ones
 * are logged with the request ID.
 */
export function httpErrors(logger: Logger): ErrorRequestHandler {
  return (error: HttpLayerError, _req, res, next) => {
    if (res.headersSent) {
      next(error);
      return;
    }
    const { status, body, unexpected } = httpErrorResponse(error);
    if (unexpected) logger.error({ err: error, requestId: res.getHeader("x-request-id") }, "unexpected error outside GraphQL");
    res.status(status).json(body);
  };
}

/**
 * Answers what Node's HTTP parser refuses before Express runs (for `http.Server`'s
 * `clientError` event) with the same coded JSON as every other error.
 */
export function answerClientError(error: NodeJS.ErrnoException, socket: Duplex): void {
  const response = socket.writable ? clientErrorResponse(error) : null;
  if (response === null) {
    socket.destroy();
    return;
  }
  socket.end(response);
}

/** Answers any path but the API's own with a coded 404 that names the GraphQL endpoint. */
export function notFound(graphqlPath: string): RequestHandler {
  return (_req, res) => {
    res.status(404).json(errorBody(`Not found; the GraphQL endpoint is ${graphqlPath}`, ErrorCode.NOT_FOUND));
  };
}
