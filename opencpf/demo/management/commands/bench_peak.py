"""manage.py bench_peak [--holders 300] [--duration 30] [--connections 16] [--workers 2] [--profile]

The busiest day (DESIGN §5: ≥ 250 requests/s sustained on 2 cores, p99 ≤ 300 ms, no error), replayed against the
production set-up: granian (WSGI, one worker per core, DEBUG off) in front of this database (PostgreSQL through
`make bench-peak`), the demo catalogue, and generated holders who pass every gate (confirmed email, verified
identity, a remembered device, a password hashed with the real argon2 cost).

The mix, per 100 requests, and where it comes from: opencpf/demo/peak/mix.py.

A closed-loop load generator (threads, one keep-alive connection each, in this process; its own CPU time is
printed so that what it takes from the server's 2 cores is known) runs for `--duration` seconds and prints
requests/s, p50/p99 per kind and every error. `--profile` then profiles each kind in-process (cProfile through
the WSGI application) and prints where the slowest kind spends its time.
"""

import cProfile
import io
import itertools
import os
import pstats
import random
import subprocess
import tempfile
import time
from decimal import Decimal
from pathlib import Path

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.http import QueryDict
from django.test import Client
from django.utils import timezone

from opencpf.accounts.enums import IdentityLevel, IdentitySource, Role
from opencpf.accounts.generated import generated_email, refuse_real_holders
from opencpf.accounts.models import Holder, KnownDevice, User
from opencpf.accounts.nir import nir_key
from opencpf.accounts.services import api_token_create
from opencpf.accounts.signin import device_hash
from opencpf.catalogue.models import Offer, Session
from opencpf.catalogue.search import parse_search_params, search_offers
from opencpf.catalogue.selectors import organisation_is_public
from opencpf.demo.peak.load import PASSWORD, Load, Visitor, percentile, wsgi_call
from opencpf.demo.peak.mix import MIX, SEARCHES
from opencpf.dossiers.enums import DossierState
from opencpf.dossiers.models import OPEN_STATES, Dossier
from opencpf.rights.models import RightsAccount
from opencpf.utils.granian_server import granian_start, granian_stop, granian_wait, server_cpu_seconds

SUBDOMAIN = "peak"
ROOT = Path(__file__).resolve().parents[4]


