import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse

from opencpf.accounts import services
from opencpf.accounts.models import ApiToken, AuditEvent, KnownDevice, UserSession
from tests.accounts.factories import DEFAULT_PASSWORD, HolderFactory
from tests.accounts.helpers import in_english, web_sign_in  # noqa: F401

SECURITY = "/compte/securite/"
NEW_PASSWORD = "Nouveau-Secret-2027?"


pytestmark = pytest.mark.usefixtures("in_english")


@pytest.fixture
def holder():
    return HolderFactory(user__email="claire@example.fr")


def is_signed_in(client) -> bool:
    return client.get(reverse("www:dashboard")).status_code == 200


@pytest.mark.django_db
def test_security_page_needs_sign_in(client):
    response = client.get(SECURITY)
    assert response.status_code == 302 and response.url.startswith("/compte/connexion/")


@pytest.mark.django_db
def test_security_page_shows_history_and_sessions(client, holder, django_capture_on_commit_callbacks):
    client.post("/compte/connexion/", {"username": holder.nir, "password": "Wrong-Password-1!"}, REMOTE_ADDR="8.8.8.8")
    web_sign_in(client, holder.user, django_capture_on_commit_callbacks, ip="81.2.69.160")
    other = Client()
    web_sign_in(other, holder.user, django_capture_on_commit_callbacks, ip="2.2.2.2")
    response = client.get(SECURITY)
    assert response.status_code == 200
    page = response.content.decode()
    assert "81.2.69.160" in page and "8.8.8.8" in page
    assert "United States" in page or "États-Unis" in page  # 8.8.8.8's country, in the page's language
    sessions = response.context["sessions"]
    assert len(sessions) == 2
    assert sum(s.session_key == response.context["current_session_key"] for s in sessions) == 1
    outcomes = [event.outcome for event in response.context["history"]]
    assert "bad_credentials" in outcomes and "success" in outcomes and "code_sent" in outcomes
    # The wrong password stands out in red, the sign-ins in green, the code step in blue.
    assert '<p class="fr-badge fr-badge--sm fr-badge--error">Wrong password</p>' in page
    assert '<p class="fr-badge fr-badge--sm fr-badge--success">Signed in</p>' in page
    assert '<p class="fr-badge fr-badge--sm fr-badge--info">Code sent to confirm a new device</p>' in page
    assert "(application)" not in page  # every sign-in here was on the website
    # Each wide table scrolls inside a region a keyboard can reach and a screen reader names (axe:
    # scrollable-region-focusable), the sign-in history first.
    for title in ("sessions-title", "devices-title", "history-title"):
        assert f'class="fr-table__container" tabindex="0" role="region" aria-labelledby="{title}"' in page


@pytest.mark.django_db
def test_revoke_another_session(client, holder, django_capture_on_commit_callbacks):
    web_sign_in(client, holder.user, django_capture_on_commit_callbacks)
    phone = Client()
    web_sign_in(phone, holder.user, django_capture_on_commit_callbacks)
    phone_session = UserSession.objects.get(session_key=phone.session.session_key)
    response = client.post(reverse("accounts:session_revoke", args=[phone_session.pk]))
    assert response.url == SECURITY
    assert not is_signed_in(phone)
    assert is_signed_in(client)
    assert AuditEvent.objects.filter(actor=holder.user, action="session_revoked").exists()


@pytest.mark.django_db
def test_cannot_revoke_someone_elses_session(client, holder, django_capture_on_commit_callbacks):
    web_sign_in(client, holder.user, django_capture_on_commit_callbacks)
    stranger = HolderFactory()
    stranger_client = Client()
    web_sign_in(stranger_client, stranger.user, django_capture_on_commit_callbacks)
    stranger_session = UserSession.objects.get(user=stranger.user)
    client.post(reverse("accounts:session_revoke", args=[stranger_session.pk]))
    assert is_signed_in(stranger_client)


@pytest.mark.django_db
def test_revoking_the_current_session_signs_out(client, holder, django_capture_on_commit_callbacks):
    web_sign_in(client, holder.user, django_capture_on_commit_callbacks)
    session = UserSession.objects.get(user=holder.user)
    assert client.post(reverse("accounts:session_revoke", args=[session.pk])).url == "/compte/connexion/"
    assert not is_signed_in(client)


