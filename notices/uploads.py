"""Attachments (PDF, Word, Excel, PowerPoint files and pictures), checked like the logos.

A file passes only if its first bytes are what its extension claims: ``%PDF-`` for a PDF, a
ZIP holding the parts of an Office document for .docx/.xlsx/.pptx, the OLE2 signature for the
older .doc/.xls/.ppt, the JPEG or PNG signatures for pictures; and it is within the size
limit. Files are stored under a random name; readers download them under their own name.
"""

import posixpath
import uuid
import zipfile

from django import forms
from django.core.exceptions import ValidationError
from django.db import models
from django.template.defaultfilters import filesizeformat
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

MAX_ATTACHMENT_BYTES = 20 * 2**20

OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
# Extension → (the check of the first bytes, the folder an OOXML package must hold).
OOXML_FOLDERS = {"docx": "word/", "xlsx": "xl/", "pptx": "ppt/"}
KINDS = ("pdf", "docx", "xlsx", "pptx", "doc", "xls", "ppt", "jpg", "jpeg", "png")


def attachment_path(instance, filename: str) -> str:
    """``<app folder>/<year>/<random>.<ext>``: nothing of the uploaded name reaches the disk."""
    extension = posixpath.splitext(filename)[1].lower()[:8]
    folder = instance._meta.model_name
    return f"{folder}/{timezone.localdate():%Y}/{uuid.uuid4().hex}{extension}"


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
