"""The ``casebook`` command, through click's CliRunner (no subprocess)."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from build_tools.build import run_validation
from build_tools.cli import main
from build_tools.load import load_file
from conftest import BAD, second_record, valid_record

# path:line:col code field: message   (field is optional for file-level problems)
LINE_RE = re.compile(r"^(?P<path>\S.*?):(?P<line>\d+):(?P<col>\d+) (?P<code>[a-z][a-z0-9-]*)"
                     r"(?: (?P<field>[^\s:]+):)? (?P<message>\S.*)$")
SUMMARY_RE = re.compile(r"^[✔✘] 共 (\d+) 条记录：(\d+) 个错误，(\d+) 个警告")


def invoke(*args: str):
    result = CliRunner().invoke(main, [str(a) for a in args])
    assert "Traceback" not in result.output
    # any exception other than the normal exit is a crash the user would see as a traceback
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)
    return result


def _lines(output: str) -> list[str]:
    return [l for l in output.splitlines() if l.strip()]


# ----------------------------------------------------------------- validate


def test_validate_clean_exits_0(valid_corpus, sources_dir):
    r = invoke("validate", valid_corpus, "--sources", sources_dir)
    assert r.exit_code == 0, r.output
    lines = _lines(r.output)
    assert len(lines) == 1  # nothing but the summary
    m = SUMMARY_RE.match(lines[0])
    assert m and m.groups() == ("2", "0", "0"), lines[0]
    assert "校验通过" in lines[0]


def test_validate_problems_exit_1_with_line_format(make_cases, sources_dir):
    root = make_cases({
        "binhu/binhu-xiaoqu-dangzhibu.yml": valid_record(),
        "binhu/binhu-wangge-tixi.yml": second_record(),
        "binhu/unknown-tag.yml": (BAD / "unknown-tag.yml").read_bytes(),
        "binhu/wrong-type.yml": (BAD / "wrong-type.yml").read_bytes(),
    })
    r = invoke("validate", root, "--sources", sources_dir)
    assert r.exit_code == 1, r.output
    lines = _lines(r.output)
    *problems, summary = lines
    parsed = [LINE_RE.match(l) for l in problems]
    assert all(parsed), problems
    got = {(Path(m["path"]).name, m["line"], m["col"], m["code"], m["field"]) for m in parsed}
    assert ("unknown-tag.yml", "8", "5", "unknown-tag", "tags[0]") in got
    assert ("wrong-type.yml", "7", "1", "wrong-type", "practices") in got
    tag_line = next(l for l in problems if "unknown-tag" in l)
    assert "未登记的标签“网格化”" in tag_line and "是否指“wangge-zhili”" in tag_line
    m = SUMMARY_RE.match(summary)
    assert m and m.groups() == ("4", "2", "0"), summary
    assert summary.startswith("✘")
    assert sum(1 for l in lines if SUMMARY_RE.match(l)) == 1


def test_validate_missing_cases_dir_is_usage_error(tmp_path):
    r = invoke("validate", tmp_path / "nope")
    assert r.exit_code == 2
    assert "找不到案例目录" in r.output


def test_validate_unknown_option_is_usage_error(valid_corpus):
    r = invoke("validate", valid_corpus, "--no-such-option")
    assert r.exit_code == 2
    assert "--no-such-option" in r.output


def test_validate_json(make_cases, sources_dir):
    root = make_cases({
        "binhu/binhu-xiaoqu-dangzhibu.yml": valid_record(),
        "binhu/binhu-wangge-tixi.yml": second_record(),
        "binhu/unknown-place.yml": (BAD / "unknown-place.yml").read_bytes(),
    })
    r = invoke("validate", root, "--json", "--sources", sources_dir)
    assert r.exit_code == 1
    data = json.loads(r.output)
    assert data["valid"] is False
    assert data["records"] == 3
    probs = data["problems"]
    assert probs and all({"code", "file", "line", "column", "field", "message", "severity"} <= set(p) for p in probs)
    (p,) = [p for p in probs if p["code"] == "unknown-place"]
    assert Path(p["file"]).name == "unknown-place.yml"
    assert (p["line"], p["column"], p["field"]) == (3, 1, "place")
    assert "binhuu" in p["message"]


def test_validate_json_clean(valid_corpus, sources_dir):
    r = invoke("validate", valid_corpus, "--json", "--strict", "--sources", sources_dir)
    assert r.exit_code == 0
    assert json.loads(r.output) == {"valid": True, "records": 2, "problems": []}


def test_strict_turns_warning_into_exit_1(make_cases, sources_dir):
    root = make_cases({"binhu/binhu-xiaoqu-dangzhibu.yml": valid_record()})  # tags used once: warnings
    r = invoke("validate", root, "--sources", sources_dir)
    assert r.exit_code == 0, r.output
    assert "tag-underused" in r.output
    assert SUMMARY_RE.match(_lines(r.output)[-1]).groups() == ("1", "0", "2")
    r = invoke("validate", root, "--strict", "--sources", sources_dir)
    assert r.exit_code == 1, r.output
    assert "--strict" in _lines(r.output)[-1]


def test_missing_sources_dir_is_skipped(valid_corpus, tmp_path):
    r = invoke("validate", valid_corpus, "--strict", "--sources", tmp_path / "no-such-sources")
    assert r.exit_code == 0, r.output
    assert "sources-skipped" in r.output
    assert "跳过" in r.output
    r = invoke("validate", valid_corpus, "--json", "--sources", tmp_path / "no-such-sources")
    assert [p["code"] for p in json.loads(r.output)["problems"]] == ["sources-skipped"]


def test_sources_checks_evidence(make_cases, sources_dir):
    root = make_cases({
        "binhu/binhu-xiaoqu-dangzhibu.yml": valid_record(),
        "binhu/binhu-wangge-tixi.yml": second_record(),
        "binhu/evidence-not-in-source.yml": (BAD / "evidence-not-in-source.yml").read_bytes(),
    })
    assert invoke("validate", root).exit_code == 0  # not checked without --sources
    r = invoke("validate", root, "--sources", sources_dir)
    assert r.exit_code == 1
    assert "evidence-not-in-source" in r.output


@pytest.mark.parametrize("name", sorted(f.name for f in BAD.iterdir()))
def test_no_traceback_for_any_bad_file(make_cases, sources_dir, name):
    root = make_cases({
        "binhu/binhu-xiaoqu-dangzhibu.yml": valid_record(),
        "binhu/binhu-wangge-tixi.yml": second_record(),
        f"binhu/{name}": (BAD / name).read_bytes(),
    })
    for extra in ([], ["--json"], ["--strict"]):
        r = invoke("validate", root, "--sources", sources_dir, *extra)
        assert r.exit_code in (0, 1)
    r = invoke("stats", root)
    assert r.exit_code == 0


@pytest.mark.parametrize("name", ["gbk-encoding.yml", "custom-tag.yml", "alias-bomb.yml"])
def test_named_hostile_files_reported_cleanly(make_cases, sources_dir, name):
    root = make_cases({f"binhu/{name}": (BAD / name).read_bytes()})
    r = invoke("validate", root, "--sources", sources_dir)
    assert r.exit_code == 1
    code = {"gbk-encoding.yml": "encoding", "custom-tag.yml": "custom-tag", "alias-bomb.yml": "alias-bomb"}[name]
    assert any(LINE_RE.match(l) and LINE_RE.match(l)["code"] == code for l in _lines(r.output)), r.output


def test_missing_registry_file_no_traceback(make_cases, sources_dir):
    root = make_cases({"binhu/binhu-xiaoqu-dangzhibu.yml": valid_record()})
    (root / "_registry" / "sources.yml").unlink()
    r = invoke("validate", root, "--sources", sources_dir)
    assert r.exit_code == 1
    assert "registry-missing" in r.output


# ---------------------------------------------------------------------- new


def test_new_writes_a_loadable_stub(valid_corpus):
    r = invoke("new", "--place", "binhu", "--title", "测试做法", "--cases", valid_corpus)
    assert r.exit_code == 0, r.output
    written = sorted((valid_corpus / "binhu").glob("*.yml"))
    (path,) = [p for p in written if p.name not in ("binhu-xiaoqu-dangzhibu.yml", "binhu-wangge-tixi.yml")]
    assert str(path.name) in r.output
    doc = load_file(path)
    assert doc.problems == []
    assert doc.data["status"] == "stub"
    assert doc.data["title"] == "测试做法"
    assert doc.data["place"] == "binhu"
    assert doc.data["id"] == path.stem
    assert re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", path.stem)
    # the new stub adds no error to the corpus
    report = run_validation(valid_corpus).report
    assert report.valid, [p.format() for p in report.errors()]


def test_new_with_explicit_id_and_collision(valid_corpus):
    r = invoke("new", "--place", "binhu", "--title", "另一个做法", "--id", "my-case", "--cases", valid_corpus)
    assert r.exit_code == 0
    assert (valid_corpus / "binhu" / "my-case.yml").is_file()
    r = invoke("new", "--place", "binhu", "--title", "另一个做法", "--id", "my-case", "--cases", valid_corpus)
    assert r.exit_code == 2
    assert "已被使用" in r.output
    r = invoke("new", "--place", "binhu", "--title", "x", "--id", "Bad/../id", "--cases", valid_corpus)
    assert r.exit_code == 2
    assert "不合规" in r.output


@pytest.mark.parametrize("title", ["积分制: 试点", "#1 号做法", "“红色物业”1+3+N", "*星级* 评定", "'引号' 开头"],
                         ids=["colon-space", "hash", "cjk-quotes", "star-alias", "single-quote"])
def test_new_title_with_yaml_special_characters(valid_corpus, title):
    r = invoke("new", "--place", "binhu", "--title", title, "--cases", valid_corpus)
    assert r.exit_code == 0, r.output
    new = [p for p in (valid_corpus / "binhu").glob("*.yml")
           if p.name not in ("binhu-xiaoqu-dangzhibu.yml", "binhu-wangge-tixi.yml")]
    assert len(new) == 1
    doc = load_file(new[0])
    assert doc.problems == [], [p.format() for p in doc.problems]
    assert doc.data["title"] == title


def test_new_unknown_place_exits_2_in_chinese(valid_corpus):
    r = invoke("new", "--place", "nowhere", "--title", "测试做法", "--cases", valid_corpus)
    assert r.exit_code == 2
    assert "未登记的地点“nowhere”" in r.output
    assert not (valid_corpus / "nowhere").exists()


def test_new_place_by_chinese_name_suggests_slug(valid_corpus):
    r = invoke("new", "--place", "滨湖区", "--title", "测试做法", "--cases", valid_corpus)
    assert r.exit_code == 2
    assert "是否指“binhu”" in r.output


def test_new_missing_required_option(valid_corpus):
    assert invoke("new", "--place", "binhu", "--cases", valid_corpus).exit_code == 2


# -------------------------------------------------------------------- stats


def test_stats_json_counts(make_cases):
    root = make_cases({
        "binhu/binhu-xiaoqu-dangzhibu.yml": valid_record(),
        "binhu/binhu-wangge-tixi.yml": second_record(),
        "binhu/wrong-type.yml": (BAD / "wrong-type.yml").read_bytes(),
        "binhu/stub-record.yml": {"id": "stub-record", "title": "草稿", "place": "binhu",
                                  "level": "社区级", "sources": [{"source": "s1"}]},
    })
    r = invoke("stats", root, "--json")
    assert r.exit_code == 0
    data = json.loads(r.output)
    assert data["records"] == 3
    assert data["metrics"] == 4
    assert data["status"] == {"complete": 2, "stub": 1}
    assert data["invalid_files"] == 1
    assert data["places"] == [{"slug": "binhu", "name": "滨湖区", "records": 3, "metrics": 4}]
    tags = {t["slug"]: t["records"] for t in data["tags"]}
    assert tags == {"xiaoqu-dangzhibu": 2, "wangge-zhili": 2, "dangyuan-zhongxinhu": 0}
    note = next(t for t in data["tags"] if t["slug"] == "dangyuan-zhongxinhu")["note"]
    assert note
    # each valid record has two evidenced practices and one evidenced outcome
    assert data["evidence"]["practices"] == {"items": 4, "with_evidence": 4}
    assert data["evidence"]["outcomes"] == {"items": 2, "with_evidence": 2}


def test_stats_prints_the_share_of_statements_with_evidence(make_cases):
    rec = valid_record(practices=[{"text": "按小区组建党支部。", "evidence": ["全区组建小区党支部53个"]},
                                  "没有证据的一句。"])
    root = make_cases({"binhu/binhu-xiaoqu-dangzhibu.yml": rec, "binhu/binhu-wangge-tixi.yml": second_record()})
    r = invoke("stats", root)
    assert r.exit_code == 0
    row = next(line for line in r.output.splitlines() if "主要做法" in line)
    assert "4" in row and "3" in row and "75%" in row


def test_stats_table(valid_corpus):
    r = invoke("stats", valid_corpus)
    assert r.exit_code == 0
    assert "滨湖区" in r.output and "记录 2 条" in r.output


def test_version_and_help():
    assert invoke("--version").exit_code == 0
    r = invoke("validate", "--help")
    assert r.exit_code == 0 and "--strict" in r.output


# Latin words a Chinese reader may meet in the CLI's own text, and why they stay.
LATIN_ALLOWED = {
    # names of programs, formats and standards, written as their makers write them
    "casebook", "Excel", "WPS", "Word", "HTML", "JSON", "Schema", "CSV", "BOM", "UTF", "GBK", "GB", "ASCII",
    "Markdown", "MkDocs", "Material", "Zensical", "Whoosh", "git", "HEAD", "CI", "docx", "pdf", "txt", "md",
    "zip", "html", "yml",
    # field names of the --json output and of a record, which programs and editors read as written
    "id", "title", "place", "score", "snippet", "tags", "match", "direct", "related", "source", "items", "kind",
    "text", "line",
}


def cli_tree(cmd, path=()):
    """Every command path of ``casebook`` with its click command, the group itself first."""
    yield list(path), cmd
    for name, sub in getattr(cmd, "commands", {}).items():
        yield from cli_tree(sub, (*path, name))


def latin_words(text: str, allowed: set[str]) -> set[str]:
    """Latin words in ``text`` that are not code: paths, file names, ids and option names are skipped."""
    found = set()
    text = re.sub(r"'[^'\s]*'|\[默认：[^\]]*\]", " ", text)  # what the user typed, click quotes; default values
    for token in re.findall(r"[!-~]+", text):
        token = token.strip(".,;:!?()[]{}'\"|")
        if not token or token.startswith("-") or re.search(r"[/._<>=-]", token):
            continue  # an option, a path, a file name, an id or a range like 1<=x<=200
        found |= {w for w in re.findall(r"[A-Za-z]+", token) if len(w) > 1 and w not in allowed}
    return found


def test_cli_help_and_usage_errors_are_chinese(tmp_path):
    """casebook --help, each subcommand's help and click's own error messages: no English left for the reader."""
    import click

    from build_tools.build import load_corpus
    from conftest import ROOT

    registry = load_corpus(ROOT / "cases")[0].registry
    allowed = LATIN_ALLOWED | set(registry.places) | set(registry.tags)  # example place and tag ids
    pages = {}
    for path, cmd in cli_tree(main):
        allowed |= set(path)
        for param in cmd.params:
            allowed |= set(re.findall(r"[A-Za-z]+", param.metavar or ""))  # the names the help text refers to
            if isinstance(param, click.Argument):
                allowed.add(param.human_readable_name)
            if isinstance(param.type, click.Choice):
                allowed |= set(param.type.choices)
        r = CliRunner().invoke(main, [*path, "--help"], prog_name="casebook")
        assert r.exit_code == 0, r.output
        pages[" ".join(path)] = r.output
    assert len(pages) >= 20
    r = CliRunner().invoke(main, ["course", "new"], prog_name="casebook")
    assert r.exit_code == 2 and r.output.splitlines() == [
        "用法：casebook course new [选项]", "可运行 casebook course new -h 查看帮助。", "错误：缺少选项 '--title'。"]
    pages["missing option"] = r.output
    for args in (["export", "--format", "pdf"], ["search", "--limit", "0", "网格"], ["bild"], ["export", "--fo"],
                 ["new", "--place"], ["course", "build"], ["course", "build", tmp_path / "nope.yml"]):
        r = CliRunner().invoke(main, [str(a) for a in args], prog_name="casebook")
        assert r.exit_code == 2 and "错误：" in r.output, (args, r.output)
        pages[" ".join(map(str, args))] = r.output
    english = {name: latin_words(text, allowed) for name, text in pages.items()}
    assert {name: words for name, words in english.items() if words} == {}
    export = pages["export"]
    assert "选项：" in export and "[默认：xlsx]" in export and "显示本帮助并退出。" in export
    assert "--out 目录" in export  # click's DIRECTORY placeholder
    assert not re.search(r"[，。；：）] ", "".join(pages.values()))  # no half-width space after full-width marks


def test_schema_command_writes_current_schema(tmp_path):
    out = tmp_path / "out" / "record.schema.json"
    r = invoke("schema", "--out", out)
    assert r.exit_code == 0
    repo_schema = Path(__file__).resolve().parent.parent / "schema" / "record.schema.json"
    assert out.read_text(encoding="utf-8") == repo_schema.read_text(encoding="utf-8")


def test_every_command_that_reads_records_refuses_what_the_site_refuses(make_cases, tmp_path):
    """casebook index and course build validate as the site build does: strictly, against the sources beside the project."""
    from conftest import SOURCE_TEXT

    (tmp_path / "shared" / "sources").mkdir(parents=True)
    (tmp_path / "shared" / "sources" / "s1.txt").write_text(SOURCE_TEXT, encoding="utf-8")
    bad = valid_record(practices=[{"text": "按小区组建党支部。", "evidence": ["全区组建小区党支部99个"]}])
    cases = make_cases({"binhu/binhu-xiaoqu-dangzhibu.yml": bad, "binhu/binhu-wangge-tixi.yml": second_record()},
                       name="proj/cases")
    r = invoke("index", cases, "--out", tmp_path / "ix")
    assert r.exit_code == 1 and "evidence-not-in-source" in r.output
    assert not (tmp_path / "ix").exists()
    spec = tmp_path / "c.yml"
    spec.write_text("id: c\ntitle: 课\naudience: 书记\nduration: 60\nobjectives: [了解]\n"
                    "sessions:\n  - {title: 一, minutes: 60, cases: [binhu-wangge-tixi]}\n", encoding="utf-8")
    r = invoke("course", "build", spec, "--cases", cases, "--out", tmp_path / "out")
    assert r.exit_code == 1 and "evidence-not-in-source" in r.output


def test_export_records_and_figures_in_three_formats(valid_corpus, tmp_path):
    """People get Chinese headers, names and ids last; --ids gives the fixed machine columns."""
    import csv
    import io

    import openpyxl

    from build_tools.export import FIGURE_COLUMNS, RECORD_COLUMNS

    for fmt in ("csv", "xlsx", "json"):
        r = invoke("export", valid_corpus, "--format", fmt, "--out", tmp_path / fmt)
        assert r.exit_code == 0, r.output
        r = invoke("export", valid_corpus, "--format", fmt, "--ids", "--out", tmp_path / f"{fmt}-ids")
        assert r.exit_code == 0, r.output
    raw = (tmp_path / "csv" / "figures.csv").read_bytes()
    assert raw.startswith("\ufeff案例,地点,".encode("utf-8"))  # the BOM Excel and WPS need
    rows = list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig"))))
    assert len(rows) == 4  # the two records' four figures
    ranged = next(r for r in rows if r["区间上限"])
    assert (ranged["数值（区间的下限）"], ranged["区间上限"], ranged["单位"]) == ("10", "30", "户")
    assert ranged["地点"] == "滨湖区" and ranged["标签"] == "小区党支部、网格化管理"
    assert list(rows[0])[-5:] == ["案例编号", "地点编号", "标签编号", "类型编号", "来源编号"]
    assert {r["是否成效"] for r in rows} == {"是", "否"}
    assert all(not re.search(r"[a-z_]{3}", h) for h in rows[0])  # no code-like header
    records = list(csv.DictReader(io.StringIO((tmp_path / "csv" / "records.csv").read_text(encoding="utf-8-sig"))))
    first = next(r for r in records if r["案例编号"] == "binhu-xiaoqu-dangzhibu")
    assert (first["地点"], first["地点编号"], first["单位编号"]) == ("无锡市滨湖区水秀社区", "binhu", "binhu-shuixiu")
    assert first["标签编号"] == "xiaoqu-dangzhibu、wangge-zhili"
    machine = list(csv.reader(io.StringIO((tmp_path / "csv-ids" / "figures.csv").read_text(encoding="utf-8-sig"))))
    assert machine[0] == FIGURE_COLUMNS and machine[0][:8] == ["record_id", "record_title", "place", "place_full",
                                                               "tags", "label", "value", "value_max"]
    assert list(csv.reader(io.StringIO((tmp_path / "csv-ids" / "records.csv").read_text(encoding="utf-8-sig"))))[0] \
        == RECORD_COLUMNS

    wb = openpyxl.load_workbook(tmp_path / "xlsx" / "casebook.xlsx")
    assert wb["案例"].max_row == 3 and wb["数字"].max_row == 5
    for ws in wb:
        assert ws.freeze_panes == "A2" and ws["A1"].font.b  # the header row stays in view
        assert ws.auto_filter.ref == f"A1:{ws.cell(1, ws.max_column).column_letter}{ws.max_row}"
    ws = wb["数字"]
    header = [c.value for c in ws[1]]
    low, high = header.index("数值（区间的下限）"), header.index("区间上限")
    ranged = [row for row in ws.iter_rows(min_row=2, values_only=True) if row[high] is not None]
    assert ranged and ranged[0][low:high + 1] == (10, 30)  # 10—30户: a range keeps both ends, as numbers
    assert 27000 in [row[low] for row in ws.iter_rows(min_row=2, values_only=True)]
    widths = {h: ws.column_dimensions[ws.cell(1, i).column_letter].width for i, h in enumerate(header, 1)}
    assert widths["证据原文"] >= 26  # 每个中心户联系10—30户农户: ten Chinese characters and a dash two units each
    assert widths["单位"] < widths["地点"] < widths["证据原文"] <= 50
    machine = openpyxl.load_workbook(tmp_path / "xlsx-ids" / "casebook.xlsx")
    assert [c.value for c in machine["数字"][1]] == FIGURE_COLUMNS
    assert [c.value for c in machine["案例"][1]] == RECORD_COLUMNS
    data = json.loads((tmp_path / "json" / "casebook.json").read_text(encoding="utf-8"))
    assert len(data["records"]) == 2 and len(data["figures"]) == 4


def test_figure_downloads_are_reused_while_the_figures_stay_the_same(tmp_path, valid_corpus, sources_dir):
    """Building again after an edit that touches no figure keeps the workbook; a figure edit makes a new one."""
    import io

    import openpyxl

    from build_tools.build import load_corpus
    from build_tools.export import figure_downloads

    corpus, _ = load_corpus(valid_corpus, sources_dir)
    first = figure_downloads(corpus, tmp_path / "cache")
    assert figure_downloads(corpus, tmp_path / "cache") == first
    assert len(list((tmp_path / "cache").glob("figures-*.pickle"))) == 1
    rec = corpus.records["binhu-xiaoqu-dangzhibu"]
    changed = corpus.with_records({**corpus.records, rec.id: rec.model_copy(update={"summary": "改过的摘要。"})})
    assert figure_downloads(changed, tmp_path / "cache") == first
    mt = rec.metrics[0].model_copy(update={"label": "小区党支部个数"})
    changed = corpus.with_records({**corpus.records, rec.id: rec.model_copy(update={"metrics": [mt]})})
    again = figure_downloads(changed, tmp_path / "cache")
    sheet = openpyxl.load_workbook(io.BytesIO(again["downloads/figures.xlsx"])).active
    assert "小区党支部个数" in [c.value for row in sheet.iter_rows(min_row=2) for c in row]
    assert len(list((tmp_path / "cache").glob("figures-*.pickle"))) == 1


@pytest.mark.parametrize("module", ["build_tools", "build_tools.cli"])
def test_python_dash_m_runs_the_command_and_reports_failure(module, tmp_path):
    """``python -m build_tools.cli validate`` once imported the module and exited 0 without checking
    anything: an editor following such a line would believe a broken record valid."""
    import subprocess
    import sys

    bad = tmp_path / "cases" / "x"
    bad.mkdir(parents=True)
    (bad / "broken.yml").write_text("id: [unclosed\n", encoding="utf-8")
    ran = subprocess.run([sys.executable, "-m", module, "validate", str(tmp_path / "cases")],
                         capture_output=True, text=True, cwd=Path(__file__).resolve().parents[1])
    assert ran.returncode != 0 and "broken.yml" in ran.stdout + ran.stderr
    assert "Traceback" not in ran.stderr
