"""Uploads kept across a form that comes back with an error, so that nothing is lost.

A browser never refills a file input. When a visit form comes back because, say, the summary is
missing, the photos already chosen (checked and scaled down) are stored under
``private/pending/`` (served only to their uploader, by ``activities:kept_photo``) and
the form carries a signed token for each; submitting the form again uses them. The token names
the user, so nobody can claim another's file, and it expires after a day.

What is kept is bounded: a user has at most ``MAX_FILES`` files and ``MAX_BYTES`` pending (the
oldest go first to make room, so failed posts replace rather than pile up); a form's tokens
are deduplicated and capped (``unique``) before any file is read; and
``manage.py clean_pending_uploads`` (run from cron, see the README) removes what is older than
a day for everybody, not only for those who upload again.
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

SALT = "activities.uploads.kept"  # a signing salt: kept as it was when the module moved
MAX_AGE = datetime.timedelta(days=1)
PENDING = f"{PRIVATE_FOLDER}/pending"
# A visit keeps up to 9 photos (at most 5 MB each, stored scaled down) and a problem one
# attachment of at most 10 MB: room for a form's worth, not for a pile.
MAX_FILES = 12
MAX_BYTES = 24 * 1024 * 1024


def _folder(user) -> str:
    return f"{PENDING}/{user.pk}"


def keep(upload, *, user) -> str:
    """Store an upload for this user and return the token that gives it back."""
    _remove_stale(user)
    _make_room(user, upload.size or 0)
    suffix = PurePosixPath(upload.name or "").suffix.lower()[:10]
    upload.seek(0)
    name = default_storage.save(f"{_folder(user)}/{uuid.uuid4().hex}{suffix}", upload)
    return signing.dumps({"user": user.pk, "name": name, "original": upload.name}, salt=SALT)


def _load(token: str):
    try:
        return signing.loads(token, salt=SALT, max_age=MAX_AGE)
    except signing.BadSignature:
        return None


def unique(tokens, *, user, limit: int) -> list[str]:
    """This user's valid tokens among ``tokens``, each file once, at most ``limit`` of them:
    checked from the signatures alone, before any file is opened."""
    seen, result = set(), []
    for token in tokens:
        data = _load(token)
        if not data or data.get("user") != user.pk or data.get("name") in seen:
            continue
        seen.add(data.get("name"))
        result.append(token)
        if len(result) >= limit:
            break
    return result


def take(token: str, *, user) -> ContentFile | None:
    """The file a token stands for, or None if it is not this user's, expired or gone."""
    name = stored(token, user=user)
    if name is None:
        return None
    original = signing.loads(token, salt=SALT, max_age=MAX_AGE).get("original")
    with default_storage.open(name, "rb") as kept:
        content = ContentFile(kept.read(), name=original or name)
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


def _pending(folder: str) -> list[tuple[str, float, int]]:
    """(path, modified timestamp, size) of each file in ``folder``, oldest first."""
    try:
        _, names = default_storage.listdir(folder)
    except (FileNotFoundError, NotImplementedError):
        return []
    files = []
    for name in names:
        path = f"{folder}/{name}"
        try:
            stamp = default_storage.get_modified_time(path).timestamp()
            files.append((path, stamp, default_storage.size(path)))
        except (FileNotFoundError, NotImplementedError):
            continue
    return sorted(files, key=lambda file: file[1])


def _make_room(user, size: int) -> None:
    """Remove this user's oldest pending files until one more of ``size`` bytes fits."""
    files = _pending(_folder(user))
    total = sum(file[2] for file in files)
    while files and (len(files) >= MAX_FILES or total + size > MAX_BYTES):
        path, _stamp, file_size = files.pop(0)
        default_storage.delete(path)
        total -= file_size


def remove_older_than(age: datetime.timedelta) -> tuple[int, int]:
    """Remove every user's pending files older than ``age``; return (files, bytes) removed."""
    try:
        folders, _ = default_storage.listdir(PENDING)
    except (FileNotFoundError, NotImplementedError):
        return 0, 0
    cutoff = (timezone.now() - age).timestamp()
    count = size = 0
    for folder in folders:
        for path, stamp, file_size in _pending(f"{PENDING}/{folder}"):
            if stamp < cutoff:
                default_storage.delete(path)
                count += 1
                size += file_size
    return count, size
