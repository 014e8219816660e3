/**
 * Targets added and removed over the API while a sandbox paper session runs: the new wallet's trades
 * from then on are copied (none from before), its removal stops its decisions and keeps its
 * positions, and a removed target can be added again. Knobs: only those the strategy declares, within
 * their ranges, all or none.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Decision } from '../../../src/core/ports.ts';
import type { Sandbox } from '../../../src/sandbox/index.ts';
import { startFastSandbox } from '../modes/helpers.ts';
import { waitUntil } from '../../helpers/wait.ts';
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
    await waitUntil(() => mine().some((d) => d.action === 'copy'), 'a copy of the added wallet', { timeoutMs: 60_000 });
    // Only trades made after it was added (a second of slack for the sandbox's whole-second times).
    for (const d of mine()) expect(tradeTimes.get(d.causeKey!)!).toBeGreaterThanOrEqual(addedMs - 1000);

    const dup = await call(url, 'POST', '/api/targets', admin, { wallet: SELLER, label: 'seller' });
    expect(dup.status).toBe(409);

    const removed = await call(url, 'DELETE', '/api/targets/mirror:seller', admin);
    expect(removed.body).toMatchObject({ id: 'mirror:seller', stopped: true, paused: true });
    const after = mine().length;
    const whale = () => decisions.filter((d) => d.strategyId !== 'mirror:seller').length;
    const whaleBefore = whale();
    await waitUntil(() => whale() > whaleBefore + 5, 'five more decisions on the other target', { timeoutMs: 60_000 });
    expect(mine().length).toBe(after);
    expect((await call(url, 'POST', '/api/targets/mirror:seller/resume', admin, {})).status).toBe(409);

    const again = await call(url, 'POST', '/api/targets', admin, { wallet: SELLER, multiplier: 0.1, label: 'seller' });
    expect(again.status, again.text).toBe(200);
    expect(again.body).toMatchObject({ id: 'mirror:seller', multiplier: 0.1, paused: false });
    expect(again.body).not.toHaveProperty('stopped');
    await waitUntil(() => mine().length > after, 'decisions for the wallet added again', { timeoutMs: 60_000 });

    // Bad input is refused with a reason, and nothing is added.
    const count = served.surface.view.snapshot().strategies.length;
    const bad = await call(url, 'POST', '/api/targets', admin, { wallet: '0x12', strategy: '../../etc/evil' });
    expect(bad.status).toBe(400);
    expect((bad.body as { problems: string[] }).problems[0]).toMatch(/body\.wallet: expected a 0x-prefixed 40-hex-digit wallet address/);
    const path = await call(url, 'POST', '/api/strategies', admin, { name: '../strategies/x', params: {} });
    expect(path).toMatchObject({ status: 400, body: { error: expect.stringMatching(/not a path/) } });
    expect(served.surface.view.snapshot().strategies).toHaveLength(count);
  });

  it('lists the declared knobs with values and ranges, and turns only those, within range, all or none', async () => {
    const url = served.server.url;
    const { admin, trader } = served.tokens;
    const id = served.surface.view.snapshot().strategies[0]!.id;
    const path = `/api/strategies/${encodeURIComponent(id)}/knobs`;
    const listed = await call(url, 'GET', path, served.tokens.viewer);
    expect(listed.status, listed.text).toBe(200);
    expect(listed.body).toEqual([
      { name: 'multiplier', description: expect.any(String), value: expect.any(Number), min: 0.000001, max: 100 },
    ]);
    const before = (listed.body as { value: number }[])[0]!.value;
    const multiplier = () => served.surface.view.snapshot().strategies.find((s) => s.id === id)!.multiplier;

    const undeclared = await call(url, 'PATCH', path, admin, { multiplier: 0.3, speed: 2 });
    expect(undeclared.status).toBe(400);
    expect((undeclared.body as { error: string }).error).toMatch(/has no knob speed; its knobs: multiplier = [\d.]+ in \[0\.000001, 100\]/);
    expect(multiplier()).toBe(before);

    const tooBig = await call(url, 'POST', `/api/strategies/${encodeURIComponent(id)}/multiplier`, trader, { multiplier: 101 });
    expect(tooBig).toMatchObject({
      status: 400,
      body: { error: expect.stringMatching(/multiplier must be a number in \[0\.000001, 100\], got 101/) },
    });
    expect(multiplier()).toBe(before);

    const set = await call(url, 'PATCH', path, admin, { multiplier: 0.3333333 });
    expect(set.status, set.text).toBe(200);
    expect(set.body).toEqual([expect.objectContaining({ name: 'multiplier', value: 0.333333 })]);
    expect(multiplier()).toBe(0.333333);
    expect((await call(url, 'PATCH', path, admin, {})).status).toBe(400);
    expect((await call(url, 'PATCH', path, trader, { multiplier: 1 })).status).toBe(403); // other knobs are an admin's
  });
});
