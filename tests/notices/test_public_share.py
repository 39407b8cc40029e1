"""The public share page (/s/<token>/): what the secretariat switched on, for anyone with the
link: title, date, place, summary and the chamber's name; nothing private; the poster; members
who are logged in go on to the full page."""

import io
import re

import pytest
import zxingcpp
from django.core.files.base import ContentFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from PIL import Image

from core import limits
from core.share_links import public_path, public_poster_path, public_token, read_token
from notices import public
from notices.models import NoticeAttachment
from tests.activities.events.factories import EventFactory, RegistrationFactory, in_days
from tests.factories import PersonFactory

from .factories import NoticeFactory, SpotlightFactory

MOBILE = "13912345678"


@pytest.fixture
def event(db, member):
    event = EventFactory(
        title="政策宣讲会：2027年惠企政策解读",
        venue="徐泾镇社区文化活动中心二楼报告厅",
        description=f"邀请金融专家解读最新政策。报名联系：曹佳怡 {MOBILE}，caojiayi@example.cn",
        starts_at=in_days(10, hour=14),
        public_share=True,
    )
    signed_up = PersonFactory(name="报名者乙", mobile="13800001111", email="yi@example.cn")
    RegistrationFactory(event=event, person=signed_up)
    RegistrationFactory(event=event, person=member.person)
    return event


@pytest.fixture
def notice(db):
    notice = NoticeFactory(
        title="关于开展夏季送清凉行动的通知",
        body=f"<p>商会将于7月走访驻区部队。</p><p>联系人：秘书处 {MOBILE}</p>",
        public_share=True,
    )
    attachment = NoticeAttachment(notice=notice, name="报名回执表")
    attachment.file.save("receipt.pdf", ContentFile(b"%PDF-1.4 test"), save=True)
    return notice


def test_an_anonymous_visitor_sees_title_date_place_and_summary_of_an_event_and_nothing_private(
    client, event, member
):
    response = client.get(public_path("event", event.pk))
    assert response.status_code == 200
    page = response.content.decode()
    assert "政策宣讲会：2027年惠企政策解读" in page
    assert "徐泾镇社区文化活动中心二楼报告厅" in page
    assert "邀请金融专家解读最新政策" in page
    assert f"{event.local_start:%H:%M}" in page
    assert "徐泾镇商会" in page
    for private in [
        "报名者乙",
        member.person.name,
        MOBILE,
        "13800001111",
        "yi@example.cn",
        "caojiayi@example.cn",
        event.check_in_code,
        reverse("activities:event_detail", args=[event.pk]),
    ]:
        assert private not in page


def test_a_notice_page_shows_no_attachment_and_no_phone_number(client, notice):
    page = client.get(public_path("notice", notice.pk)).content.decode()
    assert "关于开展夏季送清凉行动的通知" in page
    assert "商会将于7月走访驻区部队" in page
    assert MOBILE not in page
    attachment = notice.attachments.get()
    assert "报名回执表" not in page
    assert attachment.get_absolute_url() not in page
    assert attachment.file.name not in page
    assert "/media/" not in page


def test_a_spotlight_page_shows_its_lead(client, db):
    spotlight = SpotlightFactory(
        title="两个月内搬离腾地", summary="企业克服困难支持动迁。", public_share=True
    )
    page = client.get(public_path("spotlight", spotlight.pk)).content.decode()
    assert "两个月内搬离腾地" in page
    assert "企业克服困难支持动迁。" in page


def test_the_page_carries_open_graph_tags_with_the_public_poster(client, event):
    page = client.get(public_path("event", event.pk)).content.decode()
    assert '<meta property="og:title" content="政策宣讲会：2027年惠企政策解读">' in page
    assert (
        f'<meta property="og:url" content="http://testserver{public_path("event", event.pk)}">'
        in page
    )
    poster = f"http://testserver{public_poster_path('event', event.pk)}"
    assert f'<meta property="og:image" content="{poster}">' in page
    assert '<meta property="og:description" content="邀请金融专家解读最新政策。' in page


def test_the_poster_is_drawn_for_anyone_and_its_qr_code_opens_the_public_page(client, event):
    response = client.get(public_poster_path("event", event.pk))
    assert response.status_code == 200
    assert response["Content-Type"] == "image/png"
    image = Image.open(io.BytesIO(response.content))
    codes = [result.text for result in zxingcpp.read_barcodes(image)]
    assert codes == [f"http://testserver{public_path('event', event.pk)}"]


@pytest.mark.parametrize("kind", ["notice", "event"])
def test_an_item_switched_off_is_a_404_and_so_is_its_poster(client, notice, event, kind):
    item = {"notice": notice, "event": event}[kind]
    item.public_share = False
    item.save()
    assert client.get(public_path(kind, item.pk)).status_code == 404
    assert client.get(public_poster_path(kind, item.pk)).status_code == 404


def test_a_draft_notice_or_an_unpublished_spotlight_is_a_404_even_when_switched_on(client, db):
    draft = NoticeFactory(publish_at=None, public_share=True)
    hidden = SpotlightFactory(is_published=False, public_share=True)
    assert client.get(public_path("notice", draft.pk)).status_code == 404
    assert client.get(public_path("spotlight", hidden.pk)).status_code == 404


