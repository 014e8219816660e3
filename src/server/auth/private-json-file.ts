/**
 * The daemon's small private JSON files (users.json, tokens.json): written whole with mode 0600 and
 * renamed into place, so a reader never sees half a file; re-read only when their stamp changes, so a
 * `polytail user …` or `token …` command and a running daemon agree without a restart.
 */
import { chmodSync, existsSync, mkdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import type { z } from 'zod';
import { ConfigError } from '../../core/errors.ts';

/** What changes when the file does: 'none' while it does not exist. */
export function fileStamp(path: string): string {
  if (!existsSync(path)) return 'none';
  const st = statSync(path);
  return `${st.mtimeMs}:${st.size}:${st.ino}`;
}

/** Parses the file against its schema; a bad file is a ConfigError that names it and says `fix`. */
export function readPrivateJson<T>(path: string, schema: z.ZodType<T>, kind: string, fix: string): T {
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    throw new ConfigError(`${path} is not valid JSON (${(error as Error).message}); ${fix}`);
  }
  const parsed = schema.safeParse(raw);
  if (!parsed.success) throw new ConfigError(`${path} is not a polytail ${kind}; ${fix}`);
  return parsed.data;
}

export function writePrivateJson(path: string, data: unknown): void {
  mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
  const tmp = `${path}.${process.pid}.tmp`;
  writeFileSync(tmp, JSON.stringify(data, null, 2) + '\n', { mode: 0o600 });
  chmodSync(tmp, 0o600);
  renameSync(tmp, path);
}
