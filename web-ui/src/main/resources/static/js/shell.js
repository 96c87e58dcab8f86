// The frame every signed-in page shares: top bar with navigation (Accounts and Keys for admins), the
// signed-in user's menu (their role, "Change password") and sign-out; toasts; what the user may do.
import { h, s } from './format.js';
import { api, ApiError, csrfToken, request } from './api.js';
import { clearFieldErrors, showFieldErrors } from './forms.js';

export function logo(size = 22) {
  return s('svg', { width: size, height: size, viewBox: '0 0 32 32', 'aria-hidden': 'true' },
    s('rect', { width: 32, height: 32, rx: 7, fill: '#4f46e5' }),
    s('path', { d: 'M8 22 L14 14 L18 18 L24 9', stroke: '#fff', 'stroke-width': 3, fill: 'none', 'stroke-linecap': 'round', 'stroke-linejoin': 'round' }));
}

/** Whether the user from renderShell() has a right (sdk, reader, analyst, owner, admin); admin has them all. */
export const hasRight = (me, right) => Boolean(me?.rights?.includes('admin') || me?.rights?.includes(right));

/** Whether the user is an admin: accounts, keys, any experiment, model reload. */
export const isAdmin = (me) => Boolean(me?.rights?.includes('admin'));

/** The dashboard role the rights amount to: admin, owner or viewer. */
export function roleOf(me) {
  if (!me) return '';
  if (isAdmin(me)) return 'admin';
  if (me.rights?.includes('owner')) return 'owner';
  if (me.rights?.includes('reader')) return 'viewer';
  return (me.rights || []).join(', ');
}

/** Whether the user may create experiments (owners and admins; true when the user is unknown: the API decides). */
export const canCreate = (me) => !me || hasRight(me, 'owner');

/**
 * Whether the user may change the experiment (edit, start, stop, archive, ramp, webhook secret): its
 * owner or an admin. True when the user is unknown: the API decides.
 */
export const canChange = (me, experiment) => !me || isAdmin(me)
  || (Boolean(me.rights?.includes('owner')) && experiment?.owner === me.name);

/**
 * Why the user may not change the experiment, in a sentence; null when they may.
 */
export function whyReadOnly(me, experiment) {
  if (canChange(me, experiment)) return null;
  if (!me.rights?.includes('owner')) return `Read-only: your role (${roleOf(me) || 'none'}) cannot change experiments.`;
  return experiment?.owner
    ? `Read-only: this experiment belongs to ${experiment.owner}; only its owner or an admin can change it.`
    : 'Read-only: only the experiment\'s owner or an admin can change it.';
}

const navLink = (href, label, section, active, attrs = {}) => h('a', {
  href, class: active === section ? 'active' : '', 'aria-current': active === section ? 'page' : undefined, ...attrs,
}, label);

/**
 * Puts the top bar before <main>; `active` names the current section. Returns a promise of the
 * signed-in user from GET /api/v1/whoami (`{name, kind, rights}`), or null when it could not be asked.
 */
export function renderShell(active = 'experiments') {
  const logout = h('form', { method: 'post', action: '/logout', id: 'logout-form' },
    h('input', { type: 'hidden', name: '_csrf', value: '' }),
    h('button', { type: 'submit', id: 'logout' }, 'Sign out'));
  logout.addEventListener('submit', () => { logout.elements._csrf.value = csrfToken(); });
  // hidden until whoami says the user may create experiments
  const newLink = navLink('/experiments/new', 'New experiment', 'new', active, { id: 'nav-new', hidden: true });
  const nav = h('nav', { class: 'topnav', 'aria-label': 'Main' },
    navLink('/', 'Experiments', 'experiments', active, { id: 'nav-experiments' }),
    newLink,
    navLink('/models', 'Models', 'models', active, { id: 'nav-models' }),
    h('a', { href: '/swagger-ui.html', id: 'nav-api' }, 'API reference'));
  const menu = userMenu();
  const bar = h('header', { class: 'topbar' },
    h('a', { class: 'brand', href: '/' }, logo(), 'Splitrank'),
    nav,
    h('div', { class: 'user' }, menu.root, logout));
  document.body.prepend(bar);
  return request('GET', '/api/v1/whoami').then((me) => {
    if (!me?.name) return null;
    document.getElementById('user-name').textContent = me.name;
    document.getElementById('avatar').textContent = me.name.charAt(0).toUpperCase();
    document.getElementById('user-name').title = (me.rights || []).join(', ');
    menu.setUser(me);
    newLink.hidden = !canCreate(me);
    if (isAdmin(me)) {
      nav.lastElementChild.before(
        navLink('/accounts', 'Accounts', 'accounts', active, { id: 'nav-accounts' }),
        navLink('/keys', 'Keys', 'keys', active, { id: 'nav-keys' }));
    }
    return me;
  }).catch(() => {
    newLink.hidden = false;
    return null;
  });
}

