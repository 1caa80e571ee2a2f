"""Validator tests: each bad record is reported by code, line and field.

Each fixture in tests/fixtures/bad/ is copied as ``binhu/<name>`` into a
cases directory built by ``make_cases`` (registry + one valid record), and
validated with the sources directory, so every rule can fire.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from build_tools.build import run_validation
from build_tools.load import load_cases
from build_tools.problems import CATALOGUE, ERROR, INFO, WARNING
from build_tools.checks import numbers_in
from build_tools.shape import closest
from build_tools.validate import validate
from conftest import BAD, PLACES, TAGS, second_record, valid_record

# file -> (code, line, column, field) of the problem the validator must report.
VALIDATE_TABLE: dict[str, tuple[str, int, int, str]] = {
    "unknown-field.yml": ("unknown-field", 7, 1, "summery"),
    "wrong-type.yml": ("wrong-type", 7, 1, "practices"),
    "missing-field.yml": ("missing-field", 1, 1, "level"),
    "broken-related.yml": ("unknown-related", 8, 5, "related[0].id"),
    "invalid-id-dotdot.yml": ("invalid-id", 1, 1, "id"),
    "invalid-id-slash.yml": ("invalid-id", 1, 1, "id"),
    "id-filename-mismatch.yml": ("id-filename-mismatch", 1, 1, "id"),
    "duplicate-id.yml": ("duplicate-id", 1, 1, "id"),
    "unknown-tag.yml": ("unknown-tag", 8, 5, "tags[0]"),
    "duplicate-tag.yml": ("duplicate-tag", 9, 5, "tags[1]"),
    "tag-count.yml": ("tag-count", 13, 1, "tags"),
    "unknown-place.yml": ("unknown-place", 3, 1, "place"),
    "place-dir-mismatch.yml": ("place-dir-mismatch", 3, 1, "place"),
    "unknown-unit.yml": ("unknown-unit", 7, 1, "unit"),
    "unit-outside-place.yml": ("unit-outside-place", 7, 1, "unit"),
    "unknown-source.yml": ("unknown-source", 6, 5, "sources[0].source"),
    "self-related.yml": ("self-related", 8, 5, "related[0].id"),
    "duplicate-related.yml": ("duplicate-related", 9, 5, "related[1].id"),
    "metric-value-not-in-evidence.yml": ("metric-value-not-in-evidence", 9, 5, "metrics[0].value"),
    "evidence-not-in-source.yml": ("evidence-not-in-source", 11, 5, "metrics[0].evidence"),
    "metric-range.yml": ("metric-range", 9, 5, "metrics[0].value"),
    "too-long.yml": ("too-long", 7, 1, "summary"),
    "too-short.yml": ("too-short", 2, 1, "title"),
    "invalid-value.yml": ("invalid-value", 4, 1, "level"),
    "incomplete-record.yml": ("incomplete-record", 14, 1, "lessons"),
    "question-count.yml": ("question-count", 16, 3, "teaching.questions"),
}

# Every committed fixture -> the exact set of error/warning codes reported for it.
# Loader-level fixtures are listed too: one defect should give one kind of problem.
EXPECTED_CODES: dict[str, set[str]] = {name: {row[0]} for name, row in VALIDATE_TABLE.items()}
EXPECTED_CODES.update({
    "tag-count.yml": {"tag-count", "incomplete-record"},  # no tags: both rules apply, by design
    "duplicate-key.yml": {"duplicate-key"},
    "gbk-encoding.yml": {"encoding"},
    "utf16-encoding.yml": {"encoding"},
    "custom-tag.yml": {"custom-tag"},
    "alias-bomb.yml": {"alias-bomb"},
    "not-mapping.yml": {"not-mapping"},
    "empty.yml": {"empty-file"},
    "comments-only.yml": {"empty-file"},
    "yaml-syntax.yml": {"yaml-syntax"},
    "yaml-indent.yml": {"yaml-syntax"},
    "multiple-documents.yml": {"multiple-documents"},
    "too-deep.yml": {"too-deep", "wrong-type"},  # a nested list really is the wrong type for background
    "control-character.yml": {"yaml-syntax"},
    "bom-valid.yml": set(),
    "xss-record.yml": set(),
})

WARNING_CODES = {"duplicate-tag", "place-dir-mismatch", "duplicate-related", "incomplete-record",
                 "question-count"}


def _run(make_cases, sources_dir, name: str, raw: bytes | None = None, strict: bool = False):
    """Validate a cases dir holding the valid record and the fixture; return (report, path)."""
    raw = (BAD / name).read_bytes() if raw is None else raw
    files = {"binhu/binhu-xiaoqu-dangzhibu.yml": valid_record(), f"binhu/{name}": raw}
    target = f"binhu/{name}"
    if name == "duplicate-id.yml":  # the same id in a second file, in a folder that is no place
        files["binhu/more/duplicate-id.yml"] = raw
        target = "binhu/more/duplicate-id.yml"
    root = make_cases(files)
    report = run_validation(root, sources_dir, strict).report
    return report, root / target


def _for(report, path: Path):
    return [p for p in report.problems if p.file and Path(p.file).resolve() == path.resolve()]


def _has_cjk(text: str) -> bool:
    return any("\u4e00" <= ch <= "\u9fff" for ch in text)


def test_every_committed_fixture_is_in_a_table():
    committed = {f.name for f in BAD.iterdir()}
    assert committed == set(EXPECTED_CODES)


@pytest.mark.parametrize("name", sorted(VALIDATE_TABLE))
def test_problem_code_line_column_field(make_cases, sources_dir, name):
    code, line, col, field = VALIDATE_TABLE[name]
    report, path = _run(make_cases, sources_dir, name)
    found = [(p.code, p.line, p.column, p.field) for p in _for(report, path)]
    assert (code, line, col, field) in found, found
    p = next(p for p in _for(report, path) if p.code == code)
    assert p.severity == (WARNING if code in WARNING_CODES else ERROR)
    assert p.severity == CATALOGUE[code][0]
    assert _has_cjk(p.message), p.message
    if p.severity == ERROR:
        assert not report.valid
    else:
        assert report.valid  # a warning alone does not fail …
        strict, _ = _run(make_cases, sources_dir, name, strict=True)
        assert not strict.valid  # … unless --strict


@pytest.mark.parametrize("name", sorted(EXPECTED_CODES))
def test_exact_codes_per_fixture(make_cases, sources_dir, name):
    """One defect, one kind of problem: no knock-on errors from the same defect."""
    report, path = _run(make_cases, sources_dir, name)
    codes = {p.code for p in _for(report, path) if p.severity != INFO}
    assert codes == EXPECTED_CODES[name], [p.format() for p in _for(report, path)]


@pytest.mark.parametrize("name", sorted(EXPECTED_CODES))
def test_no_problem_reported_twice(make_cases, sources_dir, name):
    report, path = _run(make_cases, sources_dir, name)
    keys = [(p.code, p.line, p.column, p.field) for p in _for(report, path)]
    assert len(keys) == len(set(keys)), [p.format() for p in _for(report, path)]


@pytest.mark.parametrize("name", ["bom-valid.yml", "xss-record.yml"])
def test_valid_fixtures_have_no_problem(make_cases, sources_dir, name):
    report, path = _run(make_cases, sources_dir, name)
    assert _for(report, path) == []
    assert report.valid


def test_custom_tag_value_not_reported_as_wrong_type(make_cases, sources_dir):
    """The loader rejects the tagged node; the model must not then complain about “None”."""
    report, path = _run(make_cases, sources_dir, "custom-tag.yml")
    assert not [p for p in _for(report, path) if p.code == "wrong-type"], \
        [p.format() for p in _for(report, path)]


# ------------------------------------------------------------ clean corpus


def test_two_valid_records_are_clean_under_strict_with_sources(valid_corpus, sources_dir):
    v = run_validation(valid_corpus, sources_dir, strict=True)
    assert [p.format() for p in v.report.problems] == []
    assert v.report.valid
    assert sorted(r.id for r, _ in v.records) == ["binhu-wangge-tixi", "binhu-xiaoqu-dangzhibu"]


def test_without_sources_the_check_is_skipped_as_info(valid_corpus):
    v = run_validation(valid_corpus, None, strict=True)
    assert [p.code for p in v.report.problems] == ["sources-skipped"]
    assert v.report.problems[0].severity == INFO
    assert v.report.valid


def test_one_record_leaves_tags_underused(make_cases, sources_dir):
    root = make_cases({"binhu/binhu-xiaoqu-dangzhibu.yml": valid_record()})
    v = run_validation(root, sources_dir, strict=False)
    under = sorted(p.message for p in v.report.problems if p.code == "tag-underused")
    assert len(under) == 2  # the tag with a note is exempt
    assert not any("dangyuan-zhongxinhu" in m for m in under)
    assert v.report.valid
    assert not run_validation(root, sources_dir, strict=True).report.valid


# ------------------------------------------------------- several problems


MANY = """\
id: many-problems
title: 多处错误的记录
place: 滨湖
level: 区级
summery: 拼错的字段
practices: 只有一条
tags:
  - 网格化
  - 小区支部
