"""Time the other all-or-nothing imports through the admin's two steps: assignments (联系服务表),
events (活动计划), donations (捐赠) and people (人员), at 10,000 rows each.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/<db> .venv/bin/python bench/import_others.py
        [--rows 10000] [--only assignments,events,donations,people]

Uses the database in DATABASE_URL (migrated, with `manage.py createcachetable` unless the cache
is Redis) inside one transaction that is rolled back at the end: nothing it creates stays. It
seeds, in bulk, what the files name (``--rows`` member companies with a person each, twenty
leaders of a term in force today, a campaign), writes a workbook of ``--rows`` new rows for
each import in its own columns and drives the admin as a secretariat user with Django's test
client: upload and check (step 1), then confirm (step 2).

For each request it prints the seconds (wall clock; and of them, this process's CPU time and
the time spent waiting for SQL) and the number of SQL queries. The goal (issue 14): under 10 s
for each step of a 10,000-row file, and a number of queries that does not grow with the rows.
"""

import argparse
import datetime
import os
import sys
import time

from import_companies import Admin, bench_credit_code, company_name, person_name

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "chamber.settings")

IMPORTS = ("assignments", "events", "donations", "people")
LEADERS = 20
CAMPAIGN = "重阳敬老募捐"


def seed(total: int):
    """``total`` member companies (with a code, but for every tenth) with a person each, a
    term in force today with twenty leaders, and a campaign."""
    from django.utils import timezone

    from chamber.models import Position, Term
    from charity.models import Campaign
    from members.models import Company, Person

    companies = Company.objects.bulk_create(
        Company(name=company_name(n), credit_code=bench_credit_code(n) if n % 10 else "")
        for n in range(total)
    )
    people = Person.objects.bulk_create(
        Person(company=company, name=person_name(n), mobile=f"139{n:08d}")
        for n, company in enumerate(companies)
    )
    today = timezone.localdate()
    term = Term.objects.filter(starts_on__lte=today, ends_on__gte=today).first()
    if term is None:
        number = (Term.objects.order_by("-number").values_list("number", flat=True).first()) or 0
        term = Term.objects.create(
            number=number + 1,
            starts_on=today.replace(month=1, day=1),
            ends_on=today.replace(year=today.year + 4, month=12, day=31),
        )
    # Leaders with names of their own: the people's names repeat every 400.
    leaders = Person.objects.bulk_create(
        Person(company=companies[n], name=f"领导{n:02d}号") for n in range(LEADERS)
    )
    Position.objects.bulk_create(
        Position(person=leader, term=term, title=Position.Title.VICE_PRESIDENT)
        for leader in leaders
    )
    Campaign.objects.get_or_create(name=CAMPAIGN, defaults={"starts_on": today})
    return people


def assignment_rows(total):
    """Company n with leader n mod 20: every pair once."""
    header = ["企业名称", "统一社会信用代码", "联系领导"]
    return header, [
        [company_name(n), bench_credit_code(n) if n % 10 else "", f"领导{n % LEADERS:02d}号"]
        for n in range(total)
    ]


def event_rows(total):
    """A plan of ``total`` events, three a day from the first of next year."""
    from django.utils import timezone

    from activities.events.resources import COLUMNS

    first = datetime.date(timezone.localdate().year + 1, 1, 1)
    rows = []
    for n in range(total):
        day = first + datetime.timedelta(days=n // 3)
        hour = 9 + 3 * (n % 3)
        rows.append(
            [
                f"第{n + 1}场企业服务活动",
                ("政策宣讲", "法律咨询", "联谊/体育", "季度例会暨经验分享会")[n % 4],
                f"{day.isoformat()} {hour}:00",
                f"{hour + 2}:00",
                "商会三楼会议室",
                60 if n % 2 else "",
                "全体会员",
                "徐泾镇商会",
                "",
                "会员企业交流",
                "否",
            ]
        )
    return list(COLUMNS), rows


def donation_rows(total):
    """A donation of each company to the campaign, by code or (without one) by name."""
    from charity.resources import COLUMNS

    return list(COLUMNS), [
        [
            company_name(n),
            bench_credit_code(n) if n % 10 else "",
            CAMPAIGN,
            "",
            "现金",
            1000 + n % 50 * 100,
            "",
            "已到账",
            datetime.date(2026, 10, 1) + datetime.timedelta(days=n % 28),
            f"BENCH-{n:06d}",
            "",
        ]
        for n in range(total)
    ]


def people_rows(total):
    """A second person at each company: a new row each."""
    from members.people_resources import COLUMNS

    return list(COLUMNS), [
        [f"新{person_name(n)}", company_name(n), "财务", f"137{n:08d}", f"p{n}@example.com", ""]
        for n in range(total)
    ]


def workbook(header, rows) -> bytes:
    import io

    import openpyxl

    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(header)
    for values in rows:
        sheet.append(values)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def written():
    from activities.models import Assignment, Event
    from charity.models import Donation
    from members.models import Person

    return {
        "assignments": Assignment.objects.count(),
        "events": Event.objects.count(),
        "donations": Donation.objects.count(),
        "people": Person.objects.count(),
    }


def run(total: int, only):
    from django.contrib.auth.models import Group
    from django.db import connection, transaction

    from activities.models import Assignment, Event
    from chamber.models import SECRETARIAT_GROUP, User
    from charity.models import Donation
    from members.models import Person

    imports = {
        "assignments": (Assignment, assignment_rows),
        "events": (Event, event_rows),
        "donations": (Donation, donation_rows),
        "people": (Person, people_rows),
    }
    with transaction.atomic():
        user = User.objects.create(username="bench-import-secretary", is_staff=True)
        user.groups.add(Group.objects.get(name=SECRETARIAT_GROUP))
        started = time.perf_counter()
        seed(total)
        print(
            f"{total} rows each; seeded in {time.perf_counter() - started:.1f} s;"
            f" {connection.vendor}; load average {os.getloadavg()[0]:.1f}"
            f" on {os.cpu_count()} CPUs"
        )
        for name in only:
            model, rows_of = imports[name]
            admin = Admin(user, model)
            content = workbook(*rows_of(total))
            before = written()
            checked = admin.check(f"{name}: check", content, name=f"{name}.xlsx")
            admin.confirm(f"{name}: confirm", checked)
            after = written()
            print(f"   {name} written: {after[name] - before[name]}")
        print(f"load average {os.getloadavg()[0]:.1f}")
        transaction.set_rollback(True)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, default=10_000)
    parser.add_argument("--only", default=",".join(IMPORTS), help=",".join(IMPORTS))
    args = parser.parse_args()
    only = [name.strip() for name in args.only.split(",") if name.strip()]
    if unknown := set(only) - set(IMPORTS):
        parser.error(f"unknown imports: {', '.join(sorted(unknown))}")

    import django
    from django.conf import settings

    django.setup()
    # As in production: no query log kept per request, templates without debug info.
    settings.DEBUG = False
    run(args.rows, only)


if __name__ == "__main__":
    main()
