#!/usr/bin/env python3
"""Writes the sample county (fictional, realistic) into deploy/config/.

The demo tokens and channel keys are derived from fixed strings listed in the README; only
their SHA-256 hashes are written. Re-run after editing this file; commit the JSON output.
"""
import datetime, hashlib, json, os, sys

OUT = sys.argv[1] if len(sys.argv) > 1 else os.path.join(os.path.dirname(__file__), "..", "config")
os.makedirs(OUT, exist_ok=True)
sha = lambda s: hashlib.sha256(s.encode()).hexdigest()

def write(name, value):
    with open(os.path.join(OUT, name), "w", encoding="utf-8") as f:
        json.dump(value, f, ensure_ascii=False, indent=1)
        f.write("\n")

COUNTY = "330901"
write("county.json", {"id": "qinghe", "name": "清河县", "timezone": "Asia/Shanghai", "region": COUNTY,
                      "emergency_links": ["police", "petition", "opinion"]})

# Regions: county → 12 streets/towns → 5 communities/villages each → 5 grids each.
streets = [("chengguan", "城关街道"), ("dongcheng", "东城街道"), ("xicheng", "西城街道"), ("nanhu", "南湖街道"),
           ("beiyuan", "北苑街道"), ("qingshan", "青山镇"), ("baishui", "白水镇"), ("longquan", "龙泉镇"),
           ("taoyuan", "桃源镇"), ("shangyi", "尚义镇"), ("hexi", "河西镇"), ("fenghuang", "凤凰镇")]
community_names = ["光明", "和平", "幸福", "振兴", "友谊", "团结", "新华", "建设", "胜利", "长青"]
regions = [{"code": COUNTY, "name": "清河县", "level": "county", "parent": None, "unit": None}]
communities = []  # (unit id, name, street unit id, region code)
for i, (sid, sname) in enumerate(streets, 1):
    scode = f"{COUNTY}{i:03d}"
    regions.append({"code": scode, "name": sname, "level": "street", "parent": COUNTY, "unit": sid})
    town = sname.endswith("镇")
    for j in range(1, 6):
        ccode = f"{scode}{j:03d}"
        cname = community_names[(i + j) % len(community_names)] + ("村" if town else "社区")
        cid = f"{sid}_c{j}"
        communities.append((cid, f"{sname}{cname}" + ("村民委员会" if town else "居民委员会"), sid, ccode))
        regions.append({"code": ccode, "name": f"{sname}{cname}", "level": "community", "parent": scode, "unit": cid})
        for k in range(1, 6):
            # A grid is worked by its community's grid workers: the community answers for it.
            regions.append({"code": f"{ccode}{k:03d}", "name": f"{sname}{cname}第{k}网格", "level": "grid", "parent": ccode,
                            "unit": None})
write("regions.json", regions)

# Units (DI-1): county departments, streets/towns, utilities, carriers, emergency links, leadership.
departments = [
    ("housing", "县住房和城乡建设局"), ("hrss", "县人力资源和社会保障局"), ("market", "县市场监督管理局"),
    ("enforcement", "县综合行政执法局"), ("education", "县教育局"), ("civil", "县民政局"), ("transport", "县交通运输局"),
    ("natural_resources", "县自然资源和规划局"), ("ecology", "县生态环境分局"), ("health", "县卫生健康局"),
    ("agriculture", "县农业农村局"), ("water_resources", "县水利局"), ("culture_tourism", "县文化和广电旅游体育局"),
    ("emergency_mgmt", "县应急管理局"), ("commerce", "县商务局"), ("medical_insurance", "县医疗保障局"),
    ("tax", "县税务局"), ("veterans", "县退役军人事务局"), ("business_env", "县营商环境建设局"),
    ("fire", "县消防救援大队"),
]
units = [{"id": u, "name": n, "kind": "department", "parent": None, "tier": 3} for u, n in departments]
units += [{"id": "police", "name": "县公安局", "kind": "emergency", "parent": None, "tier": 3},
          {"id": "petition", "name": "县信访局", "kind": "emergency", "parent": None, "tier": 3},
          {"id": "opinion", "name": "县委网信办", "kind": "emergency", "parent": None, "tier": 3}]
