import { execFile } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { promisify } from "node:util";
import BetterSqlite3 from "better-sqlite3";
import { transpiledProject } from "./child-server";
import { ALICE, count, EDITORS, fingerprint, firstError } from "./editing-helpers";
import { createTestServer, TestServer, tempDir } from "./helpers";
import { STORY } from "./ingest-readme";

const SEED_URL = "https://www.themoscowtimes.com/2019/04/09/russia-makes-move-on-libya-peace-as-clashes-rage-near-tripoli-a65149";

/** A short wire story: a known person (Lavrov) with a direct quote, a new person, a country. */
const BODY = STORY;

const PROPOSE = `mutation($input: ProposeArticleInput!) {
  proposeArticle(input: $input) {
    proposal { id status url proposedBy article { id }
      candidates(first: 100) { totalCount nodes { id type status label rule confidence matchedBy link { id } evidence { startOffset endOffset text } references { role candidate { id } } details } }
    }
  }
}`;

const ACCEPT = `mutation($input: AcceptCandidatesInput!) {
  acceptCandidates(input: $input) {
    proposal { id status article { id url quotes { nodes { text speaker { name } } } } }
    accepted { id type status record { id ... on Person { name } ... on Quote { text speaker { name } } } }
  }
}`;

const ACCEPT_ALL = `mutation($input: AcceptProposalInput!) {
  acceptProposal(input: $input) { proposal { id status article { id quotes { totalCount } } candidates(first: 100) { nodes { status } } } accepted { id } }
}`;

const REJECT = `mutation($input: RejectCandidatesInput!) { rejectCandidates(input: $input) { proposal { status } rejected { id status } } }`;

interface CandidateView {
  id: string;
  type: string;
  status: string;
  label: string;
  rule: string;
  confidence: number;
  matchedBy: string | null;
  link: { id: string } | null;
  evidence: { startOffset: number; endOffset: number; text: string };
  references: Array<{ role: string; candidate: { id: string } | null }>;
  details: Record<string, unknown>;
}

interface ProposalView {
  id: string;
  status: string;
  url: string;
  proposedBy: string;
  article: { id: string } | null;
  candidates: { totalCount: number; nodes: CandidateView[] };
}

function article(url: string, body = BODY): Record<string, unknown> {
  return { url, title: "Lavrov urges restraint in Libya", publisher: "Reuters", publishedAt: "2019-04-10", body };
}

