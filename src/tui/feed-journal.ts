// The feed: one row per "target trade → our decision → our fill", joined by the trade's dedup key
// (Decision.causeKey) and our clientOrderId. Bounded: the oldest rows and their indexes are dropped.
import type { OrderEvent, TargetTradeSeen } from '../core/events.ts';
import { notional } from '../core/money.ts';
import type { Decision } from '../core/ports.ts';
import type { Side } from '../core/types.ts';
import { RingBuffer } from './ring-buffer.ts';

export type FillState = 'none' | 'pending' | 'open' | 'partial' | 'filled' | 'rejected' | 'cancelled' | 'expired';

/** One line of the feed, immutable once handed out in a snapshot. */
export interface FeedRow {
  readonly rowId: number;
  readonly tsMs: number;
  readonly causeKey?: string;
  readonly trade?: {
    readonly wallet: string;
    readonly side: Side;
    readonly tokenId: string;
    readonly title?: string;
    readonly outcome: string;
    readonly priceMicros: number;
    readonly sizeMicros: number;
    readonly usdcMicros: number;
    readonly source: string;
    readonly tsEvent: number;
    readonly tsRecv: number;
  };
  readonly decision?: Decision;
  readonly fill: {
    readonly state: FillState;
    readonly clientOrderId?: string;
    readonly filledMicros: number;
    readonly notionalMicros: number;
    readonly feeMicros: number;
    /** Why an order ended without a full fill (`no_match`, ...). */
    readonly reason?: string;
  };
}

interface MutableRow {
  rowId: number;
  tsMs: number;
  causeKey?: string;
  trade?: FeedRow['trade'];
  decision?: Decision;
  fill: { state: FillState; clientOrderId?: string; filledMicros: number; notionalMicros: number; feeMicros: number; reason?: string };
}

export class FeedJournal {
  private nextRowId = 1;
  private readonly rows: RingBuffer<MutableRow>;
  /** Trades no decision has answered yet, by causeKey (oldest dropped first). */
  private readonly unanswered = new Map<string, NonNullable<FeedRow['trade']>>();
  private readonly unansweredCapacity: number;
  /** Every live row of a trade, by causeKey (one per strategy answering it). */
  private readonly byCause = new Map<string, MutableRow[]>();
  private readonly byOrder = new Map<string, MutableRow>();
  /** Each row's frozen copy, made once and reused until an order event changes the row (a busy feed is snapshot 4 times a second). */
  private readonly frozen = new WeakMap<MutableRow, FeedRow>();

  constructor(capacity = 500) {
    this.unansweredCapacity = Math.max(100, capacity);
    this.rows = new RingBuffer<MutableRow>(capacity, (row) => this.forget(row));
  }

  /**
   * Remembers a trade until a decision answers it. Only answered trades become rows: the engine
   * sees every wallet's trades in a recording, but the feed is about the wallets we follow (the
   * engine always leaves a decision, even `no_action`, for a followed wallet's trade).
   */
  addTrade(event: TargetTradeSeen): void {
    const t = event.trade;
    const causeKey = event.key ?? `${t.txHash}:${t.tokenId}:${t.side}:${t.sizeMicros}:${t.priceMicros}`;
    this.unanswered.set(causeKey, {
      wallet: t.wallet,
      side: t.side,
      tokenId: t.tokenId,
      title: t.title,
      outcome: t.outcome,
      priceMicros: t.priceMicros,
      sizeMicros: t.sizeMicros,
      usdcMicros: t.usdcMicros,
      source: event.source,
      tsEvent: event.tsEvent,
      tsRecv: event.tsRecv,
    });
    if (this.unanswered.size > this.unansweredCapacity) {
      const oldest = this.unanswered.keys().next().value;
      if (oldest !== undefined) this.unanswered.delete(oldest);
    }
  }

  addDecision(decision: Decision): void {
    const key = decision.causeKey;
    // The trade comes from the unanswered ones, or from a row of another strategy answering it too.
    const trade = key ? (this.unanswered.get(key) ?? this.byCause.get(key)?.[0]?.trade) : undefined;
    if (key) this.unanswered.delete(key);
    const row: MutableRow = {
      rowId: this.nextRowId++,
      tsMs: trade?.tsRecv ?? decision.tsMs,
      causeKey: key,
      trade,
      decision,
      fill: { state: 'none', filledMicros: 0, notionalMicros: 0, feeMicros: 0 },
    };
    this.rows.push(row);
    if (key) this.byCause.set(key, [...(this.byCause.get(key) ?? []), row]);
    if (decision.clientOrderId && (decision.action === 'copy' || decision.action === 'order')) {
      row.fill.state = 'pending';
      row.fill.clientOrderId = decision.clientOrderId;
      this.byOrder.set(decision.clientOrderId, row);
    } else if (decision.clientOrderId && decision.action === 'deny') {
      row.fill.clientOrderId = decision.clientOrderId;
    }
  }

  /** Applies an order event to its row; a fill is counted once (the caller dedups by fillId). */
  addOrderEvent(event: OrderEvent): void {
    const row = this.byOrder.get(event.order.clientOrderId);
    if (!row) return;
    this.frozen.delete(row);
    const f = row.fill;
    switch (event.type) {
      case 'order_accepted':
        if (f.state === 'pending') f.state = 'open';
        break;
      case 'order_partially_filled':
      case 'order_filled':
        f.filledMicros += event.fill.sizeMicros;
        f.notionalMicros += notional(event.fill.sizeMicros, event.fill.priceMicros);
        f.feeMicros += event.fill.feeMicros;
        f.state = event.type === 'order_filled' ? 'filled' : 'partial';
        break;
      case 'order_rejected':
        f.state = 'rejected';
        f.reason = event.reason;
        break;
      case 'order_cancelled':
        f.state = f.filledMicros > 0 ? 'partial' : 'cancelled';
        f.reason = event.reason;
        break;
      case 'order_expired':
        f.state = f.filledMicros > 0 ? 'partial' : 'expired';
        f.reason = 'expired';
        break;
    }
  }

  get size(): number {
    return this.rows.size;
  }

  /** Newest first, as immutable copies (the same copy again for a row nothing changed since). */
  snapshot(): readonly FeedRow[] {
    return Object.freeze(this.rows.newestFirst().map((r) => this.frozenCopy(r)));
  }

  private frozenCopy(row: MutableRow): FeedRow {
    let copy = this.frozen.get(row);
    if (!copy) {
      copy = Object.freeze({ ...row, fill: Object.freeze({ ...row.fill }) }) as FeedRow;
      this.frozen.set(row, copy);
    }
    return copy;
  }

  private forget(row: MutableRow): void {
    if (row.causeKey) {
      const siblings = this.byCause.get(row.causeKey)?.filter((r) => r !== row);
      if (siblings && siblings.length > 0) this.byCause.set(row.causeKey, siblings);
      else this.byCause.delete(row.causeKey);
    }
    if (row.fill.clientOrderId && this.byOrder.get(row.fill.clientOrderId) === row) this.byOrder.delete(row.fill.clientOrderId);
  }
}
