"""Benchmark of the catalogue search (DESIGN §5): a fixed mix of realistic searches, a page of 20 with the count,
timed in the search service and through the HTTP API (granian on loopback). Prints p50 / p95 and the index build
time. Uses the database and index directory of the environment: run it on a throwaway one (see `make bench-search`).
"""

import datetime
import http.client
import os
import statistics
import time
from urllib.parse import urlencode

from django.conf import settings
from django.core.management.base import BaseCommand
from django.db import connection
from django.utils import timezone

from opencpf.accounts.generated import refuse_real_holders
from opencpf.catalogue import generator, search_index
from opencpf.catalogue.models import Certification, Offer, Session
from opencpf.catalogue.search import parse_search_params, search_offers
from opencpf.utils.granian_server import granian_start, granian_stop, granian_wait


def search_mix(today: datetime.date) -> list[tuple[str, dict]]:
    """(label, query parameters): common and rare words, place + radius, filters only, every sort."""

    def day(days: int) -> str:
        return (today + datetime.timedelta(days=days)).isoformat()

    code = Certification.objects.filter(kind="rncp").order_by("code").values_list("code", flat=True).first()
    return [
        ("common word", {"q": "anglais"}),
        ("two common words", {"q": "anglais professionnel"}),
        ("feminine form", {"q": "développeuse web"}),
        ("hyphenated", {"q": "aide-soignante"}),
        ("two words", {"q": "cariste CACES"}),
        ("accents", {"q": "chariots élévateurs"}),
        ("office", {"q": "excel"}),
        ("driving", {"q": "permis B"}),
        ("stop words", {"q": "bilan de compétences"}),
        ("rare words", {"q": "langue des signes"}),
        ("rare word", {"q": "barbier"}),
        ("rare word 2", {"q": "japonais"}),
        ("word + place", {"q": "anglais", "postal_code": "69001", "radius_km": 20}),
        ("word + place, by distance", {"q": "anglais", "postal_code": "75011", "radius_km": 30, "sort": "distance"}),
        ("place only, by distance", {"postal_code": "33000", "radius_km": 50, "sort": "distance"}),
        (
            "word + place + dates",
            {
                "q": "comptable",
                "postal_code": "13001",
                "radius_km": 30,
                "start_after": day(30),
                "start_before": day(90),
            },
        ),
        ("remote, by price", {"q": "anglais", "remote": "true", "sort": "price"}),
        ("filters only", {"max_price": 1000, "max_hours": 40}),
        (
            "kind + place, by start date",
            {"certification": "driving_licence", "postal_code": "31000", "radius_km": 20, "sort": "start_date"},
        ),
        ("word, by rating", {"q": "développeur", "sort": "rating", "min_rating": 4}),
        ("word + dates, by start date", {"q": "anglais", "sort": "start_date", "start_after": day(60)}),
        ("certification code", {"certification": code or "RNCP37274"}),
        ("page 3", {"q": "management", "page": 3}),
        ("everything, by price", {"q": "formation", "sort": "price"}),
        ("remote, by start date", {"remote": "true", "sort": "start_date"}),
        (
            "word + wide place + dates, by distance",
            {
                "q": "soudeur",
                "postal_code": "59000",
                "radius_km": 100,
                "sort": "distance",
                "start_after": day(10),
                "start_before": day(120),
            },
        ),
        (
            "word + place + dates, by start date",
            {
                "q": "anglais",
                "postal_code": "75011",
                "radius_km": 30,
                "start_after": day(20),
                "start_before": day(60),
                "sort": "start_date",
            },
        ),
    ]


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(share * (len(ordered) - 1))))]


