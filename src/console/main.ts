/**
 * The polytail web console: a page per hash route (#/a/<account>/<page>), fed by the account's
 * WebSocket stream (views a few times a second, decisions, fills, alerts) and REST calls for history
 * and commands. Served by the daemon (src/server/http/console-routes.ts), bundled by esbuild.
 */
import type { Alert } from '../core/ports.ts';
import type { Role } from '../core/session-surface.ts';
import { ApiError, Stream, logout, me, type AccountRow, type Me, type StreamMessage } from './api.ts';
import { roleAllows, type Ctx, type FeedItem, type Page } from './context.ts';
import { fill, h, panel, table } from './dom.ts';
import { price, shares, shortWallet, usd } from './format.ts';
import { DashboardPage } from './pages/dashboard.ts';
import { FeedPage } from './pages/feed.ts';
import { showLogin } from './pages/login.ts';
import { RiskPage } from './pages/risk.ts';
import { RunsPage } from './pages/runs.ts';
import { telegramPanel } from './pages/telegram.ts';
import { StrategiesPage } from './pages/strategies.ts';

const PAGES: Record<string, { title: string; make: () => Page }> = {
  dashboard: { title: 'Dashboard', make: () => new DashboardPage() },
  strategies: { title: 'Targets & strategies', make: () => new StrategiesPage() },
  runs: { title: 'Runs', make: () => new RunsPage() },
  risk: { title: 'Risk', make: () => new RiskPage() },
  feed: { title: 'Feed & alerts', make: () => new FeedPage() },
};

const top = document.getElementById('top')!;
const app = document.getElementById('app')!;

let who: Me | undefined;
let stream: Stream | undefined;
let ctx: Ctx | undefined;
let page: Page | undefined;
let pageRoot: HTMLElement | undefined;
const banner = h('div', { test: 'banner' });

function route(): { account?: string; page: string } {
  const m = /^#\/a\/([^/]+)(?:\/(\w+))?/.exec(location.hash);
  if (!m) return { page: 'accounts' };
  return { account: decodeURIComponent(m[1]!), page: m[2] && m[2] in PAGES ? m[2] : 'dashboard' };
}

function say(text: string, ok: boolean): void {
  fill(banner, h('div', { class: ok ? 'banner ok' : 'banner' }, text));
}

async function boot(note?: string): Promise<void> {
  try {
    who = await me();
  } catch (error) {
    leaveAccount();
    fill(top);
    showLogin(app, () => void boot(), error instanceof ApiError && error.status === 401 ? note : (error as Error).message);
    return;
  }
  render();
}

function leaveAccount(): void {
  page?.unmount?.();
  page = undefined;
  stream?.close();
  stream = undefined;
  ctx = undefined;
}

function header(current: { account?: string; page: string }): void {
  const accounts = who!.accounts;
  const select = h(
    'select',
    {
      test: 'account-select',
      onChange: () => {
        location.hash = `#/a/${encodeURIComponent(select.value)}/${current.page === 'accounts' ? 'dashboard' : current.page}`;
      },
    },
    h('option', { value: '' }, 'Accounts…'),
    ...accounts.map((a) => h('option', { value: a.id }, `${a.label} (${a.mode}${a.kind === 'sub' ? ', sub-account' : ''})`)),
  );
  select.value = current.account ?? '';
  const nav = h('nav');
  if (current.account)
    for (const [key, p] of Object.entries(PAGES))
      nav.append(
        h(
          'a',
          {
            href: `#/a/${encodeURIComponent(current.account)}/${key}`,
            class: key === current.page ? 'active' : undefined,
            test: `nav-${key}`,
          },
          p.title,
        ),
      );
  fill(
    top,
    h('a', { class: 'brand', href: '#/' }, 'polytail'),
    select,
    nav,
    h(
      'div',
      { class: 'who' },
      h('span', { test: 'who' }, who!.user ?? who!.token.name),
      h(
        'button',
        { test: 'logout', onClick: () => void logout().finally(() => (leaveAccount(), (location.hash = '#/'), void boot())) },
        'Log out',
      ),
    ),
  );
}

function render(): void {
  const current = route();
  header(current);
  const account = who!.accounts.find((a) => a.id === current.account);
  if (!account) {
    leaveAccount();
    if (current.account) say(`No account "${current.account}" for you.`, false);
    else fill(banner);
    if (!current.account && who!.accounts.length === 1) {
      location.hash = `#/a/${encodeURIComponent(who!.accounts[0]!.id)}/dashboard`;
      return;
    }
    fill(app, banner, accountsPage(who!.accounts), ...(who!.user !== undefined ? [telegramPanel(say)] : []));
    return;
  }
  if (!ctx || ctx.account.id !== account.id) openAccount(account);
  page?.unmount?.();
  fill(banner);
  pageRoot = h('div');
  fill(app, banner, pageRoot);
  if (account.state !== 'running') {
    fill(pageRoot, h('p', { class: 'banner' }, `${account.label} is ${account.state}${account.error ? `: ${account.error}` : ''}`));
    page = undefined;
    return;
  }
  page = PAGES[current.page]!.make();
  page.mount(pageRoot, ctx!);
}

