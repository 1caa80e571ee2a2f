"""Rules on records: references to the registries, figures in their evidence, completeness,
verbatim evidence in the sources, and rules that span records. Each check yields problems."""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path
from typing import Any, Iterator

from . import model as m
from .concepts import check_record_concepts
from .figure_checks import cn_value
from .load import Document, format_path
from .problems import Problem, problem
from .registry import Registry
from .shape import suggest

# ----------------------------------------------------------------- records

_SLUG = re.compile(m.ID_PATTERN)


def check_record_refs(doc: Document, reg: Registry) -> Iterator[Problem]:
    """Rules on one record's raw data that need the registries.

    They run on the raw mapping, not the model, so that a wrong type in one
    field does not hide an unknown tag in another.
    """
    d = doc.data
    f = doc.display
    rid = d.get("id")
    if isinstance(rid, str):
        stem = doc.path.stem
        if ("/" in rid or "\\" in rid or ".." in rid) :
            yield problem("invalid-id", f, doc.pos(("id",)), "id", value=rid,
                          suggestion="id 只能是一个文件名，不能包含路径")
        elif _SLUG.match(rid) and rid != stem:
            yield problem("id-filename-mismatch", f, doc.pos(("id",)), "id", value=rid, filename=doc.path.name,
                          suggestion=f"把文件改名为 {rid}.yml，或把 id 改为 {stem}")
    place = d.get("place")
    # Name lookups are built only for a suggestion: built per record, they cost seconds at 10,000.
    names = lambda: {p.name: p.slug for p in reg.places.values()}
    if isinstance(place, str):
        if place not in reg.places:
            yield problem("unknown-place", f, doc.pos(("place",)), "place", value=place,
                          suggestion=suggest(place, reg.places, names()) or "先在 cases/_registry/places/ 中登记")
        else:
            folder = doc.path.parent.name
            if folder != place and folder in reg.places:
                yield problem("place-dir-mismatch", f, doc.pos(("place",)), "place", value=place, folder=folder,
                              suggestion=f"把文件移到 cases/{place}/ 下")
    unit = d.get("unit")
    if isinstance(unit, str) and unit:
        if unit not in reg.places:
            yield problem("unknown-unit", f, doc.pos(("unit",)), "unit", value=unit,
                          suggestion=suggest(unit, reg.places, names()) or "先在 cases/_registry/places/ 中登记该街道或社区")
        elif isinstance(place, str) and place in reg.places and place not in reg.ancestors(unit) and unit != place:
            yield problem("unit-outside-place", f, doc.pos(("unit",)), "unit", value=unit, place=place,
                          suggestion="检查登记表中该单位的 parent，或更正 place")
    tags = d.get("tags")
    if isinstance(tags, list):
        seen = set()
        for i, t in enumerate(tags):
            if not isinstance(t, str):
                continue
            if t not in reg.tags:
                yield problem("unknown-tag", f, doc.pos(("tags", i)), f"tags[{i}]", value=t,
                              suggestion=suggest(t, reg.tags, reg.tag_lookup()) or "可用的标签见 cases/_registry/tags.yml")
            if t in seen:
                yield problem("duplicate-tag", f, doc.pos(("tags", i)), f"tags[{i}]", value=t)
            seen.add(t)
        if not 1 <= len(tags) <= 6 and d.get("status") == "complete":
            yield problem("tag-count", f, doc.pos(("tags",)), "tags", count=len(tags))
    yield from check_record_concepts(doc, reg.concepts)
    for i, s in enumerate(d.get("sources") or [] if isinstance(d.get("sources"), list) else []):
        sid = s.get("source") if isinstance(s, dict) else None
        if isinstance(sid, str) and sid not in reg.sources:
            yield problem("unknown-source", f, doc.pos(("sources", i, "source")), f"sources[{i}].source", value=sid,
                          suggestion=suggest(sid, reg.sources))
    for path in _cited_paths(d):
        sid = _get(d, path + ("source",))
        if isinstance(sid, str) and sid not in reg.sources:
            where = format_path(path + ("source",))
            yield problem("unknown-source", f, doc.pos(path + ("source",)), where, value=sid,
                          suggestion=suggest(sid, reg.sources))
    metrics = d.get("metrics")
    for i, mt in enumerate(metrics if isinstance(metrics, list) else []):
        if not isinstance(mt, dict):
            continue
        ev, val = mt.get("evidence"), mt.get("value")
        if isinstance(ev, str):
            yield from _check_value_in_evidence(doc, i, val, ev)


# Record fields whose items may cite a source of their own.
CITED_LISTS = ("background", "practices", "outcomes", "people", "metrics")


def _get(data: Any, path: tuple) -> Any:
    for key in path:
        try:
            data = data[key]
        except (KeyError, IndexError, TypeError):
            return None
    return data


