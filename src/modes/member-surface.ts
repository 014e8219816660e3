/**
 * A sub-account on a pool's wallet, as the control server sees it: the pool's session cut down to the
 * member's own strategies (ids `<member>/…`). The member sees only their strategies, orders, fills,
 * decisions, positions and the target trades of wallets they follow; their book (cash, PnL, fees) is
 * the sum of their strategies' ledgers plus deposits and withdrawals (engine/sub-accounts.ts). What
 * they do reaches only their strategies: "pause all" and the kill switch pause their strategies and
 * cancel their orders — the shared wallet halts only by the pool's own kill switch. Their calls are
 * recorded in the pool's recording, marked with the member's account id. Limits an admin of the pool
 * sets at run time are recorded there too (`member_limits`), so they outlive a restart; the config's
 * `members[].limits` are the defaults until then.
 */
import type { EngineCommands, EngineSnapshot, PositionRow, StrategyStatus } from '../core/control.ts';
import { toMicros, fromMicros } from '../core/money.ts';
import { memberLimitsSchema, type MemberLimits } from '../config/daemon-config.ts';
import type { RiskManager } from '../risk/risk-manager.ts';
import type { AccountView, RiskLimits } from '../risk/types.ts';
import type { AccountBookQueries, AccountEntryRow, MemberLimitsRow } from '../store/index.ts';
import type { AccountEntry, EntryBook } from '../core/account-directory.ts';
import type { EngineEvent, OrderEvent } from '../core/events.ts';
import type { EngineListener } from '../core/ports.ts';
import { SurfaceError, type SessionSurface } from '../core/session-surface.ts';
import { SUB_ACCOUNT_SEPARATOR, splitBySubAccount } from '../engine/sub-accounts.ts';
import type { LiveSession } from './live-session.ts';

export interface MemberAccount {
  surface: SessionSurface;
  entries: EntryBook;
}

export interface MemberOptions {
  pool: SessionSurface;
  session: LiveSession;
  member: string;
  now: () => number;
  /** The pool recording's entries table: deposits and withdrawals outlive the process. */
  queries: AccountBookQueries;
  /** This member's entries recorded by earlier processes. */
  earlier: AccountEntryRow[];
  /** The limits an admin last set for this member in an earlier process (the risk already holds them). */
  earlierLimits?: MemberLimitsRow;
  /** The member's own limits (the engine checks them on each of the member's orders). */
  risk: RiskManager;
}

