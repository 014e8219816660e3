/** `polytail sweep REC --grid KEY=V1,V2 ...`: every combination, ranked on training, checked on held-out data. */
import type { CommandModule } from 'yargs';
import { notice } from '../notice.ts';
import { checkCommonArgs, positive } from '../check-args.ts';
import { availableParallelism } from 'node:os';
import { existsSync } from 'node:fs';
import { ConfigError } from '../../core/errors.ts';
import { parseGrid } from '../../modes/sweep/grid.ts';
import { objectiveNames } from '../../modes/sweep/objectives.ts';
import { runSweep } from '../../modes/sweep/sweep.ts';
import { printSweep } from '../sweep-table.ts';
import { BUNDLED_DEFAULT, replayConfig, withReplayOptions, type ReplayArgs } from './replay-options.ts';
import { isBundled } from './replay.ts';

interface Args extends ReplayArgs {
  grid: string[];
  train: number;
  workers: number;
  objective: string;
  json: boolean;
  save?: boolean;
  top: number;
}

export const sweepCommand: CommandModule<object, Args> = {
  command: 'sweep [recording]',
  describe: 'replay every combination of a parameter grid (worker threads) and rank them',
  builder: (y) =>
    withReplayOptions(y)
      .positional('recording', { type: 'string', default: BUNDLED_DEFAULT })
      .option('grid', {
        type: 'string',
        array: true,
        demandOption: true,
        describe:
          'KEY=V1,V2,... (repeatable); KEY is any config path: multiplier, risk.maxOrderUsdc, fillModel, latencyMs, targets.0.params.minTargetUsdc...',
      })
      .option('train', { type: 'number', default: 0.7, describe: 'fraction of the time span to rank on; the rest is held out' })
      .option('workers', { type: 'number', default: Math.max(1, availableParallelism() - 0), describe: 'worker threads' })
      .option('objective', { choices: objectiveNames(), default: 'pnl', describe: 'what to rank by (on the training window)' })
      .option('json', { type: 'boolean', default: false, describe: 'print a JSON array of results, nothing else' })
      .option('save', { type: 'boolean', describe: 'store results in the recording (default: yes, except bundled recordings)' })
      .option('top', { type: 'number', default: 20, describe: 'rows to print' }) as never,
  handler: async (args) => {
    if (!existsSync(args.recording)) throw new ConfigError(`recording not found: ${args.recording}`);
    checkCommonArgs(args);
    positive('--workers', args.workers, 'e.g. 2');
    const axes = parseGrid(args.grid);
    const config = replayConfig(args);
    const progress = progressBar();
    const result = await runSweep({
      recording: args.recording,
      config,
      overrides: { targets: args.target, strategy: args.strategy, multiplier: args.multiplier },
      axes,
      train: args.train,
      workers: args.workers,
      objective: args.objective,
      save: args.save ?? !isBundled(args.recording),
      onProgress: progress,
      onNotice: notice,
    });
    process.stderr.write('\n');
    printSweep(result, { json: args.json, top: args.top });
    if (result.rows.length === 0 && result.errors.length > 0) {
      const first = result.errors[0]!;
      throw new ConfigError(
        `every combination failed (${result.errors.length}); the first, ${JSON.stringify(first.combo)}: ${first.message}`,
      );
    }
  },
};

function progressBar() {
  return (done: number, total: number, elapsedMs: number) => {
    const width = 30;
    const filled = Math.round((done / total) * width);
    const eta = done > 0 ? ((elapsedMs / done) * (total - done)) / 1000 : 0;
    process.stderr.write(
      `\r[${'█'.repeat(filled)}${'░'.repeat(width - filled)}] ${done}/${total}  ${(elapsedMs / 1000).toFixed(1)}s  ETA ${eta.toFixed(1)}s `,
    );
  };
}
