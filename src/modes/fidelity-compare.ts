/**
 * The fidelity comparison: paper's and live's copies paired by the target fill they copy, and the gaps
 * between them (shares, average price, PnL).
 */
import type { Copy, SessionTrace } from './fidelity-trace.ts';
import type { FidelityResult } from './fidelity.ts';

/** Why two copies of one target fill differ (or only one filled), from the exchange's book versions. */
export type DifferenceCause = 'orderDiffers' | 'bookMoved' | 'paperBookStale' | 'sameBook' | 'unknown';

export type RunFacts = Omit<
  FidelityResult,
  | 'fills'
  | 'fillMismatches'
  | 'onlyPaper'
  | 'onlyLive'
  | 'sharesGapPct'
  | 'avgPriceGapBps'
  | 'pnlDiffPct'
  | 'pnlGapBpsOfNotional'
  | 'examples'
  | 'differences'
>;

export function compare(
  paper: SessionTrace,
  live: SessionTrace,
  run: RunFacts,
  classify: (cause: string) => DifferenceCause = () => 'unknown',
): FidelityResult {
  const differences: Record<DifferenceCause, number> = { orderDiffers: 0, bookMoved: 0, paperBookStale: 0, sameBook: 0, unknown: 0 };
  const causes = new Set([...paper.byCause.keys(), ...live.byCause.keys()]);
  let fills = 0;
  let mismatches = 0;
  let onlyPaper = 0;
  let onlyLive = 0;
  let sharesGap = 0;
  let liveShares = 0;
  let priceGap = 0;
  let priceWeight = 0;
  const examples: { cause: string; paper?: Copy; live?: Copy; why?: string; difference: DifferenceCause }[] = [];
  for (const cause of causes) {
    const p = paper.byCause.get(cause);
    const l = live.byCause.get(cause);
    if (!p) onlyLive++;
    else if (!l) onlyPaper++;
    if (!p || !l) {
      const difference = classify(cause);
      differences[difference]++;
      if (examples.length < 5) examples.push({ cause, paper: p, live: l, why: (p ? live : paper).unfilledWhy.get(cause), difference });
      continue;
    }
    fills++;
    sharesGap += Math.abs(p.shares - l.shares);
    liveShares += l.shares;
    const pAvg = p.usdc / p.shares;
    const lAvg = l.usdc / l.shares;
    priceGap += (Math.abs(pAvg - lAvg) / lAvg) * 10_000 * l.usdc;
    priceWeight += l.usdc;
    if (p.shares !== l.shares || Math.abs(pAvg - lAvg) > 1e-9) {
      mismatches++;
      const difference = classify(cause);
      differences[difference]++;
      if (examples.length < 5) examples.push({ cause, paper: p, live: l, difference });
    }
  }
  const round = (x: number, dp = 4) => Math.round(x * 10 ** dp) / 10 ** dp;
  const diff = Math.abs(run.pnlPaper - run.pnlLive);
  return {
    ...run,
    fills,
    fillMismatches: mismatches,
    onlyPaper,
    onlyLive,
    sharesGapPct: liveShares > 0 ? round((sharesGap / liveShares) * 100) : null,
    avgPriceGapBps: priceWeight > 0 ? round(priceGap / priceWeight, 2) : null,
    pnlPaper: round(run.pnlPaper, 6),
    pnlLive: round(run.pnlLive, 6),
    pnlDiffPct: run.pnlLive !== 0 ? round((diff / Math.abs(run.pnlLive)) * 100) : null,
    pnlGapBpsOfNotional: live.notional > 0 ? round((diff / (live.notional / 1e6)) * 10_000, 2) : null,
    differences,
    examples: examples.map((e) => ({
      cause: e.cause,
      difference: e.difference,
      paper: e.paper && { shares: round(e.paper.shares / 1e6, 6), usdc: round(e.paper.usdc / 1e6, 6) },
      live: e.live && { shares: round(e.live.shares / 1e6, 6), usdc: round(e.live.usdc / 1e6, 6) },
      ...(e.why ? { why: e.why } : {}),
    })),
  };
}
