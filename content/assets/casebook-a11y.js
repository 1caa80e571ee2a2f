/* 基层治理案例库 · 人人可读（issue 26）：大字开关、注释就地展开、表头范围 */
(function () {
  "use strict";

  var Core = window.CasebookCore, el = Core.el;
  var LARGE_KEY = "casebook.large";  /* read before the first paint by overrides/main.html */

  /* The 大字 switch: larger text, line spacing and targets on every page, kept in this browser. */
  function bindLarge(button) {
    if (button.dataset.cbBound) return;
    button.dataset.cbBound = "1";
    var root = document.documentElement;
    var show = function () { button.setAttribute("aria-pressed", root.classList.contains("cb-large") ? "true" : "false"); };
    button.addEventListener("click", function () {
      var on = !root.classList.contains("cb-large");
      root.classList.toggle("cb-large", on);
      Core.store.set(LARGE_KEY, on);
      show();
    });
    show();
  }

  /* Footnote markers open their note in place (a tap, a click, Enter or Space), right under the line,
     so a reader on a phone keeps their place; Escape or the close button folds it again. Material's
     hover tooltip needs a mouse, and the jump to the foot of a long page loses the reader. */
  function noteContent(ref) {
    var li = document.getElementById(decodeURIComponent(ref.hash.slice(1)));
    if (!li) return null;
    var box = document.createElement("span");
    Array.prototype.forEach.call(li.children, function (child) {
      var copy = child.cloneNode(true), back = copy.querySelectorAll(".footnote-backref");
      Array.prototype.forEach.call(back, function (b) { b.remove(); });
      var part = el("span", null, "cb-fn-pop__text");
      part.append.apply(part, Array.prototype.slice.call(copy.childNodes));
      box.appendChild(part);
    });
    return box;
  }

  function closeNote(ref, focus) {
    var pop = document.getElementById(ref.getAttribute("aria-controls") || "");
    if (pop) pop.remove();
    ref.setAttribute("aria-expanded", "false");
    ref.removeAttribute("aria-controls");
    if (focus) ref.focus();
  }

  function openNote(ref) {
    Array.prototype.forEach.call(document.querySelectorAll("a.footnote-ref[aria-expanded=true]"), function (r) {
      if (r !== ref) closeNote(r, false);
    });
    var content = noteContent(ref);
    if (!content) return;
    var id = "cb-fn-pop-" + ref.hash.slice(1).replace(/[^A-Za-z0-9_-]/g, "-");
    var pop = el("span", null, "cb-fn-pop", { id: id, role: "note", "aria-label": "注释 " + ref.textContent.trim() });
    pop.appendChild(content);
    var close = el("button", "×", "cb-fn-pop__close", { type: "button", "aria-label": "收起注释 " + ref.textContent.trim() });
    close.addEventListener("click", function () { closeNote(ref, true); });
    pop.appendChild(close);
    (ref.closest("sup") || ref).after(pop);
    ref.setAttribute("aria-expanded", "true");
    ref.setAttribute("aria-controls", id);
  }

  function bindNote(ref) {
    if (ref.dataset.cbBound) return;
    ref.dataset.cbBound = "1";
    ref.setAttribute("role", "button");
    ref.setAttribute("aria-expanded", "false");
    ref.setAttribute("aria-label", "注释 " + ref.textContent.trim() + "：出处原文");
    var toggle = function (ev) {
      ev.preventDefault();
      if (ref.getAttribute("aria-expanded") === "true") closeNote(ref, false); else openNote(ref);
    };
    ref.addEventListener("click", toggle);
    /* A link answers Enter by itself (the click above); a button answers Space too. */
    ref.addEventListener("keydown", function (ev) { if (ev.key === " ") toggle(ev); });
  }

  /* Escape folds the open note wherever the focus is, and gives the focus back to its marker. */
  function onKey(ev) {
    if (ev.key !== "Escape") return;
    var open = document.querySelector("a.footnote-ref[aria-expanded=true]");
    if (open) closeNote(open, true);
  }

  /* Table headers say what they head (Markdown writes plain <th>). */
  function scopeHeaders(table) {
    Array.prototype.forEach.call(table.querySelectorAll("thead th:not([scope])"), function (th) { th.setAttribute("scope", "col"); });
    Array.prototype.forEach.call(table.querySelectorAll("tbody th:not([scope])"), function (th) { th.setAttribute("scope", "row"); });
  }

  function init() {
    Array.prototype.forEach.call(document.querySelectorAll("[data-cb-large]"), bindLarge);
    Array.prototype.forEach.call(document.querySelectorAll(".md-content a.footnote-ref"), bindNote);
    Array.prototype.forEach.call(document.querySelectorAll(".md-content table"), scopeHeaders);
    if (!document.documentElement.dataset.cbA11yKeys) {
      document.documentElement.dataset.cbA11yKeys = "1";
      document.addEventListener("keydown", onKey);
    }
  }

  if (window.document$ && window.document$.subscribe) window.document$.subscribe(init);
  else if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
})();
