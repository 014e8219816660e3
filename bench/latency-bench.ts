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
 * - internal_to_signer_ms_p50/p99/max: the target fill's first frame → the order handed to the signer
 *   (internal latency with signing measured apart: the feed, gate, dedup key, engine and venue hand-off).
 *   stage_* split the rest: signWait (the signer called → its signing step starts: the rest of the
 *   engine's synchronous turn, the sign queue), signStep (the signing itself, on this thread), intent (the
 *   journal's durable write), toPost. BENCH_LATENCY_DETAIL=1 prints the slowest 2 % stage by stage with
 *   the GC time inside each stage; BENCH_LATENCY_DETAIL=all prints every copy.
 * - order_sign_ms_p50: signing one order as the session does (direct signer when it can), re-signing
 *   the session's orders after the run; order_sign_sdk_ms_p50: the same orders through the SDK's
 *   createOrder / createMarketOrder (what main does).
 * - gate_held / sign_market_misses: trades that waited for their market on the path (cache misses).
 * - copy_latency_ms_p50/p99_<source> (and _samples_<source>): the same copy latency split by the source that
 *   delivered the target fill first (the one the engine acted on after dedup: rtds, data-api, chain).
 */
import { DuckDBAppender } from '@duckdb/node-api';
import { spawn } from 'node:child_process';
import { closeSync, fsyncSync, mkdtempSync, openSync, writeSync } from 'node:fs';
import { monitorEventLoopDelay, PerformanceObserver } from 'node:perf_hooks';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { parseConfig } from '../src/config/config.ts';
import type { EngineEvent } from '../src/core/events.ts';
import type { Order } from '../src/core/types.ts';
import { signOrder } from '../src/exec/clob/order-signing.ts';
import { startLiveSession } from '../src/modes/live-session.ts';
import type { LedgerRow } from '../test/helpers/session-audit.ts';
import { startSandbox, type SandboxUrls } from '../src/sandbox/index.ts';

const TARGET = '0x1111111111111111111111111111111111111111';
const ME = '0xf39fd6e51aad88f6f4ce6ab8827279cfffb92266';

export async function benchLatency(): Promise<Record<string, number>> {
  // Enough target fills that p99 is not the maximum (BENCH_LATENCY_SAMPLES, default 240).
  const wanted = Number(process.env.BENCH_LATENCY_SAMPLES ?? 240);
  // A market calm enough (a target trade every ~100 ms, each copied in a few ms) that queues do not
  // dominate: this measures our path.
  const sb = await sandbox({
    seed: 3,
    defaultUsdc: 1_000_000,
    rtdsPingIntervalMs: 0,
    markets: [{ slug: 'latency-a', fairValue: 0.5, volatility: 0.002 }],
    makers: [{ levels: 5, sizeShares: 5000, refreshMs: 5000 }],
    traders: [{ address: TARGET, ratePerMinute: 600, sizeUsd: [10, 30], sellProbability: 0, startingUsdc: 1_000_000 }],
  });
  // The target holds the market before it is added.
  const held = async () => ((await (await fetch(`${sb.urls.data}/positions?user=${TARGET}`)).json()) as unknown[]).length > 0;
  for (const stop = Date.now() + 20_000; !(await held()) && Date.now() < stop;) await new Promise((r) => setTimeout(r, 100));
  const recvByKey = new Map<string, number>();
  const sourceByKey = new Map<string, string>();
  const internal: number[] = [];
  const dataDir = mkdtempSync(join(tmpdir(), 'polytail-latency-'));
  const session = await startLiveSession({
    mode: 'live',
    config: parseConfig({
      dataDir,
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
    // Stage times of each copy, by its cause key: the signer (from its turn in the venue to a signed
    // order) and the intent journal's durable write, on the high-resolution clock.
    const wall = () => performance.timeOrigin + performance.now();
    const signAt = new Map<string, { start: number; ms: number }>();
    const signer = clob.signer as unknown as { sign: (o: Order) => Promise<unknown> };
    const sign = signer.sign.bind(signer);
    signer.sign = async (o: Order) => {
      const start = wall();
      const r = await sign(o);
      if (o.causeKey) signAt.set(o.causeKey, { start, ms: wall() - start });
      return r;
    };
    // Inside the signer: the signing step itself (CPU, on this thread), so the wait before it (the rest of
    // the engine's synchronous turn, the sign queue) and after it show apart.
    const stepAt = new Map<string, { start: number; end: number }>();
    const signStep = clob.signer.signStep;
    clob.signer.signStep = async (client, o) => {
      const start = wall();
      const r = await signStep(client, o);
      if (o.causeKey) stepAt.set(o.causeKey, { start, end: wall() });
      return r;
    };
    const journalAt = new Map<string, { start: number; ms: number }>();
    const recordIntent = journal.recordIntent.bind(journal);
    journal.recordIntent = (record) => {
      const start = wall();
      recordIntent(record);
      if (record.order.causeKey) journalAt.set(record.order.causeKey, { start, ms: wall() - start });
    };
    // Main-thread stalls that could fall inside a copy: GC pauses and the recording's appender flushes
    // (written on the main thread once a second), each as [start, end] on the wall clock.
    const gcs: [number, number][] = [];
    const gcObserver = new PerformanceObserver((list) => {
      for (const e of list.getEntries())
        gcs.push([performance.timeOrigin + e.startTime, performance.timeOrigin + e.startTime + e.duration]);
    });
    gcObserver.observe({ entryTypes: ['gc'] });
    // The appenders' flushSync calls: the part of a flush that holds the event loop (with one commit per
    // table it includes DuckDB's commit and WAL fsync; in a transaction, only the staging).
    const flushes: [number, number][] = [];
    const proto = DuckDBAppender.prototype;
    const flushSync = proto.flushSync;
    proto.flushSync = function (this: DuckDBAppender) {
      const start = wall();
      try {
        flushSync.call(this);
      } finally {
        flushes.push([start, wall()]);
      }
    };
    const loopDelay = monitorEventLoopDelay({ resolution: 1 });
    loopDelay.enable();
    const samples: Sample[] = [];
    const postRtt: number[] = [];
    const post = clob.client.postOrder.bind(clob.client);
    clob.client.postOrder = (async (signed: { salt: unknown }, ...rest: unknown[]) => {
      const calledMs = Date.now();
      const calledAt = wall();
      const intent = journal.entries().find((e) => e.intent.salt === String(signed.salt));
      const cause = intent?.intent.order.causeKey;
      const recv = cause ? (frameIn.get(cause.split(':')[0]!.toLowerCase()) ?? recvByKey.get(cause)) : undefined;
      const s = cause ? signAt.get(cause) : undefined;
      const j = cause ? journalAt.get(cause) : undefined;
      const st = cause ? stepAt.get(cause) : undefined;
      if (recv !== undefined && s && j && st) {
        internal.push(calledMs - recv);
        samples.push({
          total: calledMs - recv,
          exSign: calledMs - recv - s.ms,
          toSign: s.start - recv,
          sign: s.ms,
          signWait: st.start - s.start,
          signStep: st.end - st.start,
          intent: j.ms,
          toPost: calledAt - (j.start + j.ms),
          window: [recv, calledAt],
          marks: [recv, s.start, st.start, st.end, j.start, j.start + j.ms, calledAt],
        });
      }
      // Each POST's round trip holds one of the venue's few POST turns; slow replies queue the next orders.
      try {
        return await (post as (...a: unknown[]) => Promise<unknown>)(signed, ...rest);
      } finally {
        postRtt.push(wall() - calledAt);
      }
    }) as typeof clob.client.postOrder;
    const end = Date.now() + Math.max(60_000, wanted * 250);
    while (Date.now() < end && internal.length < wanted) await new Promise((r) => setTimeout(r, 250));
    loopDelay.disable();
    gcObserver.disconnect();
    proto.flushSync = flushSync;
    await sb.stopFlow();
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
    const exSign = samples.map((x) => x.exSign);
    const misses = (clob.signer as unknown as { marketInfoStats?: { misses: number } }).marketInfoStats;
    return {
      copy_latency_ms_p50: pct(copy, 50),
      copy_latency_ms_p99: pct(copy, 99),
      copy_latency_samples: copy.length,
      internal_latency_samples: samples.length,
      internal_latency_ms_p50: pct(internal, 50),
      internal_latency_ms_p99: pct(internal, 99),
      internal_latency_ms_max: pct(internal, 100),
      // Frame in → the order handed to the signer (internal latency as defined with signing measured apart).
      internal_to_signer_ms_p50: pct(
        samples.map((x) => x.toSign),
        50,
      ),
      internal_to_signer_ms_p99: pct(
        samples.map((x) => x.toSign),
        99,
      ),
      internal_to_signer_ms_max: pct(
        samples.map((x) => x.toSign),
        100,
      ),
      internal_ex_sign_ms_p50: pct(exSign, 50),
      internal_ex_sign_ms_p99: pct(exSign, 99),
      internal_ex_sign_ms_max: pct(exSign, 100),
      // The path without the two parts it cannot make faster: signing (CPU) and the disk's durable write.
      internal_ex_sign_ex_intent_ms_p50: pct(
        samples.map((x) => x.exSign - x.intent),
        50,
      ),
      internal_ex_sign_ex_intent_ms_p99: pct(
        samples.map((x) => x.exSign - x.intent),
        99,
      ),
      internal_ex_sign_ex_intent_ms_max: pct(
        samples.map((x) => x.exSign - x.intent),
        100,
      ),
      ...stages(samples, gcs, flushes),
      post_rtt_ms_p50: pct(postRtt, 50),
      post_rtt_ms_p99: pct(postRtt, 99),
      post_rtt_ms_max: pct(postRtt, 100),
      loop_delay_ms_p99: Math.round(loopDelay.percentile(99) / 1e4) / 100,
      loop_delay_ms_max: Math.round(loopDelay.max / 1e4) / 100,
      ...fsyncProbe(dataDir),
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

const SANDBOX_CHILD = fileURLToPath(new URL('./lib/sandbox-child.ts', import.meta.url));

/**
 * The sandbox in a process of its own (bench/lib/sandbox-child.ts), so the figures are the session's
 * alone; BENCH_LATENCY_SANDBOX=inline runs it in this process as before, for comparison.
 */
async function sandbox(
  scenario: Record<string, unknown>,
): Promise<{ urls: SandboxUrls; stopFlow(): Promise<void>; stop(): Promise<void> }> {
  if (process.env.BENCH_LATENCY_SANDBOX === 'inline') {
    const sb = await startSandbox({ port: 0, scenario });
    return { urls: sb.urls, stopFlow: async () => sb.flow.stop(), stop: () => sb.stop() };
  }
  const child = spawn(process.execPath, ['--import', 'tsx', SANDBOX_CHILD, JSON.stringify(scenario)], {
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  const lines = createInterface({ input: child.stdout })[Symbol.asyncIterator]();
  const next = async () => {
    const r = await lines.next();
    if (r.done) throw new Error('the sandbox process ended early');
    return r.value as string;
  };
  const { urls } = JSON.parse(await next()) as { urls: SandboxUrls };
  return {
    urls,
    stopFlow: async () => {
      child.stdin.write('stop-flow\n');
      while ((await next()) !== 'flow-stopped');
    },
    stop: async () => {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.stdin.end('stop\n');
      await exited;
    },
  };
}

/** One copy's timings, in ms. */
interface Sample {
  total: number;
  exSign: number;
  toSign: number;
  sign: number;
  signWait: number;
  signStep: number;
  intent: number;
  toPost: number;
  window: [number, number];
  /** Wall-clock boundaries: frame in, signer called, signing step start/end, intent start/end, POST called. */
  marks: number[];
}

/**
 * Where the time of each copy went: frame in → the signer's turn (feed, gate, dedup key, engine,
 * venue queue), signing, the intent journal's durable write, and from there to the POST. Then the
 * main-thread stalls (GC, recorder flushes) that overlap the slowest 2 % of copies, summed per copy.
 */
function stages(samples: Sample[], gcs: [number, number][], flushes: [number, number][]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const k of ['toSign', 'sign', 'signWait', 'signStep', 'intent', 'toPost'] as const) {
    const v = samples.map((x) => x[k]);
    out[`stage_${k}_ms_p50`] = pct(v, 50);
    out[`stage_${k}_ms_p99`] = pct(v, 99);
    out[`stage_${k}_ms_max`] = pct(v, 100);
  }
  const overlap = (w: [number, number], spans: [number, number][]) =>
    spans.reduce((sum, [a, b]) => sum + Math.max(0, Math.min(b, w[1]) - Math.max(a, w[0])), 0);
  const slow = [...samples].sort((a, b) => b.total - a.total).slice(0, Math.max(1, Math.ceil(samples.length / 50)));
  out.slowest_2pct_total_ms_mean = mean(slow.map((x) => x.total));
  out.slowest_2pct_gc_ms_mean = mean(slow.map((x) => overlap(x.window, gcs)));
  out.slowest_2pct_flush_ms_mean = mean(slow.map((x) => overlap(x.window, flushes)));
  out.slowest_2pct_intent_ms_mean = mean(slow.map((x) => x.intent));
  out.slowest_2pct_sign_ms_mean = mean(slow.map((x) => x.sign));
  const lengths = (spans: [number, number][]) => spans.map(([a, b]) => b - a);
  const gcPauses = lengths(gcs);
  const flushTimes = lengths(flushes);
  out.gc_pause_ms_p99 = pct(gcPauses, 99);
  out.gc_pause_ms_max = pct(gcPauses, 100);
  out.recorder_flush_sync_ms_p50 = pct(flushTimes, 50);
  out.recorder_flush_sync_ms_max = pct(flushTimes, 100);
  if (process.env.BENCH_LATENCY_DETAIL) {
    // GC time inside each stage of the slowest copies (marks: frame in, signer called, step start/end,
    // intent start/end, POST called).
    const names = ['to-sign', 'sign-wait', 'sign-step', 'sign-after', 'intent', 'to-post'];
    const detail = process.env.BENCH_LATENCY_DETAIL === 'all' ? samples : slow;
    for (const x of detail) {
      const parts = names.map((n, i) => {
        const w: [number, number] = [x.marks[i]!, x.marks[i + 1]!];
        return `${n} ${(w[1] - w[0]).toFixed(2)}${overlap(w, gcs) > 0 ? ` (gc ${overlap(w, gcs).toFixed(2)})` : ''}`;
      });
      process.stderr.write(`copy ${x.total} ms: ${parts.join(' | ')} | flush ${overlap(x.window, flushes).toFixed(1)}\n`);
    }
  }
  return out;
}

/** The disk's own durable-append time, in the session's data folder: fsync after each ~1 KB append. */
function fsyncProbe(dir: string): Record<string, number> {
  const fd = openSync(join(dir, 'fsync-probe'), 'a');
  const line = Buffer.alloc(1000, 'x');
  const times: number[] = [];
  try {
    for (let i = 0; i < 200; i++) {
      writeSync(fd, line);
      const t0 = performance.now();
      fsyncSync(fd);
      times.push(performance.now() - t0);
    }
  } finally {
    closeSync(fd);
  }
  return { disk_fsync_ms_p50: pct(times, 50), disk_fsync_ms_p99: pct(times, 99), disk_fsync_ms_max: pct(times, 100) };
}

function mean(values: number[]): number {
  return values.length === 0 ? Number.NaN : Math.round((values.reduce((a, b) => a + b, 0) / values.length) * 100) / 100;
}
