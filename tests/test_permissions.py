"""Walk every URL pattern for every persona and anonymous, checking who gets what.

A new page without an entry in EXPECTED fails ``test_every_url_pattern_has_expectations``,
and an entry that leaves out a persona fails too, so no page and no persona can be forgotten.
POST-only pages are POSTed as well (POST_EXPECTED). The admin is walked with one real object
of each model it shows (ADMIN_OBJECT_FACTORIES), against the rights of the secretariat and the
supervisors written out in ADMIN_EXPECTED and ADMIN_MODEL_EXPECTED; supervisors' change pages
must offer nothing to edit, and their POSTs (save, add, delete, revert, import, password,
every admin action) must be refused and change nothing.
"""

import re

import pytest
from django.apps import apps
from django.contrib import admin
from django.contrib.admin.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.core import mail
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from activities.events.services import pass_token
from core.share_links import public_token

from .activities.events.factories import EventFactory, RegistrationFactory
from .activities.visits.factories import (
    AssignmentFactory,
    ProblemFactory,
    ProposalFactory,
    VisitFactory,
)
from .charity.factories import (
    CampaignFactory,
    ConsentFactory,
    ContributorPreferenceFactory,
    DonationFactory,
    PairingFactory,
    ProjectFactory,
    StudentFactory,
)
from .development.factories import ApplicationFactory
from .dues.factories import (
    BillFactory,
    DuesAdjustmentFactory,
    DuesStandardFactory,
    PaymentFactory,
    ReminderFactory,
)
from .factories import (
    CompanyChangeRequestFactory,
    CompanyFactory,
    DocumentFactory,
    HonorFactory,
    PersonFactory,
    PositionFactory,
    ProspectFactory,
    TagFactory,
    TermFactory,
    UserFactory,
    WorkingGroupFactory,
)
from .factories_admin import (
    DeliveryFactory,
    DocumentCommentFactory,
    EmailAddressFactory,
    EventReminderFactory,
    FrameworkFactory,
    GroupFactory,
    HeadingFactory,
    IndicatorFactory,
    IndicatorScoreFactory,
    MessageFactory,
    PhotoFactory,
    UnmaskLogFactory,
    VisitReminderFactory,
)
from .notices.factories import (
    DocumentVersionFactory,
    JournalIssueFactory,
    NoticeFactory,
    NoticeReadFactory,
    SpotlightFactory,
)

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
    # Keeping one's own company's record: the same people; another company's person (the
    # sample) is not found.
    **{
        name: {ANON: LOGIN, **EVERYONE_LOGGED_IN, "secretary": 403, "outsider": 403}
        for name in [
            "members:me_company",
            "members:me_person_add",
            "members:me_change_request",
        ]
    },
    "members:me_person_edit": {
        ANON: LOGIN,
        **{n: 404 for n in PERSONAS if n != ANON},
        "secretary": 403,
        "outsider": 403,
    },
    "members:me_person_left": POST_ONLY,
    "activities:event_company_register": POST_ONLY,
    "activities:event_company_cancel": POST_ONLY,
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
    # A picture uploaded into a text: for anyone who may read a text it is in, or anyone when
    # the text is shared publicly (tests/notices/test_editor_images.py); there is none here.
    "notices:editor_image": {name: 404 for name in PERSONAS},
    "notices:journal": {ANON: LOGIN, **EVERYONE_LOGGED_IN},
    "notices:journal_issue": {ANON: LOGIN, **EVERYONE_LOGGED_IN},
    "notices:journal_pdf": {ANON: LOGIN, **{n: 404 for n in PERSONAS if n != ANON}},
    "notices:spotlight_detail": {ANON: LOGIN, **EVERYONE_LOGGED_IN},
    "notices:share_poster": {ANON: LOGIN, **EVERYONE_LOGGED_IN, "outsider": 404},
    # A public share page and its poster: for anyone, once the secretariat switches the item
    # on (tests/notices/test_public_share.py); the sample notice is not, so a 404 to everyone.
    "notices:public_share": {name: 404 for name in PERSONAS},
    "notices:public_poster": {name: 404 for name in PERSONAS},
    "notices:search": {ANON: LOGIN, **EVERYONE_LOGGED_IN},
    "chamber:rule_comment": POST_ONLY,
    "chamber:rule_version_publish": POST_ONLY,
    # Private files through their views (the sample objects carry no file: 404 once logged in;
    # tests/core/test_files.py walks each with a real file and every persona).
    **{
        name: {ANON: LOGIN, **{n: 404 for n in PERSONAS if n != ANON}}
        for name in [
            "activities:visit_photo",
            "activities:visit_photo_thumbnail",
            "activities:kept_photo",
            "activities:event_photo",
            "activities:event_photo_thumbnail",
            "chamber:rule_file",
            "chamber:rule_version_file",
            "charity:photo",
            "notices:spotlight_photo",
        ]
    },
    # Dues: the totals, the arrears (and their xlsx) for the president, the secretariat and
    # supervisors; reminders are the secretariat's (a POST); a receipt for the company that
    # paid (the sample payment is no persona's) and those who oversee dues.
    "dues:overview": OVERSEERS,
    "dues:totals_export": OVERSEERS,
    "dues:arrears": OVERSEERS,
    "dues:arrears_export": OVERSEERS,
    "dues:remind": POST_ONLY,
    "dues:receipt": {
        **OVERSEERS,
        "leader": 404,
        "other_leader": 404,
        "member": 404,
        "outsider": 404,
    },
    # Messages: everyone logged in has an inbox; the sample message is nobody's (404).
    "notifications:inbox": {ANON: LOGIN, **EVERYONE_LOGGED_IN},
    "notifications:message": {ANON: LOGIN, **{n: 404 for n in PERSONAS if n != ANON}},
    "notifications:read_all": POST_ONLY,
    "notifications:channels": POST_ONLY,
    # Applying to join: the form for anyone; its confirmation and tracking pages only by a
    # signed link (the sample token is not one). The pipeline for the 会员发展工作小组 (no persona
    # here: tests/development walks it) and the secretariat.
    "development:join": {name: 200 for name in PERSONAS},
    # A guest's pass: for anyone with its signed link (the sample code is not one).
    "activities:event_guest_pass": {name: 404 for name in PERSONAS},
    **{
        name: {name_: 404 for name_ in PERSONAS}
        for name in ["development:join_code", "development:join_confirm", "development:track"]
    },
    **{
        name: {ANON: LOGIN, **{n: 403 for n in PERSONAS if n != ANON}, "secretary": 200}
        for name in [
            "development:pipeline",
            "development:prospect_create",
            "development:prospect_detail",
        ]
    },
    "development:licence": {
        ANON: LOGIN,
        **{n: 403 for n in PERSONAS if n != ANON},
        "secretary": 404,
    },
    **{
        name: POST_ONLY
        for name in [
            "development:prospect_update",
            "development:note_add",
            "development:application_recommend",
            "development:application_check",
            "development:application_decide",
        ]
    },
    "set_language": {name: 302 for name in PERSONAS},
    # Uploaded files: only for people who are logged in (the sample file does not exist).
    None: {ANON: LOGIN, **{n: 404 for n in PERSONAS if n != ANON}},
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
    # Login by SMS code (chamber/phone.py) and WeChat (chamber/wechat.py; not set up here).
    "account_request_login_code": 200,
    "login_restart": 405,  # POST only
    "weixin_login": 404,
    "weixin_callback": 404,
    "wechat_link": 302,  # no WeChat identity waiting: back to the login page
    "wechat_link_cancel": 405,  # POST only
    "socialaccount_login_cancelled": 200,
    "socialaccount_login_error": LOGIN,  # allauth leaves it behind login; errors render in place
    "socialaccount_signup": 302,  # closed: nothing to sign up with
    "socialaccount_connections": LOGIN,
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
        "version": DocumentVersionFactory(),
        "payment": PaymentFactory(bill=BillFactory(company=company)),
        "message": MessageFactory(),
        "prospect": ProspectFactory(),
    }


