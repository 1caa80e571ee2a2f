"""What an article contains (methods, figures, people) and which records' evidence holds each: ``casebook source check``.

The finder reads the article the way these newspaper texts name things:
methods by their quoted names (“1+3+N”物业服务协调共治体系), quoted names a
verb makes or a clause builds on (打造5分钟便民服务“红心圈”, 以“…”为抓手),
names ending in 机制/模式/平台/制度/工程 …, practices put into effect
(推行红色代办服务), lists of named practices (红黑榜、积分制等做法) and
numbered measures (一是…); figures as a number with its unit and the clause
that says what it counts; people as a name next to a post (村党总支书记束长明说),
in a picture caption next to what they do (区委书记某某赴…). An item is covered when the evidence or figures of a
record citing the article hold it, found by position in the article, so a
repeated paragraph is covered wherever a record quotes it.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass, field
from pathlib import Path

from . import model as m
from .checks import normalise
from .intake import CAPTION_MARK, PAGE_MARK

KINDS = ("method", "figure", "person")
KIND_LABELS = {"method": "做法", "figure": "数字", "person": "人物"}

_SUFFIX = ("工作法|工作体系|工作格局|工作机制|机制|模式|平台|制度|工程|计划|行动|体系|服务站|服务队|服务圈|微服务|中心|"
           "清单|项目|品牌|活动|标准|载体|议事室|议事厅|议事会|联席会|调解室|工作室|大讲堂|读书角|联盟|创建|评选|建设|"
           "做法|方式|架构|链条|组织架构|试点|基地|驿站|格局|政策|办法|接待日|开放日|宣讲|主题|培育|措施")
_QUOTED = re.compile(r"“((?:[^“”]|“[^“”]*”){2,40}?)”")
_AFTER = re.compile(rf"^([^，,；;。：:“”、（(）)\s]{{0,8}})({_SUFFIX})")
# “区街共管”、联查联审等制度: a quoted name in a list that ends in a method word.
_AFTER_LIST = re.compile(rf"^(?:、[^，,；;。“”、]{{1,10}})+等[^，,；;。]{{0,8}}?(?:{_SUFFIX})")
# 建立“编制周转池”, 推行“澄张虞”毗邻党建: a quoted name right after a verb that sets up a practice.
_VERB_BEFORE = re.compile(r"(?:建立|推行|实施|启动|开展|创新|创设|推广)$")
# 打造5分钟便民服务“红心圈”, 创建示范“温馨家园”, 整合成“一张网”: a verb that makes a named thing, a few words
# between (no preposition: 创新以“…”为内涵 is a gloss, not a name).
_MAKES_BEFORE = re.compile(r"(?:打造|建设|创建|建立|推行|实施|推广|整合成|整合为)[^，,；;。：:“”、（(）)以为对向从把将在]{0,8}$")
# 以“红色新干线”提档升级为抓手, 加大“全科社工”培养力度: the quoted name is what the work is built on or stepped up.
_FRAME = (re.compile(r"以[^，,；;。：:]{0,4}$"), re.compile(r"^[^，,；;。：:“”]{0,8}?为(?:抓手|切口|载体|依托|牵引)"))
_STEP_UP = (re.compile(r"加大[^，,；;。：:]{0,4}$"), re.compile(r"^[^，,；;。：:“”]{0,6}?力度"))
_ENDS = re.compile(rf"(?:{_SUFFIX}|制|室|会|榜|团|站|坊|热线|大党委|大工委|[+＋][A-Za-z]+)$")
_NUMERAL_NAME = re.compile(r"^(?:[0-9]|[二三四五六七八九十两双]..)|[+＋·]|[一二三四五六七八九十两双][^一二三四五六七八九十]+[一二三四五六七八九十两双]")
_SPEECH = re.compile(r"我们|我的|[。！？!?]")
_VERB = "建立健全|建立|健全|完善|推行|实施|创新|打造|构建|探索|深化|出台|推进|落实|实行|设立|创设推行|形成|优化|启动|开展"
_UNQUOTED = re.compile(rf"(?:(?:{_VERB})+|[^，,；;。]的)((?:[^，,；;。、：:“”（()）\s的]){{2,14}}?(?:机制|制度|模式|工程|工作法|计划|政策|联盟))")
# 推行红色代办服务, 推进两新党建扩容升级。: a practice put into effect, named by the rest of its clause.
_PUT_INTO_EFFECT = re.compile(r"(?:推行|推进|实施|推广)([^，,；;。：:“”‘’、（(）)\s的和与及对在把将向0-9]{3,10})(?=[，,；;。])")
# 健全县、镇(街道)、社区、党员四级联动体系: a system named after a list; its name runs back from its head word.
_LISTED_HEAD = re.compile(rf"(?:{_VERB})[^，,；;。“”]{{0,30}}?[、与和及）)]([^，,；;。、：:“”（()）\s的与和及等]{{2,10}}?(?:机制|制度|体系))"
                          r"(?=[，,；;。])")
_GENERIC = set("管理 保障 工作 运行 考核 联动 服务 长效 治理 体制 工作法 管理服务 保障机制".split())
_LISTED = re.compile(r"(?:运用|推广|推行|采取|实行|建立|探索)+((?:[\u4e00-\u9fff]{2,6}、)+[\u4e00-\u9fff]{2,6})等(?:做法|方式|举措|制度|机制)")
_NUMBERED = re.compile(r"(?:^|[。；;])\s*(?:[一二三四五六七八九十]是|（[一二三四五六七八九十]）|[一二三四五六七八九十]、|\d{1,2}[.、．])"
                       r"([^，,。；;：:]{2,30})")
_QUAL_BEFORE = "近|约|超过|超|逾|不到|不足|至少|不低于|共|累计"
_UNITS = ("平方米|万元|亿元|元|场次|人次|户次|个|名|人|户|家|件|次|场|条|座|所|支|项|位|处|类|间|套|栋|幢|张|份|期|批|起|"
          "天|小时|分钟|%|％|亩|公里")
_FIGURE = re.compile(
    rf"(?<![0-9A-Za-z.第+＋])(?:{_QUAL_BEFORE})?(\d+(?:\.\d+)?(?:[—\-~～至到]\d+(?:\.\d+)?)?)(?:万|亿)?(?:余|多)?"
    rf"(?:{_UNITS}|年(?=及以上|以上))(?:左右|及以上|以上|以下|以内)?(?![+＋])"
    rf"|(?<![0-9.])\d+[:：]\d+(?![0-9])"
    rf"|(?<![一二两三四五六七八九十百千万])[千百万](?:余|多)(?:件|个|名|人|户|场|次)")
_SURNAMES = set(
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范"
    "金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤常温康施文牛樊葛邢安齐易乔伍庞颜倪"
    "庄聂章鲁岳翟殷詹申欧耿关兰焦俞左柳甘祝包宁尚符舒阮柯纪梅童凌毕单季裴霍涂成苗谷盛曲翁冉骆蓝路游辛靳管柴蒙鲍华喻祁蒲房"
    "滕屈饶解牟艾尤阳时穆农司卓古吉缪简车项连芦麦褚娄窦戚岑景党宫费卜冷晏席卫米柏宗瞿桂全佟应臧闵苟邬边卞姬师和仇栾隋商刁"
    "沙荣巫寇桑郎甄丛仲虞敖巩明佘池查麻苑迟邝束")
_POSTS = ("党总支书记|党委书记|党支部书记|支部书记|书记|副主任|主任|副部长|部长|局长|处长|科长|主席|站长|所长|院长|校长|队长|组长|"
          "负责人|工作人员|工作者|网格员|网格长|楼栋长|调解员|传承人|医生|律师|快递员|外卖员|骑手|"
          "社工|村民|居民|党员|志愿者|老师|民警|委员|专干|楼长|会长|理事长|经理|董事长|创始人|好人”")
_PERSON = re.compile(rf"(?:{_POSTS})(?=[{''.join(sorted(_SURNAMES))}])")
_AFTER_NAME = set("说表介告坦就曾正便回在等、，,。：:（(如带领指认谈")
# A picture caption says what the person does (区委书记某某赴…, 某某和居民…, 某某看望…), not what they said.
_CAPTION_AFTER = _AFTER_NAME | set("赴到来与和同向为给走看慰查调检指参出主讲入上陪")
_CAPTION_LIKE = re.compile(r"^[^。！？!?]{4,60}[。]?$")
# Everyday words that start with a surname and may follow a post word (党员管理, 居民安全): never names.
_NOT_NAMES = set("管理 安全 文明 方便 全面 常态 明确 应急 高度 时间 关心 包括 严格 齐心 成为 和谐 向上 党建 党性 党组织 "
                 "服务 代表 参与 教育 监督 宣传 骨干 力量 队伍 群众".split())
_CLAUSE = re.compile(r"[，,；;。！？!?：:]")


@dataclass
class Item:
    """One thing the article contains, where it is, and which records hold it."""

    kind: str
    text: str  # the method's name as written, the figure's clause, or the person's name and role
    line: int
    key: str = ""  # what coverage looks for: the quoted name, the figure as written, the person's name
    spans: list[tuple[int, int]] = field(default_factory=list, repr=False)  # in the normalised article
    covered_by: list[str] = field(default_factory=list)

    def as_dict(self) -> dict:
        return {"kind": self.kind, "text": self.text, "line": self.line, "covered_by": self.covered_by}


class Flat:
    """An article's text as one normalised string (how evidence is compared), mapped back to line numbers."""

    def __init__(self, text: str):
        self.lines = text.split("\n")
        self.starts: list[int] = []
        parts = []
        pos = 0
        for ln in self.lines:
            self.starts.append(pos)
            n = normalise(ln)
            parts.append(n)
            pos += len(n)
        self.text = "".join(parts)

    def offset(self, line_index: int, col: int) -> int:
        """The position in the normalised text of column ``col`` of line ``line_index`` (0-based)."""
        return self.starts[line_index] + len(normalise(self.lines[line_index][:col]))

    def line_of(self, pos: int) -> int:
        return bisect_right(self.starts, pos)  # 1-based: the count of lines starting at or before pos

    def occurrences(self, needle: str) -> list[tuple[int, int]]:
        needle = normalise(needle)
        out, i = [], self.text.find(needle) if needle else -1
        while i >= 0:
            out.append((i, i + len(needle)))
            i = self.text.find(needle, i + 1)
        return out


