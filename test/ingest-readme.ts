/**
 * The worked example of the Ingestion page (docs/ingestion.md), shared by the script that writes it
 * (`npx ts-node --transpile-only scripts/readme-ingestion.ts`) and the test that checks it: the
 * queries are built step by step, each from the answers before it (candidate IDs depend on what
 * the extractor finds), and every answer shown is the server's real one.
 */
import { GqlResult, shown } from "./helpers";

/** A short wire story, as an editor would paste it. */
export const STORY = [
  "MOSCOW (Reuters) - Russia's Foreign Minister Sergei Lavrov on Tuesday urged restraint in Libya.",
  "",
  "\u201cWe call on all sides to stop the fighting at once,\u201d Lavrov told reporters in Moscow.",
  "",
  "Anna Petrova, a researcher at the Institute of Oriental Studies, said the talks would be difficult.",
  "\u201cNobody trusts anybody in Tripoli right now,\u201d Petrova said.",
].join("\n");

interface Candidate {
  id: string;
  type: string;
  label: string;
}

/** One step of the example: a sentence, the query, and the answer it got. */
export interface Step {
  text: string;
  query: string;
  answer: unknown;
}

/** Runs the example against `run` (an editor's) and returns every step with its answer. */
export async function ingestionExample(run: (query: string) => Promise<GqlResult>): Promise<Step[]> {
  const steps: Step[] = [];
  const step = async (text: string, query: string): Promise<GqlResult> => {
    const result = await run(query);
    steps.push({ text, query, answer: shown(result) });
    return result;
  };
  const proposed = await step(
    "Propose the article. The extractor links Lavrov to the seed's Sergei Lavrov, proposes Anna Petrova as new, and attributes both quotes:",
    `mutation {
  proposeArticle(input: {
    url: "https://example.org/lavrov-urges-restraint"
    title: "Lavrov urges restraint in Libya"
    publisher: "Reuters"
    publishedAt: "2019-04-10"
    body: ${JSON.stringify(STORY)}
  }) {
    proposal {
      id
      status
      candidates(first: 20) {
        nodes { id type label rule confidence matchedBy link { id } references { role candidate { label } } }
      }
    }
  }
}`,
  );
  const proposal = (proposed.data as { proposeArticle: { proposal: { id: string; candidates: { nodes: Candidate[] } } } }).proposeArticle.proposal;
  const find = (type: string, prefix: string): Candidate => {
    const found = proposal.candidates.nodes.find((c) => c.type === type && c.label.startsWith(prefix));
    if (!found) throw new Error(`the extractor found no ${type} "${prefix}…"`);
    return found;
  };
  const lavrovQuote = find("QUOTE", "We call on all sides");
  const petrovaQuote = find("QUOTE", "Nobody trusts anybody");
  const others = proposal.candidates.nodes.filter((c) => c.type === "POSITION" || (c.type === "QUOTE" && c.label.startsWith("urged restraint")));
  const corrected = "Nobody trusts anybody in Tripoli right now";
  const start = STORY.indexOf(corrected);
  await step(
    "Accept Lavrov's quote. Lavrov is an existing record, so nothing new is created for him; the article is created with the first accepted candidate:",
    `mutation {
  acceptCandidates(input: { proposalId: "${proposal.id}", candidateIds: ["${lavrovQuote.id}"] }) {
    proposal { status article { title } }
    accepted { type status record { ... on Quote { text speaker { name } } ... on Person { name } } }
  }
}`,
  );
  await step(
    "Reject what the editor does not want to record (here the position and the paraphrase of the first sentence), then accept everything else, correcting the span of Petrova's quote on the way to leave out the comma (`overrides` also take a `speaker`, a `link` or a `name`):",
    `mutation {
  rejectCandidates(input: { proposalId: "${proposal.id}", candidateIds: [${others.map((c) => `"${c.id}"`).join(", ")}] }) {
    rejected { type label status }
  }
}`,
  );
  await step(
    "",
    `mutation {
  acceptProposal(input: {
    proposalId: "${proposal.id}"
    overrides: [{ candidateId: "${petrovaQuote.id}", evidence: { startOffset: ${start}, endOffset: ${start + corrected.length} } }]
  }) {
    proposal { status article { quotes { nodes { text speaker { name } } } } }
  }
}`,
  );
  await step(
    "Every accepted record is in the edit log under the editor's name, with the mutation that made it:",
    `{
  edits(first: 3) { nodes { editor mutation action entityType } }
}`,
  );
  return steps;
}

/** The steps as Markdown: sentence, ```graphql block, ```jsonc answer. */
export function markdown(steps: Step[]): string {
  return steps
    .map((s) => `${s.text ? `${s.text}\n\n` : ""}\`\`\`graphql\n${s.query}\n\`\`\`\n\n\`\`\`jsonc\n${JSON.stringify(s.answer, null, 2)}\n\`\`\``)
    .join("\n\n");
}
