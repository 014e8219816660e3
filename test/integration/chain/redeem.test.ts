/**
 * Redeeming on the local chain: the full lifecycle (buy → resolve → auto-redeem → cash back, once) for a
 * binary market through the CTF and a neg-risk market through the adapter, and a kill -9 between the
 * redeem's send and its receipt that neither sends it twice nor books it twice.
 */
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Contract, Wallet } from 'ethers';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RedeemJournal } from '../../../src/chain/redeem-journal.ts';
import { type RedeemResult, Redeemer } from '../../../src/chain/redeemer.ts';
import { AutoRedeem, fetchRedeemable } from '../../../src/chain/auto-redeem.ts';
import { CTF_ABI } from '../../../src/polymarket/contracts.ts';
import type { Sandbox } from '../../../src/sandbox/index.ts';
import { lockRecording } from '../../../src/store/index.ts';
import {
  TEST_KEY,
  approveAll,
  buyOnChain,
  chainProvider,
  collateralOf,
  conditionOf,
  fastSender,
  getJson,
  resolveMarket,
  spawnTestScript,
  startChainSandbox,
  tradingClient,
  until,
} from './helpers.ts';

let sb: Sandbox;
const me = new Wallet(TEST_KEY).address;
const dir = mkdtempSync(join(tmpdir(), 'polytail-redeem-'));

beforeAll(async () => {
  sb = await startChainSandbox();
  await tradingClient(sb); // creates the API key: the sandbox mints the starting balance on chain
  await approveAll(sb, TEST_KEY);
});
afterAll(async () => {
  await sb?.stop();
});

const collateral = () => collateralOf(sb, me);

function redeemer(journal: RedeemJournal, booked: RedeemResult[]) {
  const provider = chainProvider(sb);
  return new Redeemer({
    provider,
    contracts: sb.chain!.contracts,
    holder: me,
    journal,
    sender: fastSender(sb, TEST_KEY),
    book: (r) => void booked.push(r),
  });
}

