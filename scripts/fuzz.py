"""`make fuzz` (issue 12, DESIGN §4): schemathesis against a live server and its own schema, three times — anonymous,
with the demo holder's bearer token (obtained through the API: password, then the emailed device code, DESIGN
§4.1) and with an organisation API key (every scope, of the demo organisation).

Checks: no 5xx (`not_a_server_error`), every answer conforms to the schema — status codes included
(`status_code_conformance`, `response_schema_conformance`, `content_type_conformance`) — and `ignored_auth` (a
secured endpoint refuses a request without or with a wrong credential). The stateful phase follows the OpenAPI
links of the schema (register → propose → accept…).

The server is granian (WSGI, DEBUG off) on a throwaway SQLite database with the demo data, on FUZZ_PORT (8135).
The three runs go side by side (their outputs are printed one after the other). Bounds: FUZZ_MAX_TIME seconds per
run for the examples, coverage and fuzzing phases (default 45), FUZZ_STATEFUL_TIME for the stateful one (30),
FUZZ_MAX_EXAMPLES examples per operation (default 25). FUZZ_SEED replays a run; FUZZ_RUNS chooses runs;
FUZZ_DEMO_DIR: a var directory already migrated with the demo data, copied instead of building one (quicker while
fixing what the fuzzer found). Reports (JUnit, and a pytest file reproducing failures) in FUZZ_REPORT_DIR.
"""

import concurrent.futures
import glob
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from opencpf.utils.granian_server import granian_start, granian_stop, granian_wait  # noqa: E402

PYTHON = sys.executable
PORT = int(os.environ.get("FUZZ_PORT", "8135"))
BASE = f"http://127.0.0.1:{PORT}"
MAX_TIME = os.environ.get("FUZZ_MAX_TIME", "45")
STATEFUL_TIME = os.environ.get("FUZZ_STATEFUL_TIME", "30")
# The chained run has only its stateful phase: it runs beside the others' two phases, in as long as they take.
CHAINED_TIME = os.environ.get("FUZZ_CHAINED_TIME", "70")
MAX_EXAMPLES = os.environ.get("FUZZ_MAX_EXAMPLES", "25")
SEED = os.environ.get("FUZZ_SEED", "")
REPORT_DIR = Path(os.environ.get("FUZZ_REPORT_DIR", ROOT / "var" / "fuzz"))
SCHEMA_FILE = REPORT_DIR / "openapi.json"
CHECKS = "not_a_server_error,status_code_conformance,response_schema_conformance,content_type_conformance,ignored_auth"
DEMO_HOLDER = ("demo@opencpf.test", "Demo-Holder-2026!")

# Operations that end the fuzzer's own credential are left out of the signed-in runs only (the anonymous run
# still sends them): after them every other call would answer 401 and test nothing.
ENDS_OWN_CREDENTIAL = r"^/api/v1/me/(sign-out-everywhere|tokens/\{token_id\})$"


def manage(*args: str, env: dict, capture: bool = False) -> str:
    result = subprocess.run(
        [PYTHON, "manage.py", *args], cwd=ROOT, env=env, check=True, capture_output=capture, text=True
    )
    return result.stdout if capture else ""


def post_json(path: str, body: dict) -> tuple[int, dict]:
    request = urllib.request.Request(
        BASE + path, data=json.dumps(body).encode(), headers={"Content-Type": "application/json"}, method="POST"
    )
    try:
        with urllib.request.urlopen(request, timeout=60) as response:
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read())


def holder_token(var: Path) -> str:
    """The demo holder signs in like a mobile app: password, 401 `device_code_required`, the emailed code."""
    username, password = DEMO_HOLDER
    status, body = post_json("/api/v1/auth/token", {"username": username, "password": password})
    if status == 200:
        return body["token"]
    if body.get("code") != "device_code_required":
        raise SystemExit(f"holder sign-in: HTTP {status} {body}")
    code = None
    for _attempt in range(50):  # the email is written when the request's transaction commits
        mails = sorted(glob.glob(str(var / "emails" / "*")), key=os.path.getmtime)
        found = re.findall(r"\b(\d{6})\b", Path(mails[-1]).read_text(errors="replace")) if mails else []
        if found:
            code = found[-1]
            break
        time.sleep(0.2)
    if code is None:
        raise SystemExit("holder sign-in: no code emailed")
    status, body = post_json("/api/v1/auth/token", {"challenge": body["challenge"], "device_code": code})
    if status != 200:
        raise SystemExit(f"holder sign-in with the emailed code: HTTP {status} {body}")
    return body["token"]


