"""The people a line of a newspaper article names, with their posts (for ``casebook source check``).

A person is a name next to a post: after it (村党总支书记束长明说,
网格员张小红、李大海和…, 担任负责人的郝思远), before it (李春生，东湖社区党委书记，…;
王芳是东湖社区的网格员), or, in a picture caption, a name after a post
followed by what the person does (区委书记某某赴…, 某某和居民…). Also: bylines and credits, speakers,
the person a reporter meets (记者见到了…某某。), and transliterated names with a middle dot (牧民某某·某某说).

Where a name ends is the hard part: 网格员贺明白天… (明白, 白天 are words).
Three things decide it, in this order: a name the article gives elsewhere
as a speaker (…。”贺明说。), jieba's part-of-speech tagger (``nr``: 楼栋长陈平安排…
is 陈平), and the characters that may follow a name.
"""

from __future__ import annotations

import logging
import re
from functools import lru_cache

import jieba

from .intake import CAPTION_MARK

_SURNAMES = (
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范"
    "金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤常温康施文牛樊葛邢安齐易乔伍庞颜倪"
    "庄聂章鲁岳翟殷詹申欧耿关兰焦俞左柳甘祝包宁尚符舒阮柯纪梅童凌毕单季裴霍涂成苗谷盛曲翁冉骆蓝路游辛靳管柴蒙鲍华喻祁蒲房"
    "滕屈饶解牟艾尤阳时穆农司卓古吉缪简车项连芦麦褚娄窦戚岑景党宫费卜冷晏席卫米柏宗瞿桂全佟应臧闵苟邬边卞姬师和仇栾隋商刁"
    "沙荣巫寇桑郎甄丛仲虞敖巩明佘池查麻苑迟邝束"
    # The rest of the Hundred Family Surnames still in use, less those that mostly begin a word after a post
    # (劳动, 扶贫, 丰富, 惠及, 怀着…): a name's surname is as often rare as common (蔺刚, 宓川, 荀立新).
    "傅洪赖阎奚昌酆廉皮湛禹狄贝茅郁裘昝嵇钮荀羊於芮羿储汲邴糜隗宓蓬郗伊钭戎韶郜蓟邰鄂蔺屠胥闻莘贡逄堵郦雍璩濮"
    "扈燕冀郏浦慕茹宦庾暨匡阙殳蔚夔晁訾阚乜鞠蒯荆竺逯桓杭练粟揭班萧"
    # and those whose words after a post are all dictionary words, which never read as names (幸福, 井盖, 宣传,
    # 权益, 满意, 厉害, 祖国, 封闭): 村民幸丽娟, 老党员井玉山
    "井幸宣权满厉祖封凤伏贲弓戈巢").replace("和", "")  # 和 after a post is 'and'
_COMPOUND = ("欧阳", "司马", "上官", "诸葛", "皇甫", "尉迟", "公孙", "慕容", "令狐", "夏侯", "端木", "司徒", "宇文",
             "澹台", "长孙", "独孤", "南宫", "呼延", "钟离", "东方", "闻人", "万俟", "太史", "申屠", "公冶", "宗政",
             "濮阳", "淳于", "单于", "赫连", "司空", "鲜于", "闾丘", "轩辕", "拓跋", "公羊", "仲孙", "颛孙", "左丘")
