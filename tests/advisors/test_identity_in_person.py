"""An advisor confirms in person the identity of a holder who asked them (DESIGN §2.5): the holder becomes *verified*
with "in person" as its source, through the identity area's service; audited; the holder is emailed. Anyone else,
or any other moment, is refused with nothing changed."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from opencpf.accounts.enums import IdentityLevel, IdentitySource
from opencpf.accounts.models import AuditEvent, Holder
from opencpf.accounts.services import api_token_create
from opencpf.advisors import services
from opencpf.advisors.enums import AppointmentMode, AppointmentStatus, Network
from opencpf.advisors.models import Appointment
from tests.accounts.test_smtp import plain_text, smtp_server  # noqa: F401 - the real SMTP server fixture
from tests.advisors.factories import make_advisor, make_holder, make_site, request_kwargs

pytestmark = pytest.mark.django_db


def _appointment(holder, site, *, status=AppointmentStatus.HELD, mode=AppointmentMode.IN_PERSON, days=-1):
    """A request of `holder` at `site`, moved straight to `status` with a slot `days` from now."""
    appointment = services.appointment_request(user=holder.user, site_id=site.pk, **request_kwargs(mode=mode))
    if status != AppointmentStatus.REQUESTED:
        Appointment.objects.filter(pk=appointment.pk).update(
            status=status,
            proposed_at=timezone.now() + datetime.timedelta(days=days),
            decline_reason="Full" if status == AppointmentStatus.DECLINED else "",
        )
    return appointment


@pytest.fixture
def world():
    site = make_site("75010", networks=(Network.REGIONAL_OPERATOR,), name="CEP Paris")
    advisor = make_advisor(site)
    holder = make_holder(basic_identity=True, user__language="en", postal_code="75011", city="Paris")
    return site, advisor, holder


def level(holder):
    holder = Holder.objects.get(pk=holder.pk)
    return holder.identity_level, holder.identity_source


@pytest.mark.smtp
def test_the_advisor_confirms_the_identity_and_the_holder_can_accept(
    world,
    smtp_server,  # noqa: F811
    django_capture_on_commit_callbacks,
    api_client,
):
    site, advisor, holder = world
    appointment = _appointment(holder, site)
    with django_capture_on_commit_callbacks(execute=True):
        confirmed = services.appointment_identity_confirm(
            user=advisor, appointment_id=appointment.pk, document_kind="passport", ip="192.0.2.7"
        )
    assert (confirmed.identity_level, confirmed.identity_source) == (IdentityLevel.VERIFIED, IdentitySource.IN_PERSON)
    assert confirmed.identity_verified_at is not None
    event = AuditEvent.objects.get(action="identity_confirmed_in_person")
    assert (event.actor, event.target, str(event.ip_address)) == (advisor, f"holder:{holder.pk}", "192.0.2.7")
    assert event.details == {"appointment": appointment.pk, "site": site.code, "document_kind": "passport"}
    message = smtp_server.last_to(holder.user.email)  # in the holder's language (English here)
    assert message["Subject"] == "Your identity was confirmed in person"
    body = plain_text(message)
    assert "An advisor of CEP Paris checked your identity document" in body
    assert "/signalement/" in body  # where to report it if it was not them
    assert holder.nir not in body
    token, _expires = api_token_create(user=holder.user)
    me = api_client.bearer(token).get("/api/v1/me").json()
    assert me["identity_level"] == "verified"


def test_a_proposed_appointment_counts_from_its_day(world, django_capture_on_commit_callbacks):
    site, advisor, holder = world
    appointment = _appointment(holder, site, status=AppointmentStatus.PROPOSED, days=0)
    with django_capture_on_commit_callbacks(execute=True):
        services.appointment_identity_confirm(user=advisor, appointment_id=appointment.pk, document_kind="id_card")
    assert level(holder) == (IdentityLevel.VERIFIED, IdentitySource.IN_PERSON)


REFUSED = {
    "still requested": ({"status": AppointmentStatus.REQUESTED}, 409),
    "declined": ({"status": AppointmentStatus.DECLINED}, 409),
    "cancelled": ({"status": AppointmentStatus.CANCELLED}, 409),
    "proposed for tomorrow": ({"status": AppointmentStatus.PROPOSED, "days": 1}, 409),
    "by phone": ({"mode": AppointmentMode.PHONE}, 409),
    "by video": ({"mode": AppointmentMode.VIDEO}, 409),
}


@pytest.mark.parametrize(("shape", "status"), REFUSED.values(), ids=REFUSED.keys())
def test_only_face_to_face_on_the_day_or_after(world, shape, status, english):
    site, advisor, holder = world
    appointment = _appointment(holder, site, **shape)
    with pytest.raises(services.AppointmentError) as refused:
        services.appointment_identity_confirm(user=advisor, appointment_id=appointment.pk, document_kind="id_card")
    assert refused.value.status == status
    assert level(holder) == (IdentityLevel.BASIC, "")
    assert not AuditEvent.objects.filter(action="identity_confirmed_in_person").exists()


def test_only_an_advisor_of_the_site_the_holder_asked(world, english):
    site, _advisor, holder = world
    appointment = _appointment(holder, site)
    other_site_advisor = make_advisor(make_site("69001"))
    for user in (other_site_advisor, holder.user, make_holder().user):
        with pytest.raises(services.AppointmentError) as refused:
            services.appointment_identity_confirm(user=user, appointment_id=appointment.pk, document_kind="id_card")
        assert refused.value.status == 404
    assert level(holder) == (IdentityLevel.BASIC, "")


def test_a_verified_holder_keeps_its_source_and_a_bad_document_kind_is_refused(world, english):
    site, advisor, _holder = world
    verified = make_holder(identity_source=IdentitySource.FRANCECONNECT)
    appointment = _appointment(verified, site)
    with pytest.raises(services.AppointmentError, match="already verified") as refused:
        services.appointment_identity_confirm(user=advisor, appointment_id=appointment.pk, document_kind="id_card")
    assert refused.value.status == 409
    assert level(verified) == (IdentityLevel.VERIFIED, IdentitySource.FRANCECONNECT)
    basic = _appointment(world[2], site)
    for kind in ("", "driving_licence", "id_card\x00"):
        with pytest.raises(services.AppointmentError) as refused:
            services.appointment_identity_confirm(user=advisor, appointment_id=basic.pk, document_kind=kind)
        assert refused.value.status == 400 and list(refused.value.errors) == ["document_kind"]
    assert level(world[2]) == (IdentityLevel.BASIC, "")


def test_from_the_advisor_page(client, world, django_capture_on_commit_callbacks, english):
    site, advisor, holder = world
    appointment = _appointment(holder, site)
    client.force_login(advisor)
    detail = reverse("advisors:advisor_detail", args=[appointment.pk])
    url = reverse("advisors:advisor_action", args=[appointment.pk, "identity"])
    page = client.get(detail).content.decode()
    assert 'data-testid="identity-confirm"' in page and "Not verified yet" in page
    unticked = client.post(url, {"document_kind": "id_card"})
    assert unticked.status_code == 400 and "Tick this box" in unticked.content.decode()
    assert level(holder) == (IdentityLevel.BASIC, "")
    with django_capture_on_commit_callbacks(execute=True):
        done = client.post(url, {"document_kind": "id_card", "checked": "on"})
    assert done.status_code == 302
    assert level(holder) == (IdentityLevel.VERIFIED, IdentitySource.IN_PERSON)
    page = client.get(detail).content.decode()
    assert 'data-testid="identity-confirm"' not in page and "Verified (In person with an advisor)" in page
    again = client.post(url, {"document_kind": "id_card", "checked": "on"}, follow=True)
    assert "already verified" in again.content.decode()
    assert AuditEvent.objects.filter(action="identity_confirmed_in_person").count() == 1
