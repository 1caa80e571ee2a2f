"""Reader-facing wording checked against the articles: no stronger than the evidence, no invented labels.

Run by ``casebook validate --sources`` with the word lists of
``cases/_registry/wording.yml``; :mod:`build_tools.review` shows the same
findings sentence by sentence. Each check yields problems with a stable code:

* ``stronger-than-evidence``: a strength word (建成, 全部, 一一对应 …) in a
  statement but not in its evidence;
* ``quoted-label-not-in-source``: a term in quotation marks that no article contains;
* ``note-working-words``: 来源说明 written as a working note (扫描稿, 本记录 …);
* ``thin-mismatch``: the ``thin`` mark disagrees with the rule;
* ``lesson-repeats-analysis``: a lesson says again what the analysis said, word for
  word or in other words (most of its content words already in one analysis item);
* ``effect-not-reported``: analysis, a lesson or a key point states an effect on
  people (认同感, 更愿意, 解决了 …) that neither the evidence nor its stretch of the
  article reports, and does not write it as a possibility.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Callable, Iterator

from . import model as m
from .figure_checks import normalise
from .load import Document, format_path
from .problems import Problem, problem

Cut = Callable[[str], list[str]]  # text → its words (the project's segmenter)

QUOTED = re.compile(r"“([^“”]{1,60})”|「([^「」]{1,60})」|『([^『』]{1,60})』")
_SENTENCE_END = re.compile(r"(?<=[。！？；!?;])")
_CLAUSE_END = re.compile(r"[，,：:；;。！？!?]")
_ARTICLE_END = "。！？!?"


@dataclass(frozen=True)
class Statement:
    """One reader-facing text of a record and the evidence it stands on."""

    path: tuple
    text: str
    evidence: tuple[str, ...]  # its own clauses; for unevidenced fields, every clause of the record
    own: bool  # whether the evidence is the statement's own (a claim) or the record's
    kind: str  # fact, key_point, question, analysis, note


def statements(rec: m.Record) -> list[Statement]:
    """Every reader-facing text of a record, in page order, with the evidence to read it against."""
    everything = tuple(dict.fromkeys(everything_evidence(rec)))
    out = [Statement(("title",), rec.title, everything, False, "fact"),
           Statement(("summary",), rec.summary, everything, False, "fact")]
    for name in ("background", "practices", "outcomes"):
        out += [Statement((name, i, "text"), c.text, tuple(c.evidence), True, "fact")
                for i, c in enumerate(getattr(rec, name))]
    out += [Statement(("structure", i), t, everything, False, "fact") for i, t in enumerate(rec.structure or [])]
    out += [Statement(("people", i, "said"), p.said, tuple(p.evidence), True, "fact")
            for i, p in enumerate(rec.people) if p.said]
    out += [Statement(("analysis", i), t, everything, False, "analysis") for i, t in enumerate(rec.analysis)]
    out += [Statement(("lessons", i), t, everything, False, "analysis") for i, t in enumerate(rec.lessons)]
    out += [Statement(("teaching", "questions", i), t, everything, False, "question")
            for i, t in enumerate(rec.teaching.questions)]
    out += [Statement(("teaching", "key_points", i), t, everything, False, "key_point")
            for i, t in enumerate(rec.teaching.key_points)]
    if rec.attribution_note:
        out.append(Statement(("attribution_note",), rec.attribution_note, everything, False, "note"))
    return [s for s in out if s.text]


def strength_words(text: str, words: m.WordingFile) -> list[str]:
    """The strength words in ``text``, leaving out those inside an ordinary longer word (均 in 平均)."""
    found = []
    for w in words.strength_words:
        masked = text
        for longer in words.not_strength.get(w, []):
            masked = masked.replace(longer, "□" * len(longer))
        if w in masked:
            found.append(w)
    # 全覆盖 contains no other listed word, but 每一 may sit inside 每一个: keep the longer one only
    return [w for w in found if not any(w != o and w in o for o in found)]


def stronger_words(st: Statement, words: m.WordingFile) -> list[str]:
    """Strength words of a statement that none of its evidence contains."""
    backed = strength_words("\n".join(st.evidence), words)
    return [w for w in strength_words(st.text, words) if w not in backed]


def quoted_terms(text: str) -> list[str]:
    """The terms a text puts in quotation marks (“…”, 「…」, 『…』)."""
    return [next(g for g in mt.groups() if g is not None) for mt in QUOTED.finditer(text)]


def labels_missing(text: str, articles: list[str]) -> list[str]:
    """Quoted terms of ``text`` found in none of the (normalised) articles."""
    def found(term: str) -> bool:  # a quotation with an ellipsis: each part must be in one article
        parts = [normalise(p) for p in re.split(r"…+|\.{3,}", term) if p.strip()]
        return any(all(p in a for p in parts) for a in articles)

    return [t for t in dict.fromkeys(quoted_terms(text)) if not found(t)]


def working_words(note: str, words: m.WordingFile) -> list[str]:
    """Working-note vocabulary in a 来源说明 (the standard scan sentences excepted)."""
    for s in words.scan_sentences:
        note = note.replace(s, "")
    return [w for w in words.working_words if w in note]


def computed_thin(rec: m.Record, rule: m.ThinRule) -> bool:
    """Thin by rule: few evidenced practices, or little evidence in all."""
    practices = sum(1 for c in rec.practices if c.evidence)
    clauses = {q for name in ("background", "practices", "outcomes", "people") for it in getattr(rec, name)
               for q in it.evidence} | {mt.evidence for mt in rec.metrics}
    return practices < rule.min_practices or sum(len(normalise(q)) for q in clauses) < rule.min_evidence_chars


def sentences(text: str) -> list[str]:
    """A text cut into sentences at 。！？； (each keeps its mark)."""
    return [s.strip() for s in _SENTENCE_END.split(text) if s.strip()]


def _bigrams(text: str) -> set[str]:
    t = re.sub(r"[\W_]+", "", normalise(text))
    return {t[i:i + 2] for i in range(len(t) - 1)}


def similarity(a: str, b: str) -> float:
    """Character-bigram Jaccard of two sentences (punctuation ignored)."""
    x, y = _bigrams(a), _bigrams(b)
    return len(x & y) / len(x | y) if x and y else 0.0


def said_before(lesson: str, analysis: str, words: m.WordingFile, cut: Cut) -> list[str]:
    """The content words of a lesson sentence that already stand in an analysis text (characters, not cuts)."""
    ignore = set(words.repeat_ignore)
    return [w for w in content_words(lesson, ignore, cut) if w in analysis]


def content_words(text: str, ignore: set[str], cut: Cut) -> list[str]:
    """The words of ``text`` that carry content: two characters or more, not listed in ``ignore``."""
    return [w for w in dict.fromkeys(cut(text)) if len(w) >= 2 and w not in ignore]


def repeats(rec: m.Record, words: m.WordingFile, cut: Cut | None = None) -> list[tuple[int, int, str, str]]:
    """(lesson index, analysis index, why, lesson sentence) for each lesson that repeats the analysis.

    Word for word: a sentence pair whose character bigrams overlap by ``repeat_threshold``.
    In other words (with ``cut``): at least ``repeat_min_words`` content words of the lesson
    sentence, and ``repeat_word_share`` of them, stand in one analysis item; a sentence that
    says how to do it elsewhere or what the report wrote (``repeat_skip``) is not compared so.
    """
    out = []
    for i, lesson in enumerate(rec.lessons):
        best = max(((similarity(ls, an), j, ls) for j, a in enumerate(rec.analysis)
                    for an in sentences(a) for ls in sentences(lesson)), default=None)
        if best and best[0] >= words.repeat_threshold:
            out.append((i, best[1], f"字面重合度 {best[0]:.2f}", best[2]))
            continue
        if cut is None:
            continue
        ignore = set(words.repeat_ignore)
        for ls in sentences(lesson):
            # Content words found in an analysis item bring their bigrams with them: a sentence
            # sharing fewer bigrams with every item cannot reach the bar, and is not cut at all.
            if any(k in ls for k in words.repeat_skip) or max(
                    (len(_bigrams(ls) & _bigrams(a)) for a in rec.analysis), default=0) < words.repeat_min_words // 2:
                continue
            own = content_words(ls, ignore, cut)
            found = max(((said_before(ls, a, words, cut), j) for j, a in enumerate(rec.analysis)),
                        key=lambda x: len(x[0]), default=([], 0))
            if own and len(found[0]) >= words.repeat_min_words and len(found[0]) / len(own) >= words.repeat_word_share:
                out.append((i, found[1], f"{len(found[0])}/{len(own)} 个实词已在那里出现：{'、'.join(found[0])}", ls))
                break
    return out


def evidence_passage(rec: m.Record, articles: list[str]) -> str:
    """The stretch of each article that the record's evidence comes from, cut at sentence ends.

    An effect reported there (村民很满意) may be cited by the record's reasoning even
    when no evidence clause quotes it; the rest of the article belongs to other cases.
    """
    quotes = {normalise(q) for name in ("background", "practices", "outcomes", "people")
              for it in getattr(rec, name) for q in it.evidence} | {normalise(mt.evidence) for mt in rec.metrics}
    out = []
    for a in articles:
        spans = [(i, i + len(q)) for q in quotes if q and (i := a.find(q)) >= 0]
        if not spans:
            continue
        start, end = min(x for x, _ in spans), max(y for _, y in spans)
        start = max(a.rfind(ch, 0, start) for ch in _ARTICLE_END) + 1
        ends = [j for j in (a.find(ch, end) for ch in _ARTICLE_END) if j >= 0]
        out.append(a[start:(min(ends) + 1 if ends else len(a))])
    return "\n".join(out)


def unreported_effects(sentence: str, backed: str, words: m.WordingFile) -> list[str]:
    """Effect words that ``sentence`` states as this case's fact while ``backed`` (evidence, passage) lacks them.

    Not flagged: a sentence written as a possibility (a hedge), a general rule (a general
    marker), and an effect named as lacking in its clause (难以让各方都满意: the problem).
    """
    if any(h in sentence for h in words.hedges) or any(g in sentence for g in words.general_markers):
        return []
    found = []
    for w in words.effect_words:
        if w in backed or any(w != o and w in o for o in words.effect_words if o in sentence):
            continue  # reported, or part of a longer listed word (更容易 holds 容易 only as itself)
        for mt in re.finditer(re.escape(w), sentence):
            clause = _CLAUSE_END.split(sentence[:mt.start()])[-1]
            for ok in words.not_lacks:
                clause = clause.replace(ok, "□" * len(ok))
            if not any(lack in clause for lack in words.lacks):
                found.append(w)
                break
    return found


def everything_evidence(rec: m.Record) -> list[str]:
    """Every evidence clause of a record (claims and figures), in page order."""
    return [q for name in ("background", "practices", "outcomes", "people") for it in getattr(rec, name)
            for q in it.evidence] + [mt.evidence for mt in rec.metrics]


def check_wording(doc: Document, rec: m.Record, articles: list[str], words: m.WordingFile,
                  cut: Cut | None = None) -> Iterator[Problem]:
    """The wording warnings for one record; ``articles`` are the normalised texts of all sources.

    ``cut`` (the project's segmenter) lets the repeat check see a lesson that says the
    analysis again in other words; without it only near-verbatim repeats are found.
    """
    f = doc.display
    for st in statements(rec):
        where = format_path(st.path)
        # A question sets a scene in its own words (假设你是…, 居民说“…”): neither check reads it.
        if st.kind in ("fact", "key_point"):
            for w in stronger_words(st, words):
                yield problem("stronger-than-evidence", f, doc.pos(st.path), where, word=w, text=st.text[:40],
                              suggestion=("照证据原文的说法写（如“加快建设”不写成“建成”，“探索建立”不写成已经建立）；"
                                          "原文确有此意，就把说这话的原文短句加进证据" if st.own else
                                          "这一栏没有自己的证据：照记录中证据原文的说法写，或删去这个词"))
        if st.kind in ("fact", "key_point", "analysis"):
            for term in labels_missing(st.text, articles):
                yield problem("quoted-label-not-in-source", f, doc.pos(st.path), where, term=term,
                              suggestion="引号表示原文自己的叫法：改用原文的写法，或去掉引号写成编者的概括")
    if rec.attribution_note:
        found = working_words(rec.attribution_note, words)
        if found:
            yield problem("note-working-words", f, doc.pos(("attribution_note",)), "attribution_note",
                          words="、".join(found),
                          suggestion="写给村（社区）书记看：原文说了什么、没说什么；扫描稿缺陷只用一句标准说法，如「"
                                     + words.scan_sentences[0] + "」；不写字段名、“本记录”和归档考虑")
        for term in labels_missing(rec.attribution_note, articles):
            yield problem("quoted-label-not-in-source", f, doc.pos(("attribution_note",)), "attribution_note",
                          term=term, suggestion="引号表示原文自己的叫法：改用原文的写法，或去掉引号")
    thin = computed_thin(rec, words.thin)
    # The mark cannot be forgotten where the rule calls a record thin; an editor may still mark
    # one the rule lets pass (an article passage that is one scene, however long its sentences).
    if thin and not rec.thin:
        rule = words.thin
        yield problem("thin-mismatch", f, doc.pos(("thin",)), "thin", marked="true" if rec.thin else "false",
                      computed="true" if thin else "false", practices=rule.min_practices,
                      chars=rule.min_evidence_chars,
                      suggestion="把 thin 改为 true，或补足有证据的做法")
    for i, j, why, ls in repeats(rec, words, cut):
        yield problem("lesson-repeats-analysis", f, doc.pos(("lessons", i)), f"lessons[{i}]", other=f"analysis[{j}]",
                      why=why, text=ls[:30],
                      suggestion="经验启示要说分析之外的东西（可迁移的做法、前提条件）：改写或删去这一句")
    backed = "\n".join(dict.fromkeys(everything_evidence(rec))) + "\n" + evidence_passage(rec, articles)
    reasoning = [(("analysis", i), t) for i, t in enumerate(rec.analysis)]
    reasoning += [(("lessons", i), t) for i, t in enumerate(rec.lessons)]
    reasoning += [(("teaching", "key_points", i), t) for i, t in enumerate(rec.teaching.key_points)]
    for path, text in reasoning:
        for sent in sentences(text):
            found = unreported_effects(sent, backed, words)
            if found:
                yield problem("effect-not-reported", f, doc.pos(path), format_path(path), word="”“".join(found),
                              text=sent[:40],
                              suggestion="写成可能：“编者认为，这可能让……”，或写明“报道没有写效果”；"
                                         "报道写到了这个效果，就把写效果的原文短句加进记录的证据")
