/**
 * Linking Telegram chats to users: a user asks for a one-time code here (the console's Telegram
 * button) and sends `/start <code>` to the daemon's bot; they can also unlink every chat of theirs.
 * A token without a user (an operator's) has nobody to link a chat to.
 */
import { SurfaceError } from '../../core/session-surface.ts';
import type { UserStore } from '../auth/user-store.ts';
import { LINK_CODE_TTL_MS, type TelegramLinks } from '../telegram/telegram-links.ts';
import type { RouteKit } from './route-kit.ts';

export interface TelegramRouteDeps {
  links: TelegramLinks;
  users: UserStore;
  now: () => number;
  /** The bot's @name, when the daemon runs one (the console shows it). */
  botName?: () => string | undefined;
}

export function registerTelegramRoutes(kit: RouteKit, d: TelegramRouteDeps): void {
  const userOf = (user: string | undefined) => {
    if (user === undefined) throw new SurfaceError('this token belongs to no user: an operator token cannot link a Telegram chat', 400);
    if (!d.users.get(user)) throw new SurfaceError(`no user "${user}"`, 404);
    return user;
  };
  kit
    .addDaemon({
      method: 'GET',
      url: '/telegram',
      role: 'viewer',
      tag: 'users',
      summary: 'this user’s Telegram: how many chats are linked, and the bot to talk to',
      handler: ({ principal }) => ({
        linkedChats: principal.user === undefined ? 0 : (d.users.get(principal.user)?.telegramChats.length ?? 0),
        bot: d.botName?.(),
      }),
    })
    .addDaemon({
      method: 'POST',
      url: '/telegram/link-code',
      role: 'viewer',
      tag: 'users',
      summary: `a one-time code (valid ${LINK_CODE_TTL_MS / 60_000} min) to link a Telegram chat to this user: send /start <code> to the bot`,
      action: 'telegram_link_code',
      handler: ({ principal }) => {
        const user = userOf(principal.user);
        const { code, expiresMs } = d.links.create(user, d.now());
        return { code, expiresMs, send: `/start ${code}`, bot: d.botName?.() };
      },
    })
    .addDaemon({
      method: 'POST',
      url: '/telegram/unlink',
      role: 'viewer',
      tag: 'users',
      summary: 'unlink every Telegram chat of this user (the bot stops answering them at once)',
      action: 'telegram_unlink',
      handler: ({ principal }) => {
        const user = userOf(principal.user);
        const chats = d.users.get(user)!.telegramChats;
        for (const chat of chats) d.users.unlinkTelegram(chat);
        return { unlinked: chats.length };
      },
    });
}
