"""The local OpenID Connect provider (scripts/oidc_provider/server.mjs, npm `oidc-provider`) for tests: started as
a subprocess on a free port, ready once its discovery document answers, stopped at the end. `sign_in_at_provider`
drives its sign-in page over HTTP as a person would (pick an identity and a level)."""

import datetime
import json
import os
import re
import select
import shutil
import subprocess
import time
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urljoin

import pytest
import requests

from tests.accounts.factories import HolderFactory, make_nir

ROOT = Path(__file__).resolve().parents[1]
SERVER = ROOT / "scripts" / "oidc_provider" / "server.mjs"
IDENTITIES = json.loads((ROOT / "scripts" / "oidc_provider" / "identities.json").read_text())
CLIENT_ID = "opencpf-test"
CLIENT_SECRET = "opencpf-test-secret-1234567890"
CALLBACK_PATH = "/compte/identite/franceconnect/retour/"


@dataclass
class Provider:
    issuer: str
    process: subprocess.Popen

    def advance_clock(self, seconds: int) -> None:
        """Tests only: the provider's clock runs `seconds` ahead (0 puts it back)."""
        requests.post(f"{self.issuer}/_test/clock", params={"offset": seconds}, timeout=5).raise_for_status()


def _skip_or_fail(reason: str):
    if os.environ.get("CI"):
        pytest.fail(reason)
    pytest.skip(reason)


@contextmanager
def running_provider(*, redirect_uris: list[str]):
    node = shutil.which("node")
    if node is None:
        _skip_or_fail("node is needed for the local OpenID Connect provider (apt-get install npm)")
    if not (ROOT / "node_modules" / "oidc-provider").exists():
        _skip_or_fail("oidc-provider is missing: run `npm ci` (the Makefile's test target does)")
    env = {
        "PATH": os.environ.get("PATH", ""),
        "OIDC_PORT": "0",
        "OIDC_CLIENT_ID": CLIENT_ID,
        "OIDC_CLIENT_SECRET": CLIENT_SECRET,
        "OIDC_REDIRECT_URIS": ",".join(redirect_uris),
        "OIDC_TEST_CONTROLS": "1",
    }
    process = subprocess.Popen(
        [node, str(SERVER)], env=env, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True, cwd=ROOT
    )
    try:
        issuer = None
        deadline = time.monotonic() + 30
        while issuer is None and time.monotonic() < deadline:
            ready, _w, _x = select.select([process.stdout], [], [], 1)
            if ready:
                line = process.stdout.readline()
                if not line:
                    break
                if match := re.match(r"listening (\S+)", line):
                    issuer = match.group(1)
        if issuer is None:
            pytest.fail("the local OpenID Connect provider did not start")
        requests.get(f"{issuer}/.well-known/openid-configuration", timeout=10).raise_for_status()
        yield Provider(issuer=issuer, process=process)
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()


def sign_in_at_provider(authorization_url: str, *, identity: str, acr: str = "eidas2", action: str = "login") -> str:
    """A person at the provider: opens the authorization URL, picks an identity and a level (or cancels). Returns
    the URL the provider sends the browser back to (our callback, with `code` and `state`, or an error)."""
    browser = requests.Session()
    url = authorization_url
    for _hop in range(10):
        response = browser.get(url, allow_redirects=False, timeout=10)
        if response.status_code == 200 and "/interaction/" in url:
            response = browser.post(
                url, data={"identity": identity, "acr": acr, "action": action}, allow_redirects=False, timeout=10
            )
        if response.status_code not in (302, 303):
            raise AssertionError(f"provider answered {response.status_code}: {response.text[:300]}")
        url = urljoin(url, response.headers["Location"])
        if CALLBACK_PATH in url:
            return url
    raise AssertionError("the provider never sent the browser back")


def holder_of(identity: str, **overrides):
    """A basic holder whose account is the identity's of the provider (NIR from its sex, birth date and place)."""
    person = IDENTITIES[identity]
    born = datetime.date.fromisoformat(person["birthdate"])
    place = person["birthplace"] if person["birthcountry"] == "99100" else person["birthcountry"]
    sex = "1" if person["gender"] == "male" else "2"
    values = {
        "nir": make_nir(born, 123, sex=sex, place=place),
        "last_name": person["family_name"],
        "first_names": person["given_name"].split()[0],
        "birth_date": born,
        "basic_identity": True,
    }
    return HolderFactory(**(values | overrides))
