/**
 * The fast lane: a read operation that Apollo has already parsed, validated and run compiled is
 * answered again without Apollo's per-request pipeline (issue 18: a frontend's small request
 * cost about as much in that pipeline, its query hash, a dozen plugin hooks awaited one by one
 * and its `Accept` negotiation, as in everything else put together).
 *
 * It does what Apollo and our plugins do for such a request, with the same functions: the node
 * limit (`operationNodes`), the rate budget (`RateBudget.chargeOperation` and `settle`), the
 * context, the compiled operation, `x-sql-statements`, and the answer as `stringifyResult`
 * writes it. Whatever it does not answer goes to Apollo unchanged: a text never run compiled,
 * a mutation, a request over a limit or refused by the budget (Apollo refuses it again with its
 * own coded error), variables that do not coerce, an `Accept` header not seen answered yet, and
 * any answer with an error or a failed response budget. An answer with an error is handed to
 * Apollo already computed (`JitGateway.handOver`), so it is not run twice and Apollo shapes its
 * errors and runs its plugins as for any other answer. test/fast-lane.test.ts compares the
 * answers of both ways, bytes and headers.
 */
import type http from "node:http";
import type { ExecutionResult, FormattedExecutionResult, GraphQLSchema } from "graphql";
import type { Context } from "../context";
import type { JitGateway, PreparedOperation } from "../schema/jit-executor";
import type { Store } from "../storage/store";
import { LIMITS, operationNodes } from "./limits";
import type { RateBudget } from "./rate-limit";

/** What the rate budget says about an answer: its headers and `extensions.cost`. */
type Settled = NonNullable<Awaited<ReturnType<RateBudget["settle"]>>>;

/** What Apollo answers a request without an `Accept` header with (its `MEDIA_TYPES.APPLICATION_JSON`). */
const DEFAULT_CONTENT_TYPE = "application/json; charset=utf-8";

/** How many distinct `Accept` headers are remembered with the content type Apollo chose for them. */
const KNOWN_ACCEPT_HEADERS = 64;

export interface FastLaneOptions {
  operations: JitGateway;
  schema: GraphQLSchema;
  /** The rate budget, or null when it is off. */
  budget: RateBudget | null;
  /** Whose request scope counts the statements for `x-sql-statements`. */
  db: Store;
  /** Apollo's `stringifyResult`, so that the bytes are the same. */
  stringify: (value: FormattedExecutionResult) => string;
  /** Whether answers carry `x-sql-statements` (`EXPOSE_QUERY_STATS`, as `statementHeaderPlugin`). */
  exposeQueryStats: boolean;
}

/** How many requests the fast lane answered, and how many it handed to Apollo with their answer computed. */
export interface FastLaneStats {
  answered: number;
  handedOver: number;
}

/** A request's body as Apollo reads a POST: only the fields the fast lane looks at. */
interface PostBody {
  query: string;
  operationName?: string | null;
  variables?: Record<string, unknown> | null;
  extensions?: Record<string, unknown> | null;
}

/** The fast lane's outcome: an answer to send, or Apollo to ask (with the context to use, if one was made). */
export type FastOutcome = { kind: "answered"; headers: [string, string][]; body: string } | { kind: "apollo"; context?: Context };

const TO_APOLLO: FastOutcome = { kind: "apollo" };

