/**
 * Ids and order salts come from here, never from Math.random, so the same seed gives the same
 * client order ids and salts in a replay.
 */
export interface IdSource {
  /** A new id such as `o-000017`; `prefix` says what it names. */
  next(prefix: string): string;
  /**
   * The number the next `next(prefix)` would have used, taken now; `format` makes its text later.
   * `format(prefix, nextNumber(prefix))` is exactly what `next(prefix)` returns.
   */
  nextNumber(prefix: string): number;
  format(prefix: string, n: number): string;
  /** A random-looking non-negative integer below 2^48 (order salts). */
  salt(): number;
  /** A uniform float in [0, 1) for models that need randomness (latency jitter, queue position). */
  random(): number;
}

/** splitmix32: tiny, fast, and good enough for ids and jitter; deterministic for a seed. */
export class SeededIds implements IdSource {
  private state: number;
  private counters = new Map<string, number>();

  constructor(seed = 1) {
    this.state = seed >>> 0;
  }

  next(prefix: string): string {
    return this.format(prefix, this.nextNumber(prefix));
  }

  nextNumber(prefix: string): number {
    const n = (this.counters.get(prefix) ?? 0) + 1;
    this.counters.set(prefix, n);
    return n;
  }

  format(prefix: string, n: number): string {
    return `${prefix}-${padId(n)}`;
  }

  salt(): number {
    return Math.floor(this.random() * 2 ** 24) * 2 ** 24 + Math.floor(this.random() * 2 ** 24);
  }

  random(): number {
    this.state = (this.state + 0x9e3779b9) | 0;
    let z = this.state;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
    z ^= z >>> 16;
    return (z >>> 0) / 2 ** 32;
  }
}

const ZEROS = '000000';

/** Six digits at least: 17 → "000017". */
export function padId(n: number): string {
  const digits = String(n);
  return digits.length >= 6 ? digits : ZEROS.slice(digits.length) + digits;
}
