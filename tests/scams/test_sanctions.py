"""The sanctions ladder (DESIGN §2.6): delisted offers leave search and the index at once and take no new file;
suspended payments are held by the payment task and released when lifted; every step has a reason and a date."""

from decimal import Decimal

import pytest

from opencpf.accounts.models import AuditEvent
from opencpf.catalogue import search_index
from opencpf.catalogue.enums import OrganisationStatus
from opencpf.catalogue.models import Offer
from opencpf.scams.models import Sanction
from opencpf.scams.services import sanctions
from opencpf.scams.services.reports import ReportError
from tests.catalogue.factories import OfferFactory, OrganisationFactory, SessionFactory
from tests.scams.helpers import agent_token, make_agent

pytestmark = pytest.mark.django_db


@pytest.fixture
def catalogue():
    organisation = OrganisationFactory(name="Formations Douteuses")
    kept = OfferFactory(title="Anglais des affaires", organisation=organisation, price=Decimal("900"))
    gone = OfferFactory(title="Anglais express", organisation=organisation, price=Decimal("1900"))
    for offer in (kept, gone):
        SessionFactory(offer=offer, is_remote=True, days_from_now=30)
    search_index.rebuild()
    return organisation, kept, gone


def ids(api_client, **query) -> set[int]:
    return {r["id"] for r in api_client.get("/api/v1/offers", {"q": "anglais", **query}).json()["results"]}


def test_a_partial_delisting_takes_the_offers_out_of_search_in_the_same_request_cycle(
    client, api_client, catalogue, settings, django_capture_on_commit_callbacks
):
    # The real background backend: the offers must leave search without waiting for the worker.
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    organisation, kept, gone = catalogue
    agent = make_agent()
    api = api_client.bearer(agent_token(client, agent))
    assert ids(api_client) == {kept.pk, gone.pk}
    with django_capture_on_commit_callbacks(execute=True):  # the request's transaction commits
        response = api.post(
            f"/api/v1/agent/organisations/{organisation.pk}/sanctions",
            {"level": "partial_delisting", "reason": "Démarchage téléphonique", "offer_ids": [gone.pk]},
        )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["organisation_status"] == OrganisationStatus.PARTIALLY_DELISTED and body["offer_ids"] == [gone.pk]
    assert ids(api_client) == {kept.pk}
    assert api_client.get(f"/api/v1/offers/{gone.pk}").status_code == 404
    with django_capture_on_commit_callbacks(execute=True):
        lifted = api.post(f"/api/v1/agent/sanctions/{body['id']}/lift", {"reason": "Contrôle satisfaisant"})
    assert lifted.status_code == 200 and lifted.json()["organisation_status"] == OrganisationStatus.APPROVED
    assert ids(api_client) == {kept.pk, gone.pk}
    actions = list(
        AuditEvent.objects.filter(target=f"organisation:{organisation.pk}").values_list("action", flat=True)
    )
    assert "sanction_imposed" in actions and "sanction_lifted" in actions


def test_full_delisting_removes_every_offer_and_the_ladder_keeps_the_highest_rung(
    catalogue, django_capture_on_commit_callbacks
):
    organisation, kept, gone = catalogue
    agent = make_agent()
    observation = sanctions.sanction_impose(
        organisation_id=organisation.pk, level="observation", reason="Signalements", agent=agent
    )
    with django_capture_on_commit_callbacks(execute=True):
        delisting = sanctions.sanction_impose(
            organisation_id=organisation.pk, level="delisted", reason="Fraude", agent=agent
        )
    organisation.refresh_from_db()
    assert organisation.status == OrganisationStatus.DELISTED
    assert search_index.handle().searcher().num_docs == 0
    sanctions.sanction_lift(sanction_id=delisting.pk, agent=agent, reason="Décision annulée")
    organisation.refresh_from_db()
    assert organisation.status == OrganisationStatus.UNDER_OBSERVATION  # the lower rung still in force
    sanctions.sanction_lift(sanction_id=observation.pk, agent=agent, reason="Fin de l'observation")
    organisation.refresh_from_db()
    assert organisation.status == OrganisationStatus.APPROVED


@pytest.mark.parametrize(
    "kwargs, field",
    [
        ({"level": "partial_delisting", "reason": "x", "offer_ids": []}, "offer_ids"),
        ({"level": "banished", "reason": "x"}, "level"),
        ({"level": "observation", "reason": "  "}, "reason"),
    ],
)
def test_a_sanction_needs_a_level_a_reason_and_for_partial_delisting_offers_of_the_organisation(
    catalogue, kwargs, field
):
    organisation, _kept, _gone = catalogue
    with pytest.raises(ReportError) as refused:
        sanctions.sanction_impose(organisation_id=organisation.pk, agent=make_agent(), **kwargs)
    assert field in refused.value.errors
    assert not Sanction.objects.exists()


def test_another_organisations_offer_cannot_be_delisted(catalogue):
    organisation, _kept, _gone = catalogue
    foreign = OfferFactory(organisation=OrganisationFactory())
    with pytest.raises(ReportError):
        sanctions.sanction_impose(
            organisation_id=organisation.pk,
            level="partial_delisting",
            reason="x",
            offer_ids=[foreign.pk],
            agent=make_agent(),
        )
    assert Offer.objects.get(pk=foreign.pk).delisted_at is None


def test_lifting_twice_is_refused(catalogue):
    organisation, _kept, _gone = catalogue
    agent = make_agent()
    sanction = sanctions.sanction_impose(organisation_id=organisation.pk, level="observation", reason="x", agent=agent)
    sanctions.sanction_lift(sanction_id=sanction.pk, agent=agent, reason="ok")
    with pytest.raises(ReportError) as refused:
        sanctions.sanction_lift(sanction_id=sanction.pk, agent=agent, reason="again")
    assert refused.value.status == 409
