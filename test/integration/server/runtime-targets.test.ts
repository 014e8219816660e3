/**
 * Targets added and removed over the API while a sandbox paper session runs: the new wallet's trades
 * from then on are copied (none from before), its removal stops its decisions and keeps its
 * positions, and a removed target can be added again.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Decision } from '../../../src/core/ports.ts';
import type { Sandbox } from '../../../src/sandbox/index.ts';
import { startFastSandbox, waitFor } from '../modes/helpers.ts';
import { call, serveSandboxSession, type Served } from './helpers.ts';

const SELLER = '0x2222222222222222222222222222222222222222';

let sb: Sandbox;
let served: Served;
const decisions: Decision[] = [];
const tradeTimes = new Map<string, number>();
beforeAll(async () => {
  sb = await startFastSandbox();
  served = await serveSandboxSession(sb);
  served.surface.subscribe({
    onDecision: (d) => void decisions.push(d),
    onEvent: (e) => void (e.type === 'target_trade' && e.key && tradeTimes.set(e.key, e.tsEvent)),
  });
});
afterAll(async () => {
  await served?.stop();
  await sb?.stop();
});

describe('targets at run time', () => {
  it('adds a wallet, copies its trades from then on, removes it, and adds it again', async () => {
    const url = served.server.url;
    const admin = served.tokens.admin;
    const addedMs = Date.now();
    const added = await call(url, 'POST', '/api/targets', admin, { wallet: SELLER, multiplier: 0.2, label: 'seller' });
    expect(added.status, added.text).toBe(200);
    expect(added.body).toMatchObject({ id: 'mirror:seller', kind: 'copy', wallets: [SELLER], multiplier: 0.2, paused: false });
    const mine = () => decisions.filter((d) => d.strategyId === 'mirror:seller');
    expect(await waitFor(() => mine().some((d) => d.action === 'copy'), 60_000)).toBe(true);
    // Only trades made after it was added (a second of slack for the sandbox's whole-second times).
    for (const d of mine()) expect(tradeTimes.get(d.causeKey!)!).toBeGreaterThanOrEqual(addedMs - 1000);

    const dup = await call(url, 'POST', '/api/targets', admin, { wallet: SELLER, label: 'seller' });
    expect(dup.status).toBe(409);

    const removed = await call(url, 'DELETE', '/api/targets/mirror:seller', admin);
    expect(removed.body).toMatchObject({ id: 'mirror:seller', stopped: true, paused: true });
    const after = mine().length;
    const whale = () => decisions.filter((d) => d.strategyId !== 'mirror:seller').length;
    const whaleBefore = whale();
    expect(await waitFor(() => whale() > whaleBefore + 5, 60_000)).toBe(true);
    expect(mine().length).toBe(after);
    expect((await call(url, 'POST', '/api/targets/mirror:seller/resume', admin, {})).status).toBe(409);

    const again = await call(url, 'POST', '/api/targets', admin, { wallet: SELLER, multiplier: 0.1, label: 'seller' });
    expect(again.status, again.text).toBe(200);
    expect(again.body).toMatchObject({ id: 'mirror:seller', multiplier: 0.1, paused: false });
    expect(again.body).not.toHaveProperty('stopped');
    expect(await waitFor(() => mine().length > after, 60_000)).toBe(true);

    // Bad input is refused with a reason, and nothing is added.
    const count = served.surface.view.strategies().length;
    const bad = await call(url, 'POST', '/api/targets', admin, { wallet: '0x12', strategy: '../../etc/evil' });
    expect(bad.status).toBe(400);
    expect((bad.body as { problems: string[] }).problems[0]).toMatch(/body\.wallet: expected a 0x-prefixed 40-hex-digit wallet address/);
    const path = await call(url, 'POST', '/api/strategies', admin, { name: '../strategies/x', params: {} });
    expect(path).toMatchObject({ status: 400, body: { error: expect.stringMatching(/not a path/) } });
    expect(served.surface.view.strategies()).toHaveLength(count);
  });
});
