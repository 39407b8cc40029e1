"""The page frame ({% memo %}): rendered once per worker for each set of values it shows, and
never showing one account's or one page's values on another's."""

import uuid

import pytest
from django.template import Context, Template
from django.urls import reverse
from django.utils import translation

from core.notifications.models import Message
from core.templatetags import memo

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def forget_parts():
    memo.clear()
    yield
    memo.clear()


class Counter:
    def __init__(self):
        self.calls = 0

    def __str__(self):
        self.calls += 1
        return f"rendered {self.calls}"


def test_a_part_is_rendered_once_for_each_set_of_values():
    template = Template("{% load memo %}{% memo who %}{{ counter }} for {{ who }}{% endmemo %}")
    counter = Counter()
    assert template.render(Context({"who": "甲", "counter": counter})) == "rendered 1 for 甲"
    assert template.render(Context({"who": "甲", "counter": counter})) == "rendered 1 for 甲"
    assert template.render(Context({"who": "乙", "counter": counter})) == "rendered 2 for 乙"
    assert counter.calls == 2


def test_the_language_is_part_of_the_key():
    template = Template('{% load i18n memo %}{% memo %}{% translate "Log out" %}{% endmemo %}')
    with translation.override("zh-hans"):
        assert template.render(Context()) == "退出"
    with translation.override("en"):
        assert template.render(Context()) == "Log out"


def test_a_value_that_cannot_be_a_key_renders_every_time():
    template = Template("{% load memo %}{% memo items %}{{ counter }}{% endmemo %}")
    counter = Counter()
    template.render(Context({"items": [1], "counter": counter}))
    template.render(Context({"items": [1], "counter": counter}))
    assert counter.calls == 2


def test_the_parts_kept_are_bounded(monkeypatch):
    monkeypatch.setattr(memo, "SIZE", 3)
    template = Template("{% load memo %}{% memo n %}{{ n }}{% endmemo %}")
    for n in range(10):
        template.render(Context({"n": n}))
    assert len(memo._parts) == 3


def _header(client, url):
    html = client.get(url).content.decode()
    return html[html.index("<header") : html.index("</header>")]


def test_the_header_shows_each_account_its_own_name_and_unread_count(client, member, leader):
    client.force_login(member)
    home = reverse("chamber:home")
    assert member.person.name in _header(client, home)
    assert 'class="inbox-count"' not in _header(client, home)
    Message.objects.create(
        user=member, recipient="m", kind="notice", subject="新通知", batch=uuid.uuid4()
    )
    assert '<span class="inbox-count">1</span>' in _header(client, home)

    client.force_login(leader)
    header = _header(client, home)
    assert leader.person.name in header and member.person.name not in header
    assert 'class="inbox-count"' not in header


def test_the_navigation_marks_the_page_open_now(client, leader):
    client.force_login(leader)
    home, visits = reverse("chamber:home"), reverse("activities:visit_list")
    _header(client, home)
    header = _header(client, visits)
    assert f'href="{visits}" aria-current="page"' in header
    assert f'href="{home}" aria-current="page"' not in header
    assert f'href="{home}" aria-current="page"' in _header(client, home)


def test_the_navigation_follows_the_roles(client, member, leader):
    log_visit = reverse("activities:visit_create")
    client.force_login(leader)
    assert log_visit in _header(client, reverse("chamber:home"))
    client.force_login(member)
    assert log_visit not in _header(client, reverse("chamber:home"))


def test_a_renamed_person_is_shown_by_the_new_name_at_once(client, member):
    client.force_login(member)
    home = reverse("chamber:home")
    _header(client, home)
    member.person.name = "沈改名"
    member.person.save()
    assert "沈改名" in _header(client, home)


def test_the_search_box_keeps_the_query_on_the_search_page_only(client, member):
    client.force_login(member)
    search = reverse("notices:search")
    assert 'value="扶贫"' in _header(client, f"{search}?q=扶贫")
    assert 'value="扶贫"' not in _header(client, reverse("chamber:home"))
    assert 'value="走访"' in _header(client, f"{search}?q=走访")
