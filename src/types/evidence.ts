import { Field, Int, ObjectType } from "type-graphql";

/**
 * Where in an article a fact is stated. Offsets are JavaScript string indices (UTF-16 code units)
 * into `Article.body`, so `body.slice(startOffset, endOffset)` is exactly the supporting text.
 */
@ObjectType("Evidence", {
  simpleResolvers: true,
  description:
    "Where a fact is stated: an article and the character range of its body that says it. `article.body.slice(startOffset, endOffset)` equals `text`.",
})
export class Evidence {
  articleId!: number;

  @Field(() => Int, { description: "The index in `article.body` where the supporting text starts (UTF-16 code units, inclusive)." })
  startOffset!: number;

  @Field(() => Int, { description: "The index in `article.body` where the supporting text ends (UTF-16 code units, exclusive)." })
  endOffset!: number;
}

/** Anything stored with evidence columns. */
export interface WithEvidence {
  articleId: number;
  startOffset: number;
  endOffset: number;
}

/** The evidence of a quote or position row. */
export function evidenceOf(row: WithEvidence): Evidence {
  return Object.assign(new Evidence(), {
    articleId: row.articleId,
    startOffset: row.startOffset,
    endOffset: row.endOffset,
  });
}