sources:
  - source: s9
metrics:
  - label: 小区党支部数量
    value: 54
    evidence: 全区组建小区党支部53个
"""


def test_all_problems_of_a_file_are_reported(make_cases, sources_dir):
    root = make_cases({"binhu/many-problems.yml": MANY})
    report = run_validation(root, sources_dir).report
    got = {(p.code, p.line, p.field) for p in _for(report, root / "binhu" / "many-problems.yml")}
    assert {
        ("unknown-place", 3, "place"),
        ("invalid-value", 4, "level"),
        ("unknown-field", 5, "summery"),
        ("wrong-type", 6, "practices"),
        ("unknown-tag", 8, "tags[0]"),
        ("unknown-tag", 9, "tags[1]"),
        ("unknown-source", 11, "sources[0].source"),
        ("metric-value-not-in-evidence", 14, "metrics[0].value"),
    } <= got, sorted(got)


def test_messages_are_chinese_and_name_field_and_value(make_cases, sources_dir):
    root = make_cases({"binhu/many-problems.yml": MANY})
    report = run_validation(root, sources_dir).report
    probs = {p.code + p.field: p for p in _for(report, root / "binhu" / "many-problems.yml")}
    cases = {
        "unknown-placeplace": ("place", "滨湖"),
        "invalid-valuelevel": ("level", "区级"),
        "unknown-fieldsummery": ("summery", "summery"),
        "wrong-typepractices": ("practices", "只有一条"),
        "unknown-tagtags[0]": ("tags[0]", "网格化"),
        "unknown-sourcesources[0].source": ("sources[0].source", "s9"),
        "metric-value-not-in-evidencemetrics[0].value": ("metrics[0].value", "54"),
    }
    for key, (field, value) in cases.items():
        p = probs[key]
        assert _has_cjk(p.message), p.message
        assert value in p.message, p.message
        line = p.format()
        assert f" {p.code} {field}: " in line, line
        assert line.startswith(f"{p.file}:{p.line}:{p.column} ")


# ------------------------------------------------------------ suggestions


@pytest.mark.parametrize("record_patch, code, expected", [
    ({"tags": ["网格化"]}, "unknown-tag", "wangge-zhili"),           # part of a Chinese tag name
    ({"tags": ["小区支部"]}, "unknown-tag", "xiaoqu-dangzhibu"),     # a registered synonym
    ({"tags": ["wangge-zhil"]}, "unknown-tag", "wangge-zhili"),     # misspelt slug
    ({"place": "滨湖区"}, "unknown-place", "binhu"),                 # Chinese name of a place
    ({"place": "binhuu"}, "unknown-place", "binhu"),
    ({"unit": "水秀社区"}, "unknown-unit", "binhu-shuixiu"),
    ({"unit": "binhu-shuixu"}, "unknown-unit", "binhu-shuixiu"),
    ({"related": [{"id": "binhu-xiaoqu-dangzhib"}]}, "unknown-related", "binhu-xiaoqu-dangzhibu"),
    ({"sumary": "x"}, "unknown-field", "summary"),
    ({"level": "社区"}, "invalid-value", "社区级"),
    ({"status": "completed"}, "invalid-value", "complete"),
])
def test_suggestion_names_closest_registered(make_cases, sources_dir, record_patch, code, expected):
    rec = second_record(**record_patch)
    root = make_cases({"binhu/binhu-xiaoqu-dangzhibu.yml": valid_record(),
                       "binhu/binhu-wangge-tixi.yml": rec})
    report = run_validation(root, sources_dir).report
    hits = [p for p in _for(report, root / "binhu" / "binhu-wangge-tixi.yml") if p.code == code]
    assert hits, [p.format() for p in report.problems]
    assert f"是否指“{expected}”" in hits[0].suggestion, hits[0].suggestion


def test_nested_unknown_field_suggestion(make_cases, sources_dir):
    metric = {"label": "小区党支部数量", "value": 53, "evidnce": "全区组建小区党支部53个"}
    root = make_cases({"binhu/binhu-xiaoqu-dangzhibu.yml": valid_record(metrics=[metric])})
    report = run_validation(root, sources_dir).report
    unknown = [p for p in report.problems if p.code == "unknown-field"]
    assert unknown and unknown[0].field == "metrics[0].evidnce"
    assert "evidence" in unknown[0].suggestion
    missing = [p for p in report.problems if p.code == "missing-field"]
    assert missing and missing[0].field == "metrics[0].evidence"


def test_closest_prefers_similar():
    assert closest("binhuu", ["binhu", "wuxi"]) == "binhu"
    assert closest("完全不同", ["binhu", "wuxi"]) is None


# ------------------------------------------------------- metric numbers


@pytest.mark.parametrize("text, number", [
    ("全区组建小区党支部53个", 53),
    ("党员2.7万余名", 27000),
    ("党员2.7万余名", 2.7),
    ("四级党建网格体系", 4),
    ("报考比例达1:18", 18),
    ("每个中心户联系10—30户农户", 30),
    ("全区组建小区党支部５３个", 53),  # full-width digits
    ("三岗十八级", 18),
    ("两千余名", 2000),
])
def test_numbers_in(text, number):
    assert any(abs(n - number) < 1e-9 for n in numbers_in(text))


@pytest.mark.parametrize("value, ok", [
    (53, True), (53.0, True), (54, False), ({"min": 10, "max": 30}, True), ({"min": 10, "max": 40}, False),
])
def test_metric_value_must_be_in_evidence(make_cases, sources_dir, value, ok):
    ev = "每个中心户联系10—30户农户" if isinstance(value, dict) else "全区组建小区党支部53个"
    rec = valid_record(metrics=[{"label": "数", "value": value, "evidence": ev}])
    root = make_cases({"binhu/binhu-xiaoqu-dangzhibu.yml": rec})
    codes = [p.code for p in run_validation(root, sources_dir).report.problems]
    assert ("metric-value-not-in-evidence" not in codes) == ok


def test_evidence_ignores_white_space_differences(make_cases, sources_dir):
    rec = valid_record(metrics=[{"label": "数", "value": 53, "evidence": "全区组建 小区党支部 53 个"}])
    root = make_cases({"binhu/binhu-xiaoqu-dangzhibu.yml": rec})
    codes = [p.code for p in run_validation(root, sources_dir).report.problems]
    assert "evidence-not-in-source" not in codes


def test_metric_unknown_source(make_cases, sources_dir):
    rec = valid_record(metrics=[{"label": "数", "value": 53, "evidence": "全区组建小区党支部53个", "source": "s3"}])
    root = make_cases({"binhu/binhu-xiaoqu-dangzhibu.yml": rec})
    probs = [p for p in run_validation(root, sources_dir).report.problems if p.code == "unknown-source"]
    assert [p.field for p in probs] == ["metrics[0].source"]


# Quoting a number in YAML must not let it slip past the evidence check.
QUOTED = """\
id: quoted-value
title: 数字加了引号
place: binhu
level: 社区级
sources:
  - source: s1
