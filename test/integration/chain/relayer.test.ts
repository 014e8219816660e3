/**
 * A Safe wallet (signature type 2) on the local chain through the sandbox's relayer, with Polymarket's own
 * relayer client: `polytail approve` deploys the Safe and sends every approval in one relayer
 * transaction (a wrong builder secret is refused); buy → resolve → auto-redeem → cash back once; and a
 * kill -9 between the relayer submit and its confirmation neither submits twice nor books twice.
 */
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BuilderSigner } from '@polymarket/builder-signing-sdk';
import { Contract, Wallet, constants, utils } from 'ethers';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AutoRedeem, fetchRedeemable } from '../../../src/chain/auto-redeem.ts';
import { RedeemJournal } from '../../../src/chain/redeem-journal.ts';
import { type RedeemResult, Redeemer } from '../../../src/chain/redeemer.ts';
import { type RelayRequest } from '../../../src/chain/relay-sender.ts';
import { runApprove } from '../../../src/modes/approve.ts';
import { runDoctor } from '../../../src/modes/doctor.ts';
import { runRedeem } from '../../../src/modes/redeem.ts';
import { buildSessionChain, resolveChain } from '../../../src/modes/session-chain.ts';
import { parseConfig } from '../../../src/config/config.ts';
import { MarketRegistry } from '../../../src/core/market-registry.ts';
import { RecordingStore } from '../../../src/store/index.ts';
import { loadAccount } from '../../../src/wallet/index.ts';
import { CTF_ABI, ERC20_ABI } from '../../../src/polymarket/contracts.ts';
import type { Sandbox } from '../../../src/sandbox/index.ts';
import { SANDBOX_BUILDER_CREDS, safeAddressOf } from '../../../src/sandbox/relayer/index.ts';
import {
  TEST_KEY,
  TEST_SCENARIO,
  buyOnChain,
  chainProvider,
  collateralOf,
  conditionOf,
  missingApprovals,
  resolveMarket,
  sandboxRelaySender,
  spawnTestScript,
  startChainSandbox,
  until,
} from './helpers.ts';

const AMOY = 80002;
const ZERO = constants.AddressZero;
const safeIface = new utils.Interface([
  'function nonce() view returns (uint256)',
  'function getTransactionHash(address,uint256,bytes,uint8,uint256,uint256,uint256,address,address,uint256) view returns (bytes32)',
  'function execTransaction(address,uint256,bytes,uint8,uint256,uint256,uint256,address,address,bytes) returns (bool)',
]);
let sb: Sandbox;
const me = new Wallet(TEST_KEY).address;
const safe = safeAddressOf(me);
const dir = mkdtempSync(join(tmpdir(), 'polytail-relayer-'));
const env = { POLYTAIL_PRIVATE_KEY: TEST_KEY, POLYTAIL_SIGNATURE_TYPE: '2', POLYTAIL_FUNDER_ADDRESS: safe };

beforeAll(async () => {
  const extra = { slug: 'extra-market', tickSize: '0.01' as const, minOrderSize: 5, fairValue: 0.5 };
  sb = await startChainSandbox({ markets: [...(TEST_SCENARIO.markets ?? []), extra] }, false, 200, AMOY);
});
afterAll(async () => {
  await sb?.stop();
});

const base = () => ({ env, sandboxUrl: sb.urls.clob, dataDir: dir, pollMs: 50 });
const collateral = (who = safe) => collateralOf(sb, who);
const missing = () => missingApprovals(sb, safe);
const relay = () => sandboxRelaySender(sb, 'safe', AMOY);
const redeemer = (journal: RedeemJournal, booked: RedeemResult[]) =>
  new Redeemer({
    provider: chainProvider(sb),
    contracts: sb.chain!.contracts,
    holder: safe,
    journal,
    relay: relay(),
    book: (r) => void booked.push(r),
  });
const safeRedeems = (cid: string) =>
  sb.ctx.chain!.redeems.filter((r) => r.redeemer === safe.toLowerCase() && r.conditionId === cid.toLowerCase());

/** The Safe (signature type 2, signed by TEST_KEY) buys `shares` of outcome `index` and waits for the settlement on chain. */
const safeBuys = (slug: string, index: 0 | 1, shares: number, price: number) =>
  buyOnChain(sb, slug, index, shares, price, { signatureType: 2, funder: safe });

async function resolvedOnChain(slug: string): Promise<string> {
  const cid = conditionOf(sb, slug);
  const ctf = new Contract(sb.chain!.contracts.ctf, CTF_ABI, chainProvider(sb));
  await until('resolved on chain', async () => ((await ctf.payoutDenominator(cid)).toNumber() > 0 ? true : undefined));
  return cid;
}

