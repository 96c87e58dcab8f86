// Models: the registry from GET /api/v1/models, one card per model with its offline metrics; the
// models that failed to load in a warning box; for admins, a button that reloads the registry.
import { api } from './api.js';
import { h, number, integer, dateTime, relativeTime, metricName } from './format.js';
import { renderShell, isAdmin, toast } from './shell.js';

const whoami = renderShell('models');
const $ = (id) => document.getElementById(id);

// ctr first, then cvr:*, ctcvr:*, anything else, and the value regression last
const TASK_ORDER = ['ctr', 'cvr', 'ctcvr'];
function taskRank(task) {
  if (task === 'value') return TASK_ORDER.length + 1;
  const i = TASK_ORDER.indexOf(task.split(':')[0]);
  return i < 0 ? TASK_ORDER.length : i;
}

function metricsTable(metrics) {
  const tasks = Object.keys(metrics || {}).sort((a, b) => taskRank(a) - taskRank(b) || a.localeCompare(b));
  if (!tasks.length) return h('div', { class: 'cell-sub no-metrics' }, 'No offline metrics');
  return h('table', { class: 'compact model-metrics' },
    h('thead', {}, h('tr', {}, h('th', {}, 'Task'), h('th', { class: 'num' }, 'AUC'),
      h('th', { class: 'num' }, 'Log-loss'), h('th', { class: 'num' }, 'GAUC'))),
    h('tbody', {}, tasks.map((task) => {
      const m = metrics[task] || {};
      const title = `${integer(m.samples)} samples${m.positives === undefined ? '' : `, ${integer(m.positives)} positives`}`;
      if (task === 'value' || (m.nrmse !== undefined && m.auc === undefined)) {
        return h('tr', { dataset: { task }, title: `${title}; RMSE ${number(m.rmse)}` },
          h('td', {}, task === 'value' ? 'Value' : metricName(task)),
          h('td', { class: 'num nrmse', colspan: 3 }, `NRMSE ${number(m.nrmse)}`));
      }
      return h('tr', { dataset: { task }, title },
        h('td', {}, metricName(task)),
        h('td', { class: 'num auc' }, number(m.auc)),
        h('td', { class: 'num logloss' }, number(m.logloss)),
        h('td', { class: 'num gauc' }, number(m.gauc)));
    })));
}

function modelCard(m) {
  const props = [
    ['Architecture', h('span', { class: 'mono architecture' }, m.architecture || '—')],
    ['Version', h('span', { class: 'version' }, m.version ?? '—')],
    ['Trained', h('span', { class: 'trained-at', title: m.trainedAt || '' }, m.trainedAt ? dateTime(m.trainedAt) : '—')],
    ['Parameters', h('span', { class: 'parameters' }, m.reference && !m.parameters ? '—' : integer(m.parameters))],
    ['Data seed', h('span', { class: 'mono data-seed' }, m.dataSeed ?? '—')],
  ];
  return h('section', { class: 'card model-card', dataset: { model: m.key, reference: String(Boolean(m.reference)) } },
    h('div', { class: 'card-head' },
      h('div', { class: 'inline' }, h('h2', { class: 'mono' }, m.key),
        m.reference ? h('span', { class: 'tag secondary' }, 'reference') : null)),
    h('div', { class: 'card-body' },
      h('dl', { class: 'props' }, props.flatMap(([k, v]) => [h('dt', {}, k), h('dd', {}, v)])),
      h('div', { class: 'model-metrics-wrap' }, metricsTable(m.offlineMetrics))));
}

function failureBox(failures) {
  return h('div', { class: 'alert warn', id: 'failures', role: 'alert', style: 'margin-bottom:16px' },
    h('div', {}, h('strong', {}, `${failures.length} model${failures.length === 1 ? '' : 's'} failed to load`),
      h('ul', { class: 'alert-list' }, failures.map((f) => h('li', { dataset: { model: f.key } },
        h('b', { class: 'mono' }, f.key), ': ', f.reason || 'no reason given')))));
}

function render(registry) {
  const models = registry?.models || [];
  const failures = registry?.failures || [];
  $('models').replaceChildren(...(models.length ? models.map(modelCard)
    : [h('section', { class: 'card' }, h('div', { class: 'empty' }, h('b', {}, 'No models loaded'),
      'The registry has no model an arm could serve.'))]));
  $('model-failures').replaceChildren(...(failures.length ? [failureBox(failures)] : []));
  $('loaded-at').textContent = registry?.loadedAt ? ` Loaded ${relativeTime(registry.loadedAt)}.` : '';
  $('loaded-at').title = registry?.loadedAt ? dateTime(registry.loadedAt) : '';
}

function showError(err) {
  $('models-error').replaceChildren(h('div', { class: 'alert error', style: 'margin-bottom:16px' },
    `Could not load the models: ${err.message}`));
}

async function reload() {
  const button = $('reload-models');
  button.disabled = true;
  try {
    const registry = await api.reloadModels();
    $('models-error').replaceChildren();
    render(registry);
    const failed = registry?.failures?.length || 0;
    toast(`Models reloaded: ${registry?.models?.length || 0} loaded${failed ? `, ${failed} failed` : ''}`, failed ? 'warn' : 'ok');
  } catch (err) {
    toast(`Reload failed: ${err.message}`, 'error');
  } finally {
    button.disabled = false;
  }
}

// exposed for debugging in the browser console and for the browser tests
window.splitrank = { renderModels: (registry) => render(registry) };

$('reload-models').addEventListener('click', reload);
whoami.then((me) => { $('reload-models').hidden = !isAdmin(me); });

api.models().then(render, (err) => {
  $('models').replaceChildren();
  showError(err);
}).finally(() => { document.body.dataset.ready = 'true'; });
