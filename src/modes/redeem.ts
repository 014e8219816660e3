/**
 * `polytail redeem`: lists the wallet's resolved positions that can be redeemed (Data API `/positions`
 * checked against the chain's own resolution and balances), then redeems all or the chosen ones —
 * binary markets through the CTF, neg-risk ones through the adapter. Every redeem goes through the same
 * journal as a live session's auto-redeem (`<dataDir>/sessions/redeems.journal.jsonl`), so a crash or a
 * second run never sends one twice, and is recorded in `<dataDir>/sessions/redeems.duckdb`.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { fetchRedeemable } from '../chain/auto-redeem.ts';
import { RedeemJournal } from '../chain/redeem-journal.ts';
import { type RedeemPlan, type RedeemResult, Redeemer } from '../chain/redeemer.ts';
import { ConfigError } from '../core/errors.ts';
import { redactedMessage } from '../core/redact.ts';
import { lockRecording, type RecordingLock, RecordingStore } from '../store/index.ts';
import { noSenderReason, openChainWallet, type ChainWalletOptions } from './chain-wallet.ts';

export interface RedeemOptions extends ChainWalletOptions {
  /** Redeem every listed position. */
  all?: boolean;
  /** Redeem these (condition ids or their list numbers, 1-based). */
  pick?: string[];
  yes?: boolean;
  /** Asked which to redeem when neither `all` nor `pick` is given; an empty answer redeems nothing. */
  choose?: (question: string) => Promise<string>;
  confirm: (question: string) => Promise<boolean>;
  print: (line: string) => void;
  /** Run id in the redeems table (default `redeem-<ISO time>`). */
  runId?: string;
  /** How long to wait for another redeeming process (a session's auto-redeem round); default 60 s. */
  lockWaitMs?: number;
}

export interface RedeemCliResult {
  exitCode: 0 | 1;
  listed: RedeemPlan[];
  redeemed: RedeemResult[];
  recordingPath: string;
}

export async function runRedeem(o: RedeemOptions): Promise<RedeemCliResult> {
  const w = await openChainWallet(o);
  const holder = w.account.funderAddress;
  const dir = join(w.config.dataDir, 'sessions');
  mkdirSync(dir, { recursive: true });
  const recordingPath = join(dir, 'redeems.duckdb');
  const journalPath = join(dir, 'redeems.journal.jsonl');
  // One redeeming process at a time: a session's auto-redeem round finishes first (it shares the journal and
  // the wallet's nonces), and the redeems file has one writer.
  const locks: RecordingLock[] = [];
  const lockOptions = { command: 'polytail redeem', waitMs: o.lockWaitMs ?? 60_000, onWait: o.print };
  let journal: RedeemJournal | undefined;
  let recording: RecordingStore | undefined;
  const runId = o.runId ?? `redeem-${new Date().toISOString()}`;
  const redeemed: RedeemResult[] = [];
  try {
    locks.push(await lockRecording(journalPath, { ...lockOptions, hint: 'retry when its auto-redeem round has finished' }));
    locks.push(await lockRecording(recordingPath, lockOptions));
    journal = new RedeemJournal(journalPath);
    recording = await RecordingStore.open(recordingPath);
    const store = recording;
    if (!w.sender && !w.relay) {
      o.print(noSenderReason(w));
      return { exitCode: 1, listed: [], redeemed, recordingPath };
    }
    const redeemer = new Redeemer({
      provider: w.provider,
      contracts: w.settings.contracts,
      holder,
      journal,
      ...(w.sender ? { sender: w.sender } : { relay: w.relay! }),
      confirmations: w.settings.confirmations,
      book: async (r) => {
        await store.appendRedeem(runId, {
          redeemId: r.id,
          tsMs: r.tsMs,
          conditionId: r.conditionId,
          negRisk: r.negRisk,
          holder: r.holder,
          txHash: r.txHash,
          ok: r.ok,
          payoutMicros: r.payoutMicros,
          via: r.via,
        });
        redeemed.push(r);
      },
    });
    // A redeem a crash cut off is finished first (never sent again).
    for (const r of await redeemer.resume()) o.print(`finished an interrupted redeem of ${r.conditionId}: ${describe(r)}`);
    const listed: RedeemPlan[] = [];
    for (const m of await fetchRedeemable(w.hosts.data, holder)) {
      const plan = await redeemer.plan(m);
      if (plan) listed.push(plan);
    }
    if (listed.length === 0) {
      o.print(`nothing to redeem for ${holder}`);
      return { exitCode: 0, listed, redeemed, recordingPath };
    }
    o.print(`redeemable for ${holder}:`);
    listed.forEach((p, i) =>
      o.print(
        `  ${String(i + 1).padStart(2)}. ${p.conditionId}  ${p.negRisk ? 'neg-risk' : 'binary  '}  $${(p.expectedMicros / 1e6).toFixed(2)}  ${p.title ?? ''}`,
      ),
    );
    const chosen = await choose(o, listed);
    if (chosen.length === 0) {
      o.print('nothing redeemed');
      return { exitCode: 0, listed, redeemed, recordingPath };
    }
    const total = chosen.reduce((s, p) => s + p.expectedMicros, 0);
    if (!o.yes && !(await o.confirm(`redeem ${chosen.length} position(s) for about $${(total / 1e6).toFixed(2)}?`))) {
      o.print('nothing redeemed');
      return { exitCode: 1, listed, redeemed, recordingPath };
    }
    let failed = 0;
    for (const p of chosen) {
      try {
        const r = await redeemer.redeem(p);
        if (r) o.print(`  ${r.ok ? '✓' : '✗'} ${p.conditionId}: ${describe(r)}`);
        else o.print(`  · ${p.conditionId}: nothing left to redeem`);
        if (r && !r.ok) failed++;
      } catch (err) {
        failed++;
        o.print(`  ✗ ${p.conditionId}: ${redactedMessage(err)}`);
      }
    }
    return { exitCode: failed === 0 ? 0 : 1, listed, redeemed, recordingPath };
  } finally {
    journal?.close();
    await recording?.close();
    for (const lock of locks.reverse()) lock.release();
  }
}

function describe(r: RedeemResult): string {
  return r.ok ? `$${(r.payoutMicros / 1e6).toFixed(2)} paid (tx ${r.txHash})` : `reverted (tx ${r.txHash})`;
}

async function choose(o: RedeemOptions, listed: RedeemPlan[]): Promise<RedeemPlan[]> {
  if (o.all) return listed;
  let picks = o.pick ?? [];
  if (picks.length === 0) {
    if (!o.choose) return [];
    const answer = (await o.choose('redeem which? all, numbers (1,3), or nothing to stop: ')).trim();
    if (answer === '') return [];
    if (answer.toLowerCase() === 'all') return listed;
    picks = answer.split(/[\s,]+/).filter(Boolean);
  }
  return picks.map((p) => {
    const byNumber = /^\d+$/.test(p) ? listed[Number(p) - 1] : undefined;
    const found = byNumber ?? listed.find((l) => l.conditionId.toLowerCase() === p.toLowerCase());
    if (!found) throw new ConfigError(`"${p}" is not one of the redeemable positions listed (give its number or its condition id)`);
    return found;
  });
}
