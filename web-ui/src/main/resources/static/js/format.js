// Formatting shared by the pages: numbers, percentages, dates, metric names, and a tiny DOM helper.

/** Creates an element: h('td', {class: 'num'}, 'text', child, ...). Strings become text nodes. */
export function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs || {})) {
    if (value === undefined || value === null || value === false) continue;
    if (name === 'class') el.className = value;
    else if (name.startsWith('on') && typeof value === 'function') el.addEventListener(name.slice(2), value);
    else if (name === 'dataset') {
      for (const [k, v] of Object.entries(value)) if (v !== undefined && v !== null) el.dataset[k] = v;
    }
    else el.setAttribute(name, value === true ? '' : value);
  }
  append(el, children);
  return el;
}

function append(el, children) {
  for (const child of children.flat(Infinity)) {
    if (child === undefined || child === null || child === false) continue;
    el.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
}

const SVG_NS = 'http://www.w3.org/2000/svg';
/** An SVG element with attributes. */
export function s(tag, attrs = {}, ...children) {
  const el = document.createElementNS(SVG_NS, tag);
  for (const [name, value] of Object.entries(attrs || {})) {
    if (value !== undefined && value !== null) el.setAttribute(name, value);
  }
  append(el, children);
  return el;
}

export const isNum = (x) => typeof x === 'number' && Number.isFinite(x);

export function number(x, digits) {
  if (!isNum(x)) return '—';
  if (digits === undefined) {
    // about four significant digits, the same number of decimals for every value of a magnitude
    const a = Math.abs(x);
    if (Number.isInteger(x)) return x.toLocaleString('en-US');
    digits = a >= 1000 ? 0 : a >= 100 ? 1 : a >= 1 ? 3 : a >= 0.01 ? 4 : 5;
    return x.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });
  }
  return x.toLocaleString('en-US', { minimumFractionDigits: 0, maximumFractionDigits: digits });
}

export const integer = (x) => (isNum(x) ? Math.round(x).toLocaleString('en-US') : '—');

/** 0.0394 → "+3.94%" (signed, for lifts). */
export function signedPercent(x, digits = 2) {
  if (!isNum(x)) return '—';
  const v = x * 100;
  const sign = v > 0 ? '+' : v < 0 ? '−' : '';
  return `${sign}${Math.abs(v).toFixed(digits)}%`;
}

/** A difference in the report's units: relative as a signed percentage, absolute as a signed number. */
export function difference(x, type = 'relative') {
  if (!isNum(x)) return '—';
  if (type === 'absolute') return (x > 0 ? '+' : x < 0 ? '−' : '') + number(Math.abs(x));
  return signedPercent(x);
}

export function percent(x, digits = 1) {
  if (!isNum(x)) return '—';
  // 0.07 * 100 is 7.000000000000001: rounded away so that whole percentages print as such
  const v = Math.round(x * 100 * 1e9) / 1e9;
  return `${Number.isInteger(v) ? v : v.toFixed(digits)}%`;
}

export function pValue(p) {
  if (!isNum(p)) return '—';
  if (p < 0.0001) return '< 0.0001';
  return p.toFixed(p < 0.01 ? 4 : 3);
}

export function dateTime(iso) {
  if (!iso) return '—';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  return d.toLocaleString('en-GB', { year: 'numeric', month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit', timeZone: 'UTC' }) + ' UTC';
}

export function relativeTime(iso, now = Date.now()) {
  if (!iso) return '—';
  const t = new Date(iso).getTime();
  if (Number.isNaN(t)) return iso;
  const sec = Math.round((now - t) / 1000);
  if (sec < 45) return 'just now';
  const min = Math.round(sec / 60);
  if (min < 60) return `${min} min ago`;
  const hr = Math.round(min / 60);
  if (hr < 24) return `${hr} h ago`;
  const day = Math.round(hr / 24);
  if (day < 30) return `${day} d ago`;
  return dateTime(iso);
}

const DURATION_UNITS = { s: 1000, m: 60000, h: 3600000, d: 86400000 };

/** A ramp step's duration, "30s", "10m", "2h", "1d" or ISO-8601 ("PT30S", "P1DT2H"), in milliseconds; null if unreadable. */
export function durationMs(text) {
  if (text === undefined || text === null || text === '') return 0;
  if (isNum(text)) return text * 1000;
  const short = /^\s*(\d+(?:\.\d+)?)\s*([smhd])\s*$/i.exec(String(text));
  if (short) return Number(short[1]) * DURATION_UNITS[short[2].toLowerCase()];
  const iso = /^P(?:(\d+(?:\.\d+)?)D)?(?:T(?:(\d+(?:\.\d+)?)H)?(?:(\d+(?:\.\d+)?)M)?(?:(\d+(?:\.\d+)?)S)?)?$/i.exec(String(text).trim());
  if (iso && String(text).trim().length > 1 && !/T$/i.test(String(text).trim())) {
    const [, d, hr, min, sec] = iso.map((x) => (x === undefined ? 0 : Number(x)));
    return ((d * 24 + hr) * 60 + min) * 60000 + sec * 1000;
  }
  return null;
}

/** 90000 → "1 min 30 s", 86400000 → "1 d": the two largest units. */
export function durationText(ms) {
  if (!isNum(ms)) return '—';
  if (ms < 1000) return ms <= 0 ? '0 s' : '< 1 s';
  const parts = [];
  let rest = Math.round(ms / 1000);
  for (const [unit, size] of [['d', 86400], ['h', 3600], ['min', 60], ['s', 1]]) {
    const n = Math.floor(rest / size);
    if (n > 0) parts.push(`${n} ${unit}`);
    rest -= n * size;
  }
  return parts.slice(0, 2).join(' ');
}

const METRIC_NAMES = {
  ecpm: 'eCPM', ctr: 'CTR', cvr: 'CVR', ctcvr: 'CTCVR', value_per_unit: 'Value per user',
  impressions_per_unit: 'Impressions per user', conversion_rate: 'Conversion rate',
};

/** "cvr:purchase" → "CVR · purchase". */
export function metricName(id) {
  if (!id) return '—';
  const [base, type] = id.split(':');
  const name = METRIC_NAMES[base] || base;
  return type ? `${name} · ${type}` : name;
}

export const ARM_COLORS = ['#8a94a3', '#4f46e5', '#0ea5a4', '#e67e22', '#c026d3', '#2563eb', '#65a30d', '#dc2626'];
export const armColor = (i) => ARM_COLORS[i % ARM_COLORS.length];

/** A registry model's architecture and version: "ektm v1" ("reference" for the reference rankers). */
export function modelVersion(m) {
  if (!m) return '—';
  return m.version === undefined || m.version === null || m.reference ? m.architecture : `${m.architecture} v${m.version}`;
}

/** "ektm — ektm v1": the model's key, architecture and version, as the form's model choices show it. */
export const modelLabel = (m) => `${m.key} — ${modelVersion(m)}`;
