/**
 * The copy audit can fail: on a real sandbox ledger (read over its admin API) and a real DuckDB
 * recording, a seeded duplicate copy, a seeded missed copy, a copy approved but never sent and a copy
 * of a fill that never happened are each caught, and a session that answered every fill once passes.
 * A copy counts only when our order for it is on the exchange's ledger.
 */
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fillKey } from '../../../src/core/dedup.ts';
import type { Decision } from '../../../src/core/ports.ts';
import type { Fill, Order } from '../../../src/core/types.ts';
import { FileIntentJournal } from '../../../src/exec/clob/intent-journal.ts';
import { startSandbox, type Sandbox } from '../../../src/sandbox/index.ts';
import type { PlaceRequest } from '../../../src/sandbox/exchange/exchange.ts';
import { RecordingStore, RunRecorder } from '../../../src/store/index.ts';
import { auditSession, targetFillsFromLedger, type LedgerRow, type TargetFill } from '../../helpers/session-audit.ts';
import { useTempDir } from '../store/helpers.ts';

const TARGET = '0x1111111111111111111111111111111111111111';
const MAKER = '0x3333333333333333333333333333333333333333';
const BUYER = '0x4444444444444444444444444444444444444444';
const ME = '0xf39fd6e51aad88f6f4ce6ab8827279cfffb92266';
const tempDir = useTempDir();
/** Orders of ours on the ledger, one per copy a test seeds. */
const OUR_ORDERS = ['our-1', 'our-2', 'our-3', 'our-4', 'our-5'];

let sb: Sandbox;
let ledger: LedgerRow[];
let fills: TargetFill[];
let token: string;
let sinceMs: number;

function place(over: Partial<PlaceRequest> & Pick<PlaceRequest, 'id' | 'makerAddress' | 'side' | 'type'>): void {
  const r = sb.state.place({
    owner: over.makerAddress,
    signer: over.makerAddress,
    tokenId: token,
    makerAmountMicros: 0,
    takerAmountMicros: 0,
    expirationSec: 0,
    postOnly: false,
    source: 'clob',
    ...over,
  });
  if (!r.ok) throw new Error(r.error);
}

beforeAll(async () => {
  sb = await startSandbox({ port: 0, synthetic: false, scenario: { seed: 5, markets: [{ slug: 'audit-market' }] } });
  const ex = sb.state;
  token = [...ex.markets.values()][0]!.tokenIds[0];
  for (const a of [TARGET, MAKER, BUYER, ME]) {
    ex.accounts.get(a).usdcMicros = 10_000_000_000;
    ex.accounts.addTokens(a, token, 1_000_000_000);
  }
  // Before the audited window: one fill the audit must not count.
  place({ id: 'early-ask', makerAddress: MAKER, side: 'SELL', type: 'GTC', makerAmountMicros: 5_000_000, takerAmountMicros: 3_000_000 });
  place({ id: 'early-buy', makerAddress: TARGET, side: 'BUY', type: 'FAK', makerAmountMicros: 3_000_000, takerAmountMicros: 5_000_000 });
  sinceMs = Date.now() + 1;
  while (Date.now() < sinceMs) await new Promise((r) => setTimeout(r, 1));
  // Two maker asks of 10 at 0.50, taken by one $10 BUY of the target: two byte-identical genuine fills.
  for (const id of ['ask-1', 'ask-2'])
    place({ id, makerAddress: MAKER, side: 'SELL', type: 'GTC', makerAmountMicros: 10_000_000, takerAmountMicros: 5_000_000 });
  place({ id: 'target-buy', makerAddress: TARGET, side: 'BUY', type: 'FAK', makerAmountMicros: 10_000_000, takerAmountMicros: 20_000_000 });
  // The target as maker: its resting SELL of 6 at 0.55 is taken by another wallet.
  place({ id: 'target-ask', makerAddress: TARGET, side: 'SELL', type: 'GTC', makerAmountMicros: 6_000_000, takerAmountMicros: 3_300_000 });
  place({ id: 'other-buy', makerAddress: BUYER, side: 'BUY', type: 'FAK', makerAmountMicros: 3_300_000, takerAmountMicros: 6_000_000 });
  // The target sells 5 into a resting bid at 0.45.
  place({ id: 'bid', makerAddress: MAKER, side: 'BUY', type: 'GTC', makerAmountMicros: 4_500_000, takerAmountMicros: 10_000_000 });
  place({ id: 'target-sell', makerAddress: TARGET, side: 'SELL', type: 'FAK', makerAmountMicros: 5_000_000, takerAmountMicros: 2_250_000 });
  // Our own copy, matched against the rest of that bid.
  place({ id: 'our-sell', makerAddress: ME, side: 'SELL', type: 'FAK', makerAmountMicros: 5_000_000, takerAmountMicros: 2_250_000 });
  // Our BUYs of 2 at 0.60 against a deep ask: the orders the seeded copies name.
  place({ id: 'deep-ask', makerAddress: MAKER, side: 'SELL', type: 'GTC', makerAmountMicros: 100_000_000, takerAmountMicros: 60_000_000 });
  for (const id of OUR_ORDERS)
    place({ id, makerAddress: ME, side: 'BUY', type: 'FAK', makerAmountMicros: 1_200_000, takerAmountMicros: 2_000_000 });
  ledger = (await (await fetch(`${sb.urls.admin}/ledger`)).json()) as LedgerRow[];
  fills = targetFillsFromLedger(ledger, [TARGET]).filter((f) => f.tsMs >= sinceMs);
});
afterAll(() => sb.stop());

