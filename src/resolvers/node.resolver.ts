import { Arg, Ctx, ID, Query, Resolver } from "type-graphql";
import { Context } from "../context";
import { fromGlobalId } from "../data/global-id";
import { loadById, MaybePromise } from "../data/reads";
import { BadUserInputError } from "../errors";
import { Node } from "../entities";
import { MAX_PAGE_SIZE } from "../data/pagination";

@Resolver()
export class NodeResolver {
  @Query(() => Node, {
    nullable: true,
    description: "Fetches any object by its global ID; null when no such object exists.",
  })
  node(@Arg("id", () => ID, { description: "A global ID, as returned in any `id` field." }) id: string, @Ctx() ctx: Context): MaybePromise<Node | null> {
    const { typeName, databaseId } = fromGlobalId(id);
    return loadById<Node>(ctx, typeName, databaseId);
  }

  @Query(() => [Node], {
    nullable: "items",
    description: `Fetches up to ${MAX_PAGE_SIZE} objects by global ID, in the order given; null for each that does not exist.`,
  })
  nodes(
    @Arg("ids", () => [ID], { description: "Global IDs, as returned in any `id` field." }) ids: string[],
    @Ctx() ctx: Context,
  ): Promise<Array<Node | null>> {
    if (ids.length > MAX_PAGE_SIZE) {
      throw new BadUserInputError(`\`ids\` may hold at most ${MAX_PAGE_SIZE} IDs, got ${ids.length}`, "ids");
    }
    const decoded = ids.map((id) => fromGlobalId(id, "ids"));
    return Promise.all(decoded.map(({ typeName, databaseId }) => loadById<Node>(ctx, typeName, databaseId)));
  }
}
