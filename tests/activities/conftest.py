"""Fixtures for the visit rule: the leader's companies, and visits and problems of theirs."""

import datetime
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image

from .visits.factories import AssignmentFactory, ProblemFactory, VisitFactory


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    """Photos and attachments go to a throwaway folder."""
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def today():
    return timezone.localdate()


@pytest.fixture
def company(member):
    """The member persona's company."""
    return member.person.company


@pytest.fixture
def assignment(leader, term, company):
    """The member's company is on the leader's list this term."""
    return AssignmentFactory(term=term, leader=leader.person, company=company)


@pytest.fixture
def visit(leader, company, term):
    return VisitFactory(leader=leader.person, company=company)


@pytest.fixture
def problem(visit):
    """A problem heard on the leader's visit to the member's company, owned by the leader."""
    return ProblemFactory(visit=visit)


def photo_upload(name="photo.jpg", size=(2400, 1800), color="red") -> SimpleUploadedFile:
    out = io.BytesIO()
    Image.new("RGB", size, color).save(out, format="JPEG")
    return SimpleUploadedFile(name, out.getvalue(), content_type="image/jpeg")


def pdf_upload(name="申请材料.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n")


def days_ago(n: int) -> datetime.date:
    return timezone.localdate() - datetime.timedelta(days=n)