def clause_at(line: str, start: int, end: int, marks: re.Pattern = _CLAUSE) -> tuple[int, int]:
    """Where the clause of ``line`` (between punctuation) around ``start:end`` begins and ends."""
    left = max((mt.end() for mt in marks.finditer(line, 0, start)), default=0)
    right = next((mt.start() for mt in marks.finditer(line, end)), len(line))
    while left < right and line[left].isspace():
        left += 1
    return left, right


def find_items(text: str) -> list[Item]:
    """Every method, figure and person of an article, in article order, each once."""
    flat = Flat(text)
    items: list[Item] = []
    seen: set[tuple[str, str]] = set()

    def add(kind: str, shown: str, key: str, i: int, col: int, spans: list[tuple[int, int]]) -> None:
        ident = (kind, normalise(shown + "|" + key if kind == "figure" else key))
        if ident in seen or not spans:
            return
        seen.add(ident)
        items.append(Item(kind, shown, i + 1, key, spans))

    for i, line in enumerate(flat.lines):
        if not line.strip() or line.startswith(PAGE_MARK):
            continue
        for name, key, col in methods_in(line + quote_continued(flat.lines, i)):
            add("method", name, key, i, col, flat.occurrences(key))
        for shown, key, at in figures_in(line):
            # Wherever the clause stands (a repeated paragraph), the figure stands at the same place in it.
            before, within = len(normalise(shown[:at])), len(normalise(key))
            add("figure", shown, key, i, 0, [(a + before, a + before + within) for a, _ in flat.occurrences(shown)])
        for name, role, col in people_in(line, is_caption(line)):
            add("person", f"{name}（{role}）" if role else name, name, i, col, flat.occurrences(name))
    items.sort(key=lambda it: (it.line, KINDS.index(it.kind)))
    return items


