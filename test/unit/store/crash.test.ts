import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { RecordingStore } from '../../../src/store/recording-store.ts';
import { useTempDir } from './helpers.ts';

const tempDir = useTempDir();

describe('crash safety', () => {
  it('keeps every flushed batch after SIGKILL mid-write and the file still opens', async () => {
    const path = join(tempDir(), 'crash.duckdb');
    const child = spawn(process.execPath, ['--import', 'tsx', join(import.meta.dirname, 'crash-writer.ts'), path, '500'], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let lastFlushed = 0;
    let killed = false;
    await new Promise<void>((resolve, reject) => {
      let buffer = '';
      child.stdout.on('data', (chunk: Buffer) => {
        buffer += chunk.toString();
        for (const m of buffer.matchAll(/flushed (\d+)\n/g)) lastFlushed = Math.max(lastFlushed, Number(m[1]));
        if (lastFlushed >= 3000 && !killed) {
          killed = true;
          child.kill('SIGKILL');
        }
      });
      child.on('exit', (code, signal) => (signal === 'SIGKILL' ? resolve() : reject(new Error(`writer exited ${code} ${signal}`))));
    });
    expect(killed).toBe(true);
    expect(existsSync(path)).toBe(true);

    const store = await RecordingStore.open(path, { readOnly: false });
    const [row] = await store.query('SELECT COUNT(*) AS n, MIN(seq) AS lo, MAX(seq) AS hi, COUNT(DISTINCT seq) AS d FROM target_trades');
    // Every row of every flushed batch is there, with no gaps (only whole batches are committed).
    expect(Number(row!.n)).toBeGreaterThanOrEqual(lastFlushed);
    expect(Number(row!.lo)).toBe(1);
    expect(Number(row!.hi)).toBe(Number(row!.n));
    expect(Number(row!.d)).toBe(Number(row!.n));
    // Batches are 500 rows, then 250 queued rows wait for the next flush: committed totals are 750k − 250.
    expect((Number(row!.n) + 250) % 750).toBe(0);
    const [keys] = await store.query(`SELECT COUNT(*) AS n FROM target_trades WHERE dedup_key = 'k' || seq AND size_micros = seq`);
    expect(Number(keys!.n)).toBe(Number(row!.n));
    await store.close();
  }, 20_000);
});
