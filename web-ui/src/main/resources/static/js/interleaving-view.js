// An interleaving experiment's results (the report's `interleaving` section, docs/statistics.md, Interleaving), and
// the experiment type's badge of the list and the detail page. Pure DOM, no fetching: the detail page feeds it from
// GET /report and the /report/stream events, the browser tests from the API's report.
//
// The section opens with the winner at a glance (the arm every other arm's units prefer significantly, always-valid,
// on clicks, or "No winner yet"), then per metric (credited clicks, credited conversion value) one row per pair of
// arms: the units with a preference, the wins of each arm and the ties, the preference Δ of b over a with its
// interval, the sign test's p-value and the always-valid one; then what each arm's items were credited with.
import { h, isNum, number, integer, pValue, difference, dateTime, armColor } from './format.js';
import { renderReport } from './report-view.js';

const TYPES = {
  ab: { label: 'A/B test', hint: 'A/B test: units are split between the arms.' },
  interleaving: { label: 'Interleaving', hint: "Interleaving: every unit sees one list merged from all arms' rankings, each item credited to its arm." },
};

/** The experiment type as a small badge: "A/B test" or "Interleaving". */
export function typeBadge(type = 'ab') {
  const known = TYPES[type] || { label: type, hint: '' };
  return h('span', { class: `tag type-badge ${type === 'interleaving' ? 'primary' : 'secondary'}`, dataset: { type }, title: known.hint }, known.label);
}

export const isInterleaving = (experiment) => experiment?.type === 'interleaving';

const METRICS = {
  clicks: { label: 'Clicks', hint: 'A unit prefers the arm whose items it clicked more.' },
  value: { label: 'Conversion value', hint: 'A unit prefers the arm whose items earned more conversion value.' },
};
const metricLabel = (id) => METRICS[id]?.label || id;

/**
 * @param container element whose content is replaced
 * @param report    the report, or null when there is none yet; one whose section has no unit shows "No data yet"
 * @param options   the experiment: {status, analysis: {alpha}, arms: [{key, model}]}
 */
export function renderInterleaving(container, report, options = {}) {
  const section = report?.interleaving;
  if (!section || !(section.units > 0)) {
    renderReport(container, null, options);
    return;
  }
  const alpha = options.analysis?.alpha ?? 0.05;
  const armIndex = new Map((section.arms || []).map((a, i) => [a.arm, i]));
  const colorOf = (key) => armColor(armIndex.has(key) ? armIndex.get(key) : armIndex.size);
  const final = options.status === 'stopped' || options.status === 'archived';
  const ctx = { alpha, colorOf, level: Math.round((1 - alpha) * 1000) / 10 };
  container.replaceChildren(h('div', { class: 'report interleaving', id: 'interleaving', dataset: { phase: report.phase ?? '', units: section.units, winner: section.winner || '' } },
    h('div', { class: 'report-meta' },
      h('span', {}, 'Phase ', h('b', {}, report.phase ?? '—')),
      h('span', {}, 'Units shown a merged list ', h('b', { id: 'interleaving-units' }, integer(section.units))),
      h('span', {}, 'Updated ', h('b', {}, dateTime(report.updatedAt)))),
    winnerBanner(section, report.decision, final, ctx),
    (section.preferences || []).map((m) => preferenceBlock(m, ctx)),
    creditBlock(section.arms || [], ctx)));
}

/** A swatch and the arm's key, as the report's tables show an arm. */
function armName(key, ctx) {
  return [h('span', { style: `display:inline-block;width:9px;height:9px;border-radius:2px;background:${ctx.colorOf(key)};margin-right:6px` }),
    h('span', { class: 'cell-title' }, key)];
}

/** The clicks pairs the winner is in, from its side: "preferred by 75 of 90 units with a preference". */
function winnerEvidence(section, winner) {
  const clicks = (section.preferences || []).find((m) => m.metric === 'clicks');
  return (clicks?.pairs || []).filter((p) => p.a === winner || p.b === winner).map((p) => {
    const other = p.a === winner ? p.b : p.a;
    const wins = p.a === winner ? p.winsA : p.winsB;
    return h('li', { dataset: { other } }, `over ${other}: preferred by ${integer(wins)} of ${integer(p.unitsWithPreference)} units with a preference`,
      ` (always-valid p = ${pValue(p.sequentialPValue)})`);
  });
}

/** The winner at a glance: "ektm wins over baseline on clicks", or "No winner yet". */
function winnerBanner(section, decision, final, ctx) {
  const winner = section.winner;
  const others = (section.arms || []).map((a) => a.arm).filter((a) => a !== winner);
  const losers = others.length > 1 ? `${others.slice(0, -1).join(', ')} and ${others[others.length - 1]}` : others.join('');
  const planned = decision?.plannedUnits;
  const units = h('span', { class: 'decision-units' },
    h('span', {}, h('b', {}, integer(section.units)), isNum(planned) ? ` of ${integer(planned)} planned units` : ' units'));
  if (winner) {
    return h('section', { class: 'decision outcome-ship', id: 'interleaving-winner', dataset: { winner }, role: 'status' },
      h('div', { class: 'decision-head' },
        h('span', { class: 'decision-label' }, 'Winner'),
        h('span', { class: 'outcome ship', id: 'winner-text' }, `${winner} wins over ${losers} on clicks`),
        units),
      h('ul', { class: 'decision-reasons' }, winnerEvidence(section, winner)));
  }
  return h('section', { class: 'decision outcome-continue', id: 'interleaving-winner', dataset: { winner: '' }, role: 'status' },
    h('div', { class: 'decision-head' },
      h('span', { class: 'decision-label' }, 'Winner'),
      h('span', { class: 'outcome continue', id: 'winner-text' }, final ? 'No winner' : 'No winner yet'),
      units),
    h('div', { class: 'cell-sub', style: 'margin-top:6px' },
      `No arm is preferred over every other arm on clicks with an always-valid p-value below ${ctx.alpha}.`));
}

