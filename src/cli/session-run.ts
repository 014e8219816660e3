/**
 * Runs a paper/live session from the command line until it is told to stop (Ctrl+C, SIGTERM,
 * --run-seconds, the TUI's quit) or hits an error it cannot recover from. Either way it says so,
 * stores the run's summary and, with --cancel-on-exit, cancels open orders. The network going away
 * is never a reason to stop: start-up waits for the hosts, and feeds that drop reconnect while the
 * session reports them down.
 */
import { ConfigError } from '../core/errors.ts';
import { describeError } from '../core/describe-error.ts';
import type { Alert } from '../core/ports.ts';
import type { PolytailConfig } from '../config/config.ts';
import { SESSION_ALERT } from '../live/alert-codes.ts';
import { isTransient, sessionProbes, waitForHosts } from '../live/host-wait.ts';
import { SessionLog } from '../live/session-log.ts';
import { startLiveSession, type LiveSession, type LiveSessionOptions, type SessionStopResult } from '../modes/live-session.ts';
import { isLoopback } from '../polymarket/hosts.ts';
import { resolveHosts } from '../modes/session-hosts.ts';
import { SessionModel, runTui } from '../tui/index.ts';
import type { ScoutPick } from '../modes/scout/scout-file.ts';
import type { ServedSession } from '../server/serve-session.ts';
import { StopSignal, type StopReason } from './stop-signal.ts';

export interface SessionRunOptions {
  mode: 'paper' | 'live';
  config: PolytailConfig;
  sandboxUrl?: string;
  /** The environment the trading key is read from (live: with the keystore unlocked). */
  env?: NodeJS.ProcessEnv;
  tui: boolean;
  json: boolean;
  cancelOnExit: boolean;
  runSeconds?: number;
  /** `--from-scout`: the scout's picks being followed, shown as scores in the Targets panel and said once. */
  scoutPicks?: ScoutPick[];
  /** `--serve`: the control server next to the session (headless; it stops first). */
  serve?: (session: LiveSession, log: SessionLog) => Promise<ServedSession>;
  session: Omit<LiveSessionOptions, 'mode' | 'config' | 'sandboxUrl' | 'listeners' | 'log'>;
}

/** Returns the process exit code: 0 after a requested stop, 1 after a failure. */
export async function runSession(o: SessionRunOptions): Promise<number> {
  const useTui = o.tui && !o.json && !o.serve && Boolean(process.stdout.isTTY);
  const log = new SessionLog({ json: o.json, write: (line) => process.stdout.write(line + '\n') });
  const model = useTui ? new SessionModel() : undefined;
  const stop = new StopSignal();
  try {
    const session = await start(o, stop, log, model);
    if (!session) {
      log.feedLog('info', `${o.mode} session not started (${(await stop.reason).why})`);
      return 0;
    }
    if (o.scoutPicks?.length) announcePicks(o.scoutPicks, log, model);
    let served: ServedSession | undefined;
    if (o.serve) {
      try {
        served = await o.serve(session, log);
      } catch (error) {
        await session.stop();
        throw error;
      }
    }
    session.lateListeners.stopHolding(); // nothing else attaches late
    if (o.runSeconds !== undefined) stop.after(o.runSeconds);
    // Anything thrown past every handler ends the session in order instead of killing it mid-write.
    const fail = (error: unknown) => stop.stop('an unexpected error', error);
    process.on('uncaughtException', fail);
    process.on('unhandledRejection', fail);
    let reason: StopReason;
    if (model) {
      const tui = runTui({ model, view: session.engine.control, commands: session.engine.control });
      reason = await Promise.race([tui.then(() => ({ why: 'quit' })), stop.reason]);
    } else {
      log.startStatus(session.engine.control);
      reason = await stop.reason;
    }
    log.stop();
    if (reason.error !== undefined) {
      const alert: Alert = {
        tsMs: Date.now(),
        level: 'critical',
        code: SESSION_ALERT.sessionFailed,
        message: `stopping: ${describeError(reason.error)}`,
      };
      log.onAlert(alert);
      process.stderr.write(`polytail: ${o.mode} session failed: ${describeError(reason.error)}\n`);
    }
    let stopped: SessionStopResult;
    try {
      await served?.stop(reason.why);
      stopped = await session.stop({ cancelOpen: o.cancelOnExit });
    } finally {
      process.off('uncaughtException', fail);
      process.off('unhandledRejection', fail);
    }
    // Never claim the orders are cancelled when the venue did not confirm it.
    const cancelled = !o.cancelOnExit
      ? ''
      : stopped.cancelFailed
        ? `; cancelling open orders FAILED (${stopped.cancelFailed}): they may still be open, check them on Polymarket`
        : '; open orders cancelled';
    if (!useTui || reason.error !== undefined || stopped.cancelFailed)
      log.feedLog(
        stopped.cancelFailed ? 'error' : 'info',
        `${o.mode} session stopped (${reason.why})${cancelled}; summary stored; recording ${session.recordingPath}`,
      );
    if (stopped.cancelFailed && useTui) process.stderr.write(`polytail: cancelling open orders failed: ${stopped.cancelFailed}\n`);
    return reason.error === undefined && !stopped.cancelFailed ? 0 : 1;
  } finally {
    stop.dispose();
  }
}

/** Waits for the hosts, then starts; a start that fails because a host went away waits again. */
async function start(o: SessionRunOptions, stop: StopSignal, log: SessionLog, model?: SessionModel): Promise<LiveSession | undefined> {
  const hosts = resolveHosts(o.config, o.sandboxUrl);
  const firstTarget = o.session.overrides?.targets?.[0] ?? o.config.targets[0]?.wallet;
  const say = model ? (_: string, m: string) => process.stderr.write(`polytail: ${m}\n`) : log.feedLog;
  for (;;) {
    const ready = await waitForHosts(sessionProbes(hosts, firstTarget), {
      log: (level, message) => say(level, isLoopback(hosts) ? `${message} (is \`polytail sandbox\` running?)` : message),
      signal: stop.signal,
    });
    if (!ready) return undefined;
    try {
      return await startLiveSession({
        ...o.session,
        mode: o.mode,
        config: o.config,
        sandboxUrl: o.sandboxUrl,
        env: o.env,
        listeners: [model ?? log],
        log: model ? () => {} : log.feedLog,
      });
    } catch (error) {
      if (error instanceof ConfigError || !isTransient(error) || stop.signal.aborted) throw error;
      say('warn', `the session could not start (${describeError(error)}); waiting for the hosts again`);
    }
  }
}

function announcePicks(picks: ScoutPick[], log: SessionLog, model?: SessionModel): void {
  model?.setTargetScores(new Map(picks.map((p) => [p.wallet, p])));
  const line = picks.map((p) => `#${p.rank} ${p.wallet} (held-out PnL ${p.followerPnlUsdc.toFixed(2)}, ${p.trades} trades)`).join(', ');
  const message = `following the scout's top ${picks.length}: ${line}`;
  if (model) model.note(Date.now(), message);
  else log.feedLog('info', message);
}
