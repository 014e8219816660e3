// Builders for TUI tests: real target trades (from the recorded Data API activity in test/fixtures),
// real Decision/OrderEvent objects as the engine emits them, and a fake engine view + commands
// that records every command and changes state the way the engine would.
import { EventEmitter } from 'node:events';
import type React from 'react';
import { render } from 'ink';
import type { EngineCommands, EngineSnapshot, EngineView, FeedHealth, PositionRow, StrategyStatus } from '../../src/core/control.ts';
import type { OrderEvent, TargetTradeSeen } from '../../src/core/events.ts';
import { notional, toMicros } from '../../src/core/money.ts';
import type { CheckResult, Decision, EquityPoint } from '../../src/core/ports.ts';
import type { Order, RiskState } from '../../src/core/types.ts';
import type { SessionModel } from '../../src/tui/session-model.ts';
import { ACTIVITY_0X05C1, readFixtureText } from '../helpers/fixtures.ts';
import { WAIT_MS, waitUntil } from '../helpers/wait.ts';

function parseCsvLine(line: string): string[] {
  const out: string[] = [];
  let cur = '';
  let quoted = false;
  for (const ch of line) {
    if (ch === '"') quoted = !quoted;
    else if (ch === ',' && !quoted) {
      out.push(cur);
      cur = '';
    } else cur += ch;
  }
  out.push(cur);
  return out;
}

/** The first `n` real trades of wallet 0x05c1… (RedCaterpillar), oldest first, as the engine sees them after dedup. */
export function realTrades(n: number): TargetTradeSeen[] {
  const [head, ...lines] = readFixtureText(ACTIVITY_0X05C1).trim().split('\n');
  const cols = parseCsvLine(head!);
  const at = (row: string[], name: string) => row[cols.indexOf(name)]!;
  return lines
    .slice(0, n)
    .map(parseCsvLine)
    .reverse()
    .map((row, i) => {
      const tsMs = Number(at(row, 'timestamp')) * 1000;
      const side = at(row, 'side') as 'BUY' | 'SELL';
      const trade = {
        wallet: at(row, 'proxyWallet'),
        txHash: at(row, 'transactionHash'),
        tokenId: at(row, 'asset'),
        conditionId: at(row, 'conditionId'),
        side,
        sizeMicros: toMicros(at(row, 'size')),
        priceMicros: toMicros(at(row, 'price')),
        usdcMicros: toMicros(at(row, 'usdcSize')),
        outcome: at(row, 'outcome'),
        title: at(row, 'title'),
        slug: at(row, 'slug'),
      };
      return {
        type: 'target_trade',
        source: 'rtds',
        seq: i + 1,
        tsEvent: tsMs,
        tsRecv: tsMs + 350,
        trade,
        key: `${trade.txHash}:${trade.tokenId}:${side}:${trade.sizeMicros}:${trade.priceMicros}#0`,
      } satisfies TargetTradeSeen;
    });
}

export const STRATEGY = 'tail-redcaterpillar';

export function copyDecision(t: TargetTradeSeen, clientOrderId: string, checks: CheckResult[] = []): Decision {
  return {
    decisionId: `d-${clientOrderId}`,
    tsMs: t.tsRecv,
    strategyId: STRATEGY,
    wallet: t.trade.wallet,
    causeKey: t.key,
    tokenId: t.trade.tokenId,
    side: t.trade.side,
    action: 'copy',
    reason: 'approved',
    message: `${t.trade.side} FOK`,
    details: { targetSizeMicros: t.trade.sizeMicros, targetPriceMicros: t.trade.priceMicros },
    checks,
    clientOrderId,
  };
}

