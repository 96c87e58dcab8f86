// Sample size / minimum detectable effect helper of the create form: POST /api/v1/analysis/power with the
// primary metric's baseline mean (and variance, unless it is a proportion), the form's alpha and number of arms,
// and either the relative effect to detect (→ units per arm) or the units per arm available (→ the effect).
import { api, ApiError } from './api.js';
import { h, integer, signedPercent } from './format.js';

/**
 * @param root    the element to fill
 * @param options {alpha: () => number|undefined, arms: () => number, usePlannedUnits: (units) => void}
 */
export function initPowerHelper(root, { alpha, arms, usePlannedUnits }) {
  const field = (name, label, input, hint) => h('div', { class: 'field', dataset: { field: `power.${name}` } },
    h('label', { for: input.id }, label), input, hint ? h('div', { class: 'hint' }, hint) : null);
  const mean = h('input', { type: 'number', id: 'power-mean', step: 'any', placeholder: '0.05' });
  const variance = h('input', { type: 'number', id: 'power-variance', step: 'any', min: 0, placeholder: 'p(1 − p)' });
  const power = h('input', { type: 'number', id: 'power-power', step: 'any', min: 0, max: 1, value: '0.8' });
  const mode = h('select', { id: 'power-mode' },
    h('option', { value: 'effect', selected: true }, 'Units for an effect'),
    h('option', { value: 'units' }, 'Effect for a sample'));
  const effect = h('input', { type: 'number', id: 'power-effect', step: 'any', value: '5' });
  const units = h('input', { type: 'number', id: 'power-units', step: 1, min: 1, placeholder: '10000' });
  const effectField = field('relativeEffect', 'Relative effect (%)', effect, 'The smallest lift worth detecting.');
  const unitsField = field('unitsPerArm', 'Units per arm', units, 'The units each arm can get.');
  const compute = h('button', { type: 'button', class: 'btn small', id: 'power-compute' }, 'Compute');
  const result = h('div', { class: 'power-result', id: 'power-result', 'aria-live': 'polite' });

  const showMode = () => {
    effectField.hidden = mode.value !== 'effect';
    unitsField.hidden = mode.value !== 'units';
  };
  mode.addEventListener('change', showMode);

  const clear = () => {
    root.querySelectorAll('.field-error').forEach((e) => e.remove());
    root.querySelectorAll('.invalid').forEach((e) => e.classList.remove('invalid'));
    result.replaceChildren();
  };
  const fail = (errors, message) => {
    const unplaced = [];
    for (const { field: name, message: text } of errors) {
      const el = root.querySelector(`[data-field="power.${CSS.escape(name || '')}"]`);
      if (el && !el.hidden) {
        el.classList.add('invalid');
        el.append(h('div', { class: 'field-error', dataset: { field: `power.${name}` } }, text));
      } else {
        unplaced.push(name ? `${name}: ${text}` : text);
      }
    }
    if (unplaced.length || !errors.length) {
      result.replaceChildren(h('div', { class: 'alert error' }, h('div', {}, h('strong', {}, message), unplaced.join('; '))));
    }
  };

  const run = async () => {
    clear();
    const value = (input) => (input.value.trim() === '' ? undefined : Number(input.value));
    const body = {
      mean: value(mean), variance: value(variance), alpha: alpha() ?? 0.05, power: value(power), arms: arms(),
    };
    if (mode.value === 'effect') body.relativeEffect = value(effect) === undefined ? undefined : value(effect) / 100;
    else body.unitsPerArm = value(units);
    const missing = [];
    if (body.mean === undefined) missing.push({ field: 'mean', message: 'required: the primary metric\'s mean in the control' });
    if (mode.value === 'effect' && body.relativeEffect === undefined) missing.push({ field: 'relativeEffect', message: 'required' });
    if (mode.value === 'units' && body.unitsPerArm === undefined) missing.push({ field: 'unitsPerArm', message: 'required' });
    if (missing.length) {
      fail(missing, 'Fill in the marked fields.');
      return;
    }
    compute.disabled = true;
    try {
      const answer = await api.power(body);
      const total = answer.totalUnits;
      result.replaceChildren(h('div', { class: 'alert info', id: 'power-answer', dataset: { unitsPerArm: answer.unitsPerArm, totalUnits: total } },
        h('div', {},
          h('strong', {}, `${integer(answer.unitsPerArm)} units per arm, ${integer(total)} in total`),
          `to detect a relative effect of ${signedPercent(answer.relativeEffect, 1)} with ${Math.round((body.power ?? 0.8) * 100)}% power at α = ${body.alpha}.`,
          ' ',
          h('button', { type: 'button', class: 'btn small', id: 'power-use', onclick: () => usePlannedUnits(total) }, `Use ${integer(total)} as planned units`))));
    } catch (err) {
      const problem = err instanceof ApiError ? err : new ApiError(0, { detail: err.message });
      fail(problem.errors, problem.message);
    } finally {
      compute.disabled = false;
    }
  };
  compute.addEventListener('click', run);
  // Enter in a helper field computes instead of submitting the experiment
  root.addEventListener('keydown', (event) => {
    if (event.key === 'Enter' && event.target.tagName === 'INPUT') {
      event.preventDefault();
      run();
    }
  });

  root.classList.add('power-helper');
  root.replaceChildren(
    h('div', { class: 'inline', style: 'justify-content:space-between;margin-bottom:8px' },
      h('b', { id: 'power-title' }, 'Sample size and minimum detectable effect'), compute),
    h('div', { class: 'power-grid' },
      field('mean', 'Control mean', mean, 'Of the primary metric, e.g. a CTR of 0.05.'),
      field('variance', 'Variance per unit', variance, 'Empty for a proportion.'),
      field('power', 'Power', power),
      h('div', { class: 'field' }, h('label', { for: 'power-mode' }, 'Compute'), mode),
      effectField, unitsField),
    result);
  showMode();
}
