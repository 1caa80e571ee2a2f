"""Validate loaded case files: every problem in one run, as data.

Each check is a generator of :class:`~build_tools.problems.Problem`; the
runner :func:`validate` collects them all and never stops at the first.
"""

from __future__ import annotations

import difflib
import re
import typing
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterable, Iterator

from pydantic import BaseModel, ValidationError

from . import model as m
from .lexicon import check_lexicon, check_terms_used, record_text
from .load import Document, Loaded, format_path
from .problems import Problem, Report, problem

# ---------------------------------------------------------------- helpers


def closest(value: str, choices: Iterable[str], cutoff: float = 0.5) -> str | None:
    """The registered name closest to ``value``, for “是否指…？” suggestions."""
    choices = list(choices)
    hits = difflib.get_close_matches(str(value), choices, n=1, cutoff=cutoff)
    if hits:
        return hits[0]
    # Chinese input is often a prefix or part of the registered name.
    for c in choices:
        if value and (str(value) in c or c in str(value)) and len(str(value)) >= 2:
            return c
    return None


def _model_at(model: type[BaseModel], loc: tuple) -> type[BaseModel] | None:
    """The model class that owns the field at ``loc`` (for unknown-field suggestions)."""
    current: Any = model
    for part in loc:
        if isinstance(part, int):
            continue
        if not (isinstance(current, type) and issubclass(current, BaseModel)):
            return None
        info = current.model_fields.get(part)
        if info is None:
            return None
        current = _unwrap(info.annotation)
    return current if isinstance(current, type) and issubclass(current, BaseModel) else None


def _unwrap(ann: Any) -> Any:
    for arg in (typing.get_args(ann) or ()):
        inner = _unwrap(arg)
        if isinstance(inner, type) and issubclass(inner, BaseModel):
            return inner
    return ann


def _real_loc(data: Any, loc: tuple, missing: bool = False) -> tuple:
    """The part of an error location that exists in the data.

    Pydantic's union-member markers (``int``, ``Range``…) are not in the data
    and are dropped; for a ``missing`` error the last element names the
    missing field and is kept.
    """
    out: list = []
    cur = data
    for i, part in enumerate(loc):
        if isinstance(cur, dict) and part in cur:
            out.append(part)
            cur = cur[part]
        elif isinstance(cur, list) and isinstance(part, int) and part < len(cur):
            out.append(part)
            cur = cur[part]
        elif missing and i == len(loc) - 1 and isinstance(part, str):
            out.append(part)
    return tuple(out)


def check_model(doc: Document, model: type[BaseModel]) -> tuple[BaseModel | None, list[Problem]]:
    """Check ``doc.data`` against a pydantic model; map errors to file positions."""
    try:
        return model.model_validate(doc.data), []
    except ValidationError as err:
        out: list[Problem] = []
        seen: set = set()
        for e in err.errors():
            loc = _real_loc(doc.data, tuple(e["loc"]), missing=e["type"] == "missing")
            if any(loc[:len(r)] == r for r in doc.rejected if r):
                continue  # already reported by the loader (e.g. a custom tag)
            kind = e["type"]
            name = format_path(loc)
            value = e.get("input")
            short = str(value)[:40] if not isinstance(value, (dict, list)) else ""
            if kind == "extra_forbidden":
                owner = _model_at(model, loc[:-1]) or model
                guess = closest(str(loc[-1]), owner.model_fields)
                p = problem("unknown-field", doc.display, doc.pos(loc), name, field=loc[-1],
                            suggestion=f"是否指“{guess}”？" if guess else f"可用字段：{'、'.join(owner.model_fields)}")
            elif kind == "missing":
                p = problem("missing-field", doc.display, doc.pos(loc[:-1]), name, field=name,
                            suggestion="参见记录模板（casebook new 生成）")
            elif kind in ("string_too_long", "too_long"):
                p = problem("too-long", doc.display, doc.pos(loc), name, field=name,
                            detail=f"{len(value) if hasattr(value, '__len__') else '?'}，上限 {e.get('ctx', {}).get('max_length')}",
                            suggestion="请精简")
            elif kind in ("string_too_short", "too_short"):
                p = problem("too-short", doc.display, doc.pos(loc), name, field=name,
                            detail=f"至少 {e.get('ctx', {}).get('min_length')}")
            elif kind == "string_pattern_mismatch" and loc and loc[-1] in ("id", "slug"):
                p = problem("invalid-id", doc.display, doc.pos(loc), name, value=short,
                            suggestion="例如 xiaoge-ru-wangge（拼音或英文，用连字符连接）")
            elif kind in ("literal_error", "enum"):
                expected = e.get("ctx", {}).get("expected", "")
                guess = closest(short, re.findall(r"'([^']*)'", expected))
                p = problem("invalid-value", doc.display, doc.pos(loc), name, field=name, value=short,
                            detail=f"应为 {expected}",
                            suggestion=f"是否指“{guess}”？" if guess else "")
            else:
                hint = ""
                if kind == "string_type" and isinstance(value, (int, float, bool)):
                    hint = f"YAML 把它读成了{'数字' if not isinstance(value, bool) else '真假值'}：请加引号，写成 \"{value}\""
                p = problem("wrong-type", doc.display, doc.pos(loc), name, field=name,
                            detail=_type_detail(kind, value), suggestion=hint)
            key = (p.code, p.field)
            if key not in seen:
                seen.add(key)
                out.append(p)
        return None, out


