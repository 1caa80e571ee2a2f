"""Aims kept as aims: a statement that repeats what the article only pushes for (推动, 探索, 力争 …) must keep the aim word.

The article's 「推动各社区建设“网上党群服务中心”」 reports an effort; a statement
that says 「各社区建设网上党群服务中心」 reports it done. Run by
``casebook validate --sources`` (code ``aim-written-as-done``), with the word
lists ``aim_words``, ``aim_keeps`` and ``not_aim`` and the numbers
``aim_min_chars``, ``aim_share`` and ``aim_reach`` of ``cases/_registry/wording.yml``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from difflib import SequenceMatcher
from typing import Iterator

from . import model as m
from .figure_checks import normalise
from .load import Document, format_path
from .open_lists import in_article, mask, plain, sentence_runs
from .problems import Problem, problem
from .wording import quoted_terms, statements

_PHRASE_END = re.compile(r"[，,。；;！？!?：:\n]")
_CLAUSE = "，,：:"


@dataclass(frozen=True)
class Aim:
    """An aim word of the article and the phrase it governs (推动 + 各社区建设网上党群服务中心)."""

    word: str
    phrase: str


def aims(text: str, words: m.WordingFile) -> list[Aim]:
    """The aim words of ``text`` with the phrase each governs: the text after it up to the next ，。；：.

    An aim word inside a quoted name (建立“苗圃计划”培育基地) is part of the name.
    """
    text = normalise(text)
    masked = mask(text, words.not_aim + quoted_terms(text))
    found = sorted(words.aim_words, key=len, reverse=True)
    out = []
    for mt in re.finditer("|".join(map(re.escape, found)), masked):
        phrase = plain(_PHRASE_END.split(text[mt.end():])[0])
        if len(phrase) >= words.aim_min_chars:
            out.append(Aim(mt.group(), phrase))
    return list(dict.fromkeys(out))


def repeated(sentence: str, phrase: str, words: m.WordingFile) -> tuple[int, int]:
    """(start, length) of the part of the sentence that repeats what the phrase says, or (0, 0).

    A run of characters the two share (the longest that qualifies) counts when it is ``aim_min_chars`` long
    and either ends where the phrase ends (its verb or result: 相知相识, 建设…中心) or
    covers more than ``aim_share`` of the phrase; a noun from the middle (在职党员 of
    推动在职党员到社区报到) alone is not the aim.
    """
    blocks = SequenceMatcher(None, sentence, phrase, autojunk=False).get_matching_blocks()
    for mt in sorted(blocks, key=lambda b: -b.size):
        if mt.size >= words.aim_min_chars and (
                mt.b + mt.size == len(phrase) or mt.size > words.aim_share * len(phrase)):
            return mt.a, mt.size
    return 0, 0


def written_as_done(statement: str, evidence: tuple[str, ...], words: m.WordingFile,
                    hedged: bool = False) -> list[tuple[Aim, str]]:
    """(the article's aim, the part of the statement that repeats it) for each aim the statement drops.

    Dropped: the statement repeats the governed phrase (see :func:`repeated`) in a
    clause with no aim word or keep word (提出, 要, 目的, 可以 …), nor one within
    ``aim_reach`` characters before it (推动居民相知相识; 把…放在一起推进), nor the
    article's aim word anywhere before it in the sentence. With ``hedged``, a sentence written as a possibility or question (``hedges``: 可能,
    如果, 编者认为 …) is not read either: analysis, questions and key points reason.
    """
    found = list(dict.fromkeys(a for q in evidence for a in aims(q, words)))
    keeps = list(words.aim_words) + list(words.aim_keeps)
    out: list[tuple[Aim, str]] = []
    for raw in sentence_runs(normalise(statement)):
        if hedged and any(h in raw for h in words.hedges):
            continue
        sentence = plain(raw)
        masked = mask(sentence, words.not_aim)
        for aim in found:
            start, size = repeated(sentence, aim.phrase, words)
            part = sentence[start:start + size]
            if not size or any(a == aim for a, _ in out):
                continue
            clause_start = max(start - words.aim_reach, 0)
            clause_start = min(clause_start, max(sentence.rfind(c, 0, start) for c in _CLAUSE) + 1)
            ends = [j for j in (sentence.find(c, start + size) for c in _CLAUSE) if j >= 0]
            near = masked[clause_start:min(ends, default=len(sentence))]
            # the article's own aim word earlier in the sentence still governs (推进A建设，开展B行动等)
            if aim.word not in masked[:start] and not any(k in near for k in keeps):
                out.append((aim, part))
    return out


def check_aims(doc: Document, rec: m.Record, articles: list[str], words: m.WordingFile) -> Iterator[Problem]:
    """``aim-written-as-done`` for each statement that writes an aim of its evidence as done.

    ``articles`` are the normalised texts of all sources: an evidence quote is read with
    the rest of its clause, so an aim word just before the quote still counts. Titles
    are names, and the 来源说明 speaks about the article; neither is read.
    """
    if not words.aim_words:
        return
    for st in statements(rec):
        if st.kind == "note" or st.path == ("title",):
            continue
        evidence = tuple(dict.fromkeys(in_article(q, articles) for q in st.evidence))
        for aim, part in written_as_done(st.text, evidence, words, hedged=st.kind != "fact"):
            yield problem("aim-written-as-done", doc.display, doc.pos(st.path), format_path(st.path),
                          text=st.text[:30], part=part, word=aim.word, written=(aim.word + aim.phrase)[:30],
                          suggestion=f"原文是“{aim.word}……”：保留“{aim.word}”，或写成“提出要……”；"
                                     "原文另有一句写明已经做成，就把那一句加进证据")
