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
  var Core = window.CasebookCore, escapeHtml = Core.escapeHtml, loadScript = Core.loadScript;
  var PAIR = 2;  /* postings are flat [gap, weight] pairs: the index's format, not a ranking choice */
  /* Material's worker messages: SETUP → READY, QUERY → RESULT. */
  var MSG = { SETUP: 0, READY: 1, QUERY: 2, RESULT: 3 };

  function siteRootFrom(workerUrl) {
    var abs = new URL(workerUrl, document.baseURI).href;
    return abs.replace(/assets\/javascripts\/workers\/.*$/, "");
  }

  /* ------------------------------------------------------------ engine */

  /* Term and document shards announce themselves through these globals. One waiter
     per shard, shared by every engine on the page (the header box's and the 检索
     page's), so a shard is fetched once and each engine hears when it has come. */
  var shardWaiters = {};
  function waiterFor(key) {
    var w = shardWaiters[key];
    if (!w) {
      w = shardWaiters[key] = { data: null };
      w.promise = new Promise(function (resolve, reject) { w.resolve = resolve; w.reject = reject; });
    }
    return w;
  }
  function announce(kind, n, data) {
    var w = waiterFor(kind + n);
    w.data = data;
    w.resolve(data);
  }
  window.__casebook_terms = function (n, data) { announce("t", n, data); };
  window.__casebook_docs = function (n, data) { announce("d", n, data); };

  function Engine(meta, root) {
    this.root = root || "";
    this.meta = meta;
    this.vocab = meta.vocab;
    this.inVocab = {};
    for (var i = 0; i < meta.vocab.length; i++) this.inVocab[meta.vocab[i]] = true;
    this.placeWords = meta.placeWords || {};
    this.tagWords = meta.tagWords || {};
    this.generic = {};
    var self = this;
    (meta.generic || []).forEach(function (w) { self.generic[w] = true; });
    this.lexicon = meta.lexicon || {};
    this.concepts = meta.concepts || { words: {}, broader: {}, df: {} };
    /* word → the index words that mean the same (Cilin groups, build_tools/synonyms.py synonym_map) */
    this.synonymOf = Object.create(null);
    (meta.synonyms || []).forEach(function (group) {
      group.forEach(function (w) {
        var more = self.synonymOf[w] || (self.synonymOf[w] = []);
        group.forEach(function (x) { if (x !== w && more.indexOf(x) < 0) more.push(x); });
      });
    });
    /* The plan's constants and the document layout come with the index
       (build_tools/ranking.py), so the two runtimes cannot drift apart. */
    this.plan = meta.plan;
    this.F = {};
    meta.docFields.forEach(function (name, i) { self.F[name] = i; });
  }

  /* FNV-1a over UTF-16 code units, as build_tools.index.shard_of computes it (constants in meta.hash). */
  Engine.prototype.shardOf = function (term) {
    var h = this.meta.hash.basis;
    for (var i = 0; i < term.length; i++) {
      h ^= term.charCodeAt(i);
      h = Math.imul(h, this.meta.hash.prime) >>> 0;
    }
    return h % this.meta.shards;
  };

  Engine.prototype.load = function (kind, n) {
    var w = waiterFor(kind + n);
    if (!w.data && !w.requested) {
      w.requested = true;
      loadScript(this.root + "search/" + kind + "/" + n + ".js").catch(w.reject);
    }
    return w.promise;
  };

  /* Postings of several terms: {term: [[doc, weight], …]} */
  Engine.prototype.postings = function (terms) {
    var self = this, shards = {}, scale = this.plan.weightScale;
    terms.forEach(function (t) { shards[self.shardOf(t)] = true; });
    return Promise.all(Object.keys(shards).map(function (n) { return self.load("t", n); })).then(function () {
      var out = {};
      terms.forEach(function (t) {
        var data = shardWaiters["t" + self.shardOf(t)].data, raw = data && data[t];
        if (!raw) return;
        /* flat [gap, weight × scale, …] pairs (build_tools.index.encode_postings) */
        var list = [], doc = 0;
        for (var i = 0; i + 1 < raw.length; i += PAIR) { doc += raw[i]; list.push([doc, raw[i + 1] / scale]); }
        out[t] = list;
      });
      return out;
    });
  };

  Engine.prototype.docs = function (ids) {
    var self = this, per = this.meta.docsPerShard, shards = {};
    ids.forEach(function (d) { shards[Math.floor(d / per)] = true; });
    return Promise.all(Object.keys(shards).map(function (n) { return self.load("d", n); })).then(function () {
      return ids.map(function (d) { return shardWaiters["d" + Math.floor(d / per)].data[d % per]; });
    });
  };

  Engine.prototype.has = function (w) {
    return this.inVocab[w] === true;
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
      /* On a tie the earlier word wins (应急|时, not 应|急时): text reads left to right. */
      if (best[i] >= best[i + 1]) { best[i + 1] = best[i]; back[i + 1] = [i, false]; }
      for (j = i + this.plan.minWord; j <= Math.min(n, i + this.plan.maxWord); j++) {
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

  /* Query → filters and weighted terms (the same plan as the command line:
     place names restrict, practice names pull in their tag, generic words
     count little). Synchronous: it needs only the vocabulary. */
  Engine.prototype.parse = function (query) {
    var q = query.normalize ? query.normalize("NFKC").toLowerCase() : query.toLowerCase();
    var self = this, filters = { place: [], tag: [], tagBoost: [] };
    var placeSlug = function (v) {
      if (Object.prototype.hasOwnProperty.call(self.placeWords, v)) return self.placeWords[v];
      for (var slug in self.meta.places) if (self.meta.places[slug] === v || slug === v) return slug;
      return v;
    };
    var tagSlug = function (v) {
      if (Object.prototype.hasOwnProperty.call(self.tagWords, v)) return self.tagWords[v];
      for (var slug in self.meta.tags) if (self.meta.tags[slug] === v || slug === v) return slug;
      return v;
    };
    q = q.replace(/(地点|地区|place|标签|tag)[:：]\s*(\S+)/g, function (_, key, value) {
      if (/^(地点|地区|place)$/.test(key)) filters.place.push(placeSlug(value));
      else filters.tag.push(tagSlug(value));
      return " ";
    });
    var terms = {}, order = [], P = this.plan, own = Object.prototype.hasOwnProperty;
    var full = P.fullWeight, reached = [], fullWords = [], blind = [];
    var add = function (w, weight, expanded) {
      if (own.call(self.placeWords, w) && weight >= full) {
        if (filters.place.indexOf(self.placeWords[w]) < 0) filters.place.push(self.placeWords[w]);
        return;
      }
      if (own.call(self.tagWords, w) && weight >= full && filters.tagBoost.indexOf(self.tagWords[w]) < 0)
        filters.tagBoost.push(self.tagWords[w]);
      if (weight >= full && !expanded && own.call(self.lexicon, w)) {
        var entry = self.lexicon[w];
        entry.tags.forEach(function (t) { if (filters.tagBoost.indexOf(t) < 0) filters.tagBoost.push(t); });
        entry.terms.forEach(function (t) { reached.push(t); add(t, P.lexiconWeight, true); });  /* one step only */
      }
      if (weight >= full && !expanded && fullWords.indexOf(w) < 0) fullWords.push(w);
      if (self.generic[w]) weight = Math.min(weight, P.genericWeight);
      if (!own.call(terms, w)) order.push(w);
      if (!own.call(terms, w) || terms[w] < weight) terms[w] = weight;
    };
    var parts = q.match(/[\u4e00-\u9fff]+|[a-z0-9.+]+/g) || [];
    parts.forEach(function (part, k) {
      var last = k === parts.length - 1;
      if (/^[\u4e00-\u9fff]+$/.test(part)) {
        if (Object.prototype.hasOwnProperty.call(self.placeWords, part)) { add(part, full); return; }
        var seg = self.segmentHan(part);
        seg.words.forEach(function (w) {
          add(w, full);
          /* never required, never expanded further */
          (self.synonymOf[w] || []).forEach(function (x) { add(x, P.synonymWeight, true); });
        });
        seg.gaps.forEach(function (g) {
          var more = g.length >= P.minGap ? self.expand(g, P.expandLimit) : [];
          if (!more.length) blind.push(g);  /* a lone character left over is a word the index lacks, or filler */
          more.forEach(function (w) { add(w, P.gapWeight); });
        });
        if (!seg.words.length && part.length === 1)
          self.expand(part, P.expandLimit).forEach(function (w) { add(w, P.charWeight); });
        if (last) {
          var tail = seg.gaps.length ? seg.gaps[seg.gaps.length - 1] : "";
          /* the word still being typed; one character says little */
          var tailWeight = tail.length >= P.minGap ? P.gapWeight : P.tailCharWeight;
          if (tail && part.slice(-tail.length) === tail)
            self.expand(tail, P.expandLimit).forEach(function (w) { add(w, tailWeight); });
        }
      } else {
        part.split(/\+/).filter(Boolean).forEach(function (p) {
          if (self.has(p)) add(p, full);
          if (last || !self.has(p)) self.expand(p, P.expandLimit).forEach(function (w) { add(w, P.latinWeight); });
        });
      }
    });
    /* Concepts the query names, then those its everyday words lead to (build_tools/concept_terms.py). */
    var C = this.concepts, named = [];
    var raise = function (t, weight) {
      if (!own.call(terms, t)) order.push(t);
      if (!own.call(terms, t) || terms[t] < weight) terms[t] = weight;
    };
    parts.forEach(function (part) {
      if (!/^[\u4e00-\u9fff]+$/.test(part)) return;
      conceptSpans(C.words, part, P.maxConceptWord).forEach(function (sp) {
        if (named.indexOf(sp.concept) < 0) named.push(sp.concept);
      });
    });
    reached.forEach(function (t) { if (own.call(C.words, t) && named.indexOf(C.words[t]) < 0) named.push(C.words[t]); });
    named.forEach(function (cid) {
      raise("~" + cid, P.conceptWeight);
      (C.broader[cid] || []).forEach(function (b) { raise("~" + b, P.broaderWeight); });
    });
    var key = this.keyConcept(named);
    if (key) raise("~" + key, P.conceptWeight);
    /* The query names a topic the library does not know: enough of its characters that are not
       filler stand in leftover pieces no index word or concept explains. */
    var filler = {}, han = (q.match(/[\u4e00-\u9fff]+/g) || []).join("");
    for (var i = 0; i < P.fillerChars.length; i++) filler[P.fillerChars[i]] = true;
    var content = function (text) {
      var n = 0;
      for (var j = 0; j < text.length; j++) if (!filler[text[j]]) n++;
      return n;
    };
    var unseen = content(blind.map(function (g) { return uncovered(C.words, g, P.maxConceptWord); }).join(""));
    var unknown = unseen >= P.unknownMinChars && unseen >= P.unknownShare * content(han);
    return { terms: terms, order: order, filters: filters, han: han,
             concepts: named, full: fullWords, key: key, unknown: unknown };
  };

  /* The rarest concept of `named` that records hold and that is not too broad, else the rarest broader one. */
  Engine.prototype.keyConcept = function (named) {
    var C = this.concepts, P = this.plan, most = P.keyMaxShare * this.meta.nRecords;
    var narrow = function (c) { return Object.prototype.hasOwnProperty.call(C.df, c) && C.df[c] <= most; };
    var rarest = function (list) {
      var best = null;
      list.forEach(function (c) {
        if (narrow(c) && C.df[c] > 0 && (best === null || C.df[c] < C.df[best])) best = c;
      });
      return best;
    };
    var key = rarest(named), up = [];
    if (key) return key;
    named.forEach(function (c) { (C.broader[c] || []).forEach(function (b) { up.push(b); }); });
    return rarest(up);
  };

  /* {start, end, concept} of the registry words in `text`: the longest at each position, left to right. */
  function conceptSpans(words, text, maxWord) {
    var out = [], i = 0, n = text.length, own = Object.prototype.hasOwnProperty;
    while (i < n) {
      var step = 1;
      for (var j = Math.min(n, i + maxWord); j > i; j--) {
        if (own.call(words, text.slice(i, j))) {
          out.push({ start: i, end: j, concept: words[text.slice(i, j)] });
          step = j - i;
          break;
        }
      }
      i += step;
    }
    return out;
  }

  /* `text` without the registry words in it. */
  function uncovered(words, text, maxWord) {
    var keep = [], out = "";
    for (var i = 0; i < text.length; i++) keep.push(true);
    conceptSpans(words, text, maxWord).forEach(function (sp) { for (var k = sp.start; k < sp.end; k++) keep[k] = false; });
    for (var m = 0; m < text.length; m++) if (keep[m]) out += text[m];
    return out;
  }

  /* Ranked documents: a Promise of {items: [{doc, score}], terms}. */
  Engine.prototype.search = function (query, limit) {
    /* Iterate in the order words were added (Object.keys would put number-like
       words first), so sums are added in the same order as in Python. */
    var self = this, parsed = this.parse(query), terms = parsed.terms, names = parsed.order;
    var f = parsed.filters, nRecords = this.meta.nRecords, P = this.plan, F = this.F;
    var pseudo = f.place.map(function (p) { return "@" + p; })
      .concat(f.tag.map(function (t) { return "#" + t; }))
      .concat(f.tagBoost.map(function (t) { return "#" + t; }));
    return this.postings(names.concat(pseudo)).then(function (post) {
      var allow = null;
      var restrict = function (key) {
        var set = {};
        (post[key] || []).forEach(function (p) { set[p[0]] = true; });
        if (allow === null) allow = set;
        else for (var d in allow) if (!set[d]) delete allow[d];
      };
      f.place.forEach(function (p) { restrict("@" + p); });
      f.tag.forEach(function (t) { restrict("#" + t); });
      var scores = {}, hits = {}, required = 0, boost = {}, owns = {}, keyed = {};
      /* A very frequent word never answers a query on its own: when the query has a word
         that says something, only such words count towards an answer. */
      var telling = parsed.full.filter(function (w) { return !self.generic[w]; });
      if (!telling.length) telling = parsed.full;
      var ownWords = {};
      telling.forEach(function (w) { ownWords[w] = true; });
      var enough = Math.max(1, Math.ceil(P.directCover * telling.length));
      if (parsed.key) (post["~" + parsed.key] || []).forEach(function (p) { keyed[p[0]] = true; });
      names.forEach(function (t) { if (terms[t] >= P.fullWeight) required++; });
      f.tagBoost.forEach(function (t) { (post["#" + t] || []).forEach(function (p) { boost[p[0]] = (boost[p[0]] || 0) + 1; }); });
      names.forEach(function (t) {
        (post[t] || []).forEach(function (p) {
          scores[p[0]] = (scores[p[0]] || 0) + p[1] * terms[t];
          if (terms[t] >= P.fullWeight) hits[p[0]] = (hits[p[0]] || 0) + 1;
          if (ownWords[t] === true) owns[p[0]] = (owns[p[0]] || 0) + 1;
        });
      });
      if (!names.length && allow) for (var d in allow) scores[d] = 1;
      var ranked = [], full = false;
      for (var key in scores) {
        var id = +key;
        if (allow && (!allow[id] || id >= nRecords)) continue;
        var cover = required ? (hits[id] || 0) / required : 1;
        if (cover >= 1) full = true;
        /* Enough of the query's own words, none of it unknown, or the query's key concept: an answer. */
        var direct = !names.length || (!parsed.unknown && (keyed[id] === true || (owns[id] || 0) >= enough));
        var score = scores[id] * (P.coverBase + cover * cover) * (1 + P.tagBoost * (boost[id] || 0));
        ranked.push({ id: id, score: score * (1 + P.keyBoost * (keyed[id] === true ? 1 : 0)), direct: direct });
      }
      ranked.sort(function (a, b) { return b.score - a.score || a.id - b.id; });
      /* Titles typed whole rank first; check the best few candidates only. */
      limit = limit || P.limit;
      var pool = ranked.slice(0, Math.max(limit, P.pool));
      return self.docs(pool.map(function (r) { return r.id; })).then(function (docs) {
        pool.forEach(function (r, i) {
          r.doc = docs[i];
          var title = (docs[i][F.title] + " " + docs[i][F.aliases]).toLowerCase();
          if (parsed.han.length >= P.titleMinChars && title.indexOf(parsed.han) >= 0) {
            r.score *= P.titleBonus;
            r.direct = true;
          }
        });
        pool.sort(function (a, b) { return b.score - a.score || a.id - b.id; });
        var weighty = parsed.han.length >= P.honestMinChars || required > 0;
        var nothing = weighty && !pool.some(function (r) { return r.direct; });  /* an empty list too */
        return { items: pool.slice(0, nothing ? P.relatedMax : limit), terms: names,
                 total: nothing ? Math.min(ranked.length, P.relatedMax) : ranked.length, nothing: nothing,
                 partial: ranked.length > 0 && required > 0 && !full,
                 known: ranked.length > 0 || names.length > 0 };
      });
    });
  };

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

  /* Material rewrites the count line on every answer; put our notice back after it:
     how many cases the query finds in all (the 检索 page says the same number) and
     a link to the 检索 page, which lists them all, with place and tag choices. */
  var notice = null;  /* {text, total, shown, href} of the latest answer */
  function noticeText(n) {
    var more = n.total > n.shown ? "共 " + n.total + " 条，这里列出前 " + n.shown + " 条。" : "";
    return more + (n.text || "");
  }
  function showNotice() {
    var meta = document.querySelector(".md-search-result__meta");
    if (!meta) return;
    var box = meta.querySelector(".cb-search-notice");
    var input = document.querySelector(".md-search__input");
    if (!notice || !input || !input.value.trim()) { if (box) box.remove(); return; }
    var text = noticeText(notice);
    if (box && box.getAttribute("data-for") === notice.href + "|" + text) return;
    if (!box) { box = document.createElement("span"); box.className = "cb-search-notice"; meta.appendChild(box); }
    box.setAttribute("data-for", notice.href + "|" + text);
    box.textContent = text ? text + " " : "";
    if (notice.nothing) {
      box.classList.add("cb-search-nothing");
      elsewhere(notice.root).forEach(function (a) { box.appendChild(a); box.appendChild(document.createTextNode(" ")); });
    } else box.classList.remove("cb-search-nothing");
    if (notice.total && !notice.nothing) {
      var a = document.createElement("a");
      a.className = "cb-search-all";
      a.href = notice.href;
      a.textContent = "在检索页查看全部 " + notice.total + " 条";
      box.appendChild(a);
    }
  }
  new MutationObserver(showNotice).observe(document.documentElement, { childList: true, subtree: true, characterData: true });

  /* Remember the latest answer of the header box; showNotice puts it beside the result count. */
  function answered(query, result, root) {
    notice = { text: noticeFor(result), total: result.total || 0, shown: result.items.length,
               nothing: !!result.nothing, root: root,
               href: root + "search.html?q=" + encodeURIComponent(query.trim()) };
    showNotice();
  }

  /* Links to 常见难题 and the tags, for a question the library has nothing on. */
  function elsewhere(root) {
    return ELSEWHERE.map(function (x) {
      var a = document.createElement("a");
      a.href = root + x[0];
      a.className = "cb-search-elsewhere";
      a.textContent = x[1];
      return a;
    });
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
  SearchWorker.prototype.ready = function () {
    var self = this;
    if (!this.loading) {
      this.loading = (window.__casebook_index ? Promise.resolve() : loadScript(this.root + "search/casebook-index.js"))
        .then(function () {
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
        if (!query.trim()) return { items: [], terms: [], known: true, total: 0 };
        return self.engine.search(query, self.engine.plan.limit);
      }).then(function (result) {
        if (self.latest !== query) return;  /* drop stale answers */
        answered(query, result, self.root);
        self.emit({ type: MSG.RESULT, data: toMaterial(result, self.engine) });
      }, function (err) { console.error(err); });
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
