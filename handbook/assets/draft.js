/* Council Social Media Policy Handbook: the drafting workbench, on every page.

   - An "Add to draft" button on every quoted clause (topic and council pages).
   - The draft, kept in this browser's local storage (nothing leaves the reader's machine), with its
     count in the header.
   - On /draft/, assets/draft-page.js (loaded by that page only, with the handbook's data in
     data/draft.js) builds the workbench from what this script exposes as window.HandbookDraft.

   The draft (version 2) is the drafter's own sections, each with a heading (empty: its first topic's
   title), the topics it covers, a note, and entries: clauses quoted from the handbook (with a note)
   and the drafter's own wording. Drafts saved by the first version (clauses filed by topic, a note
   per topic) are read into sections. A clause added here goes into the first section covering its
   topic, or a new section, which /draft/ puts in the taxonomy's order ("placed: false" until then).
   Without JavaScript the pages are unchanged: no buttons, no count. */
(function () {
  "use strict";

  var script = document.currentScript;
  var ROOT = script && script.src ? new URL("..", script.src) : new URL("/", window.location.href);
  var KEY = "policy-handbook-draft:" + ROOT.pathname;
  var FILE_INDEX = window.location.protocol === "file:" ? "index.html" : "";
  var AUDIENCES = ["members", "staff", "both"];

  // --- the draft, kept in local storage ----------------------------------------------------

  var memory = null; // used when the browser refuses local storage
  var persistent = true;

  function emptyDraft() { return { version: 2, title: "", audience: "members", sections: [], next: 1 }; }

  /* Text the drafter typed or pasted, without the control characters a Word document cannot hold:
     Word's line breaks (U+000B) and page breaks (U+000C) become line breaks, the rest go. */
  function typed(value) {
    return String(value).replace(/[\v\f]/g, "\n").replace(/[\x00-\x08\x0e-\x1f\x7f\ufffe\uffff]/g, "");
  }

  function str(value) { return typeof value === "string" ? typed(value) : ""; }

  function newKey(draft) { var key = "k" + draft.next; draft.next += 1; return key; }

  /* Any stored value as a well-formed version 2 draft: unknown fields go, each clause is kept once. */
  function clean(value) {
    var draft = emptyDraft();
    if (!value || typeof value !== "object") { return draft; }
    draft.title = str(value.title);
    draft.audience = AUDIENCES.indexOf(value.audience) !== -1 ? value.audience : "members";
    draft.next = typeof value.next === "number" && value.next > 0 ? Math.floor(value.next) : 1;
    var seen = {}, keys = {};
    function key(candidate) {
      var k = typeof candidate === "string" && /^k[0-9]+$/.test(candidate) && !keys[candidate] ? candidate : null;
      while (!k || keys[k]) { k = newKey(draft); }
      keys[k] = true;
      var n = parseInt(k.slice(1), 10);
      if (n >= draft.next) { draft.next = n + 1; }
      return k;
    }
    function entry(e) {
      if (!e || typeof e !== "object") { return null; }
      if (e.kind === "text") { return { kind: "text", key: key(e.key), text: str(e.text) }; }
      if (typeof e.id !== "string" || !e.id || seen[e.id]) { return null; }
      seen[e.id] = true;
      return { kind: "clause", id: e.id, name: str(e.name), note: str(e.note) };
    }
    if (Array.isArray(value.sections)) {
      value.sections.forEach(function (s) {
        if (!s || typeof s !== "object") { return; }
        var topics = (Array.isArray(s.topics) ? s.topics : []).filter(function (t, i, all) { return typeof t === "string" && t && all.indexOf(t) === i; });
        draft.sections.push({
          key: key(s.key), heading: str(s.heading), topics: topics, note: str(s.note), keep: s.keep === true, placed: s.placed !== false,
          entries: (Array.isArray(s.entries) ? s.entries : []).map(entry).filter(Boolean)
        });
      });
    } else if (Array.isArray(value.items) || (value.notes && typeof value.notes === "object")) {
      // The first version: clauses filed by topic, a note per topic; /draft/ puts the topics in order.
      var byTopic = {};
      function section(topic) {
        if (!byTopic[topic]) {
          byTopic[topic] = { key: key(null), heading: "", topics: topic ? [topic] : [], note: "", keep: false, placed: false, entries: [] };
          draft.sections.push(byTopic[topic]);
        }
        return byTopic[topic];
      }
      (Array.isArray(value.items) ? value.items : []).forEach(function (item) {
        var e = item && entry({ kind: "clause", id: item.id, name: item.name, note: "" });
        if (e) { section(typeof item.topic === "string" ? item.topic : "").entries.push(e); }
      });
      if (value.notes && typeof value.notes === "object") {
        Object.keys(value.notes).forEach(function (topic) {
          var note = str(value.notes[topic]);
          if (note) { section(topic).note = note; }
        });
      }
    }
    return draft;
  }

  function load() {
    if (memory) { return clean(memory); }
    try {
      var raw = window.localStorage.getItem(KEY);
      return clean(raw ? JSON.parse(raw) : null);
    } catch (err) {
      persistent = false;
      return emptyDraft();
    }
  }

  /* quiet: the page already shows the change (typing a note or the title), so nothing is redrawn. */
  function save(draft, quiet) {
    try {
      window.localStorage.setItem(KEY, JSON.stringify(draft));
      memory = null;
    } catch (err) {
      persistent = false;
      memory = draft;
    }
    if (!quiet) { changed(); }
  }

  function isEmpty(draft) {
    return !draft.title && !draft.sections.length;
  }

  function clauseEntries(draft) {
    var out = [];
    draft.sections.forEach(function (section) {
      section.entries.forEach(function (entry) { if (entry.kind === "clause") { out.push({ section: section, entry: entry }); } });
    });
    return out;
  }

  function has(draft, id) {
    return clauseEntries(draft).some(function (found) { return found.entry.id === id; });
  }

  /* A clause goes into the first section covering its topic, else into a new section. */
  function addClause(draft, id, topic, name) {
    if (has(draft, id)) { return; }
    var entry = { kind: "clause", id: id, name: name || "", note: "" };
    var home = draft.sections.filter(function (s) { return topic && s.topics.indexOf(topic) !== -1; })[0];
    if (!home) {
      home = { key: newKey(draft), heading: "", topics: topic ? [topic] : [], note: "", keep: false, placed: false, entries: [] };
      draft.sections.push(home);
    }
    home.entries.push(entry);
  }

  /* A section the drafter has not made their own goes when its last clause does. */
  function prune(draft, section) {
    if (!section.entries.length && !section.keep && !section.heading && !section.note.trim()) {
      draft.sections = draft.sections.filter(function (s) { return s !== section; });
    }
  }

  function removeClause(draft, id) {
    clauseEntries(draft).forEach(function (found) {
      if (found.entry.id === id) {
        found.section.entries = found.section.entries.filter(function (e) { return e !== found.entry; });
        prune(draft, found.section);
      }
    });
  }

  var listeners = [];
  function changed() { listeners.forEach(function (fn) { fn(); }); }
  window.addEventListener("storage", function (event) {
    if (event.key === KEY || event.key === null) { changed(); }
  });

  function plural(n, word, many) { return n + " " + (n === 1 ? word : many || word + "s"); }

  // --- announcements for screen readers ------------------------------------------------------

  var status = null;
  function announce(message) {
    if (!status) { return; }
    status.textContent = "";
    window.setTimeout(function () { status.textContent = message; }, 50);
  }

  function el(tag, attrs, children) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (name) {
      if (name === "text") { node.textContent = attrs[name]; }
      else if (attrs[name] !== null && attrs[name] !== undefined && attrs[name] !== false) { node.setAttribute(name, attrs[name]); }
    });
    (children || []).forEach(function (child) {
      if (child !== null && child !== undefined) { node.appendChild(typeof child === "string" ? document.createTextNode(child) : child); }
    });
    return node;
  }

  function hidden(text) { return el("span", { "class": "visually-hidden", text: text }); }

  // --- the header link ---------------------------------------------------------------------

  function setupHeader() {
    var inner = document.querySelector(".md-header__inner");
    if (!inner) { return; }
    var count = el("span", { "class": "draft-link__count", text: "0" });
    var unit = hidden(" clauses");
    var link = el("a", { "class": "draft-link", href: new URL("draft/" + FILE_INDEX, ROOT).href }, [
      el("span", { "class": "draft-link__label", text: "Draft" }), " ", count, unit
    ]);
    if (document.getElementById("draft-app")) { link.setAttribute("aria-current", "page"); }
    var before = inner.querySelector(".md-header__option") || inner.querySelector(".md-search") || null;
    inner.insertBefore(link, before);
    function update() {
      var n = clauseEntries(load()).length;
      count.textContent = String(n);
      unit.textContent = n === 1 ? " clause" : " clauses";
      link.classList.toggle("draft-link--empty", n === 0);
    }
    listeners.push(update);
    update();
  }

  // --- "Add to draft" on every quoted clause ------------------------------------------------

  function setupButtons(root) {
    var articles = (root || document).querySelectorAll("article.clause[data-clause]:not([data-draft-ready])");
    if (!articles.length) { return; }
    var buttons = [];
    Array.prototype.forEach.call(articles, function (article) {
      article.setAttribute("data-draft-ready", "");
      var id = article.getAttribute("data-clause");
      var name = article.getAttribute("data-name") || id;
      var icon = el("span", { "class": "draft-toggle__icon", "aria-hidden": "true", text: "+" });
      var label = el("span", { "class": "draft-toggle__text", text: "Add to draft" });
      var button = el("button", { type: "button", "class": "draft-toggle", "data-clause": id }, [icon, label, hidden(": " + name)]);
      button.addEventListener("click", function () {
        var draft = load();
        if (has(draft, id)) {
          removeClause(draft, id);
          save(draft);
          announce("Removed from your draft: " + name + ". Your draft has " + plural(clauseEntries(draft).length, "clause") + ".");
        } else {
          addClause(draft, id, article.getAttribute("data-topic") || "", name);
          save(draft);
          announce("Added to your draft: " + name + ". Your draft has " + plural(clauseEntries(draft).length, "clause") + ".");
        }
      });
      article.appendChild(button);
      buttons.push({ button: button, label: label, icon: icon, id: id });
    });
    function update() {
      var draft = load();
      buttons.forEach(function (b) {
        var inDraft = has(draft, b.id);
        b.label.textContent = inDraft ? "Remove from draft" : "Add to draft";
        b.icon.textContent = inDraft ? "\u2713" : "+";
        b.button.classList.toggle("draft-toggle--in", inDraft);
      });
    }
    listeners.push(update);
    update();
  }

  // --- start ---------------------------------------------------------------------------------

  var api = {
    storageKey: KEY, root: ROOT, fileIndex: FILE_INDEX, audiences: AUDIENCES,
    emptyDraft: emptyDraft, clean: clean, load: load, save: save, isEmpty: isEmpty, persistent: function () { return persistent; },
    typed: typed, newKey: newKey, clauseEntries: clauseEntries, has: has, addClause: addClause, removeClause: removeClause, prune: prune,
    onChange: function (fn) { listeners.push(fn); }, announce: announce, el: el, hidden: hidden, plural: plural
  };
  window.HandbookDraft = api;

  function init() {
    status = el("div", { "class": "visually-hidden", role: "status", "aria-live": "polite", id: "draft-status" });
    document.body.appendChild(status);
    setupHeader();
    setupButtons();
    // Clauses added later (the reader-picked comparison of a large handbook) get their buttons too.
    document.addEventListener("handbook:clauses-added", function (event) { setupButtons(event.target); });
    var root = document.getElementById("draft-app");
    if (root && window.HandbookDraftPage) { window.HandbookDraftPage.setup(root, api); }
    else if (root) {
      root.textContent = "";
      root.appendChild(el("p", { "class": "draft-error", role: "alert", text: "Your draft cannot be shown: part of this page (assets/draft-page.js or data/draft.js) did not load. Reload the page; if that does not help, download the handbook again." }));
    }
  }

  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", init); }
  else { init(); }
})();
