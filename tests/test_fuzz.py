"""Fuzzing what people type wrong most: credit codes, mobile numbers, dates and amounts.

Hypothesis feeds each validator, form and admin form text written every way people write these
values (full-width digits, 2月29日, year 0 or 10000, NaN, 1e30, ¥ and commas …) and plain
garbage. A validator or form says yes or gives a reason and never raises anything else; what a
form accepts can be saved; a real page answers 200, 302 or 400, never 500.

Each example runs in a savepoint that is rolled back, so examples do not see each other's rows
and a failing one does not spoil the transaction for the next.
"""

import datetime
from contextlib import contextmanager
from decimal import Decimal

import pytest
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.db import transaction
from django.test import RequestFactory
from django.urls import reverse
from django.utils import timezone
from hypothesis import HealthCheck, event, example, given, settings
from hypothesis import strategies as st
from stdnum.cn import uscc

from activities.events import services
from activities.models import Problem
from chamber.roles import roles_for
from charity.models import Campaign, Donation
from charity.money import LARGEST
from charity.resources import AmountWidget
from core.spreadsheets import parse_date
from members.models import Company, Person
from members.validators import (
    CREDIT_CODE_ALPHABET,
    ORGANISATION_TYPES,
    normalize_credit_code,
    validate_credit_code,
    validate_mobile,
)
from reports.models import Indicator
from tests.activities.events.factories import EventFactory, RegistrationFactory
from tests.activities.visits.factories import ProblemFactory, VisitFactory
from tests.charity.factories import CampaignFactory
from tests.factories import CompanyFactory

pytestmark = pytest.mark.django_db

