# One command each: `make run` starts the app, `make test` runs the whole test suite, `make package` builds
# the desktop bundle. Each sets up what it needs first (system libraries, a local virtual environment).
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed

.PHONY: run test test-fast package system-deps clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet torch==2.13.0
	$(PY) -m pip install --quiet -e '.[fast,dev]'
	touch $(STAMP)

system-deps:
	bash scripts/install-system-deps.sh

run: system-deps $(STAMP)
	$(VENV)/bin/siamtrack gui

test: system-deps $(STAMP)
	$(PY) -m pytest --run-slow $(PYTEST_ARGS)

test-fast: $(STAMP)
	$(PY) -m pytest $(PYTEST_ARGS)

package: system-deps $(STAMP)
	$(VENV)/bin/pyinstaller --noconfirm --clean build.spec

clean:
	rm -rf build dist
