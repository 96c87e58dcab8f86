// API keys (admins only): every key with its scope, prefix, rate limit, creation, last use and revocation
// (GET /api/v1/keys); a form that creates one (POST /api/v1/keys) whose secret is shown once, with a copy
// button, and never again; Revoke with confirmation (DELETE /api/v1/keys/{id}); the keys' audit entries.
import { api, ApiError } from './api.js';
import { h, dateTime, relativeTime, integer } from './format.js';
import { renderShell, isAdmin, roleOf, toast } from './shell.js';
import { clearFieldErrors, copyText, showFieldErrors } from './forms.js';
import { renderSecurityAudit } from './security-audit.js';

const whoami = renderShell('keys');
const $ = (id) => document.getElementById(id);
const SCOPES = {
  sdk: 'Assign, rank, events, exposures, SDK configuration',
  reader: 'Reads everything, changes nothing',
  writer: 'sdk + analysis + reads',
  admin: 'Everything, accounts and keys included',
};
let keys = [];

function row(k) {
  const revoked = Boolean(k.revokedAt);
  return h('tr', { class: revoked ? 'muted-row' : '', dataset: { keyId: k.id, name: k.name, scope: k.scope, revoked: String(revoked) } },
    h('th', { scope: 'row' }, h('span', { class: 'cell-title key-name' }, k.name)),
    h('td', { class: 'scope' }, h('span', { class: `tag scope scope-${k.scope}`, title: SCOPES[k.scope] || '' }, k.scope)),
    h('td', { class: 'prefix' }, h('code', { title: 'The secret\'s first characters' }, `${k.prefix}…`)),
    h('td', { class: 'num rate-limit' }, k.rateLimit ? `${integer(k.rateLimit)}/s` : h('span', { class: 'cell-sub' }, 'default')),
    h('td', { class: 'created' }, h('div', { title: dateTime(k.createdAt) }, relativeTime(k.createdAt)),
      k.createdBy ? h('div', { class: 'cell-sub created-by' }, `by ${k.createdBy}`) : null),
    h('td', { class: 'last-used', title: k.lastUsedAt ? dateTime(k.lastUsedAt) : '' }, k.lastUsedAt ? relativeTime(k.lastUsedAt) : h('span', { class: 'cell-sub' }, 'never')),
    h('td', { class: 'status' }, revoked
      ? [h('span', { class: 'badge off' }, 'Revoked'),
        h('div', { class: 'cell-sub revoked-at', title: dateTime(k.revokedAt) }, `${relativeTime(k.revokedAt)}${k.revokedBy ? ` by ${k.revokedBy}` : ''}`)]
      : h('span', { class: 'badge on' }, 'Active')),
    h('td', { class: 'row-actions' }, revoked ? null
      : h('button', { type: 'button', class: 'btn small danger revoke-key', 'aria-label': `Revoke key ${k.name}`, onclick: () => revoke(k) }, 'Revoke')));
}

function render() {
  const showRevoked = $('show-revoked').checked;
  // newest first
  const shown = keys.slice().reverse().filter((k) => showRevoked || !k.revokedAt);
  const revoked = keys.filter((k) => k.revokedAt).length;
  $('keys').tBodies[0].replaceChildren(...(shown.length ? shown.map(row)
    : [h('tr', {}, h('td', { colspan: 8 }, h('div', { class: 'empty' }, keys.length ? 'Every key is revoked.' : 'No keys yet.')))]));
  $('key-count').textContent = `${keys.length - revoked} active${revoked ? ` · ${revoked} revoked` : ''}`;
}

function showKeysError(err, what) {
  $('keys-error').replaceChildren(h('div', { class: 'alert error', role: 'alert', style: 'margin:12px 16px' },
    h('div', {}, h('strong', {}, what), err.message)));
}

async function loadKeys() {
  try {
    keys = await api.keys();
    $('keys-error').replaceChildren();
    render();
  } catch (err) {
    $('keys').tBodies[0].replaceChildren();
    showKeysError(err, 'Could not load the keys');
  }
}

async function loadAudit() {
  try {
    const entries = (await api.securityAudit({ limit: 500 })).filter((e) => /-key$/.test(e.action) || e.subject?.startsWith('key:'));
    renderSecurityAudit($('key-audit'), entries.slice(0, 50), 'No key has been created or revoked yet.');
  } catch (err) {
    $('key-audit').replaceChildren(h('li', { class: 'empty' }, `Could not load the audit: ${err.message}`));
  }
}

