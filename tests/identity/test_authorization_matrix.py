"""Who may open each new page and call each new endpoint (issue 10): anonymous, a holder, an organisation's staff,
an agent (web: signed in with the authenticator code; API: a bearer token), a career advisor, a funder. The review
pages are tried on real pending items (`{check}`, `{proof}`, `{request}`) and on one that does not exist."""

import pytest
from django.test import Client

from opencpf.accounts.services import api_token_create
from opencpf.identity import access, services, situations
from tests.accounts.factories import HolderFactory, UserFactory
from tests.advisors.factories import make_advisor, make_site
from tests.funders.factories import funder_user
from tests.identity.conftest import PDF, upload
from tests.scams.helpers import agent_sign_in, make_agent

pytestmark = pytest.mark.django_db
ACTORS = ("anonymous", "holder", "staff", "agent", "advisor", "funder")

# path → expected status per actor, in the order of ACTORS (302 = to the sign-in page, or the holder's own form).
PAGES = {
    "/compte/identite/": (302, 200, 404, 404, 404, 404),
    "/compte/identite/mon-numero/": (200, 302, 302, 302, 302, 302),
    "/compte/identite/envoyee/": (302, 302, 302, 302, 302, 302),  # nothing sent in this session: home
    "/compte/identite/situation/": (302, 200, 404, 404, 404, 404),
    "/compte/identite/acces-etranger/": (200, 200, 200, 200, 200, 200),
    "/gestion/identites/": (302, 403, 403, 200, 403, 403),
    "/gestion/identites/{check}/": (302, 403, 403, 200, 403, 403),
    "/gestion/identites/{check}/document/": (302, 403, 403, 200, 403, 403),
    "/gestion/identites/999999/": (302, 403, 403, 404, 403, 403),
    "/gestion/identites/999999/document/": (302, 403, 403, 404, 403, 403),
    "/gestion/situations/": (302, 403, 403, 200, 403, 403),
    "/gestion/situations/{proof}/": (302, 403, 403, 200, 403, 403),
    "/gestion/situations/{proof}/document/": (302, 403, 403, 200, 403, 403),
    "/gestion/situations/999999/": (302, 403, 403, 404, 403, 403),
    "/gestion/acces-etranger/": (302, 403, 403, 200, 403, 403),
    "/gestion/acces-etranger/{request}/": (302, 403, 403, 200, 403, 403),
    "/gestion/acces-etranger/{request}/justificatif/": (302, 403, 403, 200, 403, 403),
    "/gestion/acces-etranger/999999/": (302, 403, 403, 404, 403, 403),
}
POST_PAGES = {
    "/compte/inscription/": (200, 302, 302, 302, 302, 302),  # an empty form comes back; signed in: dashboard
    "/gestion/identites/999999/approuver/": (302, 403, 403, 404, 403, 403),
    "/gestion/identites/999999/rejeter/": (302, 403, 403, 302, 403, 403),  # an empty reason: back with a message
    "/gestion/identites/{check}/rejeter/": (302, 403, 403, 302, 403, 403),
    "/gestion/situations/999999/approuver/": (302, 403, 403, 404, 403, 403),
    "/gestion/situations/{proof}/rejeter/": (302, 403, 403, 302, 403, 403),
    "/gestion/acces-etranger/999999/accorder/": (302, 403, 403, 404, 403, 403),
    "/gestion/acces-etranger/999999/refuser/": (302, 403, 403, 302, 403, 403),
    "/gestion/acces-etranger/{request}/refuser/": (302, 403, 403, 302, 403, 403),
}
# API: POST with an empty body. 400 = allowed in, the input is what is missing.
ENDPOINTS = {
    "/api/v1/holders": (400, 400, 400, 400, 400, 400),
    "/api/v1/identity-checks": (400, 400, 403, 403, 403, 403),
    "/api/v1/status-proofs": (401, 400, 403, 403, 403, 403),
    "/api/v1/access-requests": (400, 400, 400, 400, 400, 400),
    "/api/v1/agent/identity-checks/999999/approve": (401, 403, 403, 404, 403, 403),
    "/api/v1/agent/identity-checks/{check}/approve": (401, 403, 403, 200, 403, 403),
    "/api/v1/agent/identity-checks/999999/reject": (401, 400, 400, 400, 400, 400),
    "/api/v1/agent/status-proofs/999999/approve": (401, 403, 403, 404, 403, 403),
    "/api/v1/agent/status-proofs/999999/reject": (401, 400, 400, 400, 400, 400),
    "/api/v1/agent/access-requests/999999/grant": (401, 403, 403, 404, 403, 403),
    "/api/v1/agent/access-requests/{request}/grant": (401, 403, 403, 200, 403, 403),
    "/api/v1/agent/access-requests/999999/refuse": (401, 400, 400, 400, 400, 400),
}


@pytest.fixture
def actors():
    users = {
        "holder": HolderFactory().user,
        "staff": UserFactory(organisation_staff=True),
        "agent": make_agent(),
        "advisor": make_advisor(make_site()),
        "funder": funder_user(),
    }
    web = {name: Client() for name in ACTORS}
    for name, user in users.items():
        if name == "agent":
            agent_sign_in(web[name], user)
        else:
            web[name].force_login(user)
    tokens = {name: api_token_create(user=user)[0] for name, user in users.items()}
    return web, tokens


@pytest.fixture
def items():
    """One pending item of each queue, from a holder abroad."""
    holder = HolderFactory(basic_identity=True, abroad=True)
    check = services.identity_check_file(user=holder.user, document_kind="id_card", upload=upload("c.pdf", PDF))
    proof = situations.status_proof_file(user=holder.user, situation="job_seeker", upload=upload("p.pdf", PDF))
    request = access.access_request_file(
        nir=holder.nir,
        birth_date=holder.birth_date,
        email=holder.user.email,
        country="CA",
        reason="Posted worker",
        upload=upload("r.pdf", PDF),
    )
    return {"check": check.pk, "proof": proof.pk, "request": request.pk}


def test_pages(actors, items):
    web, _tokens = actors
    seen = {path: tuple(web[a].get(path.format(**items)).status_code for a in ACTORS) for path in PAGES} | {
        path: tuple(web[a].post(path.format(**items)).status_code for a in ACTORS) for path in POST_PAGES
    }
    assert seen == PAGES | POST_PAGES


def test_endpoints(actors, items):
    _web, tokens = actors
    client = Client()
    seen = {}
    for path in ENDPOINTS:
        answers = []
        for actor in ACTORS:
            headers = {"Authorization": f"Bearer {tokens[actor]}"} if actor in tokens else {}
            url = path.format(**items)
            answers.append(client.post(url, {}, content_type="application/json", headers=headers).status_code)
        seen[path] = tuple(answers)
    assert seen == ENDPOINTS
