"""The imports write in bulk (core.bulk_imports) and lose nothing by it: for the liaison table,
events, donations and people, every row written has its history with the importing user and
the file, a changed row its own history and nothing else, the cached counts of what was
written are made out of date once, an event's calendar revision follows a change of place,
and the number of queries of a step does not grow with the rows."""

import datetime
import io

import openpyxl
import pytest
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from activities.events.resources import COLUMNS as EVENT_COLUMNS
from activities.models import Assignment, Event
from activities.visits.resources import COLUMNS as ASSIGNMENT_COLUMNS
from charity.models import Donation
from charity.resources import COLUMNS as DONATION_COLUMNS
from core.counts import _key, bump
from members.models import Company, Person
from members.people_resources import COLUMNS as PEOPLE_COLUMNS
from tests.charity.factories import CampaignFactory
from tests.factories import CompanyFactory, credit_code

pytestmark = pytest.mark.django_db

CAMPAIGN = "重阳敬老募捐"


class Import:
    """One import's admin, and rows of its file: ``rows(start, count)`` new rows, each
    naming its own record; ``changed(row)`` the row with a cell changed."""

    def __init__(self, model, columns):
        self.model, self.columns = model, columns
        self.admin = f"{model._meta.app_label}_{model._meta.model_name}"

    def setup(self, leader):
        self.leader = leader.person
        CampaignFactory(name=CAMPAIGN)
        self.company = CompanyFactory(name="上海批量导入有限公司")

    def rows(self, start, count):
        return [self.row(n) for n in range(start, start + count)]


class Assignments(Import):
    def __init__(self):
        super().__init__(Assignment, ASSIGNMENT_COLUMNS)

    def rows(self, start, count):
        companies = Company.objects.bulk_create(
            Company(name=f"上海批量{n}号有限公司", credit_code=credit_code(10_000 + n))
            for n in range(start, start + count)
        )
        return [[c.name, c.credit_code, self.leader.name] for c in companies]

    changed = None  # every column names the record: a row changes nothing, or is another


class Events(Import):
    def __init__(self):
        super().__init__(Event, EVENT_COLUMNS)

    def row(self, n, venue="商会三楼会议室"):
        day = datetime.date(2030, 1, 1) + datetime.timedelta(days=n)
        return [
            f"第{n}场企业服务活动", "政策宣讲", f"{day} 9:30", "11:30", venue, 60,
            "全体会员", "徐泾镇商会", "", "会员企业交流", "否",
        ]  # fmt: skip

    def changed(self, n):
        return self.row(n, venue="镇政府二楼会议室")


class Donations(Import):
    def __init__(self):
        super().__init__(Donation, DONATION_COLUMNS)

    def row(self, n, notes=""):
        return [
            self.company.name, self.company.credit_code, CAMPAIGN, "", "现金", 1000 + n, "",
            "已到账", datetime.date(2026, 10, 1), f"BULK-{n:05d}", notes,
        ]  # fmt: skip

    def changed(self, n):
        return self.row(n, notes="补开收据")


class People(Import):
    def __init__(self):
        super().__init__(Person, PEOPLE_COLUMNS)

    def row(self, n, title="财务"):
        return [f"批量人员{n}", self.company.name, title, f"137{n:08d}", f"p{n}@example.com", ""]

    def changed(self, n):
        return self.row(n, title="财务总监")


IMPORTS = {"assignments": Assignments, "events": Events, "donations": Donations, "people": People}


def workbook(headers, rows) -> bytes:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(list(headers))
    for values in rows:
        sheet.append(list(values))
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def check(client, kind, rows, name="bulk.xlsx"):
    upload = SimpleUploadedFile(name, workbook(kind.columns, rows))
    checked = client.post(
        reverse(f"admin:{kind.admin}_import"),
        {"import_file": upload, "format": "0", "resource": "0"},
    )
    assert checked.context.get("problems") == [], checked.context.get("problems")
    return checked


def confirm(client, kind, checked):
    done = client.post(
        reverse(f"admin:{kind.admin}_process_import"), checked.context["confirm_form"].initial
    )
    assert done.status_code == 302
    return done


@pytest.fixture(params=IMPORTS)
def kind(request, leader):
    kind = IMPORTS[request.param]()
    kind.setup(leader)
    return kind


@pytest.fixture
def secretary_client(client, secretary):
    client.force_login(secretary)
    return client


def created(kind, before):
    return kind.model.objects.exclude(pk__in=before).order_by("pk")


