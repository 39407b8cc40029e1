"""Walk every URL pattern for every persona and anonymous, checking who gets what.

A new page without an entry in EXPECTED fails ``test_every_url_pattern_has_expectations``,
so no page can be forgotten.
"""

import re

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from activities.events_services import pass_token

from .activities.events_factories import EventFactory, RegistrationFactory
from .activities.factories import ProblemFactory, ProposalFactory, VisitFactory
from .charity.factories import DonationFactory, PairingFactory
from .factories import CompanyFactory, DocumentFactory
from .notices.factories import JournalIssueFactory, NoticeFactory, SpotlightFactory

ANON = "anonymous"
PERSONAS = [
    ANON,
    "secretary",
    "president",
    "leader",
    "other_leader",
    "supervisor",
    "member",
    "outsider",
]
EVERYONE_LOGGED_IN = {name: 200 for name in PERSONAS if name != ANON}
LOGIN = "login"  # a redirect to the login page

LEADERS_AND_OVERSEERS = {ANON: LOGIN, **EVERYONE_LOGGED_IN, "member": 403, "outsider": 403}
OVERSEERS = {**LEADERS_AND_OVERSEERS, "leader": 403, "other_leader": 403}
OWN_OR_OVERSEERS = {**LEADERS_AND_OVERSEERS, "other_leader": 404}
EDITORS = {**OWN_OR_OVERSEERS, "supervisor": 403}
POST_ONLY = {ANON: LOGIN, **{name: 405 for name in PERSONAS if name != ANON}}
ACTIVITIES_EXPECTED = {
    "activities:visit_list": LEADERS_AND_OVERSEERS,
    "activities:visit_create": {**LEADERS_AND_OVERSEERS, "supervisor": 403},
    "activities:visit_detail": OWN_OR_OVERSEERS,
    "activities:visit_update": EDITORS,
    "activities:visit_compliance": OVERSEERS,
    "activities:visit_compliance_export": OVERSEERS,
    "activities:problem_list": LEADERS_AND_OVERSEERS,
    "activities:problem_export": LEADERS_AND_OVERSEERS,
    "activities:problem_raise": {
        ANON: LOGIN,
        **EVERYONE_LOGGED_IN,
        "secretary": 403,
        "outsider": 403,
    },
    "activities:problem_detail": OWN_OR_OVERSEERS,
    "activities:problem_update": POST_ONLY,
    "activities:problem_confirm": POST_ONLY,
    # The sample problem has no attachment.
    "activities:problem_attachment": {ANON: LOGIN, **{n: 404 for n in PERSONAS if n != ANON}},
    "activities:proposal_list": LEADERS_AND_OVERSEERS,
    # Only a leader who sits in the CPPCC or the People's Congress (the leader persona).
    "activities:proposal_create": {
        **OVERSEERS,
        "secretary": 403,
        "president": 403,
        "supervisor": 403,
        "leader": 200,
    },
    "activities:proposal_detail": LEADERS_AND_OVERSEERS,
    "activities:proposal_update": EDITORS,
    # Events: the calendar and meetings for everyone logged in (an outsider sees no event:
    # the sample event is for members, so its pages are a 404 to them); attendance and
    # participation for the president, secretariat and supervisors; the feed needs its
    # secret (the sample token is nobody's).
    "activities:calendar": {ANON: LOGIN, **EVERYONE_LOGGED_IN},
    "activities:calendar_feed": {name: 404 for name in PERSONAS},
    "activities:calendar_feed_reset": POST_ONLY,
    "activities:meetings": {ANON: LOGIN, **EVERYONE_LOGGED_IN},
    "activities:participation": OVERSEERS,
    "activities:event_detail": {ANON: LOGIN, **EVERYONE_LOGGED_IN, "outsider": 404},
    "activities:event_register": POST_ONLY,
    "activities:event_cancel": POST_ONLY,
    "activities:event_ics": {ANON: LOGIN, **EVERYONE_LOGGED_IN, "outsider": 404},
    "activities:event_check_in": {ANON: LOGIN, **EVERYONE_LOGGED_IN, "outsider": 404},
    "activities:event_attendance": OVERSEERS,
    # The door is the secretariat's; a pass opens for staff and for its own person only.
    "activities:event_door": {
        ANON: LOGIN,
        **{name: 403 for name in PERSONAS if name != ANON},
        "secretary": 200,
    },
    "activities:event_pass": {
        ANON: LOGIN,
        **{name: 404 for name in PERSONAS if name != ANON},
        "secretary": 200,
    },
}

