"""Load YAML files into plain data, keeping the line and column of every node.

PyYAML's safe loader is used only to *compose* the node graph; the graph is
then walked by hand so that duplicate keys, custom tags, alias bombs and
runaway nesting become problems instead of silent data loss or crashes.
"""

from __future__ import annotations

import codecs
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from yaml.constructor import SafeConstructor

from .background import in_two
from .problems import Problem, problem

MAX_BYTES = 1_000_000
MAX_NODES = 50_000
MAX_DEPTH = 32
PARALLEL_FILES = 2000  # record files from which a forked child parses half of them (fewer: not worth it)

Path_ = tuple  # a data path such as ("metrics", 0, "value")

# A half-width space after full-width punctuation, before Chinese text.
STRAY_SPACE = re.compile(r"([，。；：、！？）】」』》”’])[ \t]+(?=[\u4e00-\u9fff（【「『《“‘])")

_STR_TAG = "tag:yaml.org,2002:str"
_PLAIN_TAGS = {
    "tag:yaml.org,2002:str", "tag:yaml.org,2002:int", "tag:yaml.org,2002:float",
    "tag:yaml.org,2002:bool", "tag:yaml.org,2002:null", "tag:yaml.org,2002:timestamp",
}
# libyaml composes about ten times faster and gives the same node marks.
_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_MAP_TAG = "tag:yaml.org,2002:map"
_SEQ_TAG = "tag:yaml.org,2002:seq"


@dataclass
class Document:
    """One YAML file: its data (or None), node positions and loading problems."""

    path: Path
    display: str
    data: Any = None
    positions: dict[Path_, tuple[int, int]] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)
    # Nodes already reported (custom tags…): later checks stay quiet about them.
    rejected: set[Path_] = field(default_factory=set)

    def pos(self, path: Path_) -> tuple[int, int]:
        """Position of the node at ``path``, or of its nearest existing ancestor."""
        path = tuple(path)
        while path:
            if path in self.positions:
                return self.positions[path]
            path = path[:-1]
        return self.positions.get((), (1, 1))

    @property
    def ok(self) -> bool:
        return self.data is not None and not self.problems


class _TooMany(Exception):
    pass


class _Walker:
    def __init__(self, doc: Document):
        self.doc = doc
        self.count = 0
        self.scalars = SafeConstructor()

    def fail(self, code: str, node: yaml.Node, path: Path_ = (), **params) -> None:
        self.doc.rejected.add(path)
        mark = node.start_mark
        self.doc.problems.append(problem(code, self.doc.display, (mark.line + 1, mark.column + 1), **params))

    def walk(self, node: yaml.Node, path: Path_, depth: int) -> Any:
        self.count += 1
        if self.count > MAX_NODES:
            raise _TooMany
        self.doc.positions.setdefault(path, (node.start_mark.line + 1, node.start_mark.column + 1))
        if depth > MAX_DEPTH:
            self.fail("too-deep", node, path, limit=MAX_DEPTH, at=_fmt(path))
            return None
        if isinstance(node, yaml.MappingNode):
            if node.tag != _MAP_TAG:
                self.fail("custom-tag", node, path, tag=node.tag)
                return None
            out: dict = {}
            first_line: dict = {}
            for key_node, value_node in node.value:
                key = self.walk_key(key_node)
                if key is None:
                    continue
                if key in first_line:
                    mark = key_node.start_mark
                    self.doc.problems.append(problem(
                        "duplicate-key", self.doc.display, (mark.line + 1, mark.column + 1),
                        at=_fmt(path + (key,)), key=key, first_line=first_line[key],
                        suggestion="删除其中一个，或合并两处的内容"))
                    continue
                first_line[key] = key_node.start_mark.line + 1
                self.doc.positions[path + (key,)] = (key_node.start_mark.line + 1, key_node.start_mark.column + 1)
                out[key] = self.walk(value_node, path + (key,), depth + 1)
            return out
        if isinstance(node, yaml.SequenceNode):
            if node.tag != _SEQ_TAG:
                self.fail("custom-tag", node, path, tag=node.tag)
                return None
            return [self.walk(item, path + (i,), depth + 1) for i, item in enumerate(node.value)]
        if node.tag not in _PLAIN_TAGS:
            self.fail("custom-tag", node, path, tag=node.tag)
            return None
        if node.tag == "tag:yaml.org,2002:timestamp":
            # Dates stay text: a model field that wants a date parses it itself.
            return node.value
        # A plain string is its own value: skip the constructor's bookkeeping
        # (a million scalars at 10,000 records).
        value = node.value if node.tag == _STR_TAG else self.scalars.construct_object(node)
        if isinstance(value, str) and STRAY_SPACE.search(value):
            # A folded line break after Chinese punctuation becomes a half-width
            # space (“落脚点； 社区…”): take it out, and say where.
            fixed = STRAY_SPACE.sub(r"\1", value)
            mark = node.start_mark
            self.doc.problems.append(problem(
                "stray-space", self.doc.display, (mark.line + 1, mark.column + 1), _fmt(path), field=_fmt(path),
                count=len(STRAY_SPACE.findall(value)),
                suggestion="把全角标点后的换行接到下一行，或删去标点后的空格"))
            value = fixed
        return value

    def walk_key(self, node: yaml.Node) -> Any:
        if not isinstance(node, yaml.ScalarNode) or node.tag not in _PLAIN_TAGS:
            self.fail("custom-tag", node, tag=getattr(node, "tag", "?"))
            return None
        value = node.value if node.tag == _STR_TAG else self.scalars.construct_object(node)
        return value if isinstance(value, str) else str(value)


