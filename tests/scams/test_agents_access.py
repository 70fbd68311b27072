"""Who gets into the agents' back office and the agent API: the authorization matrix over every /gestion/ page
and agent endpoint × anonymous, holder, organisation staff, agent; agents sign in with TOTP, never as superusers."""

import re

import pytest
from django.core.management import call_command
from django.urls import URLPattern

from opencpf.accounts.models import User
from opencpf.accounts.services import api_token_create
from opencpf.scams.models import Evidence, Report, Sanction
from opencpf.scams.services.reports import report_file
from tests.accounts.factories import DEFAULT_PASSWORD, HolderFactory, UserFactory
from tests.dossiers.factories import make_world, register
from tests.scams.conftest import PDF, upload
from tests.scams.helpers import agent_sign_in, agent_token, make_agent

pytestmark = pytest.mark.django_db


@pytest.fixture
def setting():
    world = make_world()
    dossier = register(world)
    report = report_file(
        user=world.user,
        situation="registered_without_consent",
        description="x",
        dossier_ids=[dossier.pk],
        uploads=[upload("c.pdf", PDF)],
    ).report
    sanction = Sanction.objects.create(
        organisation=world.organisation, level="observation", reason="test", created_by=world.agent
    )
    return world, report, sanction


def gestion_urls(world, report, sanction) -> list[tuple[str, str]]:
    """Every /gestion/ route of the URL configuration, filled with real ids (a new page cannot escape the matrix)."""
    from opencpf.www.gestion_views import urls

    ids = {
        "report_id": report.pk,
        "evidence_id": Evidence.objects.get(report=report).pk,
        "organisation_id": world.organisation.pk,
        "sanction_id": sanction.pk,
        "holder_id": world.holder.pk,
    }
    posts = {
        "report_review",
        "report_ask_info",
        "report_confirm",
        "report_reject",
        "sanction_lift",
        "organisation_approve",
        "holder_lock",
        "holder_unlock",
        "ticket_answered",
        "ticket_close",
    }
    routes = []
    for pattern in urls.urlpatterns:
        assert isinstance(pattern, URLPattern)
        path = "/gestion/" + str(pattern.pattern)
        for name, value in ids.items():
            path = path.replace(f"<int:{name}>", str(value))
        # Pages of other areas (identity checks…): an id that exists nowhere; the access check answers first.
        path = re.sub(r"<int:\w+>", "999999999", path)
        assert "<" not in path, path
        routes.append(("post" if pattern.name in posts else "get", path))
    return routes


AGENT_ENDPOINTS = [
    ("get", "/api/v1/agent/reports"),
    ("post", "/api/v1/agent/reports/{report}/confirm"),
    ("post", "/api/v1/agent/reports/{report}/reject"),
    ("post", "/api/v1/agent/organisations/{organisation}/sanctions"),
    ("post", "/api/v1/agent/sanctions/{sanction}/lift"),
]


def test_every_agent_endpoint_is_in_the_matrix():
    from opencpf.api.api import api

    paths = {
        path
        for path in api.get_openapi_schema()["paths"]
        if "/agent/" in path
        and "identity" not in path
        and "status-proofs" not in path
        and "access-requests" not in path
    }
    listed = {
        p.replace("{report}", "{report_id}")
        .replace("{organisation}", "{organisation_id}")
        .replace("{sanction}", "{sanction_id}")
        for _m, p in AGENT_ENDPOINTS
    }
    assert paths == listed


def test_gestion_pages_answer_by_role(client, setting):
    world, report, sanction = setting
    routes = gestion_urls(world, report, sanction)
    for method, path in routes:
        response = getattr(client, method)(path)
        assert response.status_code == 302 and response.url.startswith("/compte/connexion/"), (path, response)
    for user in (world.user, world.staff):
        client.force_login(user)
        for method, path in routes:
            assert getattr(client, method)(path).status_code == 403, (user.role, path)
        client.logout()
    # An agent whose session did not pass the authenticator step (impossible through the sign-in) gets nothing.
    agent = make_agent(manage_agents=True)
    client.force_login(agent)
    for method, path in routes:
        assert getattr(client, method)(path).status_code == 403, path
    client.logout()
    agent_sign_in(client, agent)
    for method, path in routes:
        if method == "get":
            expected = {200, 404, 405} if "999999999" in path else {200}  # 405: a POST-only page of another area
            assert getattr(client, method)(path).status_code in expected, path
    assert Report.objects.get(pk=report.pk).status == "new"  # nothing was decided by the probing above


