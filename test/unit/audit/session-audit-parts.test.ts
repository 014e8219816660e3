/**
 * The copy audit credits a chain part against every fill it sums. The target's BUY takes four asks in one
 * transaction (10 shares each at 0.50, 0.51, 0.52, 0.53); the Data API reports the first fill, then the
 * chain's total of the order arrives and dedup passes on only the rest: one part of 30 shares at their
 * average price, spanning the other three fills. On a real sandbox ledger and a real DuckDB recording the
 * audit must count the four fills answered once, and still catch a part copied beside a fill it covers, a
 * part that sums no fills of the transaction, and a part that covers too little.
 */
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fillKey } from '../../../src/core/dedup.ts';
import type { Order } from '../../../src/core/types.ts';
import { startSandbox, type Sandbox } from '../../../src/sandbox/index.ts';
import type { PlaceRequest } from '../../../src/sandbox/exchange/exchange.ts';
import { RecordingStore, RunRecorder } from '../../../src/store/index.ts';
import { auditSession, targetFillsFromLedger, type LedgerRow, type TargetFill } from '../../helpers/session-audit.ts';
import { useTempDir } from '../store/helpers.ts';

const TARGET = '0x1111111111111111111111111111111111111111';
const MAKER = '0x3333333333333333333333333333333333333333';
const tempDir = useTempDir();

let sb: Sandbox;
let ledger: LedgerRow[];
let fills: TargetFill[];
let token: string;
let sinceMs: number;

beforeAll(async () => {
  sb = await startSandbox({ port: 0, synthetic: false, scenario: { seed: 7, markets: [{ slug: 'parts-market' }] } });
  const ex = sb.state;
  token = [...ex.markets.values()][0]!.tokenIds[0];
  for (const a of [TARGET, MAKER]) {
    ex.accounts.get(a).usdcMicros = 10_000_000_000;
    ex.accounts.addTokens(a, token, 1_000_000_000);
  }
  const place = (over: Pick<PlaceRequest, 'id' | 'makerAddress' | 'side' | 'type' | 'makerAmountMicros' | 'takerAmountMicros'>) => {
    const r = ex.place({
      owner: over.makerAddress,
      signer: over.makerAddress,
      tokenId: token,
      expirationSec: 0,
      postOnly: false,
      source: 'clob',
      ...over,
    });
    if (!r.ok) throw new Error(r.error);
  };
  sinceMs = Date.now();
  for (const [i, price] of [500_000, 510_000, 520_000, 530_000].entries())
    place({ id: `ask-${i}`, makerAddress: MAKER, side: 'SELL', type: 'GTC', makerAmountMicros: 10_000_000, takerAmountMicros: price * 10 });
  // 40 shares at a 0.53 limit take all four asks (5.00 + 5.10 + 5.20 + 5.30 paid).
  place({ id: 'sweep', makerAddress: TARGET, side: 'BUY', type: 'FAK', makerAmountMicros: 21_200_000, takerAmountMicros: 40_000_000 });
  ledger = (await (await fetch(`${sb.urls.admin}/ledger`)).json()) as LedgerRow[];
  fills = targetFillsFromLedger(ledger, [TARGET]);
});
afterAll(() => sb.stop());

/** The key dedup gives a report of `size` shares at `price` in the sweep's transaction (occurrence 1). */
const keyOf = (size: number, price: number) =>
  fillKey(
    {
      wallet: TARGET,
      txHash: fills[0]!.txHash,
      tokenId: token,
      conditionId: '',
      side: 'BUY',
      sizeMicros: size,
      priceMicros: price,
      usdcMicros: 0,
      outcome: '',
    },
    1,
  );
/** The first fill as the Data API reports it, and the part of the chain's total that was left: 30 shares at 0.52. */
const first = () => keyOf(fills[0]!.sizeMicros, fills[0]!.priceMicros);
const part = () => keyOf(30_000_000, 520_000);

