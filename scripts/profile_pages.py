"""In-process timing and profile of the benchmarked pages (the harness behind `make bench-pages`' figures).

wrk figures depend on what else the machine runs; the time one process spends per page, and where, does much
less. Each page is requested through the WSGI application as granian calls it (DEBUG off, the demo data at
OPENCPF_VAR_DIR or DATABASE_URL), warmed up, then timed in CPU seconds of this process (less disturbed by other
work than wall time); `--profile` adds a cProfile summary per page.

    .venv/bin/python scripts/profile_pages.py [--rounds 200] [--profile] [--top 25] [--page dashboard]
        [--callers REGEX]
"""

import argparse
import cProfile
import io
import os
import pstats
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
os.environ["DJANGO_DEBUG"] = "0"
os.environ.setdefault("OPENCPF_LOCAL_HTTP", "1")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.core.wsgi import get_wsgi_application  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402

from opencpf.accounts.demo import DEMO_HOLDER_EMAIL  # noqa: E402
from opencpf.accounts.models import User  # noqa: E402

PAGES = {
    "dashboard": ("/mon-compte/", True),
    "search-anglais": ("/catalogue/?q=anglais", False),
    "search-lyon": ("/catalogue/?postal_code=69001&radius_km=30", False),
    "my-rights": ("/droits/", True),
    "home": ("/", False),
    "offer": ("/catalogue/offres/{offer}/", False),  # the demo's first published offer
}


def wsgi_get(application, path: str, cookie: str) -> tuple[int, bytes]:
    """One GET through the WSGI application, as granian calls it (request_started/finished signals included)."""
    path, _, query = path.partition("?")
    environ = {
        "REQUEST_METHOD": "GET",
        "PATH_INFO": path,
        "QUERY_STRING": query,
        "SERVER_NAME": "127.0.0.1",
        "SERVER_PORT": "8000",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "REMOTE_ADDR": "127.0.0.1",
        "HTTP_HOST": "127.0.0.1:8000",
        "HTTP_USER_AGENT": "wrk",
        "wsgi.url_scheme": "http",
        "wsgi.input": io.BytesIO(b""),
        "wsgi.errors": sys.stderr,
        "wsgi.multithread": False,
        "wsgi.multiprocess": True,
        "wsgi.run_once": False,
        "wsgi.version": (1, 0),
    }
    if cookie:
        environ["HTTP_COOKIE"] = cookie
    status = []
    body = b"".join(application(environ, lambda line, headers, exc_info=None: status.append(line)))
    return int(status[0].split()[0]), body


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=200)
    parser.add_argument("--profile", action="store_true")
    parser.add_argument("--top", type=int, default=25)
    parser.add_argument("--callers", help="also print who calls the functions matching this regular expression")
    parser.add_argument("--page", action="append", choices=sorted(PAGES))
    options = parser.parse_args()
    holder = Client()
    holder.force_login(User.objects.get(email=DEMO_HOLDER_EMAIL))
    holder_cookie = f"{settings.SESSION_COOKIE_NAME}={holder.cookies[settings.SESSION_COOKIE_NAME].value}"
    application = get_wsgi_application()
    for name in options.page or PAGES:
        path, signed_in = PAGES[name]
        if "{offer}" in path:
            from opencpf.catalogue.models import Offer

            path = path.format(
                offer=Offer.objects.filter(is_active=True).order_by("pk").values_list("pk", flat=True)[0]
            )
        cookie = holder_cookie if signed_in else ""
        for _warm_up in range(5):
            status, body = wsgi_get(application, path, cookie)
            if status != 200:
                raise SystemExit(f"{path}: HTTP {status}")
        queries = []

        def count(execute, sql, *args, queries=queries):
            queries.append(sql)
            return execute(sql, *args)

        with connection.execute_wrapper(count):
            wsgi_get(application, path, cookie)
        profiler = cProfile.Profile() if options.profile else None
        if profiler:
            profiler.enable()
        batches = []  # CPU time of this process per page, by batches of 10: the best batch is the least disturbed
        for _batch in range(max(1, options.rounds // 10)):
            started = time.process_time()
            for _round in range(10):
                wsgi_get(application, path, cookie)
            batches.append((time.process_time() - started) / 10 * 1000)
        if profiler:
            profiler.disable()
        batches.sort()
        print(
            f"{name:<16} CPU {batches[0]:6.2f} ms/page (best batch), {batches[len(batches) // 2]:6.2f} (median)"
            f"  {len(queries):3d} queries  {len(body):7d} bytes"
        )
        if profiler:
            stats = pstats.Stats(profiler)
            stats.sort_stats("cumulative").print_stats(options.top)
            stats.sort_stats("tottime").print_stats(options.top)
            if options.callers:
                stats.print_callers(options.callers)


if __name__ == "__main__":
    main()