/** The new key's secret, this once: a read-only field, a copy button, and the warning that it will not be shown again. */
function showSecret({ key, secret }) {
  const input = h('input', {
    type: 'text', id: 'new-secret-value', class: 'mono secret-value', readonly: true, value: secret,
    spellcheck: 'false', autocomplete: 'off', 'aria-label': `Secret of key ${key.name}`, 'aria-describedby': 'new-secret-warning',
  });
  const copy = h('button', { type: 'button', class: 'btn', id: 'copy-secret' }, 'Copy');
  copy.addEventListener('click', async () => {
    if (await copyText(secret, input)) {
      copy.textContent = 'Copied ✓';
      toast('Secret copied to the clipboard');
    } else {
      toast('Could not copy: select the secret and copy it', 'warn');
    }
  });
  const done = h('button', { type: 'button', class: 'btn primary', id: 'dismiss-secret' }, 'Done: I have copied it');
  done.addEventListener('click', () => {
    $('new-secret-box').replaceChildren();
    $('key-name').focus();
  });
  $('new-secret-box').replaceChildren(h('section', { class: 'alert ok secret-once', id: 'new-secret', 'aria-labelledby': 'new-secret-title', dataset: { keyId: key.id } },
    h('div', { class: 'secret-body' },
      h('strong', { id: 'new-secret-title' }, `Key ${key.name} created (scope ${key.scope})`),
      h('p', { id: 'new-secret-warning', class: 'secret-warning' }, 'Copy its secret now: ', h('b', {}, 'you will not see it again.'),
        ' Only its prefix ', h('code', {}, `${key.prefix}…`), ' is kept, to recognise it in the list; a lost secret means a new key.'),
      h('div', { class: 'secret-row' }, input, copy),
      h('div', { class: 'hint' }, 'Callers send it as ', h('code', {}, 'Authorization: Bearer sk_…'), '.'),
      h('div', { class: 'secret-done' }, done))));
  input.focus();
  input.select();
}

async function revoke(k) {
  if (!confirm(`Revoke the key ${k.name}? Requests with it are refused at once on this node and within 30 s on the others. This cannot be undone.`)) return;
  try {
    const revoked = await api.revokeKey(k.id);
    keys = keys.map((x) => (x.id === revoked.id ? revoked : x));
    render();
    $('keys-error').replaceChildren();
    toast(`Key ${k.name} revoked`);
    loadAudit();
  } catch (err) {
    showKeysError(err, `The key ${k.name} was not revoked`);
  }
}

const form = $('key-form');
form.addEventListener('submit', async (event) => {
  event.preventDefault();
  clearFieldErrors(form, $('key-form-errors'));
  const rate = form.elements.rateLimit.value.trim();
  // the number field gives "" for text that is not a number; the API takes whole requests per second
  if (form.elements.rateLimit.validity.badInput || (rate !== '' && !(Number.isInteger(Number(rate)) && Number(rate) >= 1))) {
    showFieldErrors(form, new ApiError(0, { detail: 'The rate limit is not valid.', errors: [{ field: 'rateLimit', message: 'requests per second: a whole number, at least 1' }] }),
      $('key-form-errors'), 'The key was not created');
    return;
  }
  const button = $('create-key');
  button.disabled = true;
  try {
    const created = await api.createKey({
      name: form.elements.name.value.trim(),
      scope: form.elements.scope.value,
      rateLimit: rate === '' ? undefined : Number(rate),
    });
    keys = [...keys, created.key];
    render();
    form.reset();
    showSecret(created);
    loadAudit();
  } catch (err) {
    showFieldErrors(form, err, $('key-form-errors'), 'The key was not created');
  } finally {
    button.disabled = false;
  }
});
$('show-revoked').addEventListener('change', render);

async function init() {
  const me = await whoami;
  if (me && !isAdmin(me)) {
    $('keys-content').hidden = true;
    $('admin-only').hidden = false;
    $('admin-only').replaceChildren(h('div', { class: 'alert warn', role: 'alert' },
      h('div', {}, h('strong', {}, 'Only admins manage API keys'), `You are signed in as ${me.name} (${roleOf(me)}). Ask an admin for a key.`)));
  } else {
    await Promise.all([loadKeys(), loadAudit()]);
  }
  document.body.dataset.ready = 'true';
}

init();
