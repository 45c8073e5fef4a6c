import type { Store } from "../../storage/store";
import { extract } from "../../ingest/extract";
import { ProposeArticleInput } from "../../inputs/proposal.input";
import { validateInput } from "../../inputs/validate-input";
import { EditSession } from "../editing/session";
import { ProposalRow, readGazetteer, storeProposal } from "./review";

/**
 * Proposes an article outside GraphQL (the `npm run ingest` command): checks the fields by the
 * same rules as `proposeArticle`, extracts candidates against the knowledge base, and stores the
 * proposal in its own transaction behind every other write. Throws the same coded errors as the
 * mutation.
 */
export async function proposeArticle(db: Store, editor: string, fields: Omit<ProposeArticleInput, "clientMutationId">): Promise<ProposalRow> {
  const input = Object.assign(new ProposeArticleInput(), fields);
  await validateInput(input);
  const extraction = extract(input.body, await readGazetteer(db));
  return db.write((manager) => storeProposal(new EditSession(manager, editor, "proposeArticle"), input, extraction));
}
