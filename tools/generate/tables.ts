/**
 * The tables the generator fills and their columns: what the main thread (`generate.ts`), the
 * worker (`worker.ts`) and the content (`content.ts`) agree on, in a module of its own so that
 * none of them imports another for it.
 */

/** Row counts per table, in insertion order. */
export interface TableCounts {
  country: number;
  organization: number;
  person: number;
  article: number;
  position: number;
  quote: number;
}

export type TableName = keyof TableCounts;

/** The tables in the order they are filled (every foreign key points to an earlier one). */
export const TABLES: readonly TableName[] = ["country", "organization", "person", "article", "position", "quote"];

/** The columns of each table, in the order the worker and `BulkInsert` give them. */
export const COLUMNS: Record<TableName, readonly string[]> = {
  country: ["id", "name", "alpha2", "alpha3", "createdAt", "updatedAt"],
  organization: ["id", "name", "aliases", "kind", "description", "countryId", "parentId", "createdAt", "updatedAt"],
  person: ["id", "name", "aliases", "description", "countryId", "createdAt", "updatedAt"],
  article: ["id", "url", "title", "publisher", "byline", "publishedAt", "body", "language", "createdAt", "updatedAt"],
  position: ["id", "personId", "title", "organizationId", "countryId", "startDate", "endDate", "articleId", "startOffset", "endOffset", "createdAt", "updatedAt"],
  quote: ["id", "text", "kind", "speakerId", "speakerCountryId", "speakerOrganizationId", "articleId", "startOffset", "endOffset", "createdAt", "updatedAt"],
};
