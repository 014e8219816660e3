/**
 * Fidelity: how far paper (SimVenue on the sandbox's live books) is from live (real SDK orders matched
 * by the sandbox's engine) on the same flow. One sandbox, one target trading against market makers;
 * a paper and a live session with the same config start together and copy the same target fills;
 * their fills are compared fill by fill (by the target fill each copies) and their PnL at the end.
 *
 * Two ways to run the flow:
 * - `lockstep` (the fill-model check): the makers requote, the run waits until paper's books equal the
 *   exchange's, the target trades once, and the run waits until both sessions have decided and
 *   finished their copies before the book moves again. Both copies meet the same book, so any
 *   difference is the fill model's (rounding, walk, limits), not timing.
 * - `free` (the latency check): the sandbox's own timers requote and trade; the book moves while live's
 *   order is signed and posted, which paper models with its latency (a constant or measured samples).
 *
 * Loopback only: the sandbox is started here on 127.0.0.1 and every host points at it.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseConfig } from '../config/config.ts';
import { startSandbox, type Sandbox, type ScenarioInput } from '../sandbox/index.ts';
import { compare, type DifferenceCause } from './fidelity-compare.ts';
import { SessionTrace } from './fidelity-trace.ts';
import { startLiveSession, type LiveSession } from './live-session.ts';

export type FidelityPace = 'lockstep' | 'free';

export interface FidelityOptions {
  /** Target fills both sessions must have seen before the flow stops. Default 60. */
  targetTrades?: number;
  /** Default `lockstep` (see above). */
  pace?: FidelityPace;
  /** Paper's order latency (ms): 0 for the fill-identity check. */
  paperLatencyMs?: number;
  /** Paper's latency drawn per order from these samples (ms), e.g. a previous run's `liveLatencyMs.samples`. */
  paperLatencySamplesMs?: number[];
  /** Paper's fill notice drawn per order from these samples (ms), e.g. a previous run's `liveFillNoticeMs.samples`. */
  paperNoticeSamplesMs?: number[];
  multiplier?: number;
  seed?: number;
  timeoutMs?: number;
  /** Also return every copy side by side (`copies`), to read the differences fill by fill. */
  copies?: boolean;
  onProgress?: (message: string) => void;
}

export interface LatencySummary {
  n: number;
  p10: number | null;
  p50: number | null;
  p90: number | null;
  max: number | null;
  /** Every measurement, ascending (ms). */
  samples: number[];
}

export interface FidelityResult {
  pace: FidelityPace;
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
  paperLatencySamples: number;
  /** How many fill-notice samples paper drew from (0: paper learns of its fills at once). */
  paperNoticeSamples: number;
  /** Live's copy latency: from the decision to the match in the exchange (signing, posting, matching). */
  liveLatencyMs: LatencySummary;
  /** How long after the match live's engine learned of the fill (the POST's answer, then the trade lookup). */
  liveFillNoticeMs: LatencySummary;
  seconds: number;
  /**
   * Each differing copy (mismatch or one side only) by cause: the two orders asked for different sizes
   * (`orderDiffers`: a SELL capped to holdings or a BUY to cash that earlier copies left different),
   * the exchange's book of that token changed
   * between paper's decision and live's match (`bookMoved`), paper's book did not yet equal the
   * exchange's when it decided (`paperBookStale`), or neither — the same book, filled differently (`sameBook`).
   */
  differences: Record<DifferenceCause, number>;
  /** With `copies: true`: every target fill either session copied, paper beside live (USDC and shares as decimals). */
  copies?: CopyDetail[];
  /** Up to 5 differing copies; `why` says why the session without a fill did not fill. */
  examples: {
    cause: string;
    difference: DifferenceCause;
    paper?: { shares: number; usdc: number };
    live?: { shares: number; usdc: number };
    why?: string;
  }[];
}