ORGANISATION_KEY = """
import json
from opencpf.accounts.demo import DEMO_ORG_EMAIL
from opencpf.catalogue.enums import ApiKeyScope, OrganisationRole
from opencpf.accounts.enums import Role
from opencpf.accounts.models import User
from opencpf.catalogue.models import Organisation, OrganisationMember, OrganisationMemberRole
from opencpf.catalogue.services.api_keys import api_key_create
member = OrganisationMember.objects.select_related("organisation", "user").get(user__email=DEMO_ORG_EMAIL)
clear, _key = api_key_create(organisation=member.organisation, name="make fuzz", actor=member.user,
    scopes=[ApiKeyScope.CATALOGUE_WRITE, ApiKeyScope.FILES, ApiKeyScope.PAYMENTS])
# The chained run: a files key for every organisation of the catalogue (its access manager made for the fuzzer, who
# creates it), so that a file registered on any offer can be proposed by its own organisation.
files_keys = {member.organisation_id: clear}
for organisation in Organisation.objects.exclude(pk=member.organisation_id).filter(offers__is_active=True).distinct():
    manager = User.objects.create_user(f"fuzz-{organisation.pk}@api-keys.opencpf.invalid", None,
        role=Role.ORGANISATION_STAFF)
    OrganisationMemberRole.objects.create(role=OrganisationRole.ACCESS_MANAGER,
        member=OrganisationMember.objects.create(organisation=organisation, user=manager))
    files_keys[organisation.pk], _key = api_key_create(
        organisation=organisation, name="make fuzz", actor=manager, scopes=[ApiKeyScope.FILES])
print(json.dumps({"key": clear, "files_keys": files_keys}))
"""


PHASES = (("examples,coverage,fuzzing", MAX_TIME), ("stateful", STATEFUL_TIME))


def schemathesis(label: str, *extra: str, phases=PHASES, env: dict | None = None, config: Path | None = None) -> int:
    """One run: the examples, coverage and fuzzing phases in FUZZ_MAX_TIME, then the stateful phase (the links) in
    FUZZ_STATEFUL_TIME of its own, so that it is never starved. Output in the run's report directory."""
    directory = REPORT_DIR / label
    directory.mkdir(parents=True, exist_ok=True)
    common = [
        str(Path(PYTHON).parent / "schemathesis"),
        *(["--config-file", str(config)] if config else []),
        "run",
        str(SCHEMA_FILE),
        "--url",
        BASE,
        "--checks",
        CHECKS,
        "--max-examples",
        MAX_EXAMPLES,
        "--workers",
        "1",
        "--request-timeout",
        "30",
        "--report",
        "junit,pytest",
        "--report-dir",
        str(directory),
        *(["--seed", SEED] if SEED else []),
        *extra,
    ]
    env = {**os.environ, "NO_COLOR": "1", **(env or {})}
    code = 0
    with (directory / "output.txt").open("w") as output:
        for names, seconds in phases:
            command = [*common, "--phases", names, "--max-time", seconds]
            code |= subprocess.run(command, cwd=ROOT, stdout=output, stderr=subprocess.STDOUT, env=env).returncode
            output.flush()
    return code


def chained(token: str, key: str, files_keys: Path) -> int:
    """The stateful phase with both credentials (scripts/fuzz_hooks.py picks one per operation), so that the links
    chain register → propose → accept; it fails unless an accept succeeded."""
    calls = REPORT_DIR / "chained" / "calls.jsonl"
    calls.parent.mkdir(parents=True, exist_ok=True)
    calls.unlink(missing_ok=True)
    env = {
        "SCHEMATHESIS_HOOKS": str(ROOT / "scripts" / "fuzz_hooks.py"),
        "FUZZ_HOLDER_TOKEN": token,
        "FUZZ_ORGANISATION_KEY": key,
        "FUZZ_FILES_KEYS": str(files_keys),
        "FUZZ_BASE_URL": BASE,
        "FUZZ_CALLS_FILE": str(calls),
    }
    code = schemathesis(
        "chained",
        *[option for name in CHAIN for option in ("--include-name", name)],
        phases=(("stateful", CHAINED_TIME),),
        env=env,
        config=ROOT / "scripts" / "fuzz_chained.toml",
    )
    counts: dict[tuple[str, str], int] = {}
    steps: dict[str, set[int]] = {"register": set(), "propose": set(), "accept": set()}
    for line in calls.read_text().splitlines() if calls.exists() else []:
        call = json.loads(line)
        if 200 <= call["status"] < 300:
            counts[(call["method"], call["path"])] = counts.get((call["method"], call["path"]), 0) + 1
            if call.get("step"):
                steps[call["step"]].add(call["dossier_id"])
    # A file this run registered, then proposed, then accepted: the whole chain, not a demo file accepted alone.
    chained_files = steps["register"] & steps["propose"] & steps["accept"]
    summary = ", ".join(f"{step} {len(ids)}" for step, ids in steps.items())
    with (REPORT_DIR / "chained" / "output.txt").open("a") as output:
        output.write(f"\nchained: successful calls in the stateful phase: {summary}; ")
        output.write(f"files registered, proposed and accepted in this run: {sorted(chained_files) or 'none'}\n")
        if not chained_files:
            output.write("chained: FAILED: no file went register → propose → accept (see the links)\n")
            code |= 1
    return code


