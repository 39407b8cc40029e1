import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from chamber.models import WorkingGroup
from tests.factories import GroupMembershipFactory, PersonFactory, UserFactory, WorkingGroupFactory


@pytest.fixture
def group_member(term):
    """A seat in the 会员发展工作小组 this term: the general manager of an investment company,
    neither a leader nor the secretariat."""
    group = WorkingGroupFactory(name="会员发展工作小组", kind=WorkingGroup.Kind.MEMBERSHIP)
    person = PersonFactory(name="何建刚")
    GroupMembershipFactory(group=group, person=person, term=term)
    return UserFactory(username="grower", person=person)


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def licence_upload(size=(2400, 1600)):
    buffer = io.BytesIO()
    Image.new("RGB", size, (220, 220, 200)).save(buffer, format="JPEG")
    return SimpleUploadedFile("营业执照.jpg", buffer.getvalue(), content_type="image/jpeg")
