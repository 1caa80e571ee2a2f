"""A new article in: a .txt, .docx, saved .html page or .pdf read into normalised UTF-8 text, then registered.

The text goes into the sources folder outside the project (as the five
shipped articles do) and one entry is appended to
``cases/_registry/sources.yml``; both are written only after every check has
passed, so bad input leaves nothing behind. Full-width punctuation is kept;
page-jump markers (（下转B5版）) and picture captions are marked, repeated
paragraphs are reported, never silently dropped.
"""

from __future__ import annotations

import codecs
import datetime as dt
import hashlib
import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from . import model as m

PAGE_MARK = "〔版面〕"  # before a page-jump marker: not part of the article's prose
CAPTION_MARK = "〔图片说明〕"  # before a picture caption: its words may still be quoted as evidence
FORMATS = {".txt": "text", ".text": "text", ".docx": "docx", ".html": "html", ".htm": "html", ".pdf": "pdf"}
# Encodings a Chinese Windows machine or web page writes besides UTF-8.
_GB = {"gb18030", "gbk", "gb2312", "cp936", "hz"}
_PAGE_JUMP = re.compile(r"[（(]\s*(?:下转|上接|转|接)\s*(?:第\s*)?[A-Za-z]?\d+\s*版\s*[）)]")
_CAPTION = re.compile(r"^(?:图为|图：|图:|▲|△)|[（(][^（()）]{0,16}摄[）)]$|摄$|^[（(]?图片由.{1,20}提供[）)]?$")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\u200b\ufeff]")
_FILE_NO = re.compile(r"^(\d{3})_")


class IntakeError(Exception):
    """Bad input, said in Chinese: which file, what is wrong, what to do."""

    def __init__(self, file: str, message: str, fix: str = ""):
        super().__init__(message)
        self.file, self.message, self.fix = file, message, fix

    def __str__(self) -> str:
        return f"{self.file}：{self.message}" + (f"\n  怎么办：{self.fix}" if self.fix else "")


@dataclass
class Article:
    """An article read and normalised: its text (one paragraph a line, blank lines between) and what was marked."""

    text: str
    title: str
    format: str
    page_marks: list[int] = field(default_factory=list)  # line numbers
    captions: list[int] = field(default_factory=list)
    repeats: list[tuple[int, int, bool]] = field(default_factory=list)  # (line, first line, whole paragraph)

    @property
    def lines(self) -> int:
        return self.text.count("\n")


# ------------------------------------------------------------------ reading


def read_article(path: Path) -> Article:
    """Read ``path`` by its format; every failure is an :class:`IntakeError` with a Chinese message."""
    path = Path(path)
    name = str(path)
    if not path.is_file():
        raise IntakeError(name, "找不到这个文件", "检查文件名和所在目录")
    fmt = FORMATS.get(path.suffix.lower())
    if fmt is None:
        hint = ("旧版 Word 文件（.doc）读不了：请在 Word 或 WPS 中“另存为” .docx" if path.suffix.lower() == ".doc"
                else "可以读入的格式：纯文本 .txt、Word .docx、保存的网页 .html、有文字层的 .pdf")
        raise IntakeError(name, f"不支持“{path.suffix or '无扩展名'}”格式的文件", hint)
    raw = path.read_bytes()
    if not raw.strip():
        raise IntakeError(name, "文件是空的", "确认保存了文章正文，再重新读入")
    reader = {"text": _from_text, "docx": _from_docx, "html": _from_html, "pdf": _from_pdf}[fmt]
    paras, title = reader(raw, name)
    article = normalise_paragraphs(paras, title, fmt)
    if not re.search(r"[\u4e00-\u9fff]", article.text):
        raise IntakeError(name, "文件里没有读出中文正文", "确认这是文章本身，而不是空白模板或图片")
    return article


