import {
  FieldNode,
  FragmentDefinitionNode,
  getNamedType,
  GraphQLError,
  GraphQLFieldResolver,
  GraphQLNamedType,
  GraphQLObjectType,
  GraphQLResolveInfo,
  GraphQLSchema,
  isAbstractType,
  isLeafType,
  isObjectType,
  Kind,
  SelectionSetNode,
} from "graphql";
import { nodeTypeName } from "../entities/node";
import { QueryTimeoutError, ResponseTooLargeError } from "../errors";

/**
 * How long one request may run its resolvers before it lets other requests in: a request whose
 * answer takes seconds to build (hundreds of thousands of fields) goes on in slices of this many
 * milliseconds, each ended by a turn of the event loop.
 */
export const SLICE_MS = 10;

/** What a thrown error adds to the answer at most: its message, path and locations. */
const ERROR_BYTES = 200;

/**
 * How many waiting fields one turn starts at most. A field that fails (every one still waiting
 * once the request has failed) costs the executor an error object after this turn, which the
 * turn's own clock does not see; this keeps that bounded too.
 */
const STARTS_PER_TURN = 512;

/**
 * One request's budget of answer bytes and time, and its turns on the event loop. Every field
 * resolver of the schema goes through it (`installResponseBudget`): before a resolver runs it
 * checks the deadline and whether the request's slice is over, and after, it charges the JSON
 * size of what the field adds to the answer. Once the answer is over `limitBytes` or the deadline
 * has passed, the request has failed for good: every resolver still to run fails with the same
 * error at once (no more reads, no more memory), and the response-budget plugin sends that error
 * alone.
 *
 * When a slice is over, the fields the executor asks for next wait in a queue, in order, and
 * later turns of the event loop (setImmediate: after other requests' I/O) start them a slice at a
 * time. Each waiting field is queued once; re-queueing every waiting field at every turn would
 * cost a nested list's whole frontier (thousands of fields) per turn.
 */
export class ResponseBudget {
  /** Bytes of JSON charged so far. */
  used = 0;
  /** Why the request stopped (RESPONSE_TOO_LARGE or QUERY_TIMEOUT), once it has. */
  failure: GraphQLError | null = null;
  private sliceEnd = Date.now() + SLICE_MS;
  /** Whether the slice is over: fields queue until the next turn. */
  private waiting = false;
  private readonly queue: Array<() => void> = [];
  private head = 0;
  /** Loader batches waiting for the queue to empty. */
  private idle: Array<() => void> = [];
  private failed: Promise<never> | null = null;

  constructor(
    readonly limitBytes: number,
    /**
     * The request's scope, whose `deadline` is the `Date.now()` after which the request must
     * stop (`QUERY_TIMEOUT_MS`); read on every check, as the database reads it before statements.
     */
    private readonly clock?: { readonly deadline?: number; readonly limitMs?: number },
  ) {}

  /**
   * Called before each resolver: true when the field must wait for a later turn (`defer`);
   * throws if the request has failed or is past its deadline. A failed request still takes
   * turns: the fields still pending when it failed each fail in turn, and that must not hold
   * the event loop either.
   */
  mustWait(): boolean {
    if (this.waiting) return true;
    const now = Date.now();
    if (now >= this.sliceEnd) {
      this.waiting = true;
      setImmediate(this.turn);
      return true;
    }
    this.check(now);
    return false;
  }

  /** Throws the request's failure, or a time-out if it is past its deadline. */
  private check(now: number): void {
    if (this.failure) throw this.failure;
    const deadline = this.clock?.deadline;
    if (deadline !== undefined && now >= deadline) throw this.fail(new QueryTimeoutError(this.clock?.limitMs ?? 0));
  }

  /** Queues a field until a later turn; `start` runs it then (or not, if the request has failed by then). */
  defer<T>(start: () => T): Promise<T> {
    return handled(
      new Promise<T>((resolve, reject) => {
        this.queue.push(() => {
          try {
            this.check(Date.now());
            resolve(start());
          } catch (error) {
            reject(error);
          }
        });
      }),
    );
  }

