import type { Store } from "../src/storage/store";
import { GqlResult } from "./helpers";

/** The editor token every editing test configures (`EDITOR_TOKENS=alice:s3cret,bob:t0ken`). */
export const ALICE = "s3cret";
export const BOB = "t0ken";
export const EDITORS = { EDITOR_TOKENS: "alice:s3cret,bob:t0ken" };

const TABLES = ["article", "country", "organization", "person", "position", "quote", "edit"];

/**
 * Every row of every table as one string, to prove that a refused mutation wrote nothing (not
 * even an `updatedAt` or an edit-log entry).
 */
export async function fingerprint(db: Store): Promise<string> {
  const tables: unknown[] = [];
  for (const table of TABLES) tables.push(await db.all(`SELECT * FROM "${table}" ORDER BY id`));
  return JSON.stringify(tables);
}

/** How many rows a table holds. */
export async function count(db: Store, table: string): Promise<number> {
  return (await db.get<{ n: number }>(`SELECT COUNT(*) AS n FROM "${table}"`))?.n ?? 0;
}

/** The first error of a result, failing the test when there is none. */
export function firstError(result: GqlResult): { message: string; extensions: Record<string, unknown> } {
  const error = result.errors?.[0];
  if (!error) throw new Error(`expected an error, got ${JSON.stringify(result.data)}`);
  return { message: error.message, extensions: error.extensions ?? {} };
}

/** The `{ field, rule }` pairs of a BAD_USER_INPUT validation error. */
export function problems(result: GqlResult): Array<{ field: string; rule: string }> {
  const { extensions } = firstError(result);
  const list = (extensions.validationErrors ?? []) as Array<{ field: string; rule: string }>;
  return list.map(({ field, rule }) => ({ field, rule }));
}

/** A mutation document taking `$input` of `inputType` and selecting `selection` from `field`. */
export function mutation(field: string, inputType: string, selection: string): string {
  return `mutation($input: ${inputType}!) { ${field}(input: $input) { ${selection} } }`;
}

export const CREATE_PERSON = mutation("createPerson", "CreatePersonInput", "clientMutationId person { id name aliases description wikidataId country { name } }");
export const UPDATE_PERSON = mutation("updatePerson", "UpdatePersonInput", "person { id name aliases description wikidataId country { name } updatedAt }");
export const DELETE_PERSON = mutation("deletePerson", "DeletePersonInput", "deletedId cascadedIds");
export const CREATE_COUNTRY = mutation("createCountry", "CreateCountryInput", "country { id name alpha2 alpha3 wikidataId }");
export const UPDATE_COUNTRY = mutation("updateCountry", "UpdateCountryInput", "country { id name alpha2 alpha3 wikidataId }");
export const DELETE_COUNTRY = mutation("deleteCountry", "DeleteCountryInput", "deletedId cascadedIds");
export const CREATE_ORGANIZATION = mutation(
  "createOrganization",
  "CreateOrganizationInput",
  "organization { id name aliases kind description wikidataId country { name } parent { name } }",
);
export const UPDATE_ORGANIZATION = mutation("updateOrganization", "UpdateOrganizationInput", "organization { id name kind parent { name } country { name } }");
export const DELETE_ORGANIZATION = mutation("deleteOrganization", "DeleteOrganizationInput", "deletedId cascadedIds");
export const CREATE_ARTICLE = mutation("createArticle", "CreateArticleInput", "article { id url title publisher byline publishedAt body language }");
export const UPDATE_ARTICLE = mutation("updateArticle", "UpdateArticleInput", "article { id url title byline body }");
export const DELETE_ARTICLE = mutation("deleteArticle", "DeleteArticleInput", "deletedId cascadedIds");
export const CREATE_QUOTE = mutation(
  "createQuote",
  "CreateQuoteInput",
  "quote { id text kind speaker { name } speakerCountry { name } speakerOrganization { name } evidence { startOffset endOffset text article { url } } }",
);
export const UPDATE_QUOTE = mutation("updateQuote", "UpdateQuoteInput", "quote { id text kind speaker { name } evidence { startOffset endOffset text } }");
export const DELETE_QUOTE = mutation("deleteQuote", "DeleteQuoteInput", "deletedId cascadedIds");
export const CREATE_POSITION = mutation(
  "createPosition",
  "CreatePositionInput",
  "position { id title startDate endDate person { name } organization { name } country { name } evidence { startOffset endOffset text } }",
);
export const UPDATE_POSITION = mutation("updatePosition", "UpdatePositionInput", "position { id title startDate endDate person { name } evidence { text } }");
export const DELETE_POSITION = mutation("deletePosition", "DeletePositionInput", "deletedId cascadedIds");
export const ADD_ARTICLE = mutation(
  "addArticle",
  "AddArticleInput",
  "article { id url } countries { id name } organizations { id name parent { name } } people { id name country { name } } positions { id title person { name } evidence { text } } quotes { id text kind speaker { name } evidence { text } }",
);
