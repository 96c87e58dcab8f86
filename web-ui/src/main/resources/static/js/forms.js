// Helpers of the small forms (accounts, keys, own password, webhook secret): field errors (each
// `errors[].field` of the API's problem+json goes under the element with that `data-field` in the form,
// the rest in a summary alert) and copying a secret to the clipboard.
import { h } from './format.js';
import { ApiError } from './api.js';

let errorIds = 0;

/** Removes the marks left by showFieldErrors. */
export function clearFieldErrors(form, summary) {
  form.querySelectorAll('.field-error').forEach((e) => e.remove());
  form.querySelectorAll('.invalid').forEach((e) => e.classList.remove('invalid'));
  form.querySelectorAll('[aria-invalid]').forEach((e) => {
    e.removeAttribute('aria-invalid');
    const described = (e.getAttribute('aria-describedby') || '').split(' ').filter((id) => id && !id.startsWith('field-error-'));
    if (described.length) e.setAttribute('aria-describedby', described.join(' '));
    else e.removeAttribute('aria-describedby');
  });
  summary?.replaceChildren();
}

/**
 * Shows an error: each field error under its field (marked invalid, linked by aria-describedby), the
 * others and the error's message in `summary` under the heading `title`; focuses the first invalid field.
 */
export function showFieldErrors(form, err, summary, title) {
  const error = err instanceof ApiError ? err : new ApiError(0, { detail: err.message });
  const unplaced = [];
  for (const { field, message } of error.errors) {
    const el = field ? form.querySelector(`[data-field="${CSS.escape(field)}"]`) : null;
    if (!el) {
      unplaced.push(field ? `${field}: ${message}` : message);
      continue;
    }
    const id = `field-error-${++errorIds}`;
    el.classList.add('invalid');
    el.append(h('div', { class: 'field-error', id, dataset: { field } }, message));
    el.querySelectorAll('input, select, textarea').forEach((input) => {
      input.setAttribute('aria-invalid', 'true');
      input.setAttribute('aria-describedby', `${input.getAttribute('aria-describedby') || ''} ${id}`.trim());
    });
  }
  const placed = error.errors.length - unplaced.length;
  summary?.replaceChildren(h('div', { class: 'alert error', role: 'alert', style: 'margin-bottom:14px' },
    h('div', {}, h('strong', {}, title),
      placed ? `Fix the ${placed === 1 ? 'field' : `${placed} fields`} marked below.` : error.message,
      unplaced.length ? h('div', {}, unplaced.join('; ')) : null)));
  form.querySelector('.invalid input, .invalid select, .invalid textarea')?.focus();
}

/** Copies text to the clipboard; falls back on selecting `input` and the copy command. Whether it worked. */
export async function copyText(text, input) {
  try {
    await navigator.clipboard.writeText(text);
    return true;
  } catch {
    input?.focus();
    input?.select();
    try {
      return document.execCommand('copy');
    } catch {
      return false;
    }
  }
}
