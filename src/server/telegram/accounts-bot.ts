/**
 * The daemon's Telegram bot (grammY, long polling), for several accounts and users. A chat is linked
 * to a user with `/start <code>` (a one-time code from the console: telegram-links.ts) and from then
 * on acts with that user's grants — exactly what their API token could reach, nothing of anyone
 * else's. A chat listed in the config is an operator chat: its role on every account, like an
 * operator token. Any other chat gets one clear answer: how to link it.
 *
 * Commands: /accounts, /positions and /pnl (every account the user sees), /runs, /run <strategy>
 * [account] key=value… and /cancel <account> <run> (a trader role on that account), /unlink. Alerts of an
 * account go to the operator chats and to the chats of users who see that account.
 */
import type { Bot, Context } from 'grammy';
import type { AccountDirectory, HostedAccount } from '../../core/account-directory.ts';
import { formatUsd } from '../../core/money.ts';
import { redactedMessage } from '../../core/redact.ts';
import { SurfaceError } from '../../core/session-surface.ts';
import type { TelegramConfig } from '../../config/ops-config.ts';
import { accessOf, type Access } from '../auth/access.ts';
import { roleAllows, type Principal, type Role } from '../auth/roles.ts';
import type { UserStore } from '../auth/user-store.ts';
import type { AlertNotice } from '../alerts/alert-monitor.ts';
import { noticeText, type AlertSink, type NoticeContext, type SinkLog } from '../alerts/alert-dispatch.ts';
import { LongPolling } from './long-polling.ts';
import { positionsText } from './telegram-text.ts';
import type { TelegramLinks } from './telegram-links.ts';

const MAX_ACCOUNTS = 10;

export interface AccountsBotOptions {
  token: string;
  config: TelegramConfig;
  accounts: AccountDirectory;
  users: UserStore;
  links: TelegramLinks;
  log: SinkLog;
  now?: () => number;
}

export const UNLINKED_TEXT =
  'This chat is not linked to a polytail user. In the console open "Telegram", get a one-time code, then send /start <code> here.';

export class AccountsTelegramBot {
  private readonly bot: Bot;
  private readonly operatorChats = new Map<number, Role>();
  private readonly polling: LongPolling;
  private readonly now: () => number;
  private username?: string;

  constructor(private readonly o: AccountsBotOptions) {
    this.now = o.now ?? Date.now;
    for (const chat of o.config.chats) this.operatorChats.set(chat.id, chat.role);
    this.polling = new LongPolling(o.token, o.config, o.log);
    this.bot = this.polling.bot;
    this.commands();
  }

  /** The bot's @name once connected (the console tells users whom to message). */
  get name(): string | undefined {
    return this.username;
  }

  async start(): Promise<void> {
    this.username = await this.polling.start();
  }

  async stop(): Promise<void> {
    await this.polling.stop();
  }

  /** An alert sink for one account: its operator chats and the chats of users who see it. */
  sinkFor(accountId: string): AlertSink {
    return {
      name: 'telegram',
      send: async (notice: AlertNotice, ctx: NoticeContext) => {
        const text = noticeText(notice, ctx);
        for (const chat of this.chatsSeeing(accountId)) await this.bot.api.sendMessage(chat, text);
      },
    };
  }

  private chatsSeeing(accountId: string): number[] {
    const chats = new Set(this.operatorChats.keys());
    for (const user of this.o.users.list()) {
      if (user.telegramChats.length === 0) continue;
      const access = accessOf(this.userPrincipal(user.name, user.telegramChats[0]!), this.o.users, this.o.accounts);
      const role = access?.roleOn(accountId);
      if (role !== undefined && roleAllows(role, 'viewer')) for (const c of user.telegramChats) chats.add(c);
    }
    return [...chats];
  }

  private userPrincipal(user: string, chatId: number): Principal {
    // The chat's cap is admin: what it may do on an account is the user's grant there.
    return { id: `telegram:${chatId}`, name: `telegram ${user}`, role: 'admin', via: 'telegram', user };
  }

  /** The chat's access, or undefined for a chat linked to nobody (its user may have been removed). */
  private accessOf(chatId: number): Access | undefined {
    const operator = this.operatorChats.get(chatId);
    if (operator !== undefined)
      return accessOf(
        { id: `telegram:${chatId}`, name: `telegram ${chatId}`, role: operator, via: 'telegram' },
        this.o.users,
        this.o.accounts,
      );
    const user = this.o.users.byTelegramChat(chatId);
    return user ? accessOf(this.userPrincipal(user.name, chatId), this.o.users, this.o.accounts) : undefined;
  }

