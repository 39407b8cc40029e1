"""The demo's notices, journal, spotlights and the fee rules out for comment."""

import io

import pytest
from django.core.management import call_command
from django.urls import reverse
from PIL import Image

from chamber.models import Document, DocumentComment, User
from chamber.roles import roles_for
from notices.models import JournalIssue, Notice, NoticeRead, Spotlight


@pytest.fixture
def seeded(db, settings):
    settings.DEBUG = True
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    call_command("seed_demo", stdout=io.StringIO())


def test_the_demo_has_the_notices_of_a_late_autumn_month(seeded):
    titles = " ".join(Notice.objects.values_list("title", flat=True))
    for words in ("季度例会暨经验分享会的通知", "进口博览会服务保障", "居住证积分政策解读"):
        assert words in titles
    assert Notice.objects.filter(is_pinned=True).count() == 1
    assert Notice.objects.filter(publish_at__isnull=True).count() == 1  # a draft
    assert set(Notice.objects.values_list("audience", flat=True)) == set(Notice.Audience.values)
    meeting = Notice.objects.get(is_pinned=True)
    assert meeting.attachments.get().name == "参会回执.pdf"


def test_the_member_login_has_read_some_notices_and_not_the_meeting(client, seeded):
    member = User.objects.get(username="member")
    meeting = Notice.objects.get(is_pinned=True)
    assert not NoticeRead.objects.filter(notice=meeting, person=member.person).exists()
    assert NoticeRead.objects.filter(person=member.person).exists()
    client.force_login(member)
    home = client.get(reverse("chamber:home")).content.decode()
    assert "条未读" in home


def test_the_journal_has_covers_and_the_spotlights_are_the_articles_companies(seeded):
    issues = JournalIssue.objects.all()
    assert issues.count() == 6
    for issue in issues:
        with issue.cover.open("rb") as cover:
            assert Image.open(cover).format == "PNG"
    assert issues.filter(pdf="").count() == 5
    spotlights = {s.company.name: s.title for s in Spotlight.objects.select_related("company")}
    assert "两个月内" in spotlights["虹泾投资"]
    assert "城中村" in spotlights["灿辉国际"]


def test_the_fee_rules_are_out_for_comment_with_two_comments(client, seeded):
    fee_rules = Document.objects.get(title__contains="会费管理办法")
    assert not fee_rules.is_published
    draft = fee_rules.versions.get()
    member = User.objects.get(username="member")
    assert draft.is_open_for_comment()
    assert DocumentComment.objects.filter(version=draft).count() == 2
    assert fee_rules in Document.objects.visible_to(roles_for(member))
    charter = Document.objects.get(kind="charter")
    assert [v.label for v in charter.versions.order_by("published_at")] == [
        "2019年版",
        "2024年修订版",
    ]
