/** Shared setup for the paper/live mode tests: a fast sandbox, a temp data dir, ledger reads. */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseConfig, type PolytailConfig } from '../../../src/config/config.ts';
import type { LedgerRow } from '../../helpers/session-audit.ts';
import { startSandbox, type Sandbox } from '../../../src/sandbox/index.ts';

export const FAST = join(import.meta.dirname, '../../fixtures/sandbox/fast-targets.json');
export const WHALE = '0x1111111111111111111111111111111111111111';
export const SELLER = '0x2222222222222222222222222222222222222222';
/** Hardhat #0, the sandbox test key's address (lower case). */
export const TEST_ADDRESS = '0xf39fd6e51aad88f6f4ce6ab8827279cfffb92266';

/** The fast-targets sandbox; with `synthetic: false` nobody trades until the test calls `sb.flow.start()`. */
export function startFastSandbox(options: { synthetic?: boolean } = {}): Promise<Sandbox> {
  return startSandbox({ port: 0, scenario: FAST, ...options });
}

export function tempDataDir(): string {
  return mkdtempSync(join(tmpdir(), 'polytail-modes-'));
}

export function configFor(dataDir: string, wallets: string[], extra: Record<string, unknown> = {}): PolytailConfig {
  return parseConfig({ dataDir, targets: wallets.map((wallet) => ({ wallet })), ...extra });
}

export async function ledger(sb: Sandbox): Promise<LedgerRow[]> {
  return (await (await fetch(`${sb.urls.admin}/ledger`)).json()) as LedgerRow[];
}

/** Kill points of the kill -9 test are moments in time, not waits for a condition. */
export const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));
