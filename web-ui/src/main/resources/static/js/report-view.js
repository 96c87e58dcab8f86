// Renders a live report (the shape in docs/architecture.md) into a container. Pure DOM, no fetching: the detail page
// feeds it from GET /report and the /report/stream events, the browser tests from a fixture.
import { h, s, isNum, number, integer, percent, pValue, difference, metricName, dateTime, armColor } from './format.js';
import { renderLiftChart } from './lift-chart.js';

/**
 * @param container element whose content is replaced
 * @param report    the report, or null when there is none yet; one without exposed units shows "No data yet"
 * @param options   {metrics: {primary, secondary, guardrails}, analysis: {alpha, differenceType}, arms: [{key, weight}]}
 */
export function renderReport(container, report, options = {}) {
  const chartMetric = container.querySelector('.chart-wrap select')?.value;
  const exposed = (report?.arms || []).some((a) => a.units > 0);
  if (!report || !Array.isArray(report.metrics) || report.metrics.length === 0 || !exposed) {
    container.replaceChildren(noData());
    return;
  }
  const alpha = options.analysis?.alpha ?? 0.05;
  const differenceType = options.analysis?.differenceType ?? 'relative';
  const armIndex = new Map((report.arms || []).map((a, i) => [a.key, i]));
  const colorOf = (key) => armColor(armIndex.has(key) ? armIndex.get(key) : armIndex.size);
  const roles = metricRoles(options.metrics);

  const metrics = [...report.metrics].sort((a, b) => rank(roles, a.metric) - rank(roles, b.metric));
  container.replaceChildren(h('div', { class: 'report', dataset: { phase: report.phase ?? '' } },
    meta(report),
    srmBanner(report, options.arms),
    metrics.map((m) => metricBlock(m, roles.get(m.metric), { alpha, differenceType, colorOf })),
    chart(report.timeseries || [], metrics, colorOf, differenceType, chartMetric)));
}

function noData() {
  return h('div', { class: 'empty', id: 'no-data' },
    s('svg', { width: 40, height: 40, viewBox: '0 0 40 40' },
      s('rect', { x: 4, y: 22, width: 7, height: 12, rx: 1.5, fill: '#dfe3ea' }),
      s('rect', { x: 16, y: 14, width: 7, height: 20, rx: 1.5, fill: '#cfd5df' }),
      s('rect', { x: 28, y: 6, width: 7, height: 28, rx: 1.5, fill: '#bcc4d1' })),
    h('b', {}, 'No data yet'),
    'Results appear here once units are exposed and their events arrive.');
}

function metricRoles(metrics = {}) {
  const roles = new Map();
  (metrics.guardrails || []).forEach((m) => roles.set(m, 'guardrail'));
  (metrics.secondary || []).forEach((m) => roles.set(m, 'secondary'));
  if (metrics.primary) roles.set(metrics.primary, 'primary');
  return roles;
}

const ORDER = { primary: 0, secondary: 1, guardrail: 2 };
const rank = (roles, id) => ORDER[roles.get(id)] ?? 3;

function meta(report) {
  const units = (report.arms || []).reduce((sum, a) => sum + (isNum(a.units) ? a.units : 0), 0);
  return h('div', { class: 'report-meta' },
    h('span', {}, 'Phase ', h('b', {}, report.phase ?? '—')),
    h('span', {}, 'Units ', h('b', { id: 'total-units' }, integer(units))),
    h('span', {}, 'Updated ', h('b', {}, dateTime(report.updatedAt))),
    report.scenario ? h('span', {}, 'Scenario ', h('b', {}, report.scenario)) : null);
}

function srmBanner(report, configuredArms = []) {
  const srm = report.srm;
  if (!srm) return null;
  const arms = report.arms || [];
  const total = arms.reduce((sum, a) => sum + (isNum(a.units) ? a.units : 0), 0);
  const weights = new Map((configuredArms || []).map((a) => [a.key, a.weight]));
  const split = arms.map((a) => {
    const observed = total ? a.units / total : NaN;
    const expected = weights.get(a.key);
    return `${a.key} ${integer(a.units)} (${percent(observed, 1)}${isNum(expected) ? ` of ${percent(expected, 1)} expected` : ''})`;
  }).join(' · ');
  if (srm.mismatch) {
    return h('div', { class: 'alert error srm', id: 'srm', dataset: { mismatch: 'true' }, role: 'alert' },
      h('div', {},
        h('strong', {}, `Sample ratio mismatch (p = ${pValue(srm.pValue)})`),
        'The arms received a different share of units than their weights ask for, so assignment or logging is biased ',
        'and these results should not be trusted until the cause is found.',
        h('div', { class: 'ci-text', style: 'margin-top:4px;color:inherit' }, split)));
  }
  return h('div', { class: 'alert ok srm', id: 'srm', dataset: { mismatch: 'false' } },
    h('div', {}, h('strong', {}, `Traffic split as expected (SRM p = ${pValue(srm.pValue)})`),
      h('span', { class: 'ci-text', style: 'color:inherit' }, split)));
}

