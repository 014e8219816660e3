/**
 * `--serve`: a paper/live session as a daemon. The control server (REST, stream, /metrics), the
 * alert rules and their sinks (webhooks, Telegram) are wired to the session here; the session itself
 * runs exactly as without them. `<dataDir>/serve/<mode>.json` tells `polytail attach` where to connect.
 */
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { ConfigError } from '../core/errors.ts';
import type { PolytailConfig } from '../config/config.ts';
import { AlertDispatcher, type AlertSink, type SinkLog } from './alerts/alert-dispatch.ts';
import { AlertMonitor } from './alerts/alert-monitor.ts';
import { WebhookSink } from './alerts/webhook-sink.ts';
import { writePrivateJson } from './auth/private-json-file.ts';
import { TokenStore } from './auth/token-store.ts';
import { startControlServer, type ControlServer } from './control-server.ts';
import { SessionMetrics } from './metrics/session-metrics.ts';
import type { SessionSurface } from '../core/session-surface.ts';
import { TELEGRAM_TOKEN_ENV, TelegramBot } from './telegram/telegram-bot.ts';
import type { LiveSession } from '../modes/live-session.ts';
import { servedSurface } from '../modes/served-session.ts';

export interface ServeOptions {
  session: LiveSession;
  config: PolytailConfig;
  env: NodeJS.ProcessEnv;
  log: SinkLog;
  /** Override config.server.host / port. */
  host?: string;
  port?: number;
  allowRemote?: boolean;
  tlsCert?: string;
  tlsKey?: string;
  now?: () => number;
}

export interface ServedSession {
  url: string;
  surface: SessionSurface;
  server: ControlServer;
  monitor: AlertMonitor;
  metrics: SessionMetrics;
  telegram?: TelegramBot;
  /** Sends `session_stopped`, delivers the last alerts (bounded wait), closes the server and the bot. */
  stop(reason: string): Promise<void>;
}

export function discoveryPath(dataDir: string, mode: string): string {
  return join(dataDir, 'serve', `${mode}.json`);
}

export async function serveSession(o: ServeOptions): Promise<ServedSession> {
  const now = o.now ?? Date.now;
  const { session, config } = o;
  const startedMs = now();
  const surface = servedSurface(session, startedMs);
  const tokens = TokenStore.forDataDir(config.dataDir);
  const metrics = new SessionMetrics(surface.view, startedMs, now);
  surface.subscribe(metrics);

  const sinks: AlertSink[] = config.alerts.webhooks.map((w) => new WebhookSink(w));
  let telegram: TelegramBot | undefined;
  const tg = config.alerts.telegram;
  if (tg) {
    const token = o.env[TELEGRAM_TOKEN_ENV];
    if (!token)
      throw new ConfigError(
        `alerts.telegram is configured but ${TELEGRAM_TOKEN_ENV} is not set: export the bot token from @BotFather (never put it in the config file)`,
      );
    telegram = new TelegramBot({ token, config: tg, surface, log: o.log, now });
    sinks.push(telegram);
  }
  const dispatcher = new AlertDispatcher(sinks, { mode: session.mode, runId: session.runId }, o.log);
  const monitor = new AlertMonitor({
    config: config.alerts,
    view: surface.view,
    now,
    notify: dispatcher.notify,
  });
  surface.subscribe(monitor);
  // Both have what the session did before the server came up; listeners attached from now on see it live.
  session.lateListeners.stopHolding();

  const server = await startControlServer({
    surface,
    tokens,
    host: o.host ?? config.server.host,
    port: o.port ?? config.server.port,
    allowRemote: o.allowRemote ?? config.server.allowRemote,
    tlsCert: o.tlsCert ?? config.server.tlsCert,
    tlsKey: o.tlsKey ?? config.server.tlsKey,
    rateLimitPerMinute: config.server.rateLimitPerMinute,
    metrics,
    now,
  });
  try {
    await telegram?.start();
  } catch (error) {
    await server.close();
    throw error;
  }
  monitor.start();
  const discovery = discoveryPath(config.dataDir, session.mode);
  // Written whole and renamed into place: `attach` and scripts read it as soon as it exists.
  writePrivateJson(discovery, { url: server.url, pid: process.pid, mode: session.mode, runId: session.runId, startedMs });
  if (tokens.list().filter((t) => t.revokedMs === undefined).length === 0)
    o.log(
      'warn',
      `no API tokens yet: create one with \`polytail token create --role admin --data-dir ${config.dataDir}\` to attach or call the API`,
    );

  let stopped = false;
  return {
    url: server.url,
    surface,
    server,
    monitor,
    metrics,
    telegram,
    async stop(reason) {
      if (stopped) return;
      stopped = true;
      monitor.stop(reason);
      await dispatcher.flush();
      await telegram?.stop();
      await server.close();
      rmSync(discovery, { force: true });
    },
  };
}
