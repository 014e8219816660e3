/**
 * `polytail daemon`: several accounts (config/daemon-config.ts) on one control server. Each running
 * wallet or pool account gets its own metrics (labelled `account`) and alert rules (webhooks name the
 * account); users reach only the accounts granted to them (auth/access.ts), over the API, the console
 * and the Telegram bot (chats linked to users with one-time codes). `<dataDir>/serve/daemon.json`
 * tells `polytail attach` where to connect.
 */
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { DaemonConfig } from '../config/daemon-config.ts';
import { hostAccounts, type HostedAccounts } from '../modes/hosted-accounts.ts';
import { AlertDispatcher, type SinkLog } from './alerts/alert-dispatch.ts';
import { AlertMonitor } from './alerts/alert-monitor.ts';
import { WebhookSink } from './alerts/webhook-sink.ts';
import { TokenStore } from './auth/token-store.ts';
import { UserStore } from './auth/user-store.ts';
import { startControlServer, type ControlServer } from './control-server.ts';
import { AccountMetrics } from './metrics/account-metrics.ts';
import { SessionMetrics } from './metrics/session-metrics.ts';
import { ConfigError } from '../core/errors.ts';
import { AccountsTelegramBot } from './telegram/accounts-bot.ts';
import { TelegramLinks } from './telegram/telegram-links.ts';
import { TELEGRAM_TOKEN_ENV } from './telegram/telegram-bot.ts';

export interface DaemonOptions {
  daemon: DaemonConfig;
  env: NodeJS.ProcessEnv;
  log: SinkLog;
  sandboxUrl?: string;
  pollIntervalMs?: number;
  host?: string;
  port?: number;
  now?: () => number;
  /** Tests speed the stream and access checks up. */
  viewEveryMs?: number;
}

export interface Daemon {
  url: string;
  telegram?: AccountsTelegramBot;
  accounts: HostedAccounts;
  server: ControlServer;
  stop(reason: string): Promise<void>;
}

export async function startDaemon(o: DaemonOptions): Promise<Daemon> {
  const now = o.now ?? Date.now;
  const { daemon } = o;
  const accounts = await hostAccounts({
    daemon,
    env: o.env,
    sandboxUrl: o.sandboxUrl,
    pollIntervalMs: o.pollIntervalMs,
    now,
    log: (id) => (level, message) => o.log(level, `[${id}] ${message}`),
  });
  const users = UserStore.forDataDir(daemon.dataDir);
  const links = new TelegramLinks();
  let telegram: AccountsTelegramBot | undefined;
  const tg = daemon.alerts.telegram;
  if (tg) {
    const token = o.env[TELEGRAM_TOKEN_ENV];
    if (!token) {
      await accounts.stop();
      throw new ConfigError(
        `alerts.telegram is configured but ${TELEGRAM_TOKEN_ENV} is not set: export the bot token from @BotFather (never put it in the config file)`,
      );
    }
    telegram = new AccountsTelegramBot({ token, config: tg, accounts: accounts.directory, users, links, log: o.log, now });
  }
  const metrics = new AccountMetrics();
  const monitors: AlertMonitor[] = [];
  const dispatchers: AlertDispatcher[] = [];
  for (const account of accounts.directory.list()) {
    const surface = account.surface;
    if (!surface || account.info.kind === 'sub') continue; // a member's engine is its pool's
    const m = new SessionMetrics(surface.view, surface.info.startedMs, now);
    surface.subscribe(m);
    metrics.add(account.info.id, m);
    const sinks = [...daemon.alerts.webhooks.map((w) => new WebhookSink(w)), ...(telegram ? [telegram.sinkFor(account.info.id)] : [])];
    const dispatcher = new AlertDispatcher(sinks, { mode: `${surface.info.mode} ${account.info.id}`, runId: surface.info.runId }, o.log);
    const monitor = new AlertMonitor({ config: daemon.alerts, view: surface.view, now, notify: dispatcher.notify });
    surface.subscribe(monitor);
    monitor.start();
    monitors.push(monitor);
    dispatchers.push(dispatcher);
  }
  let server: ControlServer;
  try {
    server = await startControlServer({
      accounts: accounts.directory,
      tokens: TokenStore.forDataDir(daemon.dataDir),
      users,
      telegramLinks: links,
      telegramBotName: () => telegram?.name,
      host: o.host ?? daemon.server.host,
      port: o.port ?? daemon.server.port,
      allowRemote: daemon.server.allowRemote,
      tlsCert: daemon.server.tlsCert,
      tlsKey: daemon.server.tlsKey,
      rateLimitPerMinute: daemon.server.rateLimitPerMinute,
      metrics,
      now,
      viewEveryMs: o.viewEveryMs,
    });
  } catch (error) {
    for (const m of monitors) m.stop('daemon did not start');
    await accounts.stop();
    throw error;
  }
  try {
    await telegram?.start();
  } catch (error) {
    for (const m of monitors) m.stop('daemon did not start');
    await server.close();
    await accounts.stop();
    throw error;
  }
  const discovery = join(daemon.dataDir, 'serve', 'daemon.json');
  mkdirSync(join(daemon.dataDir, 'serve'), { recursive: true, mode: 0o700 });
  writeFileSync(
    discovery,
    JSON.stringify({ url: server.url, pid: process.pid, accounts: accounts.directory.list().map((a) => a.info) }) + '\n',
    {
      mode: 0o600,
    },
  );
  let stopped = false;
  return {
    url: server.url,
    telegram,
    accounts,
    server,
    async stop(reason) {
      if (stopped) return;
      stopped = true;
      for (const m of monitors) m.stop(reason);
      await Promise.all(dispatchers.map((d) => d.flush()));
      await telegram?.stop();
      await server.close();
      await accounts.stop();
      rmSync(discovery, { force: true });
    },
  };
}
