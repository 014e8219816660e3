// Starts the TUI on the real terminal and resolves when the user quits (q or Ctrl+C).
import React from 'react';
import { render } from 'ink';
import type { EngineCommands, EngineView } from '../core/control.ts';
import { App } from './app.tsx';
import type { ReplayControl } from '../core/replay-control.ts';
import type { SessionModel } from './session-model.ts';

export interface RunTuiOptions {
  model: SessionModel;
  view: EngineView;
  commands: EngineCommands;
  replay?: ReplayControl;
  /** Defaults to true when the NO_COLOR environment variable is set and not empty. */
  noColor?: boolean;
  refreshMs?: number;
  stdin?: NodeJS.ReadStream;
  stdout?: NodeJS.WriteStream;
  stderr?: NodeJS.WriteStream;
  /** Route console.* output above the UI instead of through it. @default true */
  patchConsole?: boolean;
  /** Attached to a served session: q detaches (no open-orders prompt). */
  detach?: boolean;
  /** Use the terminal's alternate screen, so quitting restores what was there. @default true on a TTY */
  alternateScreen?: boolean;
}

const ENTER_ALT_SCREEN = '\u001B[?1049h\u001B[H';
const LEAVE_ALT_SCREEN = '\u001B[?1049l';

/** Whether NO_COLOR (https://no-color.org) asks for no colour. */
export function noColorFromEnv(env: NodeJS.ProcessEnv = process.env): boolean {
  return env.NO_COLOR !== undefined && env.NO_COLOR !== '';
}

export async function runTui(opts: RunTuiOptions): Promise<void> {
  const stdout = opts.stdout ?? process.stdout;
  const alternate = opts.alternateScreen ?? Boolean(stdout.isTTY);
  const leave = () => {
    if (alternate) stdout.write(LEAVE_ALT_SCREEN);
  };
  if (alternate) stdout.write(ENTER_ALT_SCREEN);
  // If the process dies some other way, still give the user their screen back.
  process.once('exit', leave);
  const instance = render(
    <App
      model={opts.model}
      view={opts.view}
      commands={opts.commands}
      replay={opts.replay}
      detach={opts.detach}
      noColor={opts.noColor ?? noColorFromEnv()}
      refreshMs={opts.refreshMs}
    />,
    // Undefined keys would override Ink's defaults (process.stdin/stderr): pass only what is set.
    {
      stdout,
      stdin: opts.stdin ?? process.stdin,
      stderr: opts.stderr ?? process.stderr,
      exitOnCtrlC: true,
      patchConsole: opts.patchConsole ?? true,
      maxFps: 10,
    },
  );
  try {
    await instance.waitUntilExit();
  } finally {
    instance.cleanup();
    process.removeListener('exit', leave);
    leave();
  }
}
