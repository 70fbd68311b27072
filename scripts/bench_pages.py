"""Pages benchmark (DESIGN §5: holder dashboard and search page ≥ 300 requests/s on 2 cores, p99 ≤ 200 ms).

Serves the app with granian (WSGI, one worker per core, DEBUG off) on loopback, signs the demo holder in
(a real session row, as after the emailed-code step), then drives each page with `wrk` and prints its figures.
Run through `make bench-pages` (the demo data must be loaded: `make demo`).
"""

import os
import re
import subprocess
import sys
import time
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


def wait_until_up(url: str) -> None:
    for _attempt in range(100):
        try:
            urllib.request.urlopen(url, timeout=1)
            return
        except Exception:
            time.sleep(0.2)
    raise SystemExit(f"server did not start at {url}")


def run_wrk(url: str, cookie: str | None) -> tuple[float, str, str]:
    command = ["wrk", "-t2", f"-c{CONNECTIONS}", f"-d{DURATION}", "--latency", url]
    if cookie:
        command[1:1] = ["-H", f"Cookie: {cookie}"]
    output = subprocess.run(command, capture_output=True, text=True, check=True).stdout
    rate = float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1))
    p50 = re.search(r"^\s+50%\s+(\S+)", output, re.MULTILINE).group(1)
    p99 = re.search(r"^\s+99%\s+(\S+)", output, re.MULTILINE).group(1)
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    if errors:
        raise SystemExit(f"{url}: {errors.group(1)} error responses\n{output}")
    completed = int(re.search(r"(\d+) requests in", output).group(1))
    timeouts = re.search(r"Socket errors:.*timeout (\d+)", output)
    if not completed or (timeouts and int(timeouts.group(1)) >= completed):
        raise SystemExit(f"{url}: no request answered in time\n{output}")
    return rate, p50, p99


def main() -> None:
    cookie = session_cookie()
    workers = str(os.cpu_count() or 2)
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "granian",
            "--interface",
            "wsgi",
            "--host",
            "127.0.0.1",
            "--port",
            str(PORT),
            "--workers",
            workers,
            "--blocking-threads",
            "1",
            "--log-level",
            "warning",
            "config.wsgi:application",
        ],
        cwd=ROOT,
        env={**os.environ, "DJANGO_DEBUG": "0", "OPENCPF_LOCAL_HTTP": "1"},
    )
    try:
        base = f"http://127.0.0.1:{PORT}"
        wait_until_up(base + "/")
        print(f"granian WSGI, {workers} workers; wrk 2 threads, {CONNECTIONS} connections, {DURATION} per page")
        print(f"database: {settings.DATABASES['default']['ENGINE'].rsplit('.', 1)[-1]}")
        for label, path, signed_in in PAGES:
            run_wrk(base + path, cookie if signed_in else None)  # warm-up of caches and connections
            rate, p50, p99 = run_wrk(base + path, cookie if signed_in else None)
            print(f"{label:<28} {rate:8.0f} req/s   p50 {p50:>8}   p99 {p99:>8}")
    finally:
        server.terminate()
        server.wait(timeout=10)


if __name__ == "__main__":
    main()
