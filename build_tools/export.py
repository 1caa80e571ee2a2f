"""Records and figures as tables for other tools: CSV (UTF-8 with BOM, for Excel and WPS), XLSX, JSON.

The column names are stable (documented in the editors' guide); a new column
is added at the end, never renamed.
"""

from __future__ import annotations

import csv
import io
import json

from . import model as m
from .corpus import Corpus
from pathlib import Path

from .project import atomic_save, fixed_zip_times
from .figures import figure_text, fmt_value, is_result, role_label

FIGURE_COLUMNS = ["record_id", "record_title", "place", "place_full", "tags", "label", "value", "value_max",
                  "unit", "kind", "kind_label", "evidence", "source_id", "source_title", "section",
                  "qualifier", "is_result", "role_label", "value_text"]
RECORD_COLUMNS = ["id", "title", "place", "place_full", "unit", "level", "tags", "summary", "problems",
                  "practices", "outcomes", "figures", "as_of", "sources"]
# Column titles for people who open the file in Excel or WPS.
FIGURE_TITLES = ["案例编号", "案例", "地点编号", "地点", "标签", "指标", "数值", "数值上限（区间）", "单位", "类型编号",
                 "类型", "证据原文", "来源编号", "来源文章", "小节",
                 "限定词", "是否成效", "性质", "数值（原文写法）"]


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
    } for r in corpus.records.values()]


def to_csv(rows: list[dict], columns: list[str], titles: list[str] | None = None) -> bytes:
    """CSV with a BOM, so Excel and WPS read the Chinese right."""
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\r\n")
    w.writerow(titles or columns)
    for row in rows:
        w.writerow(["" if row[c] is None else row[c] for c in columns])
    return ("\ufeff" + buf.getvalue()).encode("utf-8")


def to_xlsx(sheets: list[tuple[str, list[dict], list[str], list[str]]]) -> bytes:
    """An .xlsx workbook: one sheet per (name, rows, columns, titles); numbers stay numbers.

    Written in openpyxl's write-only mode: rows stream to the file instead of
    being held as styled cell objects (10,000 records: 28 s and 600 MB before).
    Long text columns wrap; numbers keep the default style.
    """
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter

    wb = Workbook(write_only=True)
    bold, wrap = Font(bold=True), Alignment(wrap_text=True, vertical="top")
    for name, rows, columns, titles in sheets:
        ws = wb.create_sheet(name)
        ws.freeze_panes = "A2"
        texts = []
        for i, (col, title) in enumerate(zip(columns, titles), 1):
            sample = [str(title), *(str(r[col]) for r in rows[:200] if r[col] is not None)]
            width = max(len(x) for x in sample)
            ws.column_dimensions[get_column_letter(i)].width = min(60, max(8, width * 1.6))
            texts.append(width > 12)
        header = []
        for title in titles:
            cell = WriteOnlyCell(ws, value=title)
            cell.font = bold
            header.append(cell)
        ws.append(header)
        for row in rows:
            cells = []
            for col, long in zip(columns, texts):
                value = row[col]
                if long and isinstance(value, str):
                    value = WriteOnlyCell(ws, value=value)
                    value.alignment = wrap
                cells.append(value)
            ws.append(cells)
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
    out = {"downloads/figures.csv": to_csv(rows, FIGURE_COLUMNS, FIGURE_TITLES),
           "downloads/figures.xlsx": to_xlsx([("数字", rows, FIGURE_COLUMNS, FIGURE_TITLES)])}
    if cached:
        cached.parent.mkdir(parents=True, exist_ok=True)
        for old in cached.parent.glob("figures-*.pickle"):
            old.unlink()
        data = pickle.dumps(out)
        atomic_save(cached, lambda p: p.write_bytes(data))
    return out


def export(corpus: Corpus, fmt: str) -> dict[str, bytes]:
    """Files for ``casebook export``: {file name: bytes}."""
    figures, records = figure_rows(corpus), record_rows(corpus)
    if fmt == "json":
        data = {"records": [r.model_dump(mode="json") for r in corpus.records.values()], "figures": figures}
        return {"casebook.json": json.dumps(data, ensure_ascii=False, indent=1).encode("utf-8")}
    if fmt == "csv":
        return {"records.csv": to_csv(records, RECORD_COLUMNS), "figures.csv": to_csv(figures, FIGURE_COLUMNS)}
    if fmt == "xlsx":
        return {"casebook.xlsx": to_xlsx([("案例", records, RECORD_COLUMNS, RECORD_COLUMNS),
                                         ("数字", figures, FIGURE_COLUMNS, FIGURE_COLUMNS)])}
    raise ValueError(fmt)
