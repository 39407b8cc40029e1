"""Draft rules put out for comment (征求意见): members comment during the period only; the
secretariat, president and supervisors read the comments; the secretariat publishes the final
version, and the rule's page keeps its versions with their dates."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from chamber import services
from chamber.models import Document, DocumentComment, DocumentVersion
from tests.factories import DocumentFactory, PersonFactory
from tests.notices.factories import DocumentVersionFactory

TODAY = timezone.localdate


def days(n: int) -> datetime.date:
    return TODAY() + datetime.timedelta(days=n)


@pytest.fixture
def draft(db):
    """A new fee rule, its draft out for comment from two days ago to five days ahead."""
    document = DocumentFactory(title="会费管理办法", is_published=False, body="", kind="finance")
    return DocumentVersionFactory(
        document=document,
        label="征求意见稿",
        body="第一条 会费每年缴纳一次。",
        comment_starts_on=days(-2),
        comment_ends_on=days(5),
    )


def comment_url(version):
    return reverse("chamber:rule_comment", args=[version.document_id, version.pk])


def test_a_member_reads_the_draft_and_comments_during_the_period(client, member, draft):
    client.force_login(member)
    page = client.get(draft.document.get_absolute_url()).content.decode()
    assert ">征求意见稿</h2>" in page and "第一条 会费每年缴纳一次。" in page
    assert "正在征求意见" in page and 'name="body"' in page
    response = client.post(comment_url(draft), {"body": "建议增加分期缴纳。"}, follow=True)
    assert "您的意见已提交秘书处" in response.content.decode()
    comment = DocumentComment.objects.get()
    assert (comment.version, comment.person, comment.author) == (draft, member.person, member)
    assert comment.body == "建议增加分期缴纳。"
    # The member sees their own comment, not others'.
    assert "我提交的意见" in response.content.decode()


@pytest.mark.parametrize(
    "starts, ends, message",
    [
        (1, 10, "起接受意见"),  # not open yet
        (-10, -1, "征求意见期已结束"),  # closed
    ],
)
def test_no_comment_before_or_after_the_period(client, member, draft, starts, ends, message):
    draft.comment_starts_on, draft.comment_ends_on = days(starts), days(ends)
    draft.save()
    client.force_login(member)
    response = client.post(comment_url(draft), {"body": "迟到的意见"}, follow=True)
    assert not DocumentComment.objects.exists()
    if starts > 0:
        # Before the period the draft is not shown to members at all.
        assert response.status_code == 404
    else:
        assert message in response.content.decode()
        assert 'name="body"' not in client.get(draft.document.get_absolute_url()).content.decode()


def test_the_period_runs_from_the_first_day_to_the_end_of_the_last(draft, member):
    draft.comment_starts_on, draft.comment_ends_on = days(0), days(0)
    draft.save()
    tz = timezone.get_current_timezone()
    start_of_day = datetime.datetime.combine(TODAY(), datetime.time(0, 0), tzinfo=tz)
    end_of_day = datetime.datetime.combine(TODAY(), datetime.time(23, 59, 59), tzinfo=tz)
    for moment in (start_of_day, end_of_day):
        services.comment_on_draft(
            version=draft, person=member.person, author=member, body="意见", now=moment
        )
    for moment in (
        start_of_day - datetime.timedelta(seconds=1),
        end_of_day + datetime.timedelta(seconds=1),
    ):
        with pytest.raises(ValidationError):
            services.comment_on_draft(
                version=draft, person=member.person, author=member, body="意见", now=moment
            )
    assert DocumentComment.objects.count() == 2


def test_an_empty_comment_is_refused_and_the_page_comes_back(client, member, draft):
    client.force_login(member)
    response = client.post(comment_url(draft), {"body": "   "})
    assert response.status_code == 200
    assert not DocumentComment.objects.exists()


def test_a_long_comment_comes_back_with_the_text_kept(client, member, draft):
    client.force_login(member)
    text = "意见" * 1001
    response = client.post(comment_url(draft), {"body": text})
    assert response.status_code == 200
    assert text in response.content.decode()
    assert not DocumentComment.objects.exists()


def test_the_secretariat_drafts_and_does_not_comment(client, secretary, draft):
    client.force_login(secretary)
    assert 'name="body"' not in client.get(draft.document.get_absolute_url()).content.decode()
    assert client.post(comment_url(draft), {"body": "意见"}).status_code == 403


def test_the_secretary_publishes_a_version_from_the_admin_list(client, secretary, draft):
    client.force_login(secretary)
    response = client.post(
        reverse("admin:chamber_documentversion_changelist"),
        {"action": "publish", "_selected_action": [draft.pk]},
        follow=True,
    )
    assert "已作为现行制度发布" in response.content.decode()
    assert Document.objects.get(pk=draft.document_id).is_published
    # A published version's text can no longer be edited there.
    page = client.get(reverse("admin:chamber_documentversion_change", args=[draft.pk]))
    assert 'name="body"' not in page.content.decode()


def test_an_outsider_sees_neither_the_draft_nor_may_comment(client, outsider, draft):
    client.force_login(outsider)
    assert client.get(draft.document.get_absolute_url()).status_code == 404
    assert client.post(comment_url(draft), {"body": "意见"}).status_code == 403


@pytest.mark.parametrize("persona", ["secretary", "president", "supervisor"])
def test_overseers_read_every_comment(client, request, persona, member, leader, draft):
    for person in (member.person, leader.person):
        DocumentComment.objects.create(version=draft, person=person, body=f"{person.name}的意见")
    client.force_login(request.getfixturevalue(persona))
    page = client.get(draft.document.get_absolute_url()).content.decode()
    assert f"{member.person.name}的意见" in page and f"{leader.person.name}的意见" in page
    assert "共 2 条意见" in page


def test_a_member_does_not_read_others_comments(client, member, leader, draft):
    DocumentComment.objects.create(version=draft, person=leader.person, body="副会长的意见")
    client.force_login(member)
    assert "副会长的意见" not in client.get(draft.document.get_absolute_url()).content.decode()


def test_the_secretary_publishes_the_final_version_and_the_page_keeps_its_dates(
    client, secretary, member, draft
):
    draft.comment_starts_on, draft.comment_ends_on = days(-20), days(-5)
    draft.body = "第一条 会费每年缴纳一次，可分两期缴纳。"
    draft.save()
    client.force_login(secretary)
    response = client.post(
        reverse("chamber:rule_version_publish", args=[draft.document_id, draft.pk]), follow=True
    )
    assert "已作为现行制度发布" in response.content.decode()
    draft.refresh_from_db()
    document = Document.objects.get(pk=draft.document_id)
    assert document.is_published and document.body == "第一条 会费每年缴纳一次，可分两期缴纳。"
    assert document.effective_on == TODAY()
    assert draft.published_at is not None and draft.published_by == secretary
    assert document.history.first().history_user == secretary

    client.force_login(member)
    page = client.get(document.get_absolute_url()).content.decode()
    assert "版本记录" in page and "现行" in page
    assert f"{TODAY():%Y年%-m月%-d日}发布" in page
    assert "征求意见，收到 0 条意见" in page
    assert "可分两期缴纳" in page


def test_a_published_version_cannot_be_published_again(secretary, draft):
    services.publish_version(version=draft, acting_user=secretary)
    with pytest.raises(ValidationError):
        services.publish_version(version=draft, acting_user=secretary)


@pytest.mark.parametrize("persona", ["member", "president", "supervisor", "leader"])
def test_only_the_secretariat_publishes(client, request, persona, draft):
    client.force_login(request.getfixturevalue(persona))
    url = reverse("chamber:rule_version_publish", args=[draft.document_id, draft.pk])
    assert client.post(url).status_code == 403
    assert DocumentVersion.objects.get(pk=draft.pk).published_at is None


def test_the_rules_list_names_drafts_open_for_comment(client, member, draft):
    client.force_login(member)
    page = client.get(reverse("chamber:rules")).content.decode()
    assert "正在征求意见" in page and "会费管理办法 · 征求意见稿" in page


def test_a_comment_period_needs_both_dates_in_order(draft):
    with pytest.raises(IntegrityError), transaction.atomic():
        DocumentVersion.objects.filter(pk=draft.pk).update(comment_ends_on=None)
    with pytest.raises(IntegrityError), transaction.atomic():
        DocumentVersion.objects.create(
            document=draft.document,
            label="坏的",
            comment_starts_on=days(3),
            comment_ends_on=days(1),
        )


def test_the_rule_page_takes_a_fixed_number_of_queries(client, secretary, member, draft):
    def queries():
        with CaptureQueriesContext(connection) as context:
            assert client.get(draft.document.get_absolute_url()).status_code == 200
        return len(context.captured_queries)

    client.force_login(secretary)
    few = queries()
    for n in range(20):
        DocumentComment.objects.create(version=draft, person=PersonFactory(), body=f"意见{n}")
        DocumentVersion.objects.create(
            document=draft.document,
            label=f"{2000 + n}年版",
            body="旧文本",
            published_at=timezone.now(),
        )
    assert queries() == few <= 15
