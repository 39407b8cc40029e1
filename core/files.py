"""Uploaded files: where they are stored, what is accepted, and how private ones are served.

Every ``FileField`` and ``ImageField`` of the project stores its file under a random name
(:class:`UploadTo`): nothing of the name the client sent reaches the disk or a URL. Files that
are public by nature (company logos, journal covers) live in their folder under ``MEDIA_ROOT``,
which nginx serves at ``/media/``. Every other file lives under ``MEDIA_ROOT/private/``, which
nobody reaches directly: a view checks the same rule as the page that shows the file and answers
with :func:`serve_private` — an ``X-Accel-Redirect`` to nginx's ``internal`` location when
``PRIVATE_MEDIA_ACCEL_PREFIX`` is set (production), the file streamed by Django otherwise.

Attachments (:class:`AttachmentField`) pass only if their first bytes are what their extension
claims: ``%PDF-`` for a PDF, a ZIP holding the parts of an Office document for .docx/.xlsx/.pptx,
the OLE2 signature for the older .doc/.xls/.ppt, the JPEG or PNG signatures for pictures; and
they are within the size limit. HTML, SVG and scripts are never accepted.
"""

import posixpath
import re
import uuid
import zipfile
from urllib.parse import quote

from django import forms
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured, ValidationError
from django.core.files.storage import default_storage
from django.db import models
from django.db.models.fields.files import FieldFile, ImageFieldFile
from django.http import FileResponse, Http404, HttpResponse
from django.template.defaultfilters import filesizeformat
from django.utils import timezone
from django.utils.deconstruct import deconstructible
from django.utils.http import content_disposition_header
from django.utils.translation import gettext_lazy as _
from django.views.static import serve as static_serve

PRIVATE_FOLDER = "private"


def normalised_extension(filename: str) -> str:
    """``.JPEG`` → ``jpg``; letters and digits only, at most five; "" when there is none."""
    extension = posixpath.splitext(filename or "")[1].lower().lstrip(".")
    extension = re.sub(r"[^a-z0-9]", "", extension)[:5]
    return "jpg" if extension == "jpeg" else extension


@deconstructible(path="core.files.UploadTo")
class UploadTo:
    """``upload_to`` that names a file ``<folder>/<yyyy>/<mm>/<uuid4 hex>.<ext>``, under
    ``private/`` for a file served only through a permission-checked view."""

    def __init__(self, folder: str, *, private: bool = False):
        self.folder = folder.strip("/")
        self.private = private

    def __call__(self, instance, filename: str) -> str:
        today = timezone.localdate()
        extension = normalised_extension(filename)
        name = uuid.uuid4().hex + (f".{extension}" if extension else "")
        folder = f"{PRIVATE_FOLDER}/{self.folder}" if self.private else self.folder
        return f"{folder}/{today:%Y}/{today:%m}/{name}"

    def __eq__(self, other):
        return (
            isinstance(other, UploadTo)
            and self.folder == other.folder
            and self.private == other.private
        )

    def __hash__(self):
        return hash((self.folder, self.private))


def is_private(name: str) -> bool:
    return (name or "").startswith(PRIVATE_FOLDER + "/")


def is_private_field(field) -> bool:
    if not isinstance(field, models.FileField):  # e.g. a history table's copy (text)
        return False
    return isinstance(field.upload_to, UploadTo) and field.upload_to.private


class PrivateFileURL:
    """``.url`` of a private field's file: the permission-checked view's address (the model's
    ``private_file_url(field_name)``), never ``/media/private/…``: the admin's "Currently:"
    links and any template that says ``.url`` lead through the check too."""

    @property
    def url(self):
        self._require_file()
        return self.instance.private_file_url(self.field.name)


class PrivateFieldFile(PrivateFileURL, FieldFile):
    pass


class PrivateImageFieldFile(PrivateFileURL, ImageFieldFile):
    pass


