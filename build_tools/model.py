"""Pydantic models for case records and the registries.

The models check shape and types only; rules that span files (unknown tag,
duplicate id, evidence in source …) live in :mod:`build_tools.validate`.
"""

from __future__ import annotations

import datetime as _dt
from typing import Annotated, Literal, Union

from pydantic import BaseModel, ConfigDict, Field, StrictFloat, StrictInt, model_validator

# Limits are in characters (字) for Chinese text.
SUMMARY_MAX = 300
EVIDENCE_MAX = 60
CLAIM_EVIDENCE_MAX = 80
TITLE_MAX = 60
TEXT_MAX = 2000

ID_PATTERN = r"^[a-z0-9]+(?:-[a-z0-9]+)*$"

# One verbatim clause supporting a statement.
Quote = Annotated[str, Field(min_length=1, max_length=CLAIM_EVIDENCE_MAX)]

PlaceLevel = Literal["省", "地级市", "县级市", "市辖区", "县", "街道", "镇", "社区", "村", "小区"]
ImplLevel = Literal["市级", "县级", "镇街级", "社区级", "村级", "小区级"]
Status = Literal["stub", "partial", "complete"]
Words = list[Annotated[str, Field(min_length=1)]]  # a registry word list: no empty entries


def word_list(description: str):
    """An optional registry word list (empty by default), described for the JSON Schema."""
    return Field(default_factory=list, description=description)

MetricKind = Literal["count", "money", "area", "percent", "ratio", "norm", "duration", "other", "context"]
Relation = Literal["same-mechanism", "part-of", "teach-together"]

# Chinese labels shown to users; the inverse label is shown on the other end
# of a link, so each link is written once in YAML.
RELATION_LABELS = {
    "same-mechanism": ("同类做法（其他地方）", "同类做法（其他地方）"),
    "part-of": ("所属的整体做法", "包含的具体做法"),
    "teach-together": ("可配套教学", "可配套教学"),
}
METRIC_KIND_LABELS = {
    "count": "数量", "money": "金额", "area": "面积", "percent": "比例",
    "ratio": "比率", "norm": "标准", "duration": "时长", "other": "其他",
    "context": "背景口径",
}
# The figures rule: only result kinds are shown as 成效 (the record's 成效,
# 主要数字, the place pages, 数据一览's result flag). A norm or target (确保5分钟,
# 每300户一个网格) is a working standard, shown with the practices; a figure that
# describes the setting (a year, an age limit, a counting period) is background.
# A number from a programme's name or descriptor (三级联动, 五社联动, “十有”) is
# no figure at all and is not recorded.
RULE_KINDS = frozenset({"norm"})
CONTEXT_KINDS = frozenset({"context"})
RESULT_KINDS = frozenset(k for k in METRIC_KIND_LABELS if k not in RULE_KINDS | CONTEXT_KINDS)
# The qualifier a source puts on a figure, and where it stands when shown:
# before the number (近 3,500 人), between number and unit (1,000 余件) or after the unit (150 名左右).
QUALIFIER_PLACES = {
    "近": "before", "约": "before", "超": "before", "逾": "before", "超过": "before", "不到": "before",
    "不足": "before", "至少": "before", "不低于": "before",
    "余": "mid", "多": "mid",
    "左右": "after", "以上": "after", "及以上": "after", "以下": "after", "以内": "after",
}
Qualifier = Literal["近", "约", "超", "逾", "超过", "不到", "不足", "至少", "不低于",
                    "余", "多", "左右", "以上", "及以上", "以下", "以内"]
STATUS_LABELS = {"stub": "草稿", "partial": "部分完成", "complete": "完成"}


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


class Range(_Strict):
    """A figure given as a range in the source, such as 10—30户."""

    min: Union[StrictInt, StrictFloat]
    max: Union[StrictInt, StrictFloat]


class Ratio(_Strict):
    """A ratio as the source writes it, such as 1:18 (shown as 1:18, never as 18)."""

    left: Union[StrictInt, StrictFloat]
    right: Union[StrictInt, StrictFloat]


def metric_role(kind: str) -> str:
    """``result``, ``rule`` (a norm or target) or ``context`` (the setting)."""
    return "rule" if kind in RULE_KINDS else "context" if kind in CONTEXT_KINDS else "result"


