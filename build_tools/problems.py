"""Problems are data: a stable code, a position and a Chinese message.

Every stage yields :class:`Problem` objects; nothing raises for bad input.
The catalogue below is the single place where codes, severities and
message templates live, so the editors' guide and tests can rely on them.
"""

from __future__ import annotations

from dataclasses import dataclass, field, asdict
from typing import Iterable

ERROR = "error"
WARNING = "warning"
INFO = "info"

# code -> (severity, message template). Templates use str.format fields.
CATALOGUE: dict[str, tuple[str, str]] = {
    # reading the file
    "file-too-large": (ERROR, "文件有 {size} 字节，超过上限 {limit} 字节；一条记录不应这么大，请检查是否误存了其他内容"),
    "file-unreadable": (ERROR, "无法读取文件：{detail}"),
    "encoding": (ERROR, "文件不是 UTF-8 编码（看起来是 {encoding}）"),
    "empty-file": (ERROR, "文件是空的"),
    "yaml-syntax": (ERROR, "YAML 语法错误：{detail}"),
    "multiple-documents": (ERROR, "一个文件只能有一个 YAML 文档，这里有多个（出现了 ---）"),
    "duplicate-key": (ERROR, "字段“{key}”重复出现（第一次在第 {first_line} 行）；普通 YAML 工具会悄悄丢掉其中一个值"),
    "custom-tag": (ERROR, "不允许使用 YAML 标签“{tag}”；记录只能包含普通的文本、数字、列表和映射"),
    "alias-bomb": (ERROR, "锚点/别名展开后超过 {limit} 个节点，疑似“别名炸弹”"),
    "too-deep": (ERROR, "嵌套层数超过 {limit} 层"),
    "stray-space": (WARNING, "{field} 中全角标点后有 {count} 处多余的半角空格（已自动去掉）"),
    "not-mapping": (ERROR, "文件顶层必须是“字段: 值”的映射，这里是{kind}"),
    # shape (pydantic)
    "unknown-field": (ERROR, "未知字段“{field}”"),
    "missing-field": (ERROR, "缺少必填字段“{field}”"),
    "wrong-type": (ERROR, "字段 {field} 的类型不对：{detail}"),
    "invalid-value": (ERROR, "字段 {field} 的值“{value}”不合规：{detail}"),
    "too-long": (ERROR, "字段 {field} 太长：{detail}"),
    "too-short": (ERROR, "字段 {field} 不能为空或太短：{detail}"),
    # record rules
    "invalid-id": (ERROR, "id“{value}”不合规：只能用小写 ASCII 字母、数字和连字符，不能含“/”或“..”"),
    "id-filename-mismatch": (ERROR, "id“{value}”与文件名“{filename}”不一致"),
    "duplicate-id": (ERROR, "id“{value}”与 {other} 重复"),
    "place-dir-mismatch": (WARNING, "记录的地点是“{value}”，却放在目录“{folder}”下"),
    "unknown-place": (ERROR, "未登记的地点“{value}”"),
    "unknown-unit": (ERROR, "未登记的单位（街道/社区/村）“{value}”"),
    "unit-outside-place": (ERROR, "单位“{value}”不在地点“{place}”的辖区内"),
    "unknown-tag": (ERROR, "未登记的标签“{value}”"),
    "duplicate-tag": (WARNING, "标签“{value}”重复"),
    "tag-count": (ERROR, "标签数量是 {count}，应为 1—6 个"),
    "unknown-source": (ERROR, "未登记的来源“{value}”"),
    "unknown-related": (ERROR, "关联的记录“{value}”不存在"),
    "self-related": (ERROR, "记录不能关联自己"),
    "duplicate-related": (WARNING, "与“{value}”的关联写了不止一次（两端各写一次也算重复：关联只需写在一端）"),
    "metric-value-not-in-evidence": (ERROR, "数值 {value} 没有出现在证据原文“{evidence}”中"),
    "metric-range": (ERROR, "区间的 min（{min}）大于 max（{max}）"),
    "evidence-not-in-source": (ERROR, "证据原文“{evidence}”在来源“{source}”中找不到（已忽略空白差异）"),
    "source-file-missing": (ERROR, "来源“{source}”的文件 {filename} 不在来源目录 {dir} 中"),
    "sources-skipped": (INFO, "未指定或找不到来源目录（{dir}），跳过证据原文核对"),
    "claim-without-evidence": (WARNING, "{field}“{text}”没有证据原文：事实陈述必须附上来源中的逐字短句"),
    "as-of-unsupported": (ERROR, "年份 {year} 既没有写在证据原文“{evidence}”中，也不能由来源日期推出"),
    # the figures rule (build_tools/figure_checks.py)
    "figure-in-name": (WARNING, "数值 {value} 在证据原文“{evidence}”中只出现在名称或提法里（写作“{written}”），不是统计数字"),
    "figure-qualifier-dropped": (WARNING, "证据原文“{evidence}”写的是“{qualifier}”{value}，数字丢了限定词“{qualifier}”"),
    "figure-numeral-word": (WARNING, "数值 {value} 在证据原文“{evidence}”中写作“{written}”，是约数或名称，不是确数"),
    "figure-ratio-split": (WARNING, "证据原文“{evidence}”写的是比例，数值 {value} 只记了比例的一边"),
    # wording against the articles (build_tools/wording.py; casebook validate --sources)
    "stronger-than-evidence": (WARNING, "“{text}”用了“{word}”，证据原文里没有这个说法：措辞不能比原文更满"),
    "quoted-label-not-in-source": (WARNING, "引号里的“{term}”在来源文章中找不到：引号只用于原文自己的叫法"),
    "note-working-words": (WARNING, "来源说明里有工作笔记用语：{words}"),
    "thin-mismatch": (WARNING, "thin 标为 {marked}，按规则应为 {computed}（有证据的做法少于 {practices} 条或证据原文少于 {chars} 字即为着墨不多，须标出）"),
    "lesson-repeats-analysis": (WARNING, "经验启示“{text}”把 {other} 说过的话又说了一遍（{why}）"),
    "effect-not-reported": (WARNING, "“{text}”把“{word}”写成了本案例的效果，证据和原文这一段都没有写到"),
    "open-list-closed": (WARNING, "“{text}”列出了原文“{written}”中的{items}，却没有“{end}”，读起来像只有这几项"),
    "aim-written-as-done": (WARNING, "“{text}”把原文“{written}”中的“{part}”写成了已经做到，丢了“{word}”"),
    "pending-gone": (WARNING, "待改清单中的 {record} {at_field} {finding} 已不再出现"),
    "problem-count": (WARNING, "适用情形（problems）有 {count} 条，完整的记录应有 2—5 条"),
    "incomplete-record": (WARNING, "状态为 complete 的记录缺少内容：{field} {detail}"),
    "question-count": (WARNING, "思考题有 {count} 道，完整的记录应有 2—4 道"),
    # drafts (build_tools/draft_rules.py; casebook new --from-source)
    "draft-unwritten": (WARNING, "草稿中的 {field} 还没有写：只有证据原文，没有自己的话"),
    "unwritten-in-record": (ERROR, "{field} 还是草稿的占位文字“【待写】”"),
    "draft-outside-drafts": (ERROR, "这条记录标着 draft: true（草稿），草稿不上网站，不能放在地点目录里"),
    # registries
    "registry-missing": (ERROR, "找不到登记表 {filename}"),
    "duplicate-slug": (ERROR, "登记表中的 slug“{value}”重复（另见 {other}）"),
    "unknown-parent": (ERROR, "上级地点“{value}”未登记"),
    "place-cycle": (ERROR, "地点“{value}”的上级链条形成了循环"),
    "unknown-group": (ERROR, "标签分组“{value}”未登记"),
    "duplicate-lexicon-word": (WARNING, "日常说法“{value}”在词表中出现了不止一次（另见第 {other} 行）"),
    "lexicon-term-unused": (WARNING, "词表中的正式说法“{value}”没有出现在任何案例中，检索时找不到东西"),
    "concept-empty": (ERROR, "概念登记表中{what}"),
    "concept-duplicate": (ERROR, "“{value}”重复（另见 {other}）"),
    "concept-unknown": (ERROR, "未登记的概念“{value}”"),
    "concept-cycle": (ERROR, "上位概念“{other}”往上又回到了“{value}”：上下位关系形成了循环"),
    "concept-word-short": (WARNING, "说法“{value}”只有一个字"),
    "concept-phrasing-in-lexicon": (WARNING, "日常说法“{value}”已在日常说法词表中：同一个说法只写在一处"),
    "tag-underused": (WARNING, "标签“{value}”只被 {count} 条记录使用；请至少用于两条记录，或在登记表的 note 中说明原因"),
    "no-records": (WARNING, "目录 {dir} 下没有找到任何记录"),
    # course packs (courses/<id>.yml; build_tools/courses/)
    "unknown-record": (ERROR, "案例记录“{value}”不存在"),
    "empty-selection": (ERROR, "筛选条件 {criteria} 没有匹配到任何记录"),
    "session-without-cases": (ERROR, "单元“{title}”既没有 cases 也没有 select，没有可讲的案例"),
    "query-failed": (ERROR, "检索出错：{detail}"),
    "duplicate-course-record": (WARNING, "案例“{value}”在本课程中出现了不止一次（另见 {other}）"),
    "session-crowded": (WARNING, "单元“{title}”有 {count} 个案例，{minutes} 分钟讲不完（每个案例至少约 {per} 分钟）"),
    "course-duration": (WARNING, "课程总时长 {duration} 分钟与各单元合计 {total} 分钟不一致"),
    # the Word reference document (courses/reference.docx; build_tools/courses/reference.py)
    "reference-unreadable": (ERROR, "Word 样式模板无法打开：{detail}"),
    "reference-missing-style": (ERROR, "Word 样式模板缺少课程包要用的样式：{styles}"),
}


