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
# Kinds that describe the setting (a year, an age limit, a counting period),
# not a result: kept out of 主要数字 and the place pages' figures.
CONTEXT_KINDS = frozenset({"context"})
STATUS_LABELS = {"stub": "草稿", "partial": "部分完成", "complete": "完成"}


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


class Range(_Strict):
    """A figure given as a range in the source, such as 10—30户."""

    min: Union[StrictInt, StrictFloat]
    max: Union[StrictInt, StrictFloat]


class Metric(_Strict):
    """One figure from the source with the verbatim clause that states it."""

    label: str = Field(min_length=1, max_length=40, description="指标名称，如“小区党支部数量”")
    # Strict: a quoted "54" or a yes/no must not slip past the evidence check.
    value: Union[StrictInt, StrictFloat, Range] = Field(description="数字，或 {min, max} 表示区间")
    unit: str = Field(default="", max_length=20, description="单位，如 个、名、万元、%")
    kind: MetricKind = Field(default="count", description="count / money / area / percent / ratio / norm / duration / other")
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