describe('Safe wallet through the sandbox relayer (real @polymarket/builder-relayer-client)', () => {
  it('approve: a wrong builder secret is refused; then the Safe is deployed and every approval sent in one relayer transaction', async () => {
    const refusedLines: string[] = [];
    const bad = {
      ...env,
      POLYTAIL_BUILDER_API_KEY: SANDBOX_BUILDER_CREDS.key,
      POLYTAIL_BUILDER_SECRET: 'bm90LXRoZS1zZWNyZXQ=',
      POLYTAIL_BUILDER_PASSPHRASE: SANDBOX_BUILDER_CREDS.passphrase,
    };
    const refused = await runApprove({ ...base(), env: bad, yes: true, print: (l) => refusedLines.push(l), confirm: async () => true });
    expect(refused.exitCode).toBe(1);
    expect(refusedLines.join('\n')).toMatch(/401.*invalid builder credentials/);
    expect(refusedLines.join('\n')).not.toContain('bm90LXRoZS1zZWNyZXQ=');
    expect(sb.relayer!.submissions()).toBe(0);

    const notYet = await runDoctor({
      env,
      hosts: { clob: sb.urls.clob, geoblock: `${sb.urls.clob}/api/geoblock` },
      dataDir: dir,
      sandboxUrl: sb.urls.clob,
    });
    expect(notYet.checks.find((c) => c.name === 'relayer')).toMatchObject({ ok: false, fix: expect.stringMatching(/polytail approve/) });
    expect(await missing()).toBe(6);
    const lines: string[] = [];
    const res = await runApprove({ ...base(), yes: true, print: (l) => lines.push(l), confirm: async () => true });
    expect(res.exitCode).toBe(0);
    expect(res.sent.map((s) => s.ok)).toEqual([true, true]);
    expect(await missing()).toBe(0);
    expect(sb.relayer!.submissions('SAFE-CREATE')).toBe(1);
    expect(sb.relayer!.submissions('SAFE')).toBe(1); // six approvals, one MultiSend
    const doctor = await runDoctor({
      env,
      hosts: { clob: sb.urls.clob, geoblock: `${sb.urls.clob}/api/geoblock` },
      dataDir: dir,
      sandboxUrl: sb.urls.clob,
    });
    expect(doctor.checks.find((c) => c.name === 'relayer')).toMatchObject({ ok: true });
    expect(doctor.checks.filter((c) => c.name.startsWith('approval ')).every((c) => c.ok)).toBe(true);
  });

  it("the relayer refuses a tampered or replayed Safe request, and the Safe refuses a signature not its owner's", async () => {
    const erc20 = new utils.Interface(ERC20_ABI);
    const call = { to: sb.chain!.contracts.collateral, data: erc20.encodeFunctionData('approve', [me, 1]) };
    let captured: RelayRequest | undefined;
    await expect(
      relay().submit([call], (req) => {
        captured = req;
        throw new Error('captured, not submitted');
      }),
    ).rejects.toThrow(/captured/);
    const before = sb.relayer!.submissions();
    const signer = new BuilderSigner({ ...SANDBOX_BUILDER_CREDS });
    const post = async (body: unknown) => {
      const text = JSON.stringify(body);
      const headers = signer.createBuilderHeaderPayload('POST', '/submit', text);
      const res = await fetch(`${sb.urls.relayer}/submit`, { method: 'POST', headers: { ...headers }, body: text });
      return { status: res.status, body: (await res.json()) as { error?: string; transactionID?: string } };
    };
    const tampered = await post({ ...captured!, data: erc20.encodeFunctionData('approve', [me, 2]) });
    expect(tampered).toEqual({ status: 400, body: { error: 'invalid signature' } });
    const stale = await post({ ...captured!, nonce: '0' });
    expect(stale.status).toBe(400); // nonce 0 went to the approvals, and the signature covers the nonce
    expect(sb.relayer!.submissions()).toBe(before);
    const ok = await post(captured);
    expect(ok.status).toBe(200);
    await relay().wait(ok.body.transactionID!);
    expect(await post(captured)).toEqual({ status: 400, body: { error: `invalid nonce ${captured!.nonce}` } });
    // Straight to the Safe, past the relayer: a signature by another key reverts.
    const other = Wallet.createRandom();
    const nonce = (await chainProvider(sb).call({ to: safe, data: safeIface.encodeFunctionData('nonce') })) as string;
    const txHash = (await new Contract(safe, safeIface, chainProvider(sb)).getTransactionHash(
      call.to,
      0,
      call.data,
      0,
      0,
      0,
      0,
      ZERO,
      ZERO,
      nonce,
    )) as string;
    const sig = utils.joinSignature(other._signingKey().signDigest(txHash));
    const exec = safeIface.encodeFunctionData('execTransaction', [call.to, 0, call.data, 0, 0, 0, 0, ZERO, ZERO, sig]);
    const reverted = await chainProvider(sb).call({ to: safe, data: exec });
    expect(reverted.slice(0, 10)).toBe('0x08c379a0'); // Error(string)
    expect(utils.defaultAbiCoder.decode(['string'], '0x' + reverted.slice(10))).toEqual(['GS026']);
  });

  it('buy → resolve → auto-redeem through the relayer → cash back once', async () => {
    sb.ctx.chain!.credit(safe, 100_000_000);
    sb.state.accounts.get(safe.toLowerCase()).usdcMicros += 100_000_000;
    await until('Safe funded', async () => ((await collateral()) >= 100_000_000 ? true : undefined));
    await safeBuys('cents-market', 0, 10, 0.55);
    await resolveMarket(sb, 'cents-market', 0);
    const cid = await resolvedOnChain('cents-market');
    const before = await collateral();
    const submitted = sb.relayer!.submissions('SAFE');
    const booked: RedeemResult[] = [];
    const auto = new AutoRedeem({ redeemer: redeemer(new RedeemJournal(join(dir, 'lifecycle.jsonl')), booked), dataUrl: sb.urls.data });
    await until('redeemed', async () => {
      await auto.runOnce();
      return booked.length >= 1 ? true : undefined;
    });
    expect(booked.map((b) => [b.via, b.ok, b.payoutMicros, b.holder])).toEqual([['relayer', true, 10_000_000, safe.toLowerCase()]]);
    expect(booked[0]!.txHash).toBe(sb.relayer!.transactions.at(-1)!.transactionHash);
    expect((await collateral()) - before).toBe(10_000_000);
    expect(await auto.runOnce()).toEqual([]);
    expect(booked.length).toBe(1);
    expect(sb.relayer!.submissions('SAFE') - submitted).toBe(1);
    expect(safeRedeems(cid)).toHaveLength(1);
    expect(await fetchRedeemable(sb.urls.data, safe)).toEqual([]);
  });

  it("polytail redeem and a live session's auto-redeem redeem the Safe's positions once each, recorded with via relayer", async () => {
    await safeBuys('neg-risk-market', 1, 20, 0.6);
    await safeBuys('extra-market', 0, 5, 0.5);
    await resolveMarket(sb, 'neg-risk-market', 1);
    await resolveMarket(sb, 'extra-market', 0);
    const negRisk = await resolvedOnChain('neg-risk-market');
    const extraCid = await resolvedOnChain('extra-market');
    const before = await collateral();
    const submitted = sb.relayer!.submissions('SAFE');
    // polytail redeem, the one picked: the extra market (binary, through the CTF).
    const cli = await runRedeem({ ...base(), pick: [extraCid], yes: true, print: () => {}, confirm: async () => true });
    expect(cli.redeemed.map((r) => [r.via, r.ok, r.payoutMicros])).toEqual([['relayer', true, 5_000_000]]);
    // A live session's auto-redeem: the rest (neg-risk, through the adapter), the relayer credentials being the sandbox's.
    const settings = (await resolveChain(parseConfig({}), sb.urls.clob))!;
    expect(settings.relayerUrl).toBe(sb.urls.relayer);
    const recording = await RecordingStore.open(join(dir, 'session.duckdb'));
    const chain = buildSessionChain({
      mode: 'live',
      settings: { ...settings, feed: false },
      wallets: [],
      markets: new MarketRegistry(),
      gammaUrl: sb.urls.gamma,
      dataUrl: sb.urls.data,
      dataDir: join(dir, 'session'),
      recording,
      runId: 'safe-session',
      account: loadAccount(env, { dataDir: dir }),
      env: {},
      log: () => {},
    });
    try {
      expect(chain.redeemer?.holder).toBe(safe.toLowerCase());
      await until('auto-redeemed', async () => {
        await chain.autoRedeem!.runOnce();
        return chain.redeems.length >= 1 ? true : undefined;
      });
      expect(await chain.autoRedeem!.runOnce()).toEqual([]);
      const rows = await recording.query(`SELECT condition_id, via, ok, payout_micros, tx_hash FROM redeems`);
      expect(rows.map((r) => [r.condition_id, r.via, r.ok, Number(r.payout_micros), r.tx_hash])).toEqual([
        [negRisk, 'relayer', true, 20_000_000, chain.redeems[0]!.txHash],
      ]);
    } finally {
      await chain.stop();
      await recording.close();
    }
    expect((await collateral()) - before).toBe(25_000_000);
    expect(sb.relayer!.submissions('SAFE') - submitted).toBe(2);
    expect(safeRedeems(negRisk)).toHaveLength(1);
    const cliRows = await RecordingStore.open(cli.recordingPath, { readOnly: true });
    try {
      const rows = await cliRows.query(`SELECT condition_id, via, payout_micros FROM redeems`);
      expect(rows.map((r) => [r.condition_id, r.via, Number(r.payout_micros)])).toEqual([[extraCid, 'relayer', 5_000_000]]);
    } finally {
      await cliRows.close();
    }
  });

  it('a kill -9 between the relayer submit and its confirmation neither submits twice nor books twice', async () => {
    await safeBuys('mills-market', 0, 15, 0.5);
    await resolveMarket(sb, 'mills-market', 0);
    const cid = await resolvedOnChain('mills-market');
    const [market] = await fetchRedeemable(sb.urls.data, safe);
    expect(market!.conditionId).toBe(cid);
    const journalPath = join(dir, 'kill.jsonl');
    const before = await collateral();
    const submitted = sb.relayer!.submissions('SAFE');
    sb.relayer!.hold(); // the relayer takes the submit but executes nothing until released
    try {
      const { child, output } = spawnTestScript(new URL('./relay-redeem-child.ts', import.meta.url), [
        sb.chain!.rpcUrl,
        String(AMOY),
        sb.urls.relayer!,
        JSON.stringify(sb.chain!.contracts),
        journalPath,
        JSON.stringify(market),
        TEST_KEY,
      ]);
      await until(
        'submitted and journalled',
        () => {
          if (child.exitCode !== null) throw new Error(`the redeeming process ended early:\n${output()}`);
          return existsSync(journalPath) && readFileSync(journalPath, 'utf8').includes('"t":"relayed"') ? true : undefined;
        },
        90_000,
      );
      child.kill('SIGKILL');
      await new Promise((r) => child.once('exit', r));
      expect(output()).not.toMatch(/BOOKED|DONE/);
      expect(sb.relayer!.transactions.at(-1)!.state).toBe('STATE_NEW');
    } finally {
      sb.relayer!.release();
    }
    // A copy of the journal as if the kill came during POST /submit (request journalled, answer not).
    const lostAnswer = join(dir, 'kill-lost-answer.jsonl');
    const lines = readFileSync(journalPath, 'utf8').split('\n');
    writeFileSync(lostAnswer, lines.filter((l) => !l.includes('"t":"relayed"')).join('\n'));
    const booked: RedeemResult[] = [];
    const r = redeemer(new RedeemJournal(journalPath), booked);
    await r.resume();
    // Found again by the journalled relayer id (no second lookup written).
    expect(readFileSync(journalPath, 'utf8').match(/"t":"relayed"/g)).toHaveLength(1);
    expect(await r.redeem(market!)).toBeUndefined(); // nothing left: the first submit redeemed it
    expect(booked.map((b) => [b.via, b.ok, b.payoutMicros])).toEqual([['relayer', true, 15_000_000]]);
    expect((await collateral()) - before).toBe(15_000_000);
    expect(sb.relayer!.submissions('SAFE') - submitted).toBe(1);
    await until('the chain watch saw it', async () => (await sb.ctx.chain!.catchUp(), safeRedeems(cid).length > 0 ? true : undefined));
    expect(safeRedeems(cid)).toHaveLength(1);
    // A third process reading the same journal books nothing and submits nothing.
    const again: RedeemResult[] = [];
    expect(await redeemer(new RedeemJournal(journalPath), again).resume()).toEqual([]);
    expect(again).toEqual([]);
    expect(sb.relayer!.submissions('SAFE') - submitted).toBe(1);
    // Without the relayer's answer, the builder's transaction list finds the same one by its signature.
    const forked: RedeemResult[] = [];
    await redeemer(new RedeemJournal(lostAnswer), forked).resume();
    expect(forked.map((b) => b.txHash)).toEqual([booked[0]!.txHash]);
    expect(sb.relayer!.submissions('SAFE') - submitted).toBe(1);
  });
});
