// The live class dashboard: the socket says which table changed and sends its card, which
// the page swaps in, keeping the table's tick box. A frame without a card (the server
// could not read it) and a reconnect (what happened while away) fall back to reading the
// card over HTTP, debounced so that a burst of frames is one read.
const tables = document.getElementById("class-tables");
const classId = tables.dataset.class;
const pending = new Map();
const DEBOUNCE_MS = 30;
const lang = document.documentElement.lang || "en";

function card(game) {
  return tables.querySelector(`article[data-game="${game}"]`);
}

function swap(game, html) {
  const old = card(game);
  if (!old) return;
  const holder = document.createElement("div");
  holder.innerHTML = html;
  const fresh = holder.querySelector("article");
  if (!fresh) return;
  const ticked = old.querySelector('input[name="tables"]').checked;
  fresh.querySelector('input[name="tables"]').checked = ticked;
  old.replaceWith(fresh);
}

const framesSwapped = new Map(); // per table: cards swapped in from frames so far

async function refresh(game) {
  pending.delete(game);
  if (!card(game)) return;
  const before = framesSwapped.get(game) || 0;
  const response = await fetch(`/classes/${classId}/tables/${game}/`, {
    credentials: "same-origin",
  });
  if (!response.ok) return;
  const html = await response.text();
  // A card that came with a frame meanwhile is newer than this read: keep it.
  if ((framesSwapped.get(game) || 0) === before) swap(game, html);
}

function changed(game) {
  if (pending.has(game)) return;
  pending.set(game, setTimeout(() => refresh(game), DEBOUNCE_MS));
}

function refreshAll() {
  for (const node of tables.querySelectorAll("article[data-game]")) changed(node.dataset.game);
}

let delay = 500;
let pinger;
function connect(first) {
  const scheme = location.protocol === "https:" ? "wss" : "ws";
  const socket = new WebSocket(
    `${scheme}://${location.host}/ws/classes/${classId}/?lang=${encodeURIComponent(lang)}`,
  );
  socket.addEventListener("open", () => {
    delay = 500;
    document.body.dataset.live = "on";
    if (!first) refreshAll(); // what happened while we were away
  });
  socket.addEventListener("message", (message) => {
    const frame = JSON.parse(message.data);
    if (frame.type !== "table.changed") return;
    const game = String(frame.game);
    if (typeof frame.card !== "string") {
      changed(game);
      return;
    }
    clearTimeout(pending.get(game)); // the card is newer than what that read would bring
    pending.delete(game);
    framesSwapped.set(game, (framesSwapped.get(game) || 0) + 1);
    swap(game, frame.card);
  });
  socket.addEventListener("close", () => {
    document.body.dataset.live = "off";
    setTimeout(() => connect(false), delay);
    delay = Math.min(delay * 2, 10000);
  });
  clearInterval(pinger);
  pinger = setInterval(() => {
    if (socket.readyState === WebSocket.OPEN) socket.send('{"type": "ping"}');
  }, 20000);
}

connect(true);
