import datetime

import pytest
from django.core import mail
from django.utils import timezone

from opencpf.accounts.models import Holder, KnownDevice, OneTimeCode, User, UserSession
from opencpf.accounts.nir import nir_key
from tests.accounts.factories import HolderFactory
from tests.accounts.helpers import last_code_emailed_to

REGISTER = "/compte/inscription/"
CONFIRM = "/compte/confirmer-email/"
NIR = "2880699123045" + nir_key("2880699123045")


def registration(**overrides):
    data = {
        "nir": NIR,
        "last_name": "Lefèvre",
        "first_names": "Jeanne",
        "birth_date": "1988-06-21",
        "email": "jeanne@example.fr",
        "phone": "06 12 34 56 78",
        "address_line1": "3 rue des Lilas",
        "postal_code": "31000",
        "city": "Toulouse",
        "country": "FR",
        "status": "employee",
        "password": "Tres-Bon-Mot-2026!",
    }
    data.update(overrides)
    # The web form asks the birth date in three boxes (day, month, year); the tests write it as an ISO date.
    year, month, day = data.pop("birth_date").split("-")
    data.update(birth_date_day=day, birth_date_month=month, birth_date_year=year)
    return data


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"nir": NIR[:-2] + f"{(int(NIR[-2:]) + 1) % 97:02d}"}, "nir", "key"),
        ({"birth_date": "1989-06-21"}, "nir", "year"),
        ({"birth_date": "1988-07-21"}, "nir", "month"),
        ({"nir": "3" + NIR[1:13] + nir_key("3" + NIR[1:13])}, "nir", "1 or 2"),
        ({"email": "jeanne@"}, "email", ""),
        ({"phone": "06 12"}, "phone", ""),
        ({"password": "Court-1!"}, "password", ""),
        ({"password": "sanschiffreNiSymbole"}, "password", ""),
        ({"birth_date": "2099-01-01"}, "birth_date", ""),
    ],
)
def test_bad_input_on_the_web_form(client, django_capture_on_commit_callbacks, overrides, field, message):
    client.cookies["opencpf_language"] = "en"  # messages checked in English
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(REGISTER, registration(**overrides))
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert field in errors, errors
    assert message in " ".join(errors[field])
    assert not User.objects.exists() and not mail.outbox


@pytest.mark.django_db
def test_a_taken_email_gets_the_answer_of_a_new_account(client, django_capture_on_commit_callbacks):
    owner = HolderFactory(user__email="jeanne@example.fr")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(REGISTER, registration())
    assert response.status_code == 302 and response.url == CONFIRM
    assert Holder.objects.count() == 1
    assert [m.to for m in mail.outbox] == [[owner.user.email]]  # the owner is told, nobody else
    page = client.get(CONFIRM)
    assert page.status_code == 200 and "jeanne@example.fr" in page.content.decode()
    assert "code" in client.post(CONFIRM, {"code": "123456"}).context["form"].errors
    assert "_auth_user_id" not in client.session


@pytest.mark.django_db
def test_a_taken_nir_says_an_account_exists_and_nothing_else_and_offers_this_is_my_number(
    client, django_capture_on_commit_callbacks
):
    HolderFactory(nir=NIR, last_name="Squatteur", first_names="Samuelito", user__email="squat@example.fr")
    client.cookies["opencpf_language"] = "en"
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(REGISTER, registration())
    assert response.status_code == 409
    page = response.content.decode()
    assert 'data-testid="nir-taken"' in page and "An account already exists for this social security number." in page
    for secret in ("squat@example.fr", "Squatteur", "Samuelito"):
        assert secret not in page
    assert 'href="/compte/identite/mon-numero/"' in page
    assert Holder.objects.count() == 1 and not UserSession.objects.exists()
    assert [m.to for m in mail.outbox] == [["squat@example.fr"]]  # the account's owner is told, as before
    # "This is my number": what the registrant typed is already there, the new email first of all.
    recovery = client.get("/compte/identite/mon-numero/").content.decode()
    assert (
        'value="jeanne@example.fr"' in recovery and f'value="{NIR}"' in recovery and 'value="1988-06-21"' in recovery
    )
    assert 'value="jeanne@example.fr"' not in client.get("/compte/identite/mon-numero/").content.decode()  # once


