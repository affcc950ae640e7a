/* 站内搜索 page: answers the query in the address from sitegen's static index (searchindex/).
   A report is found when its searchable text contains every word of the query (包含):
   each word is covered by tokens (character pairs, and longer strings where a shorter one
   is frequent), and a report matches where those tokens occur at exactly their offsets.
   Only the first file (searchindex/index: meta.json and every shard's docs table, once a
   page), the chunks holding the query's tokens (of every shard at once) and one text file
   of each result shown (the block of its body holding the match) are loaded. Queries,
   filters and result pages chosen on the page are answered in it. generator/search_query.py
   is the same matching in Python (for tests). */
(function () {
  "use strict";
  var form = document.getElementById("search-form");
  if (!form) return;
  var input = document.getElementById("search-q");
  var columnSelect = document.getElementById("search-column");
  var yearSelect = document.getElementById("search-year");
  var status = document.getElementById("search-status");
  var hint = document.getElementById("search-hint");
  var list = document.getElementById("search-results");
  var pager = document.getElementById("search-pages");
  var text = form.dataset;
  var PER_PAGE = parseInt(form.dataset.perPage, 10) || 20;

  /* The query, filters and result page of the address (?q=…&column=…&year=…&page=2), into
     the form's fields. */
  var query, column, year, page;
  function readAddress() {
    var params = new URLSearchParams(location.search);
    query = params.get("q") || "";
    column = params.get("column") || "";
    year = params.get("year") || "";
    page = parseInt(params.get("page") || "1", 10);
    if (!(page >= 1)) page = 1;
    input.value = query;
    choose(columnSelect, column);
    choose(yearSelect, year);
  }
  readAddress();

  function choose(select, wanted) {
    select.selectedIndex = 0;
    for (var i = 0; i < select.options.length; i++) {
      var option = select.options[i];
      if (option.dataset.label === undefined) option.dataset.label = option.textContent;
      if (option.value === wanted) select.selectedIndex = i;
    }
  }

  function say(message) {
    status.textContent = message;
  }

  if (location.protocol === "file:") {
    say(text.offline);
    return;
  }
  if (!window.fetch || !window.TextDecoder || !(window.sitegenInflate || window.DecompressionStream)) {
    say(text.old);
    return;
  }

  /* Query words: NFKC and case folding as the index was made (upper then lower case
     folds ß, ς, ſ … as Python's casefold does), split at white space, each once. */
  function fold(value) {
    return value.normalize("NFKC").toUpperCase().toLowerCase();
  }
  /* The folding of one character, as the excerpt and the marks map each character (most
     of a page's characters are the same few hundred: each is folded once). */
  var folds = new Map();
  function foldChar(c) {
    var code = c.charCodeAt(0);
    if (code >= 0x4e00 && code <= 0x9fff) return c; // CJK ideographs fold to themselves
    var f = folds.get(c);
    if (f === undefined) {
      f = fold(c);
      folds.set(c, f);
    }
    return f;
  }
  function queryWords(value) {
    var words = [];
    fold(value).split(/\s+/).forEach(function (word) {
      if (word && words.indexOf(word) < 0) words.push(word);
    });
    return words;
  }
  /* The tokens a word is looked up by in a shard, [token, offset] from offset 0: of its
     pairs, and of its longer strings that are one of the shard's frequent strings with one
     more character after or before it, the fewest that cover every character, a frequent
     token counting as a thousand; among equal choices the first found (offsets from the
     start, shorter tokens first). generator/search_index.covering_tokens does the same. */
  function coveringTokens(word, frequent) {
    var chars = Array.from(word), n = chars.length;
    if (n === 1) return [[word, 0]];
    var best = new Array(n + 1).fill(null);
    best[0] = [0, []];
    for (var start = 0; start < n - 1; start++) {
      for (var end = start + 2; end <= n; end++) {
        var token = chars.slice(start, end).join("");
        if (end - start > 2 && !frequent.has(chars.slice(start, end - 1).join("")) &&
            !frequent.has(chars.slice(start + 1, end).join(""))) continue;
        var cost = frequent.has(token) ? 1001 : 1;
        for (var reach = start; reach <= n; reach++) {
          var known = best[reach];
          if (known === null) continue;
          var total = known[0] + cost, after = Math.max(reach, end);
          if (best[after] === null || total < best[after][0]) best[after] = [total, known[1].concat([[token, start]])];
        }
      }
    }
    return best[n][1];
  }

  /* The chunk of a token among count: FNV-1a of its UTF-16 code units (search_index.bucket). */
  function bucket(token, count) {
    var h = 0x811c9dc5;
    for (var i = 0; i < token.length; i++) h = Math.imul(h ^ token.charCodeAt(i), 0x01000193) >>> 0;
    return h % count;
  }

  var metaUrl = new URL(form.getAttribute("data-index"), location.href);
  var root = new URL(form.getAttribute("data-root"), location.href);

  /* Bytes decompressed by inflate.js (on the search page before this script), else by the
     browser's DecompressionStream. */
  function decompress(bytes) {
    if (window.sitegenInflate) return Promise.resolve(window.sitegenInflate(bytes).buffer);
    var stream = new Blob([bytes]).stream().pipeThrough(new DecompressionStream("deflate"));
    return new Response(stream).arrayBuffer();
  }
  function received(response) {
    if (!response.ok) throw new Error(response.url + ": HTTP " + response.status);
    return response.arrayBuffer();
  }
  function inflate(url) {
    return fetch(url).then(received).then(function (buffer) {
      return decompress(new Uint8Array(buffer));
    });
  }

  function Shard(entry) {
    this.entry = entry;
    this.folder = new URL(entry.name + "/", metaUrl).href;
    this.width = entry.w;
    this.frequent = new Set();
    this.chunks = {};
  }
  Shard.prototype.file = function (name) {
    return this.folder + name + "?v=" + this.entry.sig; // names of ASCII letters, digits, / and .
  };
  Shard.prototype.read = function (view, at, count) {
    var values = new Uint32Array(count);
    var w = this.width;
    for (var i = 0; i < count; i++) {
      values[i] = w === 2 ? view.getUint16(at + i * 2, true) : view.getUint32(at + i * 4, true);
    }
    return values;
  };
  /* The shard's docs table: its part of the joined tables, from byte `at` of the buffer. */
  Shard.prototype.readDocs = function (buffer, at) {
    var n = this.entry.n, w = this.width, view = new DataView(buffer, at, this.entry.dl);
    var values = this.read(view, 0, 3 * n);
    this.columns = values.slice(0, n);
    this.titleLengths = values.slice(n, 2 * n);
    this.blocks = values.slice(2 * n); // text files of each report
    this.starts = new Array(n);
    for (var i = 0; i < n; i++) this.starts[i] = view.getUint32(3 * n * w + 4 * i, true);
    var tokens = new TextDecoder().decode(new Uint8Array(buffer, at + 3 * n * w + 4 * n,
                                                         this.entry.dl - 3 * n * w - 4 * n));
    this.frequent = new Set(tokens ? tokens.split("\n") : []);
  };
  Shard.prototype.chunkOf = function (token) {
    return this.entry.chunks ? "c" + bucket(token, this.entry.chunks) : null;
  };
  Shard.prototype.loadChunk = function (name) {
    var width = this.width;
    if (!this.chunks[name]) {
      this.chunks[name] = inflate(this.file(name)).then(function (buffer) {
        return parseChunk(buffer, width);
      });
    }
    return this.chunks[name];
  };
  /* A token of positions: { positions } in the shard's text, ascending; a character or a
     frequent string by report: { docs, counts, rest } with rest the first position in each
     report's text. */
  Shard.prototype.postings = function (token) {
    var name = this.chunkOf(token);
    if (name === null) return Promise.resolve(null);
    var shard = this;
    return this.loadChunk(name).then(function (chunk) {
      var at = chunk.entries[token];
      if (at === undefined) return null;
      var view = chunk.view, w = shard.width;
      var n = view.getUint32(at, true);
      if (positional(token)) {
        var positions = new Uint32Array(n), p = view.getUint32(at + 4, true), gw = view.getUint8(at + 8);
        positions[0] = p;
        for (var i = 1; i < n; i++) {
          var g = at + 9 + (i - 1) * gw;
          p += gw === 2 ? view.getUint16(g, true) : view.getUint32(g, true);
          positions[i] = p;
        }
        return { positions: positions };
      }
      at += 4;
      return { docs: shard.read(view, at, n), counts: shard.read(view, at + n * w, n),
               rest: shard.read(view, at + 2 * n * w, n) };
    });
  };
  /* A token with positions: 2 characters or more, not a frequent string's entry by report
     (its name after a line break). */
  function positional(token) {
    return token[0] !== "\n" && Array.from(token).length > 1;
  }
  /* Where each token's entry starts (after its name); the entries are read when asked for. */
  function parseChunk(buffer, w) {
    var bytes = new Uint8Array(buffer);
    var view = new DataView(buffer);
    var decoder = new TextDecoder();
    var entries = {};
    var at = 0;
    while (at < bytes.length) {
      var size = bytes[at];
      var token = decoder.decode(bytes.subarray(at + 1, at + 1 + size));
      at += 1 + size;
      entries[token] = at;
      var n = view.getUint32(at, true);
      if (positional(token)) at += 9 + (n - 1) * view.getUint8(at + 8);
      else at += 4 + 3 * n * w;
    }
    return { view: view, entries: entries };
  }
  /* Where the body of a report's text begins: after its title and a line break. */
  Shard.prototype.bodyStart = function (doc) {
    return this.titleLengths[doc] + 1;
  };
  /* The report holding each position (both ascending): report → [count, first, first in
     the body or -1], positions from the start of the report's text. */
  Shard.prototype.byDoc = function (hits) {
    var result = new Map(), starts = this.starts, doc = 0;
    for (var i = 0; i < hits.length; i++) {
      var p = hits[i];
      while (doc + 1 < starts.length && starts[doc + 1] <= p) doc++;
      var at = p - starts[doc], m = result.get(doc);
      if (!m) result.set(doc, m = [0, at, -1]);
      m[0]++;
      if (m[2] < 0 && at >= this.bodyStart(doc)) m[2] = at;
    }
    return result;
  };
  /* doc → [occurrences of the word, where it first occurs, where it first occurs in the
     body (-1: not known, or nowhere)] in one shard: the positions of the first token
     whose other tokens follow at their offsets; of a word looked up by report, only its
     first position is known. */
  Shard.prototype.match = function (word) {
    var single = Array.from(word).length === 1, byReport = single || this.frequent.has(word);
    /* a character, or a frequent string: by report */
    var parts = byReport ? [[single ? word : "\n" + word, 0]] : coveringTokens(word, this.frequent);
    var shard = this, ends = parts.length > 2 ? [parts[0], parts[parts.length - 1]] : parts;
    function load(some) {
      return Promise.all(some.map(function (p) { return shard.postings(p[0]); }));
    }
    /* a word of more than two tokens: its first and last first (a word the shard does not
       hold, most often, costs two chunks), then the others */
    return load(ends).then(function (found) {
      if (found.some(function (p) { return p === null; }) || ends === parts) return found;
      return load(parts.slice(1, -1)).then(function (middle) {
        return [found[0]].concat(middle, [found[1]]);
      });
    }).then(function (found) {
      var result = new Map();
      if (found.some(function (p) { return p === null; })) return result;
      if (byReport) {
        found[0].docs.forEach(function (doc, i) {
          var first = found[0].rest[i];
          result.set(doc, [found[0].counts[i], first, first >= shard.bodyStart(doc) ? first : -1]);
        });
        return result;
      }
      var hits = found[0].positions;
      for (var k = 1; k < parts.length && hits.length; k++) {
        var there = found[k].positions, offset = parts[k][1], kept = [], j = 0;
        for (var i = 0; i < hits.length; i++) {
          var want = hits[i] + offset;
          while (j < there.length && there[j] < want) j++;
          if (j === there.length) break;
          if (there[j] === want) kept.push(hits[i]);
        }
        hits = kept;
      }
      return shard.byDoc(hits);
    });
  };

  /* Per word, doc → [count, first]; null when a word is in no report of the shard. */
  Shard.prototype.matchAll = function (words) {
    var shard = this;
    return Promise.all(words.map(function (word) { return shard.match(word); })).then(function (matched) {
      return matched.some(function (m) { return !m.size; }) ? null : matched;
    });
  };

  function inColumn(key, wanted) {
    return !wanted || key === wanted || key.indexOf(wanted + "/") === 0;
  }

  /* Every report containing all the words, with what filters and ranking need. */
  function findAll(index, words) {
    var meta = index.meta;
    var lengths = words.map(function (word) { return Array.from(word).length; });
    return Promise.all(index.shards.map(function (shard, s) {
      return shard.matchAll(words).then(function (matched) {
        var hits = [];
        if (matched === null) return hits;
        matched[0].forEach(function (first, doc) {
          var inTitle = 0, count = 0, body = -1;
          for (var k = 0; k < matched.length; k++) {
            var m = matched[k].get(doc);
            if (!m) return;
            count += m[0];
            if (m[1] + lengths[k] <= shard.titleLengths[doc]) inTitle++;
            if (m[2] >= 0 && (body < 0 || m[2] < body)) body = m[2];
          }
          hits.push({ shard: shard, s: s, doc: doc, year: shard.entry.y,
                      column: meta.columns[shard.columns[doc]][0], inTitle: inTitle, count: count,
                      body: body < 0 ? 0 : body - shard.bodyStart(doc) });
        });
        return hits;
      });
    })).then(function (perShard) {
      var hits = [].concat.apply([], perShard);
      hits.sort(function (a, b) {
        return b.inTitle - a.inTitle || b.count - a.count || a.s - b.s || a.doc - b.doc;
      });
      return hits;
    });
  }

  /* The text file of a result to cut its excerpt from: the block of its body holding the
     first match known in it (search_index.body_blocks cuts them), else its first. */
  function textFile(meta, hit) {
    var k = Math.min(Math.floor(hit.body / (meta.b || Infinity)), hit.shard.blocks[hit.doc] - 1);
    return "t/" + hit.doc + (k > 0 ? "." + k : "");
  }

  /* A column key and the keys of the columns it is in (zwgk/ndbg: zwgk/ndbg, zwgk). */
  var lineages = {};
  function lineage(key) {
    if (!lineages[key]) {
      var parts = key.split("/");
      lineages[key] = parts.map(function (_, i) { return parts.slice(0, i + 1).join("/"); });
    }
    return lineages[key];
  }

  function showCounts(hits) {
    var byYear = {}, byColumn = {}, inYear = 0, inCol = 0;
    hits.forEach(function (h) {
      if (inColumn(h.column, column)) {
        byYear[h.year] = (byYear[h.year] || 0) + 1;
        inCol++;
      }
      if (!year || h.year === year) {
        inYear++;
        var keys = lineage(h.column);
        for (var i = 0; i < keys.length; i++) byColumn[keys[i]] = (byColumn[keys[i]] || 0) + 1;
      }
    });
    label(columnSelect, byColumn, inYear);
    label(yearSelect, byYear, inCol);
  }
  function label(select, counts, all) {
    for (var i = 0; i < select.options.length; i++) {
      var option = select.options[i];
      var n = option.value ? counts[option.value] || 0 : all;
      option.textContent = option.dataset.label + "（" + n + "）";
    }
  }

  /* Text with every occurrence of the words marked, as DOM nodes (nothing parsed as HTML). */
  function marked(value, words, from, to) {
    var chars = Array.from(value);
    if (to === undefined) { from = 0; to = chars.length; }
    var folded = "", origin = [];
    for (var i = from; i < to; i++) {
      var f = foldChar(chars[i]);
      for (var j = 0; j < f.length; j++) origin.push(i);
      folded += f;
    }
    origin.push(to);
    var on = new Uint8Array(to - from);
    words.forEach(function (word) {
      for (var at = folded.indexOf(word); at >= 0; at = folded.indexOf(word, at + 1)) {
        var end = origin[at + word.length - 1];
        for (var k = origin[at]; k <= end; k++) on[k - from] = 1;
      }
    });
    var out = document.createDocumentFragment(), run = "", state = 0;
    function flush() {
      if (!run) return;
      if (state) {
        var mark = document.createElement("mark");
        mark.textContent = run;
        out.appendChild(mark);
      } else out.appendChild(document.createTextNode(run));
      run = "";
    }
    for (var c = from; c < to; c++) {
      if (on[c - from] !== state) { flush(); state = on[c - from]; }
      run += chars[c];
    }
    flush();
    return out;
  }

  /* The words around the first match in the text file's part of the body (its start when
     the match is elsewhere), with … where the body goes on before or after. */
  function excerpt(doc, words) {
    var chars = Array.from(doc.x);
    var folded = "", origin = [];
    for (var i = 0; i < chars.length; i++) {
      var f = foldChar(chars[i]);
      for (var j = 0; j < f.length; j++) origin.push(i);
      folded += f;
    }
    var first = -1;
    words.forEach(function (word) {
      var at = folded.indexOf(word);
      if (at >= 0 && (first < 0 || origin[at] < first)) first = origin[at];
    });
    var from = first < 0 ? 0 : Math.max(0, first - 40);
    var to = Math.min(chars.length, from + 140);
    var out = document.createDocumentFragment();
    if (from > 0 || doc.k) out.appendChild(document.createTextNode("…"));
    out.appendChild(marked(doc.x, words, from, to));
    if (to < chars.length || doc.c) out.appendChild(document.createTextNode("…"));
    return out;
  }

  function render(meta, shown, texts, words) {
    var titles = {};
    meta.columns.forEach(function (c) { titles[c[0]] = c[1]; });
    list.textContent = "";
    shown.forEach(function (hit, i) {
      var doc = texts[i];
      var li = document.createElement("li");
      var heading = document.createElement("h2");
      var link = document.createElement("a");
      link.href = new URL(doc.u.replace(/^\//, ""), root).href;
      link.appendChild(marked(doc.t, words));
      if (doc.s !== undefined) {
        // a 外链 item: it opens another site, as its list item says
        link.rel = "external";
        var mark = document.createElement("span");
        mark.className = "external-mark";
        var arrow = document.createElement("span");
        arrow.setAttribute("aria-hidden", "true");
        arrow.textContent = " ↗";
        var hidden = document.createElement("span");
        hidden.className = "visually-hidden";
        hidden.textContent = text.external || "";
        mark.appendChild(arrow);
        mark.appendChild(hidden);
        link.appendChild(mark);
      }
      heading.appendChild(link);
      var info = document.createElement("p");
      info.className = "result-meta";
      info.textContent = [titles[hit.column], doc.s, doc.d].filter(Boolean).join(" · ");
      var body = document.createElement("p");
      body.className = "result-excerpt";
      body.appendChild(excerpt(doc, words));
      li.appendChild(heading);
      li.appendChild(info);
      li.appendChild(body);
      list.appendChild(li);
    });
  }

  function pageLink(n, label, rel) {
    var next = new URLSearchParams(location.search);
    if (n > 1) next.set("page", String(n)); else next["delete"]("page");
    var link = document.createElement("a");
    link.href = "?" + next.toString();
    link.textContent = label;
    if (rel) link.rel = rel;
    return link;
  }

  function paginate(count) {
    var pages = Math.ceil(count / PER_PAGE);
    pager.textContent = "";
    pager.hidden = pages < 2;
    if (pages < 2) return;
    var where = document.createElement("p");
    where.className = "page-status";
    where.textContent = text.pageOf.replace("{n}", page).replace("{count}", pages);
    var ul = document.createElement("ul");
    function item(node) {
      var li = document.createElement("li");
      li.appendChild(node);
      ul.appendChild(li);
    }
    if (page > 1) item(pageLink(page - 1, text.prev, "prev"));
    var last = 0;
    for (var n = 1; n <= pages; n++) {
      if (n !== 1 && n !== pages && Math.abs(n - page) > 3) continue;
      if (last && n > last + 1) {
        var gap = document.createElement("span");
        gap.textContent = "…";
        gap.setAttribute("aria-hidden", "true");
        item(gap);
      }
      var link = pageLink(n, String(n));
      link.setAttribute("aria-label", text.pageN.replace("{n}", n));
      if (n === page) link.setAttribute("aria-current", "page");
      item(link);
      last = n;
    }
    if (page < pages) item(pageLink(page + 1, text.next, "next"));
    pager.appendChild(where);
    pager.appendChild(ul);
  }

  /* meta.json: asked for again beside each later query. */
  function fetchMeta() {
    return fetch(metaUrl.href, { cache: "no-cache" }).then(function (response) {
      if (!response.ok) throw new Error("meta.json: HTTP " + response.status);
      return response.json();
    });
  }
  /* searchindex/index: the length of meta.json (4 bytes), meta.json, then the docs tables
     of every shard, compressed (search.first_file). */
  function fetchFirst() {
    return fetch(new URL("index", metaUrl).href, { cache: "no-cache" });
  }
  /* The index: every shard with its docs table read, from the response for
     searchindex/index once it comes. */
  function openIndex(pending) {
    var opened = pending.then(received).then(function (buffer) {
      var size = new DataView(buffer).getUint32(0, true);
      var meta = JSON.parse(new TextDecoder().decode(new Uint8Array(buffer, 4, size)));
      var shards = meta.shards.map(function (entry) { return new Shard(entry); });
      return decompress(new Uint8Array(buffer, 4 + size)).then(function (tables) {
        var at = 0;
        shards.forEach(function (shard) {
          shard.readDocs(tables, at);
          at += shard.entry.dl;
        });
        return { meta: meta, shards: shards };
      });
    });
    opened["catch"](function () {
      if (loading === opened) loading = null; // asked for again by the next query
    });
    return opened;
  }
  /* Loaded once for all the queries of this page: asked for by search.html as the page was
     read when the address holds a query, else now (the reader is about to search), or by
     this script on a theme's own search page without that early request. */
  var loading = null, openedAt = 0, answered = false;
  function index() {
    if (!loading) {
      loading = openIndex(window.sitegenIndex || fetchFirst());
      window.sitegenIndex = null;
      openedAt = performance.now();
      answered = false;
    }
    return loading;
  }
  /* The outcome of a promise, kept whether it is fulfilled or rejected. */
  function settle(promise) {
    return promise.then(function (value) { return { value: value }; },
                        function (error) { return { error: error }; });
  }
  /* The matches, from the index loaded before when it is still the published one: a page
     left open while the site is published again would read new chunks with old tables, so
     once the index has answered a query, or is more than a minute old, meta.json is asked
     for again beside the chunks, and the query made again on the new index when its tables
     changed. */
  function search(words) {
    var opened = index();
    var reused = answered || performance.now() - openedAt > 60000;
    answered = true;
    if (!reused) {
      return opened.then(function (idx) {
        return findAll(idx, words).then(function (hits) { return [idx, hits]; });
      });
    }
    var fresh = settle(fetchMeta());
    return opened.then(function (idx) {
      return Promise.all([settle(findAll(idx, words)), fresh]).then(function (both) {
        var now = both[1].value;
        if (now && now.tables !== idx.meta.tables) {
          if (loading === opened) {
            loading = openIndex(fetchFirst());
            openedAt = performance.now();
          }
          return loading.then(function (newer) {
            return findAll(newer, words).then(function (hits) { return [newer, hits]; });
          });
        }
        if (both[0].error) throw both[0].error;
        return [idx, both[0].value];
      });
    });
  }

  /* Answers the address: the first time as the page opens, then after each query, result
     page or filter chosen on this page (without loading the page again) and on back and
     forward. An answer overtaken by a later one is dropped. The form's data-done is the
     address answered (tests and benchmarks wait for it). */
  var answering = 0;
  function answer(focus) {
    var mine = ++answering;
    var since = mine === 1 ? 0 : performance.now();
    readAddress();
    form.removeAttribute("data-done");
    var words = queryWords(query);
    if (!words.length) {
      list.textContent = "";
      pager.hidden = true;
      hint.hidden = true;
      say("");
      return Promise.resolve();
    }
    say(text.busy);
    var address = location.search;
    function finish() {
      /* milliseconds to the results, from the start of navigation when the page opened with
         the query, else from the query (benchmarks/run.py) */
      form.setAttribute("data-ms", String(Math.round(performance.now() - since)));
      form.setAttribute("data-done", address);
    }
    return search(words)
      .then(function (found) {
        if (mine !== answering) return;
        var meta = found[0].meta, hits = found[1];
        showCounts(hits);
        var wanted = hits.filter(function (h) {
          return inColumn(h.column, column) && (!year || h.year === year);
        });
        var pages = Math.max(1, Math.ceil(wanted.length / PER_PAGE));
        if (page > pages) page = pages;
        var shown = wanted.slice((page - 1) * PER_PAGE, page * PER_PAGE);
        return Promise.all(shown.map(function (hit) {
          return inflate(hit.shard.file(textFile(meta, hit))).then(function (buffer) {
            return JSON.parse(new TextDecoder().decode(buffer));
          });
        })).then(function (texts) {
          if (mine !== answering) return;
          render(meta, shown, texts, words);
          paginate(wanted.length);
          hint.hidden = wanted.length > 0;
          say(wanted.length ? text.count.replace("{n}", wanted.length) : text.none);
          if (focus) status.focus();
          finish();
        });
      })
      ["catch"](function (error) {
        if (mine !== answering) return;
        if (window.console) console.error(error);
        say(text.failed);
        finish();
      });
  }

  /* A query, a filter or a result page chosen here is answered in this page: the address
     changes as a plain GET of the form or a click of the link would change it (so it can be
     shared, and back and forward go through the queries), without loading the page again. */
  var inPage = !!(window.history && history.pushState);
  function go(address, focus) {
    if (address === location.href) history.replaceState(null, "", address);
    else history.pushState(null, "", address);
    answer(focus);
  }
  if (inPage) {
    status.setAttribute("tabindex", "-1");
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      var fields = new URLSearchParams(new FormData(form)).toString();
      go(new URL("?" + fields, location.href).href, false);
    });
    pager.addEventListener("click", function (event) {
      var link = event.target.closest ? event.target.closest("a[href]") : null;
      if (!link || event.button !== 0 || event.ctrlKey || event.metaKey || event.shiftKey ||
          event.altKey) return;
      event.preventDefault();
      go(link.href, true);
    });
    window.addEventListener("popstate", function () { answer(false); });
  }

  index();
  answer(false);
})();