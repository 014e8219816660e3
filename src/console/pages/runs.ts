/**
 * Market strategy runs of the account: each with its status (running, finished, failed, cancelled),
 * parameters, who started it, its fills and PnL; a trader starts one with parameters and cancels a
 * running one. The list is read over REST (runs change rarely): when the page opens, every few
 * seconds while it is open, and after each start or cancel.
 */
import type { RunStatus } from '../../core/account-directory.ts';
import { accountPath, api } from '../api.ts';
import type { Ctx, Page } from '../context.ts';
import { fill, h, panel, table } from '../dom.ts';
import { sign, usd } from '../format.ts';

const REFRESH_MS = 3000;

export class RunsPage implements Page {
  private readonly list = h('div');
  private lastFetchMs = 0;
  private shown = '';
  private ctx?: Ctx;

  mount(root: HTMLElement, ctx: Ctx): void {
    this.ctx = ctx;
    fill(root, h('h1', { test: 'page-title' }, `Strategy runs · ${ctx.account.label}`), panel('Runs', 'runs-panel', this.list));
    if (ctx.can('trader')) root.append(this.startForm(ctx));
    void this.refresh();
  }

  update(): void {
    if (Date.now() - this.lastFetchMs >= REFRESH_MS) void this.refresh();
  }

  unmount(): void {
    this.ctx = undefined;
  }

  private async refresh(): Promise<void> {
    const ctx = this.ctx;
    if (!ctx) return;
    this.lastFetchMs = Date.now();
    let runs: RunStatus[];
    try {
      runs = await api<RunStatus[]>('GET', accountPath(ctx.account.id, '/runs'));
    } catch (error) {
      fill(this.list, h('p', { class: 'banner' }, (error as Error).message));
      return;
    }
    const key = JSON.stringify(runs);
    if (key === this.shown || this.ctx !== ctx) return;
    this.shown = key;
    fill(
      this.list,
      table(
        'runs',
        ['Run', 'State', 'Parameters', 'Started', { text: 'Fills', num: true, narrow: true }, { text: 'PnL', num: true }, ''],
        runs
          .slice()
          .reverse()
          .map((r) => this.row(r, ctx)),
        'no runs yet',
      ),
    );
  }

  private row(r: RunStatus, ctx: Ctx) {
    const pnl = r.realizedMicros + r.unrealizedMicros - r.feesMicros;
    const badge = r.state === 'running' ? 'active' : r.state === 'finished' ? 'paused' : 'halted';
    const cancel =
      r.state === 'running' && ctx.can('trader')
        ? h(
            'button',
            {
              class: 'danger',
              test: `cancel-run-${r.runId}`,
              onClick: () =>
                void ctx
                  .act(`cancelled ${r.runId}`, () =>
                    api('POST', accountPath(ctx.account.id, `/runs/${encodeURIComponent(r.runId)}/cancel`), {}),
                  )
                  .then(() => this.refresh()),
            },
            'Cancel',
          )
        : null;
    return [
      h('span', {}, r.runId, h('div', { class: 'why' }, r.strategy)),
      h(
        'span',
        {},
        h('span', { class: `badge ${badge}`, test: `run-state-${r.runId}` }, r.state),
        r.reason ? h('div', { class: 'why' }, r.reason) : null,
      ),
      h('code', {}, JSON.stringify(r.params)),
      h('span', {}, new Date(r.startedMs).toLocaleString(), h('div', { class: 'why' }, `by ${r.startedBy}`)),
      r.fills,
      h('span', { class: sign(pnl) }, usd(pnl)),
      cancel,
    ];
  }

  private startForm(ctx: Ctx): HTMLElement {
    const strategy = h('input', {
      name: 'strategy',
      placeholder: 'market strategy, e.g. end-sweeper',
      required: true,
      test: 'run-strategy',
    });
    const params = h('textarea', { name: 'params', placeholder: '{ "market": "btc-updown-5m-…", "sizeUsdc": 5 }', test: 'run-params' });
    const name = h('input', { name: 'name', placeholder: 'run name (optional)' });
    return panel(
      'Start a run',
      'start-run-panel',
      h(
        'form',
        {
          class: 'inline',
          onSubmit: () =>
            void ctx
              .act(`started ${strategy.value}`, async () => {
                let parsed: unknown = undefined;
                if (params.value.trim()) {
                  try {
                    parsed = JSON.parse(params.value);
                  } catch {
                    throw new Error('parameters must be a JSON object, e.g. { "market": "…", "sizeUsdc": 5 }');
                  }
                }
                return api('POST', accountPath(ctx.account.id, '/runs'), {
                  strategy: strategy.value.trim(),
                  ...(parsed ? { params: parsed } : {}),
                  ...(name.value.trim() ? { name: name.value.trim() } : {}),
                });
              })
              .then(() => this.refresh()),
        },
        strategy,
        params,
        name,
        h('button', { type: 'submit', test: 'start-run' }, 'Start'),
      ),
    );
  }
}
