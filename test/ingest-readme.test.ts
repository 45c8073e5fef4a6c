import { INGESTION_START, ingestionExampleLocation } from "./docs";
import { createTestServer, TestServer } from "./helpers";
import { ingestionExample, markdown } from "./ingest-readme";

/** The worked example as the docs show it (docs/ingestion.md today), between its markers. */
function shownExample(): string {
  const { text, from, to } = ingestionExampleLocation();
  return text.slice(from + INGESTION_START.length, to).replace(/^\n/, "").replace(/\n$/, "");
}

describe("the Ingestion page's worked example", () => {
  let kb: TestServer;
  beforeAll(async () => {
    kb = await createTestServer({ env: { EDITOR_TOKENS: "alice:s3cret" } });
  });
  afterAll(async () => {
    await kb.close();
  });

  it("shows the real answer of every step (run scripts/readme-ingestion.ts after changing the extractor)", async () => {
    const steps = await ingestionExample((query) => kb.runAs("s3cret", query));
    expect(shownExample()).toBe(markdown(steps));
  });
});