def test_agent_endpoints_answer_by_role(client, api_client, setting):
    world, report, sanction = setting
    fill = {"report": report.pk, "organisation": world.organisation.pk, "sanction": sanction.pk}
    for method, path in AGENT_ENDPOINTS:
        assert getattr(api_client, method)(path.format(**fill)).status_code == 401, path
    for user in (world.user, world.staff):
        api = api_client.bearer(api_token_create(user=user)[0])
        for method, path in AGENT_ENDPOINTS:
            response = getattr(api, method)(path.format(**fill), {"reason": "x", "level": "observation"})
            assert response.status_code == 403, (user.role, path, response.content)
    agent = make_agent()
    api = api_client.bearer(agent_token(client, agent))
    assert api.get("/api/v1/agent/reports").json()["count"] == 1


def test_an_agent_without_an_authenticator_cannot_sign_in(client, english):
    agent = UserFactory(agent=True)  # an account made by hand, outside create_agent
    client.cookies["opencpf_language"] = "en"
    response = client.post("/compte/connexion/", {"username": agent.email, "password": DEFAULT_PASSWORD})
    assert response.status_code == 200
    assert "authenticator" in response.content.decode()
    response = client.post(
        "/api/v1/auth/token", {"username": agent.email, "password": DEFAULT_PASSWORD}, content_type="application/json"
    )
    assert response.status_code == 401


def test_an_agent_signs_in_with_the_authenticator_and_the_api_asks_for_its_code(client):
    agent = make_agent()
    response = client.post(
        "/api/v1/auth/token", {"username": agent.email, "password": DEFAULT_PASSWORD}, content_type="application/json"
    )
    assert response.status_code == 401 and "otp_code" in response.json()["errors"]
    assert agent_token(client, agent)


def test_create_agent_is_dry_by_default_and_never_makes_a_superuser(capsys):
    call_command("create_agent", "new.agent@caissedesdepots.fr", "--name", "New Agent")
    assert not User.objects.filter(email="new.agent@caissedesdepots.fr").exists()
    call_command("create_agent", "new.agent@caissedesdepots.fr", "--name", "New Agent", "--wet-run")
    agent = User.objects.get(email="new.agent@caissedesdepots.fr")
    assert agent.is_agent and not agent.is_superuser and not agent.is_staff
    assert "Authenticator secret" in capsys.readouterr().out


def test_an_agent_who_manages_agents_creates_one_in_the_back_office(client, django_capture_on_commit_callbacks):
    manager = make_agent(manage_agents=True)
    plain = make_agent("plain@caissedesdepots.fr")
    agent_sign_in(client, plain)
    assert client.get("/gestion/agents/").status_code == 403
    client.post("/compte/deconnexion/")
    agent_sign_in(client, manager)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            "/gestion/agents/", {"email": "recrue@caissedesdepots.fr", "display_name": "Recrue", "manage_agents": ""}
        )
    assert response.status_code == 200
    created = User.objects.get(email="recrue@caissedesdepots.fr")
    assert created.is_agent and not created.is_superuser
    assert "no-store" in response["Cache-Control"]


def test_the_django_admin_is_behind_the_one_sign_in_and_for_superusers_only(client):
    response = client.get("/gestion/admin/", follow=True)
    assert response.redirect_chain[-1][0].startswith("/compte/connexion/")  # its own sign-in form is gone
    agent = make_agent()
    agent_sign_in(client, agent)
    response = client.get("/gestion/admin/", follow=True)
    assert response.request["PATH_INFO"] != "/gestion/admin/"  # not a superuser: no admin page


def test_the_demo_agent_uses_the_documented_authenticator_secret():
    from django_otp.plugins.otp_totp.models import TOTPDevice

    call_command("load_demo")
    agent = User.objects.get(email="agent@opencpf.test")
    device = TOTPDevice.objects.get(user=agent, confirmed=True)
    import base64

    assert base64.b32encode(device.bin_key).decode().rstrip("=") == "OPENCPFDEMOAGENT"
    assert not agent.is_superuser
    HolderFactory()  # the demo coexists with other data
