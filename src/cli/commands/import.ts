/** `polytail import <files..> --out REC.duckdb`: Polymarket history files → a replayable recording. */
import type { CommandModule } from 'yargs';
import { ConfigError } from '../../core/errors.ts';
import { ImportError } from '../../import/import-error.ts';
import { importFiles, type ImportSummary } from '../../import/import-files.ts';

interface Args {
  files: string[];
  out: string;
  minRepeatRows: number;
  prints: boolean;
}

export const importCommand: CommandModule<object, Args> = {
  command: 'import <files..>',
  describe:
    'import Polymarket history (Data API /activity or /trades JSON/CSV, Gamma markets/events JSON/JSONL(.gz), CLOB book/price_change frames, resolutions JSON) into a recording',
  builder: (y) =>
    y
      .positional('files', {
        type: 'string',
        array: true,
        demandOption: true,
        describe: 'input files; the format is detected from each file',
      })
      .option('out', { type: 'string', demandOption: true, describe: 'recording to create or add to (.duckdb)' })
      .option('min-repeat-rows', {
        type: 'number',
        default: 20,
        describe: 'shortest block of repeated rows dropped as a pagination repeat (docs/recordings.md)',
      })
      .option('prints', {
        type: 'boolean',
        default: true,
        describe: 'also record imported trades as prints on the tape (marks for replay)',
      }) as never,
  handler: async (args) => {
    let summary: ImportSummary;
    try {
      summary = await importFiles(args.files, args.out, { minRepeatRows: args.minRepeatRows, prints: args.prints });
    } catch (err) {
      if (err instanceof ImportError) throw new ConfigError(`import failed, nothing was written: ${err.message}`);
      throw err;
    }
    process.stdout.write(formatImportSummary(summary));
  },
};

export function formatImportSummary(s: ImportSummary): string {
  const lines = [`Imported into ${s.out}:`];
  for (const f of s.files) {
    const parts = [`${f.rows} ${f.rows === 1 ? 'record' : 'records'} (${f.format})`];
    if (f.trades) parts.push(`${f.trades} trades`);
    if (f.repeatsDropped) parts.push(`${f.repeatsDropped} pagination repeats dropped`);
    if (f.identicalKept) parts.push(`${f.identicalKept} identical fills kept`);
    if (f.nonTrade) parts.push(`${f.nonTrade} non-TRADE rows`);
    if (f.markets) parts.push(`${f.markets} markets`);
    if (f.bookSnapshots) parts.push(`${f.bookSnapshots} book snapshots`);
    if (f.bookChanges) parts.push(`${f.bookChanges} level changes`);
    if (f.resolutions) parts.push(`${f.resolutions} resolutions`);
    lines.push(`  ${f.path}: ${parts.join(', ')}`);
  }
  if (s.duplicatesAcrossFiles) lines.push(`  ${s.duplicatesAcrossFiles} trades already in the recording or an earlier file were skipped`);
  if (s.inferredMarkets)
    lines.push(`  ${s.inferredMarkets} markets had no metadata: inferred from their trades (tick 0.01 or 0.001, min size 5)`);
  lines.push(
    '  rows added: ' +
      Object.entries(s.added)
        .map(([t, n]) => `${t} ${n}`)
        .join(', '),
  );
  lines.push(
    '  recording now holds: ' +
      Object.entries(s.totals)
        .filter(([, n]) => n > 0)
        .map(([t, n]) => `${t} ${n}`)
        .join(', '),
  );
  return lines.join('\n') + '\n';
}