def sample_url(namespace, name, pattern, objects):
    """A URL for the pattern, with real objects where the pattern takes an id."""
    if name == "chamber:rule_detail":
        return reverse(name, args=[objects["document"].pk])
    if name in ("chamber:rule_comment", "chamber:rule_version_publish"):
        return reverse(name, args=[objects["version"].document_id, objects["version"].pk])
    if name == "notifications:message":
        return reverse(name, args=[objects["message"].pk])
    if name == "activities:event_company_cancel":
        registration = RegistrationFactory(event=objects["event"])
        return reverse(name, args=[objects["event"].pk, registration.pk])
    if name in ("members:me_person_edit", "members:me_person_left"):
        return reverse(name, args=[PersonFactory(company=objects["company"]).pk])
    if name == "development:licence":
        return reverse(name, args=[ApplicationFactory().pk])
    if name and name.startswith("development:") and "pk" in pattern.pattern.regex.groupindex:
        return reverse(name, args=[objects["prospect"].pk])
    if name == "members:company_detail":
        return reverse(name, args=[objects["company"].pk])
    if name == "charity:campaign_detail":
        return reverse(name, args=[objects["donation"].campaign_id])
    if name == "charity:pairing_detail":
        return reverse(name, args=[objects["pairing"].pk])
    if name in ("dues:receipt",):
        return reverse(name, args=[objects["payment"].pk])
    if name == "dues:remind":
        return reverse(name, args=[objects["company"].pk])
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
    if name in ("notices:public_share", "notices:public_poster"):
        return reverse(name, args=[public_token("notice", objects["notice"].pk)])
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


