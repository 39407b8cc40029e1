"""/me/'s sections kept rendered in the shared cache (core.sections, ``tables=``): each shows a
change at once, each viewer sees their own, and a form's CSRF token is never cached."""

import datetime
import re
from decimal import Decimal

import pytest
import time_machine
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from activities.visits import problems
from tests.activities.visits.factories import ProblemFactory
from tests.charity.factories import DonationFactory
from tests.factories import PersonFactory, UserFactory

ME = reverse("members:me")
pytestmark = pytest.mark.django_db


def solve(problem, user):
    return problems.problem_transition(
        problem=problem,
        acting_user=user,
        to_status=problem.Status.SOLVED,
        resolution="已对接合作银行，获得授信。",
        resolved_on=timezone.localdate(),
    )


def page(client) -> str:
    return re.sub(r"\s+", " ", client.get(ME).content.decode())


def test_a_solved_problem_shows_at_once_and_its_form_carries_this_visitors_token(member, leader):
    problem = ProblemFactory(visit=None, company=member.person.company, description="融资难")
    client = Client(enforce_csrf_checks=True)
    client.force_login(member)
    assert "确认销号" not in page(client)

    solve(problem, leader)
    page(client)  # renders the section again and keeps it
    html = page(client)  # read from the cache
    assert "确认销号" in html and "csrf-token-of-this-request" not in html
    token = re.search(
        rf'action="/problems/{problem.pk}/confirm/"[^>]*>\s*<input type="hidden" '
        r'name="csrfmiddlewaretoken" value="([^"]+)"',
        html,
    )
    assert token, "the confirmation form has its CSRF token"
    response = client.post(
        reverse("activities:problem_confirm", args=[problem.pk]),
        {f"confirm-{problem.pk}-satisfaction": "satisfied", "csrfmiddlewaretoken": token[1]},
    )
    assert response.status_code == 302
    problem.refresh_from_db()
    assert problem.confirmed_at is not None
    assert "已确认：满意" in page(client)


def test_members_of_two_companies_each_see_their_own_problems_and_donations(client, member):
    other = UserFactory(username="member2", person=PersonFactory(name="联系人乙"))
    ProblemFactory(visit=None, company=member.person.company, description="甲公司的用工问题")
    ProblemFactory(visit=None, company=other.person.company, description="乙公司的场地问题")
    DonationFactory(company=member.person.company, amount=Decimal("1234.56"))
    client.force_login(member)
    html = page(client)
    assert "甲公司的用工问题" in html and "1,234.56" in html
    client.force_login(other)
    html = page(client)
    assert "乙公司的场地问题" in html
    assert "甲公司的用工问题" not in html and "1,234.56" not in html


def test_a_new_donation_shows_on_me_at_once(client, member):
    DonationFactory(company=member.person.company, amount=Decimal("1000.00"))
    client.force_login(member)
    assert "1,000.00" in page(client)
    DonationFactory(
        company=member.person.company,
        amount=Decimal("500.00"),
        donated_on=timezone.localdate() - datetime.timedelta(days=1),
    )
    html = page(client)
    assert "1,500.00" in html and "500.00" in html


def test_a_new_bill_and_its_payment_show_on_me_at_once(client, member):
    from tests.dues.factories import BillFactory, PaymentFactory

    client.force_login(member)
    page(client)
    bill = BillFactory(company=member.person.company, amount=Decimal("3000"))
    html = page(client)
    assert bill.number in html and "3,000.00" in html
    payment = PaymentFactory(bill=bill, amount=Decimal("1234.00"))
    html = page(client)
    assert "1,234.00" in html and payment.number in html


@pytest.mark.django_db
def test_two_accounts_without_a_person_never_share_a_cached_section():
    """Sections are cached per viewer: the key names the account, not only the person, so
    two accounts with no person record (and the same roles) get renderings of their own."""
    from chamber.roles import roles_for
    from core.sections import _roles_key

    first, second = UserFactory(person=None), UserFactory(person=None)
    assert _roles_key(roles_for(first)) != _roles_key(roles_for(second))


def test_a_new_colleague_and_a_change_to_the_register_show_on_me_at_once(client, member):
    from tests.factories import CompanyChangeRequestFactory

    company = member.person.company
    client.force_login(member)
    page(client)
    PersonFactory(name="新同事丙", company=company, title="财务总监")
    assert "新同事丙" in page(client)
    CompanyChangeRequestFactory(company=company)
    html = page(client)
    assert "有 1 项名册变更正在等待秘书处审批" in html


def test_a_new_liaison_leader_shows_on_me_at_once(client, member, leader):
    from tests.activities.visits.factories import AssignmentFactory

    client.force_login(member)
    assert "副会长甲" not in page(client)
    term = leader.person.positions.get().term
    AssignmentFactory(term=term, leader=leader.person, company=member.person.company)
    assert "副会长甲 · 副会长" in page(client)


def test_a_sign_up_shows_on_me_at_once_and_leaves_a_month_after_its_event(client, member):
    from activities.models import Registration
    from tests.activities.events.factories import EventFactory, RegistrationFactory

    ends = timezone.now() + datetime.timedelta(hours=1)
    event = EventFactory(
        title="出口合规讲座", starts_at=ends - datetime.timedelta(hours=2), ends_at=ends
    )
    client.force_login(member)
    assert "出口合规讲座" not in page(client)
    RegistrationFactory(event=event, person=member.person, status=Registration.Status.REGISTERED)
    assert "出口合规讲座" in page(client)
    with time_machine.travel(ends + datetime.timedelta(days=31)):
        assert "出口合规讲座" not in page(client)
