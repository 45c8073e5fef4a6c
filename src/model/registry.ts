/**
 * The model registry: one description of every node type, its table, columns and relations,
 * from which the read paths, the filter compiler, the planner and the editing checks take what
 * they need. It is built from the TypeORM decorators (the metadata a DataSource builds its
 * `EntityMetadata` from) and the model annotations of `decorators.ts`, once, on first use.
 *
 * It reads the decorator metadata rather than an initialized DataSource's, because its users are
 * pure functions (compiling a filter, planning a selection) that run without a connection, in
 * every process alike; `test/model.test.ts` checks that both agree.
 */
import { getMetadataArgsStorage } from "typeorm";
import { entities } from "../entities";
import { entityAnnotations, FilterKind, FilterableOptions } from "./decorators";

/** The GraphQL type names that are also tables. */
export type NodeTypeName = "Article" | "Country" | "Organization" | "Person" | "Position" | "Quote" | "Mention" | "Edit" | "Proposal" | "Candidate";

/**
 * One column of a sort order; `column` is a column of the table aliased `t`. A nullable text
 * column sets `nullsAsEmpty`, so that NULL sorts (and compares in cursors) as the empty string,
 * first in ascending order: keyset comparisons cannot work with NULL.
 */
export interface SortKey {
  column: string;
  direction: "ASC" | "DESC";
  nullsAsEmpty?: boolean;
  /**
   * The kind of list the order belongs to, set on its final `id` key: it is part of a cursor's
   * signature, so that a cursor from `countries` is refused by `people`, which sorts the same way.
   */
  list?: string;
}

/** A column of a table. */
export interface ColumnModel {
  /** The entity property, which is also the GraphQL field of the same name where there is one. */
  property: string;
  /** The column's name in the database. */
  name: string;
  /** TypeORM's column type (`text`, `integer`, `simple-json`…; timestamps are `datetime`). */
  type: string;
  nullable: boolean;
  primary: boolean;
  /** Whether every row holds a different value (the primary key or a `unique` column). */
  unique: boolean;
  /** How filters test it, or null when they cannot. */
  filter: FilterKind | null;
  /** The values an enum column may hold. */
  enumValues?: readonly string[];
}

/** A to-one relation: a foreign key column of this table pointing at another type's row. */
export interface ToOneModel {
  /** The relation's field (`speaker`). */
  field: string;
  /** The foreign key column (`speakerId`). */
  column: string;
  target: NodeTypeName;
  nullable: boolean;
  /** What deleting the target does to this row: `RESTRICT` means the target cannot be deleted while this row refers to it. */
  onDelete: string;
  filterable: boolean;
}

/**
 * A to-many relation: the target's rows whose foreign key `column` holds this row's id, or,
 * `through` a link table, the targets of the link rows whose `own` column holds this row's id.
 */
export interface ToManyModel {
  field: string;
  target: NodeTypeName;
  /** The column holding this row's id on the rows joined: the target's foreign key, or the link row's. */
  column: string;
  through?: { table: string; own: string; other: string };
  /** For a direct relation: the target's to-one relation back to this type. */
  inverse?: string;
  filterable: boolean;
}

/** Another type's to-one relation pointing at this type. */
export interface ReferrerModel {
  type: NodeTypeName;
  column: string;
  field: string;
}

/** Everything the model says about one node type. */
export interface TypeModel {
  name: NodeTypeName;
  // eslint-disable-next-line @typescript-eslint/no-unsafe-function-type -- entity classes of any constructor signature
  entity: Function;
  table: string;
  plural: string;
  editorOnly: boolean;
  editable: boolean;
  /** The default order of every list of this type, ending on the primary key. */
  defaultOrder: readonly SortKey[];
  /** Columns by name. */
  columns: ReadonlyMap<string, ColumnModel>;
  /** The names of columns holding a different value in every row. */
  uniqueColumns: ReadonlySet<string>;
  /** Columns holding JSON that rows carry parsed (`simple-json`). */
  jsonColumns: readonly string[];
  toOne: ReadonlyMap<string, ToOneModel>;
  toMany: ReadonlyMap<string, ToManyModel>;
  /**
   * To-one relations of other types that point here with `onDelete: RESTRICT`: a row cannot be
   * deleted while any of them refers to it. In the order of this type's to-many relations, then
   * any without one.
   */
  referrers: readonly ReferrerModel[];
  /** To-one relations of other types that point here with `onDelete: CASCADE`: their rows go when a row of this type goes. Ordered as `referrers`. */
  cascades: readonly ReferrerModel[];
  /** Whether any field can be filtered on (whether the type has an `XFilter` input). */
  filterable: boolean;
}

