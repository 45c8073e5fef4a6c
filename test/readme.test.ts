/**
 * The README and the docs show what the server really does: every example query with its output
 * is re-run against the seed, every other GraphQL block is valid against the schema, every curl
 * call answers as shown, every relative link leads somewhere, and the README keeps the test
 * command CI runs. Examples are found wherever they live (README.md, ARCHITECTURE.md, docs/*.md;
 * see test/docs.ts for which test checks which kind).
 */
import fs from "node:fs";
import path from "node:path";
import { GraphQLSchema, parse, validate } from "graphql";
import { PROJECT_ROOT } from "../src/paths";
import { createSchema } from "../src/schema";
import { COMPILE_ON_RUN } from "../src/schema/jit-executor";
import { codeBlocks, docFiles, EDITING_DOC, ingestionExampleLocation, readDoc } from "./docs";
import { createTestServer, postGraphql, TestServer } from "./helpers";

interface Example {
  file: string;
  query: string;
  output: unknown;
}

/** Every ```graphql block of every doc that is directly followed by a ```json block. */
function examples(files = docFiles()): Example[] {
  const pairs: Example[] = [];
  for (const file of files) {
    const blocks = codeBlocks(readDoc(file));
    blocks.forEach((block, i) => {
      const next = blocks[i + 1];
      if (block.lang === "graphql" && next?.lang === "json") pairs.push({ file, query: block.text, output: JSON.parse(next.text) });
    });
  }
  return pairs;
}

