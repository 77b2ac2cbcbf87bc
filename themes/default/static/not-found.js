// Hosts that serve one 404 page for the whole site (GitHub Pages) serve the root's for every
// missing address. Under another language's folder, this replaces it with that language's own
// 404 page; the address stays. The page works without it: it links to every language's home.
(function () {
  var script = document.currentScript;
  if (!script || !window.fetch || !window.DOMParser) return;
  var base = script.getAttribute("data-base") || "";
  var current = script.getAttribute("data-lang");
  var codes = (script.getAttribute("data-codes") || "").split(" ");
  var here = location.pathname.slice(base.length).split("/")[1];
  if (!here || here === current || codes.indexOf(here) < 0) return;
  fetch(base + "/" + here + "/404.html").then(function (r) {
    return r.ok ? r.text() : null;
  }).then(function (text) {
    if (!text) return;
    var page = new DOMParser().parseFromString(text, "text/html");
    document.replaceChild(document.adoptNode(page.documentElement), document.documentElement);
  });
})();
