/** Money and time as the console shows them. The API speaks integer micros (1 USDC = 1 000 000). */
export function usd(micros: number | undefined): string {
  if (micros === undefined || !Number.isFinite(micros)) return '—';
  const v = micros / 1e6;
  const sign = v < 0 ? '-' : '';
  return `${sign}$${Math.abs(v).toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 })}`;
}

export function shares(micros: number): string {
  return (micros / 1e6).toLocaleString('en-US', { maximumFractionDigits: 2 });
}

export function price(micros: number | undefined): string {
  return micros === undefined ? '—' : (micros / 1e6).toFixed(3);
}

export function pct(ratio: number | undefined): string {
  return ratio === undefined || !Number.isFinite(ratio) ? '—' : `${(ratio * 100).toFixed(1)}%`;
}

/** Green when above zero, red below. */
export function sign(micros: number): string | undefined {
  return micros > 0 ? 'good' : micros < 0 ? 'bad' : undefined;
}

export function time(ms: number): string {
  return new Date(ms).toLocaleTimeString('en-GB', { hour12: false });
}

export function ago(ms: number | undefined, nowMs: number): string {
  if (ms === undefined) return '—';
  const s = Math.max(0, Math.round((nowMs - ms) / 1000));
  return s < 90 ? `${s}s ago` : `${Math.round(s / 60)}m ago`;
}

export function shortWallet(w: string): string {
  return w.length > 12 ? `${w.slice(0, 6)}…${w.slice(-4)}` : w;
}
