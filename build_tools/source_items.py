"""What an article contains (methods, figures, people) and which records' evidence holds each: ``casebook source check``.

Methods are found by :mod:`build_tools.method_names` (how these newspaper
texts name practices), people by :mod:`build_tools.person_names` (a name
next to a post); figures here, as a number with its unit and the clause
that says what it counts. An item is covered
when the evidence or figures of a record citing the article hold it, found
by position in the article, so a repeated paragraph is covered wherever a
record quotes it.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass, field
from pathlib import Path

from . import model as m
from .checks import normalise
from .intake import PAGE_MARK
from .method_names import inside_a_name, methods_in, quote_continued
from .person_names import is_caption, people_in, speakers

KINDS = ("method", "figure", "person")
KIND_LABELS = {"method": "做法", "figure": "数字", "person": "人物"}

_QUAL_BEFORE = "近|约|超过|超|逾|不到|不足|至少|不低于|共|累计"
_UNITS = ("平方米|平方公里|万元|亿元|元|场次|人次|户次|个百分点|百分点|个|名|人|户|家|件|次|场|条|座|所|支|项|位|处|类|间|"
          "套|栋|幢|张|份|期|批|起|天|小时|分钟|%|％|亩|公顷|公里|米|吨|公斤|千克|辆|台|本|册|棵|株|盏|块|种|组|队|篇|"
          "幅|首|部|笔|单|例|宗|门|道|届|轮|倍|床|桌|箱|盒|袋|包|㎡|平米|立方米|千米|千瓦|斤|面|枚|封|只|班次|学时|"
          "分(?![钟之])|节|章|对(?![0-9])|日(?=以?内|之内)")  # 开设课程96节, 7章32条, 结对186对, 7日内答复 (16日: a date)
_FIGURE = re.compile(
    rf"(?<![0-9A-Za-z.第+＋])(?<![0-9],)(?:{_QUAL_BEFORE})?(\d{{1,3}}(?:,\d{{3}})+|\d+(?:\.\d+)?(?:[—\-~～至到]\d+(?:\.\d+)?)?)"
    rf"(?:万|亿)?(?:余|多)?"
    rf"(?:{_UNITS}|年(?=及以上|以上))(?:左右|及以上|以上|以下|以内)?(?![+＋])"
    rf"|(?<![0-9A-Za-z.第+＋])\d+(?:\.\d+)?[万亿](?:余|多)?(?=[\u4e00-\u9fff，,。；;、）)])"  # 惠及3万群众, 人口近62万，
    rf"|(?<![0-9.])\d+[:：]\d+(?![0-9])"
    rf"|(?<![一二两三四五六七八九十百千万])(?:[千百万](?:余|多)|(?:上|近|数|逾)[千百万]余?)(?:件|个|名|人|户|场|次|家|条|项)"
    # A share or a ratio in Chinese numerals: 占六成以上, 下降了四成左右, 增长了近一倍 (一成不变 is a saying).
    rf"|(?<![一二两三四五六七八九十])(?:占|近|约|超过|逾)?[一二两三四五六七八九]成(?:以上|左右|以下|多)"
    rf"|(?<![一二两三四五六七八九十])(?:近|约|超过|逾)?[一两二三四五六七八九十]倍")
_CLAUSE = re.compile(r"[，,；;。！？!?：:]")


@dataclass
class Item:
    """One thing the article contains, where it is, and which records hold it."""

    kind: str
    text: str  # the method's name as written, the figure's clause, or the person's name and role
    line: int
    key: str = ""  # what coverage looks for: the quoted name, the figure as written, the person's name
    spans: list[tuple[int, int]] = field(default_factory=list, repr=False)  # in the normalised article
    covered_by: list[str] = field(default_factory=list)

    def as_dict(self) -> dict:
        return {"kind": self.kind, "text": self.text, "line": self.line, "covered_by": self.covered_by}


class Flat:
    """An article's text as one normalised string (how evidence is compared), mapped back to line numbers."""

    def __init__(self, text: str):
        self.lines = text.split("\n")
        self.starts: list[int] = []
        parts = []
        pos = 0
        for ln in self.lines:
            self.starts.append(pos)
            n = normalise(ln)
            parts.append(n)
            pos += len(n)
        self.text = "".join(parts)

    def offset(self, line_index: int, col: int) -> int:
        """The position in the normalised text of column ``col`` of line ``line_index`` (0-based)."""
        return self.starts[line_index] + len(normalise(self.lines[line_index][:col]))

    def line_of(self, pos: int) -> int:
        return bisect_right(self.starts, pos)  # 1-based: the count of lines starting at or before pos

    def occurrences(self, needle: str) -> list[tuple[int, int]]:
        needle = normalise(needle)
        out, i = [], self.text.find(needle) if needle else -1
        while i >= 0:
            out.append((i, i + len(needle)))
            i = self.text.find(needle, i + 1)
        return out


