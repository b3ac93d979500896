// Today's digest, kept current: every 30 seconds while the page is shown, the server draws the
// digest so far again (the same escaped template as the page) and it replaces the old one.
// Without this script the page shows the digest as it was when loaded.
"use strict";
(function () {
  const digest = document.getElementById("today-digest");
  if (!digest || !window.fetch) {
    return;
  }
  const EVERY_MS = 30000;
  function refresh() {
    if (document.hidden) {
      return;
    }
    fetch(digest.dataset.refresh, { credentials: "same-origin", cache: "no-store" })
      .then(function (response) {
        return response.ok ? response.text() : null;
      })
      .then(function (html) {
        if (html !== null) {
          digest.innerHTML = html;
          document.body.dataset.refreshed = String(Date.now());
        }
      })
      .catch(function () { /* offline for a moment: the next round tries again */ });
  }
  setInterval(refresh, EVERY_MS);
  document.addEventListener("visibilitychange", refresh);
})();