@pytest.mark.django_db
def test_the_web_form_is_rate_limited_too(client):
    for i in range(3):  # the same NIR: then "an account already exists"
        assert client.post(REGISTER, registration(email=f"j{i}@example.fr")).status_code == (302 if i == 0 else 409)
        client.cookies.clear()
    response = client.post(REGISTER, registration(email="j9@example.fr"))
    assert response.status_code == 429 and response.context["form"].non_field_errors()


@pytest.mark.django_db
def test_register_then_confirm_the_email(client, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(REGISTER, registration())
    assert response.url == CONFIRM
    user = User.objects.get(email="jeanne@example.fr")
    assert not UserSession.objects.filter(user=user).exists()  # signed in once the code comes back
    code = last_code_emailed_to("jeanne@example.fr")

    wrong = f"{(int(code) + 1) % 1_000_000:06d}"
    assert "code" in client.post(CONFIRM, {"code": wrong}).context["form"].errors
    assert "code" in client.post(CONFIRM, {"code": "abc"}).context["form"].errors
    response = client.post(CONFIRM, {"code": code})
    assert response.url == "/mon-compte/"
    user.refresh_from_db()
    assert user.email_verified_at is not None and UserSession.objects.filter(user=user).exists()
    # The code came back to this browser: signing in again here asks for no new code.
    assert KnownDevice.objects.filter(user=user).exists()
    client.post("/compte/deconnexion/")
    response = client.post("/compte/connexion/", {"username": NIR, "password": "Tres-Bon-Mot-2026!"})
    assert response.url == "/mon-compte/"


@pytest.mark.django_db
def test_expired_email_code_then_a_new_one(client, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        client.post(REGISTER, registration())
    OneTimeCode.objects.update(expires_at=timezone.now() - datetime.timedelta(seconds=1))
    response = client.post(CONFIRM, {"code": last_code_emailed_to("jeanne@example.fr")})
    assert "expiré" in str(response.context["form"].errors["code"])
    with django_capture_on_commit_callbacks(execute=True):
        client.post(CONFIRM, {"resend": "1"})
    assert client.post(CONFIRM, {"code": last_code_emailed_to("jeanne@example.fr")}).url == "/mon-compte/"


@pytest.mark.django_db
def test_the_form_is_grouped_with_a_three_box_birth_date_and_a_show_password_toggle(client):
    page = client.get(REGISTER).content.decode()
    assert page.count('<fieldset class="fr-fieldset" aria-labelledby=') == 4  # identity, contact, situation, password
    for part in ("day", "month", "year"):
        assert f'name="birth_date_{part}"' in page and f'autocomplete="bday-{part}"' in page
    assert 'name="birth_date"' not in page
    assert 'class="fr-password__input fr-input"' in page and 'class="fr-password__checkbox' in page
    assert 'id="error-summary"' not in page


@pytest.mark.django_db
def test_a_failed_submit_shows_an_error_summary_that_takes_the_focus(client, english):
    client.cookies["opencpf_language"] = "en"
    response = client.post(REGISTER, registration(email="jeanne@", password="court", birth_date="1988-13-40"))
    page = response.content.decode()
    assert response.status_code == 200 and not User.objects.exists()
    assert "<title>3 errors — Create my account" in page
    summary = page.split('id="error-summary"')[1].split("</div>")[0]
    assert "The form has 3 errors" in summary
    assert '<a href="#id_birth_date_day">Birth date</a>' in summary and '<a href="#id_email">' in summary
    assert page.index('id="error-summary"') < page.index("<h1")
    assert "js/error-summary.js" in page
    assert 'value="40"' in page and 'value="13"' in page  # what was typed stays, to be corrected


@pytest.mark.django_db
def test_an_incomplete_birth_date_is_an_error_not_a_crash(client, english):
    client.cookies["opencpf_language"] = "en"
    data = registration()
    data["birth_date_year"] = ""
    response = client.post(REGISTER, data)
    assert response.status_code == 200 and "birth_date" in response.context["form"].errors
    data.update(birth_date_day="", birth_date_month="", birth_date_year="")
    assert "This field is required." in client.post(REGISTER, data).context["form"].errors["birth_date"]