SURNAME = f"(?:{'|'.join(_COMPOUND)}|[{''.join(sorted(set(_SURNAMES)))}])"
_POSTS = ("党总支书记|党委书记|党支部书记|支部书记|书记|村支书|支书|副主任|主任|副部长|部长|局长|处长|科长|股长|主席|站长|"
          "所长|院长|校长|队长|组长|镇长|乡长|县长|区长|市长|村长|负责人|工作人员|工作者|网格员|网格长|楼栋长|调解员|"
          "传承人|传人|医生|村医|护士长|护士|律师|法官|快递员|外卖员|骑手|党代表|人大代表|联络员|指导员|信息员|宣讲员|讲解员|"
          "店主|老板|教师|教授|专家|干部|专员|干事|队员|义工|村官|乡贤|社工|村民|居民|党员|志愿者|老师傅|老师|民警|辅警|委员|"
          "专干|楼长|楼道长|楼组长|单元长|栋长|片长|街长|巷长|河长|会长|理事长|经理|店长|厂长|董事长|创始人|代表|顾问|"
          "咨询师|工程师|设计师|规划师|管家|小哥|军人|老兵|创业者|业主|商户|保安|保洁员|主播|好人”|班长|社长|馆长|园长|"
          "团长|庭长|行长|主管|总监|会计|司机|厨师|师傅|技师|匠人|手艺人|企业家|艺术家|作家|书法家|画家|老人|学生|"
          "大户|种植户|养殖户|农户|院士|博士|"
          # an enterprise's or an association's post, and people known by what they are (返乡青年, 致富带头人)
          "秘书长|秘书|董事|监事|理事|总裁|合伙人|出纳|带头人|当家人|能人|青年|农民工|农民|牧民|渔民|市民|住户|租户|"
          # an assistant, staff and workers (村主任助理, 务工人员, 企业职工; not 员工: 党员工程师), a newly-wed
          # couple, a parent, and whoever leads or started something (牵头人, 召集人)
          "助理|人员|职工|工人|新人|新郎|新娘|家长|老板娘|牵头人|召集人|发起人|联系人|主理人|经营者|"
          "(?<!一)员")  # any 某某员 is a post (研究员, 管理员; not 其中一员): the last alternative, so longer posts match first
# 担任负责人的郝思远; 村民、68岁的邬秋菊, 75岁的吕桂兰, 家住桃叶坊的戚晓梅 (a resident's age or home before the
# name, with or without a post: 的 there is no possessive).
_PERSON = re.compile(rf"(?:{_POSTS})(、\d{{1,3}}岁)?的?(?={SURNAME})|(?<![\d.])(\d{{1,3}}岁)的(?={SURNAME})"
                     rf"|(家住[^，,。；;：:]{{2,12}}?)的(?={SURNAME})")
# 张晓红，南岭社区党委书记，…; 李春生（退休教师）; 王芳是东湖社区的网格员: a name standing alone in its clause,
# its post after it.
# 返乡创业的柯振东是绿禾果蔬专业合作社负责人; 鲍志勇是“北湖管家”望湖苑项目的项目经理.
# After a quote or 是 too: …”卜长贵（苔岭村退休教师）是…; 说这话的是付晓岚，禾埠镇社会事务办主任，….
_NAME_THEN_POST = re.compile(rf"(?:^|(?<=[，,。；;：:“”（(\s的是]))({SURNAME}[\u4e00-\u9fff]{{1,2}})"
                             rf"(?:[（(，,]|是)([^（()），,。；;]{{0,20}}(?:{_POSTS}|(?<!\d)\d{{1,3}}岁))(?=[）)，,。；;])")
# 社区的李明书记说: a name right before its post, after 的 or a mark.
_NAME_POST = re.compile(rf"(?:^|(?<=[，,。；;：:“（(\s的]))({SURNAME}[\u4e00-\u9fff]{{1,2}}?)({_POSTS})(?=[说表介告坦就在等、，,。：:（(和与也还])")
_AFTER_NAME = set("说表介告坦就曾正便回在等、，,。：:（(如带领指认谈的也还笑和与都又已是对向给把每今去从多经被现作负总当一早刚自主亲牵先不"
                  "则却"  # 种粮大户某某则把…, 某某却…: a conjunction that turns to what this person does
                  "）)；;！？!?”"  # and the first characters of what a person does next (组织, 走访, 强调, 觉得, 平时…)
                  "组参走提强希透感记觉通拿看站坐住来发听积率逐挨始仍依特很更非深解翻接打") | {""}  # "": line end
_LIST_END = re.escape("".join(sorted(_AFTER_NAME | set("一"))))
# A picture caption says what the person does (区委书记某某赴…, 某某和居民…, 某某看望…), not what they said.
_CAPTION_AFTER = _AFTER_NAME | set("赴到来为走看慰查调检参出主讲入上陪")
# A third character that is more likely the next word than part of the name (书记陈岗说：, 网格员王芳也…).
_NOT_LAST = set("说表介告坦就曾在等如带领认谈的也还笑和与都又已是到赴对向给把每今去从多经被现作负总当一早刚自主亲牵先不则却")
_SPEECH = set("说表介告坦谈")
# After a compound surname the given name is mostly two characters (欧阳志刚介绍): only a function word ends it at one.
_FUNCTION_NEXT = set("说表介告坦谈就曾在等如也还和与都又已是到赴对向给把被的从每今去")  # 束长明说: 明说 is a word, but 说 here is what the person does
# …”贺明说。 / …。欧阳志刚介绍，: a name that says something, between a mark and the verb.
# A paragraph may open with one (晏清和表示，…), and more verbs say it (告诉记者, 认为, 坦言).
_SPEAKER = re.compile(rf"(?:^\s*|(?<=[”。！？!?，,的]))({SURNAME}[\u4e00-\u9fff]{{1,2}}?)"
                      r"(?:说|表示|介绍|告诉记者|认为|坦言|笑着说|说道|直言|感慨|感叹|回忆|补充说)(?=[，,。：:])", re.M)
