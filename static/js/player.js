// The player's page: one capital's briefing, moves, channels and results, kept live.
import {
  $, _, Live, Messages, TurnReports, announce, api, applyCommon, clear, el, fmt, localiseNews,
  pageData, renderShared, roleName, setConnection, startClock,
} from "./common.js";

const data = pageData();
const me = data.seat.role;
const actions = data.game.role.actions;
const messages = new Messages(data, { sendable: true });
const reports = new TurnReports(data, render);

function budgetLeft() {
  return data.game.action_budget - data.game.my_moves.length;
}

function canAct() {
  return data.game.status === "running" && data.game.turn.phase === "open" && !data.game.locked.includes(me);
}

// ---- the odds (selectors.move_odds): what a move needs, its chance now, what changes it --

function oddsFor(code, target) {
  const odds = data.odds || {};
  return odds[target ? `${code}>${target}` : code] || odds[code] || null;
}

/** Can the action do anything now, for some target? (False: say so in its option.) */
function actionPossible(action) {
  const targets = action.targets.length ? action.targets : [null];
  return targets.some((t) => {
    const odds = oddsFor(action.code, t);
    return !odds || odds.possible;
  });
}

function fillActions() {
  const select = $("action");
  const chosen = select.value;
  clear(select);
  for (const action of actions) {
    const text = actionPossible(action) ? action.label : fmt(_("%s (can do nothing now)"), [action.label]);
    select.append(el("option", { value: action.code, text, selected: action.code === chosen }));
  }
  fillTargets();
}

function fillTargets() {
  const action = actions.find((a) => a.code === $("action").value);
  const select = $("target");
  const chosenTarget = select.value;
  clear(select);
  $("action-help").textContent = action ? action.description : "";
  const targets = action ? action.targets : [];
  $("target-field").hidden = targets.length === 0;
  select.required = targets.length > 1;
  if (targets.length > 1) select.append(el("option", { value: "", text: _("Choose a target") }));
  for (const slug of targets) select.append(el("option", { value: slug, text: roleName(data, slug), selected: slug === chosenTarget }));
  renderOdds();
}

function oddsBox() {
  let box = $("odds");
  if (!box) {
    box = el("div", { id: "odds", class: "odds", "aria-live": "polite" });
    $("target-field").after(box);
  }
  return box;
}

function renderOdds() {
  const box = clear(oddsBox());
  const action = actions.find((a) => a.code === $("action").value);
  if (!action || action.code === "hold") return;
  const target = $("target").value || (action.targets.length === 1 ? action.targets[0] : null);
  const odds = oddsFor(action.code, target);
  if (!odds) return;
  if (!odds.possible) {
    box.append(el("p", { class: "odds-none", text: _("This move can do nothing now:") }), el("ul", {}, odds.why_not.map((w) => el("li", { text: w }))));
    return;
  }
  for (const rule of odds.rules) {
    const item = el("div", { class: "odds-rule" });
    item.append(el("p", {}, el("strong", { text: rule.title }), ` — ${fmt(_("result: %s"), [rule.result])}`));
    if (rule.needs.length) item.append(el("p", { class: "odds-needs", text: fmt(_("Needs, in the same month: %s"), [rule.needs.join(_(" and "))]) }));
    item.append(el("p", { class: "odds-chance", text: rule.chance_text }));
    if (rule.mods.length) {
      item.append(el("ul", { class: "odds-mods" }, rule.mods.map((m) => el("li", { class: m.applies === true ? "applies" : "" }, `${m.text} (${m.status})`))));
    }
    box.append(item);
  }
}

async function refreshOdds() {
  try {
    const body = await api("GET", `${data.api}/odds`);
    data.odds = body.odds;
    fillActions();
  } catch (error) {
    // A finished game has no odds; the form is disabled then anyway.
  }
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
  if (frame.type === "turn.resolved") {
    reports.fetch(d.number);
    refreshOdds();
  }
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
$("action").addEventListener("change", fillTargets);
$("target").addEventListener("change", renderOdds);
localiseNews();
$("move-form").addEventListener("submit", submit);
$("lock").addEventListener("click", lock);
render();
startClock(() => data.game);
new Live(data.ws_path, data.game.last_seq, onEvent, setConnection).connect();
