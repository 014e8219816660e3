/**
 * Params every copy strategy shares. Objects are strict: a misspelt key (`multipler`) is an error,
 * not a silently ignored setting, because these settings move money.
 */
import { z } from 'zod';
import { sizingSchema } from './sizing.ts';

export const walletSchema = z
  .string()
  .regex(/^0x[0-9a-fA-F]{40}$/, 'expected a 0x wallet address (0x + 40 hex digits)')
  .toLowerCase();

export const copyParamsShape = {
  wallets: z.array(walletSchema).min(1).describe('target wallets (proxy wallet addresses)'),
  sizing: sizingSchema.default({ mode: 'multiplier', multiplier: 1 }),
  orderType: z.enum(['FOK', 'FAK', 'GTC']).default('FOK').describe('FOK/FAK = market order, GTC = resting limit'),
  maxSlippageBps: z
    .number()
    .int()
    .min(0)
    .max(10_000)
    .default(200)
    .describe('limit price vs target price: BUY ≤ p×(1+bps), SELL ≥ p×(1−bps)'),
  copySells: z.boolean().default(true).describe('mirror target SELLs as a fraction of our position'),
  minTargetUsdc: z.number().min(0).default(0).describe('ignore target BUYs smaller than this (USDC)'),
  sellAllWhenUnknown: z.boolean().default(false).describe('sell all of ours when the target sells a position we never saw it build'),
};

export const copyParamsSchema = z.strictObject(copyParamsShape);

export type CopyParams = z.infer<typeof copyParamsSchema>;

/** What the copy pipeline reads; strategies that size differently (proportional) omit `sizing`. */
export type CopyBaseParams = Omit<CopyParams, 'sizing'>;
