/** Run ids and the version stamped on runs. Outside the engine core, so wall time is fine here. */
import { readFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';

export const VERSION: string = (JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string })
  .version;

export function newRunId(): string {
  const stamp = new Date().toISOString().replace(/[-:]/g, '').replace('T', '-').slice(0, 15);
  return `run-${stamp}-${randomBytes(2).toString('hex')}`;
}
