// Renders a live report (the shape in docs/architecture.md) into a container. Pure DOM, no fetching: the detail page
// feeds it from GET /report and the /report/stream events, the browser tests from a fixture.
//
// The panel opens with the decision (outcome, arm, reasons, units against the planned ones) and a scorecard: the
// primary metric and every guardrail per treatment arm with a verdict badge. Every metric's full table follows in a
// collapsible section; only the primary metric's is open at first, and a re-render keeps the sections the reader
// opened or closed.
import { h, s, isNum, number, integer, percent, pValue, difference, metricName, dateTime, armColor } from './format.js';
import { renderLiftChart } from './lift-chart.js';

/**
 * @param container element whose content is replaced
 * @param report    the report, or null when there is none yet; one without exposed units shows "No data yet"
 * @param options   {metrics: {primary, secondary, guardrails, guardrailMargins}, analysis: {alpha, differenceType},
 *                  arms: [{key, weight}]}
 */
export function renderReport(container, report, options = {}) {
  const chartMetric = container.querySelector('.chart-wrap select')?.value;
  // the sections the reader has open, kept across live updates; null on the first render
  const previous = container.querySelector('.report .metric-details');
  const opened = previous ? new Set([...previous.querySelectorAll('details.metric-block[open]')].map((d) => d.dataset.metric)) : null;
  const exposed = (report?.arms || []).some((a) => a.units > 0);
  if (!report || !Array.isArray(report.metrics) || report.metrics.length === 0 || !exposed) {
    container.replaceChildren(noData());
    return;
  }
  const alpha = options.analysis?.alpha ?? 0.05;
  const differenceType = options.analysis?.differenceType ?? 'relative';
  const armIndex = new Map((report.arms || []).map((a, i) => [a.key, i]));
  const colorOf = (key) => armColor(armIndex.has(key) ? armIndex.get(key) : armIndex.size);
  const roles = metricRoles(options.metrics, report.decision);
  const ctx = { alpha, differenceType, colorOf };

  const metrics = [...report.metrics].sort((a, b) => rank(roles, a.metric) - rank(roles, b.metric));
  const isOpen = (id) => (opened ? opened.has(id) : roles.get(id) === 'primary');
  const groups = [['primary', 'Primary metric'], ['secondary', 'Secondary metrics'], ['guardrail', 'Guardrails'], [undefined, 'Other metrics']];
  container.replaceChildren(h('div', { class: 'report', dataset: { phase: report.phase ?? '', scenario: report.scenario ?? '' } },
    meta(report),
    srmBanner(report, options.arms),
    decisionPanel(report.decision, report),
    scorecard(report, roles, options.metrics, ctx),
    h('div', { class: 'metric-details' },
      h('h3', { class: 'details-title' }, 'All metrics'),
      groups.map(([role, title]) => {
        const inGroup = metrics.filter((m) => roles.get(m.metric) === role);
        return inGroup.length ? h('div', { class: 'metric-group', dataset: { group: role || 'other' } },
          h('div', { class: 'group-title' }, title),
          inGroup.map((m) => metricBlock(m, role, ctx, isOpen(m.metric)))) : null;
      })),
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

function metricRoles(metrics = {}, decision) {
  const roles = new Map();
  (metrics?.guardrails || []).forEach((m) => roles.set(m, 'guardrail'));
  (metrics?.secondary || []).forEach((m) => roles.set(m, 'secondary'));
  // the decision names its metrics too, for a renderer given only the report
  (decision?.guardrails || []).forEach((g) => roles.has(g.metric) || roles.set(g.metric, 'guardrail'));
  const primary = metrics?.primary || decision?.primary?.metric;
  if (primary) roles.set(primary, 'primary');
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

const OUTCOMES = {
  ship: { label: 'Ship', hint: 'A treatment wins on the primary metric and harms no guardrail.' },
  rollback: { label: 'Roll back', hint: 'A treatment harms the primary metric or a guardrail.' },
  continue: { label: 'Keep running', hint: 'Not enough evidence yet; the experiment keeps collecting units.' },
  inconclusive: { label: 'Inconclusive', hint: 'The planned units are reached and no treatment differs clearly.' },
};

/** The decision: outcome (and its arm) in a coloured badge, the reasons, and the units against the planned ones. */
function decisionPanel(decision, report) {
  if (!decision || !decision.outcome) return null;
  const known = OUTCOMES[decision.outcome] || { label: decision.outcome, hint: '' };
  const units = isNum(decision.units) ? decision.units : (report.arms || []).reduce((sum, a) => sum + (isNum(a.units) ? a.units : 0), 0);
  const planned = decision.plannedUnits;
  const perArm = (decision.arms || []).length > 1 ? decision.arms : [];
  return h('section', { class: `decision outcome-${decision.outcome}`, id: 'decision', dataset: { outcome: decision.outcome, arm: decision.arm || undefined },
    'aria-labelledby': 'decision-title' },
  h('div', { class: 'decision-head' },
    h('span', { class: 'decision-label', id: 'decision-title' }, 'Decision'),
    h('span', { class: `outcome ${decision.outcome}`, id: 'decision-outcome', title: known.hint },
      known.label, decision.arm ? h('span', { class: 'outcome-arm', id: 'decision-arm' }, decision.arm) : null),
    h('span', { class: 'decision-units' },
      h('span', { id: 'decision-units' }, h('b', {}, integer(units)), isNum(planned) ? ` of ${integer(planned)} planned units` : ' units'),
      isNum(planned) ? h('span', { class: 'meter small', role: 'progressbar', 'aria-valuemin': 0, 'aria-valuemax': planned, 'aria-valuenow': units, 'aria-label': 'Units against the planned units' },
        h('span', { style: `width:${Math.min(100, (units / planned) * 100)}%` })) : null)),
  decision.reasons?.length ? h('ul', { class: 'decision-reasons', id: 'decision-reasons' }, decision.reasons.map((r) => h('li', {}, r))) : null,
  perArm.length ? h('ul', { class: 'arm-outcomes' }, perArm.map((a) => h('li', { dataset: { arm: a.arm, outcome: a.outcome } },
    h('span', { class: 'cell-title' }, a.arm), h('span', { class: `outcome small ${a.outcome}` }, (OUTCOMES[a.outcome] || { label: a.outcome }).label),
    a.reasons?.length ? h('span', { class: 'cell-sub' }, a.reasons.join(' · ')) : null))) : null);
}

const VERDICTS = {
  better: 'Better', worse: 'Worse', inconclusive: 'Inconclusive', 'no-data': 'No data',
  harm: 'Harm', 'non-inferior': 'Non-inferior', pending: 'Pending',
};
const VERDICT_HINTS = {
  better: 'The interval lies wholly above 0: significantly better than the control.',
  worse: 'The interval lies wholly below 0: significantly worse than the control.',
  inconclusive: 'The interval includes 0: no significant difference yet.',
  harm: 'The guardrail is significantly harmed beyond its margin.',
  'non-inferior': 'The guardrail is shown to lose no more than its margin.',
  pending: 'Not yet shown to be within its margin; no significant harm either.',
  'no-data': 'Not enough data to compare.',
};
const verdictBadge = (verdict) => h('span', { class: `verdict ${verdict || 'none'}`, title: VERDICT_HINTS[verdict] || '' },
  VERDICTS[verdict] || (verdict ? verdict : '—'));

/**
 * The primary metric and the guardrails per treatment arm, from the report's decision; without a decision, the
 * numbers come from the metrics' always-valid intervals and only the primary metric gets a verdict.
 */
function scorecard(report, roles, metricsConfig = {}, ctx) {
  const rows = [];
  const decision = report.decision;
  const comparisonsOf = (metricId) => (report.metrics.find((m) => m.metric === metricId)?.arms || []).filter((a) => a.comparison);
  const primaryId = [...roles].find(([, role]) => role === 'primary')?.[0];
  let test = 'sequential';
  if (decision?.primary?.arms) {
    test = decision.primary.test || test;
    for (const a of decision.primary.arms) rows.push({ role: 'primary', metric: decision.primary.metric, ...a });
  } else if (primaryId) {
    for (const a of comparisonsOf(primaryId)) rows.push({ role: 'primary', metric: primaryId, ...fromComparison(a) });
  }
  if (Array.isArray(decision?.guardrails)) {
    for (const g of decision.guardrails) rows.push({ role: 'guardrail', ...g });
  } else {
    for (const id of metricsConfig?.guardrails || []) {
      for (const a of comparisonsOf(id)) {
        rows.push({ role: 'guardrail', metric: id, ...fromComparison(a), verdict: undefined, margin: metricsConfig.guardrailMargins?.[id] });
      }
    }
  }
  if (rows.length === 0) return null;
  const level = Math.round((1 - ctx.alpha) * 1000) / 10;
  return h('section', { class: 'scorecard', id: 'scorecard', 'aria-labelledby': 'scorecard-title' },
    h('h3', { id: 'scorecard-title' }, 'Scorecard'),
    h('table', { class: 'scorecard-table' },
      h('thead', {}, h('tr', {},
        h('th', {}, 'Metric'), h('th', {}, 'Arm'),
        h('th', {}, `${ctx.differenceType === 'absolute' ? 'Difference' : 'Lift'} (${level}% CI)`),
        h('th', { class: 'num' }, 'p-value'), h('th', {}, 'Result'))),
      h('tbody', {}, rows.map((r) => scoreRow(r, r.role === 'primary' ? test : 'sequential', ctx)))));
}

/** A scorecard row's numbers from a metric comparison: the always-valid interval, as the decision reads it. */
function fromComparison(arm) {
  const c = arm.comparison;
  if (c.error || !Array.isArray(c.sequential?.ci)) return { arm: arm.key, verdict: 'no-data' };
  const ci = c.sequential.ci;
  return { arm: arm.key, estimate: c.estimate, ci, pValue: c.sequential.pValue, verdict: ci[0] > 0 ? 'better' : ci[1] < 0 ? 'worse' : 'inconclusive' };
}

function scoreRow(r, test, ctx) {
  const guardrail = r.role === 'guardrail';
  const result = guardrail ? r.status : r.verdict;
  const ci = Array.isArray(r.ci) && isNum(r.ci[0]) && isNum(r.ci[1]) ? r.ci : null;
  const direction = ci && ci[0] > 0 ? 'up' : ci && ci[1] < 0 ? 'down' : 'flat';
  return h('tr', { class: 'score-row', dataset: { role: r.role, metric: r.metric, arm: r.arm, result: result || 'none' } },
    h('td', {},
      h('span', { class: 'cell-title' }, metricName(r.metric)), ' ',
      h('span', { class: `tag ${r.role}` }, r.role),
      h('div', { class: 'cell-sub' }, guardrail
        ? (isNum(r.margin) ? h('span', { class: 'margin', title: 'Non-inferiority margin: the relative loss tolerated' }, `margin ${percent(r.margin, 1)}`) : null)
        : (test === 'fixed-horizon' ? 'fixed-horizon test' : 'always-valid test'))),
    h('td', { class: 'score-arm' }, h('span', { style: `display:inline-block;width:9px;height:9px;border-radius:2px;background:${ctx.colorOf(r.arm)};margin-right:8px` }), r.arm),
    h('td', { class: 'score-lift' },
      h('span', { class: `lift ${direction}` }, difference(r.estimate, ctx.differenceType)),
      h('span', { class: 'ci-text' }, ci ? ` [${difference(ci[0], ctx.differenceType)}, ${difference(ci[1], ctx.differenceType)}]` : '')),
    h('td', { class: 'num score-p' }, pValue(r.pValue)),
    h('td', { class: 'score-result' }, verdictBadge(result)));
}

/** A one-line glance at a metric's treatments for its collapsed section: "ektm +3.9%". */
function glance(metric, ctx) {
  return (metric.arms || []).filter((a) => a.comparison && !a.comparison.error && isNum(a.comparison.estimate)).map((a) => {
    const ci = a.comparison.sequential?.ci;
    const direction = Array.isArray(ci) && ci[0] > 0 ? 'up' : Array.isArray(ci) && ci[1] < 0 ? 'down' : 'flat';
    return h('span', { class: `glance ${direction}`, dataset: { arm: a.key } }, `${a.key} ${difference(a.comparison.estimate, ctx.differenceType)}`);
  });
}

function metricBlock(metric, role, ctx, open) {
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
  return h('details', { class: 'metric-block', dataset: { metric: metric.metric }, open },
    h('summary', { class: 'metric-head' },
      h('h2', {}, metricName(metric.metric)),
      h('span', { class: 'metric-id' }, metric.metric),
      role ? h('span', { class: `tag ${role}` }, role) : null,
      h('span', { class: 'glances' }, glance(metric, ctx))),
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
