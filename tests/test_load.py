"""Loader tests: every bad file becomes a problem with a code and a position.

Each fixture in tests/fixtures/bad/ is copied into a temporary cases
directory (built by ``make_cases`` so the registry exists) as
``binhu/<name>``; the loader must report the expected code at the expected
line and column, and never raise.
"""

from __future__ import annotations

import codecs
import os
from pathlib import Path

import pytest

from build_tools.load import MAX_NODES, MAX_BYTES, MAX_DEPTH, load_cases, load_file, load_text
from build_tools.validate import validate
from conftest import BAD, valid_record

# file -> (code, line, column) of the problem the loader must report.
LOAD_TABLE: dict[str, tuple[str, int, int]] = {
    "duplicate-key.yml": ("duplicate-key", 7, 1),
    "gbk-encoding.yml": ("encoding", 2, 8),           # first GB18030 byte: “测” after “title: ”
    "utf16-encoding.yml": ("encoding", 1, 1),
    "custom-tag.yml": ("custom-tag", 7, 13),          # the !!python/... tag after “background: ”
    "alias-bomb.yml": ("alias-bomb", 1, 1),           # whole-file condition: reported at the top
    "not-mapping.yml": ("not-mapping", 1, 1),
    "empty.yml": ("empty-file", 1, 1),
    "comments-only.yml": ("empty-file", 1, 1),
    "yaml-syntax.yml": ("yaml-syntax", 6, 1),         # the tab that starts line 6
    "yaml-indent.yml": ("yaml-syntax", 6, 13),        # the colon of the wrongly indented key
    "multiple-documents.yml": ("multiple-documents", 7, 1),  # the second “---”
    "too-deep.yml": ("too-deep", 7, 13 + MAX_DEPTH),  # the (MAX_DEPTH+1)-th “[” on line 7
    "control-character.yml": ("yaml-syntax", 2, 10),  # a BEL (\x07) pasted into the title
}

# Files whose content is still returned as data (the problem is not fatal).
KEEPS_DATA = {"duplicate-key.yml", "custom-tag.yml", "too-deep.yml"}


def _place(make_cases, name: str, data: bytes | None = None) -> tuple[Path, Path]:
    """A cases dir with the valid record plus the bad file at binhu/<name>."""
    raw = (BAD / name).read_bytes() if data is None else data
    root = make_cases({"binhu/binhu-xiaoqu-dangzhibu.yml": valid_record(), f"binhu/{name}": raw})
    return root, root / "binhu" / name


def _doc_for(loaded, path: Path):
    docs = [d for d in loaded.records if Path(d.path).resolve() == path.resolve()]
    assert len(docs) == 1, [d.path for d in loaded.records]
    return docs[0]


def test_bad_fixture_count():
    """At least 25 bad input files are committed, none of them huge."""
    files = sorted(BAD.iterdir())
    assert len(files) >= 25
    assert all(f.stat().st_size < 20_000 for f in files)


@pytest.mark.parametrize("name", sorted(LOAD_TABLE))
def test_loader_problem_code_and_position(make_cases, name):
    code, line, col = LOAD_TABLE[name]
    root, path = _place(make_cases, name)
    loaded = load_cases(root)
    doc = _doc_for(loaded, path)
    found = [(p.code, p.line, p.column) for p in doc.problems]
    assert (code, line, col) in found, found
    assert {p.code for p in doc.problems} == {code}, found
    if name not in KEEPS_DATA:
        assert doc.data is None
    # the validator passes loading problems through unchanged
    report = validate(loaded).report
    assert any(p.code == code and p.line == line and p.file == doc.display for p in report.problems)
    assert not report.valid


@pytest.mark.parametrize("name", sorted(LOAD_TABLE))
def test_loader_message_is_chinese(make_cases, name):
    root, path = _place(make_cases, name)
    doc = _doc_for(load_cases(root), path)
    for p in doc.problems:
        assert p.severity == "error"
        assert any("\u4e00" <= ch <= "\u9fff" for ch in p.message), p.message


def test_duplicate_key_names_key_and_first_line():
    doc = load_file(BAD / "duplicate-key.yml")
    (p,) = doc.problems
    assert p.field == "title"
    assert "title" in p.message and "第 2 行" in p.message
    assert doc.data["id"] == "duplicate-key"


