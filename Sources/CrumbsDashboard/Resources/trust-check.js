// The certificate check: the proxy's verdict on the page is checked again live by an image
// that only a browser trusting the Crumbs certificate can load over https; the sentences come
// from the page, in its language.
"use strict";
(function () {
  const image = document.getElementById("trust-check");
  const status = document.getElementById("trust-status");
  if (!image || !status) { return; }
  function say(text) {
    status.textContent = "";
    const strong = document.createElement("strong");
    strong.textContent = text;
    status.appendChild(strong);
  }
  function loaded() { say(status.getAttribute("data-trusted")); }
  function failed() { say(status.getAttribute("data-not-trusted")); }
  image.addEventListener("load", loaded);
  image.addEventListener("error", failed);
  if (image.complete) { if (image.naturalWidth > 0) { loaded(); } else { failed(); } }
})();
