/**
 * The config of a daemon hosting several accounts (`polytail daemon --config daemon.json`). Each
 * account is a whole session config of its own (targets, strategies, risk limits, wallet: signature
 * type and funder; its data dir and recording default to `<dataDir>/accounts/<id>`), with its key in
 * an environment variable of its own. An account with `members` is a pool: one wallet shared by
 * sub-accounts, each a virtual book of its own strategies (ids `<member>/…`). Tokens, users and the
 * daemon's audit live in the top `dataDir`.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { ACCOUNT_ID_RE } from '../core/account-directory.ts';
import { ConfigError } from '../core/errors.ts';
import { parseConfig, type PolytailConfig } from './config.ts';
import { alertsConfigSchema, serverConfigSchema } from './ops-config.ts';

const accountId = z.string().regex(ACCOUNT_ID_RE, 'lower-case letters, digits and -, at most 40, e.g. "alice-paper"');

/**
 * What a sub-account's own limits may set: the size of one order, the orders of one day and the USDC
 * its BUYs may cost in one day (days as the pool's `risk.dailyResetTimeZone` has them, UTC by default).
 */
export const memberLimitsSchema = z
  .object({
    maxOrderUsdc: z.number().positive().max(1e9).optional(),
    maxDailyTrades: z.number().int().min(1).max(1_000_000).optional(),
    maxDailyUsdc: z.number().positive().max(1e9).optional(),
  })
  .strict();
export type MemberLimits = z.infer<typeof memberLimitsSchema>;

const accountSchema = z
  .object({
    id: accountId,
    label: z.string().min(1).max(80).optional(),
    mode: z.enum(['paper', 'live']),
    /** A polytail config (what `--config` takes), without the daemon's server and alerts. */
    config: z.record(z.string(), z.unknown()).default({}),
    /** The environment variable holding this account's key (live; default POLYTAIL_PRIVATE_KEY). */
    keyEnv: z
      .string()
      .regex(/^[A-Z_][A-Z0-9_]*$/, 'an environment variable name, e.g. POLYTAIL_KEY_ALICE')
      .optional(),
    /** Sub-accounts on this account's wallet, each with its own limits (single order in USDC, orders and BUY USDC per day). */
    members: z
      .array(
        z
          .object({
            id: accountId,
            label: z.string().min(1).max(80).optional(),
            limits: memberLimitsSchema.default({}),
          })
          .strict(),
      )
      .default([]),
  })
  .strict();

export const daemonConfigSchema = z
  .object({
    dataDir: z.string().default('.polytail'),
    server: serverConfigSchema.prefault({}),
    alerts: alertsConfigSchema.prefault({}),
    accounts: z.array(accountSchema).min(1, 'list at least one account'),
  })
  .strict()
  .superRefine((d, ctx) => {
    const seen = new Set<string>();
    for (const id of d.accounts.flatMap((a) => [a.id, ...a.members.map((m) => m.id)])) {
      if (seen.has(id)) ctx.addIssue({ code: 'custom', message: `account id "${id}" is used twice` });
      seen.add(id);
    }
  });

export type DaemonConfig = z.infer<typeof daemonConfigSchema>;
export type DaemonAccountConfig = DaemonConfig['accounts'][number];

export function parseDaemonConfig(raw: unknown, where = 'daemon config'): DaemonConfig {
  const r = daemonConfigSchema.safeParse(raw);
  if (!r.success)
    throw new ConfigError(`${where}: ${r.error.issues.map((i) => `${i.path.join('.') || '(top)'}: ${i.message}`).join('; ')}`);
  return r.data;
}

export function loadDaemonConfig(path: string): DaemonConfig {
  if (!existsSync(path)) throw new ConfigError(`daemon config not found: ${path}`);
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    throw new ConfigError(`daemon config ${path} is not valid JSON: ${(error as Error).message}`);
  }
  return parseDaemonConfig(raw, `daemon config ${path}`);
}

/** One account's session config: its own settings, its own data dir, the daemon's server and alerts. */
export function accountSessionConfig(daemon: DaemonConfig, account: DaemonAccountConfig): PolytailConfig {
  return parseConfig(
    { dataDir: join(daemon.dataDir, 'accounts', account.id), ...account.config, server: daemon.server, alerts: daemon.alerts },
    `account "${account.id}"`,
  );
}
