/* Compare wording: two clauses side by side, differences marked word by word with <del> and <ins>.
   Clauses are loaded from data/clauses/<council>.js (a script, so it works from file:// too); the two clause ids are kept in the address
   (?a=<id>&b=<id>). Clause text is always inserted as text, never as markup. */
(function () {
  "use strict";

  var app = document.getElementById("compare-app");
  if (!app) { return; }
  var base = app.getAttribute("data-base");
  var cache = {};

  function el(tag, className, text) {
    var node = document.createElement(tag);
    if (className) { node.className = className; }
    if (text !== undefined) { node.textContent = text; }
    return node;
  }

  function councilOf(id) {
    var options = app.querySelector(".compare-council").options;
    var best = "";
    for (var i = 0; i < options.length; i += 1) {
      var value = options[i].value;
      if (value && id.indexOf(value + "-") === 0 && value.length > best.length) { best = value; }
    }
    return best;
  }

  /* A council's clauses, from data/clauses/<id>.js, loaded as a script (so it works from file:// too). */
  function load(council) {
    if (!cache[council]) {
      cache[council] = new Promise(function (resolve, reject) {
        var loaded = window.HANDBOOK_COMPARE && window.HANDBOOK_COMPARE[council];
        if (loaded) { resolve(loaded); return; }
        var tag = document.createElement("script");
        tag.src = base + encodeURIComponent(council) + ".js";
        tag.onload = function () {
          var data = window.HANDBOOK_COMPARE && window.HANDBOOK_COMPARE[council];
          if (data) { resolve(data); } else { reject(new Error("no data for " + council)); }
        };
        tag.onerror = function () { reject(new Error("cannot load " + council)); };
        document.head.appendChild(tag);
      });
    }
    return cache[council];
  }

  function find(id) {
    var council = councilOf(id);
    if (!council) { return Promise.resolve(null); }
    return load(council).then(function (data) {
      for (var i = 0; i < data.clauses.length; i += 1) {
        if (data.clauses[i].id === id) { return {council: data.council, clause: data.clauses[i]}; }
      }
      return null;
    });
  }

  /* Words and the white space between them; a word's key ignores case and punctuation. */
  function tokens(text) {
    var parts = text.split(/(\s+)/);
    var words = [];
    for (var i = 0; i < parts.length; i += 2) {
      if (parts[i] !== "") {
        words.push({word: parts[i], space: parts[i + 1] || "", key: parts[i].toLowerCase().replace(/[^\p{L}\p{N}]+/gu, "")});
      }
    }
    return words;
  }

  /* Longest common subsequence of the two word lists' keys: marks each word shared or not. */
  function diff(a, b) {
    var n = a.length, m = b.length, i, j;
    var table = [];
    for (i = 0; i <= n; i += 1) { table.push(new Uint16Array(m + 1)); }
    for (i = n - 1; i >= 0; i -= 1) {
      for (j = m - 1; j >= 0; j -= 1) {
        table[i][j] = a[i].key === b[j].key ? table[i + 1][j + 1] + 1 : Math.max(table[i + 1][j], table[i][j + 1]);
      }
    }
    i = 0; j = 0;
    while (i < n && j < m) {
      if (a[i].key === b[j].key) { a[i].same = b[j].same = true; i += 1; j += 1; }
      else if (table[i + 1][j] >= table[i][j + 1]) { i += 1; }
      else { j += 1; }
    }
    return table[0][0];
  }

  /* The clause's text as paragraphs (a line each, list lines as a list), changed words wrapped. */
  function marked(words, tag, hidden) {
    var block = el("blockquote", "clause-text compare-text");
    var current = null, list = null, run = null;
    function line(isItem) {
      if (isItem) {
        if (!list) { list = el("ul"); block.appendChild(list); }
        current = el("li");
        list.appendChild(current);
      } else {
        list = null;
        current = el("p");
        block.appendChild(current);
      }
      run = null;
    }
    var startOfLine = true;
    words.forEach(function (w, index) {
      if (startOfLine) {
        var item = w.word === "-";
        line(item);
        startOfLine = false;
        if (item) { if (w.space.indexOf("\n") !== -1) { startOfLine = true; } return; }
      }
      var target = current;
      if (!w.same) {
        if (!run) {
          run = el(tag);
          run.appendChild(el("span", "visually-hidden", hidden + " "));
          current.appendChild(run);
        }
        target = run;
      } else {
        run = null;
      }
      var ends = w.space.indexOf("\n") !== -1 || index === words.length - 1;
      target.appendChild(document.createTextNode(w.word));
      var next = words[index + 1];
      if (!ends) {
        var space = document.createTextNode(" ");
        if (!w.same && next && !next.same) { target.appendChild(space); } else { current.appendChild(space); }
      }
      if (ends) { startOfLine = true; }
    });
    return block;
  }

  function column(found, words, tag, hidden, heading) {
    var col = el("section", "compare-side");
    col.setAttribute("aria-label", heading);
    col.appendChild(el("h2", "compare-side-title", heading));
    var cite = el("p", "clause-cite");
    cite.appendChild(document.createTextNode(found.clause.citation + ". "));
    var link = el("a", "", "Read in context");
    var page = app.getAttribute("data-council-url").replace("COUNCIL", encodeURIComponent(found.council.id));
    if (window.location.protocol === "file:" && /\/$/.test(page)) { page += "index.html"; }
    link.href = page + "#" + encodeURIComponent(found.clause.id);
    cite.appendChild(link);
    col.appendChild(cite);
    col.appendChild(marked(words, tag, hidden));
    return col;
  }

  var status = app.querySelector(".compare-status");
  var view = app.querySelector(".compare-view");
  var similarBox = app.querySelector(".compare-similar");

  function show(a, b) {
    view.textContent = "";
    if (!a || !b) { return; }
    var wa = tokens(a.clause.text), wb = tokens(b.clause.text);
    var same = diff(wa, wb);
    var onlyA = wa.filter(function (w) { return !w.same; }).length;
    var onlyB = wb.filter(function (w) { return !w.same; }).length;
    var shorter = Math.min(wa.length, wb.length) || 1;
    status.textContent = same + " words in both (" + Math.round(100 * same / shorter) + "% of the shorter clause); " +
      onlyA + " only in the first; " + onlyB + " only in the second.";
    view.appendChild(column(a, wa, "del", "[only in the first clause:]", "First: " + a.council.short_name + ", " + a.clause.label));
    view.appendChild(column(b, wb, "ins", "[only in the second clause:]", "Second: " + b.council.short_name + ", " + b.clause.label));
  }

  function offerSimilar(a) {
    var list = similarBox.querySelector("ul");
    list.textContent = "";
    if (!a || !a.clause.similar.length) { similarBox.hidden = true; return; }
    a.clause.similar.forEach(function (pair) {
      var item = el("li");
      var button = el("button", "md-button compare-use", pair[1] >= 0.8 ? "most of this clause" : Math.round(pair[1] * 100) + "% shared");
      item.appendChild(document.createTextNode(pair[2] + " "));
      button.type = "button";
      button.textContent = "Compare (" + button.textContent + ")";
      button.setAttribute("aria-label", "Compare with " + pair[2] + ", " + (pair[1] >= 0.8 ? "most of the clause" : Math.round(pair[1] * 100) + "% of the shorter clause") + " shared");
      button.addEventListener("click", function () { choose("b", pair[0]).then(update); });
      item.appendChild(button);
      list.appendChild(item);
    });
    similarBox.hidden = false;
  }

  function fillClauses(side, council, selected) {
    var select = app.querySelector("#compare-" + side + "-clause");
    select.textContent = "";
    if (!council) {
      select.appendChild(el("option", "", "Choose a council first"));
      select.disabled = true;
      return Promise.resolve();
    }
    return load(council).then(function (data) {
      select.appendChild(el("option", "", "Choose a clause"));
      select.firstChild.value = "";
      data.clauses.forEach(function (clause) {
        var option = el("option", "", clause.label.charAt(0).toUpperCase() + clause.label.slice(1) + (clause.heading ? " · " + clause.heading : ""));
        option.value = clause.id;
        select.appendChild(option);
      });
      select.disabled = false;
      select.value = selected || "";
    });
  }

  function choose(side, id) {
    var council = councilOf(id);
    app.querySelector("#compare-" + side + "-council").value = council;
    return fillClauses(side, council, id);
  }

  function current(side) { return app.querySelector("#compare-" + side + "-clause").value; }

  function update() {
    var a = current("a"), b = current("b");
    var url = new URL(window.location.href);
    if (a) { url.searchParams.set("a", a); } else { url.searchParams.delete("a"); }
    if (b) { url.searchParams.set("b", b); } else { url.searchParams.delete("b"); }
    window.history.replaceState(null, "", url.toString());
    return Promise.all([a ? find(a) : null, b ? find(b) : null]).then(function (found) {
      offerSimilar(found[0]);
      show(found[0], found[1]);
      if (!found[0] || !found[1]) { status.textContent = a || b ? "Choose the other clause to compare them." : "Choose two clauses."; }
    }).catch(function () {
      status.textContent = "The clauses could not be loaded. Open the handbook through a web server, or read the clauses on their council pages.";
    });
  }

  ["a", "b"].forEach(function (side) {
    app.querySelector("#compare-" + side + "-council").addEventListener("change", function (event) {
      fillClauses(side, event.target.value, "").then(update);
    });
    app.querySelector("#compare-" + side + "-clause").addEventListener("change", update);
  });

  var params = new URLSearchParams(window.location.search);
  var wanted = [];
  ["a", "b"].forEach(function (side) {
    var id = params.get(side);
    if (id && councilOf(id)) { wanted.push(choose(side, id)); }
  });
  app.hidden = false;
  Promise.all(wanted).then(update).catch(function () { status.textContent = "A clause in this address is not in the handbook."; });
})();
