// Installs the site's service worker (sw.js, written by the build), which keeps the pages read
// for reading offline. Progressive: a browser without service workers reads the site the same.
(function () {
  var script = document.currentScript;
  if (!script || !("serviceWorker" in navigator)) return;
  var worker = script.getAttribute("data-worker");
  var scope = script.getAttribute("data-scope");
  window.addEventListener("load", function () {
    navigator.serviceWorker.register(worker, { scope: scope }).catch(function () {});
  });
})();