def clause_at(line: str, start: int, end: int, marks: re.Pattern = _CLAUSE) -> tuple[int, int]:
    """Where the clause of ``line`` (between punctuation) around ``start:end`` begins and ends."""
    left = max((mt.end() for mt in marks.finditer(line, 0, start)), default=0)
    right = next((mt.start() for mt in marks.finditer(line, end)), len(line))
    while left < right and line[left].isspace():
        left += 1
    return left, right


def find_items(text: str) -> list[Item]:
    """Every method, figure and person of an article, in article order, each once."""
    flat = Flat(text)
    items: list[Item] = []
    seen: set[tuple[str, str]] = set()
    spoken = speakers(text)

    def add(kind: str, shown: str, key: str, i: int, col: int, spans: list[tuple[int, int]]) -> None:
        ident = (kind, normalise(shown + "|" + key if kind == "figure" else key))
        if ident in seen or not spans:
            return
        seen.add(ident)
        items.append(Item(kind, shown, i + 1, key, spans))

    for i, line in enumerate(flat.lines):
        if not line.strip() or line.startswith(PAGE_MARK):
            continue
        for name, key, col in methods_in(line + quote_continued(flat.lines, i)):
            add("method", name, key, i, col, flat.occurrences(key))
        for shown, key, at in figures_in(line):
            # Wherever the clause stands (a repeated paragraph), the figure stands at the same place in it.
            before, within = len(normalise(shown[:at])), len(normalise(key))
            add("figure", shown, key, i, 0, [(a + before, a + before + within) for a, _ in flat.occurrences(shown)])
        for name, role, col in people_in(line, is_caption(line), spoken):
            add("person", f"{name}（{role}）" if role else name, name, i, col, flat.occurrences(name))
    # A name the article quotes as speaking (…”上官明远说。) is a person even where no post stands next to it.
    for name in sorted(spoken - {it.key for it in items if it.kind == "person"}):
        spans = flat.occurrences(name)
        add("person", name, name, flat.line_of(spans[0][0]) - 1, 0, spans)
    items.sort(key=lambda it: (it.line, KINDS.index(it.kind)))
    return items


def figures_in(line: str) -> list[tuple[str, str, int]]:
    """(clause, figure as written, where the figure starts in the clause) of the figures a line gives.

    Numbers inside quoted names (“100+200+300”) are names, not figures; inside quoted speech they are figures.
    """
    out = []
    for mt in _FIGURE.finditer(line):
        # 每1名、为1个: a rate, not a count.
        if inside_a_name(line, mt.start()) or (
                re.match(r"1\D", mt.group(0)) and mt.start() > 0 and line[mt.start() - 1] in "每为"):
            continue
        left, right = clause_at(line, mt.start(), mt.end())
        if right - left > m.EVIDENCE_MAX:  # a long clause: the part of its list (、) that holds the figure
            left, right = clause_at(line, mt.start(), mt.end(), re.compile(r"[，,；;。！？!?：:、]"))
        out.append((line[left:right], mt.group(0), mt.start() - left))
    return out


# ----------------------------------------------------------------- coverage


@dataclass
class SourceCheck:
    """``casebook source check``: the items of one article and the records that hold each."""

    source: str
    file: str
    items: list[Item]

    def as_dict(self) -> dict:
        return {"source": self.source, "items": [it.as_dict() for it in self.items]}

    @property
    def uncovered(self) -> list[Item]:
        return [it for it in self.items if not it.covered_by]


def record_evidence(rec: m.Record, sid: str) -> list[str]:
    """The verbatim clauses of a record that quote article ``sid`` (an item's own source, else the record's)."""
    cites = {s.source for s in rec.sources}
    mine = lambda source: source == sid or (source is None and sid in cites)
    out = [q for name in ("background", "practices", "outcomes", "people") for it in getattr(rec, name)
           if mine(it.source) for q in it.evidence]
    out += [mt.evidence for mt in rec.metrics if mine(mt.source)]
    if rec.as_of and mine(rec.as_of.source):
        out.append(rec.as_of.evidence)
    return out


def cover(items: list[Item], flat: Flat, records: list[m.Record], sid: str) -> None:
    """Fill each item's ``covered_by``: the records whose evidence spans hold one of its places in the article."""
    for rec in records:
        spans = [sp for ev in record_evidence(rec, sid) for sp in flat.occurrences(ev)]
        named = {p.name for p in rec.people if p.source in (None, sid)} if spans or rec.people else set()
        for it in items:
            held = any(a <= s and e <= b for s, e in it.spans for a, b in spans)
            if held or (it.kind == "person" and it.key in named and any(s.source == sid for s in rec.sources)):
                it.covered_by.append(rec.id)


def check_source(records: list[m.Record], source: m.Source, sources_dir: Path) -> SourceCheck:
    """The items of ``source``'s article, each with the ids of the records that cover it."""
    text = (Path(sources_dir) / source.file).read_text(encoding="utf-8", errors="replace")
    items = find_items(text)
    cover(items, Flat(text), records, source.id)
    return SourceCheck(source.id, source.file, items)
