import fs from "node:fs";
import path from "node:path";
import { PROJECT_ROOT } from "../src/paths";
import { COMPILE_ON_RUN } from "../src/schema/jit-executor";
import { createTestServer, TestServer } from "./helpers";

/** Every ```graphql block of the README that is directly followed by a ```json block. */
function examples(): Array<{ query: string; output: unknown }> {
  const readme = fs.readFileSync(path.join(PROJECT_ROOT, "README.md"), "utf8");
  const blocks = [...readme.matchAll(/```(\w+)\n([\s\S]*?)```/g)].map((m) => ({ lang: m[1], text: m[2] }));
  const pairs: Array<{ query: string; output: unknown }> = [];
  blocks.forEach((block, i) => {
    const next = blocks[i + 1];
    if (block.lang === "graphql" && next?.lang === "json") pairs.push({ query: block.text, output: JSON.parse(next.text) });
  });
  return pairs;
}

describe("the README", () => {
  let kb: TestServer;

  beforeAll(async () => {
    kb = await createTestServer();
  });
  afterAll(async () => {
    await kb.close();
  });

  it("shows at least three example queries", () => {
    expect(examples().length).toBeGreaterThanOrEqual(3);
  });

  // Each example runs as often as it takes to be compiled (see src/schema/jit-executor.ts): the
  // output shown must be what graphql-js and the compiled operation both answer.
  it.each(examples().map((e, i) => [i + 1, e] as const))("shows the real output of example %i", async (_n, example) => {
    for (let run = 1; run <= COMPILE_ON_RUN; run++) expect(await kb.run(example.query)).toEqual(example.output);
  });

  it("documents the test command that CI runs", () => {
    const readme = fs.readFileSync(path.join(PROJECT_ROOT, "README.md"), "utf8");
    const ci = fs.readFileSync(path.join(PROJECT_ROOT, ".ci", "run"), "utf8");
    expect(readme).toContain("npm install && npm start");
    expect(readme).toContain("npm test");
    expect(ci.trim().split("\n").pop()).toBe("npm test");
  });
});
