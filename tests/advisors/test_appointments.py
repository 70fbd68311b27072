"""An appointment request from the holder's side to the advisor's and back: each step is an email to both sides in
each one's language; what cannot be done is refused with a clear message and nothing written."""

import datetime

import pytest
from django.core import mail
from django.utils import timezone

from opencpf.accounts.models import AuditEvent
from opencpf.advisors import services
from opencpf.advisors.enums import AppointmentMode, AppointmentStatus, HalfDay, Network, SiteStatus
from opencpf.advisors.models import Appointment
from tests.accounts.test_smtp import smtp_server  # noqa: F401 - the real SMTP server fixture
from tests.advisors.factories import in_days, make_advisor, make_holder, make_site, request_kwargs

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    site = make_site("75010", networks=(Network.REGIONAL_OPERATOR,), name="CEP Paris")
    advisor = make_advisor(site, language="en")
    holder = make_holder(postal_code="75011", city="Paris")
    return site, advisor, holder


def ask(holder, site, capture, **overrides):
    with capture(execute=True):
        return services.appointment_request(user=holder.user, site_id=site.pk, **request_kwargs(**overrides))


def emails_to(address: str) -> list:
    return [message for message in mail.outbox if address in message.to]


def test_the_whole_lifecycle_emails_both_sides_in_their_language(world, django_capture_on_commit_callbacks):
    site, advisor, holder = world
    capture = django_capture_on_commit_callbacks
    appointment = ask(holder, site, capture, share_balance=True)
    assert appointment.status == AppointmentStatus.REQUESTED and appointment.network == "regional_operator"
    assert len(appointment.preferred_slots) == 2
    (to_holder,) = emails_to(holder.user.email)
    (to_advisor,) = emails_to(advisor.email)
    assert "CEP Paris" in to_holder.subject and to_holder.body.startswith("Bonjour,")  # the holder's French
    assert to_advisor.body.startswith("Hello,")  # the advisor's English
    assert holder.full_name in to_advisor.body and "asks for an appointment" in to_advisor.body  # English advisor
    assert "/conseiller/" in to_advisor.body and "/conseillers/mes-rendez-vous/" in to_holder.body
    assert holder.nir not in to_advisor.body

    at = timezone.now() + datetime.timedelta(days=5)
    with capture(execute=True):
        services.appointment_propose(user=advisor, appointment_id=appointment.pk, at=at, message="Bureau 3")
    appointment.refresh_from_db()
    assert appointment.status == AppointmentStatus.PROPOSED and appointment.advisor == advisor
    assert len(emails_to(holder.user.email)) == 2 and "Bureau 3" in emails_to(holder.user.email)[-1].body

    with pytest.raises(services.AppointmentError, match="not taken place|pas encore eu lieu"):
        services.appointment_mark_held(user=advisor, appointment_id=appointment.pk)
    with capture(execute=True):
        services.appointment_mark_held(
            user=advisor, appointment_id=appointment.pk, now=at + datetime.timedelta(hours=1)
        )
    appointment.refresh_from_db()
    assert appointment.status == AppointmentStatus.HELD
    assert len(emails_to(holder.user.email)) == 3 and len(emails_to(advisor.email)) == 3
    actions = list(AuditEvent.objects.filter(target=f"appointment:{appointment.pk}").values_list("action", flat=True))
    assert actions == ["appointment_requested", "appointment_proposed", "appointment_held"]


def test_decline_needs_a_reason_and_tells_the_holder(world, django_capture_on_commit_callbacks, english):
    site, advisor, holder = world
    appointment = ask(holder, site, django_capture_on_commit_callbacks)
    with pytest.raises(services.AppointmentError) as refused:
        services.appointment_decline(user=advisor, appointment_id=appointment.pk, reason="  ")
    assert refused.value.status == 400 and "reason" in refused.value.errors
    with django_capture_on_commit_callbacks(execute=True):
        services.appointment_decline(user=advisor, appointment_id=appointment.pk, reason="Hors de notre secteur")
    assert Appointment.objects.get(pk=appointment.pk).status == AppointmentStatus.DECLINED
    assert "Hors de notre secteur" in emails_to(holder.user.email)[-1].body
    # answered already: a second answer (another advisor's, a second tab) changes nothing
    with pytest.raises(services.AppointmentError) as refused:
        services.appointment_propose(
            user=advisor, appointment_id=appointment.pk, at=timezone.now() + datetime.timedelta(days=2)
        )
    assert refused.value.status == 409
    assert Appointment.objects.get(pk=appointment.pk).status == AppointmentStatus.DECLINED


def test_the_holder_may_cancel_and_ask_again(world, django_capture_on_commit_callbacks):
    site, advisor, holder = world
    appointment = ask(holder, site, django_capture_on_commit_callbacks)
    with pytest.raises(services.AppointmentError) as refused:
        ask(holder, site, django_capture_on_commit_callbacks)
    assert refused.value.status == 409  # one request in progress per site
    with django_capture_on_commit_callbacks(execute=True):
        services.appointment_cancel(user=holder.user, appointment_id=appointment.pk)
    assert emails_to(advisor.email)[-1].body.count(holder.full_name) == 1
    assert ask(holder, site, django_capture_on_commit_callbacks).status == AppointmentStatus.REQUESTED


def test_a_closed_site_takes_no_appointment(world, django_capture_on_commit_callbacks, english):
    site, _advisor, holder = world
    # closed after the holder found it
    site.status = SiteStatus.CLOSED
    site.save()
    with pytest.raises(services.AppointmentError, match="closed") as refused:
        ask(holder, site, django_capture_on_commit_callbacks)
    assert refused.value.status == 409
    assert not Appointment.objects.exists() and not mail.outbox


