/** Risk: the state and why, pause and resume, the limits with their usage, and the kill switch (confirmed). */
import type { CheckResult } from '../../core/ports.ts';
import { accountPath, api } from '../api.ts';
import type { Ctx, Page } from '../context.ts';
import { fill, h, panel, table } from '../dom.ts';

interface RiskBody {
  state: string;
  reason: string;
  limits: Record<string, unknown>;
  usage: CheckResult[];
}

export class RiskPage implements Page {
  private state = h('div');
  private usage = h('div');
  private limits = h('div');

  mount(root: HTMLElement, ctx: Ctx): void {
    fill(
      root,
      h('h1', { test: 'page-title' }, `Risk · ${ctx.account.label}`),
      panel('State', 'risk-panel', this.state, ctx.can('trader') ? this.controls(ctx) : null),
      panel('Usage', 'usage-panel', this.usage),
      panel('Limits', 'limits-panel', this.limits),
      ctx.can('admin') ? this.kill(ctx) : null,
    );
    void this.loadLimits(ctx);
    this.update(ctx);
  }

  update(ctx: Ctx): void {
    const view = ctx.view;
    if (!view) return;
    fill(
      this.state,
      h(
        'p',
        {},
        h('span', { class: `badge ${view.riskState}`, test: 'risk-state' }, view.riskState),
        ' ',
        h('span', { class: 'muted', test: 'risk-reason' }, view.riskReason),
      ),
    );
    fill(
      this.usage,
      table(
        'risk-usage',
        ['Check', { text: 'Value', num: true }, { text: 'Limit', num: true }, ''],
        view.riskUsage.map((c) => [c.code, c.value ?? '—', c.limit ?? '—', h('span', { class: c.passed ? 'good' : 'bad' }, c.message)]),
        'no limits in force',
      ),
    );
  }

  private controls(ctx: Ctx): HTMLElement {
    const post = (path: string, label: string) => () => void ctx.act(label, () => api('POST', accountPath(ctx.account.id, path), {}));
    return h(
      'div',
      { class: 'inline' },
      h('button', { test: 'pause-all', onClick: post('/risk/pause', 'trading paused') }, 'Pause all'),
      ' ',
      h('button', { test: 'resume-all', onClick: post('/risk/resume', 'trading resumed') }, 'Resume'),
    );
  }

  private async loadLimits(ctx: Ctx): Promise<void> {
    let body: RiskBody;
    try {
      body = await api<RiskBody>('GET', accountPath(ctx.account.id, '/risk'));
    } catch {
      return;
    }
    const rows = Object.entries(body.limits).map(([name, value]) => {
      const shown = value === null || value === undefined ? '' : typeof value === 'object' ? JSON.stringify(value) : String(value);
      if (!ctx.can('admin') || (typeof value !== 'number' && value !== null)) return [name, shown || '—', ''];
      const input = h('input', { type: 'number', step: 'any', value: shown, placeholder: 'none' });
      return [
        name,
        input,
        h(
          'button',
          {
            onClick: () =>
              void ctx.act(`${name} = ${input.value || 'none'}`, () =>
                api('PATCH', accountPath(ctx.account.id, '/risk/limits'), { [name]: input.value === '' ? null : Number(input.value) }),
              ),
          },
          'Set',
        ),
      ];
    });
    fill(this.limits, table('risk-limits', ['Limit', 'Value', ''], rows, 'no limits'));
  }

  private kill(ctx: Ctx): HTMLElement {
    const confirmBox = h('div');
    const ask = () =>
      fill(
        confirmBox,
        h('p', { class: 'warn' }, `This cancels every open order of ${ctx.account.label} and halts trading until the session restarts.`),
        h(
          'button',
          {
            class: 'danger',
            test: 'kill-confirm',
            onClick: () => {
              fill(confirmBox);
              void ctx.act('kill switch: every order cancelled, trading halted', () =>
                api('POST', accountPath(ctx.account.id, '/risk/kill'), { reason: `kill switch by ${ctx.me.token.name} (console)` }),
              );
            },
          },
          'Yes, halt everything',
        ),
        ' ',
        h('button', { test: 'kill-cancel', onClick: () => fill(confirmBox) }, 'Cancel'),
      );
    return panel('Kill switch', 'kill-panel', h('button', { class: 'danger', test: 'kill', onClick: ask }, 'Kill switch…'), confirmBox);
  }
}