metrics:
  - label: 小区党支部数量
    value: "54"
    evidence: 全区组建小区党支部53个
"""


def test_quoted_metric_value_is_still_checked_against_evidence(make_cases, sources_dir):
    root = make_cases({"binhu/quoted-value.yml": QUOTED})
    report = run_validation(root, sources_dir).report
    codes = {p.code for p in report.problems if p.severity == ERROR}
    assert codes & {"metric-value-not-in-evidence", "wrong-type"}, [p.format() for p in report.problems]
    assert not report.valid


def test_quoted_range_bound_is_still_checked(make_cases, sources_dir):
    text = QUOTED.replace('value: "54"', 'value: {min: "30", max: 10}').replace(
        "全区组建小区党支部53个", "每个中心户联系10—30户农户")
    root = make_cases({"binhu/quoted-value.yml": text})
    report = run_validation(root, sources_dir).report
    codes = {p.code for p in report.problems if p.severity == ERROR}
    assert codes & {"metric-range", "wrong-type"}, [p.format() for p in report.problems]


def test_boolean_metric_value_is_rejected(make_cases, sources_dir):
    # the evidence is a real clause of s1.txt that contains the digit 1
    text = QUOTED.replace('value: "54"', "value: yes").replace("全区组建小区党支部53个", "报考比例达1:18")
    root = make_cases({"binhu/quoted-value.yml": text})
    report = run_validation(root, sources_dir).report
    errors = [(p.code, p.field) for p in report.problems if p.severity == ERROR]
    assert errors, "value: yes was accepted (as the number 1)"
    assert errors[0][1] == "metrics[0].value"


# ------------------------------------------------------------ across files


def test_link_written_at_both_ends_is_a_duplicate(make_cases, sources_dir):
    a = valid_record(related=[{"id": "binhu-wangge-tixi"}])
    root = make_cases({"binhu/binhu-xiaoqu-dangzhibu.yml": a,
                       "binhu/binhu-wangge-tixi.yml": second_record()})
    codes = [p.code for p in run_validation(root, sources_dir).report.problems]
    assert codes.count("duplicate-related") == 1


def test_duplicate_id_message_names_the_other_file(make_cases, sources_dir):
    report, path = _run(make_cases, sources_dir, "duplicate-id.yml")
    (p,) = [p for p in report.problems if p.code == "duplicate-id"]
    assert "duplicate-id.yml:1" in p.message
    assert Path(p.file).resolve() == path.resolve()


def test_missing_source_file(make_cases, sources_dir):
    (sources_dir / "s1.txt").unlink()
    root = make_cases({"binhu/binhu-xiaoqu-dangzhibu.yml": valid_record(),
                       "binhu/binhu-wangge-tixi.yml": second_record()})
    report = run_validation(root, sources_dir).report
    assert [p.code for p in report.problems] == ["source-file-missing"]
    assert "s1.txt" in report.problems[0].message


def test_no_records(make_cases):
    report = run_validation(make_cases({}), None).report
    assert "no-records" in [p.code for p in report.problems]


# --------------------------------------------------------------- registries


def test_registry_problems(make_cases, sources_dir):
    places = {"places": PLACES["places"] + [
        {"slug": "binhu", "name": "滨湖区（重复）", "level": "市辖区", "parent": "wuxi"},
        {"slug": "liangxi-x", "name": "某社区", "level": "社区", "parent": "liangxi"},
    ]}
    tags = {"groups": TAGS["groups"],
            "tags": TAGS["tags"] + [{"slug": "x", "name": "某", "group": "wangg", "definition": "d"}]}
    root = make_cases({"_registry/places/base.yml": places, "_registry/tags.yml": tags,
                       "binhu/binhu-xiaoqu-dangzhibu.yml": valid_record()})
    codes = {p.code for p in run_validation(root, sources_dir).report.problems}
    assert {"duplicate-slug", "unknown-parent", "unknown-group"} <= codes


def test_place_cycle(make_cases, sources_dir):
    places = {"places": [{"slug": "a", "name": "甲", "level": "市辖区", "parent": "b"},
                         {"slug": "b", "name": "乙", "level": "市辖区", "parent": "a"}]}
    root = make_cases({"_registry/places/base.yml": places})
    codes = [p.code for p in run_validation(root, sources_dir).report.problems]
    assert "place-cycle" in codes


def test_registry_missing(make_cases, sources_dir):
    root = make_cases({"binhu/binhu-xiaoqu-dangzhibu.yml": valid_record()})
    (root / "_registry" / "tags.yml").unlink()
    report = run_validation(root, sources_dir).report
    assert "registry-missing" in [p.code for p in report.problems]
    assert not report.valid


def test_validate_never_raises_on_any_fixture_together(make_cases, sources_dir):
    """All bad files in one directory: one run, every file reported."""
    files = {f"binhu/{f.name}": f.read_bytes() for f in BAD.iterdir() if f.name != "control-character.yml"}
    files["binhu/binhu-xiaoqu-dangzhibu.yml"] = valid_record()
    root = make_cases(files)
    v = validate(load_cases(root), sources_dir)
    files_with_problems = {Path(p.file).name for p in v.report.problems}
    expected = {n for n, codes in EXPECTED_CODES.items() if codes} - {"control-character.yml", "duplicate-id.yml"}
    assert expected <= files_with_problems
    json.dumps([p.as_dict() for p in v.report.problems], ensure_ascii=False)


# ------------------------------------------------------------ claim-level evidence


def _claims_report(make_cases, sources_dir, strict=True, sources=None, **overrides):
    files = {"binhu/binhu-xiaoqu-dangzhibu.yml": valid_record(**overrides),
             "binhu/binhu-wangge-tixi.yml": second_record()}
    if sources is not None:
        files["_registry/sources.yml"] = sources
    root = make_cases(files)
    report = run_validation(root, sources_dir, strict).report
    path = root / "binhu" / "binhu-xiaoqu-dangzhibu.yml"
    return [(p.code, p.line, p.field) for p in _for(report, path)], report


def test_claim_evidence_is_checked_against_the_source(make_cases, sources_dir):
    found, report = _claims_report(make_cases, sources_dir, practices=[
        {"text": "按小区组建党支部。", "evidence": ["全区组建小区党支部53个", "全区组建小区党支部54个"]}])
    assert found == [("evidence-not-in-source", 20, "practices[0].evidence[1]")]
    assert not report.valid


def test_claim_without_evidence_fails_only_when_strict(make_cases, sources_dir):
    found, report = _claims_report(make_cases, sources_dir, outcomes=["全区组建小区党支部53个。"])
    assert found == [("claim-without-evidence", 28, "outcomes[0]")]
    assert not report.valid
    _, lenient = _claims_report(make_cases, sources_dir, strict=False, outcomes=["全区组建小区党支部53个。"])
    assert lenient.valid


def test_claim_evidence_longer_than_80_characters(make_cases, sources_dir):
    found, _ = _claims_report(make_cases, sources_dir, background=[{"text": "背景", "evidence": ["网" * 81]}])
    assert ("too-long", 16, "background[0].evidence[0]") in found


def test_background_as_one_paragraph_is_read_as_one_claim_waiting_for_evidence(make_cases, sources_dir):
    found, _ = _claims_report(make_cases, sources_dir, background="小区是居民生活的基本单元。")
    assert found == [("claim-without-evidence", 13, "background[0]")]


def test_problems_two_to_five(make_cases, sources_dir):
    found, _ = _claims_report(make_cases, sources_dir, problems=["只有一条"])
    assert found == [("problem-count", 10, "problems")]


def test_person_needs_evidence_in_the_source(make_cases, sources_dir):
    person = {"name": "张三", "role": "书记", "unit": "", "said": "介绍了做法", "evidence": ["张三说"]}
    found, _ = _claims_report(make_cases, sources_dir, people=[person])
    assert found == [("evidence-not-in-source", 60, "people[0].evidence[0]")]


def test_as_of_year_must_be_in_the_clause_or_follow_from_a_dated_source(make_cases, sources_dir):
    from conftest import SOURCE_TEXT

    (sources_dir / "s1.txt").write_text(SOURCE_TEXT + "今年新建党支部9个。2021年换届。", encoding="utf-8")
    ok, _ = _claims_report(make_cases, sources_dir, as_of={"year": 2021, "evidence": "2021年换届"})
    assert ok == []
    relative = {"year": 2022, "evidence": "今年新建党支部9个"}
    found, _ = _claims_report(make_cases, sources_dir, as_of=relative)
    assert found == [("as-of-unsupported", 55, "as_of.year")]  # the source has no date
    dated = {"sources": [{"id": "s1", "file": "s1.txt", "title": "滨湖区小区党建", "places": ["binhu"],
                          "date": "2022-03-28"}]}
    found, _ = _claims_report(make_cases, sources_dir, sources=dated, as_of=relative)
    assert found == []
    found, _ = _claims_report(make_cases, sources_dir, sources=dated,
                              as_of={"year": 2021, "evidence": "今年新建党支部9个"})
    assert found == [("as-of-unsupported", 55, "as_of.year")]


# ------------------------------------------------------------ the everyday-words lexicon


def test_lexicon_unknown_tag_and_repeated_word_are_reported_with_lines(make_cases, sources_dir):
    lexicon = ("entries:\n"
               "  - words: [太累, 派活]\n"
               "    terms: [小区党支部]\n"
               "    tags: [wangge-zhil]\n"
               "  - words: [太累]\n"
               "    terms: [不存在的说法]\n")
    root = make_cases({"binhu/binhu-xiaoqu-dangzhibu.yml": valid_record(),
                       "binhu/binhu-wangge-tixi.yml": second_record(), "_registry/lexicon.yml": lexicon})
    report = run_validation(root, sources_dir, True).report
    found = [(p.code, p.line, p.field) for p in report.problems if p.file.endswith("lexicon.yml")]
    assert ("unknown-tag", 4, "entries[0].tags[0]") in found
    assert ("duplicate-lexicon-word", 5, "entries[1].words[0]") in found
    assert ("lexicon-term-unused", 6, "entries[1].terms[0]") in found
    unknown = next(p for p in report.problems if p.code == "unknown-tag")
    assert "wangge-zhili" in unknown.suggestion
    assert not report.valid


def test_shipped_lexicon_is_clean_and_covers_the_problems_page():
    from build_tools.build import run_validation as rv
    from conftest import ROOT

    v = rv(ROOT / "cases", ROOT.parent / "shared" / "sources", True)
    assert v.report.valid
    lex = v.registry.lexicon
    assert len(lex.entries) >= 40
    assert 30 <= sum(len(t.items) for t in lex.common_problems) <= 60
