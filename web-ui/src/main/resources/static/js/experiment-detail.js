// Experiment detail: definition, arms, lifecycle buttons, coverage ramp, audit log, and live results
// (GET /report once, then the /report/stream server-sent events). Each arm's model is looked up in the
// model registry (GET /api/v1/models): architecture and version, or a flag when it is not loaded.
import { api, ApiError } from './api.js';
import { h, percent, metricName, dateTime, relativeTime, armColor, modelVersion } from './format.js';
import { renderShell, toast } from './shell.js';
import { renderReport } from './report-view.js';
import { statusBadge } from './status.js';

renderShell('experiments');

const key = decodeURIComponent(location.pathname.replace(/^\/experiments\//, '').replace(/\/$/, ''))
  || new URLSearchParams(location.search).get('key');
const RAMP = [0.05, 0.2, 0.5, 1];
let experiment = null;
let lastReport = null;
// the loaded models by key; null when the registry could not be read (then no arm is flagged)
let models = null;
// the phase whose results are shown; null = the current one, which the stream keeps up to date
let viewedPhase = null;
const $ = (id) => document.getElementById(id);

function modelCell(model) {
  const m = models?.get(model);
  const missing = models !== null && !m;
  return h('td', { class: 'arm-model', dataset: { model, loaded: models === null ? undefined : String(!missing) } },
    h('span', { class: 'chip' }, model),
    missing ? h('span', { class: 'badge model-missing', title: 'The model registry has no model with this key; the arm cannot be served.' }, 'model not loaded') : null,
    m ? h('div', { class: 'cell-sub model-version' }, modelVersion(m)) : null);
}

function renderWarnings(warnings) {
  $('warnings').replaceChildren(...(warnings?.length ? [h('div', { class: 'alert warn', id: 'experiment-warnings', role: 'alert', style: 'margin-bottom:16px' },
    h('div', {}, h('strong', {}, warnings.length === 1 ? 'Warning' : `${warnings.length} warnings`),
      h('ul', { class: 'alert-list' }, warnings.map((w) => h('li', {}, w)))))] : []));
}

function renderExperiment(e) {
  experiment = e;
  document.title = `${e.name} · Splitrank`;
  $('crumb-key').textContent = e.key;
  $('title').textContent = e.name;
  $('status').replaceChildren(statusBadge(e.status));
  $('key').textContent = e.key;
  $('phase').textContent = `· phase ${e.phase}`;
  $('hypothesis').hidden = !e.hypothesis;
  $('hypothesis').textContent = e.hypothesis || '';
  $('start').hidden = !(e.status === 'draft' || e.status === 'stopped');
  $('start').textContent = e.status === 'stopped' ? 'Restart' : 'Start experiment';
  $('stop').hidden = e.status !== 'running';
  $('archive').hidden = !(e.status === 'draft' || e.status === 'stopped');

  const phases = $('phase-select');
  phases.hidden = e.phase <= 1;
  if (phases.options.length !== e.phase) {
    phases.replaceChildren(...Array.from({ length: e.phase }, (_, i) => e.phase - i).map((p) =>
      h('option', { value: p === e.phase ? '' : p }, p === e.phase ? `Phase ${p} (current)` : `Phase ${p}`)));
    phases.value = viewedPhase ?? '';
  }

  $('coverage-value').textContent = percent(e.coverage);
  $('coverage-value').dataset.coverage = e.coverage;
  $('coverage-meter').style.width = `${e.coverage * 100}%`;
  const editable = e.status !== 'archived';
  $('ramp').replaceChildren(...RAMP.map((step, i) => h('button', {
    type: 'button', dataset: { coverage: step },
    class: Math.abs(step - e.coverage) < 1e-9 ? 'current' : step < e.coverage ? 'done' : '',
    disabled: !editable || Math.abs(step - e.coverage) < 1e-9,
    title: `Set coverage to ${percent(step)}`,
    onclick: () => ramp(step),
  }, h('b', {}, percent(step)), h('span', {}, `step ${i + 1}`))));

  $('weight-bar').replaceChildren(...e.arms.map((a, i) => h('div', { style: `width:${a.weight * 100}%;background:${armColor(i)}`, title: `${a.key} ${percent(a.weight)}` })));
  $('arms').tBodies[0].replaceChildren(...e.arms.map((a, i) => h('tr', { dataset: { arm: a.key } },
    h('td', {}, h('span', { style: `display:inline-block;width:9px;height:9px;border-radius:2px;background:${armColor(i)};margin-right:8px` }),
      h('span', { class: 'cell-title' }, a.name || a.key), i === 0 ? h('div', { class: 'cell-sub' }, 'control') : null),
    modelCell(a.model),
    h('td', { class: 'num' }, percent(a.weight)))));
  renderWarnings(e.warnings);

  const m = e.metrics || {};
  const list = (ids) => (ids && ids.length ? ids.map((id) => h('span', { class: 'chip', title: id }, metricName(id))) : '—');
  const props = [
    ['Primary metric', list(m.primary ? [m.primary] : [])],
    ['Secondary', list(m.secondary)],
    ['Guardrails', list(m.guardrails)],
    ['Layer', e.layer ? h('span', {}, h('span', { class: 'mono' }, e.layer), ` [${percent(e.layerRange[0])}, ${percent(e.layerRange[1])})`) : 'none'],
    ['Hash attribute', h('span', { class: 'mono' }, e.hashAttribute)],
    ['Hashing', `v${e.hashVersion}, seed `, h('span', { class: 'mono' }, e.seed)],
    ['Targeting', e.condition ? h('code', {}, JSON.stringify(e.condition)) : 'everyone'],
    ['Created', dateTime(e.createdAt)],
    ['Started', e.startedAt ? dateTime(e.startedAt) : '—'],
  ];
  if (e.stoppedAt) props.push(['Stopped', dateTime(e.stoppedAt)]);
  $('definition').replaceChildren(...props.flatMap(([k, ...v]) => [h('dt', {}, k), h('dd', {}, ...v)]));
}

function describeChanges(entry) {
  const before = entry.before || {};
  const after = entry.after || {};
  if (!entry.before) return 'Created as a draft';
  const changes = [];
  for (const field of ['status', 'coverage', 'phase', 'name', 'hypothesis', 'layer', 'layerRange', 'seed', 'hashAttribute', 'hashVersion', 'arms', 'metrics', 'condition', 'analysis']) {
    const a = JSON.stringify(before[field]);
    const b = JSON.stringify(after[field]);
    if (a === b) continue;
    if (field === 'coverage') changes.push(`coverage ${percent(before.coverage)} → ${percent(after.coverage)}`);
    else if (field === 'status' || field === 'phase') changes.push(`${field} ${before[field]} → ${after[field]}`);
    else changes.push(`${field} changed`);
  }
  return changes.join(' · ') || 'No visible change';
}

const ACTION_ICON = { create: '+', start: '▶', stop: '■', archive: '⌂', patch: '✎', 'patch+new-phase': '↻' };

async function loadAudit() {
  const entries = await api.audit(key);
  $('audit-count').textContent = `${entries.length} change${entries.length === 1 ? '' : 's'}`;
  $('audit').replaceChildren(...entries.slice().reverse().map((a) => h('li', { dataset: { action: a.action } },
    h('span', { class: 'audit-icon' }, ACTION_ICON[a.action] || '•'),
    h('div', {}, h('div', { class: 'what' }, `${a.actor} · ${a.action === 'patch+new-phase' ? 'edit (new phase)' : a.action === 'patch' ? 'edit' : a.action}`),
      h('div', { class: 'changes' }, describeChanges(a))),
    h('time', { datetime: a.at, title: dateTime(a.at) }, relativeTime(a.at)))));
}

function showError(where, err) {
  const fieldErrors = err instanceof ApiError ? err.errors.map((f) => `${f.field}: ${f.message}`) : [];
  $(where).replaceChildren(h('div', { class: 'alert error', style: 'margin-top:10px' },
    h('div', {}, h('strong', {}, err.message), fieldErrors.length ? fieldErrors.join('; ') : null)));
}

async function act(action, label) {
  try {
    renderExperiment(await api[action](key));
    $('page-error').replaceChildren();
    toast(label);
    await loadAudit();
  } catch (err) {
    showError('page-error', err);
  }
}

async function ramp(coverage) {
  if (coverage < experiment.coverage && !confirm(`Lower coverage to ${percent(coverage)}? Units already exposed keep their arm.`)) return;
  try {
    renderExperiment(await api.patchExperiment(key, { coverage }));
    $('ramp-error').replaceChildren();
    toast(`Coverage set to ${percent(coverage)}`);
    await loadAudit();
  } catch (err) {
    showError('ramp-error', err);
  }
}

function showReport(report) {
  lastReport = report;
  renderReport($('results'), report, experiment || {});
}

function subscribe() {
  if (typeof EventSource === 'undefined') {
    $('live').textContent = 'Live updates unavailable';
    return;
  }
  const source = new EventSource(api.reportStreamUrl(key), { withCredentials: true });
  const onReport = (event) => {
    if (viewedPhase !== null) return;
    try {
      const report = JSON.parse(event.data);
      if (report && typeof report === 'object') showReport(report);
    } catch {
      // a keep-alive or a partial message: the next one will do
    }
  };
  source.addEventListener('message', onReport);
  source.addEventListener('report', onReport);
  source.addEventListener('open', () => { $('live').textContent = 'Live'; $('live').classList.add('on'); });
  source.addEventListener('error', () => {
    $('live').classList.remove('on');
    if (source.readyState === EventSource.CLOSED) {
      $('live').textContent = 'Not live';
      $('live').title = 'The report stream is unavailable; reload to retry.';
    } else {
      $('live').textContent = 'Reconnecting…';
    }
  });
}

async function loadReport() {
  try {
    showReport(await api.report(key, viewedPhase));
  } catch (err) {
    // 404: no report yet (or no report endpoint yet); anything else is shown, but the page stays usable
    if (err instanceof ApiError && err.status !== 404) {
      $('results').replaceChildren(h('div', { class: 'alert warn' }, `The report could not be loaded: ${err.message}`));
    } else {
      showReport(null);
    }
  }
}

$('phase-select').addEventListener('change', () => {
  viewedPhase = $('phase-select').value ? Number($('phase-select').value) : null;
  $('results').replaceChildren(h('div', { class: 'empty' }, 'Loading…'));
  loadReport();
});
$('start').addEventListener('click', () => act('start', 'Experiment started'));
$('stop').addEventListener('click', () => confirm('Stop the experiment? It stops assigning units.') && act('stop', 'Experiment stopped'));
$('archive').addEventListener('click', () => act('archive', 'Experiment archived'));

async function init() {
  const registry = api.models().then((r) => new Map((r?.models || []).map((m) => [m.key, m])), () => null);
  try {
    const loaded = await api.getExperiment(key);
    models = await registry;
    renderExperiment(loaded);
  } catch (err) {
    $('title').textContent = err.status === 404 ? 'Experiment not found' : 'Could not load the experiment';
    showError('page-error', err);
    return;
  }
  await Promise.all([loadAudit().catch((err) => showError('page-error', err)), loadReport()]);
  subscribe();
  document.body.dataset.ready = 'true';
}

// exposed for debugging in the browser console and for the browser tests
window.splitrank = {
  renderReport: (report) => showReport(report),
  renderExperiment: (e) => renderExperiment(e),
  get experiment() { return experiment; },
  get lastReport() { return lastReport; },
};
init();