class Command(BaseCommand):
    help = "Time the catalogue search (in-process and HTTP); builds the catalogue first if it is smaller."

    def add_arguments(self, parser):
        parser.add_argument("--offers", type=int, default=200_000)
        parser.add_argument("--sessions", type=int, default=1_000_000)
        parser.add_argument("--rounds", type=int, default=20, help="times each search of the mix is run")
        parser.add_argument("--no-http", action="store_true")
        parser.add_argument("--port", type=int, default=int(os.environ.get("BENCH_PORT", "8190")))
        parser.add_argument("--no-rebuild", action="store_true", help="keep the existing index")

    def handle(self, *args, offers, sessions, rounds, no_http, port, no_rebuild, **options):
        refuse_real_holders("bench_search")
        out = self.stdout
        out.write(f"Database: {connection.vendor} ({settings.DATABASES['default']['NAME']})")
        existing = Offer.objects.count()
        if existing < offers:
            started = time.monotonic()
            missing_sessions = max(0, sessions - Session.objects.count())
            out.write(f"Generating {offers - existing} offers and {missing_sessions} sessions…")
            generator.generate(offers=offers - existing, sessions=missing_sessions, seed=4242 + existing)
            out.write(f"  generated in {time.monotonic() - started:.1f} s")
        out.write(f"Catalogue: {Offer.objects.count()} offers, {Session.objects.count()} sessions")

        if not no_rebuild or search_index.handle().searcher().num_docs == 0:
            report = search_index.rebuild()
            out.write(f"Index build: {report.seconds:.1f} s for {report.documents} offers")
        searcher = search_index.handle().searcher()
        out.write(f"Index: {searcher.num_docs} documents in {searcher.num_segments} segments")

        mix = search_mix(timezone.localdate())
        counts = {}
        for label, params in mix:  # warm-up, and the counts
            counts[label] = search_offers(parse_search_params(params)).count
        timings: dict[str, list[float]] = {label: [] for label, _params in mix}
        for _round in range(rounds):
            for label, params in mix:
                started = time.perf_counter()
                search_offers(parse_search_params(params))
                timings[label].append((time.perf_counter() - started) * 1000)
        out.write(f"\nIn-process search service, {len(mix)} searches × {rounds} rounds (page of 20 + total count):")
        for label, _params in mix:
            out.write(f"  {statistics.median(timings[label]):7.2f} ms  {counts[label]:>7} offers  {label}")
        everything = [value for values in timings.values() for value in values]
        out.write(
            self.style.SUCCESS(
                f"  in-process: p50 {percentile(everything, 0.5):.2f} ms, p95 {percentile(everything, 0.95):.2f} ms, "
                f"max {max(everything):.2f} ms"
            )
        )
        if not no_http:
            self._http(mix, rounds, port)

    def _http(self, mix, rounds, port):
        out = self.stdout
        env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "config.settings",
            "DJANGO_DEBUG": "0",
            "OPENCPF_LOCAL_HTTP": "1",
        }
        server = granian_start(port=port, env=env, workers=1, blocking_threads=1)
        try:
            granian_wait(f"http://127.0.0.1:{port}/", server, timeout=60)
            client = http.client.HTTPConnection("127.0.0.1", port, timeout=30)

            def get(params):
                client.request("GET", "/api/v1/offers?" + urlencode(params), headers={"Host": "127.0.0.1"})
                response = client.getresponse()
                response.read()
                if response.status != 200:
                    raise RuntimeError(f"HTTP {response.status} for {params}")

            for _label, params in mix:  # warm-up
                get(params)
            timings: dict[str, list[float]] = {label: [] for label, _params in mix}
            for _round in range(rounds):
                for label, params in mix:
                    started = time.perf_counter()
                    get(params)
                    timings[label].append((time.perf_counter() - started) * 1000)
            client.close()
        finally:
            granian_stop(server)
        out.write("\nHTTP API on loopback (granian, 1 worker, keep-alive), GET /api/v1/offers:")
        for label, _params in mix:
            out.write(f"  {statistics.median(timings[label]):7.2f} ms  {label}")
        everything = [value for values in timings.values() for value in values]
        out.write(
            self.style.SUCCESS(
                f"  HTTP: p50 {percentile(everything, 0.5):.2f} ms, p95 {percentile(everything, 0.95):.2f} ms, "
                f"max {max(everything):.2f} ms"
            )
        )