function metricBlock(metric, role, ctx) {
  const arms = metric.arms || [];
  // one scale for every arm of the metric, so that their intervals can be compared by eye
  const bounds = [0];
  for (const a of arms) {
    const c = a.comparison;
    if (!c || c.error) continue;
    for (const iv of [c.fixedHorizon?.ci, c.sequential?.ci]) {
      if (Array.isArray(iv)) bounds.push(...iv.filter(isNum));
    }
    if (isNum(c.estimate)) bounds.push(c.estimate);
  }
  const scale = [Math.min(...bounds), Math.max(...bounds)];
  return h('section', { class: 'metric-block', dataset: { metric: metric.metric } },
    h('div', { class: 'metric-head' },
      h('h2', {}, metricName(metric.metric)),
      h('span', { class: 'metric-id' }, metric.metric),
      role ? h('span', { class: `tag ${role}` }, role) : null),
    h('table', { class: 'metric-table' },
      h('colgroup', {}, [15, 8, 11, 22, 14, 10, 10, 10].map((w) => h('col', { style: `width:${w}%` }))),
      h('thead', {}, h('tr', {},
        h('th', {}, 'Arm'), h('th', { class: 'num' }, 'Units'), h('th', { class: 'num' }, 'Value'),
        h('th', {}, ctx.differenceType === 'absolute' ? 'Difference (95% CI)' : 'Lift (95% CI)'),
        h('th', {}, ''),
        h('th', { class: 'num', title: 'Fixed-horizon p-value (adjusted for multiple arms and metrics where shown)' }, 'p-value'),
        h('th', { class: 'num', title: 'Always-valid sequential p-value: safe to read while the experiment runs' }, 'Seq. p-value'),
        h('th', { class: 'num' }, 'Chance to win'))),
      h('tbody', {}, arms.map((a, i) => armRow(a, i === 0 && !a.comparison, scale, ctx)))));
}

function armRow(arm, isControl, scale, ctx) {
  const color = ctx.colorOf(arm.key);
  const nameCell = h('td', {},
    h('span', { style: `display:inline-block;width:9px;height:9px;border-radius:2px;background:${color};margin-right:8px` }),
    h('span', { class: 'cell-title' }, arm.key),
    isControl ? h('span', { class: 'cell-sub', style: 'display:inline;margin-left:6px' }, 'control') : null);
  const valueCell = h('td', { class: 'num value' }, number(arm.value),
    isNum(arm.numerator) && isNum(arm.denominator)
      ? h('div', { class: 'cell-sub' }, `${number(arm.numerator)} / ${number(arm.denominator)}`) : null);
  const unitsCell = h('td', { class: 'num units' }, integer(arm.units));
  const c = arm.comparison;
  if (isControl || !c) {
    return h('tr', { class: 'control-row', dataset: { arm: arm.key } }, nameCell, unitsCell, valueCell,
      h('td', { colspan: 5, class: 'cell-sub' }, isControl ? 'Baseline' : 'No comparison'));
  }
  if (c.error) {
    return h('tr', { dataset: { arm: arm.key } }, nameCell, unitsCell, valueCell,
      h('td', { colspan: 5, class: 'comparison-error' }, h('span', { class: 'cell-sub' }, `Not computable: ${c.error}`)));
  }
  const fixed = c.fixedHorizon || {};
  const seq = c.sequential || {};
  const p = isNum(c.adjustedPValue) ? c.adjustedPValue : fixed.pValue;
  const ci = Array.isArray(fixed.ci) ? fixed.ci : null;
  const direction = ci && ci[0] > 0 ? 'up' : ci && ci[1] < 0 ? 'down' : 'flat';
  const significant = isNum(p) && p < ctx.alpha && direction !== 'flat';
  const ctw = c.bayesian?.chanceToWin;
  return h('tr', { dataset: { arm: arm.key, significant: String(significant) } }, nameCell, unitsCell, valueCell,
    h('td', { class: 'lift-cell' },
      h('span', { class: `lift ${direction}` }, difference(c.estimate, ctx.differenceType)),
      significant ? h('span', { class: `sig ${direction}` }, direction === 'up' ? 'Significant win' : 'Significant loss') : null,
      h('div', { class: 'ci-text' }, ci ? `[${difference(ci[0], ctx.differenceType)}, ${difference(ci[1], ctx.differenceType)}]` : '—'),
      Array.isArray(seq.ci) ? h('div', { class: 'ci-text seq-ci', title: 'always-valid sequential interval: safe to read while the experiment runs' },
        `seq. [${difference(seq.ci[0], ctx.differenceType)}, ${difference(seq.ci[1], ctx.differenceType)}]`) : null),
    h('td', {}, ciBar(ci, seq.ci, c.estimate, scale, direction)),
    h('td', { class: 'num p-fixed' }, pValue(p),
      isNum(c.adjustedPValue) && isNum(fixed.pValue) && c.adjustedPValue !== fixed.pValue
        ? h('div', { class: 'cell-sub' }, `raw ${pValue(fixed.pValue)}`) : null),
    h('td', { class: 'num p-seq' }, pValue(seq.pValue)),
    h('td', { class: 'num ctw' }, h('span', { class: `win ${ctw >= 0.95 ? 'high' : ctw <= 0.05 ? 'low' : ''}` }, isNum(ctw) ? percent(ctw, 1) : '—')));
}