@dataclass(frozen=True)
class Problem:
    """One problem found in the input, with where it is and how to fix it."""

    code: str
    file: str
    line: int = 0
    column: int = 0
    field: str = ""
    message: str = ""
    suggestion: str = ""
    severity: str = ERROR

    def as_dict(self) -> dict:
        return asdict(self)

    def position(self) -> str:
        if self.line:
            return f"{self.file}:{self.line}:{self.column or 1}"
        return self.file

    def format(self) -> str:
        """One line as shown by ``casebook validate``."""
        where = f" {self.field}:" if self.field else ""
        text = f"{self.position()} {self.code}{where} {self.message}"
        if self.suggestion:
            text += f"；{self.suggestion}"
        return text


def problem(code: str, file: str, pos: tuple[int, int] | None = None, at: str = "",
            suggestion: str = "", **params) -> Problem:
    """Build a problem from the catalogue, filling its message template.

    ``at`` is the data path of the offending field (``tags[1]``); ``params``
    fill the template (a template may itself use ``{field}``).
    """
    severity, template = CATALOGUE[code]
    try:
        message = template.format(**params)
    except (KeyError, IndexError):  # a template field left out: still show something useful
        message = template
    line, col = pos if pos else (0, 0)
    return Problem(code=code, file=file, line=line, column=col, field=at,
                   message=message, suggestion=suggestion, severity=severity)


@dataclass
class Report:
    """All problems of one run, and the verdict."""

    problems: list[Problem] = field(default_factory=list)
    strict: bool = False

    def extend(self, items: Iterable[Problem]) -> None:
        self.problems.extend(items)

    def errors(self) -> list[Problem]:
        bad = {ERROR, WARNING} if self.strict else {ERROR}
        return [p for p in self.problems if p.severity in bad]

    @property
    def valid(self) -> bool:
        return not self.errors()

    def sorted(self) -> list[Problem]:
        return sorted(self.problems, key=lambda p: (p.file, p.line, p.column, p.code))