export function skipDecision(t: TargetTradeSeen, reason: Decision['reason'], message: string, checks: CheckResult[] = []): Decision {
  return {
    decisionId: `d-skip-${t.seq}`,
    tsMs: t.tsRecv,
    strategyId: STRATEGY,
    wallet: t.trade.wallet,
    causeKey: t.key,
    tokenId: t.trade.tokenId,
    side: t.trade.side,
    action: checks.length ? 'deny' : 'skip',
    reason,
    message,
    details: { wantedUsdcMicros: 420_000, minOrderUsdcMicros: 1_000_000, targetPriceMicros: t.trade.priceMicros },
    checks,
  };
}

export function orderFor(t: TargetTradeSeen, clientOrderId: string, sizeMicros: number): Order {
  return {
    clientOrderId,
    strategyId: STRATEGY,
    tokenId: t.trade.tokenId,
    conditionId: t.trade.conditionId,
    side: t.trade.side,
    type: 'FOK',
    priceMicros: t.trade.priceMicros,
    sizeMicros,
    postOnly: false,
    createdMs: t.tsRecv,
    causeKey: t.key,
    salt: 1,
  };
}

export function filled(order: Order, tsMs: number, fillId = `f-${order.clientOrderId}`): OrderEvent {
  return {
    type: 'order_filled',
    tsEvent: tsMs,
    tsRecv: tsMs,
    order,
    fill: {
      fillId,
      clientOrderId: order.clientOrderId,
      strategyId: order.strategyId,
      tokenId: order.tokenId,
      conditionId: order.conditionId,
      side: order.side,
      priceMicros: order.priceMicros,
      sizeMicros: order.sizeMicros,
      feeMicros: 12_000,
      liquidity: 'taker',
      tsMs,
    },
  };
}

export const SLIPPAGE_CHECK: CheckResult = {
  code: 'max_slippage',
  passed: false,
  value: 250,
  limit: 100,
  message: 'our price is 250 bps worse than the target',
};
export const ORDER_CHECK: CheckResult = {
  code: 'max_order_usdc',
  passed: true,
  value: 4_320_000,
  limit: 50_000_000,
  message: 'order within the cap',
};

/**
 * Feeds `n` real trades through the model the way the engine does: every third one is skipped,
 * the rest copied at 10% and filled; equity moves with each fill.
 */
export function feedSession(model: SessionModel, n = 12): TargetTradeSeen[] {
  const trades = realTrades(n);
  let equity = 1_000_000_000;
  trades.forEach((t, i) => {
    model.onEvent(t);
    if (i % 3 === 2) {
      model.onDecision(skipDecision(t, 'below_min_notional', 'copy would be $0.42, under the $1 minimum'));
      return;
    }
    const id = `po-${i + 1}`;
    model.onDecision(copyDecision(t, id, [ORDER_CHECK]));
    const order = orderFor(t, id, Math.round(t.trade.sizeMicros / 10));
    model.onOrderEvent({ type: 'order_accepted', tsEvent: t.tsRecv, tsRecv: t.tsRecv, order });
    model.onOrderEvent(filled(order, t.tsRecv + 5));
    equity += (i % 2 ? -1 : 1) * 2_500_000;
    model.onEquity({
      tsMs: t.tsRecv + 5,
      equityMicros: equity,
      cashMicros: equity - 50_000_000,
      realizedMicros: 3_000_000,
      unrealizedMicros: -1_200_000,
      feesMicros: 120_000,
    });
  });
  return trades;
}

