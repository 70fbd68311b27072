"""Every status a holder can see gets its DSFR badge from one mapping next to its enum."""

import pytest

from opencpf.accounts.enums import SIGN_IN_OUTCOME_BADGES, SignInOutcome
from opencpf.accounts.models import SignInEvent
from opencpf.advisors.enums import APPOINTMENT_STATUS_BADGES, AppointmentStatus
from opencpf.advisors.models import Appointment
from opencpf.scams.enums import REPORT_STATUS_BADGES, ReportStatus
from opencpf.scams.models import Report
from opencpf.support.enums import TICKET_STATUS_BADGES, TicketStatus
from opencpf.support.models import Ticket


@pytest.mark.parametrize(
    ("model", "status_enum", "badges"),
    [
        (Ticket, TicketStatus, TICKET_STATUS_BADGES),
        (Appointment, AppointmentStatus, APPOINTMENT_STATUS_BADGES),
        (Report, ReportStatus, REPORT_STATUS_BADGES),
    ],
)
def test_every_status_has_a_badge(model, status_enum, badges):
    assert set(badges) == set(status_enum)
    for status in status_enum:
        assert model(status=status.value).badge_class == badges[status]
        assert badges[status] == "" or badges[status].startswith("fr-badge--")


def test_every_sign_in_outcome_has_a_badge_refusals_in_red():
    assert set(SIGN_IN_OUTCOME_BADGES) == set(SignInOutcome)
    for outcome in SignInOutcome:
        badge = SignInEvent(outcome=outcome.value).badge_class
        assert badge == SIGN_IN_OUTCOME_BADGES[outcome]
        # What the holder must notice (a wrong password, a lock) is red; only a sign-in is green.
        assert (badge == "fr-badge--success") == (outcome == SignInOutcome.SUCCESS)
        if outcome.value.startswith("bad_") or outcome in (SignInOutcome.THROTTLED, SignInOutcome.ABROAD_RESTRICTED):
            assert badge == "fr-badge--error"
