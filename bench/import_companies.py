"""Time the company import through the admin's two steps, at the scale of a city's chamber.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/<db> .venv/bin/python bench/import_companies.py
        [--rows 10000] [--existing 2000] [--messy]

Uses the database in DATABASE_URL (migrated, with `manage.py createcachetable` unless the cache
is Redis) inside one transaction that is rolled back at the end: nothing it creates stays. It
seeds ``--existing`` member companies with their main contacts, writes a workbook of
``--rows`` rows in the file's own columns (the companies on record first, a quarter of them
unchanged, the others with a new tier, a new mobile or a new main contact; then new
companies), and drives the admin as a secretariat user with Django's test client:

1. the file: upload and check (step 1), then confirm (step 2);
2. the same rows again, saved anew: every row unchanged, nothing written, no history;
3. the file with three bad rows: refused at the check, each bad row named, nothing written.

With ``--messy`` the workbook is written as a secretary keeps it (issue 14): a title row merged
across the columns above the header, headers in her own words (企业名, 统一代码, 联系电话 …),
a blank row between blocks of 50 companies, mobiles as numbers and a notes sheet in front, so
that finding the sheet and the header and reading the values is measured too.

For each request it prints the seconds (wall clock; and of them, this process's CPU time and
the time spent waiting for SQL) and the number of SQL queries. The goal (issue 7): under 10 s
and under 100 queries for each step of a 10,000-row file. On a shared machine the wall clock
follows the load average, which it prints.
"""

import argparse
import datetime
import io
import os
import re
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "chamber.settings")

WORDS = (
    "虹泾 徐盈 诸光 龙联 华新 明珠 蟠龙 西郊 淀山 朱家 金泽 赵巷 重固 白鹤 练塘 崧泽 "
    "泰和 恒信 瑞丰 鼎盛 汇通 德隆 嘉禾 润泽 宏达 新业 同创 联华 天祥 永安 "
    "中昊 灿辉 微格 麦迪 上好 佳乐"
).split()
KINDS = (
    "科技",
    "信息技术",
    "食品",
    "物流",
    "贸易",
    "建设工程",
    "医疗器械",
    "针织",
    "投资发展",
    "餐饮管理",
    "文化传媒",
    "环保科技",
)
INDUSTRIES = ("制造业", "批发和零售业", "信息传输、软件和信息技术服务业", "建筑业", "其他")
TIERS = ("会员单位", "会员单位", "会员单位", "执委单位", "副会长单位")
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗"
GIVEN = "建国 梅 伟 芳 敏 静 强 磊 军 洋 勇 艳 杰 娟 涛 明 超 秀英 华 平".split()


def company_name(n: int) -> str:
    """A distinct, plausible company name for every n below len(WORDS)² × len(KINDS)."""
    first, rest = divmod(n, len(WORDS) * len(KINDS))
    second, kind = divmod(rest, len(KINDS))
    return f"上海{WORDS[first % len(WORDS)]}{WORDS[second]}{KINDS[kind]}有限公司"


def bench_credit_code(n: int) -> str:
    """A valid 统一社会信用代码 (check character per GB 32100-2015), out of the tests' range."""
    from stdnum.cn import uscc

    body = f"913101187{n:08d}"[:17]
    return body + uscc.calc_check_digit(body)


