/**
 * A paper/live session as the control server sees it: the SessionSurface (core/session-surface.ts)
 * over a LiveSession. Modes know the session's parts (engine, feeds, recording), so adding a target
 * here also makes the feeds follow its wallet; the server only ever holds the surface.
 */
import { ConfigError } from '../core/errors.ts';
import type { StrategyStatus } from '../core/control.ts';
import { parseRiskLimits, riskLimitsToConfig } from '../risk/limits-schema.ts';
import type { RiskLimits } from '../risk/types.ts';
import { SurfaceError, type SessionSurface, type StrategyInput, type TargetInput } from '../core/session-surface.ts';
import { StrategyError } from '../strategy/errors.ts';
import { loadStrategy, parseStrategyParams } from '../strategy/loader.ts';
import type { StrategySpec } from '../strategy/strategy-instance.ts';
import { ControlQueries } from '../store/index.ts';
import type { LiveSession } from './live-session.ts';
import { VERSION } from './run-id.ts';

export function servedSurface(session: LiveSession, startedMs: number): SessionSurface {
  const { engine } = session;
  const queries = new ControlQueries(session.recording);
  const statusOf = (id: string): StrategyStatus => {
    const found = engine.snapshot().strategies.find((s) => s.id === id);
    if (!found) throw new SurfaceError(`no strategy "${id}"`, 404);
    return found;
  };
  const follow = async (wallets: readonly string[]) => {
    const fromMs = engine.clock.now();
    for (const wallet of wallets) {
      try {
        const [positions, value] = await Promise.all([
          session.poller.fetchPositions(wallet),
          session.poller.fetchValue(wallet).catch(() => undefined),
        ]);
        engine.seedTarget(wallet, positions, value);
        session.prefetch.add(positions); // its held markets load now, not on its first trade
      } catch {
        // As at start: without its positions, the wallet's SELLs are sized from the trades seen from now on.
      }
      session.rtds.addWallet(wallet);
      session.poller.addWallet(wallet, fromMs);
      session.sync.addWallet(wallet);
    }
  };
  const watch = async (tokens: readonly string[]) => {
    if (tokens.length === 0) return;
    session.market.subscribe([...tokens]);
    await Promise.all(tokens.map((t) => session.market.resync(t, 'strategy started').catch(() => undefined)));
  };
  const start = async (spec: StrategySpec): Promise<StrategyStatus> => {
    let started;
    try {
      started = engine.addStrategy(spec);
    } catch (error) {
      if (error instanceof ConfigError) throw new SurfaceError(error.message, 409);
      if (error instanceof StrategyError) throw new SurfaceError(error.message, 400);
      throw error;
    }
    await follow(started.wallets);
    await watch(started.tokens);
    return statusOf(started.id);
  };

  return {
    info: { mode: session.mode, runId: session.runId, startedMs, recordingPath: session.recordingPath, version: VERSION },
    view: engine.control,
    commands: engine.control,
    subscribe: (listener) => session.lateListeners.attach(listener),
    recentFills: (limit) => queries.recentFills(limit),
    recentDecisions: (q) => queries.recentDecisions(q),
    equitySeries: (limit) => queries.equitySeries(limit),
    recordAction: (a) =>
      queries.recordAction({
        tsMs: a.tsMs,
        runId: session.runId,
        actorId: a.actor.id,
        actorName: a.actor.user !== undefined ? `${a.actor.user}/${a.actor.name}` : a.actor.name,
        role: a.actor.role,
        via: a.actor.via,
        action: a.action,
        subject: a.subject,
        params: a.params,
        outcome: a.outcome,
        message: a.message,
      }),
    controlActions: async (limit) =>
      (await queries.controlActions(limit)).map((r) => ({
        tsMs: r.tsMs,
        actor: { id: r.actorId, name: r.actorName, role: r.role as never, via: r.via as never },
        action: r.action,
        subject: r.subject,
        params: r.params,
        outcome: r.outcome as 'ok' | 'failed',
        message: r.message,
      })),
    riskLimits: () => riskLimitsToConfig(engine.riskLimits()) as Record<string, unknown>,
    updateRiskLimits: (patch) => {
      const current = engine.riskLimits();
      const merged: Record<string, unknown> = { ...riskLimitsToConfig(current), ...patch };
      for (const [k, v] of Object.entries(merged)) if (v === null) delete merged[k];
      let next: RiskLimits;
      try {
        next = parseRiskLimits(merged);
      } catch (error) {
        throw new SurfaceError((error as Error).message, 400);
      }
      const removed = Object.fromEntries(Object.keys(current).map((k) => [k, undefined])) as Partial<RiskLimits>;
      try {
        engine.updateRiskLimits({ ...removed, ...next });
      } catch (error) {
        throw new SurfaceError((error as Error).message, 400); // e.g. an unknown time zone; nothing changed
      }
      return riskLimitsToConfig(engine.riskLimits()) as Record<string, unknown>;
    },
    addTarget: async (input: TargetInput) => {
      const name = input.strategy ?? 'mirror';
      const definition = await load(name);
      if (definition.kind !== 'copy') throw new SurfaceError(`"${name}" is a market strategy; a target needs a copy strategy`, 400);
      const raw: Record<string, unknown> = { wallets: [input.wallet] };
      if (input.multiplier !== undefined) raw['sizing'] = { mode: 'multiplier', multiplier: input.multiplier };
      const params = parse(definition, raw);
      return start({ definition, params, id: input.label ? `${name}:${input.label}` : undefined });
    },
    startStrategy: async (input: StrategyInput) => {
      const definition = await load(input.name);
      const params = parse(definition, input.params ?? {});
      return start({ definition, params, id: input.id });
    },
    stopStrategy: (id) => {
      const stopped = engine.stopStrategy(id, 'stopped over the control API');
      if (!stopped) throw new SurfaceError(`no strategy "${id}"`, 404);
      const stillFollowed = new Set(engine.watchedWallets());
      for (const wallet of stopped.wallets) {
        if (stillFollowed.has(wallet)) continue; // another strategy still follows it
        session.rtds.removeWallet(wallet);
        session.poller.removeWallet(wallet);
        session.sync.removeWallet(wallet);
      }
      return statusOf(id);
    },
  };
}

/** Built-in names and files in strategies/ only: a path over the API would let a token holder run any file. */
async function load(name: string) {
  if (/[\\/]|^\./.test(name)) throw new SurfaceError(`strategy "${name}": give a built-in or strategies/ name, not a path`, 400);
  try {
    return await loadStrategy(name);
  } catch (error) {
    throw new SurfaceError((error as Error).message, 400);
  }
}

function parse(definition: Awaited<ReturnType<typeof load>>, raw: unknown): Record<string, unknown> {
  try {
    return parseStrategyParams(definition, raw) as Record<string, unknown>;
  } catch (error) {
    if (error instanceof ConfigError) throw new SurfaceError(error.message, 400);
    throw new SurfaceError((error as Error).message, 400);
  }
}
