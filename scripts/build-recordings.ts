/**
 * Rebuilds the bundled recordings in recordings/ from a folder of real Polymarket data named on the
 * command line (it holds activity/ and trades/ with the files listed below; see recordings/README.md).
 * Run: node --import tsx scripts/build-recordings.ts DATA_DIR
 * Nothing is read unless a folder is given: the recordings are committed, a clone never needs this.
 */
import { existsSync, rmSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { importFiles } from '../src/import/import-files.ts';
import { formatImportSummary } from '../src/cli/commands/import.ts';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const [dataArg, ...extra] = process.argv.slice(2);
if (!dataArg || extra.length > 0) {
  console.error('Usage: node --import tsx scripts/build-recordings.ts DATA_DIR (the folder holding activity/ and trades/)');
  process.exit(2);
}
const data = resolve(dataArg);
if (!existsSync(data)) {
  console.error(`No data at ${data}: give the folder holding activity/ and trades/.`);
  process.exit(2);
}

const recordings = [
  {
    out: 'nobel-peace-prize-2025.duckdb',
    files: ['trades/nobel-peace-prize-2025-tape.csv', 'trades/nobel-peace-prize-2025-resolutions.json'],
    origin:
      'Data API /trades tape of the event nobel-peace-prize-winner-2025 (2025-10-10 08:23-12:09 UTC) and its resolutions; ' +
      'tape from github.com/ibalgo/insider-trading-prediction @193e019, resolutions from the public record (Machado won).',
  },
  {
    out: 'btc-15m-2025-12-03.duckdb',
    files: ['activity/wallet-0x05c1-btc15m-2025-12-03.csv', 'activity/wallet-0x0fd4-btc15m-2025-12-03.csv'],
    origin:
      'Data API /activity of wallets 0x05c1882212a41aa8d7df5b70eebe03d9319345b7 and 0x0fd419c486d1f53c92cd09c3c52eca61d6367750 ' +
      'in "Bitcoin Up or Down" 15-minute markets, 2025-12-03; from github.com/Quentinlac/poly @3226995. No resolutions.',
  },
];

for (const r of recordings) {
  const out = join(root, 'recordings', r.out);
  rmSync(out, { force: true });
  rmSync(`${out}.wal`, { force: true });
  const summary = await importFiles(
    r.files.map((f) => join(data, f)),
    out,
    { origin: r.origin },
  );
  process.stdout.write(formatImportSummary(summary));
  if (existsSync(`${out}.wal`)) throw new Error(`${out}.wal was left behind`);
  console.log(`  ${(statSync(out).size / 1e6).toFixed(2)} MB\n`);
}
