/*
 * 基层治理案例库 · 共用脚本
 *
 * The few helpers every page script needs, kept once: escaping, building
 * elements, loading a <script> (the only way to read data from file://),
 * the browser's storage, the page's URL state, the course-file writer and
 * each record's compare data.
 * Loaded first (overrides/main.html, `libs` block), before the search
 * engine and casebook.js, which read it as window.CasebookCore.
 */
(function () {
  "use strict";

  var ENTITIES = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" };

  /* Text made safe to put inside HTML. */
  function escapeHtml(s) {
    return String(s).replace(/[&<>"']/g, function (c) { return ENTITIES[c]; });
  }

  /* An element with its text (set as text, never parsed), class and attributes. */
  function el(tag, text, cls, attrs) {
    var e = document.createElement(tag);
    if (text != null) e.textContent = text;
    if (cls) e.className = cls;
    Object.keys(attrs || {}).forEach(function (k) { e.setAttribute(k, attrs[k]); });
    return e;
  }

  /* A <script> added to the page; the promise settles when it has run. */
  function loadScript(src) {
    return new Promise(function (resolve, reject) {
      var s = document.createElement("script");
      s.src = src;
      s.async = true;
      s.onload = resolve;
      s.onerror = function () { reject(new Error("无法加载：" + src)); };
      document.head.appendChild(s);
    });
  }

  /* The page's config, which Material and Zensical both write into it. */
  function pageConfig() {
    var cfg = document.getElementById("__config");
    return cfg ? JSON.parse(cfg.textContent) : {};
  }

  /* The site's root folder as an absolute URL. */
  function siteRoot() {
    var base = pageConfig().base || ".";
    return new URL(base.replace(/\/?$/, "/"), location.href).href;
  }

  /* The theme's wording of the search result count ("#" stands for the number). */
  function themeTexts() {
    var t = pageConfig().translations || {};
    return {
      placeholder: t["search.result.placeholder"] || "键入以开始搜索",
      none: t["search.result.none"] || "没有找到符合条件的结果",
      one: t["search.result.one"] || "找到 1 个符合条件的结果",
      other: t["search.result.other"] || "# 个符合条件的结果"
    };
  }

  /* Values kept in this browser (localStorage, which works from file:// too).
     A broken or missing value, or storage the browser refuses, gives the fallback. */
  var store = {
    get: function (key, fallback) {
      try {
        var v = JSON.parse(localStorage.getItem(key));
        return v == null ? fallback : v;
      } catch (e) {
        return fallback;
      }
    },
    set: function (key, value) {
      try { localStorage.setItem(key, JSON.stringify(value)); } catch (e) { /* private mode: this page only */ }
    }
  };

  /* The page's state in its address (?q=…&place=…): Back, reload, a bookmark and a
     link sent to a colleague all bring the same list back. set() changes only the
     names it is given (an empty value removes one) and keeps the rest and the #hash. */
  var urlState = {
    get: function (names) {
      var params = new URLSearchParams(location.search), out = {};
      names.forEach(function (k) { out[k] = params.get(k) || ""; });
      return out;
    },
    set: function (values) {
      var params = new URLSearchParams(location.search);
      Object.keys(values).forEach(function (k) { if (values[k]) params.set(k, values[k]); else params.delete(k); });
      var query = params.toString(), url = location.pathname + (query ? "?" + query : "") + location.hash;
      if (url === location.pathname + location.search + location.hash) return;
      /* Chromium allows this on file:// too; a browser that refuses keeps the address as it was. */
      try { history.replaceState(history.state, "", url); } catch (e) { /* the list still works */ }
    }
  };

  /* YAML of plain data (objects, arrays, strings, numbers, booleans), in the block
     style of the examples in courses/, so the file a trainer saves reads like
     the guide's. Every string is written by JSON.stringify: a JSON string is a
     YAML double-quoted scalar, so no title can break the file's structure.
     (JSON.stringify of the whole object would be valid YAML too, but unlike
     every other course file a trainer edits.) Keys are our own field names. */
  function toYaml(value, comments) {
    var lines = (comments || []).map(function (c) { return "# " + c; });
    var scalar = function (v) { return typeof v === "string" ? JSON.stringify(v) : String(v); };
    var isBlock = function (v) { return v !== null && typeof v === "object" && Object.keys(v).length > 0; };
    var empty = function (v) { return Array.isArray(v) ? "[]" : "{}"; };
    var write = function (v, pad) {
      if (Array.isArray(v)) {
        v.forEach(function (item) {
          if (!isBlock(item)) { lines.push(pad + "- " + (item !== null && typeof item === "object" ? empty(item) : scalar(item))); return; }
          var start = lines.length;
          write(item, pad + "  ");
          lines[start] = pad + "- " + lines[start].slice(pad.length + "  ".length);
        });
        return;
      }
      Object.keys(v).forEach(function (k) {
        var item = v[k];
        if (isBlock(item)) { lines.push(pad + k + ":"); write(item, pad + "  "); }
        else lines.push(pad + k + ": " + (item !== null && typeof item === "object" ? empty(item) : scalar(item)));
      });
    };
    write(value, "");
    return lines.join("\n") + "\n";
  }

  /* The reader for course files, the other half of toYaml. No YAML library ships with the
     site (and none may be added), so this reads the small block subset that toYaml writes
     and the hand-written files in courses/ use: mappings and "- " lists by indentation,
     comments, plain, "double" and 'single' quoted scalars, numbers, true/false/null and
     one-line [a, b] lists. Anything else (| and > text, anchors, tags, {…}) is refused with
     its line number rather than guessed at: the result is {value}, or {line, message}. */
  function fromYaml(text) {
    var lines = [], pos = 0;
    String(text).replace(/^\uFEFF/, "").split(/\r?\n/).forEach(function (raw, i) {
      var s = raw.replace(/(^|\s)#.*$/, function (m, pre, at) {  /* a comment, unless inside quotes */
        var before = raw.slice(0, at), q = (before.match(/"/g) || []).length - (before.match(/\\"/g) || []).length;
        return q % 2 || (before.split("'").length - 1) % 2 ? m : pre;
      });
      if (s.trim()) lines.push({ n: i + 1, ind: s.search(/\S/), s: s.trim() });
    });
    var fail = function (line, message) { throw { line: line.n, message: message }; };
    var isItem = function (s) { return s === "-" || s.slice(0, 2) === "- "; };
    var KEY = /^([A-Za-z_][\w-]*)\s*:(?:\s+(.*))?$/;
    var scalar = function (s, line) {
      if (/^"/.test(s)) { try { return JSON.parse(s); } catch (e) { fail(line, "双引号里的文字没有正确结束"); } }
      if (/^'/.test(s)) { if (!/^'(?:[^']|'')*'$/.test(s)) fail(line, "单引号里的文字没有正确结束"); return s.slice(1, -1).replace(/''/g, "'"); }
      if (/^\[.*\]$/.test(s)) {
        var inner = s.slice(1, -1).trim();
        return inner ? inner.split(",").map(function (x) { return scalar(x.trim(), line); }) : [];
      }
      if (s === "{}") return {};
      if (/^[|>&*!{\[]/.test(s)) fail(line, "网页读不懂这种写法（" + s.charAt(0) + "）；请改成一行文字，或用 casebook course check 检查");
      if (/^-?\d+$/.test(s)) return parseInt(s, 10);
      if (/^(true|false)$/.test(s)) return s === "true";
      if (/^(null|~)$/.test(s)) return null;
      return s;
    };
    var node = function (ind) {
      var first = lines[pos];
      if (first.ind !== ind) fail(first, "缩进不对");
      var out = isItem(first.s) ? [] : {};
      while (pos < lines.length && lines[pos].ind === ind) {
        var line = lines[pos];
        if (Array.isArray(out) !== isItem(line.s)) fail(line, "列表项和字段混在同一层");
        if (Array.isArray(out)) {
          var rest = line.s.slice(1).trim();
          if (!rest) { pos++; out.push(child(ind, line)); continue; }
          if (KEY.test(rest)) { lines[pos] = { n: line.n, ind: ind + line.s.length - rest.length, s: rest }; out.push(node(lines[pos].ind)); continue; }
          pos++; out.push(scalar(rest, line)); continue;
        }
        var m = KEY.exec(line.s);
        if (!m) fail(line, "应当是“字段: 值”");
        if (Object.prototype.hasOwnProperty.call(out, m[1])) fail(line, "字段 " + m[1] + " 写了两次");
        pos++;
        out[m[1]] = m[2] === undefined ? child(ind, line, true) : scalar(m[2], line);
      }
      if (pos < lines.length && lines[pos].ind > ind) fail(lines[pos], "缩进不对");
      return out;
    };
    /* What follows "key:" or "-" on a line of its own: a deeper block, a list at the key's own indent, or nothing. */
    var child = function (ind, line, key) {
      var next = lines[pos];
      if (next && next.ind > ind) return node(next.ind);
      if (key && next && next.ind === ind && isItem(next.s)) return node(ind);
      return null;
    };
    try { return { value: lines.length ? node(lines[0].ind) : null }; } catch (e) { if (e && e.line) return { line: e.line, message: e.message }; throw e; }
  }

  /* Each record's data for the compare page and 我的课程: compare/<id>.js calls
     window.__casebook_case(id, data). loadCases(ids) resolves to every record loaded so
     far, by id; a removed case is simply missing. */
  var caseData = {};
  window.__casebook_case = function (id, data) { caseData[id] = data; };
  function loadCases(ids) {
    return Promise.all(ids.map(function (id) {
      if (caseData[id] || !/^[a-z0-9-]+$/.test(id)) return null;
      return loadScript(siteRoot() + "compare/" + id + ".js").catch(function () { /* shown as missing */ });
    })).then(function () { return caseData; });
  }

  /* Section keys, labels, order and where each is shown: the presentation contract
     (build_tools/sections.py), published into the page that uses it as data-cb-sections. */
  function sections(box) {
    try { return JSON.parse(box.getAttribute("data-cb-sections")) || { sections: [], parts: {} }; } catch (e) { return { sections: [], parts: {} }; }
  }

  window.CasebookCore = { escapeHtml: escapeHtml, el: el, loadScript: loadScript, siteRoot: siteRoot, themeTexts: themeTexts,
                          store: store, urlState: urlState, toYaml: toYaml, fromYaml: fromYaml, loadCases: loadCases, sections: sections };
})();
