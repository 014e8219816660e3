// Every key the TUI answers to, in one list: the help overlay and docs/tui.md are built from it.
import type { Mode } from '../core/control.ts';

export interface KeyHelp {
  readonly keys: string;
  readonly action: string;
}

export function keyHelp(mode: Mode): KeyHelp[] {
  const replay = mode === 'replay';
  return [
    { keys: 'q', action: mode === 'live' ? 'quit (asks y/n if orders are open)' : 'quit' },
    { keys: 'Ctrl+C', action: 'quit now, terminal restored' },
    { keys: 'p', action: replay ? 'play/pause the replay clock' : 'pause/resume all strategies' },
    { keys: 'space', action: 'pause/resume the selected target' },
    { keys: 'X', action: 'kill switch: cancel all, halt (y/n)' },
    { keys: '+ / -', action: 'raise/lower selected multiplier' },
    { keys: 'tab / S-tab', action: 'next/previous panel' },
    { keys: '1..7', action: 'Feed Pos PnL Orders Targets Risk Logs' },
    { keys: '↑↓ / j k', action: 'move the selection' },
    { keys: 'enter', action: 'explain the selected decision' },
    { keys: '/', action: 'filter the feed (enter applies, esc clears)' },
    { keys: 'c', action: 'cancel the selected order (panel 4)' },
    { keys: 'r', action: 'resync positions' },
    ...(replay
      ? [
          { keys: '. / s', action: 'step one event' },
          { keys: '> / <', action: 'replay faster/slower' },
        ]
      : []),
    { keys: 'esc', action: 'close overlay / clear filter' },
    { keys: '?', action: 'this help' },
  ];
}

/** Key hints for the footer, most important first, as many as fit in `width`. */
export function footerHints(mode: Mode, width = 200): string {
  const hints =
    mode === 'replay'
      ? ['? help', 'q quit', 'p play/pause', '. step', '< > speed', '1-7 panels', 'enter why', '/ filter', '↑↓ select']
      : ['? help', 'q quit', 'p pause', 'X kill', 'space target', '+/- mult', '1-7 panels', 'enter why', '/ filter', 'c cancel'];
  let out = '';
  for (const h of hints) {
    const next = out ? `${out}  ${h}` : h;
    if (next.length > width) break;
    out = next;
  }
  return out;
}
