/** Feed health (each source: connected, lag, last message, gaps, reconnects, last error), the live event tape and alerts. */
import type { Ctx, Page } from '../context.ts';
import { fill, h, panel, table } from '../dom.ts';
import { ago, time } from '../format.ts';

export class FeedPage implements Page {
  private health = h('div');
  private tape = h('div');
  private alerts = h('div');

  mount(root: HTMLElement, ctx: Ctx): void {
    fill(
      root,
      h('h1', { test: 'page-title' }, `Live feed · ${ctx.account.label}`),
      panel('Feed health', 'feed-health-panel', this.health),
      h('div', { class: 'cols' }, panel('Alerts', 'alerts-panel', this.alerts), panel('Live', 'tape-panel', this.tape)),
    );
    this.update(ctx);
  }

  update(ctx: Ctx): void {
    const view = ctx.view;
    if (view)
      fill(
        this.health,
        table(
          'feed-health',
          [
            'Source',
            'State',
            { text: 'Lag', num: true },
            'Last message',
            { text: 'Gaps', num: true, narrow: true },
            { text: 'Reconnects', num: true, narrow: true },
            { text: 'Last error', narrow: true },
          ],
          view.feedHealth.map((f) => [
            f.source,
            h('span', { class: f.connected ? 'good' : f.idle ? 'muted' : 'bad' }, f.connected ? 'connected' : f.idle ? 'idle' : 'down'),
            f.lagMs === undefined ? '—' : `${f.lagMs} ms`,
            ago(f.lastMessageMs, view.nowMs),
            f.gaps,
            f.reconnects,
            f.lastError ?? '',
          ]),
          'no feeds',
        ),
      );
    fill(
      this.alerts,
      ctx.alerts.length === 0
        ? h('p', { class: 'muted', test: 'alerts' }, 'no alerts')
        : h(
            'ul',
            { class: 'events', test: 'alerts' },
            ...ctx.alerts.map((a) =>
              h(
                'li',
                { class: a.level === 'info' ? undefined : a.level === 'warn' ? 'warn' : 'bad' },
                `${time(a.tsMs)} ${a.code}: ${a.message}`,
              ),
            ),
          ),
    );
    fill(
      this.tape,
      ctx.feed.length === 0
        ? h('p', { class: 'muted', test: 'tape' }, 'waiting for events…')
        : h(
            'ul',
            { class: 'events', test: 'tape' },
            ...ctx.feed.slice(0, 100).map((e) => h('li', {}, h('span', { class: 'muted' }, `${time(e.tsMs)} ${e.kind} `), e.text)),
          ),
    );
  }

  onMessage(_m: unknown, ctx: Ctx): void {
    this.update(ctx);
  }
}