def test_gbk_message_names_encoding_and_fix():
    doc = load_file(BAD / "gbk-encoding.yml")
    (p,) = doc.problems
    assert "GB18030" in p.message or "GBK" in p.message
    assert "UTF-8" in p.suggestion
    # the committed file really is GB18030, not UTF-8
    raw = (BAD / "gbk-encoding.yml").read_bytes()
    with pytest.raises(UnicodeDecodeError):
        raw.decode("utf-8")
    assert "测试记录" in raw.decode("gb18030")


def test_custom_tag_is_never_executed(make_cases, tmp_path, monkeypatch):
    calls = []
    monkeypatch.setattr(os, "system", lambda *a, **k: calls.append(a) or 0)
    marker = tmp_path / "pwned"
    evil = (BAD / "custom-tag.yml").read_text(encoding="utf-8").replace("echo hi", f"touch {marker}")
    root, path = _place(make_cases, "custom-tag.yml", evil.encode("utf-8"))
    validate(load_cases(root))
    doc = load_file(BAD / "custom-tag.yml")
    assert calls == []
    assert not marker.exists()
    assert doc.data["background"] is None
    (p,) = doc.problems
    assert "python/object/apply" in p.message


@pytest.mark.parametrize("text", [
    "id: x\nsummary: !!python/object/new:os.system [echo hi]\n",
    "id: x\nsummary: !!python/name:os.system\n",
    "id: x\nsummary: !custom {a: 1}\n",
    "id: x\ntags: !!set {a, b}\n",
    "id: x\nsummary: !!binary aGk=\n",
    "!!python/object/apply:os.system [echo hi]\n",
])
def test_other_tags_rejected(text):
    doc = load_text(text, "x.yml")
    assert "custom-tag" in [p.code for p in doc.problems]


def test_alias_bomb_stops_at_the_node_limit():
    # Expanded, the file would be 10^9 nodes: the walker must stop at MAX_NODES.
    doc = load_file(BAD / "alias-bomb.yml")
    assert [p.code for p in doc.problems] == ["alias-bomb"]
    assert str(MAX_NODES) in doc.problems[0].message
    assert doc.data is None


def test_small_aliases_are_allowed():
    doc = load_text("id: x\npractices: &p [一, 二]\noutcomes: *p\n", "x.yml")
    assert doc.problems == []
    assert doc.data["outcomes"] == ["一", "二"]


