"""The names of methods a line of a newspaper article gives (for ``casebook source check``).

These articles name a practice in a few ways, each a rule here: a quoted
name that ends in a marker word or has one after it (“1+3+N”物业服务协调共治体系,
“百姓议事堂”), that a verb sets up or makes (组建“党员先锋队”, 打造…“红心圈”),
that a clause builds on (以“…”为抓手), that a named model says
(“业主自愿、政府引导”的“常州模式”) or that holds a numeral (“多网合一”);
an unquoted name that ends in a marker word after a verb or 的
(合作开发区块链数字积分治理模式, 建立和执行…清单制、…准入制), practices put
into effect (推行红色代办服务), systems and projects named after a list
(区、街道、社区三级书记项目), lists of named practices (红黑榜、积分制等做法),
names with a strong marker word opening a clause (邻里守望工作法让…), works an
organisation made (情景剧《…》), numbers joined by plus signs (1+N+X) and
numbered measures (一是…, ①…).
"""

from __future__ import annotations

import re

_SUFFIX = ("工作法|工作体系|工作格局|工作机制|机制|模式|平台|制度|工程|计划|行动|体系|服务站|服务队|服务圈|微服务|中心|"
           "清单|项目|品牌|活动|标准|载体|议事室|议事厅|议事会|联席会|调解室|工作室|大讲堂|读书角|联盟|创建|评选|建设|"
           "做法|方式|架构|链条|组织架构|试点|基地|驿站|格局|政策|办法|接待日|开放日|宣讲|主题|培育|措施|改造|"
           # a named app (“柳岸e格”小程序), a meeting (“槿湖晚八点”民情恳谈会), the steps of a procedure (“…”的流程)
           "小程序|公众号|APP|App|恳谈会|座谈会|听证会|说事会|故事会|流程")
QUOTED = re.compile(r"“((?:[^“”]|“[^“”]*”){1,40}?)”")
_AFTER = re.compile(rf"^(等?[^，,；;。：:“”、（(）)\s等]{{0,7}})({_SUFFIX})")
# “红色湖湾”融合式党建, “元”动力党建: a quoted name with the kind of party building it is.
_PARTY = re.compile(r"^[^，,；;。：:“”、（(）)\s等的]{0,4}党建")
# “五星”级党组织, “5A”级书记: a quoted rating is the name of a scheme.
_RATING = re.compile(r"^级[^，,；;。]")
# “区街共管”、联查联审等制度: a quoted name in a list that ends in a method word.
_AFTER_LIST = re.compile(rf"^(?:、[^，,；;。“”、]{{1,10}})+等[^，,；;。]{{0,8}}?(?:{_SUFFIX})")
# 建立“编制周转池”, 组建“党员先锋队”, 承办“开门一件事”, 探索了“百姓议事堂”: a verb that sets up or takes on a practice.
_VERB_BEFORE = re.compile(r"(?:建立|推行|实施|启动|开展|创新|创设|推广|设立|组建|成立|建成|评选|承办|开放|探索了?|探索出|"
                          r"采取|结合|围绕|畅通|实现|开发|推出|搭建|构建|创办|开设|开通|上线|启用|制定|出台|擦亮|打响|深化|做实|"
                          r"用好|健全|完善|落实|命名为|取名为?|名为|叫作|叫做|实行|开办|纳入)$")
# 打造5分钟便民服务“红心圈”, 创建示范“温馨家园”, 整合成“一张网”: a verb that makes a named thing, a few words
# between (no preposition: 创新以“…”为内涵 is a gloss, not a name).
_MAKES_BEFORE = re.compile(r"(?:打造|建设|创建|建立|推行|实施|推广|整合成|整合为|建成)[^，,；;。：:“”、（(）)以为对向从把将在]{0,8}$")
# 以“红色新干线”提档升级为抓手, 加大“全科社工”培养力度: the quoted name is what the work is built on or stepped up.
_FRAME = (re.compile(r"以[^，,；;。：:]{0,4}$"), re.compile(r"^[^，,；;。：:“”]{0,8}?为(?:抓手|切口|载体|依托|牵引)"))
_STEP_UP = (re.compile(r"加大[^，,；;。：:]{0,4}$"), re.compile(r"^[^，,；;。：:“”]{0,6}?力度"))
_ENDS = re.compile(rf"(?:{_SUFFIX}|党建|制|室|会|榜|团|站|坊|吧|堂|队|岗|学院|小屋|书房|书屋|超市|夜校|热线|大党委|大工委|"
                   rf"[+＋][A-Za-z]+)$")
_NUMERAL_NAME = re.compile(r"^(?:[0-9]|[二三四五六七八九十两双]..)|[+＋·]|[一二三四五六七八九十两双][^一二三四五六七八九十]+[一二三四五六七八九十两双]"
                           r"|^.{2,}[一二三四五六七八九十两双]$")
_SPEECH = re.compile(r"我们|我的|[。！？!?]")
_VERB = ("建立健全|建立|健全|完善|推行|实施|创新|打造|构建|探索|深化|出台|推进|落实|实行|设立|创设推行|形成|优化|启动|开展|"
         "执行|开发|建成|组建|成立|搭建|推出|创建|开设|开办")
