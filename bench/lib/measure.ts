/** Small helpers the benchmark sections share: medians, wall timing, peak RSS, scratch copies of recordings. */
import { copyFileSync, mkdirSync, rmSync } from 'node:fs';
import { basename, join } from 'node:path';
import { BENCH_DIR } from './synthetic-recording.ts';

export function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 === 1 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}

export function seconds(fromNs: bigint): number {
  return Number(process.hrtime.bigint() - fromNs) / 1e9;
}

/** Samples process RSS every `everyMs` until stopped; returns the peak in MB. Timers here only observe. */
export function rssSampler(everyMs = 50): { stop(): number } {
  let peak = process.memoryUsage().rss;
  const timer = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), everyMs);
  return {
    stop() {
      clearInterval(timer);
      peak = Math.max(peak, process.memoryUsage().rss);
      return Math.round(peak / 1e6);
    },
  };
}

/** Copies a recording to a scratch file (the bundled ones are never opened by a benchmark). */
export function scratchCopy(path: string, tag: string): { path: string; remove(): void } {
  mkdirSync(BENCH_DIR, { recursive: true });
  const copy = join(BENCH_DIR, `${tag}-${process.pid}-${basename(path)}`);
  copyFileSync(path, copy);
  return { path: copy, remove: () => (rmSync(copy, { force: true }), rmSync(`${copy}.wal`, { force: true })) };
}

export const round = (x: number, digits = 0): number => Math.round(x * 10 ** digits) / 10 ** digits;

/** Progress lines for people watching (stderr, and only when not asked for JSON; BENCH_NOTES=1: a section run in a child for a watched run). */
export function note(text: string): void {
  if (!process.argv.includes('--json') || process.env.BENCH_NOTES === '1') process.stderr.write(`  ${text}\n`);
}