def test_every_expectation_names_every_persona():
    missing = [
        f"{name}: {persona}"
        for name, expected in EXPECTED.items()
        for persona in PERSONAS
        if persona not in expected
    ]
    assert not missing, "give these URL names an expected status for these personas:\n" + (
        "\n".join(missing)
    )


@pytest.mark.parametrize("persona", PERSONAS)
def test_app_pages_answer_each_persona_as_expected(client, request, objects, persona):
    login_as(client, request, persona)
    for namespace, name, pattern in ALL_PATTERNS:
        if namespace == "admin" or name in ALLAUTH_ANONYMOUS:
            continue
        url = sample_url(namespace, name, pattern, objects)
        assert persona in EXPECTED[name], f"EXPECTED[{name!r}] says nothing of {persona} ({url})"
        check(client.get(url), EXPECTED[name][persona], url)


# The POST-only pages, POSTed with nothing, by each persona: those who may act get on (a
# redirect, or the form shown again with its error); the others are refused and nothing
# changes. Everyone signs themselves up and renews their own calendar address.
LOGGED_IN = [name for name in PERSONAS if name != ANON]
POST_EXPECTED = {
    "chamber:rule_comment": {
        ANON: LOGIN,
        **{name: 200 for name in LOGGED_IN},
        "secretary": 403,
        "outsider": 403,
    },
    "chamber:rule_version_publish": {ANON: LOGIN, **{n: 403 for n in LOGGED_IN}, "secretary": 302},
    # No action named is refused; another leader's problem is not found.
    "activities:problem_update": {ANON: LOGIN, **{n: 403 for n in LOGGED_IN}, "other_leader": 404},
    # Only people of the problem's company confirm (the sample problem is no persona's).
    "activities:problem_confirm": {
        ANON: LOGIN,
        **{name: 404 for name in LOGGED_IN},
        "secretary": 403,
        "outsider": 403,
    },
    "activities:calendar_feed_reset": {ANON: LOGIN, **{n: 302 for n in LOGGED_IN}},
    "activities:event_register": {ANON: LOGIN, **{n: 302 for n in LOGGED_IN}, "outsider": 404},
    "activities:event_cancel": {ANON: LOGIN, **{n: 302 for n in LOGGED_IN}, "outsider": 404},
    "notices:notice_remind": {ANON: LOGIN, **{n: 403 for n in LOGGED_IN}, "secretary": 302},
    "dues:remind": {ANON: LOGIN, **{n: 403 for n in LOGGED_IN}, "secretary": 302},
    "notifications:read_all": {ANON: LOGIN, **{n: 302 for n in LOGGED_IN}},
    "notifications:channels": {ANON: LOGIN, **{n: 302 for n in LOGGED_IN}},
    # Colleagues and guests: for people of member companies (an empty form is sent back with
    # a message); the sample sign-up to cancel is no persona company's.
    "activities:event_company_register": {
        ANON: LOGIN,
        **{n: 302 for n in LOGGED_IN},
        "secretary": 403,
        "outsider": 403,
    },
    "activities:event_company_cancel": {
        ANON: LOGIN,
        **{n: 404 for n in LOGGED_IN},
        "secretary": 403,
        "outsider": 403,
    },
    "members:me_person_left": {
        ANON: LOGIN,
        **{n: 404 for n in LOGGED_IN},
        "secretary": 403,
        "outsider": 403,
    },
    # The sample prospect has no application: the secretariat's empty forms come back with
    # their errors, its steps are refused with a message.
    "development:prospect_update": {ANON: LOGIN, **{n: 403 for n in LOGGED_IN}, "secretary": 200},
    "development:note_add": {ANON: LOGIN, **{n: 403 for n in LOGGED_IN}, "secretary": 200},
    "development:application_recommend": {
        ANON: LOGIN,
        **{n: 403 for n in LOGGED_IN},
        "secretary": 302,
    },
    "development:application_check": {ANON: LOGIN, **{n: 403 for n in LOGGED_IN}, "secretary": 302},
    "development:application_decide": {
        ANON: LOGIN,
        **{n: 403 for n in LOGGED_IN},
        "secretary": 200,
    },
}


