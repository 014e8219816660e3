import React from 'react';
import { afterEach, describe, expect, it } from 'vitest';
import { cleanup, render } from 'ink-testing-library';
import { App } from '../../src/tui/app.tsx';
import type { ReplayControl } from '../../src/core/replay-control.ts';
import { SessionModel } from '../../src/tui/session-model.ts';
import {
  FakeEngine,
  feedSession,
  orderFor,
  ORDER_CHECK,
  pressKeys,
  realTrades,
  SLIPPAGE_CHECK,
  skipDecision,
  STRATEGY,
  inputReady,
  waitFor,
} from './helpers.ts';

afterEach(() => cleanup());

async function start(
  mode: 'live' | 'paper' | 'replay' = 'paper',
  replay?: ReplayControl,
  setup?: (engine: FakeEngine, model: SessionModel) => void,
) {
  const engine = new FakeEngine(mode);
  const model = new SessionModel();
  const trades = feedSession(model, 12);
  setup?.(engine, model);
  let quits = 0;
  const r = render(<App model={model} view={engine} commands={engine} replay={replay} onQuit={() => quits++} />);
  await inputReady(r.stdin);
  const press = async (...keys: string[]) => {
    await pressKeys(r, keys);
    return r.lastFrame() ?? '';
  };
  return { engine, model, trades, press, frame: () => r.lastFrame() ?? '', quits: () => quits };
}