# A byline or a picture credit: names between spaces after the post (本报记者　岑若溪　通讯员　皇甫秋实　朱琳),
# or before 摄 (…事宜。司马文涛　摄). The spaces end each name.
# In brackets at the end of the article ((通讯员　潘某　翟某)) the bracket ends the last name; 摄 right after a name
# (通讯员　葛某某摄) is the credit, never part of it.
_BYLINE = re.compile(rf"((?:本报|特约)?记者|通讯员|摄影记者|摄影|实习生)"
                     rf"((?:[ \t　]+{SURNAME}[\u4e00-\u9fff]{{1,2}}?(?=[ \t　）)摄]|$))+)")
_CREDIT = re.compile(rf"(?:^|(?<=[。！？!?〕 \t　]))({SURNAME}[\u4e00-\u9fff]{{1,2}})[ \t　]+摄$")
# 〔图片说明〕图为孔祥林（左二）与村民交流: where a person stands in the picture marks a name.
_IN_PICTURE = re.compile(rf"(?:^|(?<=[，,。；;：:“”、\s和与为〕]))({SURNAME}[\u4e00-\u9fff]{{1,2}})"
                         r"[（(](?:左|右|中|前排|后排)[一二三四五六七八九]?[）)]")
# 一位名叫王大山的老党员: the name a person is called by, the post after it.
_CALLED = re.compile(rf"(?:名叫|叫做)({SURNAME}[\u4e00-\u9fff]{{1,2}}?)的([^，,。；;]{{0,10}}?(?:{_POSTS}))(?=[，,。；;]|$)")
# 她叫尉迟芳，是社区的网格员。他叫钱大有，今年56岁。: a name, then a post or an age in the next clause (not 他叫车回家).
_NAMED = re.compile(rf"(?:(?<=[她他我])叫|名叫|叫做)({SURNAME}[\u4e00-\u9fff]{{1,2}})(?=[，,。；;])")
_NAMED_POST = re.compile(rf"[，,](?:是|现任|担任|今年)?([^，,。；;]{{0,20}}?(?:{_POSTS}|(?<!\d)\d{{1,3}}岁))(?=[，,。；;]|$)")
# 记者见到了返乡创业的青年某某。: the reporter meets someone, and the clause ends with the name, with or without a post;
# or it says when (记者见到某某时，他正在…; …的时候): 时 then ends the name.
_MET_VERB = r"(?:(?:记者|笔者)[^，,。；;！？!?“”]{0,10}?(?:见到|遇到|碰到|找到|采访|结识|拜访)了?|(?:见到|遇到|碰到|结识|拜访)了)"
_MET = re.compile(rf"{_MET_VERB}([^，,。；;！？!?“”（()）]{{2,30}}?)(?:的?时候|时)?(?=[，,。；;！？!?（(]|$)")
# 邝志远、龚秀兰等5名老党员: names listed before 等 and the post they share (张村、李庄等村的党员: places).
_LISTED_BEFORE = re.compile(rf"(?:^|(?<=[，,。；;：:“”（(\s]))"
                            rf"((?:{SURNAME}[\u4e00-\u9fff]{{1,2}}、)+{SURNAME}[\u4e00-\u9fff]{{1,2}})"
                            rf"等((?:\d+|[两三四五六七八九十几多]+)?[名位]?[^，,。；;、的]{{0,6}}?(?:{_POSTS}))")