def test_every_post_only_page_has_post_expectations():
    post_only = {name for name, expected in EXPECTED.items() if expected is POST_ONLY}
    assert post_only == set(POST_EXPECTED)
    for name, expected in POST_EXPECTED.items():
        assert set(expected) == set(PERSONAS), name


@pytest.mark.parametrize("persona", PERSONAS)
def test_post_only_pages_answer_each_persona_as_expected(client, request, objects, persona):
    login_as(client, request, persona)
    posts = [
        (POST_EXPECTED[name][persona], sample_url(namespace, name, pattern, objects))
        for namespace, name, pattern in ALL_PATTERNS
        if name in POST_EXPECTED
    ]
    refused = [(expected, url) for expected, url in posts if expected in (LOGIN, 403, 404)]
    before = database_state()
    for expected, url in refused:
        check(client.post(url), expected, url)
    after = database_state()
    assert [key for key in before if before[key] != after[key]] == []
    for expected, url in posts:
        if (expected, url) not in refused:
            check(client.post(url), expected, url)


def test_allauth_pages_answer_anonymous_as_expected(client, objects):
    for namespace, name, pattern in ALL_PATTERNS:
        if name in ALLAUTH_ANONYMOUS:
            url = sample_url(namespace, name, pattern, objects)
            check(client.get(url), ALLAUTH_ANONYMOUS[name], url)


ADMIN_OBJECT_FACTORIES = {
    # One object of every model the admin shows: its pages are walked with this object's pk.
    "auth.Group": GroupFactory,
    "core.Message": MessageFactory,
    "core.Delivery": DeliveryFactory,
    "members.Company": CompanyFactory,
    "members.Prospect": ProspectFactory,
    "members.CompanyChangeRequest": CompanyChangeRequestFactory,
    "development.Application": ApplicationFactory,
    "members.Tag": TagFactory,
    "chamber.User": UserFactory,  # an ordinary account: a superuser's is the superuser's
    "account.EmailAddress": EmailAddressFactory,
    "members.Person": PersonFactory,
    "chamber.Term": TermFactory,
    "chamber.Position": PositionFactory,
    "chamber.WorkingGroup": WorkingGroupFactory,
    "chamber.DocumentVersion": DocumentVersionFactory,
    "chamber.Document": DocumentFactory,
    "chamber.DocumentComment": DocumentCommentFactory,
    "chamber.Honor": HonorFactory,
    "activities.Assignment": AssignmentFactory,
    "activities.Visit": VisitFactory,
    "activities.Problem": ProblemFactory,
    "activities.Proposal": ProposalFactory,
    "activities.VisitReminder": VisitReminderFactory,
    "activities.Event": EventFactory,
    "activities.Registration": RegistrationFactory,
    "activities.EventReminder": EventReminderFactory,
    "charity.Beneficiary": StudentFactory,  # a sensitive one: a child
    "charity.Consent": ConsentFactory,
    "charity.Pairing": PairingFactory,
    "charity.Project": ProjectFactory,
    "charity.Campaign": CampaignFactory,
    "charity.Photo": PhotoFactory,
    "charity.Donation": DonationFactory,
    "charity.ContributorPreference": ContributorPreferenceFactory,
    "charity.UnmaskLog": UnmaskLogFactory,
    "notices.Notice": NoticeFactory,
    "notices.NoticeRead": lambda: NoticeReadFactory(person=PersonFactory()),
    "notices.JournalIssue": JournalIssueFactory,
    "notices.Spotlight": SpotlightFactory,
    "dues.DuesStandard": DuesStandardFactory,
    "dues.DuesAdjustment": DuesAdjustmentFactory,
    "dues.Bill": BillFactory,
    "dues.Payment": PaymentFactory,
    "dues.Reminder": ReminderFactory,
    "reports.Framework": FrameworkFactory,
    "reports.Heading": HeadingFactory,
    "reports.Indicator": IndicatorFactory,
    "reports.IndicatorScore": IndicatorScoreFactory,
}

