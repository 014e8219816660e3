/**
 * Every `polytail` command, in help order. Each is loaded only when it runs: the TUI, DuckDB, the SDKs
 * and the sandbox are heavy, and `polytail --help` or a replay should not pay for all of them.
 */
import type { CommandModule } from 'yargs';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type AnyCommand = CommandModule<any, any>;

interface CommandEntry {
  name: string;
  describe: string;
  load: () => Promise<AnyCommand>;
}

export const commandEntries: CommandEntry[] = [
  {
    name: 'replay',
    describe: 'replay a recording through the engine and report copies, skips and PnL',
    load: async () => (await import('./replay.ts')).replayCommand,
  },
  {
    name: 'paper',
    describe: 'copy traders with simulated fills against live order books (no orders are sent)',
    load: async () => (await import('./paper.ts')).paperCommand,
  },
  {
    name: 'live',
    describe: 'copy traders with REAL orders on Polymarket (explicit opt-in)',
    load: async () => (await import('./live.ts')).liveCommand,
  },
  {
    name: 'report',
    describe: 'reprint a stored replay run (latest by default) or list the runs',
    load: async () => (await import('./report.ts')).reportCommand,
  },
  {
    name: 'sweep',
    describe: 'replay every combination of a parameter grid (worker threads) and rank them',
    load: async () => (await import('./sweep.ts')).sweepCommand,
  },
  {
    name: 'scout',
    describe: 'rank wallets by what a follower would have made: mirror replays at detection delays, held-out report',
    load: async () => (await import('./scout.ts')).scoutCommand,
  },
  {
    name: 'import',
    describe: 'import Polymarket history (Data API, Gamma, CLOB frames, resolutions) into a recording',
    load: async () => (await import('./import.ts')).importCommand,
  },
  {
    name: 'strategies',
    describe: 'list every strategy with its parameters and defaults',
    load: async () => (await import('./strategies.ts')).strategiesCommand,
  },
  {
    name: 'run',
    describe: 'run one market strategy (taker-wave, maker-wave, end-sweeper or a file) on one market',
    load: async () => (await import('./run.ts')).runCommand,
  },
  {
    name: 'sandbox',
    describe: 'run a local fake Polymarket on 127.0.0.1 with synthetic traders',
    load: async () => (await import('./sandbox.ts')).sandboxCommand,
  },
  {
    name: 'approve',
    describe: 'approve pUSD and outcome tokens for the exchanges (shows the transactions, asks first)',
    load: async () => (await import('./approve.ts')).approveCommand,
  },
  {
    name: 'redeem',
    describe: 'list resolved positions and redeem all or some for pUSD',
    load: async () => (await import('./redeem.ts')).redeemCommand,
  },
  {
    name: 'attach',
    describe: 'open the TUI on a session running with --serve (here or through an SSH tunnel)',
    load: async () => (await import('./attach.ts')).attachCommand,
  },
  {
    name: 'daemon',
    describe: 'run several accounts (own wallets, pools with sub-accounts) on one control server',
    load: async () => (await import('./daemon.ts')).daemonCommand,
  },
  {
    name: 'token',
    describe: 'create, list or revoke control API tokens',
    load: async () => (await import('./token.ts')).tokenCommand,
  },
  {
    name: 'user',
    describe: 'users of a daemon with several accounts: create, grant a role on an account, list, remove',
    load: async () => (await import('./user.ts')).userCommand,
  },
  {
    name: 'key',
    describe: 'store the trading key in an encrypted keystore (unlocked by a passphrase at start)',
    load: async () => (await import('./key.ts')).keyCommand,
  },
  {
    name: 'doctor',
    describe: 'check that live trading will work: key, funder, geoblock, CLOB, clock, credentials, balance',
    load: async () => (await import('./doctor.ts')).doctorCommand,
  },
];

/**
 * The commands yargs needs for this invocation: the one being run in full, the others as one-line
 * stubs (enough for `--help`, suggestions and strict mode). `--help` alone lists them all.
 */
export async function commandsFor(argv: string[]): Promise<AnyCommand[]> {
  const names = new Set(commandEntries.map((e) => e.name));
  const asked = argv.find((a) => names.has(a));
  return Promise.all(
    commandEntries.map(async (entry) => {
      if (entry.name === asked) return entry.load();
      return { command: `${entry.name}`, describe: entry.describe, handler: () => undefined } satisfies AnyCommand;
    }),
  );
}
