/*
 * 基层治理案例库 · 共用脚本
 *
 * The few helpers every page script needs, kept once: escaping, building
 * elements, loading a <script> (the only way to read data from file://),
 * the browser's storage, the page's URL state and the course-file writer.
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

  /* The site's root folder as an absolute URL (Material writes it into the page). */
  function siteRoot() {
    var cfg = document.getElementById("__config");
    var base = cfg ? JSON.parse(cfg.textContent).base : ".";
    return new URL(base.replace(/\/?$/, "/"), location.href).href;
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

  window.CasebookCore = { escapeHtml: escapeHtml, el: el, loadScript: loadScript, siteRoot: siteRoot,
                          store: store, urlState: urlState, toYaml: toYaml };
})();