# 牧民阿依古丽·吐尔逊说: a transliterated name, its parts joined by a middle dot. It begins after a post, 的 or
# 是 (or at a mark when the person speaks) and ends before what the person does.
_DOT = "·・•"
_DOTTED = re.compile(rf"[\u4e00-\u9fff]{{1,14}}(?:[{_DOT}][\u4e00-\u9fff]{{1,10}})+")
_DOTTED_END = set("说表介告坦谈认就在等也还和与都又已是对向给把的从被正曾便带领笑")
_PLACE_END = set("村镇区县市乡街巷苑园湖庄")  # 芦湾村党支部书记: a place before a post, not a name
_CAPTION_LIKE = re.compile(r"^[^。！？!?]{4,60}[。]?$")
# Everyday words that start with a surname and may follow a post word (党员管理, 居民安全): never names.
_NOT_NAMES = set("管理 安全 文明 方便 全面 常态 明确 应急 高度 时间 关心 包括 严格 齐心 成为 和谐 向上 党建 党性 党组织 "
                 "服务 代表 参与 教育 监督 宣传 骨干 力量 队伍 群众 马上 高兴 全部 全体 周边 周末 成员 单位 常年 常住 "
                 "党委 党总 党支 村委 居委 全市 全区 全县 全镇 全村".split())


def is_caption(line: str) -> bool:
    """A marked picture caption, or what reads like one in a copied page: a short paragraph of one sentence."""
    return line.startswith(CAPTION_MARK) or (not line.startswith("#") and bool(_CAPTION_LIKE.match(line.strip())))


@lru_cache(maxsize=1)
def _dictionary() -> tuple[frozenset[str], frozenset[str], frozenset[str]]:
    """From jieba's dictionary: everyday words that begin with a surname (关爱, 商量, 陆续; not names like 王建国),
    every two-character word (针对: in 胡霞针对…, 针 begins the next word), and the verbs of one or two characters
    (管, 生产: 小组长管生产 is what the leader does).

    Read from the part-of-speech tagger's word table, which jieba builds from that dictionary when the tagger is
    imported: the tagger needs it anyway, and reading the file a second time cost about 0.4 s a check.
    """
    import jieba.posseg

    tags = jieba.posseg.dt.word_tag_tab
    everyday = {w for w, tag in tags.items() if 2 <= len(w) <= 3 and w[0] in SURNAME and not tag.startswith("nr")}
    verbs = frozenset(w for w, tag in tags.items() if len(w) <= 2 and tag in ("v", "vn"))
    return frozenset(everyday), frozenset(w for w in tags if len(w) == 2), verbs


def _words() -> frozenset[str]:
    return _dictionary()[0]


def _given(text: str) -> int:
    """How many characters of ``text`` its surname takes (欧阳志刚: 2)."""
    return 2 if text[:2] in _COMPOUND else 1


def _a_name(text: str) -> bool:
    n = _given(text)
    return (n + 1 <= len(text) <= n + 2 and re.fullmatch(rf"{SURNAME}[\u4e00-\u9fff]+", text) is not None
            and text not in _NOT_NAMES and text[:2] not in _NOT_NAMES and text not in _words()
            and (n == 2 or text[:2] not in _words()) and not re.search(_POSTS, text)
            and text[-1] != "副"  # 王副主任, 欧阳副书记: a surname and a post, a later mention
            and not re.match(r"说|表示|介绍|告诉", text[n:])  # 部长闻人说: the surname alone, then what was said
            # 网格员管上报: a verb (管) and its object verb (上报) read as a surname and a given name
            and not (n == 1 and len(text) == 3 and text[0] in _dictionary()[2] and text[1:] in _dictionary()[2]))


def speakers(text: str) -> frozenset[str]:
    """The names an article gives as speakers (…”贺明说。): where they stand after a post, the name ends there."""
    return frozenset(mt.group(1) for mt in _SPEAKER.finditer(text)
                     if mt.group(1) not in _words() and mt.group(1) not in _NOT_NAMES
                     and not re.search(_POSTS, mt.group(1)))


def _tagged_names(line: str) -> dict[int, str]:
    """Where jieba's part-of-speech tagger sees a person's name (``nr``) in ``line``: column → name."""
    import jieba.posseg  # loads the tagger's model (about half a second) only when people are looked for

    jieba.setLogLevel(logging.WARNING)  # no "Building prefix dict" lines in what the editor sees
    out, col = {}, 0
    for pair in jieba.posseg.cut(line):
        # A two-character dictionary word tagged nr is as often a thing (贺卡, 汤圆) as a name: the tagger's own
        # finds (陈平, 葛秋云: not in the dictionary) and longer dictionary names (王建国) count.
        if pair.flag.startswith("nr") and _a_name(pair.word) and pair.word not in _dictionary()[1]:
            out[col] = pair.word
        col += len(pair.word)
    return out