def decode_text(raw: bytes, name: str) -> str:
    """Bytes of a text file as text: UTF-8 (with or without BOM), UTF-16 with BOM, or GB18030/GBK (detected)."""
    if raw.startswith(codecs.BOM_UTF8):
        raw = raw[len(codecs.BOM_UTF8):]
    elif raw.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return raw.decode("utf-16")
    if b"\x00" in raw or sum(b < 9 or 13 < b < 32 for b in raw[:4096]) > 8:
        raise IntakeError(name, "这不是文本文件（里面有二进制内容）",
                          "如果是 Word、PDF 或网页，请用相应的扩展名（.docx、.pdf、.html）")
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        pass
    from charset_normalizer import from_bytes

    best = from_bytes(raw).best()
    guess = best.encoding if best is not None else None
    # charset-normalizer's word is final when it names an encoding; GB18030 decodes most
    # high-byte text without error, so the fallback is only for text it cannot place.
    if guess in _GB or (guess is None and _plausible_gb(raw)):
        return raw.decode("gb18030")
    shown = f"（看起来像 {guess}，不是中文编码）" if guess else ""
    raise IntakeError(name, f"无法识别这份文本文件的编码{shown}",
                      "用记事本或 WPS 打开，“另存为”时选择编码 UTF-8，再重新读入")


def _plausible_gb(raw: bytes) -> bool:
    """GB18030 decodes much binary without error: accept it only when the result is mostly Chinese."""
    try:
        text = raw.decode("gb18030")
    except UnicodeDecodeError:
        return False
    wide = [c for c in text if ord(c) > 127]
    return bool(wide) and sum(1 for c in wide if "\u4e00" <= c <= "\u9fff" or "\u3000" <= c <= "\u303f"
                              or "\uff00" <= c <= "\uffef" or c in "“”‘’—…·") / len(wide) > 0.9


def _from_text(raw: bytes, name: str) -> tuple[list[tuple[str, str]], str]:
    text = decode_text(raw, name)
    paras = [("p", ln) for ln in text.replace("\r\n", "\n").replace("\r", "\n").split("\n")]
    first = next((t for _, t in paras if t.strip()), "")
    return paras, first.strip().lstrip("#").strip()


def _from_docx(raw: bytes, name: str) -> tuple[list[tuple[str, str]], str]:
    import io
    import zipfile

    import docx
    from docx.table import Table

    if not raw.startswith(b"PK"):
        raise IntakeError(name, "这不是 Word 文件（.docx）", "在 Word 或 WPS 中打开后“另存为” .docx，再重新读入")
    try:
        document = docx.Document(io.BytesIO(raw))
    except (zipfile.BadZipFile, KeyError, ValueError) as err:
        raise IntakeError(name, f"Word 文件已损坏，读不出正文（{type(err).__name__}）",
                          "在 Word 或 WPS 中打开后重新“另存为” .docx") from None
    paras: list[tuple[str, str]] = []
    title = (document.core_properties.title or "").strip()
    for block in document.iter_inner_content():
        cells = ([p for row in block.rows for cell in row.cells for p in cell.paragraphs]
                 if isinstance(block, Table) else [block])
        for p in cells:
            style = (p.style.name if p.style is not None else "") or ""
            kind = ("caption" if style.lower().startswith("caption") or "题注" in style
                    else "heading" if style.startswith(("Heading", "Title", "标题")) else "p")
            if kind == "heading" and not title and p.text.strip():
                title = p.text.strip()
            paras.append((kind, p.text))
    return paras, title or next((t.strip() for _, t in paras if t.strip()), "")


def _from_html(raw: bytes, name: str) -> tuple[list[tuple[str, str]], str]:
    import lxml.html
    from readability import Document

    try:
        doc = Document(raw)
        summary = doc.summary(html_partial=True)
        title = (doc.short_title() or "").strip()
    except Exception as err:  # readability raises its own and lxml's errors for pages it cannot parse
        raise IntakeError(name, f"网页读不出正文（{type(err).__name__}）",
                          "在浏览器中用“另存为 → 网页，仅 HTML”重新保存，或把正文复制到 .txt") from None
    root = lxml.html.fromstring(summary)
    blocks = ("p", "h1", "h2", "h3", "h4", "h5", "h6", "li", "figcaption", "blockquote")
    paras: list[tuple[str, str]] = []
    for el in root.iter(*blocks):
        if any(a.tag in blocks for a in el.iterancestors()):
            continue  # its text is in the enclosing block
        kind = "caption" if el.tag == "figcaption" else "heading" if el.tag[0] == "h" and el.tag[1:].isdigit() else "p"
        paras.append((kind, el.text_content()))
    return paras, title