/** A fake engine: the view the TUI reads and the commands it sends, with every call recorded. */
export class FakeEngine implements EngineView, EngineCommands {
  calls: string[] = [];
  risk: RiskState = 'active';
  now = Date.UTC(2025, 11, 3, 10, 30, 0);
  orders: Order[] = [];
  positionRows: PositionRow[] = [];
  feeds: FeedHealth[] = [
    { source: 'rtds', connected: true, lastMessageMs: this.now - 400, lagMs: 120, gaps: 0, reconnects: 1 },
    { source: 'data-api', connected: false, lastMessageMs: this.now - 45_000, gaps: 2, reconnects: 3 },
  ];
  usage: CheckResult[] = [
    { code: 'max_total_exposure', passed: true, value: 120_000_000, limit: 200_000_000, message: 'exposure $120 of $200' },
    { code: 'max_daily_loss', passed: true, value: 5_000_000, limit: 50_000_000, message: 'lost $5 of $50 today' },
    { code: 'max_daily_trades', passed: false, value: 100, limit: 100, message: 'daily trade cap reached' },
  ];
  strategyRows: StrategyStatus[] = [
    {
      id: STRATEGY,
      name: 'tail',
      kind: 'copy',
      paused: false,
      wallets: ['0x05c1882212a41aa8d7df5b70eebe03d9319345b7'],
      multiplier: 1,
      knobs: [{ name: 'multiplier', description: 'target shares × this', value: 1, min: 0.000001, max: 100 }],
      copies: 8,
      skips: 4,
      realizedMicros: 3_000_000,
      unrealizedMicros: -1_200_000,
      feesMicros: 120_000,
    },
    {
      id: 'fade-djangodja',
      name: 'fade',
      kind: 'copy',
      paused: true,
      pausedReason: 'daily loss',
      wallets: ['0x0fd419c486d1f53c92cd09c3c52eca61d6367750'],
      multiplier: 0.5,
      knobs: [{ name: 'multiplier', description: 'target shares × this', value: 0.5, min: 0.000001, max: 100 }],
      copies: 2,
      skips: 9,
      realizedMicros: -800_000,
      unrealizedMicros: 0,
      feesMicros: 40_000,
    },
  ];
  equityPoint: EquityPoint = {
    tsMs: this.now,
    equityMicros: 1_002_500_000,
    cashMicros: 950_000_000,
    realizedMicros: 3_000_000,
    unrealizedMicros: -1_200_000,
    feesMicros: 120_000,
  };

  constructor(readonly mode: 'live' | 'paper' | 'replay' = 'paper') {}

  snapshot(): EngineSnapshot {
    return {
      mode: this.mode,
      nowMs: this.now,
      riskState: this.risk,
      riskReason: '',
      equity: this.equityPoint,
      dayStartEquityMicros: 1_000_000_000,
      peakEquityMicros: 1_010_000_000,
      startCashMicros: 1_000_000_000,
      positions: this.positionRows,
      openOrders: this.orders,
      strategies: this.strategyRows,
      riskUsage: this.usage,
      feedHealth: this.feeds,
      stats: { events: 0, targetTrades: 0, duplicates: 0, strategyErrors: 0 },
    };
  }

  pauseAll(reason: string): void {
    this.calls.push(`pauseAll:${reason}`);
    this.risk = 'paused';
  }
  resumeAll(): void {
    this.calls.push('resumeAll');
    this.risk = 'active';
  }
  pauseStrategy(id: string, reason: string): void {
    this.calls.push(`pauseStrategy:${id}:${reason}`);
    this.strategy(id).paused = true;
  }
  resumeStrategy(id: string): void {
    this.calls.push(`resumeStrategy:${id}`);
    this.strategy(id).paused = false;
  }
  setMultiplier(id: string, multiplier: number): number {
    this.calls.push(`setMultiplier:${id}:${multiplier}`);
    this.strategy(id).multiplier = multiplier;
    return multiplier;
  }
  setKnob(id: string, knob: string, value: number): number {
    if (knob === 'multiplier') return this.setMultiplier(id, value);
    throw new RangeError(`strategy ${id} has no ${knob} knob`);
  }
  killSwitch(reason: string): void {
    this.calls.push(`killSwitch:${reason}`);
    this.risk = 'halted';
    this.orders = [];
  }
  cancelOrder(id: string): void {
    this.calls.push(`cancelOrder:${id}`);
    this.orders = this.orders.filter((o) => o.clientOrderId !== id);
  }
  resync(): void {
    this.calls.push('resync');
  }

  private strategy(id: string): StrategyStatus {
    const s = this.strategyRows.find((x) => x.id === id);
    if (!s) throw new Error(`no strategy ${id}`);
    return s;
  }

