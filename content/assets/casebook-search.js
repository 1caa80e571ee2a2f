/*
 * 基层治理案例库 · 站内检索：检索引擎
 *
 * The browser's half of the one ranking plan (build_tools/ranking.py runs the
 * same steps for the command line): loads the compact index's shards with
 * <script> tags (which work from file://), segments queries against the index
 * vocabulary by dynamic programming, names concepts, ranks and says whether the
 * library answers the query. Every constant comes from meta.plan.
 * casebook-search-worker.js puts it behind Material's search box.
 */
(function () {
  "use strict";

  var loadScript = window.CasebookCore.loadScript;
  var PAIR = 2;  /* postings are flat [gap, weight] pairs: the index's format, not a ranking choice */
  /* Numbers packed by build_tools.index.pack_numbers: a digit below D.last ends a number, those before it carry its quotient. */
  function unpack(raw, D) {
    for (var out = [], high = 0, i = 0; i < raw.length; i++) {
      var d = D.digits.indexOf(raw[i]);
      if (d < D.last) { out.push(high * D.last + d); high = 0; } else high = high * (D.digits.length - D.last) + d - D.last;
    }
    return out;
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
    this.titleMasks = unpack(meta.titleMasks, meta.packing);
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
    for (var i = 0; i < term.length; i++) h = Math.imul(h ^ term.charCodeAt(i), this.meta.hash.prime) >>> 0;
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
    var self = this, shards = {}, scale = this.plan.weightScale, D = this.meta.packing;
    terms.forEach(function (t) { shards[self.shardOf(t)] = true; });
    return Promise.all(Object.keys(shards).map(function (n) { return self.load("t", n); })).then(function () {
      var out = {};
      terms.forEach(function (t) {
        var data = shardWaiters["t" + self.shardOf(t)].data, raw = data && data[t], list = [], doc = 0;
        if (!raw) return;  /* gap, weight × scale, … packed (build_tools.index.pack_postings) */
        for (var i = 0, n = unpack(raw, D); i + 1 < n.length; i += PAIR) { doc += n[i]; list.push([doc, n[i + 1] / scale]); }
        out[t] = list;
      });
      return out;
    });
  };

  /* Fetch the documents of `rows` ({id} objects) and call `each(row)` once a row's document is in `row.doc`.
     With `lead`, the first `lead` rows' shards are asked for before the others: twenty-odd files asked for
     together from file:// all come at about the same time, later than a few alone. */
  Engine.prototype.fetchDocs = function (rows, each, lead) {
    var self = this, per = this.meta.docsPerShard;
    var fetch = function (part) {
      var shards = [], rowsOf = {};
      part.forEach(function (r) {
        var n = self.docShard(r.id);
        if (!rowsOf[n]) { rowsOf[n] = []; shards.push(n); }
        rowsOf[n].push(r);
      });
      return Promise.all(shards.map(function (n) {
        return self.load("d", n).then(function (data) {
          rowsOf[n].forEach(function (r) { r.doc = data[r.id % per]; each(r); });
        });
      }));
    };
    if (!lead) return fetch(rows);
    return fetch(rows.slice(0, lead)).then(function () { return fetch(rows.slice(lead)); });
  };

  Engine.prototype.docShard = function (id) { return Math.floor(id / this.meta.docsPerShard); };
  /* Whether the text of every row is here already (nothing to wait for). */
  Engine.prototype.haveDocs = function (rows) {
    var self = this;
    return rows.every(function (r) { var w = shardWaiters["d" + self.docShard(r.id)]; return !!(w && w.data); });
  };

  Engine.prototype.has = function (w) { return this.inVocab[w] === true; };

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
    var full = P.fullWeight, reached = [], fullWords = [];
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
          (g.length >= P.minGap ? self.expand(g, P.expandLimit) : []).forEach(function (w) { add(w, P.gapWeight); });
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
    /* What no concept word, record word or lexicon word explains (ranking.py _unexplained): concept
       words first, then the rest segmented again; leftovers the index cannot complete are unexplained,
       and so are words only the guide pages use, once their postings show it (see search). */
    var unseen = [], probe = [];
    parts.forEach(function (part) {
      if (!/^[\u4e00-\u9fff]+$/.test(part) || own.call(self.placeWords, part)) return;
      leftovers(C.words, part, P.maxConceptWord).forEach(function (piece) {
        var seg = self.segmentHan(piece);
        seg.gaps.forEach(function (g) { if (g.length < P.minGap || !self.expand(g, 1).length) unseen.push(g); });
        seg.words.forEach(function (w) {
          if (!own.call(self.lexicon, w) && !self.synonymOf[w] && !own.call(self.placeWords, w)) probe.push(w);
        });
      });
    });
    return { terms: terms, order: order, filters: filters, han: (q.match(/[\u4e00-\u9fff]+/g) || []).join(""),
             concepts: named, full: fullWords, key: key, unseen: unseen, probe: probe };
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

  /* The pieces of `text` between the registry words in it (concept_terms.leftovers). */
  function leftovers(words, text, maxWord) {
    var out = [], at = 0;
    conceptSpans(words, text, maxWord).forEach(function (sp) { out.push(text.slice(at, sp.start)); at = sp.end; });
    out.push(text.slice(at));
    return out.filter(function (p) { return p.length > 0; });
  }

  /* The query names a topic the library does not know (concept_terms.unknown): enough of its
     characters that are not filler stand in pieces nothing in the library explains. */
  function unknownTopic(pieces, han, P) {
    var filler = {}, content = function (text) {
      var n = 0;
      for (var j = 0; j < text.length; j++) if (!filler[text[j]]) n++;
      return n;
    };
    for (var i = 0; i < P.fillerChars.length; i++) filler[P.fillerChars[i]] = true;
    var unseen = content(pieces.join(""));
    return unseen >= P.unknownMinChars && unseen >= P.unknownShare * content(han);
  }

  /* Ranked documents: a Promise of {items: [{doc, score}], terms, total, shown, …}. When the documents take a
     while, `early` (optional) hears first the leading plan.earlyShown results, in their final order, with the final
     total and shown counts. */
  Engine.prototype.search = function (query, limit, early) {
    /* Iterate in the order words were added (Object.keys would put number-like
       words first), so sums are added in the same order as in Python. */
    var self = this, parsed = this.parse(query), terms = parsed.terms, names = parsed.order;
    var f = parsed.filters, nRecords = this.meta.nRecords, P = this.plan, F = this.F;
    var pseudo = f.place.map(function (p) { return "@" + p; })
      .concat(f.tag.map(function (t) { return "#" + t; }))
      .concat(f.tagBoost.map(function (t) { return "#" + t; }));
    return this.postings(names.concat(pseudo, parsed.probe)).then(function (post) {
      var inRecords = function (w) { return (post[w] || []).some(function (p) { return p[0] < nRecords; }); };
      var dead = parsed.probe.filter(function (w) { return !inRecords(w); });
      var unknown = unknownTopic(parsed.unseen.concat(dead), parsed.han, P);
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
         that says something, only such words count towards an answer; nor does a word no record
         holds (the unknown-topic test counts it). A record holds a word when it has it or a
         thesaurus synonym of it (ranking.rank). */
      var held = parsed.full.filter(inRecords);
      var telling = held.filter(function (w) { return !self.generic[w]; });
      if (!telling.length) telling = held.length ? held : parsed.full;
      var enough = Math.max(1, Math.ceil(P.directCover * telling.length));
      telling.forEach(function (w) {
        var holds = {};
        [w].concat((self.synonymOf[w] || []).filter(function (x) { return terms[x] !== undefined; })).forEach(function (t) {
          (post[t] || []).forEach(function (p) { holds[p[0]] = true; });
        });
        for (var h in holds) owns[h] = (owns[h] || 0) + 1;
      });
      if (parsed.key) (post["~" + parsed.key] || []).forEach(function (p) { keyed[p[0]] = true; });
      /* How many of the concepts the query names each record holds (concept_terms.held_counts): a record
         holding more of them answers more of it, and they count as evidence that the topic is known. */
      var several = parsed.concepts.length > 1, conceptsHeld = {};
      if (several || unknown) parsed.concepts.forEach(function (c) {
        (post["~" + c] || []).forEach(function (p) { conceptsHeld[p[0]] = (conceptsHeld[p[0]] || 0) + 1; });
      });
      names.forEach(function (t) { if (terms[t] >= P.fullWeight) required++; });
      f.tagBoost.forEach(function (t) { (post["#" + t] || []).forEach(function (p) { boost[p[0]] = (boost[p[0]] || 0) + 1; }); });
      names.forEach(function (t) {
        (post[t] || []).forEach(function (p) {
          scores[p[0]] = (scores[p[0]] || 0) + p[1] * terms[t];
          if (terms[t] >= P.fullWeight) hits[p[0]] = (hits[p[0]] || 0) + 1;
        });
      });
      if (!names.length && allow) for (var d in allow) scores[d] = 1;
      /* Records holding enough of the query's meaningful words and concepts show the topic is known
         (concept_terms.known_to), whatever pieces of the query nothing explains. */
      var evidence = {}, known = function (id) { return id < nRecords && (evidence[id] || 0) >= P.verdictEvidenceWords; };
      if (unknown) {
        for (var o in owns) evidence[o] = owns[o];
        for (var h in conceptsHeld) evidence[h] = (evidence[h] || 0) + conceptsHeld[h];
      }
      var ranked = [], full = false;
      for (var key in scores) {
        var id = +key;
        if (allow && (!allow[id] || id >= nRecords)) continue;
        var cover = required ? (hits[id] || 0) / required : 1;
        if (cover >= 1) full = true;
        /* Enough of the query's own words, none of it unknown (or the record shows the topic is known),
           or the query's key concept: an answer. */
        var direct = !names.length || ((!unknown || known(id)) && (keyed[id] === true || (owns[id] || 0) >= enough));
        var score = scores[id] * (P.coverBase + cover * cover) * (1 + P.tagBoost * (boost[id] || 0));
        score = score * (1 + P.keyBoost * (keyed[id] === true ? 1 : 0));
        if (several) score *= 1 + P.conceptCover * ((conceptsHeld[id] || 0) / parsed.concepts.length);
        ranked.push({ id: id, score: score, direct: direct });
      }
      var order = function (a, b) { return b.score - a.score || a.id - b.id; };
      ranked.sort(order);
      /* Titles typed whole rank first: the best few candidates are checked, fetching the text of those whose
         title may hold every character of the query (build_tools.index.title_masks) and of the results shown. */
      limit = limit || P.limit;
      var pool = ranked.slice(0, Math.max(limit, P.pool)), want = 0, titled = parsed.han.length >= P.titleMinChars;
      for (var c = 0; c < parsed.han.length; c++) want |= 1 << (parsed.han.charCodeAt(c) % self.meta.titleBits);
      var maybe = function (r) { return titled && (self.titleMasks[r.id] & want) === want; };
      var shown = Math.max(limit, P.relatedMax), need = pool.filter(function (r, i) { return i < shown || maybe(r); });
      /* A record's score once its title is checked is at most its bound; the first few in order of bounds
         are settled, and shown early, once each of them is checked and no other can pass them. */
      var waiting = need.length, sent = !early || ranked.length <= P.earlyShown || self.haveDocs(need);
      var bound = function (r) { return r.doc || !maybe(r) ? r.score : r.score * P.titleBonus; };
      var byBound = function (a, b) { return bound(b) - bound(a) || a.id - b.id; };
      var weighty = parsed.han.length >= P.honestMinChars || required > 0;
      var answer = function (items, nothing) {
        return { items: items, terms: names, total: nothing ? Math.min(ranked.length, P.relatedMax) : ranked.length,
                 nothing: nothing, partial: ranked.length > 0 && required > 0 && !full,
                 known: ranked.length > 0 || names.length > 0, shown: nothing ? items.length : Math.min(limit, ranked.length) };
      };
      var arrived = function (r) {
        var title = (r.doc[F.title] + " " + r.doc[F.aliases]).toLowerCase();
        if (titled && title.indexOf(parsed.han) >= 0) { r.score *= P.titleBonus; r.direct = true; }
        if (--waiting === 0 || sent) return;
        var lead = pool.slice().sort(byBound).slice(0, P.earlyShown);
        if (lead.every(function (x) { return x.doc; }) && (!weighty || lead.some(function (x) { return x.direct; }))) {
          sent = true;
          early(answer(lead, false));
        }
      };
      return self.fetchDocs(need.slice().sort(byBound), arrived, sent ? 0 : P.earlyShown).then(function () {
        pool.sort(order);
        var nothing = weighty && !pool.some(function (r) { return r.direct; });  /* an empty list too */
        return answer(pool.slice(0, nothing ? P.relatedMax : limit), nothing);
      });
    });
  };

  window.CasebookEngine = Engine;
})();
