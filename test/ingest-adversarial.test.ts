import { extract } from "../src/ingest/extract";
import type { Gazetteer } from "../src/ingest/types";

const EMPTY: Gazetteer = { people: [], organizations: [], countries: [] };

describe("the extractor on hostile text", () => {
  // Each unit repeated to 50,000 characters. A window of tokens around each quote bounds the work
  // per quote; before it, 8,000 characters of "\"a\" " took seconds and 99,000 about an hour.
  const shapes: Array<[string, string]> = [
    ["short quotes with no full stop", '"a" '],
    ["quotes each after a cue verb", 'said John Smith "we will go" '],
    ["a run-on of names and cue verbs", "John Smith said Anna Petrova told Mr Lee "],
    ["curly quotes split by he said", "\u201cword\u201d he said, "],
    ["reported speech within reported speech", "Putin said that the talks, according to Peskov, "],
    ["opening marks that never close", "\u201c"],
    ["guillemets", "«a» "],
    ["one word without spaces", "x"],
  ];
  it.each(shapes)("takes linear time on %s", (_name, unit) => {
    const body = unit.repeat(Math.ceil(50_000 / unit.length)).slice(0, 50_000);
    const extraction = extract(body, EMPTY);
    for (const quote of extraction.quotes) expect(body.slice(quote.evidence.start, quote.evidence.end)).toBe(quote.text);
  });

  it("reads words that name properties of every object as plain words", () => {
    const body = [
      "Russian Foreign Minister Sergei Lavrov met officials.",
      "",
      "\u201cWe will not accept this,\u201d said the Russian constructor.",
      "\u201cNor will we,\u201d the toString said, and the __proto__ told reporters that hasOwnProperty of the valueOf council was closed.",
    ].join("\n");
    const extraction = extract(body, EMPTY);
    expect(extraction.quotes.map((q) => q.text)).toEqual(expect.arrayContaining(["We will not accept this,", "Nor will we,"]));
    // "the constructor" is no description of an office Lavrov holds.
    const first = extraction.quotes.find((q) => q.text === "We will not accept this,");
    const lavrov = extraction.people.find((p) => p.name === "Sergei Lavrov");
    expect(first?.speakerKey ?? null).not.toBe(lavrov?.key);
  });
});
