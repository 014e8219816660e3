/**
 * Money, prices and sizes are integer micro-units (6 decimals, like USDC and CTF shares on chain).
 * `number` is exact below 2^53, i.e. nine billion dollars. API decimals arrive as strings or floats
 * with noise (`0.5799998259997042`); they are parsed once, here, at the edge.
 */
export const MICROS = 1_000_000;

export type Micros = number;

/** A decimal (string or number) → integer micro-units, rounded to the nearest micro. Throws on junk. */
export function toMicros(value: string | number): Micros {
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new RangeError(`not a finite number: ${value}`);
    return Math.round(value * MICROS);
  }
  const text = value.trim();
  const match = /^([+-])?(\d*)(?:\.(\d*))?(?:[eE]([+-]?\d+))?$/.exec(text);
  if (!match || (match[2] === '' && (match[3] ?? '') === '')) {
    throw new RangeError(`not a decimal number: "${value}"`);
  }
  if (match[4] !== undefined) return toMicros(Number(text));
  const sign = match[1] === '-' ? -1 : 1;
  const whole = match[2] === '' ? 0 : Number(match[2]);
  const frac = (match[3] ?? '').padEnd(7, '0');
  // 7 digits kept so the 7th rounds the 6th (half away from zero).
  const fracMicros = Number(frac.slice(0, 6)) + (Number(frac[6]) >= 5 ? 1 : 0);
  return sign * (whole * MICROS + fracMicros);
}

/** Like toMicros, but undefined/empty/junk give `undefined` instead of throwing. */
export function tryMicros(value: unknown): Micros | undefined {
  if (typeof value !== 'string' && typeof value !== 'number') return undefined;
  if (typeof value === 'string' && value.trim() === '') return undefined;
  try {
    return toMicros(value);
  } catch {
    return undefined;
  }
}

/** Micro-units → a plain decimal number (for reports and JSON only, never for accounting). */
export function fromMicros(micros: Micros): number {
  return micros / MICROS;
}

/** Micro-units → a fixed decimal string, e.g. 1234567 → "1.234567", with `dp` digits. */
export function formatMicros(micros: Micros, dp = 2): string {
  const sign = micros < 0 ? '-' : '';
  const abs = Math.abs(micros);
  const scale = 10 ** (6 - dp);
  const rounded = Math.round(abs / scale);
  const whole = Math.floor(rounded / 10 ** dp);
  const frac = dp > 0 ? '.' + String(rounded % 10 ** dp).padStart(dp, '0') : '';
  return `${sign}${whole}${frac}`;
}

/** Formats USDC micros as "$1,234.56" (sign before the dollar). */
export function formatUsd(micros: Micros, dp = 2): string {
  const s = formatMicros(Math.abs(micros), dp);
  const dot = s.indexOf('.');
  const whole = dot === -1 ? s : s.slice(0, dot);
  let grouped = whole;
  if (whole.length > 3) {
    grouped = '';
    for (let i = 0; i < whole.length; i++) {
      if (i > 0 && (whole.length - i) % 3 === 0) grouped += ',';
      grouped += whole[i];
    }
  }
  return `${micros < 0 ? '-' : ''}$${grouped}${dot === -1 ? '' : s.slice(dot)}`;
}

/**
 * shares × price → USDC, all in micros, without overflowing 2^53 (a plain product of a 1M-share size
 * and a price is ~1e18). `round` chooses the direction so callers can stay inside caps.
 */
export function notional(sizeMicros: Micros, priceMicros: Micros, round: 'floor' | 'ceil' | 'nearest' = 'nearest'): Micros {
  return mulDiv(sizeMicros, priceMicros, MICROS, round);
}

/** USDC ÷ price → shares, in micros. */
export function sharesFor(usdcMicros: Micros, priceMicros: Micros, round: 'floor' | 'ceil' | 'nearest' = 'floor'): Micros {
  if (priceMicros <= 0) throw new RangeError(`price must be positive, got ${priceMicros}`);
  return mulDiv(usdcMicros, MICROS, priceMicros, round);
}

/** a × b ÷ d with integer rounding, exact for |a|,|b| < 2^53 and d ≤ 1e12. */
export function mulDiv(a: number, b: number, d: number, round: 'floor' | 'ceil' | 'nearest' = 'nearest'): number {
  const product = a * b;
  if (Number.isSafeInteger(product)) return roundDiv(product, d, round);
  // A large position's notional or cost share overflows 2^53 but divides exactly in doubles;
  // BigInt only for what does not (it allocates on every call).
  if (a >= 0 && b >= 0 && d > 0 && Number.isSafeInteger(a) && Number.isSafeInteger(b) && Number.isSafeInteger(d)) {
    const split = splitMulDiv(a, b, d, round);
    if (!Number.isNaN(split)) return split;
    const swapped = splitMulDiv(b, a, d, round);
    if (!Number.isNaN(swapped)) return swapped;
    const wide = d < WIDE_DIVISOR_LIMIT ? wideMulDiv(a, b, d, round) : Number.NaN;
    if (!Number.isNaN(wide)) return wide;
  }
  const big = BigInt(a) * BigInt(b);
  const bd = BigInt(d);
  let q = big / bd;
  const r = big % bd;
  if (r !== 0n) {
    const negative = big < 0n !== bd < 0n;
    if (round === 'floor' && negative) q -= 1n;
    else if (round === 'ceil' && !negative) q += 1n;
    else if (round === 'nearest') {
      const twice = (r < 0n ? -r : r) * 2n;
      if (twice >= (bd < 0n ? -bd : bd)) q += negative ? -1n : 1n;
    }
  }
  return Number(q);
}

