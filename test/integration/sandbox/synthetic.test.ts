/** Scenario files, the synthetic flow (makers + target wallets), tape replay, and the admin ledger. */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { type Sandbox, loadScenarioFile, parseScenario, startSandbox } from '../../../src/sandbox/index.ts';
import { NOBEL_TAPE, readFixtureText } from '../../helpers/fixtures.ts';
import { waitUntil } from '../../helpers/wait.ts';
import { getJson } from './helpers.ts';

const DEFAULT = fileURLToPath(new URL('../../../src/sandbox/scenarios/default.json', import.meta.url));
const FIXTURE = fileURLToPath(new URL('../../fixtures/sandbox/fast-targets.json', import.meta.url));

let sb: Sandbox | undefined;
afterEach(async () => {
  await sb?.stop();
  sb = undefined;
});

describe('scenario files', () => {
  it('the default scenario is valid: 2 binary markets, makers, 3 target wallets', () => {
    const s = loadScenarioFile(DEFAULT);
    expect(s.markets).toHaveLength(2);
    expect(s.makers.length).toBeGreaterThan(0);
    expect(s.traders).toHaveLength(3);
  });

  it('names the bad field', () => {
    expect(() => parseScenario({ traders: [{ address: '0x1111111111111111111111111111111111111111', ratePerMinute: -1 }] })).toThrow(
      /traders\.0\.ratePerMinute/,
    );
    expect(() => parseScenario({ markets: [{ slug: 'a', tickSize: '0.02' }] })).toThrow(/markets\.0\.tickSize/);
    expect(() => parseScenario({ markets: [{ slug: 'a' }, { slug: 'a' }] })).toThrow(/duplicate slug "a"/);
  });
});

describe('synthetic flow', () => {
  it('makers quote and target wallets trade against them; fills reach /activity and the ledger', async () => {
    sb = await startSandbox({ scenario: FIXTURE });
    const target = '0x1111111111111111111111111111111111111111';
    await waitUntil(() => sb!.state.ledger.filter((f) => f.takerAddress === target).length >= 3, 'three fills of the target');
    sb.flow.stop();
    const activity = (await getJson(`${sb.urls.data}/activity?user=${target}`)) as { proxyWallet: string; type: string }[];
    expect(activity.length).toBeGreaterThanOrEqual(3);
    expect(activity.every((a) => a.proxyWallet === target && a.type === 'TRADE')).toBe(true);
    const ledger = (await getJson(`${sb.urls.admin}/ledger`)) as { taker: string; maker: string; txHash: string }[];
    expect(ledger.length).toBe(sb.state.ledger.length);
    // Conservation: shares bought equal shares sold for every token.
    const net = new Map<string, number>();
    for (const a of sb.state.accounts.all()) for (const [t, v] of a.tokens) net.set(t, (net.get(t) ?? 0) + v);
    for (const v of net.values()) expect(v).toBe(0);
  });

  it('is repeatable for a seed: the same token ids and maker quotes', async () => {
    const first = await startSandbox({ scenario: FIXTURE, synthetic: false });
    const second = await startSandbox({ scenario: FIXTURE, synthetic: false });
    const ids = (s: Sandbox) => [...s.state.markets.values()].map((m) => m.tokenIds);
    expect(ids(first)).toEqual(ids(second));
    const other = await startSandbox({ scenario: FIXTURE, seed: 99, synthetic: false });
    expect(ids(other)).not.toEqual(ids(first));
    await Promise.all([first.stop(), second.stop(), other.stop()]);
  });

  it('resolves a market on schedule', async () => {
    sb = await startSandbox({ scenario: { seed: 3, clockSpeed: 100, markets: [{ slug: 'quick', resolveAfterSec: 20, resolvesTo: 1 }] } });
    const cid = [...sb.state.markets.values()][0]!.conditionId;
    await waitUntil(() => sb!.state.markets.get(cid)!.status === 'resolved', 'the scheduled resolution');
    const [m] = (await getJson(`${sb.urls.gamma}/markets?slug=quick`)) as { outcomePrices: string; closed: boolean }[];
    expect(m).toMatchObject({ closed: true, outcomePrices: '["0", "1"]' });
  });
});

describe('tape replay', () => {
  it('re-emits real Nobel tape rows as fills of their wallets, deduplicated and oldest first', async () => {
    // The sandbox reads a plain CSV tape, as a user would hand it one: unpack the gzipped fixture.
    const tape = join(mkdtempSync(join(tmpdir(), 'polytail-tape-')), 'nobel-tape.csv');
    writeFileSync(tape, readFixtureText(NOBEL_TAPE));
    sb = await startSandbox({ scenario: { seed: 1, tape: { file: tape, speed: 1_000_000, limit: 25 } } });
    await waitUntil(() => sb!.state.ledger.length === 25, '25 tape fills');
    const first = sb.state.ledger[0]!;
    const rows = (await getJson(`${sb.urls.data}/activity?user=${first.takerAddress}`)) as { transactionHash: string; slug: string }[];
    expect(rows.some((r) => r.transactionHash === first.txHash)).toBe(true);
    expect(rows[0]!.slug).toMatch(/nobel-peace-prize/);
    const markets = (await getJson(`${sb.urls.gamma}/markets?condition_ids=${first.conditionId}`)) as { clobTokenIds: string }[];
    expect(JSON.parse(markets[0]!.clobTokenIds)).toContain(first.tokenId);
  });
});
