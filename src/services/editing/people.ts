import { Person } from "../../entities";
import { DeleteInputShape } from "../../inputs/common.input";
import { AddArticlePersonInput, CreatePersonInput, UpdatePersonInput } from "../../inputs/person.input";
import { aliasesAfterUpdate, assertUnique, assertUniqueWikidataId, cleanAliases, reference, trim } from "./consistency";
import { deleteRecord, DeleteResult, target } from "./common";
import { namesOf, refreshArticlesNaming } from "./mentions";
import { EditSession, Row } from "./session";

type PersonRow = Person & Row;

/** The columns of a person, normalized, with references as database IDs. */
export interface PersonValues {
  name?: string;
  aliases?: string[];
  description?: string | null;
  countryId?: number | null;
  wikidataId?: string | null;
}

async function check(session: EditSession, values: PersonValues, field: string, exceptId?: number): Promise<void> {
  await assertUnique(session, "Person", "name", values.name, `${field}.name`, { ignoreCase: true, exceptId });
  await assertUniqueWikidataId(session, values.wikidataId, `${field}.wikidataId`, exceptId ? { type: "Person", id: exceptId } : undefined);
}

/** Inserts a person whose references are already resolved (shared by `createPerson` and `addArticle`). */
export async function insertPerson(session: EditSession, values: PersonValues, field: string): Promise<PersonRow> {
  await check(session, values, field);
  return session.create<PersonRow>("Person", {
    name: values.name,
    aliases: values.aliases ?? [],
    description: values.description ?? null,
    countryId: values.countryId ?? null,
    wikidataId: values.wikidataId ?? null,
  });
}

/** The plain (non-reference) fields of a person input, normalized. */
export function personFields(input: CreatePersonInput | UpdatePersonInput | AddArticlePersonInput): PersonValues {
  return {
    name: trim(input.name),
    aliases: cleanAliases(input.aliases, input.name),
    description: trim(input.description),
    wikidataId: input.wikidataId,
  };
}

/** Creates a person. */
export async function createPerson(session: EditSession, input: CreatePersonInput): Promise<PersonRow> {
  const countryId = await reference(session, "Country", input.countryId, "input.countryId");
  const row = await insertPerson(session, { ...personFields(input), countryId }, "input");
  await refreshArticlesNaming(session, namesOf(row));
  return row;
}

/** Changes a person. */
export async function updatePerson(session: EditSession, input: UpdatePersonInput): Promise<PersonRow> {
  const before = await target<PersonRow>(session, "Person", input.id);
  const values: PersonValues = {
    ...personFields(input),
    countryId: await reference(session, "Country", input.countryId, "input.countryId"),
  };
  values.aliases = aliasesAfterUpdate(before, values);
  await check(session, values, "input", before.id);
  const after = await session.update("Person", before, { ...values });
  // Articles that name the person as they were or as they are now.
  if (JSON.stringify(namesOf(before)) !== JSON.stringify(namesOf(after))) {
    await refreshArticlesNaming(session, [...namesOf(before), ...namesOf(after)]);
  }
  return after;
}

/** Deletes a person and their positions; refused while quotes name them as speaker. */
export async function deletePerson(session: EditSession, input: DeleteInputShape): Promise<DeleteResult> {
  const row = await target<PersonRow>(session, "Person", input.id);
  const result = await deleteRecord(session, "Person", input, (row) => `"${String(row.name)}"`);
  // Its mentions went with it (ON DELETE CASCADE); a word it shared with another record may now name that one alone.
  await refreshArticlesNaming(session, namesOf(row));
  return result;
}