# The kinds of admin URL, by the pattern a ModelAdmin gives them.
MODEL_URL_KINDS = {
    "": "changelist",
    "add/": "add",
    "<path:object_id>/": "object",  # redirects to the change page
    "<path:object_id>/change/": "change",
    "<path:object_id>/history/": "history",
    "^([^/]+)/history/([^/]+)/$": "history_version",  # simple_history
    "<path:object_id>/delete/": "delete",
    "import/": "import",  # django-import-export
    "import/template/": "import_template",  # core.templates_xlsx
    "process_import/": "process_import",
    "export/": "export",
    "<id>/password/": "password",  # the user admin's
    "<int:pk>/preview/": "preview",  # a notice as a member will see it
    "<int:pk>/publish/": "publish",  # a notice's publish confirmation
    "pictures/": "editor_image_upload",  # a picture from the notice editor (POST only)
}
SECRETARY, SUPERVISOR = "secretary", "supervisor"
READER = {SECRETARY: 200, SUPERVISOR: 200}
EDITOR = {SECRETARY: 200, SUPERVISOR: 403}
NOBODY = {SECRETARY: 403, SUPERVISOR: 403}

# What the secretariat and the supervisors get from each kind of admin page (GET), for a
# model the secretariat manages: the secretariat changes, supervisors read and change nothing
# (chamber/0003_role_groups and the role-permission migrations of each app).
ADMIN_EXPECTED = {
    "changelist": READER,
    "add": EDITOR,
    "object": {SECRETARY: 302, SUPERVISOR: 302},
    "change": READER,  # for supervisors read-only: asserted in assert_read_only
    "history": READER,
    "history_version": READER,
    "delete": EDITOR,  # the confirmation page
    "import": EDITOR,
    "import_template": EDITOR,  # the template to fill in: for those who may import
    "process_import": {SECRETARY: 405, SUPERVISOR: 405},  # a POST only (walked below)
    "export": READER,  # exports mask what the viewer may not see
    "password": EDITOR,
    "preview": EDITOR,
    "publish": EDITOR,
    # POST only (tests/notices/test_editor_images.py posts): the secretariat is let through
    # to a 405, supervisors are refused first.
    "editor_image_upload": {SECRETARY: 405, SUPERVISOR: 403},
}
# Models that differ. Logs written by the app alone are read-only for the secretariat too;
# comments are written by members (the secretariat may remove one); groups and the four-goods
# frameworks are the superuser's (no role group has permissions on them); email addresses,
# and exports that carry mobiles and emails, are for the secretariat (supervisors do not see
# contacts); an old version of a beneficiary shows the name, for the secretariat alone.
LOG = {"add": NOBODY, "delete": NOBODY}
SUPERUSER_ONLY = {kind: NOBODY for kind in ADMIN_EXPECTED} | {
    "object": {SECRETARY: 302, SUPERVISOR: 302}
}
# What the notification service sent, to whom and how: the secretariat reads it, nobody
# changes it, supervisors do not see it (addresses, mobiles, what each person was told).
SECRETARIAT_LOG = {
    "changelist": EDITOR,
    "add": NOBODY,
    "change": EDITOR,
    "history": EDITOR,
    "delete": NOBODY,
}
ADMIN_MODEL_EXPECTED = {
    "core.Message": SECRETARIAT_LOG,
    "core.Delivery": SECRETARIAT_LOG,
    "auth.Group": SUPERUSER_ONLY,
    "reports.Framework": SUPERUSER_ONLY,
    "reports.Heading": SUPERUSER_ONLY,
    "reports.Indicator": SUPERUSER_ONLY,
    "reports.IndicatorScore": SUPERUSER_ONLY,
    "activities.VisitReminder": LOG,
    "activities.EventReminder": LOG,
    "notices.NoticeRead": LOG,
    "charity.UnmaskLog": LOG,
    "dues.Reminder": LOG,
    "chamber.DocumentComment": {"add": NOBODY},
    "account.EmailAddress": {"changelist": EDITOR, "change": EDITOR, "history": EDITOR},
    "members.Company": {"export": EDITOR},
    # Requests come from members on /me/: nobody adds one in the back office.
    "members.CompanyChangeRequest": {"add": NOBODY},
    # Applications come from /join/ and move on through /development/'s steps: the back
    # office reads them (supervisors without the applicant's contacts and licence) and the
    # secretariat may delete one sent in error.
    "development.Application": {"add": NOBODY},
    "members.Person": {"export": EDITOR},
    "activities.Registration": {"export": EDITOR},
    "charity.Beneficiary": {"history_version": EDITOR},
}
# The admin site's own pages (app_index: one page per app; catch_all: an unknown address).
ADMIN_SITE_EXPECTED = {
    "index": READER,
    "login": {SECRETARY: 302, SUPERVISOR: 302},  # already logged in: on to the index
    "logout": {SECRETARY: 405, SUPERVISOR: 405},  # a POST
    "password_change": READER,
    "password_change_done": READER,
    "autocomplete": NOBODY,  # without a field to complete
    "jsi18n": READER,
    "view_on_site": {SECRETARY: 302, SUPERVISOR: 302},
    "app_index": READER,  # but see ADMIN_APP_INDEX_EXPECTED
    "catch_all": {SECRETARY: 404, SUPERVISOR: 404},
}
# An app's index is a 404 to whoever sees none of its models.
ADMIN_APP_INDEX_EXPECTED = {
    "auth": {SECRETARY: 404, SUPERVISOR: 404},
    "reports": {SECRETARY: 404, SUPERVISOR: 404},
    "account": {SECRETARY: 200, SUPERVISOR: 404},
    "core": {SECRETARY: 200, SUPERVISOR: 404},  # the record of messages: the secretariat's
}

