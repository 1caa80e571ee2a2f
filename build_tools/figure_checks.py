"""The figures rule checked against each figure's own evidence: names are not figures, qualifiers stay.

Three warnings, each about one figure and its verbatim clause:

* ``figure-in-name``: the value occurs in the clause only inside a name or
  descriptor (“五社联动”, 三级联动, 一户一案, 1+3+N);
* ``figure-qualifier-dropped``: the clause says 近、余、超、左右 … next to the
  number and the figure has no ``qualifier``;
* ``figure-numeral-word``: a round value (100, 1000) stands for a numeral
  word (百名, 千余) and the figure has neither a qualifier nor a rule kind;
* ``figure-ratio-split``: one side of a ratio (1:18) recorded as a plain number.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from typing import Iterator

from . import model as m
from .load import Document, format_path
from .problems import Problem, problem

# A number followed by one of these is part of a name or descriptor (三级, 五社, 十有, 六方, 20字, 百步);
# the registry (wording.yml, name_suffixes) may list more.
NAME_SUFFIXES = ("级", "社", "有", "方", "字", "步")
OPEN_QUOTES, CLOSE_QUOTES = "“「『", "”」』"
# A quoted term longer than this, or with a comma in it, is a quotation of speech, not a name.
NAME_MAX = 20
_DIGITS = re.compile(r"\d+(?:\.\d+)?")
_CN_RUN = re.compile(r"[零〇一二两三四五六七八九十百千万]+")
_CN_DIGIT = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
_CN_UNIT = {"十": 10, "百": 100, "千": 1000, "万": 10000}
_PAIRED = re.compile(r"一[^\s一,，。;；、“”]{1,3}一[^\s,，。;；、“”]{1,3}")  # 一户一案, 一社区一品牌


@dataclass(frozen=True)
class Occurrence:
    """Where a number stands in a clause (normalised), and how it is written."""

    start: int
    end: int
    value: float
    written: str  # the characters as the clause writes them: 3500, 2.7万, 千


def cn_value(run: str) -> float | None:
    """The value of a Chinese numeral such as 三, 十八, 一百二十, 两万 (None if it is not one)."""
    total, section, digit = 0, 0, None
    for ch in run:
        if ch in _CN_DIGIT:
            digit = _CN_DIGIT[ch]
        elif ch in _CN_UNIT:
            unit = _CN_UNIT[ch]
            if unit == 10000:
                total += (section + (digit or 0)) * unit
                section, digit = 0, None
            else:
                section += (1 if digit is None else digit) * unit
                digit = None
        else:
            return None
    return float(total + section + (digit or 0))


def occurrences(clause: str) -> list[Occurrence]:
    """Every number in a normalised clause: 3500, 2.7万 (as 27000 and 2.7), 三级's 三, 十八."""
    out: list[Occurrence] = []
    for mt in _DIGITS.finditer(clause):
        n = float(mt.group(0))
        end = mt.end()
        out.append(Occurrence(mt.start(), end, n, mt.group(0)))
        if clause[end:end + 1] in ("万", "亿"):
            big = n * (1e4 if clause[end] == "万" else 1e8)
            out.append(Occurrence(mt.start(), end + 1, big, clause[mt.start():end + 1]))
    for mt in _CN_RUN.finditer(clause):
        v = cn_value(mt.group(0))
        if v is not None:
            out.append(Occurrence(mt.start(), mt.end(), v, mt.group(0)))
    return out


def normalise(text: str) -> str:
    """NFKC without white space (full-width digits and commas become ASCII, quotes stay)."""
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text))


def _in_quoted_name(clause: str, start: int, end: int) -> bool:
    """Whether [start, end) sits inside a short quoted term (a name), not in quoted speech."""
    opened: list[int] = []
    last_close = -1
    for i, ch in enumerate(clause[:start]):
        if ch in OPEN_QUOTES:
            opened.append(i)
        elif ch in CLOSE_QUOTES:
            last_close = i
            if opened:
                opened.pop()
    marks = [i for i in range(end, len(clause)) if clause[i] in OPEN_QUOTES + CLOSE_QUOTES]
    if not marks or clause[marks[0]] not in CLOSE_QUOTES:
        return False
    # inside an open quote, or in a clause cut just after the opening quote
    term = clause[(opened[-1] if opened else last_close) + 1:marks[0]]
    return len(term) <= NAME_MAX and not re.search(r"[,，。;；]", term)


