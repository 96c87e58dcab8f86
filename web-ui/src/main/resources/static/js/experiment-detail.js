// Experiment detail: definition, arms, lifecycle buttons, coverage ramp (and the ramp plan as a timeline
// with the coverage history of GET /phases), audit log, and results: live for a running experiment (GET
// /report once, then the /report/stream server-sent events), final for a stopped one. Each arm's model is
// looked up in the model registry (GET /api/v1/models): architecture and version, or a flag when it is not loaded.
// Only the experiment's owner or an admin sees the controls that change it (lifecycle, coverage, ramp advance)
// and its webhook secret (reveal, rotate); anyone else reads a note saying why. An interleaving experiment's results
// are its report's interleaving section (js/interleaving-view.js) instead of the A/B metric tables.
import { api, ApiError } from './api.js';
import { h, isNum, integer, percent, metricName, dateTime, relativeTime, armColor, modelVersion } from './format.js';
import { renderShell, toast, canChange, whyReadOnly } from './shell.js';
import { copyText } from './forms.js';
import { renderReport } from './report-view.js';
import { renderInterleaving, typeBadge, isInterleaving } from './interleaving-view.js';
import { statusBadge } from './status.js';
import { renderRampPlan, currentStep } from './ramp-plan.js';

const whoami = renderShell('experiments');
// the signed-in user (GET /api/v1/whoami); null when unknown (then the controls show and the API decides)
let me = null;

