"""Work done off the request for events (``django_tasks``, see ``core.notifications.tasks``)."""

from django_tasks import task

from ..models import Event, Registration
from . import services


@task()
def notify_event_cancelled(event_id: int) -> int:
    """Tell everyone signed up or waiting that the event is cancelled; how many were told.

    Enqueued by the page that cancels, so that page answers at once however many signed up;
    the messages' key (event and its sequence) makes a second run tell nobody twice."""
    event = Event.objects.filter(pk=event_id, is_cancelled=True).first()
    if event is None:
        return 0
    people = [
        registration.person
        for registration in Registration.objects.active()
        .filter(event=event)
        .select_related("person__user")
    ]
    return len(services.notify_people_of_cancellation(event, people))
