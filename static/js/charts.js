// Lips and Teeth: small, dependency-free charts for the game state.
// Plain ES module; every string from data is set with textContent or setAttribute, never innerHTML.

const SVG_NS = 'http://www.w3.org/2000/svg';
let uid = 0; // unique ids for aria-labelledby and gradients

/** Default display names: role slugs, scalar, enum and list variable keys. Override any via `labels`. */
export const DEFAULT_LABELS = Object.freeze({
  seoul: 'Seoul', beijing: 'Beijing', pyongyang: 'Pyongyang', washington: 'Washington', moscow: 'Moscow',
  tension: 'Military tension', dprk_russia_military: 'DPRK–Russia military ties',
  us_china_trade_pressure: 'US–China trade pressure', sanctions_enforcement: 'Sanctions enforcement',
  dprk_economy: 'DPRK economy', rok_influence: 'Seoul’s influence', china_passing: 'China passing',
  ukraine_war: 'War in Ukraine', us_dprk_dialogue: 'US–DPRK dialogue', rok_leadership: 'Seoul’s leadership',
  apec: 'APEC, Gyeongju', apec_attendance: 'APEC attendance',
});
// Pentagon order, clockwise from the top: the continental powers left and top, the US across
// the Pacific on the right, the two Koreas along the bottom edge.
const ROLE_ORDER = ['moscow', 'washington', 'seoul', 'pyongyang', 'beijing'];
const SCALAR_KEYS = ['tension', 'dprk_russia_military', 'us_china_trade_pressure', 'sanctions_enforcement',
  'dprk_economy', 'rok_influence', 'china_passing'];
const ENUM_KEYS = ['ukraine_war', 'us_dprk_dialogue', 'rok_leadership', 'apec', 'apec_attendance'];

// Diverging, colour-blind-safe scale: orange-red (hostile) ← grey → blue (friendly).
const NEG = [179, 88, 6], MID = [120, 126, 134], POS = [33, 102, 172];

function el(name, attrs = {}, text) {
  const node = document.createElementNS(SVG_NS, name);
  for (const [k, v] of Object.entries(attrs)) node.setAttribute(k, String(v));
  if (text != null) node.textContent = text;
  return node;
}
function h(tag, attrs = {}, text) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) node.setAttribute(k, String(v));
  if (text != null) node.textContent = text;
  return node;
}
const num = (v) => typeof v === 'number' && Number.isFinite(v);
const round = (v) => Math.round(v * 10) / 10;
/** "+15", "−70", "0" (true minus sign). */
const signed = (v) => (v > 0 ? `+${round(v)}` : v < 0 ? `−${round(-v)}` : '0');
/** "▲3", "▼2", "±0". */
const arrow = (d) => (d > 0 ? `▲${round(d)}` : d < 0 ? `▼${round(-d)}` : '±0');
const last = (list) => (list && list.length ? list[list.length - 1] : undefined);
const nameOf = (labels, key) => labels[key] ?? DEFAULT_LABELS[key] ?? String(key);
const pairKey = (a, b) => [a, b].sort().join('-');

/** Colour for a relation value in [-100, 100]: orange-red → grey → blue. */
export function relationColour(value) {
  const t = Math.max(-1, Math.min(1, value / 100));
  const end = t < 0 ? NEG : POS, a = Math.abs(t);
  const [r, g, b] = MID.map((m, i) => Math.round(m + (end[i] - m) * a));
  return `rgb(${r} ${g} ${b})`;
}

