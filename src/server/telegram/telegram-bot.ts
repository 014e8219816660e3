/**
 * The Telegram bot (grammY, long polling): alerts to every configured chat, and commands from those
 * chats only — /status /positions /pnl /targets for any of them, /pause /resume for trader chats,
 * /kill (then /kill_confirm within a minute) for admin chats. Messages from any other chat are
 * dropped without an answer. The bot token comes from the environment and is registered as a
 * secret, so it never reaches a log line (grammY puts it in request URLs and their errors).
 */
import type { Bot, Context } from 'grammy';
import { redactedMessage } from '../../core/redact.ts';
import type { TelegramConfig } from '../../config/ops-config.ts';
import { roleAllows, type Principal, type Role } from '../auth/roles.ts';
import type { AlertNotice } from '../alerts/alert-monitor.ts';
import { noticeText, type AlertSink, type NoticeContext, type SinkLog } from '../alerts/alert-dispatch.ts';
import type { SessionSurface } from '../../core/session-surface.ts';
import { LongPolling } from './long-polling.ts';
import { pnlText, positionsText, statusText, targetsText } from './telegram-text.ts';

export const TELEGRAM_TOKEN_ENV = 'POLYTAIL_TELEGRAM_BOT_TOKEN';
const KILL_CONFIRM_MS = 60_000;

export interface TelegramBotOptions {
  token: string;
  config: TelegramConfig;
  surface: SessionSurface;
  log: SinkLog;
  now?: () => number;
}

export class TelegramBot implements AlertSink {
  readonly name = 'telegram';
  private readonly bot: Bot;
  private readonly roles = new Map<number, Role>();
  private readonly killAsked = new Map<number, number>();
  private readonly polling: LongPolling;
  private readonly now: () => number;

  constructor(private readonly o: TelegramBotOptions) {
    this.now = o.now ?? Date.now;
    for (const chat of o.config.chats) this.roles.set(chat.id, chat.role);
    this.polling = new LongPolling(o.token, o.config, o.log);
    this.bot = this.polling.bot;
    this.bot.use(async (ctx, next) => {
      const id = ctx.chat?.id;
      if (id !== undefined && this.roles.has(id)) await next(); // strangers get nothing, not even "no"
    });
    this.commands();
  }

  /** Starts long polling; resolves once the bot is connected (getMe answered). */
  async start(): Promise<void> {
    await this.polling.start();
  }

  async stop(): Promise<void> {
    await this.polling.stop();
  }

  async send(notice: AlertNotice, ctx: NoticeContext): Promise<void> {
    const text = noticeText(notice, ctx);
    for (const id of this.roles.keys()) await this.bot.api.sendMessage(id, text);
  }

  private commands(): void {
    const { surface } = this.o;
    const read = (name: string, render: () => string) => this.bot.command(name, (ctx) => ctx.reply(render()));
    read('start', () => 'polytail: /status /positions /pnl /targets · trader: /pause /resume · admin: /kill');
    read('status', () => statusText(surface, this.now()));
    read('positions', () => positionsText(surface.view.snapshot()));
    read('pnl', () => pnlText(surface.view.snapshot()));
    read('targets', () => targetsText(surface.view.snapshot()));
    this.bot.command('pause', (ctx) =>
      this.act(ctx, 'trader', 'pause_all', () => {
        surface.commands.pauseAll(`paused from Telegram by ${this.principal(ctx).name}`);
        return 'paused: no new orders until /resume';
      }),
    );
    this.bot.command('resume', (ctx) =>
      this.act(ctx, 'trader', 'resume_all', () => {
        const snap = surface.view.snapshot();
        if (snap.riskState === 'halted') throw new Error(`trading is halted (${snap.riskReason}); only a restart lifts a halt`);
        surface.commands.resumeAll();
        return `resumed: risk state ${surface.view.snapshot().riskState}`;
      }),
    );
    this.bot.command('kill', (ctx) => {
      if (!this.allowed(ctx, 'admin')) return ctx.reply(this.refusal(ctx, 'admin'));
      this.killAsked.set(ctx.chat!.id, this.now());
      return ctx.reply(
        'KILL SWITCH: cancels every open order and halts trading until the session restarts. Send /kill_confirm within 60 s to do it.',
      );
    });
    this.bot.command('kill_confirm', (ctx) =>
      this.act(ctx, 'admin', 'kill_switch', () => {
        const asked = this.killAsked.get(ctx.chat!.id);
        this.killAsked.delete(ctx.chat!.id);
        if (asked === undefined || this.now() - asked > KILL_CONFIRM_MS) throw new Error('nothing to confirm: send /kill first');
        surface.commands.killSwitch(`kill switch from Telegram by ${this.principal(ctx).name}`);
        return 'KILL SWITCH engaged: orders cancelled, trading halted';
      }),
    );
  }

  private principal(ctx: Context): Principal {
    const chat = ctx.chat!;
    const title = 'title' in chat ? chat.title : 'username' in chat ? chat.username : undefined;
    return { id: `telegram:${chat.id}`, name: `telegram ${title ?? chat.id}`, role: this.roles.get(chat.id)!, via: 'telegram' };
  }

  private allowed(ctx: Context, need: Role): boolean {
    return roleAllows(this.roles.get(ctx.chat!.id) ?? 'metrics', need);
  }

  private refusal(ctx: Context, need: Role): string {
    return `not allowed: this chat is configured as ${this.roles.get(ctx.chat!.id)}; this needs ${need}`;
  }

  private async act(ctx: Context, need: Role, action: string, run: () => string): Promise<void> {
    if (!this.allowed(ctx, need)) {
      await ctx.reply(this.refusal(ctx, need));
      return;
    }
    let reply: string;
    let outcome: 'ok' | 'failed' = 'ok';
    try {
      reply = run();
    } catch (error) {
      outcome = 'failed';
      reply = `${action} failed: ${redactedMessage(error)}`;
    }
    await this.o.surface
      .recordAction({ tsMs: this.now(), actor: this.principal(ctx), action, outcome, message: reply })
      .catch(() => undefined);
    await ctx.reply(reply);
  }
}
