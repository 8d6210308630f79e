/* The search page: one result per clause, with its citation and a clean excerpt, leading to the clause
   on its council's page with the searched words marked; filters by council, topic and audience; "Add to
   draft" on every clause result. The query and filters are kept in the address (?q=&council=&topic=&audience=).
   Served from a web server it uses Pagefind's chunked index (site/pagefind/); opened from a folder
   (file://), where browsers refuse to fetch files, it searches data/search.js, loaded as a script.
   Every value is inserted as text; the searched words are marked with <mark> elements made here. */
(function () {
  "use strict";

  var PAGE = 20;

  function el(tag, className, text) {
    var node = document.createElement(tag);
    if (className) { node.className = className; }
    if (text !== undefined) { node.textContent = text; }
    return node;
  }

  function absolute(relative) { return new URL(relative, window.location.href).href; }

  /* Words of a query, lower case; "quoted phrases" are kept whole. */
  function terms(query) {
    var out = [];
    query.replace(/"([^"]+)"|“([^”]+)”|(\S+)/g, function (_, a, b, c) {
      var term = (a || b || c || "").toLowerCase().replace(/[^\p{L}\p{N}'’ -]+/gu, " ").trim();
      if (term) { out.push(term); }
      return "";
    });
    return out;
  }

  /* Searching data/search.js (file://, or if Pagefind cannot load): every term must appear. */
  function localEngine(records) {
    var prepared = records.map(function (r) { return {record: r, text: r.content.toLowerCase()}; });
    return {
      search: function (query, filters) {
        var wanted = terms(query);
        if (!wanted.length) { return Promise.resolve([]); }
        var hits = prepared.filter(function (p) {
          for (var key in filters) {
            if (filters[key] && (p.record.filters[key] || []).indexOf(filters[key]) === -1) { return false; }
          }
          return wanted.every(function (t) { return p.text.indexOf(t) !== -1; });
        });
        return Promise.resolve(hits.map(function (p) {
          return {load: function () { return Promise.resolve({meta: p.record.meta, url: p.record.meta.url || p.record.url, plain: excerptOf(p.record.content, wanted), filters: p.record.filters}); }};
        }));
      }
    };
  }

  function excerptOf(text, wanted) {
    var lower = text.toLowerCase();
    var at = wanted.length ? Math.max(0, lower.indexOf(wanted[0])) : 0;
    var start = Math.max(0, text.lastIndexOf(" ", Math.max(0, at - 80)));
    var piece = text.slice(start, start + 240).replace(/\s+/g, " ").trim();
    return (start > 0 ? "…" : "") + piece + (start + 240 < text.length ? "…" : "");
  }

  /* The word that stands for a filter value in the index (see policyhandbook/search.py). */
  function filterWord(key, value) {
    var hex = Array.prototype.map.call(new TextEncoder().encode(value), function (b) { return (b < 16 ? "0" : "") + b.toString(16); }).join("");
    return "zz" + key.charAt(0) + hex;
  }

  /* Wrap the searched words found in a node's text in <mark>. */
  function markWords(scope, words) {
    var wanted = terms(words).filter(function (w) { return w.length > 1; });
    if (!wanted.length) { return; }
    var pattern = new RegExp("(" + wanted.map(function (w) { return w.replace(/[.*+?^${}()|[\]\\]/g, "\\$&"); }).join("|") + ")", "gi");
    var walker = document.createTreeWalker(scope, NodeFilter.SHOW_TEXT);
    var nodes = [];
    while (walker.nextNode()) { nodes.push(walker.currentNode); }
    nodes.forEach(function (node) {
      var parts = node.data.split(pattern);
      if (parts.length < 2) { return; }
      var fragment = document.createDocumentFragment();
      parts.forEach(function (part, i) {
        if (i % 2) { fragment.appendChild(el("mark", "search-mark", part)); } else if (part) { fragment.appendChild(document.createTextNode(part)); }
      });
      node.parentNode.replaceChild(fragment, node);
    });
  }

  function pagefindEngine(bundle) {
    return import(bundle + "pagefind.js").then(function (pagefind) {
      return pagefind.options({excerptLength: 40}).then(function () {
        return {
          search: function (query, filters) {
            var words = Object.keys(filters).filter(function (key) { return filters[key]; }).map(function (key) { return filterWord(key, filters[key]); });
            return pagefind.search([query].concat(words).join(" ")).then(function (result) {
              return result.results.map(function (r) {
                return {load: function () { return r.data().then(function (d) { return {meta: d.meta, url: d.meta.url || d.url, plain: excerptOf(d.meta.text || "", terms(query)), filters: d.filters}; }); }};
              });
            });
          }
        };
      });
    });
  }

  function loadRecords(src) {
    return new Promise(function (resolve, reject) {
      if (window.HANDBOOK_SEARCH) { resolve(window.HANDBOOK_SEARCH); return; }
      var tag = document.createElement("script");
      tag.src = src;
      tag.onload = function () { window.HANDBOOK_SEARCH ? resolve(window.HANDBOOK_SEARCH) : reject(new Error("no records")); };
      tag.onerror = reject;
      document.head.appendChild(tag);
    });
  }

  function start() {
    var box = document.getElementById("search");
    if (!box) { return; }
    var input = box.querySelector("#search-input");
    var selects = Array.prototype.slice.call(box.querySelectorAll("select[data-filter]"));
    var status = box.querySelector(".search-status");
    var list = box.querySelector(".search-results");
    var more = box.querySelector(".search-more");
    var root = absolute(box.getAttribute("data-root"));
    var fileMode = window.location.protocol === "file:";
    var engine = (fileMode ? Promise.reject(new Error("file")) : pagefindEngine(absolute(box.getAttribute("data-bundle").replace(/\/?$/, "/"))))
      .catch(function () { return loadRecords(box.getAttribute("data-records")).then(localEngine); });
    var hits = [], shown = 0, generation = 0, query = "";

    function filters() {
      var out = {};
      selects.forEach(function (s) { out[s.getAttribute("data-filter")] = s.value; });
      return out;
    }

    function keepInAddress() {
      var url = new URL(window.location.href);
      if (input.value.trim()) { url.searchParams.set("q", input.value.trim()); } else { url.searchParams.delete("q"); }
      selects.forEach(function (s) {
        var key = s.getAttribute("data-filter");
        if (s.value) { url.searchParams.set(key, s.value); } else { url.searchParams.delete(key); }
      });
      window.history.replaceState(null, "", url.href);
    }

    function target(url) {
      /* The clause on its council page, with the words to mark: councils/x/?highlight=a+b#clause */
      var href = new URL(url, root);
      if (fileMode && /\/$/.test(href.pathname)) { href.pathname += "index.html"; }
      var words = terms(query).join(" ");
      if (words) { href.searchParams.set("highlight", words); }
      return href.href;
    }

    function render(data) {
      var item = el("li", "search-hit");
      var kind = data.meta.kind;
      var article = el("article", kind === "clause" ? "clause search-clause" : "search-page");
      var heading = el("h2", "search-hit-title");
      var link = el("a", "", data.meta.title);
      link.href = target(data.url);
      heading.appendChild(link);
      article.appendChild(heading);
      var excerpt = el("p", "search-excerpt", data.plain);
      markWords(excerpt, query);
      article.appendChild(excerpt);
      if (kind === "clause") {
        article.appendChild(el("p", "search-topics", "Topics: " + data.meta.topics));
        article.setAttribute("data-clause", data.meta.clause);
        article.setAttribute("data-topic", data.meta.topic);
        article.setAttribute("data-name", data.meta.name);
      }
      item.appendChild(article);
      return item;
    }

    function showMore() {
      var mine = generation;
      var batch = hits.slice(shown, shown + PAGE);
      shown += batch.length;
      return Promise.all(batch.map(function (h) { return h.load(); })).then(function (all) {
        if (mine !== generation) { return; }
        all.forEach(function (data) { list.appendChild(render(data)); });
        list.dispatchEvent(new CustomEvent("handbook:clauses-added", {bubbles: true}));  /* draft.js adds "Add to draft" */
        more.hidden = shown >= hits.length;
      });
    }

    function run() {
      keepInAddress();
      query = input.value.trim();
      var mine = ++generation;
      list.textContent = "";
      more.hidden = true;
      if (!query) { status.textContent = ""; return; }
      engine.then(function (e) { return e.search(query, filters()); }).then(function (found) {
        if (mine !== generation) { return; }
        hits = found; shown = 0;
        var shownQuery = /^["“][^"“”]*["”]$/.test(query) ? query.slice(1, -1) : query;  /* one quoted phrase: its words, in the status's own quotes */
        status.textContent = found.length ? found.length + (found.length === 1 ? " result" : " results") + " for “" + shownQuery + "”." : "No clause matches “" + shownQuery + "”.";
        return showMore();
      }).catch(function () {
        status.textContent = "Search could not start here.";
        document.querySelector(".search-unavailable").hidden = false;
      });
    }

    var timer = null;
    input.addEventListener("input", function () { window.clearTimeout(timer); timer = window.setTimeout(run, 200); });
    box.querySelector("form").addEventListener("submit", function (event) { event.preventDefault(); run(); });
    selects.forEach(function (s) { s.addEventListener("change", run); });
    more.addEventListener("click", showMore);

    var params = new URLSearchParams(window.location.search);
    input.value = params.get("q") || "";
    selects.forEach(function (s) {
      var wanted = params.get(s.getAttribute("data-filter")) || "";
      if (Array.prototype.some.call(s.options, function (o) { return o.value === wanted; })) { s.value = wanted; }
    });
    box.hidden = false;
    input.focus();
    if (input.value) { run(); }
  }

  /* On any page reached from a result: mark the searched words in the clause (or the page). */
  function highlight() {
    var words = new URLSearchParams(window.location.search).get("highlight");
    if (!words) { return; }
    var scope = (window.location.hash && document.getElementById(decodeURIComponent(window.location.hash.slice(1)))) || document.querySelector("article.md-content__inner");
    if (!scope) { return; }
    markWords(scope.querySelector(".clause-text") || scope, words);
  }

  function ready() { start(); highlight(); }
  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", ready); } else { ready(); }
})();