units += [{"id": sid, "name": sname + ("人民政府" if sname.endswith("镇") else "办事处"), "kind": "street",
           "parent": None, "tier": 2} for sid, sname in streets]
units += [{"id": u, "name": n, "kind": "utility", "parent": None, "tier": 3} for u, n in
          [("water_co", "清河自来水有限公司"), ("power_co", "国网清河县供电公司"), ("gas_co", "清河燃气有限公司"),
           ("heating_co", "清河热力有限公司")]]
units += [{"id": u, "name": n, "kind": "carrier", "parent": None, "tier": 3} for u, n in
          [("china_mobile", "中国移动清河分公司"), ("china_telecom", "中国电信清河分公司"),
           ("china_unicom", "中国联通清河分公司"), ("china_broadnet", "中国广电清河分公司")]]
units += [{"id": "county_taskforce", "name": "县领导专班", "kind": "leadership", "parent": None, "tier": 4}]
# Communities and villages (tier 1), each under its street or town (DI-1, DI-6).
units += [{"id": cid, "name": name, "kind": "community", "parent": sid, "tier": 1} for cid, name, sid, _ in communities]

# Named roles for alerts (SU-3, SU-4): the handler who works the cases, the deputy head and
# the head of the unit, and the county leader in charge of its field. Fictional names, fixed
# by the unit's id so that regenerating changes nothing.
surnames = "王李张刘陈杨黄赵周吴徐孙马朱胡郭何林罗高郑梁谢宋唐许韩冯邓曹彭曾萧田董潘袁蔡蒋余于杜叶程魏苏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦傅方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤"
given = ["伟", "芳", "娜", "敏", "静", "强", "磊", "军", "洋", "勇", "艳", "杰", "娟", "涛", "明", "超", "秀英", "霞", "平", "刚",
         "建华", "建国", "志强", "海燕", "晓东", "丽华", "国庆", "春梅", "红霞", "文博", "子涵", "雨欣", "浩然", "思远", "嘉怡"]
