import { addBulkRows } from "./bulk";
import { createTestServer, TestServer } from "./helpers";

/** Researchers' questions about the seed article that used to fail silently (issue 18, section 3). */
describe("offices held on a day", () => {
  let kb: TestServer;

  beforeAll(async () => {
    kb = await createTestServer();
  });
  afterAll(async () => {
    await kb.close();
  });

  const holders = async (filter: string): Promise<string[]> =>
    (
      await kb.data<{ positions: { nodes: Array<{ person: { name: string } }> } }>(
        `{ positions(filter: { title: { eq: "Secretary of State" }, ${filter} }) { nodes { person { name } } } }`,
      )
    ).positions.nodes.map((p) => p.person.name);

  it("counts an unknown start date as always with activeAt, as documented", async () => {
    expect(await holders(`activeAt: "2005-01-01"`)).toEqual(["Michael Pompeo"]);
    expect(await holders(`activeOn: { date: "2005-01-01" }`)).toEqual(["Michael Pompeo"]);
  });

  it("leaves out a position with no start date when asked for known start dates only", async () => {
    expect(await holders(`activeOn: { date: "2005-01-01", knownStartOnly: true }`)).toEqual([]);
  });

  it("leaves out an office still held when asked for known end dates only, and keeps one whose known end covers the day", async () => {
    const data = await kb.data<{ positions: { nodes: Array<{ title: string; person: { name: string } }> } }>(
      `{ positions(filter: { activeOn: { date: "2010-06-01", knownEndOnly: true } }) { nodes { title person { name } } } }`,
    );
    expect(data.positions.nodes).toEqual([{ title: "Dictator", person: { name: "Moammar Qaddafi" } }]);
  });

  it("says in the filter's docs which rule for unknown dates applies", async () => {
    const data = await kb.data<{ __type: { inputFields: Array<{ name: string; description: string }> } }>(
      `{ __type(name: "PositionFilter") { inputFields { name description } } }`,
    );
    const docs = new Map(data.__type.inputFields.map((f) => [f.name, f.description]));
    expect(docs.get("activeAt")).toMatch(/unknown start date counts as "always"/);
    expect(docs.get("activeAt")).toMatch(/activeOn/);
    expect(docs.get("activeOn")).toMatch(/knownStartOnly/);
  });
});

