import type { ApolloServerPlugin } from "@apollo/server";
import type { Context } from "../../context";
import type { Store } from "../../storage/store";
import { ErrorCode } from "../../errors";
import { isUnexpected } from "../../errors/normalize";
import type { Logger } from "../../logger";

export interface ErrorReportingOptions {
  /** The database whose request scope holds the request ID. */
  db: Store;
  /** Where unexpected errors are logged. */
  logger: Logger;
}

/**
 * Logs unexpected errors with the request ID, and gives the client that ID in the error, so a
 * report from a user leads straight to the log line with the stack trace.
 */
export function errorReportingPlugin(options: ErrorReportingOptions): ApolloServerPlugin<Context> {
  const { db, logger } = options;
  return {
    async requestDidStart() {
      return {
        async didEncounterErrors({ errors, request }) {
          const requestId = db.statements.perRequest.getStore()?.requestId;
          for (const error of errors) {
            if (!isUnexpected(error.extensions?.code)) continue;
            logger.error(
              { requestId, err: error.originalError ?? error, path: error.path, operationName: request.operationName },
              "unexpected error while executing a GraphQL request",
            );
          }
        },
        async willSendResponse({ response }) {
          const requestId = db.statements.perRequest.getStore()?.requestId;
          if (response.body.kind !== "single" || !requestId) return;
          for (const error of response.body.singleResult.errors ?? []) {
            if (error.extensions?.code === ErrorCode.INTERNAL_SERVER_ERROR) {
              (error.extensions as Record<string, unknown>).requestId = requestId;
            }
          }
        },
      };
    },
  };
}
