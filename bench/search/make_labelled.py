#!/usr/bin/env python3
"""Writes bench/search/labelled.json: 60 synthetic but realistic suggestions in 12 topics (5 each), the
units that handled them and whether the deputy was satisfied; per topic also two citizens' opinions in
everyday words (社情民意), one document or learning material in official words and one draft-law comment,
so search and similar matters run across kinds; every item gets one or two generic sentences that all
topics share (noise). Queries: the topic's own phrases (easy), and words people type that the templates
rarely or never contain (堵车, 看病难, 找工作: hard; bigrams cannot bridge synonyms, so these show the
method's limit). 12 near-duplicate suggestion drafts and 12 citizens' opinions as similar-matter probes.
Deterministic: re-running gives the same file. Topics share words on purpose (交通 in several), so ranking
has to use the phrase."""
import json, random

random.seed(20261205)
TOPICS = [
    ("早高峰交通拥堵", "市交通运输局", "市公安局交警支队",
     ["缓解{p}早高峰交通拥堵的建议", "关于{p}主干道早高峰交通拥堵治理的建议", "优化{p}信号灯配时缓解交通拥堵",
      "{p}早晚高峰交通拥堵亟待疏导", "关于{p}学校周边早高峰拥堵的建议"],
     "早高峰期间{p}主干道车辆排队严重，交通拥堵时间长，建议优化信号灯配时、增设潮汐车道，缓解交通拥堵。",
     ["交通拥堵", "早高峰拥堵", "信号灯配时"]),
    ("公交线路", "市交通运输局", None,
     ["关于增开{p}公交线路的建议", "{p}新建小区公交覆盖不足", "优化{p}公交线路和站点设置",
      "关于延长{p}夜间公交运营时间的建议", "加密{p}公交班次的建议"],
     "{p}居民出行依赖公交，现有公交线路少、班次间隔长，建议增开公交线路、加密班次并优化站点。",
     ["公交线路", "公交班次"]),
    ("老旧小区改造", "市住房和城乡建设局", "市财政局",
     ["加快{p}老旧小区改造的建议", "关于{p}老旧小区加装电梯的建议", "{p}老旧小区管网改造滞后",
      "推进{p}老旧小区综合整治", "关于{p}老旧小区改造资金保障的建议"],
     "{p}老旧小区建成年代早，管网老化、缺少电梯，建议加快老旧小区改造，统筹资金，推进加装电梯。",
     ["老旧小区改造", "加装电梯"]),
    ("学前教育学位", "市教育局", "市财政局",
     ["增加{p}公办幼儿园学位的建议", "{p}学前教育学位紧张问题", "关于{p}新建幼儿园配套的建议",
      "扩大{p}普惠性幼儿园覆盖面", "关于{p}幼儿园入园难的建议"],
     "{p}适龄儿童增多，公办幼儿园学位紧张，入园难问题突出，建议新建幼儿园、扩大普惠性学前教育资源。",
     ["幼儿园学位", "入园难"]),
    ("中小学课后服务", "市教育局", None,
     ["完善{p}中小学课后服务的建议", "关于{p}课后托管服务的建议", "{p}学生课后服务质量有待提高",
      "推进{p}中小学课后延时服务", "关于{p}课后服务经费保障的建议"],
     "{p}双职工家庭接送困难，建议完善中小学课后服务，丰富课后托管内容，保障课后服务经费。",
     ["课后服务", "课后托管"]),
    ("养老服务", "市民政局", "市卫生健康委员会",
     ["加强{p}社区居家养老服务的建议", "关于{p}养老机构建设的建议", "{p}老年人助餐服务不足",
      "推进{p}医养结合养老服务", "关于{p}农村养老服务的建议"],
     "{p}老龄化程度加深，社区居家养老服务设施不足，建议建设养老服务中心，发展老年助餐和医养结合。",
     ["居家养老", "养老服务"]),
    ("基层医疗", "市卫生健康委员会", "市医疗保障局",
     ["提升{p}基层医疗服务能力的建议", "关于{p}社区卫生服务中心建设的建议", "{p}乡镇卫生院医生短缺",
      "加强{p}家庭医生签约服务", "关于{p}基层看病难的建议"],
     "{p}基层医疗机构医生短缺、设备落后，群众看病难，建议加强社区卫生服务中心建设和家庭医生签约服务。",
     ["基层医疗", "家庭医生"]),
    ("河道污染治理", "市生态环境局", "市水利局",
     ["加强{p}河道污染治理的建议", "关于{p}黑臭水体整治的建议", "{p}河道水质恶化问题",
      "推进{p}河道生态修复", "关于{p}污水直排河道的建议"],
     "{p}河道存在污水直排、水体黑臭现象，建议加强河道污染治理，推进截污纳管和生态修复。",
     ["河道污染", "黑臭水体"]),
    ("垃圾分类", "市城市管理局", None,
     ["推进{p}生活垃圾分类的建议", "关于{p}垃圾分类投放点设置的建议", "{p}垃圾分类混收混运问题",
      "完善{p}厨余垃圾处理设施", "关于{p}垃圾分类宣传的建议"],
     "{p}生活垃圾分类投放不规范，存在混收混运，建议完善垃圾分类设施，加强厨余垃圾处理和宣传引导。",
     ["垃圾分类", "厨余垃圾"]),
    ("停车难", "市公安局交警支队", "市城市管理局",
     ["缓解{p}停车难的建议", "关于{p}增建公共停车场的建议", "{p}小区停车位严重不足",
      "规范{p}路边停车管理", "关于{p}医院周边停车难的建议"],
     "{p}机动车保有量增长快，停车位不足，停车难问题突出，建议增建公共停车场，规范路边停车。",
     ["停车难", "停车场"]),
    ("农村饮水安全", "市水利局", "市卫生健康委员会",
     ["保障{p}农村饮水安全的建议", "关于{p}农村自来水管网延伸的建议", "{p}农村供水水质不稳定",
      "推进{p}城乡供水一体化", "关于{p}山区饮水困难的建议"],
     "{p}部分农村供水设施老化，水质不稳定，建议推进城乡供水一体化，延伸自来水管网，保障农村饮水安全。",
     ["饮水安全", "供水"]),
    ("就业创业", "市人力资源和社会保障局", "市财政局",
     ["促进{p}高校毕业生就业的建议", "关于{p}创业担保贷款的建议", "{p}农民工就业培训不足",
      "加强{p}就业服务平台建设", "关于{p}灵活就业人员社保的建议"],
     "{p}高校毕业生和农民工就业压力大，建议加强就业服务和技能培训，落实创业担保贷款政策。",
     ["就业创业", "技能培训", "创业担保贷款"]),
]
PLACES = ["东城区", "西城区", "南湖区", "北山县", "临江镇", "城南街道", "高新区", "开发区"]

