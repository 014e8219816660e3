/**
 * A StrategyContext for strategy tests, built on the real core pieces (MarketRegistry, TargetBook,
 * BookRegistry, VirtualClock, SeededIds) with setters for what a test needs to arrange. Plus a tiny
 * CSV → TargetTradeSeen reader for the real Data API exports in test/fixtures/polymarket.
 */
import { VirtualClock } from '../../src/core/clock.ts';
import type { TargetTradeSeen } from '../../src/core/events.ts';
import { SeededIds } from '../../src/core/ids.ts';
import { MarketRegistry } from '../../src/core/market-registry.ts';
import { notional, sharesFor, toMicros, type Micros } from '../../src/core/money.ts';
import { BookRegistry, type OrderBook } from '../../src/core/order-book.ts';
import { TargetBook } from '../../src/core/target-book.ts';
import type { BookLevel, MarketInfo, Order, Side, TargetTrade } from '../../src/core/types.ts';
import { readFixtureText } from './fixtures.ts';
import { actionsOf, type PositionView, type StrategyAction, type StrategyContext, type StrategyHandlers } from '../../src/strategy/api.ts';
import { fillKey } from '../../src/core/dedup.ts';

export { ACTIVITY_0X05C1, NOBEL_TAPE } from './fixtures.ts';

export class FakeStrategyContext implements StrategyContext {
  readonly clock: VirtualClock;
  readonly markets = new MarketRegistry();
  readonly targets = new TargetBook();
  readonly books = new BookRegistry();
  readonly logs: string[] = [];
  readonly timers: { atMs: number; tag: string }[] = [];
  private readonly ids: SeededIds;
  private readonly held = new Map<string, PositionView>();
  private orders: Order[] = [];
  equity: Micros = 1_000 * 1_000_000;
  cash: Micros = 1_000 * 1_000_000;

  constructor(
    readonly id = 'test-strategy',
    startMs = 0,
    seed = 7,
  ) {
    this.clock = new VirtualClock(startMs);
    this.ids = new SeededIds(seed);
  }

  // --- arranging -------------------------------------------------------------------------------
  addMarket(market: MarketInfo): this {
    this.markets.upsert(market);
    return this;
  }

  setPosition(tokenId: string, sizeMicros: Micros, avgPriceMicros: Micros = 500_000): this {
    if (sizeMicros === 0) this.held.delete(tokenId);
    else this.held.set(tokenId, { tokenId, sizeMicros, avgPriceMicros });
    return this;
  }

  setTargetPosition(wallet: string, tokenId: string, sizeMicros: Micros): this {
    const current = [...this.targets.positionsOf(wallet)].map(([t, s]) => ({ tokenId: t, sizeMicros: s }));
    const others = current.filter((p) => p.tokenId !== tokenId);
    this.targets.seed(wallet, [...others, { tokenId, sizeMicros }], this.targets.portfolioValue(wallet));
    return this;
  }

  setTargetValue(wallet: string, valueMicros: Micros): this {
    this.targets.setPortfolioValue(wallet, valueMicros);
    return this;
  }

  setEquity(equityMicros: Micros, cashMicros = equityMicros): this {
    this.equity = equityMicros;
    this.cash = cashMicros;
    return this;
  }

  setBook(tokenId: string, bids: BookLevel[], asks: BookLevel[]): this {
    this.books.getOrCreate(tokenId).replace(bids, asks, this.clock.now());
    return this;
  }

  setOpenOrders(orders: Order[]): this {
    this.orders = orders;
    return this;
  }

  // --- StrategyContext -------------------------------------------------------------------------
  random(): number {
    return this.ids.random();
  }
  market(tokenOrConditionId: string): MarketInfo | undefined {
    return this.markets.byTokenId(tokenOrConditionId) ?? this.markets.byConditionId(tokenOrConditionId);
  }
  oppositeToken(tokenId: string): string | undefined {
    return this.markets.oppositeToken(tokenId);
  }
  book(tokenId: string): OrderBook | undefined {
    return this.books.get(tokenId);
  }
  position(tokenId: string): PositionView {
    return this.held.get(tokenId) ?? { tokenId, sizeMicros: 0, avgPriceMicros: 0 };
  }
  positions(): PositionView[] {
    return [...this.held.values()];
  }
  targetPosition(wallet: string, tokenId: string): Micros {
    return this.targets.position(wallet, tokenId);
  }
  targetPortfolioValue(wallet: string): Micros | undefined {
    return this.targets.portfolioValue(wallet);
  }
  equityMicros(): Micros {
    return this.equity;
  }
  cashMicros(): Micros {
    return this.cash;
  }
  openOrders(): Order[] {
    return this.orders;
  }
  setTimer(atMs: number, tag: string): () => void {
    const entry = { atMs, tag };
    this.timers.push(entry);
    return () => {
      const i = this.timers.indexOf(entry);
      if (i >= 0) this.timers.splice(i, 1);
    };
  }
  log(message: string): void {
    this.logs.push(message);
  }
}

