/**
 * One grammY bot's life: created with the token registered as a secret (it never reaches a log),
 * long polling started and stopped. Both the single-session bot and the daemon's accounts bot use it.
 */
import { Bot } from 'grammy';
import { redactedMessage, registerSecret } from '../../core/redact.ts';
import type { TelegramConfig } from '../../config/ops-config.ts';
import type { SinkLog } from '../alerts/alert-dispatch.ts';

export class LongPolling {
  readonly bot: Bot;
  private running?: Promise<void>;

  constructor(
    token: string,
    config: Pick<TelegramConfig, 'apiRoot'>,
    private readonly log: SinkLog,
  ) {
    registerSecret(token);
    this.bot = new Bot(token, config.apiRoot ? { client: { apiRoot: config.apiRoot.replace(/\/$/, '') } } : {});
    this.bot.catch((err) => log('warn', `telegram: ${redactedMessage(err.error)}`));
  }

  /** Resolves once the bot is connected (getMe answered) with its @name; rejects if it cannot start. */
  start(): Promise<string | undefined> {
    return new Promise((resolve, reject) => {
      this.running = this.bot
        .start({ drop_pending_updates: true, allowed_updates: ['message'], onStart: (me) => resolve(me.username) })
        .catch((error: unknown) => {
          this.log('error', `telegram bot stopped: ${redactedMessage(error)}`);
          reject(new Error(`telegram bot could not start: ${redactedMessage(error)}`));
        });
    });
  }

  async stop(): Promise<void> {
    if (!this.running) return;
    await this.bot.stop().catch(() => undefined);
    await this.running.catch(() => undefined);
    this.running = undefined;
  }
}
