"""Who may open each new page and call each new endpoint (issue 10): anonymous, a holder, an organisation's staff,
an agent (web: signed in with the authenticator code; API: a bearer token)."""

import pytest
from django.test import Client

from opencpf.accounts.services import api_token_create
from tests.accounts.factories import HolderFactory, UserFactory
from tests.scams.helpers import agent_sign_in, make_agent

pytestmark = pytest.mark.django_db
ACTORS = ("anonymous", "holder", "staff", "agent")

# path → expected status per actor, in the order of ACTORS (302 = to the sign-in page, or the holder's own form).
PAGES = {
    "/compte/identite/": (302, 200, 404, 404),
    "/compte/identite/mon-numero/": (200, 302, 302, 302),
    "/compte/identite/situation/": (302, 200, 404, 404),
    "/compte/identite/acces-etranger/": (200, 200, 200, 200),
    "/gestion/identites/": (302, 403, 403, 200),
    "/gestion/identites/999999/": (302, 403, 403, 404),
    "/gestion/situations/": (302, 403, 403, 200),
    "/gestion/acces-etranger/": (302, 403, 403, 200),
}
POST_PAGES = {
    "/gestion/identites/999999/approuver/": (302, 403, 403, 404),
    "/gestion/identites/999999/rejeter/": (302, 403, 403, 302),  # an empty reason: back with a message
    "/gestion/situations/999999/approuver/": (302, 403, 403, 404),
    "/gestion/acces-etranger/999999/accorder/": (302, 403, 403, 404),
    "/gestion/acces-etranger/999999/refuser/": (302, 403, 403, 302),
}
# API: POST with an empty body. 400 = allowed in, the input is what is missing.
ENDPOINTS = {
    "/api/v1/identity-checks": (400, 400, 403, 403),
    "/api/v1/status-proofs": (401, 400, 403, 403),
    "/api/v1/access-requests": (400, 400, 400, 400),
    "/api/v1/agent/identity-checks/999999/approve": (401, 403, 403, 404),
    "/api/v1/agent/identity-checks/999999/reject": (401, 400, 400, 400),
    "/api/v1/agent/status-proofs/999999/approve": (401, 403, 403, 404),
    "/api/v1/agent/access-requests/999999/grant": (401, 403, 403, 404),
    "/api/v1/agent/access-requests/999999/refuse": (401, 400, 400, 400),
}


@pytest.fixture
def actors():
    holder = HolderFactory().user
    staff = UserFactory(organisation_staff=True)
    agent = make_agent()
    web = {"anonymous": Client(), "holder": Client(), "staff": Client(), "agent": Client()}
    web["holder"].force_login(holder)
    web["staff"].force_login(staff)
    agent_sign_in(web["agent"], agent)
    tokens = {
        name: api_token_create(user=user)[0] for name, user in (("holder", holder), ("staff", staff), ("agent", agent))
    }
    return web, tokens


def test_pages(actors):
    web, _tokens = actors
    seen = {path: tuple(web[actor].get(path).status_code for actor in ACTORS) for path in PAGES} | {
        path: tuple(web[actor].post(path).status_code for actor in ACTORS) for path in POST_PAGES
    }
    assert seen == PAGES | POST_PAGES


def test_endpoints(actors):
    _web, tokens = actors
    client = Client()
    seen = {}
    for path in ENDPOINTS:
        answers = []
        for actor in ACTORS:
            headers = {"Authorization": f"Bearer {tokens[actor]}"} if actor in tokens else {}
            answers.append(client.post(path, {}, content_type="application/json", headers=headers).status_code)
        seen[path] = tuple(answers)
    assert seen == ENDPOINTS
