"""Records and figures as tables: spreadsheets people open in Excel or WPS, or fixed ids for other tools.

By default a table has Chinese headers, names first and ids in the last
columns (CSV in UTF-8 with BOM, XLSX with a frozen, filterable header row).
``ids=True`` gives the stable machine layout: English ids as headers, in an
order that only grows at the end (documented in the editors' guide).
"""

from __future__ import annotations

import csv
import io
import json
import unicodedata

from . import model as m
from . import sections
from .corpus import Corpus
from pathlib import Path

from .project import atomic_save, fixed_zip_times
from .figures import figure_text, fmt_value, is_result, role_label

# The machine layout: never renamed or reordered, new columns only at the end.
FIGURE_COLUMNS = ["record_id", "record_title", "place", "place_full", "tags", "label", "value", "value_max",
                  "unit", "kind", "kind_label", "evidence", "source_id", "source_title", "section",
                  "qualifier", "is_result", "role_label", "value_text", "place_name", "tag_ids"]
RECORD_COLUMNS = ["id", "title", "place", "place_full", "unit", "level", "tags", "summary", "problems",
                  "practices", "outcomes", "figures", "as_of", "sources", "place_name", "tag_ids"]
# The people's layout: (row key, header). Names first, the ids last.
FIGURE_SHEET = [("record_title", "案例"), ("place_name", "地点"), ("place_full", "地点全称"), ("tags", "标签"),
                ("label", "指标"), ("value", "数值（区间的下限）"), ("value_max", "区间上限"), ("unit", "单位"),
                ("value_text", "原文写法"), ("qualifier", "限定词"), ("kind_label", "类型"),
                ("role_label", "性质"), ("is_result", "是否成效"), ("evidence", "证据原文"),
                ("source_title", "来源文章"), ("section", "小节"), ("record_id", "案例编号"),
                ("place", "地点编号"), ("tag_ids", "标签编号"), ("kind", "类型编号"), ("source_id", "来源编号")]
# Columns that hold a record section take its label from the one presentation contract.
RECORD_SHEET = [("title", "案例"), ("place_full", "地点"), ("level", "层级"), ("tags", "标签"),
                ("summary", sections.part("summary")), ("problems", sections.label("problems")),
                ("practices", sections.label("practices")), ("outcomes", sections.label("outcomes")),
                ("figures", "数字"), ("as_of", "年份"), ("sources", sections.label("sources")), ("id", "案例编号"),
                ("place", "地点编号"), ("unit", "单位编号"), ("tag_ids", "标签编号")]
WIDEST = 50  # characters: a longer text wraps inside its cell


def figure_rows(corpus: Corpus) -> list[dict]:
    """One row per figure, with its evidence and source."""
    rows = []
    for rec in corpus.records.values():
        for mt in rec.metrics:
            sid = mt.source or (rec.sources[0].source if rec.sources else "")
            src = corpus.registry.sources.get(sid)
            low, high = (mt.value.min, mt.value.max) if isinstance(mt.value, m.Range) else (mt.value, None)
            if isinstance(mt.value, m.Ratio):  # a ratio stays a ratio: 1:18, not 18
                low, high = fmt_value(mt), None
            rows.append({
                "record_id": rec.id, "record_title": rec.title, "place": rec.unit or rec.place,
                "place_full": corpus.full_place(rec), "tags": "、".join(corpus.tag_name(t) for t in rec.tags),
                "label": mt.label, "value": low, "value_max": high, "unit": mt.unit, "kind": mt.kind,
                "kind_label": m.METRIC_KIND_LABELS[mt.kind], "evidence": mt.evidence, "source_id": sid,
                "source_title": src.title if src else sid,
                "section": next((s.section for s in rec.sources if s.source == sid), ""),
                "qualifier": mt.qualifier or "", "is_result": is_result(mt),
                "role_label": role_label(mt), "value_text": figure_text(mt),
                "place_name": corpus.place_name(rec.unit or rec.place), "tag_ids": "、".join(rec.tags),
            })
    return rows


def record_rows(corpus: Corpus) -> list[dict]:
    """One row per record: what a table of cases needs, texts joined by line breaks."""
    return [{
        "id": r.id, "title": r.title, "place": r.place, "place_full": corpus.full_place(r), "unit": r.unit or "",
        "level": r.level, "tags": "、".join(corpus.tag_name(t) for t in r.tags), "summary": r.summary,
        "problems": "\n".join(r.problems), "practices": "\n".join(c.text for c in r.practices),
        "outcomes": "\n".join(c.text for c in r.outcomes),
        "figures": "；".join(f"{mt.label} {figure_text(mt)}" + ("" if is_result(mt) else
                            f"（{role_label(mt)}）") for mt in r.metrics),
        "as_of": r.as_of.year if r.as_of else "", "sources": "、".join(corpus.citations(r)),
        "place_name": corpus.place_name(r.unit or r.place), "tag_ids": "、".join(r.tags),
    } for r in corpus.records.values()]


