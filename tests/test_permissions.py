"""Walk every URL pattern for every persona and anonymous, checking who gets what.

A new page without an entry in EXPECTED fails ``test_every_url_pattern_has_expectations``,
so no page can be forgotten.
"""

import re

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from .factories import CompanyFactory, DocumentFactory

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
def objects(db):
    company = CompanyFactory()
    document = DocumentFactory()
    return {"pk": company.pk, "company": company, "document": document}


def sample_url(namespace, name, pattern, objects):
    """A URL for the pattern, with real objects where the pattern takes an id."""
    if name == "chamber:rule_detail":
        return reverse(name, args=[objects["document"].pk])
    if name == "members:company_detail":
        return reverse(name, args=[objects["company"].pk])
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