def _name_at(line: str, start: int, after: set[str], known: frozenset[str], tagged) -> str | None:
    """The name that starts at ``start`` (right after a post): one the article gives as a speaker, else the one
    jieba's tagger sees there, else one followed by a character in ``after``."""
    spoken = [k for k in known if line.startswith(k, start)]
    if spoken:
        return max(spoken, key=len)
    if start in tagged():
        return tagged()[start]
    n = _given(line[start:start + 2])
    three, follow = line[start:start + n + 2], line[start + n + 2:start + n + 3]
    two, third = three[:n + 1], three[n + 1:]
    three_ok = _a_name(three) and follow in after
    two_ok = _a_name(two) and third in after
    if three_ok and n == 2 and third not in _FUNCTION_NEXT:
        return three  # 主任欧阳志刚介绍 (刚 may begin the next word after a one-character surname, not here)
    if three_ok and _a_name(two) and third + follow in _dictionary()[1] and follow not in _SPEECH:
        return two  # 网格员胡霞针对…: 针 begins the next word (but 束长明说: 说 is what 束长明 does)
    if three_ok and not (_a_name(two) and third in _NOT_LAST):  # 书记陈岗说： is 陈岗 saying, not 陈岗说
        return three
    return two if two_ok else None


def _clause_start(line: str, col: int) -> int:
    """Where the clause holding column ``col`` begins: after the last mark before it (a role is read from there)."""
    return max((x.end() for x in re.finditer(r"[，,；;。：:！？”“（(—]", line[:col])), default=0)


def _name_ending(line: str, end: int, tagged) -> str | None:
    """The name that ends at ``end`` (a clause's end): the tagger's, else the longest that reads as a name (a post
    right before a name has been read by then: 老师傅王刚 gives 王刚 as a name after a post)."""
    for col, word in tagged().items():
        if col + len(word) == end:
            return word
    fits = [line[end - n:end] for n in (4, 3, 2) if end - n >= 0 and _a_name(line[end - n:end])]
    return next((f for f in fits if len(f) - _given(f) in (1, 2) and not (len(f) == 4 and _given(f) == 1)), None)


def _dotted(line: str) -> list[tuple[str, str, int]]:
    """(name, role, column) of the transliterated names with a middle dot (村医热依汗·买买提说) in ``line``."""
    out = []
    for mt in _DOTTED.finditer(line):
        parts = re.split(f"[{_DOT}]", mt.group(0))
        # Where the name begins: after the last post, 的 or 是 in the first part (which keeps a character or more);
        # with none, where the match begins, and then only a speaker (…。”某某·某某说) is a name.
        cut = max([m.end() for m in re.finditer(rf"(?:{_POSTS})|的|是|名叫|叫", parts[0]) if m.end() < len(parts[0])],
                  default=0)
        # Where it ends: before what the person does (说, 介绍, 在…), the last part keeping two characters or more.
        last = parts[-1]
        last = last[:next((i for i in range(2, len(last)) if last[i] in _DOTTED_END), len(last))]
        parts = [parts[0][cut:], *parts[1:-1], last]
        name = line[mt.start() + cut:mt.start() + cut + sum(map(len, parts)) + len(parts) - 1]
        if not 2 <= len(parts[0]) <= 7 or any(re.search(_POSTS, p) for p in parts):  # 村民代表·党员某某: posts
            continue
        opens = mt.start() == 0 or line[mt.start() - 1] in "，,。；;：:“”（(、 \t　"
        spoken = re.match(r"说|表示|介绍|告诉|认为|坦言|笑着说", line[mt.start() + cut + len(name):])
        if cut or (opens and spoken):
            left = _clause_start(line, mt.start())
            role = (line[left:mt.start()] + mt.group(0)[:cut]).removesuffix("的").removesuffix("是")
            out.append((name, role, mt.start() + cut))
    return out


