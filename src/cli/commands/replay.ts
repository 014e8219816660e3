/** `polytail replay REC`: a recording through the engine, in the TUI or as a report. */
import type { CommandModule } from 'yargs';
import { notice } from '../notice.ts';
import { checkCommonArgs, checkWindow } from '../check-args.ts';
import { existsSync } from 'node:fs';
import { resolve, sep } from 'node:path';
import { packageRoot } from '../../strategy/loader.ts';
import { ConfigError } from '../../core/errors.ts';
import { runReplay } from '../../modes/replay.ts';
import { renderReport } from '../../report/human-report.ts';
import { BUNDLED_DEFAULT, parseTime, replayConfig, withReplayOptions, type ReplayArgs } from './replay-options.ts';
import { replayInTui } from './replay-tui.ts';

interface Args extends ReplayArgs {
  tui: boolean;
  json: boolean;
  save?: boolean;
  speed: number;
  'as-session'?: string;
}

/** Recordings shipped in recordings/ are part of the checkout: runs are not written into them unless asked. */
export function isBundled(path: string): boolean {
  return resolve(path).startsWith(resolve(packageRoot, 'recordings') + sep);
}

export const replayCommand: CommandModule<object, Args> = {
  command: 'replay [recording]',
  describe: 'replay a recording through the engine and report copies, skips and PnL',
  builder: (y) =>
    withReplayOptions(y)
      .positional('recording', { type: 'string', default: BUNDLED_DEFAULT, describe: 'a .duckdb recording' })
      .option('tui', { type: 'boolean', default: true, describe: 'show the terminal UI when stdout is a terminal (--no-tui for a report)' })
      .option('json', { type: 'boolean', default: false, describe: 'print one JSON object with the results, nothing else' })
      .option('save', {
        type: 'boolean',
        describe: 'store the run in the recording (default: yes, except for the bundled recordings, which stay untouched)',
      })
      .option('as-session', {
        type: 'string',
        describe:
          'a paper session’s run id in this recording: replay with its ids and its targets’ opening positions (same config ⇒ same fills hash)',
      })
      .option('speed', { type: 'number', default: 120, describe: 'TUI playback speed, × real time' }) as never,
  handler: async (args) => {
    if (!existsSync(args.recording)) throw new ConfigError(`recording not found: ${args.recording} (bundled ones are in recordings/)`);
    checkCommonArgs(args);
    const config = replayConfig(args);
    const from = parseTime(args.from, 'from');
    const to = parseTime(args.to, 'to');
    checkWindow(from, to);
    const options = {
      recording: args.recording,
      config,
      targets: args.target?.map((t) => t.toLowerCase()),
      strategy: args.strategy,
      multiplier: args.multiplier,
      from,
      to,
      save: args.save ?? !isBundled(args.recording),
      asSession: args['as-session'],
      onNotice: notice,
    };
    if (args.tui && !args.json && process.stdout.isTTY) {
      await replayInTui(options, args.speed);
      return;
    }
    const { summary } = await runReplay(options);
    if (args.json) process.stdout.write(JSON.stringify(summary) + '\n');
    else process.stdout.write(renderReport(summary, process.stdout.columns || 100) + '\n');
  },
};
