"""Background tasks shared by every area (run by `manage.py db_worker`)."""

from django.tasks import task

from opencpf.utils.emails import send_email


@task()
def send_email_task(*, to: str, template_prefix: str, context: dict, language: str = "fr") -> None:
    send_email(to=to, template_prefix=template_prefix, context=context, language=language)