def layout(rows: list[dict], sheet: list[tuple[str, str]]) -> tuple[list[str], list[list]]:
    """Header and cell values of a table for people: Chinese headers, yes/no as 是/否."""
    yes_no = lambda v: ("是" if v else "否") if isinstance(v, bool) else v
    return [t for _, t in sheet], [[yes_no(row[k]) for k, _ in sheet] for row in rows]


def machine_layout(rows: list[dict], columns: list[str]) -> tuple[list[str], list[list]]:
    """Header and cell values of a table for programs: the fixed column ids, values as they are."""
    return list(columns), [[row[c] for c in columns] for row in rows]


def to_csv(header: list[str], values: list[list]) -> bytes:
    """CSV with a BOM, so Excel and WPS read the Chinese right."""
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\r\n")
    w.writerow(header)
    for row in values:
        w.writerow(["" if v is None else v for v in row])
    return ("\ufeff" + buf.getvalue()).encode("utf-8")


def text_width(value) -> int:
    """How many Excel width units the longest line of ``value`` takes: a Chinese character counts two.

    So do the ambiguous ones (“”—…): Chinese fonts draw them full width.
    """
    lines = str(value)[:WIDEST * 2].split("\n")
    return max(sum(2 if unicodedata.east_asian_width(ch) in "WFA" else 1 for ch in line) for line in lines)


def to_xlsx(sheets: list[tuple[str, list[str], list[list]]]) -> bytes:
    """An .xlsx workbook: one sheet per (name, header, values); numbers stay numbers.

    Each sheet has a bold, frozen header row with filter buttons and columns
    as wide as their contents (a long text wraps at about 50 characters).
    Written in openpyxl's write-only mode: rows stream to the file instead of
    being held as styled cell objects (10,000 records: 28 s and 600 MB before).
    """
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter

    wb = Workbook(write_only=True)
    bold, wrap = Font(bold=True), Alignment(wrap_text=True, vertical="top")
    for name, header, values in sheets:
        ws = wb.create_sheet(name)
        ws.freeze_panes = "A2"
        ws.print_title_rows = "1:1"
        long = []
        for i, title in enumerate(header):
            width = max([text_width(title) + 3,  # room for the filter button
                         *(text_width(row[i]) for row in values if row[i] is not None)])
            ws.column_dimensions[get_column_letter(i + 1)].width = min(WIDEST, width + 1)
            long.append(width > WIDEST)
        head = []
        for title in header:
            cell = WriteOnlyCell(ws, value=title)
            cell.font = bold
            head.append(cell)
        ws.append(head)
        for row in values:
            cells = []
            for value, wraps in zip(row, long):
                if wraps and isinstance(value, str):
                    value = WriteOnlyCell(ws, value=value)
                    value.alignment = wrap
                cells.append(value)
            ws.append(cells)
        ws.auto_filter.ref = f"A1:{get_column_letter(len(header))}{len(values) + 1}"
    buf = io.BytesIO()
    wb.save(buf)
    return fixed_zip_times(buf.getvalue())


def figure_downloads(corpus: Corpus, cache: Path | None = None) -> dict[str, bytes]:
    """The site's 数据一览 downloads (CSV and Excel), kept in ``cache`` by their rows.

    An edit that touches no figure (most do not) reuses the workbook, which at
    10,000 records takes seconds to write.
    """
    import hashlib
    import pickle

    rows = figure_rows(corpus)
    code = Path(__file__).read_bytes()
    key = hashlib.sha256(code + json.dumps(rows, ensure_ascii=False, sort_keys=True).encode()).hexdigest()
    cached = Path(cache) / f"figures-{key}.pickle" if cache else None
    if cached and cached.is_file():
        return pickle.loads(cached.read_bytes())
    table = layout(rows, FIGURE_SHEET)
    out = {"downloads/figures.csv": to_csv(*table), "downloads/figures.xlsx": to_xlsx([("数字", *table)])}
    if cached:
        cached.parent.mkdir(parents=True, exist_ok=True)
        for old in cached.parent.glob("figures-*.pickle"):
            old.unlink()
        data = pickle.dumps(out)
        atomic_save(cached, lambda p: p.write_bytes(data))
    return out


def export(corpus: Corpus, fmt: str, ids: bool = False) -> dict[str, bytes]:
    """Files for ``casebook export``: {file name: bytes}; ``ids`` gives the machine layout."""
    figures, records = figure_rows(corpus), record_rows(corpus)
    if fmt == "json":
        data = {"records": [r.model_dump(mode="json") for r in corpus.records.values()], "figures": figures}
        return {"casebook.json": json.dumps(data, ensure_ascii=False, indent=1).encode("utf-8")}
    if ids:
        figure_table, record_table = machine_layout(figures, FIGURE_COLUMNS), machine_layout(records, RECORD_COLUMNS)
    else:
        figure_table, record_table = layout(figures, FIGURE_SHEET), layout(records, RECORD_SHEET)
    if fmt == "csv":
        return {"records.csv": to_csv(*record_table), "figures.csv": to_csv(*figure_table)}
    if fmt == "xlsx":
        return {"casebook.xlsx": to_xlsx([("案例", *record_table), ("数字", *figure_table)])}
    raise ValueError(fmt)
