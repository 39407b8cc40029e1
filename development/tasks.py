"""Background work of the pipeline, as ``django_tasks`` tasks a scheduler may enqueue (see
README, "Cron jobs")."""

from django_tasks import task

from . import services


@task()
def delete_unconfirmed(days: int = services.UNCONFIRMED_DAYS) -> int:
    """Delete the applications never confirmed after ``days`` days, with their licences."""
    return services.delete_unconfirmed_applications(days=days)
