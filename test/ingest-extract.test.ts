import { extract } from "../src/ingest/extract";
import type { Extraction, Gazetteer, QuoteCandidate } from "../src/ingest/types";
import { evaluate, loadCorpus, prf, seedGazetteer, seedTargets } from "../tools/eval-ingest";

const EMPTY: Gazetteer = { people: [], organizations: [], countries: [] };

/** The name of the candidate a key stands for. */
function nameOf(x: Extraction, key: string | null): string | null {
  if (key === null) return null;
  return [...x.people, ...x.organizations, ...x.countries].find((c) => c.key === key)?.name ?? null;
}

function onlyQuote(x: Extraction, text: string): QuoteCandidate {
  const q = x.quotes.find((c) => c.text === text);
  if (!q) throw new Error(`no quote ${JSON.stringify(text)} in ${JSON.stringify(x.quotes.map((c) => c.text))}`);
  return q;
}

describe("extract: quotes and their speakers", () => {
  it("attributes a quote to the name after the cue verb", () => {
    const body = "“We will not sign this deal,” said Ivan Petrov, a senior lawmaker.";
    const x = extract(body, EMPTY);
    const q = onlyQuote(x, "We will not sign this deal,");
    expect(q.kind).toBe("DIRECT");
    expect(nameOf(x, q.speakerKey)).toBe("Ivan Petrov");
    expect(q.speakerRule).toBe("name-cue");
  });

  it("attributes a quote to the name before the cue verb", () => {
    const x = extract("Ivan Petrov told reporters on Monday: “The deal is dead.”", EMPTY);
    expect(nameOf(x, onlyQuote(x, "The deal is dead.").speakerKey)).toBe("Ivan Petrov");
  });

  it("attributes a quote to a title and name after it", () => {
    const x = extract("“The talks have failed,” Foreign Minister Anna Berg said on Tuesday.", EMPTY);
    const q = onlyQuote(x, "The talks have failed,");
    expect(nameOf(x, q.speakerKey)).toBe("Anna Berg");
    expect(q.speakerRule).toBe("title-name");
  });

  it("resolves a pronoun to the nearest person before it", () => {
    const body = "Anna Berg, the foreign minister, arrived in Oslo on Monday.\n\n“We are ready to talk,” she said.";
    const x = extract(body, EMPTY);
    const q = onlyQuote(x, "We are ready to talk,");
    expect(nameOf(x, q.speakerKey)).toBe("Anna Berg");
    expect(q.speakerRule).toBe("pronoun");
  });

  it("resolves a description to the person holding a matching office", () => {
    const body = "Defense Minister Karl Lind met the envoy of Peru, Ana Soto, in Lima. “We will not give up,” the minister said.";
    const x = extract(body, EMPTY);
    const q = onlyQuote(x, "We will not give up,");
    expect(nameOf(x, q.speakerKey)).toBe("Karl Lind");
    expect(q.speakerRule).toBe("description");
  });

  it("attributes speech to an organization", () => {
    const x = extract("The Kremlin said the talks had been “useful and frank.”", EMPTY);
    const q = onlyQuote(x, "useful and frank.");
    expect(q.speakerKey).toBeNull();
    expect(nameOf(x, q.speakerOrganizationKey)).toBe("Kremlin");
  });

  it("attributes speech to a state", () => {
    const x = extract("Russia vowed to use “all available means” to end the fighting.", EMPTY);
    const q = onlyQuote(x, "all available means");
    expect(nameOf(x, q.speakerCountryKey)).toBe("Russia");
  });

  it("resolves it to the organization spoken of last", () => {
    const body = "The Organization for Security and Co-operation in Europe monitored the vote. It also said the campaign had been marked by “deep polarisation.”";
    const x = extract(body, EMPTY);
    expect(nameOf(x, onlyQuote(x, "deep polarisation.").speakerOrganizationKey)).toBe("Organization for Security and Co-operation in Europe");
  });

  it("gives a joint statement of two people no single speaker", () => {
    const x = extract("Josep Borrell and Oliver Varhelyi said in a joint statement that they expected “a swift and independent” inquiry.", EMPTY);
    const q = onlyQuote(x, "a swift and independent");
    expect([q.speakerKey, q.speakerOrganizationKey, q.speakerCountryKey]).toEqual([null, null, null]);
  });

  it("splits a quote interrupted by the attribution into two quotes of the same speaker", () => {
    const x = extract("“We are ready,” Anna Berg said, “but not at any price.”", EMPTY);
    expect(x.quotes.map((q) => q.text)).toEqual(["We are ready,", "but not at any price."]);
    expect(x.quotes.map((q) => nameOf(x, q.speakerKey))).toEqual(["Anna Berg", "Anna Berg"]);
  });

  it("reads guillemets and straight quotation marks", () => {
    const x = extract("«The situation is catastrophic,» said Karl Lind.\n\n\"It is getting worse,\" Lind added.", EMPTY);
    expect(x.quotes.map((q) => [q.text, nameOf(x, q.speakerKey)])).toEqual([
      ["The situation is catastrophic,", "Karl Lind"],
      ["It is getting worse,", "Karl Lind"],
    ]);
  });

  it("keeps a quote running over several paragraphs with its speaker", () => {
    const body = "“Our work is technical,” Karl Lind told reporters.\n\n“It cannot be traded for anything.\n\n“This is not about politics.”";
    const x = extract(body, EMPTY);
    expect(x.quotes.map((q) => q.text)).toEqual(["Our work is technical,", "It cannot be traded for anything.", "This is not about politics."]);
    expect(new Set(x.quotes.map((q) => nameOf(x, q.speakerKey)))).toEqual(new Set(["Karl Lind"]));
  });

  it("does not turn scare quotes or names in quotation marks into quotes", () => {
    const body = "The so-called “peace plan” was never published. Traders call that strategy the “OPEC put.”";
    expect(extract(body, EMPTY).quotes).toEqual([]);
  });

  it("reads reported speech after said that", () => {
    const x = extract("Ivan Petrov said in a statement that the deal was dead.", EMPTY);
    const q = onlyQuote(x, "the deal was dead");
    expect(q.kind).toBe("PARAPHRASE");
    expect(nameOf(x, q.speakerKey)).toBe("Ivan Petrov");
  });

  it("reads reported speech before according to", () => {
    const x = extract("The ceasefire has collapsed, according to the African Union.", EMPTY);
    const q = onlyQuote(x, "The ceasefire has collapsed");
    expect(nameOf(x, q.speakerOrganizationKey)).toBe("African Union");
  });

  it("keeps every quote's text equal to its evidence slice", () => {
    for (const a of loadCorpus()) {
      for (const q of extract(a.body, EMPTY).quotes) expect(a.body.slice(q.evidence.start, q.evidence.end)).toBe(q.text);
    }
  });
});

