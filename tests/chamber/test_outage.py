"""A database outage: a 503 page in Chinese, nothing half-written, service back by itself."""

import logging
import re
from contextlib import contextmanager

import pytest
from django.db import OperationalError, connection
from django.test import Client, RequestFactory
from django.urls import reverse
from django.utils import timezone

from activities.models import Problem, ProblemEvent, Visit
from chamber.outage import outage_response
from tests.factories import CompanyFactory

pytestmark = pytest.mark.django_db

HOME = reverse("chamber:home")
NEW_VISIT = reverse("activities:visit_create")


@contextmanager
def database_fails(sql_fragment: str, *, from_query: int = 1):
    """Queries containing ``sql_fragment`` raise OperationalError, as when the server goes
    away, from the ``from_query``-th such query on; the others run as usual."""
    seen = 0

    def fail(execute, sql, params, many, context):
        nonlocal seen
        if sql_fragment in sql:
            seen += 1
            if seen >= from_query:
                raise OperationalError("server closed the connection unexpectedly")
        return execute(sql, params, many, context)

    with connection.execute_wrapper(fail):
        yield


def text(response) -> str:
    return re.sub(r"\s+", " ", response.content.decode())


def assert_outage_page(response):
    assert response.status_code == 503
    assert response["Retry-After"] == "30"
    assert "no-store" in response["Cache-Control"]
    page = text(response)
    assert "系统暂时无法连接数据库" in page
    assert "您刚才的操作没有保存" in page
    assert "请过一分钟再试" in page


def visit_with_two_problems(company) -> dict:
    return {
        "company": company.pk,
        "visited_on": timezone.localdate().isoformat(),
        "summary": "与总经理座谈，企业订单饱满。",
        "problems-TOTAL_FORMS": "2",
        "problems-INITIAL_FORMS": "0",
        "problems-0-category": "financing",
        "problems-0-description": "扩产需要流动资金。",
        "problems-1-category": "premises",
        "problems-1-description": "厂房租约年底到期。",
    }


def test_a_page_answers_503_in_chinese_when_the_database_fails_in_the_view(client, leader, caplog):
    client.force_login(leader)
    # The companies visited per month are read by the leader's home only (the term comes
    # with the account).
    with database_fails('"activities_visitmonth"'), caplog.at_level(logging.ERROR):
        response = client.get(HOME)
    assert_outage_page(response)
    assert f'href="{HOME}"' in response.content.decode()  # 重试 reloads the page
    assert "重试" in text(response)
    errors = [r for r in caplog.records if r.levelno >= logging.ERROR]
    assert len(errors) == 1
    assert errors[0].getMessage() == f"Service Unavailable: {HOME}"
    assert isinstance(errors[0].exc_info[1], OperationalError)


def test_a_failure_before_the_view_also_answers_503(leader, caplog):
    """Loading the session in LoginRequiredMiddleware fails before any view runs."""
    client = Client(raise_request_exception=False)
    client.force_login(leader)
    with database_fails('"django_session"'), caplog.at_level(logging.ERROR):
        response = client.get(reverse("activities:visit_list"))
    assert_outage_page(response)
    errors = [r for r in caplog.records if r.levelno >= logging.ERROR]
    assert len(errors) == 1
    assert errors[0].getMessage() == "Service Unavailable: /visits/"


def test_other_errors_still_answer_500(leader):
    client = Client(raise_request_exception=False)
    client.force_login(leader)

    def broken(execute, sql, params, many, context):
        raise ZeroDivisionError

    with connection.execute_wrapper(broken):
        response = client.get(HOME)
    assert response.status_code == 500
    assert "系统暂时无法连接数据库" not in text(response)


def test_a_visit_interrupted_mid_transaction_leaves_nothing_half_written(client, leader):
    client.force_login(leader)
    company = CompanyFactory()
    data = visit_with_two_problems(company)
    # The visit and the first problem are inserted; the server goes away on the second.
    with database_fails('INSERT INTO "activities_problem" (', from_query=2):
        response = client.post(NEW_VISIT, data)
    assert_outage_page(response)
    assert 'class="button"' not in response.content.decode()  # no "retry" GET for a POST
    assert not Visit.objects.exists()
    assert not Problem.objects.exists()
    assert not ProblemEvent.objects.exists()
    assert not Visit.history.exists() and not Problem.history.exists()

    # Once the database answers again, the same submission goes through, whole.
    response = client.post(NEW_VISIT, data)
    assert response.status_code == 302
    visit = Visit.objects.get()
    assert sorted(visit.problems.values_list("category", flat=True)) == ["financing", "premises"]


def test_the_outage_page_renders_without_touching_the_database(django_assert_num_queries):
    request = RequestFactory().get("/companies/?page=2")
    with django_assert_num_queries(0):
        response = outage_response(request)
    assert_outage_page(response)
    assert 'href="/companies/?page=2"' in response.content.decode()
