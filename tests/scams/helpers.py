"""Agents in tests: created the way the platform creates them, signed in through the one sign-in (password, then
the authenticator code)."""

from django_otp.plugins.otp_totp.models import TOTPDevice

from opencpf.accounts.agents import agent_create
from tests.accounts.factories import DEFAULT_PASSWORD
from tests.accounts.helpers import totp_code


def make_agent(email: str = "agent.test@caissedesdepots.fr", *, manage_agents: bool = False):
    return agent_create(
        email=email, display_name="Agent Test", created_by=None, manage_agents=manage_agents, password=DEFAULT_PASSWORD
    ).user


def agent_sign_in(client, agent, *, ip: str = "127.0.0.1"):
    response = client.post(
        "/compte/connexion/", {"username": agent.email, "password": DEFAULT_PASSWORD}, REMOTE_ADDR=ip
    )
    assert response.status_code == 302 and response.url == "/compte/connexion/code/", response
    device = TOTPDevice.objects.get(user=agent, confirmed=True)
    response = client.post("/compte/connexion/code/", {"code": totp_code(device)}, REMOTE_ADDR=ip)
    assert response.status_code == 302, response
    return client


def agent_token(client, agent) -> str:
    device = TOTPDevice.objects.get(user=agent, confirmed=True)
    response = client.post(
        "/api/v1/auth/token",
        {"username": agent.email, "password": DEFAULT_PASSWORD, "otp_code": totp_code(device)},
        content_type="application/json",
    )
    assert response.status_code == 200, response.content
    return response.json()["token"]
