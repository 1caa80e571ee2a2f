"""The generated site as a plain docs tree with its config, for a builder without a plugin API.

Zensical (the successor of Material for MkDocs) reads ``mkdocs.yml`` but runs
no MkDocs plugins, so the pipeline's pages, the search files and the
hand-written pages are written out as one folder, and a config that points
at it; any builder then turns that folder into ``site/``.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import yaml

from .project import footer

# The header search box of a builder other than MkDocs + Material speaks its
# own protocol: it is switched off there, and the 检索 page (our engine) serves.
PLUGIN = "casebook"


def write_docs_tree(root: Path, pages: dict[str, str], search_files: dict[str, str], out: Path,
                    downloads: dict[str, bytes] | None = None) -> Path:
    """Write ``content/`` plus the generated pages and search files under ``out``; return the config path."""
    root, out = Path(root), Path(out)
    if out.exists():
        shutil.rmtree(out)
    docs = out / "docs"
    shutil.copytree(root / "content", docs)
    if (root / "overrides").is_dir():
        shutil.copytree(root / "overrides", out / "overrides")
    for rel, text in {**pages, **search_files}.items():
        path = docs / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    for rel, data in (downloads or {}).items():
        path = docs / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
    config = yaml.safe_load((root / "mkdocs.yml").read_text(encoding="utf-8"))
    config["docs_dir"] = "docs"
    config["site_dir"] = "site"
    plugins = []
    for item in config.get("plugins", []):
        name = item if isinstance(item, str) else next(iter(item))
        if name == PLUGIN:
            continue  # its work is done: the pages are in the tree
        if name == "search":
            item = {"search": {"enabled": False}}
        plugins.append(item)
    config["plugins"] = plugins
    config["copyright"] = footer(config.get("copyright"))
    path = out / "mkdocs.yml"
    path.write_text(yaml.safe_dump(config, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path
