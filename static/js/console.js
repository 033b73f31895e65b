// The facilitator's console: run the clock, watch seats, inject, review, broadcast.
import {
  $, _, Live, Messages, RESULTS, TurnReports, actionLabel, announce, api, applyCommon, clear, el,
  feed, fmt, localiseNews, pageData, renderShared, roleName, setConnection, startClock, turnResult,
} from "./common.js";

const data = pageData();
const messages = new Messages(data, { sendable: false });
const reports = new TurnReports(data, () => render());
const roles = data.roles.map((r) => r.slug);

// ---- controls ----------------------------------------------------------------------

async function control(action) {
  $("control-error").textContent = "";
  try {
    const query = action === "resolve" ? `?turn=${data.game.turn.number}` : "";
    if (action === "finish" && !confirm(_("End the game now? The open turn will not be resolved."))) return;
    if (action === "resolve" && data.game.turn.phase === "open" && !confirm(resolveQuestion())) return;
    await api("POST", `${data.api}/${action}${query}`);
  } catch (error) {
    $("control-error").textContent = error.message;
  }
}

function resolveQuestion() {
  // What cannot be undone is said before it happens: who has not moved, who has not locked.
  const game = data.game;
  const names = (slugs) => slugs.map((slug) => roleName(data, slug)).join(", ");
  const notMoved = roles.filter((slug) => !(game.moved || []).includes(slug));
  const notLocked = roles.filter((slug) => !(game.locked || []).includes(slug) && !notMoved.includes(slug));
  let text = fmt(_("Resolve turn %s now? This cannot be undone."), [game.turn.number]);
  if (notMoved.length) text += " " + fmt(_("Not moved yet, so they will hold: %s."), [names(notMoved)]);
  if (notLocked.length) text += " " + fmt(_("Moved but not locked: %s."), [names(notLocked)]);
  return text;
}

function hasClock(game) {
  if (game.status === "paused") return game.turn.paused_remaining !== null && game.turn.paused_remaining !== undefined;
  return Boolean(game.turn.deadline);
}

async function setClock(seconds) {
  $("control-error").textContent = "";
  try {
    await api("POST", `${data.api}/clock`, { seconds });
  } catch (error) {
    $("control-error").textContent = error.message;
  }
}

async function extend(seconds) {
  $("control-error").textContent = "";
  try {
    await api("POST", `${data.api}/extend`, { seconds });
  } catch (error) {
    $("control-error").textContent = error.message;
  }
}

// A switch's new state is kept before its request goes out: a live event re-renders the
// controls from `data` meanwhile, which would otherwise flip the box back under the click.
async function reviewMode(event) {
  const on = event.target.checked;
  data.umpire_review = on;
  try {
    await api("POST", `${data.api}/review-mode`, { on });
    feed(on ? _("Umpire review is on") : _("Umpire review is off"));
  } catch (error) {
    data.umpire_review = event.target.checked = !on;
    $("control-error").textContent = error.message;
  }
}

async function observersRead(event) {
  const on = event.target.checked;
  data.observers_read_channels = on;
  try {
    await api("POST", `${data.api}/observers`, { read_channels: on });
  } catch (error) {
    data.observers_read_channels = event.target.checked = !on;
    $("control-error").textContent = error.message;
  }
}

function renderControls() {
  const game = data.game;
  const state = { lobby: ["start"], running: ["pause", "resolve", "finish", "extend"], paused: ["resume", "finish", "extend"] }[game.status] || [];
  for (const button of document.querySelectorAll("[data-control]")) button.disabled = !state.includes(button.dataset.control);
  const clockable = state.includes("extend") && game.turn.phase === "open";
  const clock = hasClock(game);
  for (const button of document.querySelectorAll("[data-extend]")) button.disabled = !clockable || !clock;
  $("clock-set").disabled = !clockable;
  $("clock-clear").disabled = !clockable || !clock;
  $("clock-state").textContent = !clockable
    ? _("The clock runs while a turn is open for moves.")
    : clock
      ? _("The turn resolves by itself when the clock runs out.")
      : _("No clock: the turn waits until every capital has locked, or until you resolve it.");
  $("review-mode").checked = Boolean(data.umpire_review);
  $("observers-read").checked = Boolean(data.observers_read_channels);
}

