"""What "generated" means: the one test that tells demo and benchmark people from real ones.

A generated user's email is at `opencpf.test` or one of its subdomains. `.test` is reserved (RFC 6761): no mail
is delivered there, so no real person can confirm such an address. Generators (demo, catalogue, benchmarks) write
only generated people and refuse to run on a database that holds any real holder.
"""

from django.core.management.base import CommandError
from django.db.models import Q

GENERATED_DOMAIN = "opencpf.test"


def generated_email(local_part: str, subdomain: str = "") -> str:
    """`generated_email("bench1", "bench")` → `bench1@bench.opencpf.test`."""
    domain = f"{subdomain}.{GENERATED_DOMAIN}" if subdomain else GENERATED_DOMAIN
    return f"{local_part}@{domain}"


def generated_email_q(prefix: str = "") -> Q:
    """Generated users, for a queryset of `User` (`prefix="user__"` from a model that points to a user)."""
    field = f"{prefix}email"
    return Q(**{f"{field}__iendswith": f"@{GENERATED_DOMAIN}"}) | Q(**{f"{field}__iendswith": f".{GENERATED_DOMAIN}"})


def real_holders_count() -> int:
    from opencpf.accounts.models import Holder

    return Holder.objects.exclude(generated_email_q("user__")).count()


def refuse_real_holders(what: str) -> None:
    """Stop a generator or a benchmark before it writes into a database with real people in it."""
    real = real_holders_count()
    if real:
        raise CommandError(
            f"{what} writes generated data: this database holds {real} real (non-generated) holder(s). "
            "Use a fresh database."
        )
