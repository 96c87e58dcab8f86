// Calls the platform's /api/v1 with the dashboard's session cookie. Changes carry the CSRF token
// (the XSRF-TOKEN cookie echoed in X-XSRF-TOKEN); a 401 means the session ended: back to sign-in.

/** An error answer of the API: RFC 9457 problem details with the fields at fault. */
export class ApiError extends Error {
  constructor(status, problem) {
    super(problem?.detail || problem?.title || `HTTP ${status}`);
    this.status = status;
    this.problem = problem || {};
    this.errors = Array.isArray(problem?.errors) ? problem.errors : [];
  }
}

export function csrfToken() {
  const match = document.cookie.split(/;\s*/).find((c) => c.startsWith('XSRF-TOKEN='));
  return match ? decodeURIComponent(match.slice('XSRF-TOKEN='.length)) : '';
}

// Reloading lets the page's own request meet the sign-in: Spring Security remembers it and returns
// here after the user signs in again.
function toLogin() {
  location.reload();
}

export async function request(method, path, body, contentType = 'application/json') {
  const headers = { Accept: 'application/json, application/problem+json' };
  if (method !== 'GET' && method !== 'HEAD') {
    headers['X-XSRF-TOKEN'] = csrfToken();
  }
  if (body !== undefined) {
    headers['Content-Type'] = contentType;
  }
  const response = await fetch(path, {
    method, headers, credentials: 'same-origin',
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  if (response.status === 401) {
    toLogin();
    throw new ApiError(401, { detail: 'Your session has ended; sign in again.' });
  }
  const text = await response.text();
  let json = null;
  if (text) {
    try { json = JSON.parse(text); } catch { json = null; }
  }
  if (!response.ok) {
    throw new ApiError(response.status, json);
  }
  return json;
}

const enc = encodeURIComponent;

/** "?a=1&b=x" of the parameters that are set, or "". */
function query(params) {
  const q = new URLSearchParams();
  for (const [name, value] of Object.entries(params)) {
    if (value !== undefined && value !== null && value !== '') q.set(name, value);
  }
  const qs = q.toString();
  return qs ? `?${qs}` : '';
}

export const api = {
  listExperiments: ({ status, layer } = {}) => {
    const q = new URLSearchParams();
    if (status) q.set('status', status);
    if (layer) q.set('layer', layer);
    const qs = q.toString();
    return request('GET', '/api/v1/experiments' + (qs ? '?' + qs : ''));
  },
  getExperiment: (key) => request('GET', `/api/v1/experiments/${enc(key)}`),
  createExperiment: (doc) => request('POST', '/api/v1/experiments', doc),
  patchExperiment: (key, patch) => request('PATCH', `/api/v1/experiments/${enc(key)}`, patch, 'application/merge-patch+json'),
  start: (key) => request('POST', `/api/v1/experiments/${enc(key)}/start`),
  stop: (key) => request('POST', `/api/v1/experiments/${enc(key)}/stop`),
  archive: (key) => request('POST', `/api/v1/experiments/${enc(key)}/archive`),
  /** Moves the ramp plan to its next step (a manual plan waits for this). */
  advanceRamp: (key) => request('POST', `/api/v1/experiments/${enc(key)}/ramp/advance`),
  audit: (key) => request('GET', `/api/v1/experiments/${enc(key)}/audit`),
  phases: (key) => request('GET', `/api/v1/experiments/${enc(key)}/phases`),
  /** The report of the current phase, or of `phase`; of one scenario when `scenario` is given. */
  report: (key, { phase, scenario } = {}) => request('GET', `/api/v1/experiments/${enc(key)}/report${query({ phase, scenario })}`),
  reportStreamUrl: (key, { scenario } = {}) => `/api/v1/experiments/${enc(key)}/report/stream${query({ scenario })}`,
  /** The primary metric's lift per arm of every started, non-archived experiment. */
  reportSummaries: () => request('GET', '/api/v1/reports/summary'),
  /** Sample size or minimum detectable effect: {mean, variance?, alpha, power, arms, relativeEffect | unitsPerArm}. */
  power: (body) => request('POST', '/api/v1/analysis/power', body),
  models: () => request('GET', '/api/v1/models'),
  reloadModels: () => request('POST', '/api/v1/models/reload'),
  /** The experiment's webhook signing secret {secret, header, algorithm} (its owner or an admin). */
  webhookSecret: (key) => request('GET', `/api/v1/experiments/${enc(key)}/webhook-secret`),
  rotateWebhookSecret: (key) => request('POST', `/api/v1/experiments/${enc(key)}/webhook-secret/rotate`),

  /** The signed-in caller: {name, kind: user | key, rights}. */
  whoami: () => request('GET', '/api/v1/whoami'),
  /** The signed-in user's own password; 400 naming currentPassword or newPassword. */
  changePassword: (currentPassword, newPassword) => request('POST', '/api/v1/users/me/password', { currentPassword, newPassword }),
  // admins only: accounts, keys, and their audit
  users: () => request('GET', '/api/v1/users'),
  /** {username, password, role: viewer | owner | admin} */
  createUser: (user) => request('POST', '/api/v1/users', user),
  /** {role?, disabled?} */
  updateUser: (username, change) => request('PATCH', `/api/v1/users/${enc(username)}`, change),
  keys: () => request('GET', '/api/v1/keys'),
  /** {name, scope: sdk | reader | writer | admin, rateLimit?} → {key, secret}: the secret is in this answer only. */
  createKey: (key) => request('POST', '/api/v1/keys', key),
  revokeKey: (id) => request('DELETE', `/api/v1/keys/${enc(id)}`),
  /** Changes to accounts and keys, newest first. */
  securityAudit: ({ limit } = {}) => request('GET', `/api/v1/audit${query({ limit })}`),
};
