/**
 * What the control API reads from a session's recording (newest history across every process that
 * ran the session), and the audit table of state-changing calls: who (token id and name, or a
 * Telegram chat), what, when, and how it went. The audit table is created on first use, so older
 * recordings stay readable without it.
 */
import type { Decision, EquityPoint } from '../core/ports.ts';
import type { Fill } from '../core/types.ts';
import type { RecordingStore } from './recording-store.ts';
import { SideQueries } from './side-queries.ts';
import { rowToDecision, rowToEquity, rowToFill } from './run-rows.ts';

export interface ControlActionRow {
  tsMs: number;
  runId: string;
  actorId: string;
  actorName: string;
  role: string;
  via: string;
  action: string;
  subject?: string;
  params?: Record<string, unknown>;
  outcome: string;
  message: string;
}

const CREATE_CONTROL_ACTIONS = `CREATE TABLE IF NOT EXISTS control_actions (
  ts_ms BIGINT, run_id VARCHAR, actor_id VARCHAR, actor_name VARCHAR, role VARCHAR, via VARCHAR,
  action VARCHAR, subject VARCHAR, params VARCHAR, outcome VARCHAR, message VARCHAR)`;

export class ControlQueries {
  /** Its own connection: these queries run while the session's writer appends on the main one. */
  private readonly side: SideQueries;

  constructor(store: RecordingStore) {
    this.side = new SideQueries(store, [CREATE_CONTROL_ACTIONS]);
  }

  async recentFills(limit: number): Promise<Fill[]> {
    return (await this.side.query(`SELECT * FROM fills ORDER BY ts_ms DESC, seq DESC LIMIT ?`, [limit])).map(rowToFill);
  }

  async recentDecisions(q: { limit: number; strategyId?: string; action?: string; reason?: string }): Promise<Decision[]> {
    const where: string[] = [];
    const params: (string | number)[] = [];
    if (q.strategyId) (where.push('strategy_id = ?'), params.push(q.strategyId));
    if (q.action) (where.push('action = ?'), params.push(q.action));
    if (q.reason) (where.push('reason = ?'), params.push(q.reason));
    const sql = `SELECT * FROM decisions ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY ts_ms DESC, seq DESC LIMIT ?`;
    return (await this.side.query(sql, [...params, q.limit])).map(rowToDecision);
  }

  /** The last `limit` equity points, oldest first. */
  async equitySeries(limit: number): Promise<EquityPoint[]> {
    const rows = await this.side.query(`SELECT * FROM equity_points ORDER BY ts_ms DESC, seq DESC LIMIT ?`, [limit]);
    return rows.map(rowToEquity).reverse();
  }

  recordAction(a: ControlActionRow): Promise<void> {
    return this.side.write(`INSERT INTO control_actions VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`, [
      a.tsMs,
      a.runId,
      a.actorId,
      a.actorName,
      a.role,
      a.via,
      a.action,
      a.subject ?? null,
      a.params === undefined ? null : JSON.stringify(a.params),
      a.outcome,
      a.message,
    ]);
  }

  async controlActions(limit: number): Promise<ControlActionRow[]> {
    const rows = await this.side.query(`SELECT * FROM control_actions ORDER BY ts_ms DESC LIMIT ?`, [limit]);
    return rows.map((r) => ({
      tsMs: Number(r.ts_ms),
      runId: String(r.run_id),
      actorId: String(r.actor_id),
      actorName: String(r.actor_name),
      role: String(r.role),
      via: String(r.via),
      action: String(r.action),
      ...(r.subject !== null ? { subject: String(r.subject) } : {}),
      ...(r.params !== null ? { params: JSON.parse(String(r.params)) as Record<string, unknown> } : {}),
      outcome: String(r.outcome),
      message: String(r.message),
    }));
  }
}
