/** `polytail strategies [--json]`: every strategy (built-in and files in strategies/) with its params. */
import type { CommandModule } from 'yargs';
import { listStrategies, type StrategyListing } from '../../strategy/loader.ts';

interface Args {
  json: boolean;
  dir?: string;
}

export const strategiesCommand: CommandModule<object, Args> = {
  command: 'strategies',
  describe: 'list every strategy (built-in copy strategies and files in strategies/) with parameters and defaults',
  builder: (y) =>
    y
      .option('json', { type: 'boolean', default: false, describe: 'print the list as JSON' })
      .option('dir', { type: 'string', describe: 'strategies folder (default: the package’s strategies/)' }) as never,
  handler: async (args) => {
    const rows = await listStrategies(args.dir);
    if (args.json) process.stdout.write(JSON.stringify(rows, null, 2) + '\n');
    else process.stdout.write(renderStrategies(rows, process.stdout.columns || 100));
    if (rows.some((r) => r.error)) process.exitCode = 1;
  },
};

/** The list for people: a heading per strategy, then its param table. */
export function renderStrategies(rows: StrategyListing[], width = 100): string {
  const out: string[] = [];
  for (const r of rows) {
    const source = r.source === 'builtin' ? 'built-in' : r.source;
    out.push(`${r.name}  [${r.kind}]  ${source}`);
    if (r.error) {
      out.push(`  does not load: ${r.error}`, '');
      continue;
    }
    if (r.description) out.push(`  ${r.description}`);
    if (r.params.length > 0) {
      const keyW = Math.max(5, ...r.params.map((p) => p.key.length));
      const typeW = Math.min(28, Math.max(4, ...r.params.map((p) => p.type.length)));
      const defW = Math.min(16, Math.max(7, ...r.params.map((p) => (p.default ?? (p.required ? 'required' : '-')).length)));
      out.push(`  ${'param'.padEnd(keyW)}  ${'type'.padEnd(typeW)}  ${'default'.padEnd(defW)}  description`);
      for (const p of r.params) {
        const def = p.default ?? (p.required ? 'required' : '-');
        const line = `  ${p.key.padEnd(keyW)}  ${clip(p.type, typeW).padEnd(typeW)}  ${clip(def, defW).padEnd(defW)}  ${p.description}`;
        out.push(clip(line, Math.max(60, width)));
      }
    }
    out.push('');
  }
  const market = rows.filter((r) => r.kind === 'market' && !r.error).map((r) => r.name);
  if (market.length > 0)
    out.push(
      `Run a market strategy: polytail run ${market[0]} --market <url|slug|condition id|token id> --outcome Yes --replay REC.duckdb --param key=value`,
    );
  out.push('Copy strategies go in a config file under targets[].strategy, or: polytail replay --strategy NAME');
  return out.join('\n') + '\n';
}

function clip(text: string, n: number): string {
  return text.length > n ? text.slice(0, n - 1) + '…' : text;
}
