"""The charity's tables: 练塘镇's villages and their projects, the campaigns, the invented
students and the groups helped; and the generator every charity row is drawn from."""

import datetime
import random
from decimal import Decimal

from lunardate import LunarDate

from charity.models import Project

D = Decimal
AREA = "练塘镇"
XUJING = "徐泾镇"

VILLAGES = [
    "东庄村",
    "徐练村",
    "芦潼村",
    "泾珠村",
    "长河村",
    "叶港村",
    "泖甸村",
    "东淇村",
    "双菱村",
    "浦南村",
    "大新村",
    "北埭村",
    "东厍村",
    "星浜村",
    "太北村",
    "金前村",
    "蒸夏村",
    "联农村",
    "朱庄村",
    "南庄村",
    "莲湖村",
    "洪湖村",
    "东田村",
    "北洪村",
    "东泖村",
]
# Villages paired with several companies (多企一村), and how many.
SHARED_VILLAGES = {"徐练村": 3, "泾珠村": 2, "叶港村": 2, "星浜村": 3, "蒸夏村": 2, "东田村": 2}

PROJECTS = {
    Project.Kind.ROAD: ["村道整修", "田间道路硬化", "宅前路拓宽"],
    Project.Kind.RIVER: ["河道清淤", "河岸护坡整治", "生态河道治理"],
    Project.Kind.FACILITIES: ["健身点安装", "路灯安装", "村民活动室改造", "公共厕所改造"],
}

GOALS = {
    Project.Kind.ROAD: "道路整修",
    Project.Kind.RIVER: "河道治理",
    Project.Kind.FACILITIES: "公共设施安装",
}

CAMPAIGN_2017 = "缘聚徐练 商续慈善"
CAMPAIGN_2017_TOTAL = D("4250000.00")
COVID = "2020年抗击新冠肺炎疫情捐赠"
YUNNAN = "云南扶贫协作捐赠"
GREENING = "美丽乡村“美美与共”绿化改造"


def chongyang(year: int) -> datetime.date:
    """重阳节, the ninth day of the ninth lunar month (2024: 11 October), in any year."""
    return LunarDate(year, 9, 9).to_solar_date()


# Invented students: no real person. (name, school, under 14, guardian, may publish name)
STUDENTS = [
    ("李同学", "徐泾中学", True, "李某某", False),
    ("王同学", "徐泾中学", True, "王某某", True),
    ("张同学", "徐泾第一小学", True, "张某某", False),
    ("陈同学", "徐泾第一小学", True, "陈某某", False),
    ("刘同学", "徐泾中学", False, "刘某某", False),
    ("周同学", "在沪高校（大学生）", False, "", True),
    ("吴同学", "在沪高校（大学生）", False, "", False),
    ("赵同学", "徐泾第二小学", True, "赵某某", False),
]
NOTICE_VERSION = "2017-03"
RENEWED_NOTICE = "2024-01"

GROUPS = [
    ("阳光之家", XUJING, "徐泾镇阳光之家：残障人员日间照料", Project.Kind.WISHES, "微心愿认领"),
    ("青少年工作站", XUJING, "徐泾镇青少年工作站", Project.Kind.BOOKS, "送书进站"),
]


def rng(*key) -> random.Random:
    return random.Random(":".join(["charity", *map(str, key)]))