def in_name(clause: str, occ: Occurrence, suffixes: tuple[str, ...] = NAME_SUFFIXES) -> bool:
    """Whether this occurrence of a number is part of a name or descriptor, not a measurement."""
    if _in_quoted_name(clause, occ.start, occ.end):
        return True
    if clause[occ.end:occ.end + 1] in suffixes:
        return True
    if "+" in (clause[occ.end:occ.end + 1], clause[occ.start - 1:occ.start] if occ.start else ""):
        return True
    return any(p.start() <= occ.start < p.end() for p in _PAIRED.finditer(clause))


def qualifier_near(clause: str, occ: Occurrence) -> str | None:
    """The qualifier the clause puts on this number: 近3500, 2000余个, 150名左右, 超97%."""
    before = [q for q, place in m.QUALIFIER_PLACES.items() if place == "before"]
    for q in sorted(before, key=len, reverse=True):
        if clause[:occ.start].endswith(q):
            return q
    rest = clause[occ.end:]
    if rest[:1] in ("万", "亿"):  # 2.7万余名 read as 2.7: the qualifier follows 万
        rest = rest[1:]
    if rest[:1] in ("余", "多"):
        return rest[0]
    window = re.split(r"[,，。;；、\d]", rest[:6], maxsplit=1)[0]
    after = [q for q, place in m.QUALIFIER_PLACES.items() if place == "after"]
    for q in sorted(after, key=len, reverse=True):
        if q in window:
            return q
    return None


def _same(a: float, b: float) -> bool:
    return abs(a - b) <= 1e-9 * max(1.0, abs(b))


def _values(mt: m.Metric, i: int) -> list[tuple[float, tuple]]:
    v = mt.value
    if isinstance(v, m.Range):
        return [(v.min, ("metrics", i, "value", "min")), (v.max, ("metrics", i, "value", "max"))]
    if isinstance(v, m.Ratio):
        return [(v.left, ("metrics", i, "value", "left")), (v.right, ("metrics", i, "value", "right"))]
    return [(v, ("metrics", i, "value"))]


def check_figures(doc: Document, rec: m.Record, suffixes: tuple[str, ...] = NAME_SUFFIXES) -> Iterator[Problem]:
    """The three figure warnings for every figure of one record."""
    for i, mt in enumerate(rec.metrics):
        clause = normalise(mt.evidence)
        occ = occurrences(clause)
        for value, path in _values(mt, i):
            here = [o for o in occ if _same(o.value, float(value))]
            if not here:
                continue  # metric-value-not-in-evidence says so
            shown = int(value) if float(value).is_integer() else value
            measured = [o for o in here if not in_name(clause, o, suffixes)]
            if not measured:
                yield problem("figure-in-name", doc.display, doc.pos(path), format_path(path), value=shown,
                              written=here[0].written, evidence=mt.evidence,
                              suggestion="名称或提法里的数字（三级联动、“五社联动”、一户一案）不是统计数字："
                                         "删去这项 metrics；确实要讲，就写进做法的文字里")
                continue
            if not isinstance(mt.value, m.Ratio) and any(":" in (clause[o.start - 1:o.start], clause[o.end:o.end + 1])
                                                         for o in measured):
                yield problem("figure-ratio-split", doc.display, doc.pos(path), format_path(path), value=shown,
                              evidence=mt.evidence,
                              suggestion="比例照原文写成比例：value: {left: 1, right: 18}，kind: ratio（页面显示为 1:18）")
                continue
            if mt.qualifier is None:
                quals = [qualifier_near(clause, o) for o in measured]
                if all(quals):
                    yield problem("figure-qualifier-dropped", doc.display, doc.pos(path), format_path(path),
                                  value=shown, qualifier=quals[0], evidence=mt.evidence,
                                  suggestion=f"加上 qualifier: {quals[0]}（页面显示为“{quals[0]}”加数字），"
                                             "单位里不要再写限定词")
                words = [o.written for o in measured if o.written in ("百", "千", "万", "亿")]
                if words and len(words) == len(measured) and mt.kind not in m.RULE_KINDS:
                    yield problem("figure-numeral-word", doc.display, doc.pos(path), format_path(path),
                                  value=shown, written=words[0], evidence=mt.evidence,
                                  suggestion="原文是约数（千余、百名）：加上 qualifier（如“千余件”写 value: 1000，"
                                             "qualifier: 余）；是名额、目标就把 kind 改为 norm；是名称就删去")
