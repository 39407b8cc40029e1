"""Seed the two wordings of the 四好商会 criteria: the 2017 one the seed article uses and the
current one. The indicators name the figure computed from the records (reports.metrics)."""

from django.db import migrations

FRAMEWORKS = [
    {
        "code": "2017",
        "name": "四好商会",
        "version": "2017年版",
        "is_current": False,
        "headings": [
            (
                "班子建设好",
                [
                    ("1.1", "领导班子会议（会长办公会、执委会）按时召开", "leadership_meetings"),
                    ("1.2", "班子成员每月联系走访会员企业", "visits"),
                    ("1.3", "每季度召开例会暨经验分享会", "sharing_meetings"),
                ],
            ),
            (
                "团结教育好",
                [
                    ("2.1", "开展党建活动、红色课堂", "party_events"),
                    ("2.2", "开展政策宣讲", "policy_events"),
                    ("2.3", "组织教育培训", "training_events"),
                ],
            ),
            (
                "服务发展好",
                [
                    ("3.1", "企业诉求及时办结", "problems"),
                    ("3.2", "建言献策：提案、议案", "proposals"),
                    ("3.3", "发展新会员", "new_members"),
                    ("3.4", "会员发展工作小组引进会员", "development_group"),
                    ("3.5", "光彩事业与公益慈善", "charity"),
                ],
            ),
            (
                "自律规范好",
                [
                    ("4.1", "制定并公开规章制度", "rules"),
                    ("4.2", "会员参加商会活动", "all_events"),
                    ("4.3", "商会获得的荣誉", "honors"),
                ],
            ),
        ],
    },
    {
        "code": "current",
        "name": "四好商会",
        "version": "现行版",
        "is_current": True,
        "headings": [
            (
                "政治引领好",
                [
                    ("1.1", "开展党建活动、红色课堂", "party_events"),
                    ("1.2", "开展政策宣讲", "policy_events"),
                    ("1.3", "组织教育培训", "training_events"),
                ],
            ),
            (
                "队伍建设好",
                [
                    ("2.1", "领导班子会议按时召开", "leadership_meetings"),
                    ("2.2", "班子成员每月联系走访会员企业", "visits"),
                    ("2.3", "每季度召开例会暨经验分享会", "sharing_meetings"),
                    ("2.4", "发展新会员", "new_members"),
                    ("2.5", "会员发展工作小组引进会员", "development_group"),
                ],
            ),
            (
                "服务发展好",
                [
                    ("3.1", "企业诉求及时办结", "problems"),
                    ("3.2", "建言献策：提案、议案", "proposals"),
                    ("3.3", "光彩事业与公益慈善", "charity"),
                    ("3.4", "会员参加商会活动", "all_events"),
                ],
            ),
            (
                "自律规范好",
                [
                    ("4.1", "制定并公开规章制度", "rules"),
                    ("4.2", "商会获得的荣誉", "honors"),
                ],
            ),
        ],
    },
]


def seed(apps, schema_editor):
    Framework = apps.get_model("reports", "Framework")
    Heading = apps.get_model("reports", "Heading")
    Indicator = apps.get_model("reports", "Indicator")
    for data in FRAMEWORKS:
        framework = Framework.objects.create(
            code=data["code"],
            name=data["name"],
            version=data["version"],
            is_current=data["is_current"],
        )
        for heading_order, (title, indicators) in enumerate(data["headings"], start=1):
            heading = Heading.objects.create(
                framework=framework, title=title, order=heading_order
            )
            for order, (code, text, metric) in enumerate(indicators, start=1):
                Indicator.objects.create(
                    heading=heading, code=code, text=text, metric=metric, order=order
                )


def unseed(apps, schema_editor):
    apps.get_model("reports", "Framework").objects.filter(code__in=["2017", "current"]).delete()


class Migration(migrations.Migration):
    dependencies = [("reports", "0001_frameworks")]

    operations = [migrations.RunPython(seed, unseed)]
