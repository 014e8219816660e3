/**
 * The account dashboard: equity curve, cash, exposure, PnL, win rate, positions with marks and
 * unrealized PnL, PnL by target and by strategy, our trades and every decision with its why.
 */
import type { EngineSnapshot } from '../../core/control.ts';
import type { Decision, EquityPoint } from '../../core/ports.ts';
import type { Fill } from '../../core/types.ts';
import { accountPath, api } from '../api.ts';
import { equityChart } from '../chart.ts';
import type { Ctx, Page } from '../context.ts';
import { fill, h, panel, stat, table } from '../dom.ts';
import { pct, price, shares, shortWallet, sign, time, usd } from '../format.ts';

/** Share of closed positions (sold out or settled) that made money. */
export function winRate(view: EngineSnapshot): { rate?: number; closed: number } {
  const closed = view.positions.filter((p) => (p.settled || p.sizeMicros === 0) && p.realizedMicros !== 0);
  if (closed.length === 0) return { closed: 0 };
  return { rate: closed.filter((p) => p.realizedMicros > 0).length / closed.length, closed: closed.length };
}

export function exposureMicros(view: EngineSnapshot): number {
  return view.positions.reduce(
    (sum, p) => sum + (p.settled ? 0 : Math.round((p.sizeMicros / 1e6) * (p.markMicros ?? p.avgPriceMicros))),
    0,
  );
}

export class DashboardPage implements Page {
  private stats = h('div', { class: 'grid' });
  private chart = h('div');
  private positions = h('div');
  private byTarget = h('div');
  private byStrategy = h('div');
  private trades = h('div');
  private decisions = h('div');
  private equity: EquityPoint[] = [];
  private lastFetchMs = 0;
  private fetching = false;
  private titles = new Map<string, string>();

  mount(root: HTMLElement, ctx: Ctx): void {
    fill(
      root,
      h('h1', { test: 'page-title' }, `Dashboard · ${ctx.account.label}`),
      this.stats,
      panel('Equity', 'equity-panel', this.chart),
      panel('Positions', 'positions-panel', this.positions),
      h(
        'div',
        { class: 'cols' },
        panel('PnL by target', 'pnl-target-panel', this.byTarget),
        panel('PnL by strategy', 'pnl-strategy-panel', this.byStrategy),
      ),
      panel('Our trades', 'trades-panel', this.trades),
      panel('Decisions (the why)', 'decisions-panel', this.decisions),
    );
    this.update(ctx);
  }

