import { Database } from "../src/storage/database";
import { PostgresDatabase, WRITE_LOCK } from "../src/storage/postgres/database";
import type { Store } from "../src/storage/store";
import { toGlobalId as G } from "../src/model/global-id";
import { ALICE, BOB, count, EDITORS } from "./editing-helpers";
import { createTestServer, GqlResult, itOnPostgres, itOnSqlite, postGraphql, TestServer } from "./helpers";

const SEED_ARTICLE = G("Article", 1);

/** How many writes are queued or running: SQLite's write queue, or PostgreSQL's promise queue. */
function pendingWrites(db: Store): number {
  if (db instanceof Database) return db.writes.pending;
  if (db instanceof PostgresDatabase) return db.pendingWrites;
  throw new Error(`no pending-writes count on ${db.kind}`);
}

/** Resolves after a macrotask, so that other I/O gets a chance to run in between. */
const tick = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

describe("concurrent writes over HTTP", () => {
  let kb: TestServer;
  let url: string;

  beforeAll(async () => {
    kb = await createTestServer({ env: EDITORS });
    url = await kb.listen();
  });
  afterAll(async () => {
    await kb.close();
  });

  it("stores every acknowledged one of 200 concurrent mutations exactly once and refuses the rest cleanly", async () => {
    const peopleBefore = await count(kb.db, "person");
    const quotesBefore = await count(kb.db, "quote");
    const editsBefore = await count(kb.db, "edit");
    const target = G("Person", 4);

    type Sent = { kind: "person" | "duplicate" | "quote" | "update"; key: string; body: { query: string; variables: Record<string, unknown> } };
    const sent: Sent[] = [];
    for (let i = 0; i < 120; i += 1) {
      sent.push({
        kind: "person",
        key: `Concurrent Person ${i}`,
        body: { query: `mutation($input: CreatePersonInput!) { createPerson(input: $input) { person { id name } } }`, variables: { input: { name: `Concurrent Person ${i}` } } },
      });
    }
    // Twenty names sent twice each: exactly one of each pair may win.
    for (let i = 0; i < 40; i += 1) {
      const name = `Contested Name ${i % 20}`;
      sent.push({ kind: "duplicate", key: name, body: { query: `mutation($input: CreatePersonInput!) { createPerson(input: $input) { person { id name } } }`, variables: { input: { name } } } });
    }
    // Twenty quotes on distinct ranges of the seed article, past every existing quote.
    for (let i = 0; i < 20; i += 1) {
      const input = { text: `concurrent paraphrase ${i}`, kind: "PARAPHRASE", evidence: { articleId: SEED_ARTICLE, startOffset: 3400 + i, endOffset: 3401 + i } };
      sent.push({ kind: "quote", key: input.text, body: { query: `mutation($input: CreateQuoteInput!) { createQuote(input: $input) { quote { id text } } }`, variables: { input } } });
    }
    // Twenty changes to the same person, racing each other.
    for (let i = 0; i < 20; i += 1) {
      const input = { id: target, description: `version ${i}` };
      sent.push({ kind: "update", key: input.description, body: { query: `mutation($input: UpdatePersonInput!) { updatePerson(input: $input) { person { id description } } }`, variables: { input } } });
    }
    expect(sent).toHaveLength(200);

    // Reads run alongside and must never wait for the writes or fail.
    const reads = Array.from({ length: 20 }, () => postGraphql(url, { query: `{ people(first: 5) { totalCount nodes { name } } }` }));
    const responses = await Promise.all(sent.map((s, i) => postGraphql(url, s.body, { authorization: `Bearer ${i % 2 ? ALICE : BOB}` })));
    for (const read of await Promise.all(reads)) {
      expect(read.status).toBe(200);
      expect(read.json.errors).toBeUndefined();
    }

    const acknowledged: Array<{ sent: Sent; result: GqlResult }> = [];
    for (const [i, response] of responses.entries()) {
      expect(response.status).toBe(200);
      const result = response.json;
      if (result.errors) {
        // The only refusal allowed is the second of a contested pair, as a coded uniqueness error.
        expect(sent[i].kind).toBe("duplicate");
        expect(result.errors[0].extensions).toMatchObject({ code: "BAD_USER_INPUT", validationErrors: [{ field: "input.name", rule: "unique" }] });
      } else {
        acknowledged.push({ sent: sent[i], result });
      }
    }

    const created = acknowledged.filter((a) => a.sent.kind === "person" || a.sent.kind === "duplicate");
    expect(created.filter((a) => a.sent.kind === "person")).toHaveLength(120);
    expect(created.filter((a) => a.sent.kind === "duplicate")).toHaveLength(20);
    expect(new Set(created.filter((a) => a.sent.kind === "duplicate").map((a) => a.sent.key)).size).toBe(20);
    expect(acknowledged.filter((a) => a.sent.kind === "quote")).toHaveLength(20);
    expect(acknowledged.filter((a) => a.sent.kind === "update")).toHaveLength(20);

    // Every acknowledged record is in the database exactly once, and nothing else was added.
    for (const { sent: s } of created) {
      expect(await kb.db.all(`SELECT id FROM person WHERE name = ?`, [s.key])).toHaveLength(1);
    }
    for (const { sent: s } of acknowledged.filter((a) => a.sent.kind === "quote")) {
      expect(await kb.db.all(`SELECT id FROM quote WHERE text = ?`, [s.key])).toHaveLength(1);
    }
    expect(await count(kb.db, "person")).toBe(peopleBefore + 140);
    expect(await count(kb.db, "quote")).toBe(quotesBefore + 20);

    // One edit per acknowledged mutation, none for the refused ones; the last update logged wins.
    expect(await count(kb.db, "edit")).toBe(editsBefore + acknowledged.length);
    const last = await kb.db.get<{ after: string }>(`SELECT "after" FROM edit WHERE "entityType" = 'Person' AND "entityId" = 4 ORDER BY id DESC LIMIT 1`);
    const stored = await kb.db.get<{ description: string }>(`SELECT description FROM person WHERE id = 4`);
    expect(JSON.parse(last?.after ?? "{}").description).toBe(stored?.description);
    expect(pendingWrites(kb.db)).toBe(0);
  });

  // Over HTTP each request reaches its resolver in its own event-loop turn and better-sqlite3
  // never leaves the turn, so two transactions there rarely overlap. Operations started in the
  // same turn interleave at every await, which is where unqueued transactions collide ("cannot
  // start a transaction within a transaction"): this is the case the queue exists for.
  it("keeps apart 200 mutations started in the same turn of the event loop", async () => {
    const peopleBefore = await count(kb.db, "person");
    const results = await Promise.all(
      Array.from({ length: 200 }, (_, i) =>
        kb.runAs(i % 2 ? ALICE : BOB, `mutation($name: String!) { createPerson(input: { name: $name }) { person { name } } }`, { name: `Same Turn ${i}` }),
      ),
    );
    expect(results.filter((r) => r.errors)).toEqual([]);
    expect(await count(kb.db, "person")).toBe(peopleBefore + 200);
    expect((await kb.db.get<{ n: number }>(`SELECT COUNT(DISTINCT name) AS n FROM person WHERE name LIKE 'Same Turn %'`))?.n).toBe(200);
  });
});

