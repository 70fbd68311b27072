"""Authorization matrix of the advisor and funder spaces (issue 11): every page and endpoint, web and API, for each
kind of user. A user who may not see a thing gets the sign-in page (anonymous), 403 (wrong kind of account) or 404
(the right kind, but not theirs: another site's advisor, another funder, another holder); nothing is written.

The rightful user posts empty or invalid forms, so that getting in shows as 400 and nothing changes either."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from opencpf.accounts.enums import Role
from opencpf.accounts.models import AuditEvent
from opencpf.accounts.services import api_token_create
from opencpf.advisors import services as advisor_services
from opencpf.advisors.enums import AppointmentStatus, Network
from opencpf.advisors.models import Appointment
from opencpf.dossiers import services as dossier_services
from opencpf.funders import services as funder_services
from opencpf.funders.enums import FileTopUpStatus
from opencpf.funders.models import FileTopUpRequest, FunderCredit
from opencpf.rights.models import TopUp
from tests.accounts.factories import HolderFactory, UserFactory
from tests.advisors.factories import make_advisor, make_site, request_kwargs
from tests.dossiers.factories import make_world
from tests.funders.factories import FunderOrganisationFactory, funder_user

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]

ACTORS = [
    "anonymous",
    "holder",  # asked the advisor, owns the file, asked the funder
    "other holder",
    "advisor",  # works at the site the holder asked
    "other advisor",  # works at another site
    "advisor without site",
    "funder",  # the organisation the holder asked
    "other funder",
    "funder without organisation",
    "organisation staff",
    "agent",
]
SIGN_IN = 302


@pytest.fixture
def world():
    today = timezone.localdate()
    trip = make_world(
        acquired="600.00",
        start=(today + datetime.timedelta(days=60)).isoformat(),
        end=(today + datetime.timedelta(days=64)).isoformat(),
    )
    dossier = dossier_services.dossier_register(user=trip.user, session_id=trip.session.pk)
    dossier_services.dossier_propose(dossier_id=dossier.pk, user=trip.staff, price="1200.00")
    site = make_site("75010", networks=(Network.REGIONAL_OPERATOR,))
    appointment = advisor_services.appointment_request(user=trip.user, site_id=site.pk, **request_kwargs())
    organisation = FunderOrganisationFactory()
    file_request = funder_services.file_top_up_request(
        user=trip.user, dossier_id=dossier.pk, organisation_id=organisation.pk
    )
    users = {
        "anonymous": None,
        "holder": trip.user,
        "other holder": HolderFactory().user,
        "advisor": make_advisor(site),
        "other advisor": make_advisor(make_site("69001")),
        "advisor without site": UserFactory(role=Role.ADVISOR, display_name="Advisor"),
        "funder": funder_user(organisation),
        "other funder": funder_user(),
        "funder without organisation": UserFactory(role=Role.FUNDER, display_name="Funder"),
        "organisation staff": trip.staff,
        "agent": UserFactory(agent=True),
    }
    return {
        "users": users,
        "site": site,
        "appointment": appointment,
        "dossier": dossier,
        "file_request": file_request,
        "holder": trip.holder,
    }


def expect(default, **special):
    """The status each actor gets: `default` for anybody not named (underscores for spaces)."""
    return {actor: special.get(actor.replace(" ", "_"), default) for actor in ACTORS}


ADVISOR_LIST = expect(403, anonymous=SIGN_IN, advisor=200, other_advisor=200)


def advisor_own(status):
    return expect(403, anonymous=SIGN_IN, advisor=status, other_advisor=404)


def holder_own(status):
    return expect(403, anonymous=SIGN_IN, holder=status, other_holder=404)


HOLDERS_ONLY = expect(403, anonymous=SIGN_IN, holder=200, other_holder=200)
FUNDERS_ONLY = expect(403, anonymous=SIGN_IN, funder=200, other_funder=200)
FUNDER_OWN = expect(403, anonymous=SIGN_IN, funder=200, other_funder=404)


def web_endpoints(world) -> list[tuple[str, str, dict | None, dict]]:
    """(method, url, form, expected status per actor)."""
    appointment, dossier, request = world["appointment"].pk, world["dossier"].pk, world["file_request"].pk
    action = lambda name: reverse("advisors:advisor_action", args=[appointment, name])  # noqa: E731
    return [
        # "Find an advisor" is public
        ("get", reverse("advisors:find"), None, expect(200)),
        ("get", reverse("advisors:request", args=[world["site"].pk]), None, HOLDERS_ONLY),
        (
            "post",
            reverse("advisors:request", args=[world["site"].pk]),
            {},
            expect(403, anonymous=SIGN_IN, holder=400, other_holder=400),
        ),
        ("get", reverse("advisors:holder_list"), None, HOLDERS_ONLY),
        ("get", reverse("advisors:holder_detail", args=[appointment]), None, holder_own(200)),
        # the advisors' space
        ("get", reverse("advisors:advisor_list"), None, ADVISOR_LIST),
        ("get", reverse("advisors:advisor_detail", args=[appointment]), None, advisor_own(200)),
        ("post", action("propose"), {}, advisor_own(400)),
        ("post", action("decline"), {}, advisor_own(400)),
        ("post", action("identity"), {}, advisor_own(400)),
        ("post", action("held"), {}, advisor_own(302)),  # refused with a message: the slot is not even proposed
        ("post", action("unknown"), {}, advisor_own(404)),
        # the funders' space
        ("get", reverse("funders:home"), None, FUNDERS_ONLY),
        ("get", reverse("funders:credit_new"), None, FUNDERS_ONLY),
        ("post", reverse("funders:credit_new"), {}, expect(403, anonymous=SIGN_IN, funder=400, other_funder=400)),
        ("get", reverse("funders:credit_import"), None, FUNDERS_ONLY),
        ("post", reverse("funders:credit_import"), {}, expect(403, anonymous=SIGN_IN, funder=400, other_funder=400)),
        ("get", reverse("funders:report_csv"), None, FUNDERS_ONLY),
        ("get", reverse("funders:file_requests"), None, FUNDERS_ONLY),
        ("get", reverse("funders:file_request_detail", args=[request]), None, FUNDER_OWN),
        (
            "post",
            reverse("funders:file_request_detail", args=[request]),
            {"action": "grant", "grant-amount": "0"},
            expect(403, anonymous=SIGN_IN, funder=400, other_funder=404),
        ),
        (
            "post",
            reverse("funders:file_request_detail", args=[request]),
            {"action": "refuse", "refuse-reason": ""},
            expect(403, anonymous=SIGN_IN, funder=400, other_funder=404),
        ),
        # the holder's side of file top-ups
        ("get", reverse("file_top_ups:ask", args=[dossier]), None, holder_own(200)),
        ("post", reverse("file_top_ups:ask", args=[dossier]), {}, holder_own(400)),
        ("get", reverse("file_top_ups:employer_letter", args=[dossier]), None, holder_own(200)),
        # last: the one write the owner makes for real
        ("post", reverse("advisors:holder_cancel", args=[appointment]), {}, holder_own(302)),
    ]


API_FUNDERS = {actor: (401 if actor == "anonymous" else 403) for actor in ACTORS}


def api_endpoints(world) -> list[tuple[str, str, dict | None, dict]]:
    request, holder = world["file_request"].pk, world["holder"]
    credit = {"nir": holder.nir, "last_name": holder.last_name, "amount": "0"}
    return [
        ("get", "/api/v1/advisors?postal_code=75010", None, expect(200)),
        ("get", "/api/v1/funder/report", None, API_FUNDERS | {"funder": 200, "other funder": 200}),
        ("post", "/api/v1/funder/credits", credit, API_FUNDERS | {"funder": 400, "other funder": 400}),
        ("get", "/api/v1/funder/file-requests", None, API_FUNDERS | {"funder": 200, "other funder": 200}),
        (
            "post",
            f"/api/v1/funder/file-requests/{request}/grant",
            {"amount": "0"},
            API_FUNDERS | {"funder": 400, "other funder": 404},
        ),
        (
            "post",
            f"/api/v1/funder/file-requests/{request}/refuse",
            {"reason": ""},
            API_FUNDERS | {"funder": 400, "other funder": 404},
        ),
    ]


def nothing_moved(world, actor):
    assert not TopUp.objects.exists() and not FunderCredit.objects.exists()
    assert FileTopUpRequest.objects.get().status == FileTopUpStatus.REQUESTED
    appointment = Appointment.objects.get(pk=world["appointment"].pk)
    expected = AppointmentStatus.CANCELLED if actor == "holder" else AppointmentStatus.REQUESTED
    assert appointment.status == expected
    assert not AuditEvent.objects.filter(action__in=["identity_confirmed_in_person", "funder_credit_added"]).exists()


@pytest.mark.parametrize("actor", ACTORS)
def test_web_pages(client, world, actor):
    user = world["users"][actor]
    if user is not None:
        client.force_login(user)
    answers = {}
    for method, url, form, expected in web_endpoints(world):
        response = getattr(client, method)(url, form) if method == "post" else client.get(url)
        answers[f"{method.upper()} {url}"] = (response.status_code, expected[actor])
        if actor == "anonymous" and response.status_code == 302:
            assert "/compte/connexion/" in response.url
    assert {key: got for key, (got, _want) in answers.items()} == {key: want for key, (_got, want) in answers.items()}
    nothing_moved(world, actor)


@pytest.mark.parametrize("actor", ACTORS)
def test_api_endpoints(api_client, world, actor):
    user = world["users"][actor]
    if user is not None:
        api_client.bearer(api_token_create(user=user)[0])
    answers = {}
    for method, url, body, expected in api_endpoints(world):
        response = api_client.post(url, body) if method == "post" else api_client.get(url)
        answers[f"{method.upper()} {url}"] = (response.status_code, expected[actor])
    assert {key: got for key, (got, _want) in answers.items()} == {key: want for key, (_got, want) in answers.items()}
    assert not TopUp.objects.exists()
    assert FileTopUpRequest.objects.get().status == FileTopUpStatus.REQUESTED


def test_another_funder_lists_none_of_the_requests(api_client, world):
    api_client.bearer(api_token_create(user=world["users"]["other funder"])[0])
    assert api_client.get("/api/v1/funder/file-requests").json() == []
    mine = api_client.bearer(api_token_create(user=world["users"]["funder"])[0])
    assert [item["id"] for item in mine.get("/api/v1/funder/file-requests").json()] == [world["file_request"].pk]


def test_an_advisor_reads_nothing_of_a_holder_who_did_not_ask_them(client, world):
    """The other site's advisor cannot reach the request, nor guess another one: the holder's name, email and
    rights appear nowhere in what they can open."""
    holder = world["holder"]
    client.force_login(world["users"]["other advisor"])
    pages = [client.get(reverse("advisors:advisor_list"))]
    around = range(max(1, world["appointment"].pk - 2), world["appointment"].pk + 3)
    pages += [client.get(reverse("advisors:advisor_detail", args=[pk])) for pk in around]
    for page in pages:
        content = page.content.decode()
        assert holder.last_name.upper() not in content and holder.user.email not in content
    assert {page.status_code for page in pages[1:]} == {404}