  private visible(access: Access): { account: HostedAccount; role: Role }[] {
    return this.o.accounts.list().flatMap((account) => {
      const role = access.roleOn(account.info.id);
      return role !== undefined && roleAllows(role, 'viewer') ? [{ account, role }] : [];
    });
  }

  private commands(): void {
    const { users, links } = this.o;
    this.bot.command('start', async (ctx) => {
      const chatId = ctx.chat.id;
      const code = ctx.match.trim();
      if (code === '') {
        const access = this.accessOf(chatId);
        return ctx.reply(access ? `${whoText(access)}\n${HELP}` : UNLINKED_TEXT);
      }
      const linked = links.consume(code, this.now());
      if ('refused' in linked)
        return ctx.reply(
          linked.refused === 'expired'
            ? 'That code has expired: get a new one in the console (codes last 10 minutes).'
            : 'That code is not valid (each code works once): get a new one in the console.',
        );
      if (!users.get(linked.user)) return ctx.reply('The user of that code no longer exists.');
      users.unlinkTelegram(chatId); // a chat belongs to one user at a time
      users.linkTelegram(linked.user, chatId);
      return ctx.reply(`Linked to polytail user ${linked.user}.\n${HELP}`);
    });
    // Everything below needs a linked (or operator) chat.
    this.bot.use(async (ctx, next) => {
      if (ctx.chat === undefined) return;
      if (!this.accessOf(ctx.chat.id)) {
        await ctx.reply(UNLINKED_TEXT);
        return;
      }
      await next();
    });
    const withAccess = (handler: (ctx: Context & { match: string }, access: Access) => Promise<unknown> | unknown) => (ctx: Context) =>
      handler(ctx as Context & { match: string }, this.accessOf(ctx.chat!.id)!);
    this.bot.command(
      'accounts',
      withAccess((ctx, access) => {
        const rows = this.visible(access).map(
          ({ account, role }) => `${account.info.id} · ${account.info.mode} ${account.info.kind} · ${role}`,
        );
        return ctx.reply(rows.length ? rows.join('\n') : 'no accounts for you on this daemon');
      }),
    );
    this.bot.command(
      'positions',
      withAccess((ctx, access) => ctx.reply(this.perAccount(access, (a) => positionsText(a.surface!.view.snapshot())))),
    );
    this.bot.command(
      'pnl',
      withAccess((ctx, access) =>
        ctx.reply(
          this.perAccount(access, (a) => {
            const e = a.surface!.view.snapshot().equity;
            return `equity ${formatUsd(e.equityMicros)} · realized ${formatUsd(e.realizedMicros)} · unrealized ${formatUsd(e.unrealizedMicros)} · fees ${formatUsd(e.feesMicros)}`;
          }),
        ),
      ),
    );
    this.bot.command(
      'runs',
      withAccess((ctx, access) =>
        ctx.reply(
          this.perAccount(access, (a) => {
            const runs = a.runs?.list() ?? [];
            if (runs.length === 0) return 'no runs';
            return runs
              .slice(-10)
              .map((r) => `${r.runId} (${r.strategy}): ${r.state} · ${r.fills} fills · realized ${formatUsd(r.realizedMicros)}`)
              .join('\n');
          }),
        ),
      ),
    );
    this.bot.command(
      'run',
      withAccess(async (ctx, access) => ctx.reply(await this.run(ctx.chat!.id, ctx.match, access))),
    );
    this.bot.command(
      'cancel',
      withAccess(async (ctx, access) => ctx.reply(await this.cancel(ctx.chat!.id, ctx.match, access))),
    );
    this.bot.command('unlink', async (ctx) => {
      if (this.operatorChats.has(ctx.chat.id)) return ctx.reply('This is an operator chat from the daemon config: remove it there.');
      users.unlinkTelegram(ctx.chat.id);
      return ctx.reply('Unlinked: this chat no longer reaches any account.');
    });
  }

  private perAccount(access: Access, render: (a: HostedAccount) => string): string {
    const shown = this.visible(access).slice(0, MAX_ACCOUNTS);
    if (shown.length === 0) return 'no accounts for you on this daemon';
    return shown
      .map(({ account }) => `— ${account.info.label} (${account.info.id}) —\n${account.surface ? render(account) : account.info.state}`)
      .join('\n\n');
  }

