import datetime

import pytest
from django.core import mail
from django.utils import timezone

from opencpf.accounts.models import AuditEvent, Holder, OneTimeCode, SmsOutbox, User
from opencpf.identity.models import StatusProof
from tests.accounts.factories import DEFAULT_PASSWORD, HolderFactory, UserFactory
from tests.accounts.helpers import in_english, last_code_emailed_to, last_sms_code  # noqa: F401

INFORMATION = "/compte/informations/"
EMAIL_CONFIRM = "/compte/informations/email/"
PHONE_CONFIRM = "/compte/informations/telephone/"


pytestmark = pytest.mark.usefixtures("in_english")


@pytest.fixture
def holder():
    return HolderFactory(user__email="claire@example.fr")


@pytest.fixture
def signed_in(client, holder):
    client.force_login(holder.user)
    return client


def form_data(holder: Holder, **overrides) -> dict:
    data = {
        "email": holder.user.email,
        "language": "fr",
        "phone": holder.phone,
        "address_line1": holder.address_line1,
        "address_line2": holder.address_line2,
        "postal_code": holder.postal_code,
        "city": holder.city,
        "country": holder.country,
        "status": holder.status,
        "current_password": DEFAULT_PASSWORD,
    }
    if holder.low_qualified:
        data["low_qualified"] = "on"
    if holder.disabled_worker:
        data["disabled_worker"] = "on"
    data.update(overrides)
    return {key: value for key, value in data.items() if value is not None}


@pytest.mark.django_db
def test_page_shows_identity_read_only_with_a_masked_nir(signed_in, holder):
    response = signed_in.get(INFORMATION)
    page = response.content.decode()
    assert response.status_code == 200
    assert holder.nir not in page and holder.nir[-2:] in page
    assert "Durand" in page
    assert "nir" not in response.context["form"].fields and "birth_date" not in response.context["form"].fields


@pytest.mark.django_db
def test_edit_address_abroad_status_and_declarations(signed_in, holder):
    response = signed_in.post(
        INFORMATION,
        form_data(
            holder,
            address_line1="55 Queen Street",
            postal_code="EC4R 1BE",
            city="London",
            country="GB",
            status="job_seeker",
            low_qualified="on",
            disabled_worker="on",
        ),
    )
    assert response.status_code == 302 and response.url == INFORMATION
    holder.refresh_from_db()
    assert (holder.city, holder.country, holder.postal_code) == ("London", "GB", "EC4R 1BE")
    # Situations that move money wait for an agent's confirmation of a proof (DESIGN §2.5).
    assert (holder.status, holder.low_qualified, holder.disabled_worker) == ("employee", False, False)
    assert set(StatusProof.objects.filter(holder=holder).values_list("situation", flat=True)) == {
        "job_seeker",
        "low_qualified",
        "disabled_worker",
    }
    assert holder.phone == "+33612345678"  # unchanged
    event = AuditEvent.objects.get(action="holder_updated")
    assert set(event.details["fields"]) >= {"city", "country"}
    # Unticking a confirmed situation is saved at once.
    Holder.objects.filter(pk=holder.pk).update(low_qualified=True)
    holder.refresh_from_db()
    signed_in.post(INFORMATION, form_data(holder, low_qualified=None))
    holder.refresh_from_db()
    assert not holder.low_qualified


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"postal_code": "7500"}, "postal_code"),
        ({"phone": "12"}, "phone"),
        ({"phone": "+1 555"}, "phone"),
        ({"email": "not-an-email"}, "email"),
        ({"country": "ZZ"}, "country"),
        ({"status": "retired"}, "status"),
        ({"city": ""}, "city"),
    ],
)
def test_bad_input_is_refused_field_by_field_and_changes_nothing(signed_in, holder, overrides, field):
    response = signed_in.post(INFORMATION, form_data(holder, **{"city": "Grenoble", **overrides}))
    assert response.status_code == 200
    assert field in response.context["form"].errors
    holder.refresh_from_db()
    assert holder.city == "Lyon"
    assert not OneTimeCode.objects.exists() and not SmsOutbox.objects.exists()


@pytest.mark.django_db
def test_email_already_used_by_another_account(signed_in, holder):
    UserFactory(email="taken@example.fr")
    response = signed_in.post(INFORMATION, form_data(holder, email="Taken@Example.fr"))
    assert "email" in response.context["form"].errors


