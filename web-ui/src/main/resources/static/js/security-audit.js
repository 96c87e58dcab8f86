// The audit of accounts and keys (GET /api/v1/audit, newest first): who created, changed, disabled or
// revoked which, and when. A pure renderer shared by the Accounts and Keys pages.
import { h, dateTime, relativeTime } from './format.js';

const ACTIONS = {
  'create-user': ['+', 'created account'],
  'update-user': ['✎', 'changed account'],
  'change-password': ['•', 'changed the password of'],
  'create-key': ['+', 'created key'],
  'revoke-key': ['×', 'revoked key'],
};

/** "user:alice" → "alice"; "key:7 feed-ranker" → "feed-ranker (#7)". */
export function subjectName(subject) {
  if (!subject) return '';
  const user = /^user:(.*)$/.exec(subject);
  if (user) return user[1];
  const key = /^key:(\d+)\s+(.*)$/.exec(subject);
  if (key) return `${key[2]} (#${key[1]})`;
  return subject;
}

const value = (v) => (v === null || v === undefined ? '—' : typeof v === 'object' ? JSON.stringify(v) : String(v));

/** The entry's detail in words: "role viewer → owner", "disabled", "scope sdk · prefix sk_Ab12… · rate limit default". */
export function describeDetail(entry) {
  const d = entry.detail;
  if (d === null || d === undefined) return '';
  if (typeof d !== 'object' || Array.isArray(d)) return value(d);
  const parts = [];
  for (const [name, v] of Object.entries(d)) {
    if (name === 'role' && v && typeof v === 'object' && 'from' in v) parts.push(`role ${v.from} → ${v.to}`);
    else if (name === 'disabled' && typeof v === 'boolean') parts.push(v ? 'disabled' : 'enabled');
    else if (name === 'prefix') parts.push(`prefix ${v}…`);
    else if (name === 'rateLimit') parts.push(`rate limit ${v ? `${v}/s` : 'default'}`);
    else parts.push(`${name} ${value(v)}`);
  }
  return parts.join(' · ');
}

/** Fills `list` (a ul.audit-list) with the entries; `empty` is the text shown when there is none. */
export function renderSecurityAudit(list, entries, empty = 'Nothing yet.') {
  if (!entries.length) {
    list.replaceChildren(h('li', { class: 'empty' }, empty));
    return;
  }
  list.replaceChildren(...entries.map((e) => {
    const [icon, label] = ACTIONS[e.action] || ['•', e.action];
    const detail = describeDetail(e);
    // one's own password: "paula · changed their own password"
    const own = e.action === 'change-password' && e.subject === `user:${e.actor}`;
    return h('li', { dataset: { action: e.action, subject: e.subject, actor: e.actor } },
      h('span', { class: 'audit-icon', 'aria-hidden': 'true' }, icon),
      h('div', {},
        h('div', { class: 'what' }, own ? `${e.actor} · changed their own password`
          : [`${e.actor} · ${label} `, h('span', { class: 'mono subject' }, subjectName(e.subject))]),
        detail ? h('div', { class: 'changes' }, detail) : null),
      h('time', { datetime: e.at, title: dateTime(e.at) }, relativeTime(e.at)));
  }));
}
