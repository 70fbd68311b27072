"""Every status a holder can see gets its DSFR badge from one mapping next to its enum."""

import pytest

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
