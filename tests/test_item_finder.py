"""Issue 25, item finder round 5: how Chinese reports introduce people, name practices and give figures.

Each case is a small text, the keys ``source check`` must list for it, and a near miss in the same shape with the
keys it must not list. The rules are general (how reports write), learnt on the development articles only.
"""

from __future__ import annotations

import pytest

from build_tools.source_items import find_items


def keys(text: str, kind: str) -> list[str]:
    return [it.key for it in find_items(text) if it.kind == kind]


# kind, text, wanted keys, near miss, keys the near miss must not give
CASES = {
    # People.
    "rare-surnames": ("person", "区委组织部副部长蔺刚说，研究员宓川认为，部长荀立新介绍。", ["蔺刚", "宓川", "荀立新"],
                      "网格员劳动了一天，志愿者扶着老人。", ["劳动", "扶着"]),
    "more-compound-surnames": ("person", "组织部部长闻人雅丽说，律师淳于晓峰也来了。", ["闻人雅丽", "淳于晓峰"],
                               "组织部部长闻人说，", ["闻人说"]),
    "any-yuan-is-a-post": ("person", "积分超市管理员覃小燕说，值班长钟离雪是个年轻人。", ["覃小燕", "钟离雪"],
                           "18名党员常态化服务，陈岗便是其中一员。", ["陈岗便"]),
    "age-before-name": ("person", "村民、68岁的邬秋菊深有体会，75岁的吕桂兰就是受益者。", ["邬秋菊", "吕桂兰"],
                        "60岁的高龄老人和80岁以上老人都来了。", ["高龄"]),
    "name-then-post-after-quote-or-shi": (
        "person", "“一杯茶喝下去。”卜长贵（苔岭村退休教师）是老面孔。说这话的是付晓岚，禾埠镇社会事务办主任，也是牵头人。",
        ["卜长贵", "付晓岚"], "说这话的是干部，禾埠镇社会事务办主任，也是牵头人。", ["干部"]),
    "speaker-opens-a-paragraph": ("person", "处长晏清和告诉记者。\n\n　　晏清和表示，下一步要做好三件事。", ["晏清和"],
                                  "处长晏清和告诉记者。\n\n他表示，下一步要做好三件事。", ["晏清和"]),
    "speaker-without-post": ("person", "“家乡请我回来，是要我出主意。”上官明远说。", ["上官明远"],
                             "“家乡请我回来，是要我出主意。”大家说。", ["大家"]),
    "speaker-after-comma": ("person", "路修好了，贺建东说，这下方便了。", ["贺建东"],
                            "路修好了，简单说，这下方便了。", ["简单"]),
    "byline-and-credit": ("person", "澜江日报　本报记者　岑若溪　通讯员　司马文涛　朱琳\n\n〔图片说明〕村民商量修渠。贺文涛　摄",
                          ["岑若溪", "司马文涛", "朱琳", "贺文涛"], "本报记者　从会上获悉，修渠方案已定。", ["从会上"]),
    "surname-and-post-is-a-later-mention": ("person", "社区的赵明书记说，好。", ["赵明"],
                                            "社区的王副主任说，欧阳副书记也说，好。", ["王副", "欧阳副"]),
    "more-posts": ("person", "企业家魏明远回村办厂，独居老人陈阿婆每天都来。", ["魏明远", "陈阿婆"],
                   "企业家回村办厂，老人们每天都来。", []),
    "called-by-name": ("person", "村里有位名叫王大山的老党员。", ["王大山"], "村里有位名叫王大山的人。", ["王大山"]),
    "verb-and-object-are-no-name": ("person", "网格员郑远航说，好。", ["郑远航"],
                                    "小组长管生产，网格员管上报，各管一摊。", ["管生产", "管上报"]),
    "home-before-name": ("person", "家住东湖小区的王秀英每天都来。", ["王秀英"],
                         "家住东湖小区的居民都来了。", ["居民"]),
    "place-in-the-picture": ("person", "〔图片说明〕图为孔祥林（左二）与村民交流。", ["孔祥林"],
                             "〔图片说明〕村民（左）在田间。", ["村民"]),
    # People, round 6 (issue 25): enterprise and association posts, people known by what they are, rarer surnames.
    "association-posts": ("person", "协会秘书长滕思远介绍，合作社理事殷长河也在场。", ["滕思远", "殷长河"],
                          "协会秘书长介绍，理事会开了会。", ["理事会"]),
    "surnames-ban-and-xiao": ("person", "工程师班晓宁说，副主任萧国栋介绍。", ["班晓宁", "萧国栋"],
                              "党员干部班子成员说，居民萧条的日子过去了。", ["班子", "萧条"]),
    "youth-back-home": ("person", "返乡青年鲁一川在村里办起了网店。", ["鲁一川"], "返乡青年在村里办起了网店。", ["在村"]),
    "old-master-before-name": ("person", "老师傅冷铁生说，好。", ["冷铁生"], "老师傅说，好。", ["傅说"]),
    "ze-que-after-name": ("person", "种粮大户庞守田则把地交给了合作社，村民沈玉却不肯。", ["庞守田", "沈玉"],
                          "种粮大户则把地交给了合作社。", ["则把"]),
    "byline-in-brackets-and-credit-without-space": (
        "person", "（通讯员　苗若川　宁一舟）\n\n〔图片说明〕村民在晒谷。通讯员　甘晓溪摄", ["苗若川", "宁一舟", "甘晓溪"],
        "（通讯员　供稿）", ["供稿"]),
    "met-by-the-reporter": ("person", "在果园里，记者见到了正在剪枝的樊绍安。", ["樊绍安"],
                            "记者见到了成效，也找到了方向，采访了当地干部。", ["成效", "方向", "当地"]),
    "middle-dot-names": ("person", "“草场分好了。”牧民巴特尔·朝鲁说。村医热依汗·买买提介绍，村里有了卫生室。",
                         ["巴特尔·朝鲁", "热依汗·买买提"], "开展“党建·治理”活动，“红色·家园”很热闹。", ["党建", "红色"]),
    "more-speech-verbs": ("person", "“修路的钱是大家凑的。”邝志成感慨。", ["邝志成"], "“要抓落实。”文件指出，", ["文件"]),
    # People, round 7 (issue 25): surnames whose words are all in the dictionary, more people known by what they are,
    # 记者见到某某时, names listed before 等 and their post.
    "surnames-that-begin-dictionary-words": ("person", "退休教师井秋实说，村民幸春梅也来了，网格员宣晓东在场。",
                                             ["井秋实", "幸春梅", "宣晓东"],
                                             "村民幸福感提升，网格员宣传政策，居民满意，党员权益有保障。",
                                             ["幸福", "宣传", "满意", "权益"]),
    "assistant-newly-wed-staff": ("person", "村主任助理柏青禾介绍，新郎邰明川说，企业职工祝永康也在，护士长雷小雨笑了。",
                                  ["柏青禾", "邰明川", "祝永康", "雷小雨"],
                                  "务工人员安排妥当，新人新事多，工人文化宫里很热闹。", ["安排", "新事", "文化"]),
    "met-when": ("person", "记者见到蓝守义时，他正在修水渠。记者找到苏明亮的时候，天已经黑了。", ["蓝守义", "苏明亮"],
                 "记者见到蓝守义时，他正在修水渠。", ["义时", "守义时"]),
    "names-listed-before-their-post": ("person", "邝志远、龚秀兰等5名老党员组成巡逻队。", ["邝志远", "龚秀兰"],
                                       "张村、李庄等村的党员都来了，黄豆、红豆等种植户也来了。", ["张村", "李庄", "黄豆"]),
    "called-by-name-then-post-or-age": ("person", "她叫尉迟芳，是社区的网格员。他叫钱大有，今年56岁。", ["尉迟芳", "钱大有"],
                                        "他叫车回家，她叫齐人手，天黑了。", ["车回家", "齐人手"]),
    "post-and-name-twice": ("person", "合作社理事长滕大海、副理事长冯小川带头入股。", ["滕大海", "冯小川"],
                            "网格员金晖、银杏树都种下了。", ["金晖"]),
    # Methods.
    "app-meeting-procedure": ("method", "随手上传到“北湖随手拍”小程序；举办“槿湖晚八点”民情恳谈会；按照“居民提事、网格议事”的流程办。",
                              ["北湖随手拍", "槿湖晚八点", "居民提事、网格议事"], "大家在“朋友圈”里说，“老街”变样了。",
                              ["朋友圈", "老街"]),
    "verbs-that-take-on-a-practice": ("method", "实行“先尝后买”：先免费服务。开办“骑手夜校”，把乡贤纳入“乡贤智库”。",
                                      ["先尝后买", "骑手夜校", "乡贤智库"], "走进“老街”，看到“新气象”。", ["老街", "新气象"]),
    "named-rooms-and-shops": ("method", "社区的“湖畔小书房”很热闹，荷叶社区的“红色积分超市”里有毛巾。",
                              ["湖畔小书房", "红色积分超市"], "社区的“老地方”很热闹。", ["老地方"]),
    "own-rules-in-title-marks": ("method", "镇里制定了《柳岸镇网格员履职清单》。", ["柳岸镇网格员履职清单"],
                                 "县里印发《实施意见》。", ["实施意见"]),
    "counted-system-after-a-chain": ("method", "构建“镇党委—村党组织—网格党支部”三级组织体系。", ["三级组织体系"],
                                     "“镇党委”三个字很醒目。", ["三个字"]),
    "a-generation-is-no-practice": ("method", "组建“银发先锋队”。", ["银发先锋队"], "值班长是个“90后”。", ["90后"]),
    "a-body-with-members-is-no-practice": ("method", "邻里守望工作法让小区变了样。", ["邻里守望工作法"],
                                           "乡贤议事会成员在村口商议，他担任村乡贤议事会会长。", ["乡贤议事会", "村乡贤议事会"]),
    # Figures.
    "figures-in-quoted-speech": ("figure", "“同一个单元12户人家，想法不一样，”谭立新说。", ["12户"],
                                 "推行“100户”工程。", ["100户"]),
    "days-lessons-pairs": ("figure", "开设课程96节，已结对186对，7日内给予答复。", ["96节", "186对", "7日"],
                           "10月16日召开，1对1帮扶。", ["16日", "1对"]),
    "shares-and-ratios-in-chinese-numerals": ("figure", "年轻党员占四成以上，纠纷下降了三成左右，收入增长了近一倍。",
                                              ["占四成以上", "三成左右", "近一倍"],
                                              "治理没有一成不变的办法，他八成是忘了。", ["一成", "八成"]),
    # Money and counts in Chinese numerals (issue 25, round 7): exact, ranges (二三十, 三四) and 来/几/多/余.
    "money-in-chinese-numerals": ("figure", "彩礼动辄二三十万元，少则三四万元，多则十来万元，修路花了两万多元。",
                                  ["二三十万元", "三四万元", "十来万元", "两万多元"],
                                  "一是省下一元钱，几万元不算多。", ["一元", "几万元"]),
    "counts-in-chinese-numerals": ("figure", "抓了四项工作，两名成员三次上门，十来个人，十几条意见，三百五十户，近两千人。",
                                   ["四项", "两名", "三次", "十来个", "十几条", "三百五十户", "近两千人"],
                                   "一是村两委成员，建好三级网格，第三个网格，开展了一次走访，织密一张网。",
                                   ["一是", "两委", "三级", "三个", "一次", "一张"]),
    "chinese-numerals-that-count-nothing": (
        "figure", "两家企业结对。", ["两家"],
        "每月坐班两次，二次供水，三番五次，千家万户，三位一体，用了三个月，“优秀、合格”四类党支部，最后两家各退半步。",
        ["两次", "二次", "五次", "千家", "三位", "三个", "四类", "两家"]),
    "chapters-of-rules": ("figure", "新公约分为6章28条。", ["6章", "28条"], "第3章讲的是议事。", ["3章"]),
    "ten-thousands-before-a-mark": ("figure", "户籍人口近62万，其中在外务工的有14万余人。", ["62万"],
                                    "第3万名志愿者。", ["3万"]),
}


