import type { ApolloServerPlugin } from "@apollo/server";
import type { Context } from "../../context";
import type { Store } from "../../storage/store";

export interface StatementHeaderOptions {
  /** The database whose request scope counts the statements. */
  db: Store;
}

/** Reports how many SQL statements each GraphQL request ran, in an `X-SQL-Statements` header. */
export function statementHeaderPlugin(options: StatementHeaderOptions): ApolloServerPlugin<Context> {
  const { db } = options;
  return {
    async requestDidStart() {
      return {
        async willSendResponse({ response }) {
          const request = db.statements.perRequest.getStore();
          if (request) response.http.headers.set("x-sql-statements", String(request.count));
        },
      };
    },
  };
}
