"""The application served as in production (granian, WSGI) for benchmarks, the fuzzer and the browser journeys.

One place starts it, waits for it and stops it: each of them did it by hand before, and one forgot the workers'
process group. No Django import here: the scripts call it before (or without) setting Django up.
"""

import contextlib
import os
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent.parent


def granian_start(
    *, port: int, env: dict[str, str], workers: int = 2, blocking_threads: int | None = None
) -> subprocess.Popen:
    """granian on 127.0.0.1:`port`, in its own process group so that `granian_stop` also ends its workers."""
    command = [sys.executable, "-m", "granian", "--interface", "wsgi", "--host", "127.0.0.1", "--port", str(port)]
    command += ["--workers", str(workers), "--log-level", "warning"]
    if blocking_threads:
        command += ["--blocking-threads", str(blocking_threads)]
    command.append("config.wsgi:application")
    return subprocess.Popen(command, cwd=ROOT, env=env, start_new_session=True)


def granian_wait(url: str, server: subprocess.Popen, *, timeout: float = 180.0) -> None:
    """Returns once `url` answers (any status); raises RuntimeError if the server stops or stays silent."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise RuntimeError(f"granian stopped with status {server.returncode}")
        try:
            with urllib.request.urlopen(url, timeout=5):
                return
        except urllib.error.HTTPError:
            return  # it answered
        except (urllib.error.URLError, ConnectionError, TimeoutError, OSError):
            time.sleep(0.2)
    raise RuntimeError(f"granian did not answer at {url} within {timeout:.0f} s")


def granian_stop(server: subprocess.Popen) -> None:
    """The server and its workers, even when the master does not answer SIGTERM."""
    for signal_number in (signal.SIGTERM, signal.SIGKILL):
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(server.pid, signal_number)
        try:
            server.wait(timeout=20)
            return
        except subprocess.TimeoutExpired:
            continue


def server_cpu_seconds(root_pid: int) -> float:
    """CPU time (user + system) used so far by a process and its descendants (granian and its workers): divided by
    the requests served, the cost of one request, which depends much less than req/s on what else the machine does."""
    parents, times = {}, {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        pid = int(stat.parent.name)
        parents[pid] = int(fields[1])
        times[pid] = int(fields[11]) + int(fields[12])
    family, changed = {root_pid}, True
    while changed:
        changed = False
        for pid, parent in parents.items():
            if parent in family and pid not in family:
                family.add(pid)
                changed = True
    return sum(times.get(pid, 0) for pid in family) / os.sysconf("SC_CLK_TCK")
