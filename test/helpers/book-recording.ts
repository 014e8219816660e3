/**
 * A small recording with order books, built deterministically from a seed: 6 binary markets with
 * metadata, a snapshot per token, then a tape where level changes (frames of 1–3 levels), prints and
 * the trades of two wallets interleave, and two markets resolve at the end. Replays of it exercise the
 * book-walk and top-of-book fill models, latency and resting orders; a pinned fills hash on it says
 * that a change to the engine or the stream left fills exactly as they were.
 */
import { SeededIds } from '../../src/core/ids.ts';
import type { BookLevel, MarketInfo, Side } from '../../src/core/types.ts';
import { RecordingStore } from '../../src/store/index.ts';

export const BOOK_WALLETS = ['0x' + 'a1'.repeat(20), '0x' + 'b2'.repeat(20)] as const;
const T0 = 1_761_000_000_000;

/** Writes the recording to `path` (which must not exist). */
export async function writeBookRecording(path: string, steps = 4000, seed = 11): Promise<void> {
  const rnd = new SeededIds(seed);
  const pick = (n: number) => Math.floor(rnd.random() * n);
  const store = await RecordingStore.open(path);
  try {
    const markets: MarketInfo[] = [];
    const mids = new Map<string, number>();
    for (let m = 0; m < 6; m++) {
      const yes = `${9_100_000 + 2 * m}`;
      const no = `${9_100_000 + 2 * m + 1}`;
      const market: MarketInfo = {
        conditionId: `0x${(0xc0de00 + m).toString(16).padStart(64, '0')}`,
        slug: `book-market-${m}`,
        question: `Book market ${m}?`,
        tokens: [
          { tokenId: yes, outcome: 'Yes' },
          { tokenId: no, outcome: 'No' },
        ],
        negRisk: false,
        tickMicros: 10_000,
        minOrderSizeMicros: 5_000_000,
        // Two markets charge the taker fee, so fees are part of what the hash covers.
        ...(m < 2 ? { feeRate: 0.02, feeExponent: 1 } : {}),
      };
      markets.push(market);
      store.appendEvent({ type: 'market', tsEvent: T0, tsRecv: T0, market });
      const mid = 200_000 + m * 100_000;
      mids.set(yes, mid);
      mids.set(no, 1_000_000 - mid);
    }
    for (const [tokenId, mid] of mids) {
      const bids: BookLevel[] = [];
      const asks: BookLevel[] = [];
      for (let i = 0; i < 5; i++) {
        bids.push({ priceMicros: mid - 10_000 * (i + 1), sizeMicros: (20 + pick(200)) * 1_000_000 });
        asks.push({ priceMicros: mid + 10_000 * (i + 1), sizeMicros: (20 + pick(200)) * 1_000_000 });
      }
      store.appendEvent({ type: 'book_snapshot', tokenId, tsEvent: T0, tsRecv: T0, bids, asks });
    }
    const tokens = [...mids.keys()];
    const held = new Map<string, number>();
    for (let s = 0; s < steps; s++) {
      const ts = T0 + 1000 + s * 250;
      const tokenId = tokens[pick(tokens.length)]!;
      const mid = mids.get(tokenId)!;
      const roll = rnd.random();
      if (roll < 0.6) {
        const changes = [];
        const n = 1 + pick(3);
        for (let c = 0; c < n; c++) {
          const side: Side = rnd.random() < 0.5 ? 'BUY' : 'SELL';
          const away = 10_000 * (1 + pick(5));
          const priceMicros = side === 'BUY' ? mid - away : mid + away;
          changes.push({ side, priceMicros, sizeMicros: rnd.random() < 0.15 ? 0 : (5 + pick(300)) * 1_000_000 });
        }
        store.appendEvent({ type: 'book_change', tokenId, tsEvent: ts, tsRecv: ts, changes });
      } else if (roll < 0.75) {
        const side: Side = rnd.random() < 0.5 ? 'BUY' : 'SELL';
        const priceMicros = side === 'BUY' ? mid + 10_000 : mid - 10_000;
        store.appendEvent({
          type: 'trade_print',
          tokenId,
          tsEvent: ts,
          tsRecv: ts,
          side,
          priceMicros,
          sizeMicros: (1 + pick(50)) * 1_000_000,
        });
      } else {
        const wallet = BOOK_WALLETS[pick(2)]!;
        const key = `${wallet}|${tokenId}`;
        const have = held.get(key) ?? 0;
        const side: Side = have > 20_000_000 && rnd.random() < 0.4 ? 'SELL' : 'BUY';
        const size = (5 + pick(120)) * 1_000_000;
        const sizeMicros = side === 'SELL' ? Math.min(have, size) : size;
        held.set(key, have + (side === 'BUY' ? sizeMicros : -sizeMicros));
        const priceMicros = side === 'BUY' ? mid + 10_000 : mid - 10_000;
        const market = markets.find((m) => m.tokens.some((t) => t.tokenId === tokenId))!;
        const outcome = market.tokens.find((t) => t.tokenId === tokenId)!.outcome;
        const txHash = `0x${(s + 1).toString(16).padStart(64, '0')}`;
        store.appendEvent({
          type: 'target_trade',
          source: 'import:book-recording',
          seq: s,
          tsEvent: ts - 200,
          tsRecv: ts,
          key: `${txHash}:${tokenId}:${side}:${sizeMicros}:${priceMicros}#1`,
          trade: {
            wallet,
            txHash,
            tokenId,
            conditionId: market.conditionId,
            side,
            sizeMicros,
            priceMicros,
            usdcMicros: Math.floor((sizeMicros * priceMicros) / 1_000_000),
            outcome,
            slug: market.slug,
          },
        });
      }
    }
    const end = T0 + 1000 + steps * 250 + 1000;
    for (const market of markets.slice(0, 2)) {
      const [yes, no] = market.tokens;
      store.appendEvent({
        type: 'market_resolved',
        conditionId: market.conditionId,
        tsEvent: end,
        tsRecv: end,
        payouts: { [yes!.tokenId]: 1_000_000, [no!.tokenId]: 0 },
      });
    }
    await store.flush();
  } finally {
    await store.close();
  }
}
