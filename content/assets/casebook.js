/* 基层治理案例库 · 表格筛选与排序（离线可用，无外部依赖） */
(function () {
  "use strict";

  /* Escaping, elements, storage, URL state, script loading: casebook-core.js, shared with the search. */
  var Core = window.CasebookCore, el = Core.el, siteRoot = Core.siteRoot;

  function cellText(row, i) {
    var c = row.cells[i];
    return c ? c.textContent.trim() : "";
  }

  /* A cell's number: the value the build wrote (data-cb-value: a range's lower bound,
     2.7万 as 27000), else the first number in its text; NaN when it has none. */
  function cellNumber(row, i) {
    var c = row.cells[i];
    if (!c) return NaN;
    var v = c.getAttribute("data-cb-value");
    if (v !== null) return v === "" ? NaN : parseFloat(v);
    var m = c.textContent.replace(/[,，]/g, "").match(/-?\d+(\.\d+)?/);
    return m ? parseFloat(m[0]) : NaN;
  }

  /* Rows in a column's order: numeric columns by number, missing numbers last whichever
     the direction; text in the Chinese order (pinyin); ties keep the page's order. */
  function sortRows(table, i, dir) {
    var body = table.tBodies[0], rows = Array.prototype.slice.call(body.rows);
    var th = table.tHead.rows[0].cells[i], numeric = th && th.hasAttribute("data-cb-numeric");
    rows.forEach(function (r, k) { if (r.dataset.cbOrder === undefined) r.dataset.cbOrder = k; });
    rows.sort(function (a, b) {
      if (!th) return a.dataset.cbOrder - b.dataset.cbOrder;  /* the page's own order */
      if (numeric) {
        var x = cellNumber(a, i), y = cellNumber(b, i);
        if (isNaN(x) !== isNaN(y)) return isNaN(x) ? 1 : -1;
        if (!isNaN(x) && x !== y) return (x - y) * dir;
      } else {
        var c = cellText(a, i).localeCompare(cellText(b, i), "zh-Hans-CN");
        if (c) return c * dir;
      }
      return a.dataset.cbOrder - b.dataset.cbOrder;
    });
    rows.forEach(function (r) { body.appendChild(r); });
    Array.prototype.forEach.call(table.tHead.rows[0].cells, function (c) { c.removeAttribute("aria-sort"); });
    if (th) th.setAttribute("aria-sort", dir === 1 ? "ascending" : "descending");
  }

  /* Sortable tables: click (or Enter on) a header; on a phone, where the header row is
     hidden by the card layout, a 排序 choice above the table does the same. In a
     [data-cb-state] block the order is kept in the address (?sort=value&dir=desc). */
  function makeSortable(table) {
    var head = table.tHead;
    if (!head || table.dataset.cbSortable) return;
    table.dataset.cbSortable = "1";
    var block = table.closest("[data-cb-state]"), cells = head.rows[0].cells;
    var keyOf = function (i) { return cells[i].getAttribute("data-cb-key") || String(i); };
    var choice = el("select", null, "cb-sort-choice", { name: "sort" });
    choice.appendChild(el("option", "原来的顺序", null, { value: "" }));
    Array.prototype.forEach.call(cells, function (th, i) {
      var name = th.textContent.trim(), numeric = th.hasAttribute("data-cb-numeric");
      choice.appendChild(el("option", name + (numeric ? "：从小到大" : "：正序"), null, { value: keyOf(i) + ":asc" }));
      choice.appendChild(el("option", name + (numeric ? "：从大到小" : "：倒序"), null, { value: keyOf(i) + ":desc" }));
    });
    var label = el("label", "排序 ", "cb-sort");
    label.appendChild(choice);
    (table.closest(".md-typeset__scrollwrap") || table).before(label);
    var apply = function (key, dir, keep) {
      var i = Array.prototype.findIndex.call(cells, function (c, k) { return keyOf(k) === key; });
      if (i < 0) return;
      sortRows(table, i, dir);
      choice.value = key + ":" + (dir === 1 ? "asc" : "desc");
      if (block && keep) Core.urlState.set({ sort: key, dir: dir === 1 ? "" : "desc" });
    };
    Array.prototype.forEach.call(cells, function (th, i) {
      th.setAttribute("role", "button");
      th.setAttribute("tabindex", "0");
      th.title = "点击排序";
      var sort = function () { apply(keyOf(i), th.getAttribute("aria-sort") === "ascending" ? -1 : 1, true); };
      th.addEventListener("click", sort);
      th.addEventListener("keydown", function (e) { if (e.key === "Enter" || e.key === " ") { e.preventDefault(); sort(); } });
    });
    choice.addEventListener("change", function () {
      var v = choice.value.split(":");
      if (v[0]) { apply(v[0], v[1] === "desc" ? -1 : 1, true); return; }
      sortRows(table, -1, 1);
      if (block) Core.urlState.set({ sort: "", dir: "" });
    });
    if (block) {
      var state = Core.urlState.get(["sort", "dir"]);
      if (state.sort) apply(state.sort, state.dir === "desc" ? -1 : 1, false);
    }
  }

  function bindFilter(input) {
    var table = document.getElementById(input.getAttribute("data-cb-filter"));
    var block = table && table.hasAttribute("data-cb-state");
    if (table && table.tagName !== "TABLE") table = table.querySelector("table");
    if (!table || input.dataset.cbBound) return;
    input.dataset.cbBound = "1";
    var count = input.closest(".cb-filter").querySelector(".cb-filter__count");
    var update = function () {
      var words = input.value.trim().toLowerCase().split(/\s+/).filter(Boolean);
      var shown = 0, rows = table.tBodies[0].rows;
      for (var i = 0; i < rows.length; i++) {
        var text = (rows[i].textContent + " " + (rows[i].getAttribute("data-cb-search") || "")).toLowerCase();
        var ok = words.every(function (w) { return text.indexOf(w) >= 0; });
        rows[i].hidden = !ok;
        if (ok) shown++;
      }
      if (count) count.textContent = "显示 " + shown + " / " + rows.length + " 项";
      if (block) Core.urlState.set({ filter: input.value.trim() });
    };
    if (block) input.value = Core.urlState.get(["filter"]).filter;
    input.addEventListener("input", update);
    update();
  }

  /* The 检索 page: query, place and tag, answered offline by our engine and kept in the
     address (?q=…&place=…&tag=…), so Back, reload and a shared link list the same cases. */
  function bindSearchPage(form) {
    if (form.dataset.cbBound || !window.CasebookSearch) return;
    form.dataset.cbBound = "1";
    var CS = window.CasebookSearch, keys = ["q", "place", "tag"], state = Core.urlState.get(keys);
    var status = document.querySelector(".cb-search-status");
    var list = document.querySelector(".cb-search-results");
    /* Material opens its own search box for any page with ?q= in its address (and takes
       q out of the address when the box closes); on this page the form answers instead. */
    var overlay = document.querySelector("input[data-md-toggle=search]");
    if (overlay && overlay.checked) { overlay.click(); Core.urlState.set(state); }
    var header = document.querySelector(".md-search__input");
    if (header && state.q && header.value === state.q) { header.value = ""; header.blur(); }
    var asked = 0;
    var run = function (ev) {
      if (ev) ev.preventDefault();
      var q = form.q.value.trim(), place = form.place.value, tag = form.tag.value, mine = ++asked;
      var query = q + (place ? " 地点:" + place : "") + (tag ? " 标签:" + tag : "");
      Core.urlState.set({ q: q, place: place, tag: tag });
      if (!query.trim()) { status.textContent = "请输入检索词，或选择地点、标签。"; list.replaceChildren(); return; }
      status.textContent = "检索中…";
      var F, plan;
      /* The leading results as soon as they are settled, then all of them; the status line, read out by
         screen readers, is written once: it says the final count from the start. */
      var show = function (res) {
        if (mine !== asked) return;  /* a newer question is on its way */
        var mark = CS.highlighter(res.terms);
        var items = res.items, note = CS.noticeFor(res);
        var text = res.nothing ? note
          : items.length ? "找到 " + res.total + " 条" + (res.total > res.shown ? "（只列前 " + res.shown + " 条）" : "") + (note ? "。" + note : "")
          : (note || "没有找到，换个说法试试。");
        if (res.nothing || status.textContent !== text) status.textContent = text;
        status.classList.toggle("cb-search-nothing", !!res.nothing);
        if (res.nothing) CS.elsewhere(siteRoot()).forEach(function (a) { status.appendChild(document.createTextNode(" ")); status.appendChild(a); });
        var h = res.terms.length ? "?h=" + encodeURIComponent(res.terms.join(" ")) : "";
        /* mark() escapes the text and wraps the query's words in <mark>: the only HTML set here. */
        list.replaceChildren.apply(list, items.map(function (x) {
          var d = x.doc, li = el("li"), a = el("a"), snip = el("span");
          a.href = siteRoot() + d[F.loc] + ".html" + h;
          a.innerHTML = mark(d[F.title]);
          if (res.nothing) { li.appendChild(el("span", CS.relatedLabel, "cb-sr-related")); li.appendChild(document.createTextNode(" ")); }
          li.appendChild(a);
          if (d[F.place]) { li.appendChild(document.createTextNode(" ")); li.appendChild(el("span", d[F.place], "cb-sr-place")); }
          li.appendChild(el("br"));
          snip.innerHTML = mark(CS.snippet(d[F.summary], res.terms, plan));
          li.appendChild(snip);
          return li;
        }));
        var pick = list.closest("[data-cb-pick]");
        if (pick) attachPicker(pick);
        Array.prototype.forEach.call(list.children, function (li) {
          var a = Array.prototype.filter.call(li.querySelectorAll("a[href]"), caseId)[0];
          if (!a || li.querySelector("[data-cb-add]")) return;
          var b = document.createElement("button");
          b.type = "button"; b.className = "md-button cb-add-small"; b.setAttribute("data-cb-add", caseId(a));
          li.appendChild(document.createTextNode(" "));
          li.appendChild(b);
          if (window.CasebookCourse) window.CasebookCourse.bindAdd(b);  /* casebook-mycourse.js */
        });
      };
      CS.open(siteRoot()).then(function (engine) { F = engine.F; plan = engine.plan; return engine.search(query, 50, show); })
        .then(show, function () { status.textContent = "检索索引未能载入：请确认网站文件夹完整（search 文件夹）。"; });
    };
    form.addEventListener("submit", run);
    form.place.addEventListener("change", run);
    form.tag.addEventListener("change", run);
    keys.forEach(function (k) { if (state[k]) form[k].value = state[k]; });
    if (state.q || state.place || state.tag) run();
  }

  /* Phones: tables become cards; each cell carries its column's name for the CSS to show. */
  function cardify(table) {
    if (table.dataset.cbCards || table.closest(".cb-matrix") || !table.tHead) return;
    table.dataset.cbCards = "1";
    table.classList.add("cb-cards");
    var names = Array.prototype.map.call(table.tHead.rows[0].cells, function (c) { return c.textContent.trim(); });
    Array.prototype.forEach.call(table.tBodies[0] ? table.tBodies[0].rows : [], function (row) {
      Array.prototype.forEach.call(row.cells, function (cell, i) { if (names[i]) cell.setAttribute("data-label", names[i]); });
    });
  }

  /* 全部案例: filter by place, tag and level, sort by place or title; counts what is shown. */
  function bindCases(form) {
    if (form.dataset.cbBound) return;
    form.dataset.cbBound = "1";
    var list = document.querySelector("ol.cb-cases"), count = form.querySelector(".cb-cases-count");
    if (!list) return;
    var items = Array.prototype.slice.call(list.children);
    var has = function (attr, v) { return !v || (" " + attr + " ").indexOf(" " + v + " ") >= 0; };
    var keys = ["place", "tag", "level", "sort"], state = Core.urlState.get(keys);
    keys.forEach(function (k) {  /* a value the list offers (an old bookmark may name a removed tag) */
      if (Array.prototype.some.call(form[k].options, function (o) { return o.value === state[k]; })) form[k].value = state[k];
    });
    var update = function () {
      var place = form.place.value, tag = form.tag.value, level = form.level.value, shown = 0;
      items.forEach(function (li) {
        var ok = has(li.dataset.places, place) && has(li.dataset.tags, tag) && (!level || li.dataset.level === level);
        li.hidden = !ok;
        if (ok) shown++;
      });
      var byTitle = form.sort.value === "title";
      items.slice().sort(function (a, b) {
        return byTitle ? a.dataset.title.localeCompare(b.dataset.title, "zh-Hans-CN") : a.dataset.order - b.dataset.order;
      }).forEach(function (li) { list.appendChild(li); });
      count.textContent = "显示 " + shown + " / " + items.length + " 条";
      Core.urlState.set({ place: place, tag: tag, level: level, sort: form.sort.value === "title" ? "title" : "" });
    };
    Array.prototype.forEach.call(form.querySelectorAll("select"), function (s) { s.addEventListener("change", update); });
    update();
  }

  /* Picking 2–3 cases to compare: a box before each case link in a [data-cb-pick] block. */
  function caseId(a) {
    var m = /(?:^|\/)cases\/([a-z0-9-]+)\.html/.exec(a.getAttribute("href") || "") ||
            /^([a-z0-9-]+)\.html$/.exec(a.getAttribute("href") || "");
    return m && m[1] !== "index" ? m[1] : null;
  }

  function attachPicker(box) {
    var bar = box.querySelector(".cb-pick-bar");
    if (!bar) {
      bar = document.createElement("p");
      bar.className = "cb-pick-bar";
      var go = el("button", "对比所选案例", "md-button", { type: "button" });
      go.disabled = true;
      bar.append(go, " ", el("span", "勾选 2—3 条案例"));
      box.insertBefore(bar, box.firstChild);
      bar.querySelector("button").addEventListener("click", function () {
        var ids = Array.prototype.map.call(box.querySelectorAll("input.cb-pick-box:checked"), function (c) { return c.value; });
        location.href = siteRoot() + "compare.html?ids=" + ids.join(",");
      });
    }
    /* The cases ticked so far are kept in the address (?pick=a,b): Back from a case page,
       or a reload, finds them still ticked. */
    var picked = Core.urlState.get(["pick"]).pick.split(","), seen = {};
    Array.prototype.forEach.call(box.querySelectorAll("tr, li"), function (row) {
      var a = Array.prototype.filter.call(row.querySelectorAll("a[href]"), caseId)[0], id = a && caseId(a);
      if (!id || row.querySelector("input.cb-pick-box") || seen[id]) return;
      seen[id] = true;
      var c = document.createElement("input");
      c.type = "checkbox"; c.className = "cb-pick-box"; c.value = id; c.title = "选入对比";
      c.setAttribute("aria-label", "选入对比：" + a.textContent);
      c.checked = picked.indexOf(id) >= 0;
      a.parentNode.insertBefore(c, a);
    });
    var update = function (ev) {
      var boxes = box.querySelectorAll("input.cb-pick-box:checked"), n = boxes.length;
      if (ev) Core.urlState.set({ pick: Array.prototype.map.call(boxes, function (c) { return c.value; }).join(",") });
      bar.querySelector("button").disabled = n < 2 || n > 3;
      bar.querySelector("span").textContent = n ? "已选 " + n + " 条" + (n > 3 ? "（最多 3 条）" : "") : "勾选 2—3 条案例";
    };
    if (!box.dataset.cbPickBound) {
      box.dataset.cbPickBound = "1";
      box.addEventListener("change", update);
    }
    update();
  }

  /* The compare page: the chosen cases side by side, section by section, from small script files. */
  function renderCompare(box) {
    if (box.dataset.cbBound) return;
    box.dataset.cbBound = "1";
    var ids = Core.urlState.get(["ids"]).ids.split(",").filter(function (x) {
      return /^[a-z0-9-]+$/.test(x);
    }).slice(0, 3);
    var status = box.querySelector(".cb-compare-status");
    if (ids.length < 2) return;
    status.textContent = "载入中…";
    Core.loadCases(ids).then(function (data) {
      var cases = ids.map(function (id) { return data[id]; }).filter(Boolean);
      if (cases.length < 2) { status.textContent = "找不到所选的案例。"; return; }
      status.textContent = "并排对比 " + cases.length + " 条案例。";
      var grid = document.createElement("div");
      grid.className = "cb-cmp cb-cmp--" + cases.length;
      var row = function (label, cells, lead) {
        var r = document.createElement("section");
        r.className = "cb-cmp-row";
        var h = document.createElement("h2"); h.textContent = label; r.appendChild(h);
        if (lead) { var l = document.createElement("p"); l.className = "cb-analysis-label"; l.textContent = lead; r.appendChild(l); }
        var cols = document.createElement("div"); cols.className = "cb-cmp-cols";
        cells.forEach(function (fill, i) {
          var cell = document.createElement("div"); cell.className = "cb-cmp-cell";
          var t = document.createElement("p"); t.className = "cb-cmp-case"; t.textContent = cases[i].title;
          cell.appendChild(t); fill(cell); cols.appendChild(cell);
        });
        r.appendChild(cols); grid.appendChild(r);
      };
      var text = function (s) { return function (cell) { var p = document.createElement("p"); p.textContent = s; cell.appendChild(p); }; };
      row("案例", cases.map(function (c) {
        return function (cell) {
          var a = document.createElement("a"); a.href = siteRoot() + "cases/" + c.id + ".html"; a.textContent = "查看案例页";
          var p = document.createElement("p"); p.textContent = c.place + " · " + c.level + " · 年份：" + c.year + "　";
          p.appendChild(a); cell.appendChild(p);
        };
      }));
      var contract = Core.sections(box);
      row(contract.parts.summary, cases.map(function (c) { return text(c.summary); }));
      contract.sections.forEach(function (spec) {
        if (spec.shown.indexOf("compare") < 0 || !cases.some(function (c) { return c.sections.some(function (s) { return s.key === spec.key; }); })) return;
        row(spec.label, cases.map(function (c) {
          var sec = c.sections.filter(function (s) { return s.key === spec.key; })[0];
          return function (cell) {
            if (!sec) { var p = document.createElement("p"); p.className = "cb-cmp-none"; p.textContent = "（无）"; cell.appendChild(p); return; }
            var ul = document.createElement("ul");
            sec.items.forEach(function (it) { var li = document.createElement("li"); li.textContent = it; ul.appendChild(li); });
            cell.appendChild(ul);
          };
        }), spec.lead);
      });
      box.appendChild(grid);
    });
  }

  function init() {
    Array.prototype.forEach.call(document.querySelectorAll("[data-cb-pick]"), attachPicker);
    Array.prototype.forEach.call(document.querySelectorAll("[data-cb-compare]"), renderCompare);
    Array.prototype.forEach.call(document.querySelectorAll("form[data-cb-cases]"), bindCases);
    Array.prototype.forEach.call(document.querySelectorAll("article table"), cardify);
    Array.prototype.forEach.call(document.querySelectorAll("form[data-cb-search]"), bindSearchPage);
    Array.prototype.forEach.call(document.querySelectorAll("table.cb-sortable, .cb-sortable table"), makeSortable);
    Array.prototype.forEach.call(document.querySelectorAll("input[data-cb-filter]"), bindFilter);
  }

  if (window.document$ && window.document$.subscribe) window.document$.subscribe(init);
  else if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
})();
