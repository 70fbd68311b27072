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
def test_passwords_cost_what_django_makes_them_cost_in_one_lane(production_hashers):
    holder = HolderFactory()
    holder.user.set_password(DEFAULT_PASSWORD)
    cost = parameters(holder.user.password)
    django = DjangoArgon2PasswordHasher()
    assert (cost.type.name, cost.memory_cost, cost.time_cost) == ("ID", django.memory_cost, django.time_cost)
    assert cost.parallelism == 1


@pytest.mark.django_db
def test_a_password_hashed_in_eight_lanes_still_signs_in_and_is_rewritten(production_hashers):
    holder = HolderFactory()
    user = holder.user
    user.password = DjangoArgon2PasswordHasher().encode(DEFAULT_PASSWORD, DjangoArgon2PasswordHasher().salt())
    user.save(update_fields=["password"])
    assert parameters(user.password).parallelism == 8

    assert not accepted(attempt(user.email, "Wrong-Password-1!"))
    result = attempt(user.email, DEFAULT_PASSWORD)

    assert accepted(result)
    user.refresh_from_db()
    assert parameters(user.password).parallelism == 1
    assert user.check_password(DEFAULT_PASSWORD)