/**
 * Draw the relations network into an existing <svg>: five capitals on a pentagon, ten edges
 * coloured hostile (orange-red) → neutral (grey) → friendly (blue), wider as |value| grows.
 * @param {SVGSVGElement} svg  Cleared and given a viewBox of 0 0 400 360.
 * @param {Object<string, number>} relations  e.g. {"beijing-pyongyang": 15, ...} (alphabetical slugs).
 * @param {Object} [opts]
 * @param {Array<string|{slug:string,name?:string}>} [opts.roles]  Pentagon order, clockwise from the top.
 * @param {Object<string,string>} [opts.labels]  Display names by role slug.
 * @param {Array<Object>} [opts.history]  Previous relations objects (or whole states), oldest first.
 * @param {string} [opts.highlight]  A role slug whose edges are emphasised.
 * @returns {string} A plain-text summary of every relation (also set as the SVG's <desc>).
 */
export function renderNetwork(svg, relations, { roles = ROLE_ORDER, labels = {}, history = [], highlight } = {}) {
  const slugs = roles.map((r) => (typeof r === 'string' ? r : r.slug));
  const names = { ...labels };
  for (const r of roles) if (typeof r === 'object' && r.name && !(r.slug in labels)) names[r.slug] = r.name;
  const prev = last(history);
  const prevRel = prev && (prev.relations ?? prev);
  const id = `lt-net-${++uid}`;
  svg.replaceChildren();
  svg.setAttribute('viewBox', '0 0 400 360');
  svg.setAttribute('role', 'img');
  svg.setAttribute('aria-label', 'Relations among the five capitals');
  svg.classList.add('lt-net');

  const cx = 200, cy = 170, R = 125;
  const pos = {};
  slugs.forEach((s, i) => {
    const a = -Math.PI / 2 + (2 * Math.PI * i) / slugs.length;
    pos[s] = [cx + R * Math.cos(a), cy + R * Math.sin(a)];
  });

  const edges = [];
  for (let i = 0; i < slugs.length; i++) for (let j = i + 1; j < slugs.length; j++) {
    const key = pairKey(slugs[i], slugs[j]);
    if (!num(relations[key])) continue;
    const [a, b] = key.split('-');
    const prevValue = prevRel && num(prevRel[key]) ? prevRel[key] : undefined;
    edges.push({ key, a, b, value: relations[key], delta: prevValue === undefined ? undefined : relations[key] - prevValue });
  }
  const text = (e) => `${nameOf(names, e.a)}–${nameOf(names, e.b)}: ${signed(e.value)}` +
    (e.delta === undefined ? '' : e.delta === 0 ? ' (unchanged this turn)' : ` (${arrow(e.delta)} this turn)`);

  const group = el('g', { class: 'lt-edges' });
  // Highlighted edges last, then weakest first, so the ones that matter are drawn on top.
  const touches = (e) => Boolean(highlight) && (e.a === highlight || e.b === highlight);
  const order = (e) => (touches(e) ? 1000 : 0) + Math.abs(e.value);
  for (const e of [...edges].sort((x, y) => order(x) - order(y))) {
    const [x1, y1] = pos[e.a], [x2, y2] = pos[e.b];
    const g = el('g', { class: `lt-edge${touches(e) ? ' lt-hl' : highlight ? ' lt-dim' : ''}` });
    g.append(el('title', {}, text(e)),
      el('line', { x1, y1, x2, y2, class: 'lt-hit' }),
      el('line', { x1, y1, x2, y2, stroke: relationColour(e.value), 'stroke-width': 1.5 + (Math.abs(e.value) / 100) * 8, 'stroke-linecap': 'round' }));
    // The value at the midpoint; this turn's change, if any, stacked under it (the pentagram's
    // inner midpoints are too close together for both side by side).
    const mx = (x1 + x2) / 2, my = (y1 + y2) / 2;
    const label = el('text', { x: mx, y: e.delta ? my - 5 : my, class: 'lt-edge-label', 'text-anchor': 'middle', 'dominant-baseline': 'central' }, signed(e.value));
    if (e.delta) label.append(el('tspan', { class: `lt-delta ${e.delta > 0 ? 'lt-up' : 'lt-down'}`, x: mx, dy: 11 }, arrow(e.delta)));
    g.append(label);
    group.append(g);
  }
  const sorted = [...edges].sort((x, y) => y.value - x.value);
  const summary = sorted.length
    ? `Relations among the five capitals, friendliest first: ${sorted.map(text).join('; ')}.`
    : 'Relations among the five capitals: no data.';
  svg.append(el('desc', { id: `${id}-desc` }, summary), group);
  svg.setAttribute('aria-describedby', `${id}-desc`);

  for (const s of slugs) {
    const [x, y] = pos[s];
    const top = y < cy - R / 2;
    const g = el('g', { class: `lt-node${s === highlight ? ' lt-hl' : ''}` });
    g.append(el('circle', { cx: x, cy: y, r: 9 }),
      el('text', { x, y: top ? y - 16 : y + 24, 'text-anchor': 'middle', class: 'lt-node-label' }, nameOf(names, s)));
    svg.append(g);
  }

  // Legend: hostile ← 0 → friendly.
  const grad = el('linearGradient', { id: `${id}-grad` });
  [-100, 0, 100].forEach((v, i) => grad.append(el('stop', { offset: `${i * 50}%`, 'stop-color': relationColour(v) })));
  const defs = el('defs'), legend = el('g', { class: 'lt-legend', 'aria-hidden': 'true' });
  defs.append(grad);
  legend.append(el('rect', { x: 130, y: 336, width: 140, height: 8, rx: 4, fill: `url(#${id}-grad)` }),
    el('text', { x: 124, y: 340, 'text-anchor': 'end', 'dominant-baseline': 'central' }, 'Hostile −100'),
    el('text', { x: 276, y: 340, 'dominant-baseline': 'central' }, '+100 Friendly'));
  svg.append(defs, legend);
  return summary;
}

