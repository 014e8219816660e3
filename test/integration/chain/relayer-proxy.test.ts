/**
 * A proxy wallet (signature type 1) on the local chain through the sandbox's relayer, with Polymarket's
 * own relayer client on chain 80002 given the sandbox's proxy factory and relay hub (the client has
 * proxy contracts for 137 only): `polytail approve` sends every approval in one PROXY relay; buy →
 * resolve → `polytail redeem` → cash back once, recorded with via relayer; a tampered or foreign proxy
 * signature is refused by the relayer and, straight to the hub, reverts.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BuilderSigner } from '@polymarket/builder-signing-sdk';
import { Contract, Wallet, utils } from 'ethers';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fetchRedeemable } from '../../../src/chain/auto-redeem.ts';
import { type RelayRequest } from '../../../src/chain/relay-sender.ts';
import { runApprove } from '../../../src/modes/approve.ts';
import { runDoctor } from '../../../src/modes/doctor.ts';
import { runRedeem } from '../../../src/modes/redeem.ts';
import { RecordingStore } from '../../../src/store/index.ts';
import { CTF_ABI, ERC20_ABI } from '../../../src/polymarket/contracts.ts';
import type { Sandbox } from '../../../src/sandbox/index.ts';
import { SANDBOX_BUILDER_CREDS, SANDBOX_PROXY_CONTRACTS, proxyAddressOf } from '../../../src/sandbox/relayer/index.ts';
import {
  TEST_KEY,
  buyOnChain,
  chainProvider,
  collateralOf,
  conditionOf,
  missingApprovals,
  resolveMarket,
  sandboxRelaySender,
  startChainSandbox,
  until,
} from './helpers.ts';

const AMOY = 80002;
const hubIface = new utils.Interface([
  'function getNonce(address) view returns (uint256)',
  'function relayCall(address,address,bytes,uint256,uint256,uint256,uint256,bytes,bytes)',
]);
let sb: Sandbox;
const me = new Wallet(TEST_KEY).address;
const proxy = proxyAddressOf(me);
const dir = mkdtempSync(join(tmpdir(), 'polytail-relayer-proxy-'));
const env = { POLYTAIL_PRIVATE_KEY: TEST_KEY, POLYTAIL_SIGNATURE_TYPE: '1', POLYTAIL_FUNDER_ADDRESS: proxy };

beforeAll(async () => {
  sb = await startChainSandbox({}, false, 200, AMOY);
});
afterAll(async () => {
  await sb?.stop();
});

const base = () => ({ env, sandboxUrl: sb.urls.clob, dataDir: dir, pollMs: 50 });
const doctor = () =>
  runDoctor({ env, hosts: { clob: sb.urls.clob, geoblock: `${sb.urls.clob}/api/geoblock` }, dataDir: dir, sandboxUrl: sb.urls.clob });
const collateral = () => collateralOf(sb, proxy);
const missing = () => missingApprovals(sb, proxy);
const relay = () => sandboxRelaySender(sb, 'proxy', AMOY);
const proxyRedeems = (cid: string) =>
  sb.ctx.chain!.redeems.filter((r) => r.redeemer === proxy.toLowerCase() && r.conditionId === cid.toLowerCase());

describe('proxy wallet through the sandbox relayer (real @polymarket/builder-relayer-client, chain 80002)', () => {
  it('approve: every missing approval in one PROXY relay, executed as the proxy wallet; doctor is content after', async () => {
    const before = await doctor();
    expect(before.checks.find((c) => c.name === 'relayer')).toMatchObject({
      ok: true,
      detail: expect.stringContaining(`proxy wallet ${proxy} (created by its first relayed call)`),
    });
    expect(await missing()).toBe(6);
    expect(await chainProvider(sb).getCode(proxy)).toBe('0x');
    const res = await runApprove({ ...base(), yes: true, print: () => {}, confirm: async () => true });
    expect(res.exitCode).toBe(0);
    expect(res.sent.map((s) => s.ok)).toEqual([true]);
    expect(await missing()).toBe(0);
    expect(sb.relayer!.submissions('PROXY')).toBe(1);
    expect(sb.relayer!.submissions()).toBe(1);
    const hub = new Contract(SANDBOX_PROXY_CONTRACTS.RelayHub, hubIface, chainProvider(sb));
    expect((await hub.getNonce(me)).toNumber()).toBe(1);
    const after = await doctor();
    expect(after.checks.find((c) => c.name === 'relayer')).toMatchObject({
      ok: true,
      detail: expect.stringMatching(new RegExp(`proxy wallet ${proxy}$`)),
    });
    expect(after.checks.filter((c) => c.name.startsWith('approval ')).every((c) => c.ok)).toBe(true);
  });

  it('buy → resolve → polytail redeem through the relayer → cash back once, recorded with via relayer', async () => {
    sb.ctx.chain!.credit(proxy, 100_000_000);
    sb.state.accounts.get(proxy.toLowerCase()).usdcMicros += 100_000_000;
    await until('proxy funded', async () => ((await collateral()) >= 100_000_000 ? true : undefined));
    await buyOnChain(sb, 'cents-market', 0, 10, 0.55, { signatureType: 1, funder: proxy }); // throws unless matched
    await resolveMarket(sb, 'cents-market', 0);
    const cid = conditionOf(sb, 'cents-market');
    const ctf = new Contract(sb.chain!.contracts.ctf, CTF_ABI, chainProvider(sb));
    await until('resolved on chain', async () => ((await ctf.payoutDenominator(cid)).toNumber() > 0 ? true : undefined));
    await until('listed as redeemable', async () =>
      (await fetchRedeemable(sb.urls.data, proxy)).some((m) => m.conditionId === cid) ? true : undefined,
    );
    const before = await collateral();
    const submitted = sb.relayer!.submissions('PROXY');

    const cli = await runRedeem({ ...base(), all: true, yes: true, print: () => {}, confirm: async () => true });
    expect(cli.exitCode).toBe(0);
    expect(cli.redeemed.map((r) => [r.conditionId, r.via, r.ok, r.payoutMicros, r.holder])).toEqual([
      [cid, 'relayer', true, 10_000_000, proxy.toLowerCase()],
    ]);
    expect(cli.redeemed[0]!.txHash).toBe(sb.relayer!.transactions.at(-1)!.transactionHash);
    expect((await collateral()) - before).toBe(10_000_000);
    expect(sb.relayer!.submissions('PROXY') - submitted).toBe(1);
    await until('the chain watch saw it', async () => (await sb.ctx.chain!.catchUp(), proxyRedeems(cid).length > 0 ? true : undefined));
    expect(proxyRedeems(cid)).toHaveLength(1);
    expect(await fetchRedeemable(sb.urls.data, proxy)).toEqual([]);

    const again = await runRedeem({ ...base(), all: true, yes: true, print: () => {}, confirm: async () => true });
    expect(again.redeemed).toEqual([]);
    expect((await collateral()) - before).toBe(10_000_000);
    expect(sb.relayer!.submissions('PROXY') - submitted).toBe(1);
    const rows = await RecordingStore.open(cli.recordingPath, { readOnly: true });
    try {
      const r = await rows.query(`SELECT condition_id, via, ok, payout_micros, tx_hash FROM redeems`);
      expect(r.map((x) => [x.condition_id, x.via, x.ok, Number(x.payout_micros), x.tx_hash])).toEqual([
        [cid, 'relayer', true, 10_000_000, cli.redeemed[0]!.txHash],
      ]);
    } finally {
      await rows.close();
    }
  });

  it("a tampered, foreign or replayed proxy signature is refused; straight to the hub, another key's signature reverts", async () => {
    const erc20 = new utils.Interface(ERC20_ABI);
    const call = { to: sb.chain!.contracts.collateral, data: erc20.encodeFunctionData('approve', [me, 1]) };
    let captured: (RelayRequest & { signatureParams: Record<string, string> }) | undefined;
    await expect(
      relay().submit([call], (req) => {
        captured = req as typeof captured;
        throw new Error('captured, not submitted');
      }),
    ).rejects.toThrow(/captured/);
    const req = captured!;
    expect(req.type).toBe('PROXY');
    expect(req.to).toBe(SANDBOX_PROXY_CONTRACTS.ProxyFactory);
    expect(req.proxyWallet).toBe(proxy);
    const before = sb.relayer!.submissions();
    const signer = new BuilderSigner({ ...SANDBOX_BUILDER_CREDS });
    const post = async (body: unknown) => {
      const text = JSON.stringify(body);
      const headers = signer.createBuilderHeaderPayload('POST', '/submit', text);
      const res = await fetch(`${sb.urls.relayer}/submit`, { method: 'POST', headers: { ...headers }, body: text });
      return { status: res.status, body: (await res.json()) as { error?: string; transactionID?: string } };
    };
    const p = req.signatureParams;
    const hash = utils.solidityKeccak256(
      ['string', 'address', 'address', 'bytes', 'uint256', 'uint256', 'uint256', 'uint256', 'address', 'address'],
      ['rlx:', req.from, req.to, req.data, p.relayerFee, p.gasPrice, p.gasLimit, req.nonce, p.relayHub, p.relay],
    );
    expect(utils.verifyMessage(utils.arrayify(hash), req.signature)).toBe(me); // the hash as the relayer recomputes it
    const other = Wallet.createRandom();
    const foreign = await other.signMessage(utils.arrayify(hash));
    const tampered = await post({ ...req, data: erc20.encodeFunctionData('approve', [me, 2]) });
    expect(tampered).toEqual({ status: 400, body: { error: 'invalid signature' } });
    expect(await post({ ...req, signature: foreign })).toEqual({ status: 400, body: { error: 'invalid signature' } });
    expect(sb.relayer!.submissions()).toBe(before);
    const ok = await post(req);
    expect(ok.status).toBe(200);
    expect(await relay().wait(ok.body.transactionID!)).toMatchObject({ state: 'STATE_MINED' });
    expect(await post(req)).toEqual({ status: 400, body: { error: `invalid nonce ${req.nonce}` } });
    // Past the relayer, to the hub itself: the same request signed by another key reverts, so does a replay.
    const hub = new Contract(SANDBOX_PROXY_CONTRACTS.RelayHub, hubIface, chainProvider(sb));
    const nonce = (await hub.getNonce(me)).toString();
    const relayCall = (sig: string, n: string) =>
      hubIface.encodeFunctionData('relayCall', [req.from, req.to, req.data, 0, 0, p.gasLimit, n, sig, '0x']);
    const revertOf = async (data: string) => {
      const out = await chainProvider(sb)
        .call({ to: SANDBOX_PROXY_CONTRACTS.RelayHub, data, from: p.relay })
        .catch((e: { error?: { data?: string }; data?: string }) => e.error?.data ?? e.data ?? '');
      return utils.defaultAbiCoder.decode(['string'], '0x' + out.slice(10))[0] as string;
    };
    expect(await revertOf(relayCall(foreign, req.nonce!))).toBe('RelayHub: invalid signature');
    expect(await revertOf(relayCall(req.signature, req.nonce!))).toBe('RelayHub: invalid nonce');
    expect(Number(nonce)).toBe(Number(req.nonce) + 1);
  });
});
