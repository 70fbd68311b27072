"""Deployment defaults: production refuses to start without its secret key, HTTPS only (HSTS, secure cookies),
forwarded headers believed from trusted proxies only, nothing private kept in caches, a Permissions-Policy."""

import ipaddress
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.test import RequestFactory
from django.urls import reverse

from opencpf.utils.client import client_ip
from tests.accounts.factories import HolderFactory

ROOT = Path(__file__).resolve().parents[2]
PROBE = (
    "import django; django.setup(); from django.conf import settings as s; "
    "print(s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE, s.SECURE_HSTS_SECONDS, s.SECURE_SSL_REDIRECT, "
    "s.SECURE_PROXY_SSL_HEADER)"
)


def settings_in(tmp_path, **env) -> subprocess.CompletedProcess:
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "OPENCPF_"))}
    clean |= {"DJANGO_SETTINGS_MODULE": "config.settings", "OPENCPF_VAR_DIR": str(tmp_path), **env}
    return subprocess.run([sys.executable, "-c", PROBE], cwd=ROOT, env=clean, capture_output=True, text=True)


def test_a_production_server_refuses_to_start_without_a_secret_key(tmp_path):
    result = settings_in(tmp_path, OPENCPF_SERVING="1")
    assert result.returncode != 0 and "DJANGO_SECRET_KEY is required" in result.stderr
    assert not (tmp_path / "secret_key").exists()


def test_production_is_https_only(tmp_path):
    result = settings_in(tmp_path, OPENCPF_SERVING="1", DJANGO_SECRET_KEY="k" * 50)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["True", "True", "31536000", "True", "None"]
    trusted = settings_in(
        tmp_path, OPENCPF_SERVING="1", DJANGO_SECRET_KEY="k" * 50, OPENCPF_TRUSTED_PROXIES="10.0.0.0/8,192.0.2.7"
    )
    assert trusted.stdout.split()[-1] == "'https')"


@pytest.mark.parametrize("switch", [{"DJANGO_DEBUG": "1"}, {"OPENCPF_LOCAL_HTTP": "1"}])
def test_local_plain_http_serving_is_an_explicit_switch(tmp_path, switch):
    result = settings_in(tmp_path, OPENCPF_SERVING="1", **switch)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["False", "False", "0", "False", "None"]


@pytest.fixture
def behind_proxy(settings):
    settings.TRUSTED_PROXIES = [ipaddress.ip_network("10.0.0.0/8")]
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    settings.SECURE_HSTS_SECONDS = 3600


@pytest.mark.django_db
def test_only_a_trusted_proxy_can_say_the_request_was_https(client, behind_proxy):
    forged = client.get("/", headers={"X-Forwarded-Proto": "https"}, REMOTE_ADDR="203.0.113.9")
    assert "Strict-Transport-Security" not in forged
    proxied = client.get("/", headers={"X-Forwarded-Proto": "https"}, REMOTE_ADDR="10.1.2.3")
    assert proxied["Strict-Transport-Security"] == "max-age=3600; includeSubDomains"


def test_the_client_address_comes_from_a_trusted_proxy_only(behind_proxy):
    factory = RequestFactory()
    chain = {"HTTP_X_FORWARDED_FOR": "198.51.100.1, 203.0.113.50, 10.0.0.2"}
    assert client_ip(factory.get("/", REMOTE_ADDR="10.0.0.1", **chain)) == "203.0.113.50"
    assert client_ip(factory.get("/", REMOTE_ADDR="203.0.113.9", **chain)) == "203.0.113.9"
    assert client_ip(factory.get("/", REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR="junk")) == "10.0.0.1"


@pytest.mark.django_db
def test_signed_in_pages_and_api_answers_are_not_stored(client):
    home = client.get("/")
    assert "no-store" not in home.get("Cache-Control", "")
    assert "camera=()" in home["Permissions-Policy"]
    assert "no-store" in client.get("/api/v1/offers")["Cache-Control"]
    assert "no-store" in client.get("/api/v1/me")["Cache-Control"]
    client.force_login(HolderFactory().user)
    dashboard = client.get(reverse("www:dashboard"))
    assert "no-store" in dashboard["Cache-Control"]
