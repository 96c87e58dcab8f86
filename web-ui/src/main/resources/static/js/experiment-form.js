// Create-experiment form. The API validates the whole document; its field errors
// (problem+json `errors: [{field, message}]`) are shown next to the fields they name. An arm's model
// is chosen from the loaded models (GET /api/v1/models). The targeting condition is checked as JSON here
// first. A ramp plan is edited as a list of steps; the sample size helper (js/power-helper.js) asks
// POST /api/v1/analysis/power. The type is an A/B test or an interleaving experiment (its arms' weights are not
// used: they are disabled and left out, so the API's equal weights apply).
import { api, ApiError } from './api.js';
import { h, metricName, modelLabel } from './format.js';
import { renderShell, canCreate, roleOf } from './shell.js';
import { initPowerHelper } from './power-helper.js';

// a viewer may fill the form in but not create: the page says so and the button stays disabled
const whoami = renderShell('new').then((me) => {
  if (!canCreate(me)) {
    document.getElementById('create').disabled = true;
    document.getElementById('not-allowed').replaceChildren(h('div', { class: 'alert warn', id: 'cannot-create', role: 'alert', style: 'margin-bottom:16px' },
      h('div', {}, h('strong', {}, 'You cannot create experiments'),
        `Your role (${roleOf(me)}) reads experiments; owners and admins create them. Ask an admin for the owner role.`)));
  }
  return me;
});

const form = document.getElementById('experiment-form');
const armsBody = document.querySelector('#arms-table tbody');
const stepsBody = document.querySelector('#steps-table tbody');
const marginsBody = document.querySelector('#margins-table tbody');
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

const isInterleaving = () => form.elements.type.value === 'interleaving';

