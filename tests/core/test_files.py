"""Uploaded files: every upload gets a random name, private files live under private/ and
answer only to those who may see the page that shows them, through one helper
(core.files.serve_private) that hands them to nginx in production."""

import io
import re

import pytest
from django.apps import apps
from django.core.files.base import ContentFile
from django.db import models
from django.http import Http404
from django.test import RequestFactory
from django.urls import reverse
from django.utils import timezone
from PIL import Image

from activities.models import Event, EventPhoto, VisitPhoto
from activities.visits import uploads
from charity.models import Photo
from core.files import UploadTo, serve_private, serve_public_media
from notices.models import Notice, NoticeAttachment, SpotlightPhoto
from tests.activities.events.factories import EventFactory
from tests.activities.visits.factories import ProblemFactory, VisitFactory
from tests.charity.factories import (
    CampaignFactory,
    PairingFactory,
    ProjectFactory,
    StudentFactory,
)
from tests.conftest import PERSONAS
from tests.factories import CompanyFactory, DocumentFactory, PersonFactory, UserFactory
from tests.notices.factories import (
    DocumentVersionFactory,
    JournalIssueFactory,
    NoticeFactory,
    SpotlightFactory,
)


def image_bytes(kind: str = "JPEG") -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (8, 8), "red").save(out, format=kind)
    return out.getvalue()


JPEG = image_bytes("JPEG")
PDF = b"%PDF-1.7\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
CAMERA_NAME = "IMG_20261201_101500 张三家.JPEG"

# Public by nature: shown to everyone, stored where nginx serves /media/.
PUBLIC_FIELDS = {("members.company", "logo"), ("notices.journalissue", "cover")}
FILE_FIELDS = [
    (model, field)
    for model in apps.get_models()
    for field in model._meta.get_fields()
    if isinstance(field, models.FileField)
]


def label(model, field) -> str:
    return f"{model._meta.label_lower}.{field.name}"


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.PRIVATE_MEDIA_ACCEL_PREFIX = ""
    return settings.MEDIA_ROOT


# --- (a) Random names, private folder --------------------------------------------------------


def test_the_walk_covers_every_file_field_of_the_project():
    found = {label(model, field) for model, field in FILE_FIELDS}
    assert found >= {
        "members.company.logo",
        "activities.visitphoto.image",
        "activities.visitphoto.thumbnail",
        "activities.problem.attachment",
        "activities.eventphoto.image",
        "activities.eventphoto.thumbnail",
        "charity.photo.image",
        "chamber.document.file",
        "chamber.documentversion.file",
        "notices.noticeattachment.file",
        "notices.journalissue.cover",
        "notices.journalissue.pdf",
        "notices.spotlightphoto.image",
    }
    assert all(isinstance(field.upload_to, UploadTo) for _model, field in FILE_FIELDS)


@pytest.mark.parametrize(
    "model, field", FILE_FIELDS, ids=[label(model, field) for model, field in FILE_FIELDS]
)
def test_every_upload_gets_a_random_name_and_private_ones_go_to_the_private_folder(model, field):
    instance = model()
    first = field.generate_filename(instance, CAMERA_NAME)
    second = field.generate_filename(instance, CAMERA_NAME)
    assert first != second
    today = timezone.localdate()
    assert re.fullmatch(rf"[a-z/]+/{today:%Y}/{today:%m}/[0-9a-f]{{32}}\.jpg", first), first
    assert "IMG" not in first and "20261201" not in first and "张三" not in first
    public = (model._meta.label_lower, field.name) in PUBLIC_FIELDS
    assert first.startswith("private/") is not public


def test_a_name_without_an_extension_or_with_a_strange_one_stays_harmless():
    upload_to = UploadTo("visits", private=True)
    assert re.search(r"/[0-9a-f]{32}$", upload_to(None, "photo"))
    assert re.search(r"/[0-9a-f]{32}\.pdf$", upload_to(None, "报告.P%D_F"))


# --- (b) Each private file's view, for every persona -----------------------------------------


@pytest.fixture
def other_member(db):
    """The main contact of another member company."""
    return UserFactory(username="other_member", person=PersonFactory(company=CompanyFactory()))


EVERYONE = {*PERSONAS, "other_member"}
DIRECTORY = EVERYONE - {"outsider"}
OVERSEERS = {"secretary", "president", "supervisor"}


def save(fieldfile, name: str, content: bytes) -> None:
    fieldfile.save(name, ContentFile(content), save=True)


def visit_photo(people, thumbnail=False):
    visit = VisitFactory(leader=people["leader"].person)
    photo = VisitPhoto(visit=visit)
    photo.image.save("IMG_20261201_101500.jpg", ContentFile(JPEG), save=False)
    photo.thumbnail.save("thumb.jpg", ContentFile(JPEG[::-1]), save=False)
    photo.save()
    if thumbnail:
        return photo.thumbnail_url, photo.thumbnail, OVERSEERS | {"leader"}
    return photo.get_absolute_url(), photo.image, OVERSEERS | {"leader"}


