/**
 * The console's world: a sandbox whose market titles are hostile HTML, and one daemon with three
 * accounts — a paper account (Alice), a live account on the sandbox key (Bob) and a pool whose wallet
 * two sub-accounts share (Alice's and Bob's) — plus a daemon operator. Used by the browser tests and
 * by scripts/console-screenshots.ts.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseDaemonConfig } from '../../src/config/daemon-config.ts';
import { startSandbox, type Sandbox } from '../../src/sandbox/index.ts';
import { TokenStore } from '../../src/server/auth/token-store.ts';
import { UserStore } from '../../src/server/auth/user-store.ts';
import { startDaemon, type Daemon } from '../../src/server/serve-accounts.ts';

export const CONSOLE_SCENARIO = join(import.meta.dirname, '../fixtures/sandbox/console-targets.json');
export const WHALE = '0x1111111111111111111111111111111111111111';
export const SELLER = '0x2222222222222222222222222222222222222222';

export interface ConsoleWorld {
  sb: Sandbox;
  daemon: Daemon;
  dataDir: string;
  tokens: { operator: string; alice: string; bob: string };
  stop(): Promise<void>;
}

export async function startConsoleWorld(): Promise<ConsoleWorld> {
  const sb = await startSandbox({ port: 0, scenario: CONSOLE_SCENARIO });
  const dataDir = mkdtempSync(join(tmpdir(), 'polytail-console-'));
  try {
    const config = parseDaemonConfig({
      dataDir,
      accounts: [
        { id: 'alice-paper', label: 'Alice paper', mode: 'paper', config: { targets: [{ wallet: WHALE }] } },
        { id: 'bob-live', label: 'Bob live', mode: 'live', config: { targets: [{ wallet: SELLER }] } },
        { id: 'club', label: 'Club wallet', mode: 'paper', members: [{ id: 'club-ann' }, { id: 'club-ben' }] },
      ],
    });
    const users = UserStore.forDataDir(dataDir);
    const store = TokenStore.forDataDir(dataDir);
    users.create('alice', { nowMs: 1 });
    users.create('bob', { nowMs: 1 });
    users.grant('alice', 'alice-paper', 'admin');
    users.grant('alice', 'club-ann', 'admin');
    users.grant('bob', 'bob-live', 'admin');
    users.grant('bob', 'club-ben', 'trader');
    const tokens = {
      operator: (await store.create('admin', 'operator', 1)).token,
      alice: (await store.create('admin', 'alice-laptop', 1, 'alice')).token,
      bob: (await store.create('admin', 'bob-phone', 1, 'bob')).token,
    };
    const daemon = await startDaemon({
      daemon: config,
      env: {},
      log: (level, message) => (level === 'error' ? console.log(message) : undefined),
      sandboxUrl: sb.urls.clob,
      pollIntervalMs: 1000,
      port: 0,
      viewEveryMs: 1000,
    });
    return {
      sb,
      daemon,
      dataDir,
      tokens,
      async stop() {
        await daemon.stop('done');
        await sb.stop();
      },
    };
  } catch (error) {
    await sb.stop();
    throw error;
  }
}
