# Quick start: `make demo` builds the sample issue into out/; `make test` runs the suite.
# Both set up everything first: Debian packages (when apt-get is there and we are root),
# then a virtual environment in .venv with the package and its test tools.

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
SAMPLE := content/2024-08
# Pango draws the text, HarfBuzz-subset makes font subsetting ~30x faster than the fontTools
# fallback, fontconfig finds fonts, poppler-utils turns PDFs into images for `make pages`,
# (The press PDF's CMYK profile ships inside the package: bulletin/outputs/profiles/.)
SYSTEM_PACKAGES := libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fontconfig poppler-utils
SYSTEM_LIBRARIES := libpango-1.0.so.0 libpangoft2-1.0.so.0 libharfbuzz-subset.so.0
# The test suite also opens the e-edition in a real browser, and draws every PDF with the
# renderers print shops and archives use (Ghostscript, MuPDF) beside poppler.
TEST_PACKAGES := chromium ghostscript mupdf-tools
TEST_COMMANDS := chromium gs mutool
# Every Python package at the exact version in constraints.txt (`make lock` refreshes it).
CONSTRAINTS := constraints.txt
# What apt-get and pip print goes here; the terminal gets a line per step (and the log's
# end when a step fails).
INSTALL_LOG := build/install.log
LOGGED = >> $(INSTALL_LOG) 2>&1 || { echo "failed; the end of $(INSTALL_LOG):"; tail -n 25 $(INSTALL_LOG); exit 1; }

.PHONY: demo test setup system-deps lint format bench pages clean lock

demo: setup
	@echo "Building the sample issue $(SAMPLE) into out/"
	@$(BIN)/bulletin build $(SAMPLE) -o out/
	@echo "Open out/ to see the PDF."

test: TESTING := 1
test: setup
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports --no-cache
	$(BIN)/mypy
	$(BIN)/python -m pytest -q -n 2

# The package is compiled here, as pip compiles a wheel it installs: an editable install
# is not, and where PYTHONDONTWRITEBYTECODE is set every run would compile it again.
setup: system-deps $(VENV)/.installed
	@$(BIN)/python -m compileall -q bulletin > /dev/null

$(VENV)/.installed: pyproject.toml $(CONSTRAINTS)
	@mkdir -p $(dir $(INSTALL_LOG))
	@echo "Creating $(VENV) and installing bulletin with the versions in $(CONSTRAINTS)"
	@echo "  (about a minute; the full log is in $(INSTALL_LOG))"
	@$(PYTHON) -m venv $(VENV) $(LOGGED)
	@$(BIN)/python -m pip install --upgrade pip $(LOGGED)
	@$(BIN)/python -m pip install -c $(CONSTRAINTS) -e '.[test]' $(LOGGED)
	@echo "Installed: $$($(BIN)/bulletin --version)"
	@touch $@

# Re-resolve the newest versions pyproject.toml allows and record them; review, then test.
lock:
	rm -rf .lock-venv && $(PYTHON) -m venv .lock-venv
	.lock-venv/bin/python -m pip install --quiet --upgrade pip
	.lock-venv/bin/python -m pip install --quiet -e '.[test]'
	{ sed -n '1,3p' $(CONSTRAINTS); .lock-venv/bin/python -m pip freeze --all --exclude-editable \
	  | grep -v '^pip=='; } > $(CONSTRAINTS).new && mv $(CONSTRAINTS).new $(CONSTRAINTS)
	rm -rf .lock-venv

system-deps:
	@missing=""; \
	if command -v ldconfig >/dev/null 2>&1 || [ -x /sbin/ldconfig ]; then \
	  for lib in $(SYSTEM_LIBRARIES); do \
	    PATH="$$PATH:/sbin:/usr/sbin" ldconfig -p | grep -q "$$lib" || missing="$$missing $$lib"; \
	  done; \
	  $(PYTHON) -c 'import ensurepip, venv' 2>/dev/null || missing="$$missing python3-venv"; \
	  command -v pdftoppm >/dev/null 2>&1 || missing="$$missing pdftoppm"; \
	  if [ -n "$(TESTING)" ]; then \
	    for command in $(TEST_COMMANDS); do \
	      command -v $$command >/dev/null 2>&1 || missing="$$missing $$command"; \
	    done; \
	  fi; \
	fi; \
	packages="$(SYSTEM_PACKAGES) python3-venv"; \
	[ -z "$(TESTING)" ] || packages="$$packages $(TEST_PACKAGES)"; \
	if [ -z "$$missing" ]; then exit 0; fi; \
	if command -v apt-get >/dev/null 2>&1 && [ "$$(id -u)" = 0 ]; then \
	  echo "Installing Debian packages: $$packages"; \
	  echo "  (the full log is in $(INSTALL_LOG))"; \
	  mkdir -p $(dir $(INSTALL_LOG)); \
	  { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq \
	    --no-install-recommends $$packages; } $(LOGGED); \
	else \
	  echo "Missing system libraries:$$missing"; \
	  echo "Install them, then run make again:"; \
	  echo "  Debian/Ubuntu: sudo apt-get install $$packages"; \
	  echo "  macOS:         brew install pango harfbuzz"; \
	  exit 1; \
	fi

lint: setup
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports --no-cache
	$(BIN)/mypy

format: setup
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

bench: setup
	$(BIN)/python benchmarks/bench_build.py
	$(BIN)/python benchmarks/bench_layout.py

# Every page of the sample issue as PNG in out/pages/, to look at.
pages: demo
	mkdir -p out/pages
	for pdf in out/*.pdf; do pdftoppm -r 80 -png "$$pdf" "out/pages/$$(basename "$$pdf" .pdf)"; done

clean:
	rm -rf out .pytest_cache build *.egg-info .lock-venv
