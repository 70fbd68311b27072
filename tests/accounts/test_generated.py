"""Generators and benchmarks write only generated people, and never into a database with real holders in it."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from opencpf.accounts.generated import generated_email, real_holders_count
from opencpf.catalogue.models import Offer
from tests.accounts.factories import HolderFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "email, generated",
    [
        ("demo@opencpf.test", True),
        ("bench12@bench.opencpf.test", True),
        ("Bench12@BENCH.OPENCPF.TEST", True),
        ("camille@example.fr", False),
        ("someone@notopencpf.test", False),
        ("someone@opencpf.test.example.fr", False),
        ("opencpf.test@example.fr", False),
        (generated_email("bench1", "bench"), True),
        (generated_email("demo"), True),
    ],
)
def test_what_generated_means(email, generated):
    """Only holders whose email is in the reserved `.test` domain of the project count as generated."""
    HolderFactory(user=UserFactory(email=email))
    assert real_holders_count() == (0 if generated else 1)


@pytest.mark.parametrize(
    "command, arguments",
    [
        ("load_demo", []),
        ("generate_catalogue", ["--offers=10", "--wet-run"]),
        ("bench_search", ["--offers=10", "--sessions=10", "--rounds=1", "--no-http"]),
        ("bench_credit", ["--holders=10"]),
        ("bench_deadlines", ["--files=10"]),
        ("bench_peak", ["--holders=2", "--duration=1"]),
    ],
)
def test_generators_and_benchmarks_refuse_a_database_with_real_holders(command, arguments):
    HolderFactory()
    with pytest.raises(CommandError, match="1 real \\(non-generated\\) holder"):
        call_command(command, *arguments, stdout=StringIO())
    assert not Offer.objects.exists()
