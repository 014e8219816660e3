/**
 * The one config file every mode reads (JSON), plus environment overrides from `.env`/the shell.
 * Secrets come only from the environment and are never echoed back.
 */
import { readFileSync, existsSync } from 'node:fs';
import { z } from 'zod';
import { ConfigError } from '../core/errors.ts';
import { alertsConfigSchema, serverConfigSchema } from './ops-config.ts';

const wallet = z
  .string()
  .regex(/^0x[0-9a-fA-F]{40}$/, 'expected a 0x-prefixed 40-hex-digit wallet address')
  .transform((w) => w.toLowerCase());

export const targetSchema = z
  .object({
    wallet,
    /** Strategy name (built-in or a file in strategies/) or a path. */
    strategy: z.string().default('mirror'),
    /** Strategy parameters; `wallets` is filled in from `wallet`. */
    params: z.record(z.string(), z.unknown()).default({}),
    label: z.string().optional(),
  })
  .strict();

export const strategyEntrySchema = z
  .object({
    name: z.string(),
    id: z.string().optional(),
    params: z.record(z.string(), z.unknown()).default({}),
    /** Per-strategy limits (its own budget), same keys as `risk`. */
    risk: z.record(z.string(), z.unknown()).optional(),
  })
  .strict();

export const hostsSchema = z
  .object({
    clob: z.string().url(),
    data: z.string().url(),
    gamma: z.string().url(),
    rtds: z.string(),
    marketWs: z.string(),
    geoblock: z.string().url().optional(),
  })
  .partial()
  .strict();

const address = z.string().regex(/^0x[0-9a-fA-F]{40}$/, 'expected a 0x-prefixed 40-hex-digit contract address');