export interface CopyDetail {
  cause: string;
  paper?: { shares: number; usdc: number };
  live?: { shares: number; usdc: number };
  /** What each session's order asked for (side, shares, BUY budget in micros). */
  asked: [string | undefined, string | undefined];
  /** Live: decision → match, and match → the engine knowing the fill (ms). */
  liveLatencyMs?: number;
  liveNoticeMs?: number;
  difference?: DifferenceCause;
  why?: string;
}

const TARGETS = ['0x1111111111111111111111111111111111111111', '0x2222222222222222222222222222222222222222'];
const CASH_USDC = 100_000;

/**
 * Two targets taking from maker books on three markets (0.01 ticks with and without a taker fee, a
 * 0.001 tick with one), $20–300 a trade, copied at half size: a session trades some ten thousand
 * dollars for a PnL of some hundreds, so one copy meeting a moved book is a fraction of a percent of
 * it. Fair values near 0.5: a one-tick move stays inside the mirror's 2% slippage guard, as on most
 * books, instead of killing the copy. Makers quote 8 levels of 20,000 shares, deep against a copy, so
 * the two sessions never compete for the same shares (live's fills would otherwise thin the book
 * paper walks: an artefact of running both on one exchange, not a difference of the fill model).
 * At clock speed 2 the free flow trades about once a second and requotes every 3 s (wall): at 10 it
 * traded several times a second, faster than live could sign and post, and live's latency became
 * queueing (p90 4 s).
 */
function scenario(seed: number): ScenarioInput {
  return {
    seed,
    clockSpeed: 2,
    defaultUsdc: 10_000_000,
    rtdsPingIntervalMs: 0,
    markets: [
      { slug: 'fidelity-a', fairValue: 0.5, volatility: 0.004 },
      { slug: 'fidelity-b', tickSize: '0.001', fairValue: 0.3, volatility: 0.002, fee: { rate: 0.02 } },
      { slug: 'fidelity-c', fairValue: 0.5, volatility: 0.004, fee: { rate: 0.01 } },
    ],
    makers: [{ levels: 8, sizeShares: 20_000, refreshMs: 6000 }],
    traders: TARGETS.map((address, i) => ({
      address,
      name: `target-${i + 1}`,
      ratePerMinute: 15,
      sizeUsd: [20, 300] as [number, number],
      sellProbability: 0.3,
      startingUsdc: 10_000_000,
    })),
  };
}

