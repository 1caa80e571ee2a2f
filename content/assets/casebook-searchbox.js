/*
 * 基层治理案例库 · 页眉搜索框（Zensical 构建）
 *
 * Under MkDocs + Material, Material's own search box is kept and our engine
 * answers it by standing in for its Web Worker (casebook-search.js). Zensical's
 * search is a different dialog, fed by a full-text index the browser cannot
 * load from file://, with English texts; so its search plugin is off and the
 * header holds our own box (overrides/zensical/partials/header-search.html).
 * This script drives that box with the same engine, shards and ranking:
 * an ARIA combobox whose list of results is a listbox. Arrow keys choose a
 * result, Enter opens it (or the best one), Escape closes the list and keeps
 * the query; the count and the engine's notices are read out politely.
 * Buttons a result carries (对比 and 加入我的课程, casebook-mycourse.js) are
 * reached with → from the chosen result: the focus moves to them, ← and → go
 * from one to the next, ← from the first and Escape bring it back to the box
 * with the result still chosen, ↑ and ↓ choose the result above or below.
 *
 * Words of the query reach the page opened (?h=…) and are marked there, as
 * Material does with its search.highlight feature.
 */
(function () {
  "use strict";

  var Core = window.CasebookCore, CS = window.CasebookSearch;
  var box = document.querySelector("[data-cb-header-search]");
  var TEXTS = Object.assign(Core.themeTexts(), { loading: "正在初始化检索…" });

  function escapeRegExp(s) { return s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&"); }

  /* The query's own words, longest first (concept pseudo-terms start with "~" and are never shown). */
  function shownWords(terms) {
    return terms.filter(function (t) { return t && t.charAt(0) !== "~"; })
      .sort(function (a, b) { return b.length - a.length; });
  }

  /* `text` as nodes, each of `words` in it inside <mark>. */
  function marked(text, words) {
    var frag = document.createDocumentFragment();
    if (!words.length) { frag.append(text); return frag; }
    var re = new RegExp("(" + words.map(escapeRegExp).join("|") + ")", "gi");
    String(text).split(re).forEach(function (part, i) {
      if (part) frag.append(i % 2 ? Core.el("mark", part) : part);
    });
    return frag;
  }

  /* ------------------------------------------------------------ the box */

  function SearchBox(root) {
    this.root = root;
    this.input = root.querySelector("input[name=q]");
    this.panel = root.querySelector(".md-search-result");
    this.meta = root.querySelector(".md-search-result__meta");
    this.list = root.querySelector(".md-search-result__list");
    this.toggle = document.getElementById("__search");
    this.site = Core.siteRoot();
    this.asked = 0;
    this.active = -1;
    this.engine = null;
    this.bind();
  }

  SearchBox.prototype.bind = function () {
    var self = this;
    this.input.addEventListener("focus", function () { self.open(); });
    this.input.addEventListener("input", function (ev) { if (!ev.isComposing) self.ask(); });
    this.input.addEventListener("compositionend", function () { self.ask(); });
    /* On the form, in the capture phase: our keys are handled before any other listener of the input. */
    this.root.addEventListener("keydown", function (ev) { self.key(ev); }, true);
    this.root.querySelector("form").addEventListener("submit", function (ev) {
      if (self.choose(self.active < 0 ? 0 : self.active)) ev.preventDefault();
    });
    document.addEventListener("pointerdown", function (ev) {
      if (!self.root.contains(ev.target) && !ev.target.closest("label[for=__search]")) self.close();
    });
    this.root.addEventListener("focusout", function (ev) {
      if (ev.relatedTarget && !self.root.contains(ev.relatedTarget)) self.close();
    });
    /* The magnifier in a phone's header ticks the theme's search toggle: show the box, ready to type. */
    if (this.toggle) this.toggle.addEventListener("change", function () {
      if (self.toggle.checked) self.input.focus();
      else self.close();
    });
  };

  SearchBox.prototype.load = function () {
    var self = this;
    if (!this.loading) this.loading = CS.open(this.site).then(function (engine) { self.engine = engine; return engine; });
    return this.loading;
  };

  SearchBox.prototype.open = function () {
    if (this.toggle) this.toggle.checked = true;
    this.panel.hidden = false;
    this.input.setAttribute("aria-expanded", "true");
    if (!this.engine) this.meta.textContent = this.input.value.trim() ? TEXTS.loading : TEXTS.placeholder;
    var self = this;
    this.load().then(function () { if (self.input.value.trim() && self.shown !== self.input.value) self.ask(); },
                     function (err) { console.error(err); });
  };

  SearchBox.prototype.close = function () {
    if (this.toggle) this.toggle.checked = false;
    this.panel.hidden = true;
    this.input.setAttribute("aria-expanded", "false");
    this.select(-1);
  };

  /* Run the query in the box; an answer that comes after a newer question is dropped. */
  SearchBox.prototype.ask = function () {
    var self = this, query = this.input.value, mine = ++this.asked;
    if (this.panel.hidden) this.open();
    if (!query.trim()) { this.shown = query; this.render(query, null); return; }
    /* The leading results as soon as they are settled, then all of them. */
    var show = function (result) {
      if (mine !== self.asked) return;
      self.render(query, result);
      self.shown = query;
    };
    this.load().then(function (engine) { return engine.search(query, engine.plan.limit, show); })
      .then(show, function (err) { console.error(err); });
  };

  SearchBox.prototype.render = function (query, result) {
    var items = result ? result.items : [], count = result ? result.shown : 0;  /* shown: all, once they come */
    /* The full list after the leading few keeps the result the reader has already moved to. */
    var keep = result && this.shown === query ? this.active : -1;
    this.select(-1);
    this.meta.textContent = !result ? TEXTS.placeholder : !items.length ? TEXTS.none
      : count === 1 ? TEXTS.one : TEXTS.other.replace("#", count);
    this.list.replaceChildren.apply(this.list, items.map(this.item.bind(this, result)));
    if (keep >= 0) this.select(keep);
    if (result) CS.answered(query, result, this.site);
  };

  /* One result, in Material's markup (a link holding the title and a piece of the summary). */
  SearchBox.prototype.item = function (result, hit, i) {
    var F = this.engine.F, d = hit.doc, words = shownWords(result.terms);
    var href = new URL(d[F.loc] + ".html", this.site);
    if (words.length) href.searchParams.set("h", words.join(" "));
    var a = Core.el("a", null, "md-search-result__link",
                    { href: href.href, id: "cb-header-result-" + i, role: "option", "aria-selected": "false", tabindex: "-1" });
    var article = Core.el("article", null, "md-search-result__article md-typeset");
    var title = Core.el("h1");
    if (result.nothing) title.append(Core.el("span", CS.relatedLabel, "cb-sr-related"), " ");
    title.append(marked(d[F.title], words));
    var text = Core.el("p");
    if (d[F.place]) text.append(Core.el("span", d[F.place], "cb-sr-place"), " ");
    text.append(marked(CS.snippet(d[F.summary], result.terms, this.engine.plan), words));
    article.append(title, text);
    if (d[F.tags].length) {
      var tags = Core.el("nav", null, "md-tags");
      d[F.tags].forEach(function (t) { tags.append(Core.el("span", t, "md-tag")); });
      article.append(tags);
    }
    a.append(article);
    var li = Core.el("li", null, "md-search-result__item", { role: "presentation" });
    li.append(a);
    return li;
  };

  /* Make result `i` the chosen one (-1: none); the input keeps the focus, as a combobox does. */
  SearchBox.prototype.select = function (i) {
    var links = this.list.querySelectorAll(".md-search-result__link");
    this.active = i >= 0 && i < links.length ? i : -1;
    Array.prototype.forEach.call(links, function (a, j) { a.setAttribute("aria-selected", String(j === this.active)); }, this);
    if (this.active < 0) { this.input.removeAttribute("aria-activedescendant"); return; }
    this.input.setAttribute("aria-activedescendant", links[this.active].id);
    links[this.active].scrollIntoView({ block: "nearest" });
  };

  /* Open result `i`; false when there is none (the form then opens the 检索 page with the query). */
  SearchBox.prototype.choose = function (i) {
    var link = this.list.querySelectorAll(".md-search-result__link")[i];
    if (!link || this.panel.hidden) return false;
    link.click();
    return true;
  };

  /* The buttons result `i` carries (none: an empty list). */
  SearchBox.prototype.controls = function (i) {
    var link = this.list.querySelectorAll(".md-search-result__link")[i], item = link && link.closest("li");
    return item ? Array.prototype.slice.call(item.querySelectorAll("button:not([disabled])")) : [];
  };

  /* Choose the result `step` after the chosen one (before it when negative), going round;
     false when the list is empty. */
  SearchBox.prototype.move = function (step) {
    var n = this.list.children.length;
    if (this.panel.hidden) this.open();
    if (!n) return false;
    this.select(this.active < 0 ? (step > 0 ? 0 : n - 1) : (this.active + step + n) % n);
    return true;
  };

  /* Keys pressed on a result's button: → and ← move along its buttons, back to the box from the
     first; Escape goes back to the box, ↑ and ↓ choose another result from there. Enter, the space
     bar and Tab are the button's own. The result whose button has the focus is the chosen one. */
  SearchBox.prototype.controlKey = function (ev) {
    var links = Array.prototype.slice.call(this.list.querySelectorAll(".md-search-result__link"));
    var item = ev.target.closest("li"), at = links.indexOf(item && item.querySelector(".md-search-result__link"));
    if (at < 0) return;
    if (at !== this.active) this.select(at);
    var stops = this.controls(at), i = stops.indexOf(ev.target);
    if (ev.key === "ArrowRight" || ev.key === "ArrowLeft") {
      var next = i < 0 ? null : ev.key === "ArrowRight" ? stops[i + 1] : i === 0 ? this.input : stops[i - 1];
      if (next) next.focus();
    } else if (ev.key === "Escape") this.input.focus();
    else if (ev.key === "ArrowDown" || ev.key === "ArrowUp") {
      this.input.focus();
      this.move(ev.key === "ArrowDown" ? 1 : -1);
    } else return;
    ev.preventDefault();
    ev.stopPropagation();
  };

  SearchBox.prototype.key = function (ev) {
    if (ev.isComposing || ev.keyCode === 229 || ev.altKey || ev.ctrlKey || ev.metaKey) return;
    if (ev.target !== this.input) {
      if (this.list.contains(ev.target) && ev.target.matches("button")) this.controlKey(ev);
      return;
    }
    if (ev.key === "ArrowRight" && this.active >= 0 && !this.panel.hidden) {
      /* From the chosen result to its first button (with none, → moves the caret as usual). */
      var stops = this.controls(this.active);
      if (!stops.length) return;
      stops[0].focus();
    } else if (ev.key === "ArrowDown" || ev.key === "ArrowUp") {
      if (!this.move(ev.key === "ArrowDown" ? 1 : -1)) return;
    } else if (ev.key === "Enter") {
      if (!this.choose(this.active < 0 ? 0 : this.active)) return;  /* the form submits */
    } else if (ev.key === "Escape") {
      if (this.panel.hidden) return;
      this.close();
      this.input.focus();
    } else return;
    ev.preventDefault();
    ev.stopPropagation();
  };

  /* ------------------------------------------------ the page opened */

  /* Mark the words a search result brought (?h=…) in the page's text. */
  function highlightPage() {
    var h = new URLSearchParams(location.search).get("h");
    var article = document.querySelector(".md-content article");
    if (!h || !article) return;
    var words = shownWords(h.split(/\s+/));
    if (!words.length) return;
    var re = new RegExp(words.map(escapeRegExp).join("|"), "i");
    var walker = document.createTreeWalker(article, NodeFilter.SHOW_TEXT, {
      acceptNode: function (node) {
        return !re.test(node.data) || node.parentNode.closest("script, style, mark, a.headerlink")
          ? NodeFilter.FILTER_REJECT : NodeFilter.FILTER_ACCEPT;
      }
    });
    var found = [];
    while (walker.nextNode()) found.push(walker.currentNode);
    found.forEach(function (node) { node.replaceWith(marked(node.data, words)); });
  }

  /* "/", "s" or "f" outside a form field puts the focus in the box, as Material's keys do. */
  function shortcut(ev) {
    var t = ev.target;
    if (ev.altKey || ev.ctrlKey || ev.metaKey || ev.isComposing || ["/", "s", "f"].indexOf(ev.key) < 0) return;
    if (t && (t.isContentEditable || /^(INPUT|SELECT|TEXTAREA)$/.test(t.tagName))) return;
    ev.preventDefault();
    if (searchBox.toggle) searchBox.toggle.checked = true;
    searchBox.input.focus();
  }

  var searchBox = null;
  function init() {
    if (box && !searchBox) {
      searchBox = new SearchBox(box);
      document.addEventListener("keydown", shortcut);
    }
    highlightPage();
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
})();
