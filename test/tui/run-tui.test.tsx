import { EventEmitter } from 'node:events';
import { describe, expect, it } from 'vitest';
import { runTui } from '../../src/tui/run-tui.tsx';
import { SessionModel } from '../../src/tui/session-model.ts';
import { FakeEngine, feedSession, inputReady, waitFor } from './helpers.ts';

function fakeTerminal() {
  const out: string[] = [];
  const stdout = Object.assign(new EventEmitter(), { columns: 80, rows: 24, isTTY: true, write: (s: string) => (out.push(s), true) });
  const stdin = Object.assign(new EventEmitter(), {
    isTTY: true,
    data: null as string | null,
    rawMode: false,
    setEncoding() {},
    resume() {},
    pause() {},
    ref() {},
    unref() {},
    setRawMode(on: boolean) {
      stdin.rawMode = on;
    },
    read() {
      const d = stdin.data;
      stdin.data = null;
      return d;
    },
    write(data: string) {
      stdin.data = data;
      stdin.emit('readable');
    },
  });
  return { out, stdout, stdin };
}

describe('runTui', () => {
  it('draws on the given terminal, resolves on q, and leaves the alternate screen and raw mode', async () => {
    const engine = new FakeEngine('replay');
    const model = new SessionModel();
    feedSession(model, 5);
    const term = fakeTerminal();
    const done = runTui({
      model,
      view: engine,
      commands: engine,
      stdout: term.stdout as never,
      stdin: term.stdin as never,
      stderr: term.stdout as never,
      alternateScreen: true,
      patchConsole: false,
    });
    await waitFor(() => term.stdin.rawMode, 'raw mode on');
    await inputReady(term.stdin);
    term.stdin.write('q');
    await done;
    const all = term.out.join('');
    expect(all.startsWith('\u001B[?1049h')).toBe(true);
    expect(all).toContain('REPLAY');
    expect(all.endsWith('\u001B[?1049l')).toBe(true);
    expect(term.stdin.rawMode).toBe(false);
  });
});