/** One metric's pairs: units with a preference, wins, ties, preference Δ (b over a) and its tests. */
function preferenceBlock(metric, ctx) {
  const pairs = metric.pairs || [];
  return h('section', { class: 'metric-block pair-block', dataset: { metric: metric.metric } },
    h('div', { class: 'metric-head' },
      h('h2', {}, metricLabel(metric.metric)),
      h('span', { class: 'metric-id' }, metric.metric),
      h('span', { class: 'cell-sub' }, METRICS[metric.metric]?.hint || '')),
    h('table', { class: 'pair-table' },
      h('thead', {}, h('tr', {},
        h('th', {}, 'Pair (b over a)'),
        h('th', { class: 'num', title: 'Units whose credits differ between the two arms, of the units shown a merged list' }, 'Units with a preference'),
        h('th', { class: 'num' }, 'Wins a'), h('th', { class: 'num' }, 'Wins b'), h('th', { class: 'num' }, 'Ties'),
        h('th', { title: '(wins of b − wins of a) / units with a preference; > 0 favours b' }, `Preference Δ (${ctx.level}% CI)`),
        h('th', { class: 'num', title: 'Exact two-sided sign test (fixed horizon)' }, 'p-value (sign test)'),
        h('th', { class: 'num', title: 'Always-valid sequential p-value: safe to read while the experiment runs' }, 'Always-valid p'))),
      h('tbody', {}, pairs.length ? pairs.map((p) => pairRow(p, ctx))
        : h('tr', {}, h('td', { colspan: 8, class: 'cell-sub' }, 'No pair of arms')))));
}

function pairRow(p, ctx) {
  const counts = [
    h('td', { class: 'num pair-units' }, integer(p.unitsWithPreference), h('div', { class: 'cell-sub' }, `of ${integer(p.units)}`)),
    h('td', { class: 'num wins-a' }, integer(p.winsA), h('div', { class: 'cell-sub' }, p.a)),
    h('td', { class: 'num wins-b' }, integer(p.winsB), h('div', { class: 'cell-sub' }, p.b)),
    h('td', { class: 'num ties' }, integer(p.ties)),
  ];
  const name = h('td', { class: 'pair' }, armName(p.b, ctx), h('span', { class: 'cell-sub', style: 'display:inline;margin:0 6px' }, 'over'), armName(p.a, ctx));
  if (p.error || !isNum(p.preference)) {
    return h('tr', { class: 'pair-row', dataset: { a: p.a, b: p.b, error: 'true' } }, name, ...counts,
      h('td', { colspan: 3, class: 'pair-error' }, h('span', { class: 'cell-sub' }, `Not computable: ${p.error || 'no preference yet'}`)));
  }
  const ci = Array.isArray(p.ci) && isNum(p.ci[0]) && isNum(p.ci[1]) ? p.ci : null;
  const seq = Array.isArray(p.sequentialCi) && isNum(p.sequentialCi[0]) && isNum(p.sequentialCi[1]) ? p.sequentialCi : null;
  const direction = ci && ci[0] > 0 ? 'up' : ci && ci[1] < 0 ? 'down' : 'flat';
  const significant = isNum(p.sequentialPValue) && p.sequentialPValue < ctx.alpha && p.preference !== 0;
  const favoured = p.preference > 0 ? p.b : p.preference < 0 ? p.a : null;
  return h('tr', { class: 'pair-row', dataset: { a: p.a, b: p.b, significant: String(significant), favours: favoured || undefined } }, name, ...counts,
    h('td', { class: 'lift-cell preference' },
      h('span', { class: `lift ${direction}` }, difference(p.preference, 'absolute')),
      significant ? h('span', { class: 'sig up' }, `${favoured} preferred`) : null,
      h('div', { class: 'ci-text fixed-ci' }, ci ? `[${difference(ci[0], 'absolute')}, ${difference(ci[1], 'absolute')}]` : '—'),
      seq ? h('div', { class: 'ci-text seq-ci', title: 'always-valid sequential interval: safe to read while the experiment runs' },
        `seq. [${difference(seq[0], 'absolute')}, ${difference(seq[1], 'absolute')}]`) : null),
    h('td', { class: 'num p-sign' }, pValue(p.pValue)),
    h('td', { class: 'num p-seq' }, pValue(p.sequentialPValue)));
}

/** What each arm's items were credited with: clicks, conversions and conversion value. */
function creditBlock(arms, ctx) {
  return h('section', { class: 'metric-block', id: 'interleaving-arms' },
    h('div', { class: 'metric-head' }, h('h2', {}, 'Credits per arm'),
      h('span', { class: 'cell-sub' }, 'Clicks and conversions on the items each arm contributed to the merged lists.')),
    h('table', {},
      h('thead', {}, h('tr', {},
        h('th', {}, 'Arm'), h('th', {}, 'Model'), h('th', { class: 'num' }, 'Clicks'), h('th', { class: 'num' }, 'Conversions'),
        h('th', { class: 'num' }, 'Value'))),
      h('tbody', {}, arms.map((a) => h('tr', { class: 'credit-row', dataset: { arm: a.arm } },
        h('td', {}, armName(a.arm, ctx)),
        h('td', {}, h('span', { class: 'chip' }, a.model)),
        h('td', { class: 'num clicks' }, integer(a.clicks)),
        h('td', { class: 'num conversions' }, integer(a.conversions)),
        h('td', { class: 'num value' }, number(a.value)))))));
}
