/**
 * Measuring a query over HTTP with autocannon, shared by the benchmark's runs (bench/run.ts on
 * SQLite, bench/postgres.ts on PostgreSQL): one or more targets in turns, under load and alone.
 */
import fs from "node:fs";
import autocannon from "autocannon";

/**
 * Where hand-written notes start in the results file: everything from this line on (measurements
 * of one issue's steps, A/B runs) is kept when a new run rewrites the table above it.
 */
export const NOTES_MARKER = "<!-- Notes below are kept by npm run bench. -->";

/** How long and how hard to load each target. */
export interface LoadOptions {
  /** Seconds of load per query and target. */
  duration: number;
  /** Concurrent connections under load. */
  connections: number;
  /**
   * Count an answer with GraphQL `errors` (a time limit, say: still HTTP 200) as an error, not as
   * throughput; each body is read for it (the PostgreSQL run does, where a query may time out).
   */
  verifyAnswers?: boolean;
}

/** An answer without a GraphQL `errors` member (a `"` inside a string is always escaped). */
export function answeredWithoutErrors(body: unknown): boolean {
  return !String(body).includes('"errors":');
}

/** Peak resident memory of a process so far, in MiB (Linux's VmHWM). */
export function peakMemoryMiB(pid: number | undefined): number | null {
  try {
    const status = fs.readFileSync(`/proc/${pid}/status`, "utf8");
    const kb = Number(/VmHWM:\s+(\d+)/.exec(status)?.[1]);
    return Number.isFinite(kb) ? kb / 1024 : null;
  } catch {
    return null;
  }
}

/** A GraphQL request: the query and its variables. */
export interface Request {
  query: string;
  variables?: Record<string, unknown>;
}

/** Posts one GraphQL request and answers its body, the `x-sql-statements` header and the status. */
export async function post(url: string, request: Request): Promise<{ body: Buffer; statements: string | null; status: number }> {
  const response = await fetch(url, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(request) });
  return { body: Buffer.from(await response.arrayBuffer()), statements: response.headers.get("x-sql-statements"), status: response.status };
}

/** One query measured on one target: a row of the results table. */
export interface Measured {
  name: string;
  target: string;
  rps: number;
  p50: number;
  p99: number;
  /** Latency with one connection: what one client sees, without waiting behind the others. */
  aloneP50: number;
  aloneP99: number;
  statements: string;
  peakMiB: number | null;
  errors: number;
}

/** One server under test: what the table calls it, where it listens, and its process. */
export interface Target {
  target: string;
  url: string;
  pid: number | undefined;
}

/** The median of some numbers. */
export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/**
 * Measures one query on one or more targets. Several targets take turns, a few seconds each, for
 * the whole duration: on a shared machine the speed available drifts by tens of percent from one
 * minute to the next, and turns make a ratio between targets compare like with like.
 * Requests/s is the total over every turn; p50 and p99 are the medians of the turns' own.
 */
export async function measure(name: string, targets: Target[], requests: Request | ((t: Target) => Request), options: LoadOptions, slow = false): Promise<Measured[]> {
  // One request for all, or each target its own (our Q2 and PostGraphile's closest equivalent).
  const requestOf = (t: Target): Request => (typeof requests === "function" ? requests(t) : requests);
  const probes = new Map<Target, string | null>();
  for (const t of targets) {
    const request = requestOf(t);
    // Two probes: the load repeats one request, so the second shows what it costs repeated (a
    // search answered from the cache), and the table shows both when they differ.
    const counts: Array<string | null> = [];
    for (let i = 0; i < 2; i++) {
      const probe = await post(t.url, request);
      const parsed = JSON.parse(probe.body.toString("utf8")) as { errors?: unknown[] };
      if (probe.status !== 200 || parsed.errors) throw new Error(`${name} on ${t.target} failed: ${probe.body.toString("utf8").slice(0, 500)}`);
      counts.push(probe.statements);
    }
    probes.set(t, counts[0] === counts[1] ? counts[0] : `${counts[0]} → ${counts[1]}`);
  }
  // autocannon stops counting at the end of a turn, but the requests it has in flight still run;
  // one more request, answered after them, makes sure the next turn starts on an idle machine.
  const load = async (t: Target, connections: number, duration: number): Promise<autocannon.Result> => {
    const request = requestOf(t);
    const result = await autocannon({
      url: t.url,
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify(request),
      connections,
      duration,
      ...(options.verifyAnswers ? { verifyBody: answeredWithoutErrors } : {}),
    });
    await post(t.url, request);
    return result;
  };
  // One target needs no turns; and a turn must last well beyond one request, or a `slow` query
  // (a common word ranked afresh, whole seconds under load) completes nothing inside it.
  const rounds = targets.length === 1 || slow ? 1 : Math.max(1, Math.min(5, Math.floor(options.duration / 2)));
  const turn = Math.max(1, Math.round(options.duration / rounds));
  const loaded = new Map<Target, autocannon.Result[]>(targets.map((t) => [t, []]));
  const alone = new Map<Target, autocannon.Result[]>(targets.map((t) => [t, []]));
  // A short warm-up each, so that no target is measured while V8 is still compiling its code.
  for (const t of targets) await load(t, options.connections, 1);
  // Throughput and latency under load, then the latency of a single client: with n connections
  // on one event loop, the p50 under load is about n times the time one request takes.
  for (let i = 0; i < rounds; i++) for (const t of targets) (loaded.get(t) as autocannon.Result[]).push(await load(t, options.connections, turn));
  for (let i = 0; i < rounds; i++) for (const t of targets) (alone.get(t) as autocannon.Result[]).push(await load(t, 1, Math.max(1, Math.round(turn / 2))));
  return targets.map((t) => {
    const runs = loaded.get(t) as autocannon.Result[];
    const single = alone.get(t) as autocannon.Result[];
    const measured: Measured = {
      name,
      target: t.target,
      rps: runs.reduce((sum, r) => sum + r.requests.total - (r.mismatches ?? 0), 0) / runs.reduce((sum, r) => sum + r.duration, 0),
      p50: median(runs.map((r) => r.latency.p50)),
      p99: median(runs.map((r) => r.latency.p99)),
      aloneP50: median(single.map((r) => r.latency.p50)),
      aloneP99: median(single.map((r) => r.latency.p99)),
      statements: probes.get(t) ?? "–",
      peakMiB: peakMemoryMiB(t.pid),
      errors: [...runs, ...single].reduce((sum, r) => sum + r.errors + r.non2xx + r.timeouts + (r.mismatches ?? 0), 0),
    };
    console.error(
      `  ${name.padEnd(28)} ${t.target.padEnd(8)} ${measured.rps.toFixed(0).padStart(7)} req/s  p50 ${measured.p50} ms  p99 ${measured.p99} ms  alone p50 ${measured.aloneP50} ms  statements ${measured.statements}`,
    );
    return measured;
  });
}

