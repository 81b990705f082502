"""Background work of the scans: django-tasks (immediate by default, the database backend in production)."""

from django_tasks import task

from . import services


@task()
def run_scan(scan_id: int) -> str:
    scan = services.scan_run(scan_id)
    return scan.status if scan is not None else "skipped"
