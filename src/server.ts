import { randomUUID } from "node:crypto";
import http from "node:http";
import type { Duplex } from "node:stream";
import { ApolloServer, ApolloServerPlugin } from "@apollo/server";
import { ApolloServerPluginCacheControlDisabled } from "@apollo/server/plugin/disabled";
import { ApolloServerPluginDrainHttpServer } from "@apollo/server/plugin/drainHttpServer";
import { expressMiddleware } from "@as-integrations/express5";
import cors from "cors";
import express, { ErrorRequestHandler, Express } from "express";
import { GraphQLError, GraphQLFormattedError, GraphQLSchema } from "graphql";
import { Config } from "./config";
import { Context, createContext } from "./context";
import { Database } from "./db/database";
import { ErrorCode } from "./errors";
import { clarifyMessage } from "./errors/messages";
import { armor, isLimitError, LIMITS, nodeLimit, tokenLimit } from "./http/limits";
import { ConnectionCap, httpServerOptions } from "./http/overload";
import { playgroundAssets, playgroundHtml } from "./http/playground";
import { rateBudget } from "./http/rate-limit";
import { loggedStringify, responseBudgetPlugin } from "./http/plugins/response-budget";
import { Logger } from "./logger";
import { createSchema } from "./schema";
import { jitGateway, OperationCacheStats } from "./schema/jit-executor";

/** The GraphQL endpoint's path. */
export const GRAPHQL_PATH = "/graphql";
const ASSET_PATH = "/playground";

/** A built, not yet listening, server: the Express app, the Apollo server and the HTTP server. */
export interface AppServer {
  app: Express;
  apollo: ApolloServer<Context>;
  httpServer: http.Server;
  /** Starts listening; resolves with the URL of the GraphQL endpoint. */
  listen(port: number, host?: string): Promise<string>;
  /** Stops accepting requests, lets in-flight ones finish and stops Apollo (the database stays open). */
  stop(): Promise<void>;
  /** Entries and estimated bytes of every per-operation cache, each bounded (see `jitGateway`). */
  operationCaches(): OperationCacheStats;
}