  /** One turn: starts queued fields for a slice; what they lead to runs right after it, and queues again once the slice is over. */
  private readonly turn = (): void => {
    this.sliceEnd = Date.now() + SLICE_MS;
    const stop = this.head + STARTS_PER_TURN;
    while (this.head < this.queue.length && this.head < stop && Date.now() < this.sliceEnd) this.queue[this.head++]();
    if (this.head < this.queue.length) {
      setImmediate(this.turn);
      return;
    }
    this.queue.length = 0;
    this.head = 0;
    this.waiting = false;
    const idle = this.idle;
    this.idle = [];
    for (const go of idle) go();
  };

  /** The request's failure as a rejected promise, one for all the fields it stops. */
  rejection(error: unknown): Promise<never> {
    if (error !== this.failure) return rejected(error);
    this.failed ??= rejected(error);
    return this.failed;
  }

  /** Adds `bytes` to the answer; throws RESPONSE_TOO_LARGE once it is over the limit. */
  charge(bytes: number): void {
    this.used += bytes;
    if (this.used > this.limitBytes && !this.failure) throw this.fail(new ResponseTooLargeError(this.limitBytes));
  }

  /**
   * Notes an error a resolver threw: it takes room in the answer too, and a time-out anywhere
   * (a statement refused past the deadline) stops the whole request.
   */
  noteError(error: unknown): void {
    if (this.failure) return;
    if (error instanceof QueryTimeoutError) {
      this.fail(error);
      return;
    }
    this.used += ERROR_BYTES + (error instanceof Error ? error.message.length : 0);
    if (this.used > this.limitBytes) this.fail(new ResponseTooLargeError(this.limitBytes));
  }

  /** Throws the request's failure, if it has one (for work outside resolvers, such as batch loads). */
  throwIfFailed(): void {
    if (this.failure) throw this.failure;
  }

  /**
   * A DataLoader `batchScheduleFn`: dispatches a batch as DataLoader does by default (after the
   * promise jobs of the current tick), but not while fields wait for a later turn. The loads of
   * a list's items that run after a wait then join the batch of those that ran before it, and
   * the request still runs one statement per relation level.
   */
  readonly scheduleBatch = (dispatch: () => void): void => {
    const go = (): void => {
      if (this.waiting) this.idle.push(() => afterPromiseJobs(go));
      else dispatch();
    };
    afterPromiseJobs(go);
  };

  private fail(error: GraphQLError): GraphQLError {
    this.failure = error;
    return error;
  }
}

/** DataLoader's own default schedule: after the current promise jobs, on the next tick. */
function afterPromiseJobs(fn: () => void): void {
  void Promise.resolve().then(() => process.nextTick(fn));
}

/**
 * What a field's value adds to the answer besides what other resolvers charge: for an object,
 * its fields that have no resolver of their own (plain properties the executor reads itself,
 * which graphql-jit inlines), recursively. Fields with a resolver are charged by their own call.
 */
type Shape = null | ObjectShape | AbstractShape;

interface ShapeField {
  /** The property the executor reads, or null for `__typename`. */
  prop: string | null;
  /** The bytes of `"key":` and a separator, or of the whole entry for `__typename`. */
  bytes: number;
  shape: Shape;
}

interface ObjectShape {
  kind: "object";
  fields: ShapeField[];
}

interface AbstractShape {
  kind: "abstract";
  /** The shape for each concrete type, made when a value of it first turns up. */
  byType: Map<string, Shape>;
  make: (type: GraphQLObjectType) => Shape;
  schema: GraphQLSchema;
}

/** The shape of a field's value and the bytes of its key, per executor field group. */
interface FieldCost {
  keyBytes: number;
  shape: Shape;
}

const fieldCosts = new WeakMap<readonly FieldNode[], FieldCost>();

function applies(schema: GraphQLSchema, typeCondition: string | undefined, type: GraphQLObjectType): boolean {
  if (!typeCondition || typeCondition === type.name) return true;
  const condition = schema.getType(typeCondition);
  return !!condition && isAbstractType(condition) && schema.isSubType(condition, type);
}

