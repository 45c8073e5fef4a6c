import { EDITING_DOC, readDoc } from "./docs";
import { createTestServer, postGraphql, shown, TestServer } from "./helpers";

/** The Editing page (docs/editing.md), whose examples build on each other. */
function editingSection(): string {
  return readDoc(EDITING_DOC);
}

/** Every ```graphql block of the page directly followed by a ```jsonc block (its answer). */
function examples(): Array<{ query: string; answer: unknown }> {
  const blocks = [...editingSection().matchAll(/```(\w+)\n([\s\S]*?)```/g)].map((m) => ({ lang: m[1], text: m[2] }));
  const pairs: Array<{ query: string; answer: unknown }> = [];
  blocks.forEach((block, i) => {
    const next = blocks[i + 1];
    if (block.lang === "graphql" && next?.lang === "jsonc") pairs.push({ query: block.text, answer: JSON.parse(next.text) });
  });
  return pairs;
}

describe("the Editing page (docs/editing.md)", () => {
  let kb: TestServer;

  beforeAll(async () => {
    kb = await createTestServer({ env: { EDITOR_TOKENS: "alice:s3cret" } });
  });
  afterAll(async () => {
    await kb.close();
  });

  it("shows a token set-up and several example mutations", () => {
    expect(editingSection()).toContain("EDITOR_TOKENS=");
    expect(examples().filter((e) => e.query.trim().startsWith("mutation")).length).toBeGreaterThanOrEqual(5);
  });

  it("shows the real answer of every example, run in order as an editor", async () => {
    for (const example of examples()) {
      expect({ query: example.query, answer: shown(await kb.runAs("s3cret", example.query)) }).toEqual({
        query: example.query,
        answer: example.answer,
      });
    }
  });

  it("shows a curl call with the Authorization header that works as shown", async () => {
    const block = /```sh\n(curl[^`]*authorization: Bearer[^`]*)```/.exec(editingSection())?.[1];
    expect(block).toBeDefined();
    const token = /authorization: Bearer (\S+)'/.exec(block as string)?.[1] as string;
    const body = /-d '([^']*)'/.exec(block as string)?.[1] as string;
    const answer = /^# (.*)$/m.exec(block as string)?.[1] as string;
    const url = await kb.listen();
    const { json } = await postGraphql(url, body, { authorization: `Bearer ${token}` });
    expect(json).toEqual(JSON.parse(answer));
  });
});
