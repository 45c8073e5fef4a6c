/**
 * Seeded randomness for the synthetic data generator. Hand-written rather than a dependency so
 * that a given seed produces the same database on every machine and every future install.
 */

/** Mixes a seed and a stream name into one 32-bit state (FNV-1a over the name, then a finalizer). */
export function streamSeed(seed: number, stream: string): number {
  // Seeds beyond 32 bits keep their high bits instead of being silently truncated.
  let hash = (seed ^ Math.floor(seed / 2 ** 32)) >>> 0;
  hash ^= 0x811c9dc5;
  for (let i = 0; i < stream.length; i += 1) {
    hash = Math.imul(hash ^ stream.charCodeAt(i), 0x01000193) >>> 0;
  }
  hash = Math.imul(hash ^ (hash >>> 16), 0x85ebca6b) >>> 0;
  hash = Math.imul(hash ^ (hash >>> 13), 0xc2b2ae35) >>> 0;
  return (hash ^ (hash >>> 16)) >>> 0;
}

/**
 * mulberry32: a tiny 32-bit generator, statistically good enough for test data and fast (one
 * call is a handful of integer operations, which matters at tens of millions of calls).
 */
export class Random {
  private state: number;

  constructor(seed: number) {
    this.state = seed >>> 0;
  }

  /** A float in [0, 1). */
  next(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  /** An integer in [0, n). */
  below(n: number): number {
    return Math.floor(this.next() * n);
  }

  /** An integer in [min, max], both included. */
  between(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }

  /** True with probability p. */
  chance(p: number): boolean {
    return this.next() < p;
  }

  /** One item, uniformly. */
  pick<T>(items: readonly T[]): T {
    return items[Math.floor(this.next() * items.length)];
  }

  /** An exponentially distributed float with mean 1 (for skewed sizes such as quotes per article). */
  exponential(): number {
    return -Math.log(1 - this.next());
  }

  /** Shuffles in place (Fisher–Yates) and returns the same array. */
  shuffle<T extends { length: number; [index: number]: unknown }>(items: T): T {
    for (let i = items.length - 1; i > 0; i -= 1) {
      const j = Math.floor(this.next() * (i + 1));
      const swap = items[i];
      items[i] = items[j];
      items[j] = swap;
    }
    return items;
  }
}

/**
 * Samples ranks 0..n-1 with probability proportional to 1/(rank+1)^exponent: a few items very
 * often, a long tail rarely, which is how names, words and speakers are spread in real news.
 * The cumulative table costs 8 bytes per item and a sample is one binary search.
 */
export class Zipf {
  private readonly cumulative: Float64Array;

  constructor(
    readonly size: number,
    exponent: number,
  ) {
    this.cumulative = new Float64Array(size);
    let sum = 0;
    for (let rank = 0; rank < size; rank += 1) {
      sum += 1 / Math.pow(rank + 1, exponent);
      this.cumulative[rank] = sum;
    }
    for (let rank = 0; rank < size; rank += 1) this.cumulative[rank] /= sum;
  }

  /** A rank in [0, size). */
  sample(random: Random): number {
    const u = random.next();
    let low = 0;
    let high = this.size - 1;
    while (low < high) {
      const mid = (low + high) >>> 1;
      if (this.cumulative[mid] > u) high = mid;
      else low = mid + 1;
    }
    return low;
  }
}

/** A fixed list whose earlier items are picked more often (Zipf over their order). */
export class ZipfList<T> {
  private readonly zipf: Zipf;

  constructor(
    private readonly items: readonly T[],
    exponent = 1,
  ) {
    if (items.length === 0) throw new Error("ZipfList needs at least one item");
    this.zipf = new Zipf(items.length, exponent);
  }

  pick(random: Random): T {
    return this.items[this.zipf.sample(random)];
  }
}

/**
 * Zipf over entity ids 1..n, with the ranks scattered over the ids by a seeded permutation, so
 * that the most talked-about people are not simply the first rows (id order and name order then
 * carry no hint of popularity, as in a real knowledge base).
 */
export class ZipfIds {
  private readonly zipf: Zipf;
  private readonly ids: Int32Array;

  constructor(n: number, exponent: number, random: Random) {
    this.zipf = new Zipf(Math.max(n, 1), exponent);
    this.ids = new Int32Array(n);
    for (let i = 0; i < n; i += 1) this.ids[i] = i + 1;
    random.shuffle(this.ids);
  }

  /** An id in [1, n]. */
  pick(random: Random): number {
    return this.ids[this.zipf.sample(random)];
  }
}
