// A Monte Carlo job's progress bar, live over the WebSocket (wargame/ws/lab.py).
// Messages only move the bar forward (chunks_done only grows); when the job ends the
// page reloads once to show its results. The status is written as the socket labels it
// (`status_label`, in the page's language); `status` is the code the script checks.
(function () {
  "use strict";
  const box = document.getElementById("lab-progress");
  if (!box) return;
  const status = box.dataset.status;
  if (status !== "queued" && status !== "running") return;
  const bar = document.getElementById("lab-bar");
  const done = document.getElementById("lab-done");
  const rate = document.getElementById("lab-rate");
  const left = document.getElementById("lab-left");
  const said = document.getElementById("lab-status");
  let chunks = -1;
  const scheme = location.protocol === "https:" ? "wss" : "ws";
  const url = scheme + "://" + location.host + "/ws/lab/" + box.dataset.simulation + "/";
  function show(data) {
    if (data.chunks_done < chunks) return;  // an older message, arrived late
    chunks = data.chunks_done;
    bar.value = data.done;
    done.textContent = data.done;
    rate.textContent = data.runs_per_second;
    left.textContent =
      data.seconds_left === null ? "–" : interpolate(gettext("%s s"), [data.seconds_left]);
    if (data.status_label) said.textContent = data.status_label;
    if (data.status !== "queued" && data.status !== "running") {
      window.setTimeout(function () { location.reload(); }, 300);
    }
  }
  function connect() {
    const socket = new WebSocket(url);
    socket.onmessage = function (event) {
      const message = JSON.parse(event.data);
      if (message.type === "simulation.progress") show(message.data);
    };
    socket.onclose = function () { window.setTimeout(connect, 2000); };
  }
  connect();
})();
