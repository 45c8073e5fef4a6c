import { Ctx, FieldResolver, Resolver, Root } from "type-graphql";
import { Context } from "../context";
import { loadById } from "../reads/lists";
import { Article, Row } from "../entities";
import { Evidence } from "../types/evidence";

@Resolver(() => Evidence)
export class EvidenceResolver {
  @FieldResolver(() => Article, { description: "The article the fact is stated in." })
  async article(@Root() evidence: Row<Evidence>, @Ctx() ctx: Context): Promise<Article> {
    return (await loadById<Article>(ctx, "Article", evidence.articleId)) as Article;
  }

  @FieldResolver(() => String, {
    description: "The supporting text itself: `article.body.slice(startOffset, endOffset)`.",
  })
  async text(@Root() evidence: Row<Evidence>, @Ctx() ctx: Context): Promise<string> {
    const article = await loadById<Article>(ctx, "Article", evidence.articleId);
    return (article as Article).body.slice(evidence.startOffset, evidence.endOffset);
  }
}
