// Experiments list: status and layer filters (kept in the address), one row per experiment with its primary
// metric's lift per arm and whether it is significant (GET /api/v1/reports/summary). Archived experiments are
// hidden unless "Show archived" is ticked or the Archived filter is chosen. Each experiment names its owner;
// "New experiment" is only there for those who may create one (owners and admins). Each experiment's type (A/B test or
// interleaving) is a small badge beside its name; an interleaving experiment's lift cell names its winner instead.
import { api } from './api.js';
import { h, isNum, metricName, percent, relativeTime, dateTime, signedPercent } from './format.js';
import { renderShell, canCreate } from './shell.js';
import { statusBadge } from './status.js';
import { typeBadge, isInterleaving } from './interleaving-view.js';

const whoami = renderShell('experiments');
// the signed-in user; null until known or when it could not be asked
let me = null;

const params = new URLSearchParams(location.search);
const state = { status: params.get('status') || '', layer: params.get('layer') || '', archived: params.get('archived') === 'true' };
const tbody = document.querySelector('#experiments tbody');
const statusButtons = document.querySelectorAll('#status-filter button');
const layerSelect = document.getElementById('layer-filter');
const showArchived = document.getElementById('show-archived');
const knownLayers = new Set();
// the report summaries by experiment key; empty when they could not be read
let summaries = new Map();

const OUTCOME_LABELS = { ship: 'Ship', rollback: 'Roll back', continue: 'Keep running', inconclusive: 'Inconclusive' };

/** An interleaving experiment's summary: the arm the units prefer on clicks, or none yet. */
function winnerCell(summary) {
  const winner = summary.outcome === 'ship' ? summary.arm : null;
  return h('td', { class: 'summary', dataset: { outcome: summary.outcome || undefined, metric: summary.metric || undefined, winner: winner || undefined } },
    winner ? h('div', { class: 'summary-arm', dataset: { arm: winner, significant: 'true' }, title: `${winner} is preferred over every other arm on clicks (always-valid test)` },
      h('span', { class: 'arm' }, winner), ' ', h('span', { class: 'sig up' }, 'preferred'))
      : h('span', { class: 'ns' }, 'no winner yet'));
}

/** The primary metric's lift per treatment arm, flagged when its always-valid interval excludes 0. */
function liftCell(e) {
  const summary = summaries.get(e.key);
  if (!summary) return h('td', { class: 'summary' }, h('span', { class: 'cell-sub' }, '—'));
  if (summary.error) {
    return h('td', { class: 'summary', dataset: { error: 'true' } }, h('span', { class: 'cell-sub', title: summary.error }, 'report unavailable'));
  }
  if (isInterleaving(e)) return winnerCell(summary);
  const arms = summary.arms || [];
  return h('td', { class: 'summary', dataset: { outcome: summary.outcome || undefined, metric: summary.metric || undefined } },
    arms.length ? arms.map((a) => {
      if (!isNum(a.estimate)) {
        return h('div', { class: 'summary-arm', dataset: { arm: a.arm, significant: 'false' } }, h('span', { class: 'arm' }, a.arm), ' ', h('span', { class: 'ns' }, 'no data yet'));
      }
      const direction = isNum(a.estimate) ? (a.estimate > 0 ? 'up' : a.estimate < 0 ? 'down' : 'flat') : 'flat';
      const ci = Array.isArray(a.ci) ? ` [${signedPercent(a.ci[0], 1)}, ${signedPercent(a.ci[1], 1)}]` : '';
      return h('div', { class: 'summary-arm', dataset: { arm: a.arm, significant: String(Boolean(a.significant)) },
        title: `${a.arm}: ${metricName(summary.metric)} ${signedPercent(a.estimate)}${ci} (always-valid interval)` },
      h('span', { class: 'arm' }, a.arm), ' ',
      h('span', { class: `lift ${a.significant ? direction : 'flat'}` }, signedPercent(a.estimate, 1)), ' ',
      a.significant
        ? h('span', { class: `sig ${direction}` }, direction === 'down' ? 'significant loss' : 'significant win')
        : h('span', { class: 'ns' }, 'not significant'));
    }) : h('span', { class: 'cell-sub' }, 'no data yet'),
    summary.outcome ? h('div', { class: 'cell-sub summary-outcome' }, OUTCOME_LABELS[summary.outcome] || summary.outcome,
      summary.arm ? ` ${summary.arm}` : '') : null);
}

