"""Issue 25: a new article in (four formats), checked, drafted from, completed, validated, on the site; bad input refused.

Everything is written under temporary folders: a throw-away project (the
real registries and site config, no records) with its sources folder beside
it, holding links to the five shipped articles and the new ones.
"""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from build_tools.build import build_site
from build_tools.cli import main
from build_tools.draft_rules import UNWRITTEN
from sitekit import ROOT, make_project

SHIPPED = ROOT.parent / "shared" / "sources"
PAGE_MARK, CAPTION = "(下转B5版)", "图为居民在楼道议事角商量停车问题。"


def invoke(*args):
    result = CliRunner().invoke(main, [str(a) for a in args])
    assert "Traceback" not in result.output
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)
    return result


def paragraphs(town: str) -> tuple[str, list[str]]:
    """A small article about a made-up community: a quoted method, two figures, a named person with a post."""
    return f"{town}社区：“楼道议事角”让小事不出楼", [
        f"近年来，{town}社区推行“楼道议事角”工作法，把议事桌搬到居民楼道里，有事大家当面商量。",
        "社区把全社区划成12个楼道议事单元，每月召开一次楼道议事会，今年已解决停车、绿化等问题86件。",
        f"“以前反映一个问题要跑好几趟，现在在楼道里就能商量。”{town}社区党委书记林晓梅说。",
    ]


def write_txt(folder: Path, town: str) -> Path:
    """Plain text in GBK, as a Chinese Windows machine saves it, with a page marker, a caption and a repeat."""
    title, paras = paragraphs(town)
    lines = [title, paras[0], PAGE_MARK, paras[1], CAPTION, paras[2], paras[1]]
    path = folder / f"{town}.txt"
    path.write_bytes("\r\n\r\n".join(lines).encode("gbk"))
    return path


def write_docx(folder: Path, town: str) -> Path:
    import docx

    title, paras = paragraphs(town)
    d = docx.Document()
    d.add_heading(title, 1)
    for p in paras[:2]:
        d.add_paragraph(p)
    d.add_paragraph(CAPTION, style="Caption")
    d.add_paragraph(paras[2])
    path = folder / f"{town}.docx"
    d.save(str(path))
    return path


def write_html(folder: Path, town: str) -> Path:
    """A saved news page: navigation, the article, a figure with its caption, a footer."""
    from jinja2 import Template

    title, paras = paragraphs(town)
    page = Template(
        "<!doctype html><html><head><meta charset='gbk'><title>{{ title }}_某某日报</title></head><body>"
        "<div class='nav'><a href='/'>首页</a> | <a href='/news'>新闻</a> | <a href='/about'>关于我们</a></div>"
        "<div class='article'><h1>{{ title }}</h1>{% for p in paras[:2] %}<p>{{ p }}</p>{% endfor %}"
        "<figure><img src='a.jpg'><figcaption>{{ caption }}</figcaption></figure><p>{{ paras[2] }}</p></div>"
        "<div class='footer'>版权所有 某某日报社 备案号 00000000</div></body></html>", autoescape=True)
    path = folder / f"{town}.html"
    path.write_bytes(page.render(title=title, paras=paras, caption=CAPTION).encode("gbk"))
    return path


def write_pdf(folder: Path, town: str) -> Path:
    """A PDF with a text layer, made from a Word file by LibreOffice (quotes and digits in another font)."""
    work = folder / "pdf-from"
    work.mkdir(exist_ok=True)
    docx_file = write_docx(work, town)
    subprocess.run(["soffice", "--headless", "--convert-to", "pdf", "--outdir", str(folder), str(docx_file)],
                   check=True, capture_output=True, timeout=120)
    return folder / f"{town}.pdf"


FORMATS = {"txt": ("青枫", write_txt), "docx": ("云杉", write_docx), "html": ("银杏", write_html),
           "pdf": ("丹桂", write_pdf)}


@pytest.fixture
def project(tmp_path) -> tuple[Path, Path]:
    """A project with no records and its sources folder beside it (links to the five shipped articles)."""
    root = make_project(tmp_path / "proj", {})
    sources = tmp_path / "shared" / "sources"
    sources.mkdir(parents=True)
    for f in SHIPPED.glob("*.txt"):
        (sources / f.name).symlink_to(f)
    return root, sources


