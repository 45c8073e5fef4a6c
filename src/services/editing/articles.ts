import { toGlobalId } from "../../model/global-id";
import { Article, QuoteKind } from "../../entities";
import { normalizeUrl } from "../../entities/common";
import { AddArticleInput, CreateArticleInput, UpdateArticleInput } from "../../inputs/article.input";
import { DeleteInputShape } from "../../inputs/common.input";
import { assertUnique, refuse, trim } from "./consistency";
import { deleteRecord, DeleteResult, target } from "./common";
import { refreshMentions } from "./mentions";
import { EditSession, Row } from "./session";

type ArticleRow = Article & Row;

/** The columns of an article, normalized (the body never is: offsets index into it). */
export interface ArticleValues {
  url?: string;
  title?: string;
  publisher?: string;
  byline?: string | null;
  publishedAt?: string;
  body?: string;
  language?: string | null;
}

function articleFields(input: CreateArticleInput | UpdateArticleInput | AddArticleInput): ArticleValues {
  return {
    url: input.url === undefined || input.url === null ? input.url : normalizeUrl(input.url),
    title: trim(input.title),
    publisher: trim(input.publisher),
    byline: trim(input.byline),
    publishedAt: input.publishedAt,
    body: input.body,
    language: input.language,
  };
}

/** Inserts an article (shared by `createArticle` and `addArticle`). */
export async function insertArticle(session: EditSession, input: CreateArticleInput | AddArticleInput): Promise<ArticleRow> {
  const values = articleFields(input);
  await assertUnique(session, "Article", "url", values.url, "input.url");
  return session.create<ArticleRow>("Article", { ...values, byline: values.byline ?? null, language: values.language ?? "en" });
}

/** Creates an article. */
export async function createArticle(session: EditSession, input: CreateArticleInput): Promise<ArticleRow> {
  const article = await insertArticle(session, input);
  await refreshMentions(session, article.id, article.body);
  return article;
}

/**
 * Refuses a new body that would break the evidence of the article's quotes and positions: every
 * range must still hold the same text as in the old body (so a position or a paraphrase keeps
 * saying what it said), and every direct quote must still be its slice.
 */
async function assertEvidenceHolds(session: EditSession, articleId: number, oldBody: string, body: string): Promise<void> {
  const facts = await session.select<{ type: "Quote" | "Position"; id: number; kind: QuoteKind | null; text: string | null; startOffset: number; endOffset: number }>(
    `SELECT 'Quote' AS type, id, kind, text, "startOffset", "endOffset" FROM "quote" WHERE "articleId" = ? ` +
      `UNION ALL SELECT 'Position', id, NULL, NULL, "startOffset", "endOffset" FROM "position" WHERE "articleId" = ? ORDER BY 5, 2`,
    [articleId, articleId],
  );
  const broken = facts.filter(
    (f) =>
      f.endOffset > body.length ||
      body.slice(f.startOffset, f.endOffset) !== oldBody.slice(f.startOffset, f.endOffset) ||
      (f.kind === QuoteKind.DIRECT && body.slice(f.startOffset, f.endOffset) !== f.text),
  );
  if (broken.length > 0) {
    const shown = broken.slice(0, 10).map((f) => `${f.type} ${toGlobalId(f.type, f.id)} (${f.startOffset}..${f.endOffset})`);
    refuse(
      "input.body",
      "evidenceStillHolds",
      `the new body no longer contains the evidence of ${broken.length} quote(s) or position(s): ${shown.join(", ")}${broken.length > 10 ? ", …" : ""}; change or delete them first`,
    );
  }
}

/** Changes an article; a new body must keep every quote and position of the article true. */
export async function updateArticle(session: EditSession, input: UpdateArticleInput): Promise<ArticleRow> {
  const before = await target<ArticleRow>(session, "Article", input.id);
  const values = articleFields(input);
  await assertUnique(session, "Article", "url", values.url, "input.url", { exceptId: before.id });
  if (values.body !== undefined && values.body !== before.body) await assertEvidenceHolds(session, before.id, before.body, values.body);
  const after = await session.update("Article", before, { ...values });
  if (after.body !== before.body) await refreshMentions(session, after.id, after.body);
  return after;
}

/** Deletes an article with its quotes and positions (each logged). */
export function deleteArticle(session: EditSession, input: DeleteInputShape): Promise<DeleteResult> {
  return deleteRecord(session, "Article", input, (row) => `"${String(row.url)}"`);
}