def test_a_remote_only_site_meets_by_phone_or_video(django_capture_on_commit_callbacks, english):
    site = make_site("75007", networks=(Network.ABROAD,), remote_only=True)
    holder = make_holder(abroad=True)
    with pytest.raises(services.AppointmentError) as refused:
        ask(holder, site, django_capture_on_commit_callbacks, mode=AppointmentMode.IN_PERSON)
    assert refused.value.errors == {"mode": ["This site meets people by phone or video only."]}
    assert ask(holder, site, django_capture_on_commit_callbacks, mode=AppointmentMode.VIDEO).mode == "video"


BAD_SLOTS = {
    "one slot": [(in_days(3), HalfDay.MORNING)],
    "four slots": [(in_days(n), HalfDay.MORNING) for n in (1, 2, 3, 4)],
    "today": [(in_days(0), HalfDay.MORNING), (in_days(2), HalfDay.MORNING)],
    "past": [(in_days(-1), HalfDay.MORNING), (in_days(2), HalfDay.MORNING)],
    "year 9999": [(datetime.date(9999, 12, 31), HalfDay.MORNING), (in_days(2), HalfDay.MORNING)],
    "same slot twice": [(in_days(2), HalfDay.MORNING), (in_days(2), HalfDay.MORNING)],
    "bad half-day": [(in_days(2), "evening"), (in_days(3), HalfDay.MORNING)],
}


@pytest.mark.parametrize("slots", BAD_SLOTS.values(), ids=BAD_SLOTS.keys())
def test_preferred_slots_are_two_or_three_future_half_days(world, slots, django_capture_on_commit_callbacks, english):
    site, _advisor, holder = world
    with pytest.raises(services.AppointmentError) as refused:
        ask(holder, site, django_capture_on_commit_callbacks, slots=slots)
    assert refused.value.status == 400 and list(refused.value.errors) == ["slots"]
    assert not Appointment.objects.exists() and not mail.outbox


def test_only_confirmed_holders_ask_and_only_the_sites_advisors_answer(world, django_capture_on_commit_callbacks):
    site, advisor, holder = world
    unconfirmed = make_holder(user__email_verified_at=None)
    with pytest.raises(services.AppointmentError) as refused:
        ask(unconfirmed, site, django_capture_on_commit_callbacks)
    assert refused.value.status == 403
    with pytest.raises(services.AppointmentError) as refused:
        services.appointment_request(user=advisor, site_id=site.pk, **request_kwargs())
    assert refused.value.status == 403
    appointment = ask(holder, site, django_capture_on_commit_callbacks)
    stranger = make_advisor(make_site("69001"))
    soon = timezone.now() + datetime.timedelta(days=2)
    for user in (stranger, holder.user, make_holder().user):
        with pytest.raises(services.AppointmentError) as refused:
            services.appointment_propose(user=user, appointment_id=appointment.pk, at=soon)
        assert refused.value.status == 404
    assert Appointment.objects.get(pk=appointment.pk).status == AppointmentStatus.REQUESTED


@pytest.mark.smtp
def test_the_emails_go_through_a_real_smtp_server(world, smtp_server, django_capture_on_commit_callbacks):  # noqa: F811
    site, advisor, holder = world
    ask(holder, site, django_capture_on_commit_callbacks)
    assert "CEP Paris" in smtp_server.last_to(holder.user.email)["Subject"]
    assert holder.full_name in smtp_server.last_to(advisor.email).get_content()


def test_the_database_keeps_one_open_request_per_site_and_a_reason_for_each_refusal(world):
    from django.db import IntegrityError, transaction

    site, _advisor, holder = world
    slots = [{"date": in_days(2).isoformat(), "half_day": "morning"}] * 2
    fields = {"holder": holder, "site": site, "network": "regional_operator", "subject": "project", "mode": "phone"}
    Appointment.objects.create(preferred_slots=slots, **fields)
    with pytest.raises(IntegrityError), transaction.atomic():
        Appointment.objects.create(preferred_slots=slots, **fields)
    with pytest.raises(IntegrityError), transaction.atomic():
        Appointment.objects.create(preferred_slots=slots, status="declined", **fields)
    with pytest.raises(IntegrityError), transaction.atomic():
        Appointment.objects.create(preferred_slots=slots, status="held", **fields)
    Appointment.objects.create(preferred_slots=slots, status="declined", decline_reason="Full", **fields)


def test_answers_with_control_characters_or_far_dates_are_refused(world, django_capture_on_commit_callbacks):
    site, advisor, holder = world
    appointment = ask(holder, site, django_capture_on_commit_callbacks)
    soon = timezone.now() + datetime.timedelta(days=2)
    for kwargs in (
        {"at": soon, "message": "a\x00b"},
        {"at": soon, "message": "x" * 2001},
        {"at": timezone.now() - datetime.timedelta(minutes=1)},
        {"at": datetime.datetime(9999, 12, 31, 10, tzinfo=datetime.UTC)},
    ):
        with pytest.raises(services.AppointmentError) as refused:
            services.appointment_propose(user=advisor, appointment_id=appointment.pk, **kwargs)
        assert refused.value.status == 400
    with pytest.raises(services.AppointmentError) as refused:
        services.appointment_decline(user=advisor, appointment_id=appointment.pk, reason="no\x00")
    assert refused.value.status == 400
    assert Appointment.objects.get(pk=appointment.pk).status == AppointmentStatus.REQUESTED
    with pytest.raises(services.AppointmentError) as refused:
        services.advisor_create(email=holder.user.email, display_name="x", site_codes=[site.code])
    assert refused.value.status == 400 and "email" in refused.value.errors
