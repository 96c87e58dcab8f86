// The frame every signed-in page shares: top bar with navigation, the signed-in user and sign-out.
import { h, s } from './format.js';
import { csrfToken, request } from './api.js';

export function logo(size = 22) {
  return s('svg', { width: size, height: size, viewBox: '0 0 32 32', 'aria-hidden': 'true' },
    s('rect', { width: 32, height: 32, rx: 7, fill: '#4f46e5' }),
    s('path', { d: 'M8 22 L14 14 L18 18 L24 9', stroke: '#fff', 'stroke-width': 3, fill: 'none', 'stroke-linecap': 'round', 'stroke-linejoin': 'round' }));
}

/**
 * Puts the top bar before <main>; `active` names the current section. Returns a promise of the
 * signed-in user from GET /api/v1/whoami (`{name, roles}`), or null when it could not be asked.
 */
export function renderShell(active = 'experiments') {
  const logout = h('form', { method: 'post', action: '/logout', id: 'logout-form' },
    h('input', { type: 'hidden', name: '_csrf', value: '' }),
    h('button', { type: 'submit', id: 'logout' }, 'Sign out'));
  logout.addEventListener('submit', () => { logout.elements._csrf.value = csrfToken(); });
  const bar = h('header', { class: 'topbar' },
    h('a', { class: 'brand', href: '/' }, logo(), 'Splitrank'),
    h('nav', { class: 'topnav' },
      h('a', { href: '/', class: active === 'experiments' ? 'active' : '' }, 'Experiments'),
      h('a', { href: '/experiments/new', class: active === 'new' ? 'active' : '' }, 'New experiment'),
      h('a', { href: '/models', class: active === 'models' ? 'active' : '' }, 'Models'),
      h('a', { href: '/swagger-ui.html' }, 'API reference')),
    h('div', { class: 'user' }, h('span', { class: 'avatar', id: 'avatar' }, '·'), h('span', { id: 'user-name' }, ''), logout));
  document.body.prepend(bar);
  return request('GET', '/api/v1/whoami').then((me) => {
    if (!me?.name) return null;
    document.getElementById('user-name').textContent = me.name;
    document.getElementById('avatar').textContent = me.name.charAt(0).toUpperCase();
    document.getElementById('user-name').title = (me.roles || []).join(', ');
    return me;
  }).catch(() => null);
}

/** Whether the user from renderShell() may change things (reload the models). */
export const isAdmin = (me) => Boolean(me?.roles?.includes('admin'));

/** A short-lived message in the corner. */
export function toast(message, kind = 'ok') {
  const el = h('div', { class: `alert ${kind} toast`, role: 'status' }, message);
  document.body.append(el);
  setTimeout(() => el.remove(), 4000);
}
