/* 站内搜索 page: queries the Pagefind index built by `sitegen build`.
   Pagefind loads only the index chunks a query needs. Works under any sub-path: the
   site root is taken from a relative link the page carries. */
(function () {
  "use strict";
  var form = document.getElementById("search-form");
  if (!form) return;
  var input = document.getElementById("search-q");
  var columnSelect = document.getElementById("search-column");
  var yearSelect = document.getElementById("search-year");
  var status = document.getElementById("search-status");
  var list = document.getElementById("search-results");
  var root = new URL(form.getAttribute("data-root"), location.href).pathname;
  var bundle = new URL(form.getAttribute("data-pagefind"), location.href).href;
  var params = new URLSearchParams(location.search);
  var loading = null;
  var runId = 0;

  input.value = params.get("q") || "";

  function load() {
    if (!loading) {
      loading = import(bundle).then(function (pagefind) {
        return pagefind.options({ baseUrl: root }).then(function () {
          return pagefind;
        });
      });
    }
    return loading;
  }

  function choose(select, wanted) {
    for (var i = 0; i < select.options.length; i++) {
      if (select.options[i].value === wanted) select.selectedIndex = i;
    }
  }

  function wanted(item) {
    var section = (item.meta && item.meta.section) || "";
    var column = columnSelect.value;
    if (column && section !== column && section.indexOf(column + "/") !== 0) return false;
    return !yearSelect.value || (item.meta && item.meta.year) === yearSelect.value;
  }

  function say(text) {
    status.textContent = text;
  }

  function render(items) {
    list.textContent = "";
    items.forEach(function (item) {
      var li = document.createElement("li");
      var link = document.createElement("a");
      link.href = item.url;
      link.textContent = (item.meta && item.meta.title) || item.url;
      var heading = document.createElement("h2");
      heading.appendChild(link);
      var meta = document.createElement("p");
      meta.className = "result-meta";
      meta.textContent = [item.meta.column, item.meta.date].filter(Boolean).join(" · ");
      var excerpt = document.createElement("p");
      excerpt.className = "result-excerpt";
      excerpt.innerHTML = item.excerpt; /* Pagefind escapes the text; only <mark> is markup */
      li.appendChild(heading);
      li.appendChild(meta);
      li.appendChild(excerpt);
      list.appendChild(li);
    });
  }

  function run() {
    var query = input.value.trim();
    var id = ++runId;
    if (!query) {
      list.textContent = "";
      say("");
      return;
    }
    var filtered = columnSelect.value || yearSelect.value;
    load()
      .then(function (pagefind) {
        return pagefind.search(query);
      })
      .then(function (search) {
        /* Only the fragments of the results shown (or filtered) are loaded. */
        return Promise.all(
          search.results.slice(0, filtered ? 200 : 30).map(function (r) {
            return r.data();
          })
        );
      })
      .then(function (items) {
        if (id !== runId) return;
        items = items.filter(wanted).slice(0, 30);
        render(items);
        say(items.length ? status.getAttribute("data-count").replace("{n}", items.length) : status.getAttribute("data-none"));
      })
      ["catch"](function (error) {
        say(String(error));
      });
  }

  choose(columnSelect, params.get("column") || "");
  choose(yearSelect, params.get("year") || "");
  run();

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    var next = new URLSearchParams();
    if (input.value.trim()) next.set("q", input.value.trim());
    if (columnSelect.value) next.set("column", columnSelect.value);
    if (yearSelect.value) next.set("year", yearSelect.value);
    history.replaceState(null, "", "?" + next.toString());
    run();
  });
  columnSelect.addEventListener("change", run);
  yearSelect.addEventListener("change", run);
})();
