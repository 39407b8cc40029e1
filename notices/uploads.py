"""Attachments of notices and the journal: checked and served by ``core.files``.

Kept here for the names that the first migration imports (``attachment_path`` and
``AttachmentField``) and for the code that imported them from here.
"""

import posixpath
import uuid

from django.utils import timezone

from core.files import (  # noqa: F401 (re-exported)
    KINDS,
    MAX_ATTACHMENT_BYTES,
    AttachmentField,
    AttachmentFormField,
    check_attachment,
    content_matches,
)


def attachment_path(instance, filename: str) -> str:
    """The first migration's ``upload_to``; the fields now use ``core.files.UploadTo``."""
    extension = posixpath.splitext(filename)[1].lower()[:8]
    folder = instance._meta.model_name
    return f"{folder}/{timezone.localdate():%Y}/{uuid.uuid4().hex}{extension}"
