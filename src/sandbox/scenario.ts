/**
 * Sandbox scenario files: which markets exist, who trades them, how fast, and which faults fire when.
 * Validated with zod; errors name the offending field (e.g. `traders.1.ratePerMinute`).
 */
import { readFileSync } from 'node:fs';
import { z } from 'zod';

const address = z.string().regex(/^0x[0-9a-fA-F]{40}$/, 'must be a 0x address with 40 hex digits');
const tick = z.enum(['0.1', '0.01', '0.005', '0.0025', '0.001', '0.0001']);
const range = z.tuple([z.number().positive(), z.number().positive()]).refine(([a, b]) => a <= b, 'min must be ≤ max');

export const marketSpecSchema = z.object({
  slug: z.string().min(1),
  question: z.string().optional(),
  eventSlug: z.string().optional(),
  eventTitle: z.string().optional(),
  outcomes: z.tuple([z.string(), z.string()]).default(['Yes', 'No']),
  /** Fixed ids (e.g. to mirror a real market); generated from the seed and slug when omitted. */
  conditionId: z
    .string()
    .regex(/^0x[0-9a-fA-F]{64}$/)
    .optional(),
  tokenIds: z.tuple([z.string().regex(/^\d+$/), z.string().regex(/^\d+$/)]).optional(),
  tickSize: tick.default('0.01'),
  minOrderSize: z.number().positive().default(5),
  negRisk: z.boolean().default(false),
  /** Taker fee `fd` of /clob-markets: fee = shares · rate · (p·(1−p))^exponent. */
  fee: z.object({ rate: z.number().min(0).max(1), exponent: z.number().min(0).default(1) }).optional(),
  /** Starting fair value of the first outcome (0..1). */
  fairValue: z.number().gt(0).lt(1).default(0.5),
  /** Std-dev of the fair-value random walk per synthetic step, in probability units. */
  volatility: z.number().min(0).max(0.2).default(0.005),
  /** Seconds (scenario time) after start at which the market stops accepting orders. */
  closeAfterSec: z.number().positive().optional(),
  /** Seconds after start at which the market resolves (implies closed). */
  resolveAfterSec: z.number().positive().optional(),
  /** Forced result; otherwise drawn from the fair value at resolution. */
  resolvesTo: z.union([z.literal(0), z.literal(1), z.literal('50-50')]).optional(),
});

export const makerSpecSchema = z.object({
  address: address.optional(),
  markets: z.union([z.literal('all'), z.array(z.string())]).default('all'),
  levels: z.number().int().min(1).max(20).default(3),
  /** Distance of the first level from fair value, in ticks. */
  spreadTicks: z.number().int().min(1).default(1),
  /** Extra ticks between consecutive levels. */
  stepTicks: z.number().int().min(1).default(1),
  sizeShares: z.number().positive().default(200),
  refreshMs: z.number().int().min(50).default(3000),
});

export const traderSpecSchema = z.object({
  address,
  name: z.string().optional(),
  pseudonym: z.string().optional(),
  ratePerMinute: z.number().positive().max(6000),
  sizeUsd: range.default([5, 50]),
  markets: z.union([z.literal('all'), z.array(z.string())]).default('all'),
  /** Probability that a trade sells part of an existing position instead of buying. */
  sellProbability: z.number().min(0).max(1).default(0.3),
  startingUsdc: z.number().min(0).default(100_000),
});

export const accountSpecSchema = z.object({
  address,
  usdc: z.number().min(0),
  /** token id → shares */
  tokens: z.record(z.string(), z.number().min(0)).default({}),
  /** Funder (proxy/Safe) that holds the money when this EOA signs with signatureType 1/2. */
  funder: address.optional(),
});

export const tapeSpecSchema = z.object({
  /** A Data API `/trades` CSV (e.g. the Nobel tape); rows are re-emitted as fills of their wallets. */
  file: z.string(),
  /** Time compression: 60 = one tape minute per wall second. */
  speed: z.number().positive().default(60),
  /** Only these wallets (lower-case compare); all when omitted. */
  wallets: z.array(address).optional(),
  limit: z.number().int().positive().optional(),
});

export const scheduledFaultSchema = z.object({ atSec: z.number().min(0), fault: z.record(z.string(), z.unknown()) });

export const scenarioSchema = z.object({
  seed: z.number().int().default(1),
  /** Stop the synthetic flow after this many wall seconds (the servers keep running). */
  durationSec: z.number().positive().optional(),
  /** Scales synthetic trade rates, maker refreshes and market close/resolve times. */
  clockSpeed: z.number().positive().max(1000).default(1),
  markets: z.array(marketSpecSchema).default([]),
  makers: z.array(makerSpecSchema).default([]),
  traders: z.array(traderSpecSchema).default([]),
  accounts: z.array(accountSpecSchema).default([]),
  /** USDC given to any wallet the first time it creates an API key (0 = start empty). */
  defaultUsdc: z.number().min(0).default(10_000),
  /** How long a matched trade stays MATCHED (no tx hash) before it is MINED. */
  settlementDelayMs: z.number().int().min(0).default(0),
  /** Server WebSocket ping frames on RTDS; the official client only keeps pinging when it gets these. */
  rtdsPingIntervalMs: z.number().int().min(0).default(5000),
  dataApi: z
    .object({
      /** Offsets above this are served as if they were this (the repeat quirk seen in real exports). */
      offsetCap: z.number().int().min(0).default(1000),
      offsetCapMode: z.enum(['repeat', 'error']).default('repeat'),
    })
    .default({ offsetCap: 1000, offsetCapMode: 'repeat' }),
  tape: tapeSpecSchema.optional(),
  faults: z.array(scheduledFaultSchema).default([]),
});

export type Scenario = z.infer<typeof scenarioSchema>;
export type ScenarioInput = z.input<typeof scenarioSchema>;
export type MarketSpec = z.infer<typeof marketSpecSchema>;
export type MakerSpec = z.infer<typeof makerSpecSchema>;
export type TraderSpec = z.infer<typeof traderSpecSchema>;

/** Parses a scenario object; throws an Error listing every bad field and what is wrong with it. */
export function parseScenario(input: unknown, source = 'scenario'): Scenario {
  const result = scenarioSchema.safeParse(input);
  if (!result.success) {
    const lines = result.error.issues.map((i) => `  ${i.path.join('.') || '(root)'}: ${i.message}`);
    throw new Error(`${source} is invalid:\n${lines.join('\n')}`);
  }
  const slugs = new Set<string>();
  for (const m of result.data.markets) {
    if (slugs.has(m.slug)) throw new Error(`${source} is invalid:\n  markets: duplicate slug "${m.slug}"`);
    slugs.add(m.slug);
  }
  return result.data;
}

/** Reads and validates a JSON scenario file. */
export function loadScenarioFile(path: string): Scenario {
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(path, 'utf8'));
  } catch (err) {
    throw new Error(`cannot read scenario ${path}: ${(err as Error).message}`);
  }
  return parseScenario(raw, path);
}
