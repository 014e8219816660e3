/** The sandbox exchange's own state types (micros everywhere, like the rest of polytail). */
import type { Side } from '../../core/types.ts';

export type SandboxOrderType = 'GTC' | 'GTD' | 'FOK' | 'FAK';

export interface SandboxMarket {
  /** Gamma numeric id (string). */
  id: string;
  conditionId: string;
  questionId: string;
  slug: string;
  question: string;
  eventId: string;
  eventSlug: string;
  eventTitle: string;
  outcomes: [string, string];
  tokenIds: [string, string];
  tickMicros: number;
  minOrderSizeMicros: number;
  negRisk: boolean;
  feeRate: number;
  feeExponent: number;
  createdAtMs: number;
  endDateIso: string;
  status: 'open' | 'closed' | 'resolved';
  /** Payout per share of each outcome once resolved (1e6 = $1). */
  payoutMicros?: [number, number];
  closedAtMs?: number;
  /** Synthetic fair value of outcome 0. */
  fairMicros: number;
  volatility: number;
  /** False for markets that only exist to carry replayed tape fills (no order book). */
  tradable: boolean;
}

export interface RestingOrder {
  id: string;
  /** API key of the owner; 'synthetic' for makers run by the sandbox. */
  owner: string;
  makerAddress: string;
  signer: string;
  tokenId: string;
  conditionId: string;
  outcome: string;
  side: Side;
  priceMicros: number;
  originalSizeMicros: number;
  matchedMicros: number;
  type: SandboxOrderType;
  expirationSec: number;
  createdAtMs: number;
  status: 'LIVE' | 'MATCHED' | 'CANCELED';
  associateTrades: string[];
  /** Arrival order: time priority inside a price level. */
  seq: number;
}

/** One maker order's share of a match. */
export interface LedgerFill {
  tradeId: string;
  seq: number;
  tsMs: number;
  conditionId: string;
  tokenId: string;
  outcome: string;
  outcomeIndex: number;
  priceMicros: number;
  sizeMicros: number;
  takerSide: Side;
  takerAddress: string;
  takerOrderId: string;
  takerOwner: string;
  makerAddress: string;
  makerOrderId: string;
  makerOwner: string;
  /** Taker fee in USDC micros. */
  feeMicros: number;
  feeRateBps: number;
  txHash: string;
  /** When the trade turns MINED (tx hash visible). */
  settledAtMs: number;
  /** Trade status forced by a fault (e.g. FAILED); otherwise MATCHED → MINED → CONFIRMED. */
  forcedStatus?: string;
  source: 'clob' | 'synthetic' | 'tape';
  bucketIndex: number;
}

export interface Account {
  address: string; // lower-case
  usdcMicros: number;
  tokens: Map<string, number>;
  name: string;
  pseudonym: string;
  /** Synthetic wallets skip balance checks (they are the sandbox's own liquidity). */
  unlimited: boolean;
}

export interface ApiCreds {
  key: string;
  secret: string;
  passphrase: string;
  address: string; // lower-case signer EOA
  nonce: string;
}

export interface LevelChange {
  tokenId: string;
  side: Side; // BUY = bid level
  priceMicros: number;
  sizeMicros: number; // new aggregate size, 0 removes the level
}

/** What the exchange tells the feeds. */
export type ExchangeEvent =
  | { type: 'fill'; fill: LedgerFill }
  | { type: 'levels'; conditionId: string; changes: LevelChange[]; tsMs: number }
  | { type: 'book-reset'; tokenId: string }
  | { type: 'tick-size'; market: SandboxMarket; oldTickMicros: number; tsMs: number }
  | { type: 'market-status'; market: SandboxMarket; tsMs: number };
