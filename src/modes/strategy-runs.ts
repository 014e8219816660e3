/**
 * Market strategy runs of one account (the seed's `strategy_runs`): a market strategy started with
 * parameters, by someone, with a status — running; finished when a market it trades resolves;
 * failed when its code throws (the engine pauses it with a `strategy_error` alert) or when the daemon
 * stopped while it ran; cancelled when someone stops it — and its own fills and PnL (its ledger in the
 * engine). Every change is a row in the account's recording, so runs and their outcome outlive the
 * process. A run is a strategy instance like any other: it shows among the account's strategies too.
 */
import type { RunBook, RunInput, RunState, RunStatus } from '../core/account-directory.ts';
import type { EngineEvent, OrderEvent } from '../core/events.ts';
import type { Alert } from '../core/ports.ts';
import { SurfaceError, type SessionSurface } from '../core/session-surface.ts';
import type { AccountBookQueries, StrategyRunRow } from '../store/index.ts';
import { loadStrategy } from '../strategy/loader.ts';

const RUN_NAME_RE = /^[A-Za-z0-9_.-]{1,40}$/;

interface Run extends StrategyRunRow {
  /** Token ids the run trades (from its parameters and its fills): a resolution of one finishes it. */
  tokens: Set<string>;
}

export interface RunBookOptions {
  account: string;
  surface: SessionSurface;
  queries: AccountBookQueries;
  now: () => number;
  /** Rows of earlier processes (this account's only). */
  earlier: StrategyRunRow[];
  log?: (message: string) => void;
}

export function runBook(o: RunBookOptions): RunBook {
  const { surface, queries, now } = o;
  const runs: Run[] = [];
  const save = (run: Run) => {
    run.version++;
    const { tokens: _tokens, ...row } = run;
    queries.recordRun(row).catch((error: unknown) => o.log?.(`run ${run.runId} not recorded: ${(error as Error).message}`));
  };
  const pnl = (run: Run) => {
    const s = surface.view.snapshot().strategies.find((x) => x.id === run.strategyId);
    if (!s) return;
    run.realizedMicros = s.realizedMicros;
    run.unrealizedMicros = s.unrealizedMicros;
    run.feesMicros = s.feesMicros;
  };
  const end = (run: Run, status: RunState, reason: string, stop: boolean) => {
    if (run.status !== 'running') return;
    pnl(run);
    if (stop) {
      try {
        surface.stopStrategy(run.strategyId);
      } catch {
        // already gone from the engine: nothing left to stop
      }
    }
    run.status = status;
    run.reason = reason;
    run.endedMs = now();
    save(run);
  };
  // A run an earlier process left running has no strategy any more: it did not finish, it was cut off.
  for (const row of o.earlier) {
    const run: Run = { ...row, tokens: new Set() };
    runs.push(run);
    if (run.status === 'running') end(run, 'failed', 'the daemon stopped while it ran; start it again', false);
  }
  /** Market slugs seen (a run names its market by slug; a resolution names it by condition id). */
  const slugs = new Map<string, string>();
  const byStrategy = (id: string | undefined) => runs.find((r) => r.status === 'running' && r.strategyId === id);

  surface.subscribe({
    onAlert: (a: Alert) => {
      if (a.code !== 'strategy_error') return;
      const run = byStrategy(typeof a.details?.['strategyId'] === 'string' ? a.details['strategyId'] : undefined);
      if (run) end(run, 'failed', a.message, true);
    },
    onOrderEvent: (e: OrderEvent) => {
      if (e.type !== 'order_filled' && e.type !== 'order_partially_filled') return;
      const run = byStrategy(e.order.strategyId);
      if (!run) return;
      run.fills++;
      run.tokens.add(e.fill.tokenId);
    },
    onEvent: (e: EngineEvent) => {
      if (e.type === 'market') {
        if (e.market.slug) slugs.set(e.market.slug, e.market.conditionId);
        return;
      }
      if (e.type !== 'market_resolved') return;
      for (const run of runs) {
        if (run.status !== 'running') continue;
        const market = run.params['market'];
        const trades = run.tokens.size > 0 && Object.keys(e.payouts).some((t) => run.tokens.has(t));
        const named =
          typeof market === 'string' &&
          (market === e.conditionId || slugs.get(market) === e.conditionId || Object.keys(e.payouts).includes(market));
        if (trades || named) end(run, 'finished', `market ${e.conditionId} resolved`, true);
      }
    },
  });

  const status = (run: Run): RunStatus => {
    if (run.status === 'running') pnl(run);
    return {
      runId: run.runId,
      strategy: run.strategy,
      strategyId: run.strategyId,
      params: run.params,
      state: run.status as RunState,
      ...(run.reason !== undefined ? { reason: run.reason } : {}),
      startedMs: run.startedMs,
      ...(run.endedMs !== undefined ? { endedMs: run.endedMs } : {}),
      startedBy: run.startedBy,
      fills: run.fills,
      realizedMicros: run.realizedMicros,
      unrealizedMicros: run.unrealizedMicros,
      feesMicros: run.feesMicros,
    };
  };

  return {
    list: () => runs.map(status),
    async start(input: RunInput, by: string) {
      const name = input.name ?? `${input.strategy}-${runs.filter((r) => r.strategy === input.strategy).length + 1}`;
      if (!RUN_NAME_RE.test(name)) throw new SurfaceError(`run name "${name}": letters, digits, _ . - (at most 40)`, 400);
      if (runs.some((r) => r.runId === name)) throw new SurfaceError(`a run "${name}" exists in this account already`, 409);
      if (/[\\/]|^\./.test(input.strategy)) throw new SurfaceError(`strategy "${input.strategy}": a name, not a path`, 400);
      let kind: string;
      try {
        kind = (await loadStrategy(input.strategy)).kind;
      } catch (error) {
        throw new SurfaceError((error as Error).message, 400);
      }
      if (kind !== 'market')
        throw new SurfaceError(`"${input.strategy}" is a copy strategy: follow a wallet with a target instead of a run`, 400);
      const started = await surface.startStrategy({ name: input.strategy, id: name, params: input.params ?? {} });
      const params = input.params ?? {};
      const run: Run = {
        runId: name,
        account: o.account,
        strategyId: started.id,
        strategy: input.strategy,
        params,
        status: 'running',
        startedMs: now(),
        startedBy: by,
        fills: 0,
        realizedMicros: 0,
        unrealizedMicros: 0,
        feesMicros: 0,
        version: 0,
        tokens: new Set([...(Array.isArray(params['tokenIds']) ? (params['tokenIds'] as string[]) : [])]),
      };
      runs.push(run);
      save(run);
      return status(run);
    },
    cancel(runId: string, by: string) {
      const run = runs.find((r) => r.runId === runId);
      if (!run) throw new SurfaceError(`no run "${runId}" in this account`, 404);
      if (run.status !== 'running') throw new SurfaceError(`run "${runId}" is ${run.status} already`, 409);
      end(run, 'cancelled', `cancelled by ${by}`, true);
      return status(run);
    },
  };
}