# The operations of the journey, so that the state machine walks its links instead of the whole API's (the other
# runs cover those): find an offer (the catalogue, or the demo organisation's sessions), register, the work list,
# propose (with the key of the file's organisation), funding, accept.
CHAIN = [
    "GET /api/v1/offers",
    "GET /api/v1/offers/{offer_id}",
    "GET /api/v1/organisation/offers",
    "GET /api/v1/organisation/offers/{offer_id}/sessions",
    "POST /api/v1/dossiers",
    "GET /api/v1/dossiers/{dossier_id}",
    "GET /api/v1/organisation/dossiers",
    "POST /api/v1/dossiers/{dossier_id}/propose",
    "GET /api/v1/dossiers/{dossier_id}/funding",
    "POST /api/v1/dossiers/{dossier_id}/accept",
]


def main() -> int:
    var = Path(tempfile.mkdtemp(prefix="opencpf-fuzz."))
    if demo := os.environ.get("FUZZ_DEMO_DIR"):
        shutil.copytree(demo, var, dirs_exist_ok=True)
    env = {
        **os.environ,
        "OPENCPF_VAR_DIR": str(var),
        "OPENCPF_LOCAL_HTTP": "1",
        "DJANGO_DEBUG": "",
        # E-mails (the device code) as files in the var directory, sent in the request: no worker to wait for.
        "OPENCPF_EMAIL_TO_CONSOLE": "",
        "OPENCPF_TASKS_BACKEND": "django.tasks.backends.immediate.ImmediateBackend",
    }
    env.pop("DATABASE_URL", None)
    env.pop("EMAIL_HOST", None)
    server = None
    try:
        started = time.monotonic()
        if not demo:
            manage("migrate", "--no-input", "-v", "0", env=env)
            manage("load_demo", env=env, capture=True)
        keys = json.loads(manage("shell", "-c", ORGANISATION_KEY, env=env, capture=True).strip().splitlines()[-1])
        key = keys["key"]
        files_keys = REPORT_DIR / "chained" / "files-keys.json"
        files_keys.parent.mkdir(parents=True, exist_ok=True)
        files_keys.write_text(json.dumps(keys["files_keys"]))
        print(f"demo data ready in {time.monotonic() - started:.0f} s", flush=True)
        server = granian_start(port=PORT, env=env, workers=2)
        granian_wait(f"{BASE}/api/v1/schema/", server)
        # The schema once, from the live server: six schemathesis processes need not ask for it under load.
        with urllib.request.urlopen(f"{BASE}/api/v1/schema/", timeout=120) as response:
            SCHEMA_FILE.parent.mkdir(parents=True, exist_ok=True)
            SCHEMA_FILE.write_bytes(response.read())
        token = holder_token(var)
        runs = os.environ.get("FUZZ_RUNS", "anonymous,holder,organisation-key,chained").split(",")
        plan = [
            ("anonymous", ()),
            ("holder", ("--header", f"Authorization: Bearer {token}", "--exclude-path-regex", ENDS_OWN_CREDENTIAL)),
            ("organisation-key", ("--header", f"Authorization: Bearer {key}")),
        ]
        with concurrent.futures.ThreadPoolExecutor(max_workers=4) as pool:
            codes = {label: pool.submit(schemathesis, label, *extra) for label, extra in plan if label in runs}
            if "chained" in runs:
                codes["chained"] = pool.submit(chained, token, key, files_keys)
        failed = []
        for label, future in codes.items():
            code = future.result()
            print(f"\n== fuzz: {label} ({'failed' if code else 'passed'})", flush=True)
            print((REPORT_DIR / label / "output.txt").read_text(errors="replace"), flush=True)
            if code:
                failed.append(label)
        print(f"\n== fuzz done in {time.monotonic() - started:.0f} s: {', '.join(failed) or 'no failure'}")
        return 1 if failed else 0
    finally:
        if server is not None:
            granian_stop(server)
        shutil.rmtree(var, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
