import { Country } from "../../entities";
import { AddArticleCountryInput, CreateCountryInput, UpdateCountryInput } from "../../inputs/country.input";
import { DeleteInputShape } from "../../inputs/common.input";
import { assertUnique, assertUniqueWikidataId, trim } from "./consistency";
import { deleteRecord, DeleteResult, target } from "./common";
import { refreshArticlesNaming } from "./mentions";
import { EditSession, Row } from "./session";

type CountryRow = Country & Row;

/** The columns of a country, as validated and normalized for storage. */
interface CountryValues {
  name?: string;
  alpha2?: string;
  alpha3?: string;
  wikidataId?: string | null;
}

function normalize(input: CountryValues): CountryValues {
  // ISO codes are upper-case by definition; accepting "ru" for "RU" is friendlier than refusing it.
  return {
    name: trim(input.name),
    alpha2: input.alpha2?.toUpperCase(),
    alpha3: input.alpha3?.toUpperCase(),
    wikidataId: input.wikidataId,
  };
}

async function check(session: EditSession, values: CountryValues, field: string, exceptId?: number): Promise<void> {
  await assertUnique(session, "Country", "name", values.name, `${field}.name`, { ignoreCase: true, exceptId });
  await assertUnique(session, "Country", "alpha2", values.alpha2, `${field}.alpha2`, { exceptId });
  await assertUnique(session, "Country", "alpha3", values.alpha3, `${field}.alpha3`, { exceptId });
  await assertUniqueWikidataId(session, values.wikidataId, `${field}.wikidataId`, exceptId ? { type: "Country", id: exceptId } : undefined);
}

/** Inserts a country (`createCountry`, and each new country of `addArticle` under `field`). */
export async function insertCountry(session: EditSession, input: CreateCountryInput | AddArticleCountryInput, field = "input"): Promise<CountryRow> {
  const values = normalize(input);
  await check(session, values, field);
  return session.create<CountryRow>("Country", { ...values, wikidataId: values.wikidataId ?? null });
}

/**
 * Creates a country, and finds its mentions in every article: a country is named by spellings,
 * codes and demonyms, not only by its name, so every article is looked at (countries are few).
 */
export async function createCountry(session: EditSession, input: CreateCountryInput): Promise<CountryRow> {
  const row = await insertCountry(session, input);
  await refreshArticlesNaming(session, null);
  return row;
}

/** Changes a country. */
export async function updateCountry(session: EditSession, input: UpdateCountryInput): Promise<CountryRow> {
  const before = await target<CountryRow>(session, "Country", input.id);
  const values = normalize(input);
  await check(session, values, "input", before.id);
  const after = await session.update("Country", before, { ...values });
  if (after.name !== before.name || after.alpha2 !== before.alpha2) await refreshArticlesNaming(session, null);
  return after;
}

/** Deletes a country nothing refers to. */
export function deleteCountry(session: EditSession, input: DeleteInputShape): Promise<DeleteResult> {
  // Its mentions go with it (ON DELETE CASCADE); no other record's mentions depend on it.
  return deleteRecord(session, "Country", input, (row) => `"${String(row.name)}"`);
}
