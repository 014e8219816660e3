/**
 * Linking a Telegram chat to this user: a one-time code (valid ten minutes, works once) to send to
 * the daemon's bot as `/start <code>`. The chat then sees what this user sees, nothing more.
 */
import { api } from '../api.ts';
import { fill, h, panel } from '../dom.ts';

interface LinkCode {
  code: string;
  expiresMs: number;
  send: string;
  bot?: string;
}

export function telegramPanel(say: (text: string, ok: boolean) => void): HTMLElement {
  const out = h('div', { test: 'telegram-code' });
  const button = h(
    'button',
    {
      test: 'telegram-link',
      onClick: () =>
        void api<LinkCode>('POST', '/api/telegram/link-code', {})
          .then((c) =>
            fill(
              out,
              h('p', {}, 'Send this to ', h('strong', {}, c.bot ? `@${c.bot}` : 'the daemon’s bot'), ' from the chat to link:'),
              h('pre', { test: 'telegram-command' }, c.send),
              h('p', { class: 'muted' }, `Works once, until ${new Date(c.expiresMs).toLocaleTimeString()}.`),
            ),
          )
          .catch((error: unknown) => say((error as Error).message, false)),
    },
    'Get a link code',
  );
  return panel(
    'Telegram',
    'telegram-panel',
    h('p', { class: 'muted' }, 'Link a Telegram chat to see your positions and start runs from your phone.'),
    button,
    out,
  );
}
