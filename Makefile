# OpenCPF — everyday commands. `make run` and `make test` are the README's set-up.
SHELL := /bin/bash
VENV ?= .venv
PY := $(VENV)/bin/python
MANAGE := $(PY) manage.py
PYTEST_ARGS ?=

.PHONY: install run serve test pytest quality fix messages compilemessages demo bench-search bench-credit bench-deadlines

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
	@export DJANGO_DEBUG=1 OPENCPF_EMAIL_TO_CONSOLE=1; \
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
