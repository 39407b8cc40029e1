"""What one request or one person may cost the server, in bytes, pixels, rows and requests.

- Request bodies: ``RequestLimitsMiddleware`` refuses a body above the limit for its path
  (``request_limit``) from its Content-Length, before anything reads it, and a multipart post
  with more files than ``DATA_UPLOAD_MAX_NUMBER_FILES``; both answer the 413 page.
- Rates: ``hit(key, limit, period)`` counts an action in a fixed window in the shared cache
  and says whether it is still within the limit; ``exceeded`` only looks.
- Spreadsheets: ``check_xlsx`` refuses a workbook above ``MAX_XLSX_BYTES``, or whose zip
  unpacks to more than ``MAX_XLSX_UNPACKED_BYTES`` or at a suspicious ratio (a zip bomb), from
  the zip's directory alone; ``LimitedXLSX`` is django-import-export's xlsx format with that
  check and a cap of ``MAX_XLSX_ROWS`` rows. Every xlsx import uses it.
- Images: Pillow refuses to open more than ``MAX_IMAGE_PIXELS`` (set in ``CoreConfig.ready``).
"""

import io
import re
import time
import zipfile

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import (
    RequestDataTooBig,
    TooManyFieldsSent,
    TooManyFilesSent,
    ValidationError,
)
from django.http import HttpResponse
from django.template import loader
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _
from import_export.formats.base_formats import XLSX

from core.workbooks import TooManyRows, read_workbook, sheets_dataset

MB = 1024 * 1024

# --- Request bodies -----------------------------------------------------------------------

MAX_REQUEST_BYTES = 25 * MB
# Paths whose forms need another limit than MAX_REQUEST_BYTES: the first that matches wins.
REQUEST_LIMITS = (
    # A visit: up to 9 photos of at most 5 MB each, and the text.
    (re.compile(r"^/visits/(new|\d+/edit)/$"), 50 * MB),
    # A problem raised by a company: one attachment of at most 10 MB.
    (re.compile(r"^/problems/raise/$"), 12 * MB),
    # An application to join: a business licence photo of at most 5 MB, and the text.
    (re.compile(r"^/join/$"), 7 * MB),
    # The admin's xlsx imports: one workbook of at most 10 MB.
    (re.compile(r"^/admin/[\w-]+/[\w-]+/import/$"), 12 * MB),
    # A picture uploaded from the notice editor: at most 5 MB (core.images).
    (re.compile(r"^/admin/notices/notice/pictures/$"), 6 * MB),
    # Journal PDFs (at most 50 MB) and notices with several attachments (20 MB each): the
    # secretariat's, up to nginx's client_max_body_size.
    (re.compile(r"^/admin/notices/"), 60 * MB),
)


def request_limit(path: str) -> int:
    """The most bytes a request body to ``path`` may have."""
    for pattern, limit in REQUEST_LIMITS:
        if pattern.match(path):
            return limit
    return MAX_REQUEST_BYTES


def too_large_response(request, limit: int | None = None) -> HttpResponse:
    """The 413 page: what was too much, and that going back keeps what was typed."""
    html = loader.get_template("413.html").render(
        {
            "limit": filesizeformat(limit) if limit else "",
            "max_files": settings.DATA_UPLOAD_MAX_NUMBER_FILES,
        },
        request,
    )
    return HttpResponse(html, status=413)


FORM_TYPES = ("multipart/form-data", "application/x-www-form-urlencoded")