export async function runFidelity(options: FidelityOptions = {}): Promise<FidelityResult> {
  const want = options.targetTrades ?? 60;
  const pace = options.pace ?? 'lockstep';
  const paperLatencyMs = options.paperLatencyMs ?? 0;
  const samples = options.paperLatencySamplesMs ?? [];
  const notices = options.paperNoticeSamplesMs ?? [];
  const say = options.onProgress ?? (() => {});
  const started = Date.now();
  const deadline = started + (options.timeoutMs ?? 300_000);
  const sb = await startSandbox({ port: 0, scenario: scenario(options.seed ?? 7), synthetic: pace === 'free' });
  const sessions: LiveSession[] = [];
  const dataDirs: string[] = [];
  // The exchange's book version of each token (bumped by every level change), to tell why copies differ.
  const version = new Map<string, number>();
  const matchedAt = new Map<string, { tsMs: number; version: number }>();
  const unwatch = sb.state.on((e) => {
    if (e.type === 'levels') for (const c of e.changes) version.set(c.tokenId, (version.get(c.tokenId) ?? 0) + 1);
    if (e.type === 'fill' && e.fill.takerOwner !== 'synthetic' && !matchedAt.has(e.fill.takerOrderId)) {
      matchedAt.set(e.fill.takerOrderId, { tsMs: e.fill.tsMs, version: version.get(e.fill.tokenId) ?? 0 });
    }
  });
  const paperDecided = new Map<string, { version: number; synced: boolean }>();
  try {
    if (pace === 'lockstep') sb.flow.requoteAll();
    const paperTrace = new SessionTrace((d) => {
      if (!d.causeKey || !d.tokenId) return;
      const book = sb.state.books.get(d.tokenId);
      const synced = !book || paperTrace.bookEquals(d.tokenId, book.levels('BUY'), book.levels('SELL'));
      paperDecided.set(d.causeKey, { version: version.get(d.tokenId) ?? 0, synced });
    });
    const liveTrace = new SessionTrace();
    const start = (mode: 'paper' | 'live', listener: SessionTrace) =>
      startLiveSession({
        mode,
        config: parseConfig({
          startingCashUsdc: CASH_USDC,
          targets: TARGETS.map((wallet) => ({ wallet })),
          risk: {},
          dataDir: dataDirs[dataDirs.push(mkdtempSync(join(tmpdir(), `polytail-fidelity-${mode}-`))) - 1]!,
          latencyMs: mode === 'paper' ? paperLatencyMs : 0,
          ...(mode === 'paper' && samples.length > 0 ? { latencySamplesMs: samples } : {}),
          ...(mode === 'paper' && notices.length > 0 ? { fillNoticeSamplesMs: notices } : {}),
        }),
        overrides: { multiplier: options.multiplier ?? 0.5 },
        sandboxUrl: sb.urls.clob,
        env: {},
        listeners: [listener],
        pollIntervalMs: 1000,
        syncIntervalMs: 0,
      });
    const [paper, live] = await Promise.all([start('paper', paperTrace), start('live', liveTrace)]);
    sessions.push(paper, live);
    say(`${pace}: paper ${paper.runId} and live ${live.runId} follow ${TARGETS.join(', ')} on ${sb.urls.clob}`);
    const seen = () => Math.min(paper.engine.stats.targetTrades, live.engine.stats.targetTrades);
    const until = async (what: string, ok: () => boolean) => {
      while (!ok()) {
        if (Date.now() > deadline) throw new Error(`fidelity: timed out waiting for ${what} (${seen()} of ${want} target trades)`);
        await new Promise((r) => setTimeout(r, 20));
      }
    };
    if (pace === 'lockstep') {
      const pair: [LiveSession, SessionTrace][] = [
        [paper, paperTrace],
        [live, liveTrace],
      ];
      const traders = sb.ctx.scenario.traders;
      for (let turn = 0; seen() < want; turn++) {
        const target = traders[turn % traders.length]!;
        sb.flow.requoteAll();
        await until('paper to see the requoted books', () => booksSynced(sb, paperTrace));
        const ledgerBefore = sb.state.ledger.length;
        const before = pair.map(([s]) => s.engine.stats.targetTrades);
        sb.flow.trade(target);
        if (sb.state.ledger.length === ledgerBefore) continue; // nothing to sell, or refused
        await until('both sessions to copy the target trade', () =>
          pair.every(([s, t], i) => s.engine.stats.targetTrades > before[i]! && t.decided.size >= s.engine.stats.targetTrades && t.idle()),
        );
      }
    } else {
      await until(`${want} target trades`, () => seen() >= want);
      sb.flow.stop();
    }
    await Promise.all([paper.drain(), live.drain()]);
    await live.venue.clob?.idle();
    await live.venue.clob?.poll();
    await until('both sessions to finish their orders', () => paperTrace.idle() && liveTrace.idle());
    // Against each session's own start: a live session starts from the venue's balance, not the configured cash.
    const pnl = (s: LiveSession) => {
      const snap = s.engine.snapshot();
      return (snap.equity.equityMicros - snap.startCashMicros) / 1e6;
    };
    const latencies: number[] = [];
    const liveNotices: number[] = [];
    const liveMatch = new Map<string, number>(); // cause → the exchange's book version when live's copy matched
    const liveTiming = new Map<string, { latencyMs?: number; noticeMs?: number }>();
    for (const [venueId, m] of matchedAt) {
      const clientId = liveTrace.venueIds.get(venueId);
      const decided = clientId !== undefined ? liveTrace.decidedAt.get(clientId) : undefined;
      // Never below 0: the session's clock may stand a millisecond ahead of the wall (core/clock.ts SessionClock).
      if (decided !== undefined) latencies.push(Math.max(0, m.tsMs - decided));
      const known = clientId !== undefined ? liveTrace.filledAt.get(clientId) : undefined;
      if (known !== undefined) liveNotices.push(Math.max(0, known - m.tsMs));
      const cause = clientId !== undefined ? liveTrace.causeOf.get(clientId) : undefined;
      if (cause !== undefined && !liveMatch.has(cause)) {
        liveMatch.set(cause, m.version);
        liveTiming.set(cause, {
          latencyMs: decided !== undefined ? Math.max(0, m.tsMs - decided) : undefined,
          noticeMs: known !== undefined ? known - m.tsMs : undefined,
        });
      }
    }
    const classify = (cause: string): DifferenceCause => {
      const p = paperDecided.get(cause);
      const l = liveMatch.get(cause);
      const asked = [paperTrace.asked.get(cause), liveTrace.asked.get(cause)];
      if (asked[0] !== undefined && asked[1] !== undefined && asked[0] !== asked[1]) return 'orderDiffers';
      if (!p) return 'unknown';
      if (!p.synced) return 'paperBookStale';
      if (l === undefined) return 'unknown';
      return l !== p.version ? 'bookMoved' : 'sameBook';
    };
    const result = compare(
      paperTrace,
      liveTrace,
      {
        pace,
        targetTrades: seen(),
        pnlPaper: pnl(paper),
        pnlLive: pnl(live),
        paperLatencyMs,
        paperLatencySamples: samples.length,
        paperNoticeSamples: notices.length,
        liveLatencyMs: summarize(latencies),
        liveFillNoticeMs: summarize(liveNotices),
        seconds: Math.round((Date.now() - started) / 1000),
      },
      classify,
    );
    if (options.copies) result.copies = copyDetails(paperTrace, liveTrace, liveTiming, classify);
    return result;
  } finally {
    unwatch();
    for (const s of sessions) await s.stop().catch(() => {});
    await sb.stop();
    for (const dir of dataDirs) rmSync(dir, { recursive: true, force: true });
  }
}