def items_of(cases: Path, sid: str, sources: Path) -> list[dict]:
    r = invoke("source", "check", sid, "--sources", sources, "--cases", cases, "--json")
    assert r.exit_code == 0, r.output
    data = json.loads(r.output)
    assert data["source"] == sid
    return data["items"]


def complete(draft: Path, town: str, cases: Path) -> str:
    """What an editor does to a draft: write every statement, name the record, drop the mark, move it."""
    data = yaml.safe_load(draft.read_text(encoding="utf-8"))
    assert data["draft"] is True and all(p["text"] == UNWRITTEN for p in data["practices"])
    for p in data["practices"]:
        p["text"] = f"{town}社区把议事桌搬进居民楼道，居民有事当面商量。"
    data["title"] = f"{town}社区“楼道议事角”工作法"
    data.pop("draft")
    target = cases / data["place"] / f"{data['id']}.yml"
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    draft.unlink()
    return data["id"]


def test_four_formats_go_in_and_a_record_drafted_from_each_reaches_the_site(project, tmp_path, browser):
    root, sources = project
    cases = root / "cases"
    incoming = tmp_path / "incoming"
    incoming.mkdir()
    done = {}
    for fmt, (town, write) in FORMATS.items():
        sid = f"new-{fmt}"
        r = invoke("source", "add", write(incoming, town), "--sources", sources, "--cases", cases, "--id", sid,
                   "--places", "binhu", "--date", "2024-05-06")
        assert r.exit_code == 0, (fmt, r.output)
        assert f"已登记来源“{sid}”" in r.output
        entry = next(s for s in yaml.safe_load((cases / "_registry/sources.yml").read_text("utf-8"))["sources"]
                     if s["id"] == sid)
        text = (sources / entry["file"]).read_text(encoding="utf-8")  # UTF-8, whatever came in
        assert f"{town}社区推行“楼道议事角”工作法" in text and "林晓梅说" in text, (fmt, text)
        assert "首页" not in text and "版权所有" not in text  # the saved page's navigation and footer are gone
        assert entry["places"] == ["binhu"] and str(entry["date"]) == "2024-05-06"
        items = items_of(cases, sid, sources)
        method = next(i for i, it in enumerate(items, 1) if it["kind"] == "method" and "楼道议事角" in it["text"])
        assert {"12个", "86件"} <= {f for it in items if it["kind"] == "figure" for f in ("12个", "86件") if f in it["text"]}
        person = next(it for it in items if it["kind"] == "person")
        assert person["text"].startswith("林晓梅") and "党委书记" in person["text"]
        assert all(not it["covered_by"] for it in items), "nothing is covered before a record exists"
        r = invoke("new", "--from-source", sid, "--item", method, "--sources", sources, "--cases", cases)
        assert r.exit_code == 0, r.output
        draft = next((cases / "_drafts").glob("*.yml"))
        assert "推行“楼道议事角”工作法" in draft.read_text(encoding="utf-8")
        rid = complete(draft, town, cases)
        done[fmt] = (sid, rid, town)
        covered = items_of(cases, sid, sources)[method - 1]
        assert covered["covered_by"] == [rid], covered
    r = invoke("validate", cases, "--sources", sources)
    assert r.exit_code == 0, r.output
    assert "evidence-not-in-source" not in r.output and "draft-unwritten" not in r.output
    site = build_site(root, tmp_path / "site")
    for fmt, (sid, rid, town) in done.items():
        page = browser.open(site / "cases" / f"{rid}.html")
        body = page.locator("article").inner_text()
        assert f"{town}社区“楼道议事角”工作法" in body and f"{town}社区把议事桌搬进居民楼道" in body, fmt
        assert f"{town}社区推行“楼道议事角”工作法" in body, fmt  # the evidence, quoted from the new article
        page.close()