describe('keys', () => {
  it('? shows every key in a help overlay; esc closes it', async () => {
    const { press } = await start();
    const help = await press('?');
    for (const k of ['q', 'p', 'space', 'X', '+ / -', 'tab / S-tab', '1..7', 'enter', '/', 'c', 'r', '?']) expect(help).toContain(k);
    expect(help).toContain('kill switch');
    const closed = await press('\u001B');
    expect(closed).not.toContain('kill switch');
    expect(closed).toContain('✗ below_min_notional');
  });

  it('p pauses all strategies, p again resumes', async () => {
    const { engine, press } = await start();
    const paused = await press('p');
    expect(engine.calls).toEqual(['pauseAll:paused from the TUI']);
    expect(paused).toContain('risk PAUSED');
    await press('p');
    expect(engine.calls).toEqual(['pauseAll:paused from the TUI', 'resumeAll']);
  });

  it('X asks first; y engages the kill switch, n does not', async () => {
    const { engine, press } = await start();
    const asked = await press('X');
    expect(asked).toContain('KILL SWITCH: cancel every order and halt trading? (y/n)');
    expect(engine.calls).toEqual([]);
    await press('n');
    expect(engine.calls).toEqual([]);
    const done = await press('X', 'y');
    expect(engine.calls).toEqual(['killSwitch:kill switch from the TUI']);
    expect(done).toContain('risk HALTED');
  });

  it('+ and - step the selected target multiplier and show the projected exposure', async () => {
    // 100 shares marked at 0.99 = $99
    const { engine, press } = await start('paper', undefined, (e) => e.holdPosition(realTrades(1)[0]!, 100_000_000, 1_000_000_000));
    const up = await press('5', '+');
    expect(engine.calls).toEqual([`setMultiplier:${STRATEGY}:1.25`]);
    expect(up).toContain('×1.00 → ×1.25 exposure $99.00 → $123.75 (+$24.75)');
    expect(up).toMatch(/tail-redcaterpillar .* 1\.25 /);
    await press('j', '-');
    expect(engine.calls[1]).toBe('setMultiplier:fade-djangodja:0.25');
  });

  it('space pauses and resumes the selected target', async () => {
    const { engine, press } = await start();
    await press('5', 'j', ' ');
    expect(engine.calls).toEqual(['resumeStrategy:fade-djangodja']);
    await press('k', ' ');
    expect(engine.calls[1]).toBe(`pauseStrategy:${STRATEGY}:paused from the TUI`);
  });

  it('enter explains the selected decision: every check with value vs limit, and the details', async () => {
    const { model, press, trades, frame } = await start();
    const t = trades[11]!;
    model.onEvent({ ...t, key: 'denied-1', seq: 99 });
    model.onDecision({
      ...skipDecision({ ...t, key: 'denied-1' }, 'max_slippage', 'price moved 2.5% past the target', [ORDER_CHECK, SLIPPAGE_CHECK]),
    });
    await waitFor(() => frame().includes('✗ max_slippage'), 'the new row to be drawn');
    const why = await press('\r');
    expect(why).toContain('✗ deny: max_slippage');
    expect(why).toContain('price moved 2.5% past the target');
    expect(why).toMatch(/max_order_usdc .*ok .*\$4\.32 .*\$50\.00 .*order within the cap/);
    expect(why).toMatch(/max_slippage .*FAIL .*250 bps .*100 bps .*250 bps worse/);
    expect(why).toContain('wantedUsdcMicros=$0.42');
    const closed = await press('\u001B');
    expect(closed).not.toContain('250 bps worse');
  });

  it('/ filters the feed: type, enter applies, esc clears', async () => {
    const { press } = await start();
    const all = await press('1');
    expect(all).toContain('Down · ');
    expect(all).toContain('✓ copy');
    const typing = await press('/', 'b', 'e', 'l', 'o', 'x', '\u007F', 'w');
    expect(typing).toContain('/ filter: below');
    const filtered = await press('\r');
    expect(filtered).toContain('✗ below_min_notional');
    expect(filtered).not.toContain('✓ copy');
    expect(filtered).toContain('[filter: below]');
    const cleared = await press('\u001B');
    expect(cleared).toContain('✓ copy');
  });

  it('q in live with open orders asks first; y quits', async () => {
    const { engine, press, quits } = await start('live');
    engine.orders = [orderFor(realTrades(1)[0]!, 'po-open', 5_000_000)]; // placed after the last redraw
    const asked = await press('q');
    expect(asked).toContain('1 order(s) still open on the exchange. Quit anyway? (y/n)');
    expect(quits()).toBe(0);
    await press('y');
    expect(quits()).toBe(1);
  });

  it('q quits at once in paper, and Ctrl+C always quits', async () => {
    const a = await start('paper');
    await a.press('q');
    expect(a.quits()).toBe(1);
    const b = await start('live');
    b.engine.orders = [orderFor(realTrades(1)[0]!, 'po-open', 5_000_000)];
    await b.press('\u0003');
    expect(b.quits()).toBe(1);
  });

  it('c cancels the selected open order; r resyncs', async () => {
    const { engine, press } = await start('paper', undefined, (e) => {
      e.orders = [orderFor(realTrades(1)[0]!, 'po-a', 1_000_000), orderFor(realTrades(1)[0]!, 'po-b', 1_000_000)];
    });
    await press('4', 'j', 'c', 'r');
    expect(engine.calls).toEqual(['cancelOrder:po-b', 'resync']);
  });

  it('tab and shift-tab move between panels', async () => {
    const { press } = await start();
    expect(await press('\t')).toContain('[2 Positions]');
    expect(await press('\t')).toContain('Realized');
    expect(await press('\u001B[Z', '\u001B[Z', '\u001B[Z')).toContain('[7 Logs]');
  });

  it('in replay p pauses the replay clock (not the strategies), . steps, > and < change speed', async () => {
    const calls: string[] = [];
    const replay: ReplayControl = {
      paused: false,
      speed: 10,
      progress: 0.25,
      replayTimeMs: Date.UTC(2025, 9, 10, 9, 14, 3),
      togglePause() {
        calls.push('toggle');
        (this as { paused: boolean }).paused = !this.paused;
      },
      faster() {
        calls.push('faster');
        (this as { speed: number }).speed *= 2;
      },
      slower() {
        calls.push('slower');
        (this as { speed: number }).speed /= 2;
      },
      step() {
        calls.push('step');
      },
    };
    const { engine, press, frame } = await start('replay', replay);
    expect(frame()).toContain('REPLAY');
    expect(frame()).toContain('2025-10-10 09:14:03');
    expect(frame()).toContain('▶ playing 10x 25%');
    const paused = await press('p');
    expect(paused).toContain('⏸ PAUSED');
    expect(engine.calls).toEqual([]);
    await press('.', 's', '>', '<');
    expect(calls).toEqual(['toggle', 'step', 'step', 'faster', 'slower']);
    const help = await press('?');
    expect(help).toContain('p pauses the replay clock, not the strategies');
  });
});