def people_in(line: str, caption: bool = False, known: frozenset[str] = frozenset(),
              tagger: bool = True) -> list[tuple[str, str, int]]:
    """(name, role, column) of the people a line names next to their post (in a caption, next to what they do).

    ``known``: the article's speakers (:func:`speakers`); ``tagger``: ask jieba's part-of-speech tagger where a name
    ends (off only to measure what it adds).
    """
    after = _CAPTION_AFTER if caption else _AFTER_NAME
    out: list[tuple[str, str, int]] = []
    tagged = lru_cache(maxsize=1)(lambda: _tagged_names(line) if tagger else {})  # only where no speaker decides
    for mt in _PERSON.finditer(line):
        start = mt.end()
        # After 的 (负责人的郝思远) only a speaker or the tagger's name: 志愿者的贺卡 is no person.
        aged = mt.group(1) or mt.group(2) or mt.group(3)
        name = _name_at(line, start, set() if mt.group(0).endswith("的") and not aged else after, known, tagged)
        if name is None:
            continue
        left = _clause_start(line, mt.start())
        # 理事长滕大海、副理事长冯小川: the second person's role begins after the first person's name
        left = max([left] + [c + len(n) + 1 for n, _, c in out if left <= c < mt.start()])
        role = re.sub(rf"^(?:{CAPTION_MARK})?(?:图为|图：|图:)?(?:{_MET_VERB})?", "",
                      line[left:start].strip()).removesuffix("的")
        if role.endswith("好人”"):
            opening = line.rfind("“", 0, start)
            role = line[opening:start] if opening >= 0 else role
        names = [(name, start)]
        # 网格员张小红、李大海和王芳: every name of a list after one post (党员、群众 is not a list of names).
        pos = start + len(name)
        while ((nxt := re.match(rf"[、和与及]({SURNAME}[\u4e00-\u9fff]{{1,2}}?)(?=[{_LIST_END}])", line[pos:]))
               and _a_name(nxt.group(1))):
            names.append((nxt.group(1), pos + 1))
            pos += nxt.end()
        # A name and 、 after a post is a list of words (not a name) unless another post and name follow the 、
        # (理事长滕大海、副理事长冯小川).
        post_next = re.match(rf"、[^，,。；;、]{{0,12}}?(?:{_POSTS})(?={SURNAME})", line[pos:])
        if len(names) > 1 or line[start + len(name):start + len(name) + 1] != "、" or line[pos:pos + 2] == "、“" \
                or post_next:
            out += [(n, role, col) for n, col in names]
    for mt in list(_NAME_THEN_POST.finditer(line)) + list(_NAME_POST.finditer(line)) + list(_CALLED.finditer(line)):
        name = mt.group(1)
        if _a_name(name) and name[-1] not in _PLACE_END and name not in {n for n, _, _ in out}:
            out.append((name, mt.group(2), mt.start(1)))
    for mt in _NAMED.finditer(line):
        post = _NAMED_POST.match(line, mt.end())
        if post and _a_name(mt.group(1)) and mt.group(1) not in {n for n, _, _ in out}:
            out.append((mt.group(1), post.group(1), mt.start(1)))
    for mt in _LISTED_BEFORE.finditer(line):
        names = mt.group(1).split("、")
        if all(_a_name(n) and n[-1] not in _PLACE_END for n in names):  # 黄豆、红豆等种植户: words, not names
            col = mt.start(1)
            for n in names:
                if n not in {x for x, _, _ in out}:
                    out.append((n, re.sub(r"^(?:\d+|[两三四五六七八九十几多]+)[名位个]", "", mt.group(2)), col))
                col += len(n) + 1
    for mt in _MET.finditer(line):
        name = _name_ending(line, mt.end(1), tagged)
        if name and name not in {n for n, _, _ in out}:
            out.append((name, line[mt.start(1):mt.end(1) - len(name)].removesuffix("的"), mt.end(1) - len(name)))
    out += [p for p in _dotted(line) if p[0] not in {n for n, _, _ in out}]
    credits = [(nm.group(0), mt.group(1), mt.start(2) + nm.start()) for mt in _BYLINE.finditer(line)
               for nm in re.finditer(r"[^ \t　]+", mt.group(2))]
    credits += [(mt.group(1), "摄影", mt.start(1)) for mt in _CREDIT.finditer(line.rstrip())]
    credits += [(mt.group(1), "", mt.start(1)) for mt in _IN_PICTURE.finditer(line)]
    out += [(name, role, col) for name, role, col in credits if _a_name(name) and name not in {n for n, _, _ in out}]
    return out
