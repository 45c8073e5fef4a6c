import { AsyncLocalStorage } from "node:async_hooks";
import net from "node:net";
import type { ApolloServerPlugin } from "@apollo/server";
import type { Request, RequestHandler } from "express";
import { RateLimiterMemory, RateLimiterRes } from "rate-limiter-flexible";
import { authenticate } from "../auth";
import type { Config } from "../config";
import type { Context } from "../context";
import { ErrorCode, QueryTooComplexError, RateLimitedError } from "../errors";
import { LIMITS, operationNodes } from "./limits";

/** Nodes per cost point: GitHub's rule, a request costs its node count divided by 100, rounded up. */
export const NODES_PER_POINT = 100;

/** What a request costs: one point per 100 nodes it may touch (as `nodeLimit` counts them), at least one. */
export function costOf(nodes: number): number {
  return Math.max(1, Math.ceil(nodes / NODES_PER_POINT));
}

/**
 * What every answer over HTTP says about the budget, as `extensions.cost` (Shopify's
 * requested and actual cost, GitHub's limit, remaining and reset time).
 */
export interface CostReport {
  /** What the request would cost to run: its nodes / 100, at least 1. */
  requestedCost: number;
  /** The points taken from the budget: the requested cost when it ran, 1 when it was refused or never reached execution. */
  actualCost: number;
  /** The nodes the request may touch, when its operation was read (null for a request that failed to parse or validate). */
  nodeCount: number | null;
  /** The budget per window (`RATE_LIMIT_POINTS`). */
  limit: number;
  /** Points left in the current window. */
  remaining: number;
  /** When the current window ends and the budget is full again (ISO 8601). */
  resetAt: string;
}

/** One HTTP request's dealings with the budget, shared by the middleware and the Apollo plugin. */
export interface Charge {
  key: string;
  requestedCost: number | null;
  nodeCount: number | null;
  actualCost: number;
  state: RateLimiterRes | null;
  /** Charged by the fast lane before Apollo saw the request: Apollo's plugin must not charge it again. */
  prepaid: boolean;
}

/**
 * The address to charge for an IPv6 client: its /64 network, which one subscriber usually
 * holds whole (charging single addresses would let them rotate through 2^64 of them).
 */
function ipv6Network(address: string): string {
  const [head, tail] = address.toLowerCase().split("%")[0].split("::") as [string, string | undefined];
  const groups = (part: string | undefined): string[] =>
    !part ? [] : part.split(":").flatMap((group) => (group.includes(".") ? ["0", "0"] : [group]));
  const before = groups(head);
  const after = groups(tail);
  const full = [...before, ...Array<string>(Math.max(0, 8 - before.length - after.length)).fill("0"), ...after];
  return `${full
    .slice(0, 4)
    .map((group) => parseInt(group, 16).toString(16))
    .join(":")}::/64`;
}

/**
 * Who to charge for an anonymous request: the peer's address, or with `TRUST_PROXY` the last
 * address in `X-Forwarded-For`, the one our proxy added (earlier ones are the client's own
 * claims). An IPv4 address mapped into IPv6 counts as the IPv4 address.
 */
export function clientAddress(req: Pick<Request, "headers" | "socket">, trustProxy: boolean): string {
  let address = req.socket.remoteAddress ?? "unknown";
  if (trustProxy) {
    const forwarded = String(req.headers["x-forwarded-for"] ?? "")
      .split(",")
      .map((entry) => entry.trim())
      .filter((entry) => entry.length > 0)
      .pop();
    if (forwarded && net.isIP(forwarded)) address = forwarded;
  }
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  if (mapped) return mapped[1];
  return net.isIPv6(address) ? ipv6Network(address) : address;
}

/**
 * The per-client budget of cost points (GitHub's 5,000 points an hour): each editor, by the
 * name its token has in `EDITOR_TOKENS`, and each other client, by address, has
 * `RATE_LIMIT_POINTS` points per fixed window of `RATE_LIMIT_WINDOW_S` seconds, starting at its
 * first request. The counts live in this process's memory (rate-limiter-flexible's memory
 * store), which is right for one server process on SQLite; several processes on PostgreSQL will
 * need a shared store (the library has PostgreSQL and SQLite ones) or each would grant the
 * whole budget.
 *
 * Only requests over HTTP are charged: `apollo.executeOperation` (the tests, in-process callers)
 * has no client to charge.
 */
export class RateBudget {
  private readonly limiter: RateLimiterMemory;
  private readonly charges = new AsyncLocalStorage<Charge>();

