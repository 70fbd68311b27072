import datetime
from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone

from opencpf.accounts import lockouts, signin
from opencpf.accounts.enums import SignInChannel, SignInOutcome
from opencpf.accounts.models import FailureCounter, SignInEvent
from opencpf.utils.client import ClientInfo
from tests.accounts.factories import DEFAULT_PASSWORD, HolderFactory
from tests.accounts.helpers import in_english  # noqa: F401

# A French address: the sign-in rules for addresses abroad (tests/identity/test_abroad.py) do not apply.
HOME = ClientInfo(ip="90.0.0.1", country="FR", device="Firefox / Linux")


pytestmark = pytest.mark.usefixtures("in_english")


def attempt(identifier, password="Wrong-Password-1!", client=HOME, channel=SignInChannel.API):
    return signin.sign_in_password(identifier=identifier, password=password, client=client, channel=channel)


def accepted(result) -> bool:
    """The password was right: signed in, or (a device never seen) asked for the emailed code."""
    return result.status in (signin.Status.OK, signin.Status.DEVICE_CODE)


def other_address(n: int) -> ClientInfo:
    return ClientInfo(ip=f"198.51.100.{n}", country="", device="curl")


@pytest.mark.django_db
def test_right_password_with_nir_or_email():
    holder = HolderFactory(user__email="claire@example.fr")
    for identifier in (holder.nir, "Claire@Example.fr", f"{holder.nir[:1]} {holder.nir[1:3]} {holder.nir[3:]}"):
        result = attempt(identifier, DEFAULT_PASSWORD)
        assert accepted(result), identifier
        assert result.user == holder.user


@pytest.mark.django_db
def test_five_failures_lock_the_identifier_with_the_same_answer_whether_or_not_it_exists():
    holder = HolderFactory(user__email="known@example.fr")
    answers = {}
    for identifier in ("known@example.fr", "nobody@example.fr"):
        results = [attempt(identifier, client=other_address(i)) for i in range(5)]
        assert [r.status for r in results] == [signin.Status.DENIED] * 4 + [signin.Status.LOCKED]
        # Even the right password is refused while locked, without being checked.
        locked = attempt(identifier, DEFAULT_PASSWORD, client=other_address(99))
        assert locked.status == signin.Status.LOCKED
        answers[identifier] = [(r.status, r.message) for r in [*results, locked]]
    assert answers["known@example.fr"] == answers["nobody@example.fr"]
    # The holder sees the attempts in their history; nothing about the unknown identifier is tied to anyone.
    outcomes = list(SignInEvent.objects.filter(user=holder.user).values_list("outcome", flat=True))
    assert outcomes.count(SignInOutcome.BAD_CREDENTIALS) == 5
    assert outcomes.count(SignInOutcome.THROTTLED) == 1


@pytest.mark.django_db
def test_the_lock_ends_and_the_next_one_lasts_twice_as_long():
    HolderFactory(user__email="known@example.fr")
    for i in range(5):
        attempt("known@example.fr", client=other_address(i))
    counter = FailureCounter.objects.get(scope=lockouts.IDENTIFIER_SCOPE)
    first_lock = counter.locked_until - timezone.now()
    assert datetime.timedelta(minutes=14) < first_lock <= lockouts.FIRST_LOCK
    # Time passes: the lock is over.
    counter.locked_until = timezone.now() - datetime.timedelta(seconds=1)
    counter.window_started_at -= datetime.timedelta(minutes=16)
    counter.save()
    assert accepted(attempt("known@example.fr", DEFAULT_PASSWORD, client=other_address(50)))
    # Another identifier locked twice in a row: the second lock doubles.
    HolderFactory(user__email="target@example.fr")
    for i in range(5):
        attempt("target@example.fr", client=other_address(i))
    counter = FailureCounter.objects.get(
        scope=lockouts.IDENTIFIER_SCOPE, key=lockouts.identifier_key("target@example.fr")
    )
    counter.locked_until = timezone.now() - datetime.timedelta(seconds=1)
    counter.save()
    results = [attempt("target@example.fr", client=other_address(i)) for i in range(5)]
    assert results[-1].status == signin.Status.LOCKED
    counter.refresh_from_db()
    assert counter.lockouts == 2
    assert counter.locked_until - timezone.now() > datetime.timedelta(minutes=29)


@pytest.mark.django_db
def test_failures_spread_over_more_than_15_minutes_do_not_lock():
    HolderFactory(user__email="known@example.fr")
    for i in range(4):
        attempt("known@example.fr", client=other_address(i))
    FailureCounter.objects.update(window_started_at=timezone.now() - datetime.timedelta(minutes=16))
    for i in range(4):
        assert attempt("known@example.fr", client=other_address(10 + i)).status == signin.Status.DENIED


@pytest.mark.django_db
def test_thirty_failures_from_one_address_lock_that_address_for_every_identifier():
    holder = HolderFactory()
    results = [attempt(f"guess{i}@example.fr") for i in range(30)]
    assert results[-1].status == signin.Status.LOCKED
    assert all(r.status == signin.Status.DENIED for r in results[:-1])
    assert attempt(holder.nir, DEFAULT_PASSWORD).status == signin.Status.LOCKED
    # From elsewhere, the holder signs in.
    assert accepted(attempt(holder.nir, DEFAULT_PASSWORD, client=other_address(7)))


