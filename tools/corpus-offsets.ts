/**
 * Fills in and checks the offsets of the annotated corpus, so that no offset is ever typed by hand.
 *
 * Each gold file (`corpus/<split>/<name>.json`, the seed fixture's format) names its quotes by their
 * `text` and its positions by an `evidence` text; an `occurrence` (0-based) picks one of several
 * identical stretches. Countries may be written as a bare ISO alpha-2 code and are expanded from
 * world-countries. The script writes `startOffset`/`endOffset` and fails loudly when a text is not
 * in the body, is ambiguous, or no longer slices to what the file says.
 *
 * Usage: `npx ts-node --transpile-only tools/corpus-offsets.ts [--check]`.
 */
import { readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import worldCountries from "world-countries";

interface SpanHint {
  text?: string;
  evidence?: string;
  occurrence?: number;
  startOffset?: number;
  endOffset?: number;
}

const root = join(__dirname, "..", "corpus");

/** Finds the `occurrence`-th place of `needle` in `body`, refusing an ambiguous unnumbered one. */
function locate(body: string, needle: string, occurrence: number | undefined, where: string): [number, number] {
  const starts: number[] = [];
  for (let at = body.indexOf(needle); at >= 0; at = body.indexOf(needle, at + 1)) starts.push(at);
  if (starts.length === 0) throw new Error(`${where}: not in the body: ${JSON.stringify(needle)}`);
  if (occurrence === undefined && starts.length > 1) {
    throw new Error(`${where}: ${starts.length} occurrences, give "occurrence": ${JSON.stringify(needle)}`);
  }
  const start = starts[occurrence ?? 0];
  if (start === undefined) throw new Error(`${where}: no occurrence ${occurrence}: ${JSON.stringify(needle)}`);
  return [start, start + needle.length];
}

function fill(hint: SpanHint, body: string, needle: string, where: string, check: boolean): void {
  const [start, end] = locate(body, needle, hint.occurrence, where);
  if (hint.startOffset !== undefined && (hint.startOffset !== start || hint.endOffset !== end)) {
    throw new Error(`${where}: stored offsets ${hint.startOffset}-${hint.endOffset} != ${start}-${end}`);
  }
  if (check && hint.startOffset === undefined) throw new Error(`${where}: offsets missing`);
  hint.startOffset = start;
  hint.endOffset = end;
  if (body.slice(start, end) !== needle) throw new Error(`${where}: slice mismatch`);
}

function main(): void {
  const check = process.argv.includes("--check");
  let files = 0;
  for (const split of ["dev", "held-out"]) {
    for (const name of readdirSync(join(root, split)).filter((f) => f.endsWith(".json")).sort()) {
      const path = join(root, split, name);
      const gold = JSON.parse(readFileSync(path, "utf8")) as {
        article: { bodyFile: string };
        countries: Array<string | { name: string; alpha2: string; alpha3: string; wikidataId: string | null }>;
        positions: SpanHint[];
        quotes: SpanHint[];
      };
      const body = readFileSync(join(root, split, gold.article.bodyFile), "utf8");
      gold.countries = gold.countries.map((c) => {
        if (typeof c !== "string") return c;
        const found = worldCountries.find((w) => w.cca2 === c);
        if (!found) throw new Error(`${name}: unknown country code ${c}`);
        return { name: found.name.common, alpha2: found.cca2, alpha3: found.cca3, wikidataId: null };
      });
      gold.positions.forEach((p, i) => fill(p, body, p.evidence ?? "", `${name} position ${i}`, check));
      gold.quotes.forEach((q, i) => fill(q, body, q.text ?? "", `${name} quote ${i}`, check));
      if (!check) writeFileSync(path, JSON.stringify(gold, null, 2) + "\n");
      files += 1;
    }
  }
  console.log(`${files} gold files ${check ? "checked" : "written"}: every span slices to its text`);
}

main();
