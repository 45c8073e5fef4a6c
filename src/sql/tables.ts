import { Article, Candidate, Country, Edit, Mention, NODE_TYPE, Organization, Person, Position, Proposal, Quote, Typed } from "../entities";
import { model, NodeTypeName, SortKey, typeModel } from "../model/registry";
import type { Dialect } from "../storage/dialect";

export type { NodeTypeName, SortKey };

/** A row as better-sqlite3 returns it. */
export type RawRow = Record<string, unknown>;

/** The SQL expression a sort key orders by. */
export function sortExpression(key: SortKey, alias = "t"): string {
  return key.nullsAsEmpty ? `COALESCE(${alias}."${key.column}", '')` : `${alias}."${key.column}"`;
}

/**
 * Every column of a type's table aliased `alias`, for a read of whole rows: `alias.*` on SQLite;
 * on PostgreSQL the model's columns by name, which leaves out the generated `search` vector (as
 * large as the text it indexes, and read by nothing but search).
 */
export function everyColumn(dialect: Dialect, target: { typeName: NodeTypeName }, alias: string): string {
  if (dialect.kind === "sqlite") return `${alias}.*`;
  let list = columnLists.get(target.typeName);
  if (!list) {
    list = [...typeModel(target.typeName).columns.keys()].map((c) => `"${c}"`);
    columnLists.set(target.typeName, list);
  }
  return list.map((c) => `${alias}.${c}`).join(", ");
}

const columnLists = new Map<NodeTypeName, string[]>();

/** The types only editors may read, down to whether a record exists: the edit log and the review workflow. */
export const EDITOR_ONLY_TYPES: ReadonlySet<string> = new Set([...model().types.values()].filter((t) => t.editorOnly).map((t) => t.name));

/** What the read paths need to know about one table: a view of the model registry. */
export interface TableDef<T = unknown> {
  typeName: NodeTypeName;
  table: string;
  /** Turns a raw SQLite row into the object the GraphQL type reads. */
  hydrate(row: RawRow): T;
  /** The default order of every list of this type, always ending on the primary key. */
  defaultOrder: SortKey[];
}

/**
 * The read paths' view of one type. Hydrating tags a raw row in place with its GraphQL type and
 * parses its JSON columns when the row was read with them (a projection may leave them out).
 * Timestamps stay as SQLite text and become ISO strings in the `DateTime` scalar, only when
 * selected: hydrating a page allocates nothing new.
 */
export function tableOf<T>(typeName: NodeTypeName): TableDef<T> {
  const type = typeModel(typeName);
  const json = type.jsonColumns;
  return {
    typeName,
    table: type.table,
    defaultOrder: [...type.defaultOrder],
    hydrate(row) {
      for (const column of json) if (column in row) row[column] = JSON.parse(String(row[column] ?? "[]"));
      (row as Typed)[NODE_TYPE] = typeName;
      return row as T;
    },
  };
}

export const ArticleTable = tableOf<Article>("Article");
export const CountryTable = tableOf<Country>("Country");
export const OrganizationTable = tableOf<Organization>("Organization");
export const PersonTable = tableOf<Person>("Person");
export const PositionTable = tableOf<Position>("Position");
export const QuoteTable = tableOf<Quote>("Quote");
export const MentionTable = tableOf<Mention>("Mention");
export const EditTable = tableOf<Edit>("Edit");
export const ProposalTable = tableOf<Proposal>("Proposal");
export const CandidateTable = tableOf<Candidate>("Candidate");

/** Every table by its GraphQL type name, for `node(id:)`. */
export const tablesByType: Record<NodeTypeName, TableDef> = {
  Article: ArticleTable,
  Country: CountryTable,
  Organization: OrganizationTable,
  Person: PersonTable,
  Position: PositionTable,
  Quote: QuoteTable,
  Mention: MentionTable,
  Edit: EditTable,
  Proposal: ProposalTable,
  Candidate: CandidateTable,
};