def problem_attachment(people):
    problem = ProblemFactory(
        visit=VisitFactory(leader=people["leader"].person, company=people["member"].person.company)
    )
    save(problem.attachment, "营业执照.pdf", PDF)
    url = reverse("activities:problem_attachment", args=[problem.pk])
    return url, problem.attachment, OVERSEERS | {"leader", "member"}


def event_photo(people, audience):
    photo = EventPhoto(event=EventFactory(audience=audience))
    photo.image.save("IMG_1.jpg", ContentFile(JPEG), save=False)
    photo.save()
    leadership = OVERSEERS | {"leader", "other_leader"}
    readers = DIRECTORY if audience == Event.Audience.MEMBERS else leadership
    return photo.get_absolute_url(), photo.image, readers


def campaign_photo(people):
    photo = Photo(campaign=CampaignFactory())
    save(photo.image, "合影.jpg", JPEG)
    return photo.get_absolute_url(), photo.image, EVERYONE


def pairing_photo(people, sensitive):
    beneficiary = {"beneficiary": StudentFactory()} if sensitive else {}
    photo = Photo(project=ProjectFactory(pairing=PairingFactory(**beneficiary)))
    save(photo.image, "李小明.jpg", JPEG)
    return photo.get_absolute_url(), photo.image, {"secretary"} if sensitive else EVERYONE


def rule_file(people, published):
    document = DocumentFactory(is_published=published)
    save(document.file, "章程.pdf", PDF)
    url = reverse("chamber:rule_file", args=[document.pk])
    return url, document.file, EVERYONE if published else {"secretary"}


def rule_draft_file(people, out_for_comment):
    dates = {} if out_for_comment else {"comment_starts_on": None, "comment_ends_on": None}
    version = DocumentVersionFactory(**dates)
    save(version.file, "征求意见稿.pdf", PDF)
    url = reverse("chamber:rule_version_file", args=[version.document_id, version.pk])
    return url, version.file, DIRECTORY if out_for_comment else {"secretary"}


def notice_attachment(people):
    notice = NoticeFactory(audience=Notice.Audience.LEADERSHIP)
    attachment = NoticeAttachment(notice=notice, name="议程")
    save(attachment.file, "议程.pdf", PDF)
    url = attachment.get_absolute_url()
    return url, attachment.file, OVERSEERS | {"leader", "other_leader"}


def draft_journal_pdf(people):
    issue = JournalIssueFactory(is_published=False)
    save(issue.pdf, "缘聚.pdf", PDF)
    return reverse("notices:journal_pdf", args=[issue.pk]), issue.pdf, {"secretary"}


def draft_spotlight_photo(people):
    photo = SpotlightPhoto(spotlight=SpotlightFactory(is_published=False))
    save(photo.image, "厂房.jpg", JPEG)
    return photo.get_absolute_url(), photo.image, {"secretary"}


CASES = {
    "visit photo": visit_photo,
    "visit photo thumbnail": lambda people: visit_photo(people, thumbnail=True),
    "problem attachment": problem_attachment,
    "leadership event photo": lambda people: event_photo(people, Event.Audience.LEADERSHIP),
    "members' event photo": lambda people: event_photo(people, Event.Audience.MEMBERS),
    "campaign photo": campaign_photo,
    "village pairing photo": lambda people: pairing_photo(people, sensitive=False),
    "student pairing photo": lambda people: pairing_photo(people, sensitive=True),
    "published rule file": lambda people: rule_file(people, published=True),
    "draft rule file": lambda people: rule_file(people, published=False),
    "draft out for comment": lambda people: rule_draft_file(people, out_for_comment=True),
    "draft not out for comment": lambda people: rule_draft_file(people, out_for_comment=False),
    "leadership notice attachment": notice_attachment,
    "unpublished journal PDF": draft_journal_pdf,
    "unpublished spotlight photo": draft_spotlight_photo,
}


@pytest.fixture
def people(personas, other_member):
    return {**personas, "other_member": other_member}


@pytest.mark.parametrize("case", CASES)
def test_a_private_file_answers_only_those_who_may_see_its_page(client, media, people, case):
    url, fieldfile, readers = CASES[case](people)
    assert fieldfile.name.startswith("private/")
    assert fieldfile.url == url  # .url of a private file is its view, never /media/private/…
    content = fieldfile.storage.open(fieldfile.name).read()
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))
    for name, user in people.items():
        client.force_login(user)
        response = client.get(url)
        if name in readers:
            assert response.status_code == 200, (name, url)
            assert b"".join(response.streaming_content) == content
            assert response["X-Content-Type-Options"] == "nosniff"
            assert response["Content-Type"] in ("image/jpeg", "application/pdf")
        else:
            assert response.status_code in (403, 404), (name, url, response.status_code)
        client.logout()


