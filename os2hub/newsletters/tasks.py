"""Background work of the newsletters: django-tasks (immediate by default, the database backend in production)."""

from django_tasks import task

from . import services


@task()
def send_issue(issue_id: int) -> dict:
    return services.deliveries_send(issue_id=issue_id)
