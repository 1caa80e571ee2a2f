"""build_tools.background: work made by a forked child, and the build's side files made that way."""

from __future__ import annotations

import os
import threading

import pytest

from build_tools import background
from build_tools.background import Later, can_fork
from build_tools.build import Pipeline

def _spy():
    """A Later that notes each child it forks: (the notes, the class)."""
    children = []

    class Spy(Later):
        def __init__(self, make, fork=True):
            super().__init__(make, fork)
            if self.forked:  # the small parts made in place (loading two files, say) are not children
                children.append(self.forked)

    return children, Spy


def test_the_value_is_made_by_a_child_process():
    later = Later(lambda: os.getpid())
    assert later.forked
    assert later.get() != os.getpid()
    assert later.get() == later.get()  # asked twice, made once


def test_without_fork_the_value_is_made_at_once_here():
    made = []
    later = Later(lambda: made.append(1) or os.getpid(), fork=False)
    assert not later.forked and made == [1]
    assert later.get() == os.getpid()


def test_no_child_while_another_thread_runs():
    stop = threading.Event()
    thread = threading.Thread(target=stop.wait)
    thread.start()
    try:
        later = Later(lambda: os.getpid())
        assert not later.forked and later.get() == os.getpid()
    finally:
        stop.set()
        thread.join()


def test_a_failing_child_leaves_the_work_to_the_parent_which_raises_as_without_a_child():
    def boom():
        raise ValueError("坏数据")

    later = Later(boom)
    assert later.forked
    with pytest.raises(ValueError, match="坏数据"):
        later.get()


def test_cancel_stops_the_child():
    later = Later(lambda: threading.Event().wait(60))
    later.cancel()
    assert not later._proc.is_alive()


def test_the_side_files_made_by_a_child_equal_those_made_in_place(valid_corpus, sources_dir, tmp_path, monkeypatch):
    forked = Pipeline(valid_corpus, sources_dir, strict=True, cache_dir=tmp_path / "a").run()
    assert forked.later is not None and forked.later.forked == can_fork()
    search_files, downloads = forked.side_files()
    assert forked.later is None
    assert any(name.startswith("search/") for name in search_files)  # the browser index
    assert any(name.startswith("compare/") for name in search_files)
    assert downloads  # the figures' Excel and CSV files

    monkeypatch.setattr(background, "can_fork", lambda: False)
    here = Pipeline(valid_corpus, sources_dir, strict=True, cache_dir=tmp_path / "b").run()
    assert not here.later.forked
    assert here.side_files() == (search_files, downloads)
    assert here.pages == forked.pages


@pytest.mark.parametrize("module, threshold, later_in, made", [
    ("render", "PARALLEL_RECORDS", "render", "pages"),      # pages: same texts, same order
    ("index", "PARALLEL_RELATED", "background", "related"),  # related records (by background.in_two)
])
def test_work_split_over_two_cores_equals_the_work_done_on_one(valid_corpus, sources_dir, tmp_path, monkeypatch,
                                                               module, threshold, later_in, made):
    import importlib

    one = getattr(Pipeline(valid_corpus, sources_dir, strict=True, cache_dir=tmp_path / "a").run(), made)
    children, Spy = _spy()
    monkeypatch.setattr(importlib.import_module(f"build_tools.{module}"), threshold, 2)
    monkeypatch.setattr(importlib.import_module(f"build_tools.{later_in}"), "Later", Spy)
    two = getattr(Pipeline(valid_corpus, sources_dir, strict=True, cache_dir=tmp_path / "b").run(), made)
    assert children == [True]
    assert list(two.items()) == list(one.items())


def test_side_files_staged_by_the_child_are_moved_into_the_site_not_read(valid_corpus, sources_dir, tmp_path,
                                                                        monkeypatch):
    from build_tools import side_files

    made = Pipeline(valid_corpus, sources_dir, strict=True, cache_dir=tmp_path / "a").run()
    want = Pipeline(valid_corpus, sources_dir, strict=True, cache_dir=tmp_path / "b").run().side_files()
    monkeypatch.setattr(side_files, "read", lambda staged: pytest.fail("read into memory"))
    site = tmp_path / "site"
    made.write_side_files(site)
    written = {p.relative_to(site).as_posix(): p.read_bytes() for p in site.rglob("*") if p.is_file()}
    assert written == {rel: d if isinstance(d, bytes) else d.encode() for rel, d in {**want[0], **want[1]}.items()}
    assert not any((tmp_path / "a" / "side-files").iterdir())  # the staging folder went


def test_a_failed_build_stops_the_child_and_leaves_no_staged_files(valid_corpus, sources_dir, tmp_path):
    made = Pipeline(valid_corpus, sources_dir, strict=True, cache_dir=tmp_path / "a").run()
    made.discard()
    assert made.later is None
    assert not any((tmp_path / "a" / "side-files").iterdir())


def test_the_plugin_keeps_the_side_files_to_come_but_not_the_page_texts(valid_corpus, sources_dir, tmp_path):
    from types import SimpleNamespace

    from build_tools.mkdocs_plugin import CasebookPlugin

    result = Pipeline(valid_corpus, sources_dir, strict=True, cache_dir=tmp_path / "a").run()
    plugin = CasebookPlugin()
    plugin.load_config({})
    plugin.prepared = lambda: result
    plugin.on_config(SimpleNamespace(config_file_path=str(valid_corpus.parent / "mkdocs.yml"), copyright=""))
    # The texts go once on_files has written them (10,000 records: about 100 MB less at MkDocs's peak).
    assert plugin.pages == result.pages and plugin.side.pages == {}
    assert plugin.side.later is result.later and plugin.side.staging == result.staging
    result.discard()


def test_record_files_parsed_on_two_cores_equal_those_parsed_on_one(valid_corpus, monkeypatch):
    from build_tools import load

    paths = load.record_files(valid_corpus)
    one = [(d.display, d.data, d.positions, d.problems) for d in load.load_files(paths)]
    children, Spy = _spy()
    monkeypatch.setattr(load, "PARALLEL_FILES", 2)
    monkeypatch.setattr(background, "Later", Spy)
    two = [(d.display, d.data, d.positions, d.problems) for d in load.load_files(paths)]
    assert children == [True] and len(paths) == 2
    assert two == one


def test_side_bytes_for_a_docs_tree_are_the_side_files_read_once(valid_corpus, sources_dir, tmp_path):
    made = Pipeline(valid_corpus, sources_dir, strict=True, cache_dir=tmp_path / "a").run()
    search, downloads = Pipeline(valid_corpus, sources_dir, strict=True, cache_dir=tmp_path / "b").run().side_files()
    got = made.side_bytes()
    assert got == {rel: d if isinstance(d, bytes) else d.encode() for rel, d in {**search, **downloads}.items()}
    assert made.later is None and not any((tmp_path / "a" / "side-files").iterdir())
