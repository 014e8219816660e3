/**
 * Which proxy/Safe wallets get Polymarket's relayer, and what a person is told when one cannot: no
 * relayerUrl, no builder credentials (the sandbox's stand in only for a loopback relayer), a funder that is
 * not the key's Safe, a chain id the client refuses. Secrets never appear in a message.
 */
import { Wallet, providers, utils } from 'ethers';
import { describe, expect, it } from 'vitest';
import { openRelay } from '../../../src/modes/relayer-wallet.ts';
import type { ChainSettings } from '../../../src/modes/session-chain.ts';
import { POLYGON_CONTRACTS } from '../../../src/polymarket/contracts.ts';
import { proxyAddressOf, safeAddressOf } from '../../../src/sandbox/relayer/index.ts';
import { loadAccount } from '../../../src/wallet/index.ts';

const KEY = '0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80'; // hardhat #0, public
const me = new Wallet(KEY).address;
const safe = safeAddressOf(me);
const SECRET = 'c2VjcmV0LXRoYXQtbXVzdC1uZXZlci1zaG93';
const creds = { POLYTAIL_BUILDER_API_KEY: 'k', POLYTAIL_BUILDER_SECRET: SECRET, POLYTAIL_BUILDER_PASSPHRASE: 'p' };
const provider = new providers.StaticJsonRpcProvider('http://127.0.0.1:1', 137);
const settings = (over: Partial<ChainSettings> = {}): ChainSettings => ({
  rpcUrl: 'http://127.0.0.1:1',
  chainId: 137,
  contracts: POLYGON_CONTRACTS,
  feed: false,
  confirmations: 1,
  autoRedeem: true,
  redeemIntervalMs: 60_000,
  maxFeeGwei: 500,
  priorityFeeGwei: 30,
  relayerUrl: 'https://relayer-v2.polymarket.com',
  ...over,
});
const account = (type: string, funder = safe) =>
  loadAccount({ POLYTAIL_PRIVATE_KEY: KEY, POLYTAIL_SIGNATURE_TYPE: type, POLYTAIL_FUNDER_ADDRESS: funder }, { dataDir: '.' });
const reason = (r: ReturnType<typeof openRelay>) => ('reason' in r ? r.reason : undefined);

describe('openRelay', () => {
  it('opens for a Safe whose address the client derives from the key, with credentials from the environment', () => {
    const r = openRelay(account('2'), settings(), provider, creds);
    expect('relay' in r && r.wallet).toBe(safe);
  });

  it('says what is missing: relayerUrl, builder credentials (sandbox ones only for a loopback relayer)', () => {
    expect(reason(openRelay(account('2'), settings({ relayerUrl: undefined }), provider, creds))).toMatch(
      /set chain.relayerUrl \(https:\/\/relayer-v2.polymarket.com\) and POLYTAIL_BUILDER_API_KEY/,
    );
    expect(reason(openRelay(account('2'), settings(), provider, {}))).toMatch(/needs builder credentials: set POLYTAIL_BUILDER_API_KEY/);
    expect(
      reason(openRelay(account('2'), settings({ chainId: 80002, relayerUrl: 'http://127.0.0.1:9/relayer' }), provider, {})),
    ).toBeUndefined();
  });

  it("refuses a funder that is not the key's Safe, a deposit wallet, and a chain the client does not know", () => {
    const other = '0x1111111111111111111111111111111111111111';
    const mismatch = reason(openRelay(account('2', other), settings(), provider, creds))!;
    expect(mismatch).toContain(safe);
    expect(mismatch).toContain(other);
    expect(mismatch).not.toContain(SECRET);
    expect(reason(openRelay(account('3'), settings(), provider, creds))).toMatch(/deposit wallets/);
    expect(reason(openRelay(account('2'), settings({ chainId: 31337 }), provider, creds))).toBe(
      "Polymarket's relayer client cannot act on chain 31337: Invalid network",
    );
  });

  it("proxy wallets: Polymarket's own factory on 137; the sandbox's only for a loopback relayer on 80002", () => {
    // Polygon's proxy of the key, from the client's real table (factory 0xaB45…, its init-code hash).
    const salt = utils.keccak256(utils.solidityPack(['address'], [me]));
    const polygonProxy = utils.getCreate2Address(
      '0xaB45c5A4B0c941a2F231C04C3f49182e1A254052',
      salt,
      '0xd21df8dc65880a8606f09fe0ce3df9b8869287ab0b058be05aa9e8af6330a00b',
    );
    const onPolygon = openRelay(account('1', polygonProxy), settings(), provider, creds);
    expect('relay' in onPolygon && onPolygon.wallet).toBe(polygonProxy);
    // A loopback relayer on 137 still gets Polymarket's table: the sandbox address is refused as funder.
    const loopback137 = reason(
      openRelay(account('1', proxyAddressOf(me)), settings({ relayerUrl: 'http://127.0.0.1:9/relayer' }), provider, creds),
    );
    expect(loopback137).toContain(polygonProxy);
    const sandbox = openRelay(
      account('1', proxyAddressOf(me)),
      settings({ chainId: 80002, relayerUrl: 'http://127.0.0.1:9/relayer' }),
      provider,
      {},
    );
    expect('relay' in sandbox && sandbox.wallet).toBe(proxyAddressOf(me));
    expect(proxyAddressOf(me)).not.toBe(polygonProxy);
    expect(reason(openRelay(account('1', proxyAddressOf(me)), settings({ chainId: 80002 }), provider, creds))).toBe(
      "Polymarket's relayer client cannot act on chain 80002: it has no proxy factory for chain 80002 (Polymarket has proxy wallets on Polygon, chain 137, only; the sandbox relayer emulates them on 80002)",
    );
  });
});
