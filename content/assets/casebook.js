/* 基层治理案例库 · 表格筛选与排序（离线可用，无外部依赖） */
(function () {
  "use strict";

  function cellText(row, i) {
    var c = row.cells[i];
    return c ? c.textContent.trim() : "";
  }

  function asNumber(s) {
    var m = s.replace(/[,，]/g, "").match(/-?\d+(\.\d+)?/);
    return m ? parseFloat(m[0]) : NaN;
  }

  function makeSortable(table) {
    var head = table.tHead;
    if (!head || table.dataset.cbSortable) return;
    table.dataset.cbSortable = "1";
    Array.prototype.forEach.call(head.rows[0].cells, function (th, i) {
      th.setAttribute("role", "button");
      th.setAttribute("tabindex", "0");
      th.title = "点击排序";
      var sort = function () {
        var body = table.tBodies[0];
        var rows = Array.prototype.slice.call(body.rows);
        var dir = th.getAttribute("aria-sort") === "ascending" ? -1 : 1;
        Array.prototype.forEach.call(head.rows[0].cells, function (c) { c.removeAttribute("aria-sort"); });
        th.setAttribute("aria-sort", dir === 1 ? "ascending" : "descending");
        var byUnit = th.getAttribute("data-cb-sort") === "unit";
        rows.sort(function (a, b) {
          /* numbers compare only with numbers of the same kind and unit (个 with 个, 万元 with 万元) */
          if (byUnit && a.dataset.cbUnit !== b.dataset.cbUnit)
            return a.dataset.cbUnit.localeCompare(b.dataset.cbUnit, "zh-Hans-CN");
          var x = cellText(a, i), y = cellText(b, i), nx = asNumber(x), ny = asNumber(y);
          if (!isNaN(nx) && !isNaN(ny) && nx !== ny) return (nx - ny) * dir;
          return x.localeCompare(y, "zh-Hans-CN") * dir;
        });
        rows.forEach(function (r) { body.appendChild(r); });
      };
      th.addEventListener("click", sort);
      th.addEventListener("keydown", function (e) { if (e.key === "Enter" || e.key === " ") { e.preventDefault(); sort(); } });
    });
  }

  function bindFilter(input) {
    var table = document.getElementById(input.getAttribute("data-cb-filter"));
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
    };
    input.addEventListener("input", update);
    update();
  }

  /* The 检索 page: query, place and tag, answered offline by our engine. */
  function siteRoot() {
    var cfg = document.getElementById("__config");
    var base = cfg ? JSON.parse(cfg.textContent).base : ".";
    return new URL(base.replace(/\/?$/, "/"), location.href).href;
  }

  function bindSearchPage(form) {
    if (form.dataset.cbBound || !window.CasebookSearch) return;
    form.dataset.cbBound = "1";
    var CS = window.CasebookSearch;
    var status = document.querySelector(".cb-search-status");
    var list = document.querySelector(".cb-search-results");
    var run = function (ev) {
      if (ev) ev.preventDefault();
      var q = form.q.value.trim(), place = form.place.value, tag = form.tag.value;
      var query = q + (place ? " 地点:" + place : "") + (tag ? " 标签:" + tag : "");
      if (!query.trim()) { status.textContent = "请输入检索词，或选择地点、标签。"; list.innerHTML = ""; return; }
      status.textContent = "检索中…";
      var F;
      CS.open(siteRoot()).then(function (engine) { F = engine.F; return engine.search(query, 50); }).then(function (res) {
        var mark = CS.highlighter(res.terms);
        var items = res.items.filter(function (x) { return x.doc[F.loc].indexOf("cases/") === 0 || (!place && !tag); });
        var note = CS.noticeFor(res);
        status.textContent = items.length ? "找到 " + items.length + " 条" + (items.length === 50 ? "（只列前 50 条）" : "") + (note ? "。" + note : "")
          : (note || "没有找到，换个说法试试。");
        var h = res.terms.length ? "?h=" + encodeURIComponent(res.terms.join(" ")) : "";
        list.innerHTML = items.map(function (x) {
          var d = x.doc;
          return '<li><a href="' + siteRoot() + CS.escapeHtml(d[F.loc]) + ".html" + h + '">' + mark(d[F.title]) + "</a>" +
            (d[F.place] ? ' <span class="cb-sr-place">' + CS.escapeHtml(d[F.place]) + "</span>" : "") +
            "<br>" + mark(CS.snippet(d[F.summary], res.terms, 90)) + "</li>";
        }).join("");
        var params = new URLSearchParams();
        if (q) params.set("q", q);
        if (place) params.set("place", place);
        if (tag) params.set("tag", tag);
        if (location.protocol !== "file:") history.replaceState(null, "", "?" + params.toString());
        var pick = list.closest("[data-cb-pick]");
        if (pick) attachPicker(pick);
        Array.prototype.forEach.call(list.children, function (li) {
          var a = Array.prototype.filter.call(li.querySelectorAll("a[href]"), caseId)[0];
          if (!a || li.querySelector("[data-cb-add]")) return;
          var b = document.createElement("button");
          b.type = "button"; b.className = "md-button cb-add-small"; b.setAttribute("data-cb-add", caseId(a));
          li.appendChild(document.createTextNode(" "));
          li.appendChild(b);
          bindAdd(b);
        });
      });
    };
    form.addEventListener("submit", run);
    form.place.addEventListener("change", run);
    form.tag.addEventListener("change", run);
    var params = new URLSearchParams(location.search);
    ["q", "place", "tag"].forEach(function (k) { if (params.get(k)) form[k].value = params.get(k); });
    if (params.get("q") || params.get("place") || params.get("tag")) run();
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
      bar.innerHTML = '<button type="button" class="md-button" disabled>对比所选案例</button> <span>勾选 2—3 条案例</span>';
      box.insertBefore(bar, box.firstChild);
      bar.querySelector("button").addEventListener("click", function () {
        var ids = Array.prototype.map.call(box.querySelectorAll("input.cb-pick-box:checked"), function (c) { return c.value; });
        location.href = siteRoot() + "compare.html?ids=" + ids.join(",");
      });
    }
    var seen = {};
    Array.prototype.forEach.call(box.querySelectorAll("tr, li"), function (row) {
      var a = Array.prototype.filter.call(row.querySelectorAll("a[href]"), caseId)[0], id = a && caseId(a);
      if (!id || row.querySelector("input.cb-pick-box") || seen[id]) return;
      seen[id] = true;
      var c = document.createElement("input");
      c.type = "checkbox"; c.className = "cb-pick-box"; c.value = id; c.title = "选入对比";
      c.setAttribute("aria-label", "选入对比：" + a.textContent);
      a.parentNode.insertBefore(c, a);
    });
    var update = function () {
      var n = box.querySelectorAll("input.cb-pick-box:checked").length;
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
  var compareData = {};
  window.__casebook_case = function (id, data) { compareData[id] = data; };

  function renderCompare(box) {
    if (box.dataset.cbBound) return;
    box.dataset.cbBound = "1";
    var ids = (new URLSearchParams(location.search).get("ids") || "").split(",").filter(function (x) {
      return /^[a-z0-9-]+$/.test(x);
    }).slice(0, 3);
    var status = box.querySelector(".cb-compare-status");
    if (ids.length < 2) return;
    status.textContent = "载入中…";
    withCases(ids, function () {
      var cases = ids.map(function (id) { return compareData[id]; }).filter(Boolean);
      if (cases.length < 2) { status.textContent = "找不到所选的案例。"; return; }
      status.textContent = "并排对比 " + cases.length + " 条案例。";
      var grid = document.createElement("div");
      grid.className = "cb-cmp cb-cmp--" + cases.length;
      var row = function (label, cells) {
        var r = document.createElement("section");
        r.className = "cb-cmp-row";
        var h = document.createElement("h2"); h.textContent = label; r.appendChild(h);
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
      row("摘要", cases.map(function (c) { return text(c.summary); }));
      var order = [];
      cases.forEach(function (c) { c.sections.forEach(function (s) { if (order.indexOf(s.heading) < 0) order.push(s.heading); }); });
      order.forEach(function (heading) {
        row(heading, cases.map(function (c) {
          var sec = c.sections.filter(function (s) { return s.heading === heading; })[0];
          return function (cell) {
            if (!sec) { var p = document.createElement("p"); p.className = "cb-cmp-none"; p.textContent = "（无）"; cell.appendChild(p); return; }
            var ul = document.createElement("ul");
            sec.items.forEach(function (it) { var li = document.createElement("li"); li.textContent = it; ul.appendChild(li); });
            cell.appendChild(ul);
          };
        }));
      });
      box.appendChild(grid);
    });
  }

  /* 我的课程: cases collected in this browser (localStorage, works from file://), ordered, timed,
     printed as student or trainer handouts, and saved as a course spec for `casebook course build`. */
  var COURSE_KEY = "casebook.mycourse";
  function loadCourse() {
    try { var c = JSON.parse(localStorage.getItem(COURSE_KEY)); if (c && c.units) return c; } catch (e) { /* start anew */ }
    return { units: [] };
  }
  function saveCourse(c) { localStorage.setItem(COURSE_KEY, JSON.stringify(c)); }

  function bindAdd(button) {
    if (button.dataset.cbBound) return;
    button.dataset.cbBound = "1";
    var id = button.getAttribute("data-cb-add");
    var show = function () {
      var has = loadCourse().units.some(function (u) { return u.id === id; });
      button.textContent = has ? "已加入我的课程" : "加入我的课程";
      button.disabled = has;
    };
    button.addEventListener("click", function () {
      var c = loadCourse();
      if (!c.units.some(function (u) { return u.id === id; })) c.units.push({ id: id, minutes: 30 });
      saveCourse(c);
      show();
    });
    show();
  }

  function withCases(ids, then) {
    Promise.all(ids.map(function (id) {
      if (compareData[id]) return Promise.resolve();
      return new Promise(function (resolve) {
        var s = document.createElement("script");
        s.src = siteRoot() + "compare/" + id + ".js";
        s.onload = resolve; s.onerror = resolve;
        document.head.appendChild(s);
      });
    })).then(then);
  }

  function el(tag, text, cls) {
    var e = document.createElement(tag);
    if (text != null) e.textContent = text;
    if (cls) e.className = cls;
    return e;
  }

  function courseYaml(box, course) {
    var q = function (s) { return JSON.stringify(String(s)); };  /* JSON strings are YAML scalars */
    var total = course.units.reduce(function (n, u) { return n + u.minutes; }, 0);
    var lines = ["# 由网站“我的课程”生成：casebook course build 本文件 --edition both --format html,docx",
      "title: " + q(box.querySelector("input[name=title]").value || "我的课程"),
      "audience: " + q(box.querySelector("input[name=audience]").value || "社区党组织书记、居委会主任"),
      "duration: " + total, "objectives:", "  - " + q("比较各地做法的牵头主体、实施层级和前提条件，判断哪些适合本地"),
      "sessions:"];
    course.units.forEach(function (u) {
      var c = compareData[u.id];
      lines.push("  - title: " + q(c ? c.title : u.id), "    minutes: " + u.minutes, "    cases:", "      - " + u.id);
    });
    return lines.join("\n") + "\n";
  }

  function printable(box, course, edition) {
    var out = box.querySelector(".cb-mycourse-print");
    out.innerHTML = "";
    out.appendChild(el("h1", (box.querySelector("input[name=title]").value || "我的课程") +
                          (edition === "trainer" ? "（教师版）" : "（学员版）"), "cb-print-title"));
    course.units.forEach(function (u, i) {
      var c = compareData[u.id];
      if (!c) return;
      var unit = el("section", null, "cb-print-unit");
      unit.appendChild(el("h2", "第 " + (i + 1) + " 单元　" + c.title + "（" + u.minutes + " 分钟）"));
      unit.appendChild(el("p", c.place + " · " + c.level + " · 年份：" + c.year, "cb-print-meta"));
      unit.appendChild(el("p", c.summary));
      c.sections.forEach(function (s) {
        if (edition !== "trainer" && (s.key === "analysis" || s.key === "key_points")) return;
        unit.appendChild(el("h3", s.heading));
        var list = el(s.key === "questions" || s.key === "practices" ? "ol" : "ul");
        s.items.forEach(function (it) { list.appendChild(el("li", it)); });
        unit.appendChild(list);
      });
      out.appendChild(unit);
    });
    out.hidden = false;
    document.documentElement.classList.add("cb-printing");
    window.print();
  }

  function bindMyCourse(box) {
    if (box.dataset.cbBound) return;
    box.dataset.cbBound = "1";
    var list = box.querySelector(".cb-mycourse-list"), status = box.querySelector(".cb-mycourse-status");
    var render = function () {
      var course = loadCourse();
      withCases(course.units.map(function (u) { return u.id; }), function () {
        list.innerHTML = "";
        course.units.forEach(function (u, i) {
          var c = compareData[u.id], li = el("li", null, "cb-mycourse-unit");
          var a = el("a", c ? c.title : u.id); a.href = siteRoot() + "cases/" + u.id + ".html";
          li.appendChild(a);
          if (c) li.appendChild(el("span", " " + c.place, "cb-sr-place"));
          var minutes = el("input"); minutes.type = "number"; minutes.min = 10; minutes.max = 240; minutes.step = 5;
          minutes.value = u.minutes; minutes.setAttribute("aria-label", "分钟");
          minutes.addEventListener("change", function () {
            var c2 = loadCourse(); c2.units[i].minutes = Math.max(10, parseInt(minutes.value, 10) || 30); saveCourse(c2); render();
          });
          var label = el("label", null, "cb-mycourse-minutes"); label.appendChild(minutes); label.appendChild(document.createTextNode(" 分钟"));
          li.appendChild(label);
          [["上移", -1], ["下移", 1]].forEach(function (m) {
            var b = el("button", m[0], "md-button cb-mycourse-move"); b.type = "button";
            b.disabled = (m[1] < 0 && i === 0) || (m[1] > 0 && i === course.units.length - 1);
            b.addEventListener("click", function () {
              var c2 = loadCourse(), j = i + m[1], t = c2.units[i]; c2.units[i] = c2.units[j]; c2.units[j] = t; saveCourse(c2); render();
            });
            li.appendChild(b);
          });
          var rm = el("button", "移出", "md-button cb-mycourse-remove"); rm.type = "button";
          rm.addEventListener("click", function () { var c2 = loadCourse(); c2.units.splice(i, 1); saveCourse(c2); render(); });
          li.appendChild(rm);
          list.appendChild(li);
        });
        var total = course.units.reduce(function (n, u) { return n + u.minutes; }, 0);
        status.textContent = course.units.length ? course.units.length + " 个单元，共 " + total + " 分钟。" : "还没有选择案例。";
      });
    };
    box.querySelectorAll("[data-cb-print]").forEach(function (b) {
      b.addEventListener("click", function () {
        var course = loadCourse();
        withCases(course.units.map(function (u) { return u.id; }), function () { printable(box, course, b.getAttribute("data-cb-print")); });
      });
    });
    box.querySelector("[data-cb-yaml]").addEventListener("click", function () {
      var course = loadCourse();
      withCases(course.units.map(function (u) { return u.id; }), function () {
        var blob = new Blob([courseYaml(box, course)], { type: "text/yaml" });
        var a = document.createElement("a");
        a.href = URL.createObjectURL(blob); a.download = "my-course.yml";
        document.body.appendChild(a); a.click(); a.remove();
      });
    });
    box.querySelector("[data-cb-clear]").addEventListener("click", function () { saveCourse({ units: [] }); render(); });
    window.addEventListener("afterprint", function () { document.documentElement.classList.remove("cb-printing"); });
    render();
  }

  function init() {
    Array.prototype.forEach.call(document.querySelectorAll("[data-cb-add]"), bindAdd);
    Array.prototype.forEach.call(document.querySelectorAll("[data-cb-mycourse]"), bindMyCourse);
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
