"""Governance concepts: the registry checked like the tags, concepts assigned to records by rule,
editors' add and refuse, and ``casebook concepts`` showing what an edit of the registry changes."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

from click.testing import CliRunner

from build_tools.build import load_corpus, run_validation
from build_tools.cli import main
from build_tools.concepts import Rules, record_text
from conftest import ROOT, second_record, valid_record

# Line numbers matter: the tests assert them.
REGISTRY = """\
concepts:
  - id: dang-zuzhi
    name: 基层党组织建设
    phrasings: [支部建设]
  - id: zuzhi-fugai
    name: 党组织覆盖
    narrower: [小区党支部]
    broader: [dang-zuzhi]
  - id: zhongxinhu
    name: 党员中心户
    broader: [dang-zuzhi]
  - id: wangge
    name: 网格化治理
    narrower: [网格]
  - id: tiaojie
    name: 矛盾调解
    phrasings: [评评理]
"""


def invoke(*args):
    r = CliRunner().invoke(main, [str(a) for a in args])
    assert r.exception is None or isinstance(r.exception, SystemExit), repr(r.exception)
    assert "Traceback" not in r.output
    return r


def _cases(make_cases, registry: str = REGISTRY, first: dict | None = None, second: dict | None = None) -> Path:
    return make_cases({"_registry/concepts.yml": registry,
                       "binhu/binhu-xiaoqu-dangzhibu.yml": valid_record(**(first or {})),
                       # no figures: these tests are about concepts, not the figures rules
                       "binhu/binhu-wangge-tixi.yml": second_record(**{"metrics": [], **(second or {})})})


def _found(root: Path, sources_dir: Path) -> list[tuple[str, int, str]]:
    report = run_validation(root, sources_dir, True).report
    return [(p.code, p.line, p.field) for p in report.problems]


# ------------------------------------------------------------ the registry


def test_clean_registry_passes_strict_validation(make_cases, sources_dir):
    root = _cases(make_cases)
    assert _found(root, sources_dir) == []
    r = invoke("validate", root, "--strict", "--sources", sources_dir)
    assert r.exit_code == 0, r.output


def test_unknown_broader_concept_is_an_error_with_its_line_and_a_guess(make_cases, sources_dir):
    root = _cases(make_cases, REGISTRY.replace("broader: [dang-zuzhi]\n  - id: zhongxinhu",
                                               "broader: [dang-zuzhu]\n  - id: zhongxinhu"))
    report = run_validation(root, sources_dir, True).report
    [p] = [p for p in report.problems if p.code == "concept-unknown"]
    assert (p.line, p.column, p.field) == (8, 15, "concepts[1].broader[0]")
    assert p.file.endswith("_registry/concepts.yml")
    assert "是否指“dang-zuzhi”" in p.suggestion
    r = invoke("validate", root, "--sources", sources_dir)
    assert r.exit_code == 1
    assert "concepts.yml:8:15 concept-unknown concepts[1].broader[0]: 未登记的概念“dang-zuzhu”" in r.output


def test_a_concept_id_or_a_word_given_twice_is_a_duplicate(make_cases, sources_dir):
    registry = REGISTRY + ("  - id: wangge\n"           # line 18: the id again
                           "    name: 网格员\n"
                           "  - id: wangge-guanli\n"
                           "    name: 网格管理\n"
                           "    narrower: [小区党支部]\n")  # line 22: a word of zuzhi-fugai (line 7)
    found = _found(_cases(make_cases, registry), sources_dir)
    assert ("concept-duplicate", 18, "concepts[5].id") in found
    assert ("concept-duplicate", 22, "concepts[6].narrower[0]") in found
    report = run_validation(_cases(make_cases, registry), sources_dir, True).report
    word = next(p for p in report.problems if p.line == 22)
    assert "另见 第 7 行" in word.message and "较窄的概念" in word.suggestion


def test_empty_entries_are_errors_where_they_stand(make_cases, sources_dir):
    registry = REGISTRY + ("  -\n"                       # line 18: an empty item
                           "  - id: kong\n"
                           "    name: \"\"\n"            # line 20: a blank name
                           "    phrasings: [说法, \"\"]\n")  # line 21: a blank word
    found = _found(_cases(make_cases, registry), sources_dir)
    empties = sorted(f for f in found if f[0] == "concept-empty")
    assert empties == [("concept-empty", 18, "concepts[5]"), ("concept-empty", 20, "concepts[6].name"),
                       ("concept-empty", 21, "concepts[6].phrasings[1]")]


def test_broader_links_that_loop_are_a_cycle(make_cases, sources_dir):
    registry = REGISTRY.replace("    phrasings: [支部建设]\n", "    phrasings: [支部建设]\n    broader: [zhongxinhu]\n")
    found = _found(_cases(make_cases, registry), sources_dir)
    cycles = sorted(f for f in found if f[0] == "concept-cycle")
    # 党员中心户 → 基层党组织建设 → 党员中心户: both links are reported
    assert cycles == [("concept-cycle", 5, "concepts[0].broader[0]"), ("concept-cycle", 12, "concepts[2].broader[0]")]


def test_a_phrasing_already_in_the_lexicon_is_said_once(make_cases, sources_dir):
    lexicon = "entries:\n  - words: [评评理, 吵架]\n    terms: [小区党支部]\n"
    root = make_cases({"_registry/concepts.yml": REGISTRY, "_registry/lexicon.yml": lexicon,
                       "binhu/binhu-xiaoqu-dangzhibu.yml": valid_record(),
                       "binhu/binhu-wangge-tixi.yml": second_record()})
    assert ("concept-phrasing-in-lexicon", 17, "concepts[4].phrasings[0]") in _found(root, sources_dir)


def test_a_one_character_word_is_warned_about_and_still_matched(make_cases, sources_dir):
    root = _cases(make_cases, REGISTRY.replace("    narrower: [网格]\n", "    narrower: [网格, 户]\n"))
    assert ("concept-word-short", 14, "concepts[3].narrower[1]") in _found(root, sources_dir)
    report = run_validation(root, sources_dir, False).report
    assert report.valid  # a warning: strict validation refuses it, the build would not
    corpus, _ = load_corpus(root)
    assert ("wangge", "text", "网格") in corpus.concepts()["binhu-xiaoqu-dangzhibu"]
    assert concept_words_found(corpus, "binhu-xiaoqu-dangzhibu")[-1] == "户"


def concept_words_found(corpus, rid: str) -> list[str]:
    rules = Rules.of(corpus.registry.concepts)
    tags = {t.slug: t.name for t in corpus.registry.tags.values()}
    return rules.found_in(record_text(corpus.records[rid], tags))


# ------------------------------------------------------------- the records


def test_unknown_or_repeated_concept_on_a_record_is_reported_with_its_line(make_cases, sources_dir):
    root = _cases(make_cases, first={"concepts": {"add": ["tiaojei"], "refuse": ["wangge", "wangge"]}})
    report = run_validation(root, sources_dir, True).report
    mine = [p for p in report.problems if p.file.endswith("binhu-xiaoqu-dangzhibu.yml")]
    assert [(p.code, p.field) for p in mine] == [("concept-unknown", "concepts.add[0]"),
                                                 ("concept-duplicate", "concepts.refuse[1]")]
    text = (root / "binhu/binhu-xiaoqu-dangzhibu.yml").read_text(encoding="utf-8").splitlines()
    assert "tiaojei" in text[mine[0].line - 1]
    assert "是否指“tiaojie”" in mine[0].suggestion
    assert not report.valid


def test_concepts_come_from_the_text_from_editors_and_from_narrower_ones(make_cases):
    root = _cases(make_cases, first={"concepts": {"add": ["tiaojie"], "refuse": ["wangge"]}},
                  second={"concepts": {"refuse": ["dang-zuzhi"]}})
    corpus, validation = load_corpus(root)
    assert validation.report.valid, validation.report.sorted()
    got = corpus.concepts()
    assert got["binhu-xiaoqu-dangzhibu"] == [
        ("dang-zuzhi", "implied", "zuzhi-fugai"),   # broader of a concept it has
        ("zuzhi-fugai", "text", "小区党支部"),        # a narrower word in its text
        ("zhongxinhu", "text", "党员中心户"),         # the name in its practices
        ("tiaojie", "added", ""),                    # added by the editor; 网格 refused
    ]
    # the other record has 网格 (its tag 网格化管理) and refuses the implied broader concept
    assert got["binhu-wangge-tixi"] == [("zuzhi-fugai", "text", "小区党支部"), ("zhongxinhu", "text", "党员中心户"),
                                        ("wangge", "text", "网格")]


def test_the_command_shows_one_record_and_every_concept(make_cases):
    root = _cases(make_cases, first={"concepts": {"add": ["tiaojie"], "refuse": ["wangge"]}})
    r = invoke("concepts", root, "--record", "binhu-xiaoqu-dangzhibu")
    assert r.exit_code == 0, r.output
    assert "基层党组织建设（dang-zuzhi）：由下位概念“党组织覆盖”推出" in r.output
    assert "党组织覆盖（zuzhi-fugai）：正文含“小区党支部”" in r.output
    assert "矛盾调解（tiaojie）：编者补上" in r.output
    assert "已拒绝：网格化治理（wangge）" in r.output
    data = json.loads(invoke("concepts", root, "--json").output)
    by = {c["id"]: [x["id"] for x in c["records"]] for c in data["concepts"]}
    assert by["wangge"] == ["binhu-wangge-tixi"] and by["tiaojie"] == ["binhu-xiaoqu-dangzhibu"]
    r = invoke("concepts", root, "--record", "binhu-xiaoqu-dangzhib")
    assert r.exit_code == 2 and "是否指“binhu-xiaoqu-dangzhibu”" in r.output


# ------------------------------------------------------------ what an edit changes


def test_against_an_older_registry_file_lists_records_gained_and_lost(make_cases, tmp_path):
    old = tmp_path / "old-concepts.yml"
    old.write_text(REGISTRY, encoding="utf-8")
    # now: 网格 moves from 网格化治理 to a new narrower concept; 党员中心户 is no longer a concept
    new = (REGISTRY.replace("  - id: zhongxinhu\n    name: 党员中心户\n    broader: [dang-zuzhi]\n", "")
           .replace("    narrower: [网格]\n", "    narrower: [网格化]\n")
           + "  - id: wangge-dangjian\n    name: 网格党建\n    narrower: [网格]\n    broader: [wangge]\n")
    root = _cases(make_cases, new)
    r = invoke("concepts", root, "--against", old, "--json")
    assert r.exit_code == 0, r.output
    changes = {c["id"]: (c["gained"], c["lost"], c["registered"]) for c in json.loads(r.output)["changes"]}
    both = ["binhu-wangge-tixi", "binhu-xiaoqu-dangzhibu"]
    assert changes == {"wangge-dangjian": (both, [], True), "zhongxinhu": ([], both, False)}
    text = invoke("concepts", root, "--against", old).output
    assert "网格党建（wangge-dangjian）" in text and "+ 多了 2 条：binhu-wangge-tixi、binhu-xiaoqu-dangzhibu" in text
    assert "党员中心户（zhongxinhu）（已从登记表删去）" in text and "− 少了 2 条" in text


def test_against_a_git_revision(make_cases):
    root = _cases(make_cases)
    git = ["git", "-C", str(root), "-c", "user.email=t@example.org", "-c", "user.name=t"]
    subprocess.run([*git, "init", "-q"], check=True)
    subprocess.run([*git, "add", "."], check=True)
    subprocess.run([*git, "commit", "-q", "-m", "base"], check=True)
    reg = root / "_registry" / "concepts.yml"
    reg.write_text(REGISTRY.replace("phrasings: [评评理]", "phrasings: [评评理]\n    narrower: [小区]"), encoding="utf-8")
    r = invoke("concepts", root, "--against", "HEAD")
    assert r.exit_code == 0, r.output
    assert "比较对象：HEAD:_registry/concepts.yml" in r.output
    assert "矛盾调解（tiaojie）\n  + 多了 2 条：binhu-wangge-tixi、binhu-xiaoqu-dangzhibu" in r.output
    assert "基层党组织建设" not in r.output and "还没有概念登记表" not in r.output  # unchanged concepts stay quiet
    r = invoke("concepts", root, "--against", "no-such-rev")
    assert r.exit_code == 2 and "找不到文件或 git 版本“no-such-rev”" in r.output


# ------------------------------------------------------------ the shipped registry


def test_shipped_registry_is_clean_and_reaches_the_records():
    v = run_validation(ROOT / "cases", ROOT.parent / "shared" / "sources", True)
    assert [p.format() for p in v.report.problems if "concept" in p.code or p.file.endswith("concepts.yml")] == []
    concepts = v.registry.concepts
    assert 40 <= len(concepts) <= 150
    assert all(2 <= len(c.phrasings) <= 12 for c in concepts.values())
    assert sum(1 for c in concepts.values() if c.broader) >= len(concepts) // 2
    corpus, _ = load_corpus(ROOT / "cases")
    got = corpus.concepts()
    assert all(got.values()), [rid for rid, g in got.items() if not g]
    # the quick matcher finds exactly what trying every word would
    rules = Rules.of(concepts)
    tags = {t.slug: t.name for t in corpus.registry.tags.values()}
    for rec in corpus.records.values():
        text = record_text(rec, tags)
        assert rules.found_in(text) == [w for w in rules.words if w in text], rec.id
