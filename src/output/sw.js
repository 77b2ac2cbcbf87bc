// The site's service worker, written by karvan for this build (SITE above: what it keeps).
// - install: keeps every language's home, services index, offline page and search page, the
//   stylesheet and the scripts in a cache named for this build's version (a digest of them);
// - activate: deletes the caches of earlier builds, so that no old file is served again;
// - pages (and anything not fingerprinted): network first, so that a visitor online always reads
//   the current page; each page read is kept, to be read again offline; offline, a page never
//   read gets the offline page of its language;
// - fingerprinted files (style.1a2b3c4d.css, index.json?v=1a2b3c4d): cache first, since their
//   name changes with their content.
"use strict";
var PRECACHE = "karvan-" + SITE.version;
var PAGES = "karvan-pages";
// How many pages read are kept for offline reading; the oldest go first.
var KEEP = 100;
var FINGERPRINTED = /\.[0-9a-f]{8}\.[a-z0-9]+$/;

self.addEventListener("install", function (event) {
  event.waitUntil(
    caches.open(PRECACHE).then(function (cache) {
      return cache.addAll(SITE.precache.map(function (url) {
        return new Request(url, { cache: "no-cache" });
      }));
    }).then(function () { return self.skipWaiting(); })
  );
});

self.addEventListener("activate", function (event) {
  event.waitUntil(
    caches.keys().then(function (names) {
      return Promise.all(names.filter(function (name) {
        return name.indexOf("karvan-") === 0 && name !== PRECACHE && name !== PAGES;
      }).map(function (name) { return caches.delete(name); }));
    }).then(function () { return self.clients.claim(); })
  );
});

// The language of a path under the site: its first folder, if that is a language.
function languageOf(path) {
  var first = path.slice(SITE.base.length).split("/")[1];
  return SITE.offline[first] ? first : null;
}

// The offline page for a request: the page's language, else the browser's, else the default.
function offlinePage(url) {
  var lang = languageOf(url.pathname);
  if (!lang) {
    var wanted = (self.navigator && self.navigator.languages) || [];
    for (var i = 0; i < wanted.length && !lang; i++) {
      var code = wanted[i].toLowerCase().split("-")[0];
      if (SITE.offline[code]) lang = code;
    }
  }
  return caches.match(SITE.offline[lang || SITE.default]);
}

function keep(request, response) {
  var copy = response.clone();
  return caches.open(PAGES).then(function (cache) {
    return cache.put(request, copy).then(function () { return cache.keys(); }).then(function (keys) {
      return Promise.all(keys.slice(0, Math.max(0, keys.length - KEEP)).map(function (key) {
        return cache.delete(key);
      }));
    });
  });
}

function networkFirst(event, url) {
  var request = event.request;
  return fetch(request).then(function (response) {
    if (response.ok && response.type === "basic") event.waitUntil(keep(request, response));
    return response;
  }).catch(function () {
    var navigation = request.mode === "navigate";
    return caches.match(request, { ignoreSearch: navigation }).then(function (found) {
      if (found) return found;
      if (navigation) return offlinePage(url);
      return Response.error();
    });
  });
}

function cacheFirst(request, url) {
  return caches.match(request).then(function (found) {
    return found || fetch(request).then(function (response) {
      if (response.ok) {
        var copy = response.clone();
        caches.open(PRECACHE).then(function (cache) { cache.put(request, copy); });
      }
      return response;
    }).catch(function () {
      // A page kept from an earlier build names an earlier fingerprint: offline, it gets the
      // current file of the same name (style.css), which this build's pages use.
      var current = SITE.assets[url.pathname.replace(FINGERPRINTED, function (m) {
        return m.slice(9);
      })];
      return current ? caches.match(current) : Response.error();
    });
  });
}

self.addEventListener("fetch", function (event) {
  var request = event.request;
  if (request.method !== "GET") return;
  var url = new URL(request.url);
  if (url.origin !== self.location.origin || url.pathname.indexOf(SITE.base + "/") !== 0) return;
  // A stream (karvan serve's reload events) never ends: it is not the worker's to keep.
  if ((request.headers.get("accept") || "").indexOf("text/event-stream") >= 0) return;
  if (FINGERPRINTED.test(url.pathname) || /^\?v=[0-9a-f]{8}$/.test(url.search)) {
    event.respondWith(cacheFirst(request, url));
  } else {
    event.respondWith(networkFirst(event, url));
  }
});
