/** The equity curve: an SVG polyline (no chart library), labelled with the range it spans. */
import { usd } from './format.ts';

const NS = 'http://www.w3.org/2000/svg';

function svg<K extends keyof SVGElementTagNameMap>(tag: K, attrs: Record<string, string | number>): SVGElementTagNameMap[K] {
  const el = document.createElementNS(NS, tag);
  for (const [k, v] of Object.entries(attrs)) el.setAttribute(k, String(v));
  return el;
}

export function equityChart(points: readonly { tsMs: number; equityMicros: number }[]): SVGSVGElement {
  const W = 800;
  const H = 180;
  const pad = { l: 70, r: 8, t: 10, b: 18 };
  const root = svg('svg', {
    class: 'chart',
    viewBox: `0 0 ${W} ${H}`,
    preserveAspectRatio: 'none',
    role: 'img',
    'data-testid': 'equity-chart',
  });
  if (points.length === 0) {
    const t = svg('text', { x: pad.l, y: H / 2, class: 'axis' });
    t.textContent = 'no equity points yet';
    root.appendChild(t);
    return root;
  }
  const xs = points.map((p) => p.tsMs);
  const ys = points.map((p) => p.equityMicros);
  const [x0, x1] = [Math.min(...xs), Math.max(...xs)];
  let [y0, y1] = [Math.min(...ys), Math.max(...ys)];
  if (y1 - y0 < 10_000) [y0, y1] = [y0 - 5_000, y1 + 5_000]; // a flat line sits mid-chart
  const x = (v: number) => pad.l + ((v - x0) / Math.max(1, x1 - x0)) * (W - pad.l - pad.r);
  const y = (v: number) => pad.t + (1 - (v - y0) / (y1 - y0)) * (H - pad.t - pad.b);
  const line = svg('polyline', {
    class: 'line',
    points: points.map((p) => `${x(p.tsMs).toFixed(1)},${y(p.equityMicros).toFixed(1)}`).join(' '),
  });
  line.setAttribute('vector-effect', 'non-scaling-stroke');
  root.appendChild(line);
  for (const [value, at] of [
    [y1, pad.t + 10],
    [y0, H - pad.b],
  ] as const) {
    const label = svg('text', { x: 4, y: at, class: 'axis' });
    label.textContent = usd(value);
    root.appendChild(label);
  }
  return root;
}
