/**
 * Targets and strategies: pause and resume each, turn the knobs it declares (within their ranges),
 * stop one, add a wallet to copy, start a market strategy with parameters. Buttons a role may not use
 * are not shown; the server refuses them anyway.
 */
import type { StrategyStatus } from '../../core/control.ts';
import { accountPath, api } from '../api.ts';
import type { Ctx, Page } from '../context.ts';
import { fill, h, panel, table } from '../dom.ts';
import { shortWallet, sign, usd } from '../format.ts';

export class StrategiesPage implements Page {
  private list = h('div');
  private shown = '';

  mount(root: HTMLElement, ctx: Ctx): void {
    fill(
      root,
      h('h1', { test: 'page-title' }, `Targets and strategies · ${ctx.account.label}`),
      panel('Running', 'strategies-panel', this.list),
    );
    if (ctx.can('admin')) root.append(this.addTarget(ctx), this.startStrategy(ctx));
    this.update(ctx);
  }

  update(ctx: Ctx): void {
    const view = ctx.view;
    if (!view) return;
    // Redrawn only when something changed, so a knob being typed into is not wiped by the next view.
    const key = JSON.stringify(
      view.strategies.map((s) => [s.id, s.paused, s.stopped, s.knobs, s.copies, s.skips, s.realizedMicros, s.unrealizedMicros]),
    );
    if (key === this.shown) return;
    this.shown = key;
    fill(
      this.list,
      table(
        'strategies',
        [
          'Strategy',
          'State',
          { text: 'Copies', num: true, narrow: true },
          { text: 'Skips', num: true, narrow: true },
          { text: 'PnL', num: true },
          'Knobs',
          '',
        ],
        view.strategies.map((s) => this.row(s, ctx)),
        'no strategies: add a target below',
      ),
    );
  }

  private row(s: StrategyStatus, ctx: Ctx) {
    const base = s.kind === 'copy' ? 'targets' : 'strategies';
    const path = (p: string) => accountPath(ctx.account.id, `/${base}/${encodeURIComponent(s.id)}${p}`);
    const state = s.stopped ? 'stopped' : s.paused ? 'paused' : 'running';
    const pnl = s.realizedMicros + s.unrealizedMicros - s.feesMicros;
    const actions = h('div', { class: 'inline' });
    if (!s.stopped && ctx.can('trader'))
      actions.append(
        s.paused
          ? h(
              'button',
              { test: `resume-${s.id}`, onClick: () => void ctx.act(`resumed ${s.id}`, () => api('POST', path('/resume'), {})) },
              'Resume',
            )
          : h(
              'button',
              { test: `pause-${s.id}`, onClick: () => void ctx.act(`paused ${s.id}`, () => api('POST', path('/pause'), {})) },
              'Pause',
            ),
      );
    if (!s.stopped && ctx.can('admin'))
      actions.append(
        ' ',
        h(
          'button',
          {
            class: 'danger',
            test: `stop-${s.id}`,
            onClick: () =>
              void ctx.act(`stopped ${s.id}`, () => (s.kind === 'copy' ? api('DELETE', path('')) : api('POST', path('/stop'), {}))),
          },
          s.kind === 'copy' ? 'Remove' : 'Stop',
        ),
      );
    const knobs = h('div');
    for (const k of s.knobs) {
      const input = h('input', {
        type: 'number',
        step: 'any',
        min: String(k.min),
        max: k.max === undefined ? undefined : String(k.max),
        value: k.value === undefined ? '' : String(k.value),
      });
      const canTurn = !s.stopped && (ctx.can('admin') || (k.name === 'multiplier' && ctx.can('trader')));
      knobs.append(
        h(
          'form',
          {
            class: 'inline',
            title: k.description,
            onSubmit: () =>
              void ctx.act(`${s.id}: ${k.name} = ${input.value}`, () =>
                k.name === 'multiplier' && !ctx.can('admin')
                  ? api('POST', path('/multiplier'), { multiplier: Number(input.value) })
                  : api('PATCH', accountPath(ctx.account.id, `/strategies/${encodeURIComponent(s.id)}/knobs`), {
                      [k.name]: Number(input.value),
                    }),
              ),
          },
          h('span', { class: 'muted' }, k.name),
          canTurn ? input : h('span', {}, k.value === undefined ? '—' : String(k.value)),
          canTurn ? h('button', { type: 'submit' }, 'Set') : null,
        ),
      );
    }
    return [
      h('span', {}, s.id, h('div', { class: 'why' }, s.kind === 'copy' ? `copies ${s.wallets.map(shortWallet).join(', ')}` : s.name)),
      h(
        'span',
        { class: `badge ${state === 'running' ? 'active' : state === 'paused' ? 'paused' : 'halted'}`, test: `state-${s.id}` },
        state,
        s.pausedReason ? ` (${s.pausedReason})` : '',
      ),
      s.copies,
      s.skips,
      h('span', { class: sign(pnl) }, usd(pnl)),
      knobs,
      actions,
    ];
  }

  private addTarget(ctx: Ctx): HTMLElement {
    const wallet = h('input', { name: 'wallet', placeholder: '0x… wallet to copy', required: true, test: 'target-wallet' });
    const multiplier = h('input', { name: 'multiplier', type: 'number', step: 'any', min: '0', placeholder: 'multiplier' });
    const label = h('input', { name: 'label', placeholder: 'label (optional)' });
    return panel(
      'Add a target',
      'add-target-panel',
      h(
        'form',
        {
          class: 'inline',
          onSubmit: () =>
            void ctx
              .act(`now copying ${wallet.value}`, () =>
                api('POST', accountPath(ctx.account.id, '/targets'), {
                  wallet: wallet.value.trim(),
                  ...(multiplier.value ? { multiplier: Number(multiplier.value) } : {}),
                  ...(label.value.trim() ? { label: label.value.trim() } : {}),
                }),
              )
              .then((ok) => ok && (wallet.value = '')),
        },
        wallet,
        multiplier,
        label,
        h('button', { type: 'submit', test: 'add-target' }, 'Add'),
      ),
    );
  }

  private startStrategy(ctx: Ctx): HTMLElement {
    const name = h('input', { name: 'strategy', placeholder: 'strategy name or file in strategies/', required: true });
    const params = h('textarea', { name: 'params', placeholder: '{ "param": 1 }' });
    return panel(
      'Start a market strategy',
      'start-strategy-panel',
      h(
        'form',
        {
          class: 'inline',
          onSubmit: () =>
            void ctx.act(`started ${name.value}`, async () => {
              let parsed: unknown = undefined;
              if (params.value.trim()) {
                try {
                  parsed = JSON.parse(params.value);
                } catch {
                  throw new Error('parameters must be a JSON object, e.g. { "size": 10 }');
                }
              }
              return api('POST', accountPath(ctx.account.id, '/strategies'), {
                name: name.value.trim(),
                ...(parsed ? { params: parsed } : {}),
              });
            }),
        },
        name,
        params,
        h('button', { type: 'submit' }, 'Start'),
      ),
    );
  }
}