def test_a_draft_is_reported_statement_by_statement_and_never_reaches_the_site(project, tmp_path):
    root, sources = project
    cases = root / "cases"
    r = invoke("source", "add", write_txt(tmp_path, "青枫"), "--sources", sources, "--cases", cases, "--id", "qingfeng",
               "--places", "binhu")
    assert r.exit_code == 0, r.output
    assert "版面标记 1 处" in r.output and "图片说明 1 处" in r.output
    assert "第 13 行的段落与第 7 行重复" in r.output  # the second paragraph, given twice
    registry = (cases / "_registry/sources.yml").read_text(encoding="utf-8")
    assert registry.startswith((ROOT / "cases/_registry/sources.yml").read_text(encoding="utf-8"))  # appended
    items = items_of(cases, "qingfeng", sources)
    figure = next(i for i, it in enumerate(items, 1) if it["kind"] == "figure" and "86件" in it["text"])
    person = next(i for i, it in enumerate(items, 1) if it["kind"] == "person")
    for n, rid in ((figure, "qingfeng-shuzi"), (person, "qingfeng-renwu")):
        assert invoke("new", "--from-source", "qingfeng", "--item", n, "--sources", sources, "--cases", cases,
                      "--id", rid).exit_code == 0
    drafted = yaml.safe_load((cases / "_drafts/qingfeng-shuzi.yml").read_text(encoding="utf-8"))
    assert drafted["metrics"][0]["value"] == 86 and drafted["metrics"][0]["unit"] == "件"
    assert "86件" in drafted["metrics"][0]["evidence"]
    people = yaml.safe_load((cases / "_drafts/qingfeng-renwu.yml").read_text(encoding="utf-8"))["people"]
    assert people[0]["name"] == "林晓梅" and "党委书记" in people[0]["role"]
    lines = (cases / "_drafts/qingfeng-shuzi.yml").read_text(encoding="utf-8").splitlines()
    slots = [i for i, ln in enumerate(lines, 1) if ln.strip() == f'- text: "{UNWRITTEN}"']
    label = next(i for i, ln in enumerate(lines, 1) if ln.strip() == f'- label: "{UNWRITTEN}"')
    r = invoke("validate", cases, "--sources", sources)
    assert r.exit_code == 0, r.output  # a draft's unwritten statements are warnings …
    reported = [ln for ln in r.output.splitlines() if "qingfeng-shuzi.yml" in ln and "draft-unwritten" in ln]
    assert [int(ln.split(":")[1]) for ln in reported] == sorted(slots + [label]), r.output
    assert "evidence-not-in-source" not in r.output  # the clauses were copied verbatim
    r = invoke("validate", "--strict", cases, "--sources", sources)
    assert r.exit_code == 1 and "draft-unwritten" in r.output  # … and errors under --strict
    site = build_site(root, tmp_path / "site")  # strict or not, the site build never reads cases/_drafts/
    assert not any("qingfeng-shuzi" in p.name or "qingfeng-renwu" in p.name for p in site.rglob("*"))
    assert not any("qingfeng-shuzi" in p.read_text(encoding="utf-8", errors="ignore")
                   for p in site.rglob("*") if p.suffix in (".html", ".js", ".json"))
    moved = cases / "binhu" / "qingfeng-shuzi.yml"
    moved.parent.mkdir(exist_ok=True)
    shutil.move(cases / "_drafts/qingfeng-shuzi.yml", moved)  # moved before it is written: refused
    r = invoke("validate", cases, "--sources", sources)
    assert r.exit_code == 1 and "draft-outside-drafts" in r.output and "unwritten-in-record" in r.output


def test_evidence_suggest_flags_a_statement_whose_evidence_lacks_its_words(tmp_path):
    cases = tmp_path / "cases"
    shutil.copytree(ROOT / "cases", cases)
    rec = cases / "wuxi" / "hongse-wuye-1-3-n.yml"
    text = rec.read_text(encoding="utf-8").replace("  - text: 推进“红色物业”服务站建设。",
                                                    "  - text: 推进“智慧餐厅”建设，居民吃上暖心餐。")
    rec.write_text(text, encoding="utf-8")
    r = invoke("evidence", "suggest", "hongse-wuye-1-3-n", "--sources", SHIPPED, "--cases", cases, "--json")
    assert r.exit_code == 0, r.output
    rows = {row["field"]: row for row in json.loads(r.output)["statements"]}
    changed, kept = rows["practices[5].text"], rows["practices[1].text"]
    assert changed["unshared"] and not kept["unshared"]
    assert changed["line"] == text.splitlines().index("  - text: 推进“智慧餐厅”建设，居民吃上暖心餐。") + 1
    # the article's own clause about the canteen comes first, with its line number in the article
    assert "智慧餐厅" in changed["suggestions"][0]["clause"] and changed["suggestions"][0]["line"] == 9
    assert kept["suggestions"][0]["clause"].endswith("构建“1+3+N”物业服务协调共治体系") and len(kept["suggestions"]) == 3


def _blank_pdf(path: Path) -> Path:
    from pypdf import PdfWriter

    w = PdfWriter()
    w.add_blank_page(595, 842)
    with open(path, "wb") as f:
        w.write(f)
    return path


