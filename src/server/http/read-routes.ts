/** The read-only routes (viewer and up): status, the engine's view, history from the recording. */
import { viewSnapshot } from '../api/contract.ts';
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
      handler: ({ principal }) => ({
        mode: info.mode,
        runId: info.runId,
        version: info.version,
        startedMs: info.startedMs,
        uptimeSeconds: Math.round((now() - info.startedMs) / 1000),
        nowMs: view.nowMs(),
        riskState: view.riskState(),
        riskReason: surface.riskReason(),
        equity: view.equity(),
        feeds: view.feedHealth(),
        strategies: view.strategies().length,
        openOrders: view.openOrders().length,
        recording: info.recordingPath,
        you: { name: principal.name, role: principal.role },
      }),
    })
    .add({
      method: 'GET',
      url: '/api/snapshot',
      role: 'viewer',
      tag: 'session',
      summary: 'everything the TUI shows of the engine, at one instant',
      handler: () => viewSnapshot(view),
    })
    .add({ method: 'GET', url: '/api/positions', role: 'viewer', tag: 'portfolio', summary: 'positions', handler: () => view.positions() })
    .add({ method: 'GET', url: '/api/orders', role: 'viewer', tag: 'orders', summary: 'open orders', handler: () => view.openOrders() })
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
      handler: () => view.strategies().filter((s) => s.kind === 'copy'),
    })
    .add({
      method: 'GET',
      url: '/api/strategies',
      role: 'viewer',
      tag: 'strategies',
      summary: 'every strategy',
      handler: () => view.strategies(),
    })
    .add({
      method: 'GET',
      url: '/api/strategies/:id/knobs',
      role: 'viewer',
      tag: 'strategies',
      summary: 'the parameters a strategy lets you change while it runs',
      params: idParams,
      handler: ({ params }) => surface.knobs(params.id),
    })
    .add({
      method: 'GET',
      url: '/api/risk',
      role: 'viewer',
      tag: 'risk',
      summary: 'risk state, limits (config units) and each limit’s usage',
      handler: () => ({ state: view.riskState(), reason: surface.riskReason(), limits: surface.riskLimits(), usage: view.riskUsage() }),
    })
    .add({
      method: 'GET',
      url: '/api/pnl',
      role: 'viewer',
      tag: 'portfolio',
      summary: 'equity, today’s PnL, peak and drawdown, per-strategy PnL',
      handler: () => {
        const equity = view.equity();
        const peak = Math.max(view.peakEquityMicros(), equity.equityMicros);
        return {
          equity,
          dayStartEquityMicros: view.dayStartEquityMicros(),
          todayPnlMicros: equity.equityMicros - view.dayStartEquityMicros(),
          peakEquityMicros: peak,
          drawdownMicros: Math.max(0, peak - equity.equityMicros),
          strategies: view.strategies().map((s) => ({
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
  const found = surface.view.strategies().find((s) => s.id === id);
  if (!found) throw new SurfaceError(`no strategy "${id}" in this session (GET /api/strategies lists them)`, 404);
  return found;
}
