// Small text helpers for the terminal: every cell is cut to its width here, never by the terminal.
import { formatMicros, formatUsd, type Micros } from '../core/money.ts';

/** Cuts `text` to `width` columns, marking the cut with an ellipsis. */
export function truncate(text: string, width: number): string {
  if (width <= 0) return '';
  if (text.length <= width) return text;
  if (width === 1) return '…';
  return text.slice(0, width - 1) + '…';
}

export function padRight(text: string, width: number): string {
  const t = truncate(text, width);
  return t + ' '.repeat(width - t.length);
}

export function padLeft(text: string, width: number): string {
  const t = truncate(text, width);
  return ' '.repeat(width - t.length) + t;
}

/** Signed dollars: "+$1.20" / "-$3.00" / "$0.00". */
export function signedUsd(micros: Micros): string {
  if (micros > 0) return '+' + formatUsd(micros);
  return formatUsd(micros);
}

/** Prices in [0, 1] with up to 3 decimals (Polymarket ticks are 0.01 or 0.001). */
export function formatPrice(micros: Micros | undefined): string {
  if (micros === undefined) return '-';
  const s = formatMicros(micros, 3);
  return s.endsWith('0') ? s.slice(0, -1) : s;
}

/** Shares with 2 decimals. */
export function formatShares(micros: Micros | undefined): string {
  return micros === undefined ? '-' : formatMicros(micros, 2);
}

/** "0x1234…abcd" */
export function shortWallet(wallet: string | undefined): string {
  if (!wallet) return '-';
  return wallet.length > 12 ? `${wallet.slice(0, 6)}…${wallet.slice(-4)}` : wallet;
}

/** An age in ms as "0.4s", "12s", "3m", "5h", "2d". */
export function formatAge(ms: number | undefined): string {
  if (ms === undefined || !Number.isFinite(ms)) return '-';
  const abs = Math.max(0, ms);
  if (abs < 10_000) return `${(abs / 1000).toFixed(1)}s`;
  if (abs < 120_000) return `${Math.round(abs / 1000)}s`;
  if (abs < 7_200_000) return `${Math.round(abs / 60_000)}m`;
  if (abs < 172_800_000) return `${Math.round(abs / 3_600_000)}h`;
  return `${Math.round(abs / 86_400_000)}d`;
}

/** UTC wall time "HH:MM:SS". */
export function formatClock(ms: number): string {
  return new Date(ms).toISOString().slice(11, 19);
}

/** UTC "YYYY-MM-DD HH:MM:SS". */
export function formatDateTime(ms: number): string {
  const iso = new Date(ms).toISOString();
  return `${iso.slice(0, 10)} ${iso.slice(11, 19)}`;
}

/** UTC "MM-DD HH:MM", for chart axes. */
export function formatShortDateTime(ms: number): string {
  const iso = new Date(ms).toISOString();
  return `${iso.slice(5, 10)} ${iso.slice(11, 16)}`;
}

/** A value from Decision.details, formatted by its key's unit suffix (`…PriceMicros`, `…SizeMicros`, `…Micros`). */
export function formatDetail(key: string, value: number | string | boolean | null): string {
  if (value === null) return '-';
  if (typeof value !== 'number') return String(value);
  if (/Micros$/.test(key)) {
    if (/price/i.test(key)) return formatPrice(value);
    if (/size|shares/i.test(key)) return formatShares(value) + ' sh';
    return formatUsd(value);
  }
  if (/Bps$/.test(key)) return `${value} bps`;
  if (/Ms$/.test(key) && !/^ts/.test(key)) return formatAge(value);
  return String(value);
}

/** Check codes whose numbers are not USDC micros (see src/risk: each check says its unit). */
const CHECK_UNITS: Record<string, 'bps' | 'drawdown_bps' | 'count' | 'price'> = {
  max_slippage: 'bps',
  max_drawdown: 'drawdown_bps',
  max_daily_trades: 'count',
  max_markets: 'count',
  max_spread: 'price',
};

/** A check's value or limit in its unit; every code not listed above is money (USDC micros). */
export function formatCheckNumber(code: string, value: number | undefined): string {
  if (value === undefined) return '-';
  switch (CHECK_UNITS[code] ?? (/_bps$/.test(code) ? 'bps' : undefined)) {
    case 'bps':
      return `${value} bps`;
    case 'drawdown_bps':
      return `${(value / 100).toFixed(2)}%`;
    case 'count':
      return String(value);
    case 'price':
      return formatPrice(value);
    default:
      return formatUsd(value);
  }
}

/** Shares in a short form: "12.5", "1.2k", "3.4M". */
export function compactShares(micros: number): string {
  const v = Math.abs(micros) / 1_000_000;
  const sign = micros < 0 ? '-' : '';
  if (v >= 1_000_000) return `${sign}${(v / 1_000_000).toFixed(1)}M`;
  if (v >= 10_000) return `${sign}${Math.round(v / 1000)}k`;
  if (v >= 1000) return `${sign}${(v / 1000).toFixed(1)}k`;
  return sign + (v >= 100 ? v.toFixed(0) : v.toFixed(1).replace(/\.0$/, ''));
}

/** The rows window [start, end) that keeps `selected` visible in `height` lines. */
export function visibleWindow(total: number, selected: number, height: number): { start: number; end: number } {
  const h = Math.max(1, height);
  if (total <= h) return { start: 0, end: total };
  const start = Math.min(Math.max(0, selected - Math.floor(h / 2)), total - h);
  return { start, end: start + h };
}