function row(e) {
  const open = () => location.assign(`/experiments/${encodeURIComponent(e.key)}`);
  return h('tr', { class: 'clickable', dataset: { key: e.key }, onclick: open },
    h('td', {},
      h('a', { href: `/experiments/${encodeURIComponent(e.key)}`, class: 'cell-title' }, e.name || e.key), ' ',
      typeBadge(e.type),
      h('div', { class: 'cell-sub mono' }, e.key)),
    h('td', {}, statusBadge(e.status)),
    h('td', {}, (e.arms || []).map((a) => h('span', { class: 'chip', title: `${a.key}: ${percent(a.weight)}` }, a.model))),
    h('td', { class: 'num' }, percent(e.coverage)),
    h('td', {}, e.layer ? [h('span', { class: 'mono' }, e.layer),
      h('div', { class: 'cell-sub' }, `[${e.layerRange.map((x) => percent(x)).join(', ')})`)] : h('span', { class: 'cell-sub' }, '—')),
    h('td', {}, isInterleaving(e) ? h('span', { title: 'Interleaving: the units\' preference between the arms, on clicks' }, 'Preference (clicks)') : metricName(e.metrics?.primary)),
    liftCell(e),
    h('td', { class: 'owner', dataset: { owner: e.owner || '' } }, e.owner || h('span', { class: 'cell-sub' }, '—'),
      me && e.owner === me.name ? [' ', h('span', { class: 'tag you' }, 'you')] : null),
    h('td', { title: dateTime(e.updatedAt) }, relativeTime(e.updatedAt)));
}

function syncControls() {
  statusButtons.forEach((b) => {
    b.classList.toggle('active', b.dataset.status === state.status);
    b.setAttribute('aria-pressed', String(b.dataset.status === state.status));
  });
  if (state.layer && !knownLayers.has(state.layer)) knownLayers.add(state.layer);
  const current = [...layerSelect.options].map((o) => o.value);
  for (const layer of [...knownLayers].sort()) {
    if (!current.includes(layer)) layerSelect.append(h('option', { value: layer }, layer));
  }
  layerSelect.value = state.layer;
  showArchived.checked = state.archived;
  // the Archived filter shows them whatever the box says
  showArchived.disabled = state.status === 'archived';
}

async function load() {
  syncControls();
  const q = new URLSearchParams();
  if (state.status) q.set('status', state.status);
  if (state.layer) q.set('layer', state.layer);
  if (state.archived) q.set('archived', 'true');
  history.replaceState(null, '', q.toString() ? `/?${q}` : '/');
  const errorBox = document.getElementById('list-error');
  try {
    const [all, summaryList] = await Promise.all([api.listExperiments(state), api.reportSummaries().catch(() => [])]);
    summaries = new Map((Array.isArray(summaryList) ? summaryList : []).map((x) => [x.experiment, x]));
    errorBox.hidden = true;
    all.forEach((e) => e.layer && knownLayers.add(e.layer));
    syncControls();
    const list = state.archived || state.status === 'archived' ? all : all.filter((e) => e.status !== 'archived');
    const hidden = all.length - list.length;
    const filtered = state.status || state.layer;
    tbody.replaceChildren(...(list.length ? list.map(row) : [h('tr', {}, h('td', { colspan: 9 },
      h('div', { class: 'empty' }, h('b', {}, filtered ? 'No experiments match these filters' : hidden ? 'Every experiment is archived' : 'No experiments yet'),
        filtered ? 'Clear the filters to see every experiment.' : hidden ? 'Tick "Show archived" to see them.'
          : canCreate(me) ? h('a', { href: '/experiments/new' }, 'Create the first one') : 'An owner or an admin creates them.')))]));
    document.getElementById('count').textContent = `${list.length} experiment${list.length === 1 ? '' : 's'}`
      + (hidden ? ` · ${hidden} archived hidden` : '');
  } catch (err) {
    errorBox.hidden = false;
    errorBox.replaceChildren(h('div', { class: 'alert error', style: 'margin:12px 16px' }, `Could not load experiments: ${err.message}`));
  }
}

statusButtons.forEach((b) => b.addEventListener('click', () => { state.status = b.dataset.status; load(); }));
layerSelect.addEventListener('change', () => { state.layer = layerSelect.value; load(); });
showArchived.addEventListener('change', () => { state.archived = showArchived.checked; load(); });

// the layer list comes from every experiment, not just the filtered ones
api.listExperiments({}).then((all) => { all.forEach((e) => e.layer && knownLayers.add(e.layer)); syncControls(); }).catch(() => {});
whoami.then((user) => {
  me = user;
  document.getElementById('new-experiment').hidden = !canCreate(me);
}).then(load);