  update(ctx: Ctx): void {
    const view = ctx.view;
    if (!view) return;
    for (const p of view.positions) if (p.title) this.titles.set(p.tokenId, p.title);
    const pnl = view.equity.realizedMicros + view.equity.unrealizedMicros - view.equity.feesMicros;
    const wr = winRate(view);
    fill(
      this.stats,
      stat('Equity', usd(view.equity.equityMicros), 'equity'),
      stat('Cash', usd(view.equity.cashMicros), 'cash'),
      stat('Exposure', usd(exposureMicros(view)), 'exposure'),
      stat('PnL (after fees)', usd(pnl), 'pnl', sign(pnl)),
      stat(
        'Today',
        usd(view.equity.equityMicros - view.dayStartEquityMicros),
        'today',
        sign(view.equity.equityMicros - view.dayStartEquityMicros),
      ),
      stat('Win rate', wr.closed ? `${pct(wr.rate)} of ${wr.closed}` : '—', 'win-rate'),
      stat('Risk', h('span', { class: `badge ${view.riskState}`, test: 'risk-state' }, view.riskState), 'risk'),
    );
    fill(
      this.positions,
      table(
        'positions',
        [
          'Market',
          'Outcome',
          { text: 'Size', num: true },
          { text: 'Avg', num: true },
          { text: 'Mark', num: true },
          { text: 'uPnL', num: true },
          { text: 'rPnL', num: true, narrow: true },
        ],
        view.positions.map((p) => [
          h('span', { test: 'market-title' }, p.title ?? p.tokenId.slice(0, 12)),
          p.outcome,
          shares(p.sizeMicros),
          price(p.avgPriceMicros),
          price(p.markMicros),
          h('span', { class: sign(p.unrealizedMicros) }, usd(p.unrealizedMicros)),
          h('span', { class: sign(p.realizedMicros) }, usd(p.realizedMicros)),
        ]),
        'no positions yet',
      ),
    );
    const total = (s: { realizedMicros: number; unrealizedMicros: number; feesMicros: number }) =>
      s.realizedMicros + s.unrealizedMicros - s.feesMicros;
    const targets = new Map<string, { realizedMicros: number; unrealizedMicros: number; feesMicros: number; copies: number }>();
    for (const s of view.strategies.filter((x) => x.kind === 'copy'))
      for (const w of s.wallets.slice(0, 1)) {
        const t = targets.get(w) ?? { realizedMicros: 0, unrealizedMicros: 0, feesMicros: 0, copies: 0 };
        t.realizedMicros += s.realizedMicros;
        t.unrealizedMicros += s.unrealizedMicros;
        t.feesMicros += s.feesMicros;
        t.copies += s.copies;
        targets.set(w, t);
      }
    fill(
      this.byTarget,
      table(
        'pnl-by-target',
        ['Target', { text: 'Copies', num: true }, { text: 'PnL', num: true }],
        [...targets].map(([w, t]) => [
          h('span', { title: w }, shortWallet(w)),
          t.copies,
          h('span', { class: sign(total(t)) }, usd(total(t))),
        ]),
        'no copy targets',
      ),
    );
    fill(
      this.byStrategy,
      table(
        'pnl-by-strategy',
        [
          'Strategy',
          { text: 'Realized', num: true, narrow: true },
          { text: 'Unrealized', num: true, narrow: true },
          { text: 'Fees', num: true, narrow: true },
          { text: 'PnL', num: true },
        ],
        view.strategies.map((s) => [
          s.id,
          usd(s.realizedMicros),
          usd(s.unrealizedMicros),
          usd(s.feesMicros),
          h('span', { class: sign(total(s)) }, usd(total(s))),
        ]),
        'no strategies',
      ),
    );
    const last = this.equity[this.equity.length - 1];
    if (!last || view.equity.tsMs > last.tsMs) this.equity.push(view.equity);
    fill(this.chart, equityChart(this.equity));
    if (Date.now() - this.lastFetchMs > 3000) void this.fetchHistory(ctx);
  }

  private async fetchHistory(ctx: Ctx): Promise<void> {
    if (this.fetching) return;
    this.fetching = true;
    this.lastFetchMs = Date.now();
    const id = ctx.account.id;
    try {
      const [equity, fills, decisions] = await Promise.all([
        api<EquityPoint[]>('GET', accountPath(id, '/equity?limit=1000')),
        api<Fill[]>('GET', accountPath(id, '/fills?limit=50')),
        api<Decision[]>('GET', accountPath(id, '/decisions?limit=50')),
      ]);
      this.equity = [...equity];
      fill(this.chart, equityChart(this.equity));
      const title = (tokenId: string) => this.titles.get(tokenId) ?? tokenId.slice(0, 12);
      fill(
        this.trades,
        table(
          'trades',
          [
            'Time',
            'Market',
            'Side',
            { text: 'Size', num: true },
            { text: 'Price', num: true },
            { text: 'Fee', num: true, narrow: true },
            { text: 'Strategy', narrow: true },
          ],
          fills.map((f) => [
            time(f.tsMs),
            title(f.tokenId),
            f.side,
            shares(f.sizeMicros),
            price(f.priceMicros),
            usd(f.feeMicros),
            f.strategyId,
          ]),
          'no trades yet',
        ),
      );
      fill(
        this.decisions,
        table(
          'decisions',
          ['Time', 'Strategy', 'Action', 'Why'],
          decisions.map((d) => [
            time(d.tsMs),
            h('span', {}, d.strategyId, d.side ? ` ${d.side}` : '', d.tokenId ? h('div', { class: 'why' }, title(d.tokenId)) : null),
            h('span', { class: d.action === 'copy' || d.action === 'order' ? 'good' : d.action === 'deny' ? 'bad' : 'warn' }, d.action),
            h(
              'span',
              { test: 'decision-why' },
              h('strong', {}, d.reason),
              ' ',
              d.message,
              ...d.checks.filter((c) => !c.passed).map((c) => h('div', { class: 'why' }, `${c.code}: ${c.message}`)),
            ),
          ]),
          'no decisions yet',
        ),
      );
    } catch {
      // the banner shows stream trouble; history is fetched again with the next view
    } finally {
      this.fetching = false;
    }
  }
}