/** The user's button and the panel it opens (a disclosure): who they are, their role, "Change password". */
function userMenu() {
  const button = h('button', { type: 'button', class: 'user-menu-button', id: 'user-menu-button', 'aria-expanded': 'false', 'aria-controls': 'user-menu' },
    h('span', { class: 'avatar', id: 'avatar', 'aria-hidden': 'true' }, '·'),
    h('span', { id: 'user-name' }, ''),
    h('span', { class: 'caret', 'aria-hidden': 'true' }, '▾'));
  const who = h('div', { class: 'menu-head', id: 'user-menu-who' });
  const changePassword = h('button', { type: 'button', class: 'menu-item', id: 'change-password' }, 'Change password…');
  const panel = h('div', { class: 'menu', id: 'user-menu', hidden: true }, who, changePassword);
  const root = h('div', { class: 'user-menu' }, button, panel);
  const setOpen = (open, focusButton = false) => {
    panel.hidden = !open;
    button.setAttribute('aria-expanded', String(open));
    if (open) changePassword.focus();
    else if (focusButton) button.focus();
  };
  button.addEventListener('click', () => setOpen(panel.hidden));
  root.addEventListener('keydown', (event) => {
    if (event.key === 'Escape' && !panel.hidden) setOpen(false, true);
  });
  document.addEventListener('click', (event) => {
    if (!panel.hidden && !root.contains(event.target)) setOpen(false);
  });
  changePassword.addEventListener('click', () => {
    setOpen(false);
    openPasswordDialog(button);
  });
  return {
    root,
    setUser(me) {
      const role = roleOf(me);
      who.replaceChildren(h('div', {}, 'Signed in as ', h('b', {}, me.name)),
        role ? h('div', { class: 'cell-sub', id: 'user-role', dataset: { role } }, `Role: ${role}`) : null);
      button.setAttribute('aria-label', `${me.name}${role ? ` (${role})` : ''}: account menu`);
    },
  };
}

/** The "Change password" dialog: current password, new one twice; the API's field errors under the fields. */
function openPasswordDialog(returnFocus) {
  let dialog = document.getElementById('password-dialog');
  if (!dialog) {
    dialog = passwordDialog();
    document.body.append(dialog);
  }
  const form = dialog.querySelector('form');
  form.reset();
  clearFieldErrors(form, dialog.querySelector('#password-errors'));
  form.elements.username.value = document.getElementById('user-name').textContent;
  dialog.returnFocus = returnFocus;
  dialog.showModal();
  form.elements.currentPassword.focus();
}

function passwordDialog() {
  const field = (name, label, autocomplete, hint) => h('div', { class: 'field', dataset: { field: name } },
    h('label', { for: `pw-${name}` }, label),
    h('input', { type: 'password', id: `pw-${name}`, name, autocomplete, required: true, maxlength: 72, 'aria-describedby': hint ? `pw-${name}-hint` : undefined }),
    hint ? h('div', { class: 'hint', id: `pw-${name}-hint` }, hint) : null);
  const errors = h('div', { id: 'password-errors' });
  const save = h('button', { type: 'submit', class: 'btn primary', id: 'save-password' }, 'Change password');
  const cancel = h('button', { type: 'button', class: 'btn', id: 'cancel-password' }, 'Cancel');
  const form = h('form', { id: 'password-form', novalidate: true },
    h('div', { class: 'dialog-head' }, h('h2', { id: 'password-title' }, 'Change your password')),
    h('div', { class: 'dialog-body form-stack' }, errors,
      // for password managers: whose password this is
      h('input', { type: 'text', name: 'username', autocomplete: 'username', hidden: true, 'aria-hidden': 'true', tabindex: '-1' }),
      field('currentPassword', 'Current password', 'current-password'),
      field('newPassword', 'New password', 'new-password', '12 to 72 characters.'),
      field('confirmPassword', 'New password again', 'new-password')),
    h('div', { class: 'dialog-foot' }, cancel, save));
  const dialog = h('dialog', { class: 'modal', id: 'password-dialog', 'aria-labelledby': 'password-title' }, form);
  cancel.addEventListener('click', () => dialog.close());
  dialog.addEventListener('close', () => dialog.returnFocus?.focus());
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    clearFieldErrors(form, errors);
    const current = form.elements.currentPassword.value;
    const next = form.elements.newPassword.value;
    if (next !== form.elements.confirmPassword.value) {
      showFieldErrors(form, new ApiError(0, { detail: 'The two new passwords differ.', errors: [{ field: 'confirmPassword', message: 'does not match the new password' }] }),
        errors, 'The password was not changed');
      return;
    }
    save.disabled = true;
    try {
      await api.changePassword(current, next);
      dialog.close();
      toast('Your password has been changed');
    } catch (err) {
      showFieldErrors(form, err, errors, 'The password was not changed');
    } finally {
      save.disabled = false;
    }
  });
  return dialog;
}

/** A short-lived message in the corner. */
export function toast(message, kind = 'ok') {
  const el = h('div', { class: `alert ${kind} toast`, role: 'status' }, message);
  document.body.append(el);
  setTimeout(() => el.remove(), 4000);
}
