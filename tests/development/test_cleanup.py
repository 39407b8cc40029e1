"""Applications never confirmed by their contact are deleted after some days, with their
licence photo: by a management command for cron and a django-tasks task."""

import datetime

import pytest
from django.core.files.base import ContentFile
from django.core.management import call_command
from django.utils import timezone

from development import services, tasks
from development.models import Application

from .conftest import licence_upload
from .factories import ApplicationFactory

pytestmark = pytest.mark.django_db


def sent_days_ago(days, **kwargs):
    application = ApplicationFactory(**kwargs)
    Application.objects.filter(pk=application.pk).update(
        created_at=timezone.now() - datetime.timedelta(days=days)
    )
    application.refresh_from_db()
    return application


def test_only_old_unconfirmed_applications_go_and_their_licences_with_them(
    media, capsys, django_capture_on_commit_callbacks
):
    old = sent_days_ago(8, status="unconfirmed", prospect=None)
    old.licence.save("x.jpg", ContentFile(licence_upload().read()))
    photo = media / old.licence.name
    recent = sent_days_ago(2, status="unconfirmed", prospect=None)
    confirmed = sent_days_ago(60, status="submitted")
    assert photo.exists()

    with django_capture_on_commit_callbacks(execute=True):  # the file goes at the commit
        call_command("delete_unconfirmed_applications")

    assert "Deleted 1 unconfirmed applications." in capsys.readouterr().out
    assert set(Application.objects.values_list("pk", flat=True)) == {recent.pk, confirmed.pk}
    assert not photo.exists()
    assert not Application.history.filter(id=old.pk).exists()  # the applicant's data is gone


def test_the_age_is_a_parameter_and_a_second_run_deletes_nothing(media):
    sent_days_ago(3, status="unconfirmed", prospect=None)

    assert services.delete_unconfirmed_applications(days=7) == 0
    assert services.delete_unconfirmed_applications(days=2) == 1
    assert services.delete_unconfirmed_applications(days=2) == 0


def test_the_task_does_the_same_for_a_scheduler(media):
    sent_days_ago(10, status="unconfirmed", prospect=None)

    result = tasks.delete_unconfirmed.enqueue()

    assert result.return_value == 1  # the immediate backend in tests
    assert not Application.objects.exists()


def test_the_command_refuses_a_nonsense_age():
    from django.core.management.base import CommandError

    with pytest.raises(CommandError):
        call_command("delete_unconfirmed_applications", days=0)
