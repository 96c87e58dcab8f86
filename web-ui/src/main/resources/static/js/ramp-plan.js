// The ramp plan of an experiment as a timeline: one step per coverage, the ones reached (when and by whom, from
// the phase's coverage history), the current one highlighted with its time against the step's minimum, and the
// ramp's state and reason (experiment.ramp). Pure DOM, no fetching.
import { h, isNum, integer, percent, dateTime, durationMs, durationText } from './format.js';

const near = (a, b) => Math.abs(a - b) < 1e-9;

/**
 * The index of the plan step the experiment is at: ramp.step (counted from 0) when that step's coverage is the
 * experiment's, else the step with the experiment's coverage; -1 without a plan or before the start.
 */
export function currentStep(e) {
  const steps = e?.rampPlan?.steps || [];
  if (steps.length === 0 || (!e.ramp && e.status === 'draft')) return -1;
  const step = e.ramp?.step;
  if (isNum(step) && steps[step] && near(steps[step].coverage, e.coverage)) return step;
  const byCoverage = steps.findIndex((st) => near(st.coverage, e.coverage));
  if (byCoverage >= 0) return byCoverage;
  return isNum(step) ? Math.max(0, Math.min(step, steps.length - 1)) : -1;
}

const STATES = {
  ramping: 'Ramping', complete: 'Complete', 'rolled-back': 'Rolled back', manual: 'Waiting for a person',
};

/** "at least 1 d and 1,000 units" of a step's conditions to move on, or null when it has none. */
function conditions(step, last) {
  if (last) return 'final step';
  const parts = [];
  const ms = durationMs(step.minDuration);
  if (ms) parts.push(durationText(ms));
  else if (ms === null) parts.push(String(step.minDuration));
  if (isNum(step.minUnits) && step.minUnits > 0) parts.push(`${integer(step.minUnits)} units`);
  return parts.length ? `at least ${parts.join(' and ')}` : 'no minimum';
}

/**
 * @param els     {state, reason, timeline, flags}: the elements to fill
 * @param e       the experiment view, with rampPlan and (once started) ramp
 * @param history the current phase's coverage history: [{at, coverage, actor, reason}]
 */
export function renderRampPlan(els, e, history = [], now = Date.now()) {
  const plan = e.rampPlan;
  const steps = plan.steps;
  const ramp = e.ramp || null;
  const current = currentStep(e);
  els.state.replaceChildren(ramp
    ? h('span', { class: `badge ramp-${ramp.state}`, id: 'ramp-state-badge', dataset: { state: ramp.state } }, STATES[ramp.state] || ramp.state)
    : h('span', { class: 'badge draft', id: 'ramp-state-badge', dataset: { state: 'not-started' } }, 'Not started'));
  els.reason.hidden = !ramp?.reason;
  els.reason.textContent = ramp?.reason || '';

  const reached = (coverage) => history.find((c) => near(c.coverage, coverage));
  els.timeline.replaceChildren(...steps.map((step, i) => {
    const last = i === steps.length - 1;
    let status = current < 0 || i > current ? 'pending' : i < current ? 'done' : 'current';
    if (status === 'current' && ramp?.state === 'rolled-back') status = 'rolled-back';
    const entry = reached(step.coverage);
    let when = null;
    if (status === 'done' && entry) {
      when = `reached ${dateTime(entry.at)} · ${entry.actor || '—'}`;
    } else if (status === 'current' || status === 'rolled-back') {
      const since = (status === 'current' && ramp?.stepStartedAt) || entry?.at;
      const min = durationMs(step.minDuration);
      const elapsed = since ? Math.max(0, now - new Date(since).getTime()) : null;
      when = [
        since ? `since ${dateTime(since)}${entry?.actor ? ` · ${entry.actor}` : ''}` : null,
        !last && min && isNum(elapsed) && status === 'current' && e.status === 'running' ? `${durationText(Math.min(elapsed, min))} of ${durationText(min)}` : null,
      ].filter(Boolean).join(' · ');
    } else if (i === 0 && current < 0) {
      when = 'where the experiment starts';
    }
    return h('li', { class: `step ${status}`, dataset: { step: i, status, coverage: step.coverage }, 'aria-current': status === 'current' ? 'step' : undefined },
      h('span', { class: 'step-marker', 'aria-hidden': 'true' }, status === 'done' ? '✓' : status === 'rolled-back' ? '↩' : String(i + 1)),
      h('div', { class: 'step-body' },
        h('div', { class: 'step-title' }, h('b', {}, percent(step.coverage)), h('span', { class: 'cell-sub' }, ` · ${conditions(step, last)}`)),
        when ? h('div', { class: 'cell-sub step-when' }, when) : null));
  }));
  els.flags.replaceChildren(
    h('span', { dataset: { autoAdvance: String(plan.autoAdvance !== false) } }, plan.autoAdvance === false ? 'Advanced by hand' : 'Advances automatically'),
    ' · ',
    h('span', { dataset: { autoRollback: String(plan.autoRollback !== false) } }, plan.autoRollback === false ? 'no automatic rollback' : 'rolls back when a guardrail is harmed'));
}
