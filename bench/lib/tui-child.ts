/**
 * One paced replay in its own process, headless or with the TUI drawing to a fake 120×40 terminal
 * that discards output. Prints one JSON line: CPU (user+system) over the measured window as % of
 * one core. Usage: node --import tsx bench/lib/tui-child.ts headless|tui RECORDING WALLET RATE WARMUP_S MEASURE_S
 */
import { EventEmitter } from 'node:events';
import { parseConfig } from '../../src/config/config.ts';
import { runReplay } from '../../src/modes/replay.ts';
import { SessionModel, runTui } from '../../src/tui/index.ts';
import type { Engine } from '../../src/engine/engine.ts';
import { FixedRatePacer } from './fixed-rate-pacer.ts';

const [mode, recording, wallet, rateText, warmupText, measureText] = process.argv.slice(2);
if (mode !== 'headless' && mode !== 'tui') throw new Error(`tui-child: mode must be headless or tui, got ${mode}`);
const rate = Number(rateText);
const warmupMs = Number(warmupText) * 1000;
const measureMs = Number(measureText) * 1000;

function fakeTerminal() {
  let bytes = 0;
  const stdout = Object.assign(new EventEmitter(), {
    columns: 120,
    rows: 40,
    isTTY: true,
    write: (s: string) => ((bytes += s.length), true),
  });
  const stdin = Object.assign(new EventEmitter(), {
    isTTY: true,
    data: null as string | null,
    setEncoding() {},
    resume() {},
    pause() {},
    ref() {},
    unref() {},
    setRawMode() {},
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
  return { stdout, stdin, bytes: () => bytes };
}

const pacer = new FixedRatePacer(rate);
const abort = new AbortController();
const model = new SessionModel();
const term = fakeTerminal();
let tui: Promise<void> | undefined;
const replay = runReplay({
  recording,
  config: parseConfig({ startingCashUsdc: 1_000_000, fillModel: 'target-price', risk: { maxOrderUsdc: 1_000 } }),
  targets: [wallet!],
  strategy: 'mirror',
  multiplier: 0.5,
  save: false,
  pacer,
  signal: abort.signal,
  listeners: mode === 'tui' ? [model] : [],
  onEngine: (engine: Engine) => {
    if (mode === 'tui')
      tui = runTui({
        model,
        view: engine.control,
        commands: engine.control,
        stdout: term.stdout as never,
        stdin: term.stdin as never,
        stderr: term.stdout as never,
        patchConsole: false,
      });
  },
});

await new Promise((r) => setTimeout(r, warmupMs));
const cpu0 = process.cpuUsage();
const wall0 = performance.now();
const events0 = pacer.eventsReleased;
await new Promise((r) => setTimeout(r, measureMs));
const cpu = process.cpuUsage(cpu0);
const wallMs = performance.now() - wall0;
const events = pacer.eventsReleased - events0;
abort.abort();
if (tui) {
  term.stdin.write('q');
  await tui;
}
await replay;
const cpuMs = (cpu.user + cpu.system) / 1000;
process.stdout.write(
  JSON.stringify({
    mode,
    cpuPct: (cpuMs / wallMs) * 100,
    wallMs,
    events,
    eventsPerS: (events / wallMs) * 1000,
    bytesWritten: term.bytes(),
  }) + '\n',
);
