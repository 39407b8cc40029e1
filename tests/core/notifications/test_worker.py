"""Off the request: with the database backend, the page that cancels an event writes one task
and sends nothing; the worker (manage.py db_worker) then tells everyone, once."""

import pytest
from django.core import mail
from django.core.management import call_command

from activities.events.services import cancel_event
from core.notifications.models import Delivery, Message
from tests.activities.events.factories import RegistrationFactory

# The worker reads the task row from its own connection: a real transaction. Flushed after,
# it restores the migrated database's snapshot, as the other transactional tests do (a plain
# flush would make the content types again under new ids, which the next restore trips on).
pytestmark = [
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.usefixtures("serialized_database"),
]


@pytest.fixture
def database_backend(settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    settings.NOTIFY_SMS_TO_CONSOLE = True
    settings.SMS_BACKEND = "core.sms.console.ConsoleBackend"


def work():
    call_command("db_worker", "--batch", "--no-startup-delay", verbosity=0)


def test_cancelling_enqueues_and_the_worker_tells_everyone_once(database_backend, event, capsys):
    from django_tasks_db.models import DBTaskResult

    for _ in range(3):
        RegistrationFactory(event=event)
    cancel_event(event=event)

    # The request wrote one task: no message, no email yet.
    assert DBTaskResult.objects.count() == 1
    assert Message.objects.count() == 0 and mail.outbox == []

    work()  # the fan-out task writes 3 messages and enqueues their delivery
    work()  # which the worker sends
    assert Message.objects.count() == 3
    assert len(mail.outbox) == 3
    assert set(Delivery.objects.values_list("status", flat=True)) == {"sent"}
    assert capsys.readouterr().out.count("[SMS]") == 3

    # The same fan-out enqueued again (a retry): nobody is told twice.
    from activities.events.tasks import notify_event_cancelled

    notify_event_cancelled.enqueue(event.pk)
    work()
    work()
    assert Message.objects.count() == 3 and len(mail.outbox) == 3
