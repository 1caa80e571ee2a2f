"""The Word reference document: which file a course's Word packs take their styles from, and whether it will do."""

from __future__ import annotations

import zipfile
from pathlib import Path

from ..problems import Problem, problem

REFERENCE_NAME = "reference.docx"  # kept next to the course files: courses/reference.docx
DEFAULT_REFERENCE = Path(__file__).resolve().parent.parent / "templates" / "course" / REFERENCE_NAME

# Every style a Word pack uses: the name python-docx reads (Word keeps built-in
# styles under their English names) → the name Word and WPS show in Chinese.
STYLES: dict[str, str] = {
    "Title": "标题",
    "Subtitle": "副标题",
    "Heading 1": "标题 1",
    "Heading 2": "标题 2",
    "Heading 3": "标题 3",
    "Normal": "正文",
    "Caption": "题注",
    "Quote": "引用",
    "注释": "注释",
    "小标题": "小标题",
    "List Number": "列表编号",
    "List Bullet": "列表项目符号",
    "Table Grid": "网格型",
    "表头": "表头",
    "表格文字": "表格文字",
    "Footer": "页脚",
}

TABLE_STYLES = {"Table Grid"}  # the others are paragraph styles

FIX = "用 Word 或 WPS 打开它，另存为“Word 文档（*.docx）”；或删去这个文件，改用默认样式"


def pack_styles(doc) -> dict[str, object]:
    """The styles of :data:`STYLES` in ``doc``, found by name as Word, WPS and LibreOffice each save them.

    python-docx looks built-in styles up by Word's own spelling (``heading 1``);
    LibreOffice writes ``Heading 1`` and may add a second ``Caption`` of its own.
    So names match without regard to case and, where two match, the one the
    document's own paragraphs use wins (what the trainer saw and restyled),
    then the one spelled as Word spells it.
    """
    from docx.enum.style import WD_STYLE_TYPE
    from docx.oxml.ns import qn
    from docx.styles import BabelFish

    used = {el.get(qn("w:val")) for el in doc.element.body.iter(qn("w:pStyle"), qn("w:tblStyle"))}
    by_name: dict[tuple[str, object], list] = {}
    for st in doc.styles:  # once: a reference has some 150 styles
        by_name.setdefault(((st.name or "").lower(), st.type), []).append(st)
    found: dict[str, object] = {}
    for name in STYLES:
        kind = WD_STYLE_TYPE.TABLE if name in TABLE_STYLES else WD_STYLE_TYPE.PARAGRAPH
        same = by_name.get((name.lower(), kind), [])
        if same:
            found[name] = max(same, key=lambda st: (st.style_id in used,
                                                    st.element.name_val == BabelFish.ui2internal(name)))
    return found


def reference_for(spec_file: str | Path | None) -> Path:
    """The ``reference.docx`` beside a course file if there is one, else the default shipped with casebook."""
    if spec_file:
        own = Path(spec_file).parent / REFERENCE_NAME
        if own.is_file():
            return own
    return DEFAULT_REFERENCE


def check_reference(path: Path, display: str | None = None) -> list[Problem]:
    """Problems that keep a reference document from styling a pack: not a .docx, or a style missing."""
    import docx

    where = display or str(path)
    if not zipfile.is_zipfile(path):  # a .doc or .wps renamed, or not a Word file at all
        return [problem("reference-unreadable", where, detail="不是 .docx 文件（可能是 .doc、.wps，或只改了扩展名）",
                        suggestion=FIX)]
    try:
        doc = docx.Document(str(path))
    except ValueError:  # python-docx: a .dotx/.docm is not a document
        return [problem("reference-unreadable", where, detail="这是 Word 模板或带宏的文件，不是普通的 .docx 文档",
                        suggestion=FIX)]
    except Exception as err:  # noqa: BLE001 - any broken package: report it, never a traceback
        return [problem("reference-unreadable", where, detail=f"{type(err).__name__}: {err}", suggestion=FIX)]
    present = pack_styles(doc)
    missing = [name for name in STYLES if name not in present]
    if not missing:
        return []
    shown = "、".join(STYLES[n] if STYLES[n] == n else f"{STYLES[n]}（{n}）" for n in missing)
    return [problem("reference-missing-style", where, styles=shown,
                    suggestion="不要删除或改名这些样式，只修改它们的格式；"
                               "可用 casebook course styles 取出一份默认模板，在它的基础上重新修改")]


def reference_problems(spec_dirs: list[Path]) -> list[Problem]:
    """Check the ``reference.docx`` of each folder of course files that has one."""
    from ..load import display_path

    out: list[Problem] = []
    for d in dict.fromkeys(Path(x) for x in spec_dirs):
        own = d / REFERENCE_NAME
        if own.is_file():
            out += check_reference(own, display_path(own))
    return out


def open_reference(path: Path) -> tuple[object, dict[str, object]]:
    """The reference as a python-docx ``Document`` with an empty body, and its :func:`pack_styles`.

    Its styles, numbering definitions, page setup (the body's last ``w:sectPr``)
    and headers stay: that is all a pack takes from it.
    """
    import docx
    from docx.oxml.ns import qn

    doc = docx.Document(str(path))
    styles = pack_styles(doc)  # before the body goes: its paragraphs settle which of two namesakes is meant
    body = doc.element.body
    for child in list(body):
        if child.tag != qn("w:sectPr"):
            body.remove(child)
    return doc, styles
