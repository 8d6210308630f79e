/* Council Social Media Policy Handbook: the /draft/ page's workbench (loaded by that page only).

   The handbook's clauses, councils, topics, what a protocol usually covers and the Word styles come
   from data/draft.js (window.HandbookDraftData), loaded with a <script> tag rather than fetched, so
   that the page works from a downloaded copy opened from file:// too. assets/draft.js keeps the draft
   in local storage and calls HandbookDraftPage.setup once the page has loaded.

   The document is built from the same blocks as policyhandbook/draft.py builds on the command line
   (title, intro, heading, quote, citation, note, own, source), and set in the same Word styles
   (policyhandbook/draft_export.py's WORD, handed over in data/draft.js), so both exports match.
   A saved selection is read with the same checks and messages as `build.py draft` (draft_read.py). */
(function () {
  "use strict";

  var DATA = window.HandbookDraftData || null;

  // The workbench's own styles, beside this script (the page loads nothing it does not need).
  (function () {
    var me = document.currentScript;
    if (!me || !me.src) { return; }
    var link = document.createElement("link");
    link.rel = "stylesheet";
    link.href = new URL("draft.css", me.src).href;
    document.head.appendChild(link);
  })();
  var data = null; // DATA, indexed (below, once indexData is defined)

  function indexData(raw) {
    var d = { raw: raw, text: raw.text, word: raw.word, siteUrl: raw.siteUrl || "", councils: raw.councils, topics: raw.topics,
      clauses: raw.clauses, coverage: raw.coverage, clauseById: {}, councilById: {}, topicById: {}, topicOrder: {}, ids: [], topicIds: [] };
    raw.clauses.forEach(function (c) { d.clauseById[c.id] = c; d.ids.push(c.id); });
    raw.councils.forEach(function (c) { d.councilById[c.id] = c; });
    raw.topics.forEach(function (t, i) { d.topicById[t.id] = t; d.topicOrder[t.id] = i; d.topicIds.push(t.id); });
    return d;
  }

  function own(object, key) { return Object.prototype.hasOwnProperty.call(object, key); }

  if (DATA) { data = indexData(DATA); }

  var R = window.HandbookDraftRead || {};
  var readSelectionFile = R.readSelectionFile, decodeLink = R.decodeLink, LINK = R.LINK;
  function encodeLink(draft) { return R.encodeLink(draft, data); }

  // --- the draft as a document: the same blocks as policyhandbook/draft.py --------------------

  function clauseUrl(d, clause) { return d.siteUrl ? d.siteUrl + "councils/" + clause.council + "/#" + clause.id : ""; }
  function councilUrl(d, council) { return d.siteUrl ? d.siteUrl + "councils/" + council.id + "/" : ""; }
  function statusAndDate(council) { return (council.status === "not stated" ? "status not stated" : council.status) + "; " + council.date; }

  function sectionHeading(d, section) {
    var heading = section.heading.trim();
    if (heading) { return heading; }
    var topic = section.topics.filter(function (t) { return own(d.topicById, t); })[0];
    return topic ? d.topicById[topic].title : "Untitled section";
  }

  function outline(d, draft) {
    var blocks = [["title", draft.title.trim() || d.text.title], ["intro", d.text.intro]];
    var used = {};
    draft.sections.forEach(function (section) {
      blocks.push(["heading", sectionHeading(d, section)]);
      section.entries.forEach(function (entry) {
        if (entry.kind === "text") {
          if (entry.text.trim()) { blocks.push(["own", entry.text.trim()]); }
          return;
        }
        var clause = d.clauseById[entry.id];
        if (!clause) { return; } // no longer in the handbook: named on the page and in the selection, left out here
        used[clause.council] = true;
        blocks.push(["quote", clause.text]);
        blocks.push(["citation", clause.citation, clauseUrl(d, clause)]);
        if (entry.note.trim()) { blocks.push(["note", entry.note.trim()]); }
      });
      if (section.note.trim()) { blocks.push(["note", section.note.trim()]); }
    });
    var councils = d.councils.filter(function (c) { return used[c.id]; });
    if (councils.length) {
      blocks.push(["heading", d.text.sources]);
      councils.forEach(function (c) { blocks.push(["source", c.name, c.title, statusAndDate(c), councilUrl(d, c)]); });
    }
    return blocks;
  }

  function lines(text) {
    return text.split("\n").map(function (line) { return line.trim(); }).filter(function (line) { return line; });
  }

  function shownUrl(url) { return url.replace(/^https?:\/\//, ""); }

  /* One line of text as Markdown that shows exactly that text (draft_export.md_text). */
  function mdText(line) {
    return line.replace(/[\\`*_\[\]<>&|~]/g, "\\$&").replace(/^[#+=-]/, "\\$&").replace(/^(\d+)([.)])/, "$1\\$2");
  }
  function mdUrl(url) { return url.replace(/[ ()<>\\]/g, function (c) { return "%" + c.charCodeAt(0).toString(16).toUpperCase(); }); }
  function mdLink(text, url) { return url ? "[" + mdText(text) + "](" + mdUrl(url) + ")" : mdText(text); }
  function mdLines(text, prefix) {
    var out = [];
    lines(text).forEach(function (line) {
      var item = line.indexOf("- ") === 0;
      if (out.length && !(item && out[out.length - 1].indexOf(prefix + "- ") === 0)) { out.push(prefix.replace(/\s+$/, "")); }
      out.push(item ? prefix + "- " + mdText(line.slice(2).trim()) : prefix + mdText(line));
    });
    return out.join("\n");
  }

  function toMarkdown(d, blocks) {
    var out = [], dash = "\u2014 ", columns = d.text.columns;
    blocks.forEach(function (block) {
      var kind = block[0], value = block[1];
      if (kind === "title") { out.push("# " + mdText(value)); }
      else if (kind === "heading") { out.push("## " + mdText(value)); }
      else if (kind === "quote") { out.push(mdLines(value, "> ")); }
      else if (kind === "citation") { out.push(dash + mdLink(value, block[2])); }
      else if (kind === "note") {
        var parts = lines(value).map(mdText);
        out.push(["**" + d.text.note.trim() + "** " + parts[0]].concat(parts.slice(1)).join("\n\n"));
      } else if (kind === "own") { out.push(mdLines(value, "")); }
      else if (kind === "source") {
        var row = "| " + [mdText(value), mdText(block[2]), mdText(block[3]), mdLink(shownUrl(block[4]), block[4])].join(" | ") + " |";
        if (out.length && out[out.length - 1].indexOf("| ") === 0) { out[out.length - 1] += "\n" + row; }
        else { out.push("| " + columns.join(" | ") + " |\n|" + columns.map(function () { return " --- |"; }).join("") + "\n" + row); }
      } else { out.push(mdText(value)); }
    });
    return out.join("\n\n") + "\n";
  }

  function escapeHtml(value) {
    return value.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");
  }

  function htmlLines(text) {
    var out = [], inList = false;
    lines(text).forEach(function (line) {
      var item = line.indexOf("- ") === 0;
      if (item && !inList) { out.push("<ul>"); inList = true; }
      if (!item && inList) { out.push("</ul>"); inList = false; }
      out.push(item ? "<li>" + escapeHtml(line.slice(2).trim()) + "</li>" : "<p>" + escapeHtml(line) + "</p>");
    });
    if (inList) { out.push("</ul>"); }
    return out.join("");
  }

  /* Rich text for the clipboard: Word keeps the headings, quotations, lists, links and table when pasted. */
  function toHtml(d, blocks) {
    var out = [], rows = [];
    function flush() {
      if (!rows.length) { return; }
      out.push("<table><thead><tr>" + d.text.columns.map(function (c) { return "<th>" + escapeHtml(c) + "</th>"; }).join("") + "</tr></thead><tbody>" +
        rows.join("") + "</tbody></table>");
      rows = [];
    }
    blocks.forEach(function (block) {
      var kind = block[0], value = block[1];
      if (kind !== "source") { flush(); }
      if (kind === "title") { out.push("<h1>" + escapeHtml(value) + "</h1>"); }
      else if (kind === "heading") { out.push("<h2>" + escapeHtml(value) + "</h2>"); }
      else if (kind === "quote") { out.push("<blockquote>" + htmlLines(value) + "</blockquote>"); }
      else if (kind === "citation") {
        var cite = block[2] ? "<a href=\"" + escapeHtml(block[2]) + "\">" + escapeHtml(value) + "</a>" : escapeHtml(value);
        out.push("<p>\u2014 " + cite + "</p>");
      } else if (kind === "note") {
        out.push(lines(value).map(function (line, i) {
          return "<p>" + (i === 0 ? "<strong>" + escapeHtml(d.text.note) + "</strong>" : "") + escapeHtml(line) + "</p>";
        }).join(""));
      } else if (kind === "own") { out.push(htmlLines(value)); }
      else if (kind === "source") {
        var link = block[4] ? "<a href=\"" + escapeHtml(block[4]) + "\">" + escapeHtml(shownUrl(block[4])) + "</a>" : "";
        rows.push("<tr><td>" + escapeHtml(value) + "</td><td>" + escapeHtml(block[2]) + "</td><td>" + escapeHtml(block[3]) + "</td><td>" + link + "</td></tr>");
      } else { out.push("<p>" + escapeHtml(value) + "</p>"); }
    });
    flush();
    return out.join("\n");
  }

  // --- the selection file (draft_read.py reads it) ---------------------------------------------

  var YAML_WORDS = /^(?:y|n|yes|no|true|false|on|off|null)$/i;

  function yamlString(value) {
    // A JSON string is a valid YAML double-quoted scalar; line and paragraph separators are escaped too.
    return JSON.stringify(value).replace(/\u2028/g, "\\L").replace(/\u2029/g, "\\P");
  }
  function yamlId(value) { return /^[a-z][a-z0-9-]*$/.test(value) && !YAML_WORDS.test(value) ? value : yamlString(value); }

  function toSelection(d, draft, fileName) {
    var out = [
      "# Draft selection from the Council Social Media Policy Handbook, saved from its /draft/ page.",
      "# Open it there again (Open a saved selection), or build the Word document with:",
      "#   python build.py draft " + fileName + " -o draft.docx",
      "title: " + yamlString(draft.title.trim() || d.text.title),
      "audience: " + draft.audience,
      "sections:"
    ];
    draft.sections.forEach(function (section) {
      var fields = [];
      var topics = section.topics.filter(function (t) { return own(d.topicById, t); });
      var heading = section.heading.trim() || (topics.length ? "" : sectionHeading(d, section));
      if (heading) { fields.push("heading: " + yamlString(heading)); }
      if (topics.length) { fields.push("topics: [" + topics.map(yamlId).join(", ") + "]"); }
      if (section.note.trim()) { fields.push("note: " + yamlString(section.note.trim())); }
      var content = [];
      section.entries.forEach(function (entry) {
        if (entry.kind === "text") {
          if (entry.text.trim()) { content.push("      - text: " + yamlString(entry.text.trim())); }
        } else if (!own(d.clauseById, entry.id)) {
          content.push("      # No longer in the handbook, so left out: " + entry.id.replace(/[\r\n]/g, " ") + (entry.name ? " (" + entry.name.replace(/[\r\n]/g, " ") + ")" : ""));
        } else if (entry.note.trim()) {
          content.push("      - clause: " + yamlId(entry.id), "        note: " + yamlString(entry.note.trim()));
        } else {
          content.push("      - " + yamlId(entry.id));
        }
      });
      if (content.length) { fields.push("content:"); }
      fields.forEach(function (field, i) { out.push((i === 0 ? "  - " : "    ") + field); });
      content.forEach(function (line) { out.push(line); });
    });
    if (!draft.sections.length) { out[out.length - 1] = "sections: []"; }
    return out.join("\n") + "\n";
  }

  // --- what a protocol usually covers, and clauses written for another audience ------------------

  function coverageOf(d, draft) {
    var clauses = {}, ownWords = {};
    draft.sections.forEach(function (section) {
      section.entries.forEach(function (entry) {
        if (entry.kind === "text") {
          if (entry.text.trim()) { section.topics.forEach(function (t) { ownWords[t] = true; }); }
          return;
        }
        var clause = d.clauseById[entry.id];
        if (clause) { clause.topics.forEach(function (t) { clauses[t] = (clauses[t] || 0) + 1; }); }
      });
    });
    return d.coverage.map(function (row) {
      return { topic: row.topic, title: d.topicById[row.topic].title, key: row.key, councils: row.councils, of: row.of, requires: row.requires,
        clauses: clauses[row.topic] || 0, own: !!ownWords[row.topic], covered: !!(clauses[row.topic] || ownWords[row.topic]) };
    });
  }

  /* draft.py's audience_warning. */
  function audienceWarning(councilAudience, protocolAudience, terms) {
    if (protocolAudience === "both" || councilAudience === "both" || councilAudience === protocolAudience) { return ""; }
    var source = councilAudience === "staff" ? "From a staff policy" : "From a members\u2019 policy";
    if (!terms || !terms.length) { return source + ": check that it suits " + (protocolAudience === "members" ? "councillors" : "staff") + "."; }
    var listed = terms.length === 1 ? terms[0] : terms.slice(0, -1).join(", ") + " and " + terms[terms.length - 1];
    return source + ": mentions " + listed + ".";
  }

  function warningFor(d, draft, clause) {
    var council = d.councilById[clause.council];
    return audienceWarning(council.audience, draft.audience, clause.terms || []);
  }

  /* Put the sections added from other pages ("placed: false") among the others in taxonomy order. */
  function place(d, draft) {
    function rank(section) {
      var ranks = section.topics.filter(function (t) { return own(d.topicOrder, t); }).map(function (t) { return d.topicOrder[t]; });
      return ranks.length ? Math.min.apply(null, ranks) : null;
    }
    var moved = false;
    draft.sections.slice().forEach(function (section) {
      if (section.placed !== false) { return; }
      moved = true;
      var others = draft.sections.filter(function (s) { return s !== section; });
      var r = rank(section), at = others.length;
      if (r !== null) {
        for (var i = 0; i < others.length; i++) {
          var o = others[i];
          if (o.placed === false) { continue; }
          var ro = rank(o);
          if (ro !== null && ro > r) { at = i; break; }
        }
      }
      others.splice(at, 0, section);
      section.placed = true;
      draft.sections = others;
    });
    return moved;
  }

  /* A selection (from a file) as a stored draft; unknown clauses (kept at the drafter's wish) are named. */
  function selectionDraft(selection) {
    var draft = {
      version: 2, title: selection.title === data.text.title ? "" : selection.title, audience: selection.audience, next: 1,
      sections: selection.sections.map(function (s) {
        return {
          heading: s.heading, topics: s.topics, note: s.note, keep: !s.entries.length, placed: true,
          entries: s.entries.map(function (e) { return e.kind === "text" ? { kind: "text", text: e.text } : { kind: "clause", id: e.id, name: "", note: e.note }; })
        };
      })
    };
    return window.HandbookDraft.clean(draft);
  }

  window.HandbookDraftPage = {
    setup: function (root, api) { setup(root, api); },
    readSelectionFile: function (bytes, name) { return readSelectionFile(bytes, name, data); },
    outline: function (draft) { return outline(data, draft); },
    toMarkdown: function (blocks) { return toMarkdown(data, blocks); },
    toHtml: function (blocks) { return toHtml(data, blocks); },
    toSelection: function (draft) { return toSelection(data, draft, "draft-selection.yaml"); },
    toDocx: function (blocks) { return library().then(function (lib) { return toDocx(lib, data, blocks); }); },
    encodeLink: encodeLink, decodeLink: decodeLink,
    coverage: function (draft) { return coverageOf(data, draft); },
    audienceWarning: audienceWarning, mdText: mdText
  };

  // --- the Word document, with the vendored docx library, in draft_export.WORD's styles ----------

  var libraryPromise = null;
  var docxUrl = null;
  /* The Word library (about 1 MB) is loaded from the site itself the first time it is needed. */
  function library() {
    if (window.docx) { return Promise.resolve(window.docx); }
    if (!libraryPromise) {
      libraryPromise = new Promise(function (resolveLib, rejectLib) {
        var tag = document.createElement("script");
        tag.src = docxUrl;
        tag.addEventListener("load", function () { window.docx ? resolveLib(window.docx) : rejectLib(new Error("docx did not load")); });
        tag.addEventListener("error", function () { libraryPromise = null; rejectLib(new Error("docx did not load")); });
        document.head.appendChild(tag);
      });
    }
    return libraryPromise;
  }

  function toDocx(lib, d, blocks) {
    var W = d.word;
    function run(spec) {
      var r = {};
      if (spec.font) { r.font = spec.font; }
      if (spec.size) { r.size = spec.size; }
      if (own(spec, "bold")) { r.bold = spec.bold; }
      if (own(spec, "italic")) { r.italics = spec.italic; }
      if (spec.color) { r.color = spec.color; }
      if (spec.underline) { r.underline = { type: lib.UnderlineType.SINGLE }; }
      return r;
    }
    function paragraph(spec) {
      var p = {}, indent = {}, spacing = {};
      ["left", "right", "hanging"].forEach(function (k) { if (own(spec, k)) { indent[k] = spec[k]; } });
      ["before", "after", "line"].forEach(function (k) { if (own(spec, k)) { spacing[k] = spec[k]; } });
      if (own(spacing, "line")) { spacing.lineRule = lib.LineRuleType.AUTO; }
      if (Object.keys(indent).length) { p.indent = indent; }
      if (Object.keys(spacing).length) { p.spacing = spacing; }
      if (spec.align) { p.alignment = spec.align === "right" ? lib.AlignmentType.RIGHT : spec.align === "center" ? lib.AlignmentType.CENTER : lib.AlignmentType.LEFT; }
      if (spec.keep_next) { p.keepNext = true; }
      if (spec.keep_lines) { p.keepLines = true; }
      if (own(spec, "outline")) { p.outlineLevel = spec.outline; }
      if (spec.border) { p.border = { left: { style: lib.BorderStyle.SINGLE, size: spec.border.size, color: spec.border.color, space: spec.border.space } }; }
      if (spec.numbering) { p.numbering = { reference: spec.numbering, level: 0 }; }
      return p;
    }
    var paragraphStyles = W.styles.map(function (spec) {
      var style = { id: spec.id, name: spec.name, run: run(spec), paragraph: paragraph(spec) };
      if (spec.based) { style.basedOn = spec.based; }
      if (spec.next) { style.next = spec.next; }
      if (spec.id === "Normal") { style.run.language = { value: W.language }; }
      return style;
    });
    var characterStyles = W.character_styles.map(function (spec) { return { id: spec.id, name: spec.name, run: run(spec) }; });
    var numbering = W.numbering.map(function (spec) {
      return { reference: spec.id, levels: [{ level: 0, format: lib.LevelFormat.BULLET, text: spec.text, alignment: lib.AlignmentType.LEFT,
        style: { paragraph: { indent: { left: spec.left, hanging: spec.hanging } } } }] };
    });

    function p(text, style, label) {
      var runs = label ? [new lib.TextRun({ text: label, bold: true })] : [];
      runs.push(new lib.TextRun(text));
      return new lib.Paragraph({ style: style, children: runs });
    }
    function link(text, url) {
      if (!url) { return new lib.TextRun(text); }
      return new lib.ExternalHyperlink({ link: url, children: [new lib.TextRun({ text: text, style: "Hyperlink" })] });
    }
    function table(rows) {
      var widths = W.table.widths, b = W.table.border;
      var edge = { style: lib.BorderStyle.SINGLE, size: b.size, color: b.color, space: 0 };
      function cell(children, i) {
        return new lib.TableCell({ width: { size: widths[i], type: lib.WidthType.DXA }, children: [new lib.Paragraph({ style: "TableText", children: children })] });
      }
      var head = new lib.TableRow({ tableHeader: true, children: d.text.columns.map(function (c, i) { return cell([new lib.TextRun({ text: c, bold: true })], i); }) });
      var body = rows.map(function (r) {
        return new lib.TableRow({ children: [cell([new lib.TextRun(r[1])], 0), cell([new lib.TextRun(r[2])], 1), cell([new lib.TextRun(r[3])], 2),
          cell([link(shownUrl(r[4]), r[4])], 3)] });
      });
      return new lib.Table({
        rows: [head].concat(body), width: { size: widths.reduce(function (x, y) { return x + y; }, 0), type: lib.WidthType.DXA },
        columnWidths: widths, layout: lib.TableLayoutType.FIXED,
        borders: { top: edge, left: edge, bottom: edge, right: edge, insideHorizontal: edge, insideVertical: edge }
      });
    }

    var children = [], rows = [], title = "";
    blocks.forEach(function (block) {
      var kind = block[0], value = block[1];
      if (kind !== "source" && rows.length) { children.push(table(rows)); rows = []; }
      if (kind === "title") { title = value; children.push(p(value, "Title")); }
      else if (kind === "heading") { children.push(p(value, "Heading1")); }
      else if (kind === "quote") {
        lines(value).forEach(function (line) {
          children.push(line.indexOf("- ") === 0 ? p(line.slice(2).trim(), "QuoteList") : p(line, "Quote"));
        });
      } else if (kind === "citation") {
        children.push(new lib.Paragraph({ style: "Citation", children: [new lib.TextRun("\u2014 "), link(value, block[2])] }));
      } else if (kind === "note") {
        lines(value).forEach(function (line, i) { children.push(p(line, "Normal", i === 0 ? d.text.note : "")); });
      } else if (kind === "own") {
        lines(value).forEach(function (line) {
          children.push(line.indexOf("- ") === 0 ? p(line.slice(2).trim(), "ListBullet") : p(line, "Normal"));
        });
      } else if (kind === "source") { rows.push(block); }
      else { children.push(p(value, "Normal")); }
    });
    if (rows.length) { children.push(table(rows)); }

    var page = W.page, label = W.page_label;
    var doc = new lib.Document({
      title: title,
      subject: "Clauses selected from the Council Social Media Policy Handbook",
      creator: "Council Social Media Policy Handbook",
      lastModifiedBy: "Council Social Media Policy Handbook",
      styles: { paragraphStyles: paragraphStyles, characterStyles: characterStyles },
      numbering: { config: numbering },
      sections: [{
        properties: { page: {
          size: { width: page.width, height: page.height },
          margin: { top: page.margin, bottom: page.margin, left: page.margin, right: page.margin, header: page.header, footer: page.footer }
        } },
        headers: { "default": new lib.Header({ children: [new lib.Paragraph({ style: "Header", children: [new lib.TextRun(title)] })] }) },
        footers: { "default": new lib.Footer({ children: [new lib.Paragraph({ style: "Footer", children: [
          new lib.TextRun({ children: [label[0], lib.PageNumber.CURRENT, label[1], lib.PageNumber.TOTAL_PAGES] })
        ] })] }) },
        children: children
      }]
    });
    return lib.Packer.toBlob(doc);
  }

  // --- the page -----------------------------------------------------------------------------------

  var SELECTION_FILE = "draft-selection.yaml";
  var LONG_LINK = 8000; // characters; longer links may be cut off by some email programs

  function slug(value) {
    return value.toLowerCase().replace(/[^a-z0-9]+/g, "-").replace(/^-+|-+$/g, "") || "draft";
  }

  function download(blob, name) {
    var url = URL.createObjectURL(blob);
    var a = document.createElement("a");
    a.href = url;
    a.download = name;
    a.hidden = true;
    document.body.appendChild(a);
    a.click();
    window.setTimeout(function () { URL.revokeObjectURL(url); a.remove(); }, 1000);
  }

  function setup(root, api) {
    var el = api.el, hidden = api.hidden, plural = api.plural;
    var ROOT = api.root, FILE_INDEX = api.fileIndex;
    docxUrl = root.getAttribute("data-docx");
    if (!data) {
      root.textContent = "";
      root.appendChild(el("p", { "class": "draft-error", role: "alert", text: "Your draft cannot be shown: the list of clauses (data/draft.js) did not load. Reload the page; if that does not help, download the handbook again." }));
      return;
    }
    var d = data;
    var PREVIOUS = api.storageKey + ":previous";
    var focusAfter = null; // the data-key to focus once the page is drawn again
    var renaming = null; // the key of the section being renamed
    var openNotes = {}; // clause ids whose note field is open while empty
    var incoming = null; // a draft from a link or a file, waiting for the drafter's choice

    function page(path) { return new URL(path + FILE_INDEX, ROOT).href; }
    function topicPage(id) { return page("topics/" + id + "/"); }

    function load() {
      var draft = api.load();
      if (place(d, draft)) { api.save(draft, true); }
      return draft;
    }
    function save(draft) { api.save(draft); }
    function quiet(draft) { api.save(draft, true); }

    function present(entry) { return entry.kind === "clause" && own(d.clauseById, entry.id); }
    function clauseName(entry) {
      var clause = d.clauseById[entry.id];
      if (!clause) { return entry.name || entry.id; }
      return d.councilById[clause.council].short_name + ", " + clause.label;
    }
    function entryKey(entry) { return entry.kind === "text" ? entry.key : entry.id; }
    function findEntry(draft, key) {
      for (var i = 0; i < draft.sections.length; i++) {
        var entries = draft.sections[i].entries;
        for (var j = 0; j < entries.length; j++) { if (entryKey(entries[j]) === key) { return { section: draft.sections[i], si: i, index: j, entry: entries[j] }; } }
      }
      return null;
    }
    function findSection(draft, key) {
      for (var i = 0; i < draft.sections.length; i++) { if (draft.sections[i].key === key) { return { section: draft.sections[i], index: i }; } }
      return null;
    }
    function counts(section) {
      var n = section.entries.filter(present).length, words = section.entries.filter(function (e) { return e.kind === "text"; }).length;
      return { clauses: n, own: words };
    }

    // --- the page's parts ------------------------------------------------------------------

    root.textContent = "";
    var warning = el("p", { "class": "draft-warning", role: "alert", hidden: "" }, ["This browser is not letting the handbook keep your draft, so it will be lost when you leave this page. Download it (Download selection) before you go."]);
    var incomingBox = el("section", { "class": "draft-incoming", "aria-labelledby": "draft-incoming-heading", hidden: "" });
    var summary = el("p", { "class": "draft-summary", id: "draft-summary" });
    var message = el("p", { "class": "draft-message", id: "draft-message" });
    var undoBox = el("p", { "class": "draft-undo", hidden: "" });
    var start = el("div", { "class": "draft-start" });
    var missingBox = el("div", { "class": "draft-missing admonition warning", hidden: "" });

    // Your document: its title, who it is for, and the downloads.
    var titleInput = el("input", { type: "text", id: "draft-title", "class": "draft-title-input", autocomplete: "off", placeholder: d.text.title });
    titleInput.addEventListener("input", function () { var draft = load(); draft.title = api.typed(titleInput.value); quiet(draft); });
    var audienceSelect = el("select", { id: "draft-audience", "class": "draft-select" }, [
      el("option", { value: "members", text: "Councillors (a members\u2019 protocol)" }),
      el("option", { value: "staff", text: "Council staff (a staff policy)" }),
      el("option", { value: "both", text: "Both councillors and staff" })
    ]);
    audienceSelect.addEventListener("change", function () {
      var draft = load();
      draft.audience = audienceSelect.value;
      focusAfter = "audience";
      save(draft);
      say("Your draft is now for " + audienceSelect.options[audienceSelect.selectedIndex].text.toLowerCase() + ".");
    });
    function exportButton(kind, label, primary) {
      var b = el("button", { type: "button", "class": "md-button" + (primary ? " md-button--primary" : ""), "data-export": kind, "data-key": "export:" + kind }, [label]);
      b.addEventListener("click", function () { exportAs(kind); });
      return b;
    }
    var documentBox = el("section", { "class": "draft-panel draft-document", "aria-labelledby": "draft-document-heading" }, [
      el("h2", { id: "draft-document-heading", text: "Your document" }),
      el("p", { "class": "draft-field" }, [el("label", { "for": "draft-title", text: "Title" }), titleInput]),
      el("p", { "class": "draft-field" }, [el("label", { "for": "draft-audience", text: "Who the protocol is for" }), audienceSelect,
        el("span", { "class": "draft-hint", id: "draft-audience-hint", text: "Clauses taken from a policy written for others are flagged, not refused." })]),
      el("div", { "class": "draft-buttons" }, [
        exportButton("docx", "Download Word document (.docx)", true),
        exportButton("md", "Download Markdown (.md)"),
        exportButton("copy", "Copy to clipboard")
      ])
    ]);
    audienceSelect.setAttribute("aria-describedby", "draft-audience-hint");

    // Keep, reopen and share.
    var fileInput = el("input", { type: "file", id: "draft-open-file", "class": "draft-file-input", accept: ".yaml,.yml,text/yaml,application/yaml,text/plain" });
    fileInput.addEventListener("change", function () {
      if (fileInput.files && fileInput.files[0]) { openFile(fileInput.files[0]); }
      fileInput.value = "";
    });
    var linkOutput = el("input", { type: "text", id: "draft-link-output", "class": "draft-title-input", readonly: "", "aria-describedby": "draft-link-about" });
    var linkAbout = el("p", { "class": "draft-hint", id: "draft-link-about" });
    var linkBox = el("div", { "class": "draft-link-box", hidden: "" }, [
      el("label", { "for": "draft-link-output", text: "Link to this draft" }), linkOutput, linkAbout
    ]);
    var saveButton = exportButton("yaml", "Download selection (.yaml)");
    var shareButton = el("button", { type: "button", "class": "md-button", "data-key": "share" }, ["Copy a link to this draft"]);
    shareButton.addEventListener("click", share);
    var keepBox = el("section", { "class": "draft-panel draft-keep", "aria-labelledby": "draft-keep-heading" }, [
      el("h2", { id: "draft-keep-heading", text: "Keep, reopen and share" }),
      el("div", { "class": "draft-buttons" }, [saveButton, shareButton]),
      linkBox,
      el("div", { "class": "draft-drop", id: "draft-drop" }, [
        el("label", { "for": "draft-open-file", "class": "draft-open-label" }, ["Open a saved selection"]),
        el("span", { "class": "draft-hint", text: " The .yaml file that Download selection saved. Choose it, or drop it anywhere on this page. Your draft is not replaced until you say so." }),
        fileInput
      ])
    ]);

    var sectionsBox = el("div", { "class": "draft-sections" });
    var addSectionButton = el("button", { type: "button", "class": "md-button", "data-key": "add-section" }, ["Add a section"]);
    addSectionButton.addEventListener("click", addSection);
    var restartBox = el("section", { "class": "draft-panel draft-restart", "aria-labelledby": "draft-restart-heading" });
    var coverageBox = el("aside", { "class": "draft-coverage", "aria-labelledby": "draft-coverage-heading" });

    var main = el("div", { "class": "draft-main" }, [documentBox, keepBox, sectionsBox, el("p", { "class": "draft-add-section" }, [addSectionButton]), restartBox]);
    var layout = el("div", { "class": "draft-layout" }, [main, coverageBox]);
    [warning, incomingBox, summary, message, undoBox, start, missingBox, layout].forEach(function (node) { root.appendChild(node); });

    // Drag and drop a selection file anywhere on the page.
    var dragDepth = 0;
    document.addEventListener("dragenter", function (event) {
      if (!hasFiles(event)) { return; }
      dragDepth++;
      root.classList.add("draft-app--dragging");
    });
    document.addEventListener("dragleave", function () { dragDepth = Math.max(0, dragDepth - 1); if (!dragDepth) { root.classList.remove("draft-app--dragging"); } });
    document.addEventListener("dragover", function (event) { if (hasFiles(event)) { event.preventDefault(); event.dataTransfer.dropEffect = "copy"; } });
    document.addEventListener("drop", function (event) {
      if (!hasFiles(event)) { return; }
      event.preventDefault();
      dragDepth = 0;
      root.classList.remove("draft-app--dragging");
      var files = event.dataTransfer.files;
      if (files.length > 1) { say("Drop one selection file at a time."); return; }
      if (files.length) { openFile(files[0]); }
    });
    function hasFiles(event) { return event.dataTransfer && Array.prototype.indexOf.call(event.dataTransfer.types || [], "Files") !== -1; }

    function say(text) {
      message.textContent = text;
      api.announce(text);
    }

    // --- drawing ---------------------------------------------------------------------------

    function draw() {
      var draft = load();
      var active = document.activeElement;
      var activeKey = active && active.getAttribute ? active.getAttribute("data-key") : null;
      warning.hidden = api.persistent();
      if (document.activeElement !== titleInput && titleInput.value !== draft.title) { titleInput.value = draft.title; }
      audienceSelect.value = draft.audience;

      var all = api.clauseEntries(draft);
      var here = all.filter(function (f) { return present(f.entry); });
      var missing = all.filter(function (f) { return !present(f.entry); });
      var councils = {};
      here.forEach(function (f) { councils[d.clauseById[f.entry.id].council] = true; });
      var flagged = here.filter(function (f) { return warningFor(d, draft, d.clauseById[f.entry.id]); }).length;
      var empty = api.isEmpty(draft);
      summary.textContent = empty ? "Your draft is empty." :
        "Your draft has " + plural(here.length, "clause") + " from " + plural(Object.keys(councils).length, "council") + ", in " + plural(draft.sections.length, "section") + "." +
        (flagged ? " " + plural(flagged, "clause comes", "clauses come") + " from a policy written for " + (draft.audience === "members" ? "staff" : "councillors") + ": see the warning under " + (flagged === 1 ? "it" : "each") + "." : "");
      if (!empty) {
        var rows = coverageOf(d, draft), gaps = rows.filter(function (r) { return !r.covered; }).length;
        summary.appendChild(document.createTextNode(" "));
        summary.appendChild(el("a", { href: "#draft-coverage-heading", text: gaps ? "It does not yet cover " + plural(gaps, "topic") + " that a protocol usually covers." : "It covers every topic a protocol usually covers." }));
      }

      drawStart(empty);
      drawMissing(missing);
      // Reopening a saved selection is useful with an empty draft too; the rest needs a draft.
      documentBox.hidden = saveButton.hidden = shareButton.hidden = addSectionButton.parentNode.hidden = empty;
      linkBox.hidden = empty || !linkOutput.value;

      sectionsBox.textContent = "";
      draft.sections.forEach(function (section, index) { sectionsBox.appendChild(drawSection(draft, section, index)); });
      drawRestart(draft, empty);
      drawCoverage(draft);

      var key = focusAfter || activeKey;
      focusAfter = null;
      if (key) {
        var target = root.querySelector('[data-key="' + key.replace(/["\\]/g, "") + '"]');
        if (target && target !== document.activeElement) {
          target.focus();
          if (/^rename-input:/.test(key)) { target.select(); } // typing replaces the old heading
        }
      }
    }

    function drawStart(empty) {
      start.textContent = "";
      start.hidden = !empty;
      if (!empty) { return; }
      var n = d.coverage.length;
      var outlineButton = el("button", { type: "button", "class": "md-button", "data-key": "outline" }, ["Start from an outline (" + plural(n, "section") + ")"]);
      outlineButton.addEventListener("click", startOutline);
      start.appendChild(el("h2", { text: "Start your draft" }));
      start.appendChild(el("ol", { "class": "draft-steps" }, [
        el("li", {}, ["Open a ", el("a", { href: page("topics/"), text: "topic page" }), " to compare the councils\u2019 wording on one subject, or a ",
          el("a", { href: page("councils/"), text: "council page" }), " to read one policy in full."]),
        el("li", {}, ["Press ", el("strong", { text: "Add to draft" }), " under each clause you want. The count beside ", el("strong", { text: "Draft" }), " in the header goes up."]),
        el("li", {}, ["Come back to this page to put the clauses in your own sections, write your own wording and notes, and download your draft as a Word document."])
      ]));
      start.appendChild(el("p", {}, ["You start with an empty draft. Or start from an outline: one section for each topic most councils\u2019 policies address, the five key topics among them, ready for the clauses you pick. ", outlineButton]));
    }

    function drawMissing(missing) {
      missingBox.textContent = "";
      missingBox.hidden = !missing.length;
      if (!missing.length) { return; }
      var one = missing.length === 1;
      missingBox.appendChild(el("p", { "class": "admonition-title", text: plural(missing.length, "clause") + " in your draft " + (one ? "is" : "are") + " no longer in the handbook" }));
      missingBox.appendChild(el("p", { text: "The handbook has been rebuilt since you added " + (one ? "it, and this clause id no longer exists. It is" : "them, and these clause ids no longer exist. They are") + " kept in your draft, where you put " + (one ? "it" : "them") + ", but left out of the downloads. Find the wording again on the council\u2019s page, add it, then remove the old entry." }));
      missingBox.appendChild(el("ul", {}, missing.map(function (f) {
        var name = f.entry.name || f.entry.id;
        var remove = el("button", { type: "button", "class": "draft-small", "data-key": "remove-missing:" + f.entry.id }, ["Remove", hidden(": " + name)]);
        remove.addEventListener("click", function () { removeEntry(f.entry.id, name); });
        return el("li", {}, [(f.entry.name ? f.entry.name + " " : ""), el("code", { text: f.entry.id }), " (in \u2018" + sectionHeading(d, f.section) + "\u2019) ", remove]);
      })));
    }

    function small(key, label, name, handler, disabled) {
      var button = el("button", { type: "button", "class": "draft-small", "data-key": key, "aria-disabled": disabled ? "true" : null }, [label, hidden(": " + name)]);
      button.addEventListener("click", function () { if (button.getAttribute("aria-disabled") !== "true") { handler(); } else { say(label + " is not possible here: " + name + " is already " + (/up/i.test(label) ? "first" : "last") + "."); } });
      return button;
    }

    /* A select and a button: choose a section, then act (a select that acts as soon as it changes
       would move things while a keyboard user looks through its options). */
    function chooser(key, label, name, options, action, actionLabel) {
      var id = "draft-" + key.replace(/[^a-z0-9-]/gi, "-");
      var select = el("select", { id: id, "data-key": key, "class": "draft-select" }, options.map(function (o) { return el("option", { value: o.value, text: o.text }); }));
      var go = el("button", { type: "button", "class": "draft-small", "data-key": key + ":go" }, [actionLabel, hidden(": " + name)]);
      go.addEventListener("click", function () { action(select.value); });
      return el("span", { "class": "draft-chooser" }, [el("label", { "for": id }, [label, hidden(" (" + name + ")")]), " ", select, " ", go]);
    }

    function drawSection(draft, section, index) {
      var heading = sectionHeading(d, section), c = counts(section), key = section.key;
      var headingId = "draft-section-" + key;
      var node = el("section", { "class": "draft-section", "aria-labelledby": headingId, "data-section": key });
      var countText = "(" + plural(c.clauses, "clause") + (c.own ? ", " + plural(c.own, "passage") + " of your wording" : "") + ")";
      if (renaming === key) {
        var input = el("input", { type: "text", id: "draft-rename-" + key, "class": "draft-title-input", "data-key": "rename-input:" + key, value: heading });
        input.value = heading;
        var ok = el("button", { type: "button", "class": "draft-small", "data-key": "rename-save:" + key }, ["Save heading"]);
        var cancel = el("button", { type: "button", "class": "draft-small", "data-key": "rename-cancel:" + key }, ["Cancel"]);
        ok.addEventListener("click", function () { rename(key, input.value); });
        cancel.addEventListener("click", function () { renaming = null; focusAfter = "rename:" + key; draw(); });
        input.addEventListener("keydown", function (event) {
          if (event.key === "Enter") { event.preventDefault(); rename(key, input.value); }
          else if (event.key === "Escape") { event.preventDefault(); renaming = null; focusAfter = "rename:" + key; draw(); }
        });
        node.appendChild(el("h2", { id: headingId, "class": "visually-hidden", text: heading }));
        node.appendChild(el("p", { "class": "draft-rename" }, [el("label", { "for": "draft-rename-" + key, text: "Heading of this section" }), input, " ", ok, " ", cancel]));
      } else {
        node.appendChild(el("h2", { id: headingId }, [heading, " ", el("span", { "class": "draft-topic-count", text: countText })]));
      }
      var known = section.topics.filter(function (t) { return own(d.topicById, t); });
      if (known.length) {
        var links = [];
        known.forEach(function (t, i) {
          if (i) { links.push(", "); }
          links.push(el("a", { href: topicPage(t), text: d.topicById[t].title }));
        });
        node.appendChild(el("p", { "class": "draft-section-topics" }, [known.length === 1 ? "Topic: " : "Topics: "].concat(links).concat([" (compare the councils)"])));
      }
      var others = [];
      draft.sections.forEach(function (s, i) { if (s !== section) { others.push({ value: s.key, text: (i + 1) + ". " + sectionHeading(d, s) }); } });
      var tools = [
        small("rename:" + key, "Rename", heading, function () { renaming = key; focusAfter = "rename-input:" + key; draw(); }),
        small("section-up:" + key, "Move section up", heading, function () { moveSection(key, -1); }, index === 0),
        small("section-down:" + key, "Move section down", heading, function () { moveSection(key, 1); }, index === draft.sections.length - 1)
      ];
      if (others.length) { tools.push(chooser("merge:" + key, "Merge into", heading, others, function (target) { merge(key, target); }, "Merge")); }
      tools.push(small("remove-section:" + key, "Remove section", heading, function () { removeSection(key); }));
      node.appendChild(el("div", { "class": "draft-controls draft-section-tools" }, tools));

      var list = el("ol", { "class": "draft-list" });
      section.entries.forEach(function (entry, i) {
        if (entry.kind === "text") { list.appendChild(drawOwn(draft, section, entry, i)); }
        else if (present(entry)) { list.appendChild(drawClause(draft, section, entry, i)); }
        else { list.appendChild(el("li", { "class": "draft-item draft-item--missing", "data-clause": entry.id }, [el("p", { text: "No longer in the handbook: " + (entry.name ? entry.name + " " : "") + "(" + entry.id + "). It is named above, and left out of the downloads." })])); }
      });
      if (section.entries.length) { node.appendChild(list); }
      else {
        var hint = ["No clauses yet."];
        if (known.length) { hint.push(" Compare the councils\u2019 wording on ", el("a", { href: topicPage(known[0]), text: d.topicById[known[0]].title }), " and press ", el("strong", { text: "Add to draft" }), " under the clauses you want: they come into this section."); }
        node.appendChild(el("p", { "class": "draft-empty-section" }, hint));
      }
      var addOwn = small("add-own:" + key, "Add your own wording", heading, function () { addOwnText(key, section.entries.length); });
      var sectionTools = el("p", { "class": "draft-controls" }, [addOwn]);
      if (section.note || openNotes[key]) {
        node.appendChild(sectionTools);
        node.appendChild(noteField("section-note:" + key, "Your note on this section", " (optional; in the document it comes at the end of the section, marked \u2018Note:\u2019)", section.note, function (value) {
          var dr = load(), found = findSection(dr, key);
          if (found) { found.section.note = value; quiet(dr); }
        }));
      } else {
        sectionTools.appendChild(small("add-section-note:" + key, "Add a note on this section", heading, function () { openNotes[key] = true; focusAfter = "section-note:" + key; draw(); }));
        node.appendChild(sectionTools);
      }
      return node;
    }

    function noteField(key, label, hint, value, onInput) {
      var id = "draft-" + key.replace(/[^a-z0-9-]/gi, "-");
      var area = el("textarea", { id: id, "class": "draft-note", rows: "3", "data-key": key });
      area.value = value;
      area.addEventListener("input", function () { onInput(api.typed(area.value)); });
      return el("div", { "class": "draft-note-field" }, [el("label", { "for": id }, [label, el("span", { "class": "draft-hint", text: hint })]), area]);
    }

    function moveOptions(draft, section) {
      return draft.sections.filter(function (s) { return s !== section; }).map(function (s) { return { value: s.key, text: sectionHeading(d, s) }; });
    }

    function entryControls(draft, section, entry, index, name) {
      var key = entryKey(entry), si = draft.sections.indexOf(section);
      var first = si === 0 && index === 0, last = si === draft.sections.length - 1 && index === section.entries.length - 1;
      var controls = [
        small("up:" + key, "Move up", name, function () { moveEntry(key, -1, name); }, first),
        small("down:" + key, "Move down", name, function () { moveEntry(key, 1, name); }, last)
      ];
      var options = moveOptions(draft, section);
      if (options.length) { controls.push(chooser("move:" + key, "Move to", name, options, function (target) { moveTo(key, target, name); }, "Move")); }
      if (entry.kind === "clause") { controls.push(small("add-own-after:" + key, "Add your wording after it", name, function () { addOwnText(section.key, index + 1); })); }
      controls.push(small("remove:" + key, "Remove", name, function () { removeEntry(key, name); }));
      return el("div", { "class": "draft-controls" }, controls);
    }

    function drawClause(draft, section, entry, index) {
      var clause = d.clauseById[entry.id], council = d.councilById[clause.council];
      var name = clauseName(entry);
      var context = page("councils/" + council.id + "/") + "#" + clause.id;
      var item = el("li", { "class": "draft-item", "data-clause": clause.id }, [
        el("p", { "class": "draft-item-cite" }, [el("strong", { text: clause.citation }), " ", el("a", { href: context }, ["Read in context", hidden(": " + name)])])
      ]);
      var warn = warningFor(d, draft, clause);
      if (warn) {
        var at = warn.indexOf(": ");
        item.appendChild(el("p", { "class": "draft-audience" }, [el("span", { "class": "draft-audience__icon", "aria-hidden": "true", text: "!" }), " ",
          el("strong", { text: warn.slice(0, at + 1) }), warn.slice(at + 1) + " Check that it suits " + (draft.audience === "members" ? "councillors" : "staff") + " before you keep it."]));
      }
      item.appendChild(el("blockquote", { "class": "clause-text" }, clauseHtml(clause.text)));
      if (entry.note || openNotes[clause.id]) {
        item.appendChild(noteField("clause-note:" + clause.id, "Your note on this clause", " (optional; in the document it follows the quotation, marked \u2018Note:\u2019)", entry.note, function (value) {
          var dr = load(), found = findEntry(dr, clause.id);
          if (found) { found.entry.note = value; quiet(dr); }
        }));
      }
      var controls = entryControls(draft, section, entry, index, name);
      if (!entry.note && !openNotes[clause.id]) {
        controls.insertBefore(small("add-note:" + clause.id, "Add a note", name, function () { openNotes[clause.id] = true; focusAfter = "clause-note:" + clause.id; draw(); }), controls.lastChild);
      }
      item.appendChild(controls);
      return item;
    }

    function drawOwn(draft, section, entry, index) {
      var name = "your wording in \u2018" + sectionHeading(d, section) + "\u2019";
      var id = "draft-own-" + entry.key;
      var area = el("textarea", { id: id, "class": "draft-note draft-own-text", rows: "4", "data-key": "own:" + entry.key });
      area.value = entry.text;
      area.addEventListener("input", function () {
        var dr = load(), found = findEntry(dr, entry.key);
        if (found) { found.entry.text = api.typed(area.value); quiet(dr); drawCoverage(dr); }
      });
      return el("li", { "class": "draft-own", "data-own": entry.key }, [
        el("p", { "class": "draft-own-label" }, [el("label", { "for": id }, [el("strong", { text: "Your own wording" }),
          el("span", { "class": "draft-hint", text: " (not a quotation: it goes in the document in the ordinary body style; start a line with \u2018- \u2019 for a list)" })])]),
        area,
        entryControls(draft, section, entry, index, name)
      ]);
    }

    function drawRestart(draft, empty) {
      restartBox.textContent = "";
      restartBox.hidden = empty;
      if (empty) { return; }
      var outlineButton = el("button", { type: "button", "class": "md-button", "data-key": "outline" }, ["Start again from an outline"]);
      outlineButton.addEventListener("click", startOutline);
      var clear = el("button", { type: "button", "class": "md-button draft-clear", "data-key": "clear" }, ["Clear draft"]);
      clear.addEventListener("click", clearDraft);
      restartBox.appendChild(el("h2", { id: "draft-restart-heading", text: "Start again" }));
      restartBox.appendChild(el("p", { text: "Start from an empty draft, or from an outline with one section for each of the " + plural(d.coverage.length, "topic") + " most councils address. Your current draft is kept in this browser until you start again once more, so you can bring it back." }));
      restartBox.appendChild(el("div", { "class": "draft-buttons" }, [outlineButton, clear]));
    }

    function drawCoverage(draft) {
      var rows = coverageOf(d, draft);
      var covered = rows.filter(function (r) { return r.covered; }).length;
      coverageBox.textContent = "";
      coverageBox.appendChild(el("h2", { id: "draft-coverage-heading", text: "What a protocol usually covers" }));
      coverageBox.appendChild(el("p", { "class": "draft-coverage-summary", id: "draft-coverage-summary", text: "Your draft covers " + covered + " of these " + rows.length + " topics: the five key topics first, then the topics that most of the " + plural(rows[0] ? rows[0].of : 0, "council") + " address." }));
      coverageBox.appendChild(el("ol", { "class": "draft-coverage-list" }, rows.map(function (r) {
        var state = r.covered
          ? (r.clauses ? "In your draft: " + plural(r.clauses, "clause") + (r.own ? " and your wording" : "") : "In your draft, in your own wording")
          : "Not yet in your draft";
        var detail = (r.key ? "Key topic. " : "") + r.councils + " of " + r.of + " councils address it" + (r.requires ? "; " + r.requires + " " + (r.requires === 1 ? "requires" : "require") + " something" : "") + ".";
        return el("li", { "class": "draft-coverage-item " + (r.covered ? "is-covered" : "is-missing"), "data-topic": r.topic }, [
          el("span", { "class": "draft-coverage-mark", "aria-hidden": "true", text: r.covered ? "\u2713" : "\u25cb" }), " ",
          el("a", { href: topicPage(r.topic) }, [r.title, hidden(": compare the councils")]), " ",
          el("span", { "class": "draft-coverage-state", text: state }), " ",
          el("span", { "class": "draft-coverage-detail", text: detail })
        ]);
      })));
    }

    // --- changes ---------------------------------------------------------------------------

    function removeEntry(key, name) {
      var draft = load(), found = findEntry(draft, key);
      if (!found) { return; }
      var keys = Array.prototype.map.call(root.querySelectorAll("[data-key^='remove:'],[data-key^='remove-missing:']"), function (b) { return b.getAttribute("data-key"); });
      var at = Math.max(keys.indexOf("remove:" + key), keys.indexOf("remove-missing:" + key));
      found.section.entries.splice(found.index, 1);
      api.prune(draft, found.section);
      var next = keys.filter(function (k) { return k !== "remove:" + key && k !== "remove-missing:" + key; })[Math.max(0, Math.min(at, keys.length - 2))] || null;
      focusAfter = next;
      save(draft);
      if (!next) { summary.setAttribute("tabindex", "-1"); summary.focus(); }
      say("Removed from your draft: " + name + ". Your draft has " + plural(api.clauseEntries(draft).filter(function (f) { return present(f.entry); }).length, "clause") + ".");
    }

    function moveEntry(key, step, name) {
      var draft = load(), found = findEntry(draft, key);
      if (!found) { return; }
      var entries = found.section.entries, target = found.index + step, section = found.section;
      entries.splice(found.index, 1);
      if (target >= 0 && target <= entries.length && !(step > 0 && found.index === entries.length)) {
        entries.splice(target, 0, found.entry);
        focusAfter = (step < 0 ? "up:" : "down:") + key;
        save(draft);
        say("Moved " + (step < 0 ? "up" : "down") + ": " + name + ", now " + (target + 1) + " of " + entries.length + " in \u2018" + sectionHeading(d, section) + "\u2019.");
        return;
      }
      var next = draft.sections[found.si + step];
      if (!next) { entries.splice(found.index, 0, found.entry); say(name + " is already " + (step < 0 ? "first" : "last") + "."); return; }
      if (step < 0) { next.entries.push(found.entry); } else { next.entries.unshift(found.entry); }
      api.prune(draft, section);
      focusAfter = (step < 0 ? "up:" : "down:") + key;
      save(draft);
      say("Moved " + (step < 0 ? "up" : "down") + " into \u2018" + sectionHeading(d, next) + "\u2019: " + name + ".");
    }

    function moveTo(key, sectionKey, name) {
      var draft = load(), found = findEntry(draft, key), target = findSection(draft, sectionKey);
      if (!found || !target) { return; }
      found.section.entries.splice(found.index, 1);
      target.section.entries.push(found.entry);
      api.prune(draft, found.section);
      focusAfter = "move:" + key;
      save(draft);
      say("Moved to the end of \u2018" + sectionHeading(d, target.section) + "\u2019: " + name + ".");
    }

    function addOwnText(sectionKey, index) {
      var draft = load(), found = findSection(draft, sectionKey);
      if (!found) { return; }
      var entry = { kind: "text", key: api.newKey(draft), text: "" };
      found.section.entries.splice(index, 0, entry);
      found.section.keep = true;
      focusAfter = "own:" + entry.key;
      save(draft);
      say("Added a box for your own wording in \u2018" + sectionHeading(d, found.section) + "\u2019. It goes in the document as your text, not as a quotation.");
    }

    function addSection() {
      var draft = load();
      var section = { key: api.newKey(draft), heading: "New section", topics: [], note: "", keep: true, placed: true, entries: [] };
      draft.sections.push(section);
      renaming = section.key;
      focusAfter = "rename-input:" + section.key;
      save(draft);
      say("Added a section at the end of your draft. Type its heading, then press Enter.");
    }

    function rename(key, value) {
      var draft = load(), found = findSection(draft, key);
      renaming = null;
      focusAfter = "rename:" + key;
      if (!found) { draw(); return; }
      var heading = api.typed(value).replace(/\s+/g, " ").trim();
      var topic = found.section.topics.filter(function (t) { return own(d.topicById, t); })[0];
      if (!heading && !topic) { heading = sectionHeading(d, found.section); }
      found.section.heading = topic && heading === d.topicById[topic].title ? "" : heading;
      found.section.keep = true;
      save(draft);
      say("The section is now headed \u2018" + sectionHeading(d, found.section) + "\u2019.");
    }

    function moveSection(key, step) {
      var draft = load(), found = findSection(draft, key), to = found ? found.index + step : -1;
      if (!found || to < 0 || to >= draft.sections.length) { return; }
      draft.sections.splice(found.index, 1);
      draft.sections.splice(to, 0, found.section);
      focusAfter = (step < 0 ? "section-up:" : "section-down:") + key;
      if (to === 0 || to === draft.sections.length - 1) { focusAfter = (step < 0 ? "section-down:" : "section-up:") + key; }
      save(draft);
      say("Moved section \u2018" + sectionHeading(d, found.section) + "\u2019 " + (step < 0 ? "up" : "down") + ": now " + (to + 1) + " of " + draft.sections.length + ".");
    }

    function merge(key, targetKey) {
      var draft = load(), from = findSection(draft, key), into = findSection(draft, targetKey);
      if (!from || !into || from.section === into.section) { return; }
      var a = from.section, b = into.section;
      b.entries = b.entries.concat(a.entries);
      a.topics.forEach(function (t) { if (b.topics.indexOf(t) === -1) { b.topics.push(t); } });
      b.note = [b.note.trim(), a.note.trim()].filter(Boolean).join("\n\n");
      b.keep = true;
      if (!b.heading) { b.heading = ""; }
      draft.sections.splice(draft.sections.indexOf(a), 1);
      focusAfter = "rename:" + b.key;
      save(draft);
      say("Merged \u2018" + sectionHeading(d, a) + "\u2019 into \u2018" + sectionHeading(d, b) + "\u2019: its clauses, wording and note are now at the end of that section.");
    }

    function removeSection(key) {
      var draft = load(), found = findSection(draft, key);
      if (!found) { return; }
      var s = found.section, c = counts(s), heading = sectionHeading(d, s);
      if ((c.clauses || c.own || s.note.trim() || s.entries.length) &&
        !window.confirm("Remove the section \u2018" + heading + "\u2019? Its " + plural(c.clauses, "clause") + (c.own ? ", your wording" : "") + (s.note.trim() ? " and your note" : "") + " go with it.")) { return; }
      draft.sections.splice(found.index, 1);
      var next = draft.sections[found.index] || draft.sections[found.index - 1];
      focusAfter = next ? "rename:" + next.key : null;
      save(draft);
      if (!next) { summary.setAttribute("tabindex", "-1"); summary.focus(); }
      say("Removed the section \u2018" + heading + "\u2019.");
    }

    /* Replace the draft, keeping the one it replaces so that it can be brought back. */
    function replaceDraft(next, text) {
      var current = load();
      if (!api.isEmpty(current)) {
        try { window.localStorage.setItem(PREVIOUS, JSON.stringify(current)); } catch (err) { /* the undo is lost, not the draft */ }
      }
      save(next);
      showUndo(!api.isEmpty(current));
      say(text);
    }

    function showUndo(show) {
      undoBox.textContent = "";
      undoBox.hidden = !show;
      if (!show) { return; }
      var back = el("button", { type: "button", "class": "draft-small", "data-key": "undo" }, ["Bring back my previous draft"]);
      back.addEventListener("click", function () {
        var raw = null;
        try { raw = window.localStorage.getItem(PREVIOUS); } catch (err) { raw = null; }
        if (!raw) { say("Your previous draft is no longer kept in this browser."); return; }
        var previous = api.clean(JSON.parse(raw));
        replaceDraft(previous, "Your previous draft is back. The one you had a moment ago is kept in its place: press the button again to swap back.");
      });
      undoBox.appendChild(document.createTextNode("Your previous draft is kept in this browser. "));
      undoBox.appendChild(back);
    }

    function startOutline() {
      var current = load();
      if (!api.isEmpty(current) && !window.confirm("Start again from an outline? Your current draft is kept in this browser, and you can bring it back.")) { return; }
      var draft = api.emptyDraft();
      draft.title = current.title;
      draft.audience = current.audience;
      d.topics.forEach(function (t) {
        if (d.coverage.some(function (r) { return r.topic === t.id; })) {
          draft.sections.push({ key: api.newKey(draft), heading: "", topics: [t.id], note: "", keep: true, placed: true, entries: [] });
        }
      });
      focusAfter = null;
      replaceDraft(draft, "Your draft is an outline of " + plural(draft.sections.length, "section") + ", in the handbook\u2019s order. Add clauses from each topic\u2019s page: they come into its section.");
      summary.setAttribute("tabindex", "-1");
      summary.focus();
    }

    function clearDraft() {
      var draft = load();
      if (api.isEmpty(draft)) { say("Your draft is already empty."); return; }
      var n = api.clauseEntries(draft).length;
      if (!window.confirm("Clear your draft? This removes its " + plural(n, "clause") + ", its sections, your wording, your notes and your title from this page. The draft is kept in this browser until you start again once more, so you can bring it back.")) { return; }
      var empty = api.emptyDraft();
      titleInput.value = "";
      replaceDraft(empty, "Your draft is cleared.");
      summary.setAttribute("tabindex", "-1");
      summary.focus();
    }

    // --- exports ---------------------------------------------------------------------------

    function exportAs(kind) {
      var draft = load();
      var blocks = outline(d, draft);
      var base = slug(draft.title.trim() || d.text.title);
      if (kind === "md") {
        download(new Blob([toMarkdown(d, blocks)], { type: "text/markdown;charset=utf-8" }), base + ".md");
        say("Downloaded " + base + ".md.");
      } else if (kind === "yaml") {
        download(new Blob([toSelection(d, draft, SELECTION_FILE)], { type: "application/yaml;charset=utf-8" }), SELECTION_FILE);
        say("Downloaded " + SELECTION_FILE + ". Open it here again with Open a saved selection, or send it to a colleague.");
      } else if (kind === "copy") {
        copy(toHtml(d, blocks), toMarkdown(d, blocks));
      } else if (kind === "docx") {
        say("Making the Word document\u2026");
        library()
          .then(function (lib) { return toDocx(lib, d, blocks); })
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
        navigator.clipboard.write([item]).then(function () { say("Copied. Paste it into Word or any document: the headings are kept."); }, fallback);
      } else {
        fallback();
      }
    }

    function linkBase() {
      if (window.location.protocol === "file:" && d.siteUrl) { return d.siteUrl + "draft/"; }
      return page("draft/");
    }

    function share() {
      var draft = load();
      encodeLink(draft).then(function (fragment) {
        var url = linkBase() + "#" + fragment;
        linkOutput.value = url;
        linkBox.hidden = false;
        var about = "The link holds your whole draft (" + url.length.toLocaleString("en-GB") + " characters); nothing is sent to any server. Whoever opens it can load the draft beside or instead of their own.";
        if (window.location.protocol === "file:") {
          about += d.siteUrl ? " This copy of the handbook was opened from a file, so the link opens the draft in the online handbook." : " This copy of the handbook was opened from a file, so the link works only on this computer: send the selection file instead.";
        }
        if (url.length > LONG_LINK) { about += " Some email programs cut off links this long: if your colleague cannot open it, send the selection file instead."; }
        linkAbout.textContent = about;
        function copied(ok) {
          say(ok ? "Copied a link to this draft (" + url.length.toLocaleString("en-GB") + " characters)." : "The link is below: select it and copy it.");
          if (!ok) { linkOutput.focus(); linkOutput.select(); }
        }
        if (navigator.clipboard && navigator.clipboard.writeText) {
          navigator.clipboard.writeText(url).then(function () { copied(true); }, function () { copied(false); });
        } else { copied(false); }
      });
    }

    // --- opening a draft from a link or a file -----------------------------------------------

    function openFile(file) {
      var name = file.name || SELECTION_FILE;
      var reader = new FileReader();
      reader.addEventListener("load", function () {
        var result = readSelectionFile(new Uint8Array(reader.result), name, d);
        if (!result.problems.length) {
          offer({ draft: selectionDraft(result.selection), source: "file", name: name });
        } else {
          offer({ problems: result.problems, source: "file", name: name, draft: result.unknownOnly ? selectionDraft(result.selection) : null, unknownOnly: result.unknownOnly });
        }
      });
      reader.addEventListener("error", function () { offer({ problems: [name + ":1: cannot read the file; check that it exists and is readable"], source: "file", name: name }); });
      reader.readAsArrayBuffer(file);
    }

    function openLink() {
      var hash = window.location.hash.replace(/^#/, "");
      if (hash.indexOf(LINK) !== 0) { return; }
      decodeLink(hash).then(function (result) {
        if (result.error) { offer({ error: result.error, source: "link" }); }
        else { offer({ draft: result.draft, source: "link" }); }
      });
    }

    function forgetLink() {
      if (window.location.hash.indexOf("#" + LINK) === 0 && window.history && window.history.replaceState) {
        window.history.replaceState(null, "", window.location.pathname + window.location.search);
      }
    }

    function contents(draft) {
      var here = api.clauseEntries(draft).filter(function (f) { return present(f.entry); }).length;
      var words = 0, notes = 0;
      draft.sections.forEach(function (s) {
        if (s.note.trim()) { notes++; }
        s.entries.forEach(function (e) { if (e.kind === "text") { words++; } else if (e.note && e.note.trim()) { notes++; } });
      });
      var parts = [plural(here, "clause") + " in " + plural(draft.sections.length, "section")];
      if (words) { parts.push(plural(words, "passage") + " of the drafter\u2019s own wording"); }
      if (notes) { parts.push(plural(notes, "note")); }
      return parts.join(", ");
    }

    function describe(draft) {
      var all = api.clauseEntries(draft), gone = all.filter(function (f) { return !present(f.entry); }).length;
      var text = "\u2018" + (draft.title.trim() || d.text.title) + "\u2019: " + contents(draft) + ".";
      if (gone) { text += " " + plural(gone, "clause") + " in it " + (gone === 1 ? "is" : "are") + " no longer in the handbook: " + (gone === 1 ? "it is" : "they are") + " kept and named, not dropped."; }
      return text;
    }

    function offer(what) {
      incoming = what;
      incomingBox.textContent = "";
      incomingBox.hidden = false;
      var fromLink = what.source === "link";
      var heading = el("h2", { id: "draft-incoming-heading", tabindex: "-1" });
      incomingBox.appendChild(heading);
      var current = load();
      var buttons = [];
      function button(label, key, handler, primary) {
        var b = el("button", { type: "button", "class": "md-button" + (primary ? " md-button--primary" : ""), "data-key": "incoming:" + key }, [label]);
        b.addEventListener("click", handler);
        buttons.push(b);
      }
      if (what.error || (what.problems && !what.unknownOnly)) {
        heading.textContent = fromLink ? "This link cannot be opened" : what.name + " cannot be opened";
        if (what.error) { incomingBox.appendChild(el("p", { "class": "draft-problem", text: what.error })); }
        else { incomingBox.appendChild(el("ul", { "class": "draft-problems" }, what.problems.map(function (p) { return el("li", { text: p }); }))); }
        incomingBox.appendChild(el("p", { text: api.isEmpty(current) ? "Nothing was opened." : "Your draft is unchanged." }));
        button("Close", "close", close);
      } else {
        if (what.problems) {
          heading.textContent = "Open " + what.name + "? Some of its clauses are not in the handbook";
          incomingBox.appendChild(el("ul", { "class": "draft-problems" }, what.problems.map(function (p) { return el("li", { text: p }); })));
          incomingBox.appendChild(el("p", { text: "The handbook may have been rebuilt since the file was saved, or the file was edited. If you open it, these clauses are kept and named as no longer in the handbook, and left out of the downloads; correct the file and open it again to have them quoted." }));
        } else {
          heading.textContent = fromLink ? "Open the draft in this link?" : "Open " + what.name + "?";
        }
        incomingBox.appendChild(el("p", { "class": "draft-incoming-about", text: describe(what.draft) }));
        if (api.isEmpty(current)) {
          button("Open it", "open", function () { accept("replace"); }, true);
        } else {
          incomingBox.appendChild(el("p", { text: "Your draft here has " + contents(current) + ". Nothing changes until you choose." }));
          button("Open it instead of my draft", "replace", function () { accept("replace"); }, true);
          button("Add it after my draft", "add", function () { accept("add"); });
        }
        button(api.isEmpty(current) ? "Do not open it" : "Keep my draft as it is", "close", close);
      }
      incomingBox.appendChild(el("div", { "class": "draft-buttons" }, buttons));
      heading.focus();
      api.announce(heading.textContent);
    }

    function close() {
      var wasLink = incoming && incoming.source === "link";
      incoming = null;
      incomingBox.hidden = true;
      incomingBox.textContent = "";
      if (wasLink) { forgetLink(); }
      say("Nothing was opened; your draft is as it was.");
      summary.setAttribute("tabindex", "-1");
      summary.focus();
    }

    function accept(how) {
      var what = incoming;
      if (!what || !what.draft) { return; }
      incoming = null;
      incomingBox.hidden = true;
      incomingBox.textContent = "";
      if (what.source === "link") { forgetLink(); }
      var source = what.source === "link" ? "the link" : what.name;
      if (how === "replace") {
        replaceDraft(api.clean(what.draft), "Opened the draft from " + source + ": " + describe(what.draft));
      } else {
        var draft = load(), skipped = 0, added = api.clean(what.draft);
        added.sections.forEach(function (section) {
          section.key = api.newKey(draft);
          section.entries = section.entries.filter(function (e) {
            if (e.kind === "text") { e.key = api.newKey(draft); return true; }
            if (api.has(draft, e.id)) { skipped++; return false; }
            return true;
          });
          draft.sections.push(section);
        });
        save(draft);
        say("Added the draft from " + source + " after yours: " + plural(added.sections.length, "section") + "." + (skipped ? " " + plural(skipped, "clause was", "clauses were") + " in your draft already, and " + (skipped === 1 ? "stays where it was." : "stay where they were.") : ""));
      }
      summary.setAttribute("tabindex", "-1");
      summary.focus();
    }

    api.onChange(draw);
    window.addEventListener("hashchange", openLink);
    draw();
    openLink();
  }

  function clauseHtml(text) {
    var out = [], items = [];
    function flush() {
      if (items.length) {
        var list = document.createElement("ul");
        items.forEach(function (t) { var li = document.createElement("li"); li.textContent = t; list.appendChild(li); });
        out.push(list);
        items = [];
      }
    }
    text.split("\n").forEach(function (line) {
      if (!line.trim()) { flush(); }
      else if (line.indexOf("- ") === 0) { items.push(line.slice(2).trim()); }
      else { flush(); var p = document.createElement("p"); p.textContent = line.trim(); out.push(p); }
    });
    flush();
    return out;
  }
})();
