/**
 * What a daemon keeps of an account in its recording besides the trading itself: market strategy
 * runs (`strategy_runs`, the seed's table: strategy, parameters, status, who started it, its fills and
 * PnL), a sub-account's deposits and withdrawals (`account_entries`, recorded by the pool's admin) and
 * the sub-account limits that admin set at run time (`member_limits`). All are append-only: a run's or
 * a member's limits' every change is a new row with a higher `version`, the newest one is in force; an
 * entry is never changed. Created on first use, so older recordings stay readable.
 */
import type { RecordingStore } from './recording-store.ts';
import { SideQueries } from './side-queries.ts';

export interface StrategyRunRow {
  runId: string;
  /** The account the run belongs to (a pool's recording holds its members' runs too). */
  account: string;
  /** The strategy id in the engine (`<member>/<name>` for a member's run). */
  strategyId: string;
  strategy: string;
  params: Record<string, unknown>;
  status: string;
  reason?: string;
  startedMs: number;
  endedMs?: number;
  startedBy: string;
  fills: number;
  realizedMicros: number;
  unrealizedMicros: number;
  feesMicros: number;
  /** Higher for a later state of the same run. */
  version: number;
}

export interface AccountEntryRow {
  entryId: string;
  tsMs: number;
  account: string;
  kind: string;
  amountMicros: number;
  note: string;
  by: string;
}

/** A sub-account's limits as an admin set them, in micros and counts (absent = not limited). */
export interface MemberLimitsRow {
  account: string;
  tsMs: number;
  /** Higher for a later change of the same member's limits. */
  version: number;
  maxOrderUsdcMicros?: number;
  maxDailyTrades?: number;
  maxDailyUsdcMicros?: number;
}

const LIMIT_COLUMNS = ['maxOrderUsdcMicros', 'maxDailyTrades', 'maxDailyUsdcMicros'] as const;

const CREATE_RUNS = `CREATE TABLE IF NOT EXISTS strategy_runs (
  run_id VARCHAR, account VARCHAR, strategy_id VARCHAR, strategy VARCHAR, params VARCHAR, status VARCHAR,
  reason VARCHAR, started_ms BIGINT, ended_ms BIGINT, started_by VARCHAR, fills BIGINT,
  realized_micros BIGINT, unrealized_micros BIGINT, fees_micros BIGINT, version BIGINT)`;
const CREATE_ENTRIES = `CREATE TABLE IF NOT EXISTS account_entries (
  entry_id VARCHAR, ts_ms BIGINT, account VARCHAR, kind VARCHAR, amount_micros BIGINT, note VARCHAR, recorded_by VARCHAR)`;

const CREATE_MEMBER_LIMITS = `CREATE TABLE IF NOT EXISTS member_limits (
  account VARCHAR, ts_ms BIGINT, version BIGINT, max_order_usdc_micros BIGINT, max_daily_trades BIGINT,
  max_daily_usdc_micros BIGINT)`;

export class AccountBookQueries {
  private readonly side: SideQueries;

  constructor(store: RecordingStore) {
    this.side = new SideQueries(store, [CREATE_RUNS, CREATE_ENTRIES, CREATE_MEMBER_LIMITS]);
  }

  recordRun(r: StrategyRunRow): Promise<void> {
    return this.side.write(`INSERT INTO strategy_runs VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`, [
      r.runId,
      r.account,
      r.strategyId,
      r.strategy,
      JSON.stringify(r.params),
      r.status,
      r.reason ?? null,
      r.startedMs,
      r.endedMs ?? null,
      r.startedBy,
      r.fills,
      r.realizedMicros,
      r.unrealizedMicros,
      r.feesMicros,
      r.version,
    ]);
  }

  /** Every run's newest state, oldest run first (after the writes asked for so far). */
  async runs(): Promise<StrategyRunRow[]> {
    await this.side.settled();
    const rows = await this.side.query(
      `SELECT * FROM strategy_runs QUALIFY row_number() OVER (PARTITION BY account, run_id ORDER BY version DESC) = 1 ORDER BY started_ms, run_id`,
    );
    return rows.map((r) => ({
      runId: String(r.run_id),
      account: String(r.account),
      strategyId: String(r.strategy_id),
      strategy: String(r.strategy),
      params: JSON.parse(String(r.params)) as Record<string, unknown>,
      status: String(r.status),
      ...(r.reason !== null ? { reason: String(r.reason) } : {}),
      startedMs: Number(r.started_ms),
      ...(r.ended_ms !== null ? { endedMs: Number(r.ended_ms) } : {}),
      startedBy: String(r.started_by),
      fills: Number(r.fills),
      realizedMicros: Number(r.realized_micros),
      unrealizedMicros: Number(r.unrealized_micros),
      feesMicros: Number(r.fees_micros),
      version: Number(r.version),
    }));
  }

  recordEntry(e: AccountEntryRow): Promise<void> {
    return this.side.write(`INSERT INTO account_entries VALUES (?, ?, ?, ?, ?, ?, ?)`, [
      e.entryId,
      e.tsMs,
      e.account,
      e.kind,
      e.amountMicros,
      e.note,
      e.by,
    ]);
  }

  /** Every entry, in the order recorded (after the writes asked for so far). */
  async entries(): Promise<AccountEntryRow[]> {
    await this.side.settled();
    const rows = await this.side.query(`SELECT * FROM account_entries ORDER BY ts_ms, entry_id`);
    return rows.map((r) => ({
      entryId: String(r.entry_id),
      tsMs: Number(r.ts_ms),
      account: String(r.account),
      kind: String(r.kind),
      amountMicros: Number(r.amount_micros),
      note: String(r.note),
      by: String(r.recorded_by),
    }));
  }

  recordMemberLimits(l: MemberLimitsRow): Promise<void> {
    return this.side.write(`INSERT INTO member_limits VALUES (?, ?, ?, ?, ?, ?)`, [
      l.account,
      l.tsMs,
      l.version,
      l.maxOrderUsdcMicros ?? null,
      l.maxDailyTrades ?? null,
      l.maxDailyUsdcMicros ?? null,
    ]);
  }

  /** Each member's newest limits (after the writes asked for so far); a member never changed is absent. */
  async memberLimits(): Promise<MemberLimitsRow[]> {
    await this.side.settled();
    const rows = await this.side.query(
      `SELECT * FROM member_limits QUALIFY row_number() OVER (PARTITION BY account ORDER BY version DESC) = 1 ORDER BY account`,
    );
    return rows.map((r) => {
      const row: MemberLimitsRow = { account: String(r.account), tsMs: Number(r.ts_ms), version: Number(r.version) };
      const values = [r.max_order_usdc_micros, r.max_daily_trades, r.max_daily_usdc_micros];
      LIMIT_COLUMNS.forEach((key, i) => {
        if (values[i] !== null && values[i] !== undefined) row[key] = Number(values[i]);
      });
      return row;
    });
  }
}
