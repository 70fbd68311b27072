"""Background work of the accounts area (run by `manage.py db_worker`)."""

from django.tasks import task

from opencpf.accounts import services

UID_PLACEHOLDER = "UIDB64"
TOKEN_PLACEHOLDER = "TOKEN"


@task()
def password_reset_task(*, email: str, url_template: str, ip: str | None = None) -> None:
    """Look the address up and email the link, away from the request: the page answers in the same time whether
    or not an account uses the address (looking it up and sending the mail would take longer when one does)."""
    services.password_reset_send(
        email=email,
        url_for=lambda uidb64, token: url_template.replace(UID_PLACEHOLDER, uidb64).replace(TOKEN_PLACEHOLDER, token),
        ip=ip,
    )
