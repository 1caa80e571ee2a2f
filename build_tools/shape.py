"""Shapes: pydantic's verdict on a YAML document as problems at file:line:col, and suggestions."""

from __future__ import annotations

import difflib
import re
import typing
from typing import Any, Iterable

from pydantic import BaseModel, ValidationError

from .load import Document, format_path
from .problems import Problem, problem

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



def suggest(value: str, choices: Iterable[str], names: dict[str, str] | None = None) -> str:
    guess = None
    if names and value in names:
        guess = names[value]
    guess = guess or closest(value, list(choices) + list(names or {}))
    if names and guess in names:
        guess = names[guess]
    return f"是否指“{guess}”？" if guess else ""
