/* Council Social Media Policy Handbook: the drafting workbench.

   - An "Add to draft" button on every quoted clause (topic and council pages).
   - The draft, kept in this browser's local storage (nothing leaves the reader's machine),
     with its count in the header.
   - The /draft/ page: clauses grouped by topic in taxonomy order, reordering, notes, and
     export to Word (.docx, with the vendored docx library), Markdown, the clipboard and a
     selection file for `build.py draft`.

   The document is built from the same blocks as policyhandbook/draft.py builds on the command
   line (title, intro, heading, quote, citation, note, source), so both exports match.
   Without JavaScript the pages are unchanged: no buttons, no count. */
(function () {
  "use strict";

  var script = document.currentScript;
  var ROOT = script && script.src ? new URL("..", script.src) : new URL("/", window.location.href);
  var KEY = "policy-handbook-draft:" + ROOT.pathname;
  var FILE_INDEX = window.location.protocol === "file:" ? "index.html" : "";
  var SELECTION_FILE = "draft-selection.yaml";

  // --- the draft, kept in local storage ----------------------------------------------------

  var memory = null; // used when the browser refuses local storage
  var persistent = true;

  function emptyDraft() { return { version: 1, title: "", items: [], notes: {} }; }

  /* Text the drafter typed or pasted, without the control characters a Word document cannot hold:
     Word's line breaks (U+000B) and page breaks (U+000C) become line breaks, the rest go. */
  function typed(value) {
    return value.replace(/[\v\f]/g, "\n").replace(/[\x00-\x08\x0e-\x1f\x7f\ufffe\uffff]/g, "");
  }

  function clean(value) {
    var draft = emptyDraft();
    if (!value || typeof value !== "object") { return draft; }
    if (typeof value.title === "string") { draft.title = typed(value.title); }
    var seen = {};
    (Array.isArray(value.items) ? value.items : []).forEach(function (item) {
      if (item && typeof item.id === "string" && !seen[item.id]) {
        seen[item.id] = true;
        draft.items.push({ id: item.id, topic: typeof item.topic === "string" ? item.topic : "", name: typeof item.name === "string" ? item.name : "" });
      }
    });
    if (value.notes && typeof value.notes === "object") {
      Object.keys(value.notes).forEach(function (topic) {
        if (typeof value.notes[topic] === "string" && value.notes[topic]) { draft.notes[topic] = typed(value.notes[topic]); }
      });
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

  function has(draft, id) {
    return draft.items.some(function (item) { return item.id === id; });
  }

  var listeners = [];
  function changed() { listeners.forEach(function (fn) { fn(); }); }
  window.addEventListener("storage", function (event) {
    if (event.key === KEY || event.key === null) { changed(); }
  });

  function plural(n, word) { return n + " " + word + (n === 1 ? "" : "s"); }

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
      var n = load().items.length;
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
          draft.items = draft.items.filter(function (item) { return item.id !== id; });
          save(draft);
          announce("Removed from your draft: " + name + ". Your draft has " + plural(draft.items.length, "clause") + ".");
        } else {
          draft.items.push({ id: id, topic: article.getAttribute("data-topic") || "", name: name });
          save(draft);
          announce("Added to your draft: " + name + ". Your draft has " + plural(draft.items.length, "clause") + ".");
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

  // --- the document: the same blocks as policyhandbook/draft.py ---------------------------

  function sectionLabel(section) {
    if (/^[0-9]/.test(section)) { return "section " + section; }
    var match = /^(.*?)(, (?:para|item|footnote)\b.*)?$/.exec(section);
    if (!match) { return "\u2018" + section + "\u2019"; }
    return "\u2018" + match[1] + "\u2019" + (match[2] || "");
  }

  function citation(council, clause) {
    return council.name + ", " + council.title + ", " + sectionLabel(clause.section);
  }

  function sourceLine(council) {
    var state = council.status === "not stated" ? "status not stated" : council.status;
    return council.name + ", " + council.title + " (" + state + "; " + council.date + ").";
  }

  function lines(text) {
    return text.split("\n").map(function (line) { return line.trim(); }).filter(function (line) { return line; });
  }

  /* data: {councils, topics, clauses} from clauses.json, indexed; text: the fixed wording. */
  function outline(data, draft, text) {
    var blocks = [["title", draft.title.trim() || text.title], ["intro", text.intro]];
    var used = {};
    var placed = resolve(data, draft).present;
    data.topics.forEach(function (topic) {
      var items = placed.filter(function (p) { return p.topic === topic.id; });
      var note = (draft.notes[topic.id] || "").trim();
      if (!items.length && !note) { return; }
      blocks.push(["heading", topic.title]);
      items.forEach(function (p) {
        var council = data.councilById[p.clause.council];
        used[council.id] = true;
        blocks.push(["quote", p.clause.text]);
        blocks.push(["citation", "\u2014 " + citation(council, p.clause)]);
      });
      if (note) { blocks.push(["note", note]); }
    });
    var councils = data.councils.filter(function (c) { return used[c.id]; });
    if (councils.length) {
      blocks.push(["heading", text.sources]);
      councils.forEach(function (c) { blocks.push(["source", sourceLine(c)]); });
    }
    return blocks;
  }

  /* The draft's items split into those still in the handbook (with the topic they are filed
     under) and those that are not. */
  function resolve(data, draft) {
    var present = [], missing = [];
    draft.items.forEach(function (item) {
      var clause = data.clauseById[item.id];
      if (!clause) { missing.push(item); return; }
      var topic = clause.topics.indexOf(item.topic) !== -1 ? item.topic : clause.topics[0];
      present.push({ item: item, clause: clause, topic: topic });
    });
    return { present: present, missing: missing };
  }

  /* One line of text as Markdown that shows exactly that text: Markdown's inline marks and the
     marks that start a heading, quotation or list are escaped, so no link, emphasis or HTML is
     made from a clause or a note (policyhandbook/draft.py's md_text does the same). */
  function mdText(line) {
    return line.replace(/[\\`*_\[\]<>&|~]/g, "\\$&").replace(/^[#+=-]/, "\\$&").replace(/^(\d+)([.)])/, "$1\\$2");
  }

  function toMarkdown(blocks, text) {
    var out = [];
    blocks.forEach(function (block) {
      var kind = block[0], value = block[1];
      if (kind === "title") { out.push("# " + mdText(value)); }
      else if (kind === "heading") { out.push("## " + mdText(value)); }
      else if (kind === "quote") {
        var quoted = [];
        lines(value).forEach(function (line) {
          var item = line.indexOf("- ") === 0;
          if (quoted.length && !(item && quoted[quoted.length - 1].indexOf("> - ") === 0)) { quoted.push(">"); }
          quoted.push(item ? "> - " + mdText(line.slice(2)) : "> " + mdText(line));
        });
        out.push(quoted.join("\n"));
      } else if (kind === "note") {
        var parts = lines(value).map(mdText);
        out.push(["**" + text.note.trim() + "** " + parts[0]].concat(parts.slice(1)).join("\n\n"));
      } else if (kind === "source") {
        var previous = out.length ? out[out.length - 1] : "";
        if (previous.indexOf("- ") === 0) { out[out.length - 1] = previous + "\n- " + mdText(value); }
        else { out.push("- " + mdText(value)); }
      } else { out.push(mdText(value)); }
    });
    return out.join("\n\n") + "\n";
  }

  function escapeHtml(value) {
    return value.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");
  }

  /* Rich text for the clipboard: Word keeps the headings, quotations and list when pasted. */
  function toHtml(blocks, text) {
    var out = [];
    var inList = false;
    blocks.forEach(function (block) {
      var kind = block[0], value = block[1];
      if (inList && kind !== "source") { out.push("</ul>"); inList = false; }
      if (kind === "title") { out.push("<h1>" + escapeHtml(value) + "</h1>"); }
      else if (kind === "heading") { out.push("<h2>" + escapeHtml(value) + "</h2>"); }
      else if (kind === "quote") {
        out.push("<blockquote>" + lines(value).map(function (line) { return "<p>" + escapeHtml(line) + "</p>"; }).join("") + "</blockquote>");
      } else if (kind === "citation") { out.push("<p><em>" + escapeHtml(value) + "</em></p>"); }
      else if (kind === "note") {
        out.push(lines(value).map(function (line, i) {
          return "<p>" + (i === 0 ? "<strong>" + escapeHtml(text.note) + "</strong>" : "") + escapeHtml(line) + "</p>";
        }).join(""));
      } else if (kind === "source") {
        if (!inList) { out.push("<ul>"); inList = true; }
        out.push("<li>" + escapeHtml(value) + "</li>");
      } else { out.push("<p>" + escapeHtml(value) + "</p>"); }
    });
    if (inList) { out.push("</ul>"); }
    return out.join("\n");
  }

  function toDocx(lib, blocks, text) {
    var children = [];
    var title = text.title;
    blocks.forEach(function (block) {
      var kind = block[0], value = block[1];
      if (kind === "title") {
        title = value;
        children.push(new lib.Paragraph({ text: value, heading: lib.HeadingLevel.TITLE }));
      } else if (kind === "heading") {
        children.push(new lib.Paragraph({ text: value, heading: lib.HeadingLevel.HEADING_1 }));
      } else if (kind === "quote") {
        lines(value).forEach(function (line) { children.push(new lib.Paragraph({ text: line, style: "Quote" })); });
      } else if (kind === "citation") {
        children.push(new lib.Paragraph({ text: value, style: "Citation" }));
      } else if (kind === "note") {
        lines(value).forEach(function (line, i) {
          var runs = i === 0 ? [new lib.TextRun({ text: text.note, bold: true })] : [];
          runs.push(new lib.TextRun(line));
          children.push(new lib.Paragraph({ children: runs }));
        });
      } else if (kind === "source") {
        children.push(new lib.Paragraph({ text: value, style: "ListBullet", numbering: { reference: "sources", level: 0 } }));
      } else {
        children.push(new lib.Paragraph({ text: value }));
      }
    });
    var indent = lib.convertMillimetersToTwip(15);
    var doc = new lib.Document({
      title: title,
      subject: "Clauses selected from the Council Social Media Policy Handbook",
      creator: "Council Social Media Policy Handbook",
      styles: {
        default: { document: { run: { language: { value: "en-GB" } } } },
        paragraphStyles: [
          { id: "Quote", name: "Quote", basedOn: "Normal", next: "Normal", quickFormat: true,
            run: { italics: true }, paragraph: { indent: { left: indent, right: indent }, spacing: { after: 120 } } },
          { id: "Citation", name: "Citation", basedOn: "Normal", next: "Normal", quickFormat: true,
            run: { size: 20 }, paragraph: { alignment: lib.AlignmentType.RIGHT, indent: { right: indent }, spacing: { after: 240 } } },
          { id: "ListBullet", name: "List Bullet", basedOn: "Normal", next: "ListBullet",
            paragraph: { indent: { left: 360, hanging: 360 } } }
        ]
      },
      numbering: { config: [{ reference: "sources", levels: [{ level: 0, format: lib.LevelFormat.BULLET, text: "\u2022",
        alignment: lib.AlignmentType.LEFT, style: { paragraph: { indent: { left: 360, hanging: 360 } } } }] }] },
      sections: [{
        properties: { page: {
          size: { width: lib.convertMillimetersToTwip(210), height: lib.convertMillimetersToTwip(297) },
          margin: { top: lib.convertMillimetersToTwip(25), bottom: lib.convertMillimetersToTwip(25),
            left: lib.convertMillimetersToTwip(25), right: lib.convertMillimetersToTwip(25) }
        } },
        children: children
      }]
    });
    return lib.Packer.toBlob(doc);
  }

  function quoteYaml(value) {
    // A JSON string is a valid YAML double-quoted scalar; line and paragraph separators are escaped too.
    return JSON.stringify(value).replace(/\u2028/g, "\\L").replace(/\u2029/g, "\\P");
  }

  function toSelection(data, draft, text) {
    var resolved = resolve(data, draft);
    var out = [
      "# Draft selection from the Council Social Media Policy Handbook, saved from its /draft/ page.",
      "# Build the Word document with: python build.py draft " + SELECTION_FILE + " -o draft.docx",
      "title: " + quoteYaml(draft.title.trim() || text.title),
      "clauses:"
    ];
    resolved.present.forEach(function (p) {
      if (p.topic === p.clause.topics[0]) { out.push("  - " + p.clause.id); }
      else { out.push("  - id: " + p.clause.id, "    topic: " + p.topic); }
    });
    if (!resolved.present.length) { out[out.length - 1] = "clauses: []"; }
    resolved.missing.forEach(function (item) {
      out.push("# No longer in the handbook, so left out: " + item.id + (item.name ? " (" + item.name.replace(/[\r\n]/g, " ") + ")" : ""));
    });
    var notes = data.topics.filter(function (t) { return (draft.notes[t.id] || "").trim(); });
    if (notes.length) {
      out.push("notes:");
      notes.forEach(function (t) { out.push("  " + t.id + ": " + quoteYaml(draft.notes[t.id].trim())); });
    }
    return out.join("\n") + "\n";
  }

  function slug(value) {
    return value.toLowerCase().replace(/[^a-z0-9]+/g, "-").replace(/^-+|-+$/g, "") || "draft";
  }

  function download(blob, name) {
    var url = URL.createObjectURL(blob);
    var a = el("a", { href: url, download: name, hidden: "" });
    document.body.appendChild(a);
    a.click();
    window.setTimeout(function () { URL.revokeObjectURL(url); a.remove(); }, 1000);
  }

  function clauseHtml(text) {
    var out = [], items = [];
    function flush() {
      if (items.length) { out.push(el("ul", {}, items.map(function (t) { return el("li", { text: t }); }))); items = []; }
    }
    text.split("\n").forEach(function (line) {
      if (!line.trim()) { flush(); }
      else if (line.indexOf("- ") === 0) { items.push(line.slice(2).trim()); }
      else { flush(); out.push(el("p", { text: line.trim() })); }
    });
    flush();
    return out;
  }

  // --- the /draft/ page ----------------------------------------------------------------------

  function setupDraftPage(root) {
    var text = {
      title: root.getAttribute("data-default-title"),
      intro: root.getAttribute("data-intro"),
      note: root.getAttribute("data-note-label"),
      sources: root.getAttribute("data-sources-heading")
    };
    var data = null;
    var focusAfter = null; // {id, action} to focus once the list is drawn again

    // The Word library (about 1 MB) is loaded from the site itself the first time it is needed.
    var libraryPromise = null;
    function library() {
      if (!libraryPromise) {
        libraryPromise = new Promise(function (resolveLib, rejectLib) {
          var tag = el("script", { src: root.getAttribute("data-docx") });
          tag.addEventListener("load", function () { window.docx ? resolveLib(window.docx) : rejectLib(new Error("docx did not load")); });
          tag.addEventListener("error", function () { libraryPromise = null; rejectLib(new Error("docx did not load")); });
          document.head.appendChild(tag);
        });
      }
      return libraryPromise;
    }

    root.textContent = "";
    root.appendChild(el("p", { "class": "draft-loading", text: "Loading your draft\u2026" }));

    fetch(root.getAttribute("data-clauses"))
      .then(function (response) {
        if (!response.ok) { throw new Error("HTTP " + response.status); }
        return response.json();
      })
      .then(function (json) {
        data = json;
        data.clauseById = {};
        data.councilById = {};
        data.topicById = {};
        json.clauses.forEach(function (c) { data.clauseById[c.id] = c; });
        json.councils.forEach(function (c) { data.councilById[c.id] = c; });
        json.topics.forEach(function (t) { data.topicById[t.id] = t; });
        build();
        listeners.push(draw);
      })
      .catch(function () {
        root.textContent = "";
        root.appendChild(el("p", { "class": "draft-error", role: "alert" }, [
          "Your draft cannot be shown: the list of clauses (",
          el("a", { href: root.getAttribute("data-clauses"), text: "clauses.json" }),
          ") could not be loaded. Open the handbook from its web address, or from a local web server, rather than as a file."
        ]));
      });

    var summary, steps, missingBox, titleInput, topicsBox, actions, message, clearRow;

    function say(textMessage) {
      message.textContent = textMessage;
      announce(textMessage);
    }

    function build() {
      root.textContent = "";
      summary = el("p", { "class": "draft-summary" });
      if (!persistent) {
        root.appendChild(el("p", { "class": "draft-warning", role: "alert", text: "This browser is not letting the handbook keep your draft, so it will be lost when you leave this page. Download it before you go." }));
      }
      steps = el("ol", { "class": "draft-steps" }, [
        el("li", {}, ["Open a ", el("a", { href: new URL("topics/" + FILE_INDEX, ROOT).href, text: "topic page" }),
          " to compare the councils\u2019 wording on one subject, or a ",
          el("a", { href: new URL("councils/" + FILE_INDEX, ROOT).href, text: "council page" }), " to read one policy in full."]),
        el("li", {}, ["Press ", el("strong", { text: "Add to draft" }), " under each clause you want. The count beside ",
          el("strong", { text: "Draft" }), " in the header goes up."]),
        el("li", {}, ["Come back to this page to put the clauses in order, add your notes, and download your draft as a Word document."])
      ]);
      missingBox = el("div", { "class": "draft-missing admonition warning", hidden: "" });
      titleInput = el("input", { type: "text", id: "draft-title", "class": "draft-title-input", autocomplete: "off", placeholder: text.title });
      titleInput.value = load().title;
      titleInput.addEventListener("input", function () {
        var draft = load();
        draft.title = titleInput.value;
        save(draft, true);
      });
      message = el("p", { "class": "draft-message" });
      var buttons = [
        el("button", { type: "button", "class": "md-button md-button--primary", "data-export": "docx" }, ["Download Word document (.docx)"]),
        el("button", { type: "button", "class": "md-button", "data-export": "md" }, ["Download Markdown (.md)"]),
        el("button", { type: "button", "class": "md-button", "data-export": "copy" }, ["Copy to clipboard"]),
        el("button", { type: "button", "class": "md-button", "data-export": "yaml" }, ["Download selection (.yaml)"])
      ];
      buttons.forEach(function (b) { b.addEventListener("click", function () { exportAs(b.getAttribute("data-export")); }); });
      actions = el("section", { "class": "draft-actions", "aria-labelledby": "draft-actions-heading" }, [
        el("h2", { id: "draft-actions-heading", text: "Take your draft away" }),
        el("p", { "class": "draft-title-field" }, [el("label", { "for": "draft-title", text: "Title of your document" }), titleInput]),
        el("div", { "class": "draft-buttons" }, buttons),
        message
      ]);
      topicsBox = el("div", { "class": "draft-topics" });
      var clear = el("button", { type: "button", "class": "md-button draft-clear" }, ["Clear draft"]);
      clear.addEventListener("click", clearDraft);
      root.appendChild(summary);
      root.appendChild(steps);
      root.appendChild(missingBox);
      root.appendChild(actions);
      root.appendChild(topicsBox);
      clearRow = el("p", { "class": "draft-clear-row" }, [clear]);
      root.appendChild(clearRow);
      draw();
    }

    function draw() {
      var draft = load();
      var resolved = resolve(data, draft);
      var active = document.activeElement;
      var activeKey = active && active.getAttribute ? active.getAttribute("data-key") : null;
      if (document.activeElement !== titleInput && titleInput.value !== draft.title) { titleInput.value = draft.title; }

      // Summary.
      var councils = {}, topics = {};
      resolved.present.forEach(function (p) { councils[p.clause.council] = true; topics[p.topic] = true; });
      var nClauses = resolved.present.length;
      summary.textContent = nClauses
        ? "Your draft has " + plural(nClauses, "clause") + " from " + plural(Object.keys(councils).length, "council") + ", on " + plural(Object.keys(topics).length, "topic") + "."
        : "Your draft is empty.";
      steps.hidden = nClauses > 0;

      // Clauses that are no longer in the handbook.
      missingBox.textContent = "";
      missingBox.hidden = !resolved.missing.length;
      if (resolved.missing.length) {
        missingBox.appendChild(el("p", { "class": "admonition-title", id: "draft-missing-title", text: plural(resolved.missing.length, "clause") + " in your draft " + (resolved.missing.length === 1 ? "is" : "are") + " no longer in the handbook" }));
        var one = resolved.missing.length === 1;
        missingBox.appendChild(el("p", { text: "The handbook has been rebuilt since you added " + (one ? "it, and this clause id no longer exists. It is" : "them, and these clause ids no longer exist. They are") + " left out of the downloads. Find the wording again on the council\u2019s page, add it, then remove the old entry here." }));
        missingBox.appendChild(el("ul", {}, resolved.missing.map(function (item) {
          var remove = el("button", { type: "button", "class": "draft-small", "data-key": "remove-missing:" + item.id }, ["Remove", hidden(": " + (item.name || item.id))]);
          remove.addEventListener("click", function () { removeItem(item.id, item.name || item.id); });
          return el("li", {}, [(item.name ? item.name + " " : ""), el("code", { text: item.id }), " ", remove]);
        })));
      }

      actions.hidden = !nClauses && !Object.keys(draft.notes).length;
      clearRow.hidden = !draft.items.length && !Object.keys(draft.notes).length && !draft.title;

      // The clauses, under the taxonomy's topics.
      topicsBox.textContent = "";
      data.topics.forEach(function (topic) {
        var items = resolved.present.filter(function (p) { return p.topic === topic.id; });
        var note = draft.notes[topic.id] || "";
        if (!items.length && !note.trim()) { return; }
        var headingId = "draft-topic-" + topic.id;
        var section = el("section", { "class": "draft-topic", "aria-labelledby": headingId }, [
          el("h2", { id: headingId }, [topic.title, " ", el("span", { "class": "draft-topic-count", text: "(" + plural(items.length, "clause") + ")" })])
        ]);
        var list = el("ol", { "class": "draft-list" });
        items.forEach(function (p, index) { list.appendChild(drawItem(p, index, items.length, topic)); });
        if (items.length) { section.appendChild(list); }
        var noteId = "draft-note-" + topic.id;
        var area = el("textarea", { id: noteId, "class": "draft-note", rows: "3", "data-key": "note:" + topic.id });
        area.value = note;
        area.addEventListener("input", function () {
          var d = load();
          if (area.value) { d.notes[topic.id] = area.value; } else { delete d.notes[topic.id]; }
          save(d, true);
        });
        section.appendChild(el("div", { "class": "draft-note-field" }, [
          el("label", { "for": noteId }, ["Your note on ", topic.title, el("span", { "class": "draft-hint", text: " (optional; it goes under this topic\u2019s clauses)" })]),
          area
        ]));
        topicsBox.appendChild(section);
      });

      var key = focusAfter || activeKey;
      focusAfter = null;
      if (key) {
        var target = root.querySelector('[data-key="' + key.replace(/"/g, "") + '"]');
        if (target && target !== document.activeElement) { target.focus(); }
      }
    }

    function drawItem(p, index, count, topic) {
      var council = data.councilById[p.clause.council];
      var name = council.name + ", " + sectionLabel(p.clause.section);
      var id = p.clause.id;
      function control(action, label, handler, disabled) {
        var button = el("button", { type: "button", "class": "draft-small", "data-key": action + ":" + id, "aria-disabled": disabled ? "true" : null }, [label, hidden(": " + name)]);
        button.addEventListener("click", handler);
        return button;
      }
      var controls = [
        control("up", "Move up", function () { move(id, -1, name, topic); }, index === 0),
        control("down", "Move down", function () { move(id, 1, name, topic); }, index === count - 1),
        control("remove", "Remove", function () { removeItem(id, name); })
      ];
      if (p.clause.topics.length > 1) {
        var selectId = "draft-file-" + id;
        var select = el("select", { id: selectId, "data-key": "file:" + id }, p.clause.topics.map(function (tid) {
          return el("option", { value: tid, selected: tid === p.topic ? "" : null, text: (data.topicById[tid] || { title: tid }).title });
        }));
        select.addEventListener("change", function () { refile(id, select.value, name); });
        controls.push(el("span", { "class": "draft-file" }, [el("label", { "for": selectId }, ["File under", hidden(" (" + name + ")")]), " ", select]));
      }
      var context = new URL("councils/" + council.id + "/" + FILE_INDEX + "#" + id, ROOT).href;
      return el("li", { "class": "draft-item", "data-clause": id }, [
        el("p", { "class": "draft-item-cite" }, [
          el("strong", { text: citation(council, p.clause) }), " ",
          el("a", { href: context }, ["Read in context", hidden(": " + name)])
        ]),
        el("blockquote", { "class": "clause-text" }, clauseHtml(p.clause.text)),
        el("div", { "class": "draft-controls" }, controls)
      ]);
    }

    function move(id, step, name, topic) {
      var draft = load();
      var resolved = resolve(data, draft);
      var same = resolved.present.filter(function (p) { return p.topic === topic.id; }).map(function (p) { return p.item.id; });
      var at = same.indexOf(id);
      var other = same[at + step];
      if (at === -1 || !other) {
        say(name + " is already " + (step < 0 ? "first" : "last") + " under " + topic.title + ".");
        return;
      }
      var i = draft.items.findIndex(function (item) { return item.id === id; });
      var j = draft.items.findIndex(function (item) { return item.id === other; });
      var swap = draft.items[i];
      draft.items[i] = draft.items[j];
      draft.items[j] = swap;
      focusAfter = (step < 0 ? "up:" : "down:") + id;
      save(draft);
      say("Moved " + (step < 0 ? "up" : "down") + ": " + name + ", now " + (at + step + 1) + " of " + same.length + " under " + topic.title + ".");
    }

    function removeItem(id, name) {
      var draft = load();
      var keys = Array.prototype.map.call(root.querySelectorAll("[data-key^='remove']"), function (b) { return b.getAttribute("data-key"); });
      var at = keys.indexOf("remove:" + id) !== -1 ? keys.indexOf("remove:" + id) : keys.indexOf("remove-missing:" + id);
      draft.items = draft.items.filter(function (item) { return item.id !== id; });
      focusAfter = keys[at + 1] || keys[at - 1] || null;
      save(draft);
      if (!root.querySelector("[data-key^='remove']")) { summary.setAttribute("tabindex", "-1"); summary.focus(); }
      say("Removed from your draft: " + name + ". Your draft has " + plural(draft.items.length, "clause") + ".");
    }

    function refile(id, topicId, name) {
      var draft = load();
      draft.items.forEach(function (item) { if (item.id === id) { item.topic = topicId; } });
      focusAfter = "file:" + id;
      save(draft);
      say("Filed under " + data.topicById[topicId].title + ": " + name + ".");
    }

    function clearDraft() {
      var draft = load();
      var n = draft.items.length;
      if (!n && !Object.keys(draft.notes).length && !draft.title) { say("Your draft is already empty."); return; }
      if (!window.confirm("Clear your draft? This removes its " + plural(n, "clause") + ", your notes and your title from this browser. It cannot be undone.")) { return; }
      save(emptyDraft());
      titleInput.value = "";
      summary.setAttribute("tabindex", "-1");
      summary.focus();
      say("Your draft is cleared.");
    }

    function exportAs(kind) {
      var draft = load();
      var blocks = outline(data, draft, text);
      var base = slug(draft.title.trim() || text.title);
      if (kind === "md") {
        download(new Blob([toMarkdown(blocks, text)], { type: "text/markdown;charset=utf-8" }), base + ".md");
        say("Downloaded " + base + ".md.");
      } else if (kind === "yaml") {
        download(new Blob([toSelection(data, draft, text)], { type: "application/yaml;charset=utf-8" }), SELECTION_FILE);
        say("Downloaded " + SELECTION_FILE + ".");
      } else if (kind === "copy") {
        copy(toHtml(blocks, text), toMarkdown(blocks, text));
      } else if (kind === "docx") {
        say("Making the Word document\u2026");
        library()
          .then(function (lib) { return toDocx(lib, blocks, text); })
          .then(function (blob) { download(blob, base + ".docx"); say("Downloaded " + base + ".docx."); })
          .catch(function () { say("The Word document could not be made in this browser. Download the Markdown or the selection instead."); });
      }
    }

    function copy(html, plain) {
      function fallback() {
        var box = el("div", { contenteditable: "true", "class": "draft-copy-buffer", "aria-hidden": "true" });
        box.innerHTML = html;
        document.body.appendChild(box);
        var range = document.createRange();
        range.selectNodeContents(box);
        var selection = window.getSelection();
        selection.removeAllRanges();
        selection.addRange(range);
        var ok = false;
        try { ok = document.execCommand("copy"); } catch (err) { ok = false; }
        selection.removeAllRanges();
        box.remove();
        say(ok ? "Copied. Paste it into Word or any document: the headings are kept." : "Copying is blocked in this browser. Download the Word document instead.");
      }
      if (navigator.clipboard && window.ClipboardItem) {
        var item = new window.ClipboardItem({
          "text/html": new Blob([html], { type: "text/html" }),
          "text/plain": new Blob([plain], { type: "text/plain" })
        });
        navigator.clipboard.write([item]).then(function () {
          say("Copied. Paste it into Word or any document: the headings are kept.");
        }, fallback);
      } else {
        fallback();
      }
    }
  }

  // --- start ---------------------------------------------------------------------------------

  function init() {
    status = el("div", { "class": "visually-hidden", role: "status", "aria-live": "polite", id: "draft-status" });
    document.body.appendChild(status);
    setupHeader();
    setupButtons();
    // Clauses added later (the reader-picked comparison of a large handbook) get their buttons too.
    document.addEventListener("handbook:clauses-added", function (event) { setupButtons(event.target); });
    var root = document.getElementById("draft-app");
    if (root) { setupDraftPage(root); }
  }

  window.HandbookDraft = { sectionLabel: sectionLabel, citation: citation, outline: outline, toMarkdown: toMarkdown, mdText: mdText, toHtml: toHtml, storageKey: KEY, setupButtons: setupButtons };

  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", init); }
  else { init(); }
})();
