"""The staged build: `make site` loads and validates the records once, then builds the site and both indexes."""

from __future__ import annotations

import hashlib
import re
import shlex
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from build_tools.cli import main
from sitekit import ROOT, make_project


def _site_recipe() -> list[list[str]]:
    """The commands of the Makefile's ``site`` target, and its prerequisites, as argument lists."""
    text = (ROOT / "Makefile").read_text(encoding="utf-8")
    m = re.search(r"^site:(?P<deps>[^\n]*)\n(?P<body>(?:\t[^\n]*\n)+)", text, re.M)
    assert m, "Makefile has no site target"
    return m.group("deps").split(), [shlex.split(line.strip()) for line in m.group("body").splitlines()]


class _Counted:
    """Count the calls of a function wherever the package holds it (its module and every `from … import`)."""

    def __init__(self, monkeypatch, module, name: str):
        self.calls = 0
        real = getattr(module, name)

        def counted(*args, **kwargs):
            self.calls += 1
            return real(*args, **kwargs)

        for mod in list(sys.modules.values()):
            if (getattr(mod, "__name__", "") or "").startswith("build_tools") and getattr(mod, name, None) is real:
                monkeypatch.setattr(mod, name, counted)


def test_make_site_loads_and_validates_the_records_once(tmp_path, monkeypatch):
    """One command builds everything; over the whole of it, the records are loaded, validated and weighed once."""
    import build_tools.index
    import build_tools.load
    import build_tools.segment
    import build_tools.validate
    import build_tools.whoosh_index  # noqa: F401 (imported now, so its names are counted too)
    import build_tools.mkdocs_plugin  # noqa: F401

    deps, commands = _site_recipe()
    assert "validate" not in deps  # `make validate` would load everything again
    casebook = [c for c in commands if c and c[0].endswith("/casebook")]
    assert [c[1] for c in casebook] == ["build"] and len(commands) == 1, commands
    loads = _Counted(monkeypatch, build_tools.load, "load_cases")
    checks = _Counted(monkeypatch, build_tools.validate, "validate")
    weighs = _Counted(monkeypatch, build_tools.index, "weigh")
    made = []  # one entry per segmenter: True when it loaded jieba's dictionary instead of borrowing one
    real_init = build_tools.segment.Segmenter.__init__
    monkeypatch.setattr(build_tools.segment.Segmenter, "__init__",
                        lambda self, words=(), like=None: made.append(like is None) or real_init(self, words, like))
    monkeypatch.chdir(ROOT)
    site, index = tmp_path / "site", tmp_path / "search_index"
    r = CliRunner().invoke(main, casebook[0][1:] + ["--site-dir", str(site), "--index-dir", str(index)])
    assert r.exit_code == 0, r.output
    # The wording checks cut lessons with the base dictionary, the weighing with the corpus's words:
    # two segmenters, but jieba's dictionary is loaded once and the corpus is cut once (one weighing).
    assert (loads.calls, checks.calls, weighs.calls, sum(made)) == (1, 1, 1, 1), made
    assert len(made) <= 2, made
    lines = [line for line in r.output.splitlines() if line.startswith(("✔", "✘"))]  # notes may come first
    assert len(lines) == 4, r.output
    assert re.fullmatch(r"✔ 共 \d+ 条记录：0 个错误，0 个警告，校验通过", lines[0])
    assert re.fullmatch(r"✔ 共 \d+ 个课程：0 个错误，0 个警告，校验通过", lines[1])
    assert lines[2].startswith(f"✔ 网站已构建到 {site}") and lines[3].startswith(f"✔ 已重建索引 {index}")
    assert (site / "index.html").is_file() and (site / "search" / "casebook-index.js").is_file()
    # The command line searches the index the build wrote.
    found = CliRunner().invoke(main, ["search", "外卖骑手", "--index-dir", str(index), "--json"])
    assert found.exit_code == 0 and '"id"' in found.output


def _untouched(folder: Path) -> tuple:
    """What shows that nothing was written: the folder itself, and each file's bytes and date."""
    files = {str(p.relative_to(folder)): (hashlib.sha256(p.read_bytes()).hexdigest(), p.stat().st_mtime_ns)
             for p in sorted(folder.rglob("*")) if p.is_file()}
    return folder.stat().st_ino, files