# POSTs that change data (the supervisor's): each is refused with a 403, and the database is
# as it was. Admin actions are refused by not being offered (the changelist answers 200 or
# redirects back) or with a 403; either way nothing changes and no email leaves.
ADMIN_POSTS = {
    "add": 403,
    "change": 403,
    "delete": 403,
    "history_version": 403,  # simple_history's "revert to this version"
    "import": 403,
    "process_import": 403,
    "password": 403,
}
# The only admin actions a supervisor is offered: those that read.
SUPERVISOR_ACTIONS = {
    "activities.Event": {"export_sign_ups"},
}


def admin_expected(label, kind, persona):
    return ADMIN_MODEL_EXPECTED.get(label, {}).get(kind, ADMIN_EXPECTED[kind])[persona]


@pytest.fixture
def admin_objects(db, settings, tmp_path, leader):
    settings.MEDIA_ROOT = tmp_path / "media"
    # Samples on which every action would act: the leader persona (a current leader below the
    # visit quota, with an email) is the sample assignment's, and reminders go out any day.
    settings.CHAMBER_VISIT_REMINDER_AFTER_DAY = 0
    made = {label: make() for label, make in ADMIN_OBJECT_FACTORIES.items()}
    made["activities.Assignment"].leader = leader.person
    made["activities.Assignment"].save()
    return made


def test_every_admin_model_has_an_object_to_walk_with():
    registered = {model._meta.label for model in admin.site._registry}
    assert registered - set(ADMIN_OBJECT_FACTORIES) == set(), "add a factory for these models"
    assert set(ADMIN_OBJECT_FACTORIES) - registered == set()
    for label, overrides in ADMIN_MODEL_EXPECTED.items():
        assert label in registered and set(overrides) <= set(ADMIN_EXPECTED), label


