# Two commands on a fresh machine: `make run` (assistant with demo data) and `make test` (every check).
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run test install lint clean

# constraints.txt pins every package to the versions the tests last passed with (refresh it with
# `.venv/bin/pip freeze --exclude-editable > constraints.txt` after changing dependencies).
$(STAMP): pyproject.toml constraints.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -c constraints.txt -e ".[dev]"
	touch $(STAMP)

install: $(STAMP)

run: $(STAMP)
	$(BIN)/tagada demo
	$(BIN)/tagada serve

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy

test: lint
	$(BIN)/pytest

clean:
	rm -rf $(VENV) tagada.db tagada.db-wal tagada.db-shm
