/**
 * The documentation as the doc tests read it: every Markdown file a reader is pointed to (the
 * README, ARCHITECTURE.md and docs/*.md), their fenced code blocks, and the one file that holds
 * the ingestion worked example. Each example lives in exactly one of these files, and the tests
 * check it wherever it is:
 *
 * - a ```graphql block followed by a ```json block: run against the seed, by test/readme.test.ts;
 * - a ```graphql block followed by a ```jsonc block: run in order as an editor, by
 *   test/editing-readme.test.ts (docs/editing.md only), or regenerated and compared, by
 *   test/ingest-readme.test.ts (between the ingestion-example markers only);
 * - any other ```graphql block: validated against the schema, by test/readme.test.ts;
 * - a ```sh block with a `curl … -d '…'` call and its `# answer`: posted over HTTP, by
 *   test/readme.test.ts (test/editing-readme.test.ts for the one that needs a token).
 */
import fs from "node:fs";
import path from "node:path";
import { PROJECT_ROOT } from "../src/paths";

/** The doc that holds the Editing examples (run in order as an editor). */
export const EDITING_DOC = "docs/editing.md";

/** Every documentation file, relative to the project root: README.md, ARCHITECTURE.md, docs/*.md. */
export function docFiles(): string[] {
  const docs = fs
    .readdirSync(path.join(PROJECT_ROOT, "docs"))
    .filter((name) => name.endsWith(".md"))
    .sort()
    .map((name) => `docs/${name}`);
  return ["README.md", "ARCHITECTURE.md", ...docs];
}

/** The text of a documentation file, by its path relative to the project root. */
export function readDoc(file: string): string {
  return fs.readFileSync(path.join(PROJECT_ROOT, file), "utf8");
}

/** One fenced code block: its language, its text and where it starts in the file. */
export interface CodeBlock {
  lang: string;
  text: string;
  index: number;
}

/** The fenced code blocks of a Markdown text that name a language, in order. */
export function codeBlocks(markdown: string): CodeBlock[] {
  return [...markdown.matchAll(/```(\w+)\n([\s\S]*?)```/g)].map((m) => ({ lang: m[1], text: m[2], index: m.index ?? 0 }));
}

export const INGESTION_START = "<!-- ingestion-example -->";
export const INGESTION_END = "<!-- /ingestion-example -->";

/** Where the ingestion worked example is: the one documentation file with its markers, and its span. */
export function ingestionExampleLocation(): { file: string; text: string; from: number; to: number } {
  const found = docFiles().filter((file) => readDoc(file).includes(INGESTION_START));
  if (found.length !== 1) throw new Error(`expected one documentation file with ${INGESTION_START}, found ${found.length}: ${found.join(", ")}`);
  const file = found[0];
  const text = readDoc(file);
  const from = text.indexOf(INGESTION_START);
  const to = text.indexOf(INGESTION_END);
  if (to < from) throw new Error(`${file} has no ${INGESTION_END} after ${INGESTION_START}`);
  return { file, text, from, to };
}
