import type { ApolloServerPlugin } from "@apollo/server";
import type { FormattedExecutionResult } from "graphql";
import type { Context } from "../../context";
import type { Store } from "../../storage/store";
import { ErrorCode } from "../../errors";
import type { Logger } from "../../logger";

export interface ResponseBudgetOptions {
  /** The database whose request scope holds the request ID. */
  db: Store;
  /** Where an answer over the byte budget is logged. */
  logger: Logger;
}

/**
 * Sends a request that failed its budget (an answer over `MAX_RESPONSE_BYTES`, or work past
 * `QUERY_TIMEOUT_MS`) as that one coded error with `data: null`: not the half-built answer,
 * which is useless to the client, and not the many errors of the fields that were stopped. The
 * error names the mutations that committed before the failure (`extensions.committed`), and the
 * answer keeps its other extensions (the rate budget's `cost`). Over
 * the byte budget is logged once per request (at info level: it is the client's doing), with the
 * request ID.
 */
export function responseBudgetPlugin(options: ResponseBudgetOptions): ApolloServerPlugin<Context> {
  const { db, logger } = options;
  const requestId = (): string | undefined => db.statements.perRequest.getStore()?.requestId;
  return {
    async requestDidStart() {
      return {
        async willSendResponse({ contextValue, response, request }) {
          const failure = contextValue.budget?.failure;
          if (!failure || response.body.kind !== "single") return;
          if (failure.extensions.code === ErrorCode.RESPONSE_TOO_LARGE) {
            logger.info(
              { requestId: requestId(), operationName: request.operationName, limitBytes: contextValue.budget.limitBytes },
              "answer stopped: larger than MAX_RESPONSE_BYTES",
            );
          }
          const { committed } = contextValue;
          // A mutation that committed before the answer failed is stored: the client must hear so,
          // or a retry would write it twice.
          const message =
            committed.length > 0
              ? `${failure.message}. Committed before that, and stored: ${committed.join(", ")}; read the records back to see them.`
              : failure.message;
          const extensions = { ...failure.extensions, ...(committed.length > 0 ? { committed: [...committed] } : {}) };
          const kept = response.body.singleResult.extensions;
          response.body.singleResult = { data: null, errors: [{ message, extensions }], ...(kept ? { extensions: kept } : {}) };
        },
      };
    },
    // The two ways a request ends in HTTP 500 without passing `didEncounterErrors`.
    async contextCreationDidFail({ error }) {
      logger.error({ requestId: requestId(), err: error }, "could not build a request's context");
    },
    async unexpectedErrorProcessingRequest({ error }) {
      logger.error({ requestId: requestId(), err: error }, "unexpected error while processing a GraphQL request");
    },
  };
}

/**
 * Apollo's `stringifyResult`: JSON as Apollo writes it, and when that fails (an answer too large
 * for a JavaScript string, which the response budget is there to prevent), the failure is logged
 * with the request ID before Apollo answers HTTP 500. Apollo serializes that 500's own body here
 * too, so its INTERNAL_SERVER_ERROR gets the request ID, as errors in a 200 answer do.
 */
export function loggedStringify(db: Store, logger: Logger): (value: FormattedExecutionResult) => string {
  return (value) => {
    const requestId = db.statements.perRequest.getStore()?.requestId;
    if (requestId && value.data === undefined) {
      for (const error of value.errors ?? []) {
        if (error.extensions?.code === ErrorCode.INTERNAL_SERVER_ERROR && error.extensions.requestId === undefined) {
          (error.extensions as Record<string, unknown>).requestId = requestId;
        }
      }
    }
    try {
      return `${JSON.stringify(value)}\n`;
    } catch (error) {
      logger.error({ requestId, err: error }, "could not serialize the answer: the client gets HTTP 500");
      throw error;
    }
  };
}
