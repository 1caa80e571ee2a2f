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
_CN = "一二两三四五六七八九"
# Units that count something (money, people, households, items, times), for numbers in Chinese numerals; not tiers
# (三级), bodies (两委), periods (三年, 三个月) or parts of names (一张网, 二期).
_CN_UNITS = ("万元|亿元|元|人次|户次|场次|个|名|人|户|家|条|项|支|位|件|场|座|所|处|类|间|套|栋|幢|份|批|起|种|组|队|篇|"
             "笔|桌|对|辆|台|盏|块|棵|亩|趟|次|章")
_CN_RANGES = {"一两", "两三", "二三", "三四", "四五", "五六", "六七", "七八", "八九", "三五"}
_FIGURE = re.compile(
    rf"(?<![0-9A-Za-z.第+＋])(?<![0-9],)(?:{_QUAL_BEFORE})?(\d{{1,3}}(?:,\d{{3}})+|\d+(?:\.\d+)?(?:[—\-~～至到]\d+(?:\.\d+)?)?)"
    rf"(?:万|亿)?(?:余|多)?"
    rf"(?:{_UNITS}|年(?=及以上|以上))(?:左右|及以上|以上|以下|以内)?(?![+＋])"
    rf"|(?<![0-9A-Za-z.第+＋])\d+(?:\.\d+)?[万亿](?:余|多)?(?=[\u4e00-\u9fff，,。；;、）)])"  # 惠及3万群众, 人口近62万，
    rf"|(?<![0-9.])\d+[:：]\d+(?![0-9])"
    rf"|(?<![一二两三四五六七八九十百千万])(?:[千百万](?:余|多)|(?:上|近|数|逾)[千百万]余?)(?:件|个|名|人|户|场|次|家|条|项)"
    # A share or a ratio in Chinese numerals: 占六成以上, 下降了四成左右, 增长了近一倍 (一成不变 is a saying).
    rf"|(?<![一二两三四五六七八九十])(?:占|近|约|超过|逾)?[一二两三四五六七八九]成(?:以上|左右|以下|多)"
    rf"|(?<![一二两三四五六七八九十])(?:近|约|超过|逾)?[一两二三四五六七八九十]倍"
    # Money and counts in Chinese numerals, exact or approximate: 二三十万元, 十来个人, 两名成员, 三次上门 (checked by
    # _chinese_count: not 一个 or 一次, not 几十桌, not 第三个 or 三个月).
    rf"|(?<![{_CN}十百千万零几第初周之其逐统唯〇0-9A-Za-z”])(?:{_QUAL_BEFORE})?"
    rf"(?P<cn>[{_CN}十百千零几来]+(?:多|余)?(?:[万亿](?:多|余)?)?)(?P<cu>{_CN_UNITS})(?:左右|以上)?")
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


def _word_tag(text: str) -> str:
    """The part of speech jieba's dictionary gives the word ``text`` begins with (longest first), else ""."""
    import jieba.posseg

    tags = jieba.posseg.dt.word_tag_tab
    return next((tags[text[:n]] for n in (4, 3, 2, 1) if text[:n] in tags), "")


def _chinese_count(line: str, mt: re.Match) -> bool:
    """Whether a number in Chinese numerals with a unit (``cn``, ``cu`` of ``mt``) counts something.

    A count is a well-formed number (十来, 二三十, 三百五十, 两万多; not 一五一十), not bare 一 or 二 (一个 is an
    article, 一次 "once", 二次供水 a name), not vague without a numeral (几十桌, 百姓), not a period (三个月), not a
    frequency (每月…两次), not 两家 as "the two families" (a verb follows) and not part of a saying that pairs two
    numbers (三番五次, 三位一体, 千家万户).
    """
    num, unit = mt.group("cn"), mt.group("cu")
    scaled = re.search(r"[万亿]", num)
    digits = re.sub(r"(?:多|余)?(?:[万亿](?:多|余)?)?$", "", num)
    if digits in ("一", "二") and not scaled or digits[0] in "十百千零几来" and digits[0] != "十":
        return False
    if re.search(r"来.|[^十百千]来|[^十百千]几", digits) or re.search(r"[百千]", digits) and digits[0] == "十":
        return False
    groups = re.split(r"[十百千]", digits.replace("几", "").replace("来", "").replace("零", ""))
    mags = re.findall(r"[十百千]", digits)
    if any(len(g) > 2 or len(g) == 2 and g not in _CN_RANGES for g in groups) or len(set(mags)) < len(mags) \
            or mags != sorted(mags, key="千百十".index):
        return False
    if unit == "个" and re.match(r"(?:多|半)?(?:月|星期|礼拜|季度|小时|钟头|工作日|年头)", line[mt.end():]):
        return False
    # 两家企业 counts firms; in 两家签下协议, 两家各退半步 the two families are the subject, not a count.
    if unit in ("家", "户") and _word_tag(line[mt.end():])[:1] in ("v", "d", "r", "c", "u", "p", "f"):
        return False
    clause = line[clause_at(line, mt.start(), mt.end())[0]:mt.start()]
    if unit == "次" and re.search(r"每(?:年|月|周|天|日|季度|季|星期|学期|半年)", clause):
        return False
    at = mt.start("cn")
    return not (re.match(rf"[{_CN}十百千万]", line[mt.end():mt.end() + 1])
                or at >= 2 and line[at - 2] in _CN + "十百千万")


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
        if mt.group("cn") and not _chinese_count(line, mt):
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