class Metric(_Strict):
    """One figure from the source with the verbatim clause that states it.

    A number inside a name or descriptor (三级联动, “五社联动”) is not a figure;
    a qualifier the source puts on the number (近, 余, 超, 左右 …) is kept.
    """

    label: str = Field(min_length=1, max_length=40, description="指标名称，如“小区党支部数量”")
    # Strict: a quoted "54" or a yes/no must not slip past the evidence check.
    value: Union[StrictInt, StrictFloat, Range, Ratio] = Field(
        description="数字；{min, max} 表示区间；{left, right} 表示比例，如 1:18")
    qualifier: Qualifier | None = Field(default=None, description="原文加在数字上的限定词：近、约、超、余、多、左右、以上……")
    unit: str = Field(default="", max_length=20, description="单位，如 个、名、万元、%（不含“余”“左右”等限定词）")
    kind: MetricKind = Field(default="count", description=(
        "成效：count / money / area / percent / ratio / duration / other；工作标准（规定、目标）：norm；"
        "背景口径：context。名称里的数字（三级联动、五社联动）不是数字，不要记"))
    evidence: str = Field(min_length=1, max_length=EVIDENCE_MAX, description="来源原文中含此数字的短句（逐字摘录，≤60字）")
    source: str | None = Field(default=None, description="来源 id；省略时取记录的第一个来源")


class Claim(_Strict):
    """A statement of fact in our own words with the verbatim clauses that support it."""

    text: str = Field(min_length=1, max_length=TEXT_MAX, description="用自己的话写的一句事实")
    evidence: list[Quote] = Field(default_factory=list, description="来源原文中支持这句话的短句（逐字摘录，每句≤80字）")
    source: str | None = Field(default=None, description="来源 id；省略时取记录的第一个来源")

    @model_validator(mode="before")
    @classmethod
    def _plain_forms(cls, data):
        # A bare string is a claim still waiting for its evidence (strict
        # validation reports it); one evidence string stands for a list of one.
        if isinstance(data, str):
            return {"text": data}
        if isinstance(data, dict) and isinstance(data.get("evidence"), str):
            return {**data, "evidence": [data["evidence"]]}
        return data


class Person(_Strict):
    """A named person the article quotes or names."""

    name: str = Field(min_length=1, max_length=20)
    role: str = Field(default="", max_length=40, description="原文所写的职务")
    unit: str = Field(default="", max_length=60, description="原文所写的单位")
    said: str = Field(default="", max_length=300, description="其所说所做，用自己的话概括")
    evidence: list[Quote] = Field(default_factory=list, description="原文短句（逐字摘录，每句≤80字）")
    source: str | None = None

    @model_validator(mode="before")
    @classmethod
    def _one_evidence(cls, data):
        if isinstance(data, dict) and isinstance(data.get("evidence"), str):
            return {**data, "evidence": [data["evidence"]]}
        return data


class AsOf(_Strict):
    """The year a practice or figure refers to, and the clause that dates it."""

    year: StrictInt = Field(ge=1949, le=2100)
    evidence: str = Field(min_length=1, max_length=CLAIM_EVIDENCE_MAX,
                          description="含年份的原文短句；用“今年”“去年”时须来源注明日期")
    source: str | None = None


class RecordConcepts(_Strict):
    """An editor's corrections to the concepts a record gets from its text."""

    add: list[str] = Field(default_factory=list, description="正文里没有相应说法、但确实讲到的概念 id")
    refuse: list[str] = Field(default_factory=list, description="正文碰巧含有相应说法、但并不讲这件事的概念 id")


class RelatedRef(_Strict):
    """A link to another record, written once; the site shows it both ways."""

    id: str
    relation: Relation = "same-mechanism"


class SourceRef(_Strict):
    """Where in which source article the record's facts come from."""

    source: str
    section: str = Field(default="", max_length=80)


class Teaching(_Strict):
    """Discussion questions and trainer's key points."""

    questions: list[str] = Field(default_factory=list)
    key_points: list[str] = Field(default_factory=list)


