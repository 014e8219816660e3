/** POST /order and POST /orders: auth, signature, modes, then the matching engine. */
import type { SandboxContext } from '../context.ts';
import { CLOB_ERRORS } from '../exchange/exchange-rules.ts';
import type { SandboxOrderType } from '../exchange/types.ts';
import type { ApiCreds } from '../exchange/types.ts';
import { type WireOrder, verifyOrder } from './auth.ts';
import { type Reply, json } from './router.ts';
import { dec } from './views.ts';

interface OrderPayload {
  order: WireOrder;
  owner: string;
  orderType: string;
  postOnly?: boolean;
  deferExec?: boolean;
}

type Outcome = { status: number; body: Record<string, unknown>; headers?: Record<string, string> };

/** Big salts (e.g. 1.7e41 from other clients) must not go through a float: quote them before parsing. */
export function parseOrderBody(raw: string): unknown {
  return JSON.parse(raw.replace(/"salt"\s*:\s*(\d+)/g, '"salt":"$1"'));
}

const ORDER_TYPES = new Set(['GTC', 'GTD', 'FOK', 'FAK']);
const AMOUNT = /^\d+$/;

function fail(status: number, error: string, extra: Record<string, unknown> = {}): Outcome {
  return { status, body: { error, ...extra } };
}

/** Runs one order through every check the real CLOB applies; returns its HTTP status and body. */
export function submitOrder(ctx: SandboxContext, creds: ApiCreds, payload: unknown): Outcome {
  const p = payload as OrderPayload;
  const o = p?.order;
  if (
    !o ||
    typeof o !== 'object' ||
    !ORDER_TYPES.has(p.orderType) ||
    ![o.makerAmount, o.takerAmount, o.tokenId].every((v) => typeof v === 'string' && AMOUNT.test(v)) ||
    (o.side !== 'BUY' && o.side !== 'SELL') ||
    typeof o.signature !== 'string' ||
    typeof o.signer !== 'string' ||
    typeof o.maker !== 'string'
  ) {
    return fail(400, CLOB_ERRORS.payload);
  }
  const mode = ctx.faults.mode();
  if (mode?.mode === 'disabled') return fail(503, CLOB_ERRORS.tradingDisabled);
  if (mode?.mode === 'cancel-only') return fail(503, CLOB_ERRORS.cancelOnly);
  if (mode?.mode === 'post-only' && !p.postOnly) {
    return {
      status: 503,
      body: { error: CLOB_ERRORS.postOnlyMode, code: 'post_only_mode', retry_after_seconds: mode.retryAfterSec },
      headers: { 'Retry-After': String(mode.retryAfterSec) },
    };
  }
  if (p.owner !== creds.key) return fail(400, CLOB_ERRORS.ownerMismatch);
  if (o.signer.toLowerCase() !== creds.address) return fail(400, CLOB_ERRORS.signerMismatch);
  const where = ctx.exchange.market(o.tokenId);
  if (!where) return fail(400, 'Invalid token id');
  const { ok, orderHash } = verifyOrder(o, where.market.negRisk, ctx.chainId);
  if (!ok) return fail(400, CLOB_ERRORS.signature);
  const sigType = Number(o.signatureType);
  if (sigType === 0 && o.maker.toLowerCase() !== o.signer.toLowerCase()) return fail(400, CLOB_ERRORS.signature);
  if (sigType !== 0) ctx.exchange.accounts.funders.set(creds.address, o.maker.toLowerCase());
  if (ctx.faults.zeroBalance(o.maker)) return fail(400, CLOB_ERRORS.balance);
  // With a chain, the CLOB holds wallets to their on-chain approvals (as cached at the last /balance-allowance/update).
  if (ctx.chain && !ctx.chain.mayTrade(o.maker, o.side, where.market.negRisk, Number(o.makerAmount))) return fail(400, CLOB_ERRORS.balance);

  const result = ctx.exchange.place({
    id: orderHash,
    owner: creds.key,
    makerAddress: o.maker,
    signer: o.signer,
    tokenId: o.tokenId,
    side: o.side,
    type: p.orderType as SandboxOrderType,
    makerAmountMicros: Number(o.makerAmount),
    takerAmountMicros: Number(o.takerAmount),
    expirationSec: Number(o.expiration ?? '0') || 0,
    postOnly: p.postOnly === true,
    source: 'clob',
  });
  if (!result.ok) return fail(400, result.error, { orderID: orderHash });
  const tradeIDs = [...new Set(result.fills.map((f) => f.tradeId))];
  return {
    status: 200,
    body: {
      success: true,
      errorMsg: '',
      orderID: orderHash,
      status: result.status,
      makingAmount: result.fills.length ? dec(result.makingMicros) : '',
      takingAmount: result.fills.length ? dec(result.takingMicros) : '',
      // Hashes are not in the response: like the real CLOB, the SDK resolves them via GET /data/trades?id=.
      transactionsHashes: [],
      tradeIDs,
    },
  };
}

export function postOrder(ctx: SandboxContext, creds: ApiCreds, raw: string): Reply {
  let payload: unknown;
  try {
    payload = parseOrderBody(raw);
  } catch {
    return json(400, { error: CLOB_ERRORS.payload });
  }
  const out = submitOrder(ctx, creds, payload);
  const timeout = out.status === 200 ? ctx.faults.orderTimeout() : undefined;
  if (timeout) return timeout.mode === 'reset' ? { reset: true } : { hang: true };
  return json(out.status, out.body, out.headers);
}

export function postOrders(ctx: SandboxContext, creds: ApiCreds, raw: string): Reply {
  let payload: unknown;
  try {
    payload = parseOrderBody(raw);
  } catch {
    return json(400, { error: CLOB_ERRORS.payload });
  }
  if (!Array.isArray(payload)) return json(400, { error: CLOB_ERRORS.payload });
  if (payload.length > 15) return json(400, { error: `Too many orders in payload: ${payload.length}, max allowed: 15` });
  const results = payload.map((p) => {
    const out = submitOrder(ctx, creds, p);
    if (out.status === 200) return out.body;
    return { errorMsg: String(out.body.error), orderID: '', takingAmount: '', makingAmount: '', status: '', success: true };
  });
  return json(200, results);
}