/** The field nodes selected on `type` by these selection sets, by response key, through fragments. */
function collect(
  schema: GraphQLSchema,
  fragments: Record<string, FragmentDefinitionNode>,
  type: GraphQLObjectType,
  sets: readonly SelectionSetNode[],
  into = new Map<string, FieldNode[]>(),
  seen = new Set<string>(),
): Map<string, FieldNode[]> {
  for (const set of sets) {
    for (const selection of set.selections) {
      if (selection.kind === Kind.FIELD) {
        const key = (selection.alias ?? selection.name).value;
        const list = into.get(key);
        if (list) list.push(selection);
        else into.set(key, [selection]);
      } else if (selection.kind === Kind.INLINE_FRAGMENT) {
        if (applies(schema, selection.typeCondition?.name.value, type)) collect(schema, fragments, type, [selection.selectionSet], into, seen);
      } else {
        const name = selection.name.value;
        const fragment = Object.prototype.hasOwnProperty.call(fragments, name) ? fragments[name] : undefined;
        if (!fragment || seen.has(name) || !applies(schema, fragment.typeCondition.name.value, type)) continue;
        seen.add(name);
        collect(schema, fragments, type, [fragment.selectionSet], into, seen);
      }
    }
  }
  return into;
}

function shapeOf(
  schema: GraphQLSchema,
  fragments: Record<string, FragmentDefinitionNode>,
  type: GraphQLNamedType,
  nodes: readonly FieldNode[],
): Shape {
  if (isLeafType(type)) return null;
  const sets = nodes.flatMap((node) => (node.selectionSet ? [node.selectionSet] : []));
  const make = (object: GraphQLObjectType): Shape => {
    const fields: ShapeField[] = [];
    const definitions = object.getFields();
    for (const [key, fieldNodes] of collect(schema, fragments, object, sets)) {
      const name = fieldNodes[0].name.value;
      if (name === "__typename") {
        fields.push({ prop: null, bytes: key.length + 4 + object.name.length + 2, shape: null });
        continue;
      }
      const definition = Object.prototype.hasOwnProperty.call(definitions, name) ? definitions[name] : undefined;
      // A field with a resolver is charged when that resolver runs.
      if (!definition || definition.resolve) continue;
      fields.push({ prop: name, bytes: key.length + 4, shape: shapeOf(schema, fragments, getNamedType(definition.type), fieldNodes) });
    }
    return { kind: "object", fields };
  };
  if (isObjectType(type)) return make(type);
  return { kind: "abstract", byType: new Map(), make, schema };
}

function costOfField(info: GraphQLResolveInfo): FieldCost {
  let cost = fieldCosts.get(info.fieldNodes);
  if (!cost) {
    const node = info.fieldNodes[0];
    cost = {
      keyBytes: (node.alias ?? node.name).value.length + 4,
      shape: shapeOf(info.schema, info.fragments, getNamedType(info.returnType), info.fieldNodes),
    };
    fieldCosts.set(info.fieldNodes, cost);
  }
  return cost;
}

/** The JSON size of a value, roughly: strings by their length, objects by the fields `shape` names. */
function sizeOf(value: unknown, shape: Shape): number {
  if (value === null || value === undefined) return 4;
  switch (typeof value) {
    case "string":
      return value.length + 2;
    case "number":
      return 8;
    case "boolean":
      return 5;
    case "object":
      break;
    default:
      return 8;
  }
  if (Array.isArray(value)) {
    let bytes = 2 + value.length;
    for (const item of value as unknown[]) bytes += sizeOf(item, shape);
    return bytes;
  }
  if (shape === null) {
    // A scalar serialized from an object: a date, or a JSON value (an edit's record).
    if (value instanceof Date) return 26;
    return JSON.stringify(value)?.length ?? 4;
  }
  let object: ObjectShape | null;
  if (shape.kind === "abstract") {
    const name = nodeTypeName(value);
    if (name === undefined) return 2;
    let found = shape.byType.get(name);
    if (found === undefined) {
      const type = shape.schema.getType(name);
      found = isObjectType(type) ? shape.make(type) : null;
      shape.byType.set(name, found);
    }
    object = found as ObjectShape | null;
  } else {
    object = shape;
  }
  let bytes = 2;
  if (!object) return bytes;
  const record = value as Record<string, unknown>;
  for (const field of object.fields) {
    bytes += field.bytes;
    if (field.prop !== null) bytes += sizeOf(record[field.prop], field.shape);
  }
  return bytes;
}

