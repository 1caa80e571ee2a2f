"""A second reader's sheet for one record: each reader-facing sentence next to its evidence, differences marked.

Built on the same checks as ``casebook validate --sources`` (the figures rule
and the wording checks); adds, for every 「原文没有……」 claim, the article's
sentences that share the claim's key words, so a person can confirm it.
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass, field
from pathlib import Path

from .figure_checks import normalise
from .figures import figure_text, role_label
from .load import format_path
from .problems import Problem
from .validate import Validation
from .wording import statements

# Words of an absence claim that say nothing about its subject.
_FILLER = re.compile(r"原文|报道|没有|未|说明|写|提到|介绍|具体|也|和|及|与|的|是|如何|怎样|哪些|什么|给出|列出|交代|其|该|这|些")
_ARTICLE_SENTENCE = re.compile(r"(?<=[。！？!?；;])|\n+")


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


@dataclass
class Line:
    """One reader-facing text of the record with its evidence and what a second reader should look at."""

    field: str
    line: int
    text: str
    evidence: list[str]
    own_evidence: bool
    marks: list[str] = field(default_factory=list)  # findings of the checks, in words
    absences: list[Absence] = field(default_factory=list)


@dataclass
class Sheet:
    """The review of one record."""

    id: str
    title: str
    file: str
    lines: list[Line]

    def as_dict(self) -> dict:
        return asdict(self)

    @property
    def marked(self) -> int:
        return sum(1 for ln in self.lines if ln.marks or ln.absences)


def _bigrams(text: str) -> set[str]:
    t = re.sub(r"[\W_]+", " ", _FILLER.sub(" ", normalise(text)))
    return {w[i:i + 2] for w in t.split() for i in range(len(w) - 1)}


def absence_claims(text: str, markers: list[str]) -> list[str]:
    """The sentences of ``text`` that say the article lacks something (原文没有说明……)."""
    return [s for s in re.split(r"(?<=[。；;！？])", text) if s.strip() and any(mk in s for mk in markers)]


def candidates(claim: str, article: str, limit: int = 3) -> list[Candidate]:
    """Article sentences sharing at least two key-word bigrams with the claim, best first."""
    keys = _bigrams(claim)
    scored = []
    for s in _ARTICLE_SENTENCE.split(article):
        s = s.strip()
        if len(s) < 6:
            continue
        shared = sorted(keys & _bigrams(s))
        if len(shared) >= 2:
            scored.append((len(shared), s, shared))
    scored.sort(key=lambda x: -x[0])
    return [Candidate(s, shared) for _, s, shared in scored[:limit]]


def _marks(problems: list[Problem]) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for p in problems:
        out.setdefault(p.field, []).append(f"{p.code}：{p.message}")
    return out


def review(validation: Validation, rid: str, sources_dir: Path) -> Sheet | None:
    """The review sheet of record ``rid`` (None if no valid record has that id)."""
    found = next(((rec, doc) for rec, doc in validation.records if rec.id == rid), None)
    if found is None:
        return None
    rec, doc = found
    reg = validation.registry
    marks = _marks([p for p in validation.report.problems if p.file == doc.display])
    markers = reg.wording.absence_markers if reg.wording else ["原文没有", "原文未"]
    articles = []
    for s in rec.sources:
        src = reg.sources.get(s.source)
        p = Path(sources_dir) / src.file if src else None
        if p and p.is_file():
            articles.append(p.read_text(encoding="utf-8", errors="replace"))
    article = "\n".join(articles)
    lines = []
    for st in statements(rec):
        where = format_path(st.path)
        field_marks = marks.get(where, []) + (marks.get(format_path(st.path[:-1]), []) if st.path[-1] == "text" else [])
        ln = Line(where, doc.pos(st.path)[0], st.text, list(st.evidence) if st.own else [], st.own, field_marks)
        ln.absences = [Absence(c, candidates(c, article)) for c in absence_claims(st.text, markers)]
        lines.append(ln)
    for i, mt in enumerate(rec.metrics):
        path = ("metrics", i)
        text = f"{mt.label}：{figure_text(mt)}（{role_label(mt)}）"
        found_marks = [x for k, v in marks.items() if k.startswith(f"metrics[{i}]") for x in v]
        lines.append(Line(format_path(path), doc.pos(path)[0], text, [mt.evidence], True, found_marks))
    return Sheet(rec.id, rec.title, doc.display, lines)