/** `wideMulDiv` divides by d below 2^40: a remainder times 2^11 plus a remainder times an 11-bit limb stays below 2^52. */
const WIDE_DIVISOR_LIMIT = 2 ** 40;
const TWO_20 = 2 ** 20;

/**
 * a × b ÷ d for safe a, b ≥ 0 and 0 < d < 2^40, exact in doubles; NaN when the quotient is not a safe integer.
 * With a = qa·d + ra and b = qb·d + rb: a·b = (qa·b + ra·qb)·d + ra·rb. Both parts of the first term are at
 * most the quotient, so they are safe when it is. ra·rb (both below d) is divided long-division style, 11
 * bits of rb at a time, so every partial sum stays below 2^52.
 *
 * Every quotient here is a safe n ≥ 0 over an integer d ≥ 1, whose float floors exactly: for n = m·d − j
 * (j ≥ 1), n/d is m − j/d and rounds up to m only if j/d ≤ ulp(m)/2 ≤ m/2^53, i.e. m·d ≥ j·2^53, while
 * m·d = n + j < 2^53 + j: only n = 2^53 − 1 over a power of two, which divides exactly. So every product
 * with d (qa·d ≤ a and the like) is exact too.
 */
function wideMulDiv(a: number, b: number, d: number, round: 'floor' | 'ceil' | 'nearest'): number {
  const qa = Math.floor(a / d);
  const ra = a - qa * d;
  const qb = Math.floor(b / d);
  const rb = b - qb * d;
  const whole = qa * b + ra * qb;
  if (!Number.isSafeInteger(qa * b) || !Number.isSafeInteger(whole)) return Number.NaN;
  // rb < 2^40 as two 20-bit halves, each cut into an 11-bit and a 9-bit limb (integer ops on small ints).
  const high = Math.floor(rb / TWO_20);
  const low = rb - high * TWO_20;
  let q = 0;
  let r = 0;
  for (let step = 0; step < 4; step++) {
    const half = step < 2 ? high : low;
    const bits = step % 2 === 0 ? 11 : 9;
    const limb = step % 2 === 0 ? half >>> 9 : half & 511;
    const scale = 2 ** bits;
    const t = r * scale + ra * limb;
    const qt = Math.floor(t / d);
    const rt = t - qt * d;
    q = q * scale + qt;
    r = rt;
  }
  let total = whole + q;
  if (r !== 0 && (round === 'ceil' || (round === 'nearest' && 2 * r >= d))) total += 1;
  return Number.isSafeInteger(total) ? total : Number.NaN;
}

/**
 * a × b ÷ d for safe non-negative integers as (qa × b) + (ra × b) ÷ d, where a = qa × d + ra: exact
 * whenever both products are safe integers (cheaper than `wideMulDiv`, tried first); NaN otherwise.
 */
function splitMulDiv(a: number, b: number, d: number, round: 'floor' | 'ceil' | 'nearest'): number {
  const qa = Math.floor(a / d); // exact, as in wideMulDiv
  const ra = a - qa * d;
  const hi = qa * b;
  const lo = ra * b;
  if (!Number.isSafeInteger(hi) || !Number.isSafeInteger(lo)) return Number.NaN;
  const q = hi + roundDiv(lo, d, round);
  return Number.isSafeInteger(q) ? q : Number.NaN;
}

function roundDiv(n: number, d: number, round: 'floor' | 'ceil' | 'nearest'): number {
  // n / d is a correctly rounded float; near 2^53 it can land one off, so fix the floor exactly.
  let q = Math.floor(n / d);
  if (q * d > n) q -= 1;
  else if ((q + 1) * d <= n) q += 1;
  const r = n - q * d;
  if (r === 0 || round === 'floor') return q;
  if (round === 'ceil') return q + 1;
  // nearest, half away from zero
  const twice = 2 * r;
  if (twice > d) return q + 1;
  if (twice < d) return q;
  return q >= 0 ? q + 1 : q;
}

/** Floors `value` to a multiple of `step` (both micros). */
export function floorTo(value: Micros, step: Micros): Micros {
  return Math.floor(value / step) * step;
}

/** Ceils `value` to a multiple of `step` (both micros). */
export function ceilTo(value: Micros, step: Micros): Micros {
  return Math.ceil(value / step) * step;
}
