import { SqlValue } from "../storage/database";
import type { Dialect, Sql } from "../storage/dialect";
import { BadUserInputError } from "../errors";
import { fromGlobalIdOfType } from "../model/global-id";
import { FilterKind } from "../model/decorators";
import { model, NodeTypeName, ToManyModel, TypeModel, typeModel } from "../model/registry";

type ScalarKind = FilterKind;

interface ToOne {
  column: string;
  target: NodeTypeName;
}

/**
 * A to-many relation: `from(inner, link)` names the rows (target aliased `inner`, the link row
 * of a `through` relation aliased `link`), and `column(inner, link)` is the column holding the
 * outer row's id on each of them.
 */
interface ToMany {
  target: NodeTypeName;
  from(inner: string, link: string): string;
  column(inner: string, link: string): string;
}

/** What a filter on one type can test: its `XFilter` input, as the model registry describes it. */
interface EntitySpec {
  table: string;
  scalars: Record<string, { kind: ScalarKind; column: string }>;
  toOne: Record<string, ToOne>;
  toMany: Record<string, ToMany>;
  special?: Record<string, (alias: string, value: unknown) => Sql>;
}

/**
 * Conditions that are not a field's value: the filter fields whose SQL is ours to write. They
 * must also be in the type's `XFilter` input.
 */
const SPECIAL_CONDITIONS: Partial<Record<NodeTypeName, EntitySpec["special"]>> = {
  Position: {
    activeAt: (alias, value) => activeOn(alias, value as string, false, false),
    activeOn: (alias, value) => {
      const { date, knownStartOnly, knownEndOnly } = value as { date: string; knownStartOnly?: boolean | null; knownEndOnly?: boolean | null };
      return activeOn(alias, date, knownStartOnly === true, knownEndOnly === true);
    },
  },
};

function toMany(relation: ToManyModel): ToMany {
  const target = typeModel(relation.target).table;
  const { through } = relation;
  if (through) {
    return {
      target: relation.target,
      from: (inner, link) => `"${through.table}" ${link} JOIN "${target}" ${inner} ON ${inner}.id = ${link}."${through.other}"`,
      column: (_inner, link) => `${link}."${through.own}"`,
    };
  }
  return { target: relation.target, from: (inner) => `"${target}" ${inner}`, column: (inner) => `${inner}."${relation.column}"` };
}

/** The filter view of one type of the model registry: its filterable columns and relations. */
function entitySpec(type: TypeModel): EntitySpec {
  const scalars: EntitySpec["scalars"] = {};
  for (const column of type.columns.values()) {
    if (column.filter) scalars[column.property] = { kind: column.filter, column: column.name };
  }
  const toOne: EntitySpec["toOne"] = {};
  for (const relation of type.toOne.values()) {
    if (relation.filterable) toOne[relation.field] = { column: relation.column, target: relation.target };
  }
  const many: EntitySpec["toMany"] = {};
  for (const relation of type.toMany.values()) {
    if (relation.filterable) many[relation.field] = toMany(relation);
  }
  return { table: type.table, scalars, toOne, toMany: many, special: SPECIAL_CONDITIONS[type.name] };
}

/** What can be filtered on, per type; mirrors the `XFilter` input types. */
export const FILTER_SPECS: Partial<Record<NodeTypeName, EntitySpec>> = Object.fromEntries(
  [...model().types.values()].filter((type) => type.filterable).map((type) => [type.name, entitySpec(type)]),
);

/**
 * Positions held on a day. A date of year or month precision covers its whole year or month, so
 * each bound is compared with the day cut to that bound's own precision. An unknown start counts
 * as "always" and an unknown end as "still held" (`activeAt`'s documented rule) unless the caller
 * asks for known dates only, for a researcher who wants what the dates prove.
 */
function activeOn(alias: string, day: string, knownStartOnly: boolean, knownEndOnly: boolean): Sql {
  const start = `${alias}."startDate" <= substr(?, 1, length(${alias}."startDate"))`;
  const end = `${alias}."endDate" >= substr(?, 1, length(${alias}."endDate"))`;
  return {
    sql:
      `((${knownStartOnly ? start : `${alias}."startDate" IS NULL OR ${start}`}) AND ` +
      `(${knownEndOnly ? end : `${alias}."endDate" IS NULL OR ${end}`}))`,
    params: [day, day],
  };
}