// --- CSV → TargetTradeSeen ---------------------------------------------------------------------

/** RFC-4180-ish: quoted fields with "" escapes and commas inside quotes. Enough for the Data API exports. */
export function parseCsv(text: string): Record<string, string>[] {
  const rows: string[][] = [];
  let field = '';
  let row: string[] = [];
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') {
      row.push(field);
      field = '';
    } else if (c === '\n' || c === '\r') {
      if (c === '\r' && text[i + 1] === '\n') i++;
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
    } else field += c;
  }
  if (field !== '' || row.length > 0) rows.push([...row, field]);
  const [header, ...body] = rows;
  return body.filter((r) => r.length > 1).map((r) => Object.fromEntries(header!.map((h, i) => [h, r[i] ?? ''])));
}

/** One Data API row (`/activity` CSV export or `/trades` tape) → a TargetTradeSeen keyed like dedup does. */
export function rowToEvent(row: Record<string, string>, seq: number, occurrence = 1): TargetTradeSeen {
  const sizeMicros = toMicros(row['size']!);
  const priceMicros = toMicros(row['price']!);
  const trade: TargetTrade = {
    wallet: row['proxyWallet']!.toLowerCase(),
    txHash: row['transactionHash']!,
    tokenId: row['asset']!,
    conditionId: row['conditionId']!,
    side: row['side'] as Side,
    sizeMicros,
    priceMicros,
    usdcMicros: row['usdcSize'] ? toMicros(row['usdcSize']) : notional(sizeMicros, priceMicros),
    outcome: row['outcome']!,
    outcomeIndex: row['outcomeIndex'] ? Number(row['outcomeIndex']) : undefined,
    slug: row['slug'] || undefined,
    eventSlug: row['eventSlug'] || undefined,
    title: row['title'] || undefined,
  };
  const tsMs = Number(row['timestamp']) * 1000;
  const key = fillKey(trade, occurrence);
  return { type: 'target_trade', source: 'import:activity.csv', seq, tsEvent: tsMs, tsRecv: tsMs, trade, key };
}

/** Every row of a Data API CSV as events, in file order, identical rows numbered by occurrence. */
export function readTradeCsv(path: string): TargetTradeSeen[] {
  const counts = new Map<string, number>();
  return parseCsv(readFixtureText(path)).map((row, i) => {
    const content = [row['transactionHash'], row['asset'], row['side'], row['size'], row['price']].join('|');
    const n = (counts.get(content) ?? 0) + 1;
    counts.set(content, n);
    return rowToEvent(row, i + 1, n);
  });
}

/** Binary markets as the events reveal them (tokens of one condition id); tick 0.01, min size 5. */
export function marketsFromEvents(events: TargetTradeSeen[], tickMicros: Micros = 10_000): MarketInfo[] {
  const byCondition = new Map<string, MarketInfo>();
  for (const { trade } of events) {
    let m = byCondition.get(trade.conditionId);
    if (!m) {
      m = { conditionId: trade.conditionId, slug: trade.slug, tokens: [], negRisk: false, tickMicros, minOrderSizeMicros: 5_000_000 };
      byCondition.set(trade.conditionId, m);
    }
    if (!m.tokens.some((t) => t.tokenId === trade.tokenId)) m.tokens.push({ tokenId: trade.tokenId, outcome: trade.outcome });
  }
  return [...byCondition.values()];
}

/** What one target trade got from a strategy in `replayCopies`. */
export interface CopyOutcome {
  event: TargetTradeSeen;
  actions: StrategyAction[];
}

/**
 * Feeds events through a strategy the way the engine does (handler first, then the target's position
 * is advanced), and "fills" every order in full at its reference price so positions build up. Enough to
 * check sizing over a real sequence; real fills are the sim's job.
 */
export function replayCopies(handlers: StrategyHandlers, events: TargetTradeSeen[], ctx: FakeStrategyContext): CopyOutcome[] {
  const outcomes: CopyOutcome[] = [];
  for (const event of events) {
    ctx.clock.advanceTo(event.tsEvent);
    const actions = actionsOf(handlers.onTargetTrade?.(event, ctx));
    for (const a of actions) {
      if (a.kind !== 'order') continue;
      const { intent } = a;
      const price = intent.referencePriceMicros ?? intent.limitPriceMicros;
      const shares = intent.sizeMicros ?? sharesFor(intent.amountMicros!, price, 'floor');
      const held = ctx.position(intent.tokenId).sizeMicros;
      ctx.setPosition(intent.tokenId, intent.side === 'BUY' ? held + shares : Math.max(0, held - shares), price);
    }
    ctx.targets.apply(event.trade);
    outcomes.push({ event, actions });
  }
  return outcomes;
}
