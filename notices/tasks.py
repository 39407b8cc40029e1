"""Work done off the request for notices (``django_tasks``)."""

from django_tasks import task

from . import notifications


@task()
def announce_notice(notice_id: int) -> int:
    return notifications.announce(notice_id)
