# The two commands a newcomer needs: `make serve` and `make test`.
# Both install what they need first (a virtualenv from the pinned lock file).

VENV := .venv
BIN := $(VENV)/bin
export NO_MKDOCS_2_WARNING := 1
# Snippets multiply small matrices; BLAS threads only contend for the 2 cores.
export OPENBLAS_NUM_THREADS ?= 1
export SOURCE_DATE_EPOCH ?= $(shell git log -1 --format=%ct 2>/dev/null || echo 0)

.PHONY: install browser serve build test bench

$(VENV)/.installed: requirements.lock
	python3 -m venv $(VENV)
	$(BIN)/pip install --disable-pip-version-check --quiet -r requirements.lock
	touch $@

install: $(VENV)/.installed

# Debian's chromium for the browser tests (Playwright drives it; it never downloads a browser).
browser:
	@command -v chromium >/dev/null || { \
	  if [ "$$(id -u)" = 0 ]; then apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; \
	  else echo "error: the browser tests need Debian's chromium: sudo apt-get install chromium" >&2; exit 1; fi; }

serve: install
	$(BIN)/mkdocs serve --strict --dev-addr 127.0.0.1:8000

# Build into a scratch directory and swap it in only when the strict build succeeded,
# so site/ is never half-built.
build: install
	rm -rf .cache/site-next
	$(BIN)/mkdocs build --strict --site-dir .cache/site-next
	rm -rf site && mv .cache/site-next site

test: install browser
	$(BIN)/pytest

bench: install
	$(BIN)/python benchmarks/build.py