function isPromise<T>(value: T | Promise<T>): value is Promise<T> {
  return typeof (value as { then?: unknown } | null)?.then === "function";
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/**
 * A body Apollo would take as one operation with nothing to check first: a query text, an
 * operation name, variables and extensions of the right types, and no persisted query (Apollo's
 * own cache of texts by hash answers that).
 */
function plainBody(body: unknown): body is PostBody {
  if (!isRecord(body) || typeof body.query !== "string" || body.query.length === 0) return false;
  const { operationName, variables, extensions } = body;
  if (operationName !== undefined && operationName !== null && typeof operationName !== "string") return false;
  if (variables !== undefined && variables !== null && !isRecord(variables)) return false;
  if (extensions !== undefined && extensions !== null && (!isRecord(extensions) || "persistedQuery" in extensions)) return false;
  return true;
}

/** Answers repeated read operations without Apollo's pipeline (see the module's comment). */
export class FastLane {
  /** The content type Apollo chose for each `Accept` header it answered with 200. */
  private readonly contentTypes = new Map<string, string>();
  private readonly counts: FastLaneStats = { answered: 0, handedOver: 0 };

  constructor(private readonly options: FastLaneOptions) {}

  stats(): FastLaneStats {
    return { ...this.counts };
  }

  /**
   * Records the content type Apollo answered an `Accept` header with, so that the fast lane
   * answers the same header alike without negotiating it again.
   */
  learn(accept: string | undefined, status: number | undefined, contentType: string | undefined): void {
    if (accept === undefined || contentType === undefined || (status !== undefined && status !== 200) || this.contentTypes.has(accept)) return;
    if (this.contentTypes.size >= KNOWN_ACCEPT_HEADERS) return;
    this.contentTypes.set(accept, contentType);
  }

  /**
   * Answers the request if it can; otherwise says to ask Apollo. Runs in the request's scope
   * (and, with a budget, as its charge), as Apollo would. Without a rate budget, an operation
   * whose resolvers all answer at once is answered at once, without a promise.
   */
  answer(headers: http.IncomingHttpHeaders, body: unknown, makeContext: () => Context): FastOutcome | Promise<FastOutcome> {
    const { operations, schema, budget } = this.options;
    if (!plainBody(body)) return TO_APOLLO;
    const accept = headers.accept;
    const contentType = accept === undefined ? DEFAULT_CONTENT_TYPE : this.contentTypes.get(accept);
    if (contentType === undefined) return TO_APOLLO;
    const prepared = operations.prepared(body.query, body.operationName ?? undefined);
    if (!prepared) return TO_APOLLO;
    const variables = body.variables ?? {};
    const nodes = operationNodes(schema, prepared.document, prepared.operation, variables, prepared.queryHash);
    if (nodes > LIMITS.maxNodes) return TO_APOLLO;
    if (!budget) return this.run(prepared, variables, contentType, makeContext, null);
    return budget.chargeOperation(nodes, true).then(
      () => this.run(prepared, variables, contentType, makeContext, budget),
      // Refused, and the points given back: Apollo refuses it again with the coded error.
      () => TO_APOLLO,
    );
  }

  private run(
    prepared: PreparedOperation,
    variables: Record<string, unknown>,
    contentType: string,
    makeContext: () => Context,
    budget: RateBudget | null,
  ): FastOutcome | Promise<FastOutcome> {
    const context = makeContext();
    const run = prepared.query.query(undefined, context, variables);
    return isPromise(run) ? run.then((result) => this.finish(result, context, contentType, budget)) : this.finish(run, context, contentType, budget);
  }

  private finish(result: ExecutionResult, context: Context, contentType: string, budget: RateBudget | null): FastOutcome | Promise<FastOutcome> {
    // Variables that do not coerce: nothing ran, and graphql-js words the errors (see jitGateway).
    if (result.data === undefined) return TO_APOLLO;
    if ((result.errors !== undefined && result.errors.length > 0) || context.budget.failure) {
      this.options.operations.handOver(context, result);
      this.counts.handedOver += 1;
      return { kind: "apollo", context };
    }
    if (!budget) return this.compose(result, contentType, null);
    return budget.settle().then((settled) => this.compose(result, contentType, settled));
  }

  private compose(result: ExecutionResult, contentType: string, settled: Settled | null): FastOutcome {
    const headers: [string, string][] = [];
    const formatted: FormattedExecutionResult = { data: result.data };
    if (settled) {
      for (const [name, value] of Object.entries(settled.headers)) headers.push([name, value]);
      formatted.extensions = { cost: settled.cost };
    }
    if (this.options.exposeQueryStats) {
      const scope = this.options.db.statements.perRequest.getStore();
      if (scope) headers.push(["x-sql-statements", String(scope.count)]);
    }
    headers.push(["content-type", contentType]);
    this.counts.answered += 1;
    return { kind: "answered", headers, body: this.options.stringify(formatted) };
  }
}