def person(key):
    h = int(hashlib.sha256(key.encode()).hexdigest(), 16)
    return surnames[h % len(surnames)] + given[(h // 131) % len(given)]
leaders = {  # deputy county heads and their fields
    "social": "副县长 " + person("leader-social"), "economy": "副县长 " + person("leader-economy"),
    "urban": "副县长 " + person("leader-urban"), "safety": "副县长 " + person("leader-safety"),
    "rural": "副县长 " + person("leader-rural"), "executive": "常务副县长 " + person("leader-executive"),
}
field_of = {"housing": "urban", "enforcement": "urban", "natural_resources": "urban", "ecology": "urban", "transport": "urban",
            "hrss": "social", "education": "social", "civil": "social", "health": "social", "medical_insurance": "social",
            "culture_tourism": "social", "veterans": "social", "market": "economy", "commerce": "economy", "tax": "economy",
            "business_env": "economy", "agriculture": "rural", "water_resources": "rural", "emergency_mgmt": "safety",
            "fire": "safety", "police": "safety", "petition": "executive", "opinion": "executive", "county_taskforce": "executive"}
for u in units:
    area = u["parent"] or u["id"]
    field = field_of.get(u["id"]) or ("economy" if u["kind"] in ("utility", "carrier") else
                                      "rural" if any(t for t, name in streets if t == area and name.endswith("镇")) else "urban")
    u["roles"] = {"handler": person(u["id"] + "-handler"), "deputy_head": person(u["id"] + "-deputy"),
                  "head": person(u["id"] + "-head"), "county_leader": leaders[field]}
write("units.json", units)

# Categories: (id, name, domain, lead or "street" for the street of the place, emergency, utility, assists)
L, E, D = "livelihood", "law_enforcement", "enterprise"
cats = [
    ("housing.property_mgmt", "物业管理", L, "housing", 0, 0, []), ("housing.elevator", "电梯故障", L, "market", 0, 0, ["housing"]),
    ("housing.demolition", "征收拆迁", L, "housing", 0, 0, []), ("housing.construction_noise", "建筑施工噪音", E, "enforcement", 0, 0, ["housing"]),
    ("housing.old_community", "老旧小区改造", L, "housing", 0, 0, ["street"]), ("housing.rental", "房屋租赁", L, "housing", 0, 0, []),
    ("housing.delivery", "商品房交付", L, "housing", 0, 0, []), ("housing.public_housing", "保障性住房", L, "housing", 0, 0, []),
    ("labour.wage_arrears", "拖欠工资", L, "hrss", 0, 0, []), ("labour.social_insurance", "社会保险", L, "hrss", 0, 0, []),
    ("labour.contract", "劳动合同", L, "hrss", 0, 0, []), ("labour.employment", "就业创业", L, "hrss", 0, 0, []),
    ("labour.pension", "养老金", L, "hrss", 0, 0, []),
    ("market.food_safety", "食品安全", E, "market", 0, 0, []), ("market.consumer_rights", "消费维权", E, "market", 0, 0, []),
    ("market.price", "价格投诉", E, "market", 0, 0, []), ("market.counterfeit", "假冒伪劣", E, "market", 0, 0, []),
    ("market.drug_safety", "药品安全", E, "market", 0, 0, ["health"]), ("market.licence", "证照办理", D, "market", 0, 0, []),
    ("city.illegal_construction", "违章建筑", E, "enforcement", 0, 0, ["street"]), ("city.street_vendor", "占道经营", E, "street", 0, 0, ["enforcement"]),
    ("city.sanitation", "环境卫生", L, "street", 0, 0, []), ("city.garbage", "垃圾清运", L, "street", 0, 0, []),
    ("city.parking", "违规停车", E, "police", 0, 0, []), ("city.noise_night", "夜间噪音", E, "enforcement", 0, 0, []),
    ("city.greenery", "园林绿化", L, "housing", 0, 0, []), ("city.street_light", "路灯故障", L, "housing", 0, 0, []),
    ("city.manhole", "井盖缺失", L, "housing", 0, 0, []), ("city.advertising", "户外广告", E, "enforcement", 0, 0, []),
    ("edu.enrolment", "入学招生", L, "education", 0, 0, []), ("edu.fees", "教育收费", L, "education", 0, 0, []),
    ("edu.training_institution", "校外培训", E, "education", 0, 0, ["market"]), ("edu.school_safety", "校园安全", L, "education", 0, 0, []),
    ("edu.teacher_conduct", "师德师风", L, "education", 0, 0, []),
    ("civil.subsistence", "低保救助", L, "civil", 0, 0, ["street"]), ("civil.elderly_care", "养老服务", L, "civil", 0, 0, []),
    ("civil.disability", "残疾人服务", L, "civil", 0, 0, []), ("civil.marriage", "婚姻登记", L, "civil", 0, 0, []),
    ("civil.funeral", "殡葬管理", L, "civil", 0, 0, []),
    ("transport.bus", "公交服务", L, "transport", 0, 0, []), ("transport.taxi", "出租车服务", L, "transport", 0, 0, []),
    ("transport.road_damage", "道路破损", L, "transport", 0, 0, []), ("transport.traffic_signal", "交通信号", L, "police", 0, 0, []),
    ("transport.traffic_accident", "交通事故", E, "police", 1, 0, ["transport"]),
    ("land.land_use", "土地使用", L, "natural_resources", 0, 0, []), ("land.planning", "规划审批", D, "natural_resources", 0, 0, []),
    ("land.real_estate_registration", "不动产登记", L, "natural_resources", 0, 0, []),
    ("eco.air_pollution", "大气污染", E, "ecology", 0, 0, []), ("eco.water_pollution", "水污染", E, "ecology", 0, 0, ["water_resources"]),
    ("eco.industrial_noise", "工业噪音", E, "ecology", 0, 0, []), ("eco.waste", "固废处置", E, "ecology", 0, 0, []),
    ("health.hospital_service", "医疗服务", L, "health", 0, 0, []), ("health.epidemic", "疫情防控", L, "health", 1, 0, ["street"]),
    ("health.medical_insurance", "医保报销", L, "medical_insurance", 0, 0, []), ("health.vaccination", "疫苗接种", L, "health", 0, 0, []),
    ("agri.farmland", "耕地保护", L, "agriculture", 0, 0, ["natural_resources"]), ("agri.subsidy", "惠农补贴", L, "agriculture", 0, 0, []),
    ("agri.livestock", "畜禽养殖", L, "agriculture", 0, 0, []),
    ("water.flood", "防汛排涝", L, "water_resources", 1, 0, ["emergency_mgmt", "street"]), ("water.river", "河道治理", L, "water_resources", 0, 0, []),
    ("tourism.scenic_area", "景区服务", L, "culture_tourism", 0, 0, []), ("tourism.safety", "旅游安全", L, "culture_tourism", 1, 0, ["emergency_mgmt"]),
    ("tourism.culture_venue", "文体场馆", L, "culture_tourism", 0, 0, []),
    ("safety.fire", "火灾隐患", E, "fire", 1, 0, ["emergency_mgmt"]), ("safety.production", "安全生产", E, "emergency_mgmt", 0, 0, []),
    ("safety.gas_leak", "燃气泄漏", L, "gas_co", 1, 1, ["fire"]),
    ("utility.water_outage", "停水", L, "water_co", 0, 1, []), ("utility.water_quality", "水质问题", L, "water_co", 0, 1, ["health"]),
    ("utility.power_outage", "停电", L, "power_co", 0, 1, []), ("utility.gas_supply", "燃气供应", L, "gas_co", 0, 1, []),
    ("utility.heating", "供暖不热", L, "heating_co", 0, 1, []), ("utility.heating_fee", "供暖收费", L, "heating_co", 0, 1, []),
    ("telecom.mobile", "移动通信", L, "china_mobile", 0, 0, []), ("telecom.telecom", "电信服务", L, "china_telecom", 0, 0, []),
    ("telecom.unicom", "联通服务", L, "china_unicom", 0, 0, []), ("telecom.broadnet", "广电网络", L, "china_broadnet", 0, 0, []),
    ("enterprise.policy", "惠企政策", D, "business_env", 0, 0, []), ("enterprise.approval", "行政审批", D, "business_env", 0, 0, []),
    ("enterprise.tax", "税费办理", D, "tax", 0, 0, []), ("enterprise.financing", "融资服务", D, "commerce", 0, 0, []),
    ("veterans.services", "退役军人服务", L, "veterans", 0, 0, []),
    ("public.petition_followup", "信访事项", L, "petition", 0, 0, []),
    ("other", "其他", L, None, 0, 0, []),
]
# Joint handling (联合办理): these go to several lead units at once, each replying for its
# own part — wage arrears on building sites (labour bureau for the wages, housing for the
# site and its contractor), water pollution (ecology for the polluter, water resources for
# the river).
joint = {"labour.wage_arrears": ["housing"], "eco.water_pollution": ["water_resources"]}
categories, rules = [], []
street_units = {f"{COUNTY}{i:03d}": sid for i, (sid, _) in enumerate(streets, 1)}
for cid, name, domain, lead, emergency, utility, assists in cats:
    categories.append({"id": cid, "name": name, "domain": domain, "emergency": bool(emergency), "utility": bool(utility)})
    if lead is None:
        continue  # no rule: these wait in the centre's manual queue
    if lead == "street" or "street" in assists:
        # One rule per street/town: the place decides the unit.
        for code, sid in street_units.items():
            rules.append({"category": cid, "region": code, "lead": sid if lead == "street" else lead,
                          "assists": [sid if a == "street" else a for a in assists]})
        if lead != "street":
            rules.append({"category": cid, "region": None, "lead": lead, "assists": [a for a in assists if a != "street"]})
    elif cid in joint:
        rules.append({"category": cid, "region": None, "lead": lead, "joint_leads": joint[cid],
                      "assists": [a for a in assists if a not in joint[cid]]})
    else:
        rules.append({"category": cid, "region": None, "lead": lead, "assists": assists})
write("categories.json", categories)
write("responsibilities.json", rules)

# Channels (IN-1).
channels = [("phone_12345", "12345热线电话", "ordinary", 600), ("web_portal", "政府网站", "ordinary", 120),
            ("wechat", "微信公众号", "ordinary", 300), ("mobile_app", "移动客户端", "ordinary", 300),
            ("grid_worker", "网格员上报", "ordinary", 300), ("enterprise", "政企通", "enterprise", 120),
            ("leader_board", "领导留言板", "message_board", 60), ("provincial_transfer", "省级转办", "ordinary", 120),
            ("online_inquiry", "网络问政", "message_board", 60), ("in_person", "面对面民情恳谈", "ordinary", 60)]
write("channels.json", [{"id": c, "name": n, "key_sha256": sha(f"demo-key-{c}"), "default_policy": p,
                         "rate_per_minute": r} for c, n, p, r in channels])

# SLA policies (SU-2); the most specific match wins, ties go to the earlier entry.
write("sla.json", {
    "policies": [
        {"id": "emergency", "name": "紧急诉求", "match": {"urgency": "emergency"}, "response": "minutes(30)", "reply": "sameDay(2h)"},
        {"id": "act_on_receipt", "name": "接诉即办", "match": {"urgency": "urgent"}, "response": "hours(1)", "reply": "workingDays(2)"},
        {"id": "utility", "name": "水电气暖", "match": {"utility": True}, "response": "hours(2)", "reply": "workingDays(2)"},
        {"id": "enterprise", "name": "企业诉求", "match": {"enterprise": True}, "response": "hours(4)", "reply": "days(5)"},
        {"id": "message_board", "name": "留言板", "match": {"channel": "leader_board"}, "response": "hours(8)", "reply": "workingDays(5)"},
        {"id": "online_inquiry", "name": "网络问政", "match": {"channel": "online_inquiry"}, "response": "hours(8)", "reply": "workingDays(5)"},
        {"id": "ordinary", "name": "一般诉求", "match": {}, "response": "hours(2)", "reply": "workingDays(3)"},
    ],
    "assist_response": "hours(24)",
    # Callbacks (CB-1, CB-2, CB-4): due two working days after the reply; unreachable after 3
    # failed attempts at least 2 hours apart; an agent's claim lasts 15 minutes; 10% of the
    # consultations closed at intake are called back too.
    "callback_within": "workingDays(2)",
    "callback_attempts": 3,
    "callback_spacing": "2h",
    "callback_claim": "15m",
    "intake_callback_rate": 0.1,
    "max_extensions": 2,
    # The five-level ladder (SU-4) climbs one level per interval while a ticket stays unreplied.
    "ladder_interval": "workingDays(1)",
    # Hotspots (SU-5): tickets of one category at one place within this sliding window.
    "hotspot_window": "24h",
    # Spot checks (SU-7): the share of each unit's closed tickets sampled per week.
    "spot_check_rate": 0.1,
    # KPI (KP-4): a month's report is published this long after the month ends.
    "report_publish_after": "3d",
})

# Calendar (SU-1) from the State Council's notices.
def span(a, b):
    d0, d1 = datetime.date.fromisoformat(a), datetime.date.fromisoformat(b)
    return [(d0 + datetime.timedelta(n)).isoformat() for n in range((d1 - d0).days + 1)]
write("calendar.json", {"years": {
    "2025": {"holidays": span("2025-01-01", "2025-01-01") + span("2025-01-28", "2025-02-04") + span("2025-04-04", "2025-04-06")
             + span("2025-05-01", "2025-05-05") + span("2025-05-31", "2025-06-02") + span("2025-10-01", "2025-10-08"),
             "workdays": ["2025-01-26", "2025-02-08", "2025-04-27", "2025-09-28", "2025-10-11"]},
    "2026": {"holidays": span("2026-01-01", "2026-01-03") + span("2026-02-15", "2026-02-23") + span("2026-04-04", "2026-04-06")
             + span("2026-05-01", "2026-05-05") + span("2026-06-19", "2026-06-21") + span("2026-09-25", "2026-09-27")
             + span("2026-10-01", "2026-10-07"),
             "workdays": ["2026-01-04", "2026-02-14", "2026-02-28", "2026-05-09", "2026-09-20", "2026-10-10"]},
}})

# Staff tokens for local use: demo-<role>-token, and demo-unit-<unit>-token for each unit.
staff = [{"token_sha256": sha("demo-centre-token"), "role": "centre", "name": "centre-demo", "unit": None},
         {"token_sha256": sha("demo-agent-token"), "role": "callback_agent", "name": "agent-demo", "unit": None},
         {"token_sha256": sha("demo-agent-2-token"), "role": "callback_agent", "name": "agent-2-demo", "unit": None},
         {"token_sha256": sha("demo-auditor-token"), "role": "auditor", "name": "auditor-demo", "unit": None},
         {"token_sha256": sha("demo-admin-token"), "role": "admin", "name": "admin-demo", "unit": None}]
staff += [{"token_sha256": sha(f"demo-unit-{u['id']}-token"), "role": "unit", "name": f"{u['id']}-staff", "unit": u["id"]}
          for u in units]
write("staff.json", staff)
print(f"wrote {len(regions)} regions, {len(units)} units, {len(categories)} categories, {len(rules)} rules, "
      f"{len(channels)} channels, {len(staff)} staff tokens to {OUT}")

# Knowledge base (IN-5): standard answers agents give on the call.
kb = [
    ("kb-001", "labour.social_insurance", "社保卡丢了怎么补办？", "可携带身份证到县政务服务中心社保窗口或各银行网点办理挂失补卡，也可在“浙里办”等政务App线上申请，补卡工本费按规定收取，一般7个工作日内可领取。", ["社保卡", "补办", "挂失"]),
    ("kb-002", "labour.pension", "养老金什么时候发放？", "本县城乡居民养老金每月10日前发放至本人社保卡金融账户，企业职工养老金每月5日前发放。如未到账请先核对社保卡状态。", ["养老金", "发放", "到账"]),
    ("kb-003", "labour.social_insurance", "灵活就业人员怎么参加职工养老保险？", "在本县户籍或居住证满半年的灵活就业人员，可持身份证到社保窗口登记，或通过政务App自助参保，缴费基数可在规定范围内自选。", ["灵活就业", "养老保险", "参保"]),
    ("kb-004", "labour.wage_arrears", "被拖欠工资怎么办？", "可拨打12345或到县人力社保局劳动保障监察大队投诉，需提供劳动合同、考勤、工资条等证据；农民工欠薪可申请法律援助。", ["拖欠工资", "欠薪", "劳动监察"]),
    ("kb-005", "labour.employment", "失业保险金怎么申领？", "非本人意愿中断就业、缴费满一年并已办理失业登记的，可在政务App或社保窗口申领失业保险金，按月发放。", ["失业保险金", "失业登记", "申领"]),
    ("kb-006", "health.medical_insurance", "异地就医怎么备案？", "可通过国家医保服务平台App或“浙里办”办理异地就医备案，备案后在定点医院可直接结算。", ["异地就医", "备案", "医保"]),
    ("kb-007", "health.medical_insurance", "医保报销需要哪些材料？", "门诊、住院在定点机构已直接结算的无需另行报销；需手工报销的，请携带身份证、医保卡、发票、费用清单和出院小结到医保窗口办理。", ["医保报销", "材料", "发票"]),
    ("kb-008", "health.vaccination", "儿童预防接种在哪里打？", "儿童免疫规划疫苗在户籍或居住地所在乡镇卫生院、社区卫生服务中心接种，请提前通过预约小程序预约并携带接种证。", ["疫苗", "接种", "儿童"]),
    ("kb-009", "edu.enrolment", "小学入学报名需要什么材料？", "需提供户口簿、房产证或租赁备案证明、适龄儿童预防接种证查验证明，具体以县教育局当年招生公告为准，报名时间一般在6月。", ["入学", "报名", "小学"]),
    ("kb-010", "edu.enrolment", "随迁子女怎么入学？", "随迁子女凭父母居住证、就业或社保证明在居住地申请入学，由县教育局统筹安排学位。", ["随迁子女", "居住证", "入学"]),
    ("kb-011", "civil.marriage", "结婚登记需要带什么？", "双方本人携带身份证、户口簿和近期2寸半身免冠合影照片3张，到县婚姻登记处办理，工作日受理，可网上预约。", ["结婚登记", "婚姻登记", "材料"]),
    ("kb-012", "civil.subsistence", "低保怎么申请？", "由申请人向户籍所在地乡镇（街道）提出书面申请，提供家庭收入和财产情况，经入户调查、公示后审批，符合条件的按月发放。", ["低保", "申请", "救助"]),
    ("kb-013", "civil.elderly_care", "高龄津贴怎么领？", "本县户籍80周岁以上老人可领取高龄津贴，由社区（村）统一申报，每月随养老金发放，无需重复申请。", ["高龄津贴", "老人", "80周岁"]),
    ("kb-014", "civil.disability", "残疾证怎么办理？", "携带身份证、户口簿和近期照片到户籍地乡镇（街道）残联申请，由指定医院评定后发证。", ["残疾证", "办理", "评定"]),
    ("kb-015", "land.real_estate_registration", "不动产权证办理需要多久？", "一般登记5个工作日内办结，抵押登记、注销登记1个工作日内办结，可在县不动产登记中心或政务App查询进度。", ["不动产", "房产证", "办理时限"]),
    ("kb-016", "housing.rental", "租房合同怎么备案？", "出租人或承租人可携带身份证、房产证明和租赁合同到住建局窗口或通过住房租赁服务平台线上备案，免费办理。", ["租赁备案", "租房", "合同"]),
    ("kb-017", "housing.property_mgmt", "物业费收费标准在哪里查？", "普通住宅前期物业服务收费实行政府指导价，标准可在县发改局网站查询，小区应在显著位置公示收费项目和标准。", ["物业费", "收费标准", "公示"]),
    ("kb-018", "utility.water_outage", "停水了去哪里查通知？", "计划停水信息提前24小时在清河自来水公司微信公众号和小区公告栏发布；突发停水可拨打自来水公司24小时热线报修。", ["停水", "通知", "报修"]),
    ("kb-019", "utility.power_outage", "家里停电怎么报修？", "请先检查家中空气开关，如整栋楼停电可拨打95598或在“网上国网”App报修，抢修人员城区45分钟内到达。", ["停电", "报修", "95598"]),
    ("kb-020", "utility.heating", "供暖期是什么时候？", "本县法定供暖期为每年11月15日至次年3月15日，可根据天气适当提前或延长，室温标准不低于18℃。", ["供暖期", "暖气", "室温"]),
    ("kb-021", "utility.heating_fee", "暖气费怎么交？", "可通过清河热力微信公众号、银行代收或到热力公司营业厅缴纳，按建筑面积计费，低保家庭可申请减免。", ["暖气费", "缴费", "减免"]),
    ("kb-022", "utility.gas_supply", "燃气开户需要什么？", "携带房产证或购房合同、身份证到清河燃气营业厅办理，安检合格后通气。", ["燃气", "开户", "通气"]),
    ("kb-023", "transport.bus", "公交卡怎么办理老年卡？", "65周岁以上本县户籍老人携带身份证和一寸照片到公交公司服务网点办理，免费乘坐县内公交。", ["老年卡", "公交卡", "免费乘车"]),
    ("kb-024", "city.parking", "违章停车被贴罚单怎么处理？", "可在“交管12123”App查询并在线缴纳罚款，对处罚有异议的可在15日内到交警大队申请复核。", ["违章停车", "罚单", "12123"]),
    ("kb-025", "market.consumer_rights", "买到质量有问题的商品怎么投诉？", "先与商家协商；协商不成可拨打12315或通过全国12315平台投诉，需提供购物凭证和商品照片。", ["质量问题", "投诉", "12315"]),
    ("kb-026", "market.licence", "个体工商户营业执照怎么办？", "可通过“浙江政务服务网”全程电子化办理，或携带身份证和经营场所证明到市场监管局窗口，资料齐全当场办结。", ["营业执照", "个体工商户", "办理"]),
    ("kb-027", "enterprise.policy", "小微企业有哪些惠企政策？", "包括增值税小规模纳税人减免、社保费缓缴、稳岗返还和创业担保贷款贴息等，可在县营商环境建设局“惠企政策直通车”查询并申报。", ["惠企政策", "小微企业", "补贴"]),
    ("kb-028", "enterprise.tax", "发票怎么申领？", "新办纳税人可通过电子税务局申领数电发票，无需到办税服务厅，额度根据信用等级自动核定。", ["发票", "申领", "电子税务局"]),
    ("kb-029", "enterprise.approval", "企业开办需要多长时间？", "本县企业开办全流程1个工作日内办结，包括设立登记、印章刻制、发票申领和社保登记，全程免费。", ["企业开办", "时限", "登记"]),
    ("kb-030", "veterans.services", "退役军人优待证怎么申领？", "通过“退役军人服务”小程序或户籍地退役军人服务站申请，审核通过后统一制发。", ["优待证", "退役军人", "申领"]),
    ("kb-031", "agri.subsidy", "耕地地力保护补贴什么时候发？", "一般于每年6月底前通过“一卡通”发放到农户账户，补贴面积以村级公示为准。", ["耕地地力", "补贴", "一卡通"]),
    ("kb-032", "tourism.scenic_area", "景区门票有哪些优惠？", "60周岁以上老人、现役军人、残疾人凭有效证件免票，学生凭学生证半价，具体以各景区公告为准。", ["门票", "优惠", "免票"]),
    ("kb-033", "edu.fees", "学校收费标准在哪里查？", "义务教育阶段免收学杂费；课后服务等收费项目须在学校公示栏和教育局网站公示，未公示的可向教育局举报。", ["学校收费", "学杂费", "公示"]),
    ("kb-034", "health.hospital_service", "县人民医院怎么预约挂号？", "可通过医院微信公众号、“健康浙江”App或拨打预约电话预约，当日号源提前7天放号。", ["预约挂号", "医院", "号源"]),
    ("kb-035", "telecom.mobile", "手机号码被停机了怎么办？", "欠费停机的缴清话费即可恢复；因实名未登记停机的，请携带身份证到运营商营业厅办理。", ["停机", "手机号", "实名"]),
    ("kb-036", "city.garbage", "大件垃圾怎么处理？", "家具等大件垃圾请预约所在街道或小区物业统一清运，不得随意丢弃在垃圾桶旁。", ["大件垃圾", "清运", "预约"]),
]
write("knowledge.json", [{"id": i, "category": c, "question": q, "answer": a, "keywords": k} for i, c, q, a, k in kb])
