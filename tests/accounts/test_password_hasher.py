import pytest
from argon2 import extract_parameters
from django.contrib.auth.hashers import Argon2PasswordHasher as DjangoArgon2PasswordHasher

from config import settings as production_settings
from tests.accounts.factories import DEFAULT_PASSWORD, HolderFactory
from tests.accounts.test_signin_service import accepted, attempt


@pytest.fixture
def production_hashers(settings):
    settings.PASSWORD_HASHERS = production_settings.PASSWORD_HASHERS


def parameters(encoded: str):
    return extract_parameters(encoded.removeprefix("argon2"))


@pytest.mark.django_db
def test_passwords_cost_owasp_minimum_for_argon2id(production_hashers):
    holder = HolderFactory()
    holder.user.set_password(DEFAULT_PASSWORD)
    cost = parameters(holder.user.password)
    assert (cost.type.name, cost.memory_cost, cost.time_cost, cost.parallelism) == ("ID", 19456, 2, 1)


class OldCostHasher(DjangoArgon2PasswordHasher):
    """100 MiB in one lane: what this project hashed passwords with before the OWASP cost."""

    parallelism = 1


@pytest.mark.django_db
@pytest.mark.parametrize("old_hasher", [DjangoArgon2PasswordHasher, OldCostHasher], ids=["8 lanes", "1 lane"])
def test_a_password_hashed_at_100_mib_still_signs_in_and_is_rewritten(production_hashers, old_hasher):
    """The real hashers: Django's 100 MiB (8 lanes), then ours at 100 MiB in one lane, were the cost before."""
    holder = HolderFactory()
    user = holder.user
    user.password = old_hasher().encode(DEFAULT_PASSWORD, old_hasher().salt())
    user.save(update_fields=["password"])
    old = parameters(user.password)
    assert (old.memory_cost, old.parallelism) == (102400, old_hasher.parallelism)

    assert not accepted(attempt(user.email, "Wrong-Password-1!"))
    result = attempt(user.email, DEFAULT_PASSWORD)

    assert accepted(result)
    user.refresh_from_db()
    new = parameters(user.password)
    assert (new.memory_cost, new.time_cost, new.parallelism) == (19456, 2, 1)
    assert user.check_password(DEFAULT_PASSWORD)