# Per topic: two citizens' opinions (everyday words), one document or material (official words), one
# comment on a draft law, and the hard queries (words the suggestions rarely use).
OTHER = {
    "早高峰交通拥堵": (["每天早上{p}路口堵车堵得走不动，上班天天迟到", "{p}学校门口早上接孩子的车把路都堵死了"],
                 "示例市道路交通拥堵治理工作方案", "对主干道拥堵路段实施信号灯配时优化和潮汐车道管理。",
                 "建议条例规定拥堵路段信号灯配时定期评估", ["堵车", "上班路上太堵"]),
    "公交线路": (["{p}新小区门口没有公交车，去地铁站要走二十分钟", "{p}晚上九点以后就没有公交了"],
             "示例市公共交通发展规划", "优化公交线网，新建小区同步规划公交站点，延长夜间运营时间。",
             "建议明确新建小区公交配套的时限", ["坐公交不方便", "夜班车"]),
    "老旧小区改造": (["{p}我们楼是八十年代的，老人爬六楼太难了，想装电梯", "{p}小区下水道老是堵，管子都锈了"],
               "示例市城镇老旧小区改造实施意见", "统筹推进老旧小区改造，支持既有住宅加装电梯，更新老化管网。",
               "建议加装电梯的费用分摊办法写入条例", ["装电梯", "老房子"]),
    "学前教育学位": (["{p}孩子三岁了附近公办幼儿园报不上名", "{p}私立幼儿园一个月三千多，太贵了"],
               "示例市学前教育发展提升行动计划", "新建改扩建公办幼儿园，增加普惠性学前教育学位供给。",
               "建议规定住宅小区配套幼儿园移交时限", ["上幼儿园难", "托儿所"]),
    "中小学课后服务": (["{p}孩子三点半就放学了，我们上班没法去接", "{p}学校的托管班就是写作业，没有别的活动"],
                "示例市中小学课后服务工作指引", "学校提供课后延时服务，丰富托管内容，经费由财政补助。",
                "建议条例明确课后服务收费标准", ["三点半放学", "放学后没人管"]),
    "养老服务": (["{p}我妈一个人住，中午吃饭是个问题，希望社区有食堂", "{p}附近的养老院床位排不上"],
             "示例市居家社区养老服务条例", "建设社区养老服务中心，发展老年助餐、上门照护和医养结合服务。",
             "建议对社区老年食堂给予运营补贴", ["老人吃饭", "养老院床位"]),
    "基层医疗": (["{p}社区医院看个病没有医生，只能跑市里大医院", "{p}村卫生室药品太少，开不到常用药"],
             "示例市基层卫生服务能力提升方案", "加强社区卫生服务中心和乡镇卫生院建设，推进家庭医生签约。",
             "建议保障乡村医生待遇", ["看病难", "社区医院"]),
    "河道污染治理": (["{p}小区后面那条河夏天臭得开不了窗", "{p}有工厂晚上偷偷往河里排污水"],
               "示例市河道水环境综合治理方案", "实施截污纳管、黑臭水体整治和河道生态修复。",
               "建议加重偷排污水的处罚", ["河水发臭", "排污"]),
    "垃圾分类": (["{p}垃圾桶分了类，可垃圾车来了一起倒进去", "{p}厨余垃圾桶没人清理，苍蝇很多"],
             "示例市生活垃圾分类管理办法", "规范分类投放、分类收集、分类运输和分类处理，杜绝混收混运。",
             "建议明确混收混运的法律责任", ["垃圾车混装", "厨余"]),
    "停车难": (["{p}晚上回家小区里根本找不到车位", "{p}医院门口停车要排一个小时队"],
            "示例市停车设施建设管理办法", "新建公共停车场，推进错时共享停车，规范道路停车泊位管理。",
            "建议鼓励机关单位停车位夜间向居民开放", ["没地方停车", "车位"]),
    "农村饮水安全": (["{p}我们村的自来水经常停，水还发黄", "{p}山上几户人家到现在还是挑水喝"],
               "示例市城乡供水一体化规划", "延伸城市供水管网，改造农村供水工程，保障饮水安全。",
               "建议条例规定农村供水水质检测频次", ["自来水发黄", "吃水难"]),
    "就业创业": (["{p}大学毕业一年了还没找到工作", "{p}想开个小店，贷款手续太复杂"],
             "示例市就业创业促进办法", "加强就业服务，开展职业技能培训，落实创业担保贷款贴息政策。",
             "建议对吸纳高校毕业生的小微企业给予补贴", ["找工作", "开店贷款"]),
}
NOISE = ["群众反映强烈。", "希望有关部门高度重视。", "此事关系民生，望尽快解决。", "建议列入年度民生实事。",
         "相关部门曾答复将研究解决，但至今未落实。", "请予以考虑。"]

