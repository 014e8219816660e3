/** `polytail import <files..> --out REC.duckdb`: Polymarket history files → a replayable recording. */
import type { CommandModule } from 'yargs';
import { notice } from '../notice.ts';
import { ConfigError } from '../../core/errors.ts';
import { parseColumnMap } from '../../import/field-map.ts';
import { ImportError } from '../../import/import-error.ts';
import { importFiles, type ImportSummary } from '../../import/import-files.ts';

interface Args {
  files: string[];
  out: string;
  minRepeatRows: number;
  prints: boolean;
  map?: string[];
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
      .option('map', {
        type: 'string',
        array: true,
        describe:
          'their_column=field for trade rows with other column names (fields: wallet, token, side, size, price, time, tx, market, ...)',
      })
      .option('prints', {
        type: 'boolean',
        default: true,
        describe: 'also record imported trades as prints on the tape (marks for replay)',
      }) as never,
  handler: async (args) => {
    let summary: ImportSummary;
    try {
      summary = await importFiles(args.files, args.out, {
        minRepeatRows: args.minRepeatRows,
        prints: args.prints,
        map: parseColumnMap(args.map),
        onNotice: notice,
      });
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
  if (s.alreadyPresent) lines.push(`  ${s.alreadyPresent} other rows already in the recording or an earlier file were skipped`);
  if (Object.keys(s.added).length === 0) lines.push('  nothing new: the recording already holds every row');
  if (s.inferredMarkets)
    lines.push(`  ${s.inferredMarkets} markets had no metadata: inferred from their trades (tick 0.01 or 0.001, min size 5)`);
  if (Object.keys(s.added).length > 0)
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
