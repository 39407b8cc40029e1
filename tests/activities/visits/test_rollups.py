"""The roll-ups of the visits (``VisitMonth``, companies visited per person and month, and
``CompanyLastVisit``): every way a visit or its companions are written leaves them as a count
from scratch of the visits would, and the pages that read them show the new figure at once."""

import datetime
import io
import re

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from activities.models import CompanyLastVisit, Visit, VisitMonth, month_start
from activities.visits import services
from activities.visits.compliance import coverage
from activities.visits.rollups import (
    from_scratch,
    last_visits_from_scratch,
    rebuild_visit_months,
    refresh_last_visits,
    refresh_visit_months,
)
from tests.factories import CompanyFactory, PersonFactory

from ..conftest import days_ago
from .factories import VisitFactory
from .test_compliance import board_total

pytestmark = pytest.mark.django_db


def stored() -> dict:
    return {
        (person, month): count
        for person, month, count in VisitMonth.objects.values_list(
            "person_id", "month", "companies"
        )
    }


def assert_as_from_scratch() -> dict:
    """Both roll-ups equal a count of the raw visits (a month without a company, a company
    never visited have no row). Returns the months."""
    expected = from_scratch()
    assert stored() == expected
    last_visits = dict(CompanyLastVisit.objects.values_list("company_id", "visited_on"))
    assert last_visits == last_visits_from_scratch()
    return expected


def last_month(today: datetime.date) -> datetime.date:
    return month_start(today) - datetime.timedelta(days=1)


def visit_form(company, visited_on, companions=(), **fields):
    data = {
        "company": company.pk,
        "visited_on": visited_on.isoformat(),
        "summary": "与总经理座谈，企业订单饱满。",
        "companions": [person.pk for person in companions],
        "problems-TOTAL_FORMS": "0",
        "problems-INITIAL_FORMS": "0",
    }
    data.update(fields)
    return data


def test_logging_and_editing_through_the_form_keep_the_months(
    client, leader, other_leader, company, today
):
    client.force_login(leader)
    new = reverse("activities:visit_create")
    response = client.post(new, visit_form(company, today, companions=[other_leader.person]))
    assert response.status_code == 302
    visit = Visit.objects.get()
    month = month_start(today)
    assert assert_as_from_scratch() == {
        (leader.person.pk, month): 1,
        (other_leader.person.pk, month): 1,
    }

    # Moved to last month, to another company, without the fellow leader.
    earlier, elsewhere = last_month(today), CompanyFactory()
    url = reverse("activities:visit_update", args=[visit.pk])
    assert client.post(url, visit_form(elsewhere, earlier)).status_code == 302
    assert assert_as_from_scratch() == {(leader.person.pk, month_start(earlier)): 1}

    # A second visit to the same company that month counts once; another company counts.
    client.post(new, visit_form(elsewhere, earlier))
    assert assert_as_from_scratch() == {(leader.person.pk, month_start(earlier)): 1}
    client.post(new, visit_form(company, earlier, companions=[other_leader.person]))
    assert assert_as_from_scratch() == {
        (leader.person.pk, month_start(earlier)): 2,
        (other_leader.person.pk, month_start(earlier)): 1,
    }


def test_the_admin_changes_the_leader_and_deletes_visits(
    client, secretary, leader, other_leader, today
):
    visit = VisitFactory(leader=leader.person, visited_on=today)
    kept = VisitFactory(leader=other_leader.person, visited_on=today, companions=[leader.person])
    assert_as_from_scratch()
    client.force_login(secretary)
    url = reverse("admin:activities_visit_change", args=[visit.pk])
    data = {
        "company": visit.company_id,
        "visited_on": last_month(today).isoformat(),
        "leader": other_leader.person.pk,
        "summary": visit.summary,
        "other_partners": "",
        "problems-TOTAL_FORMS": "0",
        "problems-INITIAL_FORMS": "0",
        "photos-TOTAL_FORMS": "0",
        "photos-INITIAL_FORMS": "0",
    }
    assert client.post(url, data).status_code == 302
    assert assert_as_from_scratch() == {
        (leader.person.pk, month_start(today)): 1,  # came along on the other one
        (other_leader.person.pk, month_start(today)): 1,
        (other_leader.person.pk, month_start(last_month(today))): 1,
    }

    changelist = reverse("admin:activities_visit_changelist")
    response = client.post(
        changelist,
        {"action": "delete_selected", "_selected_action": [kept.pk, visit.pk], "post": "yes"},
    )
    assert response.status_code == 302
    assert not Visit.objects.exists()
    assert assert_as_from_scratch() == {}


def test_a_single_delete_and_companions_changed_from_either_side(leader, other_leader, today):
    third = PersonFactory(name="执委丙")
    visit = VisitFactory(leader=leader.person, visited_on=today)
    visit.companions.add(other_leader.person, third)
    assert assert_as_from_scratch()[(third.pk, month_start(today))] == 1
    visit.companions.remove(third)
    assert (third.pk, month_start(today)) not in assert_as_from_scratch()
    visit.companions.clear()
    assert assert_as_from_scratch() == {(leader.person.pk, month_start(today)): 1}

    third.visits_joined.add(visit)  # from the person's side
    assert assert_as_from_scratch()[(third.pk, month_start(today))] == 1
    third.visits_joined.clear()
    assert (third.pk, month_start(today)) not in assert_as_from_scratch()
    third.visits_joined.set([visit])
    other_leader.person.visits_joined.set([visit])
    assert_as_from_scratch()

    third.delete()  # a fellow leader's person deleted: their months go with them
    assert assert_as_from_scratch() == {
        (leader.person.pk, month_start(today)): 1,
        (other_leader.person.pk, month_start(today)): 1,
    }
    visit.delete()
    assert assert_as_from_scratch() == {}


