import React from 'react';
import { afterEach, describe, expect, it } from 'vitest';
import { cleanup, render } from 'ink-testing-library';
import { App } from '../../src/tui/app.tsx';
import { SessionModel } from '../../src/tui/session-model.ts';
import { FakeEngine, feedSession, inputReady, orderFor, pressKeys, realTrades } from './helpers.ts';

afterEach(() => cleanup());

async function showPanel(digit: string, setup?: (engine: FakeEngine, model: SessionModel) => void) {
  const engine = new FakeEngine('paper');
  const model = new SessionModel();
  const trades = feedSession(model, 12);
  engine.holdPosition(trades[0]!, 21_600_000, 216_000_000);
  setup?.(engine, model);
  const r = render(<App model={model} view={engine} commands={engine} />);
  await inputReady(r.stdin);
  await pressKeys(r, [digit]);
  return { frame: r.lastFrame() ?? '', engine, model, trades };
}

describe('panels', () => {
  it('header shows mode, equity, today, risk and each feed with its age and lag', async () => {
    const { frame } = await showPanel('1');
    const header = frame.split('\n').slice(0, 3).join('\n');
    expect(header).toContain('PAPER');
    expect(header).toContain('equity $1,002.50');
    expect(header).toContain('today +$2.50');
    expect(header).toContain('risk active');
    expect(header).toContain('rtds ● 0.4s lag 0.1s');
    expect(header).toContain('data-api ✕ DOWN 45s');
    expect(header).toContain('10:30:00 UTC');
  });

  it('header shows the chain feed with its head block and reconnects', async () => {
    const { frame } = await showPanel('1', (engine) => {
      engine.feeds = [
        ...engine.feeds,
        { source: 'chain', connected: true, lastMessageMs: engine.now - 200, lagMs: 2100, gaps: 0, reconnects: 2, headBlock: 81_234_567 },
      ];
    });
    const header = frame.split('\n').slice(0, 3).join('\n');
    expect(header).toContain('chain ● 0.2s lag 2.1s #81234567 ↻2');
  });

  it('1 Feed: target trade, our decision with its skip reason, our fill', async () => {
    const { frame } = await showPanel('1');
    expect(frame).toContain('SELL 216@0.98');
    expect(frame).toContain('✗ below_min_notional');
    expect(frame).toContain('✓ copy');
    expect(frame).toContain('21.6@0.02'); // our 10% copy of the 216-share BUY, filled at 0.02
    expect(frame).toContain('Up · Bitcoin Up or Down');
  });

  it('2 Positions: ours beside the target, drift against target × multiplier', async () => {
    const { frame } = await showPanel('2');
    expect(frame).toMatch(/Size.*Avg.*Mark.*uPnL.*Target.*Drift/);
    expect(frame).toMatch(/Bitcoin Up or Down .*21\.6 .*0\.54 .*0\.55 .*\+\$0\.22 .*216 .*-90%/);
  });

  it('3 PnL: equity chart with a time axis, realized/unrealized/fees and drawdown', async () => {
    const { frame } = await showPanel('3');
    expect(frame).toContain('Realized +$3.00');
    expect(frame).toContain('unrealized -$1.20');
    expect(frame).toContain('fees $0.12');
    expect(frame).toMatch(/drawdown \$7\.50 \(0\.7%\)/);
    expect(frame).toMatch(/\$100\d\.\d\d ┤/);
    expect(frame).toMatch(/12-03 10:1\d +12-03 10:25/);
  });

  it('4 Orders: open orders and recent fills with fees', async () => {
    const { frame } = await showPanel('4', (engine, _m) => {
      engine.orders = [{ ...orderFor(realTrades(1)[0]!, 'po-open-1', 5_000_000), type: 'GTC' }];
    });
    expect(frame).toContain('Open orders (1)');
    expect(frame).toMatch(/po-open-1 .*Bitcoin Up or Down.*SELL .*GTC .*5 .*0\.98/);
    expect(frame).toMatch(/filled .*po-1\d? /);
    expect(frame).toContain('$0.0120 taker');
  });

  it('5 Targets: copies, skips, PnL, multiplier and paused state per target', async () => {
    const { frame } = await showPanel('5');
    expect(frame).toMatch(/tail-redcaterpillar .*0x05c1…45b7 .*1\.00 .*8 .*4 .*\+\$1\.68 .*running/);
    expect(frame).toMatch(/fade-djangodja .*0\.50 .*2 .*9 .*-\$0\.84 .*PAUSED daily loss/);
  });

  it('5 Targets: the scout score of a wallet the session started from a scout file, - for the others', async () => {
    const { frame } = await showPanel('5', (_engine, model) =>
      model.setTargetScores(
        new Map([['0x05c1882212a41aa8d7df5b70eebe03d9319345b7', { rank: 1, followerPnlUsdc: 631.69, captureRatio: 0.74, halfLife: '5s' }]]),
      ),
    );
    expect(frame).toMatch(/Scout/);
    expect(frame).toMatch(/tail-re.*0x05c1…45b7 .*#1 0\.74 5s .*running/);
    expect(frame).toMatch(/fade-dj.*0x0fd4…7750 .* - +│ PAUSED/);
  });

  it('6 Risk: each limit as a usage bar with value vs limit', async () => {
    const { frame } = await showPanel('6');
    expect(frame).toMatch(/max_total_exposure +█+░+ +60% \$120\.00 \/ \$200\.00/);
    expect(frame).toMatch(/max_daily_trades +█+ +100% ! 100 \/ 100/);
  });

  it('7 Logs: alerts and risk state changes, newest first', async () => {
    const { frame } = await showPanel('7', (_e, model) => {
      model.onAlert({
        tsMs: Date.UTC(2025, 11, 3, 10, 26),
        level: 'critical',
        code: 'halted_daily_loss',
        message: 'daily loss $52 over the $50 limit',
      });
      model.onRiskState('halted', 'daily loss limit');
    });
    const lines = frame.split('\n');
    const halted = lines.findIndex((l) => l.includes('risk state → halted: daily loss limit'));
    const alert = lines.findIndex((l) => l.includes('CRIT halted_daily_loss: daily loss $52 over the $50 limit'));
    expect(halted).toBeGreaterThan(0);
    expect(alert).toBeGreaterThan(halted);
  });
});
