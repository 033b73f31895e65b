// Lips and Teeth: small, dependency-free charts for the live game state.
// Plain ES module; every string from data is set with textContent or setAttribute, never innerHTML.
// Nothing about the scenario lives here: roles, variable keys and their labels come from the
// page's embedded data (selectors.page_data), and our own words go through gettext.
// The after-action charts (debrief, PDF, branch comparison) are drawn on the server
// (wargame/review/charts.py) from the same colour scale.

const SVG_NS = 'http://www.w3.org/2000/svg';
let uid = 0; // unique ids for aria-labelledby and gradients

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
const n_ = (one, many, n) => (window.ngettext ? window.ngettext(one, many, n) : n === 1 ? one : many);
const last = (list) => (list && list.length ? list[list.length - 1] : undefined);
const nameOf = (labels, key) => labels[key] ?? String(key);
const _ = (s) => (window.gettext ? window.gettext(s) : s);
const fmt = (s, obj) => (window.interpolate ? window.interpolate(s, obj, true) : s.replace(/%\((\w+)\)s/g, (m, k) => obj[k]));
const pairKey = (a, b) => [a, b].sort().join('-');

/** Colour for a relation value in [-100, 100]: orange-red → grey → blue. */
function relationColour(value) {
  const t = Math.max(-1, Math.min(1, value / 100));
  const end = t < 0 ? NEG : POS, a = Math.abs(t);
  const [r, g, b] = MID.map((m, i) => Math.round(m + (end[i] - m) * a));
  return `rgb(${r} ${g} ${b})`;
}

/**
 * Draw the relations network into an existing <svg>: the scenario's capitals on a regular
 * polygon, an edge per pair coloured hostile (orange-red) → neutral (grey) → friendly (blue),
 * wider as |value| grows.
 * @param {SVGSVGElement} svg  Cleared and given a viewBox of 0 0 400 360.
 * @param {Object<string, number>} relations  e.g. {"beijing-pyongyang": 15, ...} (alphabetical slugs).
 * @param {Object} opts
 * @param {Array<{slug:string,name:string}>} opts.roles  The page data's roles, clockwise from the top.
 * @param {Array<Object>} [opts.history]  Previous relations objects (or whole states), oldest first.
 * @param {string} [opts.highlight]  A role slug whose edges are emphasised.
 * @returns {string} A plain-text summary of every relation (also set as the SVG's <desc>).
 */
export function renderNetwork(svg, relations, { roles = [], history = [], highlight } = {}) {
  const slugs = roles.map((r) => r.slug);
  const names = Object.fromEntries(roles.map((r) => [r.slug, r.name]));
  const prev = last(history);
  const prevRel = prev && (prev.relations ?? prev);
  const id = `lt-net-${++uid}`;
  svg.replaceChildren();
  svg.setAttribute('viewBox', '0 0 400 360');
  svg.setAttribute('role', 'img');
  svg.setAttribute('aria-label', _('Relations among the capitals'));
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
    (e.delta === undefined ? '' : ` (${e.delta === 0 ? _('unchanged this turn') : fmt(_('%(change)s this turn'), { change: arrow(e.delta) })})`);

  const group = el('g', { class: 'lt-edges' });
  const labels = [];
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
    // A side of the polygon is labelled at its middle; a diagonal a third of the way from the
    // capital it leaves clockwise, so the five crossing diagonals never stack labels in the centre.
    const n = slugs.length, ia = slugs.indexOf(e.a), ib = slugs.indexOf(e.b);
    const from = (ib - ia + n) % n === 2 ? 'a' : (ia - ib + n) % n === 2 ? 'b' : null;
    const t = from === 'a' ? 0.34 : from === 'b' ? 0.66 : 0.5;
    const mx = x1 + (x2 - x1) * t, my = y1 + (y2 - y1) * t;
    const label = el('text', { x: mx, y: e.delta ? my - 5 : my, class: 'lt-edge-label', 'text-anchor': 'middle', 'dominant-baseline': 'central' }, signed(e.value));
    if (e.delta) label.append(el('tspan', { class: `lt-delta ${e.delta > 0 ? 'lt-up' : 'lt-down'}`, x: mx, dy: 11 }, arrow(e.delta)));
    labels.push(label); // drawn after every line, so a crossing line never cuts a number
    group.append(g);
  }
  const sorted = [...edges].sort((x, y) => y.value - x.value);
  const summary = sorted.length
    ? fmt(_('Relations among the capitals, friendliest first: %(list)s.'), { list: sorted.map(text).join('; ') })
    : _('Relations among the capitals: no data.');
  const labelGroup = el('g', { class: 'lt-edge-labels', 'aria-hidden': 'true' });
  labelGroup.append(...labels);
  svg.append(el('desc', { id: `${id}-desc` }, summary), group, labelGroup);
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
    el('text', { x: 124, y: 340, 'text-anchor': 'end', 'dominant-baseline': 'central' }, _('Hostile −100')),
    el('text', { x: 276, y: 340, 'dominant-baseline': 'central' }, _('+100 Friendly')));
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
 * What a change means for the viewing role: "good", "bad" or "neutral" (no objective on it).
 * @param {number} delta  The change (or, for a level, its distance from the middle).
 * @param {string} [want]  "high" or "low": the role's objective on this variable.
 */
export function meaning(delta, want) {
  if ((want !== 'high' && want !== 'low') || !delta) return 'neutral'; // scored by points: no one way
  return (delta > 0) === (want === 'high') ? 'good' : 'bad';
}

/**
 * Fill a container with one gauge per scalar (0..100): label, which way is good for the viewing
 * role, a <meter> coloured by what the level means for that role, the value, the change since
 * last turn (coloured by meaning, with an arrow and words), and a sparkline of the trend.
 * "No earlier turns yet" is said once for the whole list, not under every gauge.
 * @param {HTMLElement} container  Emptied first.
 * @param {Object<string, number>} scalars  Scalar values by key; a whole state works too.
 * @param {Object} [opts]
 * @param {string[]} [opts.keys]  Which scalars, in order (default: every key of `scalars`).
 * @param {Object<string,string>} [opts.labels]  Display names by key.
 * @param {Array<Object>|Object<string, number[]>} [opts.history]  Previous scalars objects (or states),
 *   oldest first; or an object mapping each key to its previous values, oldest first.
 * @param {Object<string,string>} [opts.descriptions]  Longer explanation by key, shown under the gauge.
 * @param {Object<string,string>} [opts.wants]  "high" or "low" by key: the viewing role's objectives.
 */
export function renderGauges(container, scalars, { keys, labels = {}, history = [], descriptions = {}, wants = {} } = {}) {
  const list = h('ul', { class: 'lt-gauge-list', role: 'list' });
  container.replaceChildren();
  container.classList.add('lt-gauges');
  const shown = (keys ?? Object.keys(scalars)).filter((k) => num(scalars[k]));
  const pastOf = (key) => (Array.isArray(history) ? history.map((s) => s?.[key]) : history[key] ?? []).filter(num);
  if (shown.length && shown.every((k) => !pastOf(k).length)) {
    container.append(h('p', { class: 'lt-gauge-note' }, _('No earlier turns yet: changes and trends appear after the first turn.')));
  }
  container.append(list);
  for (const key of shown) {
    const value = scalars[key];
    const want = ['high', 'low'].includes(wants[key]) ? wants[key] : undefined;
    const past = pastOf(key);
    const id = `lt-gauge-${++uid}`;
    const level = meaning(value - 50, want);
    const li = h('li', { class: `lt-gauge lt-${level}` });
    const head = h('div', { class: 'lt-gauge-head' });
    head.append(h('span', { id: `${id}-label`, class: 'lt-gauge-label' }, nameOf(labels, key)),
      h('span', { class: 'lt-gauge-value' }, String(round(value))));
    const delta = past.length ? value - last(past) : undefined;
    if (delta !== undefined) {
      const sense = meaning(delta, want);
      const words = delta > 0 ? fmt(_('up %(n)s since last turn'), { n: round(delta) })
        : delta < 0 ? fmt(_('down %(n)s since last turn'), { n: round(-delta) }) : _('unchanged since last turn');
      const judged = sense === 'good' ? _('good for you') : sense === 'bad' ? _('bad for you') : '';
      head.append(h('span', { class: `lt-delta lt-${sense}`, title: _('Change since last turn'), 'aria-hidden': 'true' }, arrow(delta)),
        h('span', { class: 'lt-sr-only' }, `(${words}${judged ? `, ${judged}` : ''})`));
    }
    const describedBy = [`${id}-want`, past.length ? `${id}-trend` : '', descriptions[key] ? `${id}-desc` : ''].filter(Boolean).join(' ');
    const meter = h('meter', { min: 0, max: 100, low: 34, high: 66, value, 'aria-labelledby': `${id}-label`, 'aria-describedby': describedBy });
    if (want) meter.setAttribute('optimum', want === 'high' ? 100 : 0);
    meter.textContent = fmt(_('%(value)s of 100'), { value: round(value) });
    const foot = h('div', { class: 'lt-gauge-trend' });
    if (want) foot.append(h('span', { id: `${id}-want`, class: 'lt-want' }, want === 'high' ? _('▲ Higher is better for you') : _('▼ Lower is better for you')));
    else foot.append(h('span', { id: `${id}-want`, class: 'lt-sr-only' }, _('Not one of your objectives')));
    const turns = past.length;
    if (turns) {
      const change = value - past[0];
      const trend = fmt(change > 0 ? n_('Up %(n)s over %(turns)s turn', 'Up %(n)s over %(turns)s turns', turns)
        : change < 0 ? n_('Down %(n)s over %(turns)s turn', 'Down %(n)s over %(turns)s turns', turns)
          : n_('Unchanged over %(turns)s turn', 'Unchanged over %(turns)s turns', turns), { n: round(Math.abs(change)), turns });
      const series = [...past, value];
      const lo = Math.min(...series), hi = Math.max(...series), extra = Math.max(0, 10 - (hi - lo)) / 2;
      const spark = sparkline(series, { width: 64, height: 20, min: Math.max(0, lo - extra), max: Math.min(100, hi + extra) });
      spark.classList.add(`lt-${meaning(change, want)}`);
      head.insertBefore(spark, head.children[1]);
      foot.append(h('span', { id: `${id}-trend`, class: 'lt-trend-words' }, trend));
    }
    li.append(head, meter, foot);
    if (descriptions[key]) li.append(h('p', { id: `${id}-desc`, class: 'lt-gauge-desc' }, descriptions[key]));
    list.append(li);
  }
}

/**
 * Fill a container with a definition list of the variables that are words (enums) and lists
 * of role slugs.
 * @param {HTMLElement} container  Emptied first.
 * @param {Object} state  The game state (enum values are strings; a list holds role slugs).
 * @param {Object} opts
 * @param {string[]} opts.keys  Which variables, in order (the page data's `enums`).
 * @param {Object<string,string>} [opts.labels]  Display names by variable key and role slug; a value
 *   can be named with "key.value" (the key, a dot, the value).
 */
export function renderEnums(container, state, { keys = [], labels = {} } = {}) {
  const dl = h('dl', { class: 'lt-enums' });
  for (const key of keys.filter((k) => state[k] != null)) {
    const v = state[key];
    let text;
    if (Array.isArray(v)) text = v.length ? v.map((s) => nameOf(labels, s)).join(', ') : _('None');
    else text = labels[`${key}.${v}`] ?? String(v).charAt(0).toUpperCase() + String(v).slice(1).replace(/_/g, ' ');
    dl.append(h('dt', {}, nameOf(labels, key)), h('dd', {}, text));
  }
  container.replaceChildren(dl);
}