  /** `/cancel <account> <run>`: a running run on an account where the chat is a trader. */
  private async cancel(chatId: number, text: string, access: Access): Promise<string> {
    const [accountId, runId, ...rest] = text.trim().split(/\s+/).filter(Boolean);
    if (!accountId || !runId || rest.length > 0) return 'usage: /cancel <account> <run> (/runs lists them)';
    const account = this.o.accounts.get(accountId);
    const role = account ? access.roleOn(accountId) : undefined;
    if (!account || role === undefined) return `no account "${accountId}" for you (/accounts lists yours)`;
    if (!roleAllows(role, 'trader')) return `not allowed: cancelling a run needs a trader role on ${accountId}; yours is ${role}`;
    if (!account.surface || !account.runs) return `account ${accountId} is ${account.info.state}`;
    const principal: Principal = { ...access.principal, id: `telegram:${chatId}`, role };
    let reply: string;
    let outcome: 'ok' | 'failed' = 'ok';
    try {
      const run = account.runs.cancel(runId, principal.user ?? principal.name);
      reply = `run ${run.runId} on ${accountId}: ${run.state}`;
    } catch (error) {
      outcome = 'failed';
      reply = `not cancelled: ${error instanceof SurfaceError ? error.message : redactedMessage(error)}`;
    }
    await account.surface
      .recordAction({ tsMs: this.now(), actor: principal, action: 'cancel_run', subject: runId, outcome, message: reply })
      .catch(() => undefined);
    return reply;
  }

  /** `/run <strategy> [account] key=value…`: a market strategy run on an account where the chat is a trader. */
  private async run(chatId: number, text: string, access: Access): Promise<string> {
    const words = text.trim().split(/\s+/).filter(Boolean);
    const strategy = words.shift();
    if (!strategy)
      return 'usage: /run <strategy> [account] key=value … e.g. /run end-sweeper my-account market=btc-updown-5m-1753315200 sizeUsdc=5';
    const traderOn = this.visible(access).filter(({ role }) => roleAllows(role, 'trader'));
    let accountId: string;
    if (words[0] !== undefined && !words[0].includes('=')) accountId = words.shift()!;
    else if (traderOn.length === 1) accountId = traderOn[0]!.account.info.id;
    else
      return traderOn.length === 0
        ? 'not allowed: starting a run needs a trader role on an account, and you have none'
        : `which account? /run ${strategy} <account> … (yours: ${traderOn.map((t) => t.account.info.id).join(', ')})`;
    const account = this.o.accounts.get(accountId);
    const role = account ? access.roleOn(accountId) : undefined;
    // Someone else's account answers like one that does not exist.
    if (!account || role === undefined) return `no account "${accountId}" for you (/accounts lists yours)`;
    if (!roleAllows(role, 'trader')) return `not allowed: a run needs a trader role on ${accountId}; yours is ${role}`;
    if (!account.surface || !account.runs) return `account ${accountId} is ${account.info.state}`;
    const params: Record<string, unknown> = {};
    for (const word of words) {
      const at = word.indexOf('=');
      if (at <= 0) return `"${word}": parameters are key=value`;
      params[word.slice(0, at)] = paramValue(word.slice(at + 1));
    }
    const principal: Principal = { ...access.principal, id: `telegram:${chatId}`, role };
    let reply: string;
    let outcome: 'ok' | 'failed' = 'ok';
    try {
      const run = await account.runs.start({ strategy, params }, principal.user ?? principal.name);
      reply = `run ${run.runId} started on ${accountId}: ${run.strategy} ${JSON.stringify(run.params)}`;
    } catch (error) {
      outcome = 'failed';
      reply = `run not started: ${error instanceof SurfaceError ? error.message : redactedMessage(error)}`;
    }
    await account.surface
      .recordAction({ tsMs: this.now(), actor: principal, action: 'start_run', subject: strategy, params, outcome, message: reply })
      .catch(() => undefined);
    return reply;
  }
}

const HELP =
  'Commands: /accounts /positions /pnl /runs · /run <strategy> [account] key=value …, /cancel <account> <run> (trader) · /unlink';

function whoText(access: Access): string {
  return access.principal.user !== undefined
    ? `This chat is linked to polytail user ${access.principal.user}.`
    : `This is an operator chat (${access.principal.role}).`;
}

/** `5` → 5, `true` → true, `["a"]` → ["a"], anything else stays text. */
function paramValue(raw: string): unknown {
  try {
    return JSON.parse(raw) as unknown;
  } catch {
    return raw;
  }
}
