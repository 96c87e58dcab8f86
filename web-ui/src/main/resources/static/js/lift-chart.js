// Cumulative lift over time with its confidence band, one line per treatment arm, as inline SVG.
import { s, isNum, signedPercent, difference } from './format.js';

// drawn at about the size it is shown, so that its text keeps the page's size
const W = 1180;
const H = 280;
const PAD = { top: 14, right: 16, bottom: 30, left: 56 };

function niceTicks(lo, hi, count = 5) {
  const span = hi - lo || Math.abs(hi) || 1;
  const raw = span / count;
  const mag = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 2.5, 5, 10].map((m) => m * mag).find((st) => span / st <= count) || mag * 10;
  const ticks = [];
  for (let t = Math.ceil(lo / step) * step; t <= hi + step * 1e-9; t += step) ticks.push(+t.toFixed(12));
  return ticks;
}

/**
 * @param points timeseries rows of one metric: {date, arm, cumulativeLift, ci: [lo, hi]}
 * @param colorOf arm key → colour
 */
export function renderLiftChart(points, colorOf, differenceType = 'relative') {
  const rows = points.filter((p) => isNum(p.cumulativeLift));
  const dates = [...new Set(rows.map((p) => p.date))].sort();
  const arms = [...new Set(rows.map((p) => p.arm))];
  let lo = 0;
  let hi = 0;
  for (const p of rows) {
    const [a, b] = Array.isArray(p.ci) ? p.ci : [p.cumulativeLift, p.cumulativeLift];
    lo = Math.min(lo, p.cumulativeLift, isNum(a) ? a : lo);
    hi = Math.max(hi, p.cumulativeLift, isNum(b) ? b : hi);
  }
  const pad = (hi - lo) * 0.08 || 0.01;
  const ticks = niceTicks(lo - pad, hi + pad);
  const y0 = Math.min(ticks[0], lo - pad);
  const y1 = Math.max(ticks[ticks.length - 1], hi + pad);
  const plotW = W - PAD.left - PAD.right;
  const plotH = H - PAD.top - PAD.bottom;
  const x = (d) => PAD.left + (dates.length <= 1 ? plotW / 2 : (dates.indexOf(d) / (dates.length - 1)) * plotW);
  const y = (v) => PAD.top + (1 - (v - y0) / (y1 - y0)) * plotH;
  const fmt = (v) => (differenceType === 'absolute' ? difference(v, 'absolute') : signedPercent(v, Math.abs(y1 - y0) < 0.05 ? 1 : 0));

  const svg = s('svg', { class: 'chart-svg', viewBox: `0 0 ${W} ${H}`, width: '100%', role: 'img',
    'aria-label': 'Cumulative lift over time with confidence band' });
  for (const t of ticks) {
    svg.append(s('line', { x1: PAD.left, x2: W - PAD.right, y1: y(t), y2: y(t), stroke: '#eef0f3' }),
      s('text', { x: PAD.left - 8, y: y(t) + 4, 'text-anchor': 'end' }, fmt(t)));
  }
  svg.append(s('line', { x1: PAD.left, x2: W - PAD.right, y1: y(0), y2: y(0), stroke: '#9aa3b2', 'stroke-dasharray': '4 3' }));
  const every = Math.max(1, Math.ceil(dates.length / 8));
  dates.forEach((d, i) => {
    if (i % every === 0 || i === dates.length - 1) {
      svg.append(s('text', { x: x(d), y: H - 8, 'text-anchor': 'middle' }, d.slice(5)));
    }
  });
  for (const arm of arms) {
    const series = rows.filter((p) => p.arm === arm).sort((a, b) => (a.date < b.date ? -1 : 1));
    const color = colorOf(arm);
    const banded = series.filter((p) => Array.isArray(p.ci) && isNum(p.ci[0]) && isNum(p.ci[1]));
    if (banded.length > 1) {
      const upper = banded.map((p) => `${x(p.date)},${y(p.ci[1])}`);
      const lower = banded.slice().reverse().map((p) => `${x(p.date)},${y(p.ci[0])}`);
      svg.append(s('polygon', { points: [...upper, ...lower].join(' '), fill: color, 'fill-opacity': 0.14, class: 'ci-band', 'data-arm': arm }));
    }
    svg.append(s('polyline', { points: series.map((p) => `${x(p.date)},${y(p.cumulativeLift)}`).join(' '), fill: 'none',
      stroke: color, 'stroke-width': 2, 'stroke-linejoin': 'round', class: 'lift-line', 'data-arm': arm }));
    for (const p of series) {
      svg.append(s('circle', { cx: x(p.date), cy: y(p.cumulativeLift), r: 2.5, fill: color },
        s('title', {}, `${arm} ${p.date}: ${fmt(p.cumulativeLift)}${Array.isArray(p.ci) ? ` [${fmt(p.ci[0])}, ${fmt(p.ci[1])}]` : ''}`)));
    }
  }
  return svg;
}
