// The live page: new requests from the server's event stream, newest first, at most a few
// updates a second (the server batches them). Text from the network reaches the page only as
// textContent. Without this script the page still shows the requests as they were when loaded.
"use strict";
(function () {
  const live = document.getElementById("live");
  const rows = document.getElementById("live-rows");
  const status = document.getElementById("live-status");
  const pause = document.getElementById("live-pause");
  if (!live || !rows || !status || !pause || !window.EventSource) {
    return;
  }
  const text = live.dataset;
  const MAX_ROWS = 200;
  let paused = false;
  let held = [];

  function cell(row, value) {
    const td = document.createElement("td");
    td.textContent = value;
    row.appendChild(td);
    return td;
  }

  function row(request) {
    const tr = document.createElement("tr");
    if (request.tracker) {
      tr.className = "tracker";
    }
    cell(tr, request.time);
    cell(tr, request.device);
    cell(tr, request.host);
    const site = cell(tr, request.site || "");
    if (request.guessed) {
      const mark = document.createElement("em");
      mark.textContent = " (" + text.guess + ")";
      site.appendChild(mark);
    }
    cell(tr, request.company || "");
    cell(tr, request.categories.join(", "));
    cell(tr, request.tracker ? text.yes : text.no);
    cell(tr, request.cookies.join(", "));
    return tr;
  }

  function show(requests) {
    const empty = document.getElementById("live-empty");
    if (empty && requests.length > 0) {
      empty.remove();
    }
    for (const request of requests) {
      rows.insertBefore(row(request), rows.firstChild);
    }
    while (rows.rows.length > MAX_ROWS) {
      rows.deleteRow(rows.rows.length - 1);
    }
  }

  function say(message) {
    status.textContent = message;
  }

  pause.hidden = false;
  pause.addEventListener("click", function () {
    paused = !paused;
    pause.setAttribute("aria-pressed", String(paused));
    pause.textContent = paused ? text.resume : text.pause;
    if (!paused) {
      show(held);
      held = [];
      say("");
    }
  });

  const source = new EventSource(text.stream + "&after=" + encodeURIComponent(text.after));
  source.addEventListener("requests", function (event) {
    const batch = JSON.parse(event.data);
    if (paused) {
      held = held.concat(batch.requests).slice(-MAX_ROWS);
      say(text.held.replace("{count}", String(held.length)));
      return;
    }
    show(batch.requests);
    say(batch.skipped > 0 ? text.skipped.replace("{count}", String(batch.skipped)) : "");
  });
  source.addEventListener("end", function () {
    source.close();
    say(text.closed);
  });
  document.body.dataset.live = "connected";
})();