function isThenable(value: unknown): value is PromiseLike<unknown> {
  return typeof value === "object" && value !== null && typeof (value as { then?: unknown }).then === "function";
}

/** What resolvers find in their context: the request's budget, when it has one. */
interface WithBudget {
  budget?: ResponseBudget;
}

type Resolver = GraphQLFieldResolver<unknown, WithBudget | undefined>;

/** Marks a resolver this module installed, so that installing twice wraps nothing twice. */
const BUDGETED = Symbol("budgeted");

/**
 * Makes every field resolver of the schema's object types go through the request's budget
 * (`context.budget`). Only fields that already have a resolver are wrapped: the others are
 * plain properties, which graphql-jit reads inline, and their bytes are charged by the resolver
 * that returned the object holding them. Marker properties on the original resolvers (such as
 * the direct-resolver marker) are kept. Returns how many fields were wrapped.
 */
export function installResponseBudget(schema: GraphQLSchema): number {
  let installed = 0;
  for (const type of Object.values(schema.getTypeMap())) {
    if (!isObjectType(type) || type.name.startsWith("__")) continue;
    for (const field of Object.values(type.getFields())) {
      const original = field.resolve as Resolver | undefined;
      if (!original || (original as unknown as Record<symbol, unknown>)[BUDGETED]) continue;
      const resolve = budgeted(original);
      for (const key of Object.getOwnPropertySymbols(original)) {
        Object.defineProperty(resolve, key, { value: (original as unknown as Record<symbol, unknown>)[key] });
      }
      Object.defineProperty(resolve, BUDGETED, { value: true });
      field.resolve = resolve;
      installed += 1;
    }
  }
  return installed;
}

function ignore(): void {
  // The executor that got the promise reports its rejection.
}

/**
 * Marks a promise given to the executor as handled. graphql-js 16 drops the promises of an
 * object's or a list's earlier entries when a later non-null entry fails synchronously, so once
 * a request has failed (and everything still pending rejects with its failure) they would be
 * unhandled rejections, which end the process; the executor still sees the rejection of every
 * promise it keeps.
 */
function handled<T>(promise: Promise<T>): Promise<T> {
  promise.catch(ignore);
  return promise;
}

/**
 * A failed request's error, delivered as a rejected promise rather than thrown: graphql-js then
 * never abandons a list or an object half-way (see `handled`), and waits for all its entries.
 */
function rejected(error: unknown): Promise<never> {
  return handled(Promise.reject(error));
}

function budgeted(original: Resolver): Resolver {
  /** Runs the resolver and charges what it returns. */
  const run = (budget: ResponseBudget, root: unknown, args: Record<string, unknown>, context: WithBudget, info: GraphQLResolveInfo): unknown => {
    let value: unknown;
    try {
      value = original(root, args, context, info);
    } catch (error) {
      budget.noteError(error);
      if (budget.failure) return budget.rejection(error);
      throw error;
    }
    if (isThenable(value)) {
      return handled(
        Promise.resolve(value).then(
          (settled) => {
            budget.throwIfFailed();
            const cost = costOfField(info);
            budget.charge(cost.keyBytes + sizeOf(settled, cost.shape));
            return settled;
          },
          (error: unknown) => {
            budget.noteError(error);
            throw error;
          },
        ),
      );
    }
    const cost = costOfField(info);
    try {
      budget.charge(cost.keyBytes + sizeOf(value, cost.shape));
    } catch (error) {
      return budget.rejection(error);
    }
    return value;
  };
  return (root, args, context, info) => {
    const budget = context?.budget;
    if (!budget) return original(root, args, context, info);
    try {
      if (budget.mustWait()) return budget.defer(() => run(budget, root, args, context as WithBudget, info));
    } catch (error) {
      return budget.rejection(error);
    }
    return run(budget, root, args, context as WithBudget, info);
  };
}
