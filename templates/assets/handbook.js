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
      Array.prototype.forEach.call(rows, function (row) {
        var hide = box.checked && row.getAttribute("data-silent") === "0";
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
    apply();
    tools.hidden = false;
  }

  function init() {
    var picker = document.querySelector(".council-picker");
    if (picker) { setupPicker(picker); }
    Array.prototype.forEach.call(document.querySelectorAll(".matrix-tools"), setupGaps);
  }

  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", init); }
  else { init(); }
})();
