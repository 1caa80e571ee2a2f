"""How a figure reads everywhere it is shown: number, range or ratio, its qualifier and its unit."""

from __future__ import annotations

from . import model as m
from .sections import label


def fmt_number(v: float | int, grouped: bool = True) -> str:
    """A number as readers see it: 3,500 and 2.7; ``grouped=False`` for years (2021, not 2,021)."""
    if isinstance(v, float) and v.is_integer():
        v = int(v)
    if grouped and isinstance(v, int) and abs(v) >= 1000:
        return f"{v:,}"
    return f"{v}"


def fmt_value(mt: m.Metric) -> str:
    """The number part alone: 3,500, 10—30 or 1:18 (no qualifier, no unit)."""
    grouped = not mt.unit.startswith("年")  # a calendar year reads 2021, not 2,021
    if isinstance(mt.value, m.Range):
        return f"{fmt_number(mt.value.min, grouped)}—{fmt_number(mt.value.max, grouped)}"
    if isinstance(mt.value, m.Ratio):
        return f"{fmt_number(mt.value.left, grouped)}:{fmt_number(mt.value.right, grouped)}"
    return fmt_number(mt.value, grouped)


def figure_cells(mt: m.Metric) -> tuple[str, str]:
    """(value cell, unit cell) of a table row: 近 3,500 | 人; 1,000 | 余件; 2.7 | 万余名; 150 | 名左右."""
    value, unit, q = fmt_value(mt), mt.unit, mt.qualifier
    place = m.QUALIFIER_PLACES.get(q or "")
    if place == "before":
        value = f"{q} {value}"
    elif place == "mid":  # 2.7万余名: after 万 or 亿 when the unit starts with one
        unit = unit[0] + q + unit[1:] if unit[:1] in ("万", "亿") else q + unit
    elif place == "after":
        unit = unit + q
    return value, unit


def figure_text(mt: m.Metric) -> str:
    """A figure in running text: 近 3,500 人, 1,000 余件, 超 97%, 1:18."""
    value, unit = figure_cells(mt)
    if not unit:
        return value
    return value + unit if unit[0] in "%‰" else f"{value} {unit}"


def is_result(mt: m.Metric) -> bool:
    """Whether the figure is shown as a result (成效, 主要数字, 数据一览's result flag)."""
    return mt.kind in m.RESULT_KINDS


def role_label(mt: m.Metric) -> str:
    """What the figure is, in readers' words: the 成效 section's label, 工作标准 or 背景口径."""
    role = m.metric_role(mt.kind)
    return label("outcomes") if role == "result" else {"rule": "工作标准", "context": "背景口径"}[role]


SCALES = {"万": 10_000, "亿": 100_000_000}


def sort_value(mt: m.Metric) -> float:
    """The number a table sorts by: a range by its lower bound, a ratio by its quotient, 2.7万 as 27,000."""
    if isinstance(mt.value, m.Range):
        v = mt.value.min
    elif isinstance(mt.value, m.Ratio):
        v = mt.value.left / mt.value.right if mt.value.right else mt.value.left
    else:
        v = mt.value
    return float(v) * SCALES.get(mt.unit[:1], 1)
