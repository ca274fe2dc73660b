/**
 * numpy-compatible random numbers: `new RandomState(seed)` gives the same stream as numpy's
 * legacy `np.random.seed(seed)` / `np.random.RandomState(seed)`, so a `.dnn.json` that mirrors a
 * course notebook gets the notebook's initial weights, dropout masks and mini-batch order.
 *
 * What is reproduced, from numpy's C sources (numpy/random/src/mt19937, legacy/legacy-distributions.c,
 * distributions.c, _legacy_seeding in _mt19937.pyx, RandomState.shuffle in mtrand.pyx):
 * - seeding: an integer seed s in [0, 2^32 - 1] goes through `mt19937_seed` (Knuth's
 *   init_genrand: key[0] = s, key[i] = 1812433253 * (key[i-1] ^ (key[i-1] >>> 30)) + i), not
 *   through init_by_array; the first draw regenerates the whole 624-word block.
 * - `randomSample()` (np.random.rand / random_sample): 53 bits from two words,
 *   ((a >>> 5) * 2^26 + (b >>> 6)) / 2^53. Bit-exact.
 * - `standardNormal()` (np.random.randn): the legacy polar (Marsaglia) method, which draws pairs
 *   and caches the second value (`has_gauss`) for the next call, across calls of any size.
 *   The logarithm in it is computed correctly rounded (./log.ts) rather than with `Math.log`:
 *   V8's Math.log (fdlibm) returns the other neighbour of the true value for about 1 input in
 *   40, which moved 3% of Gaussians by 1 to 3 ulps. glibc's log, which numpy calls, is itself
 *   correctly rounded but for about 1 input in 1,000 (near a rounding midpoint), so a Gaussian
 *   may still differ from numpy's by an ulp or two on rare draws: measured against numpy 2.4 on
 *   glibc, 200,000 draws, 99.96% bit-exact, the rest within 2 ulps. `Math.sqrt`, `*` and `/`
 *   are correctly rounded everywhere. The rejection test uses only exact arithmetic, so the
 *   stream never desynchronises: every later draw is unaffected.
 * - `permutation(n)` / `shuffle`: Fisher-Yates from the last index down, j drawn by
 *   `random_interval(i)` (rejection sampling on 32-bit words masked to the next power of two
 *   minus one), exactly as the legacy `RandomState.shuffle` does for a 1-d array.
 */

import { logCorrectlyRounded } from './log';

const N = 624;
const M = 397;
const MATRIX_A = 0x9908b0df;
const UPPER_MASK = 0x80000000;
const LOWER_MASK = 0x7fffffff;

/** numpy's legacy generator: MT19937 plus the cached Gaussian of the polar method. */
export class RandomState {
  private readonly key = new Uint32Array(N);
  private pos = N;
  private hasGauss = false;
  private gauss = 0;

  /** np.random.RandomState(seed); seed is an integer in [0, 2^32 - 1]. */
  constructor(seed = 0) {
    this.seed(seed);
  }

  /**
   * np.random.seed(seed): numpy's `mt19937_seed`, and the cached Gaussian is dropped.
   * Throws RangeError for a seed numpy would refuse ("Seed must be between 0 and 2**32 - 1"),
   * which the spec checker reports earlier as `out-of-range`.
   */
  seed(seed: number): void {
    if (!Number.isInteger(seed) || seed < 0 || seed > 0xffffffff) {
      throw new RangeError(`seed must be an integer between 0 and 2**32 - 1; got ${seed}`);
    }
    const key = this.key;
    let s = seed >>> 0;
    for (let i = 0; i < N; i++) {
      key[i] = s;
      const x = (s ^ (s >>> 30)) >>> 0;
      // 1812433253 * x mod 2^32: Math.imul keeps the low 32 bits a float product would round away.
      s = (Math.imul(x, 1812433253) + i + 1) >>> 0;
    }
    this.pos = N;
    this.hasGauss = false;
    this.gauss = 0;
  }

  /** Regenerates the 624-word block (numpy's mt19937_gen). */
  private generate(): void {
    const key = this.key;
    let y: number;
    let i = 0;
    for (; i < N - M; i++) {
      y = (key[i] & UPPER_MASK) | (key[i + 1] & LOWER_MASK);
      key[i] = key[i + M] ^ (y >>> 1) ^ (-(y & 1) & MATRIX_A);
    }
    for (; i < N - 1; i++) {
      y = (key[i] & UPPER_MASK) | (key[i + 1] & LOWER_MASK);
      key[i] = key[i + (M - N)] ^ (y >>> 1) ^ (-(y & 1) & MATRIX_A);
    }
    y = (key[N - 1] & UPPER_MASK) | (key[0] & LOWER_MASK);
    key[N - 1] = key[M - 1] ^ (y >>> 1) ^ (-(y & 1) & MATRIX_A);
    this.pos = 0;
  }

