import pytest

from chamber.models import WorkingGroup
from tests.factories import GroupMembershipFactory, WorkingGroupFactory


@pytest.fixture
def membership_group(term, other_leader):
    """The membership development group, with the other leader in it this term."""
    group = WorkingGroupFactory(name="会员发展工作小组", kind=WorkingGroup.Kind.MEMBERSHIP)
    GroupMembershipFactory(group=group, person=other_leader.person, term=term)
    return group


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    """Uploaded files (attachments, covers, PDFs) go to a temporary folder."""
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT
