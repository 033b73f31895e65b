// Shared by every game page: the live connection, API calls, and the renderers for the
// state, results, history, scores, messages and event feed. Data is always written with
// textContent (never innerHTML), so nothing a player types can run in another's page.
import { renderEnums, renderGauges, renderNetwork, sparkline } from "./charts.js";

const _ = (s) => (window.gettext ? window.gettext(s) : s);
const fmt = (s, obj) => (window.interpolate ? window.interpolate(s, obj, !Array.isArray(obj)) : s);
export { _, fmt };

export function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs)) {
    if (value === null || value === undefined || value === false) continue;
    if (key === "text") node.textContent = value;
    else if (key === "class") node.className = value;
    else if (key.startsWith("on")) node.addEventListener(key.slice(2), value);
    else node.setAttribute(key, value === true ? "" : value);
  }
  for (const child of children.flat()) {
    if (child === null || child === undefined || child === false) continue;
    node.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return node;
}

export function clear(node) {
  while (node && node.firstChild) node.removeChild(node.firstChild);
  return node;
}

export const $ = (id) => document.getElementById(id);

export function pageData() {
  return JSON.parse(document.getElementById("page-data").textContent);
}

function csrfToken() {
  const match = document.cookie.match(/(?:^|; )csrftoken=([^;]+)/);
  return match ? decodeURIComponent(match[1]) : "";
}

/** Call the JSON API with the session cookie; throws Error(message) on a 4xx/5xx. */
export async function api(method, path, body) {
  const response = await fetch(path, {
    method,
    credentials: "same-origin",
    headers: { "Content-Type": "application/json", "X-CSRFToken": csrfToken() },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  if (response.status === 204) return null;
  let payload = null;
  try {
    payload = await response.json();
  } catch (error) {
    payload = null;
  }
  if (!response.ok) {
    throw new Error((payload && payload.error) || fmt(_("The server answered %s."), [response.status]));
  }
  return payload;
}

/**
 * The socket: reconnects by itself (with backoff) and resumes from the last seq it saw,
 * so nothing is missed and nothing is applied twice.
 */
const CATCH_UP_MS = 20000;

export class Live {
  constructor(path, lastSeq, onEvent, onStatus) {
    this.path = path;
    this.lastSeq = lastSeq;
    this.onEvent = onEvent;
    this.onStatus = onStatus;
    this.delay = 500;
    this.closedByUs = false;
  }

  connect() {
    const scheme = location.protocol === "https:" ? "wss" : "ws";
    const url = `${scheme}://${location.host}${this.path}?last_seq=${this.lastSeq}`;
    this.onStatus("connecting");
    const socket = new WebSocket(url);
    this.socket = socket;
    socket.addEventListener("open", () => {
      this.delay = 500;
      this.onStatus("online");
    });
    // Every 20 s a ping: the server then sends anything in the log it has not forwarded.
    // The channel layer (Redis pub/sub) keeps nothing for a web process that was not
    // subscribed at that moment, e.g. while it reconnected to Redis; the next event would
    // fill the gap anyway, but the last event of a game has no next one.
    clearInterval(this.checker);
    this.checker = setInterval(() => {
      if (socket.readyState === WebSocket.OPEN) {
        socket.send(JSON.stringify({ type: "ping" }));
      }
    }, CATCH_UP_MS);
    socket.addEventListener("message", (message) => {
      const frame = JSON.parse(message.data);
      if (frame.type === "pong") {
        // live: false while the server cannot publish (Redis down): events still come,
        // late, through this catch-up; the page says so.
        this.onStatus(frame.data && frame.data.live === false ? "degraded" : "online");
      }
      if (frame.seq !== null && frame.seq !== undefined) {
        if (frame.seq <= this.lastSeq) return;
        this.lastSeq = frame.seq;
      }
      this.onEvent(frame);
    });
    socket.addEventListener("close", () => {
      clearInterval(this.checker);
      if (this.closedByUs) return;
      this.onStatus("offline");
      setTimeout(() => this.connect(), this.delay);
      this.delay = Math.min(this.delay * 2, 10000);
    });
  }
}

export function setConnection(status) {
  const node = $("connection");
  const text = {
    connecting: _("connecting…"),
    online: _("live"),
    offline: _("connection lost — reconnecting…"),
    degraded: _("live link degraded — updates may come late"),
  }[status];
  node.textContent = text;
  node.dataset.status = status;
  document.body.classList.toggle("is-offline", status === "offline");
  document.body.classList.toggle("is-degraded", status === "degraded");
}

export function announce(text) {
  const node = $("announcer");
  if (node) node.textContent = text;
}

export function roleName(data, slug) {
  if (slug === "facilitator") return _("Facilitator");
  if (slug === "observer") return _("Observer");
  if (slug === "all") return _("Everyone");
  const role = data.roles.find((r) => r.slug === slug);
  return role ? role.name : slug;
}

// ---- header and clock ------------------------------------------------------------

const PHASES = {
  open: () => _("open for moves"),
  locked: () => _("locked, waiting for resolution"),
  resolving: () => _("resolving…"),
  review: () => _("resolved, under umpire review"),
  resolved: () => _("resolved"),
  failed: () => _("could not be resolved; the facilitator has been told"),
  none: () => _("not started"),
  finished: () => _("game over"),
};

export function renderHeader(game) {
  // As the home page and the game lists say it (templates/_turn_count.html).
  $("turn-label").textContent = game.status === "lobby" ? `${_("not started")} (0 / ${game.max_turns})` : `${game.turn.label} (${game.turn.number} / ${game.max_turns})`;
  let phase = (PHASES[game.turn.phase] || (() => game.turn.phase))();
  if (game.status === "paused") phase = _("paused");
  if (game.status === "finished") phase = _("game over");
  if (game.status === "lobby") phase = _("waiting for the facilitator to start");
  $("turn-phase").textContent = phase;
  const banner = $("pause-banner");
  if (banner) banner.hidden = game.status !== "paused";
}

export function startClock(getGame) {
  const tick = () => {
    const game = getGame();
    const node = $("clock");
    if (game.status === "paused" && game.turn.paused_remaining !== null && game.turn.paused_remaining !== undefined) {
      node.textContent = `${formatSeconds(game.turn.paused_remaining)} (${_("paused")})`;
      return;
    }
    if (!game.turn.deadline || game.turn.phase !== "open") {
      node.textContent = "–";
      return;
    }
    const left = Math.max(0, (Date.parse(game.turn.deadline) - Date.now()) / 1000);
    node.textContent = formatSeconds(left);
    node.classList.toggle("urgent", left < 30);
  };
  tick();
  setInterval(tick, 1000);
}

function formatSeconds(seconds) {
  const s = Math.round(seconds);
  const m = Math.floor(s / 60);
  return `${m}:${String(s % 60).padStart(2, "0")}`;
}

// ---- state dashboard ---------------------------------------------------------------

export function renderDashboard(data, highlight) {
  const states = [data.start_state, ...data.history.map((t) => t.state)];
  const current = data.game.state;
  const previous = states.length > 1 ? states.slice(0, -1) : [];
  renderNetwork($("network"), current.relations, {
    roles: data.roles,
    history: previous.map((s) => s.relations),
    highlight,
  });
  const scalars = Object.fromEntries(data.scalars.map((k) => [k, current[k]]));
  const history = Object.fromEntries(data.scalars.map((k) => [k, previous.map((s) => s[k])]));
  // Which way is good for the viewing role: its objectives (none for observer and facilitator).
  const wants = Object.fromEntries((data.objectives[data.seat.role] || []).map((o) => [o.var, o.want]));
  renderGauges($("gauges"), scalars, { keys: data.scalars, labels: data.labels, history, wants });
  const names = Object.fromEntries(data.roles.map((r) => [r.slug, r.name]));
  renderEnums($("enums"), current, { keys: data.enums, labels: { ...names, ...data.labels } });
}

// ---- results, history, scores ------------------------------------------------------

export const RESULTS = {
  succeeded: () => _("succeeded"),
  failed: () => _("failed"),
  unanswered: () => _("unanswered"),
  no_effect: () => _("no effect"),
  blocked: () => _("blocked"),
  partial: () => _("partly"),
  held: () => _("held"),
};

/** An action's label ("Seek a summit with Beijing"), never its code. */
export function actionLabel(data, role, code) {
  const labels = data.action_labels || {};
  return labels[`${role}:${code}`] || code.replaceAll("_", " ");
}

export function resultLabel(code) {
  return (RESULTS[code] || (() => code.replaceAll("_", " ")))();
}

/** A state change in words, by the variable's label; memory is the rules', never shown. */
function changeWords(data, change) {
  const label = data.labels[change.var] || change.var.replace("relations.", "").replaceAll("_", " ");
  const value = typeof change.change === "number" && change.change > 0 ? `+${change.change}` : String(change.change).replaceAll("_", " ");
  return `${label} ${value}`;
}

function provenance(rule) {
  if (!rule.claims || !rule.claims.length) return "";
  return fmt(_("commentary §%(section)s, %(claims)s"), { section: rule.section, claims: rule.claims.join(", ") });
}

export function turnResult(data, turn, focusRole) {
  const box = el("div", { class: "turn-result" });
  // No engine narrative here: before ruleset 4 it names variables by their codes; the turn
  // report (above) tells the same turn in labels, for this seat.
  const outcomes = el("ul", { class: "outcomes" });
  for (const outcome of turn.outcomes) {
    const rulesById = Object.fromEntries(turn.fired_rules.map((r) => [r.rule, r]));
    const cited = outcome.rules.map((id) => rulesById[id]).filter(Boolean);
    outcomes.append(
      el(
        "li",
        { class: `outcome result-${outcome.result}` + (outcome.role === focusRole ? " mine" : "") },
        el("strong", { text: roleName(data, outcome.role) }),
        " · ",
        actionLabel(data, outcome.role, outcome.action),
        outcome.target ? ` → ${roleName(data, outcome.target)}` : "",
        ": ",
        el("span", { class: "result", text: resultLabel(outcome.result) }),
        el("p", { class: "reason", text: outcome.reason }),
        cited.length ? el("p", { class: "cite", text: cited.map((r) => `${r.title} (${provenance(r)})`).join("; ") }) : null,
      ),
    );
  }
  if (!turn.outcomes.length) outcomes.append(el("li", { class: "muted", text: _("Every capital held.") }));
  box.append(outcomes);
  const rules = el("details", {}, el("summary", { text: fmt(_("Why: %s rules fired"), [turn.fired_rules.length]) }));
  const list = el("ul", { class: "rules" });
  for (const rule of turn.fired_rules) {
    const changes = rule.changes.filter((c) => !c.var.startsWith("memory.")).map((c) => changeWords(data, c)).join(", ");
    const dice = rule.roll !== null && rule.roll !== undefined ? ` — ${diceWords(rule)}` : "";
    list.append(
      el(
        "li",
        { class: rule.succeeded ? "" : "rule-failed" },
        el("strong", { text: rule.title }),
        provenance(rule) ? el("span", { class: "cite", text: ` (${provenance(rule)})` }) : "",
        el("p", { text: rule.explanation + dice }),
        changes ? el("p", { class: "changes", text: changes }) : null,
      ),
    );
  }
  rules.append(list);
  box.append(rules);
  return box;
}

/** "rolled 38 against a 35% chance" (the percent sign is part of the value: the JS
 * interpolate() knows no %% escape). */
export function diceWords(rule) {
  return fmt(_("rolled %(roll)s against a %(chance)s chance"), { roll: rule.roll, chance: `${rule.chance}%` });
}

export function renderResults(data, focusRole) {
  const node = clear($("results"));
  const last = data.history[data.history.length - 1];
  if (!last) {
    node.append(el("p", { class: "muted", text: _("No turn has been resolved yet.") }));
    return;
  }
  const label = data.turn_labels[last.number - 1] || fmt(_("Turn %s"), [last.number]);
  node.append(el("h3", { text: fmt(_("Turn %(n)s: %(label)s"), { n: last.number, label }) }), turnResult(data, last, focusRole));
}

export function renderHistory(data, focusRole) {
  const node = clear($("history"));
  if (!data.history.length) {
    node.append(el("p", { class: "muted", text: _("Nothing yet.") }));
    return;
  }
  for (const turn of [...data.history].reverse()) {
    const label = data.turn_labels[turn.number - 1] || fmt(_("Turn %s"), [turn.number]);
    const item = el("details", { class: "history-turn" }, el("summary", { text: fmt(_("Turn %(n)s: %(label)s"), { n: turn.number, label }) }));
    item.append(turnResult(data, turn, focusRole));
    node.append(item);
  }
}

export function renderScores(data) {
  const node = clear($("scores"));
  const table = el("table", {}, el("thead", {}, el("tr", {}, el("th", { scope: "col", text: _("Capital") }), el("th", { scope: "col", text: _("Score") }), el("th", { scope: "col", text: _("Trend") }))));
  const body = el("tbody");
  for (const role of data.roles) {
    const series = data.history.map((t) => t.scores[role.slug]);
    const now = data.game.scores[role.slug];
    const cell = el("td");
    if (series.length > 1) cell.append(sparkline(series, { width: 90, height: 22 }));
    body.append(el("tr", { class: role.slug === data.seat.role ? "mine" : "" }, el("th", { scope: "row", text: role.name }), el("td", { text: String(now) }), cell));
  }
  table.append(body);
  node.append(table);
}

// ---- messages ----------------------------------------------------------------------

/** Channels: public, one per other capital, and the facilitator; with unread counts. */
export class Messages {
  constructor(data, { sendable }) {
    this.data = data;
    this.me = data.seat.role;
    this.sendable = sendable;
    this.channel = "all";
    this.list = data.messages;
    // Read marks survive a closed tab: the time of the last message seen per channel, kept
    // in this browser, so a returning player sees what arrived while away as unread (ids are
    // opaque and unordered, so the mark is the message's time).
    this.storeKey = `lt-read-at-${data.game.id}-${this.me}`;
    this.read = this.loadReadMarks();
    this.unread = {};
    for (const message of this.list) {
      const channel = this.channelOf(message);
      if (message.from !== this.me && message.at > (this.read[channel] || "")) this.unread[channel] = (this.unread[channel] || 0) + 1;
    }
    this.markRead(this.channel);
    this.render();
    const form = $("message-form");
    if (form) form.addEventListener("submit", (event) => this.send(event));
  }

  channels() {
    if (this.me === "facilitator" || this.me === "observer") return ["all", "private"];
    const bots = this.data.bots || []; // a bot reads no messages: no channel to it
    const others = this.data.roles.map((r) => r.slug).filter((s) => s !== this.me && !bots.includes(s));
    return ["all", ...others, "facilitator"];
  }

  channelOf(message) {
    if (message.to === "all") return "all";
    if (this.me === "facilitator" || this.me === "observer") return "private";
    if (message.from === this.me) return message.to.length === 1 ? message.to[0] : "all";
    return message.from;
  }

  loadReadMarks() {
    try {
      return JSON.parse(localStorage.getItem(this.storeKey) || "{}");
    } catch (error) {
      return {};
    }
  }

  markRead(channel) {
    const times = this.list.filter((m) => this.channelOf(m) === channel).map((m) => m.at);
    for (const at of times) if (at > (this.read[channel] || "")) this.read[channel] = at;
    this.unread[channel] = 0;
    try {
      localStorage.setItem(this.storeKey, JSON.stringify(this.read));
    } catch (error) {
      // Private browsing without storage: counts still work for this page's life.
    }
  }

  add(message) {
    if (this.list.some((m) => m.id === message.id)) return;
    this.list.push(message);
    const channel = this.channelOf(message);
    if (channel === this.channel && !document.hidden) this.markRead(channel);
    else if (message.from !== this.me) this.unread[channel] = (this.unread[channel] || 0) + 1;
    this.render();
  }

  render() {
    const tabs = clear($("channels"));
    for (const channel of this.channels()) {
      const name = channel === "private" ? _("Private channels") : roleName(this.data, channel);
      const count = this.unread[channel] || 0;
      const tab = el(
        "button",
        { type: "button", role: "tab", "aria-selected": String(channel === this.channel), onclick: () => this.select(channel) },
        name,
        count ? el("span", { class: "unread", "aria-label": fmt(_("%s unread"), [count]), text: String(count) }) : null,
      );
      tabs.append(tab);
    }
    const list = clear($("message-list"));
    const shown = this.list.filter((m) => this.channelOf(m) === this.channel);
    for (const message of shown) {
      const to = message.to === "all" ? _("everyone") : message.to.map((r) => roleName(this.data, r)).join(", ");
      list.append(
        el("li", { class: message.from === this.me ? "mine" : "" }, el("span", { class: "who", text: `${roleName(this.data, message.from)} → ${to}` }), el("p", { text: message.text })),
      );
    }
    if (!shown.length) list.append(el("li", { class: "muted", text: _("No messages here yet.") }));
    const label = $("message-to-label");
    if (label) label.textContent = fmt(_("Message to %s"), [this.channel === "all" ? _("everyone") : roleName(this.data, this.channel)]);
  }

  select(channel) {
    this.channel = channel;
    this.markRead(channel);
    this.render();
  }

  async send(event) {
    event.preventDefault();
    const text = $("message-text");
    try {
      await api("POST", `${this.data.api}/messages`, { to: this.channel, text: text.value });
      text.value = "";
    } catch (error) {
      announce(error.message);
      alert(error.message);
    }
  }
}

// ---- news feed ---------------------------------------------------------------------

/**
 * The news feed (templates/_news.html): the server renders it from the log on every page
 * load, so injects and results survive a reload and reach a late joiner; live events add
 * to the top in the same shape. Transient notes (who moved, locked) are not news.
 */
/** The server's news times are UTC: show them in the reader's own clock. */
export function localiseNews() {
  for (const node of document.querySelectorAll("#news time[datetime]")) {
    const at = new Date(node.getAttribute("datetime"));
    if (!Number.isNaN(at.getTime())) node.textContent = at.toLocaleTimeString([], { hour: "2-digit", minute: "2-digit" });
  }
}

export function feed(text, detail = "", kind = "note") {
  const list = $("news");
  if (!list) return;
  const empty = $("news-empty");
  if (empty) empty.remove();
  const time = new Date().toLocaleTimeString([], { hour: "2-digit", minute: "2-digit" });
  list.prepend(
    el("li", { class: `news-item news-${kind}` }, el("time", { class: "muted", text: time }), " ", el("span", { class: "news-text", text }), detail ? el("p", { class: "news-detail", text: detail }) : null),
  );
  while (list.children.length > 100) list.removeChild(list.lastChild);
}

/** Apply an event every page cares about to the shared data; returns true if handled. */
export function applyCommon(data, frame, messages) {
  const game = data.game;
  const d = frame.data;
  switch (frame.type) {
    case "turn.opened":
      game.turn = { number: d.number, phase: "open", label: d.label, deadline: d.deadline, paused_remaining: null };
      game.locked = [];
      game.moved = [];
      game.my_moves = [];
      game.moves = [];
      feed(fmt(_("Turn %(n)s opened: %(label)s"), { n: d.number, label: d.label }), "", "turn");
      announce(fmt(_("Turn %s is open."), [d.number]));
      return true;
    case "move.submitted":
      if (!game.moved.includes(d.role)) game.moved.push(d.role);
      return true;
    case "role.locked":
      if (!game.locked.includes(d.role)) game.locked.push(d.role);
      return true;
    case "turn.resolving":
      game.turn.phase = "resolving";
      announce(_("Resolving the turn…"));
      return true;
    case "turn.resolved":
      data.history.push(d);
      game.my_moves = [];
      game.moves = [];
      game.moved = [];
      game.locked = [];
      game.state = d.state;
      game.scores = d.scores;
      game.resolved_turns = d.number;
      game.turn.phase = "resolved";
      announce(fmt(_("Turn %s resolved: results are in."), [d.number]));
      return true;
    case "turn.deadline":
      // Set, extended or cleared: the event carries the whole clock (deadline, or paused time).
      game.turn.deadline = d.deadline || null;
      game.turn.paused_remaining = d.paused_remaining ?? null;
      return true;
    case "message.posted":
      messages.add(d);
      if (d.from !== data.seat.role) announce(fmt(_("New message from %s"), [roleName(data, d.from)]));
      return true;
    case "inject.applied":
      feed(fmt(_("Event: %(label)s"), { label: d.label }), d.description || "", "inject");
      announce(fmt(_("New event: %s"), [d.label]));
      return true;
    case "game.started":
      game.status = "running";
      feed(_("The game has started"), "", "game");
      return true;
    case "game.paused":
      game.status = "paused";
      game.turn.paused_remaining = d.remaining_seconds;
      feed(_("The facilitator paused the game"), "", "pause");
      announce(_("The game is paused."));
      return true;
    case "game.resumed":
      game.status = "running";
      game.turn.deadline = d.deadline;
      game.turn.paused_remaining = null;
      feed(_("The game resumed"), "", "pause");
      return true;
    case "game.settings":
      if ("observers_read_channels" in d) {
        data.observers_read_channels = d.observers_read_channels;
        feed(d.observers_read_channels ? _("Observers may now read private channels") : _("Private channels are closed to observers"));
      }
      if ("umpire_review" in d) {
        data.umpire_review = d.umpire_review;
        feed(d.umpire_review ? _("The facilitator now reviews each outcome before it is published") : _("Outcomes are now published as adjudicated"));
      }
      return true;
    case "turn.unresolved":
      game.turn.phase = "failed";
      feed(fmt(_("Turn %s could not be resolved; the facilitator has been told."), [d.number]));
      announce(_("The turn could not be resolved; the facilitator has been told."));
      return true;
    case "turn.retried":
      game.turn.phase = "locked";
      feed(fmt(_("The facilitator is resolving turn %s again"), [d.number]));
      return true;
    case "game.finished":
      game.status = "finished";
      // The last turn played, not the one left open when the game was ended.
      if (d.number !== undefined) game.turn = { ...game.turn, number: d.number, label: d.label };
      game.turn.phase = "finished";
      if (d.scores) game.scores = d.scores;
      feed(_("The game is over"), "", "game");
      announce(_("The game is over. The debrief and the replay are open to every seat."));
      if ($("review-links")) $("review-links").hidden = false;
      showGameOver(data);
      return true;
    default:
      return false;
  }
}

export function renderShared(data, focusRole) {
  renderHeader(data.game);
  renderGameOver(data);
  renderDashboard(data, focusRole);
  renderResults(data, focusRole);
  renderHistory(data, focusRole);
  renderScores(data);
  const moved = $("who-moved");
  if (moved) {
    const names = (list) => (list.length ? list.map((r) => roleName(data, r)).join(", ") : _("nobody yet"));
    moved.textContent = fmt(_("Moved: %(moved)s. Locked: %(locked)s."), { moved: names(data.game.moved), locked: names(data.game.locked) });
  }
}

// ---- the turn report ("results are in") -----------------------------------------------

/**
 * The turn report at the top of the page (templates/_turn_report.html), built by the
 * server for this seat (selectors.turn_reports: headline, own moves, others', changes
 * good or bad for this role). A new one opens itself when a turn resolves; dismissing
 * it is remembered in this browser; every earlier report stays reachable from the list.
 */
export class TurnReports {
  constructor(data, onUpdate = () => {}) {
    this.data = data;
    this.onUpdate = onUpdate;
    this.reports = data.reports || [];
    this.storeKey = `lt-report-${data.game.id}-${data.seat.role}`;
    let dismissed = 0;
    try {
      dismissed = Number(localStorage.getItem(this.storeKey) || 0);
    } catch (error) {
      dismissed = 0;
    }
    const last = this.reports[this.reports.length - 1];
    this.shown = last && last.number > dismissed ? last.number : null;
    const dismiss = $("report-dismiss");
    if (dismiss) dismiss.addEventListener("click", () => this.dismiss());
    const pick = $("report-pick");
    if (pick) pick.addEventListener("change", () => this.show(Number(pick.value)));
    this.render();
  }

  /** Fetch the report of a turn that just resolved, and open it. */
  async fetch(number) {
    try {
      const report = await api("GET", `${this.data.api}/turns/${number}/report`);
      this.reports = this.reports.filter((r) => r.number !== report.number).concat([report]).sort((a, b) => a.number - b.number);
      this.data.reports = this.reports;
      // The report names the turn's actions: the results below may now use those labels.
      for (const m of [...report.mine, ...report.others]) this.data.action_labels[`${m.role}:${m.code}`] = m.action;
      this.shown = report.number;
      this.render();
      this.onUpdate();
      const titles = report.headline.map((h) => h.title).join("; ");
      feed(fmt(_("Results of %s are in"), [report.label]), titles, "results");
      return report;
    } catch (error) {
      announce(error.message);
      return null;
    }
  }

  show(number) {
    this.shown = number || null;
    this.render();
    const box = $("turn-report");
    if (box && this.shown) box.focus();
  }

  dismiss() {
    const last = this.reports[this.reports.length - 1];
    try {
      if (last) localStorage.setItem(this.storeKey, String(last.number));
    } catch (error) {
      // No storage: dismissed for this page's life.
    }
    this.shown = null;
    this.render();
  }

  render() {
    const box = $("turn-report");
    if (!box) return;
    const pick = $("report-pick");
    if (pick) {
      clear(pick);
      pick.append(el("option", { value: "", text: _("Choose a turn") }));
      for (const r of [...this.reports].reverse()) {
        pick.append(el("option", { value: String(r.number), text: fmt(_("Turn %(n)s: %(label)s"), { n: r.number, label: r.label }), selected: r.number === this.shown }));
      }
      $("report-history").hidden = !this.reports.length;
    }
    const report = this.reports.find((r) => r.number === this.shown);
    box.hidden = !report;
    if (!report) return;
    $("report-title").textContent = fmt(_("Results are in: %(label)s (turn %(n)s)"), { label: report.label, n: report.number });
    const body = clear($("report-body"));
    body.append(reportBody(report));
  }
}

function movesList(moves, withRole) {
  const list = el("ul", { class: "report-moves" });
  for (const m of moves) {
    list.append(
      el(
        "li",
        { class: `outcome result-${m.result}` },
        withRole ? el("strong", { text: `${m.role_name} · ` }) : null,
        el("strong", { text: m.action }),
        m.target ? ` → ${m.target}` : "",
        ": ",
        el("span", { class: "result", text: m.result_label }),
        el("p", { class: "reason", text: m.reason }),
        m.dice.length ? el("p", { class: "dice", text: m.dice.join("; ") }) : null,
      ),
    );
  }
  return list;
}

const VALENCE = {
  good: () => _("good for you"),
  bad: () => _("bad for you"),
  neutral: () => "",
};

export function reportBody(report) {
  const box = el("div", { class: "report" });
  if (report.headline.length) {
    const list = el("ul", { class: "report-headline" });
    for (const h of report.headline) list.append(el("li", {}, el("strong", { text: h.title }), h.text ? el("p", { text: h.text }) : null));
    box.append(el("h3", { text: _("Headlines") }), list);
  }
  if (report.role) {
    box.append(el("h3", { text: _("Your moves") }));
    if (report.held) box.append(el("p", { class: "muted", text: _("You made no move: you held this turn.") }));
    else box.append(movesList(report.mine, false));
  }
  if (report.others.length) {
    box.append(el("h3", { text: report.role ? _("The other capitals") : _("The capitals' moves") }), movesList(report.others, true));
  } else if (!report.role) {
    box.append(el("p", { class: "muted", text: _("Every capital held.") }));
  }
  box.append(el("h3", { text: report.role ? _("What changed, for you") : _("What changed") }));
  if (!report.changes.length) box.append(el("p", { class: "muted", text: _("Nothing measurable changed.") }));
  const changes = el("ul", { class: "report-changes" });
  for (const c of report.changes) {
    const tag = report.role ? (VALENCE[c.valence] || VALENCE.neutral)() : "";
    changes.append(el("li", { class: `change-${c.valence}` }, tag ? el("span", { class: "valence", text: `${tag}: ` }) : null, c.text));
  }
  if (report.changes.length) box.append(changes);
  if (report.score && report.score.now !== null && report.score.now !== undefined) {
    const delta = report.score.delta > 0 ? `+${report.score.delta}` : String(report.score.delta);
    box.append(el("p", { class: "report-score", text: fmt(_("Your score: %(now)s (%(delta)s this turn)"), { now: report.score.now, delta }) }));
  }
  return box;
}

// ---- the end ----------------------------------------------------------------------------

/** The game-over view (templates/_game_over.html) from the game's `game_over`: final
 * scores ranked with each objective's points, and the turning points. */
export function renderGameOver(data) {
  const box = $("game-over");
  if (!box) return;
  const over = data.game.game_over;
  box.hidden = !over;
  if (!over) return;
  const body = clear($("game-over-body"));
  const table = el("table", { class: "standings" }, el("thead", {}, el("tr", {}, el("th", { scope: "col", text: _("Rank") }), el("th", { scope: "col", text: _("Capital") }), el("th", { scope: "col", text: _("Final score") }), el("th", { scope: "col", text: _("Where the points came from") }))));
  const rows = el("tbody");
  over.standings.forEach((row, index) => {
    const parts = el("ul", { class: "objective-points" }, row.objectives.map((o) => el("li", { text: fmt(_("%(label)s: %(points)s points"), { label: o.label, points: o.points }) })));
    rows.append(el("tr", { class: row.role === data.seat.role ? "mine" : "" }, el("td", { text: String(index + 1) }), el("th", { scope: "row", text: row.name }), el("td", { text: String(row.score) }), el("td", {}, parts)));
  });
  table.append(rows);
  body.append(table);
  if (over.turning_points.length) {
    body.append(el("h3", { text: _("Turning points") }));
    const list = el("ol", { class: "turning-points" });
    for (const point of over.turning_points) {
      const moved = point.deltas.slice(0, 3).map((d) => `${d.role} ${d.delta > 0 ? "+" : ""}${d.delta}`).join(", ");
      list.append(el("li", {}, el("strong", { text: fmt(_("Turn %(n)s: %(label)s"), { n: point.number, label: point.label }) }), point.events.length ? ` — ${point.events.join("; ")}` : "", el("p", { class: "muted", text: fmt(_("Scores moved: %s"), [moved]) })));
    }
    body.append(list);
  }
}

/** After "End game": fetch the game's final view (standings) and show it. */
export async function showGameOver(data) {
  try {
    const game = await api("GET", data.api);
    data.game.game_over = game.game_over;
    renderGameOver(data);
  } catch (error) {
    announce(error.message);
  }
}