describe('redeem on the local chain', () => {
  it('buy → resolve → auto-redeem → cash back once, binary through the CTF and neg-risk through the adapter', async () => {
    await buyOnChain(sb, 'cents-market', 0, 10, 0.55);
    await buyOnChain(sb, 'neg-risk-market', 1, 20, 0.6);
    const before = await collateral();
    await resolveMarket(sb, 'cents-market', 0);
    await resolveMarket(sb, 'neg-risk-market', 1);
    const booked: RedeemResult[] = [];
    const auto = new AutoRedeem({ redeemer: redeemer(new RedeemJournal(join(dir, 'lifecycle.jsonl')), booked), dataUrl: sb.urls.data });
    await until('both redeemed', async () => {
      await auto.runOnce();
      return booked.length >= 2 ? true : undefined;
    });
    expect(booked.map((b) => [b.negRisk, b.ok, b.payoutMicros]).sort()).toEqual([
      [false, true, 10_000_000],
      [true, true, 20_000_000],
    ]);
    expect((await collateral()) - before).toBe(30_000_000);
    // Again: nothing left to redeem, nothing booked twice, the cash arrived once.
    expect(await auto.runOnce()).toEqual([]);
    expect(booked.length).toBe(2);
    expect((await collateral()) - before).toBe(30_000_000);
    expect(await fetchRedeemable(sb.urls.data, me)).toEqual([]);
    // The CLOB's balance follows the chain's redemption.
    await until('CLOB balance', () => (sb.state.accounts.get(me).usdcMicros === before + 30_000_000 ? true : undefined));
    const activity = (await getJson(`${sb.urls.data}/activity?user=${me.toLowerCase()}&type=REDEEM`)) as {
      type: string;
      usdcSize: number;
    }[];
    expect(activity.map((a) => a.usdcSize).sort()).toEqual([10, 20]);
  });

  it('a kill -9 between the redeem send and its receipt neither sends twice nor books twice', async () => {
    await buyOnChain(sb, 'mills-market', 0, 15, 0.5);
    await resolveMarket(sb, 'mills-market', 0);
    const cid = conditionOf(sb, 'mills-market');
    const rpc = chainProvider(sb);
    const ctf = new Contract(sb.chain!.contracts.ctf, CTF_ABI, rpc);
    await until('resolved on chain', async () => ((await ctf.payoutDenominator(cid)).toNumber() > 0 ? true : undefined));
    const [market] = await fetchRedeemable(sb.urls.data, me);
    expect(market!.conditionId).toBe(cid);
    const journalPath = join(dir, 'kill.jsonl');
    const before = await collateral();
    const nonceBefore = await rpc.getTransactionCount(me, 'latest');
    await rpc.send('evm_setIntervalMining', [0]);
    try {
      const { child, output } = spawnTestScript(new URL('./redeem-child.ts', import.meta.url), [
        sb.chain!.rpcUrl,
        JSON.stringify(sb.chain!.contracts),
        journalPath,
        JSON.stringify(market),
        TEST_KEY,
      ]);
      await until(
        'signed and broadcast',
        async () => {
          const signed = existsSync(journalPath) && readFileSync(journalPath, 'utf8').includes('"t":"signed"');
          const pool = ((await rpc.send('txpool_status', [])) as { pending: string }).pending;
          if (child.exitCode !== null) throw new Error(`the redeeming process ended early:\n${output()}`);
          return signed && pool !== '0x0' ? true : undefined;
        },
        90_000,
      );
      child.kill('SIGKILL');
      await new Promise((r) => child.once('exit', r));
      expect(output()).not.toMatch(/BOOKED|DONE/);
    } finally {
      await rpc.send('evm_mine', []);
      await rpc.send('evm_setIntervalMining', [1]);
    }
    const booked: RedeemResult[] = [];
    const journal = new RedeemJournal(journalPath);
    const r = redeemer(journal, booked);
    await r.resume();
    expect(await r.redeem(market!)).toBeUndefined(); // nothing left: the first transaction redeemed it
    expect(booked.map((b) => [b.ok, b.payoutMicros])).toEqual([[true, 15_000_000]]);
    expect((await collateral()) - before).toBe(15_000_000);
    expect(await rpc.getTransactionCount(me, 'latest')).toBe(nonceBefore + 1);
    // A third process reading the same journal books nothing.
    const again: RedeemResult[] = [];
    await redeemer(new RedeemJournal(journalPath), again).resume();
    expect(again).toEqual([]);
  }, 150_000);

  it('one redeeming process at a time: a round waits while another holds the journal, then reads what it wrote', async () => {
    const journalPath = join(dir, 'shared.jsonl');
    const ours = new RedeemJournal(journalPath);
    const booked: RedeemResult[] = [];
    // As a session wires it: the journal's lock around each round, and the file read again under it.
    const auto = new AutoRedeem({
      redeemer: redeemer(ours, booked),
      dataUrl: sb.urls.data,
      exclusive: async () => {
        const lock = await lockRecording(journalPath, { command: 'test session (auto-redeem)' });
        ours.reload();
        return () => lock.release();
      },
    });
    // Another process (a `polytail redeem`) holds the journal and leaves a mined redeem not yet booked.
    const other = await lockRecording(journalPath, { command: 'polytail redeem' });
    const theirs = new RedeemJournal(journalPath);
    const cid = conditionOf(sb, 'cents-market');
    theirs.write({
      t: 'intent',
      id: 'r-other',
      conditionId: cid,
      negRisk: false,
      holder: me.toLowerCase(),
      amounts: ['1', '0'],
      expectedMicros: 1,
      via: 'eoa',
      tsMs: 1,
    });
    theirs.write({ t: 'done', id: 'r-other', hash: '0xabc', ok: true, payoutMicros: 1, tsMs: 2 });
    try {
      expect(await auto.runOnce()).toEqual([]); // skipped: nothing of the other process's is touched
      expect(booked).toEqual([]);
    } finally {
      other.release();
    }
    // The next round reads the file again and finishes it (booked once, here).
    expect((await auto.runOnce()).map((r) => r.id)).toEqual(['r-other']);
    expect((await auto.runOnce()).map((r) => r.id)).toEqual([]);
    expect(booked.map((r) => r.id)).toEqual(['r-other']);
    // The other process, reading the file again, finds it booked and books nothing.
    theirs.reload();
    const theirsBooked: RedeemResult[] = [];
    expect(await redeemer(theirs, theirsBooked).resume()).toEqual([]);
    theirs.close();
    ours.close();
  });
});
