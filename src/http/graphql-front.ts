/**
 * The `node:http` front of the GraphQL endpoint. A JSON `POST /graphql` (what every GraphQL
 * client sends) and the CORS preflight before it are answered here, straight through Apollo's
 * `executeHTTPGraphQLRequest`; every other request goes to the Express app as before. Express
 * with its middleware cost a small request about as much as everything GraphQL does (issue 18:
 * the Express baseline with no GraphQL at all answers half what plain `node:http` does).
 *
 * What Express does on that path is done here with the same modules and the same observable
 * result: the connection cap (a connection over it goes to Express, which refuses it), the
 * request ID, the same `cors` middleware, the rate budget (`RateBudget.admit`), the body limit and
 * the coded errors of a body that is not JSON or too large (as body-parser reports them, shaped by
 * `httpErrorResponse`), the token limit (`tokenLimitRefusal`), the request scope (`scopeFor`)
 * and the answer as `@as-integrations/express5` and Express's `res.send` write it.
 * test/graphql-front.test.ts compares the two paths.
 */
import type http from "node:http";
import querystring from "node:querystring";
import { HeaderMap, type ApolloServer, type HTTPGraphQLRequest } from "@apollo/server";
import type { Context } from "../context";
import { httpErrorResponse, type HttpLayerError } from "../errors/normalize";
import type { Logger } from "../logger";
import type { BoundedCache } from "../schema/jit-executor";
import type { Store } from "../storage/store";
import type { FastLane, FastOutcome } from "./fast-lane";
import { tokenLimitRefusal } from "./limits";
import type { ConnectionCap } from "./overload";
import type { Charge, RateBudget } from "./rate-limit";
import { requestIdFor, scopeFor } from "./request";

/** A Connect-style middleware (the `cors` package's), run here on the bare request and response. */
export type PlainMiddleware = (req: http.IncomingMessage, res: http.ServerResponse, next: (error?: unknown) => void) => void;

export interface GraphQLFrontOptions {
  /** The GraphQL endpoint's path (`/graphql`): only that exact path, with or without a query string, is taken here. */
  path: string;
  /** Everything else: the Express app. */
  fallback: http.RequestListener;
  apollo: ApolloServer<Context>;
  /** Builds a request's context, as the Express route's `context` option does. */
  context: (req: http.IncomingMessage) => Context;
  /** The very `cors` middleware the Express route uses. */
  cors: PlainMiddleware;
  /** The rate budget, or null when it is off. */
  budget: RateBudget | null;
  /** The connection cap: a request on a connection over it goes to Express, which answers 503. */
  connectionCap: ConnectionCap;
  /** The token limit's cache of counts, shared with the Express route's `tokenLimit`. */
  tokenCounts: BoundedCache<number>;
  /** The largest body accepted, in bytes (larger: 413, as `express.json`'s limit). */
  maxBodyBytes: number;
  /** Whose request scope (statement count, deadline, ID) the request runs in. */
  db: Store;
  /** The execution time limit (`QUERY_TIMEOUT_MS`). */
  queryTimeoutMs: number;
  /** Where an unexpected error outside GraphQL is logged, as `httpErrors` does. */
  logger: Logger;
  /** Answers repeated read operations without Apollo's pipeline (src/http/fast-lane.ts); null: Apollo answers all. */
  fastLane: FastLane | null;
}

const ASK_APOLLO: FastOutcome = { kind: "apollo" };

/**
 * The JSON content types `express.json` parses as UTF-8, and nothing more: any other (another
 * charset, a malformed header, a body it would not parse at all) goes to Express, which decides.
 */
const JSON_TYPE = /^application\/json[ \t]*(;[ \t]*charset[ \t]*=[ \t]*("utf-8"|utf-8)[ \t]*)?$/i;

/** What `express.json` (body-parser in strict mode) sees as the first character of a JSON body. */
const FIRST_CHAR = /^[ \t\n\r]*([^ \t\n\r])/;

/** The server's request listener: the fast path for GraphQL, Express for the rest. */
export function graphqlFront(options: GraphQLFrontOptions): http.RequestListener {
  const { path, fallback, cors, budget, connectionCap } = options;
  const pathWithQuery = `${path}?`;
  return (req, res) => {
    const url = req.url ?? "";
    const method = req.method;
    if (
      (url !== path && !url.startsWith(pathWithQuery)) ||
      (method !== "OPTIONS" && !(method === "POST" && isPlainJson(req))) ||
      connectionCap.isOver(req.socket)
    ) {
      fallback(req, res);
      return;
    }
    res.setHeader("x-request-id", requestIdFor(req.headers["x-request-id"]));
    cors(req, res, (error) => {
      if (error !== undefined) {
        fail(options, req, res, error);
        return;
      }
      // `cors` ends every OPTIONS request itself; anything else continues here.
      if (method !== "POST") {
        fallback(req, res);
        return;
      }
      if (!budget) {
        readBody(options, req, res, null);
        return;
      }
      budget.admit(req, res).then(
        (admitted) => {
          if ("refusal" in admitted) {
            const { status, headers, body } = admitted.refusal;
            sendJson(req, res, status, body, headers);
          } else {
            readBody(options, req, res, admitted.charge);
          }
        },
        (failure: unknown) => fail(options, req, res, failure),
      );
    });
  };
}