class Record(_Strict):
    """A case record: one work method of one place."""

    @model_validator(mode="before")
    @classmethod
    def _background_text(cls, data):
        # Old files wrote background as one paragraph: read it as one claim.
        if isinstance(data, dict) and isinstance(data.get("background"), str):
            bg = data["background"].strip()
            return {**data, "background": [bg] if bg else []}
        return data

    id: str = Field(pattern=ID_PATTERN, max_length=64, description="ASCII 小写字母、数字和连字符，等于文件名")
    title: str = Field(min_length=1, max_length=TITLE_MAX)
    aliases: list[str] = Field(default_factory=list)
    place: str = Field(description="登记的地点 slug，如 wuxi、binhu")
    unit: str | None = Field(default=None, description="具体的街道、镇、社区或村（登记的地点 slug）")
    level: ImplLevel = Field(description="实施层级")
    period: str | None = None
    summary: str = Field(default="", max_length=SUMMARY_MAX)
    problems: list[str] = Field(default_factory=list, description="适用情形：用社区书记的话说的 2—5 个问题")
    background: list[Claim] = Field(default_factory=list, description="原文所述的背景（事实，附证据）")
    analysis: list[str] = Field(default_factory=list, description="编者分析：为什么出现这个问题、为什么这样做有效")
    practices: list[Claim] = Field(default_factory=list)
    structure: list[str] | None = None
    outcomes: list[Claim] = Field(default_factory=list)
    people: list[Person] = Field(default_factory=list)
    as_of: AsOf | None = Field(default=None, description="做法或数字所指的年份；原文未说明则省略")
    thin: bool = Field(default=False, description="原文对此着墨不多：页面如实说明，不作扩写")
    metrics: list[Metric] = Field(default_factory=list)
    tags: list[str] = Field(default_factory=list)
    concepts: RecordConcepts = Field(default_factory=RecordConcepts,
                                     description="治理概念的更正：add 补上、refuse 拒绝（概念见 cases/_registry/concepts.yml）")
    related: list[RelatedRef] = Field(default_factory=list)
    sources: list[SourceRef] = Field(min_length=1)
    lessons: list[str] = Field(default_factory=list)
    teaching: Teaching = Field(default_factory=Teaching)
    attribution_note: str | None = None
    status: Status = "stub"
    draft: bool = Field(default=False, description="草稿（casebook new --from-source 生成，放在 cases/_drafts/）：写完前不上网站")


class Place(_Strict):
    slug: str = Field(pattern=ID_PATTERN)
    name: str = Field(min_length=1)
    level: PlaceLevel
    parent: str | None = None


class TagGroup(_Strict):
    slug: str = Field(pattern=ID_PATTERN)
    name: str = Field(min_length=1)
    definition: str = ""


class Tag(_Strict):
    slug: str = Field(pattern=ID_PATTERN)
    name: str = Field(min_length=1)
    group: str
    definition: str = Field(min_length=1)
    synonyms: list[str] = Field(default_factory=list)
    note: str | None = Field(default=None, description="标签只被一条记录使用时，说明原因")


class Source(_Strict):
    id: str = Field(pattern=ID_PATTERN)
    file: str
    title: str
    places: list[str] = Field(default_factory=list)
    date: _dt.date | None = None
    pages: str | None = None


class LexiconEntry(_Strict):
    """Everyday words a cadre types, and the official terms and tags they mean."""

    words: list[Annotated[str, Field(min_length=2, max_length=12)]] = Field(min_length=1)
    terms: list[str] = Field(default_factory=list, description="案例正文里的正式说法")
    tags: list[str] = Field(default_factory=list, description="标签 slug")


class Concept(_Strict):
    """A governance concept: its name, how cadres say it, narrower words, broader concepts."""

    id: str = Field(pattern=ID_PATTERN)
    name: str = Field(description="概念名称，最好是案例正文里的说法")
    phrasings: list[str] = Field(default_factory=list, description="干部、居民的日常说法（词表 lexicon.yml 里已有的不再重复）")
    narrower: list[str] = Field(default_factory=list, description="更具体的说法：出现在正文里即可认定讲到了这个概念")
    broader: list[str] = Field(default_factory=list, description="上位概念的 id")
    note: str | None = None


class ConceptsFile(_Strict):
    concepts: list[Concept] = Field(default_factory=list)


class ThinRule(_Strict):
    """When a record is thin: the article says too little about it to write more."""

    min_practices: int = Field(default=2, ge=1, description="少于这么多条有证据的做法即为“着墨不多”")
    min_evidence_chars: int = Field(default=70, ge=1, description="全部证据原文（去重）少于这么多字即为“着墨不多”")