/** The dedup key polytail gives the n-th identical copy of a fill. */
const keyOf = (f: TargetFill, occurrence = 1) =>
  fillKey(
    {
      wallet: f.wallet,
      txHash: f.txHash,
      tokenId: f.tokenId,
      conditionId: '',
      side: f.side,
      sizeMicros: f.sizeMicros,
      priceMicros: f.priceMicros,
      usdcMicros: 0,
      outcome: '',
    },
    occurrence,
  );

function decision(causeKey: string, action: 'copy' | 'skip', n: number): Decision {
  return {
    decisionId: `d-${n}`,
    tsMs: sinceMs + n,
    strategyId: 'tail',
    wallet: TARGET,
    causeKey,
    tokenId: token,
    action,
    reason: action === 'copy' ? 'approved' : 'below_min_notional',
    message: '',
    details: {},
    checks: [],
  };
}

type Seeded = [key: string, action: 'copy' | 'skip' | 'unsent'];

const orderFor = (clientOrderId: string, causeKey: string): Order => ({
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
});

/**
 * A recording holding these decisions, as a session writes it: each `copy` is an approved decision
 * whose order the exchange accepted (the next of our orders on the ledger), each `unsent` an approved
 * decision whose order never got anywhere (a crash before signing), each `skip` a skip.
 */
async function recordingWith(decisions: Seeded[], ours: Fill[] = []): Promise<RecordingStore> {
  const store = await RecordingStore.open(join(tempDir(), 'session.duckdb'));
  const rec = new RunRecorder(store, 'run-audit');
  let sent = 0;
  decisions.forEach(([key, action], i) => {
    const d = decision(key, action === 'skip' ? 'skip' : 'copy', i);
    d.clientOrderId = `o-${i}`;
    rec.onDecision(d);
    if (action !== 'copy') return;
    const order = orderFor(d.clientOrderId, key);
    rec.onOrderEvent({ type: 'order_accepted', order, venueOrderId: OUR_ORDERS[sent++], tsEvent: sinceMs, tsRecv: sinceMs });
  });
  for (const f of ours) rec.appendFill(f);
  await store.flush();
  return store;
}

/** What a correct session decides: each fill answered once, identical fills numbered 1 and 2. */
function answered(): Seeded[] {
  const seen = new Map<string, number>();
  return fills.map((f) => {
    const n = (seen.get(keyOf(f, 0)) ?? 0) + 1;
    seen.set(keyOf(f, 0), n);
    return [keyOf(f, n), f.side === 'SELL' && f.sizeMicros === 5_000_000 ? 'skip' : 'copy'];
  });
}

async function audit(decisions: Seeded[], extra: Partial<Parameters<typeof auditSession>[0]> = {}) {
  const recording = await recordingWith(decisions);
  try {
    return await auditSession({ recording, ledger, targets: [TARGET], sinceMs, ourAddress: ME, ...extra });
  } finally {
    await recording.close();
  }
}

