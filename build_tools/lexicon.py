"""The everyday-words lexicon (cases/_registry/lexicon.yml): checked like the tags registry.

Cadres describe problems in their own words (太累, 派活, 小哥); the lexicon
maps those words to the official terms and tags the records use. Search in
both runtimes expands a query with it, related records take it into account,
and its ``common_problems`` make the 常见难题 page.
"""

from __future__ import annotations

from typing import Iterable, Iterator

from . import model as m
from .load import Document
from .problems import Problem, problem


def check_lexicon(doc: Document, lex: m.LexiconFile, tags: dict[str, m.Tag], suggest) -> Iterator[Problem]:
    """Unknown tags (with a suggestion) and words listed twice, in a lexicon whose shape is checked."""
    lookup = {t.name: t.slug for t in tags.values()}
    first: dict[str, int] = {}
    for i, entry in enumerate(lex.entries):
        for j, slug in enumerate(entry.tags):
            if slug not in tags:
                path = ("entries", i, "tags", j)
                yield problem("unknown-tag", doc.display, doc.pos(path), f"entries[{i}].tags[{j}]", value=slug,
                              suggestion=suggest(slug, tags, lookup) or "可用的标签见 cases/_registry/tags.yml")
        for j, word in enumerate(entry.words):
            path = ("entries", i, "words", j)
            if word in first:
                yield problem("duplicate-lexicon-word", doc.display, doc.pos(path), f"entries[{i}].words[{j}]",
                              value=word, other=first[word], suggestion="一个说法只放在一个条目里")
            else:
                first[word] = doc.pos(path)[0]


def check_terms_used(doc: Document, lex: m.LexiconFile, texts: Iterable[str]) -> Iterator[Problem]:
    """Every official term must occur in some record, or expanding to it finds nothing."""
    corpus_text = "\n".join(texts)
    for i, entry in enumerate(lex.entries):
        for j, term in enumerate(entry.terms):
            if term not in corpus_text:
                yield problem("lexicon-term-unused", doc.display, doc.pos(("entries", i, "terms", j)),
                              f"entries[{i}].terms[{j}]", value=term,
                              suggestion="改用案例正文里的说法，或删去")


def lexicon_map(lex: m.LexiconFile | None) -> dict[str, dict[str, list[str]]]:
    """Everyday word → {"terms": [...], "tags": [...]} (the form both search runtimes read)."""
    out: dict[str, dict[str, list[str]]] = {}
    for entry in (lex.entries if lex else []):
        for w in entry.words:
            out.setdefault(w, {"terms": list(entry.terms), "tags": list(entry.tags)})
    return out


def record_text(rec: m.Record) -> str:
    """The text of a record that lexicon terms may point at."""
    claims = [*rec.background, *rec.practices, *rec.outcomes]
    return "\n".join([rec.title, rec.summary, *rec.aliases, *rec.problems, *(c.text for c in claims),
                      *rec.analysis, *rec.lessons])
