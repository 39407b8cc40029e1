"""The leader's lists on /visits/, written in Python (activities/templatetags/visit_lists.py),
against the reference templates that write them the obvious way."""

import datetime

import pytest
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import override
from pytest_django.asserts import assertHTMLEqual

from activities.models import Problem
from activities.templatetags.visit_lists import assigned_company_items, followed_problem_items
from tests.factories import CompanyFactory

from .factories import ProblemFactory

pytestmark = pytest.mark.django_db

NEW = reverse("activities:visit_create")


@pytest.fixture
def companies():
    """Companies never visited, visited yesterday and long ago, with names that need escaping,
    annotated as the view annotates them."""
    today = timezone.localdate()
    rows = []
    for name, days in (
        ("上海'从未'<b>走访</b>&实业有限公司", None),
        ("上海昨天科技有限公司", 1),
        ('上海"很久"食品有限公司', 400),
    ):
        company = CompanyFactory(name=name)
        company.last_visit = None if days is None else today - datetime.timedelta(days=days)
        company.days_since = days
        rows.append(company)
    return rows


@pytest.fixture
def problems():
    today = timezone.localdate()
    overdue = ProblemFactory(
        visit=None,
        company=CompanyFactory(name="上海<i>逾期</i>&有限公司"),
        raised_on=today - datetime.timedelta(days=40),
        due_on=today - datetime.timedelta(days=1),
    )
    handled = ProblemFactory(category=Problem.Category.LEGAL, status=Problem.Status.IN_PROGRESS)
    due_today = ProblemFactory(visit=None, raised_on=today, due_on=today)
    return list(
        Problem.objects.select_related("company").filter(
            pk__in=[p.pk for p in (overdue, handled, due_today)]
        )
    )


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_the_companies_are_written_as_the_reference_template_writes_them(companies, language):
    with override(language):
        reference = render_to_string(
            "activities/visits/includes/_assigned_companies_reference.html",
            {"assigned_companies": companies},
        )
        written = str(assigned_company_items(companies, NEW))
    assertHTMLEqual(written, reference)
    assert written.count("<li") == 3
    assert "&lt;b&gt;走访&lt;/b&gt;" in written and "<b>" not in written


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_the_problems_are_written_as_the_reference_template_writes_them(problems, language):
    today = timezone.localdate()
    with override(language):
        reference = render_to_string(
            "activities/visits/includes/_followed_problems_reference.html",
            {"open_problems": problems, "today": today},
        )
        written = str(followed_problem_items(problems, today))
    assertHTMLEqual(written, reference)
    assert written.count("badge-overdue") == 1
    assert "&lt;i&gt;逾期&lt;/i&gt;" in written and "<i>" not in written


def test_the_chinese_lines_read_as_before(companies, problems):
    yesterday = timezone.localdate() - datetime.timedelta(days=1)
    with override("zh-hans"):
        written = str(assigned_company_items(companies, NEW)) + str(
            followed_problem_items(problems, timezone.localdate())
        )
    assert "从未走访" in written
    assert f"最近走访 {yesterday.year}年{yesterday.month}月{yesterday.day}日（1 天前）" in written
    assert "已逾期" in written and "期限 " in written