_TYPE_WORDS = {
    "string_type": "应为文本", "int_type": "应为整数", "int_parsing": "应为整数", "float_type": "应为数字",
    "float_parsing": "应为数字", "list_type": "应为列表（每项一行，以“- ”开头）", "dict_type": "应为映射（字段: 值）",
    "model_type": "应为映射（字段: 值）", "model_attributes_type": "应为映射（字段: 值）", "bool_type": "应为 true 或 false",
    "date_from_datetime_parsing": "应为日期 YYYY-MM-DD", "date_parsing": "应为日期 YYYY-MM-DD",
}


def _type_detail(kind: str, value: Any) -> str:
    word = _TYPE_WORDS.get(kind, kind)
    if kind in ("float_type", "int_type", "float_parsing", "int_parsing") or kind.endswith("_type"):
        shown = str(value)[:30] if not isinstance(value, (dict, list)) else type(value).__name__
        return f"{word}，实际是“{shown}”"
    return word


# -------------------------------------------------------------- registries


@dataclass
class Registry:
    """The validated places, tags and sources, keyed by slug."""

    places: dict[str, m.Place] = field(default_factory=dict)
    groups: dict[str, m.TagGroup] = field(default_factory=dict)
    tags: dict[str, m.Tag] = field(default_factory=dict)
    sources: dict[str, m.Source] = field(default_factory=dict)
    tags_file: str = "cases/_registry/tags.yml"
    sources_file: str = "cases/_registry/sources.yml"
    lexicon: m.LexiconFile | None = None

    def ancestors(self, slug: str) -> list[str]:
        """The chain of parents of a place, nearest first (cycles cut)."""
        out: list[str] = []
        cur = self.places.get(slug)
        while cur and cur.parent and cur.parent not in out and cur.parent != slug:
            out.append(cur.parent)
            cur = self.places.get(cur.parent)
        return out

    def in_cycle(self, slug: str) -> bool:
        """True when following parents from ``slug`` leads back to it."""
        seen: set[str] = set()
        cur = self.places.get(slug)
        while cur and cur.parent:
            if cur.parent == slug:
                return True
            if cur.parent in seen:
                return False
            seen.add(cur.parent)
            cur = self.places.get(cur.parent)
        return False

    def tag_lookup(self) -> dict[str, str]:
        """Every name and synonym of a tag mapped to its slug (for suggestions)."""
        out = {}
        for t in self.tags.values():
            out[t.slug] = t.slug
            out[t.name] = t.slug
            for s in t.synonyms:
                out.setdefault(s, t.slug)
        return out