describe("looking people and organizations up by a part of their name", () => {
  let kb: TestServer;

  beforeAll(async () => {
    kb = await createTestServer();
  });
  afterAll(async () => {
    await kb.close();
  });

  it.each([
    ['a name with "double quotes" and an SQL string', 'NATO \' OR \'1\'=\'1 "x" AND y*'],
    ["letters with combining marks and symbols", "pro\u035btotype \u0130stanbul \u2122 \ufb01re"],
    ["characters outside the basic plane", "t\ud845\ude75 \u5e43 \ud83d\ude00"],
  ])("looks up %s without an internal error", async (_what, name) => {
    const result = await kb.run(`query($name: String!) { person(name: $name) { id } organization(name: $name) { id } }`, { name });
    expect(result.errors).toBeUndefined();
  });

  interface Candidate {
    matchedBy: string;
    matchedText: string;
    node: { name: string };
  }
  interface Lookup {
    status: string;
    match: { name: string } | null;
    candidates: Candidate[];
  }
  const LOOKUP = `query($name: String!, $type: LookupType!) {
    lookup(name: $name, type: $type) {
      status
      match { ... on Person { name } ... on Organization { name } }
      candidates { matchedBy matchedText node { ... on Person { name } ... on Organization { name } } }
    }
  }`;
  const lookup = async (name: string, type = "PERSON"): Promise<Lookup> => (await kb.data<{ lookup: Lookup }>(LOOKUP, { name, type })).lookup;
  const person = async (name: string): Promise<string | null> =>
    (await kb.data<{ person: { name: string } | null }>(`query($n: String!) { person(name: $n) { name } }`, { n: name })).person?.name ?? null;
  const organization = async (name: string): Promise<string | null> =>
    (await kb.data<{ organization: { name: string } | null }>(`query($n: String!) { organization(name: $n) { name } }`, { n: name })).organization?.name ?? null;

  it("finds a person by surname, which used to return null", async () => {
    expect(await person("Lavrov")).toBe("Sergei Lavrov");
    expect(await person("Pompeo")).toBe("Michael Pompeo");
    expect(await person("Bogdanov")).toBe("Mikhail Bogdanov");
    expect(await person("al-Sarraj")).toBe("Fayez al-Sarraj");
    expect(await lookup("lavrov")).toEqual({
      status: "FOUND",
      match: { name: "Sergei Lavrov" },
      candidates: [{ matchedBy: "SURNAME", matchedText: "Sergei Lavrov", node: { name: "Sergei Lavrov" } }],
    });
  });

  it("finds a person by a unique first name, and says it matched a part", async () => {
    expect(await person("Vladimir")).toBe("Vladimir Putin");
    expect((await lookup("VLADIMIR")).candidates.map((c) => c.matchedBy)).toEqual(["PART"]);
  });

  it("keeps answering a full name or an alias as before, and says which matched", async () => {
    expect(await person("Kortunov")).toBe("Andrey Kortunov");
    expect(await lookup("Khalifa Haftar")).toMatchObject({ status: "FOUND", candidates: [{ matchedBy: "NAME" }] });
    expect(await lookup("haftar")).toMatchObject({ status: "FOUND", match: { name: "Khalifa Haftar" }, candidates: [{ matchedBy: "ALIAS", matchedText: "Haftar" }] });
  });

  it("ignores accents and case word by word", async () => {
    await kb.sql(`INSERT INTO person (name, aliases) VALUES ('José Álvarez', '[]')`);
    expect(await person("alvarez")).toBe("José Álvarez");
    expect(await person("ÁLVAREZ")).toBe("José Álvarez");
    expect(await lookup("Jose Alvarez")).toMatchObject({ status: "FOUND", candidates: [{ matchedBy: "NAME" }] });
    // Only whole words: a part of a word is not a part of the name.
    expect(await person("Alva")).toBeNull();
  });

  it("finds an organization by a unique part, an alias or an acronym", async () => {
    expect(await organization("Security Council")).toBe("United Nations Security Council");
    expect(await organization("LNA")).toBe("Libyan National Army");
    expect(await organization("RIAC")).toBe("Russian International Affairs Council");
    expect(await organization("ios")).toBe("Institute of Oriental Studies");
    expect((await lookup("RIAC", "ORGANIZATION")).candidates).toEqual([
      { matchedBy: "ACRONYM", matchedText: "Russian International Affairs Council", node: { name: "Russian International Affairs Council" } },
    ]);
  });

  it("returns null for a part several records share, and lists them as candidates", async () => {
    expect(await organization("Studies")).toBeNull();
    const studies = await lookup("Studies", "ORGANIZATION");
    expect(studies.status).toBe("AMBIGUOUS");
    expect(studies.match).toBeNull();
    expect(studies.candidates.map((c) => [c.matchedBy, c.node.name])).toEqual([
      ["PART", "Center for Arab and Islamic Studies"],
      ["PART", "Institute of Oriental Studies"],
    ]);
  });

  it("returns null for a name nothing matches, and suggests names that begin alike", async () => {
    expect(await person("Lavrof")).toBeNull();
    expect(await lookup("Lavrof")).toEqual({
      status: "NOT_FOUND",
      match: null,
      candidates: [{ matchedBy: "SIMILAR", matchedText: "Sergei Lavrov", node: { name: "Sergei Lavrov" } }],
    });
    expect(await lookup("  ")).toEqual({ status: "NOT_FOUND", match: null, candidates: [] });
    expect(await lookup('"*) OR title:')).toMatchObject({ status: "NOT_FOUND", match: null });
  });

  it("follows a renamed person, since the search index's triggers keep names in step", async () => {
    await kb.sql(`INSERT INTO person (name, aliases) VALUES ('Ivan Testerov', '[]')`);
    expect(await person("Testerov")).toBe("Ivan Testerov");
    await kb.sql(`UPDATE person SET name = 'Ivan Probov' WHERE name = 'Ivan Testerov'`);
    expect(await person("Testerov")).toBeNull();
    expect(await person("Probov")).toBe("Ivan Probov");
  });

  it("looks up in as many statements with many rows as with few", async () => {
    const statements = async (): Promise<number> => {
      kb.db.statements.reset();
      kb.db.statements.record = true;
      await lookup("Lavrof");
      await lookup("Studies", "ORGANIZATION");
      await lookup("RIAC", "ORGANIZATION");
      kb.db.statements.record = false;
      return kb.db.statements.log.length;
    };
    const before = await statements();
    expect(before).toBeGreaterThan(0);
    await addBulkRows(kb, { peoplePerCountry: 20, positionsPerPerson: 1, quotesPerPerson: 1 });
    expect(await statements()).toBe(before);
  });
});