describe("extract: entities, positions and links", () => {
  it("finds a position from a title before the name", () => {
    const x = extract("Russian Foreign Minister Sergei Lavrov arrived in Cairo.", EMPTY);
    expect(x.positions.map((p) => [nameOf(x, p.personKey), p.title, nameOf(x, p.countryKey)])).toEqual([["Sergei Lavrov", "Foreign Minister", "Russia"]]);
    const [p] = x.positions;
    expect(p && "Russian Foreign Minister Sergei Lavrov".length === p.evidence.end - p.evidence.start).toBe(true);
  });

  it("finds a position from an appositive after the name", () => {
    const x = extract("Andrey Kortunov, head of the Russian International Affairs Council, disagreed.", EMPTY);
    expect(x.positions.map((p) => [nameOf(x, p.personKey), p.title, nameOf(x, p.organizationKey)])).toEqual([["Andrey Kortunov", "Head", "Russian International Affairs Council"]]);
  });

  it("finds a position from a possessive title before a comma and the name", () => {
    const x = extract("President Vladimir Putin’s spokesman, Dmitry Peskov, spoke on Monday.", EMPTY);
    expect(x.positions.map((p) => [nameOf(x, p.personKey), p.title])).toEqual([
      ["Vladimir Putin", "President"],
      ["Dmitry Peskov", "Spokesman for the President"],
    ]);
  });

  it("gives countries their ISO codes from names, codes and demonyms", () => {
    const x = extract("Russian and U.S. officials met in Egypt.", EMPTY);
    expect(x.countries.map((c) => [c.name, c.alpha2, c.alpha3])).toEqual([
      ["Russia", "RU", "RUS"],
      ["United States", "US", "USA"],
      ["Egypt", "EG", "EGY"],
    ]);
  });

  it("keeps two people with the same surname apart and links only the known one", () => {
    const gazetteer: Gazetteer = { people: [{ id: 7, name: "Dmitry Peskov", aliases: [], countryId: null, titles: ["Spokesman"] }], organizations: [], countries: [] };
    const body = "Kremlin spokesman Dmitry Peskov denied it. Nikolai Peskov, 54, said his firm won the tender.";
    const x = extract(body, gazetteer);
    expect(x.people.map((p) => [p.name, p.link])).toEqual([
      ["Dmitry Peskov", { id: 7, matchedBy: "name" }],
      ["Nikolai Peskov", null],
    ]);
  });

  it("links a surname, an organization alias and a country code to known records, with the reason", () => {
    const gazetteer: Gazetteer = {
      people: [{ id: 3, name: "Sergei Lavrov", aliases: [], countryId: 1, titles: ["Foreign Minister"] }],
      organizations: [{ id: 4, name: "United Nations", aliases: ["UN"], kind: "INTERGOVERNMENTAL", countryId: null }],
      countries: [{ id: 1, name: "Russia", alpha2: "RU", alpha3: "RUS" }],
    };
    const x = extract("Lavrov said the UN had failed. Russian diplomats agreed.", gazetteer);
    expect(x.people.map((p) => [p.name, p.link])).toEqual([["Sergei Lavrov", { id: 3, matchedBy: "surname" }]]);
    expect(x.organizations.map((o) => o.link)).toEqual([{ id: 4, matchedBy: "name" }]);
    expect(x.countries.map((c) => c.link)).toEqual([{ id: 1, matchedBy: "demonym" }]);
  });

  it("describes a person from the appositive after the name", () => {
    const x = extract("“It will be hard,” said Elena Suponina, a Moscow-based Middle East expert.", EMPTY);
    expect(x.people.map((p) => [p.name, p.description])).toEqual([["Elena Suponina", "Moscow-based Middle East expert"]]);
  });

  it("returns nothing for an empty body", () => {
    expect(extract("   \n", EMPTY)).toEqual({ people: [], organizations: [], countries: [], positions: [], quotes: [] });
  });
});

