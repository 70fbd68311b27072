"""Background work of the training files (run by `manage.py db_worker`; schedule `dossiers_lapse_task` daily,
e.g. just after midnight Paris time, or run `manage.py lapse_dossiers --wet-run` from cron)."""

from django.conf import settings
from django.tasks import task

from opencpf.dossiers.deadlines import dossiers_lapse


@task()
def dossiers_lapse_task() -> dict:
    """Lapse what is overdue and pay what is due; returns the counts."""
    report = dossiers_lapse(dry_run=False, workers=settings.OPENCPF_LAPSE_WORKERS)
    return {"today": report.today.isoformat(), "lapsed": report.lapsed, "paid": report.paid}