_NAMED = ("机制|制度|模式|工程|工作法|计划|政策|联盟|工作体系|中心|(?<![体机建编抵管控])制|议事会|议事厅|议事堂|"
          "先锋队|工作室|理事会")
# 合作开发区块链数字积分治理模式, 以党员积分管理制度考核, 全市统一的…管理制度和工资自然增长机制.
_UNQUOTED = re.compile(rf"(?:(?:{_VERB})(?:[和与及]?(?:{_VERB}))*了?|以|[^，,；;。]的)"
                       rf"((?:[^，,；;。、：:“”（()）\s的]){{2,14}}?(?:{_NAMED}))")
# 邻里守望工作法让…, 老周调解工作室: a name with a strong marker word standing at the start of a clause.
# Not a body named with its members or head (乡贤议事会成员在…, 担任村乡贤议事会会长).
_CLAUSE_NAME = re.compile(r"(?:^|(?<=[，,；;。：:！？!?\s]))([^，,；;。、：:“”（()）\s的]{2,10}?(?:工作法|工作室|议事会|议事厅|议事堂))"
                          r"(?!成员|会长|副会长|主任|委员)")
_JOINED = re.compile(rf"^[和与及、]((?:[^，,；;。、：:“”（()）\s的和与及]){{2,14}}?(?:{_NAMED}))(?=[，,；;。、和与及后等])")
# 推行红色代办服务, 推进两新党建扩容升级。: a practice put into effect, named by the rest of its clause.
_PUT_INTO_EFFECT = re.compile(r"(?:推行|推进|实施|推广)([^，,；;。：:“”‘’、（(）)\s的和与及对在把将向0-9]{3,10})(?=[，,；;。])")
# 健全县、镇(街道)、社区、党员四级联动体系, 实施区、街道、社区三级书记项目并…: named after a list; the name runs back
# from its head word.
_LISTED_HEAD = re.compile(rf"(?:{_VERB})[^，,；;。“”]{{0,30}}?[、与和及）)]([^，,；;。、：:“”（()）\s的与和及等]{{2,10}}?"
                          r"(?:机制|制度|体系|项目))(?=[，,；;。并])")
_GENERIC = set("管理 保障 工作 运行 考核 联动 服务 长效 治理 体制 工作法 管理服务 保障机制".split())
_LISTED = re.compile(rf"(?:{_VERB}|运用|推广|采取)+((?:[\u4e00-\u9fff]{{2,6}}、)+[\u4e00-\u9fff]{{2,6}})等"
                     r"[^，,；;。、]{0,4}?(?:做法|方式|举措|制度|机制|模式|品牌)")
# 构建1+N+X服务体系: a name made of numbers joined by plus signs, quoted or not.
_PLUS_NAME = re.compile(rf"(?<![0-9A-Za-z“])([0-9A-Za-z一二三四五六七八九十]+(?:[+＋][0-9A-Za-z一二三四五六七八九十]+)+)"
                        rf"([^，,；;。：:“”、（(）)\s等]{{0,7}}(?:{_SUFFIX}))?(?![=＝0-9])")
# 创作的无锡首部党建情景剧《红色一家亲》: a work an organisation made (not a document: 《实施意见》).
_WORK = re.compile(r"(?:剧|电影|短片|宣传片|读本|手册|歌曲|动漫)《([^《》]{2,20})》")
# 制定了《柳岸镇网格员履职清单》: a list or rule an organisation sets itself (not a document: 印发《实施意见》).
_OWN_RULES = re.compile(r"(?:制定|出台|印发|编制|推出|修订)了?《([^《》]{2,20}(?:清单|办法|公约|规范|指南|细则|守则|标准))》")
# “镇党委—村党组织—网格党支部—党员中心户”四级组织体系: the counted system after a quoted chain is a name too.
_COUNTED_TAIL = re.compile(r"”([一二三四五六七八九十两多][级方类层元][^，,；;。：:“”、（(）)\s]{0,6}?(?:体系|架构|网络|机制|模式))")
_NUMBERED = re.compile(r"(?:^|[。；;])\s*(?:[一二三四五六七八九十]是|（[一二三四五六七八九十]）|[一二三四五六七八九十]、|\d{1,2}[.、．]|[①-⑩])"
                       r"([^，,。；;：:]{2,30})")


def inside_quotes(line: str, pos: int) -> bool:
    return any(q.start() < pos < q.end() for q in QUOTED.finditer(line))


def inside_a_name(line: str, pos: int) -> bool:
    """Whether ``pos`` is inside a quoted name (“100+200+300”), not inside quoted speech (“…12户人家，…。”)."""
    return any(q.start() < pos < q.end() and not _SPEECH.search(q.group(1)) and not re.search(r"[，,]", q.group(1))
               for q in QUOTED.finditer(line))


