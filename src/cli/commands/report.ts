/**
 * `polytail report REC [--run ID]`: reprint a stored run (the latest by default); `--sweep [ID]` a stored
 * sweep's ranking; `--list` the runs and sweeps stored.
 */
import type { CommandModule } from 'yargs';
import { ConfigError } from '../../core/errors.ts';
import { openRecording } from '../../modes/replay.ts';
import { storedSweeps, type StoredSweep } from '../../modes/sweep/stored-sweeps.ts';
import { renderReport } from '../../report/human-report.ts';
import type { RunSummary } from '../../report/summary.ts';
import type { RecordingStore } from '../../store/index.ts';
import { combinationCount, printSweep } from '../sweep-table.ts';

interface Args {
  recording: string;
  run?: string;
  sweep?: string;
  top: number;
  list: boolean;
  json: boolean;
}

export const reportCommand: CommandModule<object, Args> = {
  command: 'report <recording>',
  describe: 'reprint a stored replay run (latest by default) or sweep, or list them',
  builder: (y) =>
    y
      .positional('recording', { type: 'string', demandOption: true })
      .option('run', { type: 'string', describe: 'run id (see --list)' })
      .option('sweep', { type: 'string', describe: 'reprint a stored sweep: its id (see --list), or none for the latest' })
      .option('top', { type: 'number', default: 20, describe: 'sweep rows to print' })
      .option('list', { type: 'boolean', default: false, describe: 'list stored runs and sweeps' })
      .option('json', {
        type: 'boolean',
        default: false,
        describe: 'print the stored JSON (a run summary, or a sweep as `sweep --json` prints it)',
      })
      .conflicts('run', 'sweep') as never,
  handler: async (args) => {
    const store = await openRecording(args.recording, true);
    try {
      if (args.sweep !== undefined) return printStoredSweep(args, await storedSweeps(store));
      if (args.list) return await list(store, args.recording);
      const runs = await store.listRuns();
      if (runs.length === 0) {
        const sweeps = await storedSweeps(store);
        throw new ConfigError(
          `no runs stored in ${args.recording}: run \`polytail replay ${args.recording}\` first (bundled recordings need --save)` +
            (sweeps.length > 0
              ? `; it holds ${sweeps.length} sweep${sweeps.length > 1 ? 's' : ''}: \`polytail report ${args.recording} --sweep\``
              : ''),
        );
      }
      const run = args.run ? runs.find((r) => r.runId === args.run) : [...runs].sort((a, b) => a.createdMs - b.createdMs).at(-1);
      if (!run) throw new ConfigError(`no run ${args.run} in ${args.recording}; stored runs: ${runs.map((r) => r.runId).join(', ')}`);
      if (!run.summary) throw new ConfigError(`run ${run.runId} has no summary (it did not finish)`);
      const summary = run.summary as RunSummary;
      const hash = await store.fillsHash(run.runId);
      if (hash !== summary.fillsHash)
        process.stderr.write(`warning: the stored fills of ${run.runId} hash to ${hash}, the run reported ${summary.fillsHash}\n`);
      if (args.json) process.stdout.write(JSON.stringify(summary) + '\n');
      else process.stdout.write(renderReport(summary, process.stdout.columns || 100) + '\n');
    } finally {
      await store.close();
    }
  },
};

/** Runs, then sweeps, oldest first. */
async function list(store: RecordingStore, recording: string): Promise<void> {
  const runs = await store.listRuns();
  const sweeps = await storedSweeps(store);
  if (runs.length === 0 && sweeps.length === 0)
    throw new ConfigError(`nothing stored in ${recording}: replay or sweep it first (bundled recordings need --save)`);
  for (const r of runs) {
    const s = r.summary as RunSummary | undefined;
    process.stdout.write(
      `${r.runId}  ${new Date(r.createdMs).toISOString()}  ${r.mode}  ${r.fillModel}  seed ${r.seed}  PnL ${s ? s.pnl.total.toFixed(2) : '?'}\n`,
    );
  }
  for (const s of sweeps) {
    const best = s.rows[0];
    const top = best ? `  best ${JSON.stringify(best.combo)} (${s.objective} ${best.score === null ? 'n/a' : best.score.toFixed(2)})` : '';
    process.stdout.write(`${s.sweepId}  ${new Date(s.createdMs).toISOString()}  ${combinationCount(s)}  by ${s.objective}${top}\n`);
  }
}

/** The sweep `--sweep` names (the latest when it names none), as `polytail sweep` printed it. */
function printStoredSweep(args: Args, sweeps: StoredSweep[]): void {
  if (sweeps.length === 0)
    throw new ConfigError(`no sweeps stored in ${args.recording}: run \`polytail sweep ${args.recording} --grid …\` first`);
  const sweep = args.sweep ? sweeps.find((s) => s.sweepId === args.sweep) : sweeps.at(-1);
  if (!sweep)
    throw new ConfigError(`no sweep ${args.sweep} in ${args.recording}; stored sweeps: ${sweeps.map((s) => s.sweepId).join(', ')}`);
  printSweep(sweep, { json: args.json, top: args.top, storedMs: sweep.createdMs });
}
