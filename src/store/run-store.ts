/**
 * Run output next to the recording: one `runs` row per run, plus its decisions, order events,
 * fills and equity points, appended through the store's batched writer. Read-back for reports.
 */
import type { EngineEvent, OrderEvent } from '../core/events.ts';
import type { Alert, Decision, EngineListener, EquityPoint } from '../core/ports.ts';
import type { Fill, Order, RiskState } from '../core/types.ts';
import type { RecordingStore } from './recording-store.ts';
import { FillsHash } from '../core/fill-hash.ts';
import { decisionRow, equityRow, fillRow, orderEventRow, orderRow, rowToDecision, rowToEquity, rowToFill } from './run-rows.ts';
import type { Row } from './event-rows.ts';

export interface RunInfo {
  runId: string;
  createdMs: number;
  mode: string;
  config: unknown;
  fillModel: string;
  seed: number;
  version: string;
  summary?: unknown;
}

export async function writeRun(store: RecordingStore, run: RunInfo): Promise<void> {
  await store.connection.run(`DELETE FROM runs WHERE run_id = ?`, [run.runId]);
  await store.connection.run(`INSERT INTO runs VALUES (?, ?, ?, ?, ?, ?, ?, ?)`, [
    run.runId,
    BigInt(run.createdMs),
    run.mode,
    JSON.stringify(run.config ?? null),
    run.fillModel,
    BigInt(run.seed),
    run.version,
    run.summary === undefined ? null : JSON.stringify(run.summary),
  ]);
}

export async function setRunSummary(store: RecordingStore, runId: string, summary: unknown): Promise<void> {
  await store.connection.run(`UPDATE runs SET summary = ? WHERE run_id = ?`, [JSON.stringify(summary), runId]);
}

/** Appends a run's output through the store's batched writer; usable as an EngineListener. */
export class RunRecorder implements EngineListener {
  constructor(
    private readonly store: RecordingStore,
    readonly runId: string,
    /** Also record market-data / target-trade events (live and paper sessions record what they see). */
    private readonly recordEvents = false,
    /**
     * Sessions: the moment the engine handled the event (its clock), written as `ts_recv` — the time a
     * replay moves its clock to, so the replay's decisions and fills carry the session's times.
     */
    private readonly handledAt?: () => number,
  ) {}

  onEvent(event: EngineEvent): void {
    if (!this.recordEvents) return;
    this.store.appendEvent(this.handledAt ? { ...event, tsRecv: this.handledAt() } : event);
  }

  onDecision(decision: Decision): void {
    this.store.add('decisions', decisionRow(this.runId, decision));
  }

  onOrderEvent(event: OrderEvent): void {
    this.store.add('orders', orderEventRow(this.runId, event));
    if (event.type === 'order_filled' || event.type === 'order_partially_filled') this.appendFill(event.fill);
  }

  /** An order as sent to the venue, before it answers. */
  appendOrderSubmitted(order: Order, tsMs: number): void {
    this.store.add('orders', orderRow(this.runId, order, 'submitted', tsMs));
  }

  appendFill(fill: Fill): void {
    this.store.add('fills', fillRow(this.runId, fill));
  }

  onEquity(point: EquityPoint): void {
    this.store.add('equity_points', equityRow(this.runId, point));
  }

  onAlert(_alert: Alert): void {}
  onRiskState(_state: RiskState, _reason: string): void {}
}

function parseJson(v: unknown): unknown {
  return v === null || v === undefined ? undefined : JSON.parse(String(v));
}

function rowToRun(r: Row): RunInfo {
  return {
    runId: String(r.run_id),
    createdMs: Number(r.created_ms),
    mode: String(r.mode),
    config: parseJson(r.config),
    fillModel: String(r.fill_model),
    seed: Number(r.seed),
    version: String(r.version),
    summary: parseJson(r.summary),
  };
}

export async function listRuns(store: RecordingStore): Promise<RunInfo[]> {
  return (await store.query(`SELECT * FROM runs ORDER BY created_ms, run_id`)).map(rowToRun);
}

export async function getRun(store: RecordingStore, runId: string): Promise<RunInfo | undefined> {
  const [row] = await store.query(`SELECT * FROM runs WHERE run_id = ?`, [runId]);
  return row ? rowToRun(row) : undefined;
}

export async function readDecisions(store: RecordingStore, runId: string): Promise<Decision[]> {
  return (await store.query(`SELECT * FROM decisions WHERE run_id = ? ORDER BY seq`, [runId])).map(rowToDecision);
}

/** Order lifecycle rows as stored (one per step), oldest first. */
export async function readOrders(store: RecordingStore, runId: string): Promise<Row[]> {
  return store.query(`SELECT * FROM orders WHERE run_id = ? ORDER BY seq`, [runId]);
}

export async function readFills(store: RecordingStore, runId: string): Promise<Fill[]> {
  return (await store.query(`SELECT * FROM fills WHERE run_id = ? ORDER BY seq`, [runId])).map(rowToFill);
}

export async function readEquity(store: RecordingStore, runId: string): Promise<EquityPoint[]> {
  return (await store.query(`SELECT * FROM equity_points WHERE run_id = ? ORDER BY seq`, [runId])).map(rowToEquity);
}

/**
 * sha256 over the run's fills in the order they happened (append order), one canonical line per fill
 * (`FillsHash`, shared with the live run collector so the report and the table agree). The run id
 * and seq are left out, so two runs with the same inputs hash the same.
 */
export async function fillsHash(store: RecordingStore, runId: string): Promise<string> {
  const hash = new FillsHash();
  for (const fill of await readFills(store, runId)) hash.add(fill);
  return hash.digest();
}

export interface SweepResult {
  sweepId: string;
  runId: string;
  createdMs: number;
  params: unknown;
  metrics: unknown;
}

export async function writeSweepResult(store: RecordingStore, r: SweepResult): Promise<void> {
  await store.connection.run(`INSERT INTO sweep_results VALUES (?, ?, ?, ?, ?)`, [
    r.sweepId,
    r.runId,
    BigInt(r.createdMs),
    JSON.stringify(r.params),
    JSON.stringify(r.metrics),
  ]);
}

export async function readSweepResults(store: RecordingStore, sweepId?: string): Promise<SweepResult[]> {
  const rows =
    sweepId === undefined
      ? await store.query(`SELECT * FROM sweep_results ORDER BY created_ms, sweep_id, run_id`)
      : await store.query(`SELECT * FROM sweep_results WHERE sweep_id = ? ORDER BY created_ms, run_id`, [sweepId]);
  return rows.map((r) => ({
    sweepId: String(r.sweep_id),
    runId: String(r.run_id),
    createdMs: Number(r.created_ms),
    params: parseJson(r.params),
    metrics: parseJson(r.metrics),
  }));
}