@pytest.mark.django_db
def test_new_email_is_confirmed_by_a_code_sent_to_the_new_address(
    signed_in, holder, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = signed_in.post(INFORMATION, form_data(holder, email="Claire.New@Example.org"))
    assert response.url == EMAIL_CONFIRM
    assert mail.outbox[-1].to == ["claire.new@example.org"]
    holder.user.refresh_from_db()
    assert holder.user.email == "claire@example.fr"  # the old one is kept until the code comes back
    assert "claire.new@example.org" in signed_in.get(INFORMATION).content.decode()  # shown as waiting

    code = last_code_emailed_to("claire.new@example.org")
    wrong = f"{(int(code) + 1) % 1_000_000:06d}"
    response = signed_in.post(EMAIL_CONFIRM, {"code": wrong})
    assert "code" in response.context["form"].errors
    with django_capture_on_commit_callbacks(execute=True):
        response = signed_in.post(EMAIL_CONFIRM, {"code": code})
    assert response.url == INFORMATION
    holder.user.refresh_from_db()
    assert holder.user.email == "claire.new@example.org"
    assert holder.user.email_verified_at is not None
    # The old address is told.
    assert mail.outbox[-1].to == ["claire@example.fr"]
    assert "claire.new@example.org" in mail.outbox[-1].body


@pytest.mark.django_db
def test_expired_email_code(signed_in, holder, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        signed_in.post(INFORMATION, form_data(holder, email="claire.new@example.org"))
    OneTimeCode.objects.update(expires_at=timezone.now() - datetime.timedelta(minutes=1))
    response = signed_in.post(EMAIL_CONFIRM, {"code": last_code_emailed_to("claire.new@example.org")})
    assert "expired" in str(response.context["form"].errors["code"])
    assert User.objects.get(pk=holder.user.pk).email == "claire@example.fr"


@pytest.mark.django_db
def test_email_taken_while_the_code_travelled(signed_in, holder, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        signed_in.post(INFORMATION, form_data(holder, email="claire.new@example.org"))
    UserFactory(email="claire.new@example.org")
    response = signed_in.post(EMAIL_CONFIRM, {"code": last_code_emailed_to("claire.new@example.org")})
    assert response.status_code == 200 and "code" in response.context["form"].errors
    assert User.objects.get(pk=holder.user.pk).email == "claire@example.fr"


@pytest.mark.django_db
def test_new_phone_is_confirmed_by_sms(signed_in, holder, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = signed_in.post(INFORMATION, form_data(holder, phone="+44 20 7946 0958", country="FR"))
    assert response.url == PHONE_CONFIRM
    holder.refresh_from_db()
    assert holder.phone == "+33612345678"
    sms = SmsOutbox.objects.get()
    assert sms.to == "+442079460958"
    code = last_sms_code("+442079460958")
    assert signed_in.post(PHONE_CONFIRM, {"code": "000000" if code != "000000" else "111111"}).status_code == 200
    response = signed_in.post(PHONE_CONFIRM, {"code": code})
    assert response.url == INFORMATION
    holder.refresh_from_db()
    assert holder.phone == "+442079460958"
    assert holder.phone_verified_at is not None
    assert AuditEvent.objects.filter(action="phone_changed").exists()


@pytest.mark.django_db
def test_french_number_written_nationally(signed_in, holder, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        signed_in.post(INFORMATION, form_data(holder, phone="07 81 22 33 44"))
    assert SmsOutbox.objects.get().to == "+33781223344"


@pytest.mark.django_db
def test_staff_without_holder_record_edit_email_and_language_only(client):
    staff = UserFactory(organisation_staff=True, email="of@example.fr")
    client.force_login(staff)
    response = client.get(INFORMATION)
    assert set(response.context["form"].fields) == {"email", "current_password", "language"}
    assert client.post(INFORMATION, {"email": "of@example.fr", "language": "en"}).url == INFORMATION
    staff.refresh_from_db()
    assert staff.language == "en"
    assert client.get(PHONE_CONFIRM).url == INFORMATION


@pytest.mark.django_db
def test_information_needs_sign_in(client):
    assert client.get(INFORMATION).status_code == 302


@pytest.mark.django_db
@pytest.mark.parametrize(("password", "message"), [("", "Enter your current password"), ("Wrong-Pass-2026!", "wrong")])
def test_changing_the_email_needs_the_current_password(
    signed_in, holder, django_capture_on_commit_callbacks, password, message
):
    with django_capture_on_commit_callbacks(execute=True):
        response = signed_in.post(INFORMATION, form_data(holder, email="thief@example.org", current_password=password))
    assert response.status_code == 200
    assert message in " ".join(response.context["form"].errors["current_password"])
    assert not OneTimeCode.objects.filter(user=holder.user).exists() and mail.outbox == []
    assert User.objects.get(pk=holder.user.pk).email == "claire@example.fr"


@pytest.mark.django_db
def test_other_changes_need_no_password(signed_in, holder):
    response = signed_in.post(INFORMATION, form_data(holder, city="Nantes", current_password=None))
    assert response.status_code == 302
    assert Holder.objects.get(pk=holder.pk).city == "Nantes"
