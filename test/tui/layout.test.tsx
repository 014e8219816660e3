import React from 'react';
import { afterEach, describe, expect, it, vi } from 'vitest';

// Force colour support before Ink (and its chalk) load, so "no colour" is tested against a
// renderer that would otherwise emit escape codes.
vi.hoisted(() => {
  process.env.FORCE_COLOR = '1';
});

import { cleanup, render } from 'ink-testing-library';
import { App } from '../../src/tui/app.tsx';
import { noColorFromEnv } from '../../src/tui/run-tui.tsx';
import type { ReplayControl } from '../../src/core/replay-control.ts';
import { SessionModel } from '../../src/tui/session-model.ts';
import { FakeEngine, feedSession, frameShows, inputReady, orderFor, pressKeys, realTrades, renderSized } from './helpers.ts';

afterEach(() => cleanup());

const ESC = '\u001B[';
const stripAnsi = (s: string) => s.replace(/\u001B\[[0-9;?]*[A-Za-z]/g, '');

function session(mode: 'live' | 'paper' | 'replay') {
  const engine = new FakeEngine(mode);
  const model = new SessionModel();
  const trades = feedSession(model, 40);
  engine.holdPosition(trades[0]!, 21_600_000, 216_000_000);
  engine.holdPosition(trades[1]!, 5_000_000, 40_000_000);
  engine.orders = [orderFor(realTrades(1)[0]!, 'po-open-with-a-long-id-1', 5_000_000)];
  model.onAlert({
    tsMs: engine.now,
    level: 'critical',
    code: 'halted_daily_loss',
    message: 'daily loss $52.00 is over the $50.00 limit; every strategy halted until tomorrow',
  });
  return { engine, model };
}

const replay: ReplayControl = {
  paused: true,
  speed: 100,
  progress: 0.5,
  replayTimeMs: Date.UTC(2025, 9, 10, 9, 14, 3),
  togglePause() {},
  faster() {},
  slower() {},
  step() {},
};

describe('layout', () => {
  for (const mode of ['live', 'paper', 'replay'] as const) {
    it(`${mode}: every panel and overlay fits 80×24 (no line over 80 columns, under 24 lines)`, async () => {
      const { engine, model } = session(mode);
      const r = renderSized(<App model={model} view={engine} commands={engine} replay={mode === 'replay' ? replay : undefined} />, 80, 24);
      await inputReady(r.stdin);
      for (const key of ['1', '2', '3', '4', '5', '6', '7', '?', '\u001B', '1', '\r']) {
        await pressKeys({ stdin: r.stdin, frames: r.frames }, [key]);
        const lines = stripAnsi(r.lastFrame()).split('\n');
        expect(lines.length, `after ${JSON.stringify(key)}`).toBeLessThanOrEqual(23);
        for (const line of lines) expect([...line].length, `after ${JSON.stringify(key)}: "${line}"`).toBeLessThanOrEqual(80);
      }
      expect(stripAnsi(r.lastFrame())).toContain('Why?');
      r.unmount();
    });
  }

  it('the mode is named in text as well as colour', async () => {
    for (const mode of ['live', 'paper', 'replay'] as const) {
      const { engine, model } = session(mode);
      const r = render(<App model={model} view={engine} commands={engine} noColor />);
      const frame = await frameShows(r, (f) => f.length > 0, 'the first frame');
      expect(frame.split('\n')[0]).toContain(`[${mode.toUpperCase()}]`);
      r.unmount();
    }
  });

  it('noColor frames contain no escape codes; coloured frames do', async () => {
    const { engine, model } = session('live');
    const colored = render(<App model={model} view={engine} commands={engine} />);
    expect(await frameShows(colored, (f) => f.length > 0, 'the first frame')).toContain(ESC); // the control: this renderer does emit colour
    colored.unmount();
    const plain = render(<App model={model} view={engine} commands={engine} noColor />);
    await inputReady(plain.stdin);
    for (const key of ['1', '3', '5', '6', '7', '?', '\u001B', 'X']) {
      await pressKeys(plain, [key]);
      expect(plain.lastFrame(), `after ${JSON.stringify(key)}`).not.toContain('\u001B');
    }
    expect(plain.lastFrame()).toContain('KILL SWITCH');
  });

  it('NO_COLOR in the environment turns colour off unless empty', () => {
    expect(noColorFromEnv({ NO_COLOR: '1' })).toBe(true);
    expect(noColorFromEnv({ NO_COLOR: '' })).toBe(false);
    expect(noColorFromEnv({})).toBe(false);
  });

  it('redraws to the new size when the terminal is resized', async () => {
    const { engine, model } = session('paper');
    const r = renderSized(<App model={model} view={engine} commands={engine} />, 120, 30);
    await frameShows(r, (f) => stripAnsi(f).includes('Strategy'), 'the wide feed with its strategy column');
    r.resize(80, 24);
    // The narrow layout drops the strategy column.
    const narrow = await frameShows(r, (f) => f.length > 0 && !stripAnsi(f).includes('Strategy'), 'the 80-column layout');
    const lines = stripAnsi(narrow).split('\n');
    for (const line of lines) expect([...line].length).toBeLessThanOrEqual(80);
  });
});
