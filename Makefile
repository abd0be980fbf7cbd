# The two commands of the README: `make run` and `make test`. Each sets up everything it needs.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run test check lint bench clean bundle bundle-test

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --upgrade pip
	# torch first, on its own: pip picks the wheel for this machine (CPU or CUDA) once.
	$(BIN)/python -m pip install "torch>=2.1" "torchvision>=0.16"
	$(BIN)/python -m pip install -e ".[dev]"
	touch $(STAMP)

run: $(STAMP)
	$(BIN)/photoseek

test: $(STAMP)
	QT_QPA_PLATFORM=offscreen $(BIN)/python -m pytest -q

# ruff, the type checker and the architecture contracts (pyproject's [tool.importlinter]).
check: $(STAMP)
	$(BIN)/ruff check core desktop_app tests benchmarks scripts
	$(BIN)/mypy
	$(BIN)/lint-imports

lint: check

# A self-contained app for this system, without Python or CUDA (packaging/README.md): on Linux
# dist/photoseek-<version>-linux-<arch>.tar.gz. Its own venv is build/bundle-venv.
bundle:
	PYTHON=$(PYTHON) packaging/build_bundle.sh

# Unpacks that tarball and runs it: layout, install script, window under Xvfb, CLI (minutes).
bundle-test: bundle $(STAMP)
	QT_QPA_PLATFORM= $(BIN)/python -m pytest -q -p no:cacheprovider -m bundle tests/test_bundle.py

clean:
	rm -rf $(VENV)
