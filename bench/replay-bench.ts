/**
 * Replay throughput on a million-trade recording: the real replay path (runReplay, mirror strategy
 * following one of four wallets, nothing saved) against a raw DuckDB scan of the same rows in the
 * same order, read into JS objects the way the store reads them. `replay_vs_scan` is the share of
 * the raw read speed that survives paging, merging, row→event conversion and the engine.
 */
import { DuckDBInstance } from '@duckdb/node-api';
import { parseConfig } from '../src/config/config.ts';
import { runReplay } from '../src/modes/replay.ts';
import { median, note, round, rssSampler, seconds } from './lib/measure.ts';
import { syntheticRecording } from './lib/synthetic-recording.ts';

/** Same query shape and row conversion as the replay stream (store.query), in one pass. */
export async function scanTrades(path: string): Promise<{ rows: number; seconds: number }> {
  const instance = await DuckDBInstance.create(path, { access_mode: 'READ_ONLY' });
  const connection = await instance.connect();
  try {
    const start = process.hrtime.bigint();
    const result = await connection.stream('SELECT * FROM target_trades ORDER BY ts_recv, seq');
    let rows = 0;
    let checksum = 0;
    for await (const chunk of result.yieldRowObjectJs()) {
      for (const r of chunk) {
        const out: Record<string, unknown> = {};
        for (const [k, v] of Object.entries(r)) out[k] = typeof v === 'bigint' ? Number(v) : v;
        checksum += out.size_micros as number; // keep the objects observable
        rows++;
      }
    }
    if (!(checksum > 0)) throw new Error('scan read no sizes');
    return { rows, seconds: seconds(start) };
  } finally {
    connection.closeSync();
    instance.closeSync();
  }
}

export async function replayOnce(
  path: string,
  wallet: string,
): Promise<{ events: number; seconds: number; rssMb: number; heapMb: number; copies: number }> {
  const config = parseConfig({ startingCashUsdc: 1_000_000_000, fillModel: 'target-price', risk: { maxOrderUsdc: 100_000 } });
  const rss = rssSampler();
  const start = process.hrtime.bigint();
  const { summary, engine } = await runReplay({
    recording: path,
    config,
    targets: [wallet],
    strategy: 'mirror',
    multiplier: 0.5,
    save: false,
  });
  const s = seconds(start);
  return {
    events: engine.stats.events,
    seconds: s,
    rssMb: rss.stop(),
    heapMb: Math.round(process.memoryUsage().heapUsed / 1e6),
    copies: summary.copies.filled,
  };
}

/**
 * One replay of a million trades takes minutes on a shared 2-core machine, so by default the replay
 * runs once and the scan (the cheaper baseline) three times; BENCH_REPLAY_RUNS=3 takes a real median.
 */
export async function benchReplay(
  replayRuns = Number(process.env.BENCH_REPLAY_RUNS ?? 1),
  scanRuns = 3,
): Promise<Record<string, number | string | null>> {
  const rec = await syntheticRecording();
  note(
    `${rec.generatedNow ? 'generated' : 'reusing'} ${rec.path} (${rec.trades.toLocaleString('en-US')} trades, ${rec.wallets} wallets, ${rec.markets} markets)`,
  );
  const scanRates: number[] = [];
  for (let r = 0; r < scanRuns; r++) {
    const scan = await scanTrades(rec.path);
    scanRates.push(scan.rows / scan.seconds);
    note(
      `scan ${r + 1}/${scanRuns}: ${Math.round(scan.rows / scan.seconds).toLocaleString('en-US')} rows/s (${scan.seconds.toFixed(1)} s)`,
    );
  }
  const rssBefore = Math.round(process.memoryUsage().rss / 1e6);
  const replayRates: number[] = [];
  let rssMb = 0;
  let copies = 0;
  for (let r = 0; r < replayRuns; r++) {
    const replay = await replayOnce(rec.path, rec.walletList[0]!);
    replayRates.push(replay.events / replay.seconds);
    rssMb = Math.max(rssMb, replay.rssMb);
    copies = replay.copies;
    note(
      `replay ${r + 1}/${replayRuns}: ${Math.round(replay.events / replay.seconds).toLocaleString('en-US')} events/s (${replay.seconds.toFixed(1)} s), peak rss ${replay.rssMb} MB, heap after ${replay.heapMb} MB`,
    );
  }
  const replay = median(replayRates);
  const scan = median(scanRates);
  return {
    replay_events_per_s: Math.round(replay),
    duckdb_scan_rows_per_s: Math.round(scan),
    replay_vs_scan: round(replay / scan, 3),
    replay_rss_mb: rssMb,
    replay_rss_before_mb: rssBefore,
    replay_recording_trades: rec.trades,
    replay_copies_filled: copies,
  };
}
