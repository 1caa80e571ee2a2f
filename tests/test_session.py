"""The preview session of ``mkdocs serve``: an edit shows on its own page at once, the rest follows."""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
import yaml

from build_tools.build import Pipeline
from build_tools.session import Session

from conftest import ROOT, valid_record, write

MARK = "改动标记甲乙丙。"


def _session(cases: Path, sources: Path, tmp_path: Path) -> Session:
    return Session(Pipeline(cases, sources, strict=True, cache_dir=tmp_path / "cache"))


def _edit(path: Path, **changes) -> None:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    data.update(changes)
    write(path, data)


def test_an_edit_renders_its_own_page_first_then_everything(valid_corpus, sources_dir, tmp_path):
    s = _session(valid_corpus, sources_dir, tmp_path)
    first = s.run()
    assert first.report.valid and not s.last.fast and not s.catch_up_due()
    path = valid_corpus / "binhu" / "binhu-xiaoqu-dangzhibu.yml"
    _edit(path, summary=MARK + valid_record()["summary"])

    quick = s.run()
    assert s.last.fast and s.last.records == ["binhu-xiaoqu-dangzhibu"]
    assert s.last.changed == {"cases/binhu-xiaoqu-dangzhibu.md", "compare/binhu-xiaoqu-dangzhibu.js"}
    assert MARK in quick.pages["cases/binhu-xiaoqu-dangzhibu.md"]
    assert MARK in quick.search_files["compare/binhu-xiaoqu-dangzhibu.js"]
    # Other pages are not made again (the session keeps no text for them): the place
    # page, which lists the summary's first sentence, is stale until the catch-up run.
    assert quick.pages["places/binhu.md"] is None and quick.pages["cases/binhu-wangge-tixi.md"] is None
    assert MARK not in first.pages["places/binhu.md"]
    assert s.catch_up_due()

    full = s.run()
    assert not s.last.fast and not s.catch_up_due()
    assert MARK in full.pages["places/binhu.md"]
    assert full.pages == Pipeline(valid_corpus, sources_dir, strict=True, cache_dir=tmp_path / "c2").run().pages

    s.run()  # nothing changed since: nothing to do
    assert s.last.fast and not s.last.changed and not s.catch_up_due()


def test_an_invalid_edit_is_reported_by_the_full_run(valid_corpus, sources_dir, tmp_path):
    s = _session(valid_corpus, sources_dir, tmp_path)
    s.run()
    path = valid_corpus / "binhu" / "binhu-xiaoqu-dangzhibu.yml"
    _edit(path, practices=[{"text": "按小区组建党支部。", "evidence": ["文章里没有的一句话"]}])
    result = s.run()
    assert not result.report.valid and not s.last.fast
    bad = [p for p in result.report.errors() if p.code == "evidence-not-in-source"]
    assert bad and bad[0].file.endswith("binhu-xiaoqu-dangzhibu.yml") and bad[0].line > 1
    _edit(path, practices=valid_record()["practices"])
    assert s.run().report.valid


@pytest.mark.parametrize("change", ["registry", "new-file", "new-id"])
def test_changes_beyond_one_record_go_to_the_full_run(change, valid_corpus, sources_dir, tmp_path):
    s = _session(valid_corpus, sources_dir, tmp_path)
    s.run()
    if change == "registry":
        tags = valid_corpus / "_registry" / "tags.yml"
        tags.write_text(tags.read_text(encoding="utf-8").replace("把社区划成网格。", "把社区划成若干网格。"),
                        encoding="utf-8")
    elif change == "new-file":
        write(valid_corpus / "binhu" / "binhu-copy.yml", valid_record(id="binhu-copy", title="另一个小区党支部"))
    else:
        _edit(valid_corpus / "binhu" / "binhu-xiaoqu-dangzhibu.yml", id="binhu-renamed")
    result = s.run()
    assert not s.last.fast and not s.catch_up_due()
    assert result.report.valid == (change != "new-id")  # a file named for another id is a problem


# ------------------------------------------------------------------ mkdocs serve, end to end


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _get(url: str) -> str:
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
    try:
        with opener.open(url, timeout=10) as r:
            return r.read().decode("utf-8")
    except OSError:
        return ""


def _wait_for(url: str, text: str, proc, seconds: float) -> float:
    start = time.monotonic()
    while time.monotonic() - start < seconds:
        if proc.poll() is not None:
            pytest.fail(f"mkdocs serve exited with {proc.returncode}")
        if text in _get(url):
            return time.monotonic() - start
        time.sleep(0.2)
    pytest.fail(f"{text!r} not served at {url} within {seconds} s")


def test_serve_shows_an_edit_on_its_page_and_then_on_its_place_page(tmp_path):
    project = tmp_path / "project"
    for name in ("content", "overrides", "cases", "courses"):
        shutil.copytree(ROOT / name, project / name)
    shutil.copy2(ROOT / "mkdocs.yml", project / "mkdocs.yml")
    path = sorted((project / "cases" / "binhu").glob("*.yml"))[0]
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    rid, place = data["id"], data["place"]
    port = _free_port()
    base = f"http://127.0.0.1:{port}"
    env = dict(os.environ, CASEBOOK_CACHE_DIR=str(tmp_path / "cache"), NO_MKDOCS_2_WARNING="1")
    log = (tmp_path / "serve.log").open("w")
    proc = subprocess.Popen([sys.executable, "-m", "mkdocs", "serve", "--dirty", "--no-strict", "-a",
                             f"127.0.0.1:{port}"], cwd=project, env=env, stdout=log, stderr=subprocess.STDOUT,
                            start_new_session=True)
    try:
        _wait_for(f"{base}/cases/{rid}.html", data["title"], proc, 300)
        time.sleep(1.0)  # the watcher is armed after the first build
        data["summary"] = MARK + data["summary"]
        write(path, data)
        _wait_for(f"{base}/cases/{rid}.html", MARK, proc, 120)
        _wait_for(f"{base}/places/{place}.html", MARK, proc, 300)  # the catch-up rebuild
    finally:
        os.killpg(proc.pid, signal.SIGINT)
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
        log.close()
    text = (tmp_path / "serve.log").read_text(encoding="utf-8")
    assert "已更新改动的案例页面" in text, text[-2000:]