describe("the review workflow", () => {
  let t: TestServer;
  beforeEach(async () => {
    t = await createTestServer({ env: EDITORS });
  });
  afterEach(async () => {
    await t.close();
  });

  async function propose(url: string, body = BODY): Promise<ProposalView> {
    const data = await t.dataAs<{ proposeArticle: { proposal: ProposalView } }>(ALICE, PROPOSE, { input: article(url, body) });
    return data.proposeArticle.proposal;
  }

  it("stores a proposal whose candidates carry evidence, a rule and a confidence, and changes nothing in the knowledge base", async () => {
    const before = await fingerprint(t.db);
    const proposal = await propose("https://example.org/lavrov-restraint");
    expect(await fingerprint(t.db)).toBe(before);
    expect(proposal).toMatchObject({ status: "PENDING", url: "https://example.org/lavrov-restraint", proposedBy: "alice", article: null });
    expect(proposal.candidates.totalCount).toBe(proposal.candidates.nodes.length);
    expect(proposal.candidates.nodes.length).toBeGreaterThan(0);
    for (const candidate of proposal.candidates.nodes) {
      expect(candidate.status).toBe("PENDING");
      expect(BODY.slice(candidate.evidence.startOffset, candidate.evidence.endOffset)).toBe(candidate.evidence.text);
      expect(candidate.rule.length).toBeGreaterThan(0);
      expect(candidate.confidence).toBeGreaterThanOrEqual(0);
      expect(candidate.confidence).toBeLessThanOrEqual(1);
    }
    const quote = proposal.candidates.nodes.find((c) => c.type === "QUOTE" && c.label.startsWith("We call on all sides"));
    expect(quote?.evidence.text).toBe(quote?.label);
    // Lavrov is in the seed: the extractor links him instead of proposing a second Lavrov.
    const lavrov = proposal.candidates.nodes.find((c) => c.type === "PERSON" && /Lavrov/.test(c.label));
    expect(lavrov?.link).not.toBeNull();
    expect(lavrov?.matchedBy).toEqual(expect.any(String));
    expect(quote?.references).toEqual(expect.arrayContaining([{ role: "speaker", candidate: { id: lavrov?.id } }]));
  });

  it("lets only editors propose and read proposals", async () => {
    const anonymous = await t.runAs(null, PROPOSE, { input: article("https://example.org/anonymous") });
    expect(firstError(anonymous).extensions.code).toBe("UNAUTHENTICATED");
    const proposal = await propose("https://example.org/secret-draft");
    expect(firstError(await t.runAs(null, `{ proposals { totalCount } }`)).extensions.code).toBe("UNAUTHENTICATED");
    expect(firstError(await t.runAs(null, `query($id: ID!) { node(id: $id) { __typename } }`, { id: proposal.id })).extensions.code).toBe("UNAUTHENTICATED");
    const viaNode = await t.dataAs<{ node: { __typename: string; status: string } }>(ALICE, `query($id: ID!) { node(id: $id) { __typename ... on Proposal { status } } }`, {
      id: proposal.id,
    });
    expect(viaNode.node).toEqual({ __typename: "Proposal", status: "PENDING" });
    const listed = await t.dataAs<{ proposals: { totalCount: number; nodes: Array<{ id: string }> } }>(ALICE, `{ proposals(status: PENDING) { totalCount nodes { id } } }`);
    expect(listed.proposals).toEqual({ totalCount: 1, nodes: [{ id: proposal.id }] });
    const accepted = await t.dataAs<{ proposals: { totalCount: number } }>(ALICE, `{ proposals(status: ACCEPTED) { totalCount } }`);
    expect(accepted.proposals.totalCount).toBe(0);
  });

  it("accepts a quote with its new speaker through addArticle's path, logged under the editor's name", async () => {
    const proposal = await propose("https://example.org/petrova");
    const quote = proposal.candidates.nodes.find((c) => c.type === "QUOTE" && c.label.startsWith("Nobody trusts anybody"));
    if (!quote) throw new Error(`no candidate for Petrova's quote: ${JSON.stringify(proposal.candidates.nodes.map((c) => c.label))}`);
    const people = await count(t.db, "person");
    const result = await t.dataAs<{
      acceptCandidates: {
        proposal: { status: string; article: { url: string; quotes: { nodes: Array<{ text: string; speaker: { name: string } | null }> } } };
        accepted: Array<{ id: string; type: string; status: string; record: { id: string; name?: string; text?: string } }>;
      };
    }>(ALICE, ACCEPT, { input: { proposalId: proposal.id, candidateIds: [quote.id] } });
    const { proposal: after, accepted } = result.acceptCandidates;
    expect(after.status).toBe("PENDING");
    expect(after.article.url).toBe("https://example.org/petrova");
    expect(after.article.quotes.nodes).toEqual([{ text: "Nobody trusts anybody in Tripoli right now,", speaker: { name: "Anna Petrova" } }]);
    expect(accepted.map((c) => c.type).sort()).toEqual(["PERSON", "QUOTE"]);
    expect(accepted.every((c) => c.status === "ACCEPTED" && c.record !== null)).toBe(true);
    expect(await count(t.db, "person")).toBe(people + 1);
    const edits = await t.db.all<{ editor: string; entityType: string }>(`SELECT editor, "entityType" FROM edit WHERE mutation = 'acceptCandidates' ORDER BY id`);
    expect(edits).toEqual([
      { editor: "alice", entityType: "Article" },
      { editor: "alice", entityType: "Person" },
      { editor: "alice", entityType: "Quote" },
    ]);
  });

  it("accepts the rest of a proposal, leaving out what was rejected", async () => {
    const proposal = await propose("https://example.org/whole");
    const petrovaQuote = proposal.candidates.nodes.find((c) => c.type === "QUOTE" && c.label.startsWith("Nobody trusts"));
    if (!petrovaQuote) throw new Error("no candidate for Petrova's quote");
    const rejected = await t.dataAs<{ rejectCandidates: { proposal: { status: string }; rejected: Array<{ id: string; status: string }> } }>(ALICE, REJECT, {
      input: { proposalId: proposal.id, candidateIds: [petrovaQuote.id] },
    });
    expect(rejected.rejectCandidates.rejected).toEqual([{ id: petrovaQuote.id, status: "REJECTED" }]);
    const done = await t.dataAs<{
      acceptProposal: { proposal: { status: string; article: { quotes: { totalCount: number } }; candidates: { nodes: Array<{ status: string }> } } };
    }>(ALICE, ACCEPT_ALL, { input: { proposalId: proposal.id } });
    expect(done.acceptProposal.proposal.status).toBe("ACCEPTED");
    expect(done.acceptProposal.proposal.candidates.nodes.some((c) => c.status === "PENDING")).toBe(false);
    const quotes = proposal.candidates.nodes.filter((c) => c.type === "QUOTE").length;
    expect(done.acceptProposal.proposal.article.quotes.totalCount).toBe(quotes - 1);
    // An accepted candidate is in the knowledge base: it cannot be rejected any more.
    const accepted = proposal.candidates.nodes.find((c) => c.type === "QUOTE" && c.id !== petrovaQuote.id);
    const late = await t.runAs(ALICE, REJECT, { input: { proposalId: proposal.id, candidateIds: [accepted?.id] } });
    expect(firstError(late).extensions).toMatchObject({ code: "BAD_USER_INPUT" });
    expect(firstError(late).message).toMatch(/delete that record instead/);
  });

  it("applies an editor's corrections of a speaker and a span", async () => {
    const proposal = await propose("https://example.org/corrected");
    const quote = proposal.candidates.nodes.find((c) => c.type === "QUOTE" && c.label.startsWith("We call on all sides"));
    if (!quote) throw new Error("no candidate for Lavrov's quote");
    const { person } = await t.data<{ person: { id: string } }>(`{ person(name: "Vladimir Putin") { id } }`);
    const start = quote.evidence.startOffset;
    const result = await t.dataAs<{ acceptCandidates: { accepted: Array<{ type: string; record: { text?: string; speaker?: { name: string } } }> } }>(ALICE, ACCEPT, {
      input: {
        proposalId: proposal.id,
        candidateIds: [quote.id],
        overrides: [{ candidateId: quote.id, speaker: person.id, evidence: { startOffset: start, endOffset: start + "We call on all sides".length } }],
      },
    });
    const record = result.acceptCandidates.accepted.find((c) => c.type === "QUOTE")?.record;
    expect(record).toEqual({ id: expect.any(String), text: "We call on all sides", speaker: { name: "Vladimir Putin" } });
    // The speaker was overridden, so Lavrov's candidate did not come along.
    expect(result.acceptCandidates.accepted.map((c) => c.type)).toEqual(["QUOTE"]);
  });

  it("refuses a correction that breaks a rule, naming the candidate, and stores nothing", async () => {
    const proposal = await propose("https://example.org/clash");
    const petrova = proposal.candidates.nodes.find((c) => c.type === "PERSON" && c.label === "Anna Petrova");
    if (!petrova) throw new Error("no candidate for Anna Petrova");
    const before = await fingerprint(t.db);
    const refused = await t.runAs(ALICE, ACCEPT, {
      input: { proposalId: proposal.id, candidateIds: [petrova.id], overrides: [{ candidateId: petrova.id, name: "Sergei Lavrov" }] },
    });
    const error = firstError(refused);
    expect(error.extensions.code).toBe("BAD_USER_INPUT");
    expect(error.extensions.validationErrors).toEqual([expect.objectContaining({ field: `candidates["${petrova.id}"].name`, rule: "unique" })]);
    expect(await fingerprint(t.db)).toBe(before);
    const after = await t.dataAs<{ node: { status: string; article: null } }>(ALICE, `query($id: ID!) { node(id: $id) { ... on Proposal { status article { id } } } }`, { id: proposal.id });
    expect(after.node).toEqual({ status: "PENDING", article: null });
  });

  describe("refuses corrections that would be ignored or point at the wrong record", () => {
    async function setUp(): Promise<{ proposal: ProposalView; petrova: CandidateView; quote: CandidateView; lavrov: CandidateView }> {
      const proposal = await propose("https://example.org/overrides");
      const petrova = proposal.candidates.nodes.find((c) => c.type === "PERSON" && c.label === "Anna Petrova");
      const quote = proposal.candidates.nodes.find((c) => c.type === "QUOTE" && c.label.startsWith("Nobody trusts"));
      const lavrov = proposal.candidates.nodes.find((c) => c.type === "PERSON" && /Lavrov/.test(c.label));
      if (!petrova || !quote || !lavrov) throw new Error("the extractor missed Petrova, her quote or Lavrov");
      return { proposal, petrova, quote, lavrov };
    }
    const id = (type: string, n: number): string => Buffer.from(`${type}:${n}`).toString("base64url");

    const cases: Array<[string, (c: Awaited<ReturnType<typeof setUp>>) => Record<string, unknown>[], string, string]> = [
      ["a link to a record of another type", (c) => [{ candidateId: c.petrova.id, link: id("Country", 2) }], "input.overrides[0].link", "linkType"],
      ["a link to a record that does not exist", (c) => [{ candidateId: c.petrova.id, link: id("Person", 99999) }], "input.overrides[0].link", "exists"],
      ["two overrides of one candidate", (c) => [{ candidateId: c.quote.id, speaker: null }, { candidateId: c.quote.id, name: "x" }], "input.overrides[1].candidateId", "uniqueOverride"],
      ["a speaker for a person", (c) => [{ candidateId: c.petrova.id, speaker: null }], "input.overrides[0].speaker", "appliesTo"],
      ["a link for a quote", (c) => [{ candidateId: c.quote.id, link: null }], "input.overrides[0].link", "appliesTo"],
      ["a new name for a candidate that stays linked", (c) => [{ candidateId: c.lavrov.id, name: "Somebody Else" }], "input.overrides[0].name", "linked"],
    ];
    for (const [what, overrides, field, rule] of cases) {
      it(`refuses ${what}`, async () => {
        const c = await setUp();
        const before = await fingerprint(t.db);
        const result = await t.runAs(ALICE, ACCEPT, { input: { proposalId: c.proposal.id, candidateIds: [c.quote.id, c.lavrov.id], overrides: overrides(c) } });
        expect(firstError(result).extensions).toMatchObject({ code: "BAD_USER_INPUT", validationErrors: [expect.objectContaining({ field, rule })] });
        expect(await fingerprint(t.db)).toBe(before);
      });
    }

    it("refuses a correction of a candidate that is not being accepted", async () => {
      const c = await setUp();
      const other = c.proposal.candidates.nodes.find((x) => x.type === "QUOTE" && x.id !== c.quote.id);
      const result = await t.runAs(ALICE, ACCEPT, { input: { proposalId: c.proposal.id, candidateIds: [c.quote.id], overrides: [{ candidateId: other?.id, speaker: null }] } });
      expect(firstError(result).extensions).toMatchObject({ validationErrors: [expect.objectContaining({ field: "input.overrides[0].candidateId", rule: "accepted" })] });
    });

    it("links a candidate to the existing record an editor names", async () => {
      const c = await setUp();
      const { person } = await t.data<{ person: { id: string } }>(`{ person(name: "Vladimir Putin") { id } }`);
      const people = await count(t.db, "person");
      const result = await t.dataAs<{ acceptCandidates: { accepted: Array<{ type: string; record: { name?: string; speaker?: { name: string } } }> } }>(ALICE, ACCEPT, {
        input: { proposalId: c.proposal.id, candidateIds: [c.quote.id], overrides: [{ candidateId: c.petrova.id, link: person.id }] },
      });
      expect(result.acceptCandidates.accepted.find((a) => a.type === "PERSON")?.record).toMatchObject({ name: "Vladimir Putin" });
      expect(result.acceptCandidates.accepted.find((a) => a.type === "QUOTE")?.record.speaker).toEqual({ name: "Vladimir Putin" });
      expect(await count(t.db, "person")).toBe(people);
    });
  });

  describe("refuses bad input with a coded error and stores nothing", () => {
    const cases: Array<[string, () => Record<string, unknown>, string]> = [
      ["an empty body", () => article("https://example.org/empty", ""), "BAD_USER_INPUT"],
      ["a body of white space", () => article("https://example.org/blank", " \n\t "), "BAD_USER_INPUT"],
      ["a binary body", () => article("https://example.org/binary", "PK\u0003\u0004\u0000\u0000binary"), "BAD_USER_INPUT"],
      ["a body decoded from invalid UTF-8", () => article("https://example.org/latin1", "caf\ufffd au lait"), "BAD_USER_INPUT"],
      ["a body with half a surrogate pair", () => article("https://example.org/surrogate", "broken \ud800 text"), "BAD_USER_INPUT"],
      ["a body over the size limit", () => article("https://example.org/huge", "word ".repeat(20_001)), "BAD_USER_INPUT"],
      ["the URL of an article already in the knowledge base", () => article(SEED_URL), "BAD_USER_INPUT"],
    ];
    for (const [what, input, code] of cases) {
      it(`refuses ${what}`, async () => {
        const before = await fingerprint(t.db);
        const result = await t.runAs(ALICE, PROPOSE, { input: input() });
        expect(firstError(result).extensions.code).toBe(code);
        expect(await count(t.db, "proposal")).toBe(0);
        expect(await fingerprint(t.db)).toBe(before);
      });
    }

    it("refuses the URL of a proposal waiting for review, naming it", async () => {
      const first = await propose("https://example.org/twice");
      const again = await t.runAs(ALICE, PROPOSE, { input: article("https://EXAMPLE.org/twice") });
      expect(firstError(again).extensions.code).toBe("BAD_USER_INPUT");
      expect(firstError(again).message).toContain(first.id);
      expect(await count(t.db, "proposal")).toBe(1);
    });

    it("refuses unknown and malformed proposal and candidate IDs", async () => {
      const proposal = await propose("https://example.org/ids");
      const before = await fingerprint(t.db);
      const unknownProposal = Buffer.from("Proposal:999").toString("base64url");
      expect(firstError(await t.runAs(ALICE, ACCEPT, { input: { proposalId: unknownProposal, candidateIds: [proposal.candidates.nodes[0].id] } })).extensions.code).toBe("NOT_FOUND");
      // Accepting nothing would create an article with no facts.
      expect(firstError(await t.runAs(ALICE, ACCEPT, { input: { proposalId: proposal.id, candidateIds: [] } })).extensions.code).toBe("BAD_USER_INPUT");
      const unknownCandidate = Buffer.from("Candidate:99999").toString("base64url");
      const wrong = await t.runAs(ALICE, ACCEPT, { input: { proposalId: proposal.id, candidateIds: [unknownCandidate] } });
      expect(firstError(wrong).extensions).toMatchObject({ code: "BAD_USER_INPUT", validationErrors: [expect.objectContaining({ field: "input.candidateIds[0]" })] });
      expect(firstError(await t.runAs(ALICE, REJECT, { input: { proposalId: proposal.id, candidateIds: ["nope"] } })).extensions.code).toBe("BAD_USER_INPUT");
      expect(firstError(await t.runAs(ALICE, ACCEPT, { input: { proposalId: proposal.candidates.nodes[0].id, candidateIds: [] } })).extensions.code).toBe("BAD_USER_INPUT");
      expect(await fingerprint(t.db)).toBe(before);
    });
  });
});

