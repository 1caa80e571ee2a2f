"""Jinja2 environments: every value a template prints is escaped unless marked safe.

Site pages are Markdown with some raw HTML, so their environment escapes for
both (:func:`esc`); course packs are HTML with Jinja's own autoescape.
Helpers that build links return :class:`markupsafe.Markup`, which passes
through unchanged.
"""

from __future__ import annotations

import html
import re
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, StrictUndefined
from markupsafe import Markup

TEMPLATES = Path(__file__).parent / "templates"
_MD_SPECIAL = re.compile(r"([\\`*_\[\]{}#+\-!|~<>])")


def esc(text: object) -> str:
    """Escape text for Markdown: no HTML, no emphasis, no links, safe in table cells."""
    s = str(text).replace("\r", "")
    s = html.escape(s, quote=False)
    s = _MD_SPECIAL.sub(r"\\\1", s)
    return s.replace("\n", " ")


def html_esc(text: object) -> str:
    """Escape text for raw HTML."""
    return html.escape(str(text), quote=True)


def _md_finalize(value: object) -> object:
    if isinstance(value, Markup) or value is None:
        return "" if value is None else value
    return esc(value)


def markdown_env() -> Environment:
    """For the site's Markdown pages: ``{{ x }}`` is Markdown-escaped, ``{{ x|html }}`` HTML-escaped."""
    env = Environment(loader=FileSystemLoader(str(TEMPLATES / "site")), autoescape=False,
                      finalize=_md_finalize, trim_blocks=True, lstrip_blocks=True,
                      keep_trailing_newline=True, undefined=StrictUndefined)
    env.filters["html"] = lambda v: Markup(html_esc(v))
    # attr_list's heading id: `{#` would open a Jinja comment in the template itself.
    env.globals["anchor"] = lambda key: Markup("{#" + html_esc(key) + "}")
    return env


def html_env() -> Environment:
    """For stand-alone HTML (course packs): Jinja's HTML autoescape."""
    return Environment(loader=FileSystemLoader(str(TEMPLATES / "course")), autoescape=True,
                       trim_blocks=True, lstrip_blocks=True, undefined=StrictUndefined)
