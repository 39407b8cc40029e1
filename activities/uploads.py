"""Uploads kept across a form that comes back with an error, so that nothing is lost.

A browser never refills a file input. When a visit form comes back because, say, the summary is
missing, the photos already chosen (checked and scaled down) are stored under
``private/pending/`` (served only to their uploader, by ``activities:kept_photo``) and
the form carries a signed token for each; submitting the form again uses them. The token names
the user, so nobody can claim another's file, and it expires after a day; older pending files
are removed whenever the same user keeps new ones.
"""

import datetime
import uuid
from pathlib import PurePosixPath

from django.core import signing
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.urls import reverse
from django.utils import timezone

from core.files import PRIVATE_FOLDER

SALT = "activities.uploads.kept"
MAX_AGE = datetime.timedelta(days=1)
PENDING = f"{PRIVATE_FOLDER}/pending"


def _folder(user) -> str:
    return f"{PENDING}/{user.pk}"


def keep(upload, *, user) -> str:
    """Store an upload for this user and return the token that gives it back."""
    _remove_stale(user)
    suffix = PurePosixPath(upload.name or "").suffix.lower()[:10]
    upload.seek(0)
    name = default_storage.save(f"{_folder(user)}/{uuid.uuid4().hex}{suffix}", upload)
    return signing.dumps({"user": user.pk, "name": name, "original": upload.name}, salt=SALT)


def take(token: str, *, user) -> ContentFile | None:
    """The file a token stands for, or None if it is not this user's, expired or gone."""
    try:
        data = signing.loads(token, salt=SALT, max_age=MAX_AGE)
    except signing.BadSignature:
        return None
    name = data.get("name", "")
    if data.get("user") != user.pk or not name.startswith(_folder(user) + "/"):
        return None
    if not default_storage.exists(name):
        return None
    with default_storage.open(name, "rb") as stored:
        content = ContentFile(stored.read(), name=data.get("original") or name)
    content.kept_name = name
    return content


def stored(token: str, *, user) -> str | None:
    """The stored name of the file a token stands for, if it is this user's and still there."""
    try:
        data = signing.loads(token, salt=SALT, max_age=MAX_AGE)
    except signing.BadSignature:
        return None
    name = data.get("name", "")
    if data.get("user") != user.pk or not name.startswith(_folder(user) + "/"):
        return None
    return name if default_storage.exists(name) else None


def url(token: str, *, user) -> str:
    """Where the kept file is shown (a thumbnail on the form), or ""."""
    try:
        data = signing.loads(token, salt=SALT, max_age=MAX_AGE)
    except signing.BadSignature:
        return ""
    if data.get("user") != user.pk:
        return ""
    return reverse("activities:kept_photo", args=[token])


def original_name(token: str) -> str:
    try:
        return signing.loads(token, salt=SALT, max_age=MAX_AGE).get("original", "")
    except signing.BadSignature:
        return ""


def discard(files) -> None:
    """Remove kept files once they have been saved for good."""
    for file in files:
        name = getattr(file, "kept_name", None)
        if name:
            default_storage.delete(name)


def _remove_stale(user) -> None:
    folder = _folder(user)
    try:
        _, names = default_storage.listdir(folder)
    except (FileNotFoundError, NotImplementedError):
        return
    cutoff = timezone.now() - MAX_AGE
    for name in names:
        path = f"{folder}/{name}"
        try:
            if default_storage.get_modified_time(path) < cutoff:
                default_storage.delete(path)
        except (FileNotFoundError, NotImplementedError):
            continue