def validate_registries(loaded: Loaded) -> tuple[Registry, list[Problem]]:
    """Check the places, tags and sources registries."""
    reg = Registry()
    out: list[Problem] = []
    where: dict[tuple[str, str], tuple[str, tuple[int, int]]] = {}

    def add(kind: str, slug: str, obj: Any, doc: Document, path: tuple) -> bool:
        key = (kind, slug)
        if key in where:
            file, pos = where[key]
            out.append(problem("duplicate-slug", doc.display, doc.pos(path), format_path(path),
                               value=slug, other=f"{file}:{pos[0]}"))
            return False
        where[key] = (doc.display, doc.pos(path))
        return True

    for doc in loaded.places:
        out.extend(doc.problems)
        if doc.data is None:
            continue
        items = doc.data.get("places") if isinstance(doc.data, dict) else None
        for i, item in enumerate(items or []):
            sub = Document(path=doc.path, display=doc.display, data=item,
                           positions={k[2:]: v for k, v in doc.positions.items() if k[:2] == ("places", i)})
            obj, probs = check_model(sub, m.Place)
            out.extend(_shift(probs, ("places", i)))
            if obj and add("place", obj.slug, obj, doc, ("places", i)):
                reg.places[obj.slug] = obj
        if not isinstance(items, list):
            out.append(problem("missing-field", doc.display, (1, 1), "places", field="places"))
    for slug, place in reg.places.items():
        if place.parent and place.parent not in reg.places:
            out.append(problem("unknown-parent", *where[("place", slug)],
                               "parent", value=place.parent, suggestion=suggest(place.parent, reg.places)))
        elif reg.in_cycle(slug):
            out.append(problem("place-cycle", *where[("place", slug)],
                               "parent", value=slug))

    if loaded.tags is None:
        out.append(problem("registry-missing", str(loaded.cases_dir / "_registry"), None, filename="tags.yml"))
    else:
        reg.tags_file = loaded.tags.display
        out.extend(loaded.tags.problems)
        if loaded.tags.data is not None:
            obj, probs = check_model(loaded.tags, m.TagsFile)
            out.extend(probs)
            if obj:
                for i, g in enumerate(obj.groups):
                    if add("group", g.slug, g, loaded.tags, ("groups", i)):
                        reg.groups[g.slug] = g
                for i, t in enumerate(obj.tags):
                    if add("tag", t.slug, t, loaded.tags, ("tags", i)):
                        reg.tags[t.slug] = t
                    if t.group not in reg.groups:
                        out.append(problem("unknown-group", loaded.tags.display, loaded.tags.pos(("tags", i, "group")),
                                           f"tags[{i}].group", value=t.group, suggestion=suggest(t.group, reg.groups)))

    if loaded.sources is None:
        out.append(problem("registry-missing", str(loaded.cases_dir / "_registry"), None, filename="sources.yml"))
    else:
        reg.sources_file = loaded.sources.display
        out.extend(loaded.sources.problems)
        if loaded.sources.data is not None:
            obj, probs = check_model(loaded.sources, m.SourcesFile)
            out.extend(probs)
            if obj:
                for i, s in enumerate(obj.sources):
                    if add("source", s.id, s, loaded.sources, ("sources", i)):
                        reg.sources[s.id] = s
                    for j, pl in enumerate(s.places):
                        if pl not in reg.places:
                            out.append(problem("unknown-place", loaded.sources.display,
                                               loaded.sources.pos(("sources", i, "places", j)),
                                               f"sources[{i}].places[{j}]", value=pl,
                                               suggestion=suggest(pl, reg.places)))
    if loaded.lexicon is not None:
        out.extend(loaded.lexicon.problems)
        if loaded.lexicon.data is not None:
            reg.lexicon, probs = check_model(loaded.lexicon, m.LexiconFile)
            out.extend(probs)
            if reg.lexicon is not None:
                out.extend(check_lexicon(loaded.lexicon, reg.lexicon, reg.tags, suggest))
    return reg, out


def _shift(probs: list[Problem], prefix: tuple) -> list[Problem]:
    """Prefix field names of problems found in a sub-document."""
    from dataclasses import replace
    pre = format_path(prefix)
    return [replace(p, field=f"{pre}.{p.field}" if p.field else pre) for p in probs]


