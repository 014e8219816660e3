/** Log in with a token: the server checks it and answers with an HttpOnly cookie; the field is cleared. */
import { ApiError, login } from '../api.ts';
import { fill, h } from '../dom.ts';

export function showLogin(root: HTMLElement, onDone: () => void, note?: string): void {
  const input = h('input', {
    type: 'password',
    name: 'token',
    placeholder: 'ptk_…',
    autocomplete: 'current-password',
    test: 'token',
    required: true,
  });
  const message = h('div', { test: 'login-error' });
  const form = h(
    'form',
    {
      class: 'panel login',
      test: 'login-form',
      onSubmit: async () => {
        fill(message);
        const token = input.value.trim();
        input.value = '';
        try {
          await login(token);
          onDone();
        } catch (error) {
          const text =
            error instanceof ApiError && error.status === 401
              ? 'That token is not valid (wrong, revoked, or its user was removed).'
              : String((error as Error).message);
          fill(message, h('div', { class: 'banner' }, text));
        }
      },
    },
    h('h1', {}, 'polytail console'),
    h('p', { class: 'muted' }, 'Log in with your API token (polytail token create). It is kept in a cookie this page cannot read.'),
    note ? h('div', { class: 'banner' }, note) : null,
    message,
    input,
    h('button', { type: 'submit', test: 'login' }, 'Log in'),
  );
  fill(root, form);
  input.focus();
}