@pytest.mark.django_db
def test_revoke_needs_post(client, holder, django_capture_on_commit_callbacks):
    web_sign_in(client, holder.user, django_capture_on_commit_callbacks)
    session = UserSession.objects.get(user=holder.user)
    assert client.get(reverse("accounts:session_revoke", args=[session.pk])).status_code == 405


@pytest.mark.django_db
def test_sign_out_everywhere_ends_sessions_tokens_and_devices(
    client, api_client, holder, django_capture_on_commit_callbacks
):
    web_sign_in(client, holder.user, django_capture_on_commit_callbacks)
    laptop = Client()
    web_sign_in(laptop, holder.user, django_capture_on_commit_callbacks)
    unlisted = Client()
    unlisted.force_login(holder.user)  # a session the platform never listed
    key, _token = services.api_token_create(user=holder.user)
    assert api_client.bearer(key).get("/api/v1/me").status_code == 200

    response = client.post(reverse("accounts:sign_out_everywhere"))
    assert response.url == "/compte/connexion/"
    assert not any(is_signed_in(c) for c in (client, laptop, unlisted))
    assert api_client.bearer(key).get("/api/v1/me").status_code == 401
    assert not ApiToken.objects.filter(user=holder.user, revoked_at__isnull=True).exists()
    assert not KnownDevice.objects.filter(user=holder.user).exists()
    assert not UserSession.objects.filter(user=holder.user).exists()
    # Back in: the device is unknown again, so a code is needed.
    with django_capture_on_commit_callbacks(execute=True):
        again = laptop.post("/compte/connexion/", {"username": holder.nir, "password": DEFAULT_PASSWORD})
    assert again.url == "/compte/connexion/code/"


@pytest.mark.django_db
def test_password_change(client, api_client, holder, django_capture_on_commit_callbacks):
    web_sign_in(client, holder.user, django_capture_on_commit_callbacks)
    laptop = Client()
    web_sign_in(laptop, holder.user, django_capture_on_commit_callbacks)
    key, _token = services.api_token_create(user=holder.user)
    url = reverse("accounts:password_change")

    wrong_old = client.post(
        url, {"old_password": "nope", "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD}
    )
    assert "old_password" in wrong_old.context["form"].errors
    weak = client.post(url, {"old_password": DEFAULT_PASSWORD, "new_password1": "short", "new_password2": "short"})
    assert "new_password2" in weak.context["form"].errors
    no_symbol = "Abcdefghijkl123"
    weak = client.post(url, {"old_password": DEFAULT_PASSWORD, "new_password1": no_symbol, "new_password2": no_symbol})
    assert "new_password2" in weak.context["form"].errors
    holder.user.refresh_from_db()
    assert holder.user.check_password(DEFAULT_PASSWORD)

    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            url, {"old_password": DEFAULT_PASSWORD, "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD}
        )
    assert response.url == SECURITY
    holder.user.refresh_from_db()
    assert holder.user.check_password(NEW_PASSWORD)
    assert is_signed_in(client)
    assert not is_signed_in(laptop)
    assert api_client.bearer(key).get("/api/v1/me").status_code == 401
    assert [m.to for m in mail.outbox] == [["claire@example.fr"]]
    assert AuditEvent.objects.filter(actor=holder.user, action="password_changed").exists()
    assert not any(NEW_PASSWORD in str(event.details) for event in AuditEvent.objects.all())


@pytest.mark.django_db
def test_password_change_guesses_are_locked_out(client, holder, django_capture_on_commit_callbacks):
    web_sign_in(client, holder.user, django_capture_on_commit_callbacks)
    url = reverse("accounts:password_change")
    data = {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD}
    for i in range(5):
        client.post(url, {"old_password": f"Guess-{i}-Password!", **data})
    response = client.post(url, {"old_password": DEFAULT_PASSWORD, **data})
    assert "Too many wrong passwords" in str(response.context["form"].non_field_errors())
    holder.user.refresh_from_db()
    assert holder.user.check_password(DEFAULT_PASSWORD)


@pytest.mark.django_db
def test_forget_a_device(client, holder, django_capture_on_commit_callbacks):
    web_sign_in(client, holder.user, django_capture_on_commit_callbacks)
    device = KnownDevice.objects.get(user=holder.user)
    assert client.get(SECURITY).context["current_device_hash"] == device.token_hash
    client.post(reverse("accounts:device_forget", args=[device.pk]))
    assert not KnownDevice.objects.filter(pk=device.pk).exists()
