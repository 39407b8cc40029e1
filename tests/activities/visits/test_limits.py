"""What a member raising problems and a leader logging visits may cost: bodies refused before
they are read, kept files capped, repeated tokens free, problems limited per hour."""

import datetime
import io
import os
import re
import time

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse
from django.utils.translation import gettext
from PIL import Image

from activities.models import Problem, Visit
from activities.visits import uploads
from activities.visits.problem_views import RAISES_PER_HOUR
from core import limits

from ..conftest import photo_upload
from .test_visits import visit_data

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def one_window(monkeypatch):
    """Every request of a test within the same hour of the rate limits."""
    monkeypatch.setattr(limits, "_now", lambda: 1_800_000_000.0)


RAISE = reverse("activities:problem_raise")
NEW = reverse("activities:visit_create")
MB = 1024 * 1024


def text(response) -> str:
    return re.sub(r"\s+", " ", response.content.decode())


def big_pdf(megabytes: float, name="材料.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, b"%PDF-1.4\n" + b"0" * int(megabytes * MB))


def pending_files(media_root) -> list:
    folder = media_root / uploads.PENDING
    return [path for path in folder.rglob("*") if path.is_file()] if folder.exists() else []


# --- A member raising problems --------------------------------------------------------------


def test_failed_posts_with_a_big_file_do_not_pile_up_on_disk(client, member, media_root):
    """The reproduction: failed /problems/raise/ posts with a 9 MB PDF kept 47 MB."""
    client.force_login(member)
    for _ in range(6):
        response = client.post(
            RAISE,
            {"raise-category": "", "raise-description": "看附件", "raise-attachment": big_pdf(9)},
        )
        assert response.status_code == 200
    files = pending_files(media_root)
    assert sum(path.stat().st_size for path in files) <= uploads.MAX_BYTES
    assert len(files) == 2  # Two 9 MB files fit in 24 MB; each new one replaced the oldest.
    assert not Problem.objects.exists()


def test_a_new_file_replaces_the_one_kept_for_the_form(client, member, media_root):
    client.force_login(member)
    data = {"raise-category": "", "raise-description": "看附件", "raise-attachment": big_pdf(1)}
    for _ in range(3):
        page = client.post(RAISE, data).content.decode()
        token = re.search(r'name="kept_attachment" value="([^"]+)"', page).group(1)
        data = {**data, "kept_attachment": token, "raise-attachment": big_pdf(1)}
    assert len(pending_files(media_root)) == 1


def test_a_body_above_the_limit_is_refused_before_it_is_read(client, member, media_root):
    client.force_login(member)
    response = client.post(
        RAISE,
        {"raise-category": "other", "raise-description": "看附件", "raise-attachment": big_pdf(13)},
    )
    assert response.status_code == 413
    assert gettext("Upload too large") in text(response)
    assert not Problem.objects.exists() and not pending_files(media_root)


def test_a_post_with_thousands_of_fields_answers_the_413_page_not_a_400(client, member):
    client.force_login(member)
    fields = {f"field{n}": "x" for n in range(1100)}
    response = client.post(RAISE, {"raise-category": "other", **fields})
    assert response.status_code == 413
    assert gettext("Upload too large") in text(response)
    assert not Problem.objects.exists()


def test_a_member_raises_ten_problems_an_hour_and_the_eleventh_waits(client, member):
    client.force_login(member)
    for n in range(RAISES_PER_HOUR):
        response = client.post(RAISE, {"raise-category": "other", "raise-description": f"第{n}条"})
        assert response.status_code == 302
    data = {"raise-category": "other", "raise-description": "还有一条"}
    response = client.post(RAISE, {**data, "raise-attachment": big_pdf(1)})
    page = text(response)
    assert response.status_code == 200
    message = gettext(
        "You have raised %(count)s problems within the hour, the most one person can send in an "
        "hour. Please send this one a little later."
    ) % {"count": RAISES_PER_HOUR}
    assert message in page
    assert "还有一条" in page  # What was typed comes back.
    assert Problem.objects.count() == RAISES_PER_HOUR


def test_failed_posts_do_not_count_towards_the_hourly_limit(client, member):
    client.force_login(member)
    for _ in range(RAISES_PER_HOUR + 2):
        client.post(RAISE, {"raise-category": "", "raise-description": "缺类别"})
    response = client.post(RAISE, {"raise-category": "other", "raise-description": "补上类别"})
    assert response.status_code == 302 and Problem.objects.count() == 1


# --- A leader posting a visit ---------------------------------------------------------------


def test_a_kept_photo_token_repeated_300_times_reads_one_file(
    client, leader, company, media_root, monkeypatch
):
    """The reproduction: one token 300 times in a post took the worker from 406 to 913 MB."""
    client.force_login(leader)
    response = client.post(NEW, visit_data(company, summary="", photos=[photo_upload()]))
    token = re.findall(r'name="kept_photos" value="([^"]+)"', response.content.decode())[0]
    taken = []
    real_take = uploads.take
    monkeypatch.setattr(uploads, "take", lambda *a, **k: taken.append(a) or real_take(*a, **k))

    response = client.post(NEW, visit_data(company, summary="", kept_photos=[token] * 300))
    assert len(taken) == 1
    assert len(re.findall(r'name="kept_photos"', response.content.decode())) == 1

    assert client.post(NEW, visit_data(company, kept_photos=[token] * 300)).status_code == 302
    assert Visit.objects.get().photos.count() == 1


def test_more_photos_than_a_visit_takes_are_refused_before_any_is_decoded(
    client, leader, company, media_root
):
    client.force_login(leader)
    photos = [photo_upload(f"p{n}.jpg", size=(64, 48)) for n in range(10)]
    response = client.post(NEW, visit_data(company, photos=photos))
    assert response.status_code == 200
    assert gettext("At most %(count)s photos at a time.") % {"count": 9} in text(response)
    assert not Visit.objects.exists() and not pending_files(media_root)


def test_more_files_than_a_post_takes_answer_the_413_page(client, leader, company, media_root):
    client.force_login(leader)
    photos = [photo_upload(f"p{n}.jpg", size=(8, 8)) for n in range(21)]
    response = client.post(NEW, visit_data(company, photos=photos))
    assert response.status_code == 413
    assert gettext("Upload too large") in text(response)
    assert not Visit.objects.exists() and not pending_files(media_root)


def test_a_photo_above_40_megapixels_is_refused_with_a_message(client, leader, company, media_root):
    client.force_login(leader)
    huge = Image.new("1", (8000, 5001))  # 40,008,000 pixels, a few kB as a PNG.
    out = io.BytesIO()
    huge.save(out, format="PNG")
    upload = SimpleUploadedFile("全景.png", out.getvalue(), content_type="image/png")
    start = time.monotonic()
    response = client.post(NEW, visit_data(company, photos=[upload]))
    assert time.monotonic() - start < 5
    assert gettext("The image is too large to process (more than 40 million pixels).") in text(
        response
    )
    assert not Visit.objects.exists() and not pending_files(media_root)


def test_a_large_photo_is_scaled_down_and_saved(client, leader, company):
    client.force_login(leader)
    response = client.post(NEW, visit_data(company, photos=[photo_upload(size=(6000, 4000))]))
    assert response.status_code == 302
    photo = Visit.objects.get().photos.get()
    assert max(photo.image.width, photo.image.height) == 1600


# --- Files kept for forms that were never sent again ----------------------------------------


def test_clean_pending_uploads_removes_what_is_older_than_a_day(leader, member, media_root):
    old = uploads.keep(photo_upload(size=(16, 16)), user=leader)
    new = uploads.keep(photo_upload(size=(16, 16)), user=member)
    old_path = media_root / uploads._load(old)["name"]
    stamp = time.time() - datetime.timedelta(hours=25).total_seconds()
    os.utime(old_path, (stamp, stamp))

    call_command("clean_pending_uploads", verbosity=0)

    assert not old_path.exists()
    assert uploads.take(new, user=member) is not None


def test_a_user_keeps_at_most_max_files(leader, media_root):
    for _ in range(uploads.MAX_FILES + 3):
        uploads.keep(photo_upload(size=(8, 8)), user=leader)
    assert len(pending_files(media_root)) == uploads.MAX_FILES


def test_the_hourly_counter_counts_within_its_window():
    assert all(limits.hit("test:window", 3, 3600) for _ in range(3))
    assert limits.exceeded("test:window", 3, 3600)
    assert not limits.hit("test:window", 3, 3600)
    assert not limits.exceeded("test:other", 3, 3600)


def test_each_form_has_the_body_limit_its_files_need():
    assert limits.request_limit("/visits/new/") == 50 * MB
    assert limits.request_limit("/visits/7/edit/") == 50 * MB
    assert limits.request_limit("/problems/raise/") == 12 * MB
    assert limits.request_limit("/admin/members/company/import/") == 12 * MB
    assert limits.request_limit("/admin/notices/journalissue/add/") == 60 * MB
    assert limits.request_limit("/me/") == limits.MAX_REQUEST_BYTES == 25 * MB
    assert Image.MAX_IMAGE_PIXELS == limits.MAX_IMAGE_PIXELS == 40_000_000