// ---- a failed turn ----------------------------------------------------------------

function renderFailure() {
  const failure = data.game.failure;
  const panel = $("failure");
  panel.hidden = !(failure && data.game.turn.phase === "failed");
  if (panel.hidden) return;
  $("failure-error").textContent = failure.error;
  $("failure-attempts").textContent = fmt(_("Turn %(n)s; attempts: %(attempts)s."), { n: failure.number, attempts: failure.attempts });
}

// ---- seats and moves ---------------------------------------------------------------

function renderSeats() {
  const body = clear(document.querySelector("#seats tbody"));
  for (const seat of data.seats) {
    const online = data.presence.filter((p) => p.role === seat.role).map((p) => p.name);
    const link = `${location.origin}/join/${seat.code}/`;
    const plays = roles.includes(seat.role);
    body.append(
      el(
        "tr",
        {},
        el("th", { scope: "row", text: roleName(data, seat.role) + (seat.kind === "bot" ? ` (${_("bot")})` : "") }),
        el("td", {}, seat.kind === "bot" ? "–" : el("a", { href: link, text: seat.code, title: link })),
        el("td", { text: seat.kind === "bot" ? _("bot") : online.length ? online.join(", ") : _("no one") }),
        el("td", { text: plays ? (data.game.moved.includes(seat.role) ? "✓" : "–") : "" }),
        el("td", { text: plays ? (data.game.locked.includes(seat.role) ? "✓" : "–") : "" }),
      ),
    );
  }
}

function renderAllMoves() {
  const list = clear($("all-moves"));
  for (const move of data.game.moves || []) {
    list.append(el("li", {}, el("strong", { text: roleName(data, move.role) }), ` · ${actionLabel(data, move.role, move.action)}`, move.target ? ` → ${roleName(data, move.target)}` : "", move.rationale ? el("p", { class: "muted", text: move.rationale }) : null));
  }
  if (!(data.game.moves || []).length) list.append(el("li", { class: "muted", text: _("No moves yet this turn.") }));
}

// ---- effects editor (injects and overrides) ----------------------------------------

function effectRow(container) {
  const row = el("div", { class: "effect-row" });
  const variable = el("select", { "aria-label": _("Variable") }, data.variables.map((v) => el("option", { value: v.path, text: v.label })));
  const kind = el("select", { "aria-label": _("Change") }, el("option", { value: "add", text: _("add") }), el("option", { value: "set", text: _("set to") }));
  const value = el("input", { "aria-label": _("Value"), size: "8" });
  const remove = el("button", { type: "button", class: "link", text: _("Remove"), onclick: () => row.remove() });
  row.append(variable, kind, value, remove);
  container.append(row);
}

function readEffects(container) {
  return [...container.querySelectorAll(".effect-row")].map((row) => {
    const [variable, kind, value] = row.querySelectorAll("select, input");
    const raw = value.value.trim();
    const parsed = /^-?\d+$/.test(raw) ? Number(raw) : raw;
    return { var: variable.value, [kind.value]: parsed };
  });
}

// ---- review ------------------------------------------------------------------------

const RESULT_CODES = ["succeeded", "failed", "unanswered", "no_effect", "blocked", "partial", "held"];