export function memberSurface(o: MemberOptions): MemberAccount {
  const { pool, session, member, now, risk } = o;
  const { engine } = session;
  const prefix = member + SUB_ACCOUNT_SEPARATOR;
  const mine = (strategyId: string | undefined) => strategyId !== undefined && strategyId.startsWith(prefix);
  let limitsVersion = o.earlierLimits?.version ?? 0;
  const entries: AccountEntry[] = o.earlier.map((e) => ({ ...e, kind: e.kind === 'withdrawal' ? 'withdrawal' : 'deposit' }));
  const balance = () => entries.reduce((s, e) => s + (e.kind === 'deposit' ? e.amountMicros : -e.amountMicros), 0);
  const own = (id: string): StrategyStatus => {
    const found = mine(id) ? engine.snapshot().strategies.find((s) => s.id === id) : undefined;
    if (!found) throw new SurfaceError(`no strategy "${id}" in this account`, 404);
    return found;
  };
  const ownIds = () =>
    engine
      .snapshot()
      .strategies.filter((s) => mine(s.id))
      .map((s) => s.id);
  const followed = () => new Set(ownStrategies(engine.snapshot()).flatMap((s) => s.wallets));
  const ownStrategies = (snap: EngineSnapshot) => snap.strategies.filter((s) => mine(s.id));

  // Every ledger of the member's, not only running strategies: after a restart a strategy added over
  // the API is gone from the engine, but its fills (restored from the journal) are still the member's.
  const ledgerIds = () => engine.portfolio.strategyIds().filter((id) => mine(id));
  const snapshot = (): EngineSnapshot => {
    const snap = engine.snapshot();
    const ids = ledgerIds();
    const book = splitBySubAccount(engine.portfolio, ids).get(member);
    const deposits = balance();
    const cash = deposits + (book?.tradeCashMicros ?? 0);
    const positions: PositionRow[] = snap.positions.flatMap((p) => {
      const holders = p.holders.filter((h) => mine(h.strategyId));
      let size = 0;
      let cost = 0;
      let realized = 0;
      let held = false;
      for (const id of ids) {
        const pos = engine.portfolio.strategy(id).position(p.tokenId);
        if (!pos) continue;
        held = true;
        size += pos.sizeMicros;
        cost += pos.costMicros;
        realized += pos.realizedMicros;
      }
      if (!held) return [];
      const value = p.markMicros !== undefined ? Math.round((size * p.markMicros) / 1_000_000) : cost;
      return [
        {
          ...p,
          holders,
          sizeMicros: size,
          avgPriceMicros: size > 0 ? Math.round((cost * 1_000_000) / size) : 0,
          unrealizedMicros: value - cost,
          realizedMicros: realized,
        },
      ];
    });
    const value = positions.reduce(
      (s, p) => s + (p.settled ? 0 : Math.round((p.sizeMicros * (p.markMicros ?? p.avgPriceMicros)) / 1_000_000)),
      0,
    );
    const equity = cash + value;
    return {
      ...snap,
      equity: {
        tsMs: snap.equity.tsMs,
        equityMicros: equity,
        cashMicros: cash,
        realizedMicros: book?.realizedMicros ?? 0,
        unrealizedMicros: book?.unrealizedMicros ?? 0,
        feesMicros: book?.feesMicros ?? 0,
      },
      // The pool's day start and peak are the wallet's: a member's own are not tracked yet.
      dayStartEquityMicros: equity,
      peakEquityMicros: equity,
      startCashMicros: deposits,
      positions,
      openOrders: snap.openOrders.filter((o) => mine(o.strategyId)),
      strategies: ownStrategies(snap),
      // The member's own limits count orders and BUY cost per day: usage needs no holdings.
      riskUsage: risk.usage(NO_HOLDINGS, now()),
    };
  };

  let limitsChain: Promise<unknown> = Promise.resolve();
  const setLimits = async (patch: Record<string, unknown>): Promise<MemberLimits> => {
    const merged: Record<string, unknown> = { ...limitsConfig(risk), ...patch };
    for (const [k, v] of Object.entries(merged)) if (v === null) delete merged[k];
    const parsed = memberLimitsSchema.safeParse(merged);
    if (!parsed.success)
      throw new SurfaceError(
        `sub-account limits: ${parsed.error.issues.map((i) => `${i.path.join('.') || '(top)'}: ${i.message}`).join('; ')}`,
        400,
      );
    const next = memberRiskLimits(parsed.data, true);
    // In the recording first: limits the API confirmed are the ones in force after a restart.
    await o.queries.recordMemberLimits({ account: member, tsMs: now(), version: ++limitsVersion, ...defined(next) });
    risk.updateLimits(next);
    return limitsConfig(risk);
  };

  const pauseMine = (reason: string) => {
    for (const id of ownIds()) engine.control.pauseStrategy(id, reason);
  };
  const commands: EngineCommands = {
    pauseAll: pauseMine,
    resumeAll: () => {
      for (const s of ownStrategies(engine.snapshot())) if (!s.stopped) engine.control.resumeStrategy(s.id);
    },
    pauseStrategy: (id, reason) => (own(id), engine.control.pauseStrategy(id, reason)),
    resumeStrategy: (id) => (own(id), engine.control.resumeStrategy(id)),
    setMultiplier: (id, m) => (own(id), engine.control.setMultiplier(id, m)),
    setKnob: (id, knob, v) => (own(id), engine.control.setKnob(id, knob, v)),
    killSwitch: (reason) => {
      pauseMine(reason);
      for (const o of engine.snapshot().openOrders) if (mine(o.strategyId)) engine.control.cancelOrder(o.clientOrderId);
    },
    cancelOrder: (clientOrderId) => {
      if (!engine.snapshot().openOrders.some((o) => o.clientOrderId === clientOrderId && mine(o.strategyId)))
        throw new SurfaceError(`no open order "${clientOrderId}" in this account`, 404);
      engine.control.cancelOrder(clientOrderId);
    },
    resync: () => engine.control.resync(),
  };

  const filtered = (listener: EngineListener): EngineListener => ({
    onEvent: (e: EngineEvent) => {
      if (e.type === 'target_trade' && !followed().has(e.trade.wallet)) return;
      listener.onEvent?.(e);
    },
    onDecision: (d) => (mine(d.strategyId) ? listener.onDecision?.(d) : undefined),
    onOrderEvent: (e: OrderEvent) => (mine(e.order.strategyId) ? listener.onOrderEvent?.(e) : undefined),
    onAlert: (a) => {
      const strategy = a.details?.['strategyId'];
      if (typeof strategy !== 'string' || mine(strategy)) listener.onAlert?.(a);
    },
    onRiskState: (state, reason) => listener.onRiskState?.(state, reason),
  });

  const surface: SessionSurface = {
    info: pool.info,
    view: { mode: engine.control.mode, snapshot },
    commands,
    subscribe: (listener) => pool.subscribe(filtered(listener)),
    recentFills: async (limit) => (await pool.recentFills(5000)).filter((f) => mine(f.strategyId)).slice(0, limit),
    recentDecisions: async (q) => (await pool.recentDecisions({ ...q, limit: 5000 })).filter((d) => mine(d.strategyId)).slice(0, q.limit),
    equitySeries: async () => [], // members' equity points are not recorded yet; the dashboard draws from live equity
    recordAction: (a) => pool.recordAction({ ...a, params: { ...a.params, account: member } }),
    controlActions: async (limit) => (await pool.controlActions(5000)).filter((a) => a.params?.['account'] === member).slice(0, limit),
    riskLimits: () => limitsConfig(risk),
    updateRiskLimits: (patch) => {
      // One change at a time: each merges onto the limits the one before it left (and recorded).
      const change = limitsChain.then(() => setLimits(patch));
      limitsChain = change.catch(() => undefined);
      return change;
    },
    addTarget: (input) =>
      pool.startStrategy({
        name: input.strategy ?? 'mirror',
        id: `${prefix}${input.label ?? `${input.strategy ?? 'mirror'}@${input.wallet.slice(0, 10)}`}`,
        params: {
          wallets: [input.wallet],
          ...(input.multiplier !== undefined ? { sizing: { mode: 'multiplier', multiplier: input.multiplier } } : {}),
        },
      }),
    startStrategy: (input) => pool.startStrategy({ ...input, id: `${prefix}${input.id ?? input.name}` }),
    stopStrategy: (id) => (own(id), pool.stopStrategy(id)),
  };

  const entryBook: EntryBook = {
    list: () => [...entries],
    record: async (entry) => {
      if (!Number.isSafeInteger(entry.amountMicros) || entry.amountMicros <= 0)
        throw new SurfaceError('amount must be a positive USDC amount', 400);
      if (entry.kind === 'withdrawal' && entry.amountMicros > snapshot().equity.cashMicros)
        throw new SurfaceError('a withdrawal cannot exceed the member’s cash', 409);
      const made: AccountEntry = { ...entry, entryId: `e${entries.length + 1}`, tsMs: now(), account: member };
      await o.queries.recordEntry(made); // in the recording first: an entry the API confirmed survives a restart
      entries.push(made);
      return made;
    },
  };
  return { surface, entries: entryBook };
}