def admin_urls(objects):
    """Every admin URL pattern as (kind, model label or None, URL), with real objects: each
    model's pages with that model's object (and a real history record of it)."""
    resolver = next(
        p for p in get_resolver().url_patterns if getattr(p, "namespace", None) == "admin"
    )
    models = {
        f"{model._meta.app_label}/{model._meta.model_name}/": model
        for model in admin.site._registry
    }
    for pattern in resolver.url_patterns:
        if isinstance(pattern, URLResolver):
            model = models[str(pattern.pattern)]
            label = model._meta.label
            obj = objects[label]
            base = f"/admin/{pattern.pattern}"
            for inner in pattern.url_patterns:
                kind = MODEL_URL_KINDS.get(str(inner.pattern))
                assert kind, f"give the admin URL {base}{inner.pattern} a kind and expectations"
                path = {
                    "changelist": "",
                    "add": "add/",
                    "object": f"{obj.pk}/",
                    "change": f"{obj.pk}/change/",
                    "history": f"{obj.pk}/history/",
                    "delete": f"{obj.pk}/delete/",
                    "import": "import/",
                    "import_template": "import/template/",
                    "process_import": "process_import/",
                    "export": "export/",
                    "password": f"{obj.pk}/password/",
                    "preview": f"{obj.pk}/preview/",
                    "publish": f"{obj.pk}/publish/",
                    "editor_image_upload": "pictures/",
                }.get(kind)
                if kind == "history_version":
                    record = obj.history.order_by("history_id").first()
                    assert record, f"{label} sample has no history record"
                    path = f"{obj.pk}/history/{record.history_id}/"
                yield kind, label, base + path
        else:
            name = pattern.name
            if name == "app_list":
                for app_label in sorted({model._meta.app_label for model in models.values()}):
                    url = reverse(f"admin:{name}", kwargs={"app_label": app_label})
                    yield "app_index", app_label, url
            elif name is None:
                yield "catch_all", None, "/admin/nothing/here/"
            elif name == "view_on_site":
                company = objects["members.Company"]
                content_type = ContentType.objects.get_for_model(company)
                yield name, None, reverse(f"admin:{name}", args=[content_type.pk, company.pk])
            else:
                yield name, None, reverse(f"admin:{name}")


def test_every_admin_page_is_for_staff_only(client, request, admin_objects):
    """Anonymous people and every persona who is not staff are sent to the admin's login
    from every admin page (the page itself never runs); that login hands anonymous people
    over to allauth's and refuses the logged-in ones with a 403."""
    urls = [(kind, url) for kind, _label, url in admin_urls(admin_objects)]
    admin_login, admin_index = reverse("admin:login"), reverse("admin:index")
    wrong = []
    for persona in PERSONAS:
        if persona in ADMIN_USERS:
            continue
        client.logout()
        login_as(client, request, persona)
        for kind, url in urls:
            response = client.get(url)
            if kind == "login":
                if persona == ANON:
                    check(response, LOGIN, url)
                elif response.status_code != 403:
                    wrong.append(f"{persona}: GET {url}: {response.status_code}, expected 403")
                continue
            # Anonymous people go to a login, allauth's or the admin's (which hands over to
            # allauth's); the admin's logout sends those who are not staff to the index.
            to = admin_index if kind == "logout" else admin_login
            if persona == ANON:
                to = (to, reverse("account_login"))
            if response.status_code != 302 or not response["Location"].startswith(to):
                wrong.append(f"{persona}: GET {url}: {response.status_code}, expected {to}")
    assert not wrong, "\n".join(wrong)


def expected_for(kind, label, persona):
    assert kind in ADMIN_SITE_EXPECTED or kind in ADMIN_EXPECTED, f"add {kind} to the tables"
    if kind in ADMIN_SITE_EXPECTED:
        if kind == "app_index" and label in ADMIN_APP_INDEX_EXPECTED:
            return ADMIN_APP_INDEX_EXPECTED[label][persona]
        return ADMIN_SITE_EXPECTED[kind][persona]
    return admin_expected(label, kind, persona)


EDITABLE = re.compile(r"<(?:input|select|textarea)\b[^>]*>", re.IGNORECASE)
SUBMIT_NAMES = ("_save", "_continue", "_addanother", "_saveasnew")