def quote_continued(lines: list[str], i: int) -> str:
    """The rest of a quoted name that a paragraph break cut (创新“小哥入网 | 格”“食安…), else ""."""
    if lines[i].count("“") <= lines[i].count("”"):
        return ""
    following = next((ln for ln in lines[i + 1:i + 3] if ln.strip()), "")
    head = re.match(r"[^“”，,；;。]{1,12}”", following.strip())
    return head.group(0) if head else ""


def methods_in(line: str) -> list[tuple[str, str, int]]:
    """(name as written, key, column) of the methods a line names."""
    out: list[tuple[str, str, int]] = []
    quoted = [q for q in _QUOTED.finditer(line) if not _SPEECH.search(q.group(1))]
    # A headline (no full stop) names things by metaphor: 打造社区治理“样板间”.
    heading = "。" not in line
    good: set[int] = set()
    for k, q in enumerate(quoted):
        core, after = q.group(1), line[q.end():q.end() + 30]
        at_head = q.start() == 0 and re.match(r"^[^，,；;。]{1,5}。", after)
        if (_AFTER.match(after) or _AFTER_LIST.match(after) or _ENDS.search(core) or _NUMERAL_NAME.search(core)
                or at_head or _VERB_BEFORE.search(line[max(0, q.start() - 4):q.start()])
                or (not heading and _MAKES_BEFORE.search(line[:q.start()]))
                or any(b.search(line[:q.start()]) and a.match(line[q.end():]) for b, a in (_FRAME, _STEP_UP))):
            good.add(k)
    # A run of quoted names (“客堂间”“院落板凳会”…等议事平台) is one list: one good name makes them all names.
    runs, run = [], [0] if quoted else []
    for k in range(1, len(quoted)):
        between = line[quoted[k - 1].end():quoted[k].start()]
        if re.fullmatch(r"[、和及与]?", between):
            run.append(k)
        else:
            runs.append(run)
            run = [k]
    if run:
        runs.append(run)
    for run in runs:
        if any(k in good for k in run):
            good.update(run)
    last_of_run = {run[-1] for run in runs}
    for k in sorted(good):
        q = quoted[k]
        tail = _AFTER.match(line[q.end():q.end() + 14])
        name = q.group(0) + (tail.group(0) if tail and k in last_of_run else "")
        out.append((name, q.group(1), q.start()))
    for mt in _UNQUOTED.finditer(line):
        name = mt.group(1)
        if "“" in name or "”" in name or name[:-2] in _GENERIC or len(re.sub(r"(机制|制度|模式|工程|工作法|计划|政策|联盟)$", "", name)) < 2:
            continue
        out.append((name, name, mt.start(1)))
    out += [(mt.group(1), mt.group(1), mt.start(1)) for mt in _PUT_INTO_EFFECT.finditer(line)]
    for mt in _LISTED_HEAD.finditer(line):
        # 县、镇、社区、党员四级联动体系: the count of the list (四级) begins the name, not the list's last word.
        count = re.search(r"[一二三四五六七八九十两多][级方类层元]", mt.group(1)[:5])
        name = mt.group(1)[count.start():] if count else mt.group(1)
        out.append((name, name, mt.end(1) - len(name)))
    # “区街共管”、联查联审等制度: the unquoted names of a list that holds a quoted one.
    for mt in re.finditer(rf"”((?:、[^，,；;。“”、等]{{2,8}})+)等[^，,；;。]{{0,8}}?(?:{_SUFFIX})", line):
        col = mt.start(1)
        for part in mt.group(1).split("、")[1:]:
            col += 1
            out.append((part, part, col))
            col += len(part)
    for mt in _LISTED.finditer(line):
        col = mt.start(1)
        for part in mt.group(1).split("、"):
            out.append((part, part, col))
            col += len(part) + 1
    for mt in _NUMBERED.finditer(line):
        out.append((mt.group(1).strip(), mt.group(1).strip(), mt.start(1)))
    # 社区干部基本报酬及正常增长机制 is one name: its tail found again on its own is not another.
    keys = {key for _, key, _ in out}
    return [o for o in out if not any(k != o[1] and k.endswith(o[1]) for k in keys)]


