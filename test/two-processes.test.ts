/**
 * Several server processes on one database (issue 17): a write through one process is read
 * through another at once, even where the reader keeps answers in memory: its read cache (counts,
 * searches), its compiled operations and the fast lane that answers them. Here on one SQLite
 * file, where every cache checks `PRAGMA data_version` (which sees other connections' commits);
 * on PostgreSQL the same test is to run with the change stamp (`kb_version`) instead.
 */
import path from "node:path";
import { ChildServer, killChildServers, send, startChildServer } from "./child-server";
import { tempDir } from "./helpers";

const TOKEN = "s3cret-two";

async function data(url: string, query: string, variables: Record<string, unknown> = {}, token?: string): Promise<Record<string, unknown>> {
  const result = await send(url, query, variables, token);
  if (result.kind !== "acknowledged") throw new Error(`${query}: ${JSON.stringify(result)}`);
  return result.data;
}

describe("two server processes on one database", () => {
  let writer: ChildServer;
  let reader: ChildServer;

  beforeAll(async () => {
    const databasePath = path.join(tempDir(), "kb.sqlite");
    const env = { EDITOR_TOKENS: `alice:${TOKEN}` };
    // The first seeds the new file; the second opens it as it is.
    writer = await startChildServer({ databasePath, env });
    reader = await startChildServer({ databasePath, env });
  }, 60_000);
  afterAll(async () => {
    await Promise.all([writer?.stop(), reader?.stop()]);
    await killChildServers();
  });

  it("reads a write made through the other process at once, past its read cache, compiled operations and fast lane", async () => {
    const counted = `query Counted { people(first: 1) { totalCount } search(query: "Zorbatron") { totalCount } }`;
    const named = `query Named($id: ID!) { node(id: $id) { ... on Person { name country { name } } } }`;
    const first = (await data(reader.url, `{ people(first: 1, orderBy: { field: NAME }) { nodes { id name } } }`)) as { people: { nodes: Array<{ id: string; name: string }> } };
    const someone = first.people.nodes[0];
    // Asked three times: counted once and kept, compiled, and then answered by the fast lane.
    let before: { people: { totalCount: number }; search: { totalCount: number } } | undefined;
    for (let i = 0; i < 3; i++) {
      before = (await data(reader.url, counted)) as typeof before;
      expect((await data(reader.url, named, { id: someone.id })) as unknown).toMatchObject({ node: { name: someone.name } });
    }
    expect(before?.search.totalCount).toBe(0);

    await data(writer.url, `mutation { createPerson(input: { name: "Zorbatron Quux" }) { person { id } } }`, {}, TOKEN);
    await data(writer.url, `mutation ($id: ID!) { updatePerson(input: { id: $id, name: "Renamed Elsewhere" }) { person { id } } }`, { id: someone.id }, TOKEN);

    const after = (await data(reader.url, counted)) as { people: { totalCount: number }; search: { totalCount: number } };
    expect(after.people.totalCount).toBe((before?.people.totalCount ?? 0) + 1);
    expect(after.search.totalCount).toBe(1);
    expect((await data(reader.url, named, { id: someone.id })) as unknown).toMatchObject({ node: { name: "Renamed Elsewhere" } });
  }, 60_000);
});
