"""The application as it is deployed, for the journeys: granian serving it with PostgreSQL, emails to a real SMTP
server (aiosmtpd) in the test process. Started once per test run (the `site` fixture of tests/browser/conftest.py).

Data is made the way an operator or a user makes it: `manage.py migrate`, `manage.py load_demo`, then the
browser. Checks of rows use `manage.py shell` on the same database (`Site.query`), never the test database.
"""

import email.message
import glob
import json
import os
import secrets
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from aiosmtpd.controller import Controller

from opencpf.utils.granian_server import granian_start, granian_stop, granian_wait
from tests.accounts.test_smtp import Mailbox, free_port, plain_text

ROOT = Path(__file__).resolve().parents[2]
PG_CLUSTER = ROOT / "scripts" / "pg_cluster.sh"


def postgresql_bindir() -> str | None:
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin"), key=lambda path: [int(p) for p in path.split("/")[4:5]])
    return found[-1] if found else None


class Site:
    """A running server: `url`, the `mailbox` of every email it sent, and `manage`/`query` on its database."""

    def __init__(self, *, url: str, env: dict[str, str], mailbox: Mailbox):
        self.url = url
        self.env = env
        self.mailbox = mailbox

    def manage(self, *args: str) -> str:
        result = subprocess.run(
            [sys.executable, "manage.py", *args], cwd=ROOT, env=self.env, capture_output=True, text=True, timeout=300
        )
        if result.returncode != 0:
            raise AssertionError(f"manage.py {' '.join(args)} failed:\n{result.stdout}\n{result.stderr}")
        return result.stdout

    def query(self, code: str):
        """Runs `code` in `manage.py shell` on the site's database; its last line assigns `result` (JSON-able)."""
        script = f"import json\n{code}\nprint('@@' + json.dumps(result, default=str))"
        output = self.manage("shell", "--no-imports", "-c", script)
        return json.loads(output.rsplit("@@", 1)[1])

    def last_mail_to(self, address: str) -> email.message.EmailMessage:
        return self.mailbox.last_to(address)

    def text_sent_to(self, address: str, containing: str, *, after: int = 0) -> str:
        """The text of the newest email to `address` containing `containing`, among those received after the
        `after`-th message (waits for it: the email is sent when the transaction commits)."""
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            for message in reversed(self.mailbox.messages[after:]):
                if address in message["X-Envelope-To"] and containing in (text := plain_text(message)):
                    return text
            time.sleep(0.05)
        raise AssertionError(f"no email to {address} containing {containing!r}")

    def code_sent_to(self, address: str, *, after: int = 0) -> str:
        """The 6-digit code of the newest email to `address` among those received after the `after`-th message."""
        import re

        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            for message in reversed(self.mailbox.messages[after:]):
                if address in message["X-Envelope-To"] and (found := re.search(r"\b(\d{6})\b", plain_text(message))):
                    return found.group(1)
            time.sleep(0.05)
        raise AssertionError(f"no code was emailed to {address}")


class SiteRunner:
    """Starts PostgreSQL, the SMTP server and granian; `stop()` ends all three and removes their files."""

    def __init__(self, keep_dir: str | None = None, *, postgresql: bool = True):
        # OPENCPF_JOURNEYS_DIR (for whoever writes journeys): the database is kept there between runs, migrated and
        # loaded once, so a run starts in seconds. Journeys make their own holders, so they can run again on it.
        self.keep = bool(keep_dir)
        self.workdir = Path(keep_dir) if keep_dir else Path(tempfile.mkdtemp(prefix="opencpf-journeys-"))
        self.workdir.mkdir(parents=True, exist_ok=True)
        self.workdir.chmod(0o755)  # the cluster runs as `postgres`, who must reach its directory
        self.pg_dir = self.workdir / "pg"
        self.controller: Controller | None = None
        self.server: subprocess.Popen | None = None
        self.pg_started = False
        self.postgresql = postgresql  # False: the embedded SQLite database (`make screenshots` on any machine)

    def start(self) -> Site:
        ready = self.workdir / "ready"
        database_url = self._start_postgresql(ready) if self.postgresql else ""
        secret_file = self.workdir / "secret_key"
        if not secret_file.exists():
            secret_file.write_text(secrets.token_urlsafe(50))
        mailbox = Mailbox()
        self.controller = Controller(mailbox, hostname="127.0.0.1", port=free_port())
        self.controller.start()
        port = free_port()
        url = f"http://127.0.0.1:{port}"
        env = {
            key: value
            for key, value in os.environ.items()
            if not key.startswith(("DJANGO_", "OPENCPF_", "EMAIL_", "PYTEST_")) and key != "DATABASE_URL"
        }
        env |= {
            "DJANGO_SETTINGS_MODULE": "config.settings",
            "DJANGO_SECRET_KEY": secret_file.read_text(),
            "OPENCPF_VAR_DIR": str(self.workdir / "var"),
            # Plain HTTP on loopback with DEBUG off: the production settings otherwise.
            "OPENCPF_LOCAL_HTTP": "1",
            "OPENCPF_SITE_URL": url,
            "EMAIL_HOST": "127.0.0.1",
            "EMAIL_PORT": str(self.controller.port),
            # Background work runs at once in the request (no db_worker to wait for): same tasks, same code.
            "OPENCPF_TASKS_BACKEND": "django.tasks.backends.immediate.ImmediateBackend",
            # Passwords hashed quickly (argon2 still verifies): sign-ins stay fast in CI.
            "OPENCPF_FAST_PASSWORD_HASHER": "1",
            "OPENCPF_LOG_LEVEL": "WARNING",
            # The browser is the "proxy": the abroad journey says where it comes from with X-Forwarded-For.
            "OPENCPF_TRUSTED_PROXIES": "127.0.0.1/32",
        }
        if database_url:
            env["DATABASE_URL"] = database_url
        site = Site(url=url, env=env, mailbox=mailbox)
        if not ready.exists():
            site.manage("migrate", "--no-input", "-v", "0")
            site.manage("load_demo")
            ready.touch()
        self.server = granian_start(port=port, env=env, workers=1, blocking_threads=4)
        granian_wait(url + "/", self.server, timeout=120)
        return site

    def _start_postgresql(self, ready: Path) -> str:
        started = subprocess.run([str(PG_CLUSTER), "start", str(self.pg_dir)], capture_output=True, text=True)
        if started.returncode != 0:
            raise RuntimeError(f"PostgreSQL did not start: {started.stderr}")
        self.pg_started = True
        if not ready.exists():
            subprocess.run(
                [f"{postgresql_bindir()}/createdb", "-h", str(self.pg_dir), "-U", "postgres", "opencpf"], check=True
            )
        return started.stdout.strip()

    def stop(self) -> None:
        if self.server is not None:
            granian_stop(self.server)
        if self.controller is not None:
            self.controller.stop()
        if self.pg_started:
            subprocess.run([str(PG_CLUSTER), "stop", str(self.pg_dir)], capture_output=True)
        if not self.keep:
            shutil.rmtree(self.workdir, ignore_errors=True)
