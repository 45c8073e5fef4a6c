import { GraphQLFieldResolver, GraphQLSchema, isAbstractType, isObjectType } from "graphql";
import { getMetadataStorage } from "type-graphql";
import { nodeTypeName } from "../entities/node";

/** Marks the resolvers installed here, so tests can tell them from TypeGraphQL's own. */
export const DIRECT_RESOLVER = Symbol("directResolver");

type Resolve = GraphQLFieldResolver<unknown, unknown, Record<string, unknown>>;
type Pick = (root: unknown, args: Record<string, unknown>, context: unknown, info: unknown) => unknown;

/** The parts of TypeGraphQL's parameter metadata this module reads. */
interface ParamLike {
  kind: string;
  index: number;
  name?: string;
  propertyName?: string;
  validateSettings?: unknown;
  validateFn?: unknown;
}

/** How to get one parameter from graphql-js's resolver arguments, or null if this module does not handle it. */
function picker(param: ParamLike): Pick | null {
  switch (param.kind) {
    case "root":
      return param.propertyName ? null : (root) => root;
    case "context":
      return param.propertyName ? null : (_root, _args, context) => context;
    case "info":
      return (_root, _args, _context, info) => info;
    case "args":
      return param.validateSettings || param.validateFn ? null : (_root, args) => args;
    case "arg": {
      const name = param.name;
      return !name || param.validateSettings || param.validateFn ? null : (_root, args) => args[name];
    }
    default:
      return null;
  }
}

/** The parts of TypeGraphQL's resolver metadata this module reads. */
interface ResolverLike {
  target: unknown;
  methodName: string;
  params?: unknown[];
  middlewares?: unknown[];
  roles?: unknown[];
}

/**
 * How to get a resolver method's arguments from graphql-js's, or null if this module does not
 * handle one of its parameters (or it has middleware or roles, which TypeGraphQL's wrapper runs).
 */
function argumentsOf(meta: ResolverLike): ((...call: Parameters<Pick>) => unknown[]) | null {
  if (meta.middlewares?.length || meta.roles?.length || !meta.params) return null;
  const params = [...(meta.params as ParamLike[])].sort((a, b) => a.index - b.index);
  const picks = params.map(picker);
  if (picks.some((p) => p === null) || params.some((p, i) => p.index !== i)) return null;
  const pick = picks as Pick[];
  return (...call) => {
    const values = new Array<unknown>(pick.length);
    for (let i = 0; i < pick.length; i++) values[i] = pick[i](...call);
    return values;
  };
}

/** Calls a resolver class's method on the class's one instance (as TypeGraphQL's container does), or null if it has none. */
function onInstance(meta: ResolverLike, instances: Map<unknown, Record<string, unknown>>, valuesOf: (...call: Parameters<Pick>) => unknown[]): Resolve | null {
  const target = meta.target as new () => Record<string, unknown>;
  let instance = instances.get(target);
  if (!instance) {
    instance = new target();
    instances.set(target, instance);
  }
  const method = instance[meta.methodName];
  if (typeof method !== "function") return null;
  const self = instance;
  return (root, args, context, info) => method.apply(self, valuesOf(root, args, context, info));
}

/**
 * Installs direct resolvers for the field resolvers of object types: relations, evidence and IDs
 * (`@FieldResolver` methods of resolver classes) and connection fields (methods of the
 * connection classes).
 *
 * TypeGraphQL calls each field resolver through a generic wrapper that, on every call, sorts and
 * maps its parameter metadata and converts the arguments into instances of their classes. Field
 * resolvers of object types run once per row (in the benchmark's nested query, 1,400 times), and
 * the wrapper was a quarter of the request's time. Where a field resolver has no middleware, no
 * roles and only `@Root()`, `@Args()`, `@Arg()`, `@Ctx()` and `@Info()` parameters, this calls the
 * same method directly with graphql-js's own argument values: plain objects, which is all our
 * resolvers read (validation is off, and argument classes carry no behaviour). Anything else
 * keeps TypeGraphQL's resolver. Returns how many fields were changed.
 */
export function installDirectResolvers(schema: GraphQLSchema): number {
  const storage = getMetadataStorage();
  const roots = new Set([schema.getQueryType(), schema.getMutationType(), schema.getSubscriptionType()]);
  const instances = new Map<unknown, Record<string, unknown>>();
  let installed = 0;
  for (const type of Object.values(schema.getTypeMap())) {
    if (!isObjectType(type) || roots.has(type) || type.name.startsWith("__")) continue;
    const objectClass = storage.objectTypes.find((o) => o.name === type.name)?.target;
    if (!objectClass) continue;
    for (const field of Object.values(type.getFields())) {
      const original = field.resolve;
      if (!original) continue;
      const candidates = storage.fieldResolvers.filter(
        (r) =>
          r.schemaName === field.name &&
          ((r.kind === "external" && r.getObjectType?.() === objectClass) || (r.kind === "internal" && r.target === objectClass)),
      );
      // Inherited resolvers can appear once per class in the chain; all name the same method.
      const methods = new Set(candidates.map((r) => `${r.kind}:${r.methodName}`));
      const meta = candidates[candidates.length - 1];
      const valuesOf = meta && methods.size === 1 ? argumentsOf(meta) : null;
      if (!meta || !valuesOf) continue;
      let resolve: Resolve;
      if (meta.kind === "external") {
        const direct = onInstance(meta, instances, valuesOf);
        if (!direct) continue;
        resolve = direct;
      } else {
        // A method of the object's own class: called on the object, which our code always
        // builds as an instance; anything else goes the TypeGraphQL way, which converts it.
        const name = meta.methodName;
        const ownClass = objectClass as abstract new (...args: never[]) => unknown;
        resolve = (root, args, context, info) => {
          if (!(root instanceof ownClass)) return original(root, args, context, info);
          const method = (root as Record<string, unknown>)[name];
          return typeof method === "function" ? method.apply(root, valuesOf(root, args, context, info)) : method;
        };
      }
      Object.defineProperty(resolve, DIRECT_RESOLVER, { value: true });
      field.resolve = resolve;
      installed += 1;
    }
  }
  // The query fields (`node`, `person`, `people`…), on the same terms: a frontend's small request
  // paid TypeGraphQL's wrapper on its root field about as much as on all its other fields.
  // Mutations keep TypeGraphQL's resolvers: they run once per request, and it converts their inputs.
  const query = schema.getQueryType();
  for (const field of Object.values(query?.getFields() ?? {})) {
    if (!field.resolve) continue;
    const metas = storage.queries.filter((q) => q.schemaName === field.name);
    const valuesOf = metas.length === 1 ? argumentsOf(metas[0]) : null;
    const resolve = valuesOf ? onInstance(metas[0], instances, valuesOf) : null;
    if (!resolve) continue;
    Object.defineProperty(resolve, DIRECT_RESOLVER, { value: true });
    field.resolve = resolve;
    installed += 1;
  }
  return installed;
}

/**
 * Gives the schema's abstract types (`Node` and the search result union) their type resolver
 * itself. TypeGraphQL wraps every `resolveType` in an async function, so each abstract value
 * costs a promise, and graphql-jit, which expects a type name, cannot use it at all. Both of
 * ours read the type name every row is tagged with (`nodeTypeName`), synchronously.
 */
export function installTypeResolvers(schema: GraphQLSchema): void {
  for (const type of Object.values(schema.getTypeMap())) {
    if (isAbstractType(type) && !type.name.startsWith("__")) type.resolveType = nodeTypeName;
  }
}
