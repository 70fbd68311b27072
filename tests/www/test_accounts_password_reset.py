import re

import pytest
from django.core import mail
from django.db import connection
from django.tasks import task_backends
from django.test import Client
from django.test.utils import CaptureQueriesContext

from opencpf.accounts import services, signin
from opencpf.accounts.models import ApiToken, FailureCounter
from opencpf.utils.client import ClientInfo
from tests.accounts.factories import HolderFactory, UserFactory
from tests.accounts.helpers import in_english, web_sign_in  # noqa: F401

RESET = "/compte/mot-de-passe-oublie/"
NEW_PASSWORD = "Nouveau-Secret-2027?"


pytestmark = pytest.mark.usefixtures("in_english")


def reset_link() -> str:
    match = re.search(r"https?://testserver(/compte/mot-de-passe-oublie/[^/\s]+/[^/\s]+/)", mail.outbox[-1].body)
    assert match, mail.outbox[-1].body
    return match.group(1)


@pytest.mark.django_db
def test_same_answer_whether_or_not_an_account_uses_the_address(client, django_capture_on_commit_callbacks):
    HolderFactory(user__email="claire@example.fr")
    with django_capture_on_commit_callbacks(execute=True):
        known = client.post(RESET, {"email": "claire@example.fr"})
        unknown = client.post(RESET, {"email": "nobody@example.fr"})
    assert known.status_code == unknown.status_code == 302
    assert known.url == unknown.url == "/compte/mot-de-passe-oublie/envoye/"
    assert [m.to for m in mail.outbox] == [["claire@example.fr"]]
    assert client.post(RESET, {"email": "not an email"}).status_code == 200


@pytest.mark.django_db
def test_the_request_does_the_same_work_whether_or_not_an_account_uses_the_address(client, settings):
    """The look-up and the email happen in a background task: the request itself cannot take longer for an
    existing account (it used to send the email inside the request)."""
    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.dummy.DummyBackend"}}
    HolderFactory(user__email="claire@example.fr")
    queries = []
    for email in ("claire@example.fr", "nobody@example.fr"):
        with CaptureQueriesContext(connection) as captured:
            assert client.post(RESET, {"email": email}).status_code == 302
        queries.append([q["sql"] for q in captured.captured_queries if "accounts_" in q["sql"]])
    assert queries == [[], []] and mail.outbox == []
    backend = task_backends["default"]
    assert [r.kwargs["email"] for r in backend.results] == ["claire@example.fr", "nobody@example.fr"]


@pytest.mark.django_db
def test_reset_flow_signs_out_everything_and_lifts_the_lock(client, api_client, django_capture_on_commit_callbacks):
    holder = HolderFactory(user__email="claire@example.fr", user__language="en")
    other = Client()
    web_sign_in(other, holder.user, django_capture_on_commit_callbacks)
    key, _token = services.api_token_create(user=holder.user)
    for i in range(5):  # someone hammered the account: it is locked
        signin.sign_in_password(
            identifier=holder.nir,
            password="Wrong-Password-1!",
            client=ClientInfo(ip=f"198.51.100.{i}", country="", device="x"),
            channel="api",
        )
    assert FailureCounter.objects.filter(locked_until__isnull=False).exists()

    with django_capture_on_commit_callbacks(execute=True):
        client.post(RESET, {"email": "Claire@example.fr"})
    assert mail.outbox[-1].subject == "Reset the password of your training account"  # the holder's language
    link = reset_link()
    form_page = client.get(link, follow=True)
    assert form_page.context["validlink"]
    set_password_url = form_page.redirect_chain[-1][0]

    weak = client.post(set_password_url, {"new_password1": "password", "new_password2": "password"})
    assert "new_password2" in weak.context["form"].errors
    with django_capture_on_commit_callbacks(execute=True):
        done = client.post(set_password_url, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})
    assert done.url == "/compte/mot-de-passe-oublie/termine/"
    holder.user.refresh_from_db()
    assert holder.user.check_password(NEW_PASSWORD)
    assert other.get("/mon-compte/").status_code == 302
    assert not ApiToken.objects.filter(user=holder.user, revoked_at__isnull=True).exists()
    assert "password" in mail.outbox[-1].subject.lower()  # told that the password changed
    # The link works once.
    assert not client.get(link, follow=True).context["validlink"]
    # The lock is lifted for the holder's own identifiers.
    result = signin.sign_in_password(
        identifier=holder.nir,
        password=NEW_PASSWORD,
        client=ClientInfo(ip="203.0.113.1", country="", device="x"),
        channel="api",
    )
    # The password is checked again: an application that never signed in is asked for the emailed code.
    assert result.status == signin.Status.DEVICE_CODE


@pytest.mark.django_db
def test_reset_emails_are_capped(client, django_capture_on_commit_callbacks):
    UserFactory(email="claire@example.fr")
    with django_capture_on_commit_callbacks(execute=True):
        for _ in range(5):
            client.post(RESET, {"email": "claire@example.fr"})
    assert len(mail.outbox) == services.PASSWORD_RESET_EMAILS_PER_WINDOW


@pytest.mark.django_db
def test_bad_reset_link(client):
    response = client.get("/compte/mot-de-passe-oublie/MQ/bad-token/", follow=True)
    assert response.status_code == 200
    assert not response.context["validlink"]


@pytest.mark.django_db
def test_sign_in_page_links_to_the_reset(client):
    assert RESET in client.get("/compte/connexion/").content.decode()