def _from_pdf(raw: bytes, name: str) -> tuple[list[tuple[str, str]], str]:
    import io

    from pypdf import PdfReader
    from pypdf.errors import PdfReadError

    from .pdf_text import page_text, pdf_paragraphs

    if not raw.lstrip().startswith(b"%PDF"):
        raise IntakeError(name, "这不是 PDF 文件", "确认文件的格式，或用相应的扩展名（.txt、.docx、.html）")
    try:
        reader = PdfReader(io.BytesIO(raw))
        if reader.is_encrypted and not reader.decrypt(""):
            raise IntakeError(name, "这份 PDF 设了密码，读不出文字", "请向提供者要一份没有密码的 PDF")
        pages = [page_text(page) for page in reader.pages]
        title = str((reader.metadata or {}).get("/Title") or "").strip()
    except (PdfReadError, ValueError, KeyError, TypeError) as err:
        raise IntakeError(name, f"PDF 文件已损坏，读不出文字（{type(err).__name__}）",
                          "用 PDF 阅读器打开后重新“另存为”，或把正文复制到 .txt") from None
    if not any(re.search(r"\w", p) for p in pages):
        raise IntakeError(name, "这份 PDF 没有文字层，可能是扫描件，请先做文字识别",
                          "用 WPS、Acrobat 等软件的“文字识别（OCR）”生成带文字的 PDF 或 .docx，再重新读入")
    paras = [("p", p) for page in pages for p in pdf_paragraphs(page)]
    first = next((t for _, t in paras if t.strip()), "")
    return paras, title if re.search(r"[\u4e00-\u9fff]", title) else first.strip()


# ------------------------------------------------------------ normalising


def _clean(text: str) -> str:
    text = _CONTROL.sub("", unicodedata.normalize("NFC", text)).replace("\u00a0", " ")
    return re.sub(r"[ \t]+", " ", text).strip(" \t\u3000")


def normalise_paragraphs(paras: list[tuple[str, str]], title: str, fmt: str) -> Article:
    """One paragraph a line with a blank line between; page-jump markers on their own marked line; captions marked."""
    lines: list[str] = []
    art = Article("", _clean(title)[:m.TITLE_MAX * 2], fmt)
    for kind, text in paras:
        text = _clean(text)
        if not text:
            continue
        # A page-jump marker inside a paragraph (a sentence cut at a page break) stands on its own line.
        pieces = [p.strip() for p in re.split(f"({_PAGE_JUMP.pattern})", text) if p and p.strip()]
        for piece in pieces:
            line_no = 2 * len(lines) + 1
            if _PAGE_JUMP.fullmatch(piece):
                art.page_marks.append(line_no)
                lines.append(PAGE_MARK + piece)
            elif kind == "caption" or (len(piece) <= 60 and _CAPTION.search(piece)):
                art.captions.append(line_no)
                lines.append(CAPTION_MARK + piece)
            elif kind == "heading" and not piece.startswith("#"):
                lines.append("### " + piece)
            else:
                lines.append(piece)
    art.text = "\n\n".join(lines) + "\n"
    art.repeats = repeated_paragraphs(lines)
    return art


def repeated_paragraphs(lines: list[str], shortest: int = 20) -> list[tuple[int, int, bool]]:
    """(line, first line, whole) for each paragraph that repeats an earlier one, wholly or in part."""
    seen: list[tuple[int, str]] = []
    out = []
    for i, ln in enumerate(lines):
        key = re.sub(r"\s+", "", unicodedata.normalize("NFKC", ln))
        if len(key) < shortest or ln.startswith(PAGE_MARK):
            continue
        for line_no, earlier in seen:
            if key == earlier or key in earlier or (len(earlier) >= shortest and earlier in key):
                out.append((2 * i + 1, line_no, key == earlier))
                break
        seen.append((2 * i + 1, key))
    return out


# ------------------------------------------------------------- registering


@dataclass
class Added:
    """What ``casebook source add`` wrote."""

    id: str
    file: Path
    registry: Path
    article: Article


