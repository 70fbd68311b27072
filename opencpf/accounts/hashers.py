"""The password hasher: argon2id at OWASP's minimum configuration (19 MiB, 2 passes, 1 lane)."""

from django.contrib.auth.hashers import Argon2PasswordHasher as DjangoArgon2PasswordHasher


class Argon2PasswordHasher(DjangoArgon2PasswordHasher):
    """argon2id with m = 19 MiB (19 456 KiB), t = 2 passes, p = 1 lane: the first configuration OWASP's Password
    Storage Cheat Sheet gives for argon2id (https://cheatsheetseries.owasp.org/cheatsheets/
    Password_Storage_Cheat_Sheet.html#argon2id); RFC 9106 §3.1 and §4 define m, t and p.

    Why not Django's 100 MiB and 8 lanes: the sign-in is the costliest request of the busiest day (bench-peak:
    ~280 ms of CPU at 100 MiB, 88 % of it in the verify, which alone capped 2 cores near 180 requests/s), and a
    hash that expensive is also a lever for anyone who wants to burn the servers' CPU with wrong passwords. Lanes
    only spread one hash over threads: on a 2-core server they cost more CPU per sign-in and take threads from
    the pages being served. A hash made at another cost still verifies, and Django rewrites it at this cost at its
    next successful sign-in (`must_update`)."""

    memory_cost = 19 * 1024  # KiB
    time_cost = 2
    parallelism = 1
