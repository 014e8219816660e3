/**
 * The accounts of one daemon (config/daemon-config.ts), each started as a paper or live session of
 * its own — its own wallet and key (from its own environment variable), targets, limits, data dir
 * and recording. Accounts are independent: one that fails to start is listed as failed with the
 * reason and the others run; one account's halt or crashing strategy stays inside its engine. A pool
 * account's members are sub-accounts on its wallet (member-surface.ts).
 */
import type { AccountDirectory, HostedAccount } from '../core/account-directory.ts';
import { redactedMessage } from '../core/redact.ts';
import { accountSessionConfig, type DaemonAccountConfig, type DaemonConfig } from '../config/daemon-config.ts';
import type { FeedLog } from '../feeds/feed.ts';
import { PRIVATE_KEY_ENV } from '../wallet/index.ts';
import { startLiveSession, type LiveSession } from './live-session.ts';
import { parseRiskLimits } from '../risk/limits-schema.ts';
import { RiskManager } from '../risk/risk-manager.ts';
import { AccountBookQueries } from '../store/index.ts';
import { memberRiskLimits, memberSurface, recordedMemberLimits } from './member-surface.ts';
import { servedSurface } from './served-session.ts';
import { runBook } from './strategy-runs.ts';

export interface HostAccountsOptions {
  daemon: DaemonConfig;
  env: NodeJS.ProcessEnv;
  sandboxUrl?: string;
  pollIntervalMs?: number;
  log?: (account: string) => FeedLog;
  now?: () => number;
}

export interface HostedAccounts {
  directory: AccountDirectory;
  /** The running sessions by account id (pools only, not their members). */
  sessions: Map<string, LiveSession>;
  stop(): Promise<void>;
}

export async function hostAccounts(o: HostAccountsOptions): Promise<HostedAccounts> {
  const now = o.now ?? Date.now;
  const hosted: HostedAccount[] = [];
  const sessions = new Map<string, LiveSession>();
  // One after another: each session opens its feeds and recording; a failure stays with its account.
  for (const account of o.daemon.accounts) {
    const base = { id: account.id, label: account.label ?? account.id, mode: account.mode };
    const log = (message: string) => o.log?.(account.id)('warn', message);
    try {
      const config = accountSessionConfig(o.daemon, account);
      // A member's day is the pool's: the same time zone rolls the wallet's and the members' daily counters over.
      const timeZone = parseRiskLimits(config.risk).dailyResetTimeZone;
      const memberRisk = Object.fromEntries(
        account.members.map((m) => {
          const risk = new RiskManager(memberRiskLimits(m.limits), { timeZone });
          // Held until the limits an admin last set are read back from the recording (below).
          risk.setState('paused', 'reading the sub-account’s limits from the recording');
          return [m.id, risk];
        }),
      );
      const session = await startLiveSession({
        mode: account.mode,
        config,
        sandboxUrl: o.sandboxUrl,
        pollIntervalMs: o.pollIntervalMs,
        env: accountEnv(o.env, account),
        log: o.log?.(account.id),
        sessionName: `${account.mode}-${account.id}`,
        allowNoStrategies: account.members.length > 0,
        memberRisk,
      });
      sessions.set(account.id, session);
      const surface = servedSurface(session, now());
      const isPool = account.members.length > 0;
      // Runs and entries live in the account's recording (a pool's holds its members' too).
      const queries = new AccountBookQueries(session.recording);
      const [earlierRuns, earlierEntries, earlierLimits] = await Promise.all([queries.runs(), queries.entries(), queries.memberLimits()]);
      for (const m of account.members) {
        // Limits an admin set at run time win over the config's, which are only the defaults.
        const recorded = earlierLimits.find((l) => l.account === m.id);
        if (recorded) memberRisk[m.id]!.updateLimits(recordedMemberLimits(recorded));
        memberRisk[m.id]!.setState('active', 'started');
      }
      const runsOf = (id: string, s: typeof surface) =>
        runBook({ account: id, surface: s, queries, now, earlier: earlierRuns.filter((r) => r.account === id), log });
      hosted.push({ info: { ...base, kind: isPool ? 'pool' : 'wallet', state: 'running' }, surface, runs: runsOf(account.id, surface) });
      for (const m of account.members) {
        const member = memberSurface({
          pool: surface,
          session,
          member: m.id,
          now,
          queries,
          earlier: earlierEntries.filter((e) => e.account === m.id),
          earlierLimits: earlierLimits.find((l) => l.account === m.id),
          risk: memberRisk[m.id]!,
        });
        hosted.push({
          info: { id: m.id, label: m.label ?? m.id, kind: 'sub', mode: account.mode, parent: account.id, state: 'running' },
          surface: member.surface,
          entries: member.entries,
          runs: runsOf(m.id, member.surface),
        });
      }
    } catch (error) {
      const message = redactedMessage(error);
      o.log?.(account.id)('error', `account ${account.id} did not start: ${message}`);
      hosted.push({ info: { ...base, kind: account.members.length > 0 ? 'pool' : 'wallet', state: 'failed', error: message } });
      for (const m of account.members)
        hosted.push({
          info: {
            id: m.id,
            label: m.label ?? m.id,
            kind: 'sub',
            mode: account.mode,
            parent: account.id,
            state: 'failed',
            error: `pool ${account.id} did not start`,
          },
        });
    }
  }
  return {
    directory: { list: () => hosted, get: (id) => hosted.find((h) => h.info.id === id) },
    sessions,
    async stop() {
      await Promise.all([...sessions.values()].map((s) => s.stop().catch(() => undefined)));
    },
  };
}

/** The environment an account's session sees: its own key under the name sessions read, no one else's. */
function accountEnv(env: NodeJS.ProcessEnv, account: DaemonAccountConfig): NodeJS.ProcessEnv {
  if (!account.keyEnv) return env;
  const out: NodeJS.ProcessEnv = { ...env };
  delete out[PRIVATE_KEY_ENV];
  const key = env[account.keyEnv];
  if (key !== undefined) out[PRIVATE_KEY_ENV] = key;
  return out;
}
