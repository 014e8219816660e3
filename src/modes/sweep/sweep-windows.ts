/**
 * How the followed wallets' trades fall in a sweep's training and held-out windows. The split is a
 * fraction of the recording's time span, not of the targets' trades: a target that stopped trading
 * early leaves the held-out window with nothing to copy, and every held-out column reads 0 — which
 * looks like a flat result, not like "no data". The sweep says so, with a `--train` that would hold
 * some of their trades out.
 */
import { isoMinute } from '../../report/human-report.ts';
import type { TradesAroundSplit } from '../../store/recording-queries.ts';

export interface TargetTradesByWindow {
  train: number;
  test: number;
  /** ts_recv of the targets' first and last trade in the recording; undefined when it has none. */
  firstMs?: number;
  lastMs?: number;
  /** A `--train` fraction that holds out about the last 30 % of their trades; undefined when none would. */
  suggestedTrain?: number;
}

/** Fewer held-out trades than this and the held-out columns say little. */
const FEW_HELD_OUT = 5;

export function byWindow(t: TradesAroundSplit, range: { fromMs: number; toMs: number }): TargetTradesByWindow {
  return { train: t.before, test: t.after, firstMs: t.firstMs, lastMs: t.lastMs, suggestedTrain: trainHoldingOut(t, range) };
}

/**
 * The shortest decimal fraction whose split (as the sweep computes it) falls after the 70th-percentile trade
 * and at or before the last one, so both windows hold trades of the targets.
 */
function trainHoldingOut(t: TradesAroundSplit, range: { fromMs: number; toMs: number }): number | undefined {
  const span = range.toMs - range.fromMs;
  if (t.p70Ms === undefined || t.lastMs === undefined || t.p70Ms >= t.lastMs || span <= 0) return undefined;
  for (const scale of [100, 1000, 10_000, 100_000, 1_000_000]) {
    const fraction = Math.ceil(((t.p70Ms + 1 - range.fromMs) / span) * scale) / scale;
    const split = Math.floor(range.fromMs + span * fraction);
    if (fraction > 0 && fraction < 1 && split > t.p70Ms && split <= t.lastMs) return fraction;
  }
  return undefined;
}

/** What to tell the user about the windows, or undefined when both hold enough of the targets' trades. */
export function windowNotice(t: TargetTradesByWindow, windows: { train: { to: number } }): string | undefined {
  const at = (ms: number | undefined) => (ms === undefined ? '?' : isoMinute(ms));
  const retry = t.suggestedTrain !== undefined ? ` Try --train ${t.suggestedTrain}, which puts the split after 70 % of their trades.` : '';
  const split = at(windows.train.to);
  if (t.train + t.test === 0) return 'the recording holds no trades of the followed wallets: every column reads 0.';
  if (t.test === 0)
    return (
      `the held-out window (from ${split}) holds none of the targets' ${t.train} trades (their last is at ${at(t.lastMs)}), ` +
      `so every held-out column reads 0 and cannot show overfitting.${retry}`
    );
  if (t.train === 0)
    return (
      `the training window (to ${split}) holds none of the targets' ${t.test} trades (their first is at ${at(t.firstMs)}), ` +
      `so the ranking rests on nothing.${retry}`
    );
  if (t.test < FEW_HELD_OUT)
    return `only ${t.test} of the targets' ${t.train + t.test} trades fall in the held-out window (from ${split}): its columns say little.${retry}`;
  return undefined;
}