@pytest.mark.django_db
def test_an_ipv6_client_is_counted_by_its_64_network():
    prefix = "2001:db8:1:2"
    results = [
        attempt(f"guess{i}@example.fr", client=ClientInfo(ip=f"{prefix}::{i + 1:x}", country="", device="x"))
        for i in range(30)
    ]
    assert results[-1].status == signin.Status.LOCKED
    assert lockouts.ip_key(f"{prefix}::ffff") == lockouts.ip_key(f"{prefix}::1") != lockouts.ip_key("2001:db8:1:3::1")


@pytest.mark.django_db
def test_counters_and_history_never_hold_the_identifier_in_clear():
    holder = HolderFactory()
    attempt(holder.nir)
    keys = list(FailureCounter.objects.values_list("key", flat=True))
    assert keys and all(holder.nir not in key and len(key) == 64 for key in keys)
    event = SignInEvent.objects.get()
    assert event.user == holder.user
    assert (event.ip_address, event.country, event.device) == ("90.0.0.1", "FR", "Firefox / Linux")


@pytest.mark.django_db
def test_inactive_account_gets_the_same_answer_as_a_wrong_password():
    holder = HolderFactory(user__is_active=False)
    result = attempt(holder.nir, DEFAULT_PASSWORD)
    assert result.status == signin.Status.DENIED
    assert result.message == attempt("nobody@example.fr").message


@pytest.mark.django_db
def test_lock_is_logged_without_the_identifier_or_the_address(caplog):
    holder = HolderFactory()
    with caplog.at_level("WARNING"):
        for i in range(5):
            attempt(holder.nir, client=other_address(i))
    assert "Sign-in locked" in caplog.text
    assert holder.nir not in caplog.text and holder.user.email not in caplog.text and "198.51.100" not in caplog.text


@pytest.mark.django_db
def test_old_counters_are_purged_but_not_running_locks():
    for i in range(5):
        attempt("someone@example.fr", client=other_address(i))
    attempt("other@example.fr")
    day_ago = timezone.now() - datetime.timedelta(days=2)
    FailureCounter.objects.update(window_started_at=day_ago)
    before = FailureCounter.objects.count()
    out = StringIO()
    call_command("purge_sign_in_counters", stdout=out)  # dry by default
    assert f"{before - 1} counters would be deleted" in out.getvalue()
    assert FailureCounter.objects.count() == before
    call_command("purge_sign_in_counters", "--wet-run", stdout=out)
    # The lock on someone@ (15 minutes from now) survives; the finished counters are gone.
    remaining = list(FailureCounter.objects.values_list("scope", "key"))
    assert remaining == [(lockouts.IDENTIFIER_SCOPE, lockouts.identifier_key("someone@example.fr"))]


@pytest.mark.django_db
def test_every_spelling_of_an_account_shares_one_counter():
    holder = HolderFactory(user__email="sophie@example.fr")
    nir = holder.nir
    # Five spellings of the same account: email in capitals, with a long s (NFKC: ſ → s, PostgreSQL's UPPER('ſ') is
    # 'S'), in full-width letters, the NIR with spaces and the NIR itself.
    spellings = ["SOPHIE@EXAMPLE.FR", "ſophie@example.fr", "ｓｏｐｈｉｅ@example.fr", f"{nir[:5]} {nir[5:]}", nir]
    results = [attempt(spelling, client=other_address(i)) for i, spelling in enumerate(spellings)]
    assert [r.status for r in results] == [signin.Status.DENIED] * 4 + [signin.Status.LOCKED]
    assert FailureCounter.objects.filter(scope=lockouts.IDENTIFIER_SCOPE).count() == 1
    assert attempt("sophie@example.fr", DEFAULT_PASSWORD, client=other_address(90)).status == signin.Status.LOCKED
    # Unknown identifiers are normalized the same way.
    assert lockouts.identifier_key("ſomeone@EXAMPLE.fr") == lockouts.identifier_key("someone@example.fr")


@pytest.mark.django_db
def test_an_address_lock_spares_the_right_password_from_a_known_device_only():
    holder = HolderFactory()
    token = signin.device_remember(user=holder.user, client=HOME)
    for i in range(30):
        attempt(f"guess{i}@example.fr")
    signin_known = signin.sign_in_password(
        identifier=holder.nir, password=DEFAULT_PASSWORD, client=HOME, channel=SignInChannel.WEB, device_token=token
    )
    assert signin_known.ok
    unknown_device = signin.sign_in_password(
        identifier=holder.nir, password=DEFAULT_PASSWORD, client=HOME, channel=SignInChannel.WEB, device_token="x"
    )
    assert unknown_device.status == signin.Status.LOCKED
    wrong = signin.sign_in_password(
        identifier=holder.nir, password="Wrong-Password-1!", client=HOME, channel=SignInChannel.WEB, device_token=token
    )
    assert wrong.status == signin.Status.LOCKED
