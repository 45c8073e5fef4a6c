import { Article, Candidate, Country, Edit, NODE_TYPE, Organization, Person, Position, Proposal, Quote, Typed } from "../entities";

/** A row as better-sqlite3 returns it. */
export type RawRow = Record<string, unknown>;

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

/** The SQL expression a sort key orders by. */
export function sortExpression(key: SortKey, alias = "t"): string {
  return key.nullsAsEmpty ? `COALESCE(${alias}."${key.column}", '')` : `${alias}."${key.column}"`;
}

/** The GraphQL type names that are also tables. */
export type NodeTypeName = "Article" | "Country" | "Organization" | "Person" | "Position" | "Quote" | "Edit" | "Proposal" | "Candidate";

/** The types only editors may read, down to whether a record exists: the edit log and the review workflow. */
export const EDITOR_ONLY_TYPES: ReadonlySet<string> = new Set<NodeTypeName>(["Edit", "Proposal", "Candidate"]);

/** What the read paths need to know about one table. */
export interface TableDef<T = unknown> {
  typeName: NodeTypeName;
  table: string;
  /** Turns a raw SQLite row into the object the GraphQL type reads. */
  hydrate(row: RawRow): T;
  /** The default order of every list of this type, always ending on the primary key. */
  defaultOrder: SortKey[];
}

/**
 * Tags a raw row in place with its GraphQL type. Timestamps stay as SQLite text and become ISO
 * strings in the `DateTime` scalar, only when selected: hydrating a page allocates nothing new.
 */
function base<T>(typeName: NodeTypeName, row: RawRow): T {
  (row as Typed)[NODE_TYPE] = typeName;
  return row as T;
}

/** Parses the JSON aliases column, when the row was read with it (a projection may leave it out). */
function withAliases<T>(typeName: NodeTypeName, row: RawRow): T {
  if ("aliases" in row) row.aliases = JSON.parse(String(row.aliases ?? "[]"));
  return base<T>(typeName, row);
}

/** The final key of every order: the row's id, in `direction`, marked with the list's type. */
function byId(list: NodeTypeName, direction: SortKey["direction"] = "ASC"): SortKey {
  return { column: "id", direction, list };
}

export const ArticleTable: TableDef<Article> = {
  typeName: "Article",
  table: "article",
  hydrate: (row) => base<Article>("Article", row),
  defaultOrder: [{ column: "publishedAt", direction: "DESC" }, byId("Article", "DESC")],
};

export const CountryTable: TableDef<Country> = {
  typeName: "Country",
  table: "country",
  hydrate: (row) => base<Country>("Country", row),
  defaultOrder: [{ column: "name", direction: "ASC" }, byId("Country")],
};

export const OrganizationTable: TableDef<Organization> = {
  typeName: "Organization",
  table: "organization",
  hydrate: (row) => withAliases<Organization>("Organization", row),
  defaultOrder: [{ column: "name", direction: "ASC" }, byId("Organization")],
};

export const PersonTable: TableDef<Person> = {
  typeName: "Person",
  table: "person",
  hydrate: (row) => withAliases<Person>("Person", row),
  defaultOrder: [{ column: "name", direction: "ASC" }, byId("Person")],
};

export const PositionTable: TableDef<Position> = {
  typeName: "Position",
  table: "position",
  hydrate: (row) => base<Position>("Position", row),
  defaultOrder: [{ column: "articleId", direction: "ASC" }, { column: "startOffset", direction: "ASC" }, byId("Position")],
};

export const QuoteTable: TableDef<Quote> = {
  typeName: "Quote",
  table: "quote",
  hydrate: (row) => base<Quote>("Quote", row),
  defaultOrder: [{ column: "articleId", direction: "ASC" }, { column: "startOffset", direction: "ASC" }, byId("Quote")],
};

/** The edit log: newest first. Entries have no `updatedAt`, as they never change. */
export const EditTable: TableDef<Edit> = {
  typeName: "Edit",
  table: "edit",
  hydrate: (row) => base<Edit>("Edit", row),
  defaultOrder: [byId("Edit", "DESC")],
};

/** Proposals for review: newest first. */
export const ProposalTable: TableDef<Proposal> = {
  typeName: "Proposal",
  table: "proposal",
  hydrate: (row) => base<Proposal>("Proposal", row),
  defaultOrder: [byId("Proposal", "DESC")],
};

/** A proposal's candidates, in the order the extractor found them. */
export const CandidateTable: TableDef<Candidate> = {
  typeName: "Candidate",
  table: "candidate",
  hydrate: (row) => base<Candidate>("Candidate", row),
  defaultOrder: [byId("Candidate")],
};

/** Every table by its GraphQL type name, for `node(id:)`. */
export const tablesByType: Record<NodeTypeName, TableDef> = {
  Article: ArticleTable,
  Country: CountryTable,
  Organization: OrganizationTable,
  Person: PersonTable,
  Position: PositionTable,
  Quote: QuoteTable,
  Edit: EditTable,
  Proposal: ProposalTable,
  Candidate: CandidateTable,
};
