/** `polytail report REC [--run ID]`: reprint a stored run (the latest by default), or list the runs. */
import type { CommandModule } from 'yargs';
import { ConfigError } from '../../core/errors.ts';
import { openRecording } from '../../modes/replay.ts';
import { renderReport } from '../../report/human-report.ts';
import type { RunSummary } from '../../report/summary.ts';

interface Args {
  recording: string;
  run?: string;
  list: boolean;
  json: boolean;
}

export const reportCommand: CommandModule<object, Args> = {
  command: 'report <recording>',
  describe: 'reprint a stored replay run (latest by default) or list the runs',
  builder: (y) =>
    y
      .positional('recording', { type: 'string', demandOption: true })
      .option('run', { type: 'string', describe: 'run id (see --list)' })
      .option('list', { type: 'boolean', default: false, describe: 'list stored runs' })
      .option('json', { type: 'boolean', default: false, describe: 'print the stored JSON summary' }) as never,
  handler: async (args) => {
    const store = await openRecording(args.recording, true);
    try {
      const runs = await store.listRuns();
      if (runs.length === 0)
        throw new ConfigError(
          `no runs stored in ${args.recording}: run \`polytail replay ${args.recording}\` first (bundled recordings need --save)`,
        );
      if (args.list) {
        for (const r of runs) {
          const s = r.summary as RunSummary | undefined;
          process.stdout.write(
            `${r.runId}  ${new Date(r.createdMs).toISOString()}  ${r.mode}  ${r.fillModel}  seed ${r.seed}  PnL ${s ? s.pnl.total.toFixed(2) : '?'}\n`,
          );
        }
        return;
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