def test_too_large_file_is_not_read(make_cases, monkeypatch):
    root = make_cases({"binhu/binhu-xiaoqu-dangzhibu.yml": valid_record()})
    big = root / "binhu" / "too-large.yml"
    with big.open("wb") as fh:  # 10 MB, generated: never committed
        line = b"summary: " + "网格".encode() * 40 + b"\n"
        fh.write(line * (10 * 1024 * 1024 // len(line) + 1))
    assert big.stat().st_size > 10 * 1024 * 1024 > MAX_BYTES
    read = []
    real_read = Path.read_bytes
    monkeypatch.setattr(Path, "read_bytes", lambda self: read.append(self.name) or real_read(self))
    loaded = load_cases(root)
    doc = _doc_for(loaded, big)
    assert "binhu-xiaoqu-dangzhibu.yml" in read  # the spy sees what is read
    assert "too-large.yml" not in read  # refused from its size, never read
    assert [(p.code, p.line) for p in doc.problems] == [("file-too-large", 1)]
    assert str(MAX_BYTES) in doc.problems[0].message
    assert not validate(loaded).report.valid


@pytest.mark.parametrize("depth", [1000, 5000])
def test_runaway_nesting_never_crashes(depth):
    for text in ("a: " + "[" * depth + "]" * depth + "\n",
                 "a: " + "{x: " * depth + "1" + "}" * depth + "\n"):
        doc = load_text(text, "deep.yml")
        assert [p.code for p in doc.problems] == ["too-deep"]
        assert "32" in doc.problems[0].message and "depth" not in doc.problems[0].message


@pytest.mark.parametrize("depth", [40, 1000, 5000])
def test_too_deep_points_at_the_first_level_past_the_limit(depth):
    # One bracket per line: level 33 (past the limit of 32) opens on line 34,
    # whether or not the installed libyaml has its own depth limit.
    text = "a:\n" + "  [\n" * depth + "  " + "]" * depth + "\n"
    doc = load_text(text, "deep.yml")
    assert [(p.code, p.line, p.column) for p in doc.problems] == [("too-deep", MAX_DEPTH + 2, 3)]


def test_nested_mappings_too_deep():
    text = "".join("  " * i + f"k{i}:\n" for i in range(200)) + "  " * 200 + "v\n"
    doc = load_text(text, "deep.yml")
    assert [(p.code, p.line) for p in doc.problems] == [("too-deep", MAX_DEPTH + 2)]


def test_bom_file_is_valid_and_positions_not_shifted():
    raw = (BAD / "bom-valid.yml").read_bytes()
    assert raw.startswith(codecs.BOM_UTF8)
    doc = load_file(BAD / "bom-valid.yml")
    assert doc.problems == []
    assert doc.data["id"] == "bom-valid"  # no \ufeff glued to the first key
    assert doc.pos(("id",)) == (1, 1)
    assert doc.pos(("summary",)) == (7, 1)


def test_xss_text_is_kept_verbatim():
    doc = load_file(Path(__file__).parent / "fixtures" / "xss-record.yml")
    assert doc.problems == []
    assert doc.data["summary"].startswith("<script>alert('xss')</script>")
    assert doc.data["practices"] == ["</li><script>alert(2)</script>"]
    assert (BAD / "xss-record.yml").read_bytes() == (BAD.parent / "xss-record.yml").read_bytes()


def test_positions_of_nested_nodes():
    doc = load_file(BAD / "metric-range.yml")
    assert doc.problems == []
    assert doc.pos(("metrics",)) == (7, 1)
    assert doc.pos(("metrics", 0)) == (8, 5)
    assert doc.pos(("metrics", 0, "value")) == (9, 5)
    assert doc.pos(("metrics", 0, "value", "min")) == (9, 13)
    # a missing path falls back to its nearest ancestor
    assert doc.pos(("metrics", 0, "nope", 3)) == (8, 5)


def test_scalars_stay_plain_data():
    doc = load_text("id: x\nperiod: 2021-03-01\n2022: 年份键\nok: yes\nn: 1.5\nz: ~\n", "x.yml")
    assert doc.problems == []
    assert doc.data == {"id": "x", "period": "2021-03-01", "2022": "年份键", "ok": True, "n": 1.5, "z": None}


def test_unreadable_path_is_a_problem(tmp_path):
    d = tmp_path / "dir.yml"
    d.mkdir()
    doc = load_file(d)
    assert [p.code for p in doc.problems] == ["file-unreadable"]


def test_record_files_skip_registry_and_hidden(make_cases):
    root = make_cases({
        "binhu/binhu-xiaoqu-dangzhibu.yml": valid_record(),
        "binhu/notes.md": "不是记录",
        ".hidden/x.yml": "id: x\n",
        "_drafts/y.yml": "id: y\n",
        "binhu/other.yaml": "id: other\n",
    })
    names = sorted(Path(d.path).name for d in load_cases(root).records)
    assert names == ["binhu-xiaoqu-dangzhibu.yml", "other.yaml"]



def test_stray_space_after_chinese_punctuation_is_removed_and_reported():
    # A folded scalar turns the line break after “；” into a half-width space.
    doc = load_text("id: x\nsummary: >-\n  落脚点；\n  社区党群服务中心。\nlessons: [“红色物业” 引领]\n", "x.yml")
    assert doc.data["summary"] == "落脚点；社区党群服务中心。"
    assert doc.data["lessons"] == ["“红色物业”引领"]
    assert [(p.code, p.line, p.field) for p in doc.problems] == [("stray-space", 2, "summary"),
                                                                 ("stray-space", 5, "lessons[0]")]
    # a space before Latin text or a figure is left alone
    assert load_text("id: x\nsummary: 1+3+N： 5150 计划\n", "x.yml").problems == []
