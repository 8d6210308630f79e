/* Council Social Media Policy Handbook: council picker on topic pages and the
   "gaps only" filter on the coverage matrix. The page works without this file:
   every council and every topic is shown. */
(function () {
  "use strict";

  function setupPicker(picker) {
    var boxes = Array.prototype.slice.call(picker.querySelectorAll("input[name=council]"));
    var columns = document.querySelectorAll(".compare-col");
    var all = boxes.map(function (box) { return box.value; });

    function apply(shown) {
      boxes.forEach(function (box) { box.checked = shown.indexOf(box.value) !== -1; });
      Array.prototype.forEach.call(columns, function (col) {
        col.hidden = shown.indexOf(col.getAttribute("data-council")) === -1;
      });
      /* The at-a-glance table follows the choice, and a printed page says what was chosen. */
      Array.prototype.forEach.call(document.querySelectorAll("table.glance tr[data-council]"), function (row) {
        row.hidden = shown.indexOf(row.getAttribute("data-council")) === -1;
      });
      var note = document.querySelector(".print-choice");
      if (note) {
        var names = boxes.filter(function (box) { return box.checked; }).map(function (box) { return box.parentNode.textContent.trim(); });
        note.textContent = shown.length === all.length ? "" : "Showing the councils chosen on the page: " + names.join(", ") + ". The PDF of this page has every council.";
        note.hidden = shown.length === all.length;
      }
    }

    function fromUrl() {
      var params = new URLSearchParams(window.location.search);
      var value = params.get("councils");
      if (!value) { return all.slice(); }
      var shown = value.split(",").filter(function (id) { return all.indexOf(id) !== -1; });
      return shown.length ? shown : all.slice();
    }

    function toUrl(shown) {
      var url = new URL(window.location.href);
      if (shown.length === all.length) { url.searchParams.delete("councils"); }
      else { url.searchParams.set("councils", shown.join(",")); }
      window.history.replaceState(null, "", url.toString().replace(/%2C/g, ","));
    }

    function current() {
      return boxes.filter(function (box) { return box.checked; }).map(function (box) { return box.value; });
    }

    boxes.forEach(function (box) {
      box.addEventListener("change", function () {
        var shown = current();
        apply(shown);
        toUrl(shown);
      });
    });
    picker.querySelector(".picker-all").addEventListener("click", function () {
      apply(all.slice());
      toUrl(all.slice());
    });

    var shown = fromUrl();
    // A link to one clause always shows that clause's council.
    var target = window.location.hash ? document.getElementById(window.location.hash.slice(1)) : null;
    var col = target ? target.closest(".compare-col") : null;
    if (col && shown.indexOf(col.getAttribute("data-council")) === -1) {
      shown.push(col.getAttribute("data-council"));
    }
    apply(shown);
    picker.hidden = false;
  }

  /* The coverage matrix's filters, kept in the address: gaps=1 (a council is silent), differ=1
     (councils differ in level), level=<level> (a council is at that level; with topic=<n> on the
     large handbook's matrix, on that topic), silent=<council id> (that council's gaps). */
  function setupMatrixFilters(tools) {
    var wrap = tools.nextElementSibling;
    var empty = wrap ? wrap.nextElementSibling : null;
    var count = tools.querySelector(".matrix-count");
    var controls = {
      gaps: tools.querySelector(".gaps-only"),
      differ: tools.querySelector(".differ-only"),
      level: tools.querySelector(".level-filter"),
      topic: tools.querySelector(".topic-filter"),
      silent: tools.querySelector(".council-gaps")
    };
    var filters = Array.prototype.slice.call(tools.querySelectorAll(".matrix-filter"));
    function value(name) {
      var control = controls[name];
      if (!control) { return ""; }
      return control.type === "checkbox" ? (control.checked ? "1" : "") : control.value;
    }
    function rowMatches(row) {
      if (value("gaps") && row.getAttribute("data-silent") === "0") { return false; }
      if (value("differ") && row.getAttribute("data-differ") !== "1") { return false; }
      var level = value("level");
      if (level) {
        if (controls.topic) {
          var cells = row.querySelectorAll("td");
          var topic = value("topic");
          var hit = false;
          Array.prototype.forEach.call(cells, function (cell, i) {
            if ((topic === "" || String(i) === topic) && cell.classList.contains("l-" + level)) { hit = true; }
          });
          if (!hit) { return false; }
        } else if ((row.getAttribute("data-levels") || "").indexOf(" " + level + " ") === -1) {
          return false;
        }
      }
      var silent = value("silent");
      if (silent && (row.getAttribute("data-silent-councils") || "").indexOf(" " + silent + " ") === -1) { return false; }
      for (var i = 0; i < filters.length; i += 1) {
        var select = filters[i];
        if (select.value && row.getAttribute("data-" + select.getAttribute("data-field")) !== select.value) { return false; }
      }
      return true;
    }
    function apply(save) {
      var rows = wrap.querySelectorAll("tr.matrix-row");
      var visible = 0;
      Array.prototype.forEach.call(rows, function (row) {
        row.hidden = !rowMatches(row);
        if (!row.hidden) { visible += 1; }
      });
      Array.prototype.forEach.call(wrap.querySelectorAll("tbody"), function (body) {
        body.hidden = body.querySelectorAll("tr.matrix-row:not([hidden])").length === 0;
      });
      if (empty) { empty.hidden = visible !== 0; }
      if (count) { count.textContent = visible === rows.length ? "" : "Showing " + visible + " of " + rows.length + (controls.topic ? " councils." : " topics."); }
      if (save) {
        var url = new URL(window.location.href);
        Object.keys(controls).forEach(function (name) {
          if (!controls[name]) { return; }
          if (value(name)) { url.searchParams.set(name, value(name)); } else { url.searchParams.delete(name); }
        });
        window.history.replaceState(null, "", url.toString().replace(/%2C/g, ","));
      }
    }
    var params = new URLSearchParams(window.location.search);
    Object.keys(controls).forEach(function (name) {
      var control = controls[name];
      if (!control) { return; }
      var wanted = params.get(name) || "";
      if (control.type === "checkbox") {
        control.checked = wanted === "1";
      } else if (Array.prototype.some.call(control.options, function (o) { return o.value === wanted; })) {
        control.value = wanted;
      }
      control.addEventListener("change", function () { apply(true); });
    });
    filters.forEach(function (select) { select.addEventListener("change", function () { apply(true); }); });
    apply(false);
    tools.hidden = false;
  }

  /* Large handbooks: the reader picks up to five councils, whose clauses are loaded from
     data/topics/<id>.json and laid out side by side. Text is inserted as text, never as markup. */
  var MAX_CHOSEN = 5;

  function el(tag, className, text) {
    var node = document.createElement(tag);
    if (className) { node.className = className; }
    if (text !== undefined) { node.textContent = text; }
    return node;
  }

  function clauseText(text) {
    var quote = el("blockquote", "clause-text");
    var list = null;
    text.split("\n").forEach(function (line) {
      if (line.indexOf("- ") === 0) {
        if (!list) { list = el("ul"); quote.appendChild(list); }
        list.appendChild(el("li", "", line.slice(2).trim()));
      } else if (line.trim()) {
        list = null;
        quote.appendChild(el("p", "", line.trim()));
      } else {
        list = null;
      }
    });
    return quote;
  }

  function setupDynamicCompare(picker) {
    var area = document.querySelector(".compare-dynamic");
    var input = picker.querySelector("#compare-find");
    var chosenList = picker.querySelector(".compare-chosen");
    var message = picker.querySelector(".compare-message");
    var base = picker.getAttribute("data-councils");
    var options = Array.prototype.slice.call(picker.querySelectorAll("datalist option"));
    var byName = {};
    options.forEach(function (option) { byName[option.value.toLowerCase()] = option.getAttribute("data-id"); });
    var data = null;
    var chosen = [];

    function council(id) {
      return data.councils.filter(function (c) { return c.id === id; })[0];
    }

    function toUrl() {
      var url = new URL(window.location.href);
      if (chosen.length) { url.searchParams.set("councils", chosen.join(",")); } else { url.searchParams.delete("councils"); }
      window.history.replaceState(null, "", url.toString().replace(/%2C/g, ","));
    }

    function render() {
      area.textContent = "";
      chosenList.textContent = "";
      chosen.forEach(function (id) {
        var c = council(id);
        var item = el("li");
        item.appendChild(document.createTextNode(c.short_name + " "));
        var remove = el("button", "md-button compare-remove", "Remove");
        remove.type = "button";
        remove.appendChild(el("span", "visually-hidden", " " + c.short_name + " from the comparison"));
        remove.addEventListener("click", function () {
          chosen = chosen.filter(function (other) { return other !== id; });
          render();
          toUrl();
          input.focus();
        });
        item.appendChild(remove);
        chosenList.appendChild(item);

        var col = el("section", "compare-col");
        col.setAttribute("data-council", id);
        var heading = el("h3", "compare-name");
        var link = el("a", "", c.name);
        link.href = base + id + "/";
        heading.appendChild(link);
        col.appendChild(heading);
        var doc = el("p", "compare-doc");
        doc.appendChild(el("cite", "", c.title));
        doc.appendChild(document.createTextNode(" (" + c.date + ", " + c.status + ")"));
        col.appendChild(doc);
        c.clauses.forEach(function (clause) {
          var article = el("article", "clause");
          article.setAttribute("data-clause", clause.id);
          article.setAttribute("data-topic", data.topic);
          article.setAttribute("data-name", c.short_name + ", " + clause.label);
          article.appendChild(el("p", "clause-label", clause.label.charAt(0).toUpperCase() + clause.label.slice(1)));
          article.appendChild(clauseText(clause.text));
          var cite = el("p", "clause-cite", clause.citation + ". ");
          var context = el("a", "", "Read in context");
          context.href = base + id + "/#" + clause.id;
          cite.appendChild(context);
          article.appendChild(cite);
          col.appendChild(article);
        });
        area.appendChild(col);
      });
      area.dispatchEvent(new CustomEvent("handbook:clauses-added", { bubbles: true }));
    }

    function add() {
      var id = byName[input.value.trim().toLowerCase()];
      if (!id) { message.textContent = "No council called “" + input.value + "” addresses this topic; pick one from the list."; return; }
      if (chosen.indexOf(id) !== -1) { message.textContent = "That council is already shown."; return; }
      if (chosen.length >= MAX_CHOSEN) { message.textContent = "Up to five councils can be compared; remove one first."; return; }
      chosen.push(id);
      message.textContent = council(id).short_name + " added.";
      input.value = "";
      render();
      toUrl();
    }

    picker.querySelector(".compare-add").addEventListener("click", add);
    input.addEventListener("keydown", function (event) { if (event.key === "Enter") { event.preventDefault(); add(); } });

    fetch(picker.getAttribute("data-topic-data")).then(function (response) { return response.json(); }).then(function (json) {
      data = json;
      var wanted = (new URLSearchParams(window.location.search).get("councils") || "").split(",");
      chosen = wanted.filter(function (id) { return id && council(id); }).slice(0, MAX_CHOSEN);
      if (!chosen.length) { chosen = data.councils.slice(0, 3).map(function (c) { return c.id; }); }
      render();
      picker.hidden = false;
    }).catch(function () {
      area.textContent = "The comparison could not be loaded; open this page from the web server rather than from a file.";
    });
  }

  function init() {
    var dynamic = document.querySelector(".compare-picker");
    if (dynamic) { setupDynamicCompare(dynamic); }
    var picker = document.querySelector(".council-picker");
    if (picker) { setupPicker(picker); }
    Array.prototype.forEach.call(document.querySelectorAll(".matrix-tools"), setupMatrixFilters);
  }

  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", init); }
  else { init(); }
})();