def person_name(n: int) -> str:
    return SURNAMES[n % len(SURNAMES)] + GIVEN[(n // len(SURNAMES)) % len(GIVEN)]


def member_since(n: int):
    """The ways dates turn up in a chamber's spreadsheets: a date cell, ISO, slashes, 年月日."""
    day = datetime.date(2005, 1, 1) + datetime.timedelta(days=n * 7 % 7000)
    return (
        day,
        day.isoformat(),
        f"{day.year}/{day.month}/{day.day}",
        f"{day.year}年{day.month}月{day.day}日",
    )[n % 4]


def file_row(n: int, *, tier=None, mobile=None, contact=None) -> list:
    """The n-th company as a row of the file, in the columns' order."""
    with_code = n % 10 != 0  # a tenth of the companies have no code on record
    return [
        company_name(n),
        bench_credit_code(n) if with_code else "",
        INDUSTRIES[n % len(INDUSTRIES)],
        tier or TIERS[n % len(TIERS)],
        member_since(n),
        "在册",
        f"上海市青浦区徐泾镇诸光路{n % 2000 + 1}号",
        contact or person_name(n),
        "总经理" if n % 3 else "董事长",
        mobile or f"139{n:08d}",
        f"c{n}@example.com",
    ]


def seed(existing: int):
    """``existing`` member companies, each with a main contact, as the file's rows say."""
    from members.models import Company, Person, pinyin_initials, pinyin_sort_key
    from members.resources import COLUMNS, CompanyResource

    resource = CompanyResource()
    companies = []
    for n in range(existing):
        row = dict(zip(COLUMNS, file_row(n), strict=True))
        industry = resource.fields["industry"].clean(row)  # its section and the word
        companies.append(
            Company(
                name=row["企业名称"],
                credit_code=row["统一社会信用代码"],
                industry=industry.section,
                industry_text=industry.text,
                tier=resource.fields["tier"].clean(row),
                member_since=resource.fields["member_since"].clean(row),
                address=row["地址"],
                name_initials=pinyin_initials(row["企业名称"]),
                name_pinyin=pinyin_sort_key(row["企业名称"]),
            )
        )
    Company.objects.bulk_create(companies)
    Person.objects.bulk_create(
        Person(
            company=company,
            name=person_name(n),
            title="总经理" if n % 3 else "董事长",
            mobile=f"139{n:08d}",
            email=f"c{n}@example.com",
            is_main_contact=True,
        )
        for n, company in enumerate(companies)
    )


def rows_of_file(total: int, existing: int) -> list[list]:
    """The existing companies (a quarter unchanged, a quarter each with a new tier, a new
    mobile, a new main contact), then new companies."""
    rows = []
    for n in range(existing):
        change = n % 4
        if change == 0:
            rows.append(file_row(n))
        elif change == 1:
            tier = "副会长单位" if TIERS[n % len(TIERS)] != "副会长单位" else "执委单位"
            rows.append(file_row(n, tier=tier))
        elif change == 2:
            rows.append(file_row(n, mobile=f"137{n:08d}"))
        else:
            rows.append(file_row(n, contact="新" + person_name(n), mobile=f"136{n:08d}"))
    rows.extend(file_row(n) for n in range(existing, total))
    return rows


MESSY_HEADERS = (
    "企业名 ",
    "统一代码",
    "行　业",
    "会员类别",
    "入会时间",
    "状态",
    "地址",
    "联系人",
    "职务",
    "联系电话",
    "电子邮箱",
)
MESSY = False  # --messy


def workbook(rows, title="") -> bytes:
    """The rows as Excel saves them; a new ``title`` makes other bytes of the same rows."""
    import openpyxl

    from members.resources import COLUMNS

    book = openpyxl.Workbook()
    book.properties.title = title
    sheet = book.active
    if MESSY:
        sheet.title = "说明"
        sheet.append(["本名册由秘书处整理，每年更新"])
        sheet = book.create_sheet()
    sheet.title = "会员企业"
    if MESSY:
        sheet.append(["徐泾镇商会会员企业名册（2026年）"])
        sheet.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(COLUMNS))
        sheet.append(list(MESSY_HEADERS))
    else:
        sheet.append(list(COLUMNS))
    mobile = COLUMNS.index("手机")
    for n, values in enumerate(rows):
        if MESSY and n and n % 50 == 0:
            sheet.append([])
        if MESSY and str(values[mobile]).isdigit():
            values = [*values[:mobile], int(values[mobile]), *values[mobile + 1 :]]
        sheet.append(values)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def sheet_row(number: int) -> int:
    """The spreadsheet's number of the file's row ``number`` (header = 1): below a title row
    and after a blank row every 50 rows in a messy workbook."""
    if not MESSY:
        return number
    return number + 1 + (number - 2) // 50


def with_bad_rows(rows, numbers) -> list[list]:
    """The rows with a bad cell in each of the spreadsheet rows ``numbers`` (header = 1)."""
    from members.resources import COLUMNS

    rows = [list(values) for values in rows]
    bad_cells = [
        ("统一社会信用代码", lambda code: code[:-1] + ("1" if code[-1] != "1" else "2")),
        ("手机", lambda mobile: "1381234567"),
        ("会员类别", lambda tier: "钻石会员"),
    ]
    for number, (column, spoil) in zip(numbers, bad_cells, strict=True):
        values = rows[number - 2]
        index = COLUMNS.index(column)
        values[index] = spoil(values[index] or bench_credit_code(number - 2))
    return rows


class Admin:
    """The secretariat's browser: the import page's two steps, timed and counted."""

    def __init__(self, user, model=None):
        """The import pages of ``model``'s admin (Company's unless given)."""
        from django.test import Client
        from django.urls import reverse

        self.client = Client(HTTP_HOST="127.0.0.1")
        self.client.force_login(user)
        prefix = "admin:members_company"
        if model is not None:
            prefix = f"admin:{model._meta.app_label}_{model._meta.model_name}"
        self.import_url = reverse(f"{prefix}_import")
        self.process_url = reverse(f"{prefix}_process_import")

    def measure(self, label, url, data):
        from django.db import connection

        queries = []

        def count(execute, sql, params, many, context):
            started = time.perf_counter()
            try:
                return execute(sql, params, many, context)
            finally:
                queries.append(time.perf_counter() - started)

        with connection.execute_wrapper(count):
            started, cpu = time.perf_counter(), time.process_time()
            response = self.client.post(url, data)
            seconds, cpu = time.perf_counter() - started, time.process_time() - cpu
        print(
            f"{label:<30} {seconds:6.2f} s  (CPU {cpu:5.2f} s, SQL {sum(queries):5.2f} s)"
            f" {len(queries):4d} queries  HTTP {response.status_code}"
        )
        return response

    def check(self, label, content: bytes, name="companies.xlsx"):
        from django.core.files.uploadedfile import SimpleUploadedFile

        upload = SimpleUploadedFile(name, content)
        return self.measure(
            label, self.import_url, {"import_file": upload, "format": "0", "resource": "0"}
        )

    def confirm(self, label, checked):
        page = checked.content.decode()
        fields = dict(re.findall(r'<input type="hidden" name="(\w+)" value="([^"]*)"', page))
        if "import_file_name" not in fields:
            raise SystemExit(f"{label}: the check offered no confirmation.")
        return self.measure(label, self.process_url, fields)


def counts():
    from members.models import Company, Person

    return {
        "companies": Company.objects.count(),
        "people": Person.objects.count(),
        "company history": Company.history.count(),
        "person history": Person.history.count(),
    }


def run(total: int, existing: int):
    from django.contrib.auth.models import Group
    from django.db import connection, transaction

    from chamber.models import SECRETARIAT_GROUP, User

    with transaction.atomic():
        user = User.objects.create(username="bench-import-secretary", is_staff=True)
        user.groups.add(Group.objects.get(name=SECRETARIAT_GROUP))
        seed(existing)
        admin = Admin(user)
        rows = rows_of_file(total, existing)
        content = workbook(rows)
        print(
            f"{total} rows ({existing} companies on record), {len(content) // 1024} KiB;"
            f" {connection.vendor}; load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs"
        )

        before = counts()
        checked = admin.check("1. check (upload)", content)
        admin.confirm("1. confirm", checked)
        after = counts()
        print("   written:", {key: after[key] - before[key] for key in after})

        # Saved again: the check reads it anew rather than from the cache.
        content = workbook(rows, title="again")
        checked = admin.check("2. same rows again: check", content)
        admin.confirm("2. same rows again: confirm", checked)
        again = counts()
        print("   written:", {key: again[key] - after[key] for key in again})

        bad_rows = (total // 4, total // 2, total - 1)
        bad = workbook(with_bad_rows(rows_of_file(total, existing), bad_rows))
        refused = admin.check("3. three bad rows: check", bad)
        page = refused.content.decode()
        named = [number for number in bad_rows if f"第 {sheet_row(number)} 行：" in page]
        offered = 'name="import_file_name"' in page
        print(f"   bad rows named: {named} of {list(bad_rows)}; confirm offered: {offered}")
        print("   written:", {key: counts()[key] - again[key] for key in again})
        print(f"load average {os.getloadavg()[0]:.1f}")
        transaction.set_rollback(True)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, default=10_000)
    parser.add_argument("--existing", type=int, default=2_000)
    parser.add_argument("--messy", action="store_true", help="a secretary's workbook")
    args = parser.parse_args()
    global MESSY
    MESSY = args.messy
    if not 0 <= args.existing <= args.rows <= len(WORDS) ** 2 * len(KINDS):
        parser.error(f"need 0 <= existing <= rows <= {len(WORDS) ** 2 * len(KINDS)}")

    import django
    from django.conf import settings

    django.setup()
    # As in production: no query log kept per request, templates without debug info.
    settings.DEBUG = False
    run(args.rows, args.existing)


if __name__ == "__main__":
    main()