def add_source(file: Path, sources_dir: Path, cases_dir: Path, sid: str | None = None, title: str | None = None,
               places: list[str] | None = None, date: str | None = None) -> Added:
    """Read ``file``, check everything, then write its text into ``sources_dir`` and its entry into the registry."""
    from .load import load_cases
    from .registry import validate_registries
    from .shape import suggest
    from .text import slugify

    sources_dir, cases_dir = Path(sources_dir), Path(cases_dir)
    if not sources_dir.is_dir():
        raise IntakeError(str(sources_dir), "来源目录不存在", "用 --sources 指定来源目录，如 ../shared/sources")
    registry_file = cases_dir / "_registry" / "sources.yml"
    if not registry_file.is_file():
        raise IntakeError(str(registry_file), "找不到来源登记表", "请在项目根目录运行，或用 --cases 指定案例目录")
    article = read_article(Path(file))
    reg, _ = validate_registries(load_cases(cases_dir))
    title = (title or article.title).strip()
    if not title:
        raise IntakeError(str(file), "读不出文章标题", "用 --title 写明标题")
    sid = sid or slugify(title, "source")[:32].strip("-")
    if not re.match(m.ID_PATTERN, sid):
        raise IntakeError(str(file), f"来源 id“{sid}”不合规", "id 只能用小写 ASCII 字母、数字和连字符，如 --id xishan-2023")
    if sid in reg.sources:
        raise IntakeError(str(file), f"来源 id“{sid}”已被使用（{registry_file} 中的“{reg.sources[sid].title}”）",
                          "用 --id 另取一个 id；如果是同一篇文章，它已经登记过了，不必再加")
    names = {p.name: p.slug for p in reg.places.values()}
    slugs = []
    for pl in places or []:
        slug = pl if pl in reg.places else names.get(pl)
        if slug is None:
            raise IntakeError(str(file), f"未登记的地点“{pl}”",
                              (suggest(pl, reg.places, names) or "") + "地点见 cases/_registry/places/，用 slug 或地名")
        slugs.append(slug)
    when = None
    if date:
        try:
            when = dt.date.fromisoformat(date)
        except ValueError:
            raise IntakeError(str(file), f"日期“{date}”不合规", "写成 年-月-日，如 --date 2023-05-18；文章没有注明日期就不写") from None
    for other in reg.sources.values():
        p = sources_dir / other.file
        if p.is_file() and _same_text(p.read_text(encoding="utf-8", errors="replace"), article.text):
            raise IntakeError(str(file), f"这篇文章已经登记过（来源“{other.id}”，文件 {other.file}）", "不必再加")
    numbers = [int(mt.group(1)) for p in sources_dir.iterdir() if (mt := _FILE_NO.match(p.name))]
    name = f"{max(numbers, default=-1) + 1:03d}_{hashlib.sha256(article.text.encode()).hexdigest()[:16]}.txt"
    entry = {"id": sid, "file": name, "title": title, "places": slugs, "date": when, "pages": None}
    registry_text = registry_file.read_text(encoding="utf-8")
    new_registry = appended_entry(registry_text, entry)
    _check_registry_text(new_registry, registry_file)
    target = sources_dir / name
    target.write_text(article.text, encoding="utf-8")
    try:
        registry_file.write_text(new_registry, encoding="utf-8")
    except OSError:
        target.unlink()
        raise
    return Added(sid, target, registry_file, article)


def _same_text(a: str, b: str) -> bool:
    squash = lambda t: re.sub(r"\s+", "", unicodedata.normalize("NFKC", t))
    return squash(a) == squash(b)


def appended_entry(registry_text: str, entry: dict) -> str:
    """The registry's text with one entry appended as a block: its comments and layout stay as they are."""
    block = yaml.safe_dump([entry], allow_unicode=True, sort_keys=False, default_flow_style=None, width=1000)
    indented = "".join("  " + ln if ln.strip() else ln for ln in block.splitlines(keepends=True))
    return registry_text.rstrip("\n") + "\n" + indented


def _check_registry_text(text: str, registry_file: Path) -> None:
    """The registry as it would be written must still read as a registry (else nothing is written)."""
    from .load import load_text
    from .shape import check_model

    doc = load_text(text, str(registry_file), registry_file)
    obj, probs = check_model(doc, m.SourcesFile) if doc.data is not None else (None, doc.problems)
    if obj is None or probs or doc.problems:
        first = (probs or doc.problems)[0].format() if (probs or doc.problems) else "格式不对"
        raise IntakeError(str(registry_file), f"写入后登记表将无法读取：{first}",
                          "先修好 cases/_registry/sources.yml（casebook validate 会指出问题），再重新读入")
