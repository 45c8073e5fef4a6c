import { createTestServer, TestServer } from "./helpers";

// Reads whose cost no index bounds run in reader processes, where the time limit can stop them
// (src/storage/read-pool.ts); the rest stay on the server's own connection, which is faster for them.
describe("which reads run in reader processes", () => {
  let kb: TestServer;
  let heavy: jest.SpyInstance;

  beforeAll(async () => {
    kb = await createTestServer({ env: { READ_WORKERS: "2", READ_CACHE_ENTRIES: "0" } });
  });
  afterAll(async () => {
    await kb.close();
  });
  beforeEach(() => {
    // A spy that calls through: the reads still run, on the real readers.
    heavy = jest.spyOn(kb.db, "heavyRead");
  });
  afterEach(() => {
    heavy.mockRestore();
  });

  /** The statements of one request that ran as heavy reads. */
  async function heavyStatements(query: string): Promise<string[]> {
    await kb.data(query);
    return heavy.mock.calls.map(([sql]) => String(sql));
  }

  it("runs a plain page, a count and a nested list on the server's connection", async () => {
    const statements = await heavyStatements(`{ people(first: 5) { totalCount nodes { name quotes(first: 2) { totalCount nodes { text } } } } }`);
    expect(statements).toEqual([]);
  });

  it("runs a filtered page and its count in a reader", async () => {
    const statements = await heavyStatements(`{ quotes(first: 5, filter: { text: { containsIgnoreCase: "é" } }) { totalCount nodes { text } } }`);
    expect(statements).toHaveLength(2);
    expect(statements.some((sql) => sql.startsWith("SELECT COUNT(*)"))).toBe(true);
  });

  it("runs a page ordered by several criteria in a reader", async () => {
    const statements = await heavyStatements(`{ quotes(first: 5, orderBy: [{ field: KIND }, { field: CREATED_AT, direction: DESC }]) { nodes { text } } }`);
    expect(statements).toHaveLength(1);
  });

  it("runs a filtered nested list and its counts in a reader, batched across parents", async () => {
    const statements = await heavyStatements(
      `{ people(first: 20) { nodes { quotes(first: 2, filter: { kind: { eq: DIRECT } }) { totalCount nodes { text } } } } }`,
    );
    expect(statements).toHaveLength(2);
  });

  it("runs grouped counts in a reader, with a filter or without", async () => {
    expect(await heavyStatements(`{ quoteCounts(groupBy: SPEAKER) { count } }`)).toHaveLength(1);
    heavy.mockClear();
    expect(await heavyStatements(`{ quoteCounts(groupBy: SPEAKER, filter: { kind: { eq: DIRECT } }) { count } }`)).toHaveLength(1);
  });
});