/** The whole model: every node type by name. */
export interface ModelRegistry {
  types: ReadonlyMap<NodeTypeName, TypeModel>;
  /** The model of one type; throws for a name that is not a node type. */
  type(name: NodeTypeName): TypeModel;
}

type Args = ReturnType<typeof getMetadataArgsStorage>;
// eslint-disable-next-line @typescript-eslint/no-unsafe-function-type -- as above
type EntityClass = Function;

/** A `(q) => q.speaker` inverse-side function's property name, found as TypeORM finds it: by calling it on a map of names. */
function propertyName(inverse: unknown): string | undefined {
  if (typeof inverse === "string") return inverse;
  if (typeof inverse !== "function") return undefined;
  const names = new Proxy({}, { get: (_target, key) => key });
  return String((inverse as (o: unknown) => unknown)(names));
}

function filterKind(column: Args["columns"][number], options: FilterableOptions | undefined): FilterKind | null {
  if (!options) return null;
  if (options.kind) return options.kind;
  if (options.enum) return "enum";
  if (column.options.primary) return "id";
  if (column.mode === "createDate" || column.mode === "updateDate") return "datetime";
  if (column.options.type === "simple-json") return "aliases";
  if (column.options.type === "integer") return "int";
  return "string";
}

function sortKeys(typeName: NodeTypeName, order: readonly string[]): SortKey[] {
  const last = order[order.length - 1];
  if (last !== "id" && last !== "-id") throw new Error(`${typeName}'s default order must end on id or -id`);
  return order.map((entry, i) => {
    const key: SortKey = { column: entry.replace(/^-/, ""), direction: entry.startsWith("-") ? "DESC" : "ASC" };
    return i === order.length - 1 ? { ...key, list: typeName } : key;
  });
}

