"""The site's side files (browser index, downloads) staged on disk by the child that makes them."""

from __future__ import annotations

import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Staged:
    """Files written under ``folder``: the names of the search files and of the downloads."""

    folder: Path
    search: tuple[str, ...]
    downloads: tuple[str, ...]


def staging_folder(cache_dir: Path) -> Path:
    """A new, empty folder for one build's side files, in the build cache (so on the site's disk, usually)."""
    base = Path(cache_dir) / "side-files"
    base.mkdir(parents=True, exist_ok=True)
    return Path(tempfile.mkdtemp(prefix="build-", dir=base))


def stage(folder: Path, search: dict[str, str], downloads: dict[str, bytes]) -> Staged:
    """Write the files under ``folder``: the parent moves them into the site without holding them in memory."""
    write_files(folder, {**search, **downloads})
    return Staged(folder, tuple(search), tuple(downloads))


def write_files(folder: Path, files: dict[str, str | bytes], only: set[str] | None = None) -> None:
    """Write text (UTF-8) and bytes under ``folder`` by relative name (only the names in ``only``, when given)."""
    for rel, data in files.items():
        if only is not None and rel not in only:
            continue
        path = Path(folder) / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(data, bytes):
            path.write_bytes(data)
        else:
            path.write_text(data, encoding="utf-8")


def read_bytes(staged: Staged) -> dict[str, bytes]:
    """Every staged file's bytes by name (for a builder that wants them in memory); the folder goes."""
    out = {rel: (staged.folder / rel).read_bytes() for rel in (*staged.search, *staged.downloads)}
    discard(staged.folder)
    return out


def read(staged: Staged) -> tuple[dict[str, str], dict[str, bytes]]:
    """The staged files as text (search files) and bytes (downloads); the folder goes."""
    files = read_bytes(staged)
    return {rel: files[rel].decode("utf-8") for rel in staged.search}, {rel: files[rel] for rel in staged.downloads}


def move_into(staged: Staged, site: Path, only: set[str] | None = None) -> None:
    """Move the staged files into ``site`` (only the names in ``only``, when given); the folder goes."""
    for rel in (*staged.search, *staged.downloads):
        if only is not None and rel not in only:
            continue
        target = Path(site) / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.move(str(staged.folder / rel), str(target))
    discard(staged.folder)


def discard(folder: Path) -> None:
    """Remove a staging folder and what is left in it."""
    shutil.rmtree(folder, ignore_errors=True)
