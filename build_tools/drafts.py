"""Records started from an article: drafts with their evidence in place, and evidence suggestions for statements.

``casebook new --from-source ID --item N`` drafts a record around item N of
``casebook source check``: for each sentence around it a statement slot with
its verbatim clauses filled in and the statement left for the editor
(:data:`~build_tools.draft_rules.UNWRITTEN`), plus the figure or person of the
item. ``casebook evidence suggest`` lists, for each statement of a record, the
article clauses that share most of its key words, and flags statements whose
evidence shares none of them.
"""

from __future__ import annotations

import json
import re
from dataclasses import asdict, dataclass, field
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, StrictUndefined
from markupsafe import Markup

from . import model as m
from .draft_rules import UNWRITTEN
from .intake import CAPTION_MARK, PAGE_MARK, IntakeError
from .load import DRAFTS_DIR, format_path
from .segment import GENERIC, STOP
from .source_items import KIND_LABELS, Item, find_items
from .text import slugify
from .validate import Validation

TEMPLATES = Path(__file__).parent / "templates" / "drafts"
LEVELS = {"省": "市级", "地级市": "市级", "县级市": "县级", "市辖区": "县级", "县": "县级", "街道": "镇街级",
          "镇": "镇街级", "社区": "社区级", "村": "村级", "小区": "小区级"}
_SENTENCE = re.compile(r"[^。！？!?]+[。！？!?]?")
_CLAUSE_END = re.compile(r"[，,；;：:。！？!?]")
_QUALIFIERS = sorted(m.QUALIFIER_PLACES, key=len, reverse=True)


def _yaml_env() -> Environment:
    """Every printed value becomes a YAML double-quoted scalar (or number) unless passed through ``raw``/``comment``."""
    env = Environment(loader=FileSystemLoader(str(TEMPLATES)), autoescape=False, trim_blocks=True,
                      lstrip_blocks=True, keep_trailing_newline=True, undefined=StrictUndefined,
                      finalize=lambda v: v if isinstance(v, Markup) else json.dumps(v, ensure_ascii=False))
    env.filters["raw"] = lambda v: Markup(str(v))
    env.filters["comment"] = lambda v: Markup(re.sub(r"\s+", " ", str(v)))
    return env


@dataclass
class Slot:
    """A statement slot: the article sentence and its verbatim clauses."""

    line: int
    sentence: str
    evidence: list[str]


def evidence_clauses(sentence: str, limit: int = m.CLAIM_EVIDENCE_MAX) -> list[str]:
    """A sentence as verbatim pieces of at most ``limit`` characters, cut at its punctuation."""
    body = sentence.strip().rstrip("。！？!?；;，,")
    pieces, start = [], 0
    for mt in _CLAUSE_END.finditer(body):
        pieces.append(body[start:mt.start()])
        start = mt.end()
    pieces.append(body[start:])
    out: list[str] = []
    cur_start = cur_end = None
    pos = 0
    for piece in pieces:
        at = body.find(piece, pos)
        pos = at + len(piece)
        if not piece.strip():
            continue
        if cur_start is not None and pos - cur_start <= limit:
            cur_end = pos
            continue
        if cur_start is not None:
            out.append(body[cur_start:cur_end].strip())
        cur_start, cur_end = at, pos
        while cur_end - cur_start > limit:  # one clause longer than the limit: verbatim slices
            out.append(body[cur_start:cur_start + limit].strip())
            cur_start += limit
    if cur_start is not None and body[cur_start:cur_end].strip():
        out.append(body[cur_start:cur_end].strip())
    return [c for c in out if re.search(r"[\u4e00-\u9fff0-9]", c)]


def sentences_around(text: str, item: Item, reach: int = 1) -> list[Slot]:
    """The item's sentence and ``reach`` sentences either side of it, in the item's paragraph."""
    line = text.split("\n")[item.line - 1]
    for mark in (CAPTION_MARK, PAGE_MARK):
        line = line.removeprefix(mark)
    line = line.lstrip("#").strip()
    sentences = [s.group(0) for s in _SENTENCE.finditer(line) if s.group(0).strip()]
    anchor = item.key if item.kind != "figure" else item.text
    here = next((i for i, s in enumerate(sentences) if anchor in s), 0)
    chosen = sentences[max(0, here - reach):here + reach + 1]
    return [Slot(item.line, s.strip(), evidence_clauses(s)) for s in chosen if evidence_clauses(s)]