def _fmt(path: Path_) -> str:
    """Format a data path the way editors read it: ``metrics[0].value``."""
    out = ""
    for part in path:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


format_path = _fmt


def _line_of(raw: bytes, offset: int) -> tuple[int, int]:
    before = raw[:offset]
    line = before.count(b"\n") + 1
    col = offset - (before.rfind(b"\n") + 1) + 1
    return line, col


def decode(raw: bytes, display: str) -> tuple[str | None, list[Problem]]:
    """Decode UTF-8 (with or without BOM); name other encodings and how to convert."""
    if raw.startswith(codecs.BOM_UTF16_LE) or raw.startswith(codecs.BOM_UTF16_BE):
        return None, [problem("encoding", display, (1, 1), encoding="UTF-16",
                              suggestion="请在编辑器中“另存为 UTF-8”，或运行 iconv -f UTF-16 -t UTF-8 原文件 > 新文件")]
    if raw.startswith(codecs.BOM_UTF8):
        raw = raw[len(codecs.BOM_UTF8):]
    try:
        return raw.decode("utf-8"), []
    except UnicodeDecodeError as err:
        guess = "未知编码"
        try:
            raw.decode("gb18030")
            guess = "GBK/GB18030（Windows 中文系统的默认编码）"
        except UnicodeDecodeError:
            pass
        return None, [problem("encoding", display, _line_of(raw, err.start), encoding=guess,
                              suggestion="请在编辑器中“另存为 UTF-8”，或运行 iconv -f GB18030 -t UTF-8 原文件 > 新文件")]


def _reader_problem(err, text: str, display: str) -> Problem:
    """A character YAML refuses (a control character pasted from Word or a web page)."""
    # libyaml reports the character as a number and the position in bytes:
    # find the character itself instead.
    char = chr(err.character) if isinstance(err.character, int) else err.character
    pos = text.find(char) if char else -1
    if pos < 0:
        pos = max(0, min(int(getattr(err, "position", 0) or 0), len(text)))
    line = text[:pos].count("\n") + 1
    col = pos - (text.rfind("\n", 0, pos) + 1) + 1
    return problem("yaml-syntax", display, (line, col), detail=f"文件中有不可打印的控制字符 {char!r}",
                   suggestion="删除该字符（常见于从网页或 Word 复制的文本）")


_DEEP_HINT = "记录最多只需三四层嵌套：检查是否多写了括号 [ { 或缩进过深"
_OPEN = (yaml.BlockMappingStartToken, yaml.BlockSequenceStartToken,
         yaml.FlowMappingStartToken, yaml.FlowSequenceStartToken)