def test_the_service_logs_a_visit_with_companions_in_the_months(
    secretary, leader, other_leader, company, today
):
    services.visit_record(
        acting_user=secretary,
        leader=leader.person,
        company=company,
        visited_on=today,
        summary="座谈",
        companions=[other_leader.person],
    )
    assert len(assert_as_from_scratch()) == 2


def test_bulk_writes_are_refreshed_or_rebuilt_explicitly(leader, other_leader, today):
    company = CompanyFactory()
    visits = Visit.objects.bulk_create(
        [
            Visit(leader=leader.person, company=company, visited_on=today, summary="批量"),
            Visit(leader=leader.person, company=CompanyFactory(), visited_on=days_ago(40)),
        ]
    )
    assert stored() == {}  # no signal: the writer says what it wrote
    refresh_visit_months([(visit.leader_id, visit.visited_on) for visit in visits])
    refresh_last_visits(visit.company_id for visit in visits)
    assert_as_from_scratch()

    Visit.objects.filter(pk=visits[0].pk).update(leader=other_leader.person)
    assert rebuild_visit_months() == 2
    assert assert_as_from_scratch() == {
        (other_leader.person.pk, month_start(today)): 1,
        (leader.person.pk, month_start(days_ago(40))): 1,
    }


def test_the_command_checks_and_rebuilds(leader, today):
    VisitFactory(leader=leader.person, visited_on=today)
    out = io.StringIO()
    call_command("rebuild_visit_months", "--check", stdout=out)
    assert "1 rows" in out.getvalue()
    VisitMonth.objects.update(companies=5)
    with pytest.raises(CommandError, match="1 rows differ"):
        call_command("rebuild_visit_months", "--check", stdout=out)
    call_command("rebuild_visit_months", stdout=out)
    assert_as_from_scratch()
    CompanyLastVisit.objects.update(visited_on=days_ago(30))
    with pytest.raises(CommandError, match="1 rows differ"):
        call_command("rebuild_visit_months", "--check", stdout=out)
    call_command("rebuild_visit_months", stdout=out)
    assert_as_from_scratch()


def test_the_demo_seed_fills_the_months(settings):
    settings.DEBUG = True
    call_command("seed_demo", stdout=io.StringIO())
    assert len(assert_as_from_scratch()) > 5


def test_the_board_and_the_dashboard_show_a_visit_logged_at_once(
    client, president, leader, secretary, company, today
):
    client.force_login(president)
    assert board_total(client, leader.person.name) == 0
    home = reverse("chamber:home")

    def behind() -> str:
        client.get(home)  # the second read comes from the cache
        page = re.sub(r"\s+", " ", client.get(home).content.decode())
        return page.split("副会长甲（", 1)[1].split("）", 1)[0]

    assert behind() == "0/2"
    services.visit_record(
        acting_user=secretary,
        leader=leader.person,
        company=company,
        visited_on=today,
        summary="座谈",
    )
    assert board_total(client, leader.person.name) == 1
    assert behind() == "1/2"
    VisitMonth.objects.all().delete()  # the roll-up alone changes (a rebuild, by hand)
    assert board_total(client, leader.person.name) == 0
    assert behind() == "0/2"


def test_the_coverage_lists_follow_a_company_last_visit(client, president, leader, today):
    company = CompanyFactory(name="久未走访公司")
    visit = VisitFactory(leader=leader.person, company=company, visited_on=days_ago(400))

    def bucket_of(company) -> str | None:
        for bucket in coverage(today):
            if company.pk in [listed.pk for listed in bucket.companies]:
                return bucket.key
        return None

    assert bucket_of(company) == "12"
    recent = VisitFactory(leader=leader.person, company=company, visited_on=days_ago(100))
    assert (bucket_of(company), assert_as_from_scratch() is not None) == ("3", True)
    recent.visited_on = days_ago(200)  # the later visit moved back
    recent.save()
    assert bucket_of(company) == "6"
    recent.company = CompanyFactory()  # and given to another company
    recent.save()
    assert bucket_of(company) == "12"
    assert_as_from_scratch()
    recent.delete()
    visit.delete()
    assert_as_from_scratch()
    assert bucket_of(company) == "12"  # never visited now
    assert CompanyLastVisit.objects.count() == 0

    client.force_login(president)
    page = client.get(reverse("activities:visit_compliance")).content.decode()
    assert "久未走访公司" in page
    VisitFactory(leader=leader.person, company=company, visited_on=today)
    page = client.get(reverse("activities:visit_compliance")).content.decode()
    assert "久未走访公司" not in page  # visited today: in no list, at once
    company_without_visits = CompanyFactory()
    VisitFactory(leader=leader.person, company=company_without_visits).delete()
    company_without_visits.delete()  # its row (none left) and the company go together
    assert_as_from_scratch()