describe('session audit (truth from the sandbox ledger)', () => {
  it('reads the target’s fills from the ledger on both sides of a match, identical fills counted apart', () => {
    expect(fills.map((f) => [f.side, f.sizeMicros, f.priceMicros])).toEqual([
      ['BUY', 10_000_000, 500_000],
      ['BUY', 10_000_000, 500_000],
      ['SELL', 6_000_000, 550_000],
      ['SELL', 5_000_000, 450_000],
    ]);
    expect(fills[0]!.txHash).toBe(fills[1]!.txHash);
    expect(targetFillsFromLedger(ledger, [TARGET])).toHaveLength(5); // plus the one before the window
  });

  it('passes a session that answered every fill once', async () => {
    const r = await audit(answered());
    expect(r).toMatchObject({ targetTrades: 4, copied: 3, skipped: 1, duplicates: 0, unexplainedMissing: 0, phantomCopies: 0 });
    expect(r.skipReasons).toEqual({ below_min_notional: 1 });
  });

  it('catches a seeded duplicate: the same fill copied twice under one key', async () => {
    const d = answered();
    const r = await audit([...d, d[2]!]);
    expect(r.duplicates).toBe(1);
    expect(r.unexplainedMissing).toBe(0);
    expect(r.examples.duplicates[0]).toContain(':SELL:6000000:550000');
  });

  it('catches a seeded duplicate: one fill seen twice under two keys (#1 and #2) and copied both times', async () => {
    const d = answered();
    const r = await audit([...d, [keyOf(fills[2]!, 2), 'copy']]);
    expect(r.duplicates).toBe(1);
  });

  it('catches a seeded duplicate order that only the intent journal shows', async () => {
    const journal = FileIntentJournal.open(tempDir());
    // A second order for the first fill, on the exchange's ledger; only the intent journal names it.
    for (const [id, hash] of [['j-1', 'our-4']] as const)
      journal.recordIntent({
        clientOrderId: id,
        order: orderFor(id, answered()[0]![0]),
        orderHash: hash,
        salt: '1',
        makerAmount: '',
        takerAmount: '',
        signedAtMs: 0,
      });
    const r = await audit(answered(), { intents: journal.entries() });
    journal.close();
    expect(r.duplicates).toBe(1);
  });

  it('judges the chain’s total of a taking order by shares: covered once, and copying more shares is a duplicate', async () => {
    // The chain reports the target's BUY that took two asks as one total: 20 shares at 0.50.
    const total: TargetFill = { ...fills[0]!, sizeMicros: 20_000_000 };
    const rest = answered().slice(2);
    const r = await audit([[keyOf(total, 1), 'copy'], ...rest]);
    expect(r).toMatchObject({ targetTrades: 4, copied: 3, skipped: 1, duplicates: 0, unexplainedMissing: 0, phantomCopies: 0 });
    const twice = await audit([[keyOf(total, 1), 'copy'], answered()[0]!, ...rest]);
    expect(twice.duplicates).toBe(1);
    expect(twice.examples.duplicates[0]).toMatch(/30000000 shares copied of 20000000 traded/);
    const skipped = await audit([[keyOf(total, 1), 'skip'], ...rest]);
    expect(skipped).toMatchObject({ copied: 1, skipped: 3, unexplainedMissing: 0 });
  });

  it('catches a copy approved but never sent (killed before signing): approved is not copied', async () => {
    const d = answered();
    d[2] = [d[2]![0], 'unsent'];
    const r = await audit(d);
    expect(r).toMatchObject({ unexplainedMissing: 1, duplicates: 0, copied: 2, skipped: 1 });
    expect(r.examples.missing[0]).toContain(':SELL:6000000:550000');
  });

  it('counts a copy whose order the exchange refused as skipped, with the refusal as its reason', async () => {
    const d = answered();
    d[2] = [d[2]![0], 'unsent'];
    const recording = await recordingWith(d);
    const rec = new RunRecorder(recording, 'run-audit');
    const order = orderFor('o-2', d[2]![0]);
    rec.onOrderEvent({ type: 'order_rejected', order, reason: 'no_match', message: 'no match', tsEvent: sinceMs, tsRecv: sinceMs });
    await recording.flush();
    const r = await auditSession({ recording, ledger, targets: [TARGET], sinceMs, ourAddress: ME });
    await recording.close();
    expect(r).toMatchObject({ unexplainedMissing: 0, copied: 2, skipped: 2 });
    expect(r.skipReasons).toEqual({ below_min_notional: 1, 'order_rejected:no_match': 1 });
  });

  it('catches a seeded missed copy: a fill with neither a copy nor a skip', async () => {
    const r = await audit(answered().filter((_, i) => i !== 2));
    expect(r).toMatchObject({ unexplainedMissing: 1, duplicates: 0, copied: 2, skipped: 1 });
    expect(r.examples.missing[0]).toContain(':SELL:6000000:550000');
  });

  it('catches a missed second identical fill (only #1 answered)', async () => {
    const r = await audit(answered().filter((_, i) => i !== 1));
    expect(r.unexplainedMissing).toBe(1);
  });

  it('catches a copy of a fill no target made (a wrong size in the key), and the real fill as missed', async () => {
    const d = answered();
    const wrong = { ...fills[2]!, sizeMicros: 6_100_000 };
    d[2] = [keyOf(wrong), 'copy'];
    const r = await audit(d);
    expect(r).toMatchObject({ phantomCopies: 1, unexplainedMissing: 1 });
  });

  it('compares our recorded fills with the ledger: a forgotten fill of ours is a mismatch', async () => {
    const all: Fill[] = ledger
      .filter((l) => l.taker === ME)
      .map((mine, i) => ({
        fillId: `f-${i}`,
        clientOrderId: `o-${i}`,
        strategyId: 'tail',
        tokenId: token,
        conditionId: '',
        side: mine.takerSide,
        priceMicros: mine.priceMicros,
        sizeMicros: mine.sizeMicros,
        feeMicros: 0,
        liquidity: 'taker',
        tsMs: mine.tsMs,
        venueTradeId: mine.tradeId,
      }));
    expect(all).toHaveLength(1 + OUR_ORDERS.length);
    for (const [ours, mismatches] of [
      [all, 0],
      [all.slice(1), 1],
      [[...all, { ...all[0]!, fillId: 'f-dup' }], 1],
    ] as const) {
      const recording = await recordingWith(answered(), [...ours]);
      const r = await auditSession({ recording, ledger, targets: [TARGET], sinceMs, ourAddress: ME });
      await recording.close();
      expect(r.ledgerMismatches).toBe(mismatches);
    }
  });
});
