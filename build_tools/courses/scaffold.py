"""A new course spec pre-filled from tags, places or a query (casebook course new)."""

from __future__ import annotations

import json
from typing import Iterable


from .. import model as m
from .. import shape
from ..corpus import Corpus
from .spec import LIMIT_MAX, QueryFn, Selection, select_records

# ---------------------------------------------------------------- new spec


def _q(text: str) -> str:
    """A YAML double-quoted scalar (JSON strings are valid YAML)."""
    return json.dumps(text, ensure_ascii=False)


def compare_question(corpus: Corpus, recs: list[m.Record]) -> str:
    """A session question that makes cadres compare the places of ``recs`` (names its cases, so no two
    sessions share one)."""
    places = list(dict.fromkeys(corpus.place_name(r.place) for r in recs))
    if len(recs) >= 2 and all(r.level in UPPER for r in recs):
        names = "、".join(f"「{r.title.split('：')[0][:18]}」" for r in recs[:3])
        return (f"{names}都是市县出台的制度：各要求谁来做、给了什么保障、靠什么督促？"
                "如果只能先推一项，你会选哪一项，理由是什么？")
    if len(places) >= 2:
        return (f"比较{'、'.join(places[:4])}的做法：各由哪一级党组织牵头？靠什么机制把各方拉进来？"
                "成效数字说明了什么、没说明什么？哪一种最适合你所在的社区，需要先补齐什么条件？")
    return (f"{places[0] if places else '案例中'}的做法依赖哪些前提条件（编制、经费、党员力量、群众基础）？"
            "如果你所在的社区不具备这些条件，第一步应当做什么？")


UPPER = ("市级", "县级")  # where policies are made; the other levels carry them out


def _by_level(corpus: Corpus, name: str, found: list[m.Record], per_session: int) -> list[tuple[str, list[m.Record]]]:
    """Sessions that differ in what they teach: records grouped by the practice they share besides
    the course's own (减负增效 · 考核评价, 减负增效 · 政策制度体系), each titled by it."""
    main = {t for r in found for t in r.tags if all(t in x.tags for x in found)}
    count: dict[str, int] = {}
    for r in found:
        for t in r.tags:
            if t not in main:
                count[t] = count.get(t, 0) + 1
    groups: dict[str, list[m.Record]] = {}
    for r in found:
        others = sorted((t for t in r.tags if t not in main), key=lambda t: (-count[t], t))
        key = next((t for t in others if count[t] >= 2), others[0] if others else "")
        groups.setdefault(key, []).append(r)
    out: list[tuple[str, list[m.Record]]] = []
    leftovers: list[m.Record] = []
    for key, recs in sorted(groups.items(), key=lambda kv: -len(kv[1])):
        if len(recs) < 2 or not key:
            leftovers += recs
            continue
        out.append((f"{name}与{corpus.tag_name(key)}", recs[:per_session]))
        leftovers += recs[per_session:]
    if leftovers and out:
        places = "、".join(dict.fromkeys(corpus.place_name(r.place) for r in leftovers[:per_session]))
        out.append((f"{name}：{places}的其他做法", leftovers))
    elif leftovers:  # no shared practice to group by: one session per place
        by_place: dict[str, list[m.Record]] = {}
        for r in leftovers:
            by_place.setdefault(r.place, []).append(r)
        out = [(f"{name}：{corpus.place_name(place)}的做法", recs) for place, recs in by_place.items()]
    return out


def new_spec(corpus: Corpus, title: str, tags: Iterable[str] = (), places: Iterable[str] = (),
             query: str | None = None, query_fn: QueryFn | None = None,
             per_session: int = 3, max_sessions: int = 3) -> tuple[str, list[str]]:
    """YAML text of a spec pre-filled with the matching records, and their ids.

    Raises ValueError (Chinese message) for an unknown tag or place.
    """
    tags, places = list(tags), list(places)
    reg = corpus.registry
    for t in tags:
        if t not in reg.tags:
            hint = shape.suggest(t, reg.tags, reg.tag_lookup())
            raise ValueError(f"未登记的标签“{t}”" + (f"，{hint}" if hint else "；可用的标签见 cases/_registry/tags.yml"))
    names = {p.name: p.slug for p in reg.places.values()}
    for p in places:
        if p not in reg.places:
            hint = shape.suggest(p, reg.places, names)
            raise ValueError(f"未登记的地点“{p}”" + (f"，{hint}" if hint else "；可用的地点见 cases/_registry/places/"))
    sel = Selection(tags=tags, places=places, query=query or None, limit=LIMIT_MAX)
    found = select_records(corpus, sel, query_fn) if (tags or places or query) else []
    if not found:
        return "", []
    # sessions: one per tag when several tags were asked for, else chunks of the ranked list
    groups: list[tuple[str, list[m.Record]]] = []
    if len(tags) > 1:
        used: set[str] = set()
        for t in tags:
            recs = [r for r in found if t in r.tags and r.id not in used]
            if recs:
                used.update(r.id for r in recs[:per_session])
                groups.append((corpus.tag_name(t), recs))
    else:
        name = corpus.tag_name(tags[0]) if tags else (query or "、".join(corpus.place_name(p) for p in places))
        groups = _by_level(corpus, name, found, per_session) if len(found) > per_session else [(name, found)]
    groups = groups[:max_sessions]
    chosen = {r.id for _, recs in groups for r in recs[:per_session]}
    spare = [r for r in found if r.id not in chosen]
    minutes = 90
    topic = "、".join(corpus.tag_name(t) for t in tags) or (query or "本课程主题")
    lines = [
        f"# 课程包：{title}",
        "# 由 casebook course new 生成，请按需修改：调整单元、换案例（写记录 id）、补写讨论题。",
        "# 生成：casebook course build 本文件 --edition trainer",
        "# 字段：title 课程名；audience 培训对象；duration 总分钟数；objectives 教学目标；",
        "#      sessions 单元：title、minutes、cases（记录 id）或 select（tags/places/query/limit）、questions、notes。",
        f"title: {_q(title)}",
        f"audience: {_q('社区党组织书记、居委会主任，街道（镇）分管基层治理的干部')}",
        f"duration: {minutes * len(groups)}",
        "objectives:",
        f"  - {_q(f'了解各地在{topic}方面的主要做法、组织链条和成效数字')}",
        f"  - {_q('比较不同地区做法的牵头主体、实施层级和前提条件，判断哪些适合本地')}",
        f"  - {_q('结合本社区实际，提出一条可以落地的改进措施')}",
        "sessions:",
    ]
    for name, recs in groups:
        recs = recs[:per_session]
        lines += [f"  - title: {_q(name)}", f"    minutes: {minutes}", "    cases:"]
        lines += [f"      - {r.id}  # {corpus.full_place(r)} · {r.title}".replace("\n", " ") for r in recs]
        lines += ["    questions:", f"      - {_q(compare_question(corpus, recs))}"]
    if spare:
        lines.append("# 其他匹配的记录（可换入上面的 cases）：")
        lines += [f"#   {r.id}  # {corpus.full_place(r)} · {r.title}".replace("\n", " ") for r in spare]
    return "\n".join(lines) + "\n", [r.id for _, recs in groups for r in recs[:per_session]]