/** A `POST` whose body `express.json` would parse as UTF-8 JSON, with no content encoding. */
function isPlainJson(req: http.IncomingMessage): boolean {
  const type = req.headers["content-type"];
  const encoding = req.headers["content-encoding"];
  return type !== undefined && JSON_TYPE.test(type) && (encoding === undefined || encoding.toLowerCase() === "identity");
}

/**
 * Reads and parses the body as `express.json({ limit })` does (body-parser 2 and raw-body): no
 * body (neither a length nor chunked) leaves it undefined, an empty one is `{}`, a declared or
 * received length over the limit is 413 once the rest is read off, and a body that is not a JSON
 * object or array is 400 with the body's text for `httpErrorResponse`.
 */
function readBody(options: GraphQLFrontOptions, req: http.IncomingMessage, res: http.ServerResponse, charge: Charge | null): void {
  const limit = options.maxBodyBytes;
  const declared = req.headers["content-length"];
  const hasBody = req.headers["transfer-encoding"] !== undefined || !Number.isNaN(Number(declared));
  if (!hasBody) {
    proceed(options, req, res, charge, undefined);
    return;
  }
  const length = declared === undefined ? null : Number(declared);
  const tooLarge = (): void => dump(req, () => fail(options, req, res, { type: "entity.too.large", status: 413, limit }));
  if (length !== null && length > limit) {
    tooLarge();
    return;
  }
  const chunks: Buffer[] = [];
  let received = 0;
  let done = false;
  const onData = (chunk: Buffer): void => {
    if (done) return;
    received += chunk.length;
    if (received > limit) {
      done = true;
      cleanup();
      tooLarge();
      return;
    }
    chunks.push(chunk);
  };
  const onEnd = (): void => {
    if (done) return;
    done = true;
    cleanup();
    if (length !== null && received !== length) {
      fail(options, req, res, { type: "request.size.invalid", status: 400 });
      return;
    }
    // iconv-lite, which body-parser decodes with, drops a byte-order mark.
    let text = (chunks.length === 1 ? chunks[0] : Buffer.concat(chunks)).toString("utf8");
    if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
    let body: unknown;
    if (text.length === 0) {
      body = {};
    } else {
      const first = FIRST_CHAR.exec(text)?.[1];
      try {
        if (first !== "{" && first !== "[") throw new SyntaxError("strict violation");
        body = JSON.parse(text);
      } catch {
        fail(options, req, res, { type: "entity.parse.failed", status: 400, body: text });
        return;
      }
    }
    proceed(options, req, res, charge, body);
  };
  const onAborted = (): void => {
    // The client is gone; there is no one to answer (raw-body's "request aborted").
    done = true;
    cleanup();
  };
  const cleanup = (): void => {
    req.off("data", onData);
    req.off("end", onEnd);
    req.off("aborted", onAborted);
    req.off("error", onAborted);
  };
  req.on("data", onData);
  req.on("end", onEnd);
  req.on("aborted", onAborted);
  req.on("error", onAborted);
}

/** Reads off what is left of a request, then calls `then`, as body-parser does before it answers 413. */
function dump(req: http.IncomingMessage, then: () => void): void {
  if (req.complete || req.readableEnded) {
    then();
    return;
  }
  req.once("end", then);
  req.once("close", () => {
    if (!req.complete) req.off("end", then);
  });
  req.resume();
}

/** The token limit, then GraphQL in the request's scope (and, with a budget, as its charge). */
function proceed(options: GraphQLFrontOptions, req: http.IncomingMessage, res: http.ServerResponse, charge: Charge | null, body: unknown): void {
  const url = req.url ?? "";
  const at = url.indexOf("?");
  const search = at === -1 ? "" : url.slice(at);
  const params = at === -1 ? {} : (querystring.parse(url.slice(at + 1)) as { query?: unknown; variables?: unknown });
  const refusal = tokenLimitRefusal(body as { query?: unknown; variables?: unknown } | undefined, params, options.tokenCounts);
  if (refusal) {
    sendJson(req, res, refusal.status, refusal.body);
    return;
  }
  const run = (): void => {
    const scope = scopeFor(options.queryTimeoutMs, String(res.getHeader("x-request-id")));
    options.db.statements.perRequest.run(scope, () => execute(options, req, res, search, body));
  };
  if (charge && options.budget) options.budget.runCharged(charge, run);
  else run();
}