/**
 * A small line chart of a series, for gauges or scores over time. Decorative: aria-hidden.
 * @param {number[]} values  Oldest first; non-numbers are skipped.
 * @param {Object} [opts]
 * @param {number} [opts.width=80]
 * @param {number} [opts.height=20]
 * @param {number} [opts.min]  Bottom of the scale (default: the smallest value).
 * @param {number} [opts.max]  Top of the scale (default: the largest value).
 * @returns {SVGSVGElement}
 */
export function sparkline(values, { width = 80, height = 20, min, max } = {}) {
  const data = values.filter(num);
  const svg = el('svg', { class: 'lt-spark', width, height, viewBox: `0 0 ${width} ${height}`, 'aria-hidden': 'true', focusable: 'false' });
  if (!data.length) return svg;
  let lo = min ?? Math.min(...data), hi = max ?? Math.max(...data);
  if (hi === lo) { lo -= 1; hi += 1; }
  const pad = 3;
  const pts = data.map((v, i) => [
    data.length === 1 ? width - pad : pad + (i * (width - 2 * pad)) / (data.length - 1),
    height - pad - ((v - lo) / (hi - lo)) * (height - 2 * pad),
  ]);
  if (pts.length > 1) svg.append(el('polyline', { points: pts.map((p) => p.map(round).join(',')).join(' '), fill: 'none' }));
  const [x, y] = last(pts);
  svg.append(el('circle', { cx: x, cy: y, r: 2.25 }));
  return svg;
}

/**
 * Fill a container with one gauge per scalar (0..100): label, <meter>, value, change since last
 * turn, a sparkline and the trend in words.
 * @param {HTMLElement} container  Emptied first.
 * @param {Object<string, number>} scalars  Scalar values by key; a whole state works too.
 * @param {Object} [opts]
 * @param {string[]} [opts.keys]  Which scalars, in order (default: the seven scenario scalars present).
 * @param {Object<string,string>} [opts.labels]  Display names by key.
 * @param {Array<Object>|Object<string, number[]>} [opts.history]  Previous scalars objects (or states),
 *   oldest first; or an object mapping each key to its previous values, oldest first.
 * @param {Object<string,string>} [opts.descriptions]  Longer explanation by key, shown under the gauge.
 */
