"""The password hasher: argon2id at Django's cost (memory and passes), in one lane."""

from django.contrib.auth.hashers import Argon2PasswordHasher as DjangoArgon2PasswordHasher


class Argon2PasswordHasher(DjangoArgon2PasswordHasher):
    """Memory (100 MiB) and passes (2) are what each guess costs an attacker: Django's, unchanged. Lanes only
    spread one hash over threads: Django's 8 lanes on a 2-core app server cost more CPU per sign-in (bench-peak:
    the sign-in is the costliest request of the busiest day) and let one sign-in take 8 threads from the pages
    being served. A hash made with other lanes still verifies, and is rewritten at its next sign-in."""

    parallelism = 1
