import type http from "node:http";
import type { Socket } from "node:net";
import type { RequestHandler } from "express";
import type { Config } from "../config";
import { ErrorCode } from "../errors";

/** Paths answered even on a connection over the cap: the health checks. */
const HEALTH_PATHS: ReadonlySet<string> = new Set(["/health", "/ready"]);

/** How long a client turned away at the connection cap is asked to wait, in seconds. */
export const OVERLOAD_RETRY_AFTER_S = 1;

/**
 * The HTTP server's own limits on slow and idle clients, from the configuration: Node's
 * defaults hold a request trickling in a byte at a time for 300 s. Node checks these limits
 * every `connectionsCheckingInterval` (30 s by default, which would let a 1 s limit run to
 * 31 s): here at least every second, more often for shorter limits.
 */
export function httpServerOptions(config: Pick<Config, "requestTimeoutMs" | "headersTimeoutMs">): http.ServerOptions {
  const limits = [config.requestTimeoutMs, config.headersTimeoutMs].filter((ms) => ms > 0);
  return {
    requestTimeout: config.requestTimeoutMs,
    headersTimeout: config.headersTimeoutMs,
    connectionsCheckingInterval: Math.max(50, Math.min(1000, ...limits.map((ms) => Math.floor(ms / 4)))),
  };
}

/**
 * The connection cap (`MAX_CONNECTIONS`). Under a flood the server answers a request on a
 * connection beyond the cap at once with 503, `Retry-After` and a coded JSON body, and closes
 * that connection, rather than letting every client wait in a queue it cannot drain (500
 * connections once meant listen-queue overflows and a 15 s p99 for everyone). Past twice the cap
 * Node closes new connections unanswered (`server.maxConnections`), which bounds the sockets and
 * file descriptors a flood can hold.
 */
export class ConnectionCap {
  private open = 0;
  private readonly over = new WeakSet<Socket>();

  constructor(
    server: http.Server,
    private readonly max: number,
  ) {
    if (max <= 0) return;
    server.maxConnections = 2 * max;
    server.on("connection", (socket: Socket) => {
      this.open += 1;
      if (this.open > max) this.over.add(socket);
      socket.once("close", () => {
        this.open -= 1;
      });
    });
  }

  /** Open connections now, as counted for the cap. */
  get connections(): number {
    return this.open;
  }

  /** Whether a connection is one beyond the cap, whose requests (but health checks) get a 503. */
  isOver(socket: Socket): boolean {
    return this.over.has(socket);
  }

  /**
   * Express middleware, first in line: a request on a connection beyond the cap gets its 503
   * here. Health checks are still answered: a liveness probe failing under load would have the
   * orchestrator restart a server that is merely busy.
   */
  middleware(): RequestHandler {
    return (req, res, next) => {
      if (!this.over.has(req.socket) || HEALTH_PATHS.has(req.path)) {
        next();
        return;
      }
      res.set({ connection: "close", "retry-after": String(OVERLOAD_RETRY_AFTER_S) });
      res.status(503).json({
        errors: [
          {
            message: `The server is at its limit of ${this.max} open connections; retry after ${OVERLOAD_RETRY_AFTER_S} s`,
            extensions: { code: ErrorCode.OVERLOADED, retryAfter: OVERLOAD_RETRY_AFTER_S },
          },
        ],
      });
    };
  }
}
