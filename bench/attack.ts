/**
 * The benchmark's "attack" row (issue 14): how a cheap client fares while one other client loops
 * a query within every documented limit whose answer would be gigabytes. The server must refuse
 * that answer quickly (RESPONSE_TOO_LARGE), with little memory, and keep answering the cheap
 * client: its p99 under attack should stay under ten times its p99 alone, with no connection
 * reset. Run alone with `node dist/bench/attack.js URL [seconds] [PID]` against a server on a
 * `--quotes 200000` database, or as a row of `npm run bench`.
 */
import fs from "node:fs";
import autocannon from "autocannon";

/**
 * Nested lists of 100 × 100 × 48 article bodies (480,000 bodies of several KB each); the filter
 * picks articles with long bodies. Depth 12 and 490,100 nodes, within the limits.
 */
export const ATTACK = `{ articles(first:100, filter:{quotes:{some:{startOffset:{gt:6500}}}}){ nodes { quotes(first:100){ nodes { article { quotes(first:48){ nodes { article { body } } } } } } } } }`;

/** A request body: a query and its variables. */
export interface AttackRequest {
  query: string;
  variables?: Record<string, unknown>;
}

/** What the attack did to the server and to the cheap client. */
export interface AttackResult {
  /** The cheap client alone: one connection, nothing else running. */
  alone: { rps: number; p50: number; p99: number };
  /** The cheap client while one attacker loops the attack query. */
  attacked: { rps: number; p50: number; p99: number };
  /** The cheap client's socket errors, timeouts and non-2xx answers while under attack. */
  cheapErrors: number;
  /** How many attack requests were answered, and how their answers were coded. */
  attacks: number;
  attackCodes: Record<string, number>;
  /** The attack requests' median and slowest time to answer, in ms. */
  attackP50: number;
  attackMax: number;
  /** The attacker's connection errors (resets, refused connections). */
  attackErrors: number;
  /** The server's largest resident memory seen during the attack (sampled every 50 ms), in MiB. */
  peakRssMiB: number | null;
}

function rssMiB(pid: number | undefined): number | null {
  try {
    const kb = Number(/VmRSS:\s+(\d+)/.exec(fs.readFileSync(`/proc/${pid}/status`, "utf8"))?.[1]);
    return Number.isFinite(kb) ? kb / 1024 : null;
  } catch {
    return null;
  }
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted.length ? sorted[Math.floor(sorted.length / 2)] : 0;
}

/** Measures the cheap request alone, then again while one client loops `attack`; `pid` is the server's, for its memory. */
export async function measureAttack(url: string, cheap: AttackRequest, options: { duration: number; pid?: number; attack?: AttackRequest }): Promise<AttackResult> {
  const body = JSON.stringify(cheap);
  const cannon = (): Promise<autocannon.Result> =>
    autocannon({ url, method: "POST", headers: { "content-type": "application/json" }, body, connections: 1, duration: options.duration });
  await autocannon({ url, method: "POST", headers: { "content-type": "application/json" }, body, connections: 1, duration: 1 });
  const alone = await cannon();

  const attackBody = JSON.stringify(options.attack ?? { query: ATTACK });
  let running = true;
  const times: number[] = [];
  const codes: Record<string, number> = {};
  let attackErrors = 0;
  const attacker = (async (): Promise<void> => {
    while (running) {
      const started = Date.now();
      try {
        const response = await fetch(url, { method: "POST", headers: { "content-type": "application/json" }, body: attackBody });
        const text = await response.text();
        let code = `HTTP ${response.status}`;
        try {
          const parsed = JSON.parse(text) as { errors?: Array<{ extensions?: { code?: string } }> };
          code = parsed.errors?.[0]?.extensions?.code ?? (response.status === 200 ? "answered" : code);
        } catch {
          // Not JSON: counted by its status.
        }
        codes[code] = (codes[code] ?? 0) + 1;
        times.push(Date.now() - started);
      } catch {
        attackErrors += 1;
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    }
  })();
  let peak: number | null = null;
  const sampler = setInterval(() => {
    const now = rssMiB(options.pid);
    if (now !== null) peak = Math.max(peak ?? 0, now);
  }, 50);
  // Let the attack get going before the cheap client starts measuring.
  await new Promise((resolve) => setTimeout(resolve, 500));
  const attacked = await cannon();
  running = false;
  await attacker;
  clearInterval(sampler);

  return {
    alone: { rps: alone.requests.average, p50: alone.latency.p50, p99: alone.latency.p99 },
    attacked: { rps: attacked.requests.average, p50: attacked.latency.p50, p99: attacked.latency.p99 },
    cheapErrors: attacked.errors + attacked.timeouts + attacked.non2xx,
    attacks: times.length,
    attackCodes: codes,
    attackP50: median(times),
    attackMax: times.length ? Math.max(...times) : 0,
    attackErrors,
    peakRssMiB: peak,
  };
}

/** One line for the benchmark's notes. */
export function describeAttack(result: AttackResult): string {
  const codes = Object.entries(result.attackCodes)
    .map(([code, n]) => `${n} ${code}`)
    .join(", ");
  const ratio = result.attacked.p99 / Math.max(result.alone.p99, 1);
  // autocannon's latencies count answered requests only: a client that got none has no p99.
  const cheap =
    result.attacked.rps === 0
      ? `the cheap client (p99 ${result.alone.p99} ms alone) got no answer at all`
      : `the cheap client's p99 went from ${result.alone.p99} ms to ${result.attacked.p99} ms (${ratio.toFixed(1)}×, goal under 10×)`;
  return `Attack: while one client looped the attack query (${result.attacks} answered: ${codes || "none"}; p50 ${result.attackP50} ms, slowest ${result.attackMax} ms; ${result.attackErrors} connection errors), ${cheap} with ${result.cheapErrors} errors; server RSS at most ${result.peakRssMiB?.toFixed(0) ?? "–"} MiB during the attack`;
}

if (require.main === module) {
  const [url, seconds, pid] = process.argv.slice(2);
  if (!url) {
    console.error("usage: node dist/bench/attack.js URL [seconds] [server PID]");
    process.exit(2);
  }
  measureAttack(url, { query: `{ people(first: 10) { nodes { name country { name } quotes(first: 5) { nodes { text } } } } }` }, { duration: Number(seconds ?? 10), pid: pid ? Number(pid) : undefined })
    .then((result) => {
      console.log(JSON.stringify(result, null, 2));
      console.log(describeAttack(result));
    })
    .catch((error: unknown) => {
      console.error(error);
      process.exit(1);
    });
}
