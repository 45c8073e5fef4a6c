import { Article, Position } from "../../entities";
import { DeleteInputShape } from "../../inputs/common.input";
import { CreatePositionInput, UpdatePositionInput } from "../../inputs/position.input";
import { assertDateOrder, assertEvidence, describeTaken, reference, refuse, trim } from "./consistency";
import { deleteRecord, DeleteResult, target } from "./common";
import { linkMentions } from "./mentions";
import { EditSession, Row } from "./session";

type PositionRow = Position & Row;

/** The columns of a position, with references as database IDs. */
export interface PositionValues {
  personId: number;
  title: string;
  organizationId: number | null;
  countryId: number | null;
  startDate: string | null;
  endDate: string | null;
  articleId: number;
  startOffset: number;
  endOffset: number;
}

/** The whole-record rules: date order, evidence inside the article, one record per fact. */
async function check(session: EditSession, values: PositionValues, field: string, exceptId = 0, dateField = "endDate"): Promise<void> {
  assertDateOrder(values.startDate, values.endDate, `${field}.${dateField}`);
  const article = await session.load<Article & Row>("Article", values.articleId, `${field}.evidence.articleId`);
  assertEvidence(article.body, values, `${field}.evidence`);
  const [same] = await session.select<{ id: number }>(
    `SELECT id FROM "position" WHERE "personId" = ? AND title = ? AND "articleId" = ? AND "startOffset" = ? AND "endOffset" = ? AND id <> ?`,
    [values.personId, values.title, values.articleId, values.startOffset, values.endOffset, exceptId],
  );
  if (same) {
    refuse(field, "unique", `the same person, title and evidence are already recorded as ${describeTaken(session, "Position", same.id)}`);
  }
}

/** Inserts a position whose references are already resolved (shared with `addArticle`). */
export async function insertPosition(session: EditSession, values: PositionValues, field: string): Promise<PositionRow> {
  await check(session, values, field);
  return session.create<PositionRow>("Position", { ...values });
}

/** Creates a position. */
export async function createPosition(session: EditSession, input: CreatePositionInput): Promise<PositionRow> {
  const values: PositionValues = {
    personId: (await reference(session, "Person", input.personId, "input.personId")) as number,
    title: trim(input.title),
    organizationId: (await reference(session, "Organization", input.organizationId, "input.organizationId")) ?? null,
    countryId: (await reference(session, "Country", input.countryId, "input.countryId")) ?? null,
    startDate: input.startDate ?? null,
    endDate: input.endDate ?? null,
    articleId: (await reference(session, "Article", input.evidence.articleId, "input.evidence.articleId")) as number,
    startOffset: input.evidence.startOffset,
    endOffset: input.evidence.endOffset,
  };
  const row = await insertPosition(session, values, "input");
  await linkMentions(session, row.articleId);
  return row;
}

/** Changes a position; the result is checked as a whole. */
export async function updatePosition(session: EditSession, input: UpdatePositionInput): Promise<PositionRow> {
  const before = await target<PositionRow>(session, "Position", input.id);
  const changes: Partial<PositionValues> = {
    personId: (await reference(session, "Person", input.personId, "input.personId")) ?? undefined,
    title: trim(input.title),
    organizationId: await reference(session, "Organization", input.organizationId, "input.organizationId"),
    countryId: await reference(session, "Country", input.countryId, "input.countryId"),
    startDate: input.startDate,
    endDate: input.endDate,
    ...(input.evidence
      ? {
          articleId: (await reference(session, "Article", input.evidence.articleId, "input.evidence.articleId")) as number,
          startOffset: input.evidence.startOffset,
          endOffset: input.evidence.endOffset,
        }
      : {}),
  };
  const defined = Object.fromEntries(Object.entries(changes).filter(([, v]) => v !== undefined));
  // The date named in an error is one the client sent: a new start can fall after the stored end.
  const dateField = input.endDate === undefined && input.startDate !== undefined ? "startDate" : "endDate";
  await check(session, { ...(before as unknown as PositionValues), ...defined }, "input", before.id, dateField);
  const after = await session.update("Position", before, defined);
  for (const articleId of new Set([before.articleId, after.articleId])) await linkMentions(session, articleId);
  return after;
}

/** Deletes a position (nothing refers to positions). */
export async function deletePosition(session: EditSession, input: DeleteInputShape): Promise<DeleteResult> {
  const { articleId } = await target<PositionRow>(session, "Position", input.id);
  const result = await deleteRecord(session, "Position", input, (row) => `"${String(row.title)}"`);
  // Its mentions lost their position (ON DELETE SET NULL); a wider one around them may hold them now.
  await linkMentions(session, articleId);
  return result;
}