/** A paper session's recording: each decision copied (its order accepted by the venue) or skipped. */
async function audit(decisions: [key: string, action: 'copy' | 'skip'][], keySources?: ReadonlyMap<string, string>) {
  const recording = await RecordingStore.open(join(tempDir(), 'session.duckdb'));
  const rec = new RunRecorder(recording, 'run-parts');
  decisions.forEach(([causeKey, action], i) => {
    const clientOrderId = `o-${i}`;
    rec.onDecision({
      decisionId: `d-${i}`,
      tsMs: sinceMs + i,
      strategyId: 'tail',
      wallet: TARGET,
      causeKey,
      tokenId: token,
      action,
      reason: action === 'copy' ? 'approved' : 'below_min_notional',
      message: '',
      details: {},
      checks: [],
      ...(action === 'copy' ? { clientOrderId } : {}),
    });
    if (action === 'skip') return;
    const order: Order = {
      clientOrderId,
      strategyId: 'tail',
      tokenId: token,
      conditionId: '',
      side: 'BUY',
      type: 'FOK',
      priceMicros: 600_000,
      sizeMicros: 2_000_000,
      postOnly: false,
      createdMs: sinceMs,
      causeKey,
      salt: 1,
    };
    rec.onOrderEvent({ type: 'order_accepted', order, venueOrderId: `v-${i}`, tsEvent: sinceMs, tsRecv: sinceMs });
  });
  try {
    return await auditSession({ recording, ledger, targets: [TARGET], sinceMs, ...(keySources ? { keySources } : {}) });
  } finally {
    await recording.close();
  }
}

describe('session audit: a chain part spanning several fills of one transaction', () => {
  it('the sweep is four fills of one transaction on the ledger', () => {
    expect(fills.map((f) => [f.side, f.sizeMicros, f.priceMicros])).toEqual([
      ['BUY', 10_000_000, 500_000],
      ['BUY', 10_000_000, 510_000],
      ['BUY', 10_000_000, 520_000],
      ['BUY', 10_000_000, 530_000],
    ]);
    expect(new Set(fills.map((f) => f.txHash)).size).toBe(1);
  });

  it('credits a copied part against the three fills it sums, the first fill by its own key', async () => {
    const r = await audit([
      [first(), 'copy'],
      [part(), 'copy'],
    ]);
    expect(r).toMatchObject({ targetTrades: 4, copied: 4, skipped: 0, duplicates: 0, unexplainedMissing: 0, phantomCopies: 0 });
  });

  it('attributes each fill to the source whose report was passed on: the row to the Data API, the three the part sums to the chain', async () => {
    const r = await audit(
      [
        [first(), 'copy'],
        [part(), 'copy'],
      ],
      new Map([
        [first(), 'data-api'],
        [part(), 'chain'],
      ]),
    );
    expect(r.firstSeenBy).toEqual({ 'data-api': 1, chain: 3 });
  });

  it('counts the fills of a skipped part as skipped with its reason', async () => {
    const r = await audit([
      [first(), 'copy'],
      [part(), 'skip'],
    ]);
    expect(r).toMatchObject({ targetTrades: 4, copied: 1, skipped: 3, duplicates: 0, unexplainedMissing: 0, phantomCopies: 0 });
    expect(r.skipReasons).toEqual({ below_min_notional: 3 });
  });

  it('catches a part copied beside a fill it already covers: more shares copied than traded', async () => {
    const second = keyOf(fills[1]!.sizeMicros, fills[1]!.priceMicros);
    const r = await audit([
      [first(), 'copy'],
      [part(), 'copy'],
      [second, 'copy'],
    ]);
    expect(r.duplicates).toBe(1);
    expect(r.examples.duplicates[0]).toMatch(/50000000 shares copied of 40000000 traded/);
  });

  it('catches a "part" whose size is no sum of the transaction’s fills as a phantom, and the fills as missed', async () => {
    const r = await audit([
      [first(), 'copy'],
      [keyOf(25_000_000, 520_000), 'copy'],
    ]);
    expect(r).toMatchObject({ phantomCopies: 1, unexplainedMissing: 3, copied: 1 });
  });

  it('catches a part that covers two of the three fills left: one fill unanswered', async () => {
    const r = await audit([
      [first(), 'copy'],
      [keyOf(20_000_000, 515_000), 'copy'],
    ]);
    expect(r.unexplainedMissing).toBe(1);
    expect(r.duplicates).toBe(0);
  });
});