def test_every_row_written_has_its_history_with_the_importing_user_and_the_file(
    secretary_client, secretary, kind
):
    before = list(kind.model.objects.values_list("pk", flat=True))
    confirm(secretary_client, kind, check(secretary_client, kind, kind.rows(0, 3)))

    records = list(created(kind, before))
    assert len(records) == 3
    for record in records:
        history = list(record.history.all())
        assert [entry.history_type for entry in history] == ["+"]
        assert history[0].history_user == secretary
        assert "bulk.xlsx" in history[0].history_change_reason


def test_a_changed_row_writes_its_change_and_history_and_leaves_the_others(
    secretary_client, secretary, kind
):
    if kind.changed is None:
        pytest.skip("a row of the liaison table is all keys")
    before = list(kind.model.objects.values_list("pk", flat=True))
    rows = kind.rows(0, 3)
    confirm(secretary_client, kind, check(secretary_client, kind, rows))
    records = list(created(kind, before))
    first = records[0]
    if kind.model is Event:
        sequence = first.sequence

    rows[0] = kind.changed(0)
    checked = check(secretary_client, kind, rows, name="corrected.xlsx")
    result = checked.context["result"]
    assert [row.import_type for row in result.valid_rows()] == ["update", "skip", "skip"]
    assert "<ins>" in "".join(result.valid_rows()[0].diff)
    confirm(secretary_client, kind, checked)

    first.refresh_from_db()
    latest = first.history.first()
    assert latest.history_type == "~" and latest.history_user == secretary
    assert "corrected.xlsx" in latest.history_change_reason
    assert latest.instance == first
    assert [record.history.count() for record in records] == [2, 1, 1]
    if kind.model is Event:  # a new place: subscribed calendars pick it up
        assert first.venue == "镇政府二楼会议室" and first.sequence == sequence + 1


@pytest.mark.parametrize("name", ["assignments", "donations", "people"])
def test_an_import_makes_the_cached_counts_of_what_it_wrote_out_of_date_once(
    secretary_client, leader, name
):
    kind = IMPORTS[name]()
    kind.setup(leader)
    rows = kind.rows(0, 5)
    checked = check(secretary_client, kind, rows)
    bump(kind.model)  # a generation to count from (a table never written has none)
    generation = cache.get(_key(kind.model))

    confirm(secretary_client, kind, checked)

    # Bumped once now (and once more at the commit, which a test does not reach).
    assert cache.get(_key(kind.model), 0) == generation + 1


def statements(captured) -> int:
    """The queries run; where the database caps the parameters of a statement (SQLite's
    999), Django cuts a bulk INSERT into several, and those count as one."""
    sql = [query["sql"] for query in captured.captured_queries]
    if connection.features.max_query_params is None:
        return len(sql)
    inserts = [text for text in sql if text.startswith("INSERT INTO")]
    return len(sql) - len(inserts) + len({text.split("(")[0] for text in inserts})


def test_the_queries_of_a_step_do_not_grow_with_the_rows(secretary_client, kind):
    queries = {}
    for start, count in ((0, 5), (100, 20), (1000, 200)):
        rows = kind.rows(start, count)
        with CaptureQueriesContext(connection) as checking:
            checked = check(secretary_client, kind, rows, name=f"rows{count}.xlsx")
        with CaptureQueriesContext(connection) as confirming:
            confirm(secretary_client, kind, checked)
        queries[count] = (statements(checking), statements(confirming))
    assert kind.model.objects.count() >= 225

    assert queries[20] == queries[200]


def test_the_company_import_makes_the_cached_counts_of_companies_and_people_out_of_date(
    secretary_client,
):
    from members.resources import COLUMNS as COMPANY_COLUMNS

    row = ["上海新会员有限公司", credit_code(20_000), "物流", "会员单位", "2024-05-01", "在册",
           "", "王明", "总经理", "13800138000", ""]  # fmt: skip
    kind = Import(Company, COMPANY_COLUMNS)
    checked = check(secretary_client, kind, [row])
    for model in (Company, Person):
        bump(model)  # a generation to count from (a table never written has none)
    generations = [cache.get(_key(model)) for model in (Company, Person)]

    confirm(secretary_client, kind, checked)

    assert Person.objects.get(name="王明").company.name == "上海新会员有限公司"
    assert [cache.get(_key(model), 0) for model in (Company, Person)] == [
        generation + 1 for generation in generations
    ]
