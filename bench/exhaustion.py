"""Measure what the resource-exhaustion cases of issue 12 cost one worker, in-process.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/<db> .venv/bin/python bench/exhaustion.py

Uses the database in DATABASE_URL (migrated, with `manage.py createcachetable` unless the cache
is Redis) inside one transaction that is rolled back at the end, and a throwaway MEDIA_ROOT.
It drives the app with Django's test client as the person who would do each:

1. a member: five failed /problems/raise/ posts (no category) with a 9 MB PDF;
2. a leader: one /visits/new/ post with one kept-photo token repeated 300 times;
3. the secretary: an xlsx of ~400 KB that unpacks to ~100 MB, through the company import;
4. a leader: a visit with one 40-megapixel JPEG.

For each it prints the wall time, the peak resident memory above the memory before it (the
kernel's high-water mark, reset before each case through /proc/self/clear_refs), the bytes
it left under MEDIA_ROOT, and the HTTP status. It imports nothing the limits added, so the same
file runs on a checkout from before them.
"""

import gc
import io
import os
import shutil
import subprocess
import sys
import tempfile
import time
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "chamber.settings")

MB = 1024 * 1024


def status_kb(field: str) -> int:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1])
    return 0


def reset_peak() -> None:
    try:
        Path("/proc/self/clear_refs").write_text("5")
    except OSError:
        pass


def disk_bytes(folder: Path) -> int:
    return sum(path.stat().st_size for path in folder.rglob("*") if path.is_file())


def measure(label: str, media: Path, action) -> None:
    gc.collect()
    reset_peak()
    before, disk_before = status_kb("VmRSS"), disk_bytes(media)
    started = time.perf_counter()
    status = action()
    seconds = time.perf_counter() - started
    peak = status_kb("VmHWM")
    print(
        f"{label:<44} {seconds:6.2f} s  peak +{(peak - before) / 1024:6.0f} MB"
        f" (RSS {before / 1024:4.0f} → {peak / 1024:4.0f} MB)"
        f"  disk +{(disk_bytes(media) - disk_before) / MB:5.1f} MB  HTTP {status}"
    )


def noisy_jpeg(size, quality=90) -> bytes:
    """A photo-like JPEG: a gradient with noise, so it does not compress to nothing."""
    from PIL import Image

    width, height = size
    tile = Image.effect_noise((512, 512), 24).convert("RGB")
    image = Image.linear_gradient("L").resize(size).convert("RGB")
    for x in range(0, width, 512):
        for y in range(0, height, 512):
            image.paste(Image.blend(image.crop((x, y, x + 512, y + 512)), tile, 0.3), (x, y))
    out = io.BytesIO()
    image.save(out, format="JPEG", quality=quality)
    return out.getvalue()


def xlsx_bomb(unpacked_mb: int = 100) -> bytes:
    """A workbook whose only sheet is ~``unpacked_mb`` MB of rows of 100 numbers (under 100
    headers, so that every row is read into the dataset), compressed hard."""
    import openpyxl

    book = openpyxl.Workbook()
    book.active.append(["列"])
    out = io.BytesIO()
    book.save(out)
    source = zipfile.ZipFile(io.BytesIO(out.getvalue()))
    cells = "".join(f"<c><v>{n}.5</v></c>" for n in range(100))
    header = "".join(f'<c t="inlineStr"><is><t>列{n}</t></is></c>' for n in range(100))
    target = io.BytesIO()
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as package:
        for info in source.infolist():
            if info.filename != "xl/worksheets/sheet1.xml":
                package.writestr(info, source.read(info.filename))
                continue
            with package.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as sheet:
                sheet.write(
                    b'<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.'
                    b'openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
                    + f"<row>{header}</row>".encode()
                )
                row = f"<row>{cells}</row>".encode()
                written = 0
                while written < unpacked_mb * MB:
                    sheet.write(row * 100)
                    written += len(row) * 100
                sheet.write(b"</sheetData></worksheet>")
    return target.getvalue()