_CLOSE = (yaml.BlockEndToken, yaml.FlowMappingEndToken, yaml.FlowSequenceEndToken)


def _first_too_deep(text: str) -> tuple[int, int] | None:
    """Line and column of the first collection nested deeper than MAX_DEPTH.

    Counted on the token stream of PyYAML's pure-Python scanner, which keeps
    no recursion and no depth limit, so it works where libyaml gives up.
    """
    depth = 0
    try:
        for token in yaml.scan(text, Loader=yaml.SafeLoader):
            if isinstance(token, _OPEN):
                depth += 1
                # The root mapping is level 0 of the data, so one more token level.
                if depth > MAX_DEPTH + 1:
                    return token.start_mark.line + 1, token.start_mark.column + 1
            elif isinstance(token, _CLOSE):
                depth -= 1
    except yaml.YAMLError:
        return None
    return None


def load_text(text: str, display: str, path: Path | None = None) -> Document:
    """Parse YAML text into a :class:`Document`."""
    doc = Document(path=path or Path(display), display=display)
    if not text.strip() or all(l.strip().startswith("#") or not l.strip() for l in text.splitlines()):
        doc.problems.append(problem("empty-file", display, (1, 1), suggestion="可用 casebook new 生成记录骨架"))
        return doc
    try:
        loader = _Loader(text)
    except yaml.reader.ReaderError as err:
        doc.problems.append(_reader_problem(err, text, display))
        return doc
    try:
        try:
            node = loader.get_single_node()
        except yaml.composer.ComposerError as err:
            if "expected a single document" in str(err):
                mark = err.problem_mark
                doc.problems.append(problem("multiple-documents", display, (mark.line + 1, mark.column + 1),
                                            suggestion="把多条记录拆成多个文件"))
                return doc
            raise
        except RecursionError:
            doc.problems.append(problem("too-deep", display, _first_too_deep(text) or (1, 1), limit=MAX_DEPTH,
                                        suggestion=_DEEP_HINT))
            return doc
    except yaml.MarkedYAMLError as err:
        mark = err.problem_mark or err.context_mark
        pos = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        if "nesting depth" in str(err.problem or ""):
            # libyaml 0.2.5+ stops at its own limit (1000 levels) with an English
            # message: report our limit instead, at the first level past it.
            doc.problems.append(problem("too-deep", display, _first_too_deep(text) or pos, limit=MAX_DEPTH,
                                        suggestion=_DEEP_HINT))
            return doc
        detail = " ".join(x for x in (err.context, err.problem) if x)
        doc.problems.append(problem("yaml-syntax", display, pos, detail=detail,
                                    suggestion="检查缩进、冒号后的空格和引号是否成对"))
        return doc
    except yaml.reader.ReaderError as err:
        doc.problems.append(_reader_problem(err, text, display))
        return doc
    except yaml.YAMLError as err:
        doc.problems.append(problem("yaml-syntax", display, (1, 1), detail=str(err)))
        return doc
    finally:
        loader.dispose()
    if node is None:
        doc.problems.append(problem("empty-file", display, (1, 1)))
        return doc
    walker = _Walker(doc)
    try:
        data = walker.walk(node, (), 0)
    except _TooMany:
        doc.problems.append(problem("alias-bomb", display, (node.start_mark.line + 1, 1), limit=MAX_NODES,
                                    suggestion="不要使用 & 锚点和 * 别名，直接写出内容"))
        return doc
    except RecursionError:
        doc.problems.append(problem("too-deep", display, _first_too_deep(text) or (1, 1), limit=MAX_DEPTH,
                                    suggestion=_DEEP_HINT))
        return doc
    if not isinstance(data, dict):
        kind = "列表" if isinstance(data, list) else f"单个值“{str(data)[:20]}”"
        doc.problems.append(problem("not-mapping", display, (1, 1), kind=kind,
                                    suggestion="每行写成“字段: 值”，参见记录模板"))
        return doc
    doc.data = data
    return doc


