// The player's page: one capital's briefing, moves, channels and results, kept live.
import {
  $, _, Live, Messages, announce, api, applyCommon, clear, el, fmt, pageData, renderShared,
  roleName, setConnection, startClock,
} from "./common.js";

const data = pageData();
const me = data.seat.role;
const actions = data.game.role.actions;
const messages = new Messages(data, { sendable: true });

function budgetLeft() {
  return data.game.action_budget - data.game.my_moves.length;
}

function canAct() {
  return data.game.status === "running" && data.game.turn.phase === "open" && !data.game.locked.includes(me);
}

function fillActions() {
  const select = $("action");
  clear(select);
  for (const action of actions) select.append(el("option", { value: action.code, text: action.label }));
  select.addEventListener("change", fillTargets);
  fillTargets();
}

function fillTargets() {
  const action = actions.find((a) => a.code === $("action").value);
  const select = clear($("target"));
  $("action-help").textContent = action ? action.description : "";
  const targets = action ? action.targets : [];
  $("target-field").hidden = targets.length === 0;
  select.required = targets.length > 1;
  if (targets.length > 1) select.append(el("option", { value: "", text: _("Choose a target") }));
  for (const slug of targets) select.append(el("option", { value: slug, text: roleName(data, slug) }));
}

function renderMoves() {
  const list = clear($("my-moves"));
  for (const move of data.game.my_moves) {
    const action = actions.find((a) => a.code === move.action);
    const item = el("li", {}, el("strong", { text: action ? action.label : move.action }), move.target ? ` → ${roleName(data, move.target)}` : "", move.rationale ? el("p", { class: "muted", text: move.rationale }) : null);
    if (canAct()) {
      item.append(el("button", { type: "button", class: "link", text: _("Withdraw"), "aria-label": fmt(_("Withdraw %s"), [action ? action.label : move.action]), onclick: () => withdraw(move.id) }));
    }
    list.append(item);
  }
  if (!data.game.my_moves.length) list.append(el("li", { class: "muted", text: _("No moves yet: a capital without moves holds.") }));
  $("budget").textContent = fmt(_("Actions left this turn: %(left)s of %(budget)s."), { left: budgetLeft(), budget: data.game.action_budget });
  const open = canAct();
  $("submit-move").disabled = !open || budgetLeft() <= 0;
  $("lock").disabled = !open;
  const locked = data.game.locked.includes(me);
  $("lock-state").textContent = locked ? _("Your moves are locked for this turn.") : open ? _("Lock when you are done; the turn resolves once every capital has locked or the clock runs out.") : "";
}

async function submit(event) {
  event.preventDefault();
  $("move-error").textContent = "";
  try {
    await api("POST", `${data.api}/moves`, { action: $("action").value, target: $("target").value || null, rationale: $("rationale").value });
    $("rationale").value = "";
    announce(_("Move submitted."));
  } catch (error) {
    $("move-error").textContent = error.message;
  }
}

async function withdraw(id) {
  try {
    await api("DELETE", `${data.api}/moves/${id}`);
  } catch (error) {
    $("move-error").textContent = error.message;
  }
}

async function lock() {
  if (!confirm(_("Lock your moves? You cannot change them afterwards this turn."))) return;
  try {
    await api("POST", `${data.api}/lock`);
  } catch (error) {
    $("move-error").textContent = error.message;
  }
}

function render() {
  renderShared(data, me);
  renderMoves();
}

function onEvent(frame) {
  const d = frame.data;
  if (frame.type === "move.recorded") {
    if (!data.game.my_moves.some((m) => m.id === d.move.id)) data.game.my_moves.push(d.move);
  } else if (frame.type === "move.withdrawn") {
    data.game.my_moves = data.game.my_moves.filter((m) => m.id !== d.move);
  } else if (!applyCommon(data, frame, messages)) {
    return;
  }
  render();
}

fillActions();
$("move-form").addEventListener("submit", submit);
$("lock").addEventListener("click", lock);
render();
startClock(() => data.game);
new Live(data.ws_path, data.game.last_seq, onEvent, setConnection).connect();