  constructor(private readonly config: Pick<Config, "rateLimitPoints" | "rateLimitWindowS" | "trustProxy" | "editorTokens">) {
    this.limiter = new RateLimiterMemory({ points: config.rateLimitPoints, duration: config.rateLimitWindowS, keyPrefix: "graphql" });
  }

  /** The budget a request draws on: `editor:<name>` for a valid editor token, else `ip:<address>`. */
  keyOf(req: Pick<Request, "headers" | "socket">): string {
    const auth = authenticate(req.headers.authorization, this.config.editorTokens);
    return auth.kind === "editor" ? `editor:${auth.name}` : `ip:${clientAddress(req, this.config.trustProxy)}`;
  }

  /**
   * Express middleware in front of the GraphQL endpoint: refuses a client whose budget is spent
   * before its body is even read (429, `RATE_LIMITED`, `Retry-After`), and opens the scope in
   * which the Apollo plugin charges the request; one answered without the plugin pays 1 point.
   */
  middleware(): RequestHandler {
    return (req, res, next) => {
      this.admit(req, res).then((admitted) => {
        if ("refusal" in admitted) {
          const { status, headers, body } = admitted.refusal;
          res.set(headers);
          res.status(status).json(body);
          return;
        }
        this.charges.run(admitted.charge, next);
      }, next);
    };
  }

  /**
   * The middleware's decision apart from Express (the `node:http` front uses it too): the
   * refusal to send when the client's budget is spent, or the charge to run the request under
   * (see `runCharged`), which pays one point when the response closes if nothing charged it.
   */
  async admit(req: Pick<Request, "headers" | "socket">, res: { once(event: "close", listener: () => void): unknown }): Promise<{ charge: Charge } | { refusal: BudgetRefusal }> {
    const key = this.keyOf(req);
    const state = await this.limiter.get(key);
    const current = state && state.msBeforeNext > 0 ? state : null;
    if (current && current.consumedPoints >= this.config.rateLimitPoints) return { refusal: this.refusal(current) };
    const charge: Charge = { key, requestedCost: null, nodeCount: null, actualCost: 0, state: null, prepaid: false };
    // A request answered before GraphQL saw it (a body that is not JSON, over the token
    // limit) pays the minimum too, so such requests are not free to repeat.
    res.once("close", () => {
      if (charge.actualCost === 0) void this.limiter.penalty(key, 1);
    });
    return { charge };
  }

  /** Runs `fn` (and everything it starts) as the request `charge` is for, so the plugin charges it. */
  runCharged<T>(charge: Charge, fn: () => T): T {
    return this.charges.run(charge, fn);
  }

  /**
   * The Apollo plugin: once the operation is known, charges its cost (refusing it with
   * `RATE_LIMITED` when the budget left is too small, or `QUERY_TOO_COMPLEX` when no budget
   * could ever pay for it); a request that never gets that far pays the minimum of one point.
   * Every answer gets `extensions.cost` and GitHub's `X-RateLimit-*` headers.
   */
  plugin(): ApolloServerPlugin<Context> {
    return {
      requestDidStart: async () => ({
        didResolveOperation: async ({ schema, document, operation, request, queryHash }) => {
          if (!operation || operation.operation === "subscription" || !this.charges.getStore()) return;
          await this.chargeOperation(operationNodes(schema, document, operation, request.variables ?? {}, queryHash));
        },
        willSendResponse: async ({ response }) => {
          const settled = await this.settle();
          if (!settled) return;
          for (const [name, value] of Object.entries(settled.headers)) response.http.headers.set(name, value);
          if (response.body.kind === "single") {
            const result = response.body.singleResult;
            result.extensions = { ...result.extensions, cost: settled.cost };
          }
        },
      }),
    };
  }

