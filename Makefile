# OpenCPF — everyday commands. `make run` and `make test` are the README's set-up.
SHELL := /bin/bash
VENV ?= .venv
PY := $(VENV)/bin/python
MANAGE := $(PY) manage.py
PYTEST_ARGS ?=

.PHONY: install run serve test pytest quality fix messages compilemessages demo bench-search bench-credit bench-deadlines bench-pages

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

compilemessages: install
	@$(MANAGE) compilemessages --ignore '.venv' --ignore 'var' -v 0

messages: install
	$(MANAGE) makemessages -l fr -l en --ignore '.venv/*' --ignore 'var/*' --ignore 'tests/*' --ignore 'node_modules/*' --no-obsolete
	$(MANAGE) makemessages -d djangojs -l fr -l en --ignore '.venv/*' --ignore 'var/*' --ignore 'node_modules/*' --no-obsolete

demo: install compilemessages
	$(MANAGE) migrate --no-input -v 0
	$(MANAGE) load_demo

run: demo
	@echo "Background worker log: var/worker.log"
	@export DJANGO_DEBUG=1 OPENCPF_EMAIL_TO_CONSOLE=1 OPENCPF_TRUSTED_PROXIES=127.0.0.1; \
	$(MANAGE) db_worker --queue-name '*' --no-reload > var/worker.log 2>&1 & worker=$$!; \
	trap 'kill $$worker 2>/dev/null' EXIT INT TERM; \
	$(MANAGE) runserver 127.0.0.1:8000

quality: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(MANAGE) makemigrations --check --dry-run -v 0
	$(PY) scripts/check_translations.py

pytest: install compilemessages node_modules/.installed
	$(VENV)/bin/pytest $(PYTEST_ARGS)

test: quality pytest

fix: install
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

# Yearly crediting benchmark (DESIGN §5): 1 000 000 holders on PostgreSQL; a throwaway cluster when DATABASE_URL
# is not set. BENCH_CREDIT_ARGS e.g. "--holders 200000 --workers 1".
BENCH_CREDIT_ARGS ?=
bench-credit: install
	@set -e; \
	if [ -n "$$DATABASE_URL" ]; then \
		$(MANAGE) migrate --no-input -v 0; $(MANAGE) bench_credit $(BENCH_CREDIT_ARGS); \
	else \
		dir=$$(mktemp -d /tmp/opencpf-bench-credit.XXXXXX); \
		trap 'scripts/pg_cluster.sh stop '"$$dir"'; rm -rf '"$$dir" EXIT; \
		url=$$(scripts/pg_cluster.sh start $$dir); \
		bindir=$$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1); \
		if [ "$$(id -un)" = postgres ]; then $$bindir/createdb -h $$dir opencpf; \
		else runuser -u postgres -- $$bindir/createdb -h $$dir opencpf; fi; \
		DATABASE_URL=$$url $(MANAGE) migrate --no-input -v 0; \
		DATABASE_URL=$$url $(MANAGE) bench_credit $(BENCH_CREDIT_ARGS); \
	fi

bench-pages: demo
	@command -v wrk >/dev/null || { apt-get update -qq && apt-get install -y -qq wrk >/dev/null; }
	BENCH_DURATION=10s $(PY) scripts/bench_pages.py

# Catalogue search benchmark (DESIGN §5): builds the catalogue on a throwaway SQLite database, then on a throwaway
# PostgreSQL cluster, and times a fixed mix of searches in-process and through the HTTP API. Sizes are parameters:
#   make bench-search BENCH_OFFERS=20000 BENCH_SESSIONS=100000 BENCH_ROUNDS=10
BENCH_OFFERS ?= 200000
BENCH_SESSIONS ?= 1000000
BENCH_ROUNDS ?= 20
bench-search: install
	@set -e; \
	args="--offers $(BENCH_OFFERS) --sessions $(BENCH_SESSIONS) --rounds $(BENCH_ROUNDS)"; \
	dir=$$(mktemp -d /tmp/opencpf-bench-search.XXXXXX); pg=$$(mktemp -d /tmp/opencpf-bench-search-pg.XXXXXX); \
	trap 'scripts/pg_cluster.sh stop "$$pg" >/dev/null 2>&1 || true; rm -rf "$$dir" "$$pg"' EXIT; \
	echo "== bench-search on SQLite"; \
	export OPENCPF_VAR_DIR="$$dir/sqlite"; \
	$(MANAGE) migrate --no-input -v 0; \
	$(MANAGE) bench_search $$args; \
	echo; echo "== bench-search on PostgreSQL"; \
	url=$$(scripts/pg_cluster.sh start "$$pg"); \
	runuser -u postgres -- $$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)/createdb -h "$$pg" opencpf; \
	export OPENCPF_VAR_DIR="$$dir/postgresql" DATABASE_URL="$$url"; \
	$(MANAGE) migrate --no-input -v 0; \
	$(MANAGE) bench_search $$args

# Deadline task benchmark (DESIGN §2.3, issue 5): 1 000 000 open training files on PostgreSQL; a throwaway cluster
# when DATABASE_URL is not set. BENCH_DEADLINES_ARGS e.g. "--files 200000 --overdue 0.3".
BENCH_DEADLINES_ARGS ?=
bench-deadlines: install
	@set -e; \
	if [ -n "$$DATABASE_URL" ]; then \
		$(MANAGE) migrate --no-input -v 0; $(MANAGE) bench_deadlines $(BENCH_DEADLINES_ARGS); \
	else \
		dir=$$(mktemp -d /tmp/opencpf-bench-deadlines.XXXXXX); \
		trap 'scripts/pg_cluster.sh stop '"$$dir"'; rm -rf '"$$dir" EXIT; \
		url=$$(scripts/pg_cluster.sh start $$dir); \
		bindir=$$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1); \
		if [ "$$(id -un)" = postgres ]; then $$bindir/createdb -h $$dir opencpf; \
		else runuser -u postgres -- $$bindir/createdb -h $$dir opencpf; fi; \
		DATABASE_URL=$$url $(MANAGE) migrate --no-input -v 0; \
		DATABASE_URL=$$url $(MANAGE) bench_deadlines $(BENCH_DEADLINES_ARGS); \
	fi
