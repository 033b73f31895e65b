// The live class dashboard: the socket says which table changed; the page reads that
// table's card again (debounced, so a burst of bot moves is one read) and swaps it in,
// keeping the table's tick box. After a reconnect every table is read again.
const tables = document.getElementById("class-tables");
const classId = tables.dataset.class;
const pending = new Map();
const DEBOUNCE_MS = 30;

function card(game) {
  return tables.querySelector(`article[data-game="${game}"]`);
}

async function refresh(game) {
  pending.delete(game);
  const old = card(game);
  if (!old) return;
  const response = await fetch(`/classes/${classId}/tables/${game}/`, {
    credentials: "same-origin",
  });
  if (!response.ok) return;
  const holder = document.createElement("div");
  holder.innerHTML = await response.text();
  const fresh = holder.querySelector("article");
  const ticked = old.querySelector('input[name="tables"]').checked;
  fresh.querySelector('input[name="tables"]').checked = ticked;
  old.replaceWith(fresh);
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
  const socket = new WebSocket(`${scheme}://${location.host}/ws/classes/${classId}/`);
  socket.addEventListener("open", () => {
    delay = 500;
    document.body.dataset.live = "on";
    if (!first) refreshAll(); // what happened while we were away
  });
  socket.addEventListener("message", (message) => {
    const frame = JSON.parse(message.data);
    if (frame.type === "table.changed") changed(String(frame.game));
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
