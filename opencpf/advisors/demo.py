"""Demo advisor sites and advisor of `make run` (fictitious names and phones, ARCEP's numbers kept for fiction).
Idempotent; never run on a real instance."""

import datetime
from pathlib import Path

from django.utils import timezone

from opencpf.accounts.models import User
from opencpf.advisors import importer, services
from opencpf.advisors.enums import AppointmentMode, AppointmentSubject, HalfDay
from opencpf.advisors.models import AdvisorMembership, Appointment

DEMO_SITES_CSV = Path(__file__).resolve().parent / "demo_data" / "advisor_sites.csv"
DEMO_ADVISOR_EMAIL = "conseiller@opencpf.test"
DEMO_ADVISOR_PASSWORD = "Demo-Advisor-2026!"
DEMO_ADVISOR_SITE = "DEMO-REG-75010"  # the network and site of the demo holder (an employee living in Paris)
LEARNER_EMAIL = "demo-learner@opencpf.test"  # the second demo holder (opencpf.dossiers.demo), who cannot sign in


def _next_weekday(day: datetime.date, after_days: int) -> datetime.date:
    day += datetime.timedelta(days=after_days)
    while day.weekday() >= 5:
        day += datetime.timedelta(days=1)
    return day


def load(stdout) -> list[str]:
    importer.load_advisor_sites(DEMO_SITES_CSV.read_bytes(), wet_run=True)
    advisor = User.objects.filter(email=DEMO_ADVISOR_EMAIL).first()
    if advisor is None:
        advisor = services.advisor_create(
            email=DEMO_ADVISOR_EMAIL,
            display_name="Dominique Conseil",
            site_codes=[DEMO_ADVISOR_SITE],
            password=DEMO_ADVISOR_PASSWORD,
        )
    advisor.email_verified_at = advisor.email_verified_at or timezone.now()
    advisor.save(update_fields=["email_verified_at"])
    learner = User.objects.filter(email=LEARNER_EMAIL).select_related("holder").first()
    site_id = AdvisorMembership.objects.filter(user=advisor).values_list("site_id", flat=True).first()
    if learner is not None and hasattr(learner, "holder") and not Appointment.objects.filter(holder=learner.holder):
        today = timezone.localdate()
        services.appointment_request(
            user=learner,
            site_id=site_id,
            subject=AppointmentSubject.TRAINING,
            mode=AppointmentMode.VIDEO,
            slots=[(_next_weekday(today, 3), HalfDay.MORNING), (_next_weekday(today, 5), HalfDay.AFTERNOON)],
            message="Je voudrais choisir une formation en gestion de projet et savoir comment la financer.",
            share_balance=True,
        )
    return [f"advisor       {DEMO_ADVISOR_EMAIL} / {DEMO_ADVISOR_PASSWORD}  (space: /conseiller/)"]