  /**
   * Charges the request in scope for an operation that may touch `nodes` nodes, once: refuses it
   * with `RATE_LIMITED` when the budget left is too small, or `QUERY_TOO_COMPLEX` when no budget
   * could ever pay for it (the points of a refused request go back). Used by the plugin and by
   * the fast lane (src/http/fast-lane.ts), which charges before Apollo sees the request
   * (`prepay`): a request it charged is not charged again if Apollo answers it after all.
   */
  async chargeOperation(nodes: number, prepay = false): Promise<void> {
    const charge = this.charges.getStore();
    if (!charge || charge.prepaid) return;
    const cost = costOf(nodes);
    charge.nodeCount = nodes;
    charge.requestedCost = cost;
    // Over the node limit, `nodeLimit` refuses the request; it pays the minimum below.
    if (nodes > LIMITS.maxNodes) return;
    if (cost > this.config.rateLimitPoints) {
      throw new QueryTooComplexError(
        `This request costs ${cost.toLocaleString("en")} points (${nodes.toLocaleString("en")} nodes), more than the whole budget of ${this.config.rateLimitPoints.toLocaleString("en")} points per ${this.config.rateLimitWindowS} s; ask for smaller pages (first/last).`,
        { cost, limit: this.config.rateLimitPoints },
      );
    }
    try {
      charge.state = await this.limiter.consume(charge.key, cost);
      charge.actualCost = cost;
      charge.prepaid = prepay;
    } catch (refused) {
      if (!(refused instanceof RateLimiterRes)) throw refused;
      // The points of a refused request go back: it runs nothing (it pays one point below).
      const state = await this.limiter.reward(charge.key, cost);
      const retryAfter = retryAfterOf(state);
      throw new RateLimitedError(
        `This request costs ${cost.toLocaleString("en")} points and ${state.remainingPoints.toLocaleString("en")} of this client's ${this.config.rateLimitPoints.toLocaleString("en")} are left until ${resetAtOf(state)}; retry after ${retryAfter} s or ask for less.`,
        retryAfter,
        resetAtOf(state),
      );
    }
  }

  /**
   * What the answer to the request in scope says about the budget: GitHub's `X-RateLimit-*`
   * headers and `extensions.cost`. A request that was never charged pays the minimum of one
   * point here. Null outside a charged request (`apollo.executeOperation`).
   */
  async settle(): Promise<{ headers: Record<string, string>; cost: CostReport } | null> {
    const charge = this.charges.getStore();
    if (!charge) return null;
    if (charge.actualCost === 0) {
      charge.state = await this.limiter.penalty(charge.key, 1);
      charge.actualCost = 1;
    }
    const state = charge.state as RateLimiterRes;
    const cost: CostReport = {
      requestedCost: charge.requestedCost ?? 1,
      actualCost: charge.actualCost,
      nodeCount: charge.nodeCount,
      limit: this.config.rateLimitPoints,
      remaining: state.remainingPoints,
      resetAt: resetAtOf(state),
    };
    return { headers: this.headers(state), cost };
  }

  /** GitHub's rate-limit headers: the budget, what is left and used, and when it resets (epoch seconds). */
  private headers(state: RateLimiterRes): Record<string, string> {
    return {
      "x-ratelimit-limit": String(this.config.rateLimitPoints),
      "x-ratelimit-remaining": String(state.remainingPoints),
      "x-ratelimit-used": String(Math.min(state.consumedPoints, this.config.rateLimitPoints)),
      "x-ratelimit-reset": String(Math.ceil((Date.now() + state.msBeforeNext) / 1000)),
    };
  }

  /** The answer to a client whose budget is spent, before anything of its request is read. */
  private refusal(state: RateLimiterRes): BudgetRefusal {
    const retryAfter = retryAfterOf(state);
    const resetAt = resetAtOf(state);
    const report: CostReport = { requestedCost: 1, actualCost: 0, nodeCount: null, limit: this.config.rateLimitPoints, remaining: 0, resetAt };
    return {
      status: 429,
      headers: { ...this.headers(state), "retry-after": String(retryAfter) },
      body: {
        errors: [
          {
            message: `This client has spent its budget of ${this.config.rateLimitPoints.toLocaleString("en")} points per ${this.config.rateLimitWindowS} s; it is full again at ${resetAt}, retry after ${retryAfter} s.`,
            extensions: { code: ErrorCode.RATE_LIMITED, retryAfter, resetAt },
          },
        ],
        extensions: { cost: report },
      },
    };
  }
}

/** The 429 answer to a client whose budget is spent: status, headers and body. */
export interface BudgetRefusal {
  status: number;
  headers: Record<string, string>;
  body: unknown;
}

/** Whole seconds until the window ends, at least 1 (the `Retry-After` header takes whole seconds). */
function retryAfterOf(state: RateLimiterRes): number {
  return Math.max(1, Math.ceil(state.msBeforeNext / 1000));
}

function resetAtOf(state: RateLimiterRes): string {
  return new Date(Date.now() + Math.max(0, state.msBeforeNext)).toISOString();
}

/** The budget the configuration asks for, or null when `RATE_LIMIT_POINTS` is 0 (off). */
export function rateBudget(config: Config): RateBudget | null {
  return config.rateLimitPoints > 0 ? new RateBudget(config) : null;
}
