"""The load generator of `manage.py bench_peak`: a closed loop (threads, one keep-alive connection each, in the
command's process; its own CPU time is printed so that what it takes from the server's 2 cores is known), and the
same requests through the WSGI application in-process for `--profile`."""

import http.client
import io
import itertools
import json
import random
import sys
import threading
import time
from collections import defaultdict
from dataclasses import dataclass

from opencpf.demo.peak.mix import MIX, SEARCHES

PASSWORD = "Peak-Bench-2026!"  # every generated holder's


@dataclass
class Visitor:
    email: str
    device_token: str
    cookie: str
    bearer: str
    offers_open: set
    files: list


def percentile(values: list[float], rank: int) -> float:
    if not values:
        return 0.0
    return values[min(len(values) - 1, int(len(values) * rank / 100))]


def wsgi_call(application, method: str, path: str, headers: dict, body: bytes) -> tuple[int, bytes]:
    path, _, query = path.partition("?")
    environ = {
        "REQUEST_METHOD": method,
        "PATH_INFO": path,
        "QUERY_STRING": query,
        "SERVER_NAME": "127.0.0.1",
        "SERVER_PORT": "443",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "REMOTE_ADDR": "127.0.0.1",
        "wsgi.url_scheme": "https",  # as behind the TLS proxy: production settings redirect plain HTTP
        "wsgi.input": io.BytesIO(body),
        "wsgi.errors": sys.stderr,
        "wsgi.multithread": False,
        "wsgi.multiprocess": True,
        "wsgi.run_once": False,
        "wsgi.version": (1, 0),
        "CONTENT_LENGTH": str(len(body)),
    }
    for name, value in {"Host": "127.0.0.1", **headers}.items():
        key = name.upper().replace("-", "_")
        environ[key if key in ("CONTENT_TYPE",) else f"HTTP_{key}"] = value
    status = []
    answer = b"".join(application(environ, lambda line, _headers, exc_info=None: status.append(line)))
    return int(status[0].split()[0]), answer


class Load:
    """The closed-loop generator: each connection picks a kind by weight, as one of its holders."""

    def __init__(
        self,
        address,
        visitors,
        sessions,
        offers,
        connections: int,
        seed: int,
        *,
        result_offers: list[int] = (),
        from_results: float = 0.0,
    ):
        """`from_results`: the share of offer pages opened from `result_offers` (the searches' first pages)."""
        self.address = address
        self.visitors = visitors
        self.sessions = sessions
        self.offers = offers
        self.connections = connections
        self.seed = seed
        self.kinds = list(MIX)
        self.weights = list(MIX.values())
        self.session_cycle = itertools.cycle(sessions)
        self.result_offers = list(result_offers)
        self.from_results = from_results
        self.lock = threading.Lock()
        self.latencies: dict[str, list[float]] = defaultdict(list)
        self.errors: dict[str, list[str]] = defaultdict(list)
        self.elapsed = 0.0

    def request(self, kind: str, visitor: Visitor, generator: random.Random):
        """(method, path, headers, body, expected status) of one request of this kind."""
        cookie = {"Cookie": visitor.cookie}
        bearer = {"Authorization": f"Bearer {visitor.bearer}"}
        if kind == "search":
            return "GET", generator.choice(SEARCHES), {}, b"", 200
        if kind == "offer page":
            from_results = self.result_offers and generator.random() < self.from_results
            offer_id = generator.choice(self.result_offers if from_results else self.offers)
            return "GET", f"/catalogue/offres/{offer_id}/", {}, b"", 200
        if kind == "dashboard":
            return "GET", "/mon-compte/", cookie, b"", 200
        if kind == "my rights":
            return "GET", "/droits/", cookie, b"", 200
        if kind == "my files (API)":
            return "GET", "/api/v1/dossiers", bearer, b"", 200
        if kind == "sign-in":
            body = {"username": visitor.email, "password": PASSWORD, "device_token": visitor.device_token}
            return "POST", "/api/v1/auth/token", {"Content-Type": "application/json"}, json.dumps(body).encode(), 200
        if kind == "file move" and visitor.files:
            dossier_id = visitor.files.pop(0)
            body = json.dumps({"reason": ""}).encode()
            headers = {**bearer, "Content-Type": "application/json"}
            return "POST", f"/api/v1/dossiers/{dossier_id}/cancel", headers, body, 200
        # A registration (also a move with nothing to move yet): a session of a training not already asked for.
        with self.lock:
            for _attempt in range(len(self.sessions)):
                session_id, offer_id = next(self.session_cycle)
                if offer_id not in visitor.offers_open:
                    break
        visitor.offers_open.add(offer_id)
        body = json.dumps({"session_id": session_id}).encode()
        return "POST", "/api/v1/dossiers", {**bearer, "Content-Type": "application/json"}, body, 201

    def worker(self, index: int, deadline: float, measure: bool) -> None:
        generator = random.Random(self.seed + index)
        own = self.visitors[index :: self.connections] or self.visitors
        connection = http.client.HTTPConnection(*self.address, timeout=60)
        while time.perf_counter() < deadline:
            kind = generator.choices(self.kinds, self.weights)[0]
            visitor = generator.choice(own)
            method, path, headers, body, expected = self.request(kind, visitor, generator)
            if kind == "file move" and path == "/api/v1/dossiers":
                kind = "registration"  # nothing to move yet for this holder
            started = time.perf_counter()
            try:
                connection.request(method, path, body=body or None, headers=headers)
                response = connection.getresponse()
                answer = response.read()
                status = response.status
            except (OSError, http.client.HTTPException) as error:
                connection.close()
                connection = http.client.HTTPConnection(*self.address, timeout=60)
                status, answer = 0, str(error).encode()
            latency = (time.perf_counter() - started) * 1000
            if status == 201 and path == "/api/v1/dossiers":
                visitor.files.append(json.loads(answer)["id"])
            elif kind == "file move" and status == 200:
                visitor.offers_open.discard(json.loads(answer).get("offer_id"))
            if not measure:
                continue
            with self.lock:
                self.latencies[kind].append(latency)
                if status != expected:
                    self.errors[kind].append(f"{method} {path}: HTTP {status} {answer[:200]!r}")
        connection.close()

    def run(self, seconds: float, measure: bool) -> None:
        started = time.perf_counter()
        deadline = started + seconds
        threads = [
            threading.Thread(target=self.worker, args=(index, deadline, measure)) for index in range(self.connections)
        ]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        if measure:
            self.elapsed = time.perf_counter() - started
