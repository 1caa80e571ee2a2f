"""A second reader's sheet for one record: each reader-facing sentence next to its evidence, differences marked.

Built on the same checks as ``casebook validate --sources`` (the figures rule
and the wording checks); adds, for every 「原文没有……」 claim, the article's
sentences that share the claim's key words (:mod:`build_tools.absence`), so a
person can confirm it, and marks the claims that have no such sentence.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from pathlib import Path

from .absence import Absence, absence_claims, candidates, claims_in
from .figures import figure_text, role_label
from .load import format_path
from .problems import Problem
from .segment import Segmenter
from .validate import Validation
from .wording import statements


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

    @property
    def unchecked(self) -> int:
        """Absence claims with no article sentence to check against."""
        return sum(1 for ln in self.lines for ab in ln.absences if ab.unchecked)


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
    made: list[Segmenter] = []

    def segmenter() -> Segmenter:  # jieba's dictionary is loaded for the first abstract claim only
        if not made:
            made.append(validation.segmenter or Segmenter())
        return made[0]

    def cut(text: str) -> list[str]:
        return segmenter().tokens(text, search_mode=False)

    def freq(word: str) -> int:
        return segmenter().base_freq(word)

    lines = []
    for st in statements(rec):
        where = format_path(st.path)
        field_marks = marks.get(where, []) + (marks.get(format_path(st.path[:-1]), []) if st.path[-1] == "text" else [])
        ln = Line(where, doc.pos(st.path)[0], st.text, list(st.evidence) if st.own else [], st.own, field_marks)
        if reg.wording is None:  # no word lists: the bigram match alone
            ln.absences = [Absence(c, candidates(c, article)) for c in absence_claims(st.text, markers)]
        else:
            ln.absences = claims_in(st.text, article, rec.title, reg.wording, cut, freq)
        lines.append(ln)
    for i, mt in enumerate(rec.metrics):
        path = ("metrics", i)
        text = f"{mt.label}：{figure_text(mt)}（{role_label(mt)}）"
        found_marks = [x for k, v in marks.items() if k.startswith(f"metrics[{i}]") for x in v]
        lines.append(Line(format_path(path), doc.pos(path)[0], text, [mt.evidence], True, found_marks))
    return Sheet(rec.id, rec.title, doc.display, lines)