def metric_from(item: Item) -> dict:
    """A metric prefilled from a figure item: value, qualifier, unit and a clause of at most 60 characters."""
    key = item.key
    qualifier = next((q for q in _QUALIFIERS if key.startswith(q) or key.endswith(q)
                      or re.search(rf"\d{re.escape(q)}", key)), None)
    ratio = re.match(r"(\d+(?:\.\d+)?)[:：](\d+(?:\.\d+)?)", key)
    span = re.search(r"(\d+(?:\.\d+)?)(?:[—\-~～至到](\d+(?:\.\d+)?))?(万|亿)?", key)
    num = lambda s: int(s) if re.fullmatch(r"\d+", s) else float(s)
    if ratio:
        value, unit = {"left": num(ratio.group(1)), "right": num(ratio.group(2))}, ""
    elif span:
        times = {"万": 10_000, "亿": 100_000_000}.get(span.group(3) or "", 1)
        scale = lambda s: num(s) * times if times == 1 else round(float(s) * times)
        value = ({"min": scale(span.group(1)), "max": scale(span.group(2))} if span.group(2)
                 else scale(span.group(1)))
        unit = key[span.end():]
    else:  # 千余件: a numeral word
        value = {"千": 1000, "百": 100, "万": 10000}[key[0]]
        unit = key[2:]
    for q in _QUALIFIERS:
        unit = unit.replace(q, "")
    evidence = item.text
    if len(evidence) > m.EVIDENCE_MAX:
        at = evidence.find(key)
        start = max(0, min(at - (m.EVIDENCE_MAX - len(key)) // 2, len(evidence) - m.EVIDENCE_MAX))
        evidence = evidence[start:start + m.EVIDENCE_MAX]
    return {"value": value, "qualifier": qualifier, "unit": unit, "evidence": evidence}


def title_candidate(items: list[Item], index: int) -> str:
    """The item's own name for a method; else the nearest method named before it (a few paragraphs up)."""
    item = items[index]
    if item.kind == "method":
        return item.text[:m.TITLE_MAX]
    before = [it for it in items[:index] if it.kind == "method" and item.line - it.line <= 4]
    return (before[-1].text if before else item.text)[:m.TITLE_MAX]


def draft_record(validation: Validation, source_id: str, sources_dir: Path, n: int,
                 place: str | None = None, rid: str | None = None) -> Path:
    """Write the draft of item ``n`` (1-based, as ``casebook source check`` numbers it) into ``cases/_drafts/``."""
    reg = validation.registry
    source = reg.sources.get(source_id)
    if source is None:
        raise IntakeError(reg.sources_file, f"来源“{source_id}”未登记",
                          f"已登记的来源：{'、'.join(reg.sources) or '无'}；新文章先用 casebook source add 登记")
    path = Path(sources_dir) / source.file
    if not path.is_file():
        raise IntakeError(str(path), f"来源“{source_id}”的文章不在来源目录里", "用 --sources 指定来源目录，如 ../shared/sources")
    text = path.read_text(encoding="utf-8", errors="replace")
    items = find_items(text)
    if not 1 <= n <= len(items):
        raise IntakeError(str(path), f"没有第 {n} 项：这篇文章列出了 {len(items)} 项",
                          f"先运行 casebook source check {source_id} 看各项的序号")
    item = items[n - 1]
    place = place or (source.places[0] if source.places else None)
    if place is None or place not in reg.places:
        raise IntakeError(reg.sources_file, f"不知道这条记录的地点（{place or '来源没有登记地点'}）",
                          "用 --place 写明地点 slug，如 --place binhu（见 cases/_registry/places/）")
    title = title_candidate(items, n - 1)
    taken = {d.path.stem for d in validation.documents} | {d.path.stem for _, d in validation.drafts}
    base = rid or slugify(re.sub(r"[“”‘’]", "", title), f"{place}-draft")
    if not re.match(m.ID_PATTERN, base):
        raise IntakeError(str(path), f"id“{base}”不合规", "用 --id 写一个只含小写字母、数字和连字符的 id")
    if rid and rid in taken:
        raise IntakeError(str(path), f"id“{rid}”已被使用", "用 --id 另取一个")
    new_id, k = base, 2
    while new_id in taken:
        new_id, k = f"{base}-{k}", k + 1
    line = text.split("\n")[item.line - 1]
    people = []
    if item.kind == "person":
        at = line.find(item.key)
        clause = next((c for c in evidence_clauses(line[max(0, at - 60):at + 20]) if item.key in c), item.key)
        people.append({"name": item.key, "role": item.text[len(item.key):].strip("（）")[:40], "evidence": clause})
    cases_dir = Path(validation.cases_dir or "cases")
    out = cases_dir / DRAFTS_DIR / f"{new_id}.yml"
    if out.exists():
        raise IntakeError(str(out), "这个草稿已经存在", "打开它接着写，或用 --id 另取一个")
    level = LEVELS.get(reg.places[place].level, "社区级")
    data = {"source": source_id, "n": n, "kind_label": KIND_LABELS[item.kind], "item_text": item.text,
            "line": item.line, "id": new_id, "title": title, "place": place, "level": level,
            "unwritten": UNWRITTEN, "practices": sentences_around(text, item), "people": people,
            "metrics": [metric_from(item)] if item.kind == "figure" else []}
    body = _yaml_env().get_template("draft.yml.j2").render(**data)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(body, encoding="utf-8")
    return out


# ------------------------------------------------------ evidence suggestions


@dataclass
class Suggestion:
    """An article clause that shares key words with a statement."""

    clause: str
    line: int
    shared: list[str]


@dataclass
class StatementEvidence:
    """One statement of a record, its own evidence, and the article clauses that best support it."""

    field: str
    line: int
    text: str
    evidence: list[str]
    keywords: list[str]
    unshared: bool  # its evidence shares none of its key words
    suggestions: list[Suggestion] = field(default_factory=list)


def key_words(segmenter, text: str) -> list[str]:
    """The words of ``text`` that say what it is about (no function words, no corpus-wide words)."""
    words = segmenter.tokens(text, search_mode=False)
    return list(dict.fromkeys(w for w in words if len(w) >= 2 and w not in STOP and w not in GENERIC
                              and re.search(r"[\u4e00-\u9fff]", w)))


def article_clauses(text: str) -> list[tuple[str, int]]:
    """Every clause of an article with its line, cut at its punctuation, for suggestions."""
    out = []
    for i, line in enumerate(text.split("\n"), 1):
        if line.startswith(PAGE_MARK):
            continue
        for sentence in _SENTENCE.finditer(line.removeprefix(CAPTION_MARK).lstrip("#")):
            out += [(c, i) for c in evidence_clauses(sentence.group(0)) if len(c) >= 4]
    return out


def suggest_evidence(rec: m.Record, doc, articles: dict[str, str], segmenter, limit: int = 3) -> list[StatementEvidence]:
    """For each statement of ``rec`` (facts and what people said), the clauses that share most of its key words."""
    scored_clauses = [(c, ln, set(key_words(segmenter, c))) for text in articles.values()
                      for c, ln in article_clauses(text)]
    out = []
    slots = [((name, i, "text"), c.text, c.evidence) for name in ("background", "practices", "outcomes")
             for i, c in enumerate(getattr(rec, name))]
    slots += [(("people", i, "said"), p.said, p.evidence) for i, p in enumerate(rec.people) if p.said]
    for path, text, evidence in slots:
        if UNWRITTEN in text:
            continue
        keys = key_words(segmenter, text)
        own = set(key_words(segmenter, "。".join(evidence)))
        ranked = sorted(((len(set(keys) & words), -len(c), c, ln, words) for c, ln, words in scored_clauses
                         if set(keys) & words), key=lambda x: (-x[0], -x[1]))
        best, seen = [], set()
        for score, _, c, ln, words in ranked:
            if c in seen:
                continue
            seen.add(c)
            best.append(Suggestion(c, ln, [k for k in keys if k in words]))
            if len(best) == limit:
                break
        out.append(StatementEvidence(format_path(path), doc.pos(path)[0], text, list(evidence), keys,
                                     bool(keys) and bool(evidence) and not (set(keys) & own), best))
    return out


def as_dict(rows: list[StatementEvidence]) -> list[dict]:
    return [asdict(r) for r in rows]