@pytest.mark.parametrize("case", CASES)
def test_with_the_accel_prefix_nginx_sends_the_file(client, media, settings, people, case):
    settings.PRIVATE_MEDIA_ACCEL_PREFIX = "/protected-media/"
    url, fieldfile, _readers = CASES[case](people)
    client.force_login(people["secretary"])
    response = client.get(url)
    assert response.status_code == 200
    assert response["X-Accel-Redirect"] == "/protected-media/" + fieldfile.name.removeprefix(
        "private/"
    )
    assert response.content == b""
    assert response["X-Content-Type-Options"] == "nosniff"


def test_a_photo_kept_on_the_visit_form_is_shown_to_its_uploader_only(
    client, media, leader, other_leader
):
    token = uploads.keep(ContentFile(JPEG, name="IMG_0001.jpg"), user=leader)
    url = uploads.url(token, user=leader)
    assert url == reverse("activities:kept_photo", args=[token])
    client.force_login(other_leader)
    assert client.get(url).status_code == 404
    client.force_login(leader)
    response = client.get(url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == JPEG
    assert not any(media.glob("pending/**/*.jpg"))
    assert len(list(media.glob("private/pending/**/*.jpg"))) == 1


def test_anything_but_an_image_or_a_pdf_is_downloaded_never_shown(media, rf):
    document = DocumentFactory.build()
    document.file.save("a.docx", ContentFile(b"PK\x03\x04"), save=False)
    response = serve_private(rf.get("/"), document.file, filename="规章.docx", as_attachment=False)
    assert response["Content-Disposition"].startswith("attachment;")
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    document.file.name = document.file.name.replace(".docx", ".html")
    document.file.storage.save(document.file.name, ContentFile(b"<script>alert(1)</script>"))
    response = serve_private(rf.get("/"), document.file)
    assert response["Content-Type"] == "application/octet-stream"
    assert response["Content-Disposition"].startswith("attachment;")


def test_a_file_stored_before_the_private_folder_is_still_served_by_its_view_only(
    client, media, settings, leader, member
):
    settings.PRIVATE_MEDIA_ACCEL_PREFIX = "/protected-media/"
    photo = VisitPhoto(visit=VisitFactory(leader=leader.person))
    photo.image.name = "visits/2026/12/IMG_20261201_101500.jpg"
    photo.image.storage.save(photo.image.name, ContentFile(JPEG))
    photo.save()
    client.force_login(member)
    assert client.get(photo.get_absolute_url()).status_code == 404
    client.force_login(leader)
    response = client.get(photo.get_absolute_url())
    assert "X-Accel-Redirect" not in response
    assert b"".join(response.streaming_content) == JPEG


def test_the_admin_links_a_private_file_through_its_view(client, media, secretary):
    document = DocumentFactory()
    save(document.file, "章程.pdf", PDF)
    client.force_login(secretary)
    page = client.get(reverse("admin:chamber_document_change", args=[document.pk]))
    html = page.content.decode()
    assert f'href="{reverse("chamber:rule_file", args=[document.pk])}"' in html
    assert "/media/private/" not in html


def test_every_model_with_a_private_file_says_where_it_is_served():
    for model, field in FILE_FIELDS:
        if field.upload_to.private:
            assert hasattr(model, "private_file_url"), label(model, field)


def test_a_missing_file_is_404_not_500(media, rf):
    document = DocumentFactory.build(file="private/documents/2026/01/gone.pdf")
    with pytest.raises(Http404):
        serve_private(rf.get("/"), document.file)


# --- (c) A sensitive pairing's photos --------------------------------------------------------


@pytest.mark.parametrize("persona", PERSONAS)
def test_a_sensitive_pairings_photos_are_for_the_secretariat_alone(
    client, db, media, request, persona
):
    pairing = PairingFactory(beneficiary=StudentFactory())
    photo = Photo(project=ProjectFactory(pairing=pairing), caption="助学金发放")
    save(photo.image, "李小明.jpg", JPEG)
    client.force_login(request.getfixturevalue(persona))
    page = client.get(pairing.get_absolute_url())
    photo_response = client.get(photo.get_absolute_url())
    if persona == "secretary":
        assert photo.get_absolute_url() in page.content.decode()
        assert photo_response.status_code == 200
    else:
        assert page.status_code in (200, 404)
        assert photo.get_absolute_url() not in page.content.decode()
        assert "助学金发放" not in page.content.decode()
        assert photo_response.status_code == 404


# --- (e) /media/ in development ----------------------------------------------------------------


def test_development_media_serves_public_files_and_refuses_the_private_folder(media, rf):
    logo = CompanyFactory.build()
    logo.logo.save("logo.png", ContentFile(image_bytes("PNG")), save=False)
    private = UploadTo("visits", private=True)(None, "a.jpg")
    logo.logo.storage.save(private, ContentFile(JPEG))
    assert serve_public_media(rf.get("/"), logo.logo.name).status_code == 200
    for path in [private, "private/", "logos/../private/" + private.removeprefix("private/")]:
        with pytest.raises(Http404):
            serve_public_media(rf.get("/"), path)


@pytest.fixture
def rf():
    return RequestFactory()