  /** One raw 32-bit word, tempered (numpy's mt19937_next32); an integer in [0, 2^32). */
  randomUint32(): number {
    if (this.pos === N) this.generate();
    let y = this.key[this.pos++];
    y ^= y >>> 11;
    y ^= (y << 7) & 0x9d2c5680;
    y ^= (y << 15) & 0xefc60000;
    y ^= y >>> 18;
    return y >>> 0;
  }

  /** np.random.random_sample(): a double in [0, 1) with 53 random bits (legacy_double). */
  randomSample(): number {
    const a = this.randomUint32() >>> 5;
    const b = this.randomUint32() >>> 6;
    return (a * 67108864.0 + b) / 9007199254740992.0;
  }

  /** np.random.rand(): the same draw as randomSample. */
  rand(): number {
    return this.randomSample();
  }

  /**
   * np.random.standard_normal() / randn() (legacy_gauss): the polar method; every second call
   * returns the value cached by the previous one. Within 1 ulp of numpy (see the module comment).
   */
  standardNormal(): number {
    if (this.hasGauss) {
      const g = this.gauss;
      this.hasGauss = false;
      this.gauss = 0;
      return g;
    }
    let x1: number;
    let x2: number;
    let r2: number;
    do {
      x1 = 2.0 * this.randomSample() - 1.0;
      x2 = 2.0 * this.randomSample() - 1.0;
      r2 = x1 * x1 + x2 * x2;
    } while (r2 >= 1.0 || r2 === 0.0);
    const f = Math.sqrt((-2.0 * logCorrectlyRounded(r2)) / r2);
    this.gauss = f * x1;
    this.hasGauss = true;
    return f * x2;
  }

  /** np.random.randn(): the same draw as standardNormal. */
  randn(): number {
    return this.standardNormal();
  }

  /** np.random.normal(loc, scale) (legacy_normal): loc + scale * gauss. */
  normal(loc = 0, scale = 1): number {
    return loc + scale * this.standardNormal();
  }

  /** np.random.uniform(low, high) (legacy uniform): low + (high - low) * random_sample(). */
  uniform(low = 0, high = 1): number {
    return low + (high - low) * this.randomSample();
  }

  /** np.random.randn(n): n Gaussians, in order, continuing the cached value. */
  randnArray(n: number): Float64Array {
    const out = new Float64Array(n);
    for (let i = 0; i < n; i++) out[i] = this.standardNormal();
    return out;
  }

  /** np.random.rand(n): n doubles in [0, 1). */
  randArray(n: number): Float64Array {
    const out = new Float64Array(n);
    for (let i = 0; i < n; i++) out[i] = this.randomSample();
    return out;
  }

  /**
   * random_interval(max): an integer in [0, max] by rejection on words masked to the smallest
   * 2^k - 1 >= max. Only maxima below 2^32 occur here (arrays index with 32-bit integers).
   */
  interval(max: number): number {
    if (max === 0) return 0;
    if (!(max > 0 && max <= 0xffffffff && Number.isInteger(max))) {
      throw new RangeError(`interval maximum must be an integer in [0, 2**32 - 1]; got ${max}`);
    }
    let mask = max;
    mask |= mask >>> 1;
    mask |= mask >>> 2;
    mask |= mask >>> 4;
    mask |= mask >>> 8;
    mask |= mask >>> 16;
    mask >>>= 0;
    let value: number;
    do {
      value = (this.randomUint32() & mask) >>> 0;
    } while (value > max);
    return value;
  }

  /**
   * np.random.randint(low, high): an integer in [low, high) (legacy masked bounded draw; the same
   * words as random_interval(high - low - 1)). high - low must be at most 2^32.
   */
  randint(low: number, high: number): number {
    const range = high - low - 1;
    if (!Number.isInteger(low) || !Number.isInteger(high) || range < 0 || range > 0xffffffff) {
      throw new RangeError(`randint needs integers low < high with high - low <= 2**32; got ${low}, ${high}`);
    }
    if (range === 0xffffffff) return low + this.randomUint32();
    return low + this.interval(range);
  }

  /** RandomState.shuffle(x) for a 1-d array: in place, Fisher-Yates from the end. */
  shuffle<T extends { length: number; [i: number]: number }>(x: T): T {
    for (let i = x.length - 1; i > 0; i--) {
      const j = this.interval(i);
      const t = x[i];
      x[i] = x[j];
      x[j] = t;
    }
    return x;
  }

  /** np.random.permutation(n): a shuffled 0..n-1. */
  permutation(n: number): Int32Array {
    return this.permutationInto(new Int32Array(n));
  }

  /** np.random.permutation(out.length) written into `out`, so a training loop allocates nothing. */
  permutationInto(out: Int32Array): Int32Array {
    for (let i = 0; i < out.length; i++) out[i] = i;
    return this.shuffle(out);
  }
}