# App pages: url name → expected status per persona (LOGIN = redirect to login).
EXPECTED = {
    "chamber:home": {ANON: LOGIN, **EVERYONE_LOGGED_IN},
    "chamber:leadership": {ANON: LOGIN, **EVERYONE_LOGGED_IN},
    "chamber:rules": {ANON: LOGIN, **EVERYONE_LOGGED_IN},
    "chamber:rule_detail": {ANON: LOGIN, **EVERYONE_LOGGED_IN},
    "chamber:healthz": {ANON: 200, **EVERYONE_LOGGED_IN},
    "members:company_list": {ANON: LOGIN, **EVERYONE_LOGGED_IN, "outsider": 403},
    "members:company_detail": {ANON: LOGIN, **EVERYONE_LOGGED_IN, "outsider": 403},
    # A member's own page: for people of an active member company (leaders have one too).
    "members:me": {ANON: LOGIN, **EVERYONE_LOGGED_IN, "secretary": 403, "outsider": 403},
    # Charity: for everyone logged in; an acknowledgement only for the company that gave
    # (the sample donation is no persona's) and the secretariat; the listing choice for members.
    "charity:overview": {ANON: LOGIN, **EVERYONE_LOGGED_IN},
    "charity:campaign_detail": {ANON: LOGIN, **EVERYONE_LOGGED_IN},
    "charity:pairing_detail": {ANON: LOGIN, **EVERYONE_LOGGED_IN},
    "charity:donation_acknowledgement": {
        ANON: LOGIN,
        **{name: 404 for name in PERSONAS if name != ANON},
        "secretary": 200,
    },
    "charity:contributor_listing": {
        ANON: LOGIN,
        **EVERYONE_LOGGED_IN,
        "secretary": 403,
        "outsider": 403,
    },
    # The full lists behind /charity/'s "see all" links; a member company's own donations.
    "charity:campaign_list": {ANON: LOGIN, **EVERYONE_LOGGED_IN},
    "charity:pairing_list": {ANON: LOGIN, **EVERYONE_LOGGED_IN},
    "charity:contributor_list": {ANON: LOGIN, **EVERYONE_LOGGED_IN},
    "charity:donation_list": {
        ANON: LOGIN,
        **EVERYONE_LOGGED_IN,
        "secretary": 403,
        "outsider": 403,
    },
    # Visits and problems: for the leadership, and the president, secretariat and supervisors
    # (a leader sees their own: the sample visit and problem are the leader's); the board for
    # the latter three; members raise and confirm problems from /me/ (POST only).
    **ACTIVITIES_EXPECTED,
    # Reports: the dashboard, the four-goods self-assessment (and its xlsx) and the yearly
    # summary, for the president, the secretariat and supervisors.
    "reports:dashboard": OVERSEERS,
    "reports:four_goods": OVERSEERS,
    "reports:four_goods_export": OVERSEERS,
    "reports:summary": OVERSEERS,
    # Notices, the journal, sharing and search: for everyone logged in; the sample notice is
    # for members, so an outsider gets a 404 for it and its poster. The sample notice has no
    # attachment and the sample issue no PDF. Reminders, comments and publishing are POSTs.
    "notices:notice_list": {ANON: LOGIN, **EVERYONE_LOGGED_IN},
    "notices:notice_detail": {ANON: LOGIN, **EVERYONE_LOGGED_IN, "outsider": 404},
    "notices:attachment": {ANON: LOGIN, **{n: 404 for n in PERSONAS if n != ANON}},
    "notices:notice_remind": POST_ONLY,
    "notices:journal": {ANON: LOGIN, **EVERYONE_LOGGED_IN},
    "notices:journal_issue": {ANON: LOGIN, **EVERYONE_LOGGED_IN},
    "notices:journal_pdf": {ANON: LOGIN, **{n: 404 for n in PERSONAS if n != ANON}},
    "notices:spotlight_detail": {ANON: LOGIN, **EVERYONE_LOGGED_IN},
    "notices:share_poster": {ANON: LOGIN, **EVERYONE_LOGGED_IN, "outsider": 404},
    "notices:search": {ANON: LOGIN, **EVERYONE_LOGGED_IN},
    "chamber:rule_comment": POST_ONLY,
    "chamber:rule_version_publish": POST_ONLY,
    "set_language": {name: 302 for name in PERSONAS},
    # Uploaded files: only for people who are logged in.
    None: {ANON: LOGIN},
}

