// Experiments list: status and layer filters (kept in the address), one row per experiment.
import { api } from './api.js';
import { h, metricName, percent, relativeTime, dateTime } from './format.js';
import { renderShell } from './shell.js';
import { statusBadge } from './status.js';

renderShell('experiments');

const params = new URLSearchParams(location.search);
const state = { status: params.get('status') || '', layer: params.get('layer') || '' };
const tbody = document.querySelector('#experiments tbody');
const statusButtons = document.querySelectorAll('#status-filter button');
const layerSelect = document.getElementById('layer-filter');
const knownLayers = new Set();

function row(e) {
  const open = () => location.assign(`/experiments/${encodeURIComponent(e.key)}`);
  return h('tr', { class: 'clickable', dataset: { key: e.key }, onclick: open },
    h('td', {},
      h('a', { href: `/experiments/${encodeURIComponent(e.key)}`, class: 'cell-title' }, e.name || e.key),
      h('div', { class: 'cell-sub mono' }, e.key)),
    h('td', {}, statusBadge(e.status)),
    h('td', {}, (e.arms || []).map((a) => h('span', { class: 'chip', title: `${a.key}: ${percent(a.weight)}` }, a.model))),
    h('td', { class: 'num' }, percent(e.coverage)),
    h('td', {}, e.layer ? [h('span', { class: 'mono' }, e.layer),
      h('div', { class: 'cell-sub' }, `[${e.layerRange.map((x) => percent(x)).join(', ')})`)] : h('span', { class: 'cell-sub' }, '—')),
    h('td', {}, metricName(e.metrics?.primary)),
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
}

async function load() {
  syncControls();
  const q = new URLSearchParams();
  if (state.status) q.set('status', state.status);
  if (state.layer) q.set('layer', state.layer);
  history.replaceState(null, '', q.toString() ? `/?${q}` : '/');
  const errorBox = document.getElementById('list-error');
  try {
    const list = await api.listExperiments(state);
    errorBox.hidden = true;
    list.forEach((e) => e.layer && knownLayers.add(e.layer));
    syncControls();
    tbody.replaceChildren(...(list.length ? list.map(row) : [h('tr', {}, h('td', { colspan: 7 },
      h('div', { class: 'empty' }, h('b', {}, state.status || state.layer ? 'No experiments match these filters' : 'No experiments yet'),
        state.status || state.layer ? 'Clear the filters to see every experiment.' : h('a', { href: '/experiments/new' }, 'Create the first one'))))]));
    document.getElementById('count').textContent = `${list.length} experiment${list.length === 1 ? '' : 's'}`;
  } catch (err) {
    errorBox.hidden = false;
    errorBox.replaceChildren(h('div', { class: 'alert error', style: 'margin:12px 16px' }, `Could not load experiments: ${err.message}`));
  }
}

statusButtons.forEach((b) => b.addEventListener('click', () => { state.status = b.dataset.status; load(); }));
layerSelect.addEventListener('change', () => { state.layer = layerSelect.value; load(); });

// the layer list comes from every experiment, not just the filtered ones
api.listExperiments({}).then((all) => { all.forEach((e) => e.layer && knownLayers.add(e.layer)); syncControls(); }).catch(() => {});
load();