function renderReview() {
  const panel = $("review");
  const proposal = data.proposal;
  panel.hidden = !proposal;
  if (!proposal) return;
  const box = clear($("review-outcomes"));
  box.append(el("h3", { text: fmt(_("Turn %s as adjudicated"), [proposal.number]) }), turnResult(data, proposal, null));
  const table = el("table", {}, el("thead", {}, el("tr", {}, el("th", { scope: "col", text: _("Move") }), el("th", { scope: "col", text: _("Result") }), el("th", { scope: "col", text: _("If you change it") }))));
  const body = el("tbody");
  proposal.outcomes.forEach((outcome, index) => {
    const label = actionLabel(data, outcome.role, outcome.action);
    const select = el("select", { "data-index": String(index), "aria-label": fmt(_("Result of %s"), [label]) }, RESULT_CODES.map((code) => el("option", { value: code, text: RESULTS[code](), selected: code === outcome.result })));
    // A move marked failed loses its rules' effects unless the umpire keeps them.
    const keep = el("input", { type: "checkbox", "data-keep": String(index), id: `review-keep-${index}` });
    const keepLabel = el("label", { for: `review-keep-${index}` }, keep, " ", _("keep its effects"));
    body.append(el("tr", {}, el("td", { text: `${roleName(data, outcome.role)} · ${label}` }), el("td", {}, select), el("td", {}, keepLabel)));
  });
  table.append(body);
  box.append(table);
  clear($("review-effects"));
  $("review-reason").value = "";
  $("review-error").textContent = "";
  announce(_("An outcome is waiting for your review."));
}

async function accept() {
  try {
    await api("POST", `${data.api}/review/accept?turn=${data.proposal.number}`);
  } catch (error) {
    $("review-error").textContent = error.message;
  }
}

async function override(event) {
  event.preventDefault();
  const results = [...document.querySelectorAll("#review-outcomes select[data-index]")]
    .map((select) => ({ index: Number(select.dataset.index), result: select.value }))
    .filter((r) => r.result !== data.proposal.outcomes[r.index].result)
    .map((r) => ($(`review-keep-${r.index}`).checked ? { ...r, keep_effects: true } : r));
  try {
    await api("POST", `${data.api}/review/override`, {
      reason: $("review-reason").value,
      effects: readEffects($("review-effects")),
      results,
      turn: data.proposal.number,
    });
  } catch (error) {
    $("review-error").textContent = error.message;
  }
}

// ---- injects and broadcast ---------------------------------------------------------

function checks(container, name, withAll) {
  clear(container);
  const options = withAll ? ["all", ...roles] : roles;
  for (const slug of options) {
    container.append(el("label", {}, el("input", { type: "checkbox", name, value: slug, checked: slug === "all" }), ` ${roleName(data, slug)}`));
  }
}

function chosen(container) {
  const values = [...container.querySelectorAll("input:checked")].map((i) => i.value);
  return values.includes("all") || !values.length ? ["all"] : values;
}

async function inject(event) {
  event.preventDefault();
  $("inject-error").textContent = "";
  const effects = readEffects($("inject-effects"));
  const label = $("inject-label").value.trim();
  const body = label || effects.length
    ? { inject: null, label, description: $("inject-description").value, effects, audience: chosen($("inject-audience")) }
    : { inject: $("inject-id").value, audience: chosen($("inject-audience")) };
  try {
    await api("POST", `${data.api}/injects`, body);
    $("inject-label").value = "";
    $("inject-description").value = "";
    clear($("inject-effects"));
    const done = fmt(_("Injected: %s. It takes effect when the turn resolves; the players see it in their news."), [label || data.injects.find((i) => i.id === body.inject).label]);
    injectStatus(done);
    announce(done);
  } catch (error) {
    $("inject-error").textContent = error.message;
  }
}

/** A scenario inject's description and effects, shown before it is fired. */
function injectPreview() {
  let box = $("inject-preview");
  if (!box) {
    box = el("div", { id: "inject-preview", class: "inject-preview muted", "aria-live": "polite" });
    $("inject-id").after(box);
  }
  clear(box);
  const item = data.injects.find((i) => i.id === $("inject-id").value);
  if (!item) return;
  if (item.description) box.append(el("p", { text: item.description }));
  if (item.effects.length) box.append(el("p", { text: fmt(_("Effects when the turn resolves: %s"), [item.effects.join("; ")]) }));
}