@pytest.fixture
def small_project(tmp_path):
    from conftest import valid_record

    rec = {**valid_record(), "place": "wuxi", "unit": None, "sources": [{"source": "wuxi", "section": ""}],
           "tags": ["hongse-wuye"]}
    rec["practices"] = [{"text": p["text"]} for p in rec["practices"]]
    rec["outcomes"] = [{"text": p["text"]} for p in rec["outcomes"]]
    rec["metrics"] = []
    return make_project(tmp_path / "proj", {"wuxi/ok.yml": {**rec, "id": "ok"}})


def test_a_failed_build_says_where_and_leaves_site_and_index_as_they_were(small_project, monkeypatch):
    monkeypatch.chdir(small_project)
    first = CliRunner().invoke(main, ["build"])
    assert first.exit_code == 0, first.output
    site, index = _untouched(small_project / "site"), _untouched(small_project / "search_index")
    (small_project / "cases" / "wuxi" / "bad.yml").write_text("id: bad\ntitle: 坏\nplace: nowhere\n", encoding="utf-8")
    r = CliRunner().invoke(main, ["build"])
    assert r.exit_code == 1
    assert re.search(r"cases/wuxi/bad\.yml:3:\d+ unknown-place", r.output), r.output
    assert "✘ 共 2 条记录" in r.output and "✘ 构建失败，原有网站和检索索引未改动" in r.output
    assert "Traceback" not in r.output and r.exception is None or isinstance(r.exception, SystemExit)
    assert _untouched(small_project / "site") == site and _untouched(small_project / "search_index") == index


def test_footer_gives_the_day_of_the_build_not_of_the_last_commit(tmp_path, monkeypatch):
    """构建于 is today's date unless SOURCE_DATE_EPOCH says otherwise; the build pins it to the day's start."""
    import datetime as dt
    import os
    import subprocess

    from build_tools.builders import BuildError, write_site
    from build_tools.project import footer

    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    old = {"GIT_AUTHOR_DATE": "2020-01-02T12:00:00", "GIT_COMMITTER_DATE": "2020-01-02T12:00:00",
           "GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.org", "GIT_COMMITTER_NAME": "t",
           "GIT_COMMITTER_EMAIL": "t@example.org"}
    subprocess.run(["git", "init", "-q", str(tmp_path)], check=True)
    subprocess.run(["git", "-C", str(tmp_path), "commit", "-q", "--allow-empty", "-m", "old"], check=True,
                   env={**os.environ, **old})  # a project whose last commit is years old

    def refused():
        raise BuildError("停在这里")

    with pytest.raises(BuildError):
        write_site(tmp_path, tmp_path / "site", refused, builder="zensical")
    today = dt.date.today()
    start = dt.datetime.combine(today, dt.time())
    assert os.environ["SOURCE_DATE_EPOCH"] == str(int(start.timestamp()))  # one value all day: builds stay identical
    assert footer("基层治理案例库") == f"基层治理案例库 · 构建于 {today.year}年{today.month}月{today.day}日"
    monkeypatch.setenv("SOURCE_DATE_EPOCH", str(int(dt.datetime(2024, 3, 5, 12).timestamp())))
    assert footer(None) == "基层治理案例库 · 构建于 2024年3月5日"  # a packager's date wins


def _zensical_runs(monkeypatch, fail: bool = False) -> list:
    """The Zensical processes the builds start from now on (with ``fail``: each one fails, as a broken theme would)."""
    import subprocess

    real, runs = subprocess.run, []

    def run(cmd, *args, **kwargs):
        if "zensical" in cmd:
            runs.append(cmd)
            if fail:
                return subprocess.CompletedProcess(cmd, 1, "", "Error: 模板出错")
        return real(cmd, *args, **kwargs)

    monkeypatch.setattr(subprocess, "run", run)
    return runs


def test_zensical_building_again_with_nothing_changed_keeps_the_site_as_it_is(small_project, monkeypatch):
    """Zensical rewrites the whole site each time (10,000 records: 7 s, and 2 s to swap it in): with the
    same input it is not run, and not one file of the site is rewritten."""
    from build_tools.build import build_site

    runs = _zensical_runs(monkeypatch)
    site = build_site(small_project, small_project / "site", builder="zensical")
    assert len(runs) == 1 and (site / "cases" / "ok.html").is_file()
    before = _untouched(site)
    assert build_site(small_project, small_project / "site", builder="zensical") == site
    assert len(runs) == 1  # not run again
    assert _untouched(site) == before  # same folder, every file's bytes and date


