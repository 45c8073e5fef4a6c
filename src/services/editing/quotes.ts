import { toGlobalId } from "../../model/global-id";
import { Article, Quote, QuoteKind } from "../../entities";
import { DeleteInputShape } from "../../inputs/common.input";
import { CreateQuoteInput, UpdateQuoteInput } from "../../inputs/quote.input";
import { assertEvidence, assertOneSpeaker, describeTaken, reference, refuse } from "./consistency";
import { deleteRecord, DeleteResult, target } from "./common";
import { linkMentions } from "./mentions";
import { EditSession, Row } from "./session";

type QuoteRow = Quote & Row;

/** The columns of a quote, with references as database IDs. The text is stored verbatim. */
export interface QuoteValues {
  text: string;
  kind: QuoteKind;
  speakerId: number | null;
  speakerCountryId: number | null;
  speakerOrganizationId: number | null;
  articleId: number;
  startOffset: number;
  endOffset: number;
}

/** The whole-record rules: one speaker at most, evidence inside the article and equal to a direct quote, one quote per range. */
async function check(session: EditSession, values: QuoteValues, field: string, exceptId = 0): Promise<void> {
  assertOneSpeaker(values, field);
  const article = await session.load<Article & Row>("Article", values.articleId, `${field}.evidence.articleId`);
  assertEvidence(article.body, values, `${field}.evidence`, { kind: values.kind, text: values.text, textField: `${field}.text` });
  const [same] = await session.select<{ id: number }>(
    `SELECT id FROM "quote" WHERE "articleId" = ? AND "startOffset" = ? AND "endOffset" = ? AND id <> ?`,
    [values.articleId, values.startOffset, values.endOffset, exceptId],
  );
  if (same) {
    refuse(`${field}.evidence`, "unique", `this range of the article is already the evidence of ${describeTaken(session, "Quote", same.id)}`);
  }
}

/** Inserts a quote whose references are already resolved (shared with `addArticle`). */
export async function insertQuote(session: EditSession, values: QuoteValues, field: string): Promise<QuoteRow> {
  await check(session, values, field);
  return session.create<QuoteRow>("Quote", { ...values });
}

/** Creates a quote. */
export async function createQuote(session: EditSession, input: CreateQuoteInput): Promise<QuoteRow> {
  const values: QuoteValues = {
    text: input.text,
    kind: input.kind,
    speakerId: (await reference(session, "Person", input.speakerId, "input.speakerId")) ?? null,
    speakerCountryId: (await reference(session, "Country", input.speakerCountryId, "input.speakerCountryId")) ?? null,
    speakerOrganizationId: (await reference(session, "Organization", input.speakerOrganizationId, "input.speakerOrganizationId")) ?? null,
    articleId: (await reference(session, "Article", input.evidence.articleId, "input.evidence.articleId")) as number,
    startOffset: input.evidence.startOffset,
    endOffset: input.evidence.endOffset,
  };
  const row = await insertQuote(session, values, "input");
  await linkMentions(session, row.articleId);
  return row;
}

/** Changes a quote; the result is checked as a whole. */
export async function updateQuote(session: EditSession, input: UpdateQuoteInput): Promise<QuoteRow> {
  const before = await target<QuoteRow>(session, "Quote", input.id);
  const changes: Partial<QuoteValues> = {
    text: input.text,
    kind: input.kind,
    speakerId: await reference(session, "Person", input.speakerId, "input.speakerId"),
    speakerCountryId: await reference(session, "Country", input.speakerCountryId, "input.speakerCountryId"),
    speakerOrganizationId: await reference(session, "Organization", input.speakerOrganizationId, "input.speakerOrganizationId"),
    ...(input.evidence
      ? {
          articleId: (await reference(session, "Article", input.evidence.articleId, "input.evidence.articleId")) as number,
          startOffset: input.evidence.startOffset,
          endOffset: input.evidence.endOffset,
        }
      : {}),
  };
  const defined = Object.fromEntries(Object.entries(changes).filter(([, v]) => v !== undefined));
  await check(session, { ...(before as unknown as QuoteValues), ...defined }, "input", before.id);
  const after = await session.update("Quote", before, defined);
  for (const articleId of new Set([before.articleId, after.articleId])) await linkMentions(session, articleId);
  return after;
}

/** Deletes a quote (nothing refers to quotes). */
export async function deleteQuote(session: EditSession, input: DeleteInputShape): Promise<DeleteResult> {
  const { articleId } = await target<QuoteRow>(session, "Quote", input.id);
  const result = await deleteRecord(session, "Quote", input, (row) => toGlobalId("Quote", row.id));
  // Its mentions lost their quote (ON DELETE SET NULL); a wider one around them may hold them now.
  await linkMentions(session, articleId);
  return result;
}
