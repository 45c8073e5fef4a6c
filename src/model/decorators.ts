/**
 * The annotations an entity carries for what TypeORM's metadata cannot say: how its lists are
 * ordered by default, who may read it, which fields a filter may test and how, and the to-many
 * relations that go through a link table. Everything else (tables, columns, foreign keys, unique
 * columns, to-one and to-many relations) the model registry reads from the TypeORM decorators.
 *
 * The annotations are kept the way TypeORM and TypeGraphQL keep theirs: in a store filled once
 * when the entity classes load, and never changed afterwards.
 */

/** How a filter tests a field; each kind has its own `XFilter` input type. */
export type FilterKind = "id" | "string" | "aliases" | "int" | "date" | "partialDate" | "datetime" | "enum";

/** What a type says of itself beyond its TypeORM metadata. */
export interface ModelOptions {
  /** The plural noun messages use ("3 people refer to it"). */
  plural: string;
  /**
   * The default order of every list of this type, as column names with `-` in front for
   * descending order. It must end on `id` or `-id`, so that keyset cursors are unambiguous.
   */
  order: readonly string[];
  /** Whether only editors may read it, down to whether a record exists (the edit log, the review workflow). */
  editorOnly?: boolean;
  /** Whether editors create, change and delete it through the editing mutations. */
  editable?: boolean;
}

/** How a filterable field is tested. Without a kind, it follows from the column's TypeORM type. */
export interface FilterableOptions {
  kind?: FilterKind;
  /** For an enum column: the TypeScript enum whose values the column holds. */
  enum?: Record<string, string>;
}

/** A to-many relation that goes through a link table's to-one relations (people and organizations, through positions). */
export interface ThroughOptions {
  /** This type's to-many relation to the link rows, such as `positions`. */
  via: string;
  /** The link type's to-one relation to the target, such as `person`. */
  to: string;
}

/** One entity's annotations, as the registry reads them. */
export interface EntityAnnotations {
  model?: ModelOptions;
  filterable: Map<string, FilterableOptions>;
  through: Map<string, ThroughOptions>;
}

// eslint-disable-next-line @typescript-eslint/no-unsafe-function-type -- entity classes of any constructor signature
const store = new Map<Function, EntityAnnotations>();

// eslint-disable-next-line @typescript-eslint/no-unsafe-function-type -- as above
function annotationsOf(target: Function): EntityAnnotations {
  let entry = store.get(target);
  if (!entry) {
    entry = { filterable: new Map(), through: new Map() };
    store.set(target, entry);
  }
  return entry;
}

/** The annotations of an entity class (empty when it has none). */
// eslint-disable-next-line @typescript-eslint/no-unsafe-function-type -- as above
export function entityAnnotations(target: Function): EntityAnnotations {
  return store.get(target) ?? { filterable: new Map(), through: new Map() };
}

/** Marks an entity as a node type of the model, with what its metadata cannot say. */
export function Model(options: ModelOptions): ClassDecorator {
  return (target) => {
    annotationsOf(target).model = options;
  };
}

/**
 * Lets filters test a column or relation: a column by its kind, a to-one relation by a nested
 * filter on its target, a to-many relation with `some`, `every` and `none`. The field must also
 * be in the type's `XFilter` input, which is what clients see.
 */
export function Filterable(options: FilterableOptions = {}): PropertyDecorator {
  return (prototype, property) => {
    annotationsOf(prototype.constructor).filterable.set(String(property), options);
  };
}

/** Declares a to-many relation that goes through another type's rows (see `ThroughOptions`). */
export function Through(options: ThroughOptions): PropertyDecorator {
  return (prototype, property) => {
    annotationsOf(prototype.constructor).through.set(String(property), options);
  };
}
