"""The article sentences a person reads to confirm a 「报道没有……」 claim, and the claims with none to read.

A claim in concrete words (原文没有说明党支部书记由谁担任) is matched by
the bigrams it shares with article sentences. A claim in abstract words
(报道没有把两者连起来, 报道没有写效果) shares nothing with the article:
its concrete words are taken from its own sentence and what the same text
says before it (the two practices before 两者), and for an effect the sentences near the
practice's name that hold result words (累计, 实现, 好评 …) are listed too.
A claim left with no sentence at all is marked for a person to read the article.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Callable

from . import model as m
from .figure_checks import normalise
from .segment import GENERIC, STOP
from .wording import quoted_terms

Cut = Callable[[str], list[str]]  # text → its words (the project's segmenter)
Freq = Callable[[str], int]  # word → how common it is in general Chinese (jieba's dictionary)

# Words of an absence claim that say nothing about its subject.
_FILLER = re.compile(r"原文|报道|没有|未|说明|写|提到|介绍|具体|也|和|及|与|的|是|如何|怎样|哪些|什么|给出|列出|交代|其|该|这|些")
_ARTICLE_SENTENCE = re.compile(r"(?<=[。！？!?；;])|\n+")
# The claim's own verb, so that 报道没有写蠡桥社区 is not cut into 写蠡桥.
_CLAIM_VERB = re.compile(r"(原文|报道)(没有|未)(写到|写|说明|说|提到|提|交代|给出|列出|介绍|把)?")
_CLAIM_SENTENCE = re.compile(r"(?<=[。；;！？])")


@dataclass
class Candidate:
    """An article sentence that shares key words with an absence claim."""

    sentence: str
    shared: list[str]


@dataclass
class Absence:
    """A 「原文没有……」 claim and the article sentences a person should read before trusting it."""

    claim: str
    candidates: list[Candidate] = field(default_factory=list)
    keys: list[str] = field(default_factory=list)  # the concrete words looked for, when the claim is abstract
    results: list[Candidate] = field(default_factory=list)  # result sentences near the practice, for an effect
    unchecked: bool = False  # no article sentence to check against: a person must read the article


def _bigrams(text: str) -> set[str]:
    t = re.sub(r"[\W_]+", " ", _FILLER.sub(" ", normalise(text)))
    return {w[i:i + 2] for w in t.split() for i in range(len(w) - 1)}


def absence_claims(text: str, markers: list[str]) -> list[str]:
    """The sentences of ``text`` that say the article lacks something (原文没有说明……)."""
    return [s for s in _CLAIM_SENTENCE.split(text) if s.strip() and any(mk in s for mk in markers)]


def article_sentences(article: str) -> list[str]:
    """The article cut into sentences (at 。！？； and line breaks), very short ones and repeats left out."""
    return list(dict.fromkeys(s.strip() for s in _ARTICLE_SENTENCE.split(article) if len(s.strip()) >= 6))


def candidates(claim: str, article: str, limit: int = 3) -> list[Candidate]:
    """Article sentences sharing at least two key-word bigrams with the claim, best first."""
    keys = _bigrams(claim)
    scored = []
    for s in article_sentences(article):
        shared = sorted(keys & _bigrams(s))
        if len(shared) >= 2:
            scored.append((len(shared), s, shared))
    scored.sort(key=lambda x: -x[0])
    return [Candidate(s, shared) for _, s, shared in scored[:limit]]


def concrete_words(text: str, words: m.WordingFile, cut: Cut, freq: Freq, within: str, most: int = 6) -> list[str]:
    """The words of ``text`` that name things and stand in ``within`` (the article): quoted terms, then the rarest.

    Rare words (蠡桥, 网格, 帮带) name the practice; common ones (那样, 标准) match any sentence,
    and a word the article does not hold cannot point to one of its sentences.
    """
    skip = set(words.absence_abstract) | set(words.repeat_ignore) | GENERIC | STOP
    text = _CLAIM_VERB.sub("，", normalise(text))
    quoted = [normalise(t) for t in quoted_terms(text)]
    plain = [w for w in dict.fromkeys(cut(text)) if len(w) >= 2 and re.fullmatch(r"\w+", w) and w not in skip
             and not any(w in q for q in quoted) and w in within]
    return list(dict.fromkeys([q for q in quoted if q in within] + sorted(plain, key=freq)[:most]))


def _holding(keys: list[str], sentences: list[str], least: int, limit: int) -> list[Candidate]:
    scored = []
    for s in sentences:
        shared = [k for k in keys if k in normalise(s)]
        if len(shared) >= least:
            scored.append((len(shared), s, shared))
    scored.sort(key=lambda x: -x[0])
    return [Candidate(s, shared) for _, s, shared in scored[:limit]]


def result_sentences(names: list[str], sentences: list[str], words: m.WordingFile, limit: int = 3) -> list[Candidate]:
    """Sentences with a result word (累计, 实现, 好评 …) that name the practice or follow the one that does."""
    out = []
    for i, s in enumerate(sentences):
        near = " ".join(normalise(x) for x in sentences[max(0, i - 1):i + 1])
        named = [n for n in names if n in near]
        said = [w for w in words.result_words if w in s]
        if named and said:
            out.append(Candidate(s, named + said))
    return out[:limit]


def check_absence(claim: str, before: str, article: str, title: str, words: m.WordingFile, cut: Cut,
                  freq: Freq) -> Absence:
    """The sentences to read for one claim; ``before`` is what the same text says before it.

    A claim in abstract words, or one whose key words no article sentence shares, is
    looked up by the concrete words of the claim and ``before``; for an effect (效果,
    成效 …) the practice's name is the quoted terms there and the claim's own words,
    else the title's words.
    """
    found = Absence(claim, candidates(claim, article))
    if not found.candidates or any(w in claim for w in words.absence_abstract):
        sentences, whole = article_sentences(article), normalise(article)
        found.keys = concrete_words(before + claim, words, cut, freq, whole)
        least = 1 if len(found.keys) == 1 else 2
        extra = [c for c in _holding(found.keys, sentences, least, 3)
                 if c.sentence not in {x.sentence for x in found.candidates}]
        found.candidates = (extra + found.candidates)[:3]
        if any(w in claim for w in words.absence_effects):
            names = list(dict.fromkeys([normalise(t) for t in quoted_terms(before + claim)]
                                       + concrete_words(claim, words, cut, freq, whole))) or concrete_words(
                title, words, cut, freq, whole)
            found.results = result_sentences(names, sentences, words)
    found.unchecked = not found.candidates and not found.results
    return found


def claims_in(text: str, article: str, title: str, words: m.WordingFile, cut: Cut, freq: Freq) -> list[Absence]:
    """Every absence claim of one reader-facing text, each with the sentences to read."""
    sentences = [s for s in _CLAIM_SENTENCE.split(text) if s.strip()]
    out = []
    for i, s in enumerate(sentences):
        if any(mk in s for mk in words.absence_markers):
            out.append(check_absence(s, "".join(sentences[:i]), article, title, words, cut, freq))
    return out
