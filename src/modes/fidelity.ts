/**
 * Fidelity: how far paper (SimVenue on the sandbox's live books) is from live (real SDK orders matched
 * by the sandbox's engine) on the same flow. One sandbox, one target trading against market makers;
 * a paper and a live session with the same config start together and copy the same target fills;
 * their fills are compared fill by fill (by the target fill each copies) and their PnL at the end.
 *
 * Loopback only: the sandbox is started here on 127.0.0.1 and every host points at it.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { OrderEvent } from '../core/events.ts';
import type { EngineListener } from '../core/ports.ts';
import { parseConfig } from '../config/config.ts';
import { startSandbox, type ScenarioInput } from '../sandbox/index.ts';
import { startLiveSession, type LiveSession } from './live-session.ts';

export interface FidelityOptions {
  /** Target fills both sessions must have seen before the flow stops. Default 60. */
  targetTrades?: number;
  /** Paper's order latency (ms): 0 for the fill-identity check, the measured copy latency for the PnL check. */
  paperLatencyMs?: number;
  multiplier?: number;
  seed?: number;
  timeoutMs?: number;
  onProgress?: (message: string) => void;
}

/** Per target fill copied: the shares and the USDC of our fills for it. */
interface Copy {
  shares: number;
  usdc: number;
}

export interface FidelityResult {
  targetTrades: number;
  /** Target fills both sessions copied (with at least one fill on either side). */
  fills: number;
  /** Of those, how many differ in shares or average price. */
  fillMismatches: number;
  /** Copies filled in one session and not in the other. */
  onlyPaper: number;
  onlyLive: number;
  sharesGapPct: number | null;
  avgPriceGapBps: number | null;
  pnlPaper: number;
  pnlLive: number;
  pnlDiffPct: number | null;
  /** |pnlPaper − pnlLive| over the USDC the live session traded, in bps (stable when PnL is near 0). */
  pnlGapBpsOfNotional: number | null;
  paperLatencyMs: number;
  seconds: number;
  examples: { cause: string; paper?: Copy; live?: Copy }[];
}

const TARGET = '0x1111111111111111111111111111111111111111';

/** One fast target taking from deep, slowly refreshed maker books, so both copies meet the same levels. */
function scenario(seed: number): ScenarioInput {
  return {
    seed,
    clockSpeed: 10,
    defaultUsdc: 10_000_000,
    rtdsPingIntervalMs: 0,
    markets: [
      { slug: 'fidelity-a', fairValue: 0.55, volatility: 0.003 },
      { slug: 'fidelity-b', tickSize: '0.001', fairValue: 0.3, fee: { rate: 0.02 } },
    ],
    makers: [{ levels: 5, sizeShares: 5000, refreshMs: 4000 }],
    traders: [{ address: TARGET, name: 'target', ratePerMinute: 40, sizeUsd: [5, 40], sellProbability: 0.3, startingUsdc: 10_000_000 }],
  };
}

class CopyFills implements EngineListener {
  readonly byCause = new Map<string, Copy>();
  notional = 0;
  onOrderEvent(e: OrderEvent): void {
    if (e.type !== 'order_filled' && e.type !== 'order_partially_filled') return;
    const cause = e.order.causeKey;
    if (!cause) return;
    const c = this.byCause.get(cause) ?? { shares: 0, usdc: 0 };
    c.shares += e.fill.sizeMicros;
    c.usdc += (e.fill.sizeMicros * e.fill.priceMicros) / 1e6;
    this.byCause.set(cause, c);
    this.notional += (e.fill.sizeMicros * e.fill.priceMicros) / 1e6;
  }
}