/**
 * `map[key]` when `key` is the map's own entry, never what every object inherits: a filter key
 * such as `constructor` would otherwise find Object's constructor and compile to broken SQL.
 */
function own<T>(map: Readonly<Record<string, T>> | undefined, key: string): T | undefined {
  return map !== undefined && Object.hasOwn(map, key) ? map[key] : undefined;
}

function specOf(typeName: NodeTypeName): EntitySpec {
  const spec = FILTER_SPECS[typeName];
  if (!spec) throw new Error(`${typeName} lists cannot be filtered`);
  return spec;
}

/**
 * Bounds on a filter's size, so one request cannot build an unbounded SQL statement. A string
 * operand is at most 10,000 characters, the longest text stored (a quote): longer ones match
 * nothing, and past 50,000 bytes SQLite refuses a LIKE pattern outright. 10,000 UTF-16 units
 * are at most 30,000 bytes of UTF-8, escaped `%`, `_` and `\\` at most 20,000.
 */
export const FILTER_LIMITS = { depth: 6, conditions: 100, listItems: 100, stringLength: 10_000 };

type FilterInput = Record<string, unknown>;

/**
 * Whether a filter matches at most one row of its table: it asks, among its top-level
 * conditions (all of which must hold), for one value of a unique column.
 */
function pinsOneRow(typeName: NodeTypeName, filter: FilterInput): boolean {
  const spec = specOf(typeName);
  const unique = typeModel(typeName).uniqueColumns;
  return Object.entries(filter).some(([key, ops]) => {
    const scalar = own(spec.scalars, key);
    if (!scalar || !unique.has(scalar.column) || typeof ops !== "object" || ops === null) return false;
    const eq = (ops as FilterInput).eq;
    return eq !== undefined && eq !== null;
  });
}

/** Compiles filter inputs into SQL, giving every nested table a fresh alias. */
class FilterCompiler {
  constructor(private readonly dialect: Dialect) {}

  private aliasCount = 0;
  private conditions = 0;

  private alias(): string {
    this.aliasCount += 1;
    return `f${this.aliasCount}`;
  }

  private count(argument: string): void {
    this.conditions += 1;
    if (this.conditions > FILTER_LIMITS.conditions) {
      throw new BadUserInputError(`A filter may hold at most ${FILTER_LIMITS.conditions} conditions`, argument);
    }
  }

  /**
   * `inToMany`: whether `alias` is a row of a to-many relation's subquery, which may be visited
   * more than once per row of its table (once per outer row, or once per `position` link row);
   * see `toMany`.
   */
  compile(typeName: NodeTypeName, filter: FilterInput, alias: string, depth: number, path: string, inToMany = false): Sql {
    if (depth > FILTER_LIMITS.depth) {
      throw new BadUserInputError(`Filters may nest at most ${FILTER_LIMITS.depth} levels deep`, path);
    }
    const spec = specOf(typeName);
    const parts: Sql[] = [];
    for (const [key, value] of Object.entries(filter)) {
      if (value === undefined || value === null) continue;
      const at = `${path}.${key}`;
      const scalar = own(spec.scalars, key);
      const toOne = own(spec.toOne, key);
      const toMany = own(spec.toMany, key);
      const special = own(spec.special, key);
      if (key === "and" || key === "or") {
        const list = value as FilterInput[];
        this.checkList(list, at);
        const compiled = list.map((f, i) => this.compile(typeName, f, alias, depth + 1, `${at}[${i}]`, inToMany));
        // As in logic (and as `in: []`): no conditions to meet all of is true, no alternatives false.
        if (compiled.length === 0) parts.push({ sql: key === "and" ? "TRUE" : "FALSE", params: [] });
        else parts.push(join(compiled, key === "and" ? "AND" : "OR"));
      } else if (key === "not") {
        const inner = this.compile(typeName, value as FilterInput, alias, depth + 1, at, inToMany);
        parts.push({ sql: `(${inner.sql}) IS NOT TRUE`, params: inner.params });
      } else if (scalar) {
        parts.push(this.scalar(typeName, scalar.kind, `${alias}."${scalar.column}"`, value as FilterInput, at));
      } else if (toOne) {
        this.count(at);
        const { column, target } = toOne;
        const inner = this.alias();
        // The subquery refers to nothing outside it, so SQLite runs it once per statement, each
        // target row visited once, wherever it stands: a to-many inside it starts afresh.
        const nested = this.compile(target, value as FilterInput, inner, depth + 1, at, false);
        // An IN over the foreign key (not a correlated EXISTS) lets SQLite start from the few
        // matching parents and use the foreign-key index, instead of testing every row of the
        // outer table. A null key is not IN anything, so it never matches.
        // When the nested filter pins a unique column (`country: { alpha2: { eq: "RU" } }`), at
        // most one row matches, and a scalar subquery tells SQLite so: it can then walk an index
        // on (foreign key, sort key) in order and stop at the page's end instead of sorting every
        // match (the benchmark's Q5 page). Where nothing matches the scalar is
        // NULL and IN gives NULL; filters only ever test for TRUE (WHERE, IS NOT TRUE), so both agree.
        const operator = pinsOneRow(target, value as FilterInput) ? "=" : "IN";
        parts.push({
          sql: `${alias}."${column}" ${operator} (SELECT ${inner}.id FROM "${specOf(target).table}" ${inner} WHERE ${nested.sql})`,
          params: nested.params,
        });
      } else if (toMany) {
        parts.push(this.toMany(toMany, value as FilterInput, alias, depth, at, inToMany));
      } else if (special) {
        this.count(at);
        parts.push(special(alias, value));
      }
    }
    return parts.length > 0 ? join(parts, "AND") : { sql: "TRUE", params: [] };
  }

