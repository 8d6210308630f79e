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
      window.history.replaceState(null, "", url.toString());
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

  function setupGaps(tools) {
    var box = tools.querySelector(".gaps-only");
    var wrap = tools.nextElementSibling;
    var empty = wrap ? wrap.nextElementSibling : null;
    function apply() {
      var rows = wrap.querySelectorAll("tr.matrix-row");
      var visible = 0;
      var filters = Array.prototype.slice.call(tools.querySelectorAll(".matrix-filter"));
      Array.prototype.forEach.call(rows, function (row) {
        var hide = box.checked && row.getAttribute("data-silent") === "0";
        filters.forEach(function (select) {
          if (select.value && row.getAttribute("data-" + select.getAttribute("data-field")) !== select.value) { hide = true; }
        });
        row.hidden = hide;
        if (!hide) { visible += 1; }
      });
      Array.prototype.forEach.call(wrap.querySelectorAll("tbody"), function (body) {
        body.hidden = body.querySelectorAll("tr.matrix-row:not([hidden])").length === 0;
      });
      if (empty) { empty.hidden = visible !== 0; }
      var url = new URL(window.location.href);
      if (box.checked) { url.searchParams.set("gaps", "1"); } else { url.searchParams.delete("gaps"); }
      window.history.replaceState(null, "", url.toString());
    }
    box.checked = new URLSearchParams(window.location.search).get("gaps") === "1";
    box.addEventListener("change", apply);
    Array.prototype.forEach.call(tools.querySelectorAll(".matrix-filter"), function (select) { select.addEventListener("change", apply); });
    apply();
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
      window.history.replaceState(null, "", url.toString());
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
    Array.prototype.forEach.call(document.querySelectorAll(".matrix-tools"), setupGaps);
  }

  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", init); }
  else { init(); }
})();