def put(path: Path, data: bytes) -> Path:
    path.write_bytes(data)
    return path


BAD = {
    "not-text": (lambda d: put(d / "photo.txt", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" * 20), [], "这不是文本文件"),
    "empty": (lambda d: put(d / "empty.txt", b""), [], "文件是空的"),
    "scanned-pdf": (lambda d: _blank_pdf(d / "scan.pdf"), [], "这份 PDF 没有文字层，可能是扫描件，请先做文字识别"),
    "encoding": (lambda d: put(d / "ru.txt", "Привет, это текст в кодировке cp1251 без китайского. ".encode("cp1251") * 3),
                 [], "无法识别这份文本文件的编码"),
    "old-word": (lambda d: put(d / "old.doc", b"\xd0\xcf\x11\xe0" * 10), [], "另存为” .docx"),
    "id-used": (lambda d: write_txt(d, "青枫"), ["--id", "binhu"], "来源 id“binhu”已被使用"),
    "unknown-place": (lambda d: write_txt(d, "青枫"), ["--places", "huangshan"], "未登记的地点“huangshan”"),
}


@pytest.mark.parametrize("case", BAD, ids=list(BAD))
def test_bad_input_is_refused_in_chinese_and_nothing_is_written(case, project, tmp_path):
    root, sources = project
    cases = root / "cases"
    make, extra, message = BAD[case]
    incoming = tmp_path / "incoming"
    incoming.mkdir()
    path = make(incoming)
    before = (sorted(p.name for p in sources.iterdir()), (cases / "_registry/sources.yml").read_bytes())
    r = invoke("source", "add", path, "--sources", sources, "--cases", cases, *extra)
    assert r.exit_code == 1, r.output
    assert message in r.output and str(path.name) in r.output, r.output
    assert "怎么办" in r.output and "没有写入任何文件" in r.output
    assert (sorted(p.name for p in sources.iterdir()), (cases / "_registry/sources.yml").read_bytes()) == before


def test_check_of_an_unknown_source_says_which_exist(project):
    root, sources = project
    r = invoke("source", "check", "xishan", "--sources", sources, "--cases", root / "cases")
    assert r.exit_code == 1
    assert "来源“xishan”未登记" in r.output and "wuxi、dafeng-jianhu" in r.output
    r = invoke("new", "--from-source", "wuxi", "--item", 999, "--sources", sources, "--cases", root / "cases")
    assert r.exit_code == 1 and "没有第 999 项" in r.output
    assert not (root / "cases" / "_drafts").exists()


# How the item finder reads methods and people that are not quoted-and-suffixed or said aloud (issue 25, recall):
# each case is a small article, the item it must list, and a near miss in the same shape it must not.
FINDER = {
    "verb-makes-quoted": ("社区全力打造5分钟便民服务“红心圈”，居民下楼就能办事。", "红心圈",
                          "融联共建打造社区治理“样板间”\n\n社区推行以“天天开门”为内涵的服务。", ("样板间", "天天开门")),
    "frame-quoted": ("街道以“红色新干线”提档升级为抓手，加大“全科社工”培养力度。", "红色新干线|全科社工",
                     "社区以解决“关键小事”为切入点，加大“一线”投入。", ("关键小事", "一线")),
    "put-into-effect": ("社区积极推行红色代办服务，推进两新党建扩容升级。", "红色代办服务|两新党建扩容升级",
                        "社区推进小区和小巷改造，开展便民服务。", ("小巷", "便民服务")),
    "listed-head": ("健全县、镇、社区、网格四级联动体系，形成合力。", "四级联动体系",
                    "县、镇、社区、网格四级联动体系运转顺畅，形成合力。", ("四级联动体系",)),
    "list-beside-quoted": ("严格落实“区街共管”、联查联审等制度。", "区街共管|联查联审",
                           "严格落实“区街共管”、联查联审等要求。", ("联查联审",)),
    "quote-cut-by-paragraph": ("全市创新“小哥入网\n\n格”等做法，吸纳骑手参与治理。", "小哥入网格",
                               "全市创新“小哥入网\n\n格等做法，吸纳骑手参与治理。", ("小哥入网",)),
    # 金晖 is no name to jieba's tagger: only a caption's verbs (赴) end it; in prose they do not.
    "caption-person": ("〔图片说明〕网格员金晖赴现场查看积水。\n\n图为网格员张小红和独居老人聊天。", "金晖|张小红",
                       "网格员金晖赴现场查看积水。座谈会上，村干部谈了村里的难事。",  # prose, not a caption
                       ("金晖",)),
    "verb-sets-up-quoted": ("街道组建“银发先锋队”，开放“初心书吧”，评选“星级楼长”。", "银发先锋队|初心书吧|星级楼长",
                            "社区干部当好“知心人”，办好“关键小事”。", ("知心人", "关键小事")),
    "quoted-ends-in-a-marker": ("村里有“乡贤议事堂”，还有“同心党建”。", "乡贤议事堂|同心党建",
                                "老人们说这里是“开心地”。", ("开心地",)),
    "rating-and-numeral-quoted": ("全市“四星”级支部20个，推动各类网格“三网合一”。", "四星|三网合一",
                                  "干部跑出了“加速度”，群众说是“好日子”。", ("加速度", "好日子")),
    "named-by-its-model": ("县里形成了“有事来商量、无事常走动”的“邻里模式”。", "有事来商量、无事常走动|邻里模式",
                           "县里培养“青苗计划”的“排头兵”，人人争当“领头羊”。", ("排头兵", "领头羊")),
    "quoted-party-building": ("深化“桥头”融合式党建、“和”字党建。", "桥头|“和”字党建",
                              "推进“家门口”的党建。", ("家门口",)),
    "unquoted-marker-after-verb": ("县里建立和执行村级事务清单制、村务准入制，建立统一的村干部考核制度和报酬增长机制后，"
                                   "合作开发乡村积分治理模式，打造全省首家乡村治理研究中心。",
                                   "村级事务清单制|村务准入制|村干部考核制度|报酬增长机制|乡村积分治理模式|乡村治理研究中心",
                                   "完善体制机制，如今的村级党群服务中心很热闹。", ("体制", "党群服务中心")),
    "three-level-project": ("实施县、镇、村三级书记项目并落实责任。", "三级书记项目",
                            "县、镇、村三级书记项目运转顺畅并落实责任。", ("三级书记项目",)),
    "listed-with-deng": ("全镇推行红黑榜、积分制等做法。", "红黑榜|积分制",
                         "考察组通过蹲点调研、随机抽查等方式了解情况。", ("蹲点调研", "随机抽查")),
    "work-and-plus-name": ("村里创作的情景剧《乡音》在全县巡演，构建1+N+X服务体系。", "乡音|1+N+X",
                           "县里印发《实施意见》，记者算了一笔账：3+5=8。", ("实施意见", "3+5")),
    "post-after-name-and-caption": ("李春生，东湖社区党委书记，说小区变了样。\n\n退休教师王秀兰（志愿者）每天都来。"
                                    "\n\n剪纸传人周秀英和孩子们一起剪窗花。", "李春生|王秀兰|周秀英",
                                    "高标准，全覆盖，社区党委书记都要到位。", ("高标准",)),
    "clause-start-name": ("邻里守望工作法让小区变了样，老周调解工作室里坐满了人。", "邻里守望工作法|老周调解工作室",
                          "社区建立议事会，涌现出全国优秀社区工作法。", ("社区建立议事会", "涌现出")),
    "verb-before-more": ("街道深化“红色管家”，出台“暖心十条”，把服务站命名为“连心驿”。", "红色管家|暖心十条|连心驿",
                         "大家形成“人人参与”的局面，都说是“贴心人”。", ("人人参与", "贴心人")),
    "circled-numbers": ("①推行楼栋长制；②建立积分超市。", "推行楼栋长制|建立积分超市",
                        "社区有①号楼和②号楼。", ("号楼",)),
    "figures-with-more-units": ("社区安装路灯85盏，配备电动车12辆，比上年提高3.5个百分点，全区1,200名党员报到，近百名党员参加，"
                                "惠及3万群众。", "85盏|12辆|3.5个百分点|1,200名|近百名|3万",
                                "“百名示范”社区书记走访第3批小区，2022年起每年一次。", ("百名", "3批", "2022")),
    "more-posts": ("外卖小哥刘强说，楼道长陈阿姨每天巡楼，居民代表周建华也来了。", "刘强|陈阿姨|周建华",
                   "业主代表商量后，楼道长制度定了下来。", ("商量",)),
    "names-after-one-post": ("网格员张小红、李大海和王芳一起上门，社区的赵明书记说，书记陈岗说：“好。”"
                             "网格员胡霞针对停车难提了建议，村书记束长明说，", "张小红|李大海|王芳|赵明|陈岗|胡霞|束长明",
                             "社工和居民商量后，志愿者马上就到，党员陆续赶来，党员包片联户。",
                             ("和居民", "商量", "马上", "陆续", "包片")),
    "post-then-de": ("在软件企业担任负责人的郝思远，带着技术员开发了小程序。", "郝思远",
                     "社区工作者的关心、志愿者的贺卡和党员的汤圆都到了。", ("关心", "贺卡", "汤圆")),
    "name-is-post-with-quotes": ("返乡创业的柯振东是绿禾果蔬专业合作社负责人。\n\n鲍志勇是“北湖管家”望湖苑项目的项目经理，手机从不关机。",
                                 "柯振东|鲍志勇", "滕建华，芦湾村党支部书记，2021年回村任职。", ("芦湾村（",)),
}


@pytest.mark.parametrize("case", FINDER, ids=list(FINDER))
def test_the_finder_lists_what_the_articles_name_without_quotes_or_speech(case):
    from build_tools.source_items import find_items

    text, wanted, near, absent = FINDER[case]
    keys = [it.key for it in find_items(text)]
    for want in wanted.split("|"):
        assert want in keys, (want, keys)
    listed = " ".join(it.text for it in find_items(near))
    assert not [a for a in absent if a in listed], listed


def test_a_tail_of_a_name_and_a_captions_picture_words_are_not_items():
    from build_tools.source_items import find_items

    items = find_items("完善社区干部基本报酬及正常增长机制。\n\n〔图片说明〕图为社区党委书记林晓梅与居民商量停车问题。")
    assert [it.key for it in items if it.kind == "method"] == ["社区干部基本报酬及正常增长机制"]
    assert [it.text for it in items if it.kind == "person"] == ["林晓梅（社区党委书记）"]


def test_a_person_in_a_caption_is_listed_by_source_check(project, tmp_path):
    root, sources = project
    cases = root / "cases"
    article = tmp_path / "青枫.txt"
    title, paras = paragraphs("青枫")
    article.write_text("\n\n".join([title, paras[0], "图为区委组织部部长王建国赴青枫社区调研楼道议事角。", paras[1]]),
                       encoding="utf-8")
    r = invoke("source", "add", article, "--sources", sources, "--cases", cases, "--id", "qingfeng", "--places", "binhu")
    assert r.exit_code == 0 and "图片说明 1 处" in r.output, r.output
    people = [it for it in items_of(cases, "qingfeng", sources) if it["kind"] == "person"]
    assert [(p["text"], p["line"]) for p in people] == [("王建国（区委组织部部长）", 5)], people


# Where a name ends (issue 25, people): a speaker named elsewhere in the article, else jieba's part-of-speech tagger,
# else the characters that may follow a name. Each line is a trap: the name runs into a word (明白, 平安, 云和, 强调).
NAME_ENDS = (
    ("网格员贺明白天在村里巡查。\n\n“路灯修好了。”贺明说。", ["贺明"]),  # the speaker decides
    ("民警卢强调解了几次。\n\n“有乡贤在，话听得进去。”卢强说。", ["卢强"]),
    ("楼栋长陈平安排邻居照看老人。", ["陈平"]),  # the tagger decides
    ("退休教师葛秋云和12名志愿者轮流值守。", ["葛秋云"]),  # not 葛秋 (云和 is a word)
    ("主任欧阳志强介绍，律师司马婧是社区的法律顾问。", ["欧阳志强", "司马婧"]),  # two-character surnames
    ("主任欧阳志刚介绍，社区新建了议事厅。", ["欧阳志刚"]),  # 刚 may start the next word, but not after 欧阳志
    ("主任欧阳平也说，大家坐下商量。", ["欧阳平"]),  # near miss: 也 is the next word
    ("网格员贺明白天在村里巡查。\n\n“路灯修好了。”居民们说。", []),  # no speaker, no tagger's name: not 贺明白
)


@pytest.mark.parametrize("text, names", NAME_ENDS, ids=[n[0] if n else "none" for _, n in NAME_ENDS])
def test_where_a_name_ends_after_a_post(text, names):
    from build_tools.source_items import find_items

    assert [it.key for it in find_items(text) if it.kind == "person"] == names