/** Builds the registry from the TypeORM decorator metadata and the model annotations of `classes`. */
export function buildModel(classes: readonly EntityClass[]): ModelRegistry {
  const args = getMetadataArgsStorage();
  const nameOf = new Map<EntityClass, NodeTypeName>();
  for (const entity of classes) nameOf.set(entity, entity.name as NodeTypeName);
  // A relation names its target by a thunk (`() => Person`) or, to spare the entity files an
  // import cycle, by the entity's class name (`"Person"`).
  const typeOf = (target: Args["relations"][number]["type"], at: string): NodeTypeName => {
    const entity = typeof target === "string" ? classes.find((c) => c.name === target) : typeof target === "function" ? (target as () => unknown)() : undefined;
    const name = nameOf.get(entity as EntityClass);
    if (!name) throw new Error(`${at} points at a class that is not an entity of the model`);
    return name;
  };

  // First pass: tables, columns and to-one relations.
  const drafts = new Map<
    NodeTypeName,
    TypeModel & { toOne: Map<string, ToOneModel>; toMany: Map<string, ToManyModel>; referrers: ReferrerModel[]; cascades: ReferrerModel[] }
  >();
  for (const entity of classes) {
    const name = nameOf.get(entity)!;
    const annotations = entityAnnotations(entity);
    if (!annotations.model) throw new Error(`${name} has no @Model annotation`);
    const table = args.tables.find((t) => t.target === entity)?.name;
    if (!table) throw new Error(`${name} has no @Entity table`);
    const columns = new Map<string, ColumnModel>();
    for (const column of args.columns.filter((c) => c.target === entity)) {
      const options = annotations.filterable.get(column.propertyName);
      const columnName = column.options.name ?? column.propertyName;
      const timestamp = column.mode === "createDate" || column.mode === "updateDate";
      columns.set(columnName, {
        property: column.propertyName,
        name: columnName,
        type: timestamp ? "datetime" : String(column.options.type ?? ""),
        nullable: column.options.nullable === true,
        primary: column.options.primary === true,
        unique: Boolean(column.options.primary || column.options.unique),
        filter: filterKind(column, options),
        ...(options?.enum ? { enumValues: Object.values(options.enum) } : {}),
      });
    }
    const toOne = new Map<string, ToOneModel>();
    for (const relation of args.relations.filter((r) => r.target === entity && r.relationType === "many-to-one")) {
      const join = args.joinColumns.find((j) => j.target === entity && j.propertyName === relation.propertyName);
      const column = join?.name;
      if (!column || !columns.has(column)) throw new Error(`${name}.${relation.propertyName} needs a @JoinColumn naming one of its columns`);
      toOne.set(relation.propertyName, {
        field: relation.propertyName,
        column,
        target: typeOf(relation.type, `${name}.${relation.propertyName}`),
        nullable: relation.options.nullable !== false,
        onDelete: relation.options.onDelete ?? "NO ACTION",
        filterable: annotations.filterable.has(relation.propertyName),
      });
    }
    const model = annotations.model;
    drafts.set(name, {
      name,
      entity,
      table,
      plural: model.plural,
      editorOnly: model.editorOnly === true,
      editable: model.editable === true,
      defaultOrder: sortKeys(name, model.order),
      columns,
      uniqueColumns: new Set([...columns.values()].filter((c) => c.unique).map((c) => c.name)),
      jsonColumns: [...columns.values()].filter((c) => c.type === "simple-json").map((c) => c.name),
      toOne,
      toMany: new Map(),
      referrers: [],
      cascades: [],
      filterable: annotations.filterable.size > 0,
    });
  }

  // Second pass: to-many relations (the inverse of another type's to-one) and referrers.
  for (const entity of classes) {
    const draft = drafts.get(nameOf.get(entity)!)!;
    const annotations = entityAnnotations(entity);
    for (const relation of args.relations.filter((r) => r.target === entity && r.relationType === "one-to-many")) {
      const target = typeOf(relation.type, `${draft.name}.${relation.propertyName}`);
      const inverse = propertyName(relation.inverseSideProperty);
      const back = inverse === undefined ? undefined : drafts.get(target)!.toOne.get(inverse);
      if (!back || back.target !== draft.name) {
        throw new Error(`${draft.name}.${relation.propertyName} must name ${target}'s to-one relation back to ${draft.name}`);
      }
      draft.toMany.set(relation.propertyName, {
        field: relation.propertyName,
        target,
        column: back.column,
        inverse: back.field,
        filterable: annotations.filterable.has(relation.propertyName),
      });
    }
    for (const [field, through] of annotations.through) {
      const via = draft.toMany.get(through.via);
      const link = via && drafts.get(via.target)!;
      const to = link?.toOne.get(through.to);
      if (!via || !link || !to) throw new Error(`${draft.name}.${field} goes through ${through.via}.${through.to}, which the model does not have`);
      draft.toMany.set(field, {
        field,
        target: to.target,
        column: via.column,
        through: { table: link.table, own: via.column, other: to.column },
        filterable: annotations.filterable.has(field),
      });
    }
  }

  // Third pass: what refers to each type, first in the order of its to-many relations.
  for (const draft of drafts.values()) {
    const pointing = [...drafts.values()].flatMap((other) =>
      [...other.toOne.values()].filter((r) => r.target === draft.name).map((r) => ({ type: other.name, column: r.column, field: r.field, onDelete: r.onDelete })),
    );
    const rank = (r: ReferrerModel): number => {
      const index = [...draft.toMany.values()].findIndex((m) => !m.through && m.target === r.type && m.inverse === r.field);
      return index < 0 ? Number.MAX_SAFE_INTEGER : index;
    };
    pointing.sort((a, b) => rank(a) - rank(b));
    const as = (onDelete: string): ReferrerModel[] =>
      pointing.filter((r) => r.onDelete === onDelete).map(({ type, column, field }) => ({ type, column, field }));
    draft.referrers.push(...as("RESTRICT"));
    draft.cascades.push(...as("CASCADE"));
  }

  const types: ReadonlyMap<NodeTypeName, TypeModel> = drafts;
  return {
    types,
    type(name) {
      const found = types.get(name);
      if (!found) throw new Error(`${name} is not a node type`);
      return found;
    },
  };
}

let built: ModelRegistry | undefined;

/**
 * The registry of the server's entities. It depends only on the code, never on data or
 * configuration, so one per process is the same in every test and every process.
 */
export function model(): ModelRegistry {
  built ??= buildModel(entities);
  return built;
}

/** The model of one node type. */
export function typeModel(name: NodeTypeName): TypeModel {
  return model().type(name);
}
