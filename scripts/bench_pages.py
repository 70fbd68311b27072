"""Pages benchmark (DESIGN §5: holder dashboard and search page ≥ 300 requests/s on 2 cores, p99 ≤ 200 ms).

Serves the app with granian (WSGI, one worker per core, DEBUG off) on loopback, signs the demo holder in
(a real session row, as after the emailed-code step), then drives each page with `wrk` and prints its figures.
Run through `make bench-pages` (the demo data must be loaded: `make demo`).
"""

import http.client
import os
import re
import subprocess
import sys
import urllib.parse
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
os.environ["DJANGO_DEBUG"] = "0"

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.test import Client  # noqa: E402

from opencpf.accounts.demo import DEMO_HOLDER_EMAIL  # noqa: E402
from opencpf.accounts.models import User  # noqa: E402
from opencpf.utils.granian_server import granian_start, granian_stop, granian_wait, server_cpu_seconds  # noqa: E402

PORT = int(os.environ.get("BENCH_PORT", "8011"))
DURATION = os.environ.get("BENCH_DURATION", "15s")
CONNECTIONS = os.environ.get("BENCH_CONNECTIONS", "32")
PAGES = [
    ("holder dashboard", "/mon-compte/", True),
    ("search page, 'anglais'", "/catalogue/?q=anglais", False),
    ("search page, Lyon + 30 km", "/catalogue/?postal_code=69001&radius_km=30", False),
    ("home page", "/", False),
]


def session_cookie() -> str:
    client = Client()
    client.force_login(User.objects.get(email=DEMO_HOLDER_EMAIL))
    return f"{settings.SESSION_COOKIE_NAME}={client.cookies[settings.SESSION_COOKIE_NAME].value}"


def check_page(url: str, cookie: str | None) -> None:
    """One request, its answer checked: the page itself (200, no redirect to the sign-in), whatever the load."""
    parts = urllib.parse.urlsplit(url)
    connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=120)
    connection.request("GET", f"{parts.path}?{parts.query}", headers={"Cookie": cookie} if cookie else {})
    response = connection.getresponse()
    response.read()
    connection.close()
    if response.status != 200:
        raise SystemExit(f"{url}: HTTP {response.status} instead of the page")


def run_wrk(url: str, cookie: str | None) -> tuple[float, str, str, int]:
    command = ["wrk", "-t2", f"-c{CONNECTIONS}", f"-d{DURATION}", "--timeout", "10s", "--latency", url]
    if cookie:
        command[1:1] = ["-H", f"Cookie: {cookie}"]
    output = subprocess.run(command, capture_output=True, text=True, check=True).stdout
    rate = float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1))
    p50 = re.search(r"^\s+50%\s+(\S+)", output, re.MULTILINE).group(1)
    p99 = re.search(r"^\s+99%\s+(\S+)", output, re.MULTILINE).group(1)
    requests = int(re.search(r"(\d+) requests in", output).group(1))
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    if errors:
        raise SystemExit(f"{url}: {errors.group(1)} error responses\n{output}")
    return rate, p50, p99, requests


def main() -> None:
    cookie = session_cookie()
    workers = str(os.cpu_count() or 2)
    server = granian_start(
        port=PORT,
        env={**os.environ, "DJANGO_DEBUG": "0", "OPENCPF_LOCAL_HTTP": "1"},
        workers=int(workers),
        blocking_threads=1,
    )
    try:
        base = f"http://127.0.0.1:{PORT}"
        granian_wait(base + "/", server)
        print(f"granian WSGI, {workers} workers; wrk 2 threads, {CONNECTIONS} connections, {DURATION} per page")
        print(f"database: {settings.DATABASES['default']['ENGINE'].rsplit('.', 1)[-1]}")
        for label, path, signed_in in PAGES:
            check_page(base + path, cookie if signed_in else None)
            run_wrk(base + path, cookie if signed_in else None)  # warm-up of caches and connections
            cpu_before = server_cpu_seconds(server.pid)
            rate, p50, p99, requests = run_wrk(base + path, cookie if signed_in else None)
            cpu = (server_cpu_seconds(server.pid) - cpu_before) / max(requests, 1) * 1000
            print(f"{label:<28} {rate:8.0f} req/s   p50 {p50:>8}   p99 {p99:>8}   server CPU {cpu:5.1f} ms/page")
        load = " ".join(f"{value:.1f}" for value in os.getloadavg())
        print(f"load average {load} (1, 5, 15 min), {os.cpu_count()} CPUs")
    finally:
        granian_stop(server)


if __name__ == "__main__":
    main()
