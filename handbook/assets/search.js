/* The search page: Pagefind's own interface (built into site/pagefind/ with the site), started on
   #search. A search given in the address (?q=words) runs at once, and the address follows what is
   typed, so a search can be shared. */
(function () {
  "use strict";

  function start() {
    var box = document.getElementById("search");
    if (!box) { return; }
    if (typeof PagefindUI !== "function") {
      var note = document.querySelector(".search-unavailable");
      if (note) { note.hidden = false; }
      return;
    }
    var bundle = new URL(box.getAttribute("data-bundle").replace(/\/?$/, "/"), window.location.href).pathname;
    var ui = new PagefindUI({
      element: "#search",
      bundlePath: bundle,
      showSubResults: true,
      showImages: false,
      autofocus: true,
      processTerm: function (term) {
        var url = new URL(window.location.href);
        if (term) { url.searchParams.set("q", term); } else { url.searchParams.delete("q"); }
        window.history.replaceState(null, "", url.href);
        return term;
      }
    });
    var query = new URLSearchParams(window.location.search).get("q");
    if (query) { ui.triggerSearch(query); }
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