def quote_continued(lines: list[str], i: int) -> str:
    """The rest of a quoted name that a paragraph break cut (创新“小哥入网 | 格”“食安…), else ""."""
    if lines[i].count("“") <= lines[i].count("”"):
        return ""
    following = next((ln for ln in lines[i + 1:i + 3] if ln.strip()), "")
    head = re.match(r"[^“”，,；;。]{1,12}”", following.strip())
    return head.group(0) if head else ""


def _good_quote(line: str, q: re.Match, heading: bool) -> bool:
    """Whether quoted ``q`` of ``line`` is a method's name (before runs and 的-names are taken into account)."""
    core, after = q.group(1), line[q.end():q.end() + 30]
    if len(core) < 2:  # “元”动力党建: a one-character quote names only with its tail
        return bool(_AFTER.match(after) or _PARTY.match(after))
    at_head = q.start() == 0 and re.match(r"^[^，,；;。]{1,5}。", after)
    return bool(_AFTER.match(after) or _PARTY.match(after) or _AFTER_LIST.match(after) or _RATING.match(after) or _ENDS.search(core)
                or _NUMERAL_NAME.search(core) or at_head
                or _VERB_BEFORE.search(line[max(0, q.start() - 4):q.start()])
                or (not heading and _MAKES_BEFORE.search(line[:q.start()]))
                or any(b.search(line[:q.start()]) and a.match(line[q.end():]) for b, a in (_FRAME, _STEP_UP)))


def _quoted_names(line: str) -> list[tuple[str, str, int]]:
    # “90后”, “00后”: a generation, not a practice.
    quoted = [q for q in QUOTED.finditer(line) if not _SPEECH.search(q.group(1)) and not re.fullmatch(r"\d0后", q.group(1))]
    # A headline (no full stop) names things by metaphor: 打造社区治理“样板间”.
    heading = "。" not in line
    good = {k for k, q in enumerate(quoted) if _good_quote(line, q, heading)}
    # “业主自愿、政府引导”的“常州模式”: what a named model says is a name too.
    for k in range(len(quoted) - 2, -1, -1):
        if k + 1 in good and line[quoted[k].end():quoted[k + 1].start()] == "的":
            good.add(k)
    # A run of quoted names (“客堂间”“院落板凳会”…等议事平台) is one list: one good name makes them all names.
    runs, run = [], [0] if quoted else []
    for k in range(1, len(quoted)):
        between = line[quoted[k - 1].end():quoted[k].start()]
        if re.fullmatch(r"[、和及与]?", between) and len(quoted[k - 1].group(1)) > 1:
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
    out = []
    for k in sorted(good):
        q = quoted[k]
        tail = _AFTER.match(line[q.end():q.end() + 14]) or _PARTY.match(line[q.end():q.end() + 14])
        name = q.group(0) + (tail.group(0) if tail and k in last_of_run else "")
        out.append((name, q.group(1) if len(q.group(1)) > 1 else name, q.start()))
    return out


def methods_in(line: str) -> list[tuple[str, str, int]]:
    """(name as written, key, column) of the methods a line names."""
    out = _quoted_names(line)
    for mt in _UNQUOTED.finditer(line):
        names = [(mt.group(1), mt.start(1))]
        end = mt.end(1)
        while joined := _JOINED.match(line[end:]):  # …管理制度和工资自然增长机制, …清单制、社区事务准入制
            names.append((joined.group(1), end + joined.start(1)))
            end += joined.end(1)
        for name, col in names:
            # A centre is a practice when it is set up (打造…社区治理创新中心), not when it is where things happen.
            if name.endswith("中心") and not re.match(r"打造|组建|建成", mt.group(0)):
                continue
            if ("“" in name or "”" in name or name[:-2] in _GENERIC
                    or len(re.sub(rf"(?:{_NAMED})$", "", name)) < 2):
                continue
            first = re.match(r"(?:全[国省市区县]|[省市区县]内)?首[家个批座]|一批|一个|一套", name)  # 打造全省首家…中心
            if first and len(name) - first.end() >= 4:
                name, col = name[first.end():], col + first.end()
            out.append((name, name, col))
    out += [(mt.group(1), mt.group(1), mt.start(1)) for mt in _CLAUSE_NAME.finditer(line)
            if not re.search(rf"{_VERB}|涌现|获评|评为|入选|[出是有让在把将被为]", mt.group(1)[:-3])]
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
    out += [(mt.group(1), mt.group(1), mt.start(1)) for mt in _WORK.finditer(line)]
    out += [(mt.group(1), mt.group(1), mt.start(1)) for mt in _OWN_RULES.finditer(line)]
    out += [(mt.group(1), mt.group(1), mt.start(1)) for mt in _COUNTED_TAIL.finditer(line)]
    out += [(mt.group(0), mt.group(1), mt.start(1)) for mt in _PLUS_NAME.finditer(line) if not inside_quotes(line, mt.start())]
    for mt in _NUMBERED.finditer(line):
        out.append((mt.group(1).strip(), mt.group(1).strip(), mt.start(1)))
    # 社区干部基本报酬及正常增长机制 is one name: its tail found again on its own is not another.
    keys = {key for _, key, _ in out}
    return [o for o in out if not any(k != o[1] and k.endswith(o[1]) for k in keys)]
