/*
 * 基层治理案例库 · 站内检索：搜索框
 *
 * Material for MkDocs runs its search in a Web Worker, which browsers refuse
 * to start from file://, and its Chinese query segmenter never looks up the
 * last word of a query typed without spaces. This script stands in for that
 * worker: it speaks the same messages (SETUP 0 → READY 1, QUERY 2 → RESULT 3)
 * so Material's search box and result list stay, but it runs in the page with
 * our engine (casebook-search.js) and our index.
 *
 * Must load before Material's bundle (it is included from the `libs` block).
 */
(function () {
  "use strict";

  var NativeWorker = window.Worker;
  var Core = window.CasebookCore, escapeHtml = Core.escapeHtml, loadScript = Core.loadScript;
  var Engine = window.CasebookEngine;
  var MSG = { SETUP: 0, READY: 1, QUERY: 2, RESULT: 3 };

  function siteRootFrom(workerUrl) {
    var abs = new URL(workerUrl, document.baseURI).href;
    return abs.replace(/assets\/javascripts\/workers\/.*$/, "");
  }

  /* ------------------------------------------------------- rendering */

  function highlighter(terms) {
    var list = terms.filter(function (t) { return t.length > 0 && t.charAt(0) !== "~"; })
      .sort(function (a, b) { return b.length - a.length; })
      .map(function (t) { return escapeHtml(t).replace(/[.*+?^${}()|[\]\\]/g, "\\$&"); });
    if (!list.length) return escapeHtml;
    var re = new RegExp("(" + list.join("|") + ")", "gi");
    return function (text) { return escapeHtml(text).replace(re, "<mark>$1</mark>"); };
  }

  /* A piece of `text` around its first matched word; its size is the plan's (as in the command line). */
  function snippet(text, terms, plan) {
    var pos = -1, size = plan.snippetChars;
    for (var i = 0; i < terms.length && pos < 0; i++) pos = text.indexOf(terms[i]);
    var start = Math.max(0, pos - plan.snippetLead);
    var s = text.slice(start, start + size);
    return (start > 0 ? "…" : "") + s + (start + size < text.length ? "…" : "");
  }

  var PARTIAL_NOTE = "没有同时包含全部词语的案例，以下按匹配程度列出。";
  var UNKNOWN_NOTE = "检索词都不在案例库里：试试少输几个字、换个常用说法，或看“常见难题”页。";

  var NOTHING_NOTE = "库里暂时没有直接讲这个问题的案例。";
  var RELATED_NOTE = "下面几条可能相关。";
  var RELATED_LABEL = "可能相关";
  /* Where to look when the library has nothing on a question (site-relative). */
  var ELSEWHERE = [["problems.html", "看常见难题"], ["tags/index.html", "按标签浏览"]];

  /* What to say beside Material's result count: nothing here, partial matches, or a hint. */
  function noticeFor(result) {
    if (result.nothing) return NOTHING_NOTE + (result.items.length ? RELATED_NOTE : "");
    if (!result.items.length) return result.known ? "" : UNKNOWN_NOTE;
    return result.partial ? PARTIAL_NOTE : "";
  }

  /* The theme (Material's script, or casebook-searchbox.js under Zensical) rewrites the count line on every
     answer with how many results the list shows ("20 个符合条件的结果"). After it: when the query finds more,
     one sentence with both numbers instead (the 检索 page says the same number), then our notice and a link
     to the 检索 page, which lists them all, with place and tag choices. */
  var notice = null;  /* {text, total, shown, listed, nothing, root, href} of the latest answer */
  function countText(n) {
    if (n.total > n.shown) return "找到 " + n.total + " 条，这里列出最相关的 " + n.shown + " 条。";
    /* While only the leading few are listed, the line already says what it will say once all are. */
    return n.listed < n.shown ? Core.themeTexts().other.replace("#", n.shown) : null;
  }
  function showNotice() {
    var meta = document.querySelector(".md-search-result__meta");
    if (!meta) return;
    var box = meta.querySelector(".cb-search-notice");
    var input = document.querySelector(".md-search__input");
    if (!notice || !input || !input.value.trim()) { if (box) box.remove(); return; }
    var count = countText(notice), line = meta.firstChild;
    if (count && line && line.nodeType === Node.TEXT_NODE && line.data !== count) line.data = count;
    var text = notice.text || "", key = notice.href + "|" + text + "|" + (count || "");
    if (box && box.getAttribute("data-for") === key) return;
    if (!box) { box = document.createElement("span"); box.className = "cb-search-notice"; meta.appendChild(box); }
    box.setAttribute("data-for", key);
    /* Our sentences end in a full stop: no space after it, before the next sentence or the links. */
    box.textContent = text;
    box.classList.toggle("cb-search-notice--joined", !!count);
    if (notice.nothing) {
      box.classList.add("cb-search-nothing");
      elsewhere(notice.root).forEach(function (a) { box.appendChild(a); box.appendChild(document.createTextNode(" ")); });
    } else box.classList.remove("cb-search-nothing");
    if (notice.total && !notice.nothing)
      box.appendChild(noticeLink(notice.href, "在检索页查看全部 " + notice.total + " 条", "cb-search-all"));
  }
  new MutationObserver(showNotice).observe(document.documentElement, { childList: true, subtree: true, characterData: true });

  /* Remember the latest answer of the header box; showNotice puts it beside the result count. */
  function answered(query, result, root) {
    notice = { text: noticeFor(result), total: result.total || 0, listed: result.items.length, shown: result.shown,
               nothing: !!result.nothing, root: root,
               href: searchPage(root, query) };
    showNotice();
  }

  /* The 检索 page answering `query`: it lists every result, with place and tag choices. */
  function searchPage(root, query) {
    return root + "search.html?q=" + encodeURIComponent(query.trim());
  }

  /* Links to 常见难题 and the tags, for a question the library has nothing on. */
  function elsewhere(root) {
    return ELSEWHERE.map(function (x) { return noticeLink(root + x[0], x[1], "cb-search-elsewhere"); });
  }

  /* A link of the notice. It sits in Material's result panel, where Enter in the box reads the
     data-md-score of the first element inside every link and opens the highest: a link without one
     stops Material's handler with an error, and the box's form submits instead. The notice's links
     carry the lowest score there is, so a result always comes first; with no result, the first of them opens. */
  function noticeLink(href, text, className) {
    var a = document.createElement("a"), label = document.createElement("span");
    a.href = href;
    a.className = className;
    label.textContent = text;
    label.setAttribute("data-md-score", "-Infinity");
    a.appendChild(label);
    return a;
  }

  function toMaterial(result, engine) {
    var F = engine.F;
    var mark = highlighter(result.terms);
    var related = result.nothing ? '<span class="cb-sr-related">' + RELATED_LABEL + "</span> " : "";
    return {
      items: result.items.map(function (hit) {
        var d = hit.doc;
        var place = d[F.place] ? '<span class="cb-sr-place">' + escapeHtml(d[F.place]) + "</span> " : "";
        return [{
          location: d[F.loc] + ".html",
          title: related + mark(d[F.title]),
          text: place + mark(snippet(d[F.summary], result.terms, engine.plan)),
          tags: d[F.tags].map(escapeHtml),
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
  /* The index script, fetched once for every engine of the page (the header box's, the 检索 page's). */
  var indexLoading = null;
  function loadIndex(root) {
    if (!indexLoading)
      indexLoading = window.__casebook_index ? Promise.resolve() : loadScript(root + "search/casebook-index.js");
    return indexLoading;
  }

  SearchWorker.prototype.ready = function () {
    var self = this;
    if (!this.loading) {
      this.loading = loadIndex(this.root).then(function () {
        self.engine = new Engine(window.__casebook_index, self.root);
        window.__casebook_engine = self.engine;
      });
    }
    return this.loading;
  };
  SearchWorker.prototype.postMessage = function (message) {
    var self = this;
    if (message.type === MSG.SETUP) {
      this.ready().then(function () { self.emit({ type: MSG.READY }); },
        function (err) { console.error(err); });
    } else if (message.type === MSG.QUERY) {
      var query = String(message.data || "");
      this.latest = query;
      this.ready().then(function () {
        if (!query.trim()) return { items: [], terms: [], known: true, total: 0, shown: 0 };
        return self.engine.search(query, self.engine.plan.limit, show);
      }).then(show, function (err) { console.error(err); });
    }
    /* The leading results as soon as they are settled, then all of them (Material redraws its list). */
    function show(result) {
      if (self.latest !== query) return;  /* drop stale answers */
      answered(query, result, self.root);
      self.emit({ type: MSG.RESULT, data: toMaterial(result, self.engine) });
    }
  };

  /* Material reads the query on keyup; text pasted or dropped in, or typed
     through some input methods, fires only `input`. */
  document.addEventListener("input", function (ev) {
    var el = ev.target;
    if (el && el.classList && el.classList.contains("md-search__input"))
      el.dispatchEvent(new KeyboardEvent("keyup", { bubbles: true }));
  }, true);

  /* Material opens its result panel a millisecond after the box gains the focus, and only if it saw
     the focus leave first: on a busy page, Escape, Shift+Tab and Tab back can all fall inside that
     moment, the panel stays shut with the focus in the box, and Enter then submits the box's form,
     which reloads the page with ?query= instead of opening the best result. So the panel opens on
     focus here at once, and a form that still submits asks the 检索 page instead. */
  function guardMaterialBox() {
    var input = document.querySelector(".md-search__input"), toggle = document.getElementById("__search");
    if (!input || !toggle || input.dataset.cbGuarded) return;
    input.dataset.cbGuarded = "1";
    input.addEventListener("focus", function () { if (!toggle.checked) toggle.click(); });
    input.form.addEventListener("submit", function (ev) {
      ev.preventDefault();
      if (input.value.trim()) location.href = searchPage(Core.siteRoot(), input.value);
    });
  }

  window.Worker = function (url, options) {
    if (/workers\/search\.[^/]*\.js/.test(String(url))) { guardMaterialBox(); return new SearchWorker(String(url)); }
    if (!NativeWorker) throw new Error("Worker unsupported");
    return new NativeWorker(url, options);
  };
  /* Material would send SETUP with its own index, which cannot be fetched from file://, and Zensical's
     box is ours: either way the index used to load on the first query. Fetch it once the page is idle
     instead, as Material's worker fetches its index at start-up, so that the reader's first query waits
     only for its own shards. A failure is reported by the query that needs the index. */
  function preload() {
    var idle = window.requestIdleCallback || setTimeout;
    idle(function () { loadIndex(Core.siteRoot()).catch(function () {}); });
  }
  if (document.readyState === "complete") preload(); else window.addEventListener("load", preload, { once: true });

  /* The engine without Material's search box (the 检索 page uses it). */
  var opened = null;
  function openEngine(root) {
    if (!opened) {
      var worker = new SearchWorker(root + "assets/javascripts/workers/search.js");
      opened = worker.ready().then(function () { return worker.engine; });
    }
    return opened;
  }

  window.CasebookSearch = { Engine: Engine, escapeHtml: escapeHtml, open: openEngine, highlighter: highlighter,
                            snippet: snippet, noticeFor: noticeFor, elsewhere: elsewhere, answered: answered,
                            relatedLabel: RELATED_LABEL };
})();