def protect_private_fields(models_) -> None:
    """Give every private file field of ``models_`` the field files above (from
    ``CoreConfig.ready``); a model with such a field must say where its files are served."""
    for model in models_:
        for field in model._meta.get_fields():
            if not is_private_field(field):
                continue
            if not hasattr(model, "private_file_url"):
                raise ImproperlyConfigured(
                    f"{model._meta.label} has the private file field {field.name!r} but no "
                    "private_file_url(field_name) naming the view that serves it."
                )
            if field.model is model:
                image = isinstance(field, models.ImageField)
                field.attr_class = PrivateImageFieldFile if image else PrivateFieldFile


# --- Serving private files -------------------------------------------------------------------

CONTENT_TYPES = {
    "jpg": "image/jpeg",
    "jpeg": "image/jpeg",
    "png": "image/png",
    "webp": "image/webp",
    "pdf": "application/pdf",
    "doc": "application/msword",
    "xls": "application/vnd.ms-excel",
    "ppt": "application/vnd.ms-powerpoint",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "pptx": "application/vnd.openxmlformats-officedocument.presentationml.presentation",
}
# What a browser may show in its window; anything else is only ever downloaded.
INLINE_TYPES = {"image/jpeg", "image/png", "image/webp", "application/pdf"}


def serve_private(request, fieldfile, *, filename: str | None = None, as_attachment=None):
    """The response that gives ``fieldfile`` (a FieldFile, or a name in the default storage)
    to someone the calling view has let through.

    The Content-Type comes from a fixed list (anything else is ``application/octet-stream``),
    never from the file; only images and PDFs may be shown inline (``as_attachment=None``
    means "inline if it may be"), everything else is downloaded, under ``filename`` (the
    stored name when not given). 404 when the field is empty or the file is gone.
    """
    if not fieldfile:
        raise Http404
    if isinstance(fieldfile, str):  # a name in the default storage
        name, storage = fieldfile, default_storage
    else:
        name, storage = fieldfile.name, fieldfile.storage
    extension = normalised_extension(name)
    content_type = CONTENT_TYPES.get(extension, "application/octet-stream")
    inline_allowed = content_type in INLINE_TYPES
    if as_attachment is None:
        as_attachment = not inline_allowed
    as_attachment = as_attachment or not inline_allowed
    filename = filename or posixpath.basename(name)
    prefix = getattr(settings, "PRIVATE_MEDIA_ACCEL_PREFIX", "")
    if prefix and is_private(name):
        response = HttpResponse(content_type=content_type)
        path = name.removeprefix(PRIVATE_FOLDER + "/")
        response["X-Accel-Redirect"] = prefix.rstrip("/") + "/" + quote(path)
    else:
        try:
            response = FileResponse(storage.open(name, "rb"), content_type=content_type)
        except FileNotFoundError:
            raise Http404 from None
    response["Content-Disposition"] = content_disposition_header(as_attachment, filename)
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, max-age=3600"
    return response


def serve_public_media(request, path, document_root=None):
    """``/media/`` in development, as nginx serves it in production: the public folders only;
    the private folder answers 404 (its files are reached through their views)."""
    normalised = posixpath.normpath(path).lstrip("/")
    if normalised == PRIVATE_FOLDER or is_private(normalised):
        raise Http404
    return static_serve(request, path, document_root=document_root or settings.MEDIA_ROOT)


# --- Attachments checked by their content ----------------------------------------------------

MAX_ATTACHMENT_BYTES = 20 * 2**20

OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
# Extension → the folder an OOXML package of that kind must hold.
OOXML_FOLDERS = {"docx": "word/", "xlsx": "xl/", "pptx": "ppt/"}
KINDS = ("pdf", "docx", "xlsx", "pptx", "doc", "xls", "ppt", "jpg", "jpeg", "png")


def _head(upload, n: int = 2048) -> bytes:
    upload.seek(0)
    head = upload.read(n)
    upload.seek(0)
    return head


def _is_ooxml(upload, folder: str) -> bool:
    try:
        upload.seek(0)
        with zipfile.ZipFile(upload) as package:
            names = package.namelist()
    except (zipfile.BadZipFile, OSError, ValueError):
        return False
    finally:
        upload.seek(0)
    return "[Content_Types].xml" in names and any(name.startswith(folder) for name in names)


