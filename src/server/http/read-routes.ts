/** The read-only routes (viewer and up): status, the engine's snapshot, history from the recording. */
import { idParams, queries } from '../api/contract.ts';
import { SurfaceError, type SessionSurface } from '../../core/session-surface.ts';
import type { RouteKit } from './route-kit.ts';

export function registerReadRoutes(kit: RouteKit, surface: SessionSurface, now: () => number): void {
  const { view, info } = surface;
  kit
    .add({
      method: 'GET',
      url: '/api/status',
      role: 'viewer',
      tag: 'session',
      summary: 'mode, uptime, risk state, equity and feed health',
      handler: ({ principal }) => {
        const snap = view.snapshot();
        return {
          mode: info.mode,
          runId: info.runId,
          version: info.version,
          startedMs: info.startedMs,
          uptimeSeconds: Math.round((now() - info.startedMs) / 1000),
          nowMs: snap.nowMs,
          riskState: snap.riskState,
          riskReason: snap.riskReason,
          equity: snap.equity,
          feeds: snap.feedHealth,
          strategies: snap.strategies.length,
          openOrders: snap.openOrders.length,
          recording: info.recordingPath,
          you: { name: principal.name, role: principal.role },
        };
      },
    })
    .add({
      method: 'GET',
      url: '/api/snapshot',
      role: 'viewer',
      tag: 'session',
      summary: 'the engine at one instant (EngineSnapshot): everything the TUI shows of it',
      handler: () => view.snapshot(),
    })
    .add({
      method: 'GET',
      url: '/api/positions',
      role: 'viewer',
      tag: 'portfolio',
      summary: 'positions',
      handler: () => view.snapshot().positions,
    })
    .add({
      method: 'GET',
      url: '/api/orders',
      role: 'viewer',
      tag: 'orders',
      summary: 'open orders',
      handler: () => view.snapshot().openOrders,
    })
    .add({
      method: 'GET',
      url: '/api/fills',
      role: 'viewer',
      tag: 'orders',
      summary: 'our fills, newest first',
      query: queries.limit,
      handler: ({ query }) => surface.recentFills(query.limit),
    })
    .add({
      method: 'GET',
      url: '/api/decisions',
      role: 'viewer',
      tag: 'decisions',
      summary: 'decisions, newest first, each with its reason code and every check with its numbers (the why)',
      query: queries.decisions,
      handler: ({ query }) =>
        surface.recentDecisions({ limit: query.limit, strategyId: query.strategy, action: query.action, reason: query.reason }),
    })
    .add({
      method: 'GET',
      url: '/api/targets',
      role: 'viewer',
      tag: 'targets',
      summary: 'copy strategies and the wallets they follow',
      handler: () => view.snapshot().strategies.filter((s) => s.kind === 'copy'),
    })
    .add({
      method: 'GET',
      url: '/api/strategies',
      role: 'viewer',
      tag: 'strategies',
      summary: 'every strategy',
      handler: () => view.snapshot().strategies,
    })
    .add({
      method: 'GET',
      url: '/api/strategies/:id/knobs',
      role: 'viewer',
      tag: 'strategies',
      summary: 'the knobs a strategy declares (what may change while it runs), with their values and ranges',
      params: idParams,
      handler: ({ params }) => requireStrategy(surface, params.id).knobs,
    })
    .add({
      method: 'GET',
      url: '/api/risk',
      role: 'viewer',
      tag: 'risk',
      summary: 'risk state, limits (config units) and each limit’s usage',
      handler: () => {
        const snap = view.snapshot();
        return { state: snap.riskState, reason: snap.riskReason, limits: surface.riskLimits(), usage: snap.riskUsage };
      },
    })
    .add({
      method: 'GET',
      url: '/api/pnl',
      role: 'viewer',
      tag: 'portfolio',
      summary: 'equity, today’s PnL, peak and drawdown, per-strategy PnL',
      handler: () => {
        const snap = view.snapshot();
        const equity = snap.equity;
        const peak = Math.max(snap.peakEquityMicros, equity.equityMicros);
        return {
          equity,
          dayStartEquityMicros: snap.dayStartEquityMicros,
          todayPnlMicros: equity.equityMicros - snap.dayStartEquityMicros,
          peakEquityMicros: peak,
          drawdownMicros: Math.max(0, peak - equity.equityMicros),
          strategies: snap.strategies.map((s) => ({
            id: s.id,
            realizedMicros: s.realizedMicros,
            unrealizedMicros: s.unrealizedMicros,
            feesMicros: s.feesMicros,
          })),
        };
      },
    })
    .add({
      method: 'GET',
      url: '/api/equity',
      role: 'viewer',
      tag: 'portfolio',
      summary: 'equity points, oldest first (the last `limit`)',
      query: queries.limit,
      handler: ({ query }) => surface.equitySeries(query.limit),
    })
    .add({
      method: 'GET',
      url: '/api/audit',
      role: 'admin',
      tag: 'session',
      summary: 'state-changing calls (who, what, when), newest first',
      query: queries.limit,
      handler: ({ query }) => surface.controlActions(query.limit),
    });
}

/** 404 unless a strategy with this id runs in the session. */
export function requireStrategy(surface: SessionSurface, id: string) {
  const found = surface.view.snapshot().strategies.find((s) => s.id === id);
  if (!found) throw new SurfaceError(`no strategy "${id}" in this session (GET /api/strategies lists them)`, 404);
  return found;
}
