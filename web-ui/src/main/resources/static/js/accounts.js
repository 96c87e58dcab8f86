// Accounts (admins only): the dashboard's users with their role and status (GET /api/v1/users), a form
// that creates one (POST), a role select and Disable/Enable per user (PATCH /api/v1/users/{username}),
// and the audit of accounts and keys (GET /api/v1/audit). An admin cannot demote or disable themself.
import { api } from './api.js';
import { h, dateTime, relativeTime } from './format.js';
import { renderShell, isAdmin, roleOf, toast } from './shell.js';
import { clearFieldErrors, showFieldErrors } from './forms.js';
import { renderSecurityAudit } from './security-audit.js';

const whoami = renderShell('accounts');
const $ = (id) => document.getElementById(id);
const ROLES = ['viewer', 'owner', 'admin'];
const AUDIT_LIMIT = 100;
let me = null;
let users = [];

function statusCell(u) {
  return u.disabledAt
    ? [h('span', { class: 'badge off' }, 'Disabled'), h('div', { class: 'cell-sub', title: dateTime(u.disabledAt) }, `since ${dateTime(u.disabledAt)}`)]
    : h('span', { class: 'badge on' }, 'Active');
}

function row(u) {
  const self = u.username === me?.name;
  const select = h('select', {
    class: 'role-select', 'aria-label': `Role of ${u.username}`, disabled: self,
    title: self ? 'You cannot change your own role' : undefined,
  }, ROLES.map((r) => h('option', { value: r, selected: r === u.role }, r)));
  select.addEventListener('change', () => changeRole(u, select));
  const toggle = u.disabledAt
    ? h('button', { type: 'button', class: 'btn small enable-user', 'aria-label': `Enable ${u.username}`, onclick: () => setDisabled(u, false) }, 'Enable')
    : h('button', {
      type: 'button', class: 'btn small danger disable-user', 'aria-label': `Disable ${u.username}`, disabled: self,
      title: self ? 'You cannot disable your own account' : undefined, onclick: () => setDisabled(u, true),
    }, 'Disable');
  return h('tr', { class: u.disabledAt ? 'muted-row' : '', dataset: { username: u.username, role: u.role, disabled: String(Boolean(u.disabledAt)) } },
    h('th', { scope: 'row', class: 'user-cell' }, h('span', { class: 'cell-title' }, u.username), self ? [' ', h('span', { class: 'tag you' }, 'you')] : null),
    h('td', { class: 'role' }, select),
    h('td', { class: 'status' }, statusCell(u)),
    h('td', { class: 'created', title: dateTime(u.createdAt) }, dateTime(u.createdAt)),
    h('td', { class: 'password-changed', title: u.passwordChangedAt ? dateTime(u.passwordChangedAt) : '' }, u.passwordChangedAt ? relativeTime(u.passwordChangedAt) : 'never'),
    h('td', { class: 'row-actions' }, toggle));
}

function render() {
  const tbody = $('users').tBodies[0];
  tbody.replaceChildren(...(users.length ? users.map(row)
    : [h('tr', {}, h('td', { colspan: 6 }, h('div', { class: 'empty' }, 'No accounts.')))]));
  const disabled = users.filter((u) => u.disabledAt).length;
  $('user-count').textContent = `${users.length} account${users.length === 1 ? '' : 's'}${disabled ? ` · ${disabled} disabled` : ''}`;
}

function showUsersError(err, what) {
  $('users-error').replaceChildren(h('div', { class: 'alert error', role: 'alert', style: 'margin:12px 16px' },
    h('div', {}, h('strong', {}, what), err.message)));
}

function replaceUser(changed) {
  users = users.map((u) => (u.username === changed.username ? changed : u));
  render();
}

async function loadUsers() {
  try {
    users = await api.users();
    $('users-error').replaceChildren();
    render();
  } catch (err) {
    $('users').tBodies[0].replaceChildren();
    showUsersError(err, 'Could not load the accounts');
  }
}

async function loadAudit() {
  try {
    const entries = await api.securityAudit({ limit: AUDIT_LIMIT });
    $('security-audit-error').replaceChildren();
    $('security-audit-count').textContent = entries.length >= AUDIT_LIMIT ? `latest ${AUDIT_LIMIT}` : `${entries.length} change${entries.length === 1 ? '' : 's'}`;
    renderSecurityAudit($('security-audit'), entries, 'No account or key has changed yet.');
  } catch (err) {
    $('security-audit').replaceChildren();
    $('security-audit-error').replaceChildren(h('div', { class: 'alert error', style: 'margin:12px 16px' }, `Could not load the audit: ${err.message}`));
  }
}

async function changeRole(u, select) {
  const role = select.value;
  const warning = role === 'admin' ? ' Admins manage accounts and keys and may change any experiment.' : '';
  if (!confirm(`Change the role of ${u.username} from ${u.role} to ${role}?${warning}`)) {
    select.value = u.role;
    return;
  }
  select.disabled = true;
  try {
    replaceUser(await api.updateUser(u.username, { role }));
    $('users-error').replaceChildren();
    toast(`${u.username} is now ${role === 'admin' ? 'an admin' : `a${role === 'owner' ? 'n' : ''} ${role}`}`);
    loadAudit();
  } catch (err) {
    select.value = u.role;
    select.disabled = false;
    showUsersError(err, `The role of ${u.username} was not changed`);
  }
}

async function setDisabled(u, disabled) {
  if (disabled && !confirm(`Disable ${u.username}? They can no longer sign in; their experiments stay.`)) return;
  try {
    replaceUser(await api.updateUser(u.username, { disabled }));
    $('users-error').replaceChildren();
    toast(`${u.username} ${disabled ? 'disabled' : 'enabled'}`);
    loadAudit();
  } catch (err) {
    showUsersError(err, `${u.username} was not ${disabled ? 'disabled' : 'enabled'}`);
  }
}

const form = $('user-form');
form.addEventListener('submit', async (event) => {
  event.preventDefault();
  clearFieldErrors(form, $('user-form-errors'));
  const button = $('create-user');
  button.disabled = true;
  const username = form.elements.username.value.trim();
  try {
    const created = await api.createUser({ username, password: form.elements.password.value, role: form.elements.role.value });
    users = [...users.filter((u) => u.username !== created.username), created];
    render();
    form.reset();
    toast(`Account ${created.username} created (${created.role})`);
    loadAudit();
  } catch (err) {
    showFieldErrors(form, err, $('user-form-errors'), 'The account was not created');
  } finally {
    button.disabled = false;
  }
});

async function init() {
  me = await whoami;
  if (me && !isAdmin(me)) {
    $('accounts-content').hidden = true;
    $('admin-only').hidden = false;
    $('admin-only').replaceChildren(h('div', { class: 'alert warn', role: 'alert' },
      h('div', {}, h('strong', {}, 'Only admins manage accounts'),
        `You are signed in as ${me.name} (${roleOf(me)}). To change your password, use the menu under your name.`)));
  } else {
    await Promise.all([loadUsers(), loadAudit()]);
  }
  document.body.dataset.ready = 'true';
}

init();