@pytest.mark.parametrize("case", CASES, ids=list(CASES))
def test_the_finder_reads_how_reports_write(case):
    kind, text, wanted, near, absent = CASES[case]
    found = keys(text, kind)
    for want in wanted:
        assert want in found, (want, found)
    missed = keys(near, kind)
    assert not [a for a in absent if any(a in k for k in missed)], missed


# Where a name ends when neither a speaker nor jieba's tagger decides (the tagger is off here): the end of the line,
# a closing mark, or the first character of what the person does next.
AFTER_THE_NAME = (
    ("——访红星村党支部书记金晖", ["金晖"]),
    ("村党支部书记金晖组织党员清理河道。", ["金晖"]),
    ("网格员金晖强调，安全第一。", ["金晖"]),
    ("（网格员金晖）", ["金晖"]),
    ("网格员金晖灿烂", []),  # near miss: nothing a person does follows 金晖 or 金晖灿
    ("种粮大户庞守田则把地交给了合作社。", ["庞守田"]),  # 则, 却: a conjunction turning to what the person does
    ("村民沈玉却不肯。", ["沈玉"]),
)


@pytest.mark.parametrize("line, names", AFTER_THE_NAME, ids=[t for t, _ in AFTER_THE_NAME])
def test_where_a_name_ends_without_the_tagger(line, names):
    from build_tools.person_names import people_in

    assert [n for n, _, _ in people_in(line, tagger=False)] == names


def test_the_reporter_meeting_someone_is_no_part_of_the_role():
    from build_tools.person_names import people_in

    assert people_in("记者见到了鹭湾机械厂的产线组长黎振华。") == [("黎振华", "鹭湾机械厂的产线组长", 15)]


def test_each_post_in_a_row_of_people_is_its_own_role():
    from build_tools.person_names import people_in

    assert [(n, r) for n, r, _ in people_in("合作社理事长滕大海、副理事长冯小川带头入股。")] == [
        ("滕大海", "合作社理事长"), ("冯小川", "副理事长")]
