import { Organization, OrganizationKind } from "../../entities";
import { DeleteInputShape } from "../../inputs/common.input";
import { AddArticleOrganizationInput, CreateOrganizationInput, UpdateOrganizationInput } from "../../inputs/organization.input";
import { aliasesAfterUpdate, assertNoCycle, assertUnique, assertUniqueWikidataId, cleanAliases, reference, trim } from "./consistency";
import { deleteRecord, DeleteResult, target } from "./common";
import { namesOf, refreshArticlesNaming } from "./mentions";
import { EditSession, Row } from "./session";

type OrganizationRow = Organization & Row;

/** The columns of an organization, normalized, with references as database IDs. */
export interface OrganizationValues {
  name?: string;
  aliases?: string[];
  kind?: OrganizationKind;
  description?: string | null;
  countryId?: number | null;
  parentId?: number | null;
  wikidataId?: string | null;
}

async function check(session: EditSession, values: OrganizationValues, field: string, exceptId?: number): Promise<void> {
  await assertUnique(session, "Organization", "name", values.name, `${field}.name`, { ignoreCase: true, exceptId });
  await assertUniqueWikidataId(session, values.wikidataId, `${field}.wikidataId`, exceptId ? { type: "Organization", id: exceptId } : undefined);
}

/** The plain (non-reference) fields of an organization input, normalized. */
export function organizationFields(input: CreateOrganizationInput | UpdateOrganizationInput | AddArticleOrganizationInput): OrganizationValues {
  return {
    name: trim(input.name),
    aliases: cleanAliases(input.aliases, input.name),
    kind: input.kind,
    description: trim(input.description),
    wikidataId: input.wikidataId,
  };
}

/** Inserts an organization whose references are already resolved. */
export async function insertOrganization(session: EditSession, values: OrganizationValues, field: string): Promise<OrganizationRow> {
  await check(session, values, field);
  return session.create<OrganizationRow>("Organization", {
    name: values.name,
    aliases: values.aliases ?? [],
    kind: values.kind,
    description: values.description ?? null,
    countryId: values.countryId ?? null,
    parentId: values.parentId ?? null,
    wikidataId: values.wikidataId ?? null,
  });
}

/** Creates an organization. */
export async function createOrganization(session: EditSession, input: CreateOrganizationInput): Promise<OrganizationRow> {
  const row = await insertOrganization(
    session,
    {
      ...organizationFields(input),
      countryId: await reference(session, "Country", input.countryId, "input.countryId"),
      parentId: await reference(session, "Organization", input.parentId, "input.parentId"),
    },
    "input",
  );
  await refreshArticlesNaming(session, namesOf(row));
  return row;
}

/** Changes an organization; a new parent must not make it part of itself. */
export async function updateOrganization(session: EditSession, input: UpdateOrganizationInput): Promise<OrganizationRow> {
  const before = await target<OrganizationRow>(session, "Organization", input.id);
  const values: OrganizationValues = {
    ...organizationFields(input),
    countryId: await reference(session, "Country", input.countryId, "input.countryId"),
    parentId: await reference(session, "Organization", input.parentId, "input.parentId"),
  };
  values.aliases = aliasesAfterUpdate(before, values);
  await check(session, values, "input", before.id);
  await assertNoCycle(session, before.id, values.parentId, "input.parentId");
  const after = await session.update("Organization", before, { ...values });
  if (JSON.stringify(namesOf(before)) !== JSON.stringify(namesOf(after))) {
    await refreshArticlesNaming(session, [...namesOf(before), ...namesOf(after)]);
  }
  return after;
}

/** Deletes an organization nothing refers to. */
export async function deleteOrganization(session: EditSession, input: DeleteInputShape): Promise<DeleteResult> {
  const row = await target<OrganizationRow>(session, "Organization", input.id);
  const result = await deleteRecord(session, "Organization", input, (row) => `"${String(row.name)}"`);
  // Its mentions went with it (ON DELETE CASCADE); a word it shared with another record may now name that one alone.
  await refreshArticlesNaming(session, namesOf(row));
  return result;
}