class Command(BaseCommand):
    help = "The busiest day: a realistic mix of requests against granian + this database (bench-peak)."

    def add_arguments(self, parser):
        parser.add_argument("--holders", type=int, default=300)
        parser.add_argument("--duration", type=float, default=30.0, help="seconds of measured load")
        parser.add_argument("--warm-up", type=float, default=5.0, help="seconds of load before measuring")
        parser.add_argument("--connections", type=int, default=16)
        parser.add_argument("--workers", type=int, default=os.cpu_count() or 2)
        parser.add_argument("--port", type=int, default=int(os.environ.get("BENCH_PORT", "8125")))
        parser.add_argument("--seed", type=int, default=2026)
        parser.add_argument(
            "--offers-from-results",
            type=float,
            default=0.75,
            help="share of offer pages opened from the searches' first page of results (the rest: any offer)",
        )
        parser.add_argument("--profile", action="store_true", help="then profile each kind in-process")

    def handle(self, *args, **options):
        refuse_real_holders("bench_peak")
        if not Offer.objects.exists():
            call_command("load_demo", stdout=io.StringIO())
        started = time.perf_counter()
        visitors = self.visitors(options["holders"])
        sessions = self.open_sessions()
        offers = list(Offer.objects.filter(is_active=True).order_by("pk").values_list("pk", flat=True)[:2000])
        if not sessions or not offers:
            raise CommandError("No open session in the catalogue: load the demo data first (make demo).")
        offers_in_results = self.offers_in_results()
        self.stdout.write(
            f"{len(visitors)} holders, {len(offers)} offers ({len(offers_in_results)} on the searches' first pages, "
            f"{options['offers_from_results']:.0%} of offer pages), {len(sessions)} open sessions "
            f"(set up in {time.perf_counter() - started:.1f} s); database {settings.DATABASES['default']['ENGINE']}"
        )
        # As in production, the workers share the cache of rendered catalogue pages (OPENCPF_PAGE_CACHE_DIR).
        with tempfile.TemporaryDirectory(prefix="opencpf-bench-pages-") as page_cache:
            server = self.start_server(options["workers"], options["port"], page_cache)
            try:
                base = ("127.0.0.1", options["port"])
                load = Load(
                    base,
                    visitors,
                    sessions,
                    offers,
                    options["connections"],
                    options["seed"],
                    result_offers=offers_in_results,
                    from_results=options["offers_from_results"],
                )
                load.run(options["warm_up"], measure=False)
                cpu_before = server_cpu_seconds(server.pid)
                client_before = time.process_time()
                load.run(options["duration"], measure=True)
                server_cpu = server_cpu_seconds(server.pid) - cpu_before
                client_cpu = time.process_time() - client_before
            finally:
                granian_stop(server)
        errors = self.report(load, options, server_cpu, client_cpu)
        if options["profile"]:
            self.profile(visitors, sessions, offers)
        if errors:
            raise CommandError(f"{errors} request(s) failed (see above).")

    # --- data -----------------------------------------------------------------------------------------------

    def visitors(self, count: int) -> list[Visitor]:
        """Generated holders who pass every gate, each with a web session, an API token and a remembered device."""
        now = timezone.now()
        password = make_password(PASSWORD)  # the real hasher and cost; one hash, reused (same password)
        existing = set(
            User.objects.filter(email__iendswith=f"@{SUBDOMAIN}.opencpf.test").values_list("email", flat=True)
        )
        with transaction.atomic():
            for n in range(count):
                email = generated_email(f"peak{n}", SUBDOMAIN)
                if email in existing:
                    continue
                user = User.objects.create(
                    email=email, password=password, role=Role.HOLDER, language="fr", email_verified_at=now
                )
                body = f"1{80 + n % 20:02d}{1 + n % 12:02d}13{n // 1000:03d}{n % 1000:03d}"
                holder = Holder.objects.create(
                    user=user,
                    nir=body + nir_key(body),
                    last_name="Peak",
                    first_names="Camille",
                    birth_date=f"19{80 + n % 20}-{1 + n % 12:02d}-15",
                    phone="+33600000000",
                    address_line1="1 rue du Test",
                    postal_code="13001",
                    city="Marseille",
                    status="employee",
                    identity_level=IdentityLevel.VERIFIED,
                    identity_source=IdentitySource.DEMO,
                    identity_verified_at=now,
                )
                RightsAccount.objects.create(holder=holder, acquired=Decimal("1500.00"), cap=Decimal("5000.00"))
                KnownDevice.objects.create(user=user, token_hash=device_hash(f"peak-device-{n}"), label="bench")
        visitors = []
        for n, user in enumerate(User.objects.filter(email__iendswith=f"@{SUBDOMAIN}.opencpf.test").order_by("pk")):
            if n >= count:
                break
            client = Client()
            client.force_login(user)
            bearer, _token = api_token_create(user=user)
            # Files still open from an earlier run: theirs to move (cancel), their trainings not asked for again.
            still_open = list(
                Dossier.objects.filter(holder__user=user, state__in=OPEN_STATES).values_list("pk", "offer_id", "state")
            )
            visitors.append(
                Visitor(
                    email=user.email,
                    device_token=f"peak-device-{user.email.split('@')[0].removeprefix('peak')}",
                    cookie=f"{settings.SESSION_COOKIE_NAME}={client.cookies[settings.SESSION_COOKIE_NAME].value}",
                    bearer=bearer,
                    offers_open={offer_id for _pk, offer_id, _state in still_open},
                    files=[pk for pk, _offer, state in still_open if state == DossierState.SUBMITTED],
                )
            )
        return visitors

    def open_sessions(self) -> list[tuple[int, int]]:
        """(session, offer) pairs open for registration, far enough ahead to be cancelled freely."""
        today = timezone.localdate()
        candidates = (
            Session.objects.filter(is_active=True, offer__is_active=True, offer__delisted_at__isnull=True)
            .filter(start_date__gte=today + timezone.timedelta(days=40))
            .select_related("offer__organisation")
            .order_by("pk")[:5000]
        )
        public = {}
        pairs = []
        for session in candidates:
            organisation = session.offer.organisation
            if organisation.pk not in public:
                public[organisation.pk] = organisation_is_public(organisation, today)
            if public[organisation.pk]:
                pairs.append((session.pk, session.offer_id))
        return pairs

    def offers_in_results(self) -> list[int]:
        """The offers on the first page of results of the bench's searches, as the search service finds them."""
        found = set()
        for path in SEARCHES:
            params = parse_search_params(QueryDict(path.partition("?")[2]))
            found.update(hit.id for hit in search_offers(params).hits)
        return sorted(found)

    # --- server ---------------------------------------------------------------------------------------------

    def start_server(self, workers: int, port: int, page_cache: str) -> subprocess.Popen:
        env = {**os.environ, "DJANGO_DEBUG": "0", "OPENCPF_LOCAL_HTTP": "1", "OPENCPF_PAGE_CACHE_DIR": page_cache}
        server = granian_start(port=port, env=env, workers=workers, blocking_threads=1)
        try:
            granian_wait(f"http://127.0.0.1:{port}/", server)
        except RuntimeError as error:
            granian_stop(server)
            raise CommandError(str(error)) from None
        return server

    # --- report ---------------------------------------------------------------------------------------------

    def report(self, load: "Load", options: dict, server_cpu: float, client_cpu: float) -> int:
        total = sum(len(values) for values in load.latencies.values())
        errors = sum(len(values) for values in load.errors.values())
        duration = load.elapsed
        self.stdout.write(
            f"granian WSGI, {options['workers']} workers; {options['connections']} connections, "
            f"{duration:.1f} s measured after {options['warm_up']:.0f} s of warm-up"
        )
        self.stdout.write(f"{'kind':<16} {'share':>6} {'requests':>9} {'p50 ms':>8} {'p99 ms':>8} {'errors':>7}")
        for kind in MIX:
            values = sorted(load.latencies.get(kind, []))
            share = len(values) / total * 100 if total else 0
            p50, p99 = percentile(values, 50), percentile(values, 99)
            self.stdout.write(
                f"{kind:<16} {share:5.1f}% {len(values):9d} {p50:8.1f} {p99:8.1f} {len(load.errors.get(kind, [])):7d}"
            )
        every = sorted(itertools.chain.from_iterable(load.latencies.values()))
        rate = total / duration if duration else 0
        self.stdout.write(
            f"{'all':<16} {100:5.1f}% {total:9d} {percentile(every, 50):8.1f} {percentile(every, 99):8.1f} {errors:7d}"
        )
        self.stdout.write(
            f"bench-peak: {rate:.0f} requests/s, p99 {percentile(every, 99):.0f} ms, {errors} errors "
            f"(target: >= 250 requests/s, p99 <= 300 ms, no error)"
        )
        self.stdout.write(
            f"server CPU {server_cpu / max(total, 1) * 1000:.1f} ms/request; load generator CPU "
            f"{client_cpu / max(total, 1) * 1000:.2f} ms/request ({client_cpu / duration * 100:.0f} % of a core); "
            f"load average {' '.join(f'{value:.1f}' for value in os.getloadavg())}, {os.cpu_count()} CPUs"
        )
        for kind, problems in load.errors.items():
            for problem in problems[:3]:
                self.stdout.write(self.style.ERROR(f"  {kind}: {problem}"))
        return errors

    def profile(self, visitors: list[Visitor], sessions, offers) -> None:
        """Each kind in-process through the WSGI application; the slowest one's profile is printed."""
        from django.core.wsgi import get_wsgi_application

        application = get_wsgi_application()
        per_kind = {}
        profiles = {}
        load = Load(None, visitors, sessions, offers, 1, 7)
        for kind in MIX:
            profiler = cProfile.Profile()
            rounds = 10 if kind == "sign-in" else 30
            started = time.process_time()
            profiler.enable()
            statuses = set()
            for _round in range(rounds):
                method, path, headers, body, expected = load.request(kind, random.choice(visitors), random.Random(1))
                status, _answer = wsgi_call(application, method, path, headers, body)
                if status != expected:
                    statuses.add(status)
            if statuses:
                self.stdout.write(self.style.WARNING(f"profile {kind}: HTTP {sorted(statuses)} (expected {expected})"))
            profiler.disable()
            per_kind[kind] = (time.process_time() - started) / rounds * 1000
            profiles[kind] = profiler
        self.stdout.write(
            "In-process CPU per request (cProfile on): " + ", ".join(f"{k} {v:.1f} ms" for k, v in per_kind.items())
        )
        slowest = max(per_kind, key=per_kind.get)
        self.stdout.write(f"Where the slowest kind ({slowest}) spends its time:")
        output = io.StringIO()
        stats = pstats.Stats(profiles[slowest], stream=output)
        stats.sort_stats("cumulative").print_stats(30)
        stats.sort_stats("tottime").print_stats(15)
        self.stdout.write(output.getvalue().replace(str(ROOT) + "/", ""))
