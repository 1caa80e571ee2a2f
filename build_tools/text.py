"""Text helpers shared by the stages: slugs from Chinese titles."""

from __future__ import annotations

import re


def slugify(title: str, fallback: str = "") -> str:
    """An ASCII slug from a Chinese title (pinyin, hyphens, at most 48 characters)."""
    from pypinyin import lazy_pinyin

    words = lazy_pinyin(title)
    slug = "-".join(re.sub(r"[^a-z0-9]+", "", w.lower()) for w in words)
    slug = re.sub(r"-+", "-", slug).strip("-")
    return slug[:48].strip("-") or fallback