# Pure functions are cheap: more examples. Forms and pages touch the database: fewer.
QUICK = settings(max_examples=100, deadline=None, database=None)
FORMS = settings(
    max_examples=50,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
PAGES = settings(
    max_examples=25,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)

FULL_WIDTH_DIGITS = str.maketrans("0123456789", "０１２３４５６７８９")


def full_width(text: str) -> str:
    """Digits as a Chinese input method types them (separators stay as they are)."""
    return text.translate(FULL_WIDTH_DIGITS)


# --- Strategies ---------------------------------------------------------------------------

# Credit codes: valid ones (an authority and an organisation type of GB 32100, 6 digits,
# 9 characters of the alphabet, the check character), then the same typed carelessly, with one
# character changed, and anything at all.
valid_credit_codes = st.builds(
    lambda digits, rest: digits + rest + uscc.calc_check_digit(digits + rest),
    st.builds(
        lambda kind, division: kind + division,
        st.sampled_from(
            [authority + kind for authority, kinds in ORGANISATION_TYPES.items() for kind in kinds]
        ),
        st.text(alphabet="0123456789", min_size=6, max_size=6),
    ),
    st.text(alphabet=CREDIT_CODE_ALPHABET, min_size=9, max_size=9),
)


def retyped(code: str, how: str) -> str:
    return {
        "lower": code.lower(),
        "spaced": f"{code[:6]} {code[6:12]} {code[12:]}",
        "dashed": f"{code[:8]}-{code[8:]}",
        "full width": full_width(code),
        "ligature": code.replace("FF", "ﬀ", 1) + "-",
    }[how]


credit_codes = st.one_of(
    valid_credit_codes,
    st.builds(
        retyped,
        valid_credit_codes,
        st.sampled_from(["lower", "spaced", "dashed", "full width", "ligature"]),
    ),
    st.builds(
        lambda code, at, char: code[:at] + char + code[at + 1 :],
        valid_credit_codes,
        st.integers(0, 17),
        st.characters(codec="utf-8"),
    ),
    st.sampled_from(["", "0" * 18, "I" * 18, "91310118MA1JL8XQ7O", "ｚ" * 18, "9" * 40]),
    st.text(max_size=25),
)

# Mobile numbers.
valid_mobiles = st.from_regex(r"\A1[3-9][0-9]{9}\Z")
mobiles = st.one_of(
    valid_mobiles,
    valid_mobiles.map(full_width),
    valid_mobiles.map(lambda mobile: f"+86 {mobile}"),
    valid_mobiles.map(lambda mobile: f"{mobile[:3]}-{mobile[3:7]}-{mobile[7:]}"),
    st.text(alphabet="0123456789+- ０１２３", max_size=20),
    st.sampled_from(["12345678901", "1381234567", "138123456789", "١٣٨١٢٣٤٥٦٧٨"]),
    st.text(max_size=20),
)

# Dates: the three accepted ways of writing one, in full-width digits too, and the rest.
DATE_STYLES = [
    lambda day: day.isoformat(),
    lambda day: f"{day.year:04d}/{day.month}/{day.day}",
    lambda day: f"{day.year:04d}年{day.month}月{day.day}日",
]
days = st.dates(min_value=datetime.date(1, 1, 1), max_value=datetime.date(9999, 12, 31))
# Dates near today are the ones a page accepts (no visit in the future, none solved before
# it was raised): half the dates are drawn from them, so the pages save as often as refuse.
TODAY = timezone.localdate()
recent_days = st.dates(
    min_value=TODAY - datetime.timedelta(days=400), max_value=TODAY + datetime.timedelta(days=60)
)
written_dates = st.builds(
    lambda day, style: style(day), st.one_of(days, recent_days), st.sampled_from(DATE_STYLES)
)
NASTY_DATES = [
    "2024-02-29",
    "2023-02-29",
    "2000年2月29日",
    "2100年2月29日",
    "２０２３年２月２９日",
    "0000-01-01",
    "0000年1月1日",
    "10000-01-01",
    "9999-12-31",
    "0001/1/1",
    "2024-13-01",
    "2024-00-10",
    "2024-05-32",
    "99999999999999999999-01-01",
    "2024-05-01T08:00",
    "2024年5月1",
    "٢٠٢٤-٠٥-٠١",
    "1e10",
    "NaN",
    " ",
]
dates = st.one_of(
    written_dates,
    written_dates.map(full_width),
    st.sampled_from(NASTY_DATES),
    st.builds(
        lambda y, m, d: f"{y}-{m}-{d}",
        st.integers(-(10**30), 10**30),
        st.integers(-100, 10**20),
        st.integers(-100, 100),
    ),
    st.text(max_size=30),
)

# Amounts in 元.
NASTY_AMOUNTS = [
    "NaN",
    "-NaN",
    "sNaN",
    "Infinity",
    "-Infinity",
    "inf",
    "1e30",
    "1E+30",
    "-1e30",
    "1e-30",
    "-5",
    "-0.01",
    "0",
    "0.001",
    "１２３",
    "1,234.50",
    "¥1234",
    "￥1,234.5元",
    "RMB 100",
    "1_000",
    "999999999999.99",
    "1000000000000",
    "9" * 40,
    ".5",
    "+5",
    "0x10",
]
plausible_amounts = st.decimals(min_value=Decimal("0.01"), max_value=LARGEST, places=2)
amounts = st.one_of(
    plausible_amounts.map(str),
    plausible_amounts.map(lambda amount: f"{amount:,}"),
    st.sampled_from(NASTY_AMOUNTS),
    st.decimals(allow_nan=True, allow_infinity=True).map(str),
    st.integers(-(10**40), 10**40).map(str),
    st.floats().map(repr),
    st.text(alphabet="0123456789.,-+eE¥￥元 １２NaInfity", max_size=25),
    st.text(max_size=20),
)


@contextmanager
def rolled_back():
    """One example's writes, undone afterwards whatever happened."""

    class Undo(Exception):
        pass

    try:
        with transaction.atomic():
            yield
            raise Undo
    except Undo:
        pass


def admin_form_class(model, user):
    """The admin's add form for ``model`` as ``user`` gets it."""
    request = RequestFactory().get("/admin/")
    request.user = user
    request.roles = roles_for(user)
    return admin.site._registry[model].get_form(request)


def reasons(error: ValidationError) -> list[str]:
    messages = [str(message) for message in error.messages]
    assert messages and all(messages), "a refusal must say why"
    return messages


# --- Validators and the import's readers ------------------------------------------------------


@QUICK
@given(credit_codes)
def test_a_credit_code_is_accepted_or_refused_with_a_reason(code):
    try:
        validate_credit_code(code)
    except ValidationError as error:
        reasons(error)
    else:
        normalized = normalize_credit_code(code)
        assert len(normalized) == 18
        assert set(normalized) <= set(CREDIT_CODE_ALPHABET)
        assert uscc.is_valid(normalized)


@QUICK
@given(valid_credit_codes, st.sampled_from(["lower", "spaced", "dashed"]))
def test_a_valid_credit_code_passes_however_it_is_spaced_or_cased(code, how):
    validate_credit_code(retyped(code, how))


@QUICK
@given(mobiles)
def test_a_mobile_is_accepted_or_refused_with_a_reason(mobile):
    try:
        validate_mobile(mobile)
    except ValidationError as error:
        reasons(error)
    else:
        assert len(mobile) == 11


@QUICK
@given(days, st.sampled_from(DATE_STYLES), st.booleans())
def test_the_three_ways_of_writing_a_date_read_back_the_same_day(day, style, wide):
    text = style(day)
    assert parse_date(full_width(text) if wide else text) == day


@QUICK
@given(dates)
@example("2023-02-29")
@example("10000-01-01")
def test_any_other_date_text_is_refused_with_what_was_typed(text):
    try:
        value = parse_date(text)
    except ValidationError as error:
        assert any(text.strip() in message for message in reasons(error))
    else:
        assert value is None or isinstance(value, datetime.date)


@QUICK
@given(amounts)
@example("NaN")
@example("1e30")
def test_the_import_reads_an_amount_to_the_fen_or_says_why_not(text):
    try:
        amount = AmountWidget().clean(text)
    except ValueError as error:
        assert str(error)
    else:
        assert amount is None or (
            isinstance(amount, Decimal)
            and Decimal("0") < amount <= LARGEST
            and amount.as_tuple().exponent == -2
        )


# --- Admin forms ---------------------------------------------------------------------------


@FORMS
@given(code=credit_codes, since=dates)
def test_the_company_form_saves_what_it_accepts(secretary, code, since):
    form_class = admin_form_class(Company, secretary)
    data = {
        "name": "上海模糊测试实业有限公司",
        "credit_code": code,
        "industry": "trade",
        "tier": "member",
        "status": "active",
        "member_since": since,
        "party_organisation": "none",
        "party_members": "0",
    }
    with rolled_back():
        form = form_class(data=data)
        if form.is_valid():
            company = form.save()
            assert uscc.is_valid(company.credit_code) or company.credit_code == ""
        else:
            assert form.errors


@FORMS
@given(mobile=mobiles)
def test_the_person_form_accepts_a_mobile_or_says_why(secretary, mobile):
    form_class = admin_form_class(Person, secretary)
    data = {"name": "测试人", "title": "", "mobile": mobile, "email": "", "notes": ""}
    with rolled_back():
        form = form_class(data=data)
        if form.is_valid():
            assert form.save().mobile == mobile.strip()
        else:
            assert "mobile" in form.errors


@FORMS
@given(amount=amounts, day=dates)
@example(amount="1e30", day="2024-05-01")
@example(amount="NaN", day="2024-02-29")
@example(amount="-Infinity", day="2023-02-29")
def test_the_donation_form_saves_an_amount_it_accepts(secretary, amount, day):
    form_class = admin_form_class(Donation, secretary)
    with rolled_back():
        data = {
            "company": CompanyFactory().pk,
            "campaign": CampaignFactory().pk,
            "form": "cash",
            "amount": amount,
            "status": "received",
            "donated_on": day,
        }
        form = form_class(data=data)
        if form.is_valid():
            donation = form.save()
            donation.refresh_from_db()
            assert Decimal("0") < donation.amount <= LARGEST
        else:
            assert set(form.errors) <= {"amount", "donated_on", "__all__"}


@FORMS
@given(goal=amounts, starts=dates, ends=dates)
def test_the_campaign_form_saves_a_goal_and_dates_it_accepts(secretary, goal, starts, ends):
    form_class = admin_form_class(Campaign, secretary)
    data = {
        "name": "模糊测试募捐",
        "kind": "fundraiser",
        "starts_on": starts,
        "ends_on": ends,
        "goal": goal,
    }
    with rolled_back():
        form = form_class(data=data)
        if form.is_valid():
            campaign = form.save()
            assert campaign.goal is None or campaign.goal > 0
        else:
            assert form.errors


# --- Real pages ------------------------------------------------------------------------------

ANSWERS = {200, 302, 400}


@PAGES
@given(code=st.one_of(valid_credit_codes, credit_codes), since=st.one_of(written_dates, dates))
def test_adding_a_company_in_the_admin_never_fails(client, secretary, code, since):
    data = {
        "name": "上海页面模糊测试有限公司",
        "credit_code": code,
        "industry": "trade",
        "tier": "member",
        "status": "active",
        "member_since": since,
        "address": "",
        "profile": "",
        "party_organisation": "none",
        "party_members": "0",
        "people-TOTAL_FORMS": "0",
        "people-INITIAL_FORMS": "0",
        "people-MIN_NUM_FORMS": "0",
        "people-MAX_NUM_FORMS": "1000",
    }
    with rolled_back():
        client.force_login(secretary)
        response = client.post(reverse("admin:members_company_add"), data)
        event(f"HTTP {response.status_code}")
        assert response.status_code in ANSWERS


@PAGES
@given(mobile=mobiles)
def test_adding_a_person_in_the_admin_never_fails(client, secretary, mobile):
    data = {"name": "页面测试人", "mobile": mobile, "email": "", "title": "", "notes": ""}
    with rolled_back():
        client.force_login(secretary)
        response = client.post(reverse("admin:members_person_add"), data)
        event(f"HTTP {response.status_code}")
        assert response.status_code in ANSWERS


@PAGES
@given(amount=st.one_of(plausible_amounts.map(str), amounts), day=st.one_of(written_dates, dates))
def test_adding_a_donation_in_the_admin_never_fails(client, secretary, amount, day):
    with rolled_back():
        data = {
            "company": CompanyFactory().pk,
            "campaign": CampaignFactory().pk,
            "form": "cash",
            "amount": amount,
            "goods": "",
            "status": "received",
            "donated_on": day,
            "receipt_number": "",
            "notes": "",
        }
        client.force_login(secretary)
        response = client.post(reverse("admin:charity_donation_add"), data)
        event(f"HTTP {response.status_code}")
        assert response.status_code in ANSWERS


@PAGES
@given(day=st.one_of(written_dates, dates))
def test_logging_a_visit_on_any_date_never_fails(client, leader, day):
    with rolled_back():
        data = {
            "company": CompanyFactory().pk,
            "visited_on": day,
            "summary": "模糊测试走访。",
            "problems-TOTAL_FORMS": "1",
            "problems-INITIAL_FORMS": "0",
            "problems-0-category": "",
            "problems-0-description": "",
        }
        client.force_login(leader)
        response = client.post(reverse("activities:visit_create"), data)
        event(f"HTTP {response.status_code}")
        assert response.status_code in ANSWERS


@PAGES
@given(action=st.sampled_from(["assign", "solve"]), day=st.one_of(written_dates, dates))
def test_assigning_or_solving_a_problem_on_any_date_never_fails(client, secretary, action, day):
    with rolled_back():
        problem = Problem.objects.create(
            company=CompanyFactory(),
            category=Problem.Category.FINANCING,
            description="模糊测试问题",
            status=Problem.Status.IN_PROGRESS,
            raised_on=TODAY - datetime.timedelta(days=200),
            due_on=TODAY - datetime.timedelta(days=170),
        )
        data = {
            "action": action,
            "assign-owner": secretary.person.pk,
            "assign-due_on": day,
            "solve-resolution": "已协调解决。",
            "solve-resolved_on": day,
        }
        client.force_login(secretary)
        response = client.post(reverse("activities:problem_update", args=[problem.pk]), data)
        event(f"HTTP {response.status_code}")
        assert response.status_code in ANSWERS


@PAGES
@given(month=st.one_of(dates, st.builds(lambda d: d[:7], written_dates)), year=dates)
def test_the_calendar_and_compliance_board_take_any_month_or_year(client, president, month, year):
    with rolled_back():
        client.force_login(president)
        calendar = client.get(reverse("activities:calendar"), {"month": month})
        board = client.get(reverse("activities:visit_compliance"), {"year": year})
        event(f"calendar HTTP {calendar.status_code}, board HTTP {board.status_code}")
        assert calendar.status_code in ANSWERS
        assert board.status_code in ANSWERS


# --- The staff's forms -----------------------------------------------------------------------
# What a browser never sends but anyone can post: any text in any field, numbers where choices
# are expected, ids that are not numbers or too large for the column.

junk = st.one_of(
    st.text(max_size=30),
    st.sampled_from(
        ["", "abc", "NaN", "sNaN", "Infinity", "-inf", "1e999999999", "-1", "0", "9" * 25]
    ),
    st.integers(-(2**70), 2**70).map(str),
)


def event_under_way():
    now = timezone.now()
    return EventFactory(
        starts_at=now - datetime.timedelta(minutes=10), ends_at=now + datetime.timedelta(hours=1)
    )


@PAGES
@given(score=junk, comment=junk)
def test_the_four_goods_score_form_never_fails(client, secretary, score, comment):
    with rolled_back():
        indicators = Indicator.objects.filter(heading__framework__code="current")
        data = {f"score-{indicator.pk}": "" for indicator in indicators}
        first = indicators.first()
        data.update({f"score-{first.pk}": score, f"comment-{first.pk}": comment})
        client.force_login(secretary)
        response = client.post(reverse("reports:four_goods", args=[TODAY.year]), data)
        event(f"HTTP {response.status_code}")
        assert response.status_code in ANSWERS


@PAGES
@given(registration=junk, present=junk)
def test_the_attendance_form_never_fails(client, secretary, registration, present):
    with rolled_back():
        event_ = event_under_way()
        RegistrationFactory(event=event_)
        client.force_login(secretary)
        url = reverse("activities:event_attendance", args=[event_.pk])
        response = client.post(url, {"registration": registration, "present": present})
        event(f"HTTP {response.status_code}")
        assert response.status_code in ANSWERS


@PAGES
@given(
    code=junk,
    person=junk,
    # A URL cannot carry a lone surrogate (reverse() itself would fail on one).
    token=st.text(
        alphabet=st.characters(exclude_characters="/", exclude_categories=("Cs",)),
        min_size=1,
        max_size=60,
    ),
)
@example(code="", person="", token="\ud7fe")
@example(code="a\x00b", person="", token="x")  # PostgreSQL refuses a NUL in a string
def test_the_check_in_forms_never_fail(client, secretary, member, code, person, token):
    with rolled_back():
        event_ = event_under_way()
        registration = RegistrationFactory(event=event_)
        client.force_login(secretary)
        door = reverse("activities:event_door", args=[event_.pk])
        answers = [
            client.post(door, {"code": code}),
            client.post(door, {"person": person}),
            client.get(door, {"q": code}),
            client.post(door, {"code": services.pass_token(registration) + code}),
        ]
        client.force_login(member)
        check_in = reverse("activities:event_check_in", args=[event_.pk, event_.check_in_code])
        answers += [client.post(check_in, {"code": code})]
        for who in (member, secretary):
            client.force_login(who)
            answers += [
                client.get(reverse("activities:event_pass", args=[token])),
                client.post(reverse("activities:event_pass", args=[token])),
            ]
        event(f"HTTP {sorted({answer.status_code for answer in answers})}")
        assert all(answer.status_code in ANSWERS | {404} for answer in answers)


@PAGES
@given(
    title=junk,
    kind=junk,
    session=junk,
    status=junk,
    submitted_on=st.one_of(junk, dates),
    problems=st.lists(junk, max_size=3),
)
# An id past the database's integer (SQLite raises OverflowError on pk__in).
@example(
    title="t", kind="", session="", status="", submitted_on="", problems=["9223372036854775808"]
)
def test_the_proposal_form_never_fails(
    client, leader, title, kind, session, status, submitted_on, problems
):
    with rolled_back():
        mine = ProblemFactory(visit=VisitFactory(leader=leader.person))
        data = {
            "title": title,
            "kind": kind,
            "session": session,
            "body": "模糊测试提案。",
            "status": status,
            "submitted_on": submitted_on,
            "problems": [*problems, str(mine.pk)],
        }
        client.force_login(leader)
        response = client.post(reverse("activities:proposal_create"), data)
        event(f"HTTP {response.status_code}")
        assert response.status_code in ANSWERS


PROBLEM_FIELDS = [
    "note",
    "resolution",
    "resolved_on",
    "decline_reason",
    "proposal",
    "owner",
    "due_on",
    "is_internal",
]


@PAGES
@given(
    action=st.sampled_from(
        ["start", "solve", "decline", "link_proposal", "note", "assign", "reopen", "nonsense"]
    ),
    values=st.lists(junk, min_size=len(PROBLEM_FIELDS), max_size=len(PROBLEM_FIELDS)),
)
def test_the_problem_update_form_never_fails(client, secretary, action, values):
    with rolled_back():
        problem = ProblemFactory()
        data = {"action": action}
        data.update(
            {
                f"{action}-{field}": value
                for field, value in zip(PROBLEM_FIELDS, values, strict=True)
            }
        )
        client.force_login(secretary)
        response = client.post(reverse("activities:problem_update", args=[problem.pk]), data)
        event(f"HTTP {response.status_code}")
        assert response.status_code in ANSWERS | {403}


@PAGES
@given(
    leader=junk,
    company=junk,
    day=st.one_of(written_dates, dates, junk),
    companions=st.lists(junk, max_size=2),
    total=junk,
)
# A companion id past the database's integer (SQLite raises OverflowError on pk__in).
@example(leader="", company="", day="", companions=["9223372036854775808"], total="")
def test_the_visit_form_as_the_secretary_never_fails(
    client, secretary, leader, company, day, companions, total
):
    with rolled_back():
        data = {
            "leader": leader,
            "company": company,
            "visited_on": day,
            "companions": companions,
            "summary": "模糊测试走访。",
            "problems-TOTAL_FORMS": total,
            "problems-INITIAL_FORMS": "0",
            "problems-0-category": company,
            "problems-0-description": leader,
        }
        client.force_login(secretary)
        response = client.post(reverse("activities:visit_create"), data)
        event(f"HTTP {response.status_code}")
        assert response.status_code in ANSWERS


# --- Found by fuzzing ------------------------------------------------------------------------
# The validator reads a credit code upper-cased, without spaces and dashes; Company.save() used
# only to upper-case and strip it, so the uniqueness check and the column saw something else
# than the validator passed (a 500 each). Company.clean() now stores the normalized code.


def test_a_credit_code_on_record_typed_in_lower_case_is_refused_as_taken(client, secretary):
    CompanyFactory(credit_code="91310118FF0000001G")
    client.force_login(secretary)
    data = {
        "name": "上海小写代码有限公司",
        "credit_code": "91310118ff0000001g",
        "industry": "trade",
        "tier": "member",
        "status": "active",
        "party_organisation": "none",
        "party_members": "0",
        "people-TOTAL_FORMS": "0",
        "people-INITIAL_FORMS": "0",
    }
    response = client.post(reverse("admin:members_company_add"), data)
    assert response.status_code == 200
    assert response.context["adminform"].form.errors
    assert Company.objects.filter(credit_code="91310118FF0000001G").count() == 1


def test_a_credit_code_with_a_ligature_is_saved_as_the_validator_read_it(client, secretary):
    client.force_login(secretary)
    data = {
        "name": "上海连字代码有限公司",
        "credit_code": "91310118\ufb000000001G-",  # ﬀ: upper-cases to FF
        "industry": "trade",
        "tier": "member",
        "status": "active",
        "party_organisation": "none",
        "party_members": "0",
        "people-TOTAL_FORMS": "0",
        "people-INITIAL_FORMS": "0",
    }
    response = client.post(reverse("admin:members_company_add"), data)
    assert response.status_code == 302
    assert Company.objects.get(name="上海连字代码有限公司").credit_code == "91310118FF0000001G"
