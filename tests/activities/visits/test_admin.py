"""The back office: the liaison table in and out of Excel, visits, problems and proposals."""

import io
import re

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from import_export.formats.base_formats import XLSX

from activities.models import Assignment, Problem, ProblemEvent, Visit
from activities.visits.resources import COLUMNS, AssignmentResource
from tests.factories import CompanyFactory

from .factories import AssignmentFactory, ProposalFactory, VisitFactory

pytestmark = pytest.mark.django_db

IMPORT_URL = reverse("admin:activities_assignment_import")
EXPORT_URL = reverse("admin:activities_assignment_export")


def workbook(*rows, headers=COLUMNS) -> bytes:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(list(headers))
    for values in rows:
        sheet.append(list(values))
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def import_file(content: bytes, *, dry_run=False, user=None):
    dataset = XLSX().create_dataset(content)
    return AssignmentResource().import_data(dataset, dry_run=dry_run, user=user)


def text(response) -> str:
    return re.sub(r"\s+", " ", response.content.decode())


# --- The liaison table ----------------------------------------------------------------------


def test_the_export_has_exactly_the_three_columns(client, secretary, leader, term):
    company = CompanyFactory(name="=上海公式有限公司")
    AssignmentFactory(term=term, leader=leader.person, company=company)
    client.force_login(secretary)
    response = client.post(EXPORT_URL, {"format": "0", "resource": "0"})
    rows = list(openpyxl.load_workbook(io.BytesIO(response.content)).active.values)
    assert rows == [COLUMNS, ("'=上海公式有限公司", company.credit_code, "副会长甲")]


def test_a_file_adds_assignments_for_the_current_term_and_a_second_import_adds_nothing(
    secretary, leader, other_leader, term
):
    first, second = CompanyFactory(), CompanyFactory()
    content = workbook(
        (first.name, first.credit_code, "副会长甲"),
        ("", second.credit_code, "执委乙"),
        (second.name, "", "副会长甲"),
        ("", "", ""),
    )
    result = import_file(content, user=secretary)
    assert not result.has_errors() and not result.has_validation_errors()
    assert set(Assignment.objects.values_list("term", "company", "leader")) == {
        (term.pk, first.pk, leader.person.pk),
        (term.pk, second.pk, other_leader.person.pk),
        (term.pk, second.pk, leader.person.pk),
    }
    assert Assignment.history.first().history_user == secretary

    again = import_file(content, user=secretary)
    assert again.totals["new"] == 0 and again.totals["skip"] == 3
    assert Assignment.objects.count() == 3


def test_a_file_with_bad_rows_changes_nothing_and_names_each_row(leader, term):
    company = CompanyFactory(name="上海好企业有限公司")
    gone = CompanyFactory(name="上海退会企业有限公司", status="left")
    content = workbook(
        (company.name, company.credit_code, "副会长甲"),
        ("上海不存在有限公司", "", "副会长甲"),
        ("上海张冠李戴有限公司", company.credit_code, "副会长甲"),
        (company.name, "", "不是领导"),
        (gone.name, "", "副会长甲"),
        (company.name, company.credit_code, "副会长甲"),
    )
    result = import_file(content)
    problems = AssignmentResource().describe_problems(result)
    assert not Assignment.objects.exists()
    by_row = {(p.row, p.column): p.message for p in problems}
    assert by_row[(3, "企业名称")] == "没有名为“上海不存在有限公司”的会员企业。"
    assert "不是“上海张冠李戴有限公司”" in by_row[(4, "企业名称")]
    assert by_row[(5, "联系领导")] == "“不是领导”不是本届班子成员。"
    assert "不是在册会员企业" in by_row[(6, "企业名称")]
    assert by_row[(7, "联系领导")] == "与本文件第 2 行的企业和联系领导重复。"


def test_a_file_without_the_columns_is_refused_whole(leader, term):
    result = import_file(workbook(("上海某某有限公司", "副会长甲"), headers=("企业名称", "领导")))
    messages = [p.message for p in AssignmentResource().describe_problems(result)]
    assert "缺少以下列：统一社会信用代码、联系领导" in messages[0]


