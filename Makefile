# Two commands on a fresh machine: `make run` (assistant with demo data) and `make test` (every check).
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
# The optional sentence encoder (torch, sentence-transformers: ≈ 1 GB) is installed for lint and tests
# (its test and its types), not for `make run`.
ENCODER_STAMP := $(VENV)/.installed-encoder

.PHONY: run test install lint browser clean

# constraints.txt pins every package to the versions the tests last passed with (refresh it with
# `.venv/bin/pip freeze --exclude-editable > constraints.txt` after changing dependencies).
$(STAMP): pyproject.toml constraints.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -c constraints.txt -e ".[dev]"
	touch $(STAMP)

$(ENCODER_STAMP): $(STAMP)
	$(BIN)/pip install --quiet -c constraints.txt -e ".[dev,encoder]"
	touch $(ENCODER_STAMP)

install: $(STAMP)

run: $(STAMP)
	$(BIN)/tagada demo
	$(BIN)/tagada serve

lint: $(ENCODER_STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy

# The web page test drives Debian's Chromium; invoice PDFs use the Noto fonts for Indic scripts, and their
# test turns them into pictures with poppler's pdftoppm.
DEBIAN_TOOLS := chromium fonts-noto-core poppler-utils
browser:
	@command -v chromium >/dev/null && command -v pdftoppm >/dev/null && [ -d /usr/share/fonts/truetype/noto ] || \
	  { [ "$$(id -u)" = 0 ] && (apt-get install -y -qq $(DEBIAN_TOOLS) >/dev/null 2>&1 || \
	    (apt-get update -qq && apt-get install -y -qq $(DEBIAN_TOOLS) >/dev/null)); } || \
	  echo "Chromium, Noto or pdftoppm not installed (needs root): their tests will be skipped."

test: lint browser
	$(BIN)/pytest

clean:
	rm -rf $(VENV) tagada.db tagada.db-wal tagada.db-shm