/** The interval on the metric's common scale: sequential (light), fixed-horizon (dark), estimate (dot). */
function ciBar(ci, seqCi, estimate, [lo, hi], direction) {
  const w = 170;
  const hgt = 22;
  const pad = 6;
  const span = hi - lo || 1;
  const x = (v) => pad + ((v - lo) / span) * (w - 2 * pad);
  const color = direction === 'up' ? '#13795b' : direction === 'down' ? '#c23434' : '#8a94a3';
  const svg = s('svg', { class: 'ci-svg', width: w, height: hgt, viewBox: `0 0 ${w} ${hgt}` },
    s('line', { x1: x(0), x2: x(0), y1: 1, y2: hgt - 1, stroke: '#9aa3b2', 'stroke-dasharray': '2 2' }));
  if (Array.isArray(seqCi) && isNum(seqCi[0]) && isNum(seqCi[1])) {
    svg.append(s('rect', { x: x(seqCi[0]), y: 7, width: Math.max(1, x(seqCi[1]) - x(seqCi[0])), height: 8, rx: 4, fill: color, 'fill-opacity': 0.15 }));
  }
  if (ci && isNum(ci[0]) && isNum(ci[1])) {
    svg.append(s('rect', { x: x(ci[0]), y: 8.5, width: Math.max(1, x(ci[1]) - x(ci[0])), height: 5, rx: 2.5, fill: color, 'fill-opacity': 0.55 }));
  }
  if (isNum(estimate)) {
    svg.append(s('circle', { cx: x(estimate), cy: 11, r: 4, fill: color, stroke: '#fff', 'stroke-width': 1.5 }));
  }
  return svg;
}

function chart(timeseries, metrics, colorOf, differenceType, previous) {
  const withData = metrics.map((m) => m.metric).filter((id) => timeseries.some((p) => p.metric === id));
  if (withData.length === 0) return null;
  const chosen = withData.includes(previous) ? previous : withData[0];
  const select = h('select', { 'aria-label': 'Metric' }, withData.map((id) => h('option', { value: id, selected: id === chosen }, metricName(id))));
  const legend = h('div', { class: 'legend' });
  const wrap = h('div', { class: 'chart-wrap', id: 'lift-chart' },
    h('div', { class: 'chart-head' },
      h('h3', {}, 'Cumulative lift over time'),
      h('div', { class: 'inline' }, legend, select)),
    s('svg', { class: 'chart-svg' }));
  const draw = (metric) => {
    const points = timeseries.filter((p) => p.metric === metric);
    legend.replaceChildren(...[...new Set(points.map((p) => p.arm))].map((a) => h('span', {}, h('i', { style: `background:${colorOf(a)}` }), a)));
    wrap.querySelector('svg.chart-svg').replaceWith(renderLiftChart(points, colorOf, differenceType));
  };
  draw(chosen);
  select.addEventListener('change', () => draw(select.value));
  return wrap;
}
