"""The receipt travels through a real SMTP server (aiosmtpd), in the holder's language."""

import pytest

from opencpf.scams.services.reports import report_file
from tests.accounts.factories import HolderFactory
from tests.accounts.test_smtp import smtp_server  # noqa: F401 - the fixture

pytestmark = [pytest.mark.smtp, pytest.mark.django_db(transaction=True)]


def test_the_receipt_is_emailed_in_the_holders_language_with_the_reference_and_the_precautions(smtp_server):  # noqa: F811
    holder = HolderFactory(user__language="en")
    report = report_file(user=holder.user, situation="cold_calling", description="Called twice.").report
    message = smtp_server.last_to(holder.user.email)
    assert message["Subject"] == f"Your scam report {report.reference} is received"
    body = message.get_content()
    assert "0 805 805 817" in body
    assert f"/signalement/{report.reference}/" in body
