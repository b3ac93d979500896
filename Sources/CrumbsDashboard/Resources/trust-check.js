(function () {
  var image = document.getElementById("trust-check");
  var status = document.getElementById("trust-status");
  if (!image || !status) { return; }
  function say(text) {
    status.textContent = "";
    var strong = document.createElement("strong");
    strong.textContent = text;
    status.appendChild(strong);
  }
  function loaded() { say(status.getAttribute("data-trusted")); }
  function failed() { say(status.getAttribute("data-not-trusted")); }
  image.addEventListener("load", loaded);
  image.addEventListener("error", failed);
  if (image.complete) { if (image.naturalWidth > 0) { loaded(); } else { failed(); } }
})();
