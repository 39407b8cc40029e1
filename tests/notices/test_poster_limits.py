"""Share posters are drawn once per version of what they show, and a person may have only so
many drawn a minute."""

import pytest
from django.urls import reverse
from django.utils.translation import gettext

from core import limits
from notices import share

from .factories import NoticeFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def drawn(monkeypatch):
    """The titles of the posters drawn (each drawing a tiny PNG)."""
    titles = []

    def render_poster(**fields):
        titles.append(fields["title"])
        return b"\x89PNG\r\n\x1a\n" + fields["title"].encode()

    monkeypatch.setattr(share, "render_poster", render_poster)
    return titles


def poster(client, notice):
    return client.get(reverse("notices:share_poster", args=["notice", notice.pk]))


def test_a_poster_is_drawn_once_and_again_when_its_title_changes(client, member, drawn):
    notice = NoticeFactory(title="年会通知")
    client.force_login(member)
    first, second = poster(client, notice), poster(client, notice)
    assert first.status_code == second.status_code == 200
    assert first.content == second.content and drawn == ["年会通知"]

    notice.title = "年会通知（更新）"
    notice.save()
    assert poster(client, notice).content.endswith("年会通知（更新）".encode())
    assert drawn == ["年会通知", "年会通知（更新）"]


def test_drawing_many_posters_a_minute_is_refused_but_drawn_ones_are_still_served(
    client, member, drawn, monkeypatch
):
    monkeypatch.setattr(limits, "_now", lambda: 1_800_000_000.0)  # All within one minute.
    notices = NoticeFactory.create_batch(share.POSTERS_DRAWN_PER_MINUTE + 1)
    client.force_login(member)
    for notice in notices[:-1]:
        assert poster(client, notice).status_code == 200
    refused = poster(client, notices[-1])
    assert refused.status_code == 429
    assert refused.content.decode() == gettext(
        "Too many posters were drawn for you in the last minute. Try again in a minute."
    )
    assert poster(client, notices[0]).status_code == 200  # Drawn before: no drawing needed.
    assert len(drawn) == share.POSTERS_DRAWN_PER_MINUTE