/** Whether an example's query asks for full-text search (whose scores and snippets depend on the database). */
function usesSearch(query: string): boolean {
  return /\bsearch\s*\(/.test(query);
}

/** An answer with every `score` and `snippet` left out, the hits and their order kept. */
function withoutRanking(value: unknown): unknown {
  return JSON.parse(JSON.stringify(value, (key, v: unknown) => (key === "score" || key === "snippet" ? undefined : v)));
}

/** What the doc tests do with each ```graphql block, or why no test checks it. */
function graphqlBlocks(): Array<{ file: string; query: string; checkedBy: "run here" | "editing" | "ingestion" | "schema" | "unchecked jsonc" }> {
  const ingestion = ingestionExampleLocation();
  const out: ReturnType<typeof graphqlBlocks> = [];
  for (const file of docFiles()) {
    const blocks = codeBlocks(readDoc(file));
    blocks.forEach((block, i) => {
      if (block.lang !== "graphql") return;
      const next = blocks[i + 1]?.lang;
      const inIngestion = file === ingestion.file && block.index > ingestion.from && block.index < ingestion.to;
      const checkedBy =
        next === "json" ? "run here" : next !== "jsonc" ? "schema" : inIngestion ? "ingestion" : file === EDITING_DOC ? "editing" : "unchecked jsonc";
      out.push({ file, query: block.text, checkedBy });
    });
  }
  return out;
}

/** Every ```sh block that posts a query with curl and shows the answer in a `# ` line. */
function curlCalls(): Array<{ file: string; block: string; body: string; answer: string; token?: string }> {
  const calls: ReturnType<typeof curlCalls> = [];
  for (const file of docFiles()) {
    for (const block of codeBlocks(readDoc(file))) {
      if (block.lang !== "sh" || !block.text.startsWith("curl")) continue;
      const body = /-d '([^']*)'/.exec(block.text)?.[1];
      const answer = /^# (\{.*)$/m.exec(block.text)?.[1];
      if (body === undefined || answer === undefined) continue;
      calls.push({ file, block: block.text, body, answer, token: /authorization: Bearer (\S+)'/.exec(block.text)?.[1] });
    }
  }
  return calls;
}

/** GitHub's anchor for a heading: lower case, punctuation dropped, spaces as hyphens. */
function slug(heading: string): string {
  return heading
    .trim()
    .toLowerCase()
    .replace(/[^\p{L}\p{N}\- _]/gu, "")
    .replace(/ /g, "-");
}

/** The anchors of a Markdown text's headings (fenced blocks left out). */
function anchors(markdown: string): Set<string> {
  const seen = new Map<string, number>();
  const out = new Set<string>();
  for (const match of withoutFences(markdown).matchAll(/^#{1,6} (.*)$/gm)) {
    const base = slug(match[1]);
    const n = seen.get(base) ?? 0;
    seen.set(base, n + 1);
    out.add(n === 0 ? base : `${base}-${n}`);
  }
  return out;
}

function withoutFences(markdown: string): string {
  return markdown.replace(/^```[\s\S]*?^```/gm, "");
}

describe("the README and the docs", () => {
  let kb: TestServer;

  beforeAll(async () => {
    kb = await createTestServer();
  });
  afterAll(async () => {
    await kb.close();
  });

  it("show two example queries in the README and the rest in docs/", () => {
    expect(examples(["README.md"]).length).toBeGreaterThanOrEqual(2);
    expect(examples().length).toBeGreaterThanOrEqual(14);
  });

  // Each example runs as often as it takes to be compiled (see src/schema/jit-executor.ts): the
  // output shown must be what graphql-js and the compiled operation both answer.
  //
  // The printed output is SQLite's. On PostgreSQL, search ranks with ts_rank, not FTS5's bm25, and
  // cuts snippets with ts_headline, not FTS5's snippet(): the scores and snippets of a search differ
  // there by design, so they are left out of the comparison; the hits, their count and their order
  // are still compared as printed.
  it.each(examples().map((e, i) => [`${e.file}, example ${i + 1}`, e] as const))("%s shows its real output", async (_name, example) => {
    const ranked = kb.kind === "postgres" && usesSearch(example.query);
    const expected = ranked ? withoutRanking(example.output) : example.output;
    for (let run = 1; run <= COMPILE_ON_RUN; run++) {
      const answer = await kb.run(example.query);
      expect(ranked ? withoutRanking(answer) : answer).toEqual(expected);
    }
  });

  it("leave no GraphQL example unchecked: every other block is valid against the schema", async () => {
    const blocks = graphqlBlocks();
    expect(blocks.filter((b) => b.checkedBy === "unchecked jsonc").map((b) => `${b.file}: ${b.query}`)).toEqual([]);
    expect(blocks.filter((b) => b.checkedBy === "editing").length).toBeGreaterThan(0);
    expect(blocks.filter((b) => b.checkedBy === "ingestion").length).toBeGreaterThan(0);
    const schema: GraphQLSchema = await createSchema();
    const invalid = blocks
      .filter((b) => b.checkedBy === "schema")
      .map((b) => ({ file: b.file, query: b.query, errors: validate(schema, parse(b.query)).map((e) => e.message) }))
      .filter((b) => b.errors.length > 0);
    expect(invalid).toEqual([]);
  });

  it("show the real answer of every curl call", async () => {
    const calls = curlCalls();
    expect(calls.length).toBeGreaterThan(0);
    // The one with a token is the Editing page's, run there by an editor.
    expect(calls.filter((c) => c.token && c.file !== EDITING_DOC).map((c) => c.file)).toEqual([]);
    const url = await kb.listen();
    for (const call of calls.filter((c) => !c.token)) {
      const { json } = await postGraphql(url, call.body);
      expect({ file: call.file, answer: json }).toEqual({ file: call.file, answer: JSON.parse(call.answer) });
    }
  });

  it("link only to files and headings that exist", () => {
    const broken: string[] = [];
    for (const file of docFiles()) {
      const text = withoutFences(readDoc(file));
      for (const match of text.matchAll(/\]\(([^)\s]+)\)/g)) {
        const target = match[1];
        if (/^[a-z]+:/.test(target)) continue;
        const [linkPath, anchor] = target.split("#");
        const resolved = linkPath ? path.join(path.dirname(path.join(PROJECT_ROOT, file)), linkPath) : path.join(PROJECT_ROOT, file);
        if (!fs.existsSync(resolved)) broken.push(`${file}: ${target} (no such file)`);
        else if (anchor && resolved.endsWith(".md") && !anchors(fs.readFileSync(resolved, "utf8")).has(anchor)) broken.push(`${file}: ${target} (no such heading)`);
      }
    }
    expect(broken).toEqual([]);
  });

  it("keep the README a front door and give every long doc a table of contents", () => {
    expect(readDoc("README.md").split("\n").length).toBeLessThanOrEqual(210);
    const long = docFiles().filter((file) => file !== "README.md" && readDoc(file).split("\n").length > 80);
    expect(long.length).toBeGreaterThan(0);
    expect(long.filter((file) => !/^## Contents$/m.test(readDoc(file)))).toEqual([]);
  });

  it("documents the test command that CI runs", () => {
    const readme = readDoc("README.md");
    const ci = fs.readFileSync(path.join(PROJECT_ROOT, ".ci", "run"), "utf8");
    expect(readme).toContain("npm install && npm start");
    expect(readme).toContain("npm test");
    expect(ci.trim().split("\n").pop()).toBe("npm test");
  });
});