def run(case: int):
    import django

    django.setup()
    from django.conf import settings
    from django.contrib.auth.models import Group
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.db import transaction
    from django.test import Client
    from django.urls import reverse
    from django.utils import timezone

    from chamber.models import SECRETARIAT_GROUP, Position
    from tests.factories import (
        CompanyFactory,
        PersonFactory,
        PositionFactory,
        TermFactory,
        UserFactory,
    )

    media = Path(tempfile.mkdtemp(prefix="exhaustion-media-"))
    settings.MEDIA_ROOT = media
    settings.ALLOWED_HOSTS = ["*"]
    today = timezone.localdate()
    try:
        with transaction.atomic():
            term = TermFactory()
            member = UserFactory(
                username="bench-member", person=PersonFactory(is_main_contact=True)
            )
            leader_person = PersonFactory(company=CompanyFactory(tier="vice_president"))
            PositionFactory(person=leader_person, term=term, title=Position.Title.VICE_PRESIDENT)
            leader = UserFactory(username="bench-leader", person=leader_person)
            secretary = UserFactory(username="bench-secretary", person=None, is_staff=True)
            secretary.groups.add(Group.objects.get(name=SECRETARIAT_GROUP))
            company = member.person.company

            def client(user):
                browser = Client()
                browser.force_login(user)
                return browser

            visiting = client(leader)
            new = reverse("activities:visit_create")
            visit = {
                "company": company.pk,
                "visited_on": today.isoformat(),
                "summary": "",
                "problems-TOTAL_FORMS": "0",
                "problems-INITIAL_FORMS": "0",
            }

            if case == 1:  # Five failed raises with a 9 MB PDF.
                pdf = b"%PDF-1.4\n" + os.urandom(9 * MB)
                raising = client(member)

                def raise_five():
                    for _ in range(5):
                        response = raising.post(
                            reverse("activities:problem_raise"),
                            {
                                "raise-category": "",
                                "raise-description": "见附件",
                                "raise-attachment": SimpleUploadedFile("材料.pdf", pdf),
                            },
                        )
                    return response.status_code

                measure("1. five failed raises, 9 MB PDF", media, raise_five)

            if case == 2:  # One kept-photo token 300 times.
                photo = noisy_jpeg((4000, 3000), quality=85)
                first = visiting.post(
                    new, {**visit, "photos": [SimpleUploadedFile("IMG_0001.jpg", photo)]}
                )
                page = first.content.decode()
                token = page.split('name="kept_photos" value="')[1].split('"')[0]
                tokens = [token] * 300
                measure(
                    "2. visit, one kept token ×300",
                    media,
                    lambda: visiting.post(new, {**visit, "kept_photos": tokens}).status_code,
                )

            if case == 3:  # The xlsx bomb through the company import.
                bomb = xlsx_bomb(100)
                unpacked = sum(i.file_size for i in zipfile.ZipFile(io.BytesIO(bomb)).infolist())
                print(f"   (the xlsx: {len(bomb) // 1024} KB, unpacks to {unpacked / MB:.0f} MB)")
                importing = client(secretary)
                upload = {"import_file": None, "format": "0", "resource": "0"}

                def import_bomb():
                    upload["import_file"] = SimpleUploadedFile("企业.xlsx", bomb)
                    url = reverse("admin:members_company_import")
                    return importing.post(url, upload).status_code

                measure("3. xlsx import, 400 KB → 100 MB", media, import_bomb)

            if case == 4:  # One 40-megapixel JPEG (7296×5472, a camera's full size).
                big = noisy_jpeg((7296, 5472), quality=60)
                print(f"   (the JPEG: 7296×5472, {len(big) / MB:.1f} MB)")
                data = {**visit, "summary": "座谈"}

                def post_photo():
                    data["photos"] = [SimpleUploadedFile("IMG_0002.jpg", big)]
                    return visiting.post(new, data).status_code

                measure("4. visit with one 40 MP JPEG", media, post_photo)
            transaction.set_rollback(True)
    finally:
        shutil.rmtree(media, ignore_errors=True)


def main():
    """Each case in a process of its own, so that memory freed by one does not hide the
    next one's growth."""
    if len(sys.argv) == 3 and sys.argv[1] == "--case":
        run(int(sys.argv[2]))
        return
    print(f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs")
    for case in (1, 2, 3, 4):
        subprocess.run([sys.executable, __file__, "--case", str(case)], check=True)


if __name__ == "__main__":
    main()
