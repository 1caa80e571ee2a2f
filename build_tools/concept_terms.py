"""Governance concepts as search terms: published with the index, matched in queries, deciding what answers a query.

Both runtimes (``ranking.py`` for the command line, ``casebook-search.js`` in
the browser) run the same steps on the same published data:

- a record holds the pseudo-term ``~<concept id>`` for each of its concepts
  (:func:`build_tools.concepts.assign`), in the ``concepts`` field, or in
  ``conceptsImplied`` when only a narrower concept put it there; both weigh
  less than the record's own words (``PLAN["fieldBoosts"]``);
- a query names a concept when one of the concept's words stands in it, read
  left to right, the longest word first (:func:`match`), or when an everyday
  word of the lexicon leads to one of the concept's words; its broader
  concepts join with a lower weight;
- the query's *key concept* is the rarest concept it names that some record
  holds; a record answers the query directly when it holds the key concept,
  or when it has every word of the query (see ``ranking.rank``);
- a query whose words nothing in the library explains names an unknown topic
  (:func:`unknown`), except for a record holding enough of its meaningful
  words and concepts (:func:`known_to`).
"""

from __future__ import annotations

from typing import NamedTuple

from .concepts import concept_words

PREFIX = "~"  # concept pseudo-terms: ~jiceng-jianfu (places are @…, tags #…)


def term(cid: str) -> str:
    """The pseudo-term of a concept in both indexes."""
    return PREFIX + cid


def record_terms(assigned) -> tuple[list[str], list[str]]:
    """A record's concept pseudo-terms: (found in its text or added by an editor, implied by a narrower one)."""
    own = [term(a.concept) for a in assigned if a.how != "implied"]
    implied = [term(a.concept) for a in assigned if a.how == "implied"]
    return own, implied


def concept_meta(corpus) -> dict:
    """What the query side needs, published with the index: word → concept, broader concepts, records per concept."""
    concepts = corpus.registry.concepts
    held: dict[str, int] = {}
    for got in corpus.concepts().values():
        for a in got:
            held[a.concept] = held.get(a.concept, 0) + 1
    return {
        "words": concept_words(concepts),
        "broader": {c.id: list(c.broader) for c in concepts.values() if c.broader},
        "df": {cid: held.get(cid, 0) for cid in concepts},
    }


class Span(NamedTuple):
    """A registry word found in a text: where it starts and ends, and its concept."""

    start: int
    end: int
    concept: str


def spans(words: dict[str, str], text: str, max_word: int) -> list[Span]:
    """The registry words in ``text``: at each position the longest word, left to right."""
    out: list[Span] = []
    i, n = 0, len(text)
    while i < n:
        step = 1
        for j in range(min(n, i + max_word), i, -1):
            cid = words.get(text[i:j])
            if cid is not None:
                out.append(Span(i, j, cid))
                step = j - i
                break
        i += step
    return out


def match(words: dict[str, str], text: str, max_word: int) -> list[str]:
    """Concept ids named in ``text``, first mention first."""
    return list(dict.fromkeys(sp.concept for sp in spans(words, text, max_word)))


def leftovers(words: dict[str, str], text: str, max_word: int) -> list[str]:
    """The pieces of ``text`` between the registry words in it (what no concept explains)."""
    out, at = [], 0
    for sp in spans(words, text, max_word):
        out.append(text[at:sp.start])
        at = sp.end
    out.append(text[at:])
    return [p for p in out if p]


def key_concept(named: list[str], df: dict[str, int]) -> str | None:
    """The rarest concept of ``named`` that some record holds (the first on a tie), or None."""
    held = [c for c in named if df.get(c, 0) > 0]
    return min(held, key=lambda c: (df[c], named.index(c))) if held else None


def unknown(pieces: list[str], han: str, plan: dict) -> bool:
    """Whether a query names a topic the library does not know (the same test runs in casebook-search.js).

    It does when enough of its characters (not counting filler such as 的, 怎么, 没)
    stand in ``pieces`` that nothing in the library explains (``ranking`` finds them).
    """
    filler = set(plan["fillerChars"])
    n = sum(ch not in filler for p in pieces for ch in p)
    return n >= plan["unknownMinChars"] and n >= plan["unknownShare"] * sum(ch not in filler for ch in han)


def known_to(held: dict[int, int], owns: dict[int, int], n_records: int, plan: dict) -> set[int]:
    """Records that show the library knows a query's topic, whatever pieces of it nothing explains.

    A record does when it holds ``verdictEvidenceWords`` of the query's meaningful words (``owns``:
    record → how many it has, counted as ``ranking.rank`` counts them for an answer) and the concepts
    the query names (``held``: :func:`held_counts`), together (the same test runs in casebook-search.js).
    """
    evidence = dict(owns)
    for d, n in held.items():
        evidence[d] = evidence.get(d, 0) + n
    return {d for d, n in evidence.items() if n >= plan["verdictEvidenceWords"] and d < n_records}


def held_counts(postings: dict, named: list[str]) -> dict[int, int]:
    """How many of the concepts ``named`` each document holds (the same count runs in casebook-search.js)."""
    held: dict[int, int] = {}
    for cid in named:
        for d, _ in postings.get(term(cid), []):
            held[d] = held.get(d, 0) + 1
    return held