  /** A position of ours in a trade's token, held by the tail strategy beside the target's size. */
  holdPosition(t: TargetTradeSeen, sizeMicros: number, targetSizeMicros: number): void {
    this.positionRows.push({
      tokenId: t.trade.tokenId,
      conditionId: t.trade.conditionId,
      outcome: t.trade.outcome,
      title: t.trade.title,
      sizeMicros,
      avgPriceMicros: t.trade.priceMicros,
      markMicros: t.trade.priceMicros + 10_000,
      unrealizedMicros: notional(sizeMicros, 10_000),
      realizedMicros: 0,
      settled: false,
      holders: [{ strategyId: STRATEGY, sizeMicros, targetWallet: t.trade.wallet, targetSizeMicros }],
    });
  }
}

/** Lets pending renders and effects run (one macrotask turn; not a wait for anything in particular). */
const yieldTurn = () => new Promise((resolve) => setImmediate(resolve));

/**
 * Until Ink listens to stdin (useInput attaches its listener in an effect after the first render):
 * keys written before that would be lost.
 */
export async function inputReady(stdin: { listenerCount(event: string): number }): Promise<void> {
  await waitUntil(() => stdin.listenerCount('readable') > 0, 'Ink to listen to stdin');
}

/** Until a frame has been drawn that satisfies `pred` (the first frame, a header, a resized layout). */
export async function frameShows(r: { lastFrame(): string | undefined }, pred: (frame: string) => boolean, what: string): Promise<string> {
  await waitUntil(() => pred(r.lastFrame() ?? ''), what);
  return r.lastFrame() ?? '';
}

/**
 * Writes each key and waits until Ink has drawn a new frame for it (every key the TUI handles
 * changes the screen, if only the status line), so tests do not depend on machine speed.
 */
export async function pressKeys(
  r: { stdin: { write(data: string): void }; frames: string[] },
  keys: string[],
  timeoutMs = WAIT_MS,
): Promise<void> {
  for (const k of keys) {
    const before = r.frames.length;
    r.stdin.write(k);
    await waitUntil(() => r.frames.length > before, `a new frame after key ${JSON.stringify(k)}`, { timeoutMs, intervalMs: 5 });
    await yieldTurn();
  }
}

/** Polls until `predicate` holds (or fails the test after `timeoutMs`). */
export async function waitFor(predicate: () => boolean, what: string, timeoutMs = WAIT_MS): Promise<void> {
  await waitUntil(predicate, what, { timeoutMs, intervalMs: 5 });
}

/** Renders into a fake terminal of an exact size (ink-testing-library's is fixed at 100 columns). */
export function renderSized(tree: React.ReactElement, columns: number, rows: number) {
  const stdout = Object.assign(new EventEmitter(), {
    columns,
    rows,
    isTTY: false,
    frames: [] as string[],
    write(frame: string) {
      stdout.frames.push(frame);
      return true;
    },
  });
  const stdin = Object.assign(new EventEmitter(), {
    isTTY: true,
    data: null as string | null,
    setEncoding() {},
    setRawMode() {},
    resume() {},
    pause() {},
    ref() {},
    unref() {},
    read() {
      const d = stdin.data;
      stdin.data = null;
      return d;
    },
    write(data: string) {
      stdin.data = data;
      stdin.emit('readable');
      stdin.emit('data', data);
    },
  });
  const instance = render(tree, {
    stdout: stdout as never,
    stdin: stdin as never,
    stderr: stdout as never,
    debug: true,
    exitOnCtrlC: false,
    patchConsole: false,
  });
  const resize = (newColumns: number, newRows: number) => {
    stdout.columns = newColumns;
    stdout.rows = newRows;
    stdout.emit('resize');
  };
  return { ...instance, stdin, frames: stdout.frames, resize, lastFrame: () => stdout.frames[stdout.frames.length - 1] ?? '' };
}