export async function runFidelity(options: FidelityOptions = {}): Promise<FidelityResult> {
  const want = options.targetTrades ?? 60;
  const paperLatencyMs = options.paperLatencyMs ?? 0;
  const say = options.onProgress ?? (() => {});
  const started = Date.now();
  const sb = await startSandbox({ port: 0, scenario: scenario(options.seed ?? 7) });
  const sessions: LiveSession[] = [];
  try {
    const base = { startingCashUsdc: 100_000, targets: [{ wallet: TARGET }], risk: {} };
    const paperFills = new CopyFills();
    const liveFills = new CopyFills();
    const start = (mode: 'paper' | 'live', listener: CopyFills) =>
      startLiveSession({
        mode,
        config: parseConfig({
          ...base,
          dataDir: mkdtempSync(join(tmpdir(), `polytail-fidelity-${mode}-`)),
          latencyMs: mode === 'paper' ? paperLatencyMs : 0,
        }),
        overrides: { multiplier: options.multiplier ?? 0.2 },
        sandboxUrl: sb.urls.clob,
        env: {},
        listeners: [listener],
        pollIntervalMs: 1000,
        syncIntervalMs: 0,
      });
    const [paper, live] = await Promise.all([start('paper', paperFills), start('live', liveFills)]);
    sessions.push(paper, live);
    say(`paper ${paper.runId} and live ${live.runId} follow ${TARGET} on ${sb.urls.clob}`);
    const deadline = Date.now() + (options.timeoutMs ?? 300_000);
    while (Math.min(paper.engine.stats.targetTrades, live.engine.stats.targetTrades) < want) {
      if (Date.now() > deadline) throw new Error(`fidelity: fewer than ${want} target trades before the deadline`);
      await new Promise((r) => setTimeout(r, 250));
    }
    sb.flow.stop();
    await Promise.all([paper.drain(), live.drain()]);
    await live.venue.clob?.idle();
    await live.venue.clob?.poll();
    const pnl = (s: LiveSession) => (s.engine.snapshot().equity.equityMicros - 100_000 * 1e6) / 1e6;
    const result = compare(paperFills, liveFills, {
      targetTrades: Math.min(paper.engine.stats.targetTrades, live.engine.stats.targetTrades),
      pnlPaper: pnl(paper),
      pnlLive: pnl(live),
      paperLatencyMs,
      seconds: Math.round((Date.now() - started) / 1000),
    });
    return result;
  } finally {
    for (const s of sessions) await s.stop().catch(() => {});
    await sb.stop();
  }
}

function compare(
  paper: CopyFills,
  live: CopyFills,
  run: Pick<FidelityResult, 'targetTrades' | 'pnlPaper' | 'pnlLive' | 'paperLatencyMs' | 'seconds'>,
): FidelityResult {
  const causes = new Set([...paper.byCause.keys(), ...live.byCause.keys()]);
  let fills = 0;
  let mismatches = 0;
  let onlyPaper = 0;
  let onlyLive = 0;
  let sharesGap = 0;
  let liveShares = 0;
  let priceGap = 0;
  let priceWeight = 0;
  const examples: FidelityResult['examples'] = [];
  for (const cause of causes) {
    const p = paper.byCause.get(cause);
    const l = live.byCause.get(cause);
    if (!p) onlyLive++;
    else if (!l) onlyPaper++;
    if (!p || !l) {
      if (examples.length < 5) examples.push({ cause, paper: p, live: l });
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
      if (examples.length < 5) examples.push({ cause, paper: p, live: l });
    }
  }
  const round = (x: number, dp = 4) => Math.round(x * 10 ** dp) / 10 ** dp;
  const diff = Math.abs(run.pnlPaper - run.pnlLive);
  return {
    targetTrades: run.targetTrades,
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
    paperLatencyMs: run.paperLatencyMs,
    seconds: run.seconds,
    examples: examples.map((e) => ({
      cause: e.cause,
      paper: e.paper && { shares: round(e.paper.shares / 1e6, 6), usdc: round(e.paper.usdc / 1e6, 6) },
      live: e.live && { shares: round(e.live.shares / 1e6, 6), usdc: round(e.live.usdc / 1e6, 6) },
    })),
  };
}
