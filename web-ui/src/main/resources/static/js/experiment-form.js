// Create-experiment form. The API validates the whole document; its field errors
// (problem+json `errors: [{field, message}]`) are shown next to the fields they name. An arm's model
// is chosen from the loaded models (GET /api/v1/models).
import { api, ApiError } from './api.js';
import { h, modelLabel } from './format.js';
import { renderShell } from './shell.js';

renderShell('new');

const form = document.getElementById('experiment-form');
const armsBody = document.querySelector('#arms-table tbody');
// the registry's models; null when it could not be read (then the model is typed in)
let models = null;

function modelControl(value = '') {
  if (!models) return h('input', { type: 'text', name: 'armModel', value, placeholder: 'baseline', autocomplete: 'off' });
  const option = (m) => h('option', { value: m.key, selected: m.key === value }, modelLabel(m));
  const trained = models.filter((m) => !m.reference);
  const reference = models.filter((m) => m.reference);
  return h('select', { name: 'armModel', 'aria-label': 'Model' },
    h('option', { value: '', selected: !models.some((m) => m.key === value) }, 'Choose a model…'),
    reference.length ? [h('optgroup', { label: 'Trained models' }, trained.map(option)),
      h('optgroup', { label: 'Reference rankers' }, reference.map(option))] : trained.map(option));
}

function armRow(arm = {}) {
  const row = h('tr', { class: 'arm-row' },
    h('td', { class: 'idx' }),
    h('td', { class: 'field arm-key' }, h('input', { type: 'text', name: 'armKey', value: arm.key || '', placeholder: 'control', autocomplete: 'off' })),
    h('td', { class: 'field arm-model' }, modelControl(arm.model)),
    h('td', { class: 'field arm-weight' }, h('input', { type: 'number', name: 'armWeight', min: 0, max: 1, step: 'any', value: arm.weight ?? '' })),
    h('td', {}, h('button', { type: 'button', class: 'btn small link remove-arm', title: 'Remove arm', onclick: () => { row.remove(); renumber(); } }, 'Remove')));
  return row;
}

function renumber() {
  [...armsBody.rows].forEach((row, i) => {
    row.dataset.index = i;
    row.querySelector('.idx').textContent = i === 0 ? 'C' : String(i);
    row.querySelector('.idx').title = i === 0 ? 'control' : `treatment ${i}`;
    row.querySelector('.remove-arm').hidden = armsBody.rows.length <= 2;
  });
}

function splitEqually() {
  const rows = [...armsBody.rows];
  const w = Math.floor((1 / rows.length) * 10000) / 10000;
  rows.forEach((row, i) => {
    row.querySelector('[name=armWeight]').value = i === rows.length - 1 ? +(1 - w * (rows.length - 1)).toFixed(4) : w;
  });
}

const optional = (v) => (v.trim() === '' ? undefined : v.trim());
const list = (v) => v.split(',').map((x) => x.trim()).filter(Boolean);
const num = (v) => (v.trim() === '' ? undefined : Number(v));

/** The experiment document the form describes; empty fields are left out so the API's defaults apply. */
export function documentFromForm() {
  const f = form.elements;
  const arms = [...armsBody.rows].map((row) => {
    const weight = num(row.querySelector('[name=armWeight]').value);
    return {
      key: optional(row.querySelector('[name=armKey]').value),
      model: optional(row.querySelector('[name=armModel]').value),
      weight,
    };
  });
  const coverage = num(f.coverage.value);
  const start = num(f.layerStart.value);
  const end = num(f.layerEnd.value);
  const layer = optional(f.layer.value);
  return {
    key: optional(f.key.value),
    name: optional(f.name.value),
    hypothesis: optional(f.hypothesis.value),
    arms,
    coverage: coverage === undefined ? undefined : coverage / 100,
    hashAttribute: optional(f.hashAttribute.value),
    layer,
    layerRange: layer || start !== undefined || end !== undefined ? [(start ?? 0) / 100, (end ?? 100) / 100] : undefined,
    metrics: { primary: f.primary.value, secondary: list(f.secondary.value), guardrails: list(f.guardrails.value) },
  };
}

function clearErrors() {
  form.querySelectorAll('.field-error').forEach((e) => e.remove());
  form.querySelectorAll('.invalid').forEach((e) => e.classList.remove('invalid'));
  document.getElementById('form-errors').replaceChildren();
}

/** The element an API field path belongs to: "arms[1].weight" → the weight cell of arm 1. */
function fieldElement(path) {
  const arm = /^arms\[(\d+)\](?:\.(\w+))?$/.exec(path);
  if (arm) {
    const row = armsBody.rows[Number(arm[1])];
    if (!row) return form.querySelector('[data-field="arms"]');
    return row.querySelector(`.arm-${arm[2] || 'key'}`) || row.querySelector('.arm-key');
  }
  const base = path.replace(/\[\d+\]$/, '');
  return form.querySelector(`[data-field="${CSS.escape(base)}"]`);
}

function showErrors(err) {
  const unplaced = [];
  for (const { field, message } of err.errors) {
    const el = fieldElement(field || '');
    if (!el) {
      unplaced.push(`${field}: ${message}`);
      continue;
    }
    el.classList.add('invalid');
    el.append(h('div', { class: 'field-error', dataset: { field } }, message));
  }
  const summary = err.errors.length
    ? `Fix the ${err.errors.length === 1 ? 'field' : `${err.errors.length} fields`} marked below.`
    : err.message;
  document.getElementById('form-errors').replaceChildren(h('div', { class: 'alert error', style: 'margin-bottom:16px', role: 'alert' },
    h('div', {}, h('strong', {}, err.status === 409 ? 'Conflict' : 'The experiment was not created'), summary,
      unplaced.length ? h('div', {}, unplaced.join('; ')) : null)));
  form.querySelector('.invalid > input, .invalid > select, .invalid > textarea, .invalid > .inline > input')?.focus();
}

form.addEventListener('submit', async (event) => {
  event.preventDefault();
  clearErrors();
  const button = document.getElementById('create');
  button.disabled = true;
  try {
    const created = await api.createExperiment(documentFromForm());
    location.assign(`/experiments/${encodeURIComponent(created.key)}`);
  } catch (err) {
    showErrors(err instanceof ApiError ? err : new ApiError(0, { detail: err.message }));
    button.disabled = false;
  }
});

document.getElementById('add-arm').addEventListener('click', () => { armsBody.append(armRow()); renumber(); });
document.getElementById('equal-weights').addEventListener('click', splitEqually);

function modelsUnavailable(err) {
  form.querySelector('[data-field="arms"]').prepend(h('div', { class: 'alert warn', style: 'margin-bottom:10px', id: 'models-unavailable' },
    h('div', {}, h('strong', {}, 'The model registry could not be read'), `Type the model keys. (${err.message})`)));
}

async function init() {
  const addArm = document.getElementById('add-arm');
  addArm.disabled = true;
  try {
    models = (await api.models())?.models || [];
  } catch (err) {
    modelsUnavailable(err);
  }
  // the control serves the baseline and the treatment EKTM, when they are loaded
  const loaded = (k) => (!models || models.some((m) => m.key === k) ? k : '');
  armsBody.append(armRow({ key: 'control', model: loaded('baseline'), weight: 0.5 }), armRow({ key: 'ektm', model: loaded('ektm'), weight: 0.5 }));
  renumber();
  addArm.disabled = false;
  form.dataset.ready = 'true';
}

init();
