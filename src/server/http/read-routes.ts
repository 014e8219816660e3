/** The read-only routes (viewer and up): status, the engine's snapshot, history from the recording. */
import { idParams, queries } from '../api/contract.ts';
import { SurfaceError, type SessionSurface } from '../../core/session-surface.ts';
import type { RouteKit } from './route-kit.ts';

export function registerReadRoutes(kit: RouteKit, now: () => number): void {
  kit
    .add({
      method: 'GET',
      url: '/status',
      role: 'viewer',
      tag: 'session',
      summary: 'mode, uptime, risk state, equity and feed health',
      handler: ({ surface, principal, account, role }) => {
        const { info } = surface;
        const snap = surface.view.snapshot();
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
          account: account.info.id,
          you: { name: principal.name, user: principal.user, role },
        };
      },
    })
    .add({
      method: 'GET',
      url: '/snapshot',
      role: 'viewer',
      tag: 'session',
      summary: 'the engine at one instant (EngineSnapshot): everything the TUI shows of it',
      handler: ({ surface }) => surface.view.snapshot(),
    })
    .add({
      method: 'GET',
      url: '/positions',
      role: 'viewer',
      tag: 'portfolio',
      summary: 'positions',
      handler: ({ surface }) => surface.view.snapshot().positions,
    })
    .add({
      method: 'GET',
      url: '/orders',
      role: 'viewer',
      tag: 'orders',
      summary: 'open orders',
      handler: ({ surface }) => surface.view.snapshot().openOrders,
    })
    .add({
      method: 'GET',
      url: '/fills',
      role: 'viewer',
      tag: 'orders',
      summary: 'our fills, newest first',
      query: queries.limit,
      handler: ({ surface, query }) => surface.recentFills(query.limit),
    })
    .add({
      method: 'GET',
      url: '/decisions',
      role: 'viewer',
      tag: 'decisions',
      summary: 'decisions, newest first, each with its reason code and every check with its numbers (the why)',
      query: queries.decisions,
      handler: ({ surface, query }) =>
        surface.recentDecisions({ limit: query.limit, strategyId: query.strategy, action: query.action, reason: query.reason }),
    })
    .add({
      method: 'GET',
      url: '/targets',
      role: 'viewer',
      tag: 'targets',
      summary: 'copy strategies and the wallets they follow',
      handler: ({ surface }) => surface.view.snapshot().strategies.filter((s) => s.kind === 'copy'),
    })
    .add({
      method: 'GET',
      url: '/strategies',
      role: 'viewer',
      tag: 'strategies',
      summary: 'every strategy',
      handler: ({ surface }) => surface.view.snapshot().strategies,
    })
    .add({
      method: 'GET',
      url: '/strategies/:id/knobs',
      role: 'viewer',
      tag: 'strategies',
      summary: 'the knobs a strategy declares (what may change while it runs), with their values and ranges',
      params: idParams,
      handler: ({ surface, params }) => requireStrategy(surface, params.id).knobs,
    })
    .add({
      method: 'GET',
      url: '/risk',
      role: 'viewer',
      tag: 'risk',
      summary: 'risk state, limits (config units) and each limit’s usage',
      handler: ({ surface }) => {
        const snap = surface.view.snapshot();
        return { state: snap.riskState, reason: snap.riskReason, limits: surface.riskLimits(), usage: snap.riskUsage };
      },
    })
    .add({
      method: 'GET',
      url: '/pnl',
      role: 'viewer',
      tag: 'portfolio',
      summary: 'equity, today’s PnL, peak and drawdown, per-strategy PnL',
      handler: ({ surface }) => {
        const snap = surface.view.snapshot();
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
      url: '/equity',
      role: 'viewer',
      tag: 'portfolio',
      summary: 'equity points, oldest first (the last `limit`)',
      query: queries.limit,
      handler: ({ surface, query }) => surface.equitySeries(query.limit),
    })
    .add({
      method: 'GET',
      url: '/audit',
      role: 'admin',
      tag: 'session',
      summary: 'state-changing calls (who, what, when), newest first',
      query: queries.limit,
      handler: ({ surface, query }) => surface.controlActions(query.limit),
    });
}

/** 404 unless a strategy with this id runs in the session. */
export function requireStrategy(surface: SessionSurface, id: string) {
  const found = surface.view.snapshot().strategies.find((s) => s.id === id);
  if (!found) throw new SurfaceError(`no strategy "${id}" in this session (GET /api/strategies lists them)`, 404);
  return found;
}
