import datetime

import pytest
from django.core import mail
from django.utils import timezone

from opencpf.accounts import services
from opencpf.accounts.enums import CodePurpose
from opencpf.accounts.models import OneTimeCode
from tests.accounts.factories import UserFactory
from tests.accounts.helpers import code_in, in_english  # noqa: F401

pytestmark = pytest.mark.usefixtures("in_english")


@pytest.fixture
def user_with_code(django_capture_on_commit_callbacks):
    user = UserFactory(unconfirmed=True, email="new@example.fr")
    with django_capture_on_commit_callbacks(execute=True):
        services.code_send(user=user, purpose=CodePurpose.CONFIRM_EMAIL)
    return user, code_in(mail.outbox[-1].body)


@pytest.mark.django_db
def test_code_is_stored_hashed_and_used_once(user_with_code):
    user, code = user_with_code
    assert not OneTimeCode.objects.filter(code_hash__contains=code).exists()
    services.email_confirm(user=user, code=code)
    user.refresh_from_db()
    assert user.email_verified_at is not None
    with pytest.raises(services.CodeError):
        services.code_check(user=user, purpose=CodePurpose.CONFIRM_EMAIL, code=code)


@pytest.mark.django_db
def test_wrong_code_is_refused_and_counted(user_with_code):
    user, code = user_with_code
    wrong = f"{(int(code) + 1) % 1_000_000:06d}"
    with pytest.raises(services.CodeError, match="wrong"):
        services.email_confirm(user=user, code=wrong)
    assert OneTimeCode.objects.get().attempts == 1
    user.refresh_from_db()
    assert user.email_verified_at is None


@pytest.mark.django_db
def test_five_wrong_codes_kill_the_code_even_the_right_one(user_with_code):
    user, code = user_with_code
    wrong = f"{(int(code) + 1) % 1_000_000:06d}"
    for _ in range(services.CODE_MAX_ATTEMPTS):
        with pytest.raises(services.CodeError):
            services.email_confirm(user=user, code=wrong)
    with pytest.raises(services.CodeError, match="Too many"):
        services.email_confirm(user=user, code=code)


@pytest.mark.django_db
def test_expired_code_is_refused(user_with_code):
    user, code = user_with_code
    OneTimeCode.objects.update(expires_at=timezone.now() - datetime.timedelta(seconds=1))
    with pytest.raises(services.CodeError, match="expired"):
        services.email_confirm(user=user, code=code)


@pytest.mark.django_db
def test_a_new_code_replaces_the_old_one(user_with_code, django_capture_on_commit_callbacks):
    user, old_code = user_with_code
    with django_capture_on_commit_callbacks(execute=True):
        services.code_send(user=user, purpose=CodePurpose.CONFIRM_EMAIL)
    new_code = code_in(mail.outbox[-1].body)
    if new_code != old_code:
        with pytest.raises(services.CodeError):
            services.email_confirm(user=user, code=old_code)
    services.email_confirm(user=user, code=new_code)


@pytest.mark.django_db
def test_emails_are_written_in_the_users_language(django_capture_on_commit_callbacks):
    english = UserFactory(language="en")
    french = UserFactory(language="fr")
    when = datetime.datetime(2026, 3, 9, 14, 30, tzinfo=datetime.UTC)
    with django_capture_on_commit_callbacks(execute=True):
        for user in (english, french):
            services.notify(user=user, template_prefix="emails/password_changed", context={"when": when})
    by_recipient = {message.to[0]: message.body.replace("\xa0", " ") for message in mail.outbox}
    assert "9 March 2026, 15:30" in by_recipient[english.email]  # day first: never read as 3 September
    assert "9 mars 2026, 15:30" in by_recipient[french.email]


@pytest.mark.django_db
def test_codes_are_capped_so_nobody_floods_a_mailbox(django_capture_on_commit_callbacks):
    user = UserFactory()
    with django_capture_on_commit_callbacks(execute=True):
        for _ in range(services.CODES_PER_WINDOW):
            services.code_send(user=user, purpose=CodePurpose.NEW_DEVICE)
        with pytest.raises(services.TooManyCodes):
            services.code_send(user=user, purpose=CodePurpose.NEW_DEVICE)
    assert len(mail.outbox) == services.CODES_PER_WINDOW
    # Later, codes can be sent again.
    OneTimeCode.objects.update(created_at=timezone.now() - services.CODES_WINDOW - datetime.timedelta(seconds=1))
    services.code_send(user=user, purpose=CodePurpose.NEW_DEVICE)