# allauth's pages. Anonymous people may reach login and password reset; sign-up is closed.
ALLAUTH_ANONYMOUS = {
    "account_login": 200,
    "account_logout": 302,
    "account_inactive": 200,
    "account_signup": 200,  # renders "sign-up closed", asserted in test_signup_is_closed
    "account_reauthenticate": LOGIN,
    "account_request_reauthentication_code": LOGIN,
    "account_confirm_reauthentication_code": LOGIN,
    "account_email": LOGIN,
    "account_email_verification_sent": 200,
    "account_change_password": LOGIN,
    "account_set_password": LOGIN,
    "account_reset_password": 200,
    "account_confirm_login_code": 302,
    "account_confirm_email": 200,
    "account_reset_password_from_key_done": 200,
    "account_reset_password_from_key": 200,
    "account_reset_password_done": 200,
}

ADMIN_USERS = {"secretary", "supervisor"}


def walk(patterns, namespace=None):
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            inner = ":".join(part for part in [namespace, pattern.namespace] if part) or None
            yield from walk(pattern.url_patterns, inner)
        elif isinstance(pattern, URLPattern):
            name = f"{namespace}:{pattern.name}" if namespace and pattern.name else pattern.name
            yield namespace, name, pattern


ALL_PATTERNS = list(walk(get_resolver().url_patterns))


def test_every_url_pattern_has_expectations():
    missing = [
        str(pattern.pattern)
        for namespace, name, pattern in ALL_PATTERNS
        if namespace != "admin" and name not in EXPECTED and name not in ALLAUTH_ANONYMOUS
    ]
    assert missing == [], "add these URL patterns to EXPECTED in tests/test_permissions.py"


@pytest.fixture
def objects(db, leader):
    company = CompanyFactory()
    document = DocumentFactory()
    problem = ProblemFactory(visit=VisitFactory(company=company, leader=leader.person))
    proposal = ProposalFactory(carrier=leader.person)
    donation = DonationFactory(company=company)
    pairing = PairingFactory(companies=[company])
    return {
        "pk": company.pk,
        "company": company,
        "document": document,
        "donation": donation,
        "pairing": pairing,
        "visit": problem.visit,
        "problem": problem,
        "proposal": proposal,
        "event": EventFactory(),
        "notice": NoticeFactory(),
        "journal_issue": JournalIssueFactory(),
        "spotlight": SpotlightFactory(company=company),
    }


