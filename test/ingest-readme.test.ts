import fs from "node:fs";
import path from "node:path";
import { PROJECT_ROOT } from "../src/paths";
import { createTestServer, TestServer } from "./helpers";
import { ingestionExample, markdown } from "./ingest-readme";

/** The worked example as the README shows it, between its markers. */
function shownExample(): string {
  const readme = fs.readFileSync(path.join(PROJECT_ROOT, "README.md"), "utf8");
  const match = /<!-- ingestion-example -->\n([\s\S]*?)\n<!-- \/ingestion-example -->/.exec(readme);
  if (!match) throw new Error("README.md has no ingestion example");
  return match[1];
}

describe("the README's Ingestion section", () => {
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
