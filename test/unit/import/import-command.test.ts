import { join } from 'node:path';
import yargs from 'yargs';
import { describe, expect, it, vi } from 'vitest';
import { importCommand } from '../../../src/cli/commands/import.ts';
import { ConfigError } from '../../../src/core/errors.ts';
import { ACTIVITY_0X0FD4, fixture } from '../../helpers/fixtures.ts';
import { useTempDir } from '../store/helpers.ts';

const tempDir = useTempDir();

async function run(args: string[]): Promise<string> {
  let out = '';
  const spy = vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => ((out += String(chunk)), true));
  try {
    await yargs(args).command(importCommand).strict().fail(false).parseAsync();
  } finally {
    spy.mockRestore();
  }
  return out;
}

describe('polytail import', () => {
  it('prints counts per table, repeats dropped and non-TRADE rows', async () => {
    const out = join(tempDir(), 'rec.duckdb');
    const text = await run(['import', ACTIVITY_0X0FD4, fixture('activity/activity-mixed-types.json'), '--out', out]);
    expect(text).toContain(`Imported into ${out}:`);
    expect(text).toContain(
      'wallet-0x0fd4-btc15m-2025-12-03.csv.gz: 2000 records (activity), 1500 trades, 500 pagination repeats dropped, 3 identical fills kept',
    );
    expect(text).toContain('activity-mixed-types.json: 50 records (activity), 42 trades, 8 non-TRADE rows');
    expect(text).toMatch(/rows added: markets \d+, target_trades 1542, trade_prints \d+, activity_other 8/);
  });

  it('turns an import error into a ConfigError saying nothing was written', async () => {
    const bad = join(import.meta.dirname, '../../fixtures/import/bad-price.csv');
    const err = await run(['import', bad, '--out', join(tempDir(), 'x.duckdb')]).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ConfigError);
    expect((err as Error).message).toMatch(/^import failed, nothing was written: .*bad-price.csv:3: .*field "price"/);
  });
});
