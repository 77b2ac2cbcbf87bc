// Search without a server, on the search page only: answers the form, loads the language's index
// (named by the form's data-index) at the first query, and lists what it finds. The index holds
// the texts as written; this script folds and stems the index and the query alike, so that
// "muveqqeti" finds "müvəqqəti", "елка" finds "ёлка" and "регистрации" finds "регистрация".
(function () {
  "use strict";
  var form = document.getElementById("search");
  if (!form || !window.fetch || !String.prototype.normalize) return;
  var lang = document.documentElement.lang;
  var input = form.querySelector("input");
  var box = document.getElementById("search-results");
  var status = document.getElementById("search-status");
  var list = document.getElementById("search-list");
  var items = null;
  var loading = null;

  // Lower case by the language's rules (Azerbaijani I → ı, İ → i), then without diacritics:
  // ə → e, ı → i, ö → o, ü → u, ğ → g, ç → c, ş → s, ё → е; й stays й.
  function fold(text) {
    var lower;
    try { lower = text.toLocaleLowerCase(lang); } catch (e) { lower = text.toLowerCase(); }
    return lower.normalize("NFD")
      .replace(/и\u0306/g, "й")
      .replace(/[\u0300-\u036f]/g, "")
      .replace(/ə/g, "e").replace(/ı/g, "i").replace(/ß/g, "ss");
  }

  // Endings, folded, longest first, taken off until the stem would be shorter than 3 letters.
  var ENDINGS = {
    // Russian: nouns, adjectives and verbs in their common cases and forms.
    ru: ["иями", "ями", "ами", "иях", "ией", "ием", "иям", "ого", "его", "ому", "ему", "ыми", "ими",
      "ать", "ять", "ить", "еть", "ешь", "ете", "ах", "ях", "ам", "ям", "ом", "ем", "ой", "ей", "ий",
      "ый", "ое", "ее", "ые", "ие", "ая", "яя", "ую", "юю", "ия", "ие", "ии", "ию", "ью", "ья", "ов",
      "ев", "ть", "ет", "ут", "ют", "ит", "ат", "ят", "ла", "ли", "ло", "а", "я", "о", "е", "ы", "и",
      "у", "ю", "ь", "й"],
    // Azerbaijani (folded: ə → e, ı → i…): case, possessive and plural suffixes, which stack.
    az: ["lerinden", "larindan", "lerinde", "larinda", "lerine", "larina", "lerini", "larini",
      "lerin", "larin", "leri", "lari", "ler", "lar", "nden", "ndan", "ndan", "dan", "den", "tan",
      "ten", "nde", "nda", "da", "de", "ta", "te", "nin", "nun", "in", "un", "ye", "ya", "ne", "na",
      "si", "su", "ni", "nu", "miz", "muz", "niz", "nuz", "im", "um", "e", "a", "i", "u"],
    // English: plurals and a final e or y (licence, licences; country, countries).
    en: ["ies", "es", "s", "e", "y"]
  };
  var endings = (ENDINGS[lang.split("-")[0]] || []).sort(function (a, b) { return b.length - a.length; });

  function stem(word) {
    for (var round = 0; round < 3; round++) {
      var cut = false;
      for (var i = 0; i < endings.length; i++) {
        var e = endings[i];
        if (word.length - e.length >= 3 && word.slice(-e.length) === e) {
          word = word.slice(0, -e.length);
          cut = true;
          break;
        }
      }
      if (!cut || lang.split("-")[0] !== "az") break;
    }
    return word;
  }

  function words(text) {
    return fold(text).split(/[^\p{L}\p{N}]+/u).filter(function (w) { return w; });
  }

  // Each item as [url, title, summary, lang, fields]: a field is [weight, words, stems].
  function prepare(index) {
    return index.items.map(function (row) {
      var fields = [[8, row[1]], [2, row[2]], [4, row[3]]].map(function (f) {
        var w = words(f[1]);
        return [f[0], w, w.map(stem)];
      });
      return [row[0], row[1], row[2], row[4] || null, fields];
    });
  }

  function load() {
    if (!loading) {
      loading = fetch(form.getAttribute("data-index")).then(function (r) {
        if (!r.ok) throw new Error(r.status);
        return r.json();
      }).then(function (index) { items = prepare(index); });
    }
    return loading;
  }

  // Every word of the query must be found: as a word of the same stem, or as the start of a
  // word (while it is being typed). A title counts most, then headings and keywords, then the
  // summary.
  function find(query) {
    var terms = words(query).map(function (w) { return [w, stem(w)]; });
    if (!terms.length) return [];
    var found = [];
    items.forEach(function (item, order) {
      var score = 0;
      for (var t = 0; t < terms.length; t++) {
        var best = 0;
        item[4].forEach(function (field) {
          for (var i = 0; i < field[1].length; i++) {
            if (field[2][i] === terms[t][1]) best = Math.max(best, field[0] * 2);
            else if (field[1][i].indexOf(terms[t][0]) === 0) best = Math.max(best, field[0]);
          }
        });
        if (!best) return;
        score += best;
      }
      found.push([score, order, item]);
    });
    // Equal scores: the shorter title first (it is closer to the query), then the site's order.
    found.sort(function (a, b) {
      return b[0] - a[0] || a[2][1].length - b[2][1].length || a[1] - b[1];
    });
    return found.slice(0, 30).map(function (f) { return f[2]; });
  }

  function show(query) {
    list.textContent = "";
    if (!query.trim()) { status.textContent = ""; return; }
    var results = find(query);
    status.textContent = box.getAttribute(results.length ? "data-found" : "data-nothing");
    results.forEach(function (item) {
      var li = document.createElement("li");
      var a = document.createElement("a");
      a.href = item[0];
      a.textContent = item[1];
      if (item[3]) a.lang = item[3];
      li.appendChild(a);
      if (item[2]) {
        var p = document.createElement("p");
        p.textContent = item[2];
        if (item[3]) p.lang = item[3];
        li.appendChild(p);
      }
      list.appendChild(li);
    });
  }

  function run(query) {
    load().then(function () { show(query); }, function () {
      status.textContent = box.getAttribute("data-failed");
    });
  }

  var timer = null;
  input.addEventListener("input", function () {
    clearTimeout(timer);
    timer = setTimeout(function () { run(input.value); }, 150);
  });
  form.addEventListener("submit", function (event) {
    event.preventDefault();
    var url = new URL(location.href);
    url.searchParams.set("q", input.value);
    history.replaceState(null, "", url);
    run(input.value);
  });
  var query = new URL(location.href).searchParams.get("q");
  if (query) {
    input.value = query;
    run(query);
  }
})();