def suggest(value: str, choices: Iterable[str], names: dict[str, str] | None = None) -> str:
    guess = None
    if names and value in names:
        guess = names[value]
    guess = guess or closest(value, list(choices) + list(names or {}))
    if names and guess in names:
        guess = names[guess]
    return f"是否指“{guess}”？" if guess else ""


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
    if isinstance(place, str):
        names = {p.name: p.slug for p in reg.places.values()}
        if place not in reg.places:
            yield problem("unknown-place", f, doc.pos(("place",)), "place", value=place,
                          suggestion=suggest(place, reg.places, names) or "先在 cases/_registry/places/ 中登记")
        else:
            folder = doc.path.parent.name
            if folder != place and folder in reg.places:
                yield problem("place-dir-mismatch", f, doc.pos(("place",)), "place", value=place, folder=folder,
                              suggestion=f"把文件移到 cases/{place}/ 下")
    unit = d.get("unit")
    if isinstance(unit, str) and unit:
        names = {p.name: p.slug for p in reg.places.values()}
        if unit not in reg.places:
            yield problem("unknown-unit", f, doc.pos(("unit",)), "unit", value=unit,
                          suggestion=suggest(unit, reg.places, names) or "先在 cases/_registry/places/ 中登记该街道或社区")
        elif isinstance(place, str) and place in reg.places and place not in reg.ancestors(unit) and unit != place:
            yield problem("unit-outside-place", f, doc.pos(("unit",)), "unit", value=unit, place=place,
                          suggestion="检查登记表中该单位的 parent，或更正 place")
    tags = d.get("tags")
    if isinstance(tags, list):
        lookup = reg.tag_lookup()
        seen = set()
        for i, t in enumerate(tags):
            if not isinstance(t, str):
                continue
            if t not in reg.tags:
                yield problem("unknown-tag", f, doc.pos(("tags", i)), f"tags[{i}]", value=t,
                              suggestion=suggest(t, reg.tags, lookup) or "可用的标签见 cases/_registry/tags.yml")
            if t in seen:
                yield problem("duplicate-tag", f, doc.pos(("tags", i)), f"tags[{i}]", value=t)
            seen.add(t)
        if not 1 <= len(tags) <= 6 and d.get("status") == "complete":
            yield problem("tag-count", f, doc.pos(("tags",)), "tags", count=len(tags))
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
_CN_DIGIT = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
_CN_UNIT = {"十": 10, "百": 100, "千": 1000, "万": 10000}


def _cn_number(s: str) -> int | None:
    total, section, digit = 0, 0, None
    for ch in s:
        if ch in _CN_DIGIT:
            digit = _CN_DIGIT[ch]
        else:
            unit = _CN_UNIT[ch]
            if unit == 10000:
                total += (section + (digit or 0)) * unit
                section, digit = 0, None
            else:
                section += (1 if digit is None else digit) * unit
                digit = None
    return total + section + (digit or 0)


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
        try:
            out.append(float(_cn_number(mt.group(0))))
        except (KeyError, TypeError):
            pass
        for ch in mt.group(0):  # 三岗十八级: 3 and 18, and each digit alone
            if ch in _CN_DIGIT:
                out.append(float(_CN_DIGIT[ch]))
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


@dataclass
class Validation:
    """The result of validating a cases directory."""

    report: Report
    registry: Registry
    records: list[tuple[m.Record, Document]]
    documents: list[Document]
    cases_dir: Path | None = None


def validate(loaded: Loaded, sources_dir: Path | None = None, strict: bool = False) -> Validation:
    """Run every check on everything loaded; collect all problems."""
    report = Report(strict=strict)
    reg, probs = validate_registries(loaded)
    report.extend(probs)
    records: list[tuple[m.Record, Document]] = []
    if not loaded.records:
        report.extend([problem("no-records", str(loaded.cases_dir), None, dir=loaded.cases_dir)])
    for doc in loaded.records:
        report.extend(doc.problems)
        if doc.data is None:
            continue
        report.extend(check_record_refs(doc, reg))
        rec, probs = check_model(doc, m.Record)
        report.extend(probs)
        if rec is not None:
            report.extend(check_complete(doc, rec))
            records.append((rec, doc))
    report.extend(check_across(records, loaded.records, reg))
    if reg.lexicon is not None and records:
        report.extend(check_terms_used(loaded.lexicon, reg.lexicon, (record_text(r) for r, _ in records)))
    texts, probs = read_sources(reg, sources_dir)
    report.extend(probs)
    if texts is not None:
        for rec, doc in records:
            report.extend(check_evidence(doc, rec, texts, {k: v.date for k, v in reg.sources.items()}))
    report.problems = list(dict.fromkeys(report.problems))  # one problem found by two checks
    _drop_same_spot(report)
    return Validation(report=report, registry=reg, records=records, documents=loaded.records,
                      cases_dir=loaded.cases_dir)


def _drop_same_spot(report: Report) -> None:
    """Keep one problem per spot and message: two checks may see the same fault."""
    seen: set = set()
    kept = []
    for p in report.problems:
        key = (p.code, p.file, p.line, p.field, p.message)
        if key in seen:
            continue
        seen.add(key)
        kept.append(p)
    report.problems = kept


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
