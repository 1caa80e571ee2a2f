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
