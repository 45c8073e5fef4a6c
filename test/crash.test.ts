/**
 * Crash safety: the server process is killed with SIGKILL (no handler runs, nothing is flushed
 * or closed) while mutations stream in, then restarted on the same file. A write the server
 * acknowledged must survive; one it had not acknowledged may or may not, but never in part.
 *
 * A killed process loses nothing the OS already has, so this proves the transactions and the WAL
 * recovery, not the fsyncs: surviving a power cut is what `synchronous=FULL` adds (README,
 * "Crash safety"), and no test short of pulling the plug can show it.
 */
import fs from "node:fs";
import path from "node:path";
import { ChildServer, inspectDatabase, killChildServers, send, startChildServer, startWriting, within } from "./child-server";
import { tempDir } from "./helpers";

const TOKEN = "crash-test-token";
const EDITORS = { EDITOR_TOKENS: `alice:${TOKEN}` };
const PREFIX = "Crash ";
/** Acknowledged writes in each round before its kill: early, in full swing, later still. */
const KILL_AFTER = [3, 40, 120];

describe("a server killed with SIGKILL while writing", () => {
  let dir: string;

  beforeAll(() => {
    dir = tempDir("news-kb-crash-");
  });
  afterAll(async () => {
    await killChildServers();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it("keeps every acknowledged write, each with its one edit-log entry, in an intact file, across three kills", async () => {
    const databasePath = path.join(dir, "kb.sqlite");
    let server: ChildServer = await startChildServer({ databasePath, env: EDITORS });
    const acknowledged = new Set<string>();
    const sent = new Set<string>();

    for (const [round, killAfter] of KILL_AFTER.entries()) {
      const roundPrefix = `${PREFIX}${round} `;
      // Three streams one write at a time and one sending four at once.
      const load = startWriting(server.url, TOKEN, `${PREFIX}${round}`, { sequential: 3, burst: 4, maxPerStream: 1000 });
      const reached = await load.waitForAcknowledged(killAfter, 20_000);
      const inFlightAtKill = load.inFlight();
      server.child.kill("SIGKILL");
      const exit = await within(server.exited, 10_000, null);
      await load.stop();
      if (!reached) throw new Error(`round ${round}: only ${load.acknowledged.length} writes acknowledged:\n${server.output()}`);
      expect(exit).toEqual({ code: null, signal: "SIGKILL" });
      // Until the kill every answer was an acknowledgement; after it, requests just fail.
      expect(load.refused).toEqual([]);
      load.acknowledged.forEach((name) => acknowledged.add(name));
      load.sent.forEach((name) => sent.add(name));

      server = await startChildServer({ databasePath, env: EDITORS });
      const state = inspectDatabase(databasePath, PREFIX, "alice");
      expect(state.integrity).toBe("ok");
      expect([...acknowledged].filter((name) => !state.people.has(name))).toEqual([]);
      // Beyond the acknowledged writes, at most those in flight at the kill may have committed.
      const unacknowledged = [...state.people.keys()].filter((name) => !acknowledged.has(name));
      expect(unacknowledged.filter((name) => !sent.has(name))).toEqual([]);
      expect(unacknowledged.filter((name) => name.startsWith(roundPrefix)).length).toBeLessThanOrEqual(inFlightAtKill);
      // A mutation and its edit-log entry commit together: one CREATE per person, none without one.
      expect([...state.people].filter(([, person]) => person.creates !== 1)).toEqual([]);
      expect(state.orphanCreates).toBe(0);

      // The restarted server serves what the file holds.
      const served = await send(server.url, `query($p: String!) { people(filter: { name: { startsWith: $p } }) { totalCount } }`, { p: PREFIX });
      expect(served).toEqual({ kind: "acknowledged", data: { people: { totalCount: state.people.size } } });
    }

    expect(acknowledged.size).toBeGreaterThanOrEqual(KILL_AFTER.reduce((a, b) => a + b, 0));
    expect(await server.stop("SIGTERM")).toEqual({ code: 0, signal: null });
  });
});