items, queries, duplicates = [], [], []
n = 0
for t, (topic, lead, co, titles, body, qs) in enumerate(TOPICS):
    ids = []
    for k, title in enumerate(titles):
        n += 1
        place = PLACES[(t + k) % len(PLACES)]
        item = {
            "id": n,
            "topic": topic,
            "title": title.format(p=place),
            "body": body.format(p=place),
            "lead_units": [lead],
            "co_units": [co] if co and k % 2 == 0 else [],
            "satisfied": random.random() > 0.2,
            "kind": "SUGGESTION",
        }
        item["body"] += "".join(random.sample(NOISE, random.randint(1, 2)))
        items.append(item)
        ids.append(n)
    opinions, doc_title, doc_body, comment, hard = OTHER[topic]
    for k, text in enumerate(opinions):
        n += 1
        place = PLACES[(t + k + 3) % len(PLACES)]
        items.append({"id": n, "topic": topic, "title": "社情民意", "body": text.format(p=place) + random.choice(NOISE),
                      "lead_units": [], "co_units": [], "satisfied": True, "kind": "OPINION"})
        ids.append(n)
    n += 1
    items.append({"id": n, "topic": topic, "title": doc_title, "body": doc_body, "lead_units": [], "co_units": [],
                  "satisfied": True, "kind": "DOCUMENT" if t % 2 == 0 else "LEARNING_MATERIAL"})
    ids.append(n)
    n += 1
    items.append({"id": n, "topic": topic, "title": "对条例草案的意见", "body": comment, "lead_units": [],
                  "co_units": [], "satisfied": True, "kind": "DRAFT_COMMENT"})
    ids.append(n)
    # A later near-duplicate of the first item: another deputy, same matter, different wording.
    first = items[ids[0] - 1]
    duplicates.append({"draft": "关于" + first["title"].replace("的建议", "") + "问题的意见：" + first["body"][:30],
                       "duplicate_of": ids[0], "same_topic": ids, "kind": "SUGGESTION"})
    for q in qs:
        queries.append({"query": q, "relevant": ids, "hard": False})
    for q in hard:
        queries.append({"query": q, "relevant": ids, "hard": True})
    # A citizen's opinion as a probe: is a matter of its topic the top similar suggestion or opinion?
    duplicates.append({"draft": opinions[1].format(p="东城区") + "，希望尽快解决", "duplicate_of": None,
                       "same_topic": ids, "kind": "OPINION"})

# Cross-topic noise words: an item of another topic mentions 交通 once.
by_id = {i["id"]: i for i in items}
kindergarten = [i for i in items if i["topic"] == "学前教育学位" and i["kind"] == "SUGGESTION"][3]
clinic = [i for i in items if i["topic"] == "基层医疗" and i["kind"] == "SUGGESTION"][1]
kindergarten["body"] += "新建幼儿园应同步考虑周边交通。"
clinic["body"] += "社区卫生服务中心应方便交通出行。"

json.dump({"items": items, "queries": queries, "duplicates": duplicates},
          open("bench/search/labelled.json", "w"), ensure_ascii=False, indent=1)
print(len(items), "items,", len(queries), "queries,", len(duplicates), "similar-matter probes")