/** Polygon access for the chain feed, approvals, balances and redeem (docs/live.md, "The chain"). */
export const chainSchema = z
  .object({
    /** HTTP JSON-RPC (eth_getLogs, calls, transactions). Without it nothing on chain runs. */
    rpcUrl: z.string().url(),
    /** WebSocket JSON-RPC (eth_subscribe): fills about one block after they happen; without it the feed polls. */
    wsUrl: z
      .string()
      .regex(/^wss?:\/\//, 'expected a ws:// or wss:// URL')
      .optional(),
    /** The chain's id (default 137, Polygon); transactions are signed for it, so a wrong one is refused by the node. */
    chainId: z.number().int().positive().default(137),
    /** Read the targets' OrderFilled logs as a third source (default true when rpcUrl is set). */
    feed: z.boolean().default(true),
    /** Blocks including the fill's own before a chain fill is acted on (default 2). */
    confirmations: z.number().int().min(1).max(64).default(2),
    /** Live: redeem resolved positions automatically (default true). */
    autoRedeem: z.boolean().default(true),
    /** How often auto-redeem looks for redeemable positions (default 60 s). */
    redeemIntervalSeconds: z.number().positive().default(60),
    /** Highest gas fee polytail signs, in gwei (default 500); above it nothing is sent. */
    maxFeeGwei: z.number().positive().default(500),
    /** Priority fee in gwei (default 30, Polygon's usual minimum). */
    priorityFeeGwei: z.number().nonnegative().default(30),
    /**
     * Polymarket's relayer (https://relayer-v2.polymarket.com): proxy (type 1) and Safe (type 2) wallets approve
     * and redeem through it, with builder credentials from POLYTAIL_BUILDER_API_KEY / _SECRET / _PASSPHRASE.
     */
    relayerUrl: z.string().url().optional(),
    /** Contract addresses when not Polygon's (a local chain). */
    contracts: z
      .object({ collateral: address, ctf: address, exchange: address, negRiskExchange: address, negRiskAdapter: address })
      .strict()
      .optional(),
  })
  .strict();

export const configSchema = z
  .object({
    startingCashUsdc: z.number().positive().default(1000),
    targets: z.array(targetSchema).default([]),
    strategies: z.array(strategyEntrySchema).default([]),
    /** Account-wide risk limits in human units (see docs/config.md). */
    risk: z.record(z.string(), z.unknown()).default({}),
    /** `auto`: book-walk when there are books (paper, recordings with books), else target-price. */
    fillModel: z.enum(['auto', 'target-price', 'top-of-book', 'book-walk']).default('auto'),
    slippageTicks: z.number().int().min(0).default(0),
    latencyMs: z.number().int().min(0).default(0),
    /** Paper/replay: each order's latency drawn from these measured samples (ms) instead of `latencyMs`. */
    latencySamplesMs: z.array(z.number().int().min(0)).min(1).optional(),
    /**
     * Paper/replay: how long after an order met the book the engine learns of it (ms), drawn per order
     * from these measured samples; live learns from the POST's answer and a trade lookup. Default: at once.
     */
    fillNoticeSamplesMs: z.array(z.number().int().min(0)).min(1).optional(),
    seed: z.number().int().default(1),
    /** Live/paper: target trades older than this when we see them are skipped (stale_trade), not copied. */
    maxTradeAgeSeconds: z.number().positive().default(120),
    hosts: hostsSchema.optional(),
    live: z
      .object({
        signatureType: z.union([z.literal(0), z.literal(1), z.literal(2), z.literal(3)]).optional(),
        funderAddress: wallet.optional(),
        chainId: z.number().int().optional(),
      })
      .strict()
      .optional(),
    chain: chainSchema.optional(),
    dataDir: z.string().default('.polytail'),
    /** `--serve`: the control server (see docs/operate.md). */
    server: serverConfigSchema.prefault({}),
    alerts: alertsConfigSchema.prefault({}),
  })
  .strict();

export type PolytailConfig = z.infer<typeof configSchema>;

/** Renders zod issues as `key.path: what is wrong` lines a user can act on. */
export function formatIssues(error: z.ZodError, prefix = ''): string {
  return error.issues
    .map((i) => {
      const path = [prefix, ...i.path.map(String)].filter(Boolean).join('.');
      return `  ${path || '(root)'}: ${i.message}`;
    })
    .join('\n');
}

export function parseConfig(raw: unknown, source = 'config'): PolytailConfig {
  const parsed = configSchema.safeParse(raw ?? {});
  if (!parsed.success) throw new ConfigError(`invalid ${source}:\n${formatIssues(parsed.error)}`);
  return parsed.data;
}

/** Reads a JSON config file (if given), then applies POLYTAIL_* environment overrides. */
export function loadConfig(path: string | undefined, env: NodeJS.ProcessEnv = process.env): PolytailConfig {
  let raw: Record<string, unknown> = {};
  if (path) {
    if (!existsSync(path)) throw new ConfigError(`config file not found: ${path}`);
    try {
      raw = JSON.parse(readFileSync(path, 'utf8')) as Record<string, unknown>;
    } catch (error) {
      throw new ConfigError(`config file ${path} is not valid JSON: ${(error as Error).message}`);
    }
  }
  return applyEnv(parseConfig(raw, path ? `config file ${path}` : 'config'), env);
}

function applyEnv(config: PolytailConfig, env: NodeJS.ProcessEnv): PolytailConfig {
  const out = { ...config, risk: { ...config.risk } };
  const num = (key: string): number | undefined => {
    const v = env[key];
    if (v === undefined || v === '') return undefined;
    const n = Number(v);
    if (!Number.isFinite(n)) throw new ConfigError(`${key}=${v} is not a number`);
    return n;
  };
  if (env.POLYTAIL_TARGETS) {
    const multiplier = num('POLYTAIL_MULTIPLIER');
    const wallets = env.POLYTAIL_TARGETS.split(',')
      .map((w) => w.trim())
      .filter(Boolean);
    for (const w of wallets) {
      const ok = wallet.safeParse(w);
      if (!ok.success) throw new ConfigError(`POLYTAIL_TARGETS: "${w}" ${ok.error.issues[0]!.message}`);
      if (!out.targets.some((t) => t.wallet === ok.data)) {
        out.targets = [
          ...out.targets,
          {
            wallet: ok.data,
            strategy: env.POLYTAIL_STRATEGY ?? 'mirror',
            params: multiplier ? { sizing: { mode: 'multiplier', multiplier } } : {},
          },
        ];
      }
    }
  }
  const limits: [string, string][] = [
    ['POLYTAIL_MAX_ORDER_USDC', 'maxOrderUsdc'],
    ['POLYTAIL_MIN_ORDER_USDC', 'minOrderUsdc'],
    ['POLYTAIL_MAX_DAILY_LOSS_USDC', 'maxDailyLossUsdc'],
    ['POLYTAIL_MAX_DAILY_TRADES', 'maxDailyTrades'],
    ['POLYTAIL_MAX_EXPOSURE_USDC', 'maxTotalExposureUsdc'],
  ];
  for (const [key, field] of limits) {
    const v = num(key);
    if (v !== undefined) out.risk[field] = v;
  }
  if (env.POLYTAIL_RPC_URL) {
    const wsUrl = env.POLYTAIL_RPC_WS_URL || out.chain?.wsUrl;
    const chain = chainSchema.safeParse({ ...out.chain, rpcUrl: env.POLYTAIL_RPC_URL, ...(wsUrl ? { wsUrl } : {}) });
    if (!chain.success) throw new ConfigError(`POLYTAIL_RPC_URL / POLYTAIL_RPC_WS_URL:\n${formatIssues(chain.error)}`);
    out.chain = chain.data;
  }
  const cash = num('POLYTAIL_STARTING_CASH_USDC');
  if (cash !== undefined) out.startingCashUsdc = cash;
  return out;
}