def content_matches(upload, extension: str) -> bool:
    head = _head(upload)
    if extension == "pdf":
        return b"%PDF-" in head[:1024]
    if extension in OOXML_FOLDERS:
        return head.startswith(b"PK\x03\x04") and _is_ooxml(upload, OOXML_FOLDERS[extension])
    if extension in ("doc", "xls", "ppt"):
        return head.startswith(OLE2)
    if extension in ("jpg", "jpeg"):
        return head.startswith(b"\xff\xd8\xff")
    if extension == "png":
        return head.startswith(b"\x89PNG\r\n\x1a\n")
    return False


def check_attachment(upload, *, kinds=KINDS, max_bytes: int = MAX_ATTACHMENT_BYTES) -> None:
    """Raise ValidationError (a message for the person uploading) unless the file is of one
    of ``kinds``, by its extension and its content, and within ``max_bytes``."""
    name = getattr(upload, "name", "") or ""
    extension = posixpath.splitext(name)[1].lower().lstrip(".")
    if extension not in kinds:
        raise ValidationError(
            _("“%(name)s” is not an accepted kind of file. Accepted: %(kinds)s."),
            code="attachment_kind",
            params={"name": posixpath.basename(name), "kinds": ", ".join(kinds)},
        )
    size = getattr(upload, "size", None)
    if size is None:
        upload.seek(0, 2)
        size = upload.tell()
        upload.seek(0)
    if size > max_bytes:
        raise ValidationError(
            _("“%(name)s” is %(size)s; the limit is %(limit)s."),
            code="attachment_too_large",
            params={
                "name": posixpath.basename(name),
                "size": filesizeformat(size),
                "limit": filesizeformat(max_bytes),
            },
        )
    if size == 0:
        raise ValidationError(
            _("“%(name)s” is empty."), code="attachment_empty", params={"name": name}
        )
    if not content_matches(upload, extension):
        raise ValidationError(
            _(
                "“%(name)s” is not a real %(kind)s file, or it is damaged: its content does not "
                "match its extension. Save it again from the program that made it."
            ),
            code="attachment_content",
            params={"name": posixpath.basename(name), "kind": extension.upper()},
        )


class AttachmentFormField(forms.FileField):
    def __init__(self, *args, kinds=KINDS, max_bytes=MAX_ATTACHMENT_BYTES, **kwargs):
        self.kinds = kinds
        self.max_bytes = max_bytes
        kwargs.setdefault(
            "help_text",
            _("%(kinds)s, at most %(limit)s.")
            % {"kinds": ", ".join(k.upper() for k in kinds), "limit": filesizeformat(max_bytes)},
        )
        super().__init__(*args, **kwargs)

    def to_python(self, data):
        data = super().to_python(data)
        if data is not None:
            check_attachment(data, kinds=self.kinds, max_bytes=self.max_bytes)
        return data


class AttachmentField(models.FileField):
    """A model file field whose forms check the upload with :func:`check_attachment`."""

    def __init__(self, *args, kinds=KINDS, max_bytes=MAX_ATTACHMENT_BYTES, **kwargs):
        self.kinds = tuple(kinds)
        self.max_bytes = max_bytes
        kwargs.setdefault("max_length", 200)
        super().__init__(*args, **kwargs)

    def deconstruct(self):
        name, path, args, kwargs = super().deconstruct()
        if self.kinds != KINDS:
            kwargs["kinds"] = self.kinds
        if self.max_bytes != MAX_ATTACHMENT_BYTES:
            kwargs["max_bytes"] = self.max_bytes
        if kwargs.get("max_length") == 200:
            del kwargs["max_length"]
        return name, path, args, kwargs

    def formfield(self, **kwargs):
        return super().formfield(
            **{
                "form_class": AttachmentFormField,
                "kinds": self.kinds,
                "max_bytes": self.max_bytes,
                **kwargs,
            }
        )
