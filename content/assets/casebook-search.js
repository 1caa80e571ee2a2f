/*
 * 基层治理案例库 · 站内检索
 *
 * Material for MkDocs runs its search in a Web Worker, which browsers refuse
 * to start from file://, and its Chinese query segmenter never looks up the
 * last word of a query typed without spaces. This script stands in for that
 * worker: it speaks the same messages (SETUP 0 → READY 1, QUERY 2 → RESULT 3)
 * so Material's search box and result list stay, but it runs in the page,
 * loads our own compact index with a <script> tag (which works from file://)
 * and segments queries against the index vocabulary by dynamic programming.
 *
 * Must load before Material's bundle (it is included from the `libs` block).
 */
(function () {
  "use strict";

  var NativeWorker = window.Worker;
  var MAX_WORD = 14;

  function siteRootFrom(workerUrl) {
    var abs = new URL(workerUrl, document.baseURI).href;
    return abs.replace(/assets\/javascripts\/workers\/.*$/, "");
  }

  function loadScript(src) {
    return new Promise(function (resolve, reject) {
      var s = document.createElement("script");
      s.src = src;
      s.async = true;
      s.onload = resolve;
      s.onerror = function () { reject(new Error("无法加载检索索引：" + src)); };
      document.head.appendChild(s);
    });
  }

  /* ------------------------------------------------------------ engine */

  function Engine(index) {
    this.docs = index.docs;
    this.terms = index.terms;
    this.vocab = Object.keys(index.terms).sort();
    this.places = index.places || {};
    this.tags = index.tags || {};
    this.placeWords = index.placeWords || {};
    this.tagWords = index.tagWords || {};
    this.generic = {};
    var self = this;
    (index.generic || []).forEach(function (w) { self.generic[w] = true; });
    /* tag slug → documents carrying it, for query words that name a practice */
    this.byTag = {};
    this.docs.forEach(function (d, i) {
      if (d[0].indexOf("cases/") === 0) d[6].forEach(function (t) { (self.byTag[t] = self.byTag[t] || []).push(i); });
    });
  }

  Engine.prototype.has = function (w) {
    return Object.prototype.hasOwnProperty.call(this.terms, w);
  };

  /* Words of the index that start with `prefix` (for words still being typed). */
  Engine.prototype.expand = function (prefix, limit) {
    var lo = 0, hi = this.vocab.length;
    while (lo < hi) {
      var mid = (lo + hi) >> 1;
      if (this.vocab[mid] < prefix) lo = mid + 1; else hi = mid;
    }
    var out = [];
    for (var i = lo; i < this.vocab.length && out.length < limit; i++) {
      if (this.vocab[i].indexOf(prefix) !== 0) break;
      if (this.vocab[i] !== prefix) out.push(this.vocab[i]);
    }
    return out;
  };

  /* Best split of a run of Han characters into index words: every word counts,
     the last one too; longer words are preferred (score = Σ length²). */
  Engine.prototype.segmentHan = function (s) {
    var n = s.length, best = [0], back = [null], i, j;
    for (i = 1; i <= n; i++) { best.push(-1); back.push(null); }
    for (i = 0; i < n; i++) {
      if (best[i] < 0) continue;
      if (best[i] > best[i + 1]) { best[i + 1] = best[i]; back[i + 1] = [i, false]; }
      for (j = i + 2; j <= Math.min(n, i + MAX_WORD); j++) {
        if (this.has(s.slice(i, j))) {
          var score = best[i] + (j - i) * (j - i);
          if (score > best[j]) { best[j] = score; back[j] = [i, true]; }
        }
      }
    }
    var words = [], gaps = [], end = n, gapEnd = -1;
    while (end > 0) {
      var b = back[end];
      if (b[1]) {
        if (gapEnd >= 0) { gaps.push(s.slice(end, gapEnd)); gapEnd = -1; }
        words.push(s.slice(b[0], end));
      } else if (gapEnd < 0) {
        gapEnd = end;
      }
      end = b[0];
    }
    if (gapEnd > 0) gaps.push(s.slice(0, gapEnd));
    return { words: words.reverse(), gaps: gaps.reverse() };
  };

  /* Query → filters and weighted terms. */
  Engine.prototype.parse = function (query) {
    var q = query.normalize ? query.normalize("NFKC").toLowerCase() : query.toLowerCase();
    var filters = { place: [], tag: [], tagBoost: [] };
    q = q.replace(/(地点|地区|place|标签|tag)[:：]\s*(\S+)/g, function (_, key, value) {
      (/^(地点|地区|place)$/.test(key) ? filters.place : filters.tag).push(value);
      return " ";
    });
    var terms = {}, self = this, order = [];
    var add = function (w, weight) {
      /* Same plan as the command line: place names restrict, practice names
         pull in their tag, generic words count little. */
      if (Object.prototype.hasOwnProperty.call(self.placeWords, w) && weight >= 1) {
        if (filters.place.indexOf(self.placeWords[w]) < 0) filters.place.push(self.placeWords[w]);
        return;
      }
      if (Object.prototype.hasOwnProperty.call(self.tagWords, w) && weight >= 1 && filters.tagBoost.indexOf(self.tagWords[w]) < 0)
        filters.tagBoost.push(self.tagWords[w]);
      if (self.generic[w]) weight = Math.min(weight, 0.3);
      if (!(w in terms)) order.push(w);
      if (!(w in terms) || terms[w] < weight) terms[w] = weight;
    };
    var parts = q.match(/[\u4e00-\u9fff]+|[a-z0-9.]+/g) || [];
    parts.forEach(function (part, k) {
      var last = k === parts.length - 1;
      if (/^[\u4e00-\u9fff]+$/.test(part)) {
        var seg = self.segmentHan(part);
        seg.words.forEach(function (w) { add(w, 1); });
        seg.gaps.forEach(function (g) {
          if (g.length >= 2) self.expand(g, 12).forEach(function (w) { add(w, 0.6); });
        });
        if (!seg.words.length && part.length === 1) self.expand(part, 12).forEach(function (w) { add(w, 0.4); });
        if (last) {
          var tail = seg.gaps.length ? seg.gaps[seg.gaps.length - 1] : "";
          if (tail && part.slice(-tail.length) === tail) self.expand(tail, 12).forEach(function (w) { add(w, 0.6); });
        }
      } else {
        if (self.has(part)) add(part, 1);
        if (last || !self.has(part)) self.expand(part, 12).forEach(function (w) { add(w, 0.5); });
      }
    });
    return { terms: terms, order: order, filters: filters, han: (q.match(/[\u4e00-\u9fff]+/g) || []).join("") };
  };

  Engine.prototype.matchesFilters = function (doc, filters) {
    var place = doc[2];
    var tags = doc[3].join(" ");
    for (var i = 0; i < filters.place.length; i++)
      if (doc[5].indexOf(filters.place[i]) < 0 && place.indexOf(filters.place[i]) < 0) return false;
    for (i = 0; i < filters.tag.length; i++) if (tags.indexOf(filters.tag[i]) < 0 && doc[6].indexOf(filters.tag[i]) < 0) return false;
    return true;
  };

  Engine.prototype.search = function (query, limit) {
    var parsed = this.parse(query), terms = parsed.terms, names = Object.keys(terms);
    var filtering = parsed.filters.place.length || parsed.filters.tag.length;
    var scores = {}, hits = {}, required = 0;
    names.forEach(function (t) { if (terms[t] >= 1) required++; });
    var tagBoost = {};
    parsed.filters.tagBoost.forEach(function (t) {
      (this.byTag[t] || []).forEach(function (d) { tagBoost[d] = (tagBoost[d] || 0) + 1; });
    }, this);
    for (var k = 0; k < names.length; k++) {
      var t = names[k], post = this.terms[t];
      if (!post) continue;
      for (var i = 0; i < post.length; i += 2) {
        var d = post[i];
        scores[d] = (scores[d] || 0) + post[i + 1] * terms[t];
        if (terms[t] >= 1) hits[d] = (hits[d] || 0) + 1;
      }
    }
    if (!names.length && filtering) {
      for (var x = 0; x < this.docs.length; x++) if (this.docs[x][0].indexOf("cases/") === 0) scores[x] = 1;
    }
    var out = [];
    for (var key in scores) {
      var doc = this.docs[key];
      if (filtering && (doc[0].indexOf("cases/") !== 0 || !this.matchesFilters(doc, parsed.filters))) continue;
      var cover = required ? (hits[key] || 0) / required : 1;
      var score = scores[key] * (0.25 + cover * cover) * (1 + 0.5 * (tagBoost[key] || 0));
      var title = (doc[1] + " " + doc[7]).toLowerCase();
      if (parsed.han.length >= 2 && title.indexOf(parsed.han) >= 0) score *= 1.5;
      out.push({ doc: doc, score: score });
    }
    out.sort(function (a, b) { return b.score - a.score || (a.doc[0] < b.doc[0] ? -1 : 1); });
    return { items: out.slice(0, limit || 20), terms: names };
  };

  /* ------------------------------------------------------- rendering */

  function escapeHtml(s) {
    return String(s).replace(/[&<>"']/g, function (c) {
      return { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" }[c];
    });
  }

  function highlighter(terms) {
    var list = terms.filter(function (t) { return t.length > 0; })
      .sort(function (a, b) { return b.length - a.length; })
      .map(function (t) { return escapeHtml(t).replace(/[.*+?^${}()|[\]\\]/g, "\\$&"); });
    if (!list.length) return escapeHtml;
    var re = new RegExp("(" + list.join("|") + ")", "gi");
    return function (text) { return escapeHtml(text).replace(re, "<mark>$1</mark>"); };
  }

  function snippet(text, terms, size) {
    var pos = -1;
    for (var i = 0; i < terms.length && pos < 0; i++) pos = text.indexOf(terms[i]);
    var start = Math.max(0, pos - 20);
    var s = text.slice(start, start + size);
    return (start > 0 ? "…" : "") + s + (start + size < text.length ? "…" : "");
  }

  function toMaterial(result) {
    var mark = highlighter(result.terms);
    return {
      items: result.items.map(function (hit) {
        var d = hit.doc;
        var place = d[2] ? '<span class="cb-sr-place">' + escapeHtml(d[2]) + "</span> " : "";
        return [{
          location: d[0],
          title: mark(d[1]),
          text: place + mark(snippet(d[4], result.terms, 90)),
          tags: d[3].map(escapeHtml),
          score: hit.score,
          terms: result.terms.reduce(function (o, t) { o[t] = true; return o; }, {})
        }];
      })
    };
  }

  /* ------------------------------------------------ worker stand-in */

  function SearchWorker(url) {
    this.root = siteRootFrom(url);
    this.listeners = [];
    this.onmessage = null;
    this.engine = null;
  }

  SearchWorker.prototype.addEventListener = function (type, fn) {
    if (type === "message") this.listeners.push(fn);
  };
  SearchWorker.prototype.removeEventListener = function (type, fn) {
    this.listeners = this.listeners.filter(function (x) { return x !== fn; });
  };
  SearchWorker.prototype.terminate = function () { this.listeners = []; };
  SearchWorker.prototype.emit = function (data) {
    var self = this;
    setTimeout(function () {
      var ev = new MessageEvent("message", { data: data });
      if (self.onmessage) self.onmessage(ev);
      self.listeners.slice().forEach(function (fn) { fn(ev); });
    }, 0);
  };
  SearchWorker.prototype.ready = function () {
    var self = this;
    if (!this.loading) {
      this.loading = (window.__casebook_index ? Promise.resolve() : loadScript(this.root + "search/casebook-index.js"))
        .then(function () {
          self.engine = new Engine(window.__casebook_index);
          window.__casebook_engine = self.engine;
        });
    }
    return this.loading;
  };
  SearchWorker.prototype.postMessage = function (message) {
    var self = this;
    if (message.type === 0) {
      this.ready().then(function () { self.emit({ type: 1 }); },
        function (err) { console.error(err); });
    } else if (message.type === 2) {
      this.ready().then(function () {
        var query = String(message.data || "");
        self.emit({ type: 3, data: query.trim() ? toMaterial(self.engine.search(query, 20)) : { items: [] } });
      });
    }
  };

  /* Material reads the query on keyup; text pasted or dropped in, or typed
     through some input methods, fires only `input`. */
  document.addEventListener("input", function (ev) {
    var el = ev.target;
    if (el && el.classList && el.classList.contains("md-search__input"))
      el.dispatchEvent(new KeyboardEvent("keyup", { bubbles: true }));
  }, true);

  window.Worker = function (url, options) {
    if (/workers\/search\.[^/]*\.js/.test(String(url))) return new SearchWorker(String(url));
    if (!NativeWorker) throw new Error("Worker unsupported");
    return new NativeWorker(url, options);
  };
  window.CasebookSearch = { Engine: Engine, escapeHtml: escapeHtml };
})();