/** Paper's books equal the exchange's for every token paper has a book of (the others it has not asked for). */
function booksSynced(sb: Sandbox, trace: SessionTrace): boolean {
  for (const tokenId of trace.books.tokens()) {
    const book = sb.state.books.get(tokenId);
    if (!book) continue;
    if (!trace.bookEquals(tokenId, book.levels('BUY'), book.levels('SELL'))) return false;
  }
  return true;
}

function summarize(values: number[]): LatencySummary {
  const sorted = [...values].sort((a, b) => a - b);
  const q = (p: number) => (sorted.length > 0 ? sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))]! : null);
  return {
    n: sorted.length,
    p10: q(0.1),
    p50: q(0.5),
    p90: q(0.9),
    max: sorted.length > 0 ? sorted[sorted.length - 1]! : null,
    samples: sorted,
  };
}

function copyDetails(
  paper: SessionTrace,
  live: SessionTrace,
  timing: Map<string, { latencyMs?: number; noticeMs?: number }>,
  classify: (cause: string) => DifferenceCause,
): CopyDetail[] {
  const decimal = (c: { shares: number; usdc: number } | undefined) =>
    c && { shares: Math.round(c.shares) / 1e6, usdc: Math.round(c.usdc) / 1e6 };
  const causes = new Set([...paper.asked.keys(), ...live.asked.keys(), ...paper.byCause.keys(), ...live.byCause.keys()]);
  return [...causes].map((cause) => {
    const p = paper.byCause.get(cause);
    const l = live.byCause.get(cause);
    const differs = !p || !l || p.shares !== l.shares || Math.abs(p.usdc / p.shares - l.usdc / l.shares) > 1e-9;
    return {
      cause,
      paper: decimal(p),
      live: decimal(l),
      asked: [paper.asked.get(cause), live.asked.get(cause)],
      liveLatencyMs: timing.get(cause)?.latencyMs,
      liveNoticeMs: timing.get(cause)?.noticeMs,
      ...(differs ? { difference: classify(cause), why: (p ? live : paper).unfilledWhy.get(cause) } : {}),
    };
  });
}
