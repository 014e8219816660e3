/**
 * Copy latency of a live session against the sandbox (loopback, real SDK, real signatures). The target
 * already holds the market's token when it is added (as a followed trader usually does), so the
 * session prefetches that market; the figures are for its trades from then on.
 * - copy_latency_ms_p50/p99: the target's fill leaving the sandbox as an RTDS frame → our POST /order
 *   matched by it. Both ends are sandbox timestamps from its public ledger: with no settlement delay
 *   the RTDS frame is sent in the same tick as the target's match (ledger `tsMs`), and our taker
 *   order is matched when its POST arrives (our ledger row's `tsMs`). Rows are paired by the target
 *   fill's tx hash, which starts the copy's cause key (intent journal).
 * - internal_latency_ms_p50/p99: the target fill's first frame received by any of our feeds (its
 *   `tsRecv` there, before the market gate could hold it) → the SDK's postOrder call with our order.
 *   internal_ex_sign_ms_p50/p99: the same minus the time that order spent in the signer.
 * - order_sign_ms_p50: signing one order as the session does (direct signer when it can), re-signing
 *   the session's orders after the run; order_sign_sdk_ms_p50: the same orders through the SDK's
 *   createOrder / createMarketOrder (what main does).
 * - gate_held / sign_market_misses: trades that waited for their market on the path (cache misses).
 * - copy_latency_ms_p50/p99_<source> (and _samples_<source>): the same copy latency split by the source that
 *   delivered the target fill first (the one the engine acted on after dedup: rtds, data-api, chain).
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseConfig } from '../src/config/config.ts';
import type { EngineEvent } from '../src/core/events.ts';
import type { Order } from '../src/core/types.ts';
import { signOrder } from '../src/exec/clob/order-signing.ts';
import { startLiveSession } from '../src/modes/live-session.ts';
import type { LedgerRow } from '../test/helpers/session-audit.ts';
import { startSandbox } from '../src/sandbox/index.ts';

const TARGET = '0x1111111111111111111111111111111111111111';
const ME = '0xf39fd6e51aad88f6f4ce6ab8827279cfffb92266';

export async function benchLatency(): Promise<Record<string, number>> {
  // A calm market (a target trade every ~1 s) so queues do not dominate: this measures our path.
  const sb = await startSandbox({
    port: 0,
    scenario: {
      seed: 3,
      defaultUsdc: 1_000_000,
      rtdsPingIntervalMs: 0,
      markets: [{ slug: 'latency-a', fairValue: 0.5, volatility: 0.002 }],
      makers: [{ levels: 5, sizeShares: 5000, refreshMs: 5000 }],
      traders: [{ address: TARGET, ratePerMinute: 60, sizeUsd: [10, 30], sellProbability: 0, startingUsdc: 1_000_000 }],
    },
  });
  // The target holds the market before it is added.
  const held = async () => ((await (await fetch(`${sb.urls.data}/positions?user=${TARGET}`)).json()) as unknown[]).length > 0;
  for (const stop = Date.now() + 20_000; !(await held()) && Date.now() < stop;) await new Promise((r) => setTimeout(r, 100));
  const recvByKey = new Map<string, number>();
  const sourceByKey = new Map<string, string>();
  const internal: number[] = [];
  const session = await startLiveSession({
    mode: 'live',
    config: parseConfig({
      dataDir: mkdtempSync(join(tmpdir(), 'polytail-latency-')),
      startingCashUsdc: 100_000,
      targets: [{ wallet: TARGET }],
    }),
    sandboxUrl: sb.urls.clob,
    env: {},
    syncIntervalMs: 0,
    listeners: [
      {
        onEvent: (e: EngineEvent) => {
          if (e.type !== 'target_trade' || !e.key) return;
          recvByKey.set(e.key, e.tsRecv);
          sourceByKey.set(e.key, e.source);
        },
      },
    ],
  });
  try {
    const clob = session.venue.clob!;
    const journal = session.venue.journal!;
    // A session without prefetching (main) has none of these.
    const extra = session as unknown as {
      prefetch?: { idle(): Promise<void> };
      gateStats?: { held: number; heldMsMax: number };
    };
    await extra.prefetch?.idle();
    // Frame-in: the first feed that delivered the fill, stamped there (the gate restamps a trade it held).
    const frameIn = new Map<string, number>();
    for (const feed of [session.rtds, session.poller] as unknown as { emit?: (e: EngineEvent) => void }[]) {
      const emit = feed.emit;
      if (!emit) continue;
      feed.emit = (e) => {
        if (e.type === 'target_trade') {
          const tx = e.trade.txHash.toLowerCase();
          frameIn.set(tx, Math.min(frameIn.get(tx) ?? Infinity, e.tsRecv));
        }
        emit(e);
      };
    }
    // Time each order spent in the signer (from its turn in the venue to a signed order).
    const signedIn = new Map<string, number>();
    const signer = clob.signer as unknown as { sign: (o: Order) => Promise<unknown> };
    const sign = signer.sign.bind(signer);
    signer.sign = async (o: Order) => {
      const t0 = performance.now();
      const r = await sign(o);
      if (o.causeKey) signedIn.set(o.causeKey, performance.now() - t0);
      return r;
    };
    const exSign: number[] = [];
    const post = clob.client.postOrder.bind(clob.client);
    clob.client.postOrder = (async (signed: { salt: unknown }, ...rest: unknown[]) => {
      const calledMs = Date.now();
      const intent = journal.entries().find((e) => e.intent.salt === String(signed.salt));
      const cause = intent?.intent.order.causeKey;
      const recv = cause ? (frameIn.get(cause.split(':')[0]!.toLowerCase()) ?? recvByKey.get(cause)) : undefined;
      if (recv !== undefined) {
        internal.push(calledMs - recv);
        exSign.push(calledMs - recv - (signedIn.get(cause!) ?? 0));
      }
      return (post as (...a: unknown[]) => Promise<unknown>)(signed, ...rest);
    }) as typeof clob.client.postOrder;
    const end = Date.now() + 30_000;
    while (Date.now() < end && internal.length < 30) await new Promise((r) => setTimeout(r, 250));
    sb.flow.stop();
    await clob.idle();
    const ledger = (await (await fetch(`${sb.urls.admin}/ledger`)).json()) as LedgerRow[];
    const targetMs = new Map<string, number>();
    for (const l of ledger)
      if (l.taker.toLowerCase() === TARGET || l.maker.toLowerCase() === TARGET) if (!targetMs.has(l.txHash)) targetMs.set(l.txHash, l.tsMs);
    const causeByHash = new Map(journal.entries().map((e) => [e.intent.orderHash.toLowerCase(), e.intent.order.causeKey] as const));
    const copy: number[] = [];
    const copyBySource = new Map<string, number[]>();
    const counted = new Set<string>();
    for (const l of ledger) {
      if (l.taker.toLowerCase() !== ME || !l.takerOrderId || counted.has(l.takerOrderId)) continue;
      counted.add(l.takerOrderId);
      const cause = causeByHash.get(l.takerOrderId.toLowerCase());
      const tx = cause?.split(':')[0];
      const from = tx ? targetMs.get(tx) : undefined;
      if (from === undefined) continue;
      copy.push(l.tsMs - from);
      const source = (cause && sourceByKey.get(cause)) ?? 'unknown';
      copyBySource.set(source, [...(copyBySource.get(source) ?? []), l.tsMs - from]);
    }
    // Alternating, so load changes hit both alike. `via` is ignored where there is no direct signer (main).
    const signDirect: number[] = [];
    const signSdk: number[] = [];
    const orders = journal.entries().map((e) => e.intent.order);
    for (let round = 0; round < 3; round++)
      for (const o of orders.slice(0, 40)) {
        for (const [via, out] of [
          ['auto', signDirect],
          ['sdk', signSdk],
        ] as const) {
          const t0 = performance.now();
          await (signOrder as (c: unknown, o: Order, opts: object) => Promise<unknown>)(clob.client, o, { via });
          out.push(performance.now() - t0);
        }
      }
    const misses = (clob.signer as unknown as { marketInfoStats?: { misses: number } }).marketInfoStats;
    return {
      copy_latency_ms_p50: pct(copy, 50),
      copy_latency_ms_p99: pct(copy, 99),
      copy_latency_samples: copy.length,
      internal_latency_ms_p50: pct(internal, 50),
      internal_latency_ms_p99: pct(internal, 99),
      internal_ex_sign_ms_p50: pct(exSign, 50),
      internal_ex_sign_ms_p99: pct(exSign, 99),
      order_sign_ms_p50: pct(signDirect, 50),
      order_sign_sdk_ms_p50: pct(signSdk, 50),
      gate_held: extra.gateStats?.held ?? Number.NaN,
      sign_market_misses: misses?.misses ?? Number.NaN,
      ...Object.fromEntries(
        [...copyBySource].flatMap(([source, ms]) => [
          [`copy_latency_ms_p50_${source}`, pct(ms, 50)],
          [`copy_latency_ms_p99_${source}`, pct(ms, 99)],
          [`copy_latency_samples_${source}`, ms.length],
        ]),
      ),
    };
  } finally {
    await session.stop();
    await sb.stop();
  }
}

function pct(values: number[], p: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const i = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return Math.round(sorted[i]! * 100) / 100;
}
