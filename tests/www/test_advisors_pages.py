"""The advisor pages: "Find an advisor" (the signed-in holder's own address and situation by default), the
appointment request, the holder's list, and the advisors' space at /conseiller/ — where an advisor sees only the
holders who asked their site, and only what each chose to share."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from opencpf.advisors import services
from opencpf.advisors.enums import AppointmentStatus, Network, SiteStatus
from opencpf.advisors.models import Appointment
from opencpf.rights.services import rights_correct
from tests.accounts.factories import UserFactory
from tests.advisors.factories import in_days, make_advisor, make_holder, make_site, request_kwargs

pytestmark = pytest.mark.django_db


def text(response) -> str:
    return response.content.decode().replace("\xa0", " ").replace("\u202f", " ")


@pytest.fixture
def world(django_capture_on_commit_callbacks):
    site = make_site("75010", networks=(Network.REGIONAL_OPERATOR,), name="CEP Paris Est")
    other_site = make_site("69001", networks=(Network.REGIONAL_OPERATOR,), name="CEP Lyon")
    advisor = make_advisor(site)
    holder = make_holder(postal_code="75011", city="Paris", birth_date=datetime.date(1980, 1, 1))
    agent = UserFactory(agent=True)
    rights_correct(agent=agent, holder=holder, amount="1234.56", reason="test")
    with django_capture_on_commit_callbacks(execute=True):
        appointment = services.appointment_request(user=holder.user, site_id=site.pk, **request_kwargs())
    return {
        "site": site,
        "other_site": other_site,
        "advisor": advisor,
        "other_advisor": make_advisor(other_site),
        "holder": holder,
        "appointment": appointment,
    }


def matrix_users(world) -> dict:
    return {
        "anonymous": None,
        "holder": world["holder"].user,
        "other holder": make_holder().user,
        "organisation staff": UserFactory(organisation_staff=True),
        "advisor without site": UserFactory(role="advisor"),
        "advisor of another site": world["other_advisor"],
        "advisor": world["advisor"],
    }


LIST_STATUS = {
    "anonymous": 302,
    "holder": 403,
    "other holder": 403,
    "organisation staff": 403,
    "advisor without site": 403,
    "advisor of another site": 200,
    "advisor": 200,
}
DETAIL_STATUS = LIST_STATUS | {"advisor of another site": 404}


@pytest.mark.parametrize("who", LIST_STATUS)
def test_advisor_space_authorization_matrix(client, world, who):
    user = matrix_users(world)[who]
    if user is not None:
        client.force_login(user)
    appointment = world["appointment"]
    listing = client.get("/conseiller/")
    assert listing.status_code == LIST_STATUS[who]
    if listing.status_code == 200:
        assert (world["holder"].full_name in text(listing)) == (who == "advisor")
    detail = client.get(reverse("advisors:advisor_detail", args=[appointment.pk]))
    assert detail.status_code == DETAIL_STATUS[who]
    soon = timezone.localdate() + datetime.timedelta(days=3)
    answer = client.post(
        reverse("advisors:advisor_action", args=[appointment.pk, "propose"]), {"day": soon, "time": "10:00"}
    )
    assert answer.status_code == (302 if who == "advisor" else DETAIL_STATUS[who])
    expected = AppointmentStatus.PROPOSED if who == "advisor" else AppointmentStatus.REQUESTED
    assert Appointment.objects.get(pk=appointment.pk).status == expected


def test_the_advisor_sees_only_what_the_holder_shared(client, world, django_capture_on_commit_callbacks, english):
    client.force_login(world["advisor"])
    url = reverse("advisors:advisor_detail", args=[world["appointment"].pk])
    page = text(client.get(url))
    assert world["holder"].full_name in page and world["holder"].user.email in page
    assert "1,234.56" not in page and "1 234,56" not in page and 'data-testid="shared-balance"' not in page
    assert world["holder"].nir not in page
    with django_capture_on_commit_callbacks(execute=True):
        shared = services.appointment_request(
            user=world["holder"].user,
            site_id=make_site("75011", name="Other").pk,
            share_balance=True,
            share_dossiers=True,
            **request_kwargs(),
        )
    make_advisor(shared.site)
    assert client.get(reverse("advisors:advisor_detail", args=[shared.pk])).status_code == 404  # not their site
    client.force_login(shared.site.memberships.get().user)
    page = text(client.get(reverse("advisors:advisor_detail", args=[shared.pk])))
    assert 'data-testid="shared-balance"' in page and "1,234.56" in page
    assert "No training file." in page


def test_a_holder_does_not_see_another_holders_request(client, world):
    client.force_login(make_holder().user)
    assert client.get(reverse("advisors:holder_detail", args=[world["appointment"].pk])).status_code == 404
    assert client.post(reverse("advisors:holder_cancel", args=[world["appointment"].pk])).status_code == 404
    assert Appointment.objects.get(pk=world["appointment"].pk).is_open


def test_find_starts_from_the_holders_address_and_situation(client, world, english):
    client.force_login(world["holder"].user)
    page = text(client.get("/conseillers/"))
    assert 'value="75011"' in page
    assert "Regional operator for employed people" in page
    assert "CEP Paris Est" in page and "CEP Lyon" not in page  # another region's operator is too far
    assert reverse("advisors:request", args=[world["site"].pk]) in page
    job_seeker = text(client.get("/conseillers/", {"postal_code": "69001", "status": "job_seeker"}))
    assert "France Travail" in job_seeker and "No open site of this network" in job_seeker


def test_find_works_anonymously_and_reports_bad_input(client, world, english):
    page = client.get("/conseillers/", {"postal_code": "69002", "status": "employee"})
    assert page.status_code == 200 and "CEP Lyon" in text(page) and "CEP Paris Est" not in text(page)
    bad = text(client.get("/conseillers/", {"postal_code": "6900\x00", "status": "nobody", "age": "9" * 30}))
    assert "fr-error-text" in bad or "fr-input-group--error" in bad
    assert "CEP Lyon" not in bad


def test_linked_from_the_menu_the_dashboard_and_my_rights(client, world):
    client.force_login(world["holder"].user)
    assert "/conseillers/" in text(client.get("/"))
    dashboard = text(client.get("/mon-compte/"))
    assert "/conseillers/" in dashboard and "/conseillers/mes-rendez-vous/" in dashboard
    assert "/conseillers/" in text(client.get(reverse("rights:my_rights")))
    client.force_login(world["advisor"])
    assert "/conseiller/" in text(client.get("/mon-compte/"))


def test_request_through_the_page_then_see_it_in_my_account(client, world, django_capture_on_commit_callbacks):
    holder = world["holder"]
    site = make_site("75012", name="CEP Paris 12")
    client.force_login(holder.user)
    url = reverse("advisors:request", args=[site.pk])
    assert client.get(url).status_code == 200
    form = {
        "subject": "project",
        "mode": "video",
        "slot1_date": in_days(2).isoformat(),
        "slot1_half_day": "morning",
        "slot2_date": in_days(3).isoformat(),
        "slot2_half_day": "afternoon",
        "share_balance": "on",
    }
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, form)
    appointment = Appointment.objects.get(site=site)
    assert response.status_code == 302 and response.url == reverse("advisors:holder_detail", args=[appointment.pk])
    assert appointment.share_balance and not appointment.share_dossiers and appointment.mode == "video"
    assert "CEP Paris 12" in text(client.get("/conseillers/mes-rendez-vous/"))
    past = client.post(url, form | {"slot1_date": "2020-01-01", "slot2_date": "9999-12-31"})
    assert past.status_code == 400
    assert Appointment.objects.filter(site=site).count() == 1


def test_a_closed_site_page_refuses(client, world):
    site = make_site("75012", status=SiteStatus.CLOSED)
    client.force_login(world["holder"].user)
    url = reverse("advisors:request", args=[site.pk])
    assert client.get(url).status_code == 409
    response = client.post(
        url,
        {
            "subject": "project",
            "mode": "phone",
            "slot1_date": in_days(2).isoformat(),
            "slot1_half_day": "morning",
            "slot2_date": in_days(3).isoformat(),
            "slot2_half_day": "morning",
        },
    )
    assert response.status_code == 409 and not Appointment.objects.filter(site=site).exists()


def test_the_advisor_declines_and_marks_held_from_the_page(client, world, django_capture_on_commit_callbacks):
    client.force_login(world["advisor"])
    appointment = world["appointment"]
    empty = client.post(reverse("advisors:advisor_action", args=[appointment.pk, "decline"]), {"reason": ""})
    assert empty.status_code == 400
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("advisors:advisor_action", args=[appointment.pk, "propose"]), {"day": in_days(1), "time": "09:30"}
        )
    Appointment.objects.filter(pk=appointment.pk).update(proposed_at=timezone.now() - datetime.timedelta(hours=1))
    with django_capture_on_commit_callbacks(execute=True):
        held = client.post(reverse("advisors:advisor_action", args=[appointment.pk, "held"]))
    assert held.status_code == 302 and Appointment.objects.get(pk=appointment.pk).status == AppointmentStatus.HELD


def test_a_holder_abroad_is_sent_to_the_remote_network(client, english):
    make_site("75007", networks=(Network.ABROAD,), remote_only=True, name="CEP abroad")
    client.force_login(make_holder(abroad=True).user)
    page = text(client.get("/conseillers/"))
    assert "Advice for French people abroad" in page and "CEP abroad" in page and "Phone or video" in page