def _cited_paths(d: dict) -> Iterator[tuple]:
    """Paths of the raw items that may carry ``source``."""
    for name in CITED_LISTS:
        items = d.get(name)
        for i, item in enumerate(items if isinstance(items, list) else []):
            if isinstance(item, dict):
                yield (name, i)
    if isinstance(d.get("as_of"), dict):
        yield ("as_of",)


_NUM = re.compile(r"(\d+(?:[.,]\d+)*)\s*(万|亿)?")
_CN = re.compile(r"[零〇一二两三四五六七八九十百千万]+")


def numbers_in(text: str) -> list[float]:
    """Every number written in ``text``: 2.7万 counts as 2.7 and 27000; 四级 as 4."""
    text = unicodedata.normalize("NFKC", text)
    out: list[float] = []
    for mt in _NUM.finditer(text):
        raw = mt.group(1)
        try:
            n = float(raw.replace(",", ""))
        except ValueError:
            continue
        out.append(n)
        if mt.group(2) == "万":
            out.append(n * 1e4)
        elif mt.group(2) == "亿":
            out.append(n * 1e8)
    for mt in _CN.finditer(text):
        whole = cn_value(mt.group(0))
        if whole is not None:
            out.append(whole)
        for ch in mt.group(0):  # 三岗十八级: 3 and 18, and each digit alone
            digit = cn_value(ch)
            if digit is not None and ch not in "十百千万":
                out.append(digit)
    return out


def _same(a: float, b: float) -> bool:
    return abs(a - b) <= 1e-9 * max(1.0, abs(b))


def _check_value_in_evidence(doc: Document, i: int, val: Any, ev: str) -> Iterator[Problem]:
    nums = numbers_in(ev)
    values: list[tuple[Any, tuple]] = []
    if isinstance(val, dict):
        lo, hi = val.get("min"), val.get("max")
        if isinstance(lo, (int, float)) and isinstance(hi, (int, float)) and lo > hi:
            yield problem("metric-range", doc.display, doc.pos(("metrics", i, "value")), f"metrics[{i}].value",
                          min=lo, max=hi, suggestion="交换 min 和 max")
        values = [(lo, ("metrics", i, "value", "min")), (hi, ("metrics", i, "value", "max"))]
    else:
        values = [(val, ("metrics", i, "value"))]
    for v, path in values:
        if isinstance(v, bool) or not isinstance(v, (int, float)):
            continue
        if not any(_same(float(v), n) for n in nums):
            shown = int(v) if float(v).is_integer() else v
            near = ", ".join(str(int(n) if n.is_integer() else n) for n in dict.fromkeys(nums)) or "无"
            yield problem("metric-value-not-in-evidence", doc.display, doc.pos(path), format_path(path),
                          value=shown, evidence=ev, suggestion=f"证据中的数字有：{near}；请核对数值或换一句证据")


def check_complete(doc: Document, rec: m.Record) -> Iterator[Problem]:
    """A record marked complete must have its teaching content filled in."""
    if rec.status != "complete":
        return
    # background and outcomes may honestly be empty: many articles describe
    # a method without the situation before it or a result after it.
    need = [("summary", rec.summary), ("practices", rec.practices), ("tags", rec.tags), ("lessons", rec.lessons),
            ("teaching.key_points", rec.teaching.key_points)]
    for name, value in need:
        if not value or (isinstance(value, list) and not any(str(x).strip() for x in value)):
            path = tuple(name.split("."))
            yield problem("incomplete-record", doc.display, doc.pos(path), name, field=name, detail="为空",
                          suggestion="补写内容，或把 status 改为 partial")
    for name in ("background", "practices", "outcomes"):
        for i, claim in enumerate(getattr(rec, name)):
            if not claim.evidence:
                yield problem("claim-without-evidence", doc.display, doc.pos((name, i)), f"{name}[{i}]",
                              field=f"{name}[{i}]", text=claim.text[:30],
                              suggestion="写成 {text: 我们的表述, evidence: [原文短句]}；原文没有依据的推理请移到 analysis（编者分析）")
    for i, person in enumerate(rec.people):
        if not person.evidence:
            yield problem("claim-without-evidence", doc.display, doc.pos(("people", i)), f"people[{i}]",
                          field=f"people[{i}]", text=person.name,
                          suggestion="给人物补上原文中提到此人的短句 evidence")
    n = len(rec.problems)
    if not 2 <= n <= 5:
        yield problem("problem-count", doc.display, doc.pos(("problems",)), "problems", count=n,
                      suggestion="用社区书记自己的话写 2—5 个这一做法能解决的问题，如“老小区没人管，物业不愿进”")
    q = len(rec.teaching.questions)
    if not 2 <= q <= 4:
        yield problem("question-count", doc.display, doc.pos(("teaching", "questions")), "teaching.questions",
                      count=q, suggestion="写 2—4 道需要比较、决策或改造的思考题")


# ------------------------------------------------------------------ corpus


def normalise(text: str) -> str:
    """Text for verbatim comparison: NFKC, and no white space at all."""
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text))


