import http from "node:http";
import { ApolloServer } from "@apollo/server";
import { ApolloServerPluginCacheControlDisabled } from "@apollo/server/plugin/disabled";
import { ApolloServerPluginDrainHttpServer } from "@apollo/server/plugin/drainHttpServer";
import { expressMiddleware } from "@as-integrations/express5";
import cors from "cors";
import express, { Express } from "express";
import { Config } from "./config";
import { Context, createContext } from "./context";
import type { Store } from "./storage/store";
import { formatError } from "./errors/normalize";
import { answerClientError, httpErrors, notFound } from "./http/error-handlers";
import { health, readiness } from "./http/health";
import { FastLane, FastLaneStats } from "./http/fast-lane";
import { graphqlFront, PlainMiddleware } from "./http/graphql-front";
import { armor, LIMITS, nodeLimit, tokenCountCache, tokenLimit } from "./http/limits";
import { ConnectionCap, httpServerOptions } from "./http/overload";
import { playgroundAssets } from "./http/playground";
import { errorReportingPlugin } from "./http/plugins/error-reporting.plugin";
import { landingPagePlugin } from "./http/plugins/landing-page.plugin";
import { loggedStringify, responseBudgetPlugin } from "./http/plugins/response-budget.plugin";
import { statementHeaderPlugin } from "./http/plugins/statement-header.plugin";
import { rateBudget } from "./http/rate-limit";
import { requestId, requestScope } from "./http/request";
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
  /** What the fast lane answered (src/http/fast-lane.ts); null when it is off. */
  fastLane(): FastLaneStats | null;
}

/**
 * Builds the whole server around an open database. Used by `index.ts` and by the tests, which
 * call `apollo.executeOperation` or listen on a free port.
 */
export async function createServer(options: {
  config: Config;
  db: Store;
  logger: Logger;
  /**
   * Whether JSON `POST /graphql` requests and CORS preflights are answered by the `node:http`
   * front (src/http/graphql-front.ts) rather than Express: true unless a test compares the two.
   */
  graphqlFront?: boolean;
  /**
   * Whether the front answers repeated read operations without Apollo's pipeline
   * (src/http/fast-lane.ts): true unless a test compares the two.
   */
  fastLane?: boolean;
}): Promise<AppServer> {
  const { config, db, logger } = options;
  const app = express();
  app.disable("x-powered-by");
  // Express would hash every response body for a weak ETag: a pass over every byte of every
  // GraphQL answer (137 KB for the benchmark's nested query) that no POST client uses.
  app.set("etag", false);
  // Slow clients are cut off (408) and idle keep-alive connections closed at documented limits,
  // and connections beyond MAX_CONNECTIONS get a quick 503 (see src/http/overload.ts).
  // The request listener is set below, once Apollo has started: the `node:http` front for
  // GraphQL, or Express alone.
  const httpServer = http.createServer(httpServerOptions(config));
  httpServer.keepAliveTimeout = config.keepAliveTimeoutMs;
  const connectionCap = new ConnectionCap(httpServer, config.maxConnections);
  // First in line, so a connection over the cap costs the server as little as possible.
  app.use(connectionCap.middleware());
  httpServer.on("clientError", answerClientError);
  const budget = rateBudget(config);
  const limits = armor({ blockFieldSuggestions: config.isProduction });
  const schema = await createSchema();
  const operations = jitGateway(schema, { entries: config.operationCacheEntries });
  const stringify = loggedStringify(db, logger);
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
    formatError: formatError({ isProduction: config.isProduction, schema }),
    stringifyResult: stringify,
    validationRules: limits.validationRules,
    plugins: [
      ...limits.plugins,
      nodeLimit(),
      ...(budget ? [budget.plugin()] : []),
      errorReportingPlugin({ db, logger }),
      responseBudgetPlugin({ db, logger }),
      ApolloServerPluginDrainHttpServer({ httpServer }),
      // Cache hints are unused, and the plugin wraps every field resolver to collect them.
      ApolloServerPluginCacheControlDisabled(),
      landingPagePlugin({ assetPath: ASSET_PATH, graphqlPath: GRAPHQL_PATH }),
      ...(config.exposeQueryStats ? [statementHeaderPlugin({ db })] : []),
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

  const corsMiddleware = cors({
    origin: config.corsOrigins,
    methods: ["GET", "POST"],
    allowedHeaders: ["content-type", "authorization", "apollo-require-preflight", "x-apollo-operation-name", "x-request-id"],
    exposedHeaders: ["x-request-id", "x-sql-statements", "retry-after", "x-ratelimit-limit", "x-ratelimit-remaining", "x-ratelimit-used", "x-ratelimit-reset"],
    maxAge: 600,
  });
  const tokenCounts = tokenCountCache();
  const context = async (authorization: string | undefined): Promise<Context> => createContext(db, config, authorization);

  app.use(requestId());
  app.get("/", (_req, res) => res.redirect(GRAPHQL_PATH));
  app.use(ASSET_PATH, playgroundAssets());
  app.get("/health", health());
  app.get("/ready", readiness({ db, logger }));
  app.use(
    GRAPHQL_PATH,
    // Browsers on other origins may call the API (a frontend is its main client). A preflight is
    // answered here, before Apollo's CSRF check, which would refuse it; the request that follows
    // has a JSON content type or the preflight header, so that check passes.
    corsMiddleware,
    // A client whose budget is spent is refused before its body is read (src/http/rate-limit.ts).
    ...(budget ? [budget.middleware()] : []),
    express.json({ limit: LIMITS.maxBodyBytes }),
    tokenLimit(tokenCounts),
    // Everything the request does from here on runs in its own scope (src/http/request.ts).
    requestScope({ db, queryTimeoutMs: config.queryTimeoutMs }),
    expressMiddleware(apollo, { context: ({ req }) => context(req.headers.authorization) }),
  );

  app.use(notFound(GRAPHQL_PATH));
  // Errors raised before GraphQL runs get the same coded JSON as GraphQL's (src/errors/normalize.ts).
  app.use(httpErrors(logger));

  const fastLane =
    (options.graphqlFront ?? true) && (options.fastLane ?? true)
      ? new FastLane({ operations, schema, budget, db, stringify, exposeQueryStats: config.exposeQueryStats })
      : null;
  // Express alone costs a small request as much as all of GraphQL does (docs/performance.md, Q6):
  // the JSON POSTs every client sends skip it, through the same checks (src/http/graphql-front.ts).
  httpServer.on(
    "request",
    (options.graphqlFront ?? true)
      ? graphqlFront({
          path: GRAPHQL_PATH,
          fallback: app,
          apollo,
          context: (req) => createContext(db, config, req.headers.authorization),
          cors: corsMiddleware as PlainMiddleware,
          budget,
          connectionCap,
          tokenCounts,
          maxBodyBytes: LIMITS.maxBodyBytes,
          db,
          queryTimeoutMs: config.queryTimeoutMs,
          logger,
          fastLane,
        })
      : app,
  );

  return {
    app,
    apollo,
    fastLane: () => fastLane?.stats() ?? null,
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
