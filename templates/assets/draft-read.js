/* Council Social Media Policy Handbook: reading drafts that come back to the /draft/ page (loaded by
   that page only, before assets/draft-page.js).

   - A saved selection file (the .yaml that *Download selection* writes, or one written by hand) is
     read by a small YAML reader for the subset such files use, then checked with the same rules and
     messages as `build.py draft` (policyhandbook/draft_read.py): "name:line: message", the nearest
     valid clause id for an unknown one (difflib's ratio, reimplemented), every problem at once.
   - A link to a draft carries the whole draft in its fragment, compressed with the browser's own
     CompressionStream (deflate); nothing is sent to any server. */
(function () {
  "use strict";

  function own(object, key) { return Object.prototype.hasOwnProperty.call(object, key); }

  // --- difflib's SequenceMatcher.ratio, so that "Did you mean" names the same id as build.py -----

  function ratio(a, b) {
    // b2j with difflib's autojunk ("popular" elements of a long b are ignored when matching).
    var b2j = new Map();
    for (var j = 0; j < b.length; j++) {
      if (!b2j.has(b[j])) { b2j.set(b[j], []); }
      b2j.get(b[j]).push(j);
    }
    if (b.length >= 200) {
      var ntest = Math.floor(b.length / 100) + 1;
      b2j.forEach(function (list, ch) { if (list.length > ntest) { b2j.delete(ch); } });
    }
    function longest(alo, ahi, blo, bhi) {
      var besti = alo, bestj = blo, bestsize = 0, j2len = new Map();
      for (var i = alo; i < ahi; i++) {
        var newj2len = new Map();
        var list = b2j.get(a[i]) || [];
        for (var k = 0; k < list.length; k++) {
          var jj = list[k];
          if (jj < blo) { continue; }
          if (jj >= bhi) { break; }
          var size = (j2len.get(jj - 1) || 0) + 1;
          newj2len.set(jj, size);
          if (size > bestsize) { besti = i - size + 1; bestj = jj - size + 1; bestsize = size; }
        }
        j2len = newj2len;
      }
      while (besti > alo && bestj > blo && a[besti - 1] === b[bestj - 1]) { besti--; bestj--; bestsize++; }
      while (besti + bestsize < ahi && bestj + bestsize < bhi && a[besti + bestsize] === b[bestj + bestsize]) { bestsize++; }
      return [besti, bestj, bestsize];
    }
    var queue = [[0, a.length, 0, b.length]], matches = 0;
    while (queue.length) {
      var q = queue.pop();
      var m = longest(q[0], q[1], q[2], q[3]);
      if (m[2]) {
        matches += m[2];
        if (q[0] < m[0] && q[2] < m[1]) { queue.push([q[0], m[0], q[2], m[1]]); }
        if (m[0] + m[2] < q[1] && m[1] + m[2] < q[3]) { queue.push([m[0] + m[2], q[1], m[1] + m[2], q[3]]); }
      }
    }
    var total = a.length + b.length;
    return total ? 2 * matches / total : 1;
  }

  /* The most similar choice; of equally similar ones, the first (draft_read.nearest). */
  function nearest(word, choices) {
    var best = "", bestScore = -1;
    choices.forEach(function (choice) {
      var score = ratio(choice, word);
      if (score > bestScore) { best = choice; bestScore = score; }
    });
    return best;
  }

  /* difflib.get_close_matches(word, choices, n=1) for the field names (cutoff 0.6). */
  function closeMatch(word, choices) {
    var best = null, bestScore = 0;
    choices.forEach(function (choice) {
      var score = ratio(choice, word);
      if (score >= 0.6 && (best === null || score > bestScore || (score === bestScore && choice > best))) { best = choice; bestScore = score; }
    });
    return best;
  }

  // --- a small YAML reader: the subset a selection file uses -------------------------------------
  /* Values are {v, line}: v is a string, true/false, null, an array of values, or a Map of field
     name to value (in file order). A field's line is its name's; a list item's, where it starts. */

  var TAB = "a tab is used for indentation; indent with spaces only";
  var INDENT = "this line's indentation does not match the lines before it";
  var BOOL = /^(?:yes|Yes|YES|no|No|NO|true|True|TRUE|false|False|FALSE|on|On|ON|off|Off|OFF)$/;
  var TRUE = /^(?:yes|Yes|YES|true|True|TRUE|on|On|ON)$/;
  var NULL = /^(?:~|null|Null|NULL|)$/;
  var MAX_DEPTH = 20;

  function YamlError(line, message) { this.line = line; this.message = message; }

  function parseYaml(text) {
    var lines = text.split("\n");
    var at = 0; // the next line to read
    var problems = [];
    var depth = 0;

    function fail(line, message) { throw new YamlError(line, message); }
    function parseFail(line, what) { fail(line, "cannot parse the file: " + what + "; check the indentation and quoting on this line and the one before"); }
    function deeper(line) {
      depth++;
      if (depth > MAX_DEPTH) { fail(line, "the structure is nested more than " + MAX_DEPTH + " levels deep; see `build.py draft --help` for the expected shape"); }
    }

    function indentOf(index) {
      var raw = lines[index], n = 0;
      while (n < raw.length && raw[n] === " ") { n++; }
      if (raw[n] === "\t") { parseFail(index + 1, TAB); }
      return n;
    }
    function blank(index) {
      var t = lines[index].replace(/^[ \t]+/, "");
      return t === "" || t[0] === "#";
    }
    function skip() { while (at < lines.length && blank(at)) { at++; } }
    function isItem(s) { return /^-(\s|$)/.test(s); }
    function marker(index) { return /^(?:---|\.\.\.)(\s|$)/.test(lines[index]); }

    /* Where a quoted scalar that starts at s[from] closes (the index after the quote), or -1. */
    function closing(s, from, q) {
      for (var k = from; k < s.length; k++) {
        if (q === "\"" && s[k] === "\\") { k++; continue; }
        if (s[k] === q) {
          if (q === "'" && s[k + 1] === "'") { k++; continue; }
          return k + 1;
        }
      }
      return -1;
    }

    /* s without a trailing comment (a '#' after white space, outside quotes). */
    function uncomment(s) {
      for (var i = 0; i < s.length; i++) {
        var c = s[i];
        if ((c === "\"" || c === "'") && (i === 0 || /[\s\[\]{},:]/.test(s[i - 1]))) {
          var end = closing(s, i + 1, c);
          if (end < 0) { break; }
          i = end - 1;
        } else if (c === "#" && (i === 0 || /\s/.test(s[i - 1]))) {
          return s.slice(0, i).replace(/\s+$/, "");
        }
      }
      return s.replace(/\s+$/, "");
    }

    /* Anchors, aliases and tags are refused, as build.py refuses them; returns s without a '!!str' tag. */
    function refuse(s, line) {
      var c = s[0];
      if (c === "&" || c === "*") { fail(line, "YAML anchors and aliases (&name, *name) are not allowed; write each value out in full"); }
      if (c === "!") {
        var tag = s.split(/\s/)[0];
        if (tag !== "!" && tag !== "!!str") {
          fail(line, "YAML tags such as '" + (tag.indexOf("!!") === 0 ? "tag:yaml.org,2002:" + tag.slice(2) : tag) + "' are not allowed; remove the tag");
        }
        return s.slice(tag.length).replace(/^\s+/, "");
      }
      if (c === "@" || c === "`" || c === "%") { parseFail(line, "a character here cannot start a value; check for stray symbols"); }
      return s;
    }

    /* Where the ':' of a 'name: value' line is, or -1 when s (a line without its comment) is not one. */
    function keyEnd(s) {
      if (s[0] === "\"" || s[0] === "'") {
        var end = closing(s, 1, s[0]);
        if (end < 0) { return -1; }
        var rest = s.slice(end).replace(/^\s*/, "");
        return rest[0] === ":" && (rest.length === 1 || /\s/.test(rest[1])) ? s.length - rest.length : -1;
      }
      if (/^[\[\]{}#&*!|>%@`]/.test(s) || isItem(s)) { return -1; }
      for (var i = 0; i < s.length; i++) {
        if (s[i] === ":" && (i + 1 === s.length || /\s/.test(s[i + 1]))) { return i; }
      }
      return -1;
    }

    function unescapeDouble(body, line) {
      var map = { "0": "\0", a: "\x07", b: "\b", t: "\t", "\t": "\t", n: "\n", v: "\v", f: "\f", r: "\r", e: "\x1b", " ": " ", "\"": "\"", "/": "/", "\\": "\\", N: "\x85", _: "\xa0", L: "\u2028", P: "\u2029" };
      var sizes = { x: 2, u: 4, U: 8 };
      return body.replace(/\\(.)/g, function (all, c, offset) {
        if (own(map, c)) { return map[c]; }
        if (own(sizes, c)) {
          var code = body.slice(offset + 2, offset + 2 + sizes[c]);
          if (code.length === sizes[c] && /^[0-9A-Fa-f]+$/.test(code)) { return all; } // decoded by the second pass
        }
        parseFail(line, "a character after '\\' in quotes is not a known escape; write '\\\\' for a backslash");
        return all;
      }).replace(/\\x([0-9A-Fa-f]{2})|\\u([0-9A-Fa-f]{4})|\\U([0-9A-Fa-f]{8})/g, function (all, x, u, U) {
        return String.fromCodePoint(parseInt(x || u || U, 16));
      });
    }

    /* Line breaks inside quotes fold: one becomes a space, each empty line a line break. */
    function fold(parts) {
      if (parts.length === 1) { return parts[0]; }
      var out = parts[0].replace(/\s+$/, ""), breaks = 0;
      for (var n = 1; n < parts.length; n++) {
        var last = n === parts.length - 1;
        var piece = last ? parts[n].replace(/^\s+/, "") : parts[n].trim();
        if (!last && piece === "") { breaks++; continue; }
        out += breaks ? "\n".repeat(breaks) : " ";
        breaks = 0;
        out += piece;
      }
      return out;
    }

    /* A quoted scalar that opens at column `col` of line `index` and may go on over several lines. */
    function quoted(index, col) {
      var line = index + 1, q = lines[index][col];
      var s = lines[index].slice(col + 1), i = index, parts = [];
      for (;;) {
        var end = closing(s, 0, q);
        if (end >= 0) {
          parts.push(s.slice(0, end - 1));
          at = i + 1;
          var body = fold(parts);
          return { v: q === "'" ? body.replace(/''/g, "'") : unescapeDouble(body, line), rest: uncomment(s.slice(end)).trim(), line: line };
        }
        parts.push(s);
        i++;
        if (i >= lines.length) { parseFail(lines.length, "a quotation mark is not closed"); }
        s = lines[i];
      }
    }

    function plainType(s) {
      if (BOOL.test(s)) { return TRUE.test(s); }
      if (NULL.test(s)) { return null; }
      return s;
    }

    /* A flow list or mapping, [a, "b"] or {a: b}, opening at column `col` of line `index`. */
    function flow(index, col) {
      var i = index, s = uncomment(lines[index]), pos = col;
      function unclosed(open) { return open === "[" ? "a list opened with '[' is not closed with ']'" : "a set of fields opened with '{' is not closed with '}'"; }
      function space(open, line) {
        for (;;) {
          while (pos < s.length && /\s/.test(s[pos])) { pos++; }
          if (pos < s.length) { return; }
          i++;
          if (i >= lines.length) { parseFail(lines.length, unclosed(open)); }
          s = s + " " + uncomment(lines[i]);
        }
      }
      function scalar(open, line) {
        space(open, line);
        var c = s[pos], startLine = i + 1;
        if (c === "[" || c === "{") { return node(); }
        if (c === "\"" || c === "'") {
          var end = closing(s, pos + 1, c);
          if (end < 0) { parseFail(startLine, "a quotation mark is not closed"); }
          var body = s.slice(pos + 1, end - 1);
          pos = end;
          return { v: c === "'" ? body.replace(/''/g, "'") : unescapeDouble(body, startLine), line: startLine };
        }
        refuse(s.slice(pos), startLine);
        var start = pos;
        while (pos < s.length && !/[,\]}]/.test(s[pos]) && !(s[pos] === ":" && /\s/.test(s[pos + 1] || " "))) { pos++; }
        return { v: plainType(s.slice(start, pos).trim()), line: startLine };
      }
      function node() {
        var open = s[pos], close = open === "[" ? "]" : "}", startLine = i + 1;
        deeper(startLine);
        pos++;
        var list = [], map = new Map();
        for (;;) {
          space(open, startLine);
          if (s[pos] === close) { pos++; break; }
          var item = scalar(open, startLine);
          space(open, startLine);
          if (open === "{") {
            if (s[pos] !== ":") { parseFail(i + 1, unclosed(open)); }
            pos++;
            var val = scalar(open, startLine);
            var name = pyStr(item.v);
            if (map.has(name)) { problems.push({ line: item.line, message: "field '" + name + "' appears twice (first on line " + map.get(name).line + "); keep only one" }); }
            else { map.set(name, { v: val.v, line: item.line }); }
            space(open, startLine);
          } else {
            list.push(item);
          }
          if (s[pos] === ",") { pos++; continue; }
          if (s[pos] !== close) { parseFail(i + 1, unclosed(open)); }
        }
        depth--;
        return { v: open === "[" ? list : map, line: startLine };
      }
      var result = node();
      if (s.slice(pos).trim()) { parseFail(i + 1, "a character here cannot start a value; check for stray symbols"); }
      at = i + 1;
      return result;
    }

    /* A block scalar (| or >) with header `header`, under a parent at column `parent`. */
    function block(header, parent, line) {
      var m = /^([|>])([+-]?)([1-9]?)([+-]?)$/.exec(header);
      if (!m) { parseFail(line, "a character here cannot start a value; check for stray symbols"); }
      var folded = m[1] === ">", chomp = m[2] || m[4], indent = m[3] ? Math.max(parent, 0) + parseInt(m[3], 10) : null;
      var body = [];
      while (at < lines.length) {
        var raw = lines[at];
        if (raw.trim() === "") { body.push(""); at++; continue; }
        var n = 0;
        while (n < raw.length && raw[n] === " ") { n++; }
        if (indent === null) { if (n <= parent) { break; } indent = n; }
        if (n < indent) { break; }
        body.push(raw.slice(indent));
        at++;
      }
      var trailing = 0;
      while (body.length && body[body.length - 1] === "") { body.pop(); trailing++; }
      var value = "";
      if (!folded) { value = body.join("\n"); }
      else {
        body.forEach(function (l, n) {
          if (n === 0) { value = l; return; }
          var prev = body[n - 1];
          if (l === "") { value += "\n"; }
          else if (prev === "" || /^\s/.test(l) || /^\s/.test(prev)) { value += (prev === "" ? "" : "\n") + l; }
          else { value += " " + l; }
        });
      }
      if (body.length && chomp !== "-") { value += "\n"; }
      if (chomp === "+") { value += "\n".repeat(trailing); }
      return value;
    }

    /* The value after 'name:' or '- ' on line `index`: s is the rest of that line (a suffix of it),
       `col` the column of its parent (the name, or the dash). sameIndentList: a list may follow at
       the parent's own indentation (as YAML allows for a field's value). */
    function value(s, col, index, sameIndentList) {
      var line = index + 1;
      var lead = s.length - s.replace(/^\s+/, "").length;
      var r0 = uncomment(s.slice(lead));
      at = index + 1;
      if (r0 === "") {
        skip();
        if (at < lines.length) {
          var n = indentOf(at);
          if (n > col) { return nodeAt(col); }
          if (n === col && sameIndentList && isItem(lines[at].slice(n))) { return sequence(n, true); }
        }
        return { v: null, line: line };
      }
      var r = refuse(r0, line);
      if (r === "") { return { v: "", line: line }; }
      var start = lines[index].length - s.length + lead + (r0.length - r.length);
      if (r[0] === "|" || r[0] === ">") { return { v: block(r, col, line), line: line }; }
      if (r[0] === "\"" || r[0] === "'") {
        var q = quoted(index, start);
        if (q.rest) {
          if (/^:(\s|$)/.test(q.rest)) { parseFail(q.line, "a ': ' appears where a new field cannot start; put such text in quotes or under 'text: |'"); }
          parseFail(q.line, "a character here cannot start a value; check for stray symbols");
        }
        return { v: q.v, line: q.line };
      }
      if (r[0] === "[" || r[0] === "{") { return flow(index, start); }
      if (keyEnd(r) >= 0) { parseFail(line, "a ': ' appears where a new field cannot start; put such text in quotes or under 'text: |'"); }
      // A plain value goes on over the next lines that are indented more than its parent.
      var text = r, breaks = 0, next = at;
      while (next < lines.length) {
        if (lines[next].trim() === "") { breaks++; next++; continue; }
        var m = indentOf(next);
        var cont = lines[next].slice(m);
        if (m <= col || cont[0] === "#") { break; }
        cont = uncomment(cont);
        if (keyEnd(cont) >= 0) { parseFail(next + 1, "a ': ' appears where a new field cannot start; put such text in quotes or under 'text: |'"); }
        text += breaks ? "\n".repeat(breaks) : " ";
        text += cont;
        breaks = 0;
        next++;
        at = next;
      }
      return { v: plainType(text), line: line };
    }

    /* The block node on line `at` (after blank lines), indented more than `parent`. */
    function nodeAt(parent) {
      skip();
      var n = indentOf(at), s = lines[at].slice(n), result;
      deeper(at + 1);
      if (isItem(s)) { result = sequence(n, false); }
      else if (keyEnd(uncomment(s)) >= 0) { result = mapping(n); }
      else { result = value(s, parent, at, false); }
      depth--;
      return result;
    }

    /* A list whose dashes are at column n; fieldValue: it is a field's value at the field's own
       indentation, so a field name at column n ends it. */
    function sequence(n, fieldValue) {
      var list = [], line = at + 1;
      for (;;) {
        var rest = lines[at].slice(n + 1);
        var spaces = rest.length - rest.replace(/^\s+/, "").length;
        var content = uncomment(rest.slice(spaces));
        var item;
        if (content !== "" && (keyEnd(content) >= 0 || isItem(content))) {
          // "- name: value" or "- - item": a block node that starts on this line, after the dash.
          lines[at] = lines[at].slice(0, n) + " " + rest;
          var col = n + 1 + spaces;
          deeper(at + 1);
          item = isItem(content) ? sequence(col, false) : mapping(col);
          depth--;
        } else {
          item = value(rest, n, at, false);
        }
        list.push(item);
        skip();
        if (at >= lines.length) { break; }
        var m = indentOf(at), s = lines[at].slice(m);
        if (m < n || marker(at)) { break; }
        if (m === n && isItem(s)) { continue; }
        if (m === n && fieldValue && keyEnd(uncomment(s)) >= 0) { break; }
        parseFail(at + 1, INDENT);
      }
      return { v: list, line: line };
    }

    function mapping(n) {
      var map = new Map(), line = at + 1;
      for (;;) {
        var s = lines[at].slice(n);
        var end = keyEnd(uncomment(s));
        if (end < 0) { parseFail(at + 1, INDENT); }
        var rawKey = s.slice(0, end).replace(/\s+$/, "");
        var keyLine = at + 1;
        refuse(rawKey, keyLine);
        var key = rawKey[0] === "'" ? rawKey.slice(1, -1).replace(/''/g, "'") : rawKey[0] === "\"" ? unescapeDouble(rawKey.slice(1, -1), keyLine) : rawKey;
        var item = value(s.slice(end + 1), n, at, true);
        if (map.has(key)) {
          problems.push({ line: keyLine, message: "field '" + key + "' appears twice (first on line " + map.get(key).line + "); keep only one" });
        } else {
          map.set(key, { v: item.v, line: keyLine });
        }
        skip();
        if (at >= lines.length) { break; }
        var m = indentOf(at);
        if (m < n || marker(at)) { break; }
        if (m !== n || keyEnd(uncomment(lines[at].slice(m))) < 0) { parseFail(at + 1, INDENT); }
      }
      return { v: map, line: line };
    }

    try {
      skip();
      if (at < lines.length && /^---(\s|$)/.test(lines[at])) {
        if (uncomment(lines[at].slice(3)).trim()) { parseFail(at + 1, "a character here cannot start a value; check for stray symbols"); }
        at++;
        skip();
      }
      if (at >= lines.length || /^\.\.\.(\s|$)/.test(lines[at])) {
        return { value: null, problems: [{ line: 1, message: EMPTY_FILE }] };
      }
      var root = nodeAt(-1);
      skip();
      if (at < lines.length) {
        if (/^---(\s|$)/.test(lines[at])) { fail(at + 1, "expected exactly one YAML document; remove any extra '---' separators"); }
        if (!/^\.\.\.(\s|$)/.test(lines[at])) { parseFail(at + 1, INDENT); }
        at++;
        skip();
        if (at < lines.length) { fail(at + 1, "expected exactly one YAML document; remove any extra '---' separators"); }
      }
      return { value: root, problems: problems };
    } catch (err) {
      if (err instanceof YamlError) { return { value: null, problems: [{ line: err.line, message: err.message }] }; }
      throw err;
    }
  }

  // --- reading a selection file: the same checks and messages as draft_read.py -----------------

  var DEFAULT_TITLE_FALLBACK = "Draft social media protocol";
  var FIELDS = ["title", "audience", "sections", "clauses", "notes"];
  var SECTION_FIELDS = ["heading", "topics", "note", "content"];
  var AUDIENCES = ["members", "staff", "both"];
  var EMPTY_FILE = "file is empty (or holds only comments); save a selection from the /draft/ page, or list clause ids under 'clauses:'";
  var NOT_TEXT = "this is not a selection file: it is not text (a Word document or a PDF, perhaps); choose the .yaml file that Download selection saved";
  var MAX_BYTES = 2000000;

  function isMap(node) { return node && node.v instanceof Map; }
  function isList(node) { return node && Array.isArray(node.v); }
  function typedText(value) { return window.HandbookDraft.typed(value); }

  /* Python's str(), for the scalars a YAML file can hold. */
  function pyStr(v) { return v === true ? "True" : v === false ? "False" : v === null ? "None" : String(v); }

  /* Read a parsed selection. Returns {selection, problems}; each problem is {line, message, unknown}
     where `unknown` marks an unknown clause id, which the page can keep as a clause no longer in the
     handbook (the command line refuses it). */
  function readSelection(root, d) {
    var problems = [], seen = {};
    var title = d.text.title || DEFAULT_TITLE_FALLBACK, audience = "members";
    function problem(line, message, unknown) { problems.push({ line: line, message: message, unknown: !!unknown }); }
    function text(node, what) {
      if (typeof node.v !== "string") { problem(node.line, what + " must be text"); return null; }
      return typedText(node.v);
    }
    function unknownFields(map, allowed, where, hasWord) {
      map.forEach(function (value, key) {
        if (allowed.indexOf(key) === -1) {
          var close = closeMatch(key, allowed);
          problem(value.line, "unknown field '" + key + "'" + where + "." + (close ? " Did you mean '" + close + "'?" : "") + " " + hasWord + ": " + allowed.join(", ") + ".");
        }
      });
    }
    function clause(cid, line) {
      if (!own(d.clauseById, cid)) {
        problem(line, "unknown clause id '" + cid + "'. Did you mean '" + nearest(cid, d.ids) + "'?", true);
        if (own(seen, cid)) { return false; }
        seen[cid] = line;
        return "missing";
      }
      if (own(seen, cid)) { problem(line, "clause '" + cid + "' is listed twice (first on line " + seen[cid] + "); keep only one"); return false; }
      seen[cid] = line;
      return true;
    }
    function entryOf(cid, note, line, known) { return { kind: "clause", id: cid, note: note || "", missing: known === "missing", line: line }; }

    function byTopic(clauses, notes) {
      var filed = [];
      clauses.v.forEach(function (item) {
        var topic = null, cid, line;
        if (isMap(item)) {
          item.v.forEach(function (value, key) {
            if (key !== "id" && key !== "topic") { problem(value.line, "unknown field '" + key + "' in a clause entry; a clause entry has 'id' and optionally 'topic'"); }
          });
          if (!item.v.has("id")) { problem(item.line, "a clause entry needs an 'id'"); return; }
          cid = text(item.v.get("id"), "a clause id");
          if (item.v.has("topic")) { topic = text(item.v.get("topic"), "field 'topic'"); }
          line = item.v.get("id").line;
        } else {
          cid = text(item, "a clause id");
          line = item.line;
        }
        if (cid === null) { return; }
        cid = cid.trim();
        var known = clause(cid, line);
        if (!known) { return; }
        if (known === "missing") { filed.push([topic || "", entryOf(cid, "", line, known)]); return; }
        var c = d.clauseById[cid];
        if (topic === null) { topic = c.topics[0]; }
        else if (c.topics.indexOf(topic) === -1) {
          problem(line, "clause '" + cid + "' is not tagged with topic '" + topic + "'; file it under one of its topics: " + c.topics.map(function (t) { return "'" + t + "'"; }).join(", "));
          return;
        }
        filed.push([topic, entryOf(cid, "", line, known)]);
      });
      var sections = [];
      d.topics.forEach(function (topic) {
        var entries = filed.filter(function (f) { return f[0] === topic.id; }).map(function (f) { return f[1]; });
        if (entries.length || own(notes, topic.id)) { sections.push({ heading: "", topics: [topic.id], note: notes[topic.id] || "", entries: entries }); }
      });
      var orphans = filed.filter(function (f) { return !own(d.topicById, f[0]); }).map(function (f) { return f[1]; });
      if (orphans.length) { sections.push({ heading: "No longer in the handbook", topics: [], note: "", entries: orphans }); }
      return sections;
    }

    function readNotes(node) {
      if (!isMap(node)) { problem(node.line, "field 'notes' must hold one note per topic id, as 'disclaimer: your note'"); return {}; }
      var notes = {};
      node.v.forEach(function (value, tid) {
        if (!own(d.topicById, tid)) { problem(value.line, "unknown topic '" + tid + "' in notes. Did you mean '" + nearest(tid, d.topicIds) + "'?"); return; }
        if (value.v === null) { return; }
        var t = text(value, "the note on '" + tid + "'");
        if (t && t.trim()) { notes[tid] = t.trim(); }
      });
      return notes;
    }

    function readTopics(node) {
      var items = isList(node) ? node.v : [node], out = [];
      items.forEach(function (item) {
        var tid = text(item, "a topic id");
        if (tid === null) { return; }
        tid = tid.trim();
        if (!own(d.topicById, tid)) { problem(item.line, "unknown topic '" + tid + "'. Did you mean '" + nearest(tid, d.topicIds) + "'?"); }
        else if (out.indexOf(tid) === -1) { out.push(tid); }
      });
      return out;
    }

    function readEntry(node) {
      if (!isMap(node)) {
        var cid = text(node, "a clause id");
        if (cid === null) { return null; }
        cid = cid.trim();
        var known = clause(cid, node.line);
        return known ? entryOf(cid, "", node.line, known) : null;
      }
      var f = node.v, kinds = ["clause", "text"].filter(function (k) { return f.has(k); });
      var odd = false;
      f.forEach(function (v, k) { if (["clause", "text", "note"].indexOf(k) === -1) { odd = true; } });
      if (kinds.length !== 1 || odd || (f.has("text") && f.has("note"))) {
        problem(node.line, "an entry is a clause id, 'clause: <id>' (with an optional 'note:'), or 'text: <your wording>'");
        return null;
      }
      if (kinds[0] === "text") {
        var t = text(f.get("text"), "field 'text'");
        if (t === null) { return null; }
        if (!t.trim()) { problem(f.get("text").line, "field 'text' is empty; write your wording, or remove the entry"); return null; }
        return { kind: "text", text: t.trim(), line: f.get("text").line };
      }
      var id = text(f.get("clause"), "a clause id"), note = "";
      if (f.has("note") && f.get("note").v !== null) { note = (text(f.get("note"), "a clause's 'note'") || "").trim(); }
      if (id === null) { return null; }
      id = id.trim();
      var line = f.get("clause").line, k = clause(id, line);
      return k ? entryOf(id, note, line, k) : null;
    }

    function readSection(node) {
      if (!isMap(node)) { problem(node.line, "a section must have fields such as 'heading:' and 'content:'"); return null; }
      var f = node.v;
      unknownFields(f, SECTION_FIELDS, " in a section", "A section has");
      var heading = f.has("heading") ? (text(f.get("heading"), "a section's 'heading'") || "").trim() : "";
      var before = problems.length;
      var topics = f.has("topics") ? readTopics(f.get("topics")) : [];
      if (!heading && !topics.length && problems.length === before) { problem(node.line, "a section needs a 'heading' (or 'topics', to be headed by its first topic's title)"); }
      var note = f.has("note") && f.get("note").v !== null ? (text(f.get("note"), "a section's 'note'") || "").trim() : "";
      var entries = [];
      if (f.has("content") && f.get("content").v !== null) {
        var content = f.get("content");
        if (!isList(content)) { problem(content.line, "field 'content' must be a list: clause ids, 'clause:' entries and 'text:' entries, each starting with '- '"); }
        else { content.v.forEach(function (item) { var e = readEntry(item); if (e) { entries.push(e); } }); }
      }
      return { heading: heading, topics: topics, note: note, entries: entries };
    }

    var sections = [];
    if (isList(root)) {
      sections = byTopic(root, {});
    } else if (!isMap(root)) {
      problem(root.line, "expected a list of clause ids under 'clauses:' (see `build.py draft --help`)");
    } else {
      var fields = root.v;
      unknownFields(fields, FIELDS, "", "Allowed fields");
      if (fields.has("title")) { title = (text(fields.get("title"), "field 'title'") || "").trim() || title; }
      if (fields.has("audience")) {
        var a = fields.get("audience");
        if (AUDIENCES.indexOf(a.v) === -1) { problem(a.line, "field 'audience' must be 'members', 'staff' or 'both', not '" + pyStr(a.v) + "'"); }
        else { audience = a.v; }
      }
      if (fields.has("sections")) {
        if (fields.has("clauses") || fields.has("notes")) {
          var other = fields.has("clauses") ? "clauses" : "notes";
          problem(fields.get(other).line, "field '" + other + "' cannot be used with 'sections'; put the clauses and notes in the sections");
        }
        var list = fields.get("sections");
        if (!isList(list)) { problem(list.line, "field 'sections' must be a list of sections, each starting with '- '"); }
        else {
          if (!list.v.length) { problem(list.line, "the selection has no sections; add sections under 'sections:', or list clause ids under 'clauses:'"); }
          list.v.forEach(function (item) { var s = readSection(item); if (s) { sections.push(s); } });
        }
      } else {
        var notes = fields.has("notes") ? readNotes(fields.get("notes")) : {};
        if (!fields.has("clauses")) {
          if (!problems.length) { problem(root.line, "missing field 'clauses'; list the clause ids under 'clauses:'"); }
        } else {
          var clauses = fields.get("clauses");
          if (!isList(clauses)) { problem(clauses.line, "field 'clauses' must be a list of clause ids, one per line starting with '- '"); }
          else {
            if (!clauses.v.length && !Object.keys(notes).length) { problem(clauses.line, "the selection lists no clauses; add clause ids under 'clauses:'"); }
            sections = byTopic(clauses, notes);
          }
        }
      }
    }
    problems.sort(function (x, y) { return x.line - y.line || (x.message < y.message ? -1 : x.message > y.message ? 1 : 0); });
    return { selection: { title: title, audience: audience, sections: sections }, problems: problems };
  }

  /* A file's bytes as text, or the problem that stops it being read (read.py's read_text). */
  function decodeFile(bytes) {
    if (bytes.length > MAX_BYTES) {
      return { problem: { line: 1, message: "file is too large (" + bytes.length.toLocaleString("en-GB") + " bytes, the limit is 2,000,000); a selection file is far smaller, so check that this is the right file" } };
    }
    var nul = bytes.indexOf(0);
    if (nul >= 0) { return { problem: { line: lineAt(bytes, nul), message: NOT_TEXT } }; }
    var bad = invalidUtf8(bytes);
    if (bad >= 0) {
      var line = lineAt(bytes, bad);
      var hex = bytes[bad].toString(16);
      return { problem: { line: line, message: "file is not valid UTF-8 (byte 0x" + (hex.length < 2 ? "0" : "") + hex + " cannot be decoded); save the file with UTF-8 encoding" } };
    }
    var text = new TextDecoder("utf-8").decode(bytes);
    return { text: text.replace(/^\ufeff/, "").replace(/\r\n/g, "\n").replace(/\r/g, "\n") };
  }

  function lineAt(bytes, end) {
    var line = 1;
    for (var k = 0; k < end; k++) { if (bytes[k] === 10) { line++; } }
    return line;
  }

  function invalidUtf8(b) {
    for (var i = 0; i < b.length;) {
      var c = b[i], n = c < 0x80 ? 0 : c >= 0xc2 && c <= 0xdf ? 1 : c >= 0xe0 && c <= 0xef ? 2 : c >= 0xf0 && c <= 0xf4 ? 3 : -1;
      if (n < 0) { return i; }
      for (var k = 1; k <= n; k++) {
        var x = b[i + k];
        if (x === undefined || (x & 0xc0) !== 0x80) { return i; }
        if (k === 1 && ((c === 0xe0 && x < 0xa0) || (c === 0xed && x > 0x9f) || (c === 0xf0 && x < 0x90) || (c === 0xf4 && x > 0x8f))) { return i; }
      }
      i += n + 1;
    }
    return -1;
  }

  /* A selection file's bytes, read: {selection, problems} with each problem as "name:line: message". */
  function readSelectionFile(bytes, name, d) {
    var decoded = decodeFile(bytes);
    var problems;
    if (decoded.problem) { problems = [decoded.problem]; return { selection: null, problems: problems.map(format), unknownOnly: false }; }
    var parsed = parseYaml(decoded.text);
    if (!parsed.value) { return { selection: null, problems: parsed.problems.map(format), unknownOnly: false }; }
    var read = readSelection(parsed.value, d);
    problems = parsed.problems.map(function (p) { return { line: p.line, message: p.message, unknown: false }; }).concat(read.problems);
    problems.sort(function (x, y) { return x.line - y.line || (x.message < y.message ? -1 : x.message > y.message ? 1 : 0); });
    return {
      selection: read.selection,
      problems: problems.map(format),
      unknownOnly: problems.length > 0 && problems.every(function (p) { return p.unknown; })
    };
    function format(p) { return name + ":" + p.line + ": " + p.message; }
  }

  // --- links that carry the whole draft in their fragment ----------------------------------------
  /* #draft=1.<length>.<base64url of the deflated JSON> (or 0.<length>.<base64url of the JSON> where
     the browser cannot compress). The fragment is never sent to any server. */

  var LINK = "draft=";
  var LINK_MESSAGES = {
    empty: "This link holds no draft: it ends after \u2018#draft=\u2019. Ask for the link again, or for the selection file instead.",
    newer: "This link was made by a newer version of the handbook, which this copy cannot read. Open it in the online handbook, or ask for the selection file instead.",
    characters: "This link to a draft is damaged: it holds characters a draft link never has. It may have been changed when it was copied; ask for the link again.",
    incomplete: "This link to a draft is incomplete: it may have been cut off when it was copied. Ask for the link again, or for the selection file instead.",
    contents: "This link to a draft is damaged: what it holds is not a draft. Ask for the link again, or for the selection file instead.",
    browser: "This browser cannot open compressed draft links. Open the link in a current version of Edge, Chrome, Firefox or Safari, or ask for the selection file instead."
  };

  function compact(draft, d) {
    var out = { v: 1, t: draft.title, a: draft.audience, s: [] };
    draft.sections.forEach(function (section) {
      var s = { e: [] };
      if (section.heading) { s.h = section.heading; }
      if (section.topics.length) { s.p = section.topics; }
      if (section.note) { s.n = section.note; }
      if (section.keep) { s.k = 1; }
      section.entries.forEach(function (entry) {
        if (entry.kind === "text") { s.e.push({ t: entry.text }); }
        else if (entry.name && !own(d.clauseById, entry.id)) { s.e.push({ m: entry.id, n: entry.name, c: entry.note }); }
        else { s.e.push(entry.note ? [entry.id, entry.note] : entry.id); }
      });
      out.s.push(s);
    });
    return out;
  }

  /* A compact draft back as a stored draft, or null when it is not one. */
  function expand(c) {
    if (!c || typeof c !== "object" || c.v !== 1 || !Array.isArray(c.s)) { return null; }
    var ok = true;
    function s(v) { if (v !== undefined && typeof v !== "string") { ok = false; } return typeof v === "string" ? v : ""; }
    var draft = { version: 2, title: s(c.t), audience: c.a, next: 1, sections: [] };
    c.s.forEach(function (sec) {
      if (!sec || typeof sec !== "object" || !Array.isArray(sec.e) || (sec.p !== undefined && !Array.isArray(sec.p))) { ok = false; return; }
      var section = { heading: s(sec.h), topics: (sec.p || []).filter(function (t) { return typeof t === "string"; }), note: s(sec.n), keep: sec.k === 1, placed: true, entries: [] };
      sec.e.forEach(function (e) {
        if (typeof e === "string") { section.entries.push({ kind: "clause", id: e, name: "", note: "" }); }
        else if (Array.isArray(e) && typeof e[0] === "string") { section.entries.push({ kind: "clause", id: e[0], name: "", note: s(e[1]) }); }
        else if (e && typeof e === "object" && typeof e.t === "string") { section.entries.push({ kind: "text", text: e.t }); }
        else if (e && typeof e === "object" && typeof e.m === "string") { section.entries.push({ kind: "clause", id: e.m, name: s(e.n), note: s(e.c) }); }
        else { ok = false; }
      });
      draft.sections.push(section);
    });
    return ok ? window.HandbookDraft.clean(draft) : null;
  }

  function toBase64Url(bytes) {
    var binary = "";
    for (var i = 0; i < bytes.length; i += 0x8000) { binary += String.fromCharCode.apply(null, bytes.subarray(i, i + 0x8000)); }
    return btoa(binary).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
  }
  function fromBase64Url(text) {
    var binary = atob(text.replace(/-/g, "+").replace(/_/g, "/") + "===".slice((text.length + 3) % 4));
    var bytes = new Uint8Array(binary.length);
    for (var i = 0; i < binary.length; i++) { bytes[i] = binary.charCodeAt(i); }
    return bytes;
  }

  function through(bytes, stream) {
    return new Response(new Blob([bytes]).stream().pipeThrough(stream)).arrayBuffer().then(function (b) { return new Uint8Array(b); });
  }

  /* The fragment (without '#') for a draft: a promise of 'draft=1.<bytes>.<base64url>', where <bytes>
     is the length of the compressed draft, so that a link cut short is told from a damaged one. */
  function encodeLink(draft, d) {
    var bytes = new TextEncoder().encode(JSON.stringify(compact(draft, d)));
    function link(format, packed) { return LINK + format + "." + packed.length + "." + toBase64Url(packed); }
    if (typeof CompressionStream === "undefined") { return Promise.resolve(link(0, bytes)); }
    return through(bytes, new CompressionStream("deflate-raw")).then(function (packed) { return link(1, packed); });
  }

  /* A promise of {draft} or {error: message} for a fragment (without '#') starting 'draft='. */
  function decodeLink(fragment) {
    function fail(kind) { return Promise.resolve({ error: LINK_MESSAGES[kind] }); }
    var body = fragment.slice(LINK.length);
    try { body = decodeURIComponent(body); } catch (err) { return fail("characters"); }
    body = body.trim();
    if (!body) { return fail("empty"); }
    if (!/^[A-Za-z0-9_.-]*$/.test(body)) { return fail("characters"); }
    var parts = body.split(".");
    if (!/^[0-9]+$/.test(parts[0])) { return fail("contents"); }
    if (parts[0] !== "0" && parts[0] !== "1") { return fail("newer"); }
    if (parts.length < 3 || !/^[0-9]+$/.test(parts[1])) { return fail("incomplete"); }
    if (parts.length > 3) { return fail("contents"); }
    var payload = parts[2], size = parseInt(parts[1], 10);
    if (payload.length % 4 === 1) { return fail(Math.floor(payload.length * 3 / 4) < size ? "incomplete" : "contents"); }
    var bytes = fromBase64Url(payload);
    if (bytes.length < size) { return fail("incomplete"); }
    if (bytes.length > size) { return fail("contents"); }
    var inflated;
    if (parts[0] === "1") {
      if (typeof DecompressionStream === "undefined") { return fail("browser"); }
      inflated = through(bytes, new DecompressionStream("deflate-raw"));
    } else {
      inflated = Promise.resolve(bytes);
    }
    return inflated.then(function (raw) {
      var json;
      try { json = JSON.parse(new TextDecoder("utf-8", { fatal: true }).decode(raw)); }
      catch (err) { return { error: LINK_MESSAGES.contents }; }
      var draft = expand(json);
      return draft ? { draft: draft } : { error: LINK_MESSAGES.contents };
    }, function () { return { error: LINK_MESSAGES.contents }; });
  }

  window.HandbookDraftRead = {
    ratio: ratio, nearest: nearest, parseYaml: parseYaml, readSelection: readSelection, readSelectionFile: readSelectionFile,
    encodeLink: encodeLink, decodeLink: decodeLink, LINK: LINK, linkMessages: LINK_MESSAGES
  };
})();
