/*
 * 政府信息公开目录: filters (主题分类, 发布机构, year, 有效性) and the 文号 search, in the
 * browser. The first catalogue page carries every row as JSON (#catalogue-data); the
 * filters and the page are kept in the address (?category=…&q=…&page=2), so a view can be
 * shared and the back button works. Without JavaScript the form stays hidden and the
 * static pages (/page/2/ …) show the whole table. On the other pages the form submits to
 * the first page. Plain ES5 plus URLSearchParams; rows are built with textContent only.
 */
(function (window, document) {
  "use strict";

  var form = document.querySelector("[data-catalogue-form]");
  if (!form) {
    return;
  }
  form.hidden = false;
  var FILTERS = { category: "c", publisher: "p", year: "y", validity: "v" };

  /* The non-empty fields of the form, as a query string. */
  function formQuery() {
    var params = new URLSearchParams();
    for (var name in FILTERS) {
      if (form.elements[name].value) {
        params.set(name, form.elements[name].value);
      }
    }
    var q = form.elements.q.value.trim();
    if (q) {
      params.set("q", q);
    }
    var text = params.toString();
    return text ? "?" + text : "";
  }

  var data = document.getElementById("catalogue-data");
  if (!data) {
    /* A later page: the first one, which has every row, filters. */
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      window.location.href = form.action.split("?")[0] + formQuery();
    });
    return;
  }
  var rows = JSON.parse(data.textContent);
  var body = document.querySelector("[data-catalogue-rows]");
  var status = document.querySelector("[data-catalogue-status]");
  var pages = document.querySelector("[data-catalogue-pages]");
  var reset = document.querySelector("[data-catalogue-reset]");
  var perPage = parseInt(body.getAttribute("data-per-page"), 10) || 20;
  var COLUMNS = ["i", "t", "d", "p", "w", "a", "c", "v"];

  /* 文号 as typed: full-width forms, any bracket around the year, spaces and case. */
  function fold(text) {
    var s = String(text || "");
    if (s.normalize) {
      s = s.normalize("NFKC");
    }
    return s
      .toLowerCase()
      .replace(/[\[【(〔]/g, "〔")
      .replace(/[\]】)〕]/g, "〕")
      .replace(/\s+/g, "");
  }

  function fill(template, values) {
    return template.replace(/\{(\w+)\}/g, function (all, name) {
      return Object.prototype.hasOwnProperty.call(values, name) ? values[name] : all;
    });
  }

  function readState() {
    var params = new URLSearchParams(window.location.search);
    var state = { q: params.get("q") || "", page: parseInt(params.get("page"), 10) || 1 };
    for (var name in FILTERS) {
      state[name] = params.get(name) || "";
    }
    return state;
  }

  function query(state, page) {
    var params = new URLSearchParams();
    for (var name in FILTERS) {
      if (state[name]) {
        params.set(name, state[name]);
      }
    }
    if (state.q) {
      params.set("q", state.q);
    }
    if (page > 1) {
      params.set("page", String(page));
    }
    var text = params.toString();
    return window.location.pathname + (text ? "?" + text : "");
  }

  function matches(row, state) {
    for (var name in FILTERS) {
      if (state[name] && String(row[FILTERS[name]]) !== state[name]) {
        return false;
      }
    }
    return !state.q || fold(row.d).indexOf(fold(state.q)) !== -1;
  }

  function cell(row, key) {
    var td = document.createElement("td");
    if (key !== "t") {
      td.textContent = row[key];
      return td;
    }
    var a = document.createElement("a");
    a.href = row.h;
    a.textContent = row.t;
    if (row.x) {
      a.rel = "external";
      var mark = document.createElement("span");
      mark.className = "visually-hidden";
      mark.textContent = body.getAttribute("data-external");
      a.appendChild(mark);
    }
    td.appendChild(a);
    return td;
  }

  function pageLink(list, label, page, state, attrs) {
    var li = document.createElement("li");
    var a = document.createElement("a");
    a.href = query(state, page);
    a.textContent = label;
    a.setAttribute("data-page", String(page));
    for (var name in attrs) {
      a.setAttribute(name, attrs[name]);
    }
    li.appendChild(a);
    list.appendChild(li);
  }

  function pagination(state, page, count) {
    while (pages.firstChild) {
      pages.removeChild(pages.firstChild);
    }
    if (count < 2) {
      return;
    }
    var nav = document.createElement("nav");
    nav.className = "pagination";
    nav.setAttribute("aria-label", pages.getAttribute("data-label"));
    var where = document.createElement("p");
    where.className = "page-status";
    where.textContent = fill(pages.getAttribute("data-page-of"), { n: page, count: count });
    nav.appendChild(where);
    var list = document.createElement("ul");
    if (page > 1) {
      pageLink(list, pages.getAttribute("data-prev"), page - 1, state, { rel: "prev" });
    }
    for (var n = 1; n <= count; n++) {
      var attrs = { "aria-label": fill(pages.getAttribute("data-page-n"), { n: n }) };
      if (n === page) {
        attrs["aria-current"] = "page";
      }
      pageLink(list, String(n), n, state, attrs);
    }
    if (page < count) {
      pageLink(list, pages.getAttribute("data-next"), page + 1, state, { rel: "next" });
    }
    nav.appendChild(list);
    pages.appendChild(nav);
  }

  function render(state) {
    var found = [];
    for (var i = 0; i < rows.length; i++) {
      if (matches(rows[i], state)) {
        found.push(rows[i]);
      }
    }
    var count = Math.max(1, Math.ceil(found.length / perPage));
    var page = Math.min(Math.max(1, state.page), count);
    while (body.firstChild) {
      body.removeChild(body.firstChild);
    }
    var shown = found.slice((page - 1) * perPage, page * perPage);
    for (var r = 0; r < shown.length; r++) {
      var tr = document.createElement("tr");
      for (var c = 0; c < COLUMNS.length; c++) {
        tr.appendChild(cell(shown[r], COLUMNS[c]));
      }
      body.appendChild(tr);
    }
    status.textContent = found.length
      ? fill(status.getAttribute("data-template"), { n: found.length, page: page, count: count })
      : status.getAttribute("data-empty");
    pagination(state, page, count);
    for (var name in FILTERS) {
      form.elements[name].value = state[name];
    }
    form.elements.q.value = state.q;
  }

  function go(url) {
    window.history.pushState(null, "", url);
    render(readState());
  }

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    go(window.location.pathname + formQuery());
  });
  reset.addEventListener("click", function (event) {
    event.preventDefault();
    go(window.location.pathname);
  });
  pages.addEventListener("click", function (event) {
    var link = event.target.closest ? event.target.closest("a[data-page]") : null;
    if (link) {
      event.preventDefault();
      go(link.getAttribute("href"));
    }
  });
  window.addEventListener("popstate", function () {
    render(readState());
  });
  render(readState());
})(window, document);
