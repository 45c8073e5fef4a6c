import { Arg, Ctx, Mutation, Resolver, UseMiddleware } from "type-graphql";
import { EditorOnly } from "../../auth";
import { Context } from "../../context";
import { Article } from "../../entities";
import { DeleteInputShape } from "../../inputs/common.input";
import { CreateArticleInput, DeleteArticleInput, UpdateArticleInput } from "../../inputs/article.input";
import { validateInput } from "../../inputs/validation";
import { runEdit } from "../../services/editing";
import { createArticle, deleteArticle, updateArticle } from "../../services/editing/articles";
import { ArticlePayloads, DeletePayloadShape } from "../../types/payloads";

const EDITORS_ONLY = " Needs an editor token.";

// Payloads are nullable, as GitHub's are: when one mutation of a request fails, the results of
// the others (already committed) still reach the client instead of a null `data`.

/** `createArticle`, `updateArticle` and `deleteArticle`. */
@Resolver()
@UseMiddleware(EditorOnly)
export class ArticleMutations {
  @Mutation(() => ArticlePayloads.Create, { nullable: true, description: "Creates an article, without facts; use `addArticle` to add it with its people, quotes and positions in one go." + EDITORS_ONLY })
  async createArticle(
    @Arg("input", () => CreateArticleInput, { validateFn: validateInput, description: "The new article." }) input: CreateArticleInput,
    @Ctx() ctx: Context,
  ): Promise<{ clientMutationId: string | null; article: Article }> {
    const article = await runEdit(ctx, "createArticle", (session) => createArticle(session, input));
    return { clientMutationId: input.clientMutationId ?? null, article };
  }

  @Mutation(() => ArticlePayloads.Update, { nullable: true, description: "Changes an article; a new body is refused while it would break the evidence of the article's quotes or positions." + EDITORS_ONLY })
  async updateArticle(
    @Arg("input", () => UpdateArticleInput, { validateFn: validateInput, description: "The article to change and the changes." }) input: UpdateArticleInput,
    @Ctx() ctx: Context,
  ): Promise<{ clientMutationId: string | null; article: Article }> {
    const article = await runEdit(ctx, "updateArticle", (session) => updateArticle(session, input));
    return { clientMutationId: input.clientMutationId ?? null, article };
  }

  @Mutation(() => ArticlePayloads.Delete, { nullable: true, description: "Deletes an article together with its quotes and positions (each one recorded in the edit log)." + EDITORS_ONLY })
  async deleteArticle(
    @Arg("input", () => DeleteArticleInput, { validateFn: validateInput, description: "The article to delete." }) input: DeleteInputShape,
    @Ctx() ctx: Context,
  ): Promise<DeletePayloadShape> {
    const result = await runEdit(ctx, "deleteArticle", (session) => deleteArticle(session, input));
    return { clientMutationId: input.clientMutationId ?? null, ...result };
  }
}