def _edit(project: Path, change: str) -> tuple[str, str]:
    """Change one thing Zensical reads (or the site it wrote); return a page of the site and a text it must show."""
    if change == "record":
        path = project / "cases" / "wuxi" / "ok.yml"
        path.write_text(path.read_text(encoding="utf-8").replace("title: ", "title: 改过的标题", 1), encoding="utf-8")
        return "cases/ok.html", "改过的标题"
    if change == "config":
        path = project / "mkdocs.yml"
        path.write_text(path.read_text(encoding="utf-8").replace("site_description: ", "site_description: 改过的说明", 1),
                        encoding="utf-8")
        return "cases/ok.html", "改过的说明"
    if change == "override":
        path = project / "overrides" / "zensical" / "partials" / "header-search.html"
        path.write_text(path.read_text(encoding="utf-8") + "<!-- 改过的覆盖 -->\n", encoding="utf-8")
        return "cases/ok.html", "改过的覆盖"
    if change == "asset":
        path = project / "content" / "assets" / "casebook.css"
        path.write_text(path.read_text(encoding="utf-8") + "/* 改过的样式 */\n", encoding="utf-8")
        return "assets/casebook.css", "改过的样式"
    if change == "site":  # a page of the site changed by hand: the kept site would not be Zensical's
        page = project / "site" / "cases" / "ok.html"
        text = page.read_text(encoding="utf-8")
        page.write_text(text.replace("</body>", "<!-- 手改 --></body>"), encoding="utf-8")
        return "cases/ok.html", text[text.index("<h1"):text.index("</h1>")]
    raise AssertionError(change)


@pytest.mark.parametrize("change", ["record", "config", "override", "asset", "site"])
def test_zensical_runs_again_for_any_change_and_the_site_shows_it(small_project, monkeypatch, change):
    from build_tools.build import build_site

    runs = _zensical_runs(monkeypatch)
    site = build_site(small_project, small_project / "site", builder="zensical")
    rel, shown = _edit(small_project, change)
    site = build_site(small_project, small_project / "site", builder="zensical")
    assert len(runs) == 2
    page = (site / rel).read_text(encoding="utf-8")
    assert shown in page and "手改" not in page


def test_a_failed_zensical_build_keeps_the_site_and_the_next_build_runs_it(small_project, monkeypatch):
    from build_tools.build import BuildError, build_site

    site = build_site(small_project, small_project / "site", builder="zensical")
    before = _untouched(site)
    _edit(small_project, "record")
    runs = _zensical_runs(monkeypatch, fail=True)
    with pytest.raises(BuildError, match="Zensical 构建失败：\n.*模板出错"):
        build_site(small_project, small_project / "site", builder="zensical")
    assert len(runs) == 1 and _untouched(site) == before
    monkeypatch.undo()
    runs = _zensical_runs(monkeypatch)
    build_site(small_project, small_project / "site", builder="zensical")  # the same input as the failed build
    assert len(runs) == 1 and "改过的标题" in (site / "cases" / "ok.html").read_text(encoding="utf-8")


def test_each_builder_rebuilds_a_site_the_other_one_made(small_project, monkeypatch):
    """One site folder, built by MkDocs, Zensical, MkDocs, Zensical: no build reuses the other builder's pages."""
    from build_tools.build import build_site

    material = 'data-md-component="search"'  # Material's search box; under Zensical our own box stands there
    runs = _zensical_runs(monkeypatch)
    site = small_project / "site"
    for builder, zensical_runs in (("mkdocs", 0), ("zensical", 1), ("mkdocs", 1), ("zensical", 2)):
        build_site(small_project, site, builder=builder)
        assert len(runs) == zensical_runs, builder
        for rel in ("index.html", "cases/ok.html", "places/wuxi.html"):
            assert (material in (site / rel).read_text(encoding="utf-8")) == (builder == "mkdocs"), (builder, rel)
