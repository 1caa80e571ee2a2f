"""Where a project's files live: one place for paths that every entry point shares."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Callable

CACHE_ENV = "CASEBOOK_CACHE_DIR"


def cache_dir(root: Path) -> Path:
    """The folder for caches and generated work files of the project at ``root``.

    ``$CASEBOOK_CACHE_DIR`` moves it (the tests point it at a temporary
    folder so that they leave the checkout as they found it).
    """
    env = os.environ.get(CACHE_ENV)
    return Path(env).resolve() if env else Path(root).resolve() / ".cache"


SOURCES = "../shared/sources"  # beside the project, as in mkdocs.yml's plugin config


def sources_dir(root: Path) -> Path | None:
    """The source articles beside the project, or None when they are not there."""
    p = (Path(root) / SOURCES).resolve()
    return p if p.is_dir() else None

def atomic_save(path: Path, write: Callable[[Path], None]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.tmp")
    try:
        write(tmp)
        tmp.replace(path)
    finally:
        if tmp.exists():
            tmp.unlink()


def build_epoch() -> str:
    """The moment a build stands for: SOURCE_DATE_EPOCH when set, else the start of today (local time).

    Not the last commit's date: the footer says when the site was built. The
    start of the day rather than the second, so two builds on one day are
    byte-identical (MkDocs stamps its sitemap with it too).
    """
    import datetime as dt
    import os

    return os.environ.get("SOURCE_DATE_EPOCH") or str(int(dt.datetime.combine(dt.date.today(), dt.time()).timestamp()))


def build_date() -> str:
    """The footer's 构建于 date: the local date of :func:`build_epoch`."""
    import datetime as dt

    when = dt.datetime.fromtimestamp(int(build_epoch()))
    return f"{when.year}年{when.month}月{when.day}日"


def footer(copyright_text: str | None) -> str:
    """The footer line: the project's line from mkdocs.yml and the build date."""
    return f"{copyright_text or '基层治理案例库'} · 构建于 {build_date()}"


def relative_404(site: Path) -> None:
    """404.html sits at the site root but links from ``/``: from a USB stick (file://) that is the disk root."""
    import re

    page = Path(site) / "404.html"
    if page.is_file():
        text = page.read_text(encoding="utf-8")
        text = re.sub(r'(href|src)="/(?!/)', r'\1="./', text)
        text = re.sub(r'"base":\s*"/"', '"base": "."', text)
        page.write_text(text, encoding="utf-8")


def fixed_zip_times(data: bytes) -> bytes:
    """An .xlsx/.docx (a zip) with fixed dates in its entries and properties: two builds, same bytes."""
    import io
    import re
    import zipfile

    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            data = src.read(info.filename)
            if info.filename == "docProps/core.xml":
                data = re.sub(rb"(<dcterms:(?:created|modified)[^>]*>)[^<]*", rb"\g<1>2020-01-01T00:00:00Z", data)
            fixed = zipfile.ZipInfo(info.filename, (2020, 1, 1, 0, 0, 0))
            fixed.compress_type = zipfile.ZIP_DEFLATED
            dst.writestr(fixed, data)
    return out.getvalue()