class WordingFile(_Strict):
    """Word lists for the wording checks (casebook validate --sources, casebook review)."""

    strength_words: Words = Field(
        min_length=1, description="比原文说得更满的词：陈述里有、证据里没有就提醒")
    not_strength: dict[str, list[str]] = Field(
        default_factory=dict, description="含有强度词但并不加强语气的词，如“均”之于“平均”")
    name_suffixes: list[Annotated[str, Field(min_length=1, max_length=2)]] = Field(
        default_factory=list, description="数字后面跟着这些字就是名称或提法（三级、五社、十有）")
    working_words: Words = Field(
        min_length=1, description="来源说明里不该出现的工作笔记用语（留空、扫描稿、本记录……）")
    scan_sentences: list[Annotated[str, Field(min_length=4)]] = Field(
        min_length=1, description="扫描稿缺陷的标准说法：来源说明里只用这些句子交代")
    absence_markers: list[str] = Field(default_factory=lambda: ["原文没有", "原文未"],
                                       description="“原文没有……”一类说法的开头：逐条列出原文中可能相关的句子供核对")
    absence_abstract: Words = word_list("“原文没有……”里不指具体事物的词（两者、关系、效果……）：改找这一句和同一段前文里的具体词")
    absence_effects: Words = word_list("说原文没写效果的词（效果、成效……）：再列做法名称附近写结果的句子")
    result_words: Words = word_list("写结果的词（累计、实现、达到、好评……）")
    thin: ThinRule = Field(default_factory=ThinRule)
    repeat_threshold: float = Field(default=0.5, gt=0, le=1,
                                    description="编者分析与经验启示两句的字符二元组重合度达到此值即算重复")
    effect_words: Words = word_list("对人的效果（认同感、更愿意、解决了……）：分析、启示、教学要点里写成事实要有报道为据")
    hedges: Words = word_list("把效果写成可能的说法（可能、编者认为、如果……）：句中有其一即不提醒")
    lacks: Words = word_list("紧挨在效果词前、说明缺少这个效果的词（难以、不、缺乏……）：写的是难题，不是成效")
    not_lacks: Words = word_list("含有“不”却不表示缺少的词（不仅、不断……）")
    general_markers: Words = word_list("泛论的标记（往往、一般、通常……）：句子讲的是一般道理，不是本案例的人")
    repeat_ignore: Words = word_list("比较经验启示与编者分析时不算实词的说法（报道、编者认为、可能……）")
    repeat_skip: Words = word_list("含这些说法的启示句讲的是别处怎样做或报道写了什么，不按重复比较")
    open_list_ends: Words = word_list("原文列举结尾表示没有列全的词（等、等等、之类）")
    open_list_keeps: Words = word_list("陈述里让列举保持开放的词（等、包括、如、其中……）：写在列举项旁边就不提醒")
    not_open_list: Words = word_list("含“等”却不是列举结尾的词（平等、等级、等待……）")
    open_list_reach: int = Field(default=6, ge=0, description="列举项前后这么多字以内有开放词，就算保持开放")
    open_list_gap: int = Field(default=2, ge=0, description="两个列举项相隔不超过这么多字（、和以及）才算连在一起列举")
    open_list_choices: Words = word_list("问句里有这些字（哪、还是、选），列举项是供选择的选项，不算列全")
    aim_words: Words = word_list("原文写努力方向的词（推动、探索、力争、加快……）：陈述重复它管的话却丢了它就提醒")
    aim_keeps: Words = word_list("陈述里让目标仍是目标的词（提出、要、目标、为了……）：写在重复的话前面就不提醒")
    not_aim: Words = word_list("含目标词却不是目标的词（模拟、拟定、探索出……）")
    aim_min_chars: int = Field(default=4, ge=2, description="陈述与目标词所管的话至少连续这么多字相同，才算重复")
    aim_reach: int = Field(default=8, ge=0, description="重复的话前后这么多字以内有目标词或保留词，就算仍写成目标")
    aim_share: float = Field(default=0.5, gt=0, le=1, description="相同的字没有到所管的话的末尾时，至少占它这么大比例才算重复")
    repeat_min_words: int = Field(default=4, ge=1, description="启示句中至少有这么多实词已在同一条分析里出现，才可能算重复")
    repeat_word_share: float = Field(default=0.5, gt=0, le=1,
                                     description="启示句的实词中已在同一条分析里出现的比例达到此值即算换了说法的重复")


class PendingFinding(_Strict):
    """One content finding allowed for now: which record, which field, which check."""

    record: str
    field: str
    code: str


class PendingFile(_Strict):
    """Content findings known when their check arrived, allowed until fixed (the list only shrinks)."""

    since: _dt.date = Field(description="清单建立的日期")
    note: str = ""
    findings: list[PendingFinding] = Field(default_factory=list)


class ProblemTheme(_Strict):
    """A theme of the 常见难题 page and its everyday problems."""

    theme: str = Field(min_length=1, max_length=20)
    items: list[Annotated[str, Field(min_length=4, max_length=40)]] = Field(min_length=1)


class LexiconFile(_Strict):
    entries: list[LexiconEntry] = Field(default_factory=list)
    common_problems: list[ProblemTheme] = Field(default_factory=list)


class PlacesFile(_Strict):
    places: list[Place]


class TagsFile(_Strict):
    groups: list[TagGroup]
    tags: list[Tag]


class SourcesFile(_Strict):
    sources: list[Source]


def record_json_schema() -> dict:
    """JSON Schema of a record, for editors (yaml-language-server)."""
    schema = Record.model_json_schema()
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["title"] = "基层治理案例记录"
    return schema