const NO_HOLDINGS: AccountView = {
  cashMicros: 0,
  equityMicros: 0,
  positionSize: () => 0,
  marketExposure: () => 0,
  totalExposure: () => 0,
  marketsHeld: () => new Set<string>(),
};

/** The limits a member may have, as the engine's RiskManager holds them. */
export type MemberRiskLimits = Pick<RiskLimits, 'maxOrderUsdcMicros' | 'maxDailyTrades' | 'maxDailyUsdcMicros'>;

/** A member's limits as the engine's RiskManager takes them; `clear` lists unset ones too, so an update removes them. */
export function memberRiskLimits(limits: MemberLimits, clear = false): MemberRiskLimits {
  return {
    ...(clear ? { maxOrderUsdcMicros: undefined, maxDailyTrades: undefined, maxDailyUsdcMicros: undefined } : {}),
    ...(limits.maxOrderUsdc !== undefined ? { maxOrderUsdcMicros: toMicros(limits.maxOrderUsdc) } : {}),
    ...(limits.maxDailyTrades !== undefined ? { maxDailyTrades: limits.maxDailyTrades } : {}),
    ...(limits.maxDailyUsdc !== undefined ? { maxDailyUsdcMicros: toMicros(limits.maxDailyUsdc) } : {}),
  };
}

/** Limits recorded by an earlier process, as an update (every limit listed, unset ones removed). */
export function recordedMemberLimits(row: MemberLimitsRow): MemberRiskLimits {
  return {
    maxOrderUsdcMicros: row.maxOrderUsdcMicros,
    maxDailyTrades: row.maxDailyTrades,
    maxDailyUsdcMicros: row.maxDailyUsdcMicros,
  };
}

function defined(l: MemberRiskLimits): MemberRiskLimits {
  const out: MemberRiskLimits = {};
  if (l.maxOrderUsdcMicros !== undefined) out.maxOrderUsdcMicros = l.maxOrderUsdcMicros;
  if (l.maxDailyTrades !== undefined) out.maxDailyTrades = l.maxDailyTrades;
  if (l.maxDailyUsdcMicros !== undefined) out.maxDailyUsdcMicros = l.maxDailyUsdcMicros;
  return out;
}

function limitsConfig(risk: RiskManager): MemberLimits {
  const l = risk.limits;
  return {
    ...(l.maxOrderUsdcMicros !== undefined ? { maxOrderUsdc: fromMicros(l.maxOrderUsdcMicros) } : {}),
    ...(l.maxDailyTrades !== undefined ? { maxDailyTrades: l.maxDailyTrades } : {}),
    ...(l.maxDailyUsdcMicros !== undefined ? { maxDailyUsdc: fromMicros(l.maxDailyUsdcMicros) } : {}),
  };
}