describe("npm run ingest", () => {
  it("proposes every article of a folder, refusing a binary file and naming it", async () => {
    const t = await createTestServer({ env: EDITORS });
    // The command proposes into the server's database: on SQLite its file, which the server lets
    // go of first; on PostgreSQL its database, which lives as long as the server, left idle.
    const file = t.config.databasePath;
    const databaseUrl = t.kind === "postgres" ? (t.config.databaseUrl as string) : null;
    if (!databaseUrl) await t.close();
    try {
      const folder = tempDir("news-kb-ingest-");
      fs.writeFileSync(path.join(folder, "2019-04-10-lavrov.md"), `# Lavrov urges restraint\n\n${BODY}\n`);
      fs.writeFileSync(path.join(folder, "2019-04-11-second.txt"), "Sergei Lavrov said on Thursday that talks would resume.\n");
      fs.writeFileSync(path.join(folder, "2019-04-12-binary.md"), Buffer.from([0xff, 0xfe, 0x00, 0x01, 0x80, 0x81]));
      const project = transpiledProject();
      const run = promisify(execFile);
      const outcome = await run(process.execPath, [path.join(project, "src", "ingest", "cli.js"), folder, "--url-prefix", "https://example.org/", "--editor", "carol"], {
        env: { ...process.env, ...(databaseUrl ? { DATABASE_URL: databaseUrl } : { DATABASE_PATH: file }), LOG_LEVEL: "silent" },
      }).then(
        (result) => ({ code: 0, stdout: result.stdout }),
        (error: { code: number; stdout: string }) => ({ code: error.code, stdout: error.stdout }),
      );
      expect(outcome.code).toBe(1);
      expect(outcome.stdout).toMatch(/2019-04-12-binary\.md: refused: .*not UTF-8 text/);
      expect(outcome.stdout).toMatch(/2 of 3 articles proposed/);
      const proposals = `SELECT url, title, "publishedAt", "proposedBy", status FROM proposal ORDER BY id`;
      let rows: unknown[];
      if (databaseUrl) {
        rows = await t.db.all(proposals);
      } else {
        const sqlite = new BetterSqlite3(file, { readonly: true });
        try {
          rows = sqlite.prepare(proposals).all();
        } finally {
          sqlite.close();
        }
      }
      expect(rows).toEqual([
        { url: "https://example.org/2019-04-10-lavrov", title: "Lavrov urges restraint", publishedAt: "2019-04-10", proposedBy: "carol", status: "PENDING" },
        { url: "https://example.org/2019-04-11-second", title: "2019-04-11-second", publishedAt: "2019-04-11", proposedBy: "carol", status: "PENDING" },
      ]);
    } finally {
      if (databaseUrl) await t.close();
    }
  }, 60_000);
});