def editable_controls(html):
    """The form controls of a page one could type into or submit with (not the CSRF token)."""
    controls = []
    for tag in EDITABLE.findall(html):
        if re.search(r'type="hidden"', tag) or 'name="csrfmiddlewaretoken"' in tag:
            continue
        controls.append(tag)
    return controls


def test_every_admin_page_answers_the_secretariat_as_expected(client, secretary, admin_objects):
    """Each admin page as the secretary, with a real object: the status the roles give."""
    client.force_login(secretary)
    wrong = []
    for kind, label, url in admin_urls(admin_objects):
        expected = expected_for(kind, label, SECRETARY)
        response = client.get(url)
        status = response.status_code
        if status != expected:
            wrong.append(f"GET {url} ({kind}): {status}, expected {expected}")
        elif kind == "change" and ADMIN_MODEL_EXPECTED.get(label) is LOG:
            # A log is read, not edited, by the secretariat too.
            html = response.content.decode()
            if editable_controls(html) or 'name="_save"' in html:
                wrong.append(f"GET {url}: the log {label} can be edited")
    assert not wrong, "\n".join(wrong)


def table_rows(label):
    model = apps.get_model(label)
    return list(model.objects.order_by("pk").values())


def database_state():
    """Every row of every model the admin shows, the admin log and the outbox."""
    return {
        **{model._meta.label: table_rows(model._meta.label) for model in admin.site._registry},
        "admin log": LogEntry.objects.count(),
        "emails": len(mail.outbox),
    }


def test_every_admin_page_answers_supervisors_as_expected(client, supervisor, admin_objects):
    """Supervisors read every page the roles let them read, on which nothing can be edited,
    and every POST that would change something (saving, adding, deleting, reverting to an old
    version, importing, setting a password, each admin action) is refused and changes nothing."""
    client.force_login(supervisor)
    before = database_state()
    wrong, posts = [], []
    for kind, label, url in admin_urls(admin_objects):
        expected = expected_for(kind, label, SUPERVISOR)
        response = client.get(url)
        if response.status_code != expected:
            wrong.append(f"GET {url} ({kind}): {response.status_code}, expected {expected}")
        elif kind in ("change", "history_version") and expected == 200:
            # A page to read: no save button, nothing to type into (an old version's page
            # offers no form to revert with).
            html = response.content.decode()
            submits = [name for name in SUBMIT_NAMES if f'name="{name}"' in html]
            controls = editable_controls(html)
            if submits or controls:
                wrong.append(f"GET {url}: a supervisor may edit: {submits} {controls[:3]}")
        if kind in ADMIN_POSTS and label is not None:
            posts.append((kind, label, url))
    # The POSTs after every page was read, deletions last (should one go through).
    for kind, label, url in sorted(posts, key=lambda post: post[0] == "delete"):
        rows = table_rows(label)
        data = {"post": "yes"} if kind == "delete" else {}
        status = client.post(url, data).status_code
        if status != ADMIN_POSTS[kind]:
            wrong.append(f"POST {url} ({kind}): {status}, expected {ADMIN_POSTS[kind]}")
        if table_rows(label) != rows:
            wrong.append(f"POST {url} ({kind}) changed {label}")
    for model, model_admin in admin.site._registry.items():
        label = model._meta.label
        url = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")
        response = client.get(url)
        action_form = response.context and response.context.get("action_form")
        if action_form is not None:
            offered = {name for name, _ in action_form.fields["action"].choices}
            offered = offered - {""} - SUPERVISOR_ACTIONS.get(label, set())
            if offered:
                wrong.append(f"GET {url}: a supervisor is offered the actions {sorted(offered)}")
        for _function, name, _description in model_admin._get_base_actions():
            rows, emails = table_rows(label), len(mail.outbox)
            response = client.post(
                url, {"action": name, "_selected_action": [admin_objects[label].pk], "index": 0}
            )
            if response.status_code not in (200, 302, 403):
                wrong.append(f"POST {url} action={name}: {response.status_code}")
            if table_rows(label) != rows or len(mail.outbox) != emails:
                wrong.append(f"POST {url} action={name} changed {label} or sent email")
    after = database_state()
    wrong += [f"changed during the walk: {key}" for key in before if before[key] != after[key]]
    assert not wrong, "\n".join(wrong)


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
