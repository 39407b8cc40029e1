"""The pairings: 练塘镇's 25 villages with their companies and projects, the invented students
with their consents, the school and the groups."""

import datetime

from charity.models import Beneficiary, Consent, Pairing, Project
from demo import data

from .tables import (
    AREA,
    GOALS,
    GROUPS,
    NOTICE_VERSION,
    PROJECTS,
    SHARED_VILLAGES,
    STUDENTS,
    VILLAGES,
    XUJING,
    D,
    rng,
)


def _pairing(seed, beneficiary, companies, values):
    pairing = seed.upsert(
        Pairing, {"beneficiary": beneficiary, "starts_on": values.pop("starts_on")}, values
    )
    wanted = {company.pk for company in companies}
    have = set(pairing.companies.values_list("pk", flat=True))
    if wanted != have:
        pairing.companies.set(companies)
        seed.count(Pairing.companies.through, "updated" if have else "created")
    return pairing


def _village_pairings(seed, companies, campaign) -> dict[str, Pairing]:
    """The 25 villages of 练塘镇, each with its company or companies and 1–3 projects. The
    member login's company shares 泾珠村, so that its page shows a pairing."""
    member_company = next(c for c in companies if c.name == data.MEMBER_LOGIN_COMPANY)
    pool = iter(c for c in companies[:60] if c != member_company)
    pairings = {}
    for index, name in enumerate(VILLAGES):
        village = seed.upsert(
            Beneficiary,
            {"kind": Beneficiary.Kind.VILLAGE, "name": name, "area": AREA},
            {"details": "经济薄弱村"},
        )
        partners = [next(pool) for _ in range(SHARED_VILLAGES.get(name, 1))]
        if name == "泾珠村":
            partners[-1] = member_company
        r = rng("village", name)
        kinds = r.sample(list(PROJECTS), k=1 + index % 3)
        goal = "、".join(GOALS[kind] for kind in kinds)
        pairing = _pairing(
            seed,
            village,
            partners,
            {
                "starts_on": datetime.date(2017, 4, 18),
                "ends_on": datetime.date(2020, 12, 31),
                "campaign": campaign,
                "goal": goal,
            },
        )
        for number, kind in enumerate(kinds):
            title = f"{name}{r.choice(PROJECTS[kind])}"
            year = 2017 + (index + number) % 3
            month = r.randint(6 if year == 2017 else 3, 11)
            completed = datetime.date(year, month, r.randint(1, 28))
            in_progress = name == "东泖村" and number == len(kinds) - 1
            seed.upsert(
                Project,
                {"pairing": pairing, "title": title},
                {
                    "kind": kind,
                    "budget": D(r.randint(6, 30) * 5000),
                    "status": Project.Status.IN_PROGRESS if in_progress else Project.Status.DONE,
                    "completed_on": None if in_progress else completed,
                    "description": "",
                },
            )
        pairings[name] = pairing
    return pairings


def _student_pairings(seed, companies) -> dict[str, Pairing]:
    """Fictional students, their consents (a parent's for those under 14), one company each."""
    sponsors = companies[3 : 3 + len(STUDENTS)]
    pairings = {}
    for index, (name, school, under_14, guardian, publish) in enumerate(STUDENTS):
        student = seed.upsert(
            Beneficiary,
            {"kind": Beneficiary.Kind.STUDENT, "name": name, "organisation": school},
            {
                "area": XUJING,
                "is_sensitive": True,
                "is_under_14": under_14,
                "details": "家庭经济困难，申请生活补助。（虚构的演示数据）",
            },
        )
        seed.upsert(
            Consent,
            {"beneficiary": student, "notice_version": NOTICE_VERSION},
            {
                "given_by": guardian or name,
                "relation": Consent.Relation.PARENT if guardian else Consent.Relation.SELF,
                "given_on": datetime.date(2017, 3, 20),
                "publish_name": publish,
            },
        )
        pairings[name] = _pairing(
            seed,
            student,
            [sponsors[index]],
            {
                "starts_on": datetime.date(2017, 9, 1),
                "ends_on": None,
                "campaign": None,
                "goal": "每学年生活补助，帮助完成学业",
            },
        )
        seed.upsert(
            Project,
            {"pairing": pairings[name], "title": "学年生活补助"},
            {
                "kind": Project.Kind.STIPEND,
                "budget": D("4000.00"),
                "status": Project.Status.IN_PROGRESS,
                "completed_on": None,
            },
        )
    school = seed.upsert(
        Beneficiary,
        {"kind": Beneficiary.Kind.SCHOOL, "name": "徐泾中学", "area": XUJING},
        {"organisation": ""},
    )
    pairings["徐泾中学"] = _pairing(
        seed,
        school,
        companies[11:13],
        {
            "starts_on": datetime.date(2018, 9, 1),
            "ends_on": None,
            "campaign": None,
            "goal": "送书进校园，资助贫困生",
        },
    )
    seed.upsert(
        Project,
        {"pairing": pairings["徐泾中学"], "title": "图书角建设"},
        {
            "kind": Project.Kind.BOOKS,
            "budget": D("30000.00"),
            "status": Project.Status.DONE,
            "completed_on": datetime.date(2018, 12, 20),
        },
    )
    return pairings


def _group_pairings(seed, companies) -> dict[str, Pairing]:
    pairings = {}
    for index, (name, area, organisation, kind, title) in enumerate(GROUPS):
        group = seed.upsert(
            Beneficiary,
            {"kind": Beneficiary.Kind.GROUP, "name": name, "area": area},
            {"organisation": organisation},
        )
        pairings[name] = _pairing(
            seed,
            group,
            [companies[13 + index]],
            {
                "starts_on": datetime.date(2018, 1, 1),
                "ends_on": None,
                "campaign": None,
                "goal": "帮困扶弱：" + title,
            },
        )
        seed.upsert(
            Project,
            {"pairing": pairings[name], "title": title},
            {
                "kind": kind,
                "budget": D("20000.00"),
                "status": Project.Status.DONE,
                "completed_on": datetime.date(2019, 6, 1),
            },
        )
    return pairings
