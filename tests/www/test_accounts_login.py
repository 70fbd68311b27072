import pytest
from django.core import mail
from django.urls import reverse

from opencpf.accounts.enums import SignInChannel, SignInOutcome
from opencpf.accounts.models import KnownDevice, SignInEvent, UserSession
from opencpf.www.accounts_views.views.common import PENDING_SESSION_KEY
from tests.accounts.factories import DEFAULT_PASSWORD, HolderFactory
from tests.accounts.helpers import in_english, last_code_emailed_to  # noqa: F401

LOGIN = "/compte/connexion/"
CODE = "/compte/connexion/code/"
FIREFOX = "Mozilla/5.0 (X11; Linux x86_64; rv:140.0) Gecko/20100101 Firefox/140.0"


pytestmark = pytest.mark.usefixtures("in_english")


@pytest.fixture
def holder():
    return HolderFactory(user__email="claire@example.fr")


def sign_in(client, identifier, password=DEFAULT_PASSWORD, **extra):
    return client.post(LOGIN, {"username": identifier, "password": password}, headers={"User-Agent": FIREFOX}, **extra)


@pytest.mark.django_db
def test_new_device_asks_for_the_emailed_code_then_remembers_the_device(
    client, holder, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = sign_in(client, holder.nir, REMOTE_ADDR="81.2.69.160")
    assert response.status_code == 302 and response.url == CODE
    # Not signed in yet.
    assert client.get(reverse("www:dashboard")).status_code == 302
    code = last_code_emailed_to("claire@example.fr")
    page = client.get(CODE).content.decode()
    assert "c•••••@example.fr" in page and code not in page

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(CODE, {"code": code}, REMOTE_ADDR="81.2.69.160", headers={"User-Agent": FIREFOX})
    assert response.status_code == 302 and response.url == reverse("www:dashboard")
    assert client.get(reverse("www:dashboard")).status_code == 200
    assert response.cookies["opencpf_device"]["httponly"]
    device = KnownDevice.objects.get(user=holder.user)
    assert device.label == "Firefox / Linux"
    assert response.cookies["opencpf_device"].value.split(":")[0] not in device.token_hash
    session = UserSession.objects.get(user=holder.user)
    assert session.session_key == client.session.session_key
    assert (session.ip_address, session.country) == ("81.2.69.160", "GB")
    success = SignInEvent.objects.get(user=holder.user, outcome=SignInOutcome.SUCCESS)
    assert success.new_device and success.channel == SignInChannel.WEB

    alert = mail.outbox[-1]
    assert alert.to == ["claire@example.fr"]
    assert "81.2.69.160" in alert.body and "Firefox / Linux" in alert.body
    assert "/compte/securite/" in alert.body

    # Signed out, then back on the same browser: no code, no alert.
    client.post(reverse("accounts:logout"))
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        response = sign_in(client, "claire@example.fr")
    assert response.url == reverse("www:dashboard")
    assert mail.outbox == []


@pytest.mark.django_db
def test_another_browser_needs_its_own_code(client, holder, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        sign_in(client, holder.nir)
    client.post(CODE, {"code": last_code_emailed_to(holder.user.email)})
    client.cookies.pop("opencpf_device")
    client.post(reverse("accounts:logout"))
    assert sign_in(client, holder.nir).url == CODE


@pytest.mark.django_db
def test_a_forged_device_cookie_is_not_a_known_device(client, holder):
    client.cookies["opencpf_device"] = "made-up-token"
    assert sign_in(client, holder.nir).url == CODE


@pytest.mark.django_db
def test_wrong_device_code_keeps_the_session_closed(client, holder, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        sign_in(client, holder.nir)
    code = last_code_emailed_to(holder.user.email)
    wrong = f"{(int(code) + 1) % 1_000_000:06d}"
    response = client.post(CODE, {"code": wrong})
    assert response.status_code == 200
    assert "This code is wrong" in response.content.decode()
    assert client.post(CODE, {"code": "12ab"}).status_code == 200  # malformed: field error, no 500
    assert client.get(reverse("www:dashboard")).status_code == 302
    assert SignInEvent.objects.filter(user=holder.user, outcome=SignInOutcome.BAD_CODE).count() == 1


@pytest.mark.django_db
def test_expired_device_code(client, holder, django_capture_on_commit_callbacks):
    from datetime import timedelta

    from django.utils import timezone

    from opencpf.accounts.models import OneTimeCode

    with django_capture_on_commit_callbacks(execute=True):
        sign_in(client, holder.nir)
    OneTimeCode.objects.update(expires_at=timezone.now() - timedelta(seconds=1))
    response = client.post(CODE, {"code": last_code_emailed_to(holder.user.email)})
    assert "expired" in response.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(CODE, {"resend": "1"})
    response = client.post(CODE, {"code": last_code_emailed_to(holder.user.email)})
    assert response.url == reverse("www:dashboard")


@pytest.mark.django_db
def test_code_page_without_a_pending_sign_in_goes_back_to_sign_in(client):
    assert client.get(CODE).url == LOGIN


@pytest.mark.django_db
def test_wrong_password_and_unknown_account_get_the_same_page(client, holder):
    wrong = sign_in(client, holder.nir, "Wrong-Password-1!")
    unknown = sign_in(client, "nobody@example.fr", "Wrong-Password-1!")
    assert wrong.status_code == unknown.status_code == 200
    assert "Wrong identifier or password." in wrong.content.decode()
    assert wrong.context["form"].errors == unknown.context["form"].errors


@pytest.mark.django_db
def test_web_lockout_is_the_same_for_an_unknown_account(client, holder):
    pages = {}
    for identifier in (holder.user.email, "nobody@example.fr"):
        for i in range(4):
            sign_in(client, identifier, "Wrong-Password-1!", REMOTE_ADDR=f"198.51.100.{i}")
        fifth = sign_in(client, identifier, "Wrong-Password-1!", REMOTE_ADDR="198.51.100.9")
        right = sign_in(client, identifier, DEFAULT_PASSWORD, REMOTE_ADDR="198.51.100.10")
        assert fifth.status_code == right.status_code == 429
        pages[identifier] = (fifth.context["form"].errors, right.context["form"].errors)
    assert pages[holder.user.email] == pages["nobody@example.fr"]
    assert "Too many failed attempts" in str(pages["nobody@example.fr"][1])
    assert not client.session.get("_auth_user_id")


@pytest.mark.django_db
def test_next_parameter_is_followed_only_on_this_site(client, holder, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"{LOGIN}?next=/compte/securite/", {"username": holder.nir, "password": DEFAULT_PASSWORD})
    response = client.post(CODE, {"code": last_code_emailed_to(holder.user.email)})
    assert response.url == "/compte/securite/"
    client.post(reverse("accounts:logout"))
    response = client.post(
        f"{LOGIN}?next=https://evil.example/", {"username": holder.nir, "password": DEFAULT_PASSWORD}
    )
    assert response.url == reverse("www:dashboard")


@pytest.mark.django_db
def test_sign_out_closes_the_listed_session(client, holder, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        sign_in(client, holder.nir)
    client.post(CODE, {"code": last_code_emailed_to(holder.user.email)})
    assert UserSession.objects.filter(user=holder.user).count() == 1
    client.post(reverse("accounts:logout"))
    assert not UserSession.objects.filter(user=holder.user).exists()


@pytest.mark.django_db
def test_resending_the_device_code_is_capped(client, holder, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        sign_in(client, holder.nir)
        for _ in range(10):
            client.post(CODE, {"resend": "1"})
    assert len(mail.outbox) == 5
    page = client.get(CODE).content.decode()
    assert "Too many codes were sent" in page
    # The last code sent still works.
    assert client.post(CODE, {"code": last_code_emailed_to(holder.user.email)}).url == reverse("www:dashboard")


@pytest.mark.django_db
def test_no_new_code_once_the_sign_in_itself_is_too_old(client, holder, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        sign_in(client, holder.nir)
    session = client.session
    session[PENDING_SESSION_KEY]["started_at"] -= 16 * 60  # the password step was 16 minutes ago
    session.save()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(CODE, {"resend": "1"})
    assert response.url == reverse("accounts:login")
    assert len(mail.outbox) == 1  # only the first code: a new one could not have been used
