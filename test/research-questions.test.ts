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