  /**
   * A to-many condition. Where the outer row is visited once per row of its table (the
   * statement's own rows, or a to-one's subquery), it is a correlated EXISTS: each child row is
   * then looked at once per its own parent, and a page walking an index can stop early (the
   * benchmark's Q5). Inside another to-many's subquery, a correlated EXISTS would re-run for
   * every outer row times every row of the enclosing subquery (a person's organizations times
   * each organization's members: quadratic); there it is a membership test in a subquery
   * that refers to nothing outside it, which SQLite runs once per statement into an ephemeral
   * index, so the statement stays linear in the tables' sizes. The link column is never null
   * in the list, as `x NOT IN (…, NULL)` is never true.
   */
  private toMany(relation: ToMany, filter: FilterInput, outer: string, depth: number, path: string, inToMany: boolean): Sql {
    const parts: Sql[] = [];
    for (const quantifier of ["some", "every", "none"] as const) {
      const value = filter[quantifier] as FilterInput | null | undefined;
      if (value === undefined || value === null) continue;
      const at = `${path}.${quantifier}`;
      this.count(at);
      const inner = this.alias();
      const link = this.alias();
      const nested = this.compile(relation.target, value, inner, depth + 1, at, true);
      const from = relation.from(inner, link);
      const column = relation.column(inner, link);
      const condition = quantifier === "every" ? `(${nested.sql}) IS NOT TRUE` : nested.sql;
      if (inToMany) {
        const members = `(SELECT ${column} FROM ${from} WHERE ${condition} AND ${column} IS NOT NULL)`;
        parts.push({ sql: `${outer}.id ${quantifier === "some" ? "IN" : "NOT IN"} ${members}`, params: nested.params });
      } else {
        const exists = `EXISTS (SELECT 1 FROM ${from} WHERE ${column} = ${outer}.id AND ${condition})`;
        parts.push({ sql: quantifier === "some" ? exists : `NOT ${exists}`, params: nested.params });
      }
    }
    return parts.length > 0 ? join(parts, "AND") : { sql: "TRUE", params: [] };
  }

  private checkList(list: unknown[], path: string): void {
    if (list.length > FILTER_LIMITS.listItems) {
      throw new BadUserInputError(`A list in a filter may hold at most ${FILTER_LIMITS.listItems} items`, path);
    }
  }