def read_sources(reg: Registry, sources_dir: Path | None) -> tuple[dict[str, str] | None, list[Problem]]:
    """Normalised texts of the registered sources, or None when the folder is absent."""
    if sources_dir is None or not Path(sources_dir).is_dir():
        return None, [problem("sources-skipped", str(sources_dir or "--sources"), None, dir=sources_dir or "未指定")]
    texts: dict[str, str] = {}
    out: list[Problem] = []
    for sid, src in reg.sources.items():
        p = Path(sources_dir) / src.file
        if not p.is_file():
            out.append(problem("source-file-missing", reg.sources_file, None, f"sources.{sid}",
                               source=sid, filename=src.file, dir=sources_dir))
            continue
        texts[sid] = normalise(p.read_text(encoding="utf-8", errors="replace"))
    return texts, out


def _quotes(rec: m.Record) -> Iterator[tuple[tuple, str, str | None]]:
    """Every verbatim clause of a record: (data path, clause, cited source)."""
    for name in ("background", "practices", "outcomes", "people"):
        for i, item in enumerate(getattr(rec, name)):
            for j, ev in enumerate(item.evidence):
                yield (name, i, "evidence", j), ev, item.source
    for i, mt in enumerate(rec.metrics):
        yield ("metrics", i, "evidence"), mt.evidence, mt.source
    if rec.as_of:
        yield ("as_of", "evidence"), rec.as_of.evidence, rec.as_of.source


def check_evidence(doc: Document, rec: m.Record, texts: dict[str, str],
                   dates: dict[str, Any] | None = None) -> Iterator[Problem]:
    """Every evidence quote must stand verbatim in the source it cites."""
    record_sources = [s.source for s in rec.sources]
    for path, quote, source in _quotes(rec):
        cited = [source] if source else record_sources
        usable = [s for s in cited if s in texts]
        if not usable:
            continue
        if not any(normalise(quote) in texts[s] for s in usable):
            yield problem("evidence-not-in-source", doc.display, doc.pos(path), format_path(path),
                          evidence=quote, source="、".join(usable),
                          suggestion="证据必须是原文中连续的一段，逐字复制，不要加省略号或改写")
    if rec.as_of:
        yield from _check_as_of(doc, rec, record_sources, dates or {})


_RELATIVE_YEARS = {"今年": 0, "去年": -1, "前年": -2, "明年": 1}


def _check_as_of(doc: Document, rec: m.Record, record_sources: list[str], dates: dict) -> Iterator[Problem]:
    """The year must be written in the clause, or follow from a relative word and a dated source."""
    a = rec.as_of
    if str(a.year) in a.evidence:
        return
    sid = a.source or record_sources[0]
    date = dates.get(sid)
    for word, offset in _RELATIVE_YEARS.items():
        if word in a.evidence and date is not None and date.year + offset == a.year:
            return
    hint = (f"来源“{sid}”注明的日期是 {date}，“今年”即 {date.year} 年" if date is not None
            else f"来源“{sid}”没有注明日期，“今年”“去年”无法换算成年份：请删去 as_of")
    yield problem("as-of-unsupported", doc.display, doc.pos(("as_of", "year")), "as_of.year",
                  year=a.year, evidence=a.evidence, suggestion=hint)



def check_across(records: list[tuple[m.Record, Document]], docs: list[Document], reg: Registry) -> Iterator[Problem]:
    """Rules that span records: unique ids, related links, tag usage."""
    first: dict[str, Document] = {}
    for doc in docs:
        rid = doc.data.get("id") if isinstance(doc.data, dict) else None
        if not isinstance(rid, str):
            continue
        if rid in first:
            other = first[rid]
            yield problem("duplicate-id", doc.display, doc.pos(("id",)), "id", value=rid,
                          other=f"{other.display}:{other.pos(('id',))[0]}",
                          suggestion="id 必须全库唯一：给其中一条换一个更具体的 id")
        else:
            first[rid] = doc
    ids = set(first)
    pairs: set[frozenset] = set()
    for rec, doc in records:
        for i, rel in enumerate(rec.related):
            path = ("related", i, "id")
            if rel.id == rec.id:
                yield problem("self-related", doc.display, doc.pos(path), f"related[{i}].id")
            elif rel.id not in ids:
                yield problem("unknown-related", doc.display, doc.pos(path), f"related[{i}].id", value=rel.id,
                              suggestion=suggest(rel.id, ids))
            else:
                pair = frozenset((rec.id, rel.id))
                if pair in pairs:
                    yield problem("duplicate-related", doc.display, doc.pos(path), f"related[{i}].id", value=rel.id)
                pairs.add(pair)
    if records:
        use: dict[str, int] = {t: 0 for t in reg.tags}
        for rec, _ in records:
            for t in set(rec.tags):
                if t in use:
                    use[t] += 1
        for t, n in use.items():
            if n < 2 and not reg.tags[t].note:
                yield problem("tag-underused", reg.tags_file, None, "tags", value=t, count=n)
