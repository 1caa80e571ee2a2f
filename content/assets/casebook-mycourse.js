/* 基层治理案例库 · 我的课程：选案例、编单元、打印讲义、存取课程文件、下载 Word（离线可用，无外部依赖） */
(function () {
  "use strict";

  /* Cases collected in this browser (localStorage, works from file://), grouped into units,
     ordered, timed, printed as student or trainer handouts, saved as a course spec for
     `casebook course build` and read back from one. Every limit the page keeps is the spec's
     (build_tools/courses/spec.py, page_limits), published into the page as data-cb-limits,
     so a course saved here builds. */
  var Core = window.CasebookCore, el = Core.el, siteRoot = Core.siteRoot;
  var COURSE_KEY = "casebook.mycourse";
  var LINES = ["questions", "notes"];  /* unit fields edited one item a line */
  /* Course fields the page does not edit: a loaded file keeps them, and saving writes them back. */
  var KEPT = ["id", "prereading", "theory", "board", "further_reading", "homework", "grading", "publish_trainer"];

  function unitOf(u) {
    var out = { cases: u.cases, minutes: u.minutes == null ? null : u.minutes, title: u.title || "", purpose: u.purpose || "" };
    LINES.forEach(function (k) { out[k] = Array.isArray(u[k]) ? u[k] : []; });
    return out;
  }
  function loadCourse() {
    var c = Core.store.get(COURSE_KEY, null);
    if (!c || !Array.isArray(c.units)) return { units: [] };
    /* Courses kept before a unit could hold several cases have units {id, minutes}. */
    c.units = c.units.map(function (u) { return unitOf(Array.isArray(u.cases) ? u : { cases: [u.id], minutes: u.minutes }); })
      .filter(function (u) { return u.cases.length && u.cases.every(function (id) { return typeof id === "string"; }); });
    return c;
  }
  function saveCourse(c) { Core.store.set(COURSE_KEY, c); }
  function inCourse(c, id) { return c.units.some(function (u) { return u.cases.indexOf(id) >= 0; }); }
  function addCase(id) {
    var c = loadCourse();
    if (!inCourse(c, id)) c.units.push(unitOf({ cases: [id], minutes: null }));  /* null: the page's default */
    saveCourse(c);
  }

  function bindAdd(button) {
    if (button.dataset.cbBound) return;
    button.dataset.cbBound = "1";
    var id = button.getAttribute("data-cb-add");
    var show = function () {
      var has = inCourse(loadCourse(), id), name = button.getAttribute("data-cb-name");
      button.textContent = has ? "已加入我的课程" : "加入我的课程";
      if (name) button.setAttribute("aria-label", button.textContent + "：" + name);
      button.disabled = has;
    };
    button.addEventListener("click", function () { addCase(id); show(); });
    show();
  }

  function courseIds(course) { return course.units.reduce(function (ids, u) { return ids.concat(u.cases); }, []); }

  /* The spec's limits for a unit: at least MINUTES_MIN and MINUTES_PER_RECORD per case, at most MINUTES_MAX. */
  function minutesRange(limits, u) {
    return { min: Math.max(limits.minutesMin, limits.minutesPerCase * u.cases.length), max: limits.minutesMax };
  }
  function fitMinutes(limits, u, value) {
    var r = minutesRange(limits, u), v = parseInt(value, 10);
    return Math.min(r.max, Math.max(r.min, isNaN(v) ? limits.minutesDefault : v));
  }
  function unitTitle(limits, u, data) {
    var first = data[u.cases[0]];
    return ((u.title || "").trim() || (first ? first.title : u.cases[0])).slice(0, limits.titleMax);
  }
  function lines(text) { return text.split(/\r?\n/).map(function (s) { return s.trim(); }).filter(Boolean); }

  /* The course as the spec's plain data; the one writer (Core.toYaml) turns it into the file. */
  function courseSpec(course, limits, data, defaults) {
    var sessions = course.units.map(function (u) {
      var s = { title: unitTitle(limits, u, data), minutes: u.minutes, cases: u.cases.filter(function (id) { return data[id]; }) };
      if (u.purpose) s.purpose = u.purpose;
      LINES.forEach(function (k) { if (u[k].length) s[k] = u[k]; });
      return s;
    }).filter(function (s) { return s.cases.length; });
    var spec = {
      title: ((course.title || "").trim().slice(0, limits.titleMax).trim()) || defaults.title,
      audience: (course.audience || "").trim() || defaults.audience,
      duration: sessions.reduce(function (n, s) { return n + s.minutes; }, 0),
      objectives: course.objectives && course.objectives.length ? course.objectives : defaults.objectives,
      sessions: sessions
    };
    KEPT.forEach(function (k) { if (course.keep && course.keep[k] !== undefined) spec[k] = course.keep[k]; });
    return spec;
  }

  /* A course file read back into the page's course: {course} or {error}, in Chinese, naming the
     line or the field and what to do. Units chosen by condition (select) need the search
     ranking of `casebook course build`; the page asks for their cases by id instead. */
  function courseFromText(text, limits) {
    var read = Core.fromYaml(text), spec = read.value;
    if (read.line) return { error: "第 " + read.line + " 行：" + read.message + "。" };
    var strings = function (v) { return Array.isArray(v) && v.every(function (x) { return typeof x === "string"; }); };
    if (!spec || typeof spec !== "object" || !Array.isArray(spec.sessions) || !spec.sessions.length)
      return { error: "这不是课程文件：没有 sessions（单元）列表。请选择“下载课程文件”得到的文件，或 courses/ 里的课程文件。" };
    var units = [], error = null;
    spec.sessions.forEach(function (s, i) {
      var where = "sessions 第 " + (i + 1) + " 个单元";
      if (error) return;
      if (!s || typeof s !== "object") error = where + "不是“字段: 值”的写法。";
      else if (s.select) error = where + "用 select 按条件挑选案例，网页无法照条件挑选：请把 select 换成 cases（记录 id 列表）后再读入。";
      else if (!strings(s.cases) || !s.cases.length) error = where + "的 cases 应当是记录 id 的列表，例如 - jianhu-wuye-wangge。";
      else if (s.cases.length > limits.casesMax) error = where + "有 " + s.cases.length + " 条案例，一个单元最多 " + limits.casesMax + " 条：请分成两个单元。";
      else if (LINES.some(function (k) { return s[k] != null && !strings(s[k]); })) error = where + "的 questions 和 notes 应当是文字列表。";
      else units.push(unitOf({ cases: s.cases, minutes: s.minutes, title: typeof s.title === "string" ? s.title : "",
                               purpose: typeof s.purpose === "string" ? s.purpose : "", questions: s.questions, notes: s.notes }));
    });
    if (error) return { error: error };
    var keep = {};
    KEPT.forEach(function (k) { if (spec[k] !== undefined) keep[k] = spec[k]; });
    return { course: { title: String(spec.title || ""), audience: String(spec.audience || ""),
                       objectives: strings(spec.objectives) ? spec.objectives : [], units: units, keep: keep } };
  }

  /* The assembled course as elements, for the printout and the Word file: each case with its
     来源说明 and sources as the course packs print them; labels from the published contract. */
  function courseDocument(box, spec, edition, data) {
    var contract = Core.sections(box), trainer = edition === "trainer", out = [];
    var list = function (tag, items) { var l = el(tag); items.forEach(function (it) { l.appendChild(el("li", it)); }); return l; };
    out.push(el("h1", spec.title + (trainer ? "（教师版）" : "（学员版）"), "cb-print-title"));
    out.push(el("p", "培训对象：" + spec.audience + "　课程时长：" + spec.duration + " 分钟（" + spec.sessions.length + " 个单元）", "cb-print-meta"));
    out.push(el("p", "教学目标", "cb-print-label"), list("ol", spec.objectives));
    spec.sessions.forEach(function (u, i) {
      out.push(el("h2", "第 " + (i + 1) + " 单元　" + u.title + "（" + u.minutes + " 分钟）"));
      if (trainer && u.purpose) out.push(el("p", "教学目的：" + u.purpose, "cb-print-note"));
      u.cases.forEach(function (id) {
        var c = data[id];
        out.push(el("p", c.title, "cb-print-case"), el("p", c.place + " · " + c.level + " · 年份：" + c.year, "cb-print-meta"));
        out.push(el("p", c.summary));
        (c.sourceNote || []).forEach(function (t) { out.push(el("p", contract.parts.source_note + "：" + t, "cb-print-note")); });
        contract.sections.forEach(function (part) {
          var s = c.sections.filter(function (x) { return x.key === part.key; })[0];
          if (!s || part.shown.indexOf(edition) < 0) return;  /* edition: "student" or "trainer" */
          out.push(el("h3", part.label));
          if (part.lead) out.push(el("p", part.lead, "cb-print-note"));
          out.push(list(part.ordered ? "ol" : "ul", s.items));
        });
      });
      if (u.questions) out.push(el("p", "第 " + (i + 1) + " 单元讨论题", "cb-print-label"), list("ol", u.questions));
      if (trainer && u.notes) out.push(el("p", "分析思路", "cb-print-label"), list("ul", u.notes));
    });
    return out;
  }

  /* The Word file: the printout as an HTML document with a .doc name, which Word and WPS open
     and can save as .docx. Built in the browser, so it needs no terminal and no library
     (README, 我的课程的 Word 文件); the full pack with styles remains `casebook course build`. */
  function wordBlob(spec, nodes) {
    var doc = document.implementation.createHTMLDocument(spec.title);
    doc.documentElement.lang = "zh-CN";
    doc.head.prepend(el("meta", null, null, { charset: "utf-8" }));
    doc.head.appendChild(el("style", "body{font-family:SimSun,serif;font-size:12pt}h1,h2,h3{font-family:SimHei,sans-serif}"));
    nodes.forEach(function (n) { doc.body.appendChild(doc.importNode(n, true)); });
    return new Blob(["<!DOCTYPE html>\n", doc.documentElement.outerHTML], { type: "application/msword" });
  }

  function download(blob, name) {
    var a = el("a", null, null, { download: name });
    a.href = URL.createObjectURL(blob);
    document.body.appendChild(a); a.click(); a.remove();
  }

  /* A labelled field: the label element names it, the CSS gives it a visible border. */
  function field(text, input, cls) {
    var label = el("label", null, "cb-field " + (cls || ""));
    label.append(el("span", text, "cb-field__name"), input);
    return label;
  }

  function bindMyCourse(box) {
    if (box.dataset.cbBound) return;
    box.dataset.cbBound = "1";
    var list = box.querySelector(".cb-mycourse-list"), status = box.querySelector(".cb-mycourse-status");
    var save = box.querySelector("[data-cb-yaml]"), limits = JSON.parse(box.getAttribute("data-cb-limits"));
    var head = { title: box.querySelector("input[name=title]"), audience: box.querySelector("input[name=audience]"),
                 objectives: box.querySelector("textarea[name=objectives]") };
    head.title.maxLength = limits.titleMax;
    /* What the page shows before anything is typed is what an empty field means. */
    var defaults = { title: head.title.defaultValue, audience: head.audience.defaultValue, objectives: lines(head.objectives.defaultValue) };
    /* The course with every unit's minutes inside the spec's range (a merge or an old value may leave it). */
    var load = function () {
      var c = loadCourse();
      c.units.forEach(function (u) { u.minutes = fitMinutes(limits, u, u.minutes); });
      return c;
    };
    var change = function (edit) { var c = load(); edit(c); saveCourse(c); render(); };
    /* Text is kept as it is typed, without a redraw, so the next field keeps the focus. */
    var keep = function (input, edit) { input.addEventListener("input", function () { var c = load(); edit(c, input.value); saveCourse(c); }); };
    var button = function (text, cls, disabled, edit) {
      var b = el("button", text, "md-button " + cls, { type: "button" });
      b.disabled = disabled;
      b.addEventListener("click", function () { change(edit); });
      return b;
    };
    var fillHead = function (c) {
      head.title.value = c.title != null ? c.title : head.title.defaultValue;
      head.audience.value = c.audience != null ? c.audience : head.audience.defaultValue;
      head.objectives.value = c.objectives && c.objectives.length ? c.objectives.join("\n") : head.objectives.defaultValue;
    };
    keep(head.title, function (c, v) { c.title = v; });
    keep(head.audience, function (c, v) { c.audience = v; });
    keep(head.objectives, function (c, v) { c.objectives = lines(v); });
    var unitView = function (course, data, u, i) {
      var li = el("li", null, "cb-mycourse-unit"), range = minutesRange(limits, u), prev = course.units[i - 1];
      var title = el("input", null, "cb-mycourse-title", { type: "text" });
      title.maxLength = limits.titleMax; title.value = u.title || ""; title.placeholder = unitTitle(limits, u, data);
      keep(title, function (c, v) { c.units[i].title = v.trim(); });
      li.appendChild(field("单元名称", title));
      var cases = el("ul", null, "cb-mycourse-cases");
      u.cases.forEach(function (id) {
        var c = data[id], item = el("li"), a = el("a", c ? c.title : id + "（找不到这条案例，保存时略去）");
        a.href = siteRoot() + "cases/" + id + ".html";
        item.appendChild(a);
        if (c) item.appendChild(el("span", " " + c.place, "cb-sr-place"));
        cases.appendChild(item);
      });
      li.appendChild(cases);
      var minutes = el("input", null, null, { type: "number" });
      minutes.min = range.min; minutes.max = range.max; minutes.step = limits.minutesStep; minutes.value = u.minutes;
      minutes.addEventListener("change", function () {
        change(function (c) { c.units[i].minutes = fitMinutes(limits, c.units[i], minutes.value); });
      });
      li.appendChild(field("分钟", minutes, "cb-mycourse-minutes"));
      var purpose = el("textarea", null, "cb-mycourse-purpose", { rows: "2" });
      purpose.value = u.purpose;
      keep(purpose, function (c, v) { c.units[i].purpose = v.trim(); });
      li.appendChild(field("教学目的（印在教师版）", purpose, "cb-field--wide"));
      [["questions", "单元讨论题（每行一题）"], ["notes", "分析思路（每行一条，印在教师版）"]].forEach(function (f) {
        var t = el("textarea", null, "cb-mycourse-" + f[0], { rows: "2" });
        t.value = u[f[0]].join("\n");
        keep(t, function (c, v) { c.units[i][f[0]] = lines(v); });
        li.appendChild(field(f[1], t, "cb-field--wide"));
      });
      var tools = el("p", null, "cb-mycourse-tools");
      [["上移", -1], ["下移", 1]].forEach(function (m) {
        tools.appendChild(button(m[0], "cb-mycourse-move", !course.units[i + m[1]], function (c) {
          var t = c.units[i]; c.units[i] = c.units[i + m[1]]; c.units[i + m[1]] = t;
        }));
      });
      /* One unit can discuss several cases, as many as the spec allows. */
      tools.appendChild(button("并入上一单元", "cb-mycourse-merge", !prev || prev.cases.length + u.cases.length > limits.casesMax,
        function (c) {
          var p = c.units[i - 1], minutes = p.minutes + c.units[i].minutes;
          p.cases = p.cases.concat(c.units[i].cases);
          p.minutes = fitMinutes(limits, p, minutes);
          c.units.splice(i, 1);
        }));
      if (u.cases.length > 1) tools.appendChild(button("拆开", "cb-mycourse-split", false, function (c) {
        c.units.splice.apply(c.units, [i, 1].concat(c.units[i].cases.map(function (id) { return unitOf({ cases: [id], minutes: null }); })));
      }));
      tools.appendChild(button("移出", "cb-mycourse-remove", false, function (c) { c.units.splice(i, 1); }));
      li.appendChild(tools);
      return li;
    };
    var render = function () {
      var course = load();
      fillHead(course);
      Core.loadCases(courseIds(course)).then(function (data) {
        list.replaceChildren.apply(list, course.units.map(function (u, i) { return unitView(course, data, u, i); }));
        var n = course.units.length, total = course.units.reduce(function (t, u) { return t + u.minutes; }, 0);
        var tooMany = n > limits.sessionsMax;
        status.textContent = !n ? "还没有选择案例。" : n + " 个单元，共 " + total + " 分钟。" + (tooMany
          ? "一门课程最多 " + limits.sessionsMax + " 个单元：请移出几条案例，或把几条案例并入上一单元，再下载课程文件。" : "");
        box.querySelectorAll("[data-cb-yaml], [data-cb-word], [data-cb-print]").forEach(function (b) { b.disabled = !n || tooMany; });
        box.dataset.cbDrawn = (+box.dataset.cbDrawn || 0) + 1;  /* for anyone waiting on a redraw (tests) */
      });
    };
    /* Every output starts from the course as saved, with each of its cases' data loaded. */
    var withSpec = function (then) {
      var course = load();
      Core.loadCases(courseIds(course)).then(function (data) { then(courseSpec(course, limits, data, defaults), data); });
    };
    box.querySelectorAll("[data-cb-print]").forEach(function (b) {
      b.addEventListener("click", function () {
        withSpec(function (spec, data) {
          var out = box.querySelector(".cb-mycourse-print");
          out.replaceChildren.apply(out, courseDocument(box, spec, b.getAttribute("data-cb-print"), data));
          out.hidden = false;
          document.documentElement.classList.add("cb-printing");
          window.print();
        });
      });
    });
    box.querySelectorAll("[data-cb-word]").forEach(function (b) {
      b.addEventListener("click", function () {
        withSpec(function (spec, data) {
          var edition = b.getAttribute("data-cb-word");
          download(wordBlob(spec, courseDocument(box, spec, edition, data)),
                   spec.title + (edition === "trainer" ? "（教师版）" : "（学员版）") + ".doc");
        });
      });
    });
    save.addEventListener("click", function () {
      withSpec(function (spec) {
        download(new Blob([Core.toYaml(spec, ["由网站“我的课程”生成：casebook course build 本文件 --edition both --format html,docx"])],
                          { type: "text/yaml" }), "my-course.yml");
      });
    });
    /* Reading a course file back: the page's own files and those in courses/ (cases listed by id). */
    var file = box.querySelector("input[data-cb-load]"), fileStatus = box.querySelector(".cb-mycourse-load-status");
    file.addEventListener("change", function () {
      var f = file.files[0];
      if (!f) return;
      f.text().then(function (text) {
        var c = courseFromText(text, limits);
        if (c.error) { fileStatus.textContent = "没有读入“" + f.name + "”：" + c.error; fileStatus.classList.add("cb-error"); return; }
        saveCourse(c.course);
        fileStatus.textContent = "已读入“" + f.name + "”：" + c.course.units.length + " 个单元。";
        fileStatus.classList.remove("cb-error");
        file.value = "";
        render();
      });
    });
    /* 清空 asks first, in a dialog: focus starts on 取消, Esc closes it. */
    var dialog = box.querySelector("dialog.cb-mycourse-confirm");
    box.querySelector("[data-cb-clear]").addEventListener("click", function () { dialog.returnValue = ""; dialog.showModal(); });
    dialog.addEventListener("close", function () {
      if (dialog.returnValue === "clear") { saveCourse({ units: [] }); render(); }
    });
    window.addEventListener("afterprint", function () { document.documentElement.classList.remove("cb-printing"); });
    render();
  }

  /* Header search results: 对比 and 加入我的课程 on each case. Picking a second case for 对比 opens
     the compare page with the two; Enter and the space bar press a button.
     Material draws the results and moves the focus onto them: its keys stay as they are (arrows
     from result to result, Tab closes the box), and → and ← (below) move between the focused
     result and its buttons. Zensical's box (casebook-searchbox.js) is a combobox whose focus stays
     in the input: it moves the focus from the chosen result to its buttons with → and back with ←
     or Escape, before the keys reach the list. Each result is described by the hint below. */
  var hints = 0;
  function bindHeaderResults(list) {
    if (list.dataset.cbBound) return;
    list.dataset.cbBound = "1";
    var picked = [];
    var hint = el("span", "按右方向键可选入对比或加入我的课程", null, { id: "cb-sr-keys-" + ++hints, hidden: "" });
    list.parentNode.insertBefore(hint, list.nextSibling);
    var decorate = function () {
      Array.prototype.forEach.call(list.querySelectorAll(".md-search-result__item"), function (li) {
        var a = li.querySelector("a.md-search-result__link"), m = a && /(?:^|\/)cases\/([a-z0-9-]+)\.html/.exec(a.getAttribute("href"));
        if (!m || li.querySelector(".cb-sr-actions")) return;
        var id = m[1], h = a.querySelector("h1"), name = h ? h.textContent.trim() : id, bar = el("div", null, "cb-sr-actions");
        var pick = el("button", null, "md-button cb-sr-compare", { type: "button" });
        var mark = function () {
          var on = picked.indexOf(id) >= 0;
          pick.textContent = on ? "已选对比，再选一条" : "对比";
          pick.setAttribute("aria-pressed", on ? "true" : "false");
          pick.setAttribute("aria-label", (on ? "取消对比：" : "选入对比：") + name);
        };
        pick.addEventListener("click", function () {
          var at = picked.indexOf(id);
          if (at >= 0) picked.splice(at, 1); else picked.push(id);
          if (picked.length >= 2) { location.href = siteRoot() + "compare.html?ids=" + picked.join(","); return; }
          mark();
        });
        mark();
        var add = el("button", null, "md-button cb-sr-add", { type: "button", "data-cb-add": id, "data-cb-name": name });
        bar.append(pick, " ", add);
        li.insertBefore(bar, a.nextSibling);
        a.setAttribute("aria-describedby", hint.id);
        bindAdd(add);
        /* Once added, the button is disabled and would drop the focus: 对比 takes it over at once,
           in the same click (bindAdd's listener, registered first, has disabled it by now). A
           timer here lost the race on a busy machine: the focus stayed on the disabled button. */
        add.addEventListener("click", function () {
          var at = document.activeElement;
          if (add.disabled && (at === add || at === document.body || !at)) pick.focus();
        });
      });
    };
    list.addEventListener("keydown", function (ev) {
      var li = ev.target.closest(".md-search-result__item");
      if (!li || !li.querySelector(".cb-sr-actions")) return;
      var stops = [li.querySelector("a.md-search-result__link")].concat(Array.prototype.slice.call(li.querySelectorAll(".cb-sr-actions button:not([disabled])")));
      var i = stops.indexOf(ev.target);
      if (i < 0) return;
      if (ev.key === "ArrowRight" || ev.key === "ArrowLeft") {
        var next = stops[i + (ev.key === "ArrowRight" ? 1 : -1)];
        if (next) next.focus();
        ev.preventDefault(); ev.stopPropagation();
      } else if (i > 0 && (ev.key === "Enter" || ev.key === " " || ev.key === "Tab")) ev.stopPropagation();  /* the button's own */
      else if (i > 0 && (ev.key === "ArrowUp" || ev.key === "ArrowDown")) stops[0].focus();  /* Material moves on from the result */
    });
    new MutationObserver(decorate).observe(list, { childList: true });
    decorate();
  }

  function init() {
    Array.prototype.forEach.call(document.querySelectorAll("[data-cb-add]"), bindAdd);
    Array.prototype.forEach.call(document.querySelectorAll("[data-cb-mycourse]"), bindMyCourse);
    Array.prototype.forEach.call(document.querySelectorAll(".md-search-result__list"), bindHeaderResults);
  }

  window.CasebookCourse = { bindAdd: bindAdd, addCase: addCase, inCourse: function (id) { return inCourse(loadCourse(), id); } };
  if (window.document$ && window.document$.subscribe) window.document$.subscribe(init);
  else if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
})();