export function renderGauges(container, scalars, { keys, labels = {}, history = [], descriptions = {} } = {}) {
  const list = h('ul', { class: 'lt-gauge-list', role: 'list' });
  container.replaceChildren(list);
  container.classList.add('lt-gauges');
  for (const key of (keys ?? SCALAR_KEYS).filter((k) => num(scalars[k]))) {
    const value = scalars[key];
    const past = (Array.isArray(history) ? history.map((s) => s?.[key]) : history[key] ?? []).filter(num);
    const id = `lt-gauge-${++uid}`;
    const li = h('li', { class: 'lt-gauge' });
    const head = h('div', { class: 'lt-gauge-head' });
    head.append(h('span', { id: `${id}-label`, class: 'lt-gauge-label' }, nameOf(labels, key)),
      h('span', { class: 'lt-gauge-value' }, String(round(value))));
    const delta = past.length ? value - last(past) : undefined;
    if (delta !== undefined) {
      const words = delta > 0 ? `up ${round(delta)}` : delta < 0 ? `down ${round(-delta)}` : 'unchanged';
      head.append(h('span', { class: `lt-delta${delta > 0 ? ' lt-up' : delta < 0 ? ' lt-down' : ''}`, title: 'Change since last turn', 'aria-hidden': 'true' }, arrow(delta)),
        h('span', { class: 'lt-sr-only' }, `(${words} since last turn)`));
    }
    const meter = h('meter', { min: 0, max: 100, value, 'aria-labelledby': `${id}-label`, 'aria-describedby': `${id}-trend${descriptions[key] ? ` ${id}-desc` : ''}` });
    meter.textContent = `${round(value)} of 100`;
    const turns = past.length, change = turns ? value - past[0] : 0;
    const trend = !turns ? 'No earlier turns yet'
      : `${change > 0 ? `Up ${round(change)}` : change < 0 ? `Down ${round(-change)}` : 'Unchanged'} over ${turns} turn${turns === 1 ? '' : 's'}`;
    const series = [...past, value];
    const lo = Math.min(...series), hi = Math.max(...series), extra = Math.max(0, 10 - (hi - lo)) / 2;
    const foot = h('div', { class: 'lt-gauge-trend' });
    foot.append(sparkline(series, { width: 80, height: 20, min: Math.max(0, lo - extra), max: Math.min(100, hi + extra) }),
      h('span', { id: `${id}-trend` }, trend));
    li.append(head, meter, foot);
    if (descriptions[key]) li.append(h('p', { id: `${id}-desc`, class: 'lt-gauge-desc' }, descriptions[key]));
    list.append(li);
  }
}

/**
 * Fill a container with a definition list of the enum variables and APEC attendance.
 * @param {HTMLElement} container  Emptied first.
 * @param {Object} state  The game state (enum values are strings; apec_attendance a list of role slugs).
 * @param {Object} [opts]
 * @param {string[]} [opts.keys]  Which variables, in order (default: the four enums and apec_attendance).
 * @param {Object<string,string>} [opts.labels]  Display names by variable key and role slug; a value
 *   can be renamed with "key.value", e.g. {"us_dprk_dialogue.none": "No dialogue"}.
 */
export function renderEnums(container, state, { keys, labels = {} } = {}) {
  const dl = h('dl', { class: 'lt-enums' });
  for (const key of (keys ?? ENUM_KEYS).filter((k) => state[k] != null)) {
    const v = state[key];
    let text;
    if (Array.isArray(v)) text = v.length ? v.map((s) => nameOf(labels, s)).join(', ') : 'None';
    else text = labels[`${key}.${v}`] ?? String(v).charAt(0).toUpperCase() + String(v).slice(1).replace(/_/g, ' ');
    dl.append(h('dt', {}, nameOf(labels, key)), h('dd', {}, text));
  }
  container.replaceChildren(dl);
}