describe("the write queue", () => {
  let kb: TestServer;

  beforeAll(async () => {
    kb = await createTestServer({ seed: false });
  });
  afterAll(async () => {
    await kb.close();
  });

  it("runs writes one at a time, in the order they were queued", async () => {
    const log: string[] = [];
    await Promise.all(
      Array.from({ length: 30 }, (_, i) =>
        kb.db.write(async (manager) => {
          log.push(`start ${i}`);
          await manager.query(kb.db.dialect.native(`INSERT INTO country (name, alpha2, alpha3) VALUES (?, ?, ?)`), [`Queued ${i}`, `Q${i}`, `Q${i}X`]);
          await Promise.resolve();
          log.push(`end ${i}`);
        }),
      ),
    );
    expect(log).toEqual(Array.from({ length: 30 }, (_, i) => [`start ${i}`, `end ${i}`]).flat());
    expect(await count(kb.db, "country")).toBe(30);
  });

  it("rolls back a failed write completely and carries on with the next", async () => {
    const before = await count(kb.db, "country");
    const failing = kb.db.write(async (manager) => {
      await manager.query(`INSERT INTO country (name, alpha2, alpha3) VALUES ('Half', 'H1', 'H1X')`);
      throw new Error("refused halfway");
    });
    const next = kb.db.write((manager) => manager.query(`INSERT INTO country (name, alpha2, alpha3) VALUES ('Whole', 'W1', 'W1X')`));
    await expect(failing).rejects.toThrow("refused halfway");
    await next;
    expect(await kb.db.all(`SELECT name FROM country WHERE name IN ('Half', 'Whole')`)).toEqual([{ name: "Whole" }]);
    expect(await count(kb.db, "country")).toBe(before + 1);
  });

  it("lets reads through while writes are queued", async () => {
    let open!: () => void;
    const gate = new Promise<void>((resolve) => (open = resolve));
    // A write held open from outside (which real writes never do) keeps the queue busy.
    const held = kb.db.write(() => gate);
    const queued = kb.db.write((manager) => manager.query(`INSERT INTO country (name, alpha2, alpha3) VALUES ('Later', 'L1', 'L1X')`));
    await tick();
    expect(pendingWrites(kb.db)).toBe(2);
    expect(await kb.data(`{ countries { totalCount } }`)).toEqual({ countries: { totalCount: expect.any(Number) } });
    expect(await kb.db.all(`SELECT name FROM country WHERE name = 'Later'`)).toEqual([]);
    open();
    await Promise.all([held, queued]);
    expect(await kb.db.all(`SELECT name FROM country WHERE name = 'Later'`)).toEqual([{ name: "Later" }]);
  });

  // SQLite only: PostgreSQL gives each transaction a pooled connection of its own, so there is no
  // shared connection to collide on (its counterpart below checks the lock that orders writes).
  itOnSqlite("is needed: overlapping transactions on the shared connection collide without it", async () => {
    const results = await Promise.allSettled(
      [1, 2].map((i) =>
        kb.db.dataSource.transaction(async (manager) => {
          await manager.query(kb.db.dialect.native(`INSERT INTO country (name, alpha2, alpha3) VALUES (?, ?, ?)`), [`Raw ${i}`, `R${i}`, `R${i}X`]);
          await tick();
        }),
      ),
    );
    const failures = results.filter((r): r is PromiseRejectedResult => r.status === "rejected");
    expect(failures.length).toBeGreaterThan(0);
    expect(String(failures[0].reason)).toMatch(/transaction/i);
  });

  // PostgreSQL: writes are kept apart across processes by an advisory lock that each write
  // transaction holds until it ends; a transaction outside the store cannot take it meanwhile.
  itOnPostgres("holds PostgreSQL's write lock for the whole of a write, and releases it at its end", async () => {
    const tryLock = (): Promise<boolean> =>
      kb.db.dataSource.transaction(async (manager) => {
        const rows = (await manager.query(`SELECT pg_try_advisory_xact_lock(${WRITE_LOCK}) AS got`)) as Array<{ got: boolean }>;
        return rows[0].got;
      });
    let open!: () => void;
    const gate = new Promise<void>((resolve) => (open = resolve));
    let started!: () => void;
    const running = new Promise<void>((resolve) => (started = resolve));
    const held = kb.db.write(async () => {
      started();
      await gate;
    });
    await running;
    expect(await tryLock()).toBe(false);
    open();
    await held;
    expect(await tryLock()).toBe(true);
  });
});
