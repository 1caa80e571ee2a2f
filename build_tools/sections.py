"""The presentation contract: a record's sections, their order, Chinese labels and where each is shown.

Defined once here and read by the record view (:mod:`build_tools.views`), the
site's record template, the course packs (HTML and Word) and, published into
the compare and 我的课程 pages as data (:func:`published`), the site's
scripts. Renaming, reordering or hiding a section is an edit of
:data:`SECTIONS` and nothing else.

The accessors read the tables when called, so every output follows the
tables as they are at that moment (the tests change a label and look for it
on every output).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

Kind = Literal["fact", "analysis", "editorial", "reference"]
Where = Literal["page", "compare", "student", "trainer"]
EVERYWHERE: tuple[Where, ...] = ("page", "compare", "student", "trainer")


@dataclass(frozen=True)
class SectionSpec:
    """One section of a record as every output shows it."""

    key: str  # stable id: the page anchor, the scripts' key
    label: str  # the heading readers see
    fields: tuple[str, ...]  # the record fields that feed it
    # fact: the article's, each line with its source note; analysis: ours, labelled as such
    # (ANALYSIS_LABEL); editorial: our wording, neither fact nor argument; reference: the sources
    kind: Kind
    ordered: bool = False  # a numbered list (steps, questions) rather than bullets
    shown: tuple[Where, ...] = EVERYWHERE  # record page, compare page, student / trainer packs
    lead: str = ""  # a line before the items saying whose words they are (ours, not the article's)

    def shown_in(self, where: Where) -> bool:
        return where in self.shown


ANALYSIS_LABEL = "以下是编者的分析和归纳，不是报道原文的内容。"
# The problems are our wording of what a cadre would say, not a fact of the article: readers must be told.
PROBLEMS_LABEL = "以下是编者用基层干部常说的话归纳的问题，不是报道原文的内容，可据此判断这个做法是否对路。"

# The order is the order on the record page, the compare page and in the packs.
SECTIONS: tuple[SectionSpec, ...] = (
    SectionSpec("problems", "适用情形", ("problems",), "editorial", lead=PROBLEMS_LABEL),
    SectionSpec("background", "背景", ("background", "metrics"), "fact"),
    SectionSpec("practices", "主要做法", ("practices", "metrics"), "fact", ordered=True),
    SectionSpec("structure", "组织架构", ("structure",), "fact"),
    SectionSpec("outcomes", "成效", ("outcomes", "metrics"), "fact"),
    SectionSpec("people", "报道中的人物", ("people",), "fact"),
    # Students analyse the case themselves: our analysis goes to trainers only.
    SectionSpec("analysis", "编者分析", ("analysis", "lessons"), "analysis", shown=("page", "compare", "trainer"),
                lead=ANALYSIS_LABEL),
    SectionSpec("questions", "思考题", ("teaching.questions",), "editorial", ordered=True),
    SectionSpec("key_points", "教学要点", ("teaching.key_points",), "analysis", shown=("page", "compare", "trainer"),
                lead=ANALYSIS_LABEL),
    SectionSpec("sources", "来源", ("sources",), "reference", shown=("page", "student", "trainer")),
)

# Labels of the parts around the sections, shared by the record page, the packs and the scripts.
PARTS: dict[str, str] = {
    "summary": "摘要",
    "source_note": "来源说明",
    "context": "背景口径（不是成效）",  # figures that describe the setting, shown under 背景
    "rules": "工作标准（规定或目标，不是成效）",  # norms and targets, shown under 主要做法
    "notes": "出处注释",  # the numbered source notes of a pack
}
FIGURE_HEADER: tuple[str, ...] = ("指标", "数值", "单位", "证据原文")


def contract() -> tuple[SectionSpec, ...]:
    """Every section, in order."""
    return SECTIONS


def spec(key: str) -> SectionSpec:
    """The section ``key`` (a KeyError names a key the contract does not know)."""
    for s in SECTIONS:
        if s.key == key:
            return s
    raise KeyError(key)


def label(key: str) -> str:
    """The Chinese heading of section ``key``."""
    return spec(key).label


def order() -> list[str]:
    """The section keys in reading order."""
    return [s.key for s in SECTIONS]


def part(key: str) -> str:
    """The label of a part around the sections (``summary``, ``source_note``, ``context``, ``notes``)."""
    return PARTS[key]


def parts() -> dict[str, str]:
    """Every part label, for templates."""
    return dict(PARTS)


def published() -> dict:
    """The contract as plain data for the site's scripts (embedded in the pages that use it)."""
    return {"sections": [{"key": s.key, "label": s.label, "kind": s.kind, "ordered": s.ordered,
                          "shown": list(s.shown), "lead": s.lead} for s in SECTIONS],
            "parts": dict(PARTS)}