function injectStatus(text) {
  let node = $("inject-status");
  if (!node) {
    node = el("p", { id: "inject-status", class: "inject-status", role: "status" });
    $("inject-error").after(node);
  }
  node.textContent = text;
}

async function broadcast(event) {
  event.preventDefault();
  $("broadcast-error").textContent = "";
  const to = chosen($("broadcast-to"));
  try {
    await api("POST", `${data.api}/messages`, { to: to[0] === "all" ? "all" : to, text: $("broadcast-text").value });
    $("broadcast-text").value = "";
  } catch (error) {
    $("broadcast-error").textContent = error.message;
  }
}

// ---- live --------------------------------------------------------------------------

function render() {
  renderShared(data, null);
  renderControls();
  renderFailure();
  renderSeats();
  renderAllMoves();
}

function onEvent(frame) {
  const d = frame.data;
  switch (frame.type) {
    case "move.recorded":
      data.game.moves = [...(data.game.moves || []).filter((m) => m.id !== d.move.id), d.move];
      break;
    case "move.withdrawn":
      data.game.moves = (data.game.moves || []).filter((m) => m.id !== d.move);
      break;
    case "presence":
      if (d.online) data.presence.push({ role: d.role, name: d.name });
      else {
        const index = data.presence.findIndex((p) => p.role === d.role && p.name === d.name);
        if (index >= 0) data.presence.splice(index, 1);
      }
      break;
    case "turn.proposed":
      data.proposal = d;
      data.game.turn.phase = "review";
      renderReview();
      break;
    case "turn.resolved":
      reports.fetch(d.number);
      applyCommon(data, frame, messages);
      data.proposal = null;
      renderReview();
      break;
    case "turn.failed":
      data.game.failure = d;
      data.game.turn.phase = "failed";
      announce(fmt(_("Turn %s could not be resolved; see why, and retry."), [d.number]));
      break;
    case "turn.retried":
      applyCommon(data, frame, messages);
      data.game.failure = null;
      break;
    case "game.settings":
      if ("umpire_review" in d && !("observers_read_channels" in d)) data.umpire_review = d.umpire_review;
      else applyCommon(data, frame, messages);
      break;
    default:
      if (!applyCommon(data, frame, messages)) return;
  }
  render();
}

for (const button of document.querySelectorAll("[data-control]")) button.addEventListener("click", () => control(button.dataset.control));
for (const button of document.querySelectorAll("[data-extend]")) button.addEventListener("click", () => extend(Number(button.dataset.extend)));
$("clock-set").addEventListener("click", () => setClock(Math.round(Number($("clock-minutes").value) * 60)));
$("clock-clear").addEventListener("click", () => setClock(null));
$("review-mode").addEventListener("change", reviewMode);
$("observers-read").addEventListener("change", observersRead);
$("review-accept").addEventListener("click", accept);
$("failure-retry").addEventListener("click", () => control("resolve"));
$("review-form").addEventListener("submit", override);
$("add-review-effect").addEventListener("click", () => effectRow($("review-effects")));
$("add-inject-effect").addEventListener("click", () => effectRow($("inject-effects")));
$("inject-form").addEventListener("submit", inject);
$("broadcast-form").addEventListener("submit", broadcast);
const injectSelect = $("inject-id");
for (const item of data.injects) injectSelect.append(el("option", { value: item.id, text: item.label }));
injectSelect.addEventListener("change", injectPreview);
injectPreview();
localiseNews();
checks($("inject-audience"), "inject-audience", true);
checks($("broadcast-to"), "broadcast-to", true);
render();
renderReview();
startClock(() => data.game);
new Live(data.ws_path, data.game.last_seq, onEvent, setConnection).connect();
