"""Periodic work of the rights area (run by `manage.py db_worker`; schedule it daily)."""

from django.tasks import task
from django.utils import timezone

from opencpf.rights.services.top_ups import topups_expire


@task()
def expire_topups_task() -> int:
    """Expire the top-ups past their last usable day; returns how many."""
    return len(topups_expire(on_date=timezone.localdate()))