/** An interleaving experiment's arms have no weight to set: the weights are disabled and the hint says why. */
function syncType() {
  const interleaving = isInterleaving();
  armsBody.querySelectorAll('[name=armWeight]').forEach((input) => { input.disabled = interleaving; });
  document.getElementById('equal-weights').disabled = interleaving;
  document.getElementById('interleaving-arms-hint').hidden = !interleaving;
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
// a percentage field as a share: "20" → 0.2 (rounded, so that 7 gives 0.07 and not 0.07000000000000001)
const share = (v) => (num(v) === undefined ? undefined : Math.round(Number(v) * 1e7) / 1e9);

function stepRow(step = {}) {
  const row = h('tr', { class: 'step-row' },
    h('td', { class: 'idx' }),
    h('td', { class: 'field step-coverage' }, h('input', { type: 'number', name: 'stepCoverage', min: 0, max: 100, step: 'any', value: step.coverage ?? '', 'aria-label': 'Coverage (%)' })),
    h('td', { class: 'field step-minDuration' }, h('input', { type: 'text', name: 'stepMinDuration', value: step.minDuration ?? '', placeholder: '1d', autocomplete: 'off', 'aria-label': 'Minimum duration' })),
    h('td', { class: 'field step-minUnits' }, h('input', { type: 'number', name: 'stepMinUnits', min: 0, step: 1, value: step.minUnits ?? '', placeholder: '0', 'aria-label': 'Minimum units' })),
    h('td', {}, h('button', { type: 'button', class: 'btn small link remove-step', title: 'Remove step', onclick: () => { row.remove(); renumberSteps(); } }, 'Remove')));
  return row;
}

function renumberSteps() {
  const rows = [...stepsBody.rows];
  rows.forEach((row, i) => {
    row.dataset.index = i;
    row.querySelector('.idx').textContent = String(i + 1);
  });
  document.getElementById('steps-table').hidden = rows.length === 0;
  document.getElementById('no-plan').hidden = rows.length > 0;
  // with a plan, the experiment starts at the first step's coverage
  const coverage = form.elements.coverage;
  coverage.disabled = rows.length > 0;
  const first = rows[0]?.querySelector('[name=stepCoverage]').value;
  if (first) coverage.value = first;
  document.getElementById('coverage-hint').textContent = rows.length > 0
    ? 'Set by the ramp plan: the experiment starts at its first step.'
    : 'Share of eligible units that enter. Start small and ramp: 5 → 20 → 50 → 100.';
}

/** One margin field per guardrail named in the guardrails field, keeping the values already typed. */
function syncMargins() {
  const typed = new Map([...marginsBody.rows].map((r) => [r.dataset.metric, r.querySelector('input').value]));
  const guardrails = [...new Set(list(form.elements.guardrails.value))];
  marginsBody.replaceChildren(...guardrails.map((id, i) => h('tr', { dataset: { metric: id } },
    h('td', {}, h('label', { for: `margin-${i}` }, metricName(id), ' ', h('span', { class: 'cell-sub mono' }, id))),
    h('td', { class: 'field margin-cell' }, h('input', { type: 'number', id: `margin-${i}`, name: 'guardrailMargin', min: 0, max: 100, step: 'any', placeholder: '2', value: typed.get(id) ?? '' })))));
  document.getElementById('margins-field').hidden = guardrails.length === 0;
}

/** The targeting condition: the parsed object, undefined when empty; throws a SyntaxError when it is not a JSON object. */
function conditionFromForm() {
  const text = form.elements.condition.value.trim();
  if (text === '') return undefined;
  const value = JSON.parse(text);
  if (value === null || typeof value !== 'object' || Array.isArray(value)) throw new SyntaxError('must be a JSON object, e.g. {"country": "FR"}');
  return value;
}

/** Field errors found before asking the API: the condition must be JSON. */
function localErrors() {
  try {
    conditionFromForm();
    return [];
  } catch (err) {
    return [{ field: 'condition', message: `not valid JSON: ${err.message}` }];
  }
}

const withoutEmpty = (o) => (Object.values(o).some((v) => v !== undefined) ? o : undefined);

/** The experiment document the form describes; empty fields are left out so the API's defaults apply. */
export function documentFromForm() {
  const f = form.elements;
  const interleaving = isInterleaving();
  const arms = [...armsBody.rows].map((row) => {
    const weight = interleaving ? undefined : num(row.querySelector('[name=armWeight]').value);
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
  const steps = [...stepsBody.rows].map((row) => ({
    coverage: share(row.querySelector('[name=stepCoverage]').value),
    minDuration: optional(row.querySelector('[name=stepMinDuration]').value),
    minUnits: num(row.querySelector('[name=stepMinUnits]').value),
  }));
  const margins = Object.fromEntries([...marginsBody.rows]
    .map((row) => [row.dataset.metric, share(row.querySelector('input').value)])
    .filter(([, margin]) => margin !== undefined));
  let condition;
  try {
    condition = conditionFromForm();
  } catch {
    condition = undefined;
  }
  return {
    key: optional(f.key.value),
    name: optional(f.name.value),
    hypothesis: optional(f.hypothesis.value),
    type: f.type.value || undefined,
    arms,
    coverage: steps.length && steps[0].coverage !== undefined ? steps[0].coverage : coverage === undefined ? undefined : share(f.coverage.value),
    hashAttribute: optional(f.hashAttribute.value),
    layer,
    layerRange: layer || start !== undefined || end !== undefined ? [(start ?? 0) / 100, (end ?? 100) / 100] : undefined,
    condition,
    metrics: {
      primary: f.primary.value, secondary: list(f.secondary.value), guardrails: list(f.guardrails.value),
      guardrailMargins: Object.keys(margins).length ? margins : undefined,
    },
    analysis: withoutEmpty({
      alpha: num(f.alpha.value),
      correction: f.correction.value || undefined,
      cupedDays: num(f.cupedDays.value),
      capPercentile: num(f.capPercentile.value),
      plannedUnits: num(f.plannedUnits.value),
    }),
    rampPlan: steps.length ? { steps, autoAdvance: f.autoAdvance.checked, autoRollback: f.autoRollback.checked } : undefined,
  };
}

function clearErrors() {
  form.querySelectorAll('.field-error').forEach((e) => e.remove());
  form.querySelectorAll('.invalid').forEach((e) => e.classList.remove('invalid'));
  document.getElementById('form-errors').replaceChildren();
}

/**
 * The element an API field path belongs to: "arms[1].weight" → the weight cell of arm 1,
 * "rampPlan.steps[2].minDuration" → that step's duration cell, "metrics.guardrailMargins.ctr" → the margin of
 * ctr; otherwise the field of the path, or of its nearest parent ("metrics.secondary[0]" → metrics.secondary).
 */
function fieldElement(path) {
  const arm = /^arms\[(\d+)\](?:\.(\w+))?$/.exec(path);
  if (arm) {
    const row = armsBody.rows[Number(arm[1])];
    if (!row) return form.querySelector('[data-field="arms"]');
    return row.querySelector(`.arm-${arm[2] || 'key'}`) || row.querySelector('.arm-key');
  }
  const step = /^rampPlan\.steps\[(\d+)\](?:\.(\w+))?$/.exec(path);
  if (step && stepsBody.rows[Number(step[1])]) {
    const row = stepsBody.rows[Number(step[1])];
    return row.querySelector(`.step-${step[2] || 'coverage'}`) || row.querySelector('.step-coverage');
  }
  const margin = /^metrics\.guardrailMargins(?:\.|\[['"]?)([^\]'"]+)/.exec(path);
  if (margin) {
    const row = [...marginsBody.rows].find((r) => r.dataset.metric === margin[1]);
    if (row) return row.querySelector('.margin-cell');
  }
  for (let base = path; base; base = base.replace(/(\[[^\]]*\]|\.[^.[]*)$/, '')) {
    const el = form.querySelector(`[data-field="${CSS.escape(base)}"]`);
    if (el) return el;
    if (!/(\[[^\]]*\]|\.[^.[]*)$/.test(base)) break;
  }
  return null;
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

/** Marks the condition field at once when it is not JSON (and clears the mark when it is). */
function checkCondition() {
  const field = form.querySelector('[data-field="condition"]');
  field.querySelectorAll('.field-error').forEach((e) => e.remove());
  field.classList.remove('invalid');
  for (const { field: name, message } of localErrors()) {
    field.classList.add('invalid');
    field.append(h('div', { class: 'field-error', dataset: { field: name } }, message));
  }
}

form.addEventListener('submit', async (event) => {
  event.preventDefault();
  clearErrors();
  const local = localErrors();
  if (local.length) {
    showErrors(new ApiError(0, { detail: 'The form has errors.', errors: local }));
    return;
  }
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

document.getElementById('add-arm').addEventListener('click', () => { armsBody.append(armRow()); renumber(); syncType(); });
document.getElementById('equal-weights').addEventListener('click', splitEqually);
document.getElementById('add-step').addEventListener('click', () => {
  // the next step doubles the last one's coverage, up to 100%
  const last = stepsBody.rows[stepsBody.rows.length - 1];
  const lastCoverage = last ? Number(last.querySelector('[name=stepCoverage]').value) : NaN;
  const coverage = Number.isFinite(lastCoverage) && lastCoverage > 0 ? Math.min(100, lastCoverage * 2) : Number(form.elements.coverage.value) || 5;
  stepsBody.append(stepRow({ coverage, minDuration: '1d' }));
  renumberSteps();
  stepsBody.rows[stepsBody.rows.length - 1].querySelector('input').focus();
});
document.getElementById('suggest-plan').addEventListener('click', () => {
  stepsBody.replaceChildren(stepRow({ coverage: 5, minDuration: '1d', minUnits: 1000 }), stepRow({ coverage: 20, minDuration: '1d' }),
    stepRow({ coverage: 50, minDuration: '2d' }), stepRow({ coverage: 100 }));
  renumberSteps();
});
form.elements.guardrails.addEventListener('input', syncMargins);
stepsBody.addEventListener('input', (event) => { if (event.target.name === 'stepCoverage') renumberSteps(); });
form.elements.condition.addEventListener('change', checkCondition);
form.querySelectorAll('[name=type]').forEach((radio) => radio.addEventListener('change', syncType));

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
  renumberSteps();
  syncMargins();
  syncType();
  initPowerHelper(document.getElementById('power-helper'), {
    alpha: () => num(form.elements.alpha.value),
    arms: () => armsBody.rows.length,
    usePlannedUnits: (units) => { form.elements.plannedUnits.value = units; },
  });
  addArm.disabled = false;
  await whoami;
  form.dataset.ready = 'true';
}

init();