/** Reports how many SQL statements each GraphQL request ran, in an `X-SQL-Statements` header. */
function statementHeader(db: Database): ApolloServerPlugin<Context> {
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

function landingPage(): ApolloServerPlugin<Context> {
  return {
    async serverWillStart() {
      return {
        async renderLandingPage() {
          return { html: playgroundHtml(ASSET_PATH, GRAPHQL_PATH) };
        },
      };
    },
  };
}

/** Whether an error is one we did not mean to raise (a bug, a broken database), as opposed to a coded one. */
function isUnexpected(code: unknown): boolean {
  return code === undefined || code === ErrorCode.INTERNAL_SERVER_ERROR;
}

/** graphql-js's own error when more than 50 variable values fail to coerce; it has no code. */
const TOO_MANY_VARIABLE_ERRORS = "Too many errors processing variables, error limit reached. Execution aborted.";

/**
 * The code of an error that Apollo or graphql-js raise without one although the request is at
 * fault: graphql-js's cap on variable errors, and Apollo's persisted-query errors (a hash that
 * does not match the query, an unsupported version), which carry HTTP 400 but no code. Without
 * this they would read as INTERNAL_SERVER_ERROR.
 */
function clientFaultCode(formatted: GraphQLFormattedError, error: unknown): string | undefined {
  if (formatted.message === TOO_MANY_VARIABLE_ERRORS) return ErrorCode.BAD_USER_INPUT;
  const status = error instanceof GraphQLError ? (error.extensions.http as { status?: unknown } | undefined)?.status : undefined;
  return typeof status === "number" && status >= 400 && status < 500 ? ErrorCode.BAD_REQUEST : undefined;
}

/**
 * Shapes every error the client sees: graphql-armor's limit rejections get the
 * QUERY_TOO_COMPLEX code, and in production an unexpected error is reduced to its code and
 * request ID (the log has the details), so no stack trace, SQL or internal message leaks.
 */
function formatError(config: Config, schema: GraphQLSchema) {
  return (formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError => {
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
    if (!config.isProduction) return formatted;
    if (isUnexpected(formatted.extensions?.code)) {
      return { message: "Internal server error", path: formatted.path, extensions: { code: ErrorCode.INTERNAL_SERVER_ERROR } };
    }
    // graphql-armor replaces field suggestions with a placeholder; enum values and arguments have
    // their own suggestions. Neither is left in the message.
    return { ...formatted, message: formatted.message.replace(/ ?Did you mean [^?]*\?/g, "").replace(/ ?\[Suggestion hidden\]\??/g, "") };
  };
}

/**
 * Logs unexpected errors with the request ID, and gives the client that ID in the error, so a
 * report from a user leads straight to the log line with the stack trace.
 */
function errorReporting(db: Database, logger: Logger): ApolloServerPlugin<Context> {
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

/**
 * Turns errors raised before GraphQL runs (a body that is not JSON, a body over the limit) into
 * GraphQL-shaped JSON errors with a code, instead of Express's HTML error page.
 */
function httpErrors(logger: Logger): ErrorRequestHandler {
  return (error: { type?: string; status?: number; limit?: number; body?: unknown }, _req, res, next) => {
    if (res.headersSent) {
      next(error);
      return;
    }
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
      res.status(400).json({ errors: [{ message, extensions: { code: ErrorCode.BAD_USER_INPUT } }] });
      return;
    }
    if (error.type === "entity.too.large") {
      res.status(413).json({
        errors: [{ message: `The request body is larger than the limit of ${error.limit} bytes`, extensions: { code: ErrorCode.BAD_USER_INPUT } }],
      });
      return;
    }
    if (typeof error.status === "number" && error.status >= 400 && error.status < 500) {
      res.status(error.status).json({ errors: [{ message: "The request could not be read", extensions: { code: ErrorCode.BAD_USER_INPUT } }] });
      return;
    }
    logger.error({ err: error, requestId: res.getHeader("x-request-id") }, "unexpected error outside GraphQL");
    res.status(500).json({ errors: [{ message: "Internal server error", extensions: { code: ErrorCode.INTERNAL_SERVER_ERROR } }] });
  };
}

/**
 * Answers what Node's HTTP parser refuses before Express runs (a URL and headers over 16 KB, a
 * malformed request line) with the same coded JSON as every other error, where Node would send
 * a bare status line.
 */
function answerClientError(error: NodeJS.ErrnoException, socket: Duplex): void {
  if (error.code === "ECONNRESET" || !socket.writable) {
    socket.destroy();
    return;
  }
  const [status, message] =
    error.code === "HPE_HEADER_OVERFLOW"
      ? ["431 Request Header Fields Too Large", "The request's URL and headers are larger than the server accepts"]
      : error.code === "ERR_HTTP_REQUEST_TIMEOUT"
        ? ["408 Request Timeout", "The request took too long to arrive"]
        : ["400 Bad Request", "The request is not valid HTTP"];
  const body = JSON.stringify({ errors: [{ message, extensions: { code: ErrorCode.BAD_USER_INPUT } }] });
  socket.end(
    `HTTP/1.1 ${status}\r\ncontent-type: application/json; charset=utf-8\r\ncontent-length: ${Buffer.byteLength(body)}\r\nconnection: close\r\n\r\n${body}`,
  );
}

/**
 * Builds the whole server around an open database. Used by `index.ts` and by the tests, which
 * call `apollo.executeOperation` or listen on a free port.
 */
export async function createServer(options: { config: Config; db: Database; logger: Logger }): Promise<AppServer> {
  const { config, db, logger } = options;
  const app = express();
  app.disable("x-powered-by");
  // Express would hash every response body for a weak ETag: a pass over every byte of every
  // GraphQL answer (137 KB for the benchmark's nested query) that no POST client uses.
  app.set("etag", false);
  // Slow clients are cut off (408) and idle keep-alive connections closed at documented limits,
  // and connections beyond MAX_CONNECTIONS get a quick 503 (see src/http/overload.ts).
  const httpServer = http.createServer(httpServerOptions(config), app);
  httpServer.keepAliveTimeout = config.keepAliveTimeoutMs;
  const connectionCap = new ConnectionCap(httpServer, config.maxConnections);
  // First in line, so a connection over the cap costs the server as little as possible.
  app.use(connectionCap.middleware());
  httpServer.on("clientError", answerClientError);
  const budget = rateBudget(config);
  const limits = armor({ blockFieldSuggestions: config.isProduction });
  const schema = await createSchema();
  const operations = jitGateway(schema, { entries: config.operationCacheEntries });
  const apollo = new ApolloServer<Context>({
    gateway: operations,
    // Bounded by entries and by estimated bytes (see jitGateway): Apollo's defaults size parsed
    // documents by their JSON, a fifth of what they hold, and bound neither cache's entry count.
    documentStore: operations.documentStore,
    persistedQueries: { cache: operations.persistedQueryCache },
    introspection: true,
    csrfPrevention: true,
    // The process owns its signals (src/index.ts closes the database after Apollo stops):
    // Apollo's own handlers would race it, and a second stop() in @apollo/server 5 never resolves.
    stopOnTerminationSignals: false,
    // Only when asked for (STACK_TRACES=true, never in production): a trace in every error of the
    // default development run buried the message in GraphiQL under local file paths.
    includeStacktraceInErrorResponses: config.stackTraces,
    formatError: formatError(config, schema),
    stringifyResult: loggedStringify(db, logger),
    validationRules: limits.validationRules,
    plugins: [
      ...limits.plugins,
      nodeLimit(),
      ...(budget ? [budget.plugin()] : []),
      errorReporting(db, logger),
      responseBudgetPlugin(db, logger),
      ApolloServerPluginDrainHttpServer({ httpServer }),
      // Cache hints are unused, and the plugin wraps every field resolver to collect them.
      ApolloServerPluginCacheControlDisabled(),
      landingPage(),
      ...(config.exposeQueryStats ? [statementHeader(db)] : []),
    ],
  });
  await apollo.start();
  // Said once when a storage problem starts and once when it ends, not once per failing request.
  db.health.onChange((kind, problem) => {
    if (problem) logger.error({ kind, code: problem.code, reason: problem.reason }, `not ready: ${problem.reason}`);
    else logger.info({ kind }, "ready again: the storage problem is over");
  });
  if (config.editorTokens.length === 0) {
    logger.warn("EDITOR_TOKENS is empty: the server is read-only and refuses every mutation");
  } else {
    logger.info({ editors: config.editorTokens.map((t) => t.name) }, "editing enabled for the editors in EDITOR_TOKENS");
  }

  app.use((req, res, next) => {
    // A client's own request ID is kept for tracing across services when it is sane.
    const given = req.get("x-request-id");
    res.setHeader("x-request-id", given && /^[\w.-]{1,64}$/.test(given) ? given : randomUUID());
    next();
  });
  app.get("/", (_req, res) => res.redirect(GRAPHQL_PATH));
  app.use(ASSET_PATH, playgroundAssets());
  app.get("/health", (_req, res) => {
    res.json({ status: "ok" });
  });
  app.get("/ready", async (_req, res) => {
    try {
      await db.probeWrites();
      const [problem] = db.health.current;
      if (problem) {
        res.status(503).json({
          status: problem.kind === "integrity" ? "database damaged" : "writes failing",
          code: problem.code,
          reason: problem.reason,
          since: problem.since.toISOString(),
        });
        return;
      }
      db.get("SELECT 1");
      const pending = await db.dataSource.showMigrations();
      res.status(pending ? 503 : 200).json({ status: pending ? "migrations pending" : "ready" });
    } catch (error) {
      logger.error({ err: error }, "readiness check failed");
      res.status(503).json({ status: "database unreachable" });
    }
  });
  app.use(
    GRAPHQL_PATH,
    // Browsers on other origins may call the API (a frontend is its main client). A preflight is
    // answered here, before Apollo's CSRF check, which would refuse it; the request that follows
    // has a JSON content type or the preflight header, so that check passes.
    cors({
      origin: config.corsOrigins,
      methods: ["GET", "POST"],
      allowedHeaders: ["content-type", "authorization", "apollo-require-preflight", "x-apollo-operation-name", "x-request-id"],
      exposedHeaders: ["x-request-id", "x-sql-statements", "retry-after", "x-ratelimit-limit", "x-ratelimit-remaining", "x-ratelimit-used", "x-ratelimit-reset"],
      maxAge: 600,
    }),
    // A client whose budget is spent is refused before its body is read (src/http/rate-limit.ts).
    ...(budget ? [budget.middleware()] : []),
    express.json({ limit: LIMITS.maxBodyBytes }),
    tokenLimit(),
    // Everything the request does from here on runs in its own scope: its statement count, its
    // deadline (the execution time limit) and its ID for logs and error reports.
    (_req, res, next) =>
      db.statements.perRequest.run(
        {
          count: 0,
          deadline: Date.now() + config.queryTimeoutMs,
          limitMs: config.queryTimeoutMs,
          requestId: String(res.getHeader("x-request-id")),
        },
        next,
      ),
    expressMiddleware(apollo, { context: async ({ req }) => createContext(db, config, req.headers.authorization) }),
  );

  app.use((_req, res) => {
    res.status(404).json({ errors: [{ message: `Not found; the GraphQL endpoint is ${GRAPHQL_PATH}`, extensions: { code: ErrorCode.NOT_FOUND } }] });
  });
  app.use(httpErrors(logger));

  return {
    app,
    apollo,
    httpServer,
    listen: (port, host) =>
      new Promise((resolve, reject) => {
        httpServer.once("error", reject);
        // An explicit backlog (Node's default is 511): connections wait in the kernel's queue
        // rather than overflow it while the server is busy (the kernel caps it at somaxconn).
        httpServer.listen({ port, host, backlog: config.listenBacklog }, () => {
          const address = httpServer.address();
          const actualPort = typeof address === "object" && address ? address.port : port;
          const shownHost = !host || host === "0.0.0.0" || host === "::" ? "localhost" : host;
          resolve(`http://${shownHost}:${actualPort}${GRAPHQL_PATH}`);
        });
      }),
    stop: () => apollo.stop(),
    operationCaches: () => operations.stats(),
  };
}
