"""In every status of an appointment, the pages offer an action exactly when the service accepts it: the advisor's
"Mark held" (the appointment's `can_be_marked_held`, before and after the proposed moment), the holder's "Cancel"
(`is_open`), and a request to a closed site (the site's `is_open`). The holder's page shows the proposed slot and
the reason of a refusal by the status (`is_proposed`, `is_declined`)."""

import datetime

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from opencpf.advisors import services
from opencpf.advisors.enums import AppointmentStatus, Network, SiteStatus
from opencpf.advisors.models import Appointment
from tests.advisors.factories import make_advisor, make_holder, make_site, request_kwargs
from tests.probes import service_accepts

pytestmark = pytest.mark.django_db

HOUR = datetime.timedelta(hours=1)


def accepted(call) -> bool:
    return service_accepts(call, refusal=services.AppointmentError)


@pytest.fixture
def world(django_capture_on_commit_callbacks):
    site = make_site("75010", networks=(Network.REGIONAL_OPERATOR,), name="CEP Paris Est")
    advisor = make_advisor(site)
    holder = make_holder(postal_code="75011", city="Paris")
    with django_capture_on_commit_callbacks(execute=True):
        appointment = services.appointment_request(user=holder.user, site_id=site.pk, **request_kwargs())
    return site, advisor, holder, appointment


def put_in(appointment: Appointment, status: AppointmentStatus, proposed_at: datetime.datetime) -> Appointment:
    fields = {"status": status}
    if status in (AppointmentStatus.PROPOSED, AppointmentStatus.HELD):
        fields["proposed_at"] = proposed_at
    if status == AppointmentStatus.DECLINED:
        fields["decline_reason"] = "Outside our area."
    Appointment.objects.filter(pk=appointment.pk).update(**fields)
    return Appointment.objects.get(pk=appointment.pk)


@pytest.mark.parametrize("when", ["before the moment", "after the moment"])
@pytest.mark.parametrize("status", list(AppointmentStatus))
def test_the_advisors_page_offers_mark_held_when_the_service_accepts_it(client, english, world, status, when):
    _, advisor, _, appointment = world
    moment = timezone.now() + (HOUR if when == "before the moment" else -HOUR)
    appointment = put_in(appointment, status, moment)
    client.force_login(advisor)
    page = client.get(reverse("advisors:advisor_detail", args=[appointment.pk])).content.decode()
    offered = reverse("advisors:advisor_action", args=[appointment.pk, "held"]) in page
    assert offered == accepted(lambda: services.appointment_mark_held(user=advisor, appointment_id=appointment.pk))
    assert offered == (status == AppointmentStatus.PROPOSED and when == "after the moment")


@pytest.mark.parametrize("status", list(AppointmentStatus))
def test_the_holders_page_offers_cancel_and_shows_the_answer_by_status(english, world, status):
    _, _, holder, appointment = world
    appointment = put_in(appointment, status, timezone.now() + 24 * HOUR)
    browser = Client()
    browser.force_login(holder.user)
    page = browser.get(reverse("advisors:holder_detail", args=[appointment.pk])).content.decode()
    offered = reverse("advisors:holder_cancel", args=[appointment.pk]) in page
    assert offered == accepted(lambda: services.appointment_cancel(user=holder.user, appointment_id=appointment.pk))
    assert offered == (status in (AppointmentStatus.REQUESTED, AppointmentStatus.PROPOSED))
    assert ("Appointment on" in page) == (status == AppointmentStatus.PROPOSED)
    assert ("Outside our area." in page) == (status == AppointmentStatus.DECLINED)


@pytest.mark.parametrize("status", list(SiteStatus))
def test_the_request_page_takes_a_request_when_the_service_does(english, world, status):
    site = make_site("75012", status=status)
    holder = make_holder(postal_code="75011", city="Paris")
    browser = Client()
    browser.force_login(holder.user)
    response = browser.get(reverse("advisors:request", args=[site.pk]))
    form = "Send my request" in response.content.decode()
    takes = accepted(lambda: services.appointment_request(user=holder.user, site_id=site.pk, **request_kwargs()))
    assert form == takes == (status == SiteStatus.OPEN)
    assert response.status_code == (200 if form else 409)