class RequestLimitsMiddleware:
    """Refuse a request body above its path's limit before it is read (413, not a 500).

    The Content-Length is all Django reads of a body (the WSGI stream is cut at it), so
    checking it refuses the upload before a byte is stored. A form post is then parsed here
    (as CsrfViewMiddleware would), so that too many files (``DATA_UPLOAD_MAX_NUMBER_FILES``),
    too many fields or too much text answer the same page rather than Django's bare 400.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        limit = request_limit(request.path_info)
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        if length > limit:
            return too_large_response(request, limit)
        if request.method == "POST" and request.content_type in FORM_TYPES:
            try:
                request.POST  # noqa: B018 (parses the body, within the limits above)
            except (TooManyFilesSent, TooManyFieldsSent, RequestDataTooBig):
                return too_large_response(request, limit)
        return self.get_response(request)


# --- Rates --------------------------------------------------------------------------------


def _now() -> float:
    return time.time()


def _bucket(key: str, period: int) -> str:
    return f"limits:{key}:{period}:{int(_now() // period)}"


def hit(key: str, limit: int, period: int) -> bool:
    """Count one action under ``key``; True while at most ``limit`` in this ``period`` (s).

    A fixed window in the shared cache: ``add`` creates the counter once and ``incr`` is
    atomic in Redis (and a single UPDATE in the database cache).
    """
    bucket = _bucket(key, period)
    cache.add(bucket, 0, period + 1)
    try:
        count = cache.incr(bucket)
    except ValueError:  # The window ended between add and incr.
        cache.add(bucket, 1, period + 1)
        count = 1
    return count <= limit


def exceeded(key: str, limit: int, period: int) -> bool:
    """Whether ``key`` has used up its ``limit`` in this ``period``, without counting."""
    return (cache.get(_bucket(key, period)) or 0) >= limit


# --- Spreadsheets ---------------------------------------------------------------------------

MAX_XLSX_BYTES = 10 * MB
# A workbook of 20,000 companies is 1.3 MB and unpacks to 15 MB at a ratio of 11.
MAX_XLSX_UNPACKED_BYTES = 60 * MB
MAX_XLSX_RATIO = 100
MAX_XLSX_MEMBERS = 1000
MAX_XLSX_ROWS = 20_000


class XlsxRefused(ValidationError):
    """A workbook refused for its size: the message says so to the person importing."""


def check_xlsx(data: bytes) -> None:
    """Raise ``XlsxRefused`` for a workbook too big to read, from its zip directory only."""
    if len(data) > MAX_XLSX_BYTES:
        raise XlsxRefused(
            _("The file is %(size)s; an import takes at most %(limit)s."),
            code="xlsx_too_large",
            params={"size": filesizeformat(len(data)), "limit": filesizeformat(MAX_XLSX_BYTES)},
        )
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as package:
            members = package.infolist()
    except (zipfile.BadZipFile, OSError, ValueError):
        return  # Not a zip: openpyxl says it cannot read it.
    unpacked = sum(member.file_size for member in members)
    if len(members) > MAX_XLSX_MEMBERS or unpacked > MAX_XLSX_UNPACKED_BYTES:
        raise XlsxRefused(
            _(
                "This workbook unpacks to %(size)s, more than an import can read (at most "
                "%(limit)s). Keep only the rows to import, save it again and upload it."
            ),
            code="xlsx_unpacks_too_large",
            params={
                "size": filesizeformat(unpacked),
                "limit": filesizeformat(MAX_XLSX_UNPACKED_BYTES),
            },
        )
    for member in members:
        ratio = member.file_size / max(member.compress_size, 1)
        if member.file_size > MB and ratio > MAX_XLSX_RATIO:
            raise XlsxRefused(
                _(
                    "A part of this workbook is compressed %(ratio)d times, far more than a "
                    "spreadsheet ever is: it is damaged or made to overload the server. Save it "
                    "again from Excel and upload it."
                ),
                code="xlsx_zip_bomb",
                params={"ratio": ratio},
            )


class LimitedXLSX(XLSX):
    """xlsx for django-import-export, refused above the limits above: the size and the zip
    before openpyxl opens it, then at most ``MAX_XLSX_ROWS`` rows a sheet below its first.
    Every sheet is read (core.workbooks): the import picks the one to import."""

    def create_dataset(self, in_stream):
        return sheets_dataset(*self.read_sheets(in_stream))

    @staticmethod
    def read_sheets(in_stream):
        """The workbook's sheets and the index of the active one (core.workbooks)."""
        check_xlsx(in_stream)
        try:
            return read_workbook(in_stream, MAX_XLSX_ROWS)
        except TooManyRows:
            raise XlsxRefused(
                _("The file has more than %(limit)s rows; import it in parts."),
                code="xlsx_too_many_rows",
                params={"limit": f"{MAX_XLSX_ROWS:,}"},
            ) from None


# --- Images -------------------------------------------------------------------------------

# Above this Pillow warns (made an error where uploads are read), at twice this it refuses.
MAX_IMAGE_PIXELS = 40_000_000
