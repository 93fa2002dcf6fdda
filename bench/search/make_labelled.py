#!/usr/bin/env python3
"""Writes bench/search/labelled.json: 60 synthetic but realistic suggestions in 12 topics (5 each), the
units that handled them and whether the deputy was satisfied, 24 queries with their relevant items, and
12 near-duplicate pairs (a later draft of the same matter by another deputy). Deterministic: re-running
gives the same file. Topics share words on purpose (交通 in several), so ranking has to use the phrase."""
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
        }
        items.append(item)
        ids.append(n)
    # A later near-duplicate of the first item: another deputy, same matter, different wording.
    first = items[ids[0] - 1]
    duplicates.append({"draft": "关于" + first["title"].replace("的建议", "") + "问题的意见：" + first["body"][:30],
                       "duplicate_of": ids[0], "same_topic": ids})
    for q in qs:
        queries.append({"query": q, "relevant": ids})

# Cross-topic noise words: an item of another topic mentions 交通 once.
items[12]["body"] += "新建幼儿园应同步考虑周边交通。"
items[30]["body"] += "社区卫生服务中心应方便交通出行。"

json.dump({"items": items, "queries": queries, "duplicates": duplicates},
          open("bench/search/labelled.json", "w"), ensure_ascii=False, indent=1)
print(len(items), "items,", len(queries), "queries,", len(duplicates), "duplicate drafts")
