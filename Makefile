# OpenCPF — everyday commands. `make run` and `make test` are the README's set-up.
SHELL := /bin/bash
VENV ?= .venv
PY := $(VENV)/bin/python
MANAGE := $(PY) manage.py
PYTEST_ARGS ?=

.PHONY: install run serve test pytest quality fix messages compilemessages demo fuzz bench-tiny bench-search bench-credit bench-deadlines bench-pages bench-peak screenshots accessibility-pages

$(VENV)/.installed: requirements.txt
	@python=$$(scripts/find_python.sh) || exit 1; \
	if [ ! -x $(PY) ]; then echo "Creating $(VENV) with $$python"; "$$python" -m venv $(VENV) || exit 1; fi
	$(PY) -m pip install --quiet --disable-pip-version-check --upgrade pip
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements.txt
	@touch $@

node_modules/.installed: package.json package-lock.json
	@command -v npm >/dev/null || { echo "npm is needed for the accessibility checks (apt-get install npm)"; exit 1; }
	npm ci --no-audit --no-fund --loglevel=error
	@touch $@

install: $(VENV)/.installed

# The .mo files are rebuilt only when a catalogue changed, so two test runs started together never rewrite them
# under each other (CI runs SQLite and PostgreSQL side by side).
PO_FILES := $(wildcard locale/*/LC_MESSAGES/*.po)
MO_FILES := $(PO_FILES:.po=.mo)
locale/%.mo: locale/%.po $(VENV)/.installed
	@$(MANAGE) compilemessages --ignore '.venv' --ignore 'var' --ignore 'node_modules' -v 0

compilemessages: install $(MO_FILES)

messages: install
	$(MANAGE) makemessages -l fr -l en --ignore '.venv/*' --ignore 'var/*' --ignore 'tests/*' --ignore 'node_modules/*' --no-obsolete
	$(MANAGE) makemessages -d djangojs -l fr -l en --ignore '.venv/*' --ignore 'var/*' --ignore 'node_modules/*' --no-obsolete

# `make demo CATALOGUE_CSV=path/to/moncompteformation_catalogueformation.csv` also imports a published open-data file
# (either layout); CATALOGUE_ARGS adds options, e.g. "--status=approved --qualiopi-expires=2027-12-31".
CATALOGUE_CSV ?=
CATALOGUE_ARGS ?=
demo: install compilemessages
	$(MANAGE) migrate --no-input -v 0
	$(MANAGE) load_demo
	$(if $(CATALOGUE_CSV),$(MANAGE) import_catalogue "$(CATALOGUE_CSV)" --wet-run $(CATALOGUE_ARGS))

# The demo FranceConnect: a local OpenID Connect provider (scripts/oidc_provider, npm oidc-provider) on OIDC_PORT,
# when node is there; the client's settings point at it. Without node, the FranceConnect button is simply hidden.
OIDC_PORT ?= 9000
OIDC_DEMO_CLIENT := OIDC_CLIENT_ID=opencpf-demo OIDC_CLIENT_SECRET=opencpf-demo-secret \
	OIDC_REDIRECT_URIS=http://127.0.0.1:8000/compte/identite/franceconnect/retour/,http://localhost:8000/compte/identite/franceconnect/retour/
run: demo
	@if command -v npm >/dev/null; then $(MAKE) --no-print-directory node_modules/.installed; fi
	@echo "Background worker log: var/worker.log"
	@export DJANGO_DEBUG=1 OPENCPF_EMAIL_TO_CONSOLE=1 OPENCPF_TRUSTED_PROXIES=127.0.0.1; \
	$(MANAGE) db_worker --queue-name '*' --no-reload > var/worker.log 2>&1 & worker=$$!; provider=; \
	if command -v node >/dev/null && [ -d node_modules/oidc-provider ]; then \
	  OIDC_PORT=$(OIDC_PORT) $(OIDC_DEMO_CLIENT) node scripts/oidc_provider/server.mjs > var/oidc-provider.log 2>&1 & provider=$$!; \
	  export OPENCPF_FRANCECONNECT_ISSUER=http://127.0.0.1:$(OIDC_PORT) OPENCPF_FRANCECONNECT_CLIENT_ID=opencpf-demo \
	    OPENCPF_FRANCECONNECT_CLIENT_SECRET=opencpf-demo-secret; \
	  echo "Demo FranceConnect provider: http://127.0.0.1:$(OIDC_PORT) (identities: scripts/oidc_provider/identities.json, log: var/oidc-provider.log)"; \
	else echo "FranceConnect is off: node and its packages are missing (apt-get install npm, then npm ci)"; fi; \
	trap 'kill $$worker $$provider 2>/dev/null' EXIT INT TERM; \
	$(MANAGE) runserver 127.0.0.1:8000

quality: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/lint-imports --no-cache
	$(MANAGE) makemigrations --check --dry-run -v 0
	$(PY) scripts/check_translations.py

pytest: install compilemessages node_modules/.installed
	$(VENV)/bin/pytest $(PYTEST_ARGS)

test: quality pytest

fix: install
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

# Fuzzing the API with schemathesis (issue 12): a live granian server on a throwaway database with the demo data,
# three runs side by side (anonymous, the demo holder's token, an organisation API key): FUZZ_MAX_TIME seconds each
# (45), then FUZZ_STATEFUL_TIME (30) for the links; FUZZ_MAX_EXAMPLES per operation (25), FUZZ_SEED to replay. Fails
# on a 5xx, an answer the schema does not describe, or a secured endpoint that ignores its credential. Reports in
# var/fuzz/.
fuzz: install compilemessages
	$(PY) scripts/fuzz.py

# The key pages of the demo at 1280 px and 390 px, as small PNGs in docs/screenshots/ (chromium + Playwright).
screenshots: install compilemessages node_modules/.installed
	$(PY) scripts/screenshots.py

# The journeys in chromium, then docs/accessibility-checked-pages.md: the pages they checked (axe at two widths).
accessibility-pages: install compilemessages node_modules/.installed
	OPENCPF_WRITE_CHECKED_PAGES=1 $(VENV)/bin/pytest tests/browser -q -p no:randomly -m browser

# Benchmarks (DESIGN §5). Each runs at full size by default; `make bench-tiny` runs them all at a tiny size (CI).
# Generators refuse a database holding real (non-generated) holders (opencpf/accounts/generated.py).
bench-tiny: install compilemessages
	scripts/bench_tiny.sh

# Yearly crediting: 1 000 000 holders on PostgreSQL (DATABASE_URL, or a throwaway cluster).
# BENCH_CREDIT_ARGS e.g. "--holders 200000 --workers 1".
BENCH_CREDIT_ARGS ?=
bench-credit: install
	scripts/with_pg.sh bash -c '$(MANAGE) migrate --no-input -v 0 && $(MANAGE) bench_credit $(BENCH_CREDIT_ARGS)'

# Pages: granian + wrk on the demo data (SQLite at OPENCPF_VAR_DIR).
BENCH_DURATION ?= 10s
bench-pages: demo
	@command -v wrk >/dev/null || { apt-get update -qq && apt-get install -y -qq wrk >/dev/null; }
	BENCH_DURATION=$(BENCH_DURATION) $(PY) scripts/bench_pages.py

# The busiest day (issue 12): a realistic mix (opencpf/demo/peak/mix.py says which and why)
# against granian + PostgreSQL (DATABASE_URL, or a throwaway cluster) on the demo catalogue and generated holders.
# BENCH_PEAK_ARGS e.g. "--duration 60 --connections 32 --profile".
BENCH_PEAK_ARGS ?=
bench-peak: install compilemessages
	scripts/with_pg.sh bash -c '$(MANAGE) migrate --no-input -v 0 && $(MANAGE) load_demo >/dev/null && \
		$(MANAGE) bench_peak $(BENCH_PEAK_ARGS)'

# Catalogue search: builds the catalogue on a throwaway SQLite database, then on PostgreSQL (BENCH_DATABASE_URL, or
# a throwaway cluster), and times a fixed mix of searches in-process and through the HTTP API. Sizes are parameters:
#   make bench-search BENCH_OFFERS=20000 BENCH_SESSIONS=100000 BENCH_ROUNDS=10
BENCH_OFFERS ?= 200000
BENCH_SESSIONS ?= 1000000
BENCH_ROUNDS ?= 20
BENCH_SEARCH_ARGS = --offers $(BENCH_OFFERS) --sessions $(BENCH_SESSIONS) --rounds $(BENCH_ROUNDS)
bench-search: install
	@set -e; dir=$$(mktemp -d /tmp/opencpf-bench-search.XXXXXX); trap 'rm -rf "$$dir"' EXIT; \
	echo "== bench-search on SQLite"; \
	env -u DATABASE_URL OPENCPF_VAR_DIR="$$dir/sqlite" bash -c \
		'$(MANAGE) migrate --no-input -v 0 && $(MANAGE) bench_search $(BENCH_SEARCH_ARGS)'; \
	echo; echo "== bench-search on PostgreSQL"; \
	DATABASE_URL="$$BENCH_DATABASE_URL" OPENCPF_VAR_DIR="$$dir/postgresql" scripts/with_pg.sh bash -c \
		'$(MANAGE) migrate --no-input -v 0 && $(MANAGE) bench_search $(BENCH_SEARCH_ARGS)'

# Deadline task (DESIGN §2.3, issue 5): 1 000 000 open training files on PostgreSQL (DATABASE_URL, or a throwaway
# cluster). BENCH_DEADLINES_ARGS e.g. "--files 200000 --overdue 0.3".
BENCH_DEADLINES_ARGS ?=
bench-deadlines: install
	scripts/with_pg.sh bash -c '$(MANAGE) migrate --no-input -v 0 && $(MANAGE) bench_deadlines $(BENCH_DEADLINES_ARGS)'