function accountsPage(accounts: AccountRow[]): HTMLElement {
  return panel(
    'Your accounts',
    'accounts-panel',
    table(
      'accounts',
      ['Account', 'Kind', 'Mode', 'State', 'Your role'],
      accounts.map((a) => [
        h('a', { href: `#/a/${encodeURIComponent(a.id)}/dashboard`, test: `account-${a.id}` }, a.label),
        a.kind === 'sub' ? `sub-account of ${a.parent ?? '?'}` : a.kind,
        a.mode,
        a.error ? `${a.state}: ${a.error}` : a.state,
        a.role,
      ]),
      'No account is granted to you yet: ask the daemon’s admin.',
    ),
  );
}

function openAccount(account: AccountRow): void {
  leaveAccount();
  const c: Ctx = {
    me: who!,
    account,
    feed: [],
    alerts: [],
    streamState: 'connecting',
    can: (need: Role) => roleAllows(account.role, need),
    act: async (label, call) => {
      try {
        await call();
        say(label, true);
        return true;
      } catch (error) {
        if (error instanceof ApiError && error.status === 401)
          void boot('Your session ended (the token was revoked or expired): log in again.');
        else say((error as Error).message, false);
        return false;
      }
    },
  };
  ctx = c;
  if (account.state !== 'running') return;
  stream = new Stream(
    account.id,
    (m) => onMessage(c, m),
    (state, detail) => {
      c.streamState = state;
      if (state === 'refused') {
        leaveAccount();
        void boot(`The stream was closed: ${detail ?? 'access withdrawn'}. Log in again.`);
      }
    },
  );
}

function push(c: Ctx, item: FeedItem): void {
  c.feed.unshift(item);
  if (c.feed.length > 300) c.feed.length = 300;
}

/**
 * Pages are redrawn at most once a second, after the stream's backlog: a phone (or a loaded machine)
 * must not spend its time redrawing tables for every message.
 */
const REDRAW_EVERY_MS = 1000;
let redrawTimer: ReturnType<typeof setTimeout> | undefined;
let lastRedrawMs = 0;
let replaying = true;

function redraw(c: Ctx): void {
  if (redrawTimer !== undefined || replaying) return;
  const wait = Math.max(0, lastRedrawMs + REDRAW_EVERY_MS - Date.now());
  redrawTimer = setTimeout(() => {
    redrawTimer = undefined;
    lastRedrawMs = Date.now();
    if (ctx === c) page?.update(c);
  }, wait);
}

function onMessage(c: Ctx, m: StreamMessage): void {
  if (ctx !== c) return;
  switch (m.type) {
    case 'hello':
      replaying = true;
      c.view = m.view;
      page?.update(c);
      return;
    case 'backlog_end':
      replaying = false;
      redraw(c);
      return;
    case 'view':
      c.view = m.view;
      redraw(c);
      return;
    case 'alert':
      c.alerts.unshift(m.alert as Alert);
      if (c.alerts.length > 200) c.alerts.length = 200;
      push(c, { tsMs: m.alert.tsMs, kind: 'alert', level: m.alert.level, text: `${m.alert.code}: ${m.alert.message}` });
      break;
    case 'decision':
      push(c, {
        tsMs: m.decision.tsMs,
        kind: 'decision',
        text: `${m.decision.strategyId} ${m.decision.action} (${m.decision.reason}) ${m.decision.message}`,
      });
      break;
    case 'fill':
      push(c, {
        tsMs: m.fill.tsMs,
        kind: 'fill',
        text: `${m.fill.side} ${shares(m.fill.sizeMicros)} @ ${price(m.fill.priceMicros)} (${m.fill.strategyId})`,
      });
      break;
    case 'event':
      if (m.event.type === 'target_trade') {
        const t = m.event.trade;
        push(c, {
          tsMs: m.event.tsEvent,
          kind: 'trade',
          text: `${shortWallet(t.wallet)} ${t.side} ${shares(t.sizeMicros)} ${t.outcome} @ ${price(t.priceMicros)} — ${t.title ?? t.slug ?? t.tokenId.slice(0, 12)} (${usd(t.usdcMicros)})`,
        });
      } else if (m.event.type === 'market_resolved')
        push(c, { tsMs: m.event.tsEvent, kind: 'market', text: `resolved ${m.event.conditionId.slice(0, 12)}` });
      break;
    case 'risk':
      push(c, { tsMs: Date.now(), kind: 'risk', text: `${m.state}: ${m.reason}` });
      break;
    default:
      return;
  }
  if (page?.onMessage) redraw(c);
}

window.addEventListener('hashchange', () => {
  if (who) render();
});
void boot();