def load_file(path: Path, display: str | None = None) -> Document:
    """Read and parse one YAML file; every failure becomes a problem."""
    display = display or str(path)
    try:
        size = path.stat().st_size
        if size > MAX_BYTES:
            return Document(path=path, display=display, problems=[
                problem("file-too-large", display, (1, 1), size=size, limit=MAX_BYTES)])
        raw = path.read_bytes()
    except OSError as err:
        return Document(path=path, display=display, problems=[
            problem("file-unreadable", display, None, detail=err.strerror or str(err))])
    text, problems = decode(raw, display)
    if text is None:
        return Document(path=path, display=display, problems=problems)
    return load_text(text, display, path)


REGISTRY_DIR = "_registry"
DRAFTS_DIR = "_drafts"  # drafts of records (casebook new --from-source): never read by the site build


def display_path(path: Path) -> str:
    """Path as the user typed it: relative to the working directory when possible."""
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(path)


def load_files(paths: list[Path]) -> list[Document]:
    """Read and parse ``paths`` in order; from :data:`PARALLEL_FILES` files a forked child parses the second half."""
    first, second = in_two(len(paths), PARALLEL_FILES,
                           lambda lo, hi: [load_file(p, display_path(p)) for p in paths[lo:hi]])
    return first + second


def record_files(cases_dir: Path) -> list[Path]:
    """Record files under ``cases_dir``; folders starting with ``_`` or ``.`` are not records."""
    out = []
    for p in sorted(cases_dir.rglob("*")):
        rel = p.relative_to(cases_dir)
        if any(part.startswith(("_", ".")) for part in rel.parts):
            continue
        if p.is_file() and p.suffix in (".yml", ".yaml"):
            out.append(p)
    return out


@dataclass
class Loaded:
    """Everything read from a cases directory, before validation."""

    cases_dir: Path
    records: list[Document]
    places: list[Document]
    tags: Document | None
    sources: Document | None
    lexicon: Document | None = None  # optional: the everyday-words lexicon
    concepts: Document | None = None  # optional: the governance concepts
    wording: Document | None = None  # optional: word lists of the wording checks
    pending: Document | None = None  # optional: content findings allowed until fixed
    drafts: list[Document] = field(default_factory=list)  # cases/_drafts/*.yml, when asked for


def load_cases(cases_dir: Path, drafts: bool = False) -> Loaded:
    """Read every record and registry file under ``cases_dir`` (and the drafts in ``_drafts/`` if ``drafts``)."""
    reg = cases_dir / REGISTRY_DIR
    records = load_files(record_files(cases_dir))
    draft_docs = ([load_file(p, display_path(p)) for p in sorted((cases_dir / DRAFTS_DIR).glob("*.y*ml"))]
                  if drafts and (cases_dir / DRAFTS_DIR).is_dir() else [])
    place_files = sorted((reg / "places").glob("*.yml")) if (reg / "places").is_dir() else []
    if (reg / "places.yml").is_file():
        place_files.insert(0, reg / "places.yml")
    places = [load_file(p, display_path(p)) for p in place_files]
    tags = load_file(reg / "tags.yml", display_path(reg / "tags.yml")) if (reg / "tags.yml").is_file() else None
    sources = load_file(reg / "sources.yml", display_path(reg / "sources.yml")) if (reg / "sources.yml").is_file() else None
    lexicon = load_file(reg / "lexicon.yml", display_path(reg / "lexicon.yml")) if (reg / "lexicon.yml").is_file() else None
    concepts = load_file(reg / "concepts.yml", display_path(reg / "concepts.yml")) if (reg / "concepts.yml").is_file() else None
    wording = load_file(reg / "wording.yml", display_path(reg / "wording.yml")) if (reg / "wording.yml").is_file() else None
    pending = load_file(reg / "pending.yml", display_path(reg / "pending.yml")) if (reg / "pending.yml").is_file() else None
    return Loaded(cases_dir=cases_dir, records=records, places=places, tags=tags, sources=sources, lexicon=lexicon,
                  concepts=concepts, wording=wording, pending=pending, drafts=draft_docs)