const key = decodeURIComponent(location.pathname.replace(/^\/experiments\//, '').replace(/\/$/, ''))
  || new URLSearchParams(location.search).get('key');
const RAMP = [0.05, 0.2, 0.5, 1];
let experiment = null;
let lastReport = null;
// the loaded models by key; null when the registry could not be read (then no arm is flagged)
let models = null;
// the phase whose results are shown; null = the current one, which the stream keeps up to date
let viewedPhase = null;
// the scenario whose results are shown (?scenario= in the address); null = all scenarios
let viewedScenario = new URLSearchParams(location.search).get('scenario') || null;
// every scenario a report has named, for the selector
const scenarios = new Set(viewedScenario ? [viewedScenario] : []);
// the phases of GET /phases (with their coverage history); null until loaded
let phaseList = null;
// the report stream and its state: connecting, live, reconnecting, closed, unavailable, off
let source = null;
let sourceUrl = null;
let streamState = 'off';
// while a ramp plan runs, the experiment is read again every few seconds: the backend advances it
const POLL_MS = 2000;
let pollTimer = null;
const $ = (id) => document.getElementById(id);
const near = (a, b) => Math.abs(a - b) < 1e-9;

function modelCell(model) {
  const m = models?.get(model);
  const missing = models !== null && !m;
  return h('td', { class: 'arm-model', dataset: { model, loaded: models === null ? undefined : String(!missing) } },
    h('span', { class: 'chip' }, model),
    missing ? h('span', { class: 'badge model-missing', title: 'The model registry has no model with this key; the arm cannot be served.' }, 'model not loaded') : null,
    m ? h('div', { class: 'cell-sub model-version' }, modelVersion(m)) : null);
}

function renderWarnings(warnings) {
  $('warnings').replaceChildren(...(warnings?.length ? [h('div', { class: 'alert warn', id: 'experiment-warnings', role: 'alert', style: 'margin-bottom:16px' },
    h('div', {}, h('strong', {}, warnings.length === 1 ? 'Warning' : `${warnings.length} warnings`),
      h('ul', { class: 'alert-list' }, warnings.map((w) => h('li', {}, w)))))] : []));
}

function renderExperiment(e) {
  experiment = e;
  document.title = `${e.name} · Splitrank`;
  $('crumb-key').textContent = e.key;
  $('title').textContent = e.name;
  $('status').replaceChildren(statusBadge(e.status));
  $('type').replaceChildren(typeBadge(e.type));
  $('key').textContent = e.key;
  $('phase').textContent = `· phase ${e.phase}`;
  $('stopped-at').hidden = !(e.stoppedAt && (e.status === 'stopped' || e.status === 'archived'));
  $('stopped-at').textContent = e.stoppedAt ? `· stopped ${dateTime(e.stoppedAt)}` : '';
  $('stopped-at').dataset.stoppedAt = e.stoppedAt || '';
  $('owner').textContent = e.owner ? `· owned by ${e.owner}` : '';
  $('owner').dataset.owner = e.owner || '';
  $('hypothesis').hidden = !e.hypothesis;
  $('hypothesis').textContent = e.hypothesis || '';
  // only the owner or an admin may change the experiment: the others get a note instead of the controls
  const mayChange = canChange(me, e);
  const readOnly = whyReadOnly(me, e);
  $('read-only-note').hidden = !readOnly;
  $('read-only-note').textContent = readOnly || '';
  $('start').hidden = !mayChange || !(e.status === 'draft' || e.status === 'stopped');
  $('start').textContent = e.status === 'stopped' ? 'Restart' : 'Start experiment';
  $('stop').hidden = !mayChange || e.status !== 'running';
  $('archive').hidden = !mayChange || !(e.status === 'draft' || e.status === 'stopped');
  renderWebhook(e, mayChange);

  const phases = $('phase-select');
  phases.hidden = e.phase <= 1;
  if (phases.options.length !== e.phase) {
    phases.replaceChildren(...Array.from({ length: e.phase }, (_, i) => e.phase - i).map((p) =>
      h('option', { value: p === e.phase ? '' : p }, p === e.phase ? `Phase ${p} (current)` : `Phase ${p}`)));
    phases.value = viewedPhase ?? '';
  }

  $('coverage-value').textContent = percent(e.coverage);
  $('coverage-value').dataset.coverage = e.coverage;
  $('coverage-meter').style.width = `${e.coverage * 100}%`;
  // a stopped experiment's coverage is a record, not a control: it opens again with the next phase
  const editable = e.status === 'draft' || e.status === 'running';
  const planSteps = (e.rampPlan?.steps || []).map((st) => st.coverage).filter(isNum);
  const steps = planSteps.length ? planSteps : RAMP;
  $('ramp').hidden = !editable || !mayChange;
  $('ramp-hint').hidden = !editable || !mayChange;
  $('ramp').replaceChildren(...steps.map((step, i) => h('button', {
    type: 'button', dataset: { coverage: step },
    class: near(step, e.coverage) ? 'current' : step < e.coverage ? 'done' : '',
    disabled: !editable || near(step, e.coverage),
    title: `Set coverage to ${percent(step)}`,
    onclick: () => ramp(step),
  }, h('b', {}, percent(step)), h('span', {}, `step ${i + 1}`))));
  renderRamp(e);

  $('weight-bar').replaceChildren(...e.arms.map((a, i) => h('div', { style: `width:${a.weight * 100}%;background:${armColor(i)}`, title: `${a.key} ${percent(a.weight)}` })));
  $('arms').tBodies[0].replaceChildren(...e.arms.map((a, i) => h('tr', { dataset: { arm: a.key } },
    h('td', {}, h('span', { style: `display:inline-block;width:9px;height:9px;border-radius:2px;background:${armColor(i)};margin-right:8px` }),
      h('span', { class: 'cell-title' }, a.name || a.key), i === 0 ? h('div', { class: 'cell-sub' }, 'control') : null),
    modelCell(a.model),
    h('td', { class: 'num' }, percent(a.weight)))));
  renderWarnings(e.warnings);

  const m = e.metrics || {};
  const list = (ids) => (ids && ids.length ? ids.map((id) => h('span', { class: 'chip', title: id }, metricName(id))) : '—');
  const margins = m.guardrailMargins || {};
  const guardrails = m.guardrails?.length ? m.guardrails.map((id) => h('span', { class: 'chip', title: id, dataset: { guardrail: id } },
    metricName(id), isNum(margins[id]) ? ` (margin ${percent(margins[id])})` : '')) : '—';
  const a = e.analysis || {};
  const analysis = [
    isNum(a.alpha) ? `α ${a.alpha}` : null,
    a.correction ? `correction ${a.correction}` : null,
    isNum(a.cupedDays) ? (a.cupedDays > 0 ? `CUPED ${a.cupedDays} d` : 'no CUPED') : null,
    isNum(a.capPercentile) ? `capped at p${+(a.capPercentile * 100).toFixed(2)}` : null,
    isNum(a.plannedUnits) ? `${integer(a.plannedUnits)} planned units` : null,
  ].filter(Boolean).join(' · ');
  const props = [
    ['Type', typeBadge(e.type), isInterleaving(e) ? h('div', { class: 'cell-sub' }, "one merged list per unit (team-draft); clicks credited to the arms' items") : null],
    ['Primary metric', list(m.primary ? [m.primary] : [])],
    ['Secondary', list(m.secondary)],
    ['Guardrails', guardrails],
    ['Analysis', analysis || 'defaults'],
    ['Layer', e.layer ? h('span', {}, h('span', { class: 'mono' }, e.layer), ` [${percent(e.layerRange[0])}, ${percent(e.layerRange[1])})`) : 'none'],
    ['Hash attribute', h('span', { class: 'mono' }, e.hashAttribute)],
    ['Hashing', `v${e.hashVersion}, seed `, h('span', { class: 'mono' }, e.seed)],
    ['Targeting', e.condition ? h('code', {}, JSON.stringify(e.condition)) : 'everyone'],
    ['Owner', e.owner ? h('span', { class: 'owner', dataset: { owner: e.owner } }, e.owner) : '—'],
    ['Created', dateTime(e.createdAt)],
    ['Started', e.startedAt ? dateTime(e.startedAt) : '—'],
  ];
  if (e.stoppedAt) props.push(['Stopped', dateTime(e.stoppedAt)]);
  $('definition').replaceChildren(...props.flatMap(([k, ...v]) => [h('dt', {}, k), h('dd', {}, ...v)]));
  updateLive();
  syncStream();
  schedulePoll();
}

/** The ramp plan's timeline and state, the rollback banner, and the coverage history of the current phase. */
function renderRamp(e) {
  const plan = e.rampPlan?.steps?.length ? e.rampPlan : null;
  const phase = (phaseList || []).find((p) => p.phase === e.phase);
  const history = phase?.coverageHistory || [];
  $('ramp-plan').hidden = !plan;
  if (plan) {
    renderRampPlan({ state: $('ramp-state'), reason: $('ramp-reason'), timeline: $('ramp-timeline'), flags: $('ramp-flags') }, e, history);
  }
  const next = plan ? plan.steps[currentStep(e) + 1] : null;
  // waiting for a person: one button to the next step
  if (plan && e.ramp?.state === 'manual' && e.status === 'running' && next && canChange(me, e)) {
    $('ramp-flags').append(h('div', { style: 'margin-top:8px' }, h('button', { type: 'button', class: 'btn small primary', id: 'ramp-advance',
      onclick: () => advanceRamp(next.coverage) }, `Advance to ${percent(next.coverage)}`)));
  }
  const rolledBack = e.ramp?.state === 'rolled-back';
  $('ramp-alert').replaceChildren(...(rolledBack ? [h('div', { class: 'alert error', id: 'rollback', role: 'alert', style: 'margin-bottom:16px' },
    h('div', {}, h('strong', {}, 'Rolled back'), e.ramp.reason || 'The ramp plan rolled the experiment back.'))] : []));
  $('coverage-history-box').hidden = history.length === 0;
  $('coverage-history-count').textContent = history.length ? `(${history.length})` : '';
  $('coverage-history').replaceChildren(...history.slice().reverse().map((c) => h('li', { dataset: { coverage: c.coverage, actor: c.actor } },
    h('b', {}, percent(c.coverage)), ' ', h('span', { class: 'actor' }, c.actor || '—'),
    c.reason ? h('div', { class: 'cell-sub' }, c.reason) : null,
    h('time', { datetime: c.at, title: dateTime(c.at) }, dateTime(c.at)))));
}

async function loadPhases() {
  try {
    phaseList = await api.phases(key);
  } catch {
    phaseList = null;
  }
  if (experiment) renderRamp(experiment);
}

function describeChanges(entry) {
  const before = entry.before || {};
  const after = entry.after || {};
  if (entry.action === 'rotate-webhook-secret') return 'New webhook secret: the old one no longer signs';
  if (!entry.before) return 'Created as a draft';
  const changes = [];
  for (const field of ['status', 'coverage', 'phase', 'name', 'hypothesis', 'layer', 'layerRange', 'seed', 'hashAttribute', 'hashVersion', 'arms', 'metrics', 'condition', 'analysis', 'rampPlan']) {
    const a = JSON.stringify(before[field]);
    const b = JSON.stringify(after[field]);
    if (a === b) continue;
    if (field === 'coverage') changes.push(`coverage ${percent(before.coverage)} → ${percent(after.coverage)}`);
    else if (field === 'status' || field === 'phase') changes.push(`${field} ${before[field]} → ${after[field]}`);
    else changes.push(`${field} changed`);
  }
  return changes.join(' · ') || 'No visible change';
}

const ACTION_ICON = { create: '+', start: '▶', stop: '■', archive: '⌂', patch: '✎', 'patch+new-phase': '↻', 'ramp-advance': '↗', 'ramp-complete': '✓', rollback: '↩', 'rotate-webhook-secret': '#' };
const ACTION_NAME = { 'patch+new-phase': 'edit (new phase)', patch: 'edit', 'ramp-advance': 'ramp advanced', 'ramp-complete': 'ramp complete', rollback: 'rolled back',
  'rotate-webhook-secret': 'webhook secret rotated' };

/** An automatic action's evidence: "ctr ektm −3.1% [−5.0%, −1.2%] margin 2%". */
function evidence(list) {
  if (!Array.isArray(list) || list.length === 0) return null;
  const pct = (x) => (isNum(x) ? `${x > 0 ? '+' : x < 0 ? '−' : ''}${Math.abs(x * 100).toFixed(1)}%` : '—');
  return h('div', { class: 'evidence' }, list.map((ev) => h('div', { class: 'evidence-item', dataset: { metric: ev.metric, arm: ev.arm } },
    ev.metric === 'srm' ? `sample ratio${isNum(ev.pValue) ? ` p = ${ev.pValue.toPrecision(2)}` : ''}`
      : `${metricName(ev.metric)} · ${ev.arm ?? ''}${isNum(ev.estimate) ? ` ${pct(ev.estimate)}` : ''}${Array.isArray(ev.ci) ? ` [${pct(ev.ci[0])}, ${pct(ev.ci[1])}]` : ''}`,
    isNum(ev.margin) ? ` · margin ${percent(ev.margin)}` : '',
    ev.status ? ` · ${ev.status}` : '')));
}

async function loadAudit() {
  const entries = await api.audit(key);
  $('audit-count').textContent = `${entries.length} change${entries.length === 1 ? '' : 's'}`;
  $('audit').replaceChildren(...entries.slice().reverse().map((a) => h('li', { dataset: { action: a.action } },
    h('span', { class: 'audit-icon' }, ACTION_ICON[a.action] || '•'),
    h('div', {}, h('div', { class: 'what' }, `${a.actor} · ${ACTION_NAME[a.action] || a.action}`),
      h('div', { class: 'changes' }, describeChanges(a)),
      a.reason ? h('div', { class: 'changes audit-reason' }, a.reason) : null,
      evidence(a.evidence)),
    h('time', { datetime: a.at, title: dateTime(a.at) }, relativeTime(a.at)))));
}

/** The webhook card, for the owner or an admin: where the calls go, and the secret that signs them (hidden until asked). */
function renderWebhook(e, mayChange) {
  $('webhook-card').hidden = !mayChange;
  if (!mayChange) hideWebhookSecret();
  const url = e.analysis?.webhookUrl;
  $('webhook-url').replaceChildren(url ? h('code', {}, url) : h('span', { class: 'cell-sub' }, 'none set (analysis.webhookUrl)'));
}

function showWebhookSecret(w) {
  $('webhook-secret').value = w.secret;
  $('webhook-header').textContent = w.header;
  $('webhook-algorithm').textContent = w.algorithm;
  $('webhook-secret-box').hidden = false;
  $('reveal-webhook-secret').textContent = 'Hide secret';
  $('reveal-webhook-secret').setAttribute('aria-expanded', 'true');
  $('copy-webhook-secret').textContent = 'Copy';
  $('webhook-error').replaceChildren();
}

function hideWebhookSecret() {
  $('webhook-secret').value = '';
  $('webhook-secret-box').hidden = true;
  $('reveal-webhook-secret').textContent = 'Reveal secret';
  $('reveal-webhook-secret').setAttribute('aria-expanded', 'false');
}

async function toggleWebhookSecret() {
  if (!$('webhook-secret-box').hidden) {
    hideWebhookSecret();
    return;
  }
  try {
    showWebhookSecret(await api.webhookSecret(key));
  } catch (err) {
    showError('webhook-error', err);
  }
}

async function rotateWebhookSecret() {
  if (!confirm('Rotate the webhook secret? The current one stops signing at once: the receiver needs the new one to check the signatures.')) return;
  try {
    showWebhookSecret(await api.rotateWebhookSecret(key));
    toast('Webhook secret rotated');
    await loadAudit().catch(() => {});
  } catch (err) {
    showError('webhook-error', err);
  }
}

function showError(where, err) {
  const fieldErrors = err instanceof ApiError ? err.errors.map((f) => `${f.field}: ${f.message}`) : [];
  $(where).replaceChildren(h('div', { class: 'alert error', style: 'margin-top:10px' },
    h('div', {}, h('strong', {}, err.message), fieldErrors.length ? fieldErrors.join('; ') : null)));
}

async function act(action, label) {
  try {
    const before = experiment;
    // a restart opens a new phase: its results are the ones to show
    const changed = await api[action](key);
    if (changed.phase !== before?.phase) viewedPhase = null;
    renderExperiment(changed);
    $('page-error').replaceChildren();
    toast(label);
    await Promise.all([loadAudit(), loadPhases(), changed.status !== before?.status || changed.phase !== before?.phase ? loadReport() : null]);
  } catch (err) {
    showError('page-error', err);
  }
}

/** The plan's next step, by hand: the platform moves the plan on, with an audit entry. */
async function advanceRamp(coverage) {
  if (!confirm(`Advance the ramp plan to ${percent(coverage)}?`)) return;
  try {
    renderExperiment(await api.advanceRamp(key));
    $('ramp-error').replaceChildren();
    toast(`Ramp plan advanced to ${percent(coverage)}`);
    await Promise.all([loadAudit(), loadPhases()]);
  } catch (err) {
    showError('ramp-error', err);
  }
}

async function ramp(coverage) {
  if (coverage < experiment.coverage && !confirm(`Lower coverage to ${percent(coverage)}? Units already exposed keep their arm.`)) return;
  try {
    renderExperiment(await api.patchExperiment(key, { coverage }));
    $('ramp-error').replaceChildren();
    toast(`Coverage set to ${percent(coverage)}`);
    await loadAudit();
  } catch (err) {
    showError('ramp-error', err);
  }
}

function showReport(report) {
  lastReport = report;
  renderScenarios(report?.scenarios);
  // an interleaving experiment's report has no per-arm metric: its own section instead
  if (isInterleaving(experiment) || report?.interleaving) renderInterleaving($('results'), report, experiment || {});
  else renderReport($('results'), report, experiment || {});
  // the stream says the experiment changed state (stopped elsewhere, or by its ramp plan): read it again, once
  const seen = report && `${report.phase}:${report.status}`;
  if (report?.status && experiment && viewedPhase === null && report.phase === experiment.phase
    && report.status !== experiment.status && seen !== statusSeen) {
    statusSeen = seen;
    refreshExperiment();
  }
}

// the phase and status of the last report that disagreed with the experiment, so that it is read again once
let statusSeen = null;

async function refreshExperiment() {
  try {
    const before = experiment;
    const now = await api.getExperiment(key);
    renderExperiment(now);
    if (now.status !== before.status || now.phase !== before.phase) {
      await Promise.all([loadPhases(), loadAudit().catch(() => {}), loadReport()]);
    }
  } catch {
    // the next poll or report will tell
  }
}

/** The scenario selector: "All scenarios" and every scenario a report has named. */
function renderScenarios(named) {
  (Array.isArray(named) ? named : []).forEach((sc) => scenarios.add(sc));
  const select = $('scenario-select');
  const wanted = ['', ...[...scenarios].sort()];
  if ([...select.options].map((o) => o.value).join('\n') !== wanted.join('\n')) {
    select.replaceChildren(...wanted.map((sc) => h('option', { value: sc }, sc || 'All scenarios')));
  }
  select.value = viewedScenario ?? '';
  select.hidden = scenarios.size === 0;
}

// whether the results shown are final: a stopped (or archived) experiment's, or an earlier phase's
const isFinal = () => viewedPhase !== null || (experiment && (experiment.status === 'stopped' || (experiment.status === 'archived' && experiment.startedAt)));

const STREAM_LABELS = {
  connecting: 'Connecting…', live: 'Live', reconnecting: 'Reconnecting…', closed: 'Not live', unavailable: 'Live updates unavailable', off: 'Not started',
};

/** The results' badge: Live / Reconnecting… / Not live while running, Final once the results can no longer change. */
function updateLive() {
  const el = $('live');
  const final = isFinal();
  const state = final ? 'final' : streamState;
  el.dataset.state = state;
  el.classList.toggle('on', state === 'live');
  el.classList.toggle('final', final);
  el.textContent = final ? 'Final' : STREAM_LABELS[streamState];
  el.title = !final ? (streamState === 'closed' ? 'The report stream is unavailable; reload to retry.' : '')
    : viewedPhase !== null ? `Phase ${viewedPhase} has ended: its results are final.`
      : `Stopped ${dateTime(experiment.stoppedAt)}: these results are final.`;
}

/** Opens the report stream while the current phase of a running experiment is shown, and closes it otherwise. */
function syncStream() {
  const wanted = experiment?.status === 'running' && viewedPhase === null ? api.reportStreamUrl(key, { scenario: viewedScenario }) : null;
  if (wanted === sourceUrl) return;
  if (source) source.close();
  source = null;
  sourceUrl = wanted;
  if (!wanted) {
    streamState = 'off';
  } else if (typeof EventSource === 'undefined') {
    streamState = 'unavailable';
  } else {
    streamState = 'connecting';
    subscribe(wanted);
  }
  updateLive();
}

function subscribe(url) {
  const stream = new EventSource(url, { withCredentials: true });
  source = stream;
  const mine = () => source === stream;
  const onReport = (event) => {
    if (!mine() || viewedPhase !== null) return;
    try {
      const report = JSON.parse(event.data);
      if (report && typeof report === 'object') showReport(report);
    } catch {
      // a keep-alive or a partial message: the next one will do
    }
  };
  stream.addEventListener('message', onReport);
  stream.addEventListener('report', onReport);
  stream.addEventListener('open', () => { if (mine()) { streamState = 'live'; updateLive(); } });
  stream.addEventListener('error', () => {
    if (!mine()) return;
    streamState = stream.readyState === EventSource.CLOSED ? 'closed' : 'reconnecting';
    updateLive();
  });
}

/** While a ramp plan may still move the experiment, reads it (and its phases) again every few seconds. */
function schedulePoll() {
  const watching = experiment?.status === 'running' && experiment.rampPlan?.steps?.length
    && !['complete', 'rolled-back'].includes(experiment.ramp?.state);
  if (!watching) {
    clearTimeout(pollTimer);
    pollTimer = null;
    return;
  }
  if (pollTimer) return;
  pollTimer = setTimeout(async () => {
    pollTimer = null;
    try {
      const before = experiment;
      const now = await api.getExperiment(key);
      const moved = now.updatedAt !== before.updatedAt || now.coverage !== before.coverage || now.status !== before.status
        || JSON.stringify(now.ramp) !== JSON.stringify(before.ramp);
      renderExperiment(now);
      if (moved) await Promise.all([loadPhases(), loadAudit().catch(() => {}), now.status !== before.status || now.phase !== before.phase ? loadReport() : null]);
    } catch {
      schedulePoll();
    }
  }, POLL_MS);
}

async function loadReport() {
  const asked = { phase: viewedPhase, scenario: viewedScenario };
  try {
    const report = await api.report(key, asked);
    // a slower answer for another phase or scenario than the one now chosen is dropped
    if (asked.phase === viewedPhase && asked.scenario === viewedScenario) showReport(report);
  } catch (err) {
    if (asked.phase !== viewedPhase || asked.scenario !== viewedScenario) return;
    // 404: no report yet (or no report endpoint yet), or a scenario without events in this phase; anything else is
    // shown, but the page stays usable
    if (err instanceof ApiError && err.status === 404 && viewedScenario) {
      $('results').replaceChildren(h('div', { class: 'alert warn', id: 'scenario-missing' },
        `No results for scenario ${viewedScenario} in this phase: ${err.message}`));
    } else if (err instanceof ApiError && err.status !== 404) {
      $('results').replaceChildren(h('div', { class: 'alert warn' }, `The report could not be loaded: ${err.message}`));
    } else {
      showReport(null);
    }
  }
}

$('phase-select').addEventListener('change', () => {
  viewedPhase = $('phase-select').value ? Number($('phase-select').value) : null;
  $('results').replaceChildren(h('div', { class: 'empty' }, 'Loading…'));
  updateLive();
  syncStream();
  loadReport();
});
$('scenario-select').addEventListener('change', () => {
  viewedScenario = $('scenario-select').value || null;
  const q = new URLSearchParams(location.search);
  if (viewedScenario) q.set('scenario', viewedScenario); else q.delete('scenario');
  history.replaceState(null, '', location.pathname + (q.toString() ? `?${q}` : ''));
  $('results').replaceChildren(h('div', { class: 'empty' }, 'Loading…'));
  syncStream();
  loadReport();
});
$('start').addEventListener('click', () => {
  const question = experiment?.status === 'stopped'
    ? `Restart the experiment? It opens phase ${experiment.phase + 1}: units are hashed afresh and phase ${experiment.phase}'s results stay final.`
    : 'Start the experiment? Units are assigned to its arms from now on.';
  if (confirm(question)) act('start', experiment?.status === 'stopped' ? 'Experiment restarted' : 'Experiment started');
});
$('stop').addEventListener('click', () => confirm('Stop the experiment? It stops assigning units; its results become final.') && act('stop', 'Experiment stopped'));
$('archive').addEventListener('click', () => act('archive', 'Experiment archived'));
$('reveal-webhook-secret').addEventListener('click', toggleWebhookSecret);
$('rotate-webhook-secret').addEventListener('click', rotateWebhookSecret);
$('copy-webhook-secret').addEventListener('click', async () => {
  const ok = await copyText($('webhook-secret').value, $('webhook-secret'));
  $('copy-webhook-secret').textContent = ok ? 'Copied ✓' : 'Copy';
  if (!ok) toast('Could not copy: select the secret and copy it', 'warn');
});

async function init() {
  const registry = api.models().then((r) => new Map((r?.models || []).map((m) => [m.key, m])), () => null);
  try {
    const loaded = await api.getExperiment(key);
    [models, me] = await Promise.all([registry, whoami]);
    renderExperiment(loaded);
  } catch (err) {
    $('title').textContent = err.status === 404 ? 'Experiment not found' : 'Could not load the experiment';
    showError('page-error', err);
    return;
  }
  await Promise.all([loadAudit().catch((err) => showError('page-error', err)), loadReport(), loadPhases()]);
  document.body.dataset.ready = 'true';
}

// exposed for debugging in the browser console and for the browser tests
window.splitrank = {
  renderReport: (report) => showReport(report),
  renderExperiment: (e) => renderExperiment(e),
  get experiment() { return experiment; },
  get lastReport() { return lastReport; },
  // whether the report stream is open
  get streaming() { return source !== null; },
};
init();
