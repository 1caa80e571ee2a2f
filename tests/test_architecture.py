"""The packages' shape (build_tools and benchmarks): no import cycles, no private names across modules,
modules of a readable size."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
# benchmarks/out/ holds generated projects, not the benchmarks' code.
PACKAGES = [ROOT / "build_tools", ROOT / "benchmarks"]
on_every_package = pytest.mark.parametrize("package", PACKAGES, ids=lambda p: p.name)


def _sources(package: Path) -> list[Path]:
    return [p for p in package.rglob("*.py") if p.relative_to(package).parts[0] != "out"]


def _modules(package: Path) -> dict[str, ast.Module]:
    out = {}
    for path in _sources(package):
        name = ".".join(path.relative_to(package).with_suffix("").parts)
        out[name.removesuffix(".__init__")] = ast.parse(path.read_text(encoding="utf-8"))
    return out


def _imports(name: str, tree: ast.Module) -> list[tuple[str, list[str]]]:
    """(module imported, names) for every import of the package, function-level ones included."""
    package = name.rsplit(".", 1)[0] if "." in name else ""
    out = []
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.level:
            base = package.split(".")[: len(package.split(".")) - node.level + 1] if package else []
            target = ".".join([*filter(None, base), node.module] if node.module else base)
            if node.module is None:  # from . import x
                for alias in node.names:
                    out.append((".".join(filter(None, [*base, alias.name])), []))
            else:
                out.append((target, [a.name for a in node.names]))
    return out


@on_every_package
def test_no_import_cycles(package):
    mods = _modules(package)
    graph = {m: {t for t, _ in _imports(m, tree) if t in mods and t != m} for m, tree in mods.items()}
    cycles = []

    def visit(node, path, seen):
        for nxt in graph[node]:
            if nxt == path[0]:
                cycles.append(path + [nxt])
            elif nxt not in seen and nxt > path[0]:
                seen.add(nxt)
                visit(nxt, path + [nxt], seen)

    for start in graph:
        visit(start, [start], {start})
    assert cycles == [], cycles


@on_every_package
def test_no_private_names_imported_across_modules(package):
    bad = [(m, t, n) for m, tree in _modules(package).items() for t, names in _imports(m, tree) for n in names
           if n.startswith("_") and n != "__version__"]
    assert bad == []


@on_every_package
def test_every_module_is_short_enough_to_read(package):
    long = {str(p.relative_to(ROOT)): n for p in _sources(package)
            if (n := len(p.read_text(encoding="utf-8").splitlines())) > 400}
    assert long == {}