describe("extract: the annotated corpus", () => {
  const articles = loadCorpus();

  it("meets the seed article's targets in an empty knowledge base", () => {
    expect(seedTargets(articles)).toEqual({ people: "11/11", invented: 0, countries: "6/6", directPersonQuotes: "9/9", personQuotes: "11/11" });
  });

  it("keeps quote speaker precision and recall over the whole corpus at what was reached", () => {
    const all = evaluate(articles, null);
    // Reached on 19 articles: speaker P 0.979 R 0.972, people F1 0.996, countries 0.995, organizations~ 0.981, positions~ 0.979.
    expect(prf(all.speaker).precision).toBeGreaterThanOrEqual(0.97);
    expect(prf(all.speaker).recall).toBeGreaterThanOrEqual(0.96);
    expect(prf(all.people.exact).f1).toBeGreaterThanOrEqual(0.99);
    expect(prf(all.countries.exact).f1).toBeGreaterThanOrEqual(0.99);
    expect(prf(all.organizations.overlap).f1).toBeGreaterThanOrEqual(0.97);
    expect(prf(all.positions.overlap).f1).toBeGreaterThanOrEqual(0.97);
  });

  it("keeps the held-out articles at what they reached", () => {
    const held = evaluate(articles.filter((a) => a.split === "held-out"), null);
    // Reached: speaker P 0.919 R 0.891 on four articles never tuned on.
    expect(prf(held.speaker).precision).toBeGreaterThanOrEqual(0.91);
    expect(prf(held.speaker).recall).toBeGreaterThanOrEqual(0.89);
  });

  it("links every found entity to the right seed record or to nothing", () => {
    const linked = evaluate(articles, seedGazetteer(articles));
    expect(linked.linking.total).toBeGreaterThan(100);
    expect(linked.linking.correct).toBe(linked.linking.total);
  });
});