  private scalar(typeName: NodeTypeName, kind: ScalarKind, column: string, ops: FilterInput, path: string): Sql {
    const parts: Sql[] = [];
    const add = (sql: string, ...params: SqlValue[]): void => {
      this.count(path);
      parts.push({ sql, params });
    };
    const addCondition = (condition: Sql): void => add(condition.sql, ...condition.params);
    const value = (v: unknown): SqlValue => {
      if (kind === "datetime") return this.dialect.timestampParam(v as Date);
      if (kind === "id") return fromGlobalIdOfType(v as string, typeName, path);
      return v as SqlValue;
    };
    if (kind === "aliases") {
      // "Any alias matches": the string conditions apply to each entry of the JSON list. An alias
      // is never null, so `isNull` asks about the list: true for none at all, false for some.
      const { isNull, ...each } = ops;
      const aliasParts: Sql[] = [];
      if (isNull !== undefined && isNull !== null) {
        this.count(path);
        aliasParts.push({ sql: `${this.dialect.jsonLength(column)} ${isNull ? "=" : ">"} 0`, params: [] });
      }
      if (Object.values(each).some((v) => v !== undefined && v !== null)) {
        const inner = this.scalar(typeName, "string", "j.value", each, path);
        aliasParts.push({ sql: this.dialect.anyJsonEntry(column, () => inner.sql), params: inner.params });
      }
      return aliasParts.length > 0 ? join(aliasParts, "AND") : { sql: "TRUE", params: [] };
    }
    for (const [op, raw] of Object.entries(ops)) {
      if (raw === undefined || raw === null) continue;
      for (const item of Array.isArray(raw) ? raw : [raw]) {
        if (typeof item === "string" && item.length > FILTER_LIMITS.stringLength) {
          throw new BadUserInputError(`A string in a filter may be at most ${FILTER_LIMITS.stringLength} characters long`, `${path}.${op}`);
        }
      }
      switch (op) {
        case "eq":
          add(`${column} = ?`, value(raw));
          break;
        case "in": {
          const list = raw as unknown[];
          this.checkList(list, `${path}.in`);
          if (list.length === 0) add("FALSE");
          else add(`${column} IN (${list.map(() => "?").join(", ")})`, ...list.map(value));
          break;
        }
        case "lt":
          add(`${column} < ?`, value(raw));
          break;
        case "lte":
          add(`${column} <= ?`, value(raw));
          break;
        case "gt":
          add(`${column} > ?`, value(raw));
          break;
        case "gte":
          add(`${column} >= ?`, value(raw));
          break;
        case "isNull":
          add(raw ? `${column} IS NULL` : `${column} IS NOT NULL`);
          break;
        case "eqIgnoreCase":
          addCondition(this.dialect.ignoringCase.equals(column, raw as string));
          break;
        case "contains":
          add(this.dialect.contains(column), raw as string);
          break;
        case "containsIgnoreCase":
          addCondition(this.dialect.ignoringCase.contains(column, raw as string));
          break;
        case "startsWith":
          add(this.dialect.startsWith(column), ...Array<string>(this.dialect.startsWithParams).fill(raw as string));
          break;
        case "startsWithIgnoreCase":
          addCondition(this.dialect.ignoringCase.startsWith(column, raw as string));
          break;
        default:
          throw new BadUserInputError(`Unknown filter operator ${op}`, path);
      }
    }
    return parts.length > 0 ? join(parts, "AND") : { sql: "TRUE", params: [] };
  }
}

function join(parts: Sql[], operator: "AND" | "OR"): Sql {
  if (parts.length === 1) return parts[0];
  return { sql: `(${parts.map((p) => `(${p.sql})`).join(` ${operator} `)})`, params: parts.flatMap((p) => p.params) };
}

/**
 * Compiles a filter input on `typeName` rows aliased `alias` into a WHERE condition. Null
 * handling follows SQL's three-valued logic made two-valued: a condition on a missing value is
 * false, and `not` and `every` treat "unknown" as "does not hold". Every scalar operator and
 * every relation condition (a to-one key, each `some`, `every` and `none`) counts toward
 * `FILTER_LIMITS.conditions`.
 */
export function compileFilter(dialect: Dialect, typeName: NodeTypeName, filter: unknown, alias = "t", argument = "filter"): Sql | null {
  if (filter === undefined || filter === null) return null;
  return new FilterCompiler(dialect).compile(typeName, filter as FilterInput, alias, 1, argument);
}