def test_the_secretary_imports_through_the_admin_in_two_steps(client, secretary, leader, term):
    company = CompanyFactory()
    client.force_login(secretary)
    content = workbook((company.name, company.credit_code, "副会长甲"))
    response = client.post(
        IMPORT_URL,
        {
            "import_file": SimpleUploadedFile("联系服务表.xlsx", content),
            "format": "0",
            "resource": "0",
        },
    )
    page = text(response)
    assert "将新增 1 条联系关系" in page
    assert not Assignment.objects.exists()
    bad = workbook(("上海没有这家有限公司", "", "副会长甲"))
    response = client.post(
        IMPORT_URL,
        {"import_file": SimpleUploadedFile("bad.xlsx", bad), "format": "0", "resource": "0"},
    )
    assert "第 2 行：企业名称：没有名为“上海没有这家有限公司”的会员企业。" in text(response)


def test_the_liaison_table_shows_the_current_term_by_default(client, secretary, leader, term):
    AssignmentFactory(term=term, leader=leader.person, company=CompanyFactory(name="本届企业"))
    client.force_login(secretary)
    page = text(client.get(reverse("admin:activities_assignment_changelist")))
    assert "本届企业" in page and "导入" in page and "导出" in page


# --- Visits, problems, proposals ------------------------------------------------------------


def test_the_back_office_lists_open_for_the_secretary_and_the_supervisor(
    client, secretary, supervisor, problem
):
    ProposalFactory()
    for user in (secretary, supervisor):
        client.force_login(user)
        for name in ("assignment", "visit", "problem", "proposal", "visitreminder"):
            url = reverse(f"admin:activities_{name}_changelist")
            assert client.get(url).status_code == 200, url
        assert (
            client.get(reverse("admin:activities_problem_change", args=[problem.pk])).status_code
            == 200
        )


def test_the_supervisor_changes_nothing(client, supervisor, problem):
    client.force_login(supervisor)
    url = reverse("admin:activities_problem_change", args=[problem.pk])
    client.post(url, {"status": "declined", "decline_reason": "监事不能改"})
    problem.refresh_from_db()
    assert problem.status == "open"


def problem_form(problem, **changes):
    data = {
        "company": problem.company_id,
        "visit": problem.visit_id or "",
        "category": problem.category,
        "description": problem.description,
        "owner": problem.owner_id or "",
        "raised_on": problem.raised_on.isoformat(),
        "due_on": problem.due_on.isoformat(),
        "status": problem.status,
        "internal_notes": "",
        "resolution": "",
        "resolved_on": "",
        "decline_reason": "",
        "proposal": "",
        "events-TOTAL_FORMS": "0",
        "events-INITIAL_FORMS": str(problem.events.count()),
    }
    data.update(changes)
    return data


def test_a_status_changed_in_the_back_office_follows_the_rules_and_the_timeline(
    client, secretary, problem
):
    client.force_login(secretary)
    url = reverse("admin:activities_problem_change", args=[problem.pk])
    response = client.post(url, problem_form(problem, status="declined"))
    assert "请填写理由，企业会看到。" in text(response)
    response = client.post(url, problem_form(problem, status="declined", decline_reason="不属于"))
    assert response.status_code == 302
    problem.refresh_from_db()
    assert problem.status == "declined"
    entry = problem.events.get(kind=ProblemEvent.Kind.STATUS)
    assert (entry.from_status, entry.to_status, entry.by) == ("open", "declined", secretary)


def test_problems_added_to_a_visit_in_the_back_office_are_due_in_30_days(client, secretary, leader):
    visit = VisitFactory(leader=leader.person)
    client.force_login(secretary)
    url = reverse("admin:activities_visit_change", args=[visit.pk])
    data = {
        "company": visit.company_id,
        "visited_on": visit.visited_on.isoformat(),
        "leader": leader.person.pk,
        "summary": visit.summary,
        "other_partners": "",
        "problems-TOTAL_FORMS": "1",
        "problems-INITIAL_FORMS": "0",
        "problems-0-category": "policy",
        "problems-0-description": "政策咨询",
        "problems-0-owner": "",
        "problems-0-due_on": "",
        "photos-TOTAL_FORMS": "0",
        "photos-INITIAL_FORMS": "0",
    }
    response = client.post(url, data)
    assert response.status_code == 302, text(response)[:2000]
    problem = Problem.objects.get()
    assert (problem.owner, problem.company, problem.raised_by) == (
        leader.person,
        visit.company,
        secretary,
    )
    assert (problem.due_on - visit.visited_on).days == 30
    assert problem.events.get().kind == "raised"
    assert Visit.objects.get().history.count() >= 1