def _inside_quotes(line: str, pos: int) -> bool:
    return any(q.start() < pos < q.end() for q in _QUOTED.finditer(line))


def figures_in(line: str) -> list[tuple[str, str, int]]:
    """(clause, figure as written, where the figure starts in the clause) of the figures a line gives.

    Numbers inside quoted names (“100+200+300”) are names, not figures.
    """
    out = []
    for mt in _FIGURE.finditer(line):
        # 每1名、为1个: a rate, not a count.
        if _inside_quotes(line, mt.start()) or (
                re.match(r"1\D", mt.group(0)) and mt.start() > 0 and line[mt.start() - 1] in "每为"):
            continue
        left, right = clause_at(line, mt.start(), mt.end())
        if right - left > m.EVIDENCE_MAX:  # a long clause: the part of its list (、) that holds the figure
            left, right = clause_at(line, mt.start(), mt.end(), re.compile(r"[，,；;。！？!?：:、]"))
        out.append((line[left:right], mt.group(0), mt.start() - left))
    return out


def is_caption(line: str) -> bool:
    """A marked picture caption, or what reads like one in a copied page: a short paragraph of one sentence."""
    return line.startswith(CAPTION_MARK) or (not line.startswith("#") and bool(_CAPTION_LIKE.match(line.strip())))