def sample_url(namespace, name, pattern, objects):
    """A URL for the pattern, with real objects where the pattern takes an id."""
    if name == "chamber:rule_detail":
        return reverse(name, args=[objects["document"].pk])
    if name == "members:company_detail":
        return reverse(name, args=[objects["company"].pk])
    if name == "charity:campaign_detail":
        return reverse(name, args=[objects["donation"].campaign_id])
    if name == "charity:pairing_detail":
        return reverse(name, args=[objects["pairing"].pk])
    if name == "charity:donation_acknowledgement":
        return reverse(name, args=[objects["donation"].pk])
    if name == "activities:event_pass":
        registration = RegistrationFactory(event=objects["event"])
        return reverse(name, args=[pass_token(registration)])
    if name == "activities:event_check_in":
        return reverse(name, args=[objects["event"].pk, objects["event"].check_in_code])
    if name and name.startswith("reports:") and "year" in pattern.pattern.regex.groupindex:
        return reverse(name, args=[2026])
    if name == "notices:share_poster":
        return reverse(name, args=["notice", objects["notice"].pk])
    if name == "notices:attachment":
        return reverse(name, args=[objects["notice"].pk, 0])
    if name and name.startswith("notices:") and "pk" in pattern.pattern.regex.groupindex:
        key = {"journal_issue": "journal_issue", "journal_pdf": "journal_issue"}.get(
            name.split(":")[1], "spotlight" if "spotlight" in name else "notice"
        )
        return reverse(name, args=[objects[key].pk])
    if name and name.startswith("activities:") and "pk" in pattern.pattern.regex.groupindex:
        return reverse(name, args=[objects[name.split(":")[1].split("_")[0]].pk])
    if name is None:
        # Unnamed patterns: the admin's catch-all, and uploaded files in development.
        if namespace == "admin":
            return f"/admin/members/company/{objects['pk']}/"
        return "/media/logos/none.png"
    samples = {
        "key": "abc",
        "uidb36": "1",
        "object_id": str(objects["pk"]),
        "app_label": "members",
        "content_type_id": "1",
        "path": "x",
        "url": "x",
    }
    regex = pattern.pattern.regex
    if regex.groups and not regex.groupindex:
        # Unnamed groups, e.g. simple_history's <object id>/history/<history id>/.
        return reverse(name, args=[str(objects["pk"])] * regex.groups)
    kwargs = {group: samples.get(group, "1") for group in regex.groupindex}
    if name and name.startswith("admin:") and "app_label" in kwargs:
        kwargs["app_label"] = re.search(r"\(\?P<app_label>([a-z_]+)", regex.pattern).group(1)
    return reverse(name, kwargs=kwargs) if name else None


def login_as(client, request, persona):
    if persona != ANON:
        client.force_login(request.getfixturevalue(persona))


def check(response, expected, url):
    if expected == LOGIN:
        assert response.status_code == 302, url
        assert response["Location"].startswith(reverse("account_login")), url
    else:
        assert response.status_code == expected, (url, response.status_code)


@pytest.mark.parametrize("persona", PERSONAS)
def test_app_pages_answer_each_persona_as_expected(client, request, objects, persona):
    login_as(client, request, persona)
    for namespace, name, pattern in ALL_PATTERNS:
        if namespace == "admin" or name in ALLAUTH_ANONYMOUS:
            continue
        expected = EXPECTED[name].get(persona)
        if expected is None:
            continue
        url = sample_url(namespace, name, pattern, objects)
        check(client.get(url), expected, url)


def test_allauth_pages_answer_anonymous_as_expected(client, objects):
    for namespace, name, pattern in ALL_PATTERNS:
        if name in ALLAUTH_ANONYMOUS:
            url = sample_url(namespace, name, pattern, objects)
            check(client.get(url), ALLAUTH_ANONYMOUS[name], url)


@pytest.mark.parametrize("persona", PERSONAS)
def test_every_admin_page_is_for_staff_only(client, request, objects, persona):
    login_as(client, request, persona)
    for namespace, name, pattern in ALL_PATTERNS:
        if namespace != "admin":
            continue
        url = sample_url(namespace, name, pattern, objects)
        response = client.get(url)
        if persona == ANON:
            # The admin sends people to its own login, which hands over to allauth's.
            assert response.status_code == 302, url
            if response["Location"].startswith(reverse("admin:login")):
                response = client.get(response["Location"])
            check(response, LOGIN, url)
        elif persona not in ADMIN_USERS:
            # The admin sends non-staff to its login, which allauth refuses with 403.
            assert client.get(url, follow=True).status_code == 403, url
        else:
            assert response.status_code < 500, (url, response.status_code)


@pytest.mark.parametrize("persona", sorted(ADMIN_USERS))
def test_admin_index_opens_for_secretariat_and_supervisors(client, request, persona):
    login_as(client, request, persona)
    assert client.get(reverse("admin:index")).status_code == 200


def test_signup_is_closed(client, db):
    response = client.post(
        reverse("account_signup"),
        {
            "username": "intruder",
            "email": "x@example.com",
            "password1": "Aa-123456789",
            "password2": "Aa-123456789",
        },
    )
    from chamber.models import User

    assert not User.objects.filter(username="intruder").exists()
    assert b'name="password1"' not in response.content