/**
 * The fast lane's answer, or Apollo's, written as `@as-integrations/express5` and Express's
 * `res.send` write it. A fast-lane answer ready at once is sent at once, without a promise.
 */
function execute(options: GraphQLFrontOptions, req: http.IncomingMessage, res: http.ServerResponse, search: string, body: unknown): void {
  let outcome: FastOutcome | Promise<FastOutcome>;
  try {
    outcome = options.fastLane && search === "" ? options.fastLane.answer(req.headers, body, () => options.context(req)) : ASK_APOLLO;
  } catch (error) {
    fail(options, req, res, error);
    return;
  }
  if (outcome instanceof Promise) {
    outcome.then(
      (settled) => respond(options, req, res, search, body, settled),
      (error: unknown) => fail(options, req, res, error),
    );
  } else {
    respond(options, req, res, search, body, outcome);
  }
}

function respond(options: GraphQLFrontOptions, req: http.IncomingMessage, res: http.ServerResponse, search: string, body: unknown, outcome: FastOutcome): void {
  if (outcome.kind === "answered") {
    for (const [key, value] of outcome.headers) res.setHeader(key, value);
    res.statusCode = 200;
    sendText(res, outcome.body);
    return;
  }
  askApollo(options, req, res, search, body, outcome.context).catch((error: unknown) => fail(options, req, res, error));
}

/** Apollo's answer, written as `@as-integrations/express5` and Express's `res.send` write it. */
async function askApollo(
  options: GraphQLFrontOptions,
  req: http.IncomingMessage,
  res: http.ServerResponse,
  search: string,
  body: unknown,
  given: Context | undefined,
): Promise<void> {
  const headers = new HeaderMap();
  for (const [key, value] of Object.entries(req.headers)) {
    if (value !== undefined) headers.set(key, Array.isArray(value) ? value.join(", ") : value);
  }
  const httpGraphQLRequest: HTTPGraphQLRequest = { method: "POST", headers, search, body };
  const context = async (): Promise<Context> => given ?? options.context(req);
  const response = await options.apollo.executeHTTPGraphQLRequest({ httpGraphQLRequest, context });
  options.fastLane?.learn(req.headers.accept, response.status, response.headers.get("content-type"));
  for (const [key, value] of response.headers) res.setHeader(key, value);
  res.statusCode = response.status || 200;
  if (response.body.kind === "complete") {
    sendText(res, response.body.string);
    return;
  }
  for await (const chunk of response.body.asyncIterator) res.write(chunk);
  res.end();
}

/** A string answer as Express's `res.send` sends it. */
function sendText(res: http.ServerResponse, text: string): void {
  const type = res.getHeader("content-type");
  // Express's `res.send` of a string: HTML unless a type is set, and always with a charset.
  if (type === undefined) res.setHeader("content-type", "text/html; charset=utf-8");
  else if (!/;\s*charset=/i.test(String(type))) res.setHeader("content-type", `${String(type)}; charset=utf-8`);
  // As `res.send` does: a long answer is encoded once, into the buffer that is sent, rather
  // than measured in one pass and encoded again by the socket (8% of Q2's throughput).
  if (text.length < 1000) {
    res.setHeader("content-length", Buffer.byteLength(text));
    res.end(text);
  } else {
    const bytes = Buffer.from(text, "utf8");
    res.setHeader("content-length", bytes.length);
    res.end(bytes);
  }
}

/**
 * A coded JSON answer as Express's `res.status(status).json(body)` sends it: the same JSON text,
 * `application/json; charset=utf-8` and a content length.
 */
function sendJson(req: http.IncomingMessage, res: http.ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = JSON.stringify(body);
  for (const [name, value] of Object.entries(headers)) res.setHeader(name, value);
  res.statusCode = status;
  if (!res.hasHeader("content-type")) res.setHeader("content-type", "application/json; charset=utf-8");
  res.setHeader("content-length", Buffer.byteLength(text));
  res.end(req.method === "HEAD" ? undefined : text);
}

/** What Express's `httpErrors` handler does with an error raised before GraphQL runs. */
function fail(options: GraphQLFrontOptions, req: http.IncomingMessage, res: http.ServerResponse, error: unknown): void {
  if (res.headersSent) {
    // Express's default handler for an error after the answer has started: close the connection.
    req.socket.destroy();
    return;
  }
  const { status, body, unexpected } = httpErrorResponse(error as HttpLayerError);
  if (unexpected) options.logger.error({ err: error, requestId: res.getHeader("x-request-id") }, "unexpected error outside GraphQL");
  sendJson(req, res, status, body);
}
