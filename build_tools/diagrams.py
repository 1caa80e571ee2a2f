"""A record's 组织架构 chain drawn with Graphviz ``dot``: SVG for pages, PNG for Word, cached by content.

The chain is drawn top to bottom, one box a tier. ``dot`` runs offline at
build time (the Makefile installs it with ``make sysdeps``); each distinct
chain is drawn once and kept under the project's cache folder, keyed by the
chain, the drawing settings and dot's version, so a rebuild does not call
dot again and two builds give the same bytes. Without ``dot`` a build stops
with :class:`DiagramError`, a message that names the fix.
"""

from __future__ import annotations

import hashlib
import shutil
import subprocess
from dataclasses import dataclass, field
from pathlib import Path

from .builders import BuildError
from .project import cache_dir

# The site's Chinese faces first (casebook.css), then the one the Makefile installs: text
# stays text in the SVG, and the reader's browser picks the first face it has.
FONTS = "PingFang SC, Hiragino Sans GB, Microsoft YaHei, Noto Sans CJK SC, WenQuanYi Micro Hei, sans-serif"
# The course pack's dark red on a pale ground; the site's stylesheet recolours them for its schemes.
INK, LINE, FILL = "#1a1a1a", "#8b0000", "#fff6f5"
WRAP = 16  # characters a line in a box: a box stays narrower than a phone
PNG_DPI = 192
BREAK_AFTER = "，、：；）》」。"
VERSION = "1"  # of the drawing below: a change here draws every chain again
MISSING = ("没有找到 Graphviz 的 dot 命令：组织架构图在构建时由它画出。"
           "请运行 make sysdeps（或 apt-get install graphviz）安装后重试。")


class DiagramError(BuildError):
    """dot is missing or failed; the message is for the user."""


@dataclass
class Diagrams:
    """Draws chains with dot, keeping each drawing in ``folder`` by content."""

    folder: Path
    version: str = field(default="", repr=False)  # dot's, asked once per drawer

    @classmethod
    def for_cases(cls, cases_dir: Path | None) -> "Diagrams":
        """The drawings of the project whose records are in ``cases_dir`` (its cache folder)."""
        root = Path(cases_dir).resolve().parent if cases_dir else Path(".").resolve()
        return cls(cache_dir(root) / "diagrams")

    def svg(self, chain: list[str]) -> str:
        """The chain as an inline SVG element: no ids, titles or comments, hidden from screen readers.

        The page shows the chain as a list beside it: that list is the text
        alternative, so the drawing itself is ``aria-hidden``.
        """
        return self._drawn(chain, "svg").decode("utf-8")

    def png(self, chain: list[str]) -> bytes:
        """The chain as a PNG (for Word), drawn at ``PNG_DPI``."""
        return self._drawn(chain, "png")

    def _drawn(self, chain: list[str], fmt: str) -> bytes:
        source = dot_source(chain)
        self.version = self.version or dot_version()
        key = hashlib.sha256("\n".join([VERSION, self.version, fmt, source]).encode()).hexdigest()[:32]
        path = self.folder / f"{key}.{fmt}"
        if path.is_file():
            return path.read_bytes()
        args = ["-Tsvg"] if fmt == "svg" else ["-Tpng", f"-Gdpi={PNG_DPI}"]
        data = _run_dot(args, source)
        data = clean_svg(data).encode("utf-8") if fmt == "svg" else data
        self.folder.mkdir(parents=True, exist_ok=True)
        tmp = path.with_name(f".{path.name}.tmp")
        tmp.write_bytes(data)
        tmp.replace(path)
        return data


def dot_version() -> str:
    """dot's version line (part of the cache key); raises :class:`DiagramError` when dot is missing."""
    return _run_dot(["-V"], "").decode("utf-8", "replace").strip()


def _run_dot(args: list[str], source: str) -> bytes:
    exe = shutil.which("dot")
    if not exe:
        raise DiagramError(MISSING)
    run = subprocess.run([exe, *args], input=source.encode("utf-8"), capture_output=True)
    if run.returncode != 0:
        raise DiagramError("Graphviz 的 dot 画组织架构图失败：" + run.stderr.decode("utf-8", "replace").strip()[-500:]
                           + "\n请确认 Graphviz 安装完整（make sysdeps）。")
    # `dot -V` answers on stderr
    return run.stdout or run.stderr


def wrap(text: str, width: int = WRAP) -> list[str]:
    """``text`` in lines of at most ``width`` characters, broken after punctuation where one is near."""
    lines: list[str] = []
    while len(text) > width:
        cut = max((i + 1 for i, ch in enumerate(text[:width]) if ch in BREAK_AFTER), default=0)
        cut = cut if cut > width // 2 else width
        lines.append(text[:cut])
        text = text[cut:]
    return [*lines, text] if text else lines


def _quoted(text: str) -> str:
    """A DOT string: quotes and backslashes escaped, lines joined by dot's centred line break."""
    return '"' + "\\n".join(line.replace("\\", "\\\\").replace('"', '\\"') for line in wrap(text)) + '"'


def dot_source(chain: list[str]) -> str:
    """The DOT graph of a chain: one rounded box a tier, an arrow from each tier to the next."""
    lines = ["digraph {",
             'graph [rankdir=TB, bgcolor=transparent, ranksep=0.22, pad=0.04];',
             f'node [shape=box, style="rounded,filled", fontname="{FONTS}", fontsize=14, '
             f'fillcolor="{FILL}", color="{LINE}", fontcolor="{INK}", margin="0.18,0.07"];',
             f'edge [color="{LINE}", arrowsize=0.7];']
    lines += [f"n{i} [label={_quoted(step)}];" for i, step in enumerate(chain)]
    lines += [f"n{i} -> n{i + 1};" for i in range(len(chain) - 1)]
    return "\n".join([*lines, "}", ""])


def clean_svg(data: bytes) -> str:
    """dot's SVG as one inline element: no XML prologue, comments, titles or ids (many on one page)."""
    from lxml import etree

    root = etree.fromstring(data, etree.XMLParser(remove_comments=True, resolve_entities=False, no_network=True))
    ns = "{http://www.w3.org/2000/svg}"
    for title in root.iter(f"{ns}title"):
        title.getparent().remove(title)
    for el in root.iter():
        el.attrib.pop("id", None)
    root.set("class", "cb-diagram__svg")
    root.set("aria-hidden", "true")
    root.set("focusable", "false")
    out = etree.tostring(root, encoding="unicode")
    # One line: Markdown keeps a raw HTML block whole only when no blank line is inside it.
    return " ".join(line.strip() for line in out.splitlines() if line.strip())
