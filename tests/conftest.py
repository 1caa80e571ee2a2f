"""Shared helpers: build a temporary cases directory with a minimal registry.

``make_cases({relative_path: content})`` writes a cases directory under
``tmp_path`` and returns its path.  Content may be text, bytes, or Python
data (dumped as YAML).  A minimal valid registry is always written first,
so a test only lists the record files it is about; a test may still
override a registry file by giving its path (``_registry/tags.yml``).

The sources directory (``sources_dir`` fixture) holds ``s1.txt``, the text
of the one registered source ``s1``.
"""

from __future__ import annotations

import copy
import os
import subprocess
import tempfile
from pathlib import Path
from typing import Any, Callable

import pytest
import yaml

ROOT = Path(__file__).resolve().parent.parent

# Caches, the generated docs tree and screenshots go to a temporary folder:
# the suite leaves the checkout as it found it (checked at the end, below).
_WORK = Path(tempfile.mkdtemp(prefix="casebook-tests-"))
os.environ["CASEBOOK_CACHE_DIR"] = str(_WORK / "cache")
os.environ.setdefault("CASEBOOK_ARTIFACTS", str(_WORK / "artifacts"))


def _checkout_state() -> set[str]:
    out = subprocess.run(["git", "-C", str(ROOT), "status", "--porcelain", "--ignored", "--untracked-files=all"],
                         capture_output=True, text=True)
    return set(out.stdout.splitlines()) if out.returncode == 0 else set()


@pytest.fixture(scope="session", autouse=True)
def checkout_left_as_found():
    """Fail the run if a test wrote anything into the checkout."""
    before = _checkout_state()
    yield
    made = sorted(_checkout_state() - before)
    assert not made, "tests wrote into the checkout: " + ", ".join(made[:10])


@pytest.fixture(scope="module")
def browser():
    """Chromium from file:// with every other request blocked and recorded (one per test file)."""
    from sitekit import OfflineBrowser, require_chromium

    require_chromium()
    b = OfflineBrowser()
    yield b
    b.close()


@pytest.fixture(scope="session")
def site_of(tmp_path_factory) -> Callable[[str], Path]:
    """``site_of(builder)``: the shipped records built by ``mkdocs`` or ``zensical``, once a session."""
    from build_tools.build import build_site

    built: dict[str, Path] = {}

    def get(builder: str) -> Path:
        if builder not in built:
            built[builder] = build_site(ROOT, tmp_path_factory.mktemp(f"built-{builder}") / "site", builder=builder)
        return built[builder]

    return get


@pytest.fixture(scope="session", params=("mkdocs", "zensical"))
def builder(request) -> str:
    """Each site builder in turn: MkDocs + Material, then Zensical."""
    return request.param


@pytest.fixture(scope="session")
def built_site(builder, site_of) -> Path:
    """The shipped records built into a temporary site by each builder (see ``builder``), shared by
    every test file: every test that opens the site runs on both."""
    return site_of(builder)


@pytest.fixture(scope="module")
def engine_page(built_site):
    """The site's own search engine awake in Chromium from file:// (one per test file and builder).

    Yields ``(browser, page, site)``; the page is the home page with the engine loaded."""
    from browsereval import open_engine
    from sitekit import OfflineBrowser, require_chromium

    require_chromium()
    b = OfflineBrowser()
    page = open_engine(b.context, built_site)
    yield b, page, built_site
    b.close()


FIXTURES = Path(__file__).parent / "fixtures"
BAD = FIXTURES / "bad"

SOURCE_TEXT = (
    "全区组建小区党支部53个，覆盖小区232个，每个中心户联系10—30户农户，"
    "报考比例达1:18，党员2.7万余名，四级党建网格体系。\n"
)

PLACES = {
    "places": [
        {"slug": "jiangsu", "name": "江苏省", "level": "省"},
        {"slug": "wuxi", "name": "无锡市", "level": "地级市", "parent": "jiangsu"},
        {"slug": "binhu", "name": "滨湖区", "level": "市辖区", "parent": "wuxi"},
        {"slug": "binhu-shuixiu", "name": "水秀社区", "level": "社区", "parent": "binhu"},
    ]
}

TAGS = {
    "groups": [
        {"slug": "zuzhi", "name": "组织体系", "definition": "党组织怎么设、怎么连。"},
        {"slug": "wangge", "name": "网格治理", "definition": "把社区划成网格。"},
    ],
    "tags": [
        {"slug": "xiaoqu-dangzhibu", "name": "小区党支部", "group": "zuzhi",
         "definition": "在住宅小区建立党支部。", "synonyms": ["小区支部"]},
        {"slug": "wangge-zhili", "name": "网格化管理", "group": "wangge",
         "definition": "以网格为单元发现和处置问题。", "synonyms": []},
        {"slug": "dangyuan-zhongxinhu", "name": "党员中心户", "group": "zuzhi",
         "definition": "党员家庭联系周边农户。",
         "note": "来源只有一篇文章提到，暂只用于一条记录。"},
    ],
}