def people_in(line: str, caption: bool = False) -> list[tuple[str, str, int]]:
    """(name, role, column) of the people a line names next to their post (in a caption, next to what they do)."""
    after = _CAPTION_AFTER if caption else _AFTER_NAME
    out = []
    for mt in _PERSON.finditer(line):
        start = mt.end()
        for size in (3, 2):
            name = line[start:start + size]
            follow = line[start + size:start + size + 1]
            listed = follow == "、" and line[start + size + 1:start + size + 2] != "“"
            if (len(name) == size and re.fullmatch(r"[\u4e00-\u9fff]+", name) and follow in after
                    and not listed and name not in _NOT_NAMES and name[:2] not in _NOT_NAMES):
                break
        else:
            continue
        left = max((x.end() for x in re.finditer(r"[，,；;。：:！？”“]", line[:mt.start()])), default=0)
        role = re.sub(rf"^(?:{CAPTION_MARK})?(?:图为|图：|图:)?", "", line[left:start].strip())
        if role.endswith("好人”"):
            opening = line.rfind("“", 0, start)
            role = line[opening:start] if opening >= 0 else role
        out.append((name, role, start))
    return out


# ----------------------------------------------------------------- coverage


@dataclass
class SourceCheck:
    """``casebook source check``: the items of one article and the records that hold each."""

    source: str
    file: str
    items: list[Item]

    def as_dict(self) -> dict:
        return {"source": self.source, "items": [it.as_dict() for it in self.items]}

    @property
    def uncovered(self) -> list[Item]:
        return [it for it in self.items if not it.covered_by]


def record_evidence(rec: m.Record, sid: str) -> list[str]:
    """The verbatim clauses of a record that quote article ``sid`` (an item's own source, else the record's)."""
    cites = {s.source for s in rec.sources}
    mine = lambda source: source == sid or (source is None and sid in cites)
    out = [q for name in ("background", "practices", "outcomes", "people") for it in getattr(rec, name)
           if mine(it.source) for q in it.evidence]
    out += [mt.evidence for mt in rec.metrics if mine(mt.source)]
    if rec.as_of and mine(rec.as_of.source):
        out.append(rec.as_of.evidence)
    return out


def cover(items: list[Item], flat: Flat, records: list[m.Record], sid: str) -> None:
    """Fill each item's ``covered_by``: the records whose evidence spans hold one of its places in the article."""
    for rec in records:
        spans = [sp for ev in record_evidence(rec, sid) for sp in flat.occurrences(ev)]
        named = {p.name for p in rec.people if p.source in (None, sid)} if spans or rec.people else set()
        for it in items:
            held = any(a <= s and e <= b for s, e in it.spans for a, b in spans)
            if held or (it.kind == "person" and it.key in named and any(s.source == sid for s in rec.sources)):
                it.covered_by.append(rec.id)


def check_source(records: list[m.Record], source: m.Source, sources_dir: Path) -> SourceCheck:
    """The items of ``source``'s article, each with the ids of the records that cover it."""
    text = (Path(sources_dir) / source.file).read_text(encoding="utf-8", errors="replace")
    items = find_items(text)
    cover(items, Flat(text), records, source.id)
    return SourceCheck(source.id, source.file, items)
