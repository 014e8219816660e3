/**
 * `polytail attach` in-process: the real Ink TUI on a RemoteEngine against a served sandbox paper
 * session. Keys steer the session through the API, a viewer's keys are refused and change nothing,
 * several clients watch at once, and quitting a client leaves the session running.
 */
import React from 'react';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cleanup, render } from 'ink-testing-library';
import { RemoteEngine } from '../../../src/server/client/remote-engine.ts';
import type { Sandbox } from '../../../src/sandbox/index.ts';
import { App } from '../../../src/tui/app.tsx';
import { SessionModel } from '../../../src/tui/session-model.ts';
import { startFastSandbox } from '../modes/helpers.ts';
import { inputReady, pressKeys } from '../../tui/helpers.ts';
import { waitUntil } from '../../helpers/wait.ts';
import { call, serveSandboxSession, type Served } from './helpers.ts';

let sb: Sandbox;
let served: Served;
beforeAll(async () => {
  sb = await startFastSandbox();
  served = await serveSandboxSession(sb);
});
afterAll(async () => {
  cleanup();
  await served?.stop();
  await sb?.stop();
});

async function attach(role: 'viewer' | 'trader') {
  const model = new SessionModel();
  const remote = await RemoteEngine.connect({
    url: served.server.url,
    token: served.tokens[role],
    listener: model,
    onNote: (level, message) => model.note(remote.snapshot().nowMs, message, level, 'attach'),
  });
  let quits = 0;
  const r = render(<App model={model} view={remote} commands={remote} detach onQuit={() => quits++} refreshMs={50} />);
  await inputReady(r.stdin);
  return { model, remote, r, quits: () => quits, press: (...keys: string[]) => pressKeys(r, keys) };
}

describe('polytail attach: the TUI over the control API', () => {
  it('shows the session, steers it with a trader token, refuses a viewer, and detaches', async () => {
    const trader = await attach('trader');
    const viewer = await attach('viewer');
    const { surface } = served;
    // The feed arrives over the stream: decisions the session made, with their why.
    await waitUntil(() => trader.model.snapshot(trader.remote).feed.some((row) => row.decision), 'a decision in the attached feed', {
      timeoutMs: 60_000,
    });
    expect(trader.r.lastFrame()).toMatch(/paper/i);

    await trader.press('p');
    await waitUntil(() => surface.view.snapshot().riskState === 'paused', 'the session paused by the trader');
    // Every viewer sees it.
    await waitUntil(() => viewer.remote.snapshot().riskState === 'paused', 'the viewer to see the pause');

    // A viewer's p is refused by the server; nothing changes, and the refusal is in its log.
    await viewer.press('p');
    await waitUntil(
      () => viewer.model.snapshot(viewer.remote).logs.some((l) => /refused: forbidden/.test(l.message)),
      'the refusal in the viewer log',
    );
    expect(surface.view.snapshot().riskState).toBe('paused');

    // p toggles on what the trader's screen shows, so resume once the pause has reached it (as a user would).
    await waitUntil(() => /PAUSED/.test(trader.r.lastFrame() ?? ''), 'the trader’s header to show PAUSED');
    await trader.press('p');
    await waitUntil(() => surface.view.snapshot().riskState === 'active', 'the session resumed');

    // + on the Targets panel raises the selected target's multiplier on the server.
    const id = surface.view.snapshot().strategies[0]!.id;
    const before = surface.view.snapshot().strategies[0]!.multiplier!;
    await trader.press('5', '+');
    await waitUntil(() => surface.view.snapshot().strategies.find((s) => s.id === id)!.multiplier! > before, 'a raised multiplier');

    // The why-overlay on a decision of the feed.
    await trader.press('1', '\r');
    expect(trader.r.lastFrame()).toMatch(/Why\? /);
    await trader.press('\u001B');

    // Quitting detaches: the session keeps running and deciding.
    await trader.press('q');
    expect(trader.quits()).toBe(1);
    trader.remote.close();
    viewer.remote.close();
    const decided = session().stats.targetTrades;
    await waitUntil(() => session().stats.targetTrades > decided, 'a target trade after detaching');
    expect((await call(served.server.url, 'GET', '/api/status', served.tokens.viewer)).status).toBe(200);
  });

  it('a refused token cannot attach', async () => {
    await expect(
      RemoteEngine.connect({ url: served.server.url, token: `ptk_${'0'.repeat(12)}_${'A'.repeat(43)}`, listener: {} }),
    ).rejects.toThrow(/refused the token \(401\)/);
  });
});

function session() {
  return served.session.engine;
}