SOURCES = {
    "sources": [
        {"id": "s1", "file": "s1.txt", "title": "滨湖区小区党建", "places": ["binhu"],
         "date": None, "pages": None},
    ]
}

REGISTRY = {
    "_registry/places/base.yml": PLACES,
    "_registry/tags.yml": TAGS,
    "_registry/sources.yml": SOURCES,
}

VALID_RECORD: dict[str, Any] = {
    "id": "binhu-xiaoqu-dangzhibu",
    "title": "小区党支部全覆盖",
    "aliases": ["小区支部"],
    "place": "binhu",
    "unit": "binhu-shuixiu",
    "level": "社区级",
    "period": None,
    "summary": "滨湖区在住宅小区普遍组建党支部，把党的组织覆盖到小区一级。",
    "problems": ["小区里有事没人牵头", "党员住在小区里却找不到组织"],
    "background": [],
    "analysis": ["小区是居民生活的基本单元，党组织只建到社区时够不着小区里的事。"],
    "practices": [{"text": "按小区组建党支部。", "evidence": ["全区组建小区党支部53个"]},
                  {"text": "党员中心户联系农户。", "evidence": ["每个中心户联系10—30户农户"]}],
    "structure": ["社区党组织", "小区党支部", "党员中心户"],
    "outcomes": [{"text": "小区党支部覆盖232个小区。", "evidence": ["覆盖小区232个"]}],
    "metrics": [
        {"label": "小区党支部数量", "value": 53, "unit": "个", "kind": "count",
         "evidence": "全区组建小区党支部53个"},
    ],
    "tags": ["xiaoqu-dangzhibu", "wangge-zhili"],
    "related": [],
    "sources": [{"source": "s1", "section": ""}],
    "lessons": ["组织覆盖要和服务结合。"],
    "teaching": {
        "questions": ["你的社区适合按小区建支部吗？", "支部建起来以后靠什么运转？"],
        "key_points": ["覆盖不等于发挥作用。"],
    },
    "attribution_note": None,
    "status": "complete",
}


def dump(data: Any) -> str:
    return yaml.safe_dump(data, allow_unicode=True, sort_keys=False)


def valid_record(**overrides: Any) -> dict:
    """A complete, valid record (strict-clean together with a second one)."""
    rec = copy.deepcopy(VALID_RECORD)
    rec.update(overrides)
    return rec


def second_record(**overrides: Any) -> dict:
    """Another valid record using the same two tags (so no tag is under-used)."""
    rec = valid_record(
        id="binhu-wangge-tixi",
        title="四级党建网格体系",
        unit=None,
        metrics=[{"label": "联系农户数", "value": {"min": 10, "max": 30}, "unit": "户",
                  "kind": "norm", "evidence": "每个中心户联系10—30户农户"},
                 {"label": "党员人数", "value": 27000, "qualifier": "余", "unit": "名", "kind": "count",
                  "evidence": "党员2.7万余名"},
                 {"label": "报考比例", "value": {"left": 1, "right": 18}, "unit": "", "kind": "ratio",
                  "evidence": "报考比例达1:18", "source": "s1"}],
        related=[{"id": "binhu-xiaoqu-dangzhibu", "relation": "teach-together"}],
    )
    rec.update(overrides)
    return rec


def write(path: Path, content: Any) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(content, bytes):
        path.write_bytes(content)
    elif isinstance(content, str):
        path.write_text(content, encoding="utf-8")
    else:
        path.write_text(dump(content), encoding="utf-8")


@pytest.fixture
def sources_dir(tmp_path: Path) -> Path:
    d = tmp_path / "sources"
    d.mkdir(exist_ok=True)
    (d / "s1.txt").write_text(SOURCE_TEXT, encoding="utf-8")
    return d


@pytest.fixture
def make_cases(tmp_path: Path, sources_dir: Path) -> Callable[..., Path]:
    """Return ``build(files, name="cases") -> Path`` (see module docstring)."""

    def build(files: dict[str, Any] | None = None, name: str = "cases") -> Path:
        root = tmp_path / name
        for rel, content in REGISTRY.items():
            write(root / rel, content)
        for rel, content in (files or {}).items():
            write(root / rel, content)
        return root

    return build


@pytest.fixture
def valid_corpus(make_cases) -> Path:
    """Two valid, complete records: clean even under --strict with sources."""
    return make_cases({
        "binhu/binhu-xiaoqu-dangzhibu.yml": valid_record(),
        "binhu/binhu-wangge-tixi.yml": second_record(),
    })
