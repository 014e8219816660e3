/**
 * `polytail approve`, `polytail redeem` and doctor's chain checks against the sandbox's local chain, the
 * way a person runs them: a fresh wallet is missing every approval (doctor says so with the fix), approve
 * shows the transactions and sends nothing without a yes, then sends them and the CLOB re-reads them; redeem
 * lists a resolved binary and a neg-risk position, redeems the one picked, then the rest, each once, into
 * the redeems table.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Contract, Wallet } from 'ethers';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { planApprovals, readApprovals } from '../../../src/chain/approvals.ts';
import { runApprove } from '../../../src/modes/approve.ts';
import { runDoctor } from '../../../src/modes/doctor.ts';
import { runRedeem } from '../../../src/modes/redeem.ts';
import { ERC20_ABI } from '../../../src/polymarket/contracts.ts';
import type { Sandbox } from '../../../src/sandbox/index.ts';
import { lockRecording, RecordingBusyError, RecordingStore } from '../../../src/store/index.ts';
import { TEST_KEY, buyOnChain, chainProvider, conditionOf, resolveMarket, startChainSandbox, tradingClient, until } from './helpers.ts';

let sb: Sandbox;
const me = new Wallet(TEST_KEY).address;
const dataDir = mkdtempSync(join(tmpdir(), 'polytail-cli-chain-'));
const env = { POLYTAIL_PRIVATE_KEY: TEST_KEY };

beforeAll(async () => {
  sb = await startChainSandbox();
  await tradingClient(sb); // the sandbox mints the starting balance on chain
});
afterAll(async () => {
  await sb?.stop();
});

const base = () => ({ env, sandboxUrl: sb.urls.clob, dataDir, pollMs: 50 });
const missing = async () => planApprovals(sb.chain!.contracts, await readApprovals(chainProvider(sb), sb.chain!.contracts, me)).length;
const collateral = async () =>
  Number((await new Contract(sb.chain!.contracts.collateral, ERC20_ABI, chainProvider(sb)).balanceOf(me)).toString());

describe('polytail approve, redeem and doctor on the local chain', () => {
  it('doctor shows each missing approval with its fix; approve asks, sends them, and doctor is satisfied', async () => {
    const doctorBefore = await runDoctor({
      env,
      hosts: { clob: sb.urls.clob, geoblock: `${sb.urls.clob}/api/geoblock` },
      dataDir,
      sandboxUrl: sb.urls.clob,
    });
    const approvalChecks = doctorBefore.checks.filter((c) => c.name.startsWith('approval '));
    expect(approvalChecks.map((c) => c.name)).toEqual(['approval exchange', 'approval neg-risk exchange', 'approval neg-risk adapter']);
    expect(approvalChecks.every((c) => !c.ok && c.fix === 'run polytail approve')).toBe(true);
    expect(doctorBefore.checks.find((c) => c.name === 'gas (POL)')?.ok).toBe(true);
    expect(doctorBefore.checks.find((c) => c.name === 'pUSD on chain')?.detail).toMatch(/^\$\d+\.\d\d at /);

    const lines: string[] = [];
    const asked: string[] = [];
    const refused = await runApprove({ ...base(), print: (l) => lines.push(l), confirm: async (q) => (asked.push(q), false) });
    expect(asked).toEqual(['send these 6 transaction(s)?']);
    expect(refused).toEqual({ exitCode: 1, sent: [], missing: 6 });
    expect(lines.filter((l) => /^ {2}\d\. /.test(l))).toHaveLength(6);
    expect(await missing()).toBe(6);

    const done = await runApprove({ ...base(), print: () => {}, confirm: async () => true });
    expect(done.exitCode).toBe(0);
    expect(done.sent.map((s) => s.ok)).toEqual([true, true, true, true, true, true]);
    expect(await missing()).toBe(0);
    // The CLOB re-read the allowances from the chain.
    const cached = sb.ctx.chain!.allowancesOf(me);
    expect([...cached.collateral.values()].every((a) => a > 0n) && cached.collateral.size).toBe(3);
    expect([...cached.operators.values()]).toEqual([true, true, true]);
    const again = await runApprove({
      ...base(),
      print: () => {},
      confirm: async () => {
        throw new Error('must not ask');
      },
    });
    expect(again).toEqual({ exitCode: 0, sent: [], missing: 0 });
    const doctorAfter = await runDoctor({
      env,
      hosts: { clob: sb.urls.clob, geoblock: `${sb.urls.clob}/api/geoblock` },
      dataDir,
      sandboxUrl: sb.urls.clob,
    });
    expect(doctorAfter.checks.filter((c) => c.name.startsWith('approval ')).every((c) => c.ok)).toBe(true);
  }, 120_000);

  it('redeem lists resolved positions, redeems the one picked, then the rest, each once', async () => {
    await buyOnChain(sb, 'cents-market', 0, 10, 0.55);
    await buyOnChain(sb, 'neg-risk-market', 1, 20, 0.6);
    await resolveMarket(sb, 'cents-market', 0);
    await resolveMarket(sb, 'neg-risk-market', 1);
    const cents = conditionOf(sb, 'cents-market');
    const negRisk = conditionOf(sb, 'neg-risk-market');
    const listOnly = await until('both listed', async () => {
      const r = await runRedeem({ ...base(), print: () => {}, confirm: async () => false });
      return r.listed.length === 2 ? r : undefined;
    });
    expect(listOnly.redeemed).toEqual([]);
    expect(listOnly.listed.map((p) => [p.conditionId, p.negRisk, p.expectedMicros]).sort()).toEqual(
      [
        [cents, false, 10_000_000],
        [negRisk, true, 20_000_000],
      ].sort(),
    );
    const before = await collateral();
    const picked = await runRedeem({ ...base(), pick: [negRisk], yes: true, print: () => {}, confirm: async () => false });
    expect(picked.exitCode).toBe(0);
    expect(picked.redeemed.map((r) => [r.conditionId, r.ok, r.payoutMicros, r.via])).toEqual([[negRisk, true, 20_000_000, 'eoa']]);
    expect((await collateral()) - before).toBe(20_000_000);

    const asked: string[] = [];
    const rest = await until('the rest', async () => {
      const r = await runRedeem({ ...base(), choose: async () => 'all', print: () => {}, confirm: async (q) => (asked.push(q), true) });
      return r.listed.length === 1 ? r : undefined;
    });
    expect(asked.at(-1)).toBe('redeem 1 position(s) for about $10.00?');
    expect(rest.redeemed.map((r) => [r.conditionId, r.payoutMicros])).toEqual([[cents, 10_000_000]]);
    expect((await collateral()) - before).toBe(30_000_000);

    const nothing = await runRedeem({ ...base(), all: true, yes: true, print: () => {}, confirm: async () => true });
    expect(nothing.listed).toEqual([]);
    expect((await collateral()) - before).toBe(30_000_000);
    const store = await RecordingStore.open(nothing.recordingPath, { readOnly: true });
    try {
      const rows = await store.query(`SELECT condition_id, payout_micros, ok FROM redeems ORDER BY payout_micros`);
      expect(rows.map((r) => [r.condition_id, Number(r.payout_micros), r.ok])).toEqual([
        [cents, 10_000_000, true],
        [negRisk, 20_000_000, true],
      ]);
    } finally {
      await store.close();
    }
  }, 150_000);

  it("redeem waits for another redeeming process (a session's auto-redeem round) and then names it", async () => {
    const journalPath = join(dataDir, 'sessions', 'redeems.journal.jsonl');
    const round = await lockRecording(journalPath, { command: 'polytail live session (auto-redeem)' });
    const said: string[] = [];
    try {
      const refused = await runRedeem({
        ...base(),
        all: true,
        yes: true,
        lockWaitMs: 300,
        print: (l) => said.push(l),
        confirm: async () => true,
      }).catch((e: Error) => e);
      expect(refused).toBeInstanceOf(RecordingBusyError);
      expect((refused as Error).message).toMatch(/polytail live session \(auto-redeem\).*retry when its auto-redeem round has finished/);
      expect(said.join('\n')).toMatch(/waiting up to/);
    } finally {
      round.release();
    }
    // Once the round is over it runs (nothing is left to redeem here).
    const after = await runRedeem({ ...base(), all: true, yes: true, print: () => {}, confirm: async () => true });
    expect(after.exitCode).toBe(0);
  });
});
