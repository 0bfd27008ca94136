# The two commands a newcomer needs: `make serve` and `make test`.
# Both install what they need first (a virtualenv from the pinned lock file).

VENV := .venv
# Extra pip options, e.g. PyTorch's CPU index on hosts without a local torch wheel (the build runs torch).
PIP_EXTRA ?=
BIN := $(VENV)/bin
export NO_MKDOCS_2_WARNING := 1
# Snippets multiply small matrices; BLAS threads only contend for the 2 cores.
export OPENBLAS_NUM_THREADS ?= 1
export SOURCE_DATE_EPOCH ?= $(shell git log -1 --format=%ct 2>/dev/null || echo 0)

.PHONY: install install-references browser serve build check page test bench mutation

$(VENV)/.installed: requirements.lock pyproject.toml
	python3 -m venv $(VENV)
	$(BIN)/pip install --disable-pip-version-check --quiet $(PIP_EXTRA) -r requirements.lock
	$(BIN)/pip install --disable-pip-version-check --quiet --no-deps --no-build-isolation -e .
	touch $@

install: $(VENV)/.installed

# Keras, mpmath and SciPy: references the tests check claims against (and ruff); PyTorch and JAX come with the build.
$(VENV)/.installed-references: requirements-references.lock $(VENV)/.installed
	$(BIN)/pip install --disable-pip-version-check --quiet -r requirements-references.lock
	touch $@

install-references: $(VENV)/.installed-references

# Debian's chromium for the browser tests (Playwright drives it; it never downloads a browser),
# and the pinned npm tools: axe-core (accessibility) and Lighthouse (benchmarks/pages.py).
APT_GET := $(if $(filter 0,$(shell id -u)),,sudo) env DEBIAN_FRONTEND=noninteractive apt-get

browser: node_modules/.installed
	@command -v chromium >/dev/null || { $(APT_GET) update -qq && $(APT_GET) install -y -qq chromium >/dev/null; }

node_modules/.installed: package-lock.json
	@command -v npm >/dev/null || { $(APT_GET) update -qq && $(APT_GET) install -y -qq nodejs npm >/dev/null; }
	npm ci --no-audit --no-fund --ignore-scripts --loglevel=error
	touch $@

serve: install
	$(BIN)/mkdocs serve --strict --dev-addr 127.0.0.1:8000

# Build into a scratch directory; only a successful strict build is published, by flipping
# the site symlink atomically (sitebuild/publish.py): site/ is never half-built or missing.
build: install
	rm -rf .cache/site-next
	$(BIN)/mkdocs build --strict --site-dir .cache/site-next
	$(BIN)/python -m sitebuild.publish .cache/site-next site

# The contributor's loop: ruff, the claim tests of what you changed, an incremental build.
check: install install-references
	$(BIN)/python tools/check.py

# Scaffold a page, its snippets and its test, passing as they are: make page SLUG=my-topic
page: install
	@test -n "$(SLUG)" || { echo "usage: make page SLUG=my-topic"; exit 2; }
	$(BIN)/python tools/new_page.py $(SLUG)

# Three pytest processes side by side: the build tests, the browser tests, the claim tests.
test: install install-references browser
	$(BIN)/python tools/run_tests.py

bench: install browser
	$(BIN)/python benchmarks/build.py
	$(BIN)/python benchmarks/edit_loop.py
	$(BIN)/python benchmarks/pages.py

# Mutation testing of snippets/ against the claim tests (cosmic-ray), a sample of 25 per page: ~30 min.
mutation: install install-references
	$(BIN)/python benchmarks/mutation.py --sample 25