def test_a_tampered_or_made_up_token_is_a_404(client, event, notice):
    token = public_token("event", event.pk)
    value, signature = token.rsplit(":", 1)
    other = public_token("notice", notice.pk).rsplit(":", 1)[0]
    for bad in [
        f"{value}:{signature[:-1]}{'A' if signature[-1] != 'A' else 'B'}",
        f"{other}:{signature}",
        value,
        "x" * 300,
        str(event.pk),
        "%00",
    ]:
        assert client.get(f"/s/{bad}/").status_code == 404, bad
    assert read_token(public_token("event", event.pk)) == ("event", event.pk)


def test_a_token_signed_for_something_else_is_refused(client, event):
    from django.core import signing

    assert client.get(f"/s/{signing.dumps(['event', event.pk])}/").status_code == 404


def test_a_logged_in_member_goes_on_to_the_full_page(client, member, event, notice):
    client.force_login(member)
    response = client.get(public_path("event", event.pk))
    assert response.status_code == 302
    assert response["Location"] == event.get_absolute_url()
    response = client.get(public_path("notice", notice.pk))
    assert response["Location"] == notice.get_absolute_url()


def test_someone_logged_in_who_may_not_see_the_full_page_sees_the_public_one(
    client, outsider, event
):
    client.force_login(outsider)
    response = client.get(public_path("event", event.pk))
    assert response.status_code == 200
    assert "报名者乙" not in response.content.decode()


def test_the_page_asks_no_login_and_offers_one_leading_back_here(client, event):
    path = public_path("event", event.pk)
    page = client.get(path).content.decode()
    assert f"{reverse('account_login')}?next={path}" in page


def test_the_page_costs_the_same_queries_for_one_or_many_sign_ups(client, event):
    """One query for the item; the rest is the rate limit's counter (in the database cache
    here, in Redis in production)."""
    path = public_path("event", event.pk)

    def queries():
        with CaptureQueriesContext(connection) as context:
            assert client.get(path).status_code == 200
        return len(context.captured_queries)

    client.get(path)
    few = queries()
    RegistrationFactory.create_batch(30, event=event)
    assert queries() == few <= 15


def test_anonymous_visitors_are_limited_per_address(client, event, monkeypatch):
    monkeypatch.setattr(public, "SHARE_HITS_PER_MINUTE", 3)
    path = public_path("event", event.pk)
    statuses = [client.get(path, REMOTE_ADDR="198.51.100.7").status_code for _ in range(4)]
    assert statuses == [200, 200, 200, 429]
    assert client.get(path, REMOTE_ADDR="198.51.100.8").status_code == 200
    assert not limits.exceeded("share-page:198.51.100.8", 3, 60)


def test_the_full_page_and_the_admin_show_the_link_to_copy_when_switched_on(
    client, member, secretary, event
):
    link = f"{public_path('event', event.pk)}"
    client.force_login(member)
    page = client.get(event.get_absolute_url()).content.decode()
    assert link in page
    assert "data-copy=" in page
    client.force_login(secretary)
    page = client.get(reverse("admin:activities_event_change", args=[event.pk])).content.decode()
    assert link in page
    event.public_share = False
    event.save()
    page = client.get(reverse("admin:activities_event_change", args=[event.pk])).content.decode()
    assert link not in page
    client.force_login(member)
    assert link not in client.get(event.get_absolute_url()).content.decode()


def test_the_notice_and_spotlight_admins_show_the_link(client, secretary, notice):
    spotlight = SpotlightFactory(public_share=True)
    client.force_login(secretary)
    page = client.get(reverse("admin:notices_notice_change", args=[notice.pk])).content.decode()
    assert public_path("notice", notice.pk) in page
    page = client.get(
        reverse("admin:notices_spotlight_change", args=[spotlight.pk])
    ).content.decode()
    assert public_path("spotlight", spotlight.pk) in page


def test_the_logged_in_poster_of_a_shared_item_leads_to_the_public_page(client, member, event):
    client.force_login(member)
    response = client.get(reverse("notices:share_poster", args=["event", event.pk]))
    image = Image.open(io.BytesIO(response.content))
    codes = [result.text for result in zxingcpp.read_barcodes(image)]
    assert codes == [f"http://testserver{public_path('event', event.pk)}"]


@given(token=st.text(max_size=300))
@settings(max_examples=200, deadline=None)
def test_any_token_is_read_as_ours_or_refused_never_an_error(token):
    named = read_token(token)
    assert named is None or (named[0] in ("notice", "spotlight", "event") and named[1] > 0)


# Characters a URL can carry (no lone surrogates, which the test client cannot encode).
@given(
    token=st.text(
        alphabet=st.characters(codec="utf-8", blacklist_characters="/?#%"), min_size=1, max_size=80
    )
)
@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
def test_any_made_up_link_is_a_404(client, db, token):
    assert client.get(f"/s/{token}/").status_code == 404


def test_the_page_keeps_the_strict_script_policy_and_is_not_indexed(client, event):
    response = client.get(public_path("event", event.pk))
    assert "script-src 'self'" in response["Content-Security-Policy"]
    page = response.content.decode()
    assert not re.search(r"<script(?![^>]*\bsrc=)", page)
    assert '<meta name="robots" content="noindex">' in page
